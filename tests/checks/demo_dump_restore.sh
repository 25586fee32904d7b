#!/usr/bin/env bash
# The full province-year demo, dumped with pg_dump -Fc and restored with
# pg_restore into a fresh database: every extension table identical, the
# history verifies, the settings and lists are kept, the annual report is
# the same, and no trigger was tripped (pg_restore --exit-on-error).
set -euo pipefail
. "$TOP/tests/checks/lib/clusters.sh"
psql() { "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
SCRATCH=$(mktemp -d)
cleanup() {
    for db in demo_dump_src demo_dump_dst; do
        "$BINDIR/psql" -X -q -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    done
    rm -rf "$SCRATCH"
}
trap cleanup EXIT

psql -c "CREATE DATABASE demo_dump_src" >/dev/null
psql -d demo_dump_src -c "CREATE EXTENSION pg_accountability" >/dev/null
psql -d demo_dump_src -v seed=42 -v year=2025 -v subjects=100000 -v years=1 \
    -f "$TOP/tests/demo/generate.sql" >/dev/null
# the settings and lists a DBA changed are kept too
psql -d demo_dump_src -c "UPDATE accountability.settings SET value = 20 WHERE name = 'appeal'" >/dev/null

"$BINDIR/pg_dump" -Fc -f "$SCRATCH/demo.dump" demo_dump_src
psql -c "CREATE DATABASE demo_dump_dst" >/dev/null
"$BINDIR/pg_restore" --exit-on-error -d demo_dump_dst "$SCRATCH/demo.dump" 2>"$SCRATCH/restore.err" \
    || { cat "$SCRATCH/restore.err" >&2; echo "demo_dump_restore: pg_restore failed"; exit 1; }

table_digests -d demo_dump_src >"$SCRATCH/src.tables"
table_digests -d demo_dump_dst >"$SCRATCH/dst.tables"
diff "$SCRATCH/src.tables" "$SCRATCH/dst.tables" >&2 \
    || { echo "demo_dump_restore: the restored tables differ"; exit 1; }
annual_report -d demo_dump_src >"$SCRATCH/src.report"
annual_report -d demo_dump_dst >"$SCRATCH/dst.report"
diff "$SCRATCH/src.report" "$SCRATCH/dst.report" >&2 \
    || { echo "demo_dump_restore: the annual report differs"; exit 1; }
problems=$(psql -d demo_dump_dst -At -c "SELECT count(*) FROM accountability.verify_history()")
appeal=$(psql -d demo_dump_dst -At -c "SELECT value FROM accountability.settings WHERE name = 'appeal'")
lists=$(psql -d demo_dump_dst -At -c "SELECT count(*) FROM accountability.tolerance_list_items")
echo "demo restored with pg_restore: $(wc -l <"$SCRATCH/dst.tables") tables identical, annual report identical,"\
     "history problems: $problems, appeal = $appeal days, $lists list items"
[ "$problems" = 0 ] && [ "$appeal" = 20 ] && [ "$lists" = 44 ]
