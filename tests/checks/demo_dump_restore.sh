#!/usr/bin/env bash
# The full province-year demo, dumped with pg_dump -Fc and restored with
# parallel pg_restore -j 4 into a fresh database, the way README
# "Backup and restore" says: every extension table identical, the history
# verifies, the settings and lists are kept, the annual report is the same.
#
# Then the failure path: a parallel restore that fails halfway (into a
# database whose subjects were already loaded) leaves rows behind; in
# restore mode TRUNCATE clears them (outside it the guards refuse), and the
# retry restores the same database.
set -euo pipefail
. "$TOP/tests/checks/lib/clusters.sh"
psql() { "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
SCRATCH=$(mktemp -d)
cleanup() {
    for db in demo_dump_src demo_dump_dst demo_dump_retry; do
        "$BINDIR/psql" -X -q -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    done
    rm -rf "$SCRATCH"
}
trap cleanup EXIT
fail() { echo "demo_dump_restore: FAIL: $*" >&2; exit 1; }

# The restoring session: restore mode (rows load as they are, with their
# numbers and history) and replica mode (pg_restore -j loads tables in
# parallel connections in any order, so the foreign keys are not checked
# row by row; the dump is consistent as a whole).
RESTORE_OPTIONS='-c accountability.restore=on -c session_replication_role=replica'
restore() {  # db [pg_restore options]
    local db=$1; shift
    PGOPTIONS=$RESTORE_OPTIONS "$BINDIR/pg_restore" --exit-on-error -j 4 -d "$db" "$@" "$SCRATCH/demo.dump"
}
compare() {  # db
    table_digests -d demo_dump_src >"$SCRATCH/src.tables"
    table_digests -d "$1" >"$SCRATCH/$1.tables"
    diff "$SCRATCH/src.tables" "$SCRATCH/$1.tables" >&2 || fail "$1: the restored tables differ"
    annual_report -d demo_dump_src >"$SCRATCH/src.report"
    annual_report -d "$1" >"$SCRATCH/$1.report"
    diff "$SCRATCH/src.report" "$SCRATCH/$1.report" >&2 || fail "$1: the annual report differs"
    problems=$(psql -d "$1" -At -c "SELECT count(*) FROM accountability.verify_history()")
    appeal=$(psql -d "$1" -At -c "SELECT value FROM accountability.settings WHERE name = 'appeal'")
    lists=$(psql -d "$1" -At -c "SELECT count(*) FROM accountability.tolerance_list_items")
    [ "$problems" = 0 ] && [ "$appeal" = 20 ] && [ "$lists" = 45 ] \
        || fail "$1: history problems $problems, appeal $appeal, list items $lists"
}

psql -c "CREATE DATABASE demo_dump_src" >/dev/null
psql -d demo_dump_src -c "CREATE EXTENSION pg_accountability" >/dev/null
psql -d demo_dump_src -v seed=42 -v year=2025 -v subjects=100000 -v years=1 \
    -f "$TOP/tests/demo/generate.sql" >/dev/null
# the settings and lists a DBA changed are kept too
psql -d demo_dump_src -c "UPDATE accountability.settings SET value = 20 WHERE name = 'appeal'" >/dev/null
"$BINDIR/pg_dump" -Fc -f "$SCRATCH/demo.dump" demo_dump_src

# ---------------------------------------------------------------- pg_restore -j 4
psql -c "CREATE DATABASE demo_dump_dst" >/dev/null
restore demo_dump_dst 2>"$SCRATCH/restore.err" || { cat "$SCRATCH/restore.err" >&2; fail "pg_restore -j 4 failed"; }
compare demo_dump_dst
echo "demo restored with pg_restore -j 4: $(wc -l <"$SCRATCH/src.tables") tables identical, annual report identical,"\
     "history problems: 0, appeal = 20 days, 45 list items"

# ---------------------------------------------------------------- a failed restore, cleared and retried
psql -c "CREATE DATABASE demo_dump_retry" >/dev/null
# the schema and the determinations first, so that the data load (one job,
# in pg_dump's order: units, subjects, cases, their history, ...) fails
# halfway, at the determinations, with the history already loaded
PGOPTIONS=$RESTORE_OPTIONS "$BINDIR/pg_restore" -d demo_dump_retry "$SCRATCH/demo.dump" \
    --section=pre-data 2>/dev/null
PGOPTIONS=$RESTORE_OPTIONS "$BINDIR/pg_restore" -d demo_dump_retry "$SCRATCH/demo.dump" \
    --data-only -t determinations 2>/dev/null
if PGOPTIONS=$RESTORE_OPTIONS "$BINDIR/pg_restore" --exit-on-error -d demo_dump_retry --data-only \
        "$SCRATCH/demo.dump" 2>"$SCRATCH/retry.err"; then
    fail "a restore over loaded rows did not fail"
fi
left=$(psql -d demo_dump_retry -At -c "SELECT count(*) FROM accountability.case_events")
[ "$left" -gt 0 ] || fail "the failed restore left no history rows: the scenario did not fail halfway"
# outside restore mode the leftovers are part of the permanent record
if psql -d demo_dump_retry -c "TRUNCATE accountability.case_events" 2>/dev/null; then
    fail "TRUNCATE of case_events was allowed outside restore mode"
fi
# in restore mode they can be cleared, table by table, for the retry
PGOPTIONS='-c accountability.restore=on -c client_min_messages=error' psql -d demo_dump_retry \
    -c "TRUNCATE accountability.units, accountability.subjects, accountability.cases, accountability.case_events,
                 accountability.determinations, accountability.correction_plans, accountability.clarifications,
                 accountability.follow_up_visits, accountability.early_warnings, accountability.demotions,
                 accountability.assessments, accountability.commendations, accountability.mentorships,
                 accountability.mentoring_sessions, accountability.trainings, accountability.promotions,
                 accountability.tolerance_list_items, accountability.role_units, accountability.subject_moves"
restore demo_dump_retry --data-only 2>"$SCRATCH/retry2.err" || { cat "$SCRATCH/retry2.err" >&2; fail "the retried restore failed"; }
restore demo_dump_retry --section=post-data 2>"$SCRATCH/retry3.err" || { cat "$SCRATCH/retry3.err" >&2; fail "post-data of the retry failed"; }
compare demo_dump_retry
echo "a restore that failed halfway left $left history rows; TRUNCATE refused them outside restore mode, cleared them in it;"\
     "the retry restored the same database"
