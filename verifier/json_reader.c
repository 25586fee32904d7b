/*-------------------------------------------------------------------------
 *
 * json_reader.c
 *	  A strict JSON reader for the offline verifier's digest files.
 *
 *	  A digest file is read as JSON, strictly: one value, or several one after
 *	  another (one digest per line, as the README's cron line appends them).
 *	  Text that is not JSON is bad input (exit 2), never skipped: attack round
 *	  18 put a lone "{" on a line of an append-only digest file, and the
 *	  scanner this replaces then read every later digest as part of it.  What
 *	  is read is judged as verify_ledger() judges the same document after
 *	  jsonb read it: escapes decoded, numbers as numeric prints them, the last
 *	  of two members of one name.
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "json_reader.h"

void
json_fail(const JsonReader *r, const char *what)
{
	fatal("%s: line %d: not a digest file: %s", r->path, r->line, what);
}

void
json_skip_space(JsonReader *r)
{
	while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')
		r->line += (*r->p++ == '\n');
}

/* Expect one character (after blanks), or fail. */
void
json_expect(JsonReader *r, char c)
{
	json_skip_space(r);
	if (*r->p != c)
		json_fail(r, c == ':' ? "a ':' is missing" : c == ',' ? "a ',' is missing" : "unexpected text");
	r->p++;
}

/* Four hex digits of a \u escape. */
static unsigned int
json_hex4(JsonReader *r)
{
	unsigned int v = 0;
	int			k;

	for (k = 0; k < 4; k++)
	{
		char		c = *r->p++;

		if (!isxdigit((unsigned char) c))
			json_fail(r, "a \\u escape needs four hex digits");
		v = v * 16 + (unsigned int) (isdigit((unsigned char) c) ? c - '0' : (tolower((unsigned char) c) - 'a' + 10));
	}
	return v;
}

/* Append one code point as UTF-8, when it fits. */
static void
put_utf8(char *out, size_t outsize, size_t *len, unsigned int cp, bool *fits)
{
	char		b[4];
	size_t		n,
				k;

	if (cp < 0x80)
		b[0] = (char) cp, n = 1;
	else if (cp < 0x800)
		b[0] = (char) (0xC0 | (cp >> 6)), b[1] = (char) (0x80 | (cp & 0x3F)), n = 2;
	else if (cp < 0x10000)
		b[0] = (char) (0xE0 | (cp >> 12)), b[1] = (char) (0x80 | ((cp >> 6) & 0x3F)),
			b[2] = (char) (0x80 | (cp & 0x3F)), n = 3;
	else
		b[0] = (char) (0xF0 | (cp >> 18)), b[1] = (char) (0x80 | ((cp >> 12) & 0x3F)),
			b[2] = (char) (0x80 | ((cp >> 6) & 0x3F)), b[3] = (char) (0x80 | (cp & 0x3F)), n = 4;
	for (k = 0; k < n; k++)
	{
		if (out != NULL && *len + 1 < outsize)
			out[*len] = b[k];
		else
			*fits = false;
		(*len)++;
	}
}

/*
 * A string, decoded as jsonb decodes it, into out when it fits (then
 * true).  \u0000, which jsonb refuses, is bad input here too.
 */
bool
json_string(JsonReader *r, char *out, size_t outsize)
{
	size_t		len = 0;
	bool		fits = (out != NULL);

	json_expect(r, '"');
	while (*r->p != '"')
	{
		unsigned int cp;

		if (*r->p == '\0' || (unsigned char) *r->p < 0x20)
			json_fail(r, "a string is not closed on its line");
		if (*r->p != '\\')
		{
			/* a byte as it is (the file is UTF-8, as the export) */
			if (out != NULL && len + 1 < outsize)
				out[len] = *r->p;
			else
				fits = false;
			len++;
			r->p++;
			continue;
		}
		r->p++;
		switch (*r->p++)
		{
			case '"':
				cp = '"';
				break;
			case '\\':
				cp = '\\';
				break;
			case '/':
				cp = '/';
				break;
			case 'b':
				cp = '\b';
				break;
			case 'f':
				cp = '\f';
				break;
			case 'n':
				cp = '\n';
				break;
			case 'r':
				cp = '\r';
				break;
			case 't':
				cp = '\t';
				break;
			case 'u':
				cp = json_hex4(r);
				if (cp >= 0xD800 && cp <= 0xDBFF)
				{
					unsigned int low;

					if (r->p[0] != '\\' || r->p[1] != 'u')
						json_fail(r, "a \\u escape of a surrogate without its pair");
					r->p += 2;
					low = json_hex4(r);
					if (low < 0xDC00 || low > 0xDFFF)
						json_fail(r, "a \\u escape of a surrogate without its pair");
					cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
				}
				else if (cp >= 0xDC00 && cp <= 0xDFFF)
					json_fail(r, "a \\u escape of a surrogate without its pair");
				if (cp == 0)
					json_fail(r, "\\u0000, which jsonb refuses");
				break;
			default:
				r->p--;
				json_fail(r, "an escape JSON does not know");
		}
		put_utf8(out, outsize, &len, cp, &fits);
	}
	r->p++;
	if (fits)
		out[len] = '\0';
	return fits;
}

/*
 * A number, into text as numeric prints it (jsonb prints 1e1 as 10, 1.0e0
 * as 1.0, -0 as 0): its digits with numeric's display scale, the fraction
 * digits left after the exponent.  "~" when that would pass
 * JSON_NUMBER_TEXT_LEN characters (larger than any ledger's count).
 */
