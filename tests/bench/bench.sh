#!/usr/bin/env bash
#
# tests/bench/bench.sh — run by `make bench` inside the throwaway cluster
# (tests/harness.sh sets PGHOST/PGPORT, BINDIR, TOP, BENCH_DIR).
#
# Every tests/bench/[0-9]*.sql file is run in order in the database
# "bench".  Each measures its figures with bench.time_ms() and records
# them with bench.record(); the table printed at the end holds every
# figure of this one run, its ratio against its baseline and its target.
# Nothing here is a test: targets are reported as met or missed.  When a
# step fails, the figures recorded so far are printed before the error
# status is returned.
#
# BENCH_SIZE=tiny (tests/checks/bench_smoke.sh) runs every step on a few
# rows, so that `make test` proves each step still runs; its figures mean
# nothing.  BENCH_STEPS="50 60" runs only the steps it numbers (the figures
# of a step that changed, without the hour of the whole run).
set -euo pipefail

psql() { "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

size_vars=()
case ${BENCH_SIZE:-full} in
    full) ;;
    tiny)
        # rows: 10_types, 20_assess, 30_workflow (a multiple of 6: pgbench's
        # blocks); pgbench_transactions: per client and run; years: the
        # province-years of 40_reports; scale_*: 50_scaling's sizes;
        # ledger_bulk: 60_ledger's bulk transition
        size_vars=(-v rows=1200 -v pgbench_transactions=20 -v years=1
                   -v scale_years=2 -v scale_subjects=5000 -v scale_calls=5
                   -v ledger_bulk=300)
        ;;
    *) echo "bench.sh: BENCH_SIZE is full or tiny, not $BENCH_SIZE" >&2; exit 2 ;;
esac

print_results() {
    echo
    echo "pg_accountability benchmark ($(date -u +%Y-%m-%d), PostgreSQL $(psql -d bench -Atc 'SHOW server_version'), $(nproc) cores${BENCH_SIZE:+, size $BENCH_SIZE})"
    psql -d bench -P pager=off -c "
    SELECT section, figure, baseline,
           round(baseline_ms::numeric, CASE WHEN baseline_ms < 10 THEN 3 ELSE 1 END) AS baseline_ms,
           candidate, round(candidate_ms::numeric, CASE WHEN candidate_ms < 10 THEN 3 ELSE 1 END) AS candidate_ms,
           round(ratio::numeric, 3) AS ratio, coalesce(target, '(context)') AS target,
           CASE WHEN met THEN 'met' WHEN met IS NULL THEN '' ELSE 'MISSED' END AS result
    FROM bench.results ORDER BY id"
}

psql -c "CREATE DATABASE bench" >/dev/null
psql -d bench -f "$TOP/tests/bench/setup.sql" >/dev/null

for f in "$TOP"/tests/bench/[0-9]*.sql; do
    [ -e "$f" ] || continue
    # BENCH_STEPS="50 60" runs only the steps whose numbers it lists
    if [ -n "${BENCH_STEPS:-}" ] && [[ " $BENCH_STEPS " != *" $(basename "$f" | cut -d_ -f1) "* ]]; then
        continue
    fi
    echo "==> bench: $(basename "$f")" >&2
    # query results go to /dev/null; a file that wants to show something
    # (an EXPLAIN) switches output back with a bare \o
    if ! psql -d bench -v bench_dir="$BENCH_DIR" "${size_vars[@]}" -o /dev/null -f "$f"; then
        echo "bench: $(basename "$f") failed; the figures recorded before it:" >&2
        print_results
        exit 1
    fi
done

print_results
