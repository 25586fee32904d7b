/*-------------------------------------------------------------------------
 *
 * pg_accountability.h
 *	  Public declarations of pg_accountability: the two one-byte types,
 *	  their code sets, the language setting and the transition table.
 *
 * The numeric codes below are stored on disk and sent on the wire
 * (binary format 1).  They are forever: never renumber, only append.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PG_ACCOUNTABILITY_H
#define PG_ACCOUNTABILITY_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"

/*
 * accountability.case_status: codes in lifecycle order (DESIGN.md
 * "The two types"), so comparing codes compares lifecycle positions.
 */
typedef enum CaseStatus
{
	CASE_STATUS_RECEIVED = 1,	/* 受理 */
	CASE_STATUS_INVESTIGATING,	/* 核查 */
	CASE_STATUS_UNFOUNDED,		/* 失实 */
	CASE_STATUS_LIABLE,			/* 责任认定 */
	CASE_STATUS_TOLERANCE_REVIEW,	/* 容错审查 */
	CASE_STATUS_DETERMINED,		/* 认定 */
	CASE_STATUS_NOTIFIED,		/* 告知 */
	CASE_STATUS_APPEALED,		/* 申诉 */
	CASE_STATUS_CORRECTING,		/* 纠错 */
	CASE_STATUS_FILED,			/* 备案 */
	CASE_STATUS_FOLLOW_UP,		/* 回访 */
	CASE_STATUS_CLOSED			/* 办结 */
} CaseStatus;

#define CASE_STATUS_COUNT 12

/*
 * accountability.tolerance_outcome: codes in order of leniency, so
 * "outcome >= exempted" means no sanction and max() is the most lenient.
 */
typedef enum ToleranceOutcome
{
	TOLERANCE_NOT_TOLERABLE = 1,	/* 不予容错 */
	TOLERANCE_LIGHTER,			/* 从轻问责 */
	TOLERANCE_REDUCED,			/* 减轻问责 */
	TOLERANCE_EXEMPTED,			/* 免予问责 */
	TOLERANCE_NOT_ACCOUNTABLE	/* 不予问责 */
} ToleranceOutcome;

#define TOLERANCE_OUTCOME_COUNT 5

/* Version of the binary send/receive format (first byte on the wire). */
#define CODE_BINARY_FORMAT_VERSION 1

/* Output languages of the accountability.language setting. */
typedef enum OutputLanguage
{
	OUTPUT_LANGUAGE_EN,
	OUTPUT_LANGUAGE_ZH
} OutputLanguage;

/*
 * A closed set of codes with an English code and a Chinese label each:
 * the data behind both one-byte types.  labels[i] describes code i + 1.
 */
typedef struct CodeLabel
{
	const char *code;			/* English code, lower case */
	const char *zh;				/* Chinese label */
} CodeLabel;

typedef struct CodeSet
{
	const char *type_name;		/* SQL type name, for messages */
	const CodeLabel *labels;
	int			count;
} CodeSet;

/* labels.c: the code sets, parsing and formatting (no fmgr needed) */
extern PGDLLIMPORT const CodeSet case_status_codes;
extern PGDLLIMPORT const CodeSet tolerance_outcome_codes;
extern PGDLLIMPORT int accountability_language;
extern PGDLLIMPORT char *accountability_actor;

extern int	codeset_parse(const CodeSet *set, const char *input, size_t len);
extern bool codeset_is_valid(const CodeSet *set, int code);
extern const char *codeset_label(const CodeSet *set, int code,
								 OutputLanguage language);
extern char *codeset_valid_values(const CodeSet *set);
extern OutputLanguage language_from_text(text *language);

/* labels.c: the fmgr-facing halves of input, output, receive and send */
extern Datum codeset_input(const CodeSet *set, const char *input);
extern char *codeset_output(const CodeSet *set, Datum value);
extern Datum codeset_receive(const CodeSet *set, StringInfo buf);
extern bytea *codeset_send(Datum value);
extern const char *codeset_label_in(const CodeSet *set, Datum value,
									text *language);

/*
 * The SQL-callable I/O of a code-set type "name": name_in, name_out,
 * name_recv, name_send, the text casts name_from_text and name_to_text,
 * and name_label(value, lang).  All are thin wrappers of labels.c, written
 * once here so both types behave identically.
 */
#define DEFINE_CODESET_TYPE_FUNCTIONS(name, set) \
PG_FUNCTION_INFO_V1(name##_in); \
Datum \
name##_in(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_DATUM(codeset_input(&(set), PG_GETARG_CSTRING(0))); \
} \
PG_FUNCTION_INFO_V1(name##_out); \
Datum \
name##_out(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_CSTRING(codeset_output(&(set), PG_GETARG_DATUM(0))); \
} \
PG_FUNCTION_INFO_V1(name##_recv); \
Datum \
name##_recv(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_DATUM(codeset_receive(&(set), (StringInfo) PG_GETARG_POINTER(0))); \
} \
PG_FUNCTION_INFO_V1(name##_send); \
Datum \
name##_send(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BYTEA_P(codeset_send(PG_GETARG_DATUM(0))); \
} \
PG_FUNCTION_INFO_V1(name##_from_text); \
Datum \
name##_from_text(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_DATUM(codeset_input(&(set), text_to_cstring(PG_GETARG_TEXT_PP(0)))); \
} \
PG_FUNCTION_INFO_V1(name##_to_text); \
Datum \
name##_to_text(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_TEXT_P(cstring_to_text(codeset_output(&(set), PG_GETARG_DATUM(0)))); \
} \
PG_FUNCTION_INFO_V1(name##_label); \
Datum \
name##_label(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_TEXT_P(cstring_to_text(codeset_label_in(&(set), \
										PG_GETARG_DATUM(0), \
										PG_GETARG_TEXT_PP(1)))); \
}

/* status.c: the one transition table */
extern bool case_status_can_transition(CaseStatus from, CaseStatus to);

/* Datum conversions of the one-byte codes */
#define DatumGetCode(d)		((int) DatumGetUInt8(d))
#define CodeGetDatum(c)		UInt8GetDatum((uint8) (c))

#endif							/* PG_ACCOUNTABILITY_H */
