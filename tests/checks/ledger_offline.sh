#!/usr/bin/env bash
# The offline verifier (issue 15, deliverable 5) agrees with verify_ledger():
# a generated province record is digested, then tampered with in the ways a
# superuser would, one at a time, each in a transaction rolled back after
# the ledger, its blocks and the live rows are exported with psql's \copy,
# exactly as the README shows.  For each, pg_accountability_verify (the
# installed program, no database) and verify_ledger() must agree on
# whether anything is wrong: both clean without tampering, both finding
# every tampering.
set -euo pipefail
psql() { PGOPTIONS='-c search_path=accountability,public' "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
DB=ledger_offline
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/ledger_offline.XXXXXX")
cleanup() {
    "$BINDIR/psql" -X -q -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
    rm -rf "$SCRATCH"
}
trap cleanup EXIT
VERIFY="$BINDIR/pg_accountability_verify"
[ -x "$VERIFY" ] || { echo "ledger_offline: $VERIFY is not installed"; exit 1; }

psql -c "CREATE DATABASE $DB" >/dev/null
psql -d $DB -c "CREATE EXTENSION pg_accountability" >/dev/null
psql -d $DB -v seed=7 -v year=2025 -v subjects=3000 -v years=1 -f "$TOP/tests/demo/generate.sql" >/dev/null
psql -d $DB -At -c "SELECT accountability.ledger_digest()" >"$SCRATCH/digest1.json"
# (Before the second digest, which then covers the pipeline's block: the
# scenarios below remove the last block, and a digest kept must name it.)
# A digest is handed out only by a transaction that commits (attack rounds
# 17 and 18: one from a transaction that rolled back named a block that
# never existed, and the next digest looked like a rewrite).  Refused: a
# transaction block, a string of several statements (one implicit
# transaction), a subtransaction, a CALL or DO (which may ROLLBACK), and
# the mode that allows the first when a database or a role stores it for
# everyone.
blocks=$(psql -d $DB -At -c "SELECT count(*) FROM accountability.ledger_blocks")
psql -d $DB -c "CREATE PROCEDURE public.ledger_offline_dig(INOUT d jsonb DEFAULT NULL) LANGUAGE plpgsql AS \$\$ BEGIN d := accountability.ledger_digest(); ROLLBACK; END \$\$" >/dev/null
psql -d $DB -c "ALTER DATABASE $DB SET accountability.digest_in_transaction = on" >/dev/null
refused() {  # refused SQL MESSAGE
    local out
    if out=$(psql -d $DB -At -c "$1" 2>&1) || ! grep -q "$2" <<<"$out"; then
        echo "ledger_offline: a digest was not refused ($2) in: $1: $out"
        exit 1
    fi
}
refused "BEGIN; SELECT accountability.ledger_digest(); ROLLBACK" "cannot run inside a transaction block"
refused "SELECT 1; SELECT accountability.ledger_digest()" "cannot run inside a transaction block"
refused "DO \$\$ BEGIN BEGIN PERFORM accountability.ledger_digest(); EXCEPTION WHEN division_by_zero THEN NULL; END; END \$\$" "cannot run inside a transaction block"
refused "DO \$\$ BEGIN RAISE NOTICE '%', accountability.ledger_digest(); ROLLBACK; END \$\$" "cannot run inside CALL or DO"
refused "CALL public.ledger_offline_dig()" "cannot run inside CALL or DO"
psql -d $DB -c "ALTER DATABASE $DB RESET accountability.digest_in_transaction" >/dev/null
psql -d $DB -c "ALTER ROLE CURRENT_USER IN DATABASE $DB SET accountability.digest_in_transaction = on" >/dev/null
refused "BEGIN; SELECT accountability.ledger_digest(); ROLLBACK" "cannot run inside a transaction block"
psql -d $DB -c "ALTER ROLE CURRENT_USER IN DATABASE $DB RESET accountability.digest_in_transaction" -c "DROP PROCEDURE public.ledger_offline_dig" >/dev/null
# The session's own mode, from the connection's options, is honoured.
PGOPTIONS='-c accountability.digest_in_transaction=on' "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -d $DB -At \
    -c "BEGIN" -c "SELECT accountability.ledger_digest() ? 'block_no'" -c "ROLLBACK" | grep -qx t ||
    { echo "ledger_offline: digest_in_transaction from the connection's options was not honoured"; exit 1; }
# The first statement of an extended-protocol pipeline is no transaction
# block yet: the digest commits as soon as it ends, so the statement after
# it, failing, cannot roll its block back.
psql -d $DB -c "UPDATE accountability.units SET name = name WHERE unit_id = (SELECT min(unit_id) FROM accountability.units)" >/dev/null
printf '\\startpipeline\nSELECT accountability.ledger_digest();\nSELECT 1/0;\n\\endpipeline\n' >"$SCRATCH/pipeline.sql"
"$BINDIR/pgbench" -n -M extended -t 1 -f "$SCRATCH/pipeline.sql" $DB >"$SCRATCH/pipeline.log" 2>&1 || true
grep -q "division by zero" "$SCRATCH/pipeline.log" ||
    { echo "ledger_offline: the pipeline did not run as meant: $(tail -n 3 "$SCRATCH/pipeline.log")"; exit 1; }
[ "$(psql -d $DB -At -c "SELECT count(*) FROM accountability.ledger_blocks")" = "$((blocks + 1))" ] ||
    { echo "ledger_offline: the digest at the head of a pipeline was rolled back with the statement after it"; exit 1; }
echo "digest in a transaction block, a multi-statement string, a subtransaction, CALL, DO, a mode stored for a database or a role: refused; in a pipeline: committed first"
# more legitimate work after the digest, part of it sealed by a second one
psql -d $DB -c "UPDATE accountability.cases SET status = 'investigating' WHERE case_id IN (SELECT case_id FROM accountability.cases WHERE status = 'received' ORDER BY case_id LIMIT 20)" >/dev/null
psql -d $DB -At -c "SELECT accountability.ledger_digest()" >"$SCRATCH/digest2.json"
psql -d $DB -c "UPDATE accountability.cases SET status = 'investigating' WHERE case_id IN (SELECT case_id FROM accountability.cases WHERE status = 'received' ORDER BY case_id LIMIT 5)" >/dev/null
psql -d $DB -At -c "SELECT concat_ws(' ', (SELECT count(*) FROM accountability.ledger_entries), (SELECT count(*) FROM accountability.ledger_blocks))" |
    { read -r entries blocks; echo "ledger: $entries entries, $blocks blocks"; }


# Online and offline judge a digest alike, in the same words (attack round
# 18): each variant of the first digest, written as a person might edit it,
# gets the same step-1 problems from verify_ledger() and from the offline
# verifier (the guards' comparison and a newer major are the server's own).
psql -d $DB -At >/dev/null <<SQL
\copy (SELECT block_no, entries, entry_count, first_entry_no, last_entry_no, merkle_root, prev_hash, block_hash FROM accountability.ledger_blocks ORDER BY block_no) TO '$SCRATCH/blocks.tsv'
\copy (SELECT entry_no, table_name, operation, row_key, row_image, entry_hash FROM accountability.ledger_entries ORDER BY entry_no) TO '$SCRATCH/entries.tsv'
SQL
D1=$(cat "$SCRATCH/digest1.json")
hash=$(sed -n 's/.*"block_hash": "\([0-9a-f]*\)".*/\1/p' <<<"$D1")
count=$(sed -n 's/.*"entry_count": \([0-9]*\).*/\1/p' <<<"$D1")
variants=(
    "$D1"
    "${D1/\"block_no\"/\"block\\u005fno\"}"
    "${D1/\"format\": 1,/\"format\": 1.0e0,}"
    "${D1/\"format\": 1,/\"format\": 1e0,}"
    "${D1/\"block_hash\": \"$hash\"/\"block_hash\": \"${hash^^}\"}"
    "${D1/\"block_hash\": \"$hash\"/\"block_hash\": \"\\u0030${hash:1}\"}"
    "${D1/\"entry_count\": $count/\"entry_count\": $((count + 1))}"
    "${D1/\"entry_count\": $count/\"entry_count\": ${count}.0}"
    "${D1/\"taken_at\"/\"taken_atx\"}"
    "${D1/\"extension_version\": \"1.1\"/\"extension_version\": \"1.0\"}"
    "${D1%\}}, \"block_hash\": null}"
    "${D1%\}}, \"block_hash\": \"$hash\", \"format\": 2}"
    "[$D1, [$D1], \"x\", null]"
)
for v in "${variants[@]}"; do
    printf '%s\n' "$v" >"$SCRATCH/variant.json"
    # (on standard input: psql interpolates :'v' there, not in -c)
    online=$(psql -d $DB -At -v v="$v" <<'SQL'
SELECT problem FROM accountability.verify_ledger(:'v'::jsonb)
WHERE area = 'digest' AND problem NOT LIKE '%guards (columns%' AND problem NOT LIKE '%newer than%'
  AND problem NOT LIKE '%which no update leads%' ORDER BY 1
SQL
)
    offline=$({ "$VERIFY" --blocks "$SCRATCH/blocks.tsv" --entries "$SCRATCH/entries.tsv" "$SCRATCH/variant.json" || true; } |
        sed -n 's/^digest: \(digest [0-9]*:.*\)/\1/p' | LC_ALL=C sort)
    online=$(LC_ALL=C sort <<<"$online")
    if [ "$online" != "$offline" ]; then
        echo "ledger_offline: online and offline judge this digest differently: $v"
        echo "  online:  $online"
        echo "  offline: $offline"
        exit 1
    fi
done
echo "${#variants[@]} edited digests: verify_ledger() and the offline verifier name the same problems"

status=0
scenario() {  # scenario NAME SQL
    local name=$1 tamper=$2 online offline rc
    psql -d $DB -At >"$SCRATCH/online.txt" <<SQL
BEGIN;
$tamper;
\copy (SELECT block_no, entries, entry_count, first_entry_no, last_entry_no, merkle_root, prev_hash, block_hash FROM accountability.ledger_blocks ORDER BY block_no) TO '$SCRATCH/blocks.tsv'
\copy (SELECT entry_no, table_name, operation, row_key, row_image, entry_hash FROM accountability.ledger_entries ORDER BY entry_no) TO '$SCRATCH/entries.tsv'
\copy (SELECT table_name, row_key, row_image FROM accountability.ledger_rows()) TO '$SCRATCH/rows.tsv'
SELECT count(*) FROM accountability.verify_ledger(jsonb_build_array('$(cat "$SCRATCH/digest1.json")'::jsonb, '$(cat "$SCRATCH/digest2.json")'::jsonb))
 WHERE area <> 'history';
ROLLBACK;
SQL
    online=$(tail -n 1 "$SCRATCH/online.txt")
    rc=0
    "$VERIFY" --blocks "$SCRATCH/blocks.tsv" --entries "$SCRATCH/entries.tsv" --rows "$SCRATCH/rows.tsv" \
        "$SCRATCH/digest1.json" "$SCRATCH/digest2.json" >"$SCRATCH/offline.txt" || rc=$?
    offline=$(grep -vc ' problems\? in ' "$SCRATCH/offline.txt" || true)
    printf '%-34s verify_ledger: %3s  offline: %3s (exit %s)\n' "$name" "$online" "$offline" "$rc"
    if [ "$name" = clean ]; then
        [ "$online" = 0 ] && [ "$offline" = 0 ] && [ "$rc" = 0 ] || status=1
    else
        [ "$online" -gt 0 ] && [ "$offline" -gt 0 ] && [ "$rc" = 1 ] || status=1
    fi
}

E='ALTER TABLE accountability.ledger_entries DISABLE TRIGGER ALL'
B='ALTER TABLE accountability.ledger_blocks DISABLE TRIGGER ALL'
RESEAL="DO \$\$ DECLARE b record; prev bytea; root bytea; BEGIN
  UPDATE accountability.ledger_entries SET entry_hash = accountability.ledger_entry_hash(entry_no, table_name, operation, row_key, row_image);
  FOR b IN SELECT * FROM accountability.ledger_blocks ORDER BY block_no LOOP
    SELECT accountability.ledger_merkle_root(array_agg(e.entry_hash ORDER BY e.entry_no)) INTO root
      FROM accountability.ledger_entries e WHERE e.entry_no <@ b.entries;
    UPDATE accountability.ledger_blocks SET merkle_root = root, prev_hash = prev,
      block_hash = accountability.ledger_block_hash(block_no, prev, root, entry_count, first_entry_no, last_entry_no)
      WHERE block_no = b.block_no RETURNING block_hash INTO prev;
  END LOOP; END \$\$"

scenario clean "SELECT 1"
scenario "sealed entry edited" "$E; UPDATE accountability.ledger_entries SET row_image = row_image || '{\"status\": \"closed\"}' WHERE entry_no = 10"
scenario "sealed entry deleted" "$E; DELETE FROM accountability.ledger_entries WHERE entry_no = 10"
scenario "entries swapped" "$E; UPDATE accountability.ledger_entries SET entry_no = -entry_no WHERE entry_no IN (10, 11); UPDATE accountability.ledger_entries SET entry_no = CASE entry_no WHEN -10 THEN 11 ELSE 10 END WHERE entry_no IN (-10, -11)"
scenario "unsealed entry edited" "$E; UPDATE accountability.ledger_entries SET operation = 'insert' WHERE entry_no = (SELECT max(entry_no) FROM accountability.ledger_entries)"
scenario "last block removed" "$B; DELETE FROM accountability.ledger_blocks WHERE block_no = (SELECT max(block_no) FROM accountability.ledger_blocks)"
scenario "ledger rewritten and resealed" "$E; $B; UPDATE accountability.ledger_entries SET row_image = row_image || '{\"conclusion\": \"forged\"}' WHERE entry_no = 10; $RESEAL"
scenario "case row edited, triggers off" "ALTER TABLE accountability.cases DISABLE TRIGGER ALL; UPDATE accountability.cases SET conclusion = 'forged' WHERE case_id = 1"
scenario "determination outcome, replica" "ALTER TABLE accountability.determinations DISABLE TRIGGER ledger_00_replica_guard; ALTER TABLE accountability.determinations DISABLE TRIGGER determinations_05_write_model; SET LOCAL session_replication_role = replica; UPDATE accountability.determinations SET outcome = 'exempted' WHERE ctid = (SELECT min(ctid) FROM accountability.determinations)"
scenario "event deleted, triggers off" "ALTER TABLE accountability.case_events DISABLE TRIGGER ALL; DELETE FROM accountability.case_events WHERE ctid = (SELECT max(ctid) FROM accountability.case_events)"
scenario "row forged in restore mode" "SET LOCAL accountability.restore = on; INSERT INTO accountability.units (code, name, level, parent_id) VALUES ('forged', '伪造', 'city', 1)"
scenario "row and ledger rewritten, resealed" "ALTER TABLE accountability.subjects DISABLE TRIGGER ALL; UPDATE accountability.subjects SET name = '伪造' WHERE subject_id = 1; $E; $B; UPDATE accountability.ledger_entries e SET row_image = r.row_image FROM accountability.ledger_rows() r WHERE r.table_name = 'subjects' AND r.row_key = '[1]' AND e.table_name = 'subjects' AND e.row_key = '[1]'; $RESEAL"
# Attack round 7: a row written again as a second insert entry, hash right
# (no rule judged the change), and a demotion deleted (never deleted, by
# the write model both verifiers now share).
scenario "second insert of a determination" "ALTER TABLE accountability.determinations DISABLE TRIGGER ALL; UPDATE accountability.determinations SET deciding_body = 'forged' WHERE ctid = (SELECT min(ctid) FROM accountability.determinations); INSERT INTO accountability.ledger_entries SELECT n, pg_current_xact_id(), r.table_name, 'insert', r.row_key, r.row_image, accountability.ledger_entry_hash(n, r.table_name, 'insert', r.row_key, r.row_image) FROM accountability.ledger_rows() r, nextval('accountability.ledger_entry_no') n WHERE r.table_name = 'determinations' AND r.row_key = (SELECT format('[%s, %s]', case_id, determination_no) FROM accountability.determinations WHERE ctid = (SELECT min(ctid) FROM accountability.determinations))"
scenario "genesis entry numbered -1" "ALTER TABLE accountability.determinations DISABLE TRIGGER ALL; UPDATE accountability.determinations SET deciding_body = 'forged' WHERE ctid = (SELECT min(ctid) FROM accountability.determinations); INSERT INTO accountability.ledger_entries SELECT -1, pg_current_xact_id(), r.table_name, 'genesis', r.row_key, r.row_image, accountability.ledger_entry_hash(-1, r.table_name, 'genesis', r.row_key, r.row_image) FROM accountability.ledger_rows() r WHERE r.table_name = 'determinations' AND r.row_key = (SELECT format('[%s, %s]', case_id, determination_no) FROM accountability.determinations WHERE ctid = (SELECT min(ctid) FROM accountability.determinations)); SET LOCAL accountability.digest_in_transaction = on; SELECT accountability.ledger_digest()"
# a cadre's recorded move deleted with its guard off (attack round 9: the
# offline verifier let a deleted move pass)
scenario "recorded move deleted" "SELECT accountability.move_subject(s.subject_id, u.unit_id, '调任') FROM (SELECT subject_id, unit_id FROM accountability.subjects ORDER BY subject_id LIMIT 1) s, LATERAL (SELECT unit_id FROM accountability.units WHERE unit_id <> s.unit_id AND level IN ('county', 'township') ORDER BY unit_id LIMIT 1) u; ALTER TABLE accountability.subject_moves DISABLE TRIGGER subject_moves_no_update; DELETE FROM accountability.subject_moves"
scenario "demotion deleted in the ledger" "ALTER TABLE accountability.demotions DISABLE TRIGGER ALL; ALTER TABLE accountability.demotions ENABLE TRIGGER zz_ledger_delete; DELETE FROM accountability.demotions WHERE demotion_id = (SELECT min(demotion_id) FROM accountability.demotions)"

# bad_input LABEL BLOCKS ENTRIES MESSAGE: the verifier calls that export
# bad input (exit 2), naming MESSAGE, never a crash or a verdict.
bad_input() {
    local rc=0
    "$VERIFY" --blocks "$2" --entries "$3" >"$SCRATCH/bad.txt" 2>&1 || rc=$?
    if [ "$rc" = 2 ] && grep -q "$4" "$SCRATCH/bad.txt"; then
        printf '%-34s offline: bad input (exit %s)\n' "$1" "$rc"
    else
        printf '%-34s offline: exit %s, expected 2: %s\n' "$1" "$rc" "$(head -c 200 "$SCRATCH/bad.txt")"
        status=1
    fi
}

# A blocks export whose ranges overlap is bad input (exit 2), never a
# buffer overrun: the DBA writes the export the third party reads.
printf '1\t{[1,3),[1,3)}\t2\t1\t2\t%s\t\\N\t%s\n' "$(printf '\\\\x%064d' 0)" "$(printf '\\\\x%064d' 0)" >"$SCRATCH/overlap.tsv"
bad_input "blocks with overlapping ranges" "$SCRATCH/overlap.tsv" "$SCRATCH/entries.tsv" "cannot read the block"

# A malformed range in the blocks export is bad input (exit 2), never a
# crash or a half-read range (attack round 17: a range without its ")" left
# the read position unset, and one such export crashed the verifier).
for range in '{[1,17]}' '{[1,17}' '{[ 1,17)}' '{[+1,17)}' '{[1,17),}' '{[1,99999999999999999999)}' '{[1,17)x}'; do
    awk -F'\t' -v OFS='\t' -v r="$range" 'NR == 1 { $2 = r } { print }' "$SCRATCH/blocks.tsv" >"$SCRATCH/range.tsv"
    bad_input "block range $range" "$SCRATCH/range.tsv" "$SCRATCH/entries.tsv" 'cannot read the block'
done

# An escaped NUL byte in an export (attack round 10): COPY never writes
# one, and text after it was hashed and compared by nobody, so a forged
# image behind it passed.  Bad input (exit 2), whichever escape spells it.
for nul in '\\000' '\\x00' '\\x0'; do
    awk -F'\t' -v OFS='\t' -v nul="$nul" 'NR == 1 { $5 = $5 nul "{\"outcome\": \"exempted\"}" } { print }' \
        "$SCRATCH/entries.tsv" >"$SCRATCH/nul.tsv"
    bad_input "an escaped NUL ($nul) in an entry" "$SCRATCH/blocks.tsv" "$SCRATCH/nul.tsv" 'no NUL byte'
done

# An empty digest file checks the ledger against nothing: a mistake, named
# and failed, as verify_ledger('[]') refuses it.
: >"$SCRATCH/empty.json"
rc=0
"$VERIFY" --blocks "$SCRATCH/blocks.tsv" --entries "$SCRATCH/entries.tsv" --rows "$SCRATCH/rows.tsv" \
    "$SCRATCH/empty.json" >"$SCRATCH/empty.txt" || rc=$?
if [ "$rc" = 1 ] && grep -q 'holds no digest' "$SCRATCH/empty.txt"; then
    printf '%-34s offline: refused (exit %s)\n' "empty digest file" "$rc"
else
    printf '%-34s offline: exit %s, not refused\n' "empty digest file" "$rc"
    status=1
fi

# A digest's block number written as a fraction or a string is no block
# number: both verifiers name it (the first digest, edited by hand).
for variant in fraction string; do
    case $variant in
        fraction) sed 's/"block_no": *\([0-9]*\)/"block_no": \1.0/' "$SCRATCH/digest1.json" ;;
        string) sed 's/"block_no": *\([0-9]*\)/"block_no": "\1"/' "$SCRATCH/digest1.json" ;;
    esac >"$SCRATCH/odd.json"
    rc=0
    "$VERIFY" --blocks "$SCRATCH/blocks.tsv" --entries "$SCRATCH/entries.tsv" --rows "$SCRATCH/rows.tsv" \
        "$SCRATCH/odd.json" >"$SCRATCH/odd.txt" || rc=$?
    online=$(psql -d $DB -At -c "SELECT count(*) FROM accountability.verify_ledger('$(cat "$SCRATCH/odd.json")'::jsonb) WHERE area = 'digest'")
    if [ "$rc" = 1 ] && grep -q 'not a block number' "$SCRATCH/odd.txt" && [ "$online" -ge 1 ]; then
        printf '%-34s verify_ledger: %3s  offline: named (exit %s)\n' "digest block_no as a $variant" "$online" "$rc"
    else
        printf '%-34s verify_ledger: %3s  offline: exit %s, not named: %s\n' "digest block_no as a $variant" "$online" "$rc" "$(head -c 200 "$SCRATCH/odd.txt")"
        status=1
    fi
done
exit $status
