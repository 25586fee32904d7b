#!/usr/bin/env bash
#
# tests/bench/scale.sh — national-scale capacity on one node (issue 17),
# run by `make bench-scale` inside the throwaway cluster (tests/harness.sh
# sets PGHOST/PGPORT, BINDIR, TOP, WORKDIR, BENCH_DIR).
#
# Builds a national history in the database "national" with the demo
# generator's national mode (tests/demo/generate.sql): the 31 provinces of
# mainland China, each shaped like the demo's Zhejiang with its own cadres,
# then year after year the demo's mix of cases in every province, through
# the extension's real paths (a loader without superuser rights; every
# trigger, the report figures, the ledger), until about SCALE_EVENTS case
# events.  Loader sessions (SCALE_WORKERS) share each year's provinces;
# after each year the statistics are refreshed and a ledger digest is taken
# and kept, as an administrator's daily jobs would.  Then it measures and
# prints:
#
#   bulk load rate (events/s, cases/s);
#   disk per million cases: the record's tables, their indexes, the ledger;
#   one year's annual_report for the whole country and for one province;
#   single-row transitions a second with 8 pgbench clients, each moving its
#     own cases (durable commits, then synchronous_commit = off);
#   ledger_digest(), verify_history() and verify_ledger() over everything.
#
# Parameters (environment):
#   SCALE_EVENTS      case events to load, about (default 50000000)
#   SCALE_PROVINCES   provinces, 1 to 31 (default 31)
#   SCALE_SUBJECTS    cadres and organizations a province (default 100000)
#   SCALE_WORKERS     loader sessions (default: the number of cores)
#   SCALE_PGBENCH_TRANSACTIONS  transactions a pgbench client and run (5000)
#   SCALE_SIZE=tiny   tests/checks/bench_smoke.sh: one province with few
#                     cadres, one year, a few pgbench transactions; its
#                     figures mean nothing, it proves every step still runs
#
# Before loading it estimates the disk the run needs (from the bytes an
# event measured at small scale) and refuses, saying why, when the
# filesystem of the cluster has not that much free.
set -euo pipefail

psql() { "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
say() { printf '==> bench-scale: %s\n' "$*" >&2; }
die() { printf 'bench-scale: %s\n' "$*" >&2; exit 1; }

SEED=42
YEAR=2025
EVENTS=${SCALE_EVENTS:-50000000}
PROVINCES=${SCALE_PROVINCES:-31}
SUBJECTS=${SCALE_SUBJECTS:-100000}
WORKERS=${SCALE_WORKERS:-$(nproc)}
PGBENCH_TRANSACTIONS=${SCALE_PGBENCH_TRANSACTIONS:-5000}
PGBENCH_CLIENTS=8
REPORT_RUNS=5
case ${SCALE_SIZE:-full} in
    full) ;;
    tiny) EVENTS=1 PROVINCES=1 SUBJECTS=2000 WORKERS=2 PGBENCH_TRANSACTIONS=20 REPORT_RUNS=1 ;;
    *) die "SCALE_SIZE is full or tiny, not $SCALE_SIZE" ;;
esac
for v in EVENTS PROVINCES SUBJECTS WORKERS PGBENCH_TRANSACTIONS; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "SCALE_$v must be a positive integer, not '${!v}'"
done
[ "$PROVINCES" -le 31 ] || die "SCALE_PROVINCES is at most 31 (the provinces of mainland China)"

# The demo's province-year makes 27,501 case events (7,678 cases); the
# years are as many as it takes, ending with $YEAR.
EVENTS_PER_PROVINCE_YEAR=27500
YEARS=$(( (EVENTS + PROVINCES * EVENTS_PER_PROVINCE_YEAR - 1) / (PROVINCES * EVENTS_PER_PROVINCE_YEAR) ))
FIRST_YEAR=$((YEAR - YEARS + 1))
[ "$FIRST_YEAR" -ge 1901 ] || die "SCALE_EVENTS=$EVENTS needs $YEARS years before $YEAR: the record's dates start in 1900; add provinces or load less"

