/*-------------------------------------------------------------------------
 *
 * status.c
 *	  The accountability.case_status type and the case state machine.
 *
 * The transition table is the one place the lifecycle is written down
 * (DESIGN.md "The two types"); it is pure C in transitions.c (core.h), so
 * it can be tested and fuzzed on its own.  can_transition, next_statuses
 * and the workflow trigger all consult it; the SQL functions here are thin
 * wrappers.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "support/support.h"

/*
 * "investigating, closed" for messages: the statuses of a mask in
 * lifecycle order, in the output language; "none" for an empty mask.
 */
char *
case_status_list(uint32 mask)
{
	StringInfoData buf;
	int			code;

	initStringInfo(&buf);
	for (code = 1; code <= CASE_STATUS_COUNT; code++)
	{
		if (mask & ((uint32) 1 << code))
			appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "",
							 codeset_output(&case_status_codes, CodeGetDatum(code)));
	}
	if (buf.len == 0)
		appendStringInfoString(&buf, "none (closed is final)");
	return buf.data;
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
	uint32		mask = case_status_next_mask(from);
	int			count = 0;
	int			to;

	if (!OidIsValid(element_type))
		elog(ERROR, "could not determine the element type of next_statuses");

	for (to = 1; to <= CASE_STATUS_COUNT; to++)
	{
		if (mask & ((uint32) 1 << to))
			next[count++] = CodeGetDatum(to);
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(next, count, element_type,
										  1, true, TYPALIGN_CHAR));
}

/*
 * accountability.statuses_reached_avoiding(avoid): the statuses a case can
 * reach from received without being in any of "avoid", in lifecycle order
 * (core/transitions.c); verify_ledger() judges an imported case's rows by
 * it, as case_child_trigger() does.  NULL elements are ignored.
 */
PG_FUNCTION_INFO_V1(case_status_reached_avoiding_sql);
Datum
case_status_reached_avoiding_sql(PG_FUNCTION_ARGS)
{
	ArrayType  *avoid = PG_GETARG_ARRAYTYPE_P(0);
	Oid			element_type = ARR_ELEMTYPE(avoid);
	Datum	   *avoided;
	bool	   *nulls;
	int			count;
	int			i;
	uint32		mask = 0;
	uint32		reached;
	Datum		statuses[CASE_STATUS_COUNT];
	int			found = 0;
	int			status;

	deconstruct_array(avoid, element_type, 1, true, TYPALIGN_CHAR, &avoided, &nulls, &count);
	for (i = 0; i < count; i++)
	{
		if (!nulls[i])
			mask |= (uint32) 1 << DatumGetCode(avoided[i]);
	}
	reached = case_status_reached_avoiding(mask);
	for (status = 1; status <= CASE_STATUS_COUNT; status++)
	{
		if (reached & ((uint32) 1 << status))
			statuses[found++] = CodeGetDatum(status);
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(statuses, found, element_type,
										  1, true, TYPALIGN_CHAR));
}

/*
 * accountability.transition_requirements(from, to): what a legal move
 * requires besides being in the table, by name, in the table's bit order;
 * NULL when the move is not legal.  verify_ledger() re-checks each name
 * against the ledger, so the table stays the one list of them.
 */
PG_FUNCTION_INFO_V1(case_status_transition_requirements);
Datum
case_status_transition_requirements(PG_FUNCTION_ARGS)
{
	int			requires = case_transition_requirements(DatumGetCode(PG_GETARG_DATUM(0)),
														DatumGetCode(PG_GETARG_DATUM(1)));
	Datum		names[32];
	int			count = 0;
	int			requirement;

	if (requires < 0)
		PG_RETURN_NULL();
	for (requirement = 1; requirement <= REQUIRES_ANY; requirement <<= 1)
	{
		if (requires & requirement)
			names[count++] = CStringGetTextDatum(case_requirement_name(requirement));
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(names, count, TEXTOID, -1, false, TYPALIGN_INT));
}
