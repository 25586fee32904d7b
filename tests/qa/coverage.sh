#!/usr/bin/env bash
#
# tests/qa/coverage.sh [LINES% BRANCHES%] — the report of make coverage:
# gcov line and branch coverage of each extension/*.c, read by gcovr from
# the .gcno/.gcda files beside the sources.  Exits non-zero when the total
# is under either target (default 95 and 85).
#
# Left out of the figures, and only these:
#   - regions marked GCOVR_EXCL_START/STOP or GCOVR_EXCL_LINE in the
#     source, each with its reason beside it: checks of conditions that
#     cannot happen through SQL (an SPI return code that only a wrong call
#     gives, SHA-256 failing to initialise, a jsonb type no stored value
#     has) and the pure cores' paths only the fuzz harnesses reach;
#   - the branches of ERROR-level ereport/elog sites: gcc compiles each
#     into a test of errstart_cold(), whose false side (the report is
#     skipped) cannot happen at ERROR and below no test can make it so.
#     The lines themselves count.
# The raw figures, with nothing left out, are printed too.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$TOP"
LINES_TARGET=${1:-95}
BRANCHES_TARGET=${2:-85}
OUT=$TOP/.build/coverage
mkdir -p "$OUT"

[ -n "$(find extension -name '*.gcda' -print -quit)" ] || { echo "coverage: no .gcda files in extension/ (run make coverage)" >&2; exit 1; }

gcovr --root "$TOP" --filter 'extension/' \
    --exclude-unreachable-branches \
    --exclude-branches-by-pattern '.*\b(ereport|elog)\((ERROR|FATAL|PANIC)\b.*' \
    --json-summary "$OUT/summary.json" \
    --html-details "$OUT/index.html" >/dev/null
# raw: no marker honoured (a prefix no source uses), no pattern
gcovr --root "$TOP" --filter 'extension/' --exclude-pattern-prefix 'NO_SUCH_MARKER' \
    --json-summary "$OUT/raw.json" >/dev/null

python3 - "$OUT/summary.json" "$OUT/raw.json" "$LINES_TARGET" "$BRANCHES_TARGET" <<'PY'
import json, sys
summary, raw = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
lines_target, branches_target = float(sys.argv[3]), float(sys.argv[4])
def pct(covered, total):
    return 100.0 * covered / total if total else 100.0
def row(name, f):
    return (f"{name:<30}{f['line_covered']:>6}/{f['line_total']:<6}{pct(f['line_covered'], f['line_total']):>6.1f}%"
            f"   {f['branch_covered']:>5}/{f['branch_total']:<5}{pct(f['branch_covered'], f['branch_total']):>6.1f}%")
print(f"{'file':<30}{'lines':>13}{'':>7}   {'branches':>11}")
for f in sorted(summary["files"], key=lambda f: f["filename"]):
    print(row(f["filename"], f))
print(row("total", summary))
print(row("total, raw (nothing excluded)", raw))
lines = pct(summary["line_covered"], summary["line_total"])
branches = pct(summary["branch_covered"], summary["branch_total"])
ok = lines >= lines_target and branches >= branches_target
print(f"coverage: lines {lines:.1f}% (target {lines_target:g}%), branches {branches:.1f}% "
      f"(target {branches_target:g}%): {'met' if ok else 'NOT MET'}; annotated source in .build/coverage/index.html")
sys.exit(0 if ok else 1)
PY
