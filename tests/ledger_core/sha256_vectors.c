/*
 * Unit test of the pure SHA-256 and ledger format core (extension/core/
 * sha256.c, ledger_format.c): the FIPS 180-4 / NIST example vectors, the
 * million-'a' vector, every split of a message across update() calls,
 * and the Merkle root against its definition.  Exit status 0 when all pass.
 */
#include <stdio.h>
#include <string.h>

#include "ledger_core.h"

static int	failures = 0;

static void
hex(const uint8_t *d, char *out)
{
	int			i;

	for (i = 0; i < LEDGER_SHA256_LEN; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void
expect(const char *name, const uint8_t *d, const char *want)
{
	char		got[2 * LEDGER_SHA256_LEN + 1];

	hex(d, got);
	if (strcmp(got, want) != 0)
	{
		printf("FAIL %s: %s, want %s\n", name, got, want);
		failures++;
	}
	else
		printf("ok %s\n", name);
}

int
main(void)
{
	uint8_t		d[LEDGER_SHA256_LEN],
				d2[LEDGER_SHA256_LEN];
	const char *msg = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	LedgerSha256 ctx;
	size_t		split;
	int			i;
	uint8_t		leaves[3 * LEDGER_SHA256_LEN],
				work[3 * LEDGER_SHA256_LEN],
				node[1 + 2 * LEDGER_SHA256_LEN],
				ab[LEDGER_SHA256_LEN],
				root[LEDGER_SHA256_LEN];
	static char million[1000000];

	ledger_sha256("", 0, d);
	expect("empty", d, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	ledger_sha256("abc", 3, d);
	expect("abc", d, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	ledger_sha256(msg, strlen(msg), d);
	expect("448 bits", d, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	ledger_sha256("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
				  112, d);
	expect("896 bits", d, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
	memset(million, 'a', sizeof(million));
	ledger_sha256(million, sizeof(million), d);
	expect("million a", d, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

	/* every split of the 448-bit message gives the same digest */
	ledger_sha256(msg, strlen(msg), d2);
	for (split = 0; split <= strlen(msg); split++)
	{
		ledger_sha256_init(&ctx);
		ledger_sha256_update(&ctx, msg, split);
		ledger_sha256_update(&ctx, msg + split, strlen(msg) - split);
		ledger_sha256_final(&ctx, d);
		if (memcmp(d, d2, sizeof(d)) != 0)
		{
			printf("FAIL split at %zu\n", split);
			failures++;
		}
	}

	/* Merkle root of three leaves: H(0x01, H(0x01, a, b), c) */
	for (i = 0; i < 3; i++)
		memset(leaves + i * LEDGER_SHA256_LEN, 'a' + i, LEDGER_SHA256_LEN);
	node[0] = LEDGER_NODE_PREFIX;
	memcpy(node + 1, leaves, 2 * LEDGER_SHA256_LEN);
	ledger_sha256(node, sizeof(node), ab);
	memcpy(node + 1, ab, LEDGER_SHA256_LEN);
	memcpy(node + 1 + LEDGER_SHA256_LEN, leaves + 2 * LEDGER_SHA256_LEN, LEDGER_SHA256_LEN);
	ledger_sha256(node, sizeof(node), d2);
	if (ledger_merkle_root(leaves, 3, work, root) != 0 || memcmp(root, d2, sizeof(root)) != 0)
	{
		printf("FAIL merkle root of three leaves\n");
		failures++;
	}
	else
		printf("ok merkle root of three leaves\n");
	if (ledger_merkle_root(leaves, 1, work, root) != 0 || memcmp(root, leaves, sizeof(root)) != 0)
	{
		printf("FAIL merkle root of one leaf\n");
		failures++;
	}
	if (ledger_merkle_root(leaves, 0, work, root) != -1)
	{
		printf("FAIL merkle root of no leaf\n");
		failures++;
	}
	printf("%d failures\n", failures);
	return failures == 0 ? 0 : 1;
}
