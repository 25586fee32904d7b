#!/usr/bin/env bash
# The pure ledger core (issue 15): SHA-256 against the FIPS 180-4 / NIST
# vectors (empty, "abc", 448 and 896 bits, a million "a"), every split of
# a message across update() calls, and the Merkle root against its
# definition (tests/ledger_core/sha256_vectors.c), built with -Werror and
# no PostgreSQL header; then the installed offline verifier refuses bad
# input with exit status 2 and a usage line with status 2.
set -euo pipefail
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/ledger_core.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
cc -std=c99 -Wall -Wextra -Werror -O1 -I"$TOP/extension/core" -o "$SCRATCH/vectors" \
    "$TOP/tests/ledger_core/sha256_vectors.c" "$TOP/extension/core/sha256.c" "$TOP/extension/core/ledger_format.c"
"$SCRATCH/vectors" | tail -n 1
"$SCRATCH/vectors" >/dev/null

VERIFY="$BINDIR/pg_accountability_verify"
rc=0; "$VERIFY" >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || { echo "usage: exit $rc, want 2"; exit 1; }
printf 'x\ty\n' >"$SCRATCH/bad.tsv"
rc=0; "$VERIFY" --blocks "$SCRATCH/bad.tsv" --entries "$SCRATCH/bad.tsv" >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || { echo "bad input: exit $rc, want 2"; exit 1; }
: >"$SCRATCH/empty.tsv"
echo '{"format": 1, "block_no": 0, "block_hash": null}' >"$SCRATCH/d.json"
"$VERIFY" --blocks "$SCRATCH/empty.tsv" --entries "$SCRATCH/empty.tsv" "$SCRATCH/d.json"
echo '{"format": 1, "block_no": 3, "block_hash": "'"$(printf '%064d' 0)"'"}' >"$SCRATCH/d.json"
rc=0; "$VERIFY" --blocks "$SCRATCH/empty.tsv" --entries "$SCRATCH/empty.tsv" "$SCRATCH/d.json" || rc=$?
[ "$rc" = 1 ] || { echo "a digest beyond an empty ledger: exit $rc, want 1"; exit 1; }
echo "offline verifier: usage, bad input, empty ledger: as documented"
