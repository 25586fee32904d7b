/*-------------------------------------------------------------------------
 *
 * labels.c
 *	  The bilingual code sets behind both one-byte types, and the text and
 *	  binary conversions they share.
 *
 * Each type is a closed list of English codes with a Chinese label each
 * (DESIGN.md "The two types").  Input accepts either, output writes the
 * one chosen by accountability.language.  The parsing and formatting
 * functions at the top need no fmgr, so they can be tested on their own;
 * the codeset_input/output/receive/send halves add PostgreSQL's error
 * reporting and encoding conversion.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "parser/scansup.h"
#include "utils/builtins.h"

#include "pg_accountability.h"

/* The accountability.language setting (registered in _PG_init). */
int			accountability_language = OUTPUT_LANGUAGE_EN;

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
 * Length of the blank (ASCII white space or U+3000) at the start of
 * [s, s + len), 0 when there is none.
 */
static size_t
leading_blank_length(const char *s, size_t len)
{
	if (len >= 1 && scanner_isspace(s[0]))
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
	if (len >= 1 && scanner_isspace(s[len - 1]))
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
		if (code[i] == '\0' || pg_ascii_tolower((unsigned char) s[i]) != code[i])
			return false;
	}
	return code[len] == '\0';
}

/*
 * Parse UTF-8 text into a code of the set: the English code in any letter
 * case, or the Chinese label, blanks around it ignored.  Returns 0 when the
 * text names no value.  Pure: no allocation, no error.
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

/* The code's English code or Chinese label (UTF-8, static storage). */
const char *
codeset_label(const CodeSet *set, int code, OutputLanguage language)
{
	const CodeLabel *label = &set->labels[code - 1];

	Assert(codeset_is_valid(set, code));
	return language == OUTPUT_LANGUAGE_ZH ? label->zh : label->code;
}

/* A UTF-8 string in the database encoding, palloc'd. */
static char *
utf8_to_server(const char *utf8)
{
	return pstrdup(pg_any_to_server(utf8, strlen(utf8), PG_UTF8));
}

/*
 * "received (受理), investigating (核查), ..." for error details, so every
 * refusal of a value says what is allowed.
 */
char *
codeset_valid_values(const CodeSet *set)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < set->count; i++)
		appendStringInfo(&buf, "%s%s (%s)", i > 0 ? ", " : "",
						 set->labels[i].code, set->labels[i].zh);
	return utf8_to_server(buf.data);
}

/*
 * The language argument of accountability.label(): 'en' or 'zh', in any
 * letter case; anything else is refused with the allowed values.
 */
OutputLanguage
language_from_text(text *language)
{
	char	   *name = text_to_cstring(language);

	if (pg_strcasecmp(name, "en") == 0)
		return OUTPUT_LANGUAGE_EN;
	if (pg_strcasecmp(name, "zh") == 0)
		return OUTPUT_LANGUAGE_ZH;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown label language \"%s\"", name),
			 errdetail("Allowed languages are \"en\" (English codes) and \"zh\" (Chinese labels).")));
	pg_unreachable();
}

/*
 * Text input of either type: refuse anything that is not a value with
 * 22P02, quoting the input and listing what is valid.  Input in a database
 * encoding other than UTF-8 is converted before the Chinese labels are
 * compared.
 */
Datum
codeset_input(const CodeSet *set, const char *input)
{
	size_t		len = strlen(input);
	int			code = codeset_parse(set, input, len);

	if (code == 0 && GetDatabaseEncoding() != PG_UTF8)
	{
		char	   *utf8 = pg_server_to_any(input, len, PG_UTF8);

		code = codeset_parse(set, utf8, strlen(utf8));
	}
	if (code == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input value for type %s: \"%s\"",
						set->type_name, input),
				 errdetail("Valid values are %s.", codeset_valid_values(set)),
				 errhint("Write the English code in any letter case, or the Chinese label.")));
	return CodeGetDatum(code);
}

/*
 * A stored byte that is no value can only come from a damaged page or a
 * foreign binary copy of the file: report it as corruption.
 */
static void
check_stored_code(const CodeSet *set, int code)
{
	if (!codeset_is_valid(set, code))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid stored value %d for type %s",
						code, set->type_name),
				 errdetail("Stored values range from 1 to %d.", set->count)));
}

/* Text output: the English code, or the Chinese label when language = zh. */
char *
codeset_output(const CodeSet *set, Datum value)
{
	int			code = DatumGetCode(value);

	check_stored_code(set, code);
	return utf8_to_server(codeset_label(set, code,
										(OutputLanguage) accountability_language));
}

/*
 * Binary input, format 1: one byte CODE_BINARY_FORMAT_VERSION, then one
 * byte holding the code.  Validated exactly like text input; anything else
 * is 22P03.
 */
Datum
codeset_receive(const CodeSet *set, StringInfo buf)
{
	int			format;
	int			code;

	if (buf->len - buf->cursor != 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary value for type %s", set->type_name),
				 errdetail("The value is %d bytes long; binary format %d is 2 bytes: the format version and the code.",
						   buf->len - buf->cursor, CODE_BINARY_FORMAT_VERSION)));
	format = pq_getmsgbyte(buf);
	if (format != CODE_BINARY_FORMAT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary format version %d for type %s",
						format, set->type_name),
				 errdetail("This version of pg_accountability reads binary format %d.",
						   CODE_BINARY_FORMAT_VERSION)));
	code = pq_getmsgbyte(buf);
	if (!codeset_is_valid(set, code))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary value %d for type %s",
						code, set->type_name),
				 errdetail("Binary codes range from 1 to %d: %s.",
						   set->count, codeset_valid_values(set))));
	return CodeGetDatum(code);
}

/* Binary output, format 1 (see codeset_receive). */
bytea *
codeset_send(Datum value)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CODE_BINARY_FORMAT_VERSION);
	pq_sendbyte(&buf, DatumGetCode(value));
	return pq_endtypsend(&buf);
}

/*
 * accountability.label(value, lang): the label of a stored value in the
 * language named by the caller, whatever accountability.language says.
 */
const char *
codeset_label_in(const CodeSet *set, Datum value, text *language)
{
	int			code = DatumGetCode(value);
	OutputLanguage chosen = language_from_text(language);

	check_stored_code(set, code);
	return utf8_to_server(codeset_label(set, code, chosen));
}
