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

/* assess.c: the decision procedure */

#include "access/tupdesc.h"
#include "utils/jsonb.h"

/* The facts keys of assess_tolerance, by index (DESIGN.md "The decision procedure"). */
typedef enum ToleranceFact
{
	FACT_SITUATION,				/* text: national code or unit-list item */
	FACT_SITUATION_LISTED,		/* boolean, default false */
	FACT_EXCLUDED,				/* boolean, default false: negative list */
	FACT_RED_LINE_BREACH,		/* gates: booleans */
	FACT_KNOWING_VIOLATION,
	FACT_VIOLATED_EXPLICIT_BAN,
	FACT_PRIVATE_GAIN,
	FACT_FRAUD_OR_OBSTRUCTION,
	FACT_REPEATED_ERROR,
	FACT_CONSEQUENCE,			/* none | minor | serious | grave */
	FACT_PROCEDURE_PROPER,		/* conditions: booleans */
	FACT_DILIGENT,
	FACT_CORRECTED_PROMPTLY,
	FACT_LOSS_RECOVERED,		/* none | partial | full, default none */
	FACT_COOPERATED				/* boolean, default false */
} ToleranceFact;

#define TOLERANCE_FACT_COUNT 15

/* Every fact's value 0 means absent (the key left out, or JSON null). */
#define FACT_ABSENT 0

/* Values of a boolean fact. */
typedef enum ToleranceBoolean
{
	FACT_FALSE = 1,
	FACT_TRUE
} ToleranceBoolean;

/* Values of situation: the national codes, then any other (listed) text. */
typedef enum ToleranceSituation
{
	SITUATION_REFORM_PILOT = 1, /* 改革先行先试 */
	SITUATION_EXPLORATORY_TRIAL,	/* 无明确限制的探索性试验 */
	SITUATION_DEVELOPMENT_INADVERTENT,	/* 推动发展的无意过失 */
	SITUATION_COLLECTIVE_DISSENT,	/* 集体决策中明确反对 */
	SITUATION_FORCE_MAJEURE,	/* 不可抗力、难以预见 */
	SITUATION_OTHER				/* a unit-list item code */
} ToleranceSituation;

/* Values of consequence, in order of gravity. */
typedef enum ToleranceConsequence
{
	CONSEQUENCE_NONE = 1,
	CONSEQUENCE_MINOR,
	CONSEQUENCE_SERIOUS,
	CONSEQUENCE_GRAVE
} ToleranceConsequence;

/* Values of loss_recovered. */
typedef enum ToleranceLossRecovered
{
	LOSS_RECOVERED_NONE = 1,
	LOSS_RECOVERED_PARTIAL,
	LOSS_RECOVERED_FULL
} ToleranceLossRecovered;

/*
 * The facts of one matter, as read from jsonb.  value[f] is FACT_ABSENT or
 * the fact's enum value above.  situation points at the situation text as
 * written (not NUL-terminated, inside the jsonb it was read from), NULL
 * when absent, so assess_case can look it up in the unit's list.
 */
typedef struct ToleranceFacts
{
	uint8		value[TOLERANCE_FACT_COUNT];
	const char *situation;
	int			situation_len;
} ToleranceFacts;

/*
 * The rules of version 1 in the order they are applied; each is one row of
 * tolerance_rule_table and one reason code.  Never renumber, only append.
 */
typedef enum ToleranceRule
{
	RULE_GATE_RED_LINE,
	RULE_MISSING_RED_LINE_BREACH,
	RULE_GATE_KNOWING_VIOLATION,
	RULE_MISSING_KNOWING_VIOLATION,
	RULE_GATE_EXPLICIT_BAN,
	RULE_MISSING_VIOLATED_EXPLICIT_BAN,
	RULE_GATE_PRIVATE_GAIN,
	RULE_MISSING_PRIVATE_GAIN,
	RULE_GATE_FRAUD_OR_OBSTRUCTION,
	RULE_MISSING_FRAUD_OR_OBSTRUCTION,
	RULE_GATE_REPEATED_ERROR,
	RULE_MISSING_REPEATED_ERROR,
	RULE_GATE_SERIOUS_CONSEQUENCE,
	RULE_MISSING_CONSEQUENCE,
	RULE_GATE_EXCLUDED,
	RULE_SITUATION_REFORM_PILOT,
	RULE_SITUATION_EXPLORATORY_TRIAL,
	RULE_SITUATION_DEVELOPMENT_INADVERTENT,
	RULE_SITUATION_COLLECTIVE_DISSENT,
	RULE_SITUATION_FORCE_MAJEURE,
	RULE_SITUATION_LISTED,
	RULE_NO_SITUATION,
	RULE_CONDITION_PROCEDURE_NOT_PROPER,
	RULE_MISSING_PROCEDURE_PROPER,
	RULE_CONDITION_NOT_DILIGENT,
	RULE_MISSING_DILIGENT,
	RULE_CONDITION_NOT_CORRECTED_PROMPTLY,
	RULE_MISSING_CORRECTED_PROMPTLY,
	RULE_CONDITIONS_MET,
	RULE_CONSEQUENCE_NONE,
	RULE_CONSEQUENCE_MINOR,
	RULE_MITIGATION_FULL_RECOVERY_AND_COOPERATION,
	RULE_MITIGATION_FULL_RECOVERY,
	RULE_MITIGATION_PARTIAL_RECOVERY,
	RULE_MITIGATION_COOPERATION,
	RULE_NO_MITIGATION
} ToleranceRule;

#define TOLERANCE_RULE_COUNT (RULE_NO_MITIGATION + 1)

/* One rule: its reason code, step (1-4), texts and source (UTF-8). */
typedef struct ToleranceRuleInfo
{
	const char *code;
	int			step;
	const char *en;
	const char *zh;
	const char *source;
} ToleranceRuleInfo;

extern PGDLLIMPORT const ToleranceRuleInfo tolerance_rule_table[TOLERANCE_RULE_COUNT];

/*
 * The reasons of one decision, in the order the rules were applied.  The
 * longest list is all eight gates failing.
 */
#define TOLERANCE_MAX_REASONS 8

typedef struct ToleranceReasons
{
	int			count;
	ToleranceRule rule[TOLERANCE_MAX_REASONS];
} ToleranceReasons;

/*
 * tolerance_facts_from_jsonb reads and validates a facts object (22023 on
 * bad input); tolerance_decide is the procedure itself, pure (no palloc,
 * no ereport, no fmgr; any byte values are safe); tolerance_assessment_form
 * builds the composite result from a blessed tolerance_assessment tupdesc.
 */
extern void tolerance_facts_from_jsonb(Jsonb *facts, ToleranceFacts *out);
extern ToleranceOutcome tolerance_decide(const ToleranceFacts *facts,
										 ToleranceReasons *reasons);
extern Datum tolerance_assessment_form(TupleDesc tupdesc,
									   ToleranceOutcome outcome,
									   const ToleranceReasons *reasons);

#endif							/* PG_ACCOUNTABILITY_H */
