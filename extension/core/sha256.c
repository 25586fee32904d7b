/*-------------------------------------------------------------------------
 *
 * sha256.c
 *	  SHA-256 (FIPS 180-4) in plain C99, for the ledger.
 *
 * The offline verifier must recompute the ledger with no PostgreSQL and no
 * OpenSSL, so the hash is written here once, from the standard, and
 * checked against its published test vectors (tests/ledger_core/).
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "ledger_core.h"

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

/* Rotate right; n is always 1..31 here. */
static uint32_t
rotr(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

/* Process one 64-byte block into the state (FIPS 180-4 §6.2.2). */
static void
sha256_block(uint32_t state[8], const uint8_t block[64])
{
	uint32_t	w[64];
	uint32_t	a, b, c, d, e, f, g, h;
	size_t		i;

	for (i = 0; i < 16; i++)
		w[i] = ((uint32_t) block[i * 4] << 24) | ((uint32_t) block[i * 4 + 1] << 16) |
			((uint32_t) block[i * 4 + 2] << 8) | (uint32_t) block[i * 4 + 3];
	for (i = 16; i < 64; i++)
	{
		uint32_t	s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t	s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = state[0];
	b = state[1];
	c = state[2];
	d = state[3];
	e = state[4];
	f = state[5];
	g = state[6];
	h = state[7];
	for (i = 0; i < 64; i++)
	{
		uint32_t	s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
		uint32_t	ch = (e & f) ^ (~e & g);
		uint32_t	t1 = h + s1 + ch + sha256_k[i] + w[i];
		uint32_t	s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
		uint32_t	maj = (a & b) ^ (a & c) ^ (b & c);
		uint32_t	t2 = s0 + maj;

		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	state[0] += a;
	state[1] += b;
	state[2] += c;
	state[3] += d;
	state[4] += e;
	state[5] += f;
	state[6] += g;
	state[7] += h;
}

/* Start a hash with the initial values of FIPS 180-4 §5.3.3. */
void
ledger_sha256_init(LedgerSha256 *ctx)
{
	static const uint32_t initial[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
	};

	memcpy(ctx->state, initial, sizeof(initial));
	ctx->length = 0;
	ctx->buffered = 0;
}

/* Add bytes; whole blocks go straight through, the rest is buffered. */
void
ledger_sha256_update(LedgerSha256 *ctx, const void *data, size_t len)
{
	const uint8_t *p = (const uint8_t *) data;

	ctx->length += len;
	if (ctx->buffered > 0)
	{
		size_t		take = 64 - ctx->buffered;

		if (take > len)
			take = len;
		memcpy(ctx->buffer + ctx->buffered, p, take);
		ctx->buffered += take;
		p += take;
		len -= take;
		if (ctx->buffered < 64)
			return;
		sha256_block(ctx->state, ctx->buffer);
		ctx->buffered = 0;
	}
	while (len >= 64)
	{
		sha256_block(ctx->state, p);
		p += 64;
		len -= 64;
	}
	if (len > 0)
	{
		memcpy(ctx->buffer, p, len);
		ctx->buffered = len;
	}
}

/* Pad (0x80, zeros, the bit length big-endian) and write the digest. */
void
ledger_sha256_final(LedgerSha256 *ctx, uint8_t digest[LEDGER_SHA256_LEN])
{
	uint64_t	bits = ctx->length * 8;
	uint8_t		pad = 0x80;
	uint8_t		zero = 0;
	uint8_t		length_bytes[8];
	size_t		i;

	ledger_sha256_update(ctx, &pad, 1);
	while (ctx->buffered != 56)
		ledger_sha256_update(ctx, &zero, 1);
	for (i = 0; i < 8; i++)
		length_bytes[i] = (uint8_t) (bits >> (56 - 8 * i));
	ledger_sha256_update(ctx, length_bytes, 8);
	for (i = 0; i < 8; i++)
	{
		digest[i * 4] = (uint8_t) (ctx->state[i] >> 24);
		digest[i * 4 + 1] = (uint8_t) (ctx->state[i] >> 16);
		digest[i * 4 + 2] = (uint8_t) (ctx->state[i] >> 8);
		digest[i * 4 + 3] = (uint8_t) ctx->state[i];
	}
}

/* The digest of one buffer. */
void
ledger_sha256(const void *data, size_t len, uint8_t digest[LEDGER_SHA256_LEN])
{
	LedgerSha256 ctx;

	ledger_sha256_init(&ctx);
	ledger_sha256_update(&ctx, data, len);
	ledger_sha256_final(&ctx, digest);
}
