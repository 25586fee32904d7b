/*-------------------------------------------------------------------------
 *
 * status.c
 *	  The accountability.case_status type and the case state machine.
 *
 * The transition table below is the one place the lifecycle is written
 * down (DESIGN.md "The two types"); can_transition, next_statuses and
 * the workflow trigger all consult it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "pg_accountability.h"

/* One legal move of a case from one status to another. */
typedef struct CaseTransition
{
	CaseStatus	from;
	CaseStatus	to;
} CaseTransition;

/*
 * The legal transitions, DESIGN.md's list in lifecycle order.  Every move
 * not listed here is refused.
 */
static const CaseTransition case_transitions[] = {
	{CASE_STATUS_RECEIVED, CASE_STATUS_INVESTIGATING},
	{CASE_STATUS_RECEIVED, CASE_STATUS_CLOSED},	/* not taken up */
	{CASE_STATUS_INVESTIGATING, CASE_STATUS_UNFOUNDED},
	{CASE_STATUS_INVESTIGATING, CASE_STATUS_LIABLE},
	{CASE_STATUS_UNFOUNDED, CASE_STATUS_FOLLOW_UP},	/* after clarification */
	{CASE_STATUS_UNFOUNDED, CASE_STATUS_CLOSED},	/* no clarification */
	{CASE_STATUS_LIABLE, CASE_STATUS_TOLERANCE_REVIEW},
	{CASE_STATUS_LIABLE, CASE_STATUS_DETERMINED},
	{CASE_STATUS_TOLERANCE_REVIEW, CASE_STATUS_DETERMINED},
	{CASE_STATUS_DETERMINED, CASE_STATUS_NOTIFIED},
	{CASE_STATUS_NOTIFIED, CASE_STATUS_APPEALED},
	{CASE_STATUS_NOTIFIED, CASE_STATUS_CORRECTING},
	{CASE_STATUS_NOTIFIED, CASE_STATUS_FILED},
	{CASE_STATUS_APPEALED, CASE_STATUS_DETERMINED},	/* re-determination */
	{CASE_STATUS_APPEALED, CASE_STATUS_CORRECTING},
	{CASE_STATUS_APPEALED, CASE_STATUS_FILED},
	{CASE_STATUS_CORRECTING, CASE_STATUS_FILED},
	{CASE_STATUS_FILED, CASE_STATUS_FOLLOW_UP},
	{CASE_STATUS_FILED, CASE_STATUS_CLOSED},
	{CASE_STATUS_FOLLOW_UP, CASE_STATUS_CLOSED},
};

/* Is moving a case from "from" to "to" in the transition table? */
bool
case_status_can_transition(CaseStatus from, CaseStatus to)
{
	size_t		i;

	for (i = 0; i < lengthof(case_transitions); i++)
	{
		if (case_transitions[i].from == from && case_transitions[i].to == to)
			return true;
	}
	return false;
}

/* Text and binary I/O, text casts and label(), shared with outcome.c. */
DEFINE_CODESET_TYPE_FUNCTIONS(case_status, case_status_codes)

/* accountability.can_transition(from, to): a lookup in the table. */
PG_FUNCTION_INFO_V1(case_status_can_transition_sql);
Datum
case_status_can_transition_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(case_status_can_transition(DatumGetCode(PG_GETARG_DATUM(0)),
											  DatumGetCode(PG_GETARG_DATUM(1))));
}

/*
 * accountability.next_statuses(status): the legal next statuses in
 * lifecycle order, an empty array for closed.
 */
PG_FUNCTION_INFO_V1(case_status_next_statuses);
Datum
case_status_next_statuses(PG_FUNCTION_ARGS)
{
	CaseStatus	from = DatumGetCode(PG_GETARG_DATUM(0));
	Oid			array_type = get_fn_expr_rettype(fcinfo->flinfo);
	Oid			element_type = get_element_type(array_type);
	Datum		next[CASE_STATUS_COUNT];
	int			count = 0;
	int			to;

	if (!OidIsValid(element_type))
		elog(ERROR, "could not determine the element type of next_statuses");
	for (to = 1; to <= CASE_STATUS_COUNT; to++)
	{
		if (case_status_can_transition(from, to))
			next[count++] = CodeGetDatum(to);
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(next, count, element_type,
										  1, true, TYPALIGN_CHAR));
}
