#!/usr/bin/env bash
# The README's examples run as written (issue 16): Getting started, then
# "Giving a county its own login", in a fresh database, as a superuser.
# Getting started shows one refused move on purpose (the only error
# allowed); the county login then sees the county and its township.
set -euo pipefail
: "${TOP:?}" "${BINDIR:?}"
db=readme_examples
cleanup() {
    "$BINDIR/psql" -X -q -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    "$BINDIR/psql" -X -q -c "DROP ROLE IF EXISTS yuhang_clerk" >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup
"$BINDIR/psql" -X -q -c "CREATE DATABASE $db" >/dev/null
"$BINDIR/psql" -X -q -d $db -c "CREATE EXTENSION pg_accountability" >/dev/null

# the first ```sql block after a heading
block() {  # heading
    awk -v h="$1" '$0 == h {f = 1; next} f && /^```sql$/ {p = 1; next} p && /^```$/ {exit} p {print}' "$TOP/README.md"
}
getting_started=$(block "## Getting started")
county=$(block "### Giving a county its own login")
[ -n "$getting_started" ] && [ -n "$county" ] || { echo "readme_examples: a README block is missing"; exit 1; }

out=$(printf '%s\n%s\n' "$getting_started" "$county" | "$BINDIR/psql" -X -d $db 2>&1)
errors=$(grep -c '^ERROR:' <<<"$out" || true)
if [ "$errors" != 1 ] || ! grep -q 'cannot move from investigating to determined' <<<"$out"; then
    echo "$out"
    echo "readme_examples: FAIL: $errors errors (one expected: the refused move)"
    exit 1
fi
grep -q '^INSERT 0 0' <<<"$out" && { echo "$out"; echo "readme_examples: FAIL: an INSERT found nothing"; exit 1; }
units=$(grep -o '{[0-9,]*}' <<<"$out" | tail -n 1)
[ "$units" = "{3,4}" ] || { echo "$out"; echo "readme_examples: FAIL: the county login sees $units, not the county and its township {3,4}"; exit 1; }
echo "readme_examples: Getting started and the county login run as written (visible_units: $units)"
