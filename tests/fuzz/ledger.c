/*
 * Harness: the ledger core (extension/core/sha256.c, ledger_format.c).
 *
 * The input is hashed whole and in up to four chunks cut where its first
 * bytes say; checked:
 *	- SHA-256 of the chunks, fed through update() one after another,
 *	  equals SHA-256 of the whole (the buffering is right at every length
 *	  and every boundary, which the known vectors of
 *	  tests/ledger_core/sha256_vectors.c cannot all reach);
 *	- an entry hash depends on where its fields are cut: moving one byte
 *	  from one field to the next changes the hash (length prefixes);
 *	- the Merkle root of the input read as 1..64 leaves reads exactly
 *	  count * 32 bytes (AddressSanitizer), is deterministic, and changes
 *	  when two different leaves trade places.
 */
#include "fuzz.h"
#include "ledger_core.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t    *copy = (uint8_t *) fuzz_copy(data, size);
	uint8_t		whole[LEDGER_SHA256_LEN],
				chunked[LEDGER_SHA256_LEN],
				a[LEDGER_SHA256_LEN],
				b[LEDGER_SHA256_LEN];
	LedgerSha256 ctx;
	size_t		cut[3],
				i,
				from = 0;

	ledger_sha256(copy, size, whole);
	for (i = 0; i < 3; i++)
		cut[i] = size > 0 ? (i < size ? (size_t) copy[i] * 7 % (size + 1) : size) : 0;
	/* sort the three cuts */
	for (i = 0; i < 3; i++)
	{
		size_t		j;

		for (j = i + 1; j < 3; j++)
			if (cut[j] < cut[i])
			{
				size_t		t = cut[i];

				cut[i] = cut[j];
				cut[j] = t;
			}
	}
	ledger_sha256_init(&ctx);
	for (i = 0; i < 3; i++)
	{
		ledger_sha256_update(&ctx, copy + from, cut[i] - from);
		from = cut[i];
	}
	ledger_sha256_update(&ctx, copy + from, size - from);
	ledger_sha256_final(&ctx, chunked);
	FUZZ_CHECK(memcmp(whole, chunked, LEDGER_SHA256_LEN) == 0);

	/* the input split into table and operation at cut[0], then at cut[0] + 1 */
	if (size >= 2 && cut[0] < size)
	{
		LedgerEntry e = {0};

		e.entry_no = (int64_t) size;
		e.table_name = (const char *) copy;
		e.table_name_len = cut[0];
		e.operation = (const char *) copy + cut[0];
		e.operation_len = size - cut[0];
		e.row_key = "";
		e.row_image = "";
		ledger_entry_hash(&e, a);
		e.table_name_len = cut[0] + 1;
		e.operation = (const char *) copy + cut[0] + 1;
		e.operation_len = size - cut[0] - 1;
		ledger_entry_hash(&e, b);
		FUZZ_CHECK(memcmp(a, b, LEDGER_SHA256_LEN) != 0);
	}

	/* the input as leaves */
	if (size >= LEDGER_SHA256_LEN)
	{
		size_t		count = size / LEDGER_SHA256_LEN;
		uint8_t    *leaves;
		uint8_t    *work;

		if (count > 64)
			count = 64;
		leaves = (uint8_t *) fuzz_copy(copy, count * LEDGER_SHA256_LEN);
		work = (uint8_t *) malloc(count * LEDGER_SHA256_LEN);
		FUZZ_CHECK(work != NULL);
		FUZZ_CHECK(ledger_merkle_root(leaves, count, work, a) == 0);
		FUZZ_CHECK(ledger_merkle_root(leaves, count, work, b) == 0);
		FUZZ_CHECK(memcmp(a, b, LEDGER_SHA256_LEN) == 0);
		if (count >= 2 && memcmp(leaves, leaves + LEDGER_SHA256_LEN, LEDGER_SHA256_LEN) != 0)
		{
			uint8_t		t[LEDGER_SHA256_LEN];

			memcpy(t, leaves, LEDGER_SHA256_LEN);
			memcpy(leaves, leaves + LEDGER_SHA256_LEN, LEDGER_SHA256_LEN);
			memcpy(leaves + LEDGER_SHA256_LEN, t, LEDGER_SHA256_LEN);
			FUZZ_CHECK(ledger_merkle_root(leaves, count, work, b) == 0);
			FUZZ_CHECK(memcmp(a, b, LEDGER_SHA256_LEN) != 0);
		}
		free(leaves);
		free(work);
	}
	FUZZ_CHECK(ledger_merkle_root(copy, 0, NULL, a) == -1);
	free(copy);
	return 0;
}
