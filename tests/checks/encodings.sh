#!/usr/bin/env bash
# tests/checks/encodings.sh — the extension in every server encoding a
# Chinese deployment uses.
#
#   EUC_CN     CREATE EXTENSION works (the control file declares the
#              scripts UTF-8, so PostgreSQL converts them); Chinese labels
#              go in and come out, through a UTF8 and an EUC_CN client; bad
#              input is 22P02 with the labels listed; a refusal with a
#              Chinese gloss keeps its SQLSTATE.
#   SQL_ASCII  CREATE EXTENSION works; labels go in and out as bytes; bad
#              input is 22P02.
#   LATIN1     A single-byte encoding cannot hold the Chinese comments and
#              labels: CREATE EXTENSION is refused up front with 22P05,
#              before any object exists (README "Compatibility").
set -euo pipefail
: "${BINDIR:?}" "${TOP:?}"
DBS=(enc_euc_cn enc_sql_ascii enc_latin1)
psql() { PGCLIENTENCODING=${CLIENT:-UTF8} "$BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
cleanup() {
    local db
    for db in "${DBS[@]}"; do
        "$BINDIR/psql" -X -q -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    done
}
trap cleanup EXIT
fail() { echo "encodings: FAIL: $*" >&2; exit 1; }
expect() {  # description expected actual
    [ "$2" = "$3" ] || fail "$1: expected [$2], got [$3]"
    echo "ok - $1"
}
cleanup
for spec in "enc_euc_cn EUC_CN" "enc_sql_ascii SQL_ASCII" "enc_latin1 LATIN1"; do
    set -- $spec
    psql -d postgres -c "CREATE DATABASE $1 TEMPLATE template0 ENCODING '$2' LOCALE 'C'"
done

# One database's story: install, a unit, a subject and a case closed with a
# reason, then the types' input and output and a refusal.
exercise() {  # db
    psql -d "$1" <<'SQL'
CREATE EXTENSION pg_accountability;
INSERT INTO accountability.units (code, name, level) VALUES ('33', '浙江省', 'province');
INSERT INTO accountability.subjects (kind, name, unit_id) VALUES ('person', '张三', 1);
INSERT INTO accountability.cases (kind, subject_id, unit_id) VALUES ('report', 1, 1);
UPDATE accountability.cases SET status = 'closed', closing_reason = '不属于受理范围';
SQL
}
# The SQLSTATE, message detail of a statement that must fail.
refusal() {  # db sql
    psql -d "$1" -c "DO \$\$
        DECLARE state text; detail text;
        BEGIN
            EXECUTE \$q\$ $2 \$q\$;
            RAISE NOTICE 'accepted';
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, detail = PG_EXCEPTION_DETAIL;
            RAISE NOTICE '%|%', state, detail;
        END \$\$" 2>&1 | sed -n 's/^NOTICE:  //p'
}

# ---------------------------------------------------------------- EUC_CN
exercise enc_euc_cn
expect "EUC_CN: a Chinese label reads as its value" "received" \
    "$(psql -d enc_euc_cn -c "SELECT '受理'::accountability.case_status")"
expect "EUC_CN: language zh writes the Chinese label (UTF8 client)" "办结|免予问责" \
    "$(psql -d enc_euc_cn -c "SET accountability.language = 'zh'" \
        -c "SELECT status, 'exempted'::accountability.tolerance_outcome FROM accountability.cases")"
expect "EUC_CN: the same through an EUC_CN client" "$(printf '办结' | iconv -f UTF-8 -t GB2312)" \
    "$(CLIENT=EUC_CN psql -d enc_euc_cn -c "SET accountability.language = 'zh'" -c "SELECT status FROM accountability.cases")"
expect "EUC_CN: label() in Chinese" "纠错" \
    "$(psql -d enc_euc_cn -c "SELECT accountability.label('correcting'::accountability.case_status, 'zh')")"
expect "EUC_CN: bad input is 22P02, the labels listed" \
    "22P02|Valid values are not_tolerable (不予容错), lighter (从轻问责), reduced (减轻问责), exempted (免予问责), not_accountable (不予问责)." \
    "$(refusal enc_euc_cn "SELECT 'bogus'::accountability.tolerance_outcome")"
expect "EUC_CN: a refusal with a Chinese gloss keeps its SQLSTATE" "55000|A closed case (办结) is final." \
    "$(refusal enc_euc_cn "UPDATE accountability.cases SET closing_reason = 'x'")"
expect "EUC_CN: the extension's Chinese comment converted" "t" \
    "$(psql -d enc_euc_cn -c "SELECT obj_description(oid, 'pg_extension') LIKE '%容错纠错%' FROM pg_extension WHERE extname = 'pg_accountability'")"
# The ledger hashes UTF-8 whatever the server encoding (README "The
# ledger"): an export made through a UTF8 client verifies offline, as
# verify_ledger() finds the ledger intact (attack round 9: the hashes were
# over the server's EUC_CN bytes, and every Chinese entry failed offline).
VERIFY="$BINDIR/pg_accountability_verify"
SCRATCH=$(mktemp -d)
chmod 777 "$SCRATCH"
psql -d enc_euc_cn -c "SELECT accountability.ledger_digest()" >"$SCRATCH/digest.json"
psql -d enc_euc_cn <<SQL
\copy (SELECT block_no, entries, entry_count, first_entry_no, last_entry_no, merkle_root, prev_hash, block_hash FROM accountability.ledger_blocks ORDER BY block_no) TO '$SCRATCH/blocks.tsv'
\copy (SELECT entry_no, table_name, operation, row_key, row_image, entry_hash FROM accountability.ledger_entries ORDER BY entry_no) TO '$SCRATCH/entries.tsv'
\copy (SELECT table_name, row_key, row_image FROM accountability.ledger_rows()) TO '$SCRATCH/rows.tsv'
SQL
expect "EUC_CN: verify_ledger() finds the ledger intact" "0" \
    "$(psql -d enc_euc_cn -c "SELECT count(*) FROM accountability.verify_ledger('$(cat "$SCRATCH/digest.json")')")"
expect "EUC_CN: the export holds the Chinese text in UTF-8" "1" \
    "$(grep -q '不属于受理范围' "$SCRATCH/entries.tsv" && echo 1 || echo 0)"
rc=0
"$VERIFY" --blocks "$SCRATCH/blocks.tsv" --entries "$SCRATCH/entries.tsv" --rows "$SCRATCH/rows.tsv" \
    "$SCRATCH/digest.json" >"$SCRATCH/offline.txt" 2>&1 || rc=$?
expect "EUC_CN: the offline verifier agrees on a UTF-8 export (exit 0)" "0" "$rc"
rm -rf "$SCRATCH"

# ---------------------------------------------------------------- SQL_ASCII
exercise enc_sql_ascii
expect "SQL_ASCII: a Chinese label reads as its value" "investigating" \
    "$(psql -d enc_sql_ascii -c "SELECT '核查'::accountability.case_status")"
expect "SQL_ASCII: language zh writes the label's bytes" "办结" \
    "$(psql -d enc_sql_ascii -c "SET accountability.language = 'zh'" -c "SELECT status FROM accountability.cases")"
expect "SQL_ASCII: bad input is 22P02" "22P02" \
    "$(refusal enc_sql_ascii "SELECT 'nope'::accountability.case_status" | cut -d'|' -f1)"

# ---------------------------------------------------------------- LATIN1
out=$(psql -d enc_latin1 -c "CREATE EXTENSION pg_accountability" 2>&1 || true)
case $out in
    *'has no equivalent in encoding "LATIN1"'*) echo "ok - LATIN1: CREATE EXTENSION refused up front: ${out%%$'\n'*}" ;;
    *) fail "LATIN1: expected a refusal naming the encoding, got [$out]" ;;
esac
expect "LATIN1: nothing was left behind" "0" \
    "$(psql -d enc_latin1 -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'accountability'")"
echo "encodings: ok (EUC_CN, SQL_ASCII installed and exercised; LATIN1 refused cleanly)"
