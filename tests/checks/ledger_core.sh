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
REST='"guards": {"sha256": "'"$(printf '%064d' 0)"'", "server_major": 15, "extension_version": "1.1"}, "taken_at": "2026-11-30T02:00:00.000000Z", "database": {"name": "x"}'
EMPTY='{"format": 1, "block_no": 0, "block_hash": null, "entry_no": 0, "entry_count": 0, '"$REST"'}'
echo "$EMPTY" >"$SCRATCH/d.json"
"$VERIFY" --blocks "$SCRATCH/empty.tsv" --entries "$SCRATCH/empty.tsv" "$SCRATCH/d.json"
# digests that are not what ledger_digest() writes: each a problem (exit 1),
# named as verify_ledger() names it (attack round 17: a nested array and a
# block 0 carrying a hash were read without a word)
digest_verdict() {  # digest_verdict EXIT MESSAGE DIGEST-FILE-TEXT
    local rc=0
    printf '%s\n' "$3" >"$SCRATCH/d.json"
    "$VERIFY" --blocks "$SCRATCH/empty.tsv" --entries "$SCRATCH/empty.tsv" "$SCRATCH/d.json" >"$SCRATCH/out.txt" 2>&1 || rc=$?
    [ "$rc" = "$1" ] && grep -q "$2" "$SCRATCH/out.txt" ||
        { echo "digest file $3: exit $rc, want $1 and '$2': $(cat "$SCRATCH/out.txt")"; exit 1; }
}
not_a_digest() { digest_verdict 1 "$2" "$1"; }  # not_a_digest DIGEST-FILE-TEXT MESSAGE
not_a_digest '{"format": 1, "block_no": 3, "block_hash": "'"$(printf '%064d' 0)"'", "entry_no": 9, "entry_count": 9, '"$REST"'}' 'block 3 is missing'
not_a_digest "[[$EMPTY]]" 'digest 1: an array, not a digest'
not_a_digest "[null, $EMPTY]" 'digest 1: a null, not a digest'
not_a_digest "$(printf '1234\n%s' "$EMPTY")" 'digest 1: a number, not a digest'
not_a_digest '{"format": 1, "block_no": 0, "block_hash": null, '"$REST"'}' 'entry_no and entry_count are not counts'
not_a_digest '{"format": 1, "block_no": 0, "block_hash": null, "entry_no": 0, "entry_count": 0}' 'guards is not the fingerprint'
not_a_digest '{"format": 1, "block_no": 0, "block_hash": null, "entry_no": 0, "entry_count": 0, "guards": {}, "taken_at": "x", "database": {}}' 'guards is not the fingerprint'
not_a_digest '{"format": 1, "block_no": 0, "block_hash": null, "entry_no": 0, "entry_count": 0, '"${REST/2026-11-30T/yesterday }"'}' 'taken_at or database is not'
not_a_digest '{"format": 1, "block_no": 0, "block_hash": "'"$(printf '%064d' 0)"'", "entry_no": 0, "entry_count": 0, '"$REST"'}' 'block 0 is the digest of an empty ledger'
not_a_digest '{"format": 1, "block_no": 0, "block_hash": true, "entry_no": 0, "entry_count": 0, '"$REST"'}' 'are not a block number and a SHA-256'
not_a_digest '{"format": 1, "block_no": 0, "entry_no": 0, "entry_count": 0, '"$REST"'}' 'are not a block number and a SHA-256'
# A file that is not JSON is bad input (exit 2), never read past: a lone
# "{" line in an append-only digest file hid every digest after it (attack
# round 18), and so did a stray "]" or a truncated last line.
not_json() { digest_verdict 2 "not a digest file" "$1"; }  # not_json DIGEST-FILE-TEXT
not_json "$(printf '%s\n{\n%s' "$EMPTY" "$EMPTY")"
not_json "$(printf '%s\n]\n%s' "$EMPTY" "$EMPTY")"
not_json "$(printf '%s\n{"format": 1, "block_no": 2, "block_h' "$EMPTY")"
not_json "[$EMPTY,]"
not_json "$(printf '%s\nfree text' "$EMPTY")"
echo "offline verifier: usage, bad input, empty ledger, digests that are not digests: as documented"
