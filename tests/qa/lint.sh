#!/usr/bin/env bash
#
# tests/qa/lint.sh — static analysis of the C: cppcheck and clang-tidy over
# extension/*.c (with PostgreSQL's server headers) and the fuzz harnesses
# tests/fuzz/*.c (pure C).  Configuration is checked in: .clang-tidy (the
# checks, every warning an error) and tests/qa/cppcheck.supp.  Prints one
# line per tool and exits non-zero on any finding.  Needs cppcheck and
# clang-tidy-14 (make lint installs them).

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$TOP"
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
[ -x "$PG_CONFIG" ] || PG_CONFIG=$(command -v pg_config)
INC=$("$PG_CONFIG" --includedir-server)
CLANG_TIDY=${CLANG_TIDY:-clang-tidy-14}
OUT=$TOP/.build/lint
mkdir -p "$OUT"

sources=(extension/*.c extension/*/*.c)
harnesses=(tests/fuzz/*.c)
status=0

# cppcheck: one configuration (GCC on x86-64 Linux, the one we build), so
# the PostgreSQL headers' #ifdef forest does not multiply the run time.
if cppcheck --quiet -j2 --std=c99 --language=c \
        --enable=warning,style,performance,portability \
        --inline-suppr --suppressions-list=tests/qa/cppcheck.supp \
        --error-exitcode=1 -D__GNUC__=12 -D__x86_64__ -D__linux__ \
        -I extension -I "$INC" "${sources[@]}" >"$OUT/cppcheck.log" 2>&1 &&
   cppcheck --quiet --std=c99 --language=c \
        --enable=warning,style,performance,portability \
        --inline-suppr --error-exitcode=1 -DACCOUNTABILITY_CORE_ASSERTS \
        -I extension/core "${harnesses[@]}" >>"$OUT/cppcheck.log" 2>&1; then
    echo "lint cppcheck $(cppcheck --version | awk '{ print $2 }'): clean (${#sources[@]} extension files, ${#harnesses[@]} harnesses)"
else
    echo "lint cppcheck: FINDINGS"
    sed 's/^/    /' "$OUT/cppcheck.log"
    status=1
fi

# clang-tidy: the checks of .clang-tidy, warnings are errors.
if "$CLANG_TIDY" --quiet "${sources[@]}" -- -std=gnu99 -I extension -I "$INC" \
        >"$OUT/clang-tidy.log" 2>&1 &&
   "$CLANG_TIDY" --quiet "${harnesses[@]}" -- -std=gnu99 -I extension/core \
        -DACCOUNTABILITY_CORE_ASSERTS >>"$OUT/clang-tidy.log" 2>&1; then
    echo "lint clang-tidy $("$CLANG_TIDY" --version | awk '/version/ { print $NF; exit }'): clean (${#sources[@]} extension files, ${#harnesses[@]} harnesses)"
else
    echo "lint clang-tidy: FINDINGS"
    grep -A4 -E '(warning|error):' "$OUT/clang-tidy.log" | sed 's/^/    /'
    status=1
fi
exit $status
