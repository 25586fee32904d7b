/*-------------------------------------------------------------------------
 *
 * written.c
 *	  Is a text "written"?  At least one character that is not white space
 *	  in Unicode's sense: a closing reason of ideographic spaces (U+3000)
 *	  or no-break spaces is no reason.  Pure C: no PostgreSQL header.
 *
 *-------------------------------------------------------------------------
 */
#include "core.h"

/*
 * Unicode's White_Space property (PropList.txt): U+0009..U+000D, U+0020,
 * U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F,
 * U+3000.  The zero-width space U+200B and the BOM U+FEFF are not white
 * space there, but write nothing either: they count as blank too.
 */
static bool
is_blank(uint32_t c)
{
	return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 ||
		c == 0x1680 || (c >= 0x2000 && c <= 0x200B) || c == 0x2028 ||
		c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 ||
		c == 0xFEFF;
}

/*
 * Decode one UTF-8 character at s (n bytes left); returns its length, or
 * 0 for a byte that starts no valid sequence (then *c is that byte).
 */
static size_t
utf8_next(const unsigned char *s, size_t n, uint32_t *c)
{
	size_t		len,
				i;

	if (s[0] < 0x80)
	{
		*c = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0)
		len = 2, *c = s[0] & 0x1F;
	else if ((s[0] & 0xF0) == 0xE0)
		len = 3, *c = s[0] & 0x0F;
	else if ((s[0] & 0xF8) == 0xF0)
		len = 4, *c = s[0] & 0x07;
	else
	{
		*c = s[0];
		return 0;
	}
	if (len > n)
	{
		*c = s[0];
		return 0;
	}
	for (i = 1; i < len; i++)
	{
		if ((s[i] & 0xC0) != 0x80)
		{
			*c = s[0];
			return 0;
		}
		*c = (*c << 6) | (s[i] & 0x3F);
	}
	return len;
}

/* At least one character that is not blank: the text says something. */
bool
utf8_is_written(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *) text;
	size_t		pos = 0;

	while (pos < len)
	{
		uint32_t	c;
		size_t		step = utf8_next(s + pos, len - pos, &c);

		if (step == 0)
			return true;		/* not UTF-8: bytes we cannot call blank */
		if (!is_blank(c))
			return true;
		pos += step;
	}
	return false;
}