# Disk, as measured at 5.1 M case events (README "National scale"), with
# a margin: the database takes BYTES_PER_EVENT a case event (measured
# 2,207: cases, events, their children, indexes, and the ledger's
# LEDGER_BYTES_PER_EVENT, measured 1,733), plus BYTES_PER_SUBJECT a cadre
# with its ledger entry (about 450 of it) and a fixed part for the units;
# at its peak verify_ledger() sorts the ledger in temporary files
# VERIFY_TEMP_PERCENT of the ledger's size (measured 172 when it sorted the
# images; since it sorts keys and hashes, 103 on 588,756 entries, not yet
# measured at this scale, so the margin stays); WAL takes up to
# max_wal_size.  Refuse what would not fit.
BYTES_PER_EVENT=2300
LEDGER_BYTES_PER_EVENT=1750
BYTES_PER_SUBJECT=700
FIXED_BYTES=$((1024 * 1024 * 1024))
VERIFY_TEMP_PERCENT=180
WAL_BYTES=$((8 * 1024 * 1024 * 1024))
db_bytes=$((EVENTS * BYTES_PER_EVENT + PROVINCES * SUBJECTS * BYTES_PER_SUBJECT + FIXED_BYTES))
temp_bytes=$(((EVENTS * LEDGER_BYTES_PER_EVENT + PROVINCES * SUBJECTS * 450) / 100 * VERIFY_TEMP_PERCENT))
need_bytes=$((db_bytes + temp_bytes + WAL_BYTES))
free_bytes=$(( $(df -Pk "$WORKDIR" | awk 'NR == 2 { print $4 }') * 1024 ))
gb() { awk -v b="$1" 'BEGIN { printf "%.1f GB", b / 1073741824 }'; }
if [ "${SCALE_SIZE:-full}" = full ] && [ "$need_bytes" -gt "$free_bytes" ]; then
    per_event=$((BYTES_PER_EVENT + LEDGER_BYTES_PER_EVENT * VERIFY_TEMP_PERCENT / 100))
    fits=$(( (free_bytes - need_bytes + EVENTS * per_event) / per_event ))
    die "SCALE_EVENTS=$EVENTS does not fit: it needs about $(gb "$need_bytes") ($(gb "$db_bytes") of database at $BYTES_PER_EVENT bytes a case event, $(gb "$temp_bytes") of temporary files for verify_ledger(), $(gb "$WAL_BYTES") of WAL) and $WORKDIR has $(gb "$free_bytes") free. About SCALE_EVENTS=$(( fits > 0 ? fits : 0 )) fits here."
fi

say "$PROVINCES province(s), $SUBJECTS cadres and organizations each, $YEARS year(s) $FIRST_YEAR-$YEAR: about $((YEARS * PROVINCES * EVENTS_PER_PROVINCE_YEAR)) case events; about $(gb "$need_bytes") of disk needed, $(gb "$free_bytes") free; $WORKERS loader sessions"

psql -c "CREATE DATABASE national" >/dev/null
psql -d national -f "$TOP/tests/bench/setup.sql" >/dev/null
psql -d national -f "$TOP/tests/bench/scale_setup.sql" >/dev/null

print_results() {
    echo
    echo "pg_accountability national scale ($(date -u +%Y-%m-%d), PostgreSQL $(psql -d national -Atc 'SHOW server_version'), $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GB RAM${SCALE_SIZE:+, size $SCALE_SIZE})"
    psql -d national -P pager=off -c "
    SELECT figure, to_char(value, CASE WHEN value = round(value) THEN 'FM999,999,999,990' ELSE 'FM999,999,999,990.0' END) AS value,
           unit, note
    FROM bench.scale_figures ORDER BY id"
}
fail() {
    echo "bench-scale: $*; the figures recorded before:" >&2
    print_results
    exit 1
}
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
record() {  # figure value unit note
    psql -d national -c "SELECT bench.scale_record(\$f\$$1\$f\$, $2, '$3', \$n\$$4\$n\$)" >/dev/null
}

