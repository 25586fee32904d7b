#!/usr/bin/env bash
#
# tests/fuzz/run.sh [HARNESS...] — build the libFuzzer harnesses of the pure
# cores (extension/core/core.h) and run each for FUZZ_SECONDS (default 60).
#
#   case_status_text        codeset_parse over case_status
#   tolerance_outcome_text  codeset_parse over tolerance_outcome
#   binary_receive          codeset_check_binary, both types
#   facts                   tolerance_fact_from_key / tolerance_fact_set /
#                           tolerance_decide, through a key=value parser
#   transitions             the transition table with any int as a status
#   ledger                  SHA-256 and the ledger format (issue 15)
#
# Each harness is built with clang -fsanitize=fuzzer,address,undefined
# (UB is fatal), starts from its seed corpus tests/fuzz/corpus/<harness>/
# (never written to: new inputs go to .build/fuzz/corpus/<harness>/, fresh
# each run) and prints one line: runs, executions per second, and the
# coverage libFuzzer reached (cov: edges, ft: features).  Any finding (a
# crash, a sanitizer report, a failed invariant, a timeout) prints the
# report and the reproducer's path, and the script exits non-zero after
# running the rest.  Needs clang-14 and libclang-rt-14-dev (make fuzz
# installs them).

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_CC=${FUZZ_CC:-clang-14}
OUT=$TOP/.build/fuzz
ALL=(case_status_text tolerance_outcome_text binary_receive facts transitions ledger written)
CORE=(extension/core/codes.c extension/core/rules.c extension/core/transitions.c
      extension/core/sha256.c extension/core/ledger_format.c extension/core/written.c)

harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=("${ALL[@]}")

command -v "$FUZZ_CC" >/dev/null || { echo "fuzz: $FUZZ_CC not found (make fuzz installs it)" >&2; exit 1; }
mkdir -p "$OUT/findings"

# a smaller quarantine keeps each harness near 100 MB instead of 500
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=32}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

build() {
    local h=$1
    (cd "$TOP" && "$FUZZ_CC" -g -O1 -fsanitize=fuzzer,address,undefined \
        -fno-sanitize-recover=all -fno-omit-frame-pointer \
        -DACCOUNTABILITY_CORE_ASSERTS -Wall -Wextra -Werror -Iextension/core \
        -o "$OUT/$h" "tests/fuzz/$h.c" "${CORE[@]}")
}

# "#123 DONE cov: 108 ft: 423 corp: 206/7532b ..." -> the value after a label
field() {  # field LABEL LINE
    awk -v label="$1" '{ for (i = 1; i < NF; i++) if ($i == label) { print $(i + 1); exit } }' <<<"$2"
}

status=0
for h in "${harnesses[@]}"; do
    if [ ! -f "$TOP/tests/fuzz/$h.c" ]; then
        echo "fuzz $h: no such harness (have: ${ALL[*]})"
        status=1
        continue
    fi
    if ! build "$h"; then
        echo "fuzz $h: FAILED to build"
        status=1
        continue
    fi
    rm -rf "$OUT/corpus/$h"
    mkdir -p "$OUT/corpus/$h"
    rm -f "$OUT/findings/$h-"*
    rc=0
    "$OUT/$h" -max_total_time="$FUZZ_SECONDS" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$OUT/findings/$h-" \
        "$OUT/corpus/$h" "$TOP/tests/fuzz/corpus/$h" >"$OUT/$h.log" 2>&1 || rc=$?
    done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$OUT/$h.log" | tail -1 || true)
    runs=$(awk '/^stat::number_of_executed_units:/ { print $2 }' "$OUT/$h.log")
    rate=$(awk '/^stat::average_exec_per_sec:/ { print $2 }' "$OUT/$h.log")
    if [ "$rc" -eq 0 ] && [ -n "$done_line" ]; then
        printf 'fuzz %-22s ok: %s s, %s runs, %s exec/s, cov: %s ft: %s, corpus %s\n' \
            "$h" "$FUZZ_SECONDS" "${runs:-?}" "${rate:-?}" \
            "$(field cov: "$done_line")" "$(field ft: "$done_line")" \
            "$(field corp: "$done_line" | cut -d/ -f1)"
    else
        echo "fuzz $h: FINDING (libFuzzer exit $rc); the report:"
        grep -vE '^(#[0-9]+|INFO:|stat::|MERGE|Done [0-9]+ runs)' "$OUT/$h.log" | tail -40 | sed 's/^/    /'
        ls "$OUT/findings/$h-"* 2>/dev/null | sed 's/^/    reproducer: /' || true
        echo "    reproduce with: $OUT/$h <reproducer>"
        status=1
    fi
done
exit $status
