#!/usr/bin/env bash
#
# tests/bench/bench.sh — run by `make bench` inside the throwaway cluster
# (tests/harness.sh sets PGHOST/PGPORT, BINDIR, TOP, BENCH_DIR).
#
# Every tests/bench/[0-9]*.sql file is run in order in the database
# "bench".  Each measures its figures with bench.time_ms() and records
# them with bench.record(); the table printed at the end holds every
# figure of this one run and its ratio against its baseline.  Nothing here
# is a test: targets are reported as met or missed.
set -euo pipefail

psql() { "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

psql -c "CREATE DATABASE bench" >/dev/null
psql -d bench -f "$TOP/tests/bench/setup.sql" >/dev/null

for f in "$TOP"/tests/bench/[0-9]*.sql; do
    [ -e "$f" ] || continue
    echo "==> bench: $(basename "$f")" >&2
    # query results go to /dev/null; a file that wants to show something
    # (an EXPLAIN) switches output back with a bare \o
    psql -d bench -v bench_dir="$BENCH_DIR" -o /dev/null -f "$f"
done

echo
echo "pg_accountability benchmark ($(date -u +%Y-%m-%d), PostgreSQL $(psql -d bench -Atc 'SHOW server_version'), $(nproc) cores)"
psql -d bench -P pager=off -c "
SELECT section, figure, baseline, round(baseline_ms::numeric, 1) AS baseline_ms,
       candidate, round(candidate_ms::numeric, 1) AS candidate_ms,
       round(ratio::numeric, 3) AS ratio, target,
       CASE WHEN met THEN 'met' WHEN met IS NULL THEN '' ELSE 'MISSED' END AS result
FROM bench.results ORDER BY id"
