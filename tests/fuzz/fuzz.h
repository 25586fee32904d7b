/*
 * tests/fuzz/fuzz.h: what the libFuzzer harnesses share.
 *
 * The harnesses link the pure cores of extension/ (codes.c, rules.c,
 * transitions.c: see core.h) and nothing of PostgreSQL.  Every input the
 * cores read is first copied into a buffer of exactly its length, so
 * AddressSanitizer reports a read one byte past it; every invariant that
 * fails aborts with the condition, which libFuzzer reports as a finding.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define lengthof(array) (sizeof(array) / sizeof((array)[0]))

#define FUZZ_CHECK(condition) \
	do { \
		if (!(condition)) \
		{ \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", \
					__FILE__, __LINE__, #condition); \
			abort(); \
		} \
	} while (0)

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A heap copy of exactly len bytes (at least one allocated byte for 0). */
static inline char *
fuzz_copy(const void *data, size_t len)
{
	char	   *copy = malloc(len > 0 ? len : 1);

	FUZZ_CHECK(copy != NULL);
	if (len > 0)
		memcpy(copy, data, len);
	return copy;
}

/* The next little-endian int32 of the input, or 0 past its end. */
static inline int32_t
fuzz_int32(const uint8_t **data, size_t *size)
{
	uint32_t	value = 0;
	size_t		i;

	for (i = 0; i < 4 && *size > 0; i++)
	{
		value |= (uint32_t) **data << (8 * i);
		(*data)++;
		(*size)--;
	}
	return (int32_t) value;
}

#endif							/* FUZZ_H */
