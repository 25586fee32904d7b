/*-------------------------------------------------------------------------
 *
 * pg_accountability.h
 *	  Public declarations of pg_accountability: the PostgreSQL side of the
 *	  two one-byte types, the language setting and the decision procedure.
 *
 * The types' codes, the transition table and the decision procedure are
 * declared in core.h (pure C); this header adds what needs the server.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PG_ACCOUNTABILITY_H
#define PG_ACCOUNTABILITY_H

#include "postgres.h"

#include "compat.h"

#include "fmgr.h"
#include "lib/stringinfo.h"

/*
 * The types, code sets, transition table and decision procedure as pure C
 * (no fmgr, no ereport): codes.c, transitions.c and rules.c.
 */
#include "core/core.h"

/* labels.c: the settings, and formatting that allocates */
extern PGDLLIMPORT int accountability_language;
extern PGDLLIMPORT char *accountability_actor;

extern char *codeset_valid_values(const CodeSet *set);
extern const char *zh_gloss(const char *term_utf8);
extern OutputLanguage language_from_text(text *language);
extern char *input_excerpt(const char *input, int len);

/* labels.c: the fmgr-facing halves of input, output, receive and send */
extern Datum codeset_input(const CodeSet *set, const char *input,
						   Node *escontext);
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
	PG_RETURN_DATUM(codeset_input(&(set), PG_GETARG_CSTRING(0), fcinfo->context)); \
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
	PG_RETURN_DATUM(codeset_input(&(set), text_to_cstring(PG_GETARG_TEXT_PP(0)), NULL)); \
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

/* Datum conversions of the one-byte codes */
#define DatumGetCode(d)		((int) DatumGetUInt8(d))
#define CodeGetDatum(c)		UInt8GetDatum((uint8) (c))

/* assess.c: the decision procedure */

#include "access/tupdesc.h"
#include "utils/jsonb.h"
#include "utils/relcache.h"

/*
 * tolerance_facts_from_jsonb reads a facts object with the jsonb iterator
 * and validates each key and value with the pure tolerance_fact_from_key
 * and tolerance_fact_set (rules.c), turning a refusal into 22023 (22001
 * for an overlong situation); tolerance_facts_problem reads the same way
 * but returns the refusal's message instead of raising it (NULL if none);
 * tolerance_decide (rules.c) is the procedure itself;
 * tolerance_assessment_form builds the composite result from a blessed
 * tolerance_assessment tupdesc.
 */
extern void tolerance_facts_from_jsonb(Jsonb *facts, ToleranceFacts *out);
extern char *tolerance_facts_problem(Jsonb *facts, ToleranceFacts *out);
extern Datum tolerance_assessment_form(TupleDesc tupdesc,
									   ToleranceOutcome outcome,
									   const ToleranceReasons *reasons);

/*
 * hold_listed_situation_shared holds the lock of the tolerance-list code a
 * case's facts name (a national situation's too: case_facts() matches an
 * item coded so) shared to the commit; writers of the code's items take it
 * exclusively.
 */
extern void hold_listed_situation_shared(Datum facts);

/*
 * hold_cadre_situations holds a cadre's cases' situations to the commit:
 * shared while a determination reads them (case_facts()'s repeated error),
 * exclusively while a case's situation changes (situation_guard).
 */
extern void hold_cadre_situations(int64 subject_id, bool shared);

/* workflow/determination.c: what a judgment of the lists holds */

/*
 * hold_judged_lists holds, to the commit and in this order, the case's unit
 * chain and the deciding unit (FOR SHARE: any UPDATE of those rows, a move
 * or a rename, waits), then the list code the facts name: a determination
 * and a move that needs one standing (workflow/workflow.c) judge the lists
 * so.
 */
extern void hold_judged_lists(Relation rel, int64 case_id,
							  Datum deciding_unit, bool no_deciding_unit,
							  Datum facts, bool no_facts);

#endif							/* PG_ACCOUNTABILITY_H */