void
json_number(JsonReader *r, char *text)
{
	char		digits[JSON_NUMBER_TEXT_LEN + 1];
	size_t		ndigits = 0,
				fraction = 0,
				k = 0;
	bool		negative = false,
				in_fraction = false,
				long_digits = false;
	long		exponent = 0,
				scale,
				zeros;

	if (*r->p == '-')
	{
		negative = true;
		r->p++;
	}
	if (!isdigit((unsigned char) *r->p))
		json_fail(r, "a number has no digits");
	if (*r->p == '0' && isdigit((unsigned char) r->p[1]))
		json_fail(r, "a number has a leading zero");
	for (; isdigit((unsigned char) *r->p) || *r->p == '.'; r->p++)
	{
		if (*r->p == '.')
		{
			if (in_fraction || !isdigit((unsigned char) r->p[1]))
				json_fail(r, "a number's fraction is not digits");
			in_fraction = true;
			continue;
		}
		fraction += in_fraction;
		if (ndigits == 0 && *r->p == '0')
			continue;			/* a leading zero of the value */
		if (ndigits < JSON_NUMBER_TEXT_LEN)
			digits[ndigits++] = *r->p;
		else
			long_digits = true;
	}
	if (*r->p == 'e' || *r->p == 'E')
	{
		bool		minus = false;

		r->p++;
		if (*r->p == '+' || *r->p == '-')
			minus = (*r->p++ == '-');
		if (!isdigit((unsigned char) *r->p))
			json_fail(r, "an exponent has no digits");
		for (; isdigit((unsigned char) *r->p); r->p++)
			if (exponent < 100000)
				exponent = exponent * 10 + (*r->p - '0');
		exponent = minus ? -exponent : exponent;
	}
	if (text == NULL)
		return;
	scale = (long) fraction - exponent;
	/* the value is digits * 10^-scale: zeros after them when scale < 0 */
	zeros = scale < 0 ? -scale : 0;
	scale = scale < 0 ? 0 : scale;
	if (long_digits || (long) ndigits + zeros + scale + 3 > JSON_NUMBER_TEXT_LEN)
	{
		strcpy(text, "~");
		return;
	}
	if (negative && ndigits > 0)
		text[k++] = '-';
	if (ndigits == 0)
		digits[ndigits++] = '0';
	else
		while (zeros-- > 0)
			digits[ndigits++] = '0';
	/* numeric prints at least one digit before the point */
	while ((long) ndigits <= scale)
	{
		memmove(digits + 1, digits, ndigits++);
		digits[0] = '0';
	}
	memcpy(text + k, digits, ndigits - (size_t) scale);
	k += ndigits - (size_t) scale;
	if (scale > 0)
	{
		text[k++] = '.';
		memcpy(text + k, digits + ndigits - (size_t) scale, (size_t) scale);
		k += (size_t) scale;
	}
	text[k] = '\0';
}

/* What kind of value starts here, in verify_ledger()'s words. */
const char *
json_kind(const JsonReader *r)
{
	switch (*r->p)
	{
		case '{':
			return "object";
		case '[':
			return "array";
		case '"':
			return "string";
		case 't':
		case 'f':
			return "boolean";
		case 'n':
			return "null";
		default:
			return "number";
	}
}

/* Skip a member or an element, one level deeper. */
static void
skip_member(JsonReader *r, const char *name, void *depth)
{
	(void) name;
	json_skip_value(r, *(int *) depth + 1);
}

static void
skip_element(JsonReader *r, void *depth)
{
	json_skip_value(r, *(int *) depth + 1);
}

/* Skip one value of any kind, checking it is JSON. */
void
json_skip_value(JsonReader *r, int depth)
{
	json_skip_space(r);
	if (depth > JSON_MAX_DEPTH)
		json_fail(r, "nested too deep");
	if (*r->p == '{')
		json_object(r, skip_member, &depth);
	else if (*r->p == '[')
		json_array(r, skip_element, &depth);
	else if (*r->p == '"')
		(void) json_string(r, NULL, 0);
	else if (strncmp(r->p, "true", 4) == 0 || strncmp(r->p, "null", 4) == 0)
		r->p += 4;
	else if (strncmp(r->p, "false", 5) == 0)
		r->p += 5;
	else if (*r->p == '-' || isdigit((unsigned char) *r->p))
		json_number(r, NULL);
	else
		json_fail(r, "unexpected text");
}

/*
 * Read an object member by member: for each, its name (decoded; "" when
 * longer than any name read) and the reader at its value, which the
 * callback reads.
 */
void
json_object(JsonReader *r, MemberReader read_member, void *state)
{
	char		name[32];

	json_expect(r, '{');
	json_skip_space(r);
	if (*r->p == '}')
	{
		r->p++;
		return;
	}
	for (;;)
	{
		if (!json_string(r, name, sizeof(name)))
			name[0] = '\0';
		json_expect(r, ':');
		json_skip_space(r);
		read_member(r, name, state);
		json_skip_space(r);
		if (*r->p == '}')
			break;
		json_expect(r, ',');
	}
	r->p++;
}

/* Read an array element by element, each by the callback. */
void
json_array(JsonReader *r, ElementReader read_element, void *state)
{
	json_expect(r, '[');
	json_skip_space(r);
	if (*r->p == ']')
	{
		r->p++;
		return;
	}
	for (;;)
	{
		json_skip_space(r);
		read_element(r, state);
		json_skip_space(r);
		if (*r->p == ']')
			break;
		json_expect(r, ',');
	}
	r->p++;
}
