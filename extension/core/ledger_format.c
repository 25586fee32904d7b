/*-------------------------------------------------------------------------
 *
 * ledger_format.c
 *	  Format version 1 of the ledger: the entry hash, the Merkle root of a
 *	  block, the block hash (README "The ledger format, byte by byte").
 *
 * Integers are 8 bytes big-endian; a string is its length (8 bytes
 * big-endian) then its bytes, so no two field sequences hash alike.
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "ledger_core.h"

/* Add a signed 64-bit integer, big-endian. */
static void
put_int64(const LedgerHashOps *ops, void *state, int64_t value)
{
	uint64_t	v = (uint64_t) value;
	uint8_t		bytes[8];
	int			i;

	for (i = 0; i < 8; i++)
		bytes[i] = (uint8_t) (v >> (56 - 8 * i));
	ops->update(state, bytes, 8);
}

/* Add a string: its length, then its bytes. */
static void
put_string(const LedgerHashOps *ops, void *state, const char *s, size_t len)
{
	put_int64(ops, state, (int64_t) len);
	if (len > 0)
		ops->update(state, s, len);
}

/*
 * SHA-256(tag "pg_accountability.ledger_entry.v1" NUL, entry_no, table,
 * operation, row key, row image), through the given implementation.  The
 * transaction id is bookkeeping for sealing and is not hashed, so a
 * restored ledger keeps its hashes.
 */
void
ledger_entry_hash_using(const LedgerHashOps *ops, void *state,
						const LedgerEntry *entry, uint8_t hash[LEDGER_SHA256_LEN])
{
	ops->init(state);
	ops->update(state, LEDGER_ENTRY_TAG, sizeof(LEDGER_ENTRY_TAG));
	put_int64(ops, state, entry->entry_no);
	put_string(ops, state, entry->table_name, entry->table_name_len);
	put_string(ops, state, entry->operation, entry->operation_len);
	put_string(ops, state, entry->row_key, entry->row_key_len);
	put_string(ops, state, entry->row_image, entry->row_image_len);
	ops->final(state, hash);
}

/* The pure C implementation, as LedgerHashOps. */
static void
pure_init(void *state)
{
	ledger_sha256_init((LedgerSha256 *) state);
}

static void
pure_update(void *state, const void *data, size_t len)
{
	ledger_sha256_update((LedgerSha256 *) state, data, len);
}

static void
pure_final(void *state, uint8_t digest[LEDGER_SHA256_LEN])
{
	ledger_sha256_final((LedgerSha256 *) state, digest);
}

static const LedgerHashOps pure_ops = {pure_init, pure_update, pure_final};

/* The entry hash with the pure C SHA-256 (the offline verifier's). */
void
ledger_entry_hash(const LedgerEntry *entry, uint8_t hash[LEDGER_SHA256_LEN])
{
	LedgerSha256 ctx;

	ledger_entry_hash_using(&pure_ops, &ctx, entry, hash);
}

/*
 * Pairs of nodes hash to SHA-256(0x01, left, right) level by level; an odd
 * last node goes up unchanged.  One leaf is its own root.
 */
int
ledger_merkle_root(const uint8_t *leaves, size_t count, uint8_t *work,
				   uint8_t root[LEDGER_SHA256_LEN])
{
	size_t		n = count;

	if (count == 0)
		return -1;
	memcpy(work, leaves, count * LEDGER_SHA256_LEN);
	while (n > 1)
	{
		size_t		i,
					out = 0;

		for (i = 0; i + 1 < n; i += 2)
		{
			LedgerSha256 ctx;
			uint8_t		prefix = LEDGER_NODE_PREFIX;
			uint8_t		node[LEDGER_SHA256_LEN];

			ledger_sha256_init(&ctx);
			ledger_sha256_update(&ctx, &prefix, 1);
			ledger_sha256_update(&ctx, work + i * LEDGER_SHA256_LEN, (size_t) 2 * LEDGER_SHA256_LEN);
			ledger_sha256_final(&ctx, node);
			memcpy(work + out * LEDGER_SHA256_LEN, node, LEDGER_SHA256_LEN);
			out++;
		}
		if (n % 2 == 1)
		{
			memmove(work + out * LEDGER_SHA256_LEN, work + (n - 1) * LEDGER_SHA256_LEN,
					LEDGER_SHA256_LEN);
			out++;
		}
		n = out;
	}
	memcpy(root, work, LEDGER_SHA256_LEN);
	return 0;
}

/*
 * SHA-256(tag "pg_accountability.ledger_block.v1" NUL, block_no, previous
 * block hash or 32 zero bytes, Merkle root, entry count, first and last
 * entry number).
 */
void
ledger_block_hash(int64_t block_no, const uint8_t *prev_hash,
				  const uint8_t merkle_root[LEDGER_SHA256_LEN],
				  int64_t entry_count, int64_t first_entry_no,
				  int64_t last_entry_no, uint8_t hash[LEDGER_SHA256_LEN])
{
	static const uint8_t zeros[LEDGER_SHA256_LEN] = {0};
	LedgerSha256 ctx;

	pure_init(&ctx);
	pure_update(&ctx, LEDGER_BLOCK_TAG, sizeof(LEDGER_BLOCK_TAG));
	put_int64(&pure_ops, &ctx, block_no);
	pure_update(&ctx, prev_hash ? prev_hash : zeros, LEDGER_SHA256_LEN);
	pure_update(&ctx, merkle_root, LEDGER_SHA256_LEN);
	put_int64(&pure_ops, &ctx, entry_count);
	put_int64(&pure_ops, &ctx, first_entry_no);
	put_int64(&pure_ops, &ctx, last_entry_no);
	pure_final(&ctx, hash);
}