# The loader sessions: each runs its share of the provinces given, one
# statement a province (STATEMENT, %s the province's code), as
# accountability_demo_loader (no superuser rights).  (Not for building
# provinces: every statement that adds units rebuilds unit_ancestors under
# a lock held to the end of its transaction, so two builders only wait for
# each other.)
run_shared() {  # what code...
    local what=$1 w p pids=() status=0
    shift
    local todo=("$@")
    for ((w = 0; w < WORKERS && w < ${#todo[@]}; w++)); do
        {
            echo "SET client_min_messages = warning;"
            echo "SET ROLE accountability_demo_loader;"
            for ((p = w; p < ${#todo[@]}; p += WORKERS)); do
                # shellcheck disable=SC2059
                printf "$STATEMENT\n" "${todo[p]}"
            done
        } | psql -d national -f - >"$BENCH_DIR/loader-$w.log" 2>&1 &
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p" || status=1; done
    if [ $status -ne 0 ]; then
        cat "$BENCH_DIR"/loader-*.log >&2
        fail "$what failed"
    fi
}

# ---- Build: the country's units and cadres ----
# The generator in national mode without years, then what an administrator
# does once after loading a unit tree: every statement that added units
# rewrote unit_ancestors whole (155 statements for 31 provinces), and the
# dead rows stay in the file; VACUUM FULL gives the space back, or every
# country-wide report reads it (1.5 s instead of 0.1 s, measured).
t0=$(date +%s.%N)
psql -d national -v seed=$SEED -v year=$YEAR -v subjects="$SUBJECTS" -v years=0 -v provinces="$PROVINCES" \
    -v per_cadre=off -f "$TOP/tests/demo/generate.sql" >"$BENCH_DIR/build.log" 2>&1 \
    || { cat "$BENCH_DIR/build.log" >&2; fail "building the provinces failed"; }
build_s=$(elapsed "$t0")
ancestors_before=$(psql -d national -Atc "SELECT pg_size_pretty(pg_total_relation_size('accountability.unit_ancestors'))")
t0=$(date +%s.%N)
psql -d national -c "VACUUM FULL accountability.unit_ancestors" -c "ANALYZE" -c "SELECT bench.scale_sizes_now('build')" >/dev/null
vacuum_s=$(elapsed "$t0")
say "built $PROVINCES provinces in $build_s s"
record "build: units and cadres of the provinces" "$build_s" s \
    "$(psql -d national -Atc "SELECT format('%s provinces, %s units, %s cadres and organizations', $PROVINCES, (SELECT count(*) FROM accountability.units), (SELECT count(*) FROM accountability.subjects))")"
record "build: VACUUM FULL of unit_ancestors, then ANALYZE" "$vacuum_s" s \
    "unit_ancestors from $ancestors_before to $(psql -d national -Atc "SELECT pg_size_pretty(pg_total_relation_size('accountability.unit_ancestors'))")"
mapfile -t codes < <(psql -d national -Atc "SELECT code FROM demo.provinces WHERE ord <= $PROVINCES ORDER BY ord")

# ---- Load: year after year, every province ----
wal0=$(psql -d national -Atc "SELECT pg_current_wal_lsn()")
t_load=$(date +%s.%N)
load_year() {  # year code...
    local y=$1
    shift
    STATEMENT="CALL demo.run_year($SEED, $y, $((YEAR - y)), '%s', false);"
    run_shared "loading $y" "$@"
}
for ((y = FIRST_YEAR; y <= YEAR; y++)); do
    t_year=$(date +%s.%N)
    if [ "$y" = "$FIRST_YEAR" ]; then
        # Statistics taken on empty tables make the planner choose plans
        # that take 40 s instead of 1 s for a province's promotions
        # (measures_in_effect): load one province-year alone first and
        # analyze, as autovacuum would soon do.
        load_year "$y" "${codes[0]}"
        psql -d national -c "ANALYZE" >/dev/null
        load_year "$y" "${codes[@]:1}"
    else
        load_year "$y" "${codes[@]}"
    fi
    # what autovacuum and the daily digest job would do
    psql -d national -c "ANALYZE" -c "SELECT bench.scale_digest()" >/dev/null
    read -r events cases db <<<"$(psql -d national -Atc "SELECT (SELECT count(*) FROM accountability.case_events), (SELECT count(*) FROM accountability.cases), pg_database_size(current_database())" | tr '|' ' ')"
    s=$(elapsed "$t_load")
    say "$y loaded in $(elapsed "$t_year") s: $events events, $cases cases, $(gb "$db"), $(awk -v e="$events" -v s="$s" 'BEGIN { printf "%.0f", e / s }') events/s so far"
done
load_s=$(elapsed "$t_load")
wal_bytes=$(psql -d national -Atc "SELECT pg_current_wal_lsn() - '$wal0'::pg_lsn")
digests_s=$(psql -d national -Atc "SELECT sum(seconds) FROM bench.scale_digests")
record "bulk load: case events a second" "$(awk -v e="$events" -v s="$load_s" 'BEGIN { printf "%.0f", e / s }')" "events/s" \
    "$events events: $PROVINCES province(s) x $YEARS year(s) in $load_s s, $WORKERS sessions (ANALYZE and a digest after each year included, digests $digests_s s)"
record "bulk load: cases a second" "$(awk -v c="$cases" -v s="$load_s" 'BEGIN { printf "%.0f", c / s }')" "cases/s" \
    "$cases cases, with their determinations, clarifications, visits and plans"
read -r last_entries last_s <<<"$(psql -d national -Atc "
    SELECT d.entries - coalesce(lag(d.entries) OVER (ORDER BY d.block_no), 0), d.seconds
    FROM bench.scale_digests d ORDER BY d.block_no DESC LIMIT 1" | tr '|' ' ')"
record "ledger_digest() after a year's load" "$(awk -v e="$last_entries" -v s="$last_s" 'BEGIN { printf "%.0f", e / s }')" "entries/s" \
    "the last year's $last_entries entries sealed in $last_s s"
record "bulk load: WAL a case event" "$(awk -v w="$wal_bytes" -v e="$events" 'BEGIN { printf "%.0f", w / e }')" "bytes" \
    "$(gb "$wal_bytes") of WAL for the load: what a standby or replica receives"

# ---- Disk and one year's report ----
say "VACUUM ANALYZE, as autovacuum would have by now"
t0=$(date +%s.%N)
psql -d national -c "VACUUM ANALYZE" >/dev/null
record "VACUUM ANALYZE of the whole database after the load" "$(elapsed "$t0")" s ""
say "disk and one year's annual_report"
psql -d national -v year=$YEAR -v report_runs=$REPORT_RUNS -o /dev/null -f "$TOP/tests/bench/scale_measure.sql" \
    || fail "measuring disk and reports failed"

# ---- Single-row transitions, 8 clients ----
# Each client of each run moves its own received cases (received ->
# investigating), each once: two runs, so 2 x 8 lists.
lists=$((2 * PGBENCH_CLIENTS))
psql -d national -c "SET search_path = public, accountability" -c "
    INSERT INTO bench.scale_queue (list, n, case_id)
    SELECT (k - 1) % $lists, (k - 1) / $lists + 1, case_id
    FROM (SELECT case_id, row_number() OVER (ORDER BY case_id) AS k
          FROM accountability.cases WHERE status = 'received') c
    WHERE k <= $lists * $PGBENCH_TRANSACTIONS" -c "ANALYZE bench.scale_queue" >/dev/null
# A small history has fewer received cases than the clients would move.
per_list=$(psql -d national -Atc "SELECT coalesce(min(n), 0) FROM (SELECT max(n) AS n FROM bench.scale_queue GROUP BY list) x")
if [ "$per_list" -lt "$PGBENCH_TRANSACTIONS" ]; then
    say "only $per_list received cases a pgbench client: $per_list transitions each, not $PGBENCH_TRANSACTIONS"
    PGBENCH_TRANSACTIONS=$per_list
fi
[ "$PGBENCH_TRANSACTIONS" -gt 0 ] || fail "no received case left for pgbench"
# A pgbench run: sets TPS.
pgbench_run() {  # run synchronous_commit
    local first=$(($1 * PGBENCH_CLIENTS)) last=$(($1 * PGBENCH_CLIENTS + PGBENCH_CLIENTS - 1)) n moved
    psql -d national -c CHECKPOINT >/dev/null
    PGOPTIONS="-c accountability.actor=bench-clerk -c synchronous_commit=$2" \
        "$BINDIR/pgbench" -n -M prepared -c $PGBENCH_CLIENTS -j $PGBENCH_CLIENTS -t "$PGBENCH_TRANSACTIONS" \
        -D run="$1" -D clients=$PGBENCH_CLIENTS -D n=0 -f "$TOP/tests/bench/scale_transition.pgbench" national \
        >"$BENCH_DIR/pgbench-$1.log" 2>&1 || { cat "$BENCH_DIR/pgbench-$1.log" >&2; fail "pgbench failed"; }
    TPS=$(awk '/^tps/ { t = $3 } END { printf "%.0f", t }' "$BENCH_DIR/pgbench-$1.log")
    n=$(awk '/actually processed/ { n = $NF; sub("/.*", "", n) } END { print n }' "$BENCH_DIR/pgbench-$1.log")
    # every transaction moved one case of its client's list and wrote its event
    moved=$(psql -d national -At -c "SET search_path = public, accountability" -c "
        SELECT count(*) FROM bench.scale_queue q
        JOIN accountability.cases c ON c.case_id = q.case_id AND c.status = 'investigating'
        JOIN accountability.case_events e ON e.case_id = q.case_id AND e.event_no = c.event_count
                                          AND e.to_status = 'investigating'
        WHERE q.list BETWEEN $first AND $last")
    [ "$n" = "$((PGBENCH_CLIENTS * PGBENCH_TRANSACTIONS))" ] && [ "$moved" = "$n" ] \
        || fail "pgbench run $1: $n transactions, $moved cases moved with their event"
}
say "pgbench: $PGBENCH_CLIENTS clients x $PGBENCH_TRANSACTIONS transitions, durable commits"
pgbench_run 0 on
tps_on=$TPS
say "pgbench: the same, synchronous_commit = off"
pgbench_run 1 off
tps_off=$TPS
record "single-row transitions, 8 clients, durable commits" "$tps_on" "transitions/s" \
    "pgbench, each client its own received cases -> investigating, one a transaction, $((PGBENCH_CLIENTS * PGBENCH_TRANSACTIONS)) in all"
record "single-row transitions, 8 clients, synchronous_commit = off" "$tps_off" "transitions/s" \
    "the same on other cases; a crash may lose the last moments of commits, never consistency"

# ---- Verification ----
say "ledger_digest(), verify_history(), verify_ledger() over everything"
# The peak of temporary files while they run (the sorts of verify_ledger),
# sampled every 2 s.
echo 0 >"$BENCH_DIR/tmp_peak"
( peak=0
  while sleep 2; do
      t=$(psql -d national -Atc "SELECT coalesce(sum(size), 0) FROM pg_ls_tmpdir()" 2>/dev/null) || break
      [ "${t:-0}" -gt "$peak" ] && peak=$t && echo "$peak" >"$BENCH_DIR/tmp_peak"
  done ) &
sampler=$!
status=0
psql -d national -o /dev/null -f "$TOP/tests/bench/scale_verify.sql" || status=$?
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
[ $status -eq 0 ] || fail "verification failed"
record "temporary files at the peak of the verification" "$(awk -v b="$(cat "$BENCH_DIR/tmp_peak")" 'BEGIN { printf "%.0f", b / 1048576 }')" MB \
    "sampled every 2 s; the ledger is $(psql -d national -Atc "SELECT pg_size_pretty(pg_total_relation_size('accountability.ledger_entries'))")"

print_results
