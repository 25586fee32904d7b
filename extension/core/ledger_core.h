/*-------------------------------------------------------------------------
 *
 * ledger_core.h
 *	  The pure core of the ledger (issue 15): SHA-256, and format version 1
 *	  of the ledger's entry hash, Merkle root and block hash.
 *
 * Plain C99 over caller-supplied memory, no PostgreSQL header: the same
 * code runs inside the server (extension/ledger/ledger.c) and in the
 * offline verifier (verifier/pg_accountability_verify.c), so an auditor's
 * recomputation and the database's can never disagree on the format.  The
 * byte layout is documented in the README ("The ledger format, byte by
 * byte"); a change is a new version with new domain tags, never an edit.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PG_ACCOUNTABILITY_LEDGER_CORE_H
#define PG_ACCOUNTABILITY_LEDGER_CORE_H

#include <stddef.h>
#include <stdint.h>

#define LEDGER_SHA256_LEN 32
#define LEDGER_FORMAT_VERSION 1

/* Domain tags of format 1, hashed with their terminating zero byte. */
#define LEDGER_ENTRY_TAG "pg_accountability.ledger_entry.v1"
#define LEDGER_BLOCK_TAG "pg_accountability.ledger_block.v1"
#define LEDGER_NODE_PREFIX 0x01

typedef struct LedgerSha256
{
	uint32_t	state[8];
	uint64_t	length;			/* bytes hashed so far */
	uint8_t		buffer[64];
	size_t		buffered;
} LedgerSha256;

extern void ledger_sha256_init(LedgerSha256 *ctx);
extern void ledger_sha256_update(LedgerSha256 *ctx, const void *data, size_t len);
extern void ledger_sha256_final(LedgerSha256 *ctx, uint8_t digest[LEDGER_SHA256_LEN]);
extern void ledger_sha256(const void *data, size_t len, uint8_t digest[LEDGER_SHA256_LEN]);

/* One recorded row, as the ledger hashes it (strings need not end in 0). */
typedef struct LedgerEntry
{
	int64_t		entry_no;
	const char *table_name;
	size_t		table_name_len;
	const char *operation;
	size_t		operation_len;
	const char *row_key;
	size_t		row_key_len;
	const char *row_image;
	size_t		row_image_len;
} LedgerEntry;

extern void ledger_entry_hash(const LedgerEntry *entry, uint8_t hash[LEDGER_SHA256_LEN]);

/*
 * The same entry hash through another SHA-256 implementation: the server
 * passes OpenSSL's (through pg_cryptohash, several times faster on the
 * write path), the offline verifier uses ledger_entry_hash() above.  The
 * byte layout is written once, here; state is the implementation's.
 */
typedef struct LedgerHashOps
{
	void		(*init) (void *state);
	void		(*update) (void *state, const void *data, size_t len);
	void		(*final) (void *state, uint8_t digest[LEDGER_SHA256_LEN]);
} LedgerHashOps;

extern void ledger_entry_hash_using(const LedgerHashOps *ops, void *state,
									const LedgerEntry *entry,
									uint8_t hash[LEDGER_SHA256_LEN]);

/*
 * The Merkle root of count leaves (count >= 1) laid end to end in leaves;
 * work must hold count * LEDGER_SHA256_LEN bytes and may alias nothing.
 * Returns 0, or -1 when count is 0.
 */
extern int	ledger_merkle_root(const uint8_t *leaves, size_t count, uint8_t *work,
							   uint8_t root[LEDGER_SHA256_LEN]);

/* The hash of a block; prev_hash NULL for block 1 (hashed as 32 zeros). */
extern void ledger_block_hash(int64_t block_no, const uint8_t *prev_hash,
							  const uint8_t merkle_root[LEDGER_SHA256_LEN],
							  int64_t entry_count, int64_t first_entry_no,
							  int64_t last_entry_no, uint8_t hash[LEDGER_SHA256_LEN]);

#endif							/* PG_ACCOUNTABILITY_LEDGER_CORE_H */
