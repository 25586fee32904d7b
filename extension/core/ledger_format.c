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
put_int64(LedgerSha256 *ctx, int64_t value)
{
	uint64_t	v = (uint64_t) value;
	uint8_t		bytes[8];
	int			i;

	for (i = 0; i < 8; i++)
		bytes[i] = (uint8_t) (v >> (56 - 8 * i));
	ledger_sha256_update(ctx, bytes, 8);
}

/* Add a string: its length, then its bytes. */
static void
put_string(LedgerSha256 *ctx, const char *s, size_t len)
{
	put_int64(ctx, (int64_t) len);
	if (len > 0)
		ledger_sha256_update(ctx, s, len);
}

/*
 * SHA-256(tag "pg_accountability.ledger_entry.v1" NUL, entry_no, table,
 * operation, row key, row image).  The transaction id is bookkeeping for
 * sealing and is not hashed, so a restored ledger keeps its hashes.
 */
void
ledger_entry_hash(const LedgerEntry *entry, uint8_t hash[LEDGER_SHA256_LEN])
{
	LedgerSha256 ctx;

	ledger_sha256_init(&ctx);
	ledger_sha256_update(&ctx, LEDGER_ENTRY_TAG, sizeof(LEDGER_ENTRY_TAG));
	put_int64(&ctx, entry->entry_no);
	put_string(&ctx, entry->table_name, entry->table_name_len);
	put_string(&ctx, entry->operation, entry->operation_len);
	put_string(&ctx, entry->row_key, entry->row_key_len);
	put_string(&ctx, entry->row_image, entry->row_image_len);
	ledger_sha256_final(&ctx, hash);
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

	ledger_sha256_init(&ctx);
	ledger_sha256_update(&ctx, LEDGER_BLOCK_TAG, sizeof(LEDGER_BLOCK_TAG));
	put_int64(&ctx, block_no);
	ledger_sha256_update(&ctx, prev_hash ? prev_hash : zeros, LEDGER_SHA256_LEN);
	ledger_sha256_update(&ctx, merkle_root, LEDGER_SHA256_LEN);
	put_int64(&ctx, entry_count);
	put_int64(&ctx, first_entry_no);
	put_int64(&ctx, last_entry_no);
	ledger_sha256_final(&ctx, hash);
}
