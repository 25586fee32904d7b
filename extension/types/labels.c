/*-------------------------------------------------------------------------
 *
 * labels.c
 *	  The bilingual code sets behind both one-byte types, and the text and
 *	  binary conversions they share.
 *
 * Each type is a closed list of English codes with a Chinese label each
 * (DESIGN.md "The two types").  Input accepts either, output writes the
 * one chosen by accountability.language.  The code sets and the parsing
 * and checking of input are pure C in codes.c (core.h), so they can be
 * tested and fuzzed on their own; the codeset_input/output/receive/send
 * wrappers here add PostgreSQL's error reporting and encoding conversion.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "pg_accountability.h"

/* How much of a refused input a message quotes. */
#define INPUT_EXCERPT_BYTES 64

/* The accountability.language setting (registered in _PG_init). */
int			accountability_language = OUTPUT_LANGUAGE_EN;

/* A UTF-8 string in the database encoding, palloc'd. */
static char *
utf8_to_server(const char *utf8)
{
	return pstrdup(pg_any_to_server(utf8, (int) strlen(utf8), PG_UTF8));
}

/*
 * Whether the database encoding can hold a UTF-8 string.  UTF8 and
 * SQL_ASCII (no conversion) always can, EUC_CN holds every label, a
 * single-byte encoding such as LATIN1 none: there the Chinese labels are
 * left out rather than turned into a conversion error.
 */
static bool
server_can_hold(const char *utf8)
{
	int			encoding = GetDatabaseEncoding();
	int			len = (int) strlen(utf8);
	Oid			proc;
	unsigned char *converted;

	if (encoding == PG_UTF8 || encoding == PG_SQL_ASCII)
		return true;
	proc = FindDefaultConversionProc(PG_UTF8, encoding);
	if (!OidIsValid(proc))
		return false;
	converted = palloc((Size) len * MAX_CONVERSION_GROWTH + 1);
	return pg_do_encoding_conversion_buf(proc, PG_UTF8, encoding,
										 (unsigned char *) utf8, len,
										 converted, len * MAX_CONVERSION_GROWTH + 1,
										 true) == len;
}

/*
 * The Chinese label of a code for this database: the label when the
 * database encoding can hold it, else NULL.  Checked once per label and
 * backend (a backend's database encoding never changes).
 */
#define LABEL_CACHE_CODES 16
static const char *
label_zh_in_server(const CodeSet *set, int code)
{
	/* per code set and code: 0 not checked yet, 1 held, -1 not held */
	static int8 held[2][LABEL_CACHE_CODES];
	int8	   *slot = &held[set == &case_status_codes ? 0 : 1][code];

	Assert(code > 0 && code < LABEL_CACHE_CODES && code <= set->count);
	if (*slot == 0)
		*slot = server_can_hold(set->labels[code - 1].zh) ? 1 : -1;
	return *slot > 0 ? set->labels[code - 1].zh : NULL;
}

/*
 * " (term)" after an English word in a message, with the Chinese term in
 * the database encoding; nothing where that encoding cannot hold it, so a
 * message never turns into a conversion error.  Messages are built in the
 * database encoding and converted to the client's on the way out.
 */
const char *
zh_gloss(const char *term_utf8)
{
	if (!server_can_hold(term_utf8))
		return "";
	return psprintf(" (%s)", utf8_to_server(term_utf8));
}

/*
 * "received (受理), investigating (核查), ..." for error details, so every
 * refusal of a value says what is allowed; the labels the database
 * encoding cannot hold are left out, so the refusal stays a 22P02.
 */
char *
codeset_valid_values(const CodeSet *set)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < set->count; i++)
	{
		const char *zh = label_zh_in_server(set, i + 1);

		appendStringInfo(&buf, "%s%s", i > 0 ? ", " : "", set->labels[i].code);
		if (zh != NULL)
			appendStringInfo(&buf, " (%s)", zh);
	}
	return utf8_to_server(buf.data);
}

/*
 * The label of a code to write in the database encoding: the Chinese one
 * when asked for and the encoding holds it, else the English code (which
 * input reads back as the same value).
 */
static char *
label_for_server(const CodeSet *set, int code, OutputLanguage language)
{
	if (language == OUTPUT_LANGUAGE_ZH && label_zh_in_server(set, code) == NULL)
		language = OUTPUT_LANGUAGE_EN;
	return utf8_to_server(codeset_label(set, code, language));
}

/*
 * A refused input as a message quotes it: whole when short, else its first
 * 64 bytes cut at a character boundary and "...", so a megabyte of garbage
 * does not come back in the error and the server log.
 */
char *
input_excerpt(const char *input, int len)
{
	int			kept;

	if (len <= INPUT_EXCERPT_BYTES)
		return pnstrdup(input, len);
	kept = pg_mbcliplen(input, len, INPUT_EXCERPT_BYTES);
	return psprintf("%.*s...", kept, input);
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
			 errmsg("unknown label language \"%s\"",
					input_excerpt(name, (int) strlen(name))),
			 errdetail("Allowed languages are \"en\" (English codes) and \"zh\" (Chinese labels).")));
	pg_unreachable();
}

/*
 * Text input of either type: refuse anything that is not a value with
 * 22P02, quoting the input and listing what is valid.  Input in a database
 * encoding other than UTF-8 is converted before the Chinese labels are
 * compared.  The refusal is soft when the caller gives an escontext
 * (pg_input_is_valid(), COPY ... ON_ERROR on PostgreSQL 16 and later).
 */
Datum
codeset_input(const CodeSet *set, const char *input, Node *escontext)
{
	size_t		len = strlen(input);
	int			code = codeset_parse(set, input, len);

	if (code == 0 && GetDatabaseEncoding() != PG_UTF8 &&
		GetDatabaseEncoding() != PG_SQL_ASCII)
	{
		char	   *utf8 = pg_server_to_any(input, (int) len, PG_UTF8);

		code = codeset_parse(set, utf8, strlen(utf8));
	}
	if (code == 0)
		ereturn(escontext, (Datum) 0,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input value for type %s: \"%s\"",
						set->type_name, input_excerpt(input, (int) len)),
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
	return label_for_server(set, code, (OutputLanguage) accountability_language);
}

/*
 * Binary input, format 1: one byte CODE_BINARY_FORMAT_VERSION, then one
 * byte holding the code.  Validated exactly like text input; anything else
 * is 22P03.
 */
Datum
codeset_receive(const CodeSet *set, StringInfo buf)
{
	int			remaining = buf->len - buf->cursor;
	int			code;

	switch (codeset_check_binary(set, (const unsigned char *) buf->data + buf->cursor,
								 remaining > 0 ? (size_t) remaining : 0, &code))
	{
		case CODE_BINARY_BAD_LENGTH:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary value for type %s", set->type_name),
					 errdetail("The value is %d bytes long; binary format %d is 2 bytes: the format version and the code.",
							   remaining, CODE_BINARY_FORMAT_VERSION)));
			break;
		case CODE_BINARY_BAD_VERSION:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("unsupported binary format version %d for type %s",
							(int) (unsigned char) buf->data[buf->cursor], set->type_name),
					 errdetail("This version of pg_accountability reads binary format %d.",
							   CODE_BINARY_FORMAT_VERSION)));
			break;
		case CODE_BINARY_BAD_CODE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary value %d for type %s",
							code, set->type_name),
					 errdetail("Binary codes range from 1 to %d: %s.",
							   set->count, codeset_valid_values(set))));
			break;
		case CODE_BINARY_OK:
			break;
	}
	buf->cursor += CODE_BINARY_LENGTH;
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
	return label_for_server(set, code, chosen);
}
