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

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "pg_accountability.h"

/* The accountability.language setting (registered in _PG_init). */
int			accountability_language = OUTPUT_LANGUAGE_EN;

/* A UTF-8 string in the database encoding, palloc'd. */
static char *
utf8_to_server(const char *utf8)
{
	return pstrdup(pg_any_to_server(utf8, (int) strlen(utf8), PG_UTF8));
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

	/*
	 * Not reached by the tests, which run in UTF-8: the install script only
	 * loads into a UTF-8 database or a single-byte one (where no converted
	 * input can spell a Chinese label); see README "Development".
	 * GCOVR_EXCL_START
	 */
	if (code == 0 && GetDatabaseEncoding() != PG_UTF8)
	{
		char	   *utf8 = pg_server_to_any(input, (int) len, PG_UTF8);

		code = codeset_parse(set, utf8, strlen(utf8));
	}
	/* GCOVR_EXCL_STOP */
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
	return utf8_to_server(codeset_label(set, code, chosen));
}
