/*
 * tests/fuzz/codeset_text.h: the text input of a code-set type
 * (codeset_parse), shared by the case_status_text and
 * tolerance_outcome_text harnesses.
 *
 * Checked for every input, besides memory safety:
 *	- the result is 0 or a code of the set, and agrees with a reference
 *	  parser written independently below;
 *	- blanks (ASCII white space, U+3000) added around the text change
 *	  nothing;
 *	- ASCII letter case changes nothing (the Chinese labels hold no ASCII
 *	  letter, the English codes match in any case);
 *	- a code's English code and Chinese label parse back to it, and
 *	  codeset_label answers NULL exactly for a non-code.
 */
#include "fuzz.h"

#define U3000 "\xE3\x80\x80"

static int
is_blank_byte(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The reference: strip blanks by index, then compare byte by byte. */
static int
reference_parse(const CodeSet *set, const unsigned char *s, size_t len)
{
	size_t		start = 0;
	size_t		end = len;
	int			code;

	for (;;)
	{
		size_t		rest = end - start;

		if (rest >= 1 && is_blank_byte(s[start]))
			start++;
		else if (rest >= 3 && memcmp(s + start, U3000, 3) == 0)
			start += 3;
		else
			break;
	}
	for (;;)
	{
		size_t		rest = end - start;

		if (rest >= 1 && is_blank_byte(s[end - 1]))
			end--;
		else if (rest >= 3 && memcmp(s + end - 3, U3000, 3) == 0)
			end -= 3;
		else
			break;
	}
	for (code = 1; code <= set->count; code++)
	{
		const char *en = set->labels[code - 1].code;
		const char *zh = set->labels[code - 1].zh;

		if (strlen(en) == end - start)
		{
			size_t		i;

			for (i = start; i < end; i++)
			{
				unsigned char c = s[i];

				if (c >= 'A' && c <= 'Z')
					c = (unsigned char) (c - 'A' + 'a');
				if (c != (unsigned char) en[i - start])
					break;
			}
			if (i == end)
				return code;
		}
		if (strlen(zh) == end - start && memcmp(s + start, zh, end - start) == 0)
			return code;
	}
	return 0;
}

/* codeset_parse over an exact-size heap copy. */
static int
parse_copy(const CodeSet *set, const void *bytes, size_t len)
{
	char	   *copy = fuzz_copy(bytes, len);
	int			code = codeset_parse(set, copy, len);

	free(copy);
	return code;
}

static void
check_labels(const CodeSet *set)
{
	int			code;

	for (code = -2; code <= set->count + 2; code++)
	{
		const char *en = codeset_label(set, code, OUTPUT_LANGUAGE_EN);
		const char *zh = codeset_label(set, code, OUTPUT_LANGUAGE_ZH);

		FUZZ_CHECK((en != NULL) == codeset_is_valid(set, code));
		FUZZ_CHECK((zh != NULL) == codeset_is_valid(set, code));
		if (en != NULL && zh != NULL)
		{
			FUZZ_CHECK(parse_copy(set, en, strlen(en)) == code);
			FUZZ_CHECK(parse_copy(set, zh, strlen(zh)) == code);
		}
	}
}

static void
fuzz_codeset_text(const CodeSet *set, const uint8_t *data, size_t size)
{
	static const char *const blanks[] = {"", " ", "\t", "\n", "\r", "\f", U3000, "\xE3\x80\x80 "};
	int			code = parse_copy(set, data, size);
	unsigned char *padded;
	size_t		pre;
	size_t		post;
	size_t		i;
	static int	labels_checked;

	if (!labels_checked)
	{
		check_labels(set);
		labels_checked = 1;
	}

	FUZZ_CHECK(code == 0 || codeset_is_valid(set, code));
	FUZZ_CHECK(code == reference_parse(set, data, size));

	/* blanks around: the first byte chooses them */
	pre = size > 0 ? data[0] % lengthof(blanks) : 1;
	post = size > 0 ? (data[0] / lengthof(blanks)) % lengthof(blanks) : 6;
	padded = (unsigned char *) fuzz_copy("", strlen(blanks[pre]) + size + strlen(blanks[post]));
	memcpy(padded, blanks[pre], strlen(blanks[pre]));
	if (size > 0)
		memcpy(padded + strlen(blanks[pre]), data, size);
	memcpy(padded + strlen(blanks[pre]) + size, blanks[post], strlen(blanks[post]));
	FUZZ_CHECK(parse_copy(set, padded, strlen(blanks[pre]) + size + strlen(blanks[post])) == code);
	free(padded);

	/* ASCII upper case */
	padded = (unsigned char *) fuzz_copy(data, size);
	for (i = 0; i < size; i++)
		if (padded[i] >= 'a' && padded[i] <= 'z')
			padded[i] = (unsigned char) (padded[i] - 'a' + 'A');
	FUZZ_CHECK(parse_copy(set, padded, size) == code);
	free(padded);

	/* labels of arbitrary ints */
	if (size >= 4)
	{
		const uint8_t *p = data;
		size_t		n = size;
		int32_t		any = fuzz_int32(&p, &n);

		FUZZ_CHECK((codeset_label(set, any, OUTPUT_LANGUAGE_EN) != NULL) ==
				   (any >= 1 && any <= set->count));
	}
}
