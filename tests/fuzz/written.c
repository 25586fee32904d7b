/*
 * Harness: "written" text (utf8_is_written) and trimmed text
 * (utf8_is_trimmed), on any bytes.
 *
 * Checked:
 *	- known points: spaces of every kind, zero-width and format characters,
 *	  lone combining marks and blank-rendering fillers write nothing; a
 *	  letter, a Han character and an emoji write something;
 *	- the input's code points, taken four bytes at a time and encoded in
 *	  UTF-8, write something together exactly when one of them does alone;
 *	- the raw input, split before any ASCII byte, is written exactly when
 *	  one side is, and any ASCII letter or digit makes it written;
 *	- one line (utf8_one_line_offender): known names pass, a newline, NEL,
 *	  U+2028, a bidi override and a zero-width space do not, and any ASCII
 *	  control byte is found at or before its place;
 *	- trimmed: the code points above are trimmed exactly when neither the
 *	  first nor the last is blank alone, and a blank (ASCII or U+3000) put
 *	  before or after any input untrims it.
 */
#include "fuzz.h"

#define MAX_POINTS 64

/* UTF-8 of one code point below U+110000 (surrogates included: bytes only). */
static size_t
encode(uint32_t c, char *out)
{
	if (c < 0x80)
		return out[0] = (char) c, 1;
	if (c < 0x800)
		return out[0] = (char) (0xC0 | (c >> 6)), out[1] = (char) (0x80 | (c & 0x3F)), 2;
	if (c < 0x10000)
		return out[0] = (char) (0xE0 | (c >> 12)), out[1] = (char) (0x80 | ((c >> 6) & 0x3F)),
			out[2] = (char) (0x80 | (c & 0x3F)), 3;
	return out[0] = (char) (0xF0 | (c >> 18)), out[1] = (char) (0x80 | ((c >> 12) & 0x3F)),
		out[2] = (char) (0x80 | ((c >> 6) & 0x3F)), out[3] = (char) (0x80 | (c & 0x3F)), 4;
}

/* Is the one code point c written, on its own? */
static bool
point_written(uint32_t c)
{
	char		buf[4];
	size_t		len = encode(c, buf);
	char	   *copy = fuzz_copy(buf, len);
	bool		written = utf8_is_written(copy, len);

	free(copy);
	return written;
}

static void
check_known_points(void)
{
	static const uint32_t blank[] = {0x20, 0x09, 0xA0, 0x3000, 0x200B, 0x200D, 0x2060,
	0xFEFF, 0x0301, 0x20DD, 0x3164, 0x115F, 0x2800, 0x00AD, 0x202E, 0xE0001, 0x0000};
	static const uint32_t written[] = {'a', '0', 0x4E2D, 0x1F600, 0x00E9, 0x0915};
	size_t		i;

	for (i = 0; i < lengthof(blank); i++)
		FUZZ_CHECK(!point_written(blank[i]));
	for (i = 0; i < lengthof(written); i++)
		FUZZ_CHECK(point_written(written[i]));
	{
		static const char *one_line[] = {"\xe5\xbc\xa0\xe4\xb8\x89 (1024)", "a-b_c.d@e"};
		/* U+202E spelt as bytes: a literal would reorder this source */
		static const char rlo[] = {'a', (char) 0xE2, (char) 0x80, (char) 0xAE, 'b', '\0'};
		static const char *broken[] = {"a\nb", "a\xc2\x85" "b", "a\xe2\x80\xa8" "b", rlo, "\xe2\x80\x8b"};

		for (i = 0; i < lengthof(one_line); i++)
			FUZZ_CHECK(utf8_one_line_offender(one_line[i], strlen(one_line[i])) == 0);
		for (i = 0; i < lengthof(broken); i++)
			FUZZ_CHECK(utf8_one_line_offender(broken[i], strlen(broken[i])) > 0);
	}
}

/* A blank before or after any bytes leaves them untrimmed. */
static void
check_untrimmed(const uint8_t *data, size_t size)
{
	static const char *const blanks[] = {" ", "\t", "\xE3\x80\x80"};
	size_t		i;

	for (i = 0; i < lengthof(blanks); i++)
	{
		size_t		blank_len = strlen(blanks[i]);
		char	   *before = malloc(size + blank_len);
		char	   *after = malloc(size + blank_len);

		memcpy(before, blanks[i], blank_len);
		memcpy(before + blank_len, data, size);
		memcpy(after, data, size);
		memcpy(after + size, blanks[i], blank_len);
		FUZZ_CHECK(!utf8_is_trimmed(before, size + blank_len));
		/* (an incomplete sequence at the end swallows no blank: it is one byte) */
		FUZZ_CHECK(!utf8_is_trimmed(after, size + blank_len));
		free(before);
		free(after);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	checked;
	char		text[MAX_POINTS * 4];
	size_t		len = 0;
	bool		any = false;
	size_t		i;
	char	   *copy;
	bool		whole;
	bool		first_written = true;
	bool		last_written = true;

	if (!checked)
	{
		check_known_points();
		checked = 1;
	}

	/* up to MAX_POINTS code points, valid scalar values, each judged alone */
	for (i = 0; i + 4 <= size && i < (size_t) MAX_POINTS * 4; i += 4)
	{
		uint32_t	c;

		memcpy(&c, data + i, 4);
		c %= 0x110000;
		if (c >= 0xD800 && c <= 0xDFFF)
			continue;
		last_written = point_written(c);
		if (len == 0)
			first_written = last_written;
		any |= last_written;
		len += encode(c, text + len);
	}
	copy = fuzz_copy(text, len);
	FUZZ_CHECK(utf8_is_written(copy, len) == any);
	FUZZ_CHECK(utf8_is_trimmed(copy, len) == (len == 0 || (first_written && last_written)));
	free(copy);
	check_untrimmed(data, size);

	/* the raw bytes: a split before an ASCII byte decodes both sides alike */
	copy = fuzz_copy(data, size);
	whole = utf8_is_written(copy, size);
	for (i = 0; i < size; i++)
	{
		if (data[i] < 0x80)
		{
			char	   *left = fuzz_copy(data, i);
			char	   *right = fuzz_copy(data + i, size - i);

			FUZZ_CHECK(whole == (utf8_is_written(left, i) || utf8_is_written(right, size - i)));
			free(left);
			free(right);
			break;
		}
	}
	for (i = 0; i < size; i++)
		if ((data[i] >= 'a' && data[i] <= 'z') || (data[i] >= 'A' && data[i] <= 'Z') ||
			(data[i] >= '0' && data[i] <= '9'))
			FUZZ_CHECK(whole);
	/* one line: any ASCII control byte is an offender, at or before its place */
	{
		size_t		offender = utf8_one_line_offender(copy, size);

		for (i = 0; i < size; i++)
			if (data[i] < 0x20 || data[i] == 0x7F)
			{
				FUZZ_CHECK(offender >= 1 && offender <= i + 1);
				break;
			}
	}
	free(copy);
	return 0;
}
