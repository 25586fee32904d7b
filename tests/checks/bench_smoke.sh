#!/usr/bin/env bash
#
# tests/checks/bench_smoke.sh — every step of `make bench` still runs.
#
# tests/bench/bench.sh with BENCH_SIZE=tiny: every tests/bench/[0-9]*.sql
# file on a few rows (a few hundred cases, one province-year, 20 pgbench
# transactions per client), with the same data checks the full run makes
# (histories that verify, pgbench transactions that each moved a case, the
# same report before and after the archive grows).  A rule that makes a
# bench step fail (closing a case now needs a resolved follow-up visit, for
# one) fails here, not in the next `make bench`.  Then every figure of the
# full run is there, each with a number and a target (or marked as
# context).  No timing is asserted: at this size the figures mean nothing.
#
# Then `make bench-scale`'s script (tests/bench/scale.sh) with
# SCALE_SIZE=tiny: the national generator's mode on one province-year, the
# load loop with its digests, disk and report figures, both pgbench runs
# (each transaction checked to have moved its case), and verify_history()
# and verify_ledger() finding nothing; every figure printed.  About 25 s.

set -euo pipefail
: "${BINDIR:?BINDIR must point at the PostgreSQL binaries}"
: "${TOP:?TOP must be the source tree}"
: "${WORKDIR:?WORKDIR must be the cluster directory}"

# The server writes the bench's CSV files here.
BENCH_DIR="$WORKDIR/bench_smoke"
mkdir -p "$BENCH_DIR"
chmod 777 "$BENCH_DIR"
cleanup() {
    for db in bench bench_import bench_scale_small bench_scale_large national; do
        "$BINDIR/psql" -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    done
    rm -rf "$BENCH_DIR"
}
trap cleanup EXIT

out="$BENCH_DIR/bench.out"
status=0
BENCH_SIZE=tiny BENCH_DIR="$BENCH_DIR" BINDIR="$BINDIR" TOP="$TOP" \
    bash "$TOP/tests/bench/bench.sh" >"$out" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
    cat "$out"
    echo "bench_smoke: a bench step failed at the tiny size (output above)" >&2
    exit 1
fi

# Every figure the full run prints, each measured and with its target.
problems=$("$BINDIR/psql" -X -At -v ON_ERROR_STOP=1 -d bench <<'SQL'
WITH expected (section, n) AS (
    VALUES ('types', 3), ('assess', 1), ('workflow', 4), ('reports', 7), ('scaling', 14), ('ledger', 4)),
problems (problem) AS (
    SELECT format('section %s has %s figures, expected %s', e.section, count(r.id), e.n)
    FROM expected e LEFT JOIN bench.results r USING (section)
    GROUP BY e.section, e.n HAVING count(r.id) <> e.n
    UNION ALL
    SELECT format('unexpected section %s', r.section) FROM bench.results r
    WHERE r.section NOT IN (SELECT section FROM expected)
    UNION ALL
    SELECT format('%s / %s has no measurement', section, figure) FROM bench.results
    WHERE candidate_ms IS NULL OR candidate_ms < 0
    UNION ALL
    SELECT format('%s / %s has a target but no ratio or result', section, figure) FROM bench.results
    WHERE baseline_ms IS NOT NULL AND target IS NOT NULL AND baseline_ms > 0 AND (ratio IS NULL OR met IS NULL)
    UNION ALL
    -- a figure without a target is context: only the pages read per call
    SELECT format('%s / %s has a baseline but no target', section, figure) FROM bench.results
    WHERE baseline_ms IS NOT NULL AND target IS NULL
      AND figure NOT LIKE '%pages read per call%' AND figure NOT LIKE '%the report figures'' trigger%')
SELECT problem FROM problems
SQL
)
if [ -n "$problems" ]; then
    cat "$out"
    printf 'bench_smoke: %s\n' "$problems" >&2
    exit 1
fi
figures=$("$BINDIR/psql" -X -At -d bench -c "SELECT count(*) FROM bench.results")
grep -q "^($figures rows)\$" "$out" || { cat "$out"; echo "bench_smoke: the printed table is not the $figures figures" >&2; exit 1; }
echo "bench_smoke: every bench step ran at the tiny size; $figures figures printed, each with its target or as context (pages per call, the report figures' share)"

# bench-scale at the tiny size: every step, every figure.
scale_out="$BENCH_DIR/scale.out"
status=0
SCALE_SIZE=tiny BENCH_DIR="$BENCH_DIR" BINDIR="$BINDIR" TOP="$TOP" WORKDIR="$WORKDIR" \
    bash "$TOP/tests/bench/scale.sh" >"$scale_out" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
    cat "$scale_out"
    echo "bench_smoke: a bench-scale step failed at the tiny size (output above)" >&2
    exit 1
fi
scale_figures=$("$BINDIR/psql" -X -At -d national -c "SELECT count(*) FROM bench.scale_figures")
if [ "$scale_figures" != 23 ] || ! grep -q "^(23 rows)\$" "$scale_out"; then
    cat "$scale_out"
    echo "bench_smoke: bench-scale recorded $scale_figures figures, expected 23, all printed" >&2
    exit 1
fi
echo "bench_smoke: every bench-scale step ran at the tiny size; 23 figures printed"
