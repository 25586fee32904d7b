/*-------------------------------------------------------------------------
 *
 * codes.c
 *	  The bilingual code sets behind both one-byte types, and the pure
 *	  halves of their text and binary input (see core.h).
 *
 * Each type is a closed list of English codes with a Chinese label each.
 * Text input accepts either, blanks around it ignored; binary input is
 * format 1, two bytes.  Nothing here allocates, reports an error or knows
 * about PostgreSQL: labels.c adds the error reporting and the encoding
 * conversion, and tests/fuzz/ drives these functions with arbitrary bytes.
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "core.h"

static const CodeLabel case_status_labels[CASE_STATUS_COUNT] = {
	{"received", "受理"},
	{"investigating", "核查"},
	{"unfounded", "失实"},
	{"liable", "责任认定"},
	{"tolerance_review", "容错审查"},
	{"determined", "认定"},
	{"notified", "告知"},
	{"appealed", "申诉"},
	{"correcting", "纠错"},
	{"filed", "备案"},
	{"follow_up", "回访"},
	{"closed", "办结"},
};

static const CodeLabel tolerance_outcome_labels[TOLERANCE_OUTCOME_COUNT] = {
	{"not_tolerable", "不予容错"},
	{"lighter", "从轻问责"},
	{"reduced", "减轻问责"},
	{"exempted", "免予问责"},
	{"not_accountable", "不予问责"},
};

const CodeSet case_status_codes = {
	"accountability.case_status", case_status_labels, CASE_STATUS_COUNT
};

const CodeSet tolerance_outcome_codes = {
	"accountability.tolerance_outcome", tolerance_outcome_labels,
	TOLERANCE_OUTCOME_COUNT
};

/* UTF-8 of U+3000 IDEOGRAPHIC SPACE, which Chinese input methods produce. */
#define IDEOGRAPHIC_SPACE "\xE3\x80\x80"
#define IDEOGRAPHIC_SPACE_LEN 3

/*
 * The white space of SQL's scanner (PostgreSQL 15 scanner_isspace): space,
 * tab, newline, carriage return and form feed.
 */
static bool
is_sql_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
}

/* ASCII-only lower case, as pg_ascii_tolower: other bytes unchanged. */
static unsigned char
ascii_tolower(unsigned char ch)
{
	return (ch >= 'A' && ch <= 'Z') ? (unsigned char) (ch + ('a' - 'A')) : ch;
}

/*
 * Length of the blank (ASCII white space or U+3000) at the start of
 * [s, s + len), 0 when there is none.
 */
static size_t
leading_blank_length(const char *s, size_t len)
{
	if (len >= 1 && is_sql_space(s[0]))
		return 1;
	if (len >= IDEOGRAPHIC_SPACE_LEN &&
		memcmp(s, IDEOGRAPHIC_SPACE, IDEOGRAPHIC_SPACE_LEN) == 0)
		return IDEOGRAPHIC_SPACE_LEN;
	return 0;
}

/* Length of the blank at the end of [s, s + len), 0 when there is none. */
static size_t
trailing_blank_length(const char *s, size_t len)
{
	if (len >= 1 && is_sql_space(s[len - 1]))
		return 1;
	if (len >= IDEOGRAPHIC_SPACE_LEN &&
		memcmp(s + len - IDEOGRAPHIC_SPACE_LEN, IDEOGRAPHIC_SPACE,
			   IDEOGRAPHIC_SPACE_LEN) == 0)
		return IDEOGRAPHIC_SPACE_LEN;
	return 0;
}

/* Does [s, s + len) equal the lower-case ASCII code, ignoring case? */
static bool
matches_code_ignoring_case(const char *s, size_t len, const char *code)
{
	size_t		i;

	for (i = 0; i < len; i++)
	{
		if (code[i] == '\0' || ascii_tolower((unsigned char) s[i]) != (unsigned char) code[i])
			return false;
	}
	return code[len] == '\0';
}

/*
 * Parse UTF-8 text into a code of the set: the English code in any letter
 * case, or the Chinese label, blanks around it ignored.  Returns 0 when the
 * text names no value.  input need not be NUL-terminated: exactly len
 * bytes are read.
 */
int
codeset_parse(const CodeSet *set, const char *input, size_t len)
{
	size_t		blank;
	int			i;

	while ((blank = leading_blank_length(input, len)) > 0)
	{
		input += blank;
		len -= blank;
	}
	while ((blank = trailing_blank_length(input, len)) > 0)
		len -= blank;

	for (i = 0; i < set->count; i++)
	{
		const CodeLabel *label = &set->labels[i];

		if (matches_code_ignoring_case(input, len, label->code) ||
			(strlen(label->zh) == len && memcmp(input, label->zh, len) == 0))
			return i + 1;
	}
	return 0;
}

/* Is code one of the set's values? */
bool
codeset_is_valid(const CodeSet *set, int code)
{
	return code >= 1 && code <= set->count;
}

/*
 * The code's English code or Chinese label (UTF-8, static storage), NULL
 * when code is no value of the set (callers check it first).
 */
const char *
codeset_label(const CodeSet *set, int code, OutputLanguage language)
{
	const CodeLabel *label;

	/* callers check first; tests/fuzz/ drives it: GCOVR_EXCL_START */
	if (!codeset_is_valid(set, code))
		return NULL;
	/* GCOVR_EXCL_STOP */
	label = &set->labels[code - 1];
	return language == OUTPUT_LANGUAGE_ZH ? label->zh : label->code;
}

/*
 * Binary input, format 1: exactly two bytes, CODE_BINARY_FORMAT_VERSION
 * and then a code of the set.  *code is set to the code byte whenever
 * there are two bytes (for the message of a bad code), else to 0.
 */
CodeBinaryCheck
codeset_check_binary(const CodeSet *set, const unsigned char *bytes,
					 size_t len, int *code)
{
	*code = 0;
	if (len != CODE_BINARY_LENGTH)
		return CODE_BINARY_BAD_LENGTH;
	*code = bytes[1];
	if (bytes[0] != CODE_BINARY_FORMAT_VERSION)
		return CODE_BINARY_BAD_VERSION;
	if (!codeset_is_valid(set, *code))
		return CODE_BINARY_BAD_CODE;
	return CODE_BINARY_OK;
}
