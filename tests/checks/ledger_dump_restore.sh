#!/usr/bin/env bash
# The ledger survives pg_dump and restore (issue 15): a province record is
# digested, more work is done (entries left unsealed, their transaction ids
# from this cluster's counter), then dumped (-Fc) and restored into a fresh
# database in restore mode, one job and four jobs (replica mode, as the
# README shows), and by another superuser (the auditor's own server: the
# guards' fingerprint names the extension's owner "owner", whoever it is;
# attack round 11).  The restored ledger is the original: verify_ledger()
# against the digest taken before the dump finds nothing, the next digest
# seals the restored unsealed entries and extends the first, and the
# workflow goes on writing entries.
set -euo pipefail
psql() { "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/ledger_dump.XXXXXX")
cleanup() {
    for db in ledger_dump_src ledger_dump_one ledger_dump_four ledger_dump_auditor; do
        "$BINDIR/psql" -X -q -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    done
    "$BINDIR/psql" -X -q -c "DROP ROLE IF EXISTS ledger_dump_auditor" >/dev/null 2>&1 || true
    rm -rf "$SCRATCH"
}
trap cleanup EXIT

psql -c "CREATE DATABASE ledger_dump_src" >/dev/null
psql -d ledger_dump_src -c "CREATE EXTENSION pg_accountability" >/dev/null
psql -d ledger_dump_src -v seed=11 -v year=2025 -v subjects=3000 -v years=1 -f "$TOP/tests/demo/generate.sql" >/dev/null
digest=$(psql -d ledger_dump_src -At -c "SELECT accountability.ledger_digest()")
psql -d ledger_dump_src -c "UPDATE accountability.cases SET status = 'investigating'
    WHERE case_id IN (SELECT case_id FROM accountability.cases WHERE status OPERATOR(accountability.=) 'received' ORDER BY case_id LIMIT 10)" >/dev/null
unsealed=$(psql -d ledger_dump_src -At -c "SELECT count(*) FROM accountability.ledger_entries e
    WHERE NOT EXISTS (SELECT 1 FROM accountability.ledger_blocks b WHERE e.entry_no <@ b.entries)")
"$BINDIR/pg_dump" -Fc -f "$SCRATCH/src.dump" ledger_dump_src

status=0
check() {  # check DB HOW
    local db=$1 how=$2 problems next more
    problems=$(psql -d "$db" -At -c "SELECT count(*) FROM accountability.verify_ledger('$digest')")
    next=$(psql -d "$db" -At -c "SELECT count(*) FROM accountability.verify_ledger(jsonb_build_array('$digest'::jsonb, accountability.ledger_digest()))")
    psql -d "$db" -c "UPDATE accountability.cases SET status = 'investigating'
        WHERE case_id IN (SELECT case_id FROM accountability.cases WHERE status OPERATOR(accountability.=) 'received' ORDER BY case_id LIMIT 3)" >/dev/null
    more=$(psql -d "$db" -At -c "SELECT count(*) FROM accountability.verify_ledger(jsonb_build_array('$digest'::jsonb, accountability.ledger_digest()))" \
                           -c "SELECT count(*) FROM accountability.ledger_entries e
                               WHERE NOT EXISTS (SELECT 1 FROM accountability.ledger_blocks b WHERE e.entry_no <@ b.entries)" | paste -sd/)
    echo "ledger_dump_restore: $how: problems against the pre-dump digest: $problems; after the next digest: $next; after more work and a digest (problems/unsealed): $more"
    [ "$problems" = 0 ] && [ "$next" = 0 ] && [ "$more" = 0/0 ] || status=1
}
psql -c "CREATE DATABASE ledger_dump_one" >/dev/null
PGOPTIONS='-c accountability.restore=on' "$BINDIR/pg_restore" --single-transaction --exit-on-error -d ledger_dump_one "$SCRATCH/src.dump"
check ledger_dump_one "pg_restore, one job"
psql -c "CREATE DATABASE ledger_dump_four" >/dev/null
PGOPTIONS='-c accountability.restore=on -c session_replication_role=replica' "$BINDIR/pg_restore" -j 4 --exit-on-error -d ledger_dump_four "$SCRATCH/src.dump"
check ledger_dump_four "pg_restore -j 4"
psql -c "CREATE ROLE ledger_dump_auditor SUPERUSER LOGIN" -c "CREATE DATABASE ledger_dump_auditor OWNER ledger_dump_auditor" >/dev/null
PGOPTIONS='-c accountability.restore=on' "$BINDIR/pg_restore" -U ledger_dump_auditor --no-owner --single-transaction --exit-on-error \
    -d ledger_dump_auditor "$SCRATCH/src.dump"
owner=$(psql -d ledger_dump_auditor -At -c "SELECT extowner::regrole FROM pg_extension WHERE extname = 'pg_accountability'")
check ledger_dump_auditor "pg_restore by another superuser (extension owned by $owner)"
[ "$owner" = ledger_dump_auditor ] || status=1
echo "ledger_dump_restore: $unsealed entries were unsealed at the dump"
exit $status
