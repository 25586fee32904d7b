/*-------------------------------------------------------------------------
 *
 * determination.c
 *	  Recording a determination (认定): the database's own assessment is
 *	  stored beside the outcome the deciding body chose, and the two may
 *	  differ only within DESIGN.md's rule.
 *
 * BEFORE INSERT ... FOR EACH ROW on determinations, before the numbering
 * trigger.  It assembles the case's facts (accountability.case_facts: the
 * recorded facts plus what only the database knows: the unit's tolerance
 * lists, the subject's earlier tolerated errors), runs the same C decision
 * procedure as assess_tolerance, and then allows the decided outcome to be
 * more lenient than assessed by at most one grade, only with a written
 * basis, and never when a gate failed.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/jsonb.h"
#include "utils/rel.h"

#include "support/support.h"

/*
 * The case's cadre, held FOR KEY SHARE to the commit: a promotion of the
 * cadre (promotion_trigger(), FOR UPDATE) waits for this determination,
 * and then sees the sanction it records.  Its id comes back, for the lock
 * of its cases' situations.
 */
static SavedPlan hold_cadre = {
	"SELECT s.subject_id FROM {schema}.subjects s JOIN {schema}.cases c ON c.subject_id OPERATOR(pg_catalog.=) s.subject_id"
	" WHERE c.case_id OPERATOR(pg_catalog.=) $1 FOR KEY SHARE OF s",
	1, {INT8OID}, NULL
};

/*
 * The facts recorded on the case, for the list code they name, and the
 * date they are judged on: the event date, or the registration date while
 * none is known.
 */
static SavedPlan recorded_facts = {
	"SELECT c.facts, coalesce(c.event_on, c.opened_on) AS judged_on"
	" FROM {schema}.cases c WHERE c.case_id OPERATOR(pg_catalog.=) $1",
	1, {INT8OID}, NULL
};

/* The facts of a case as assess_case sees them. */
static SavedPlan case_facts = {
	"SELECT {schema}.case_facts($1) AS facts",
	1, {INT8OID}, NULL
};

/*
 * The level of the deciding unit, and whether it is above the case's own
 * unit (or is it): a department answers for the unit it belongs to.
 */
static SavedPlan deciding_unit = {
	/* the walk up from the case's unit (a 1.0 schema has no unit_ancestors) */
	"WITH RECURSIVE up (unit_id, depth) AS ("
	"  SELECT c.unit_id, 0 FROM {schema}.cases c WHERE c.case_id OPERATOR(pg_catalog.=) $2"
	"  UNION ALL SELECT p.parent_id, up.depth OPERATOR(pg_catalog.+) 1 FROM {schema}.units p"
	"  JOIN up ON p.unit_id OPERATOR(pg_catalog.=) up.unit_id"
	"  WHERE p.parent_id IS NOT NULL AND up.depth OPERATOR(pg_catalog.<) 64)"
	" SELECT u.level, (SELECT p.level FROM {schema}.units p WHERE p.unit_id OPERATOR(pg_catalog.=) u.parent_id) AS parent_level,"
	" EXISTS (SELECT 1 FROM up"
	"  WHERE up.unit_id OPERATOR(pg_catalog.=) CASE WHEN u.level OPERATOR(pg_catalog.=) 'department'"
	"                                             THEN u.parent_id ELSE u.unit_id END) AS above"
	" FROM {schema}.units u WHERE u.unit_id OPERATOR(pg_catalog.=) $1",
	2, {INT8OID, INT8OID}, NULL
};

/*
 * The case's unit and the units above it, and the deciding unit if one is
 * given, held FOR SHARE until the commit: a unit moved meanwhile waits, or
 * is waited for and then seen, so the tree judged here is the tree the
 * ledger holds just before the judgment (verify_ledger() steps 3d and 5b;
 * round 12's review found a move committed while a determination read the
 * old tree).  The ids come back so that a chain changed by a move waited
 * for is walked and locked again.
 */
static SavedPlan lock_case_units = {
	"WITH RECURSIVE up (unit_id, depth) AS ("
	"  SELECT c.unit_id, 0 FROM {schema}.cases c WHERE c.case_id OPERATOR(pg_catalog.=) $2"
	"  UNION ALL SELECT p.parent_id, up.depth OPERATOR(pg_catalog.+) 1 FROM {schema}.units p"
	"  JOIN up ON p.unit_id OPERATOR(pg_catalog.=) up.unit_id"
	"  WHERE p.parent_id IS NOT NULL AND up.depth OPERATOR(pg_catalog.<) 64)"
	" SELECT u.unit_id, u.parent_id FROM {schema}.units u"
	" WHERE u.unit_id OPERATOR(pg_catalog.=) $1"
	" OR EXISTS (SELECT 1 FROM up WHERE up.unit_id OPERATOR(pg_catalog.=) u.unit_id)"
	" ORDER BY u.unit_id FOR SHARE OF u",
	2, {INT8OID, INT8OID}, NULL
};

/*
 * The units the last lock_case_units run returned, each with its parent,
 * written out exactly ("unit:parent" in unit order), for comparing walks.
 */
static char *
locked_units_walked(void)
{
	StringInfoData walked;
	uint64		row;

	initStringInfo(&walked);
	for (row = 0; row < SPI_processed; row++)
	{
		bool		unit_null;
		bool		parent_null;
		Datum		unit = spi_result_value(row, "unit_id", INT8OID, &unit_null);
		Datum		parent = spi_result_value(row, "parent_id", INT8OID, &parent_null);

		appendStringInfo(&walked, INT64_FORMAT ":", DatumGetInt64(unit));
		if (!parent_null)
			appendStringInfo(&walked, INT64_FORMAT, DatumGetInt64(parent));
		appendStringInfoChar(&walked, ';');
	}
	return walked.data;
}

/*
 * Hold the case's unit chain (and the deciding unit, unless
 * no_deciding_unit) FOR SHARE to the commit, under the latest snapshot,
 * until a walk finds exactly the units and parents it locked the last: a
 * move waited for may have put other units above the case.  A
 * determination and a move that needs one standing hold it so (session
 * 23's review: one without a deciding unit read the tree unguarded).  In
 * READ COMMITTED a move is waited for and then walked; under REPEATABLE
 * READ or SERIALIZABLE a row moved by a transaction that commits while
 * it is waited for cannot be locked in its new version: 40001, retry.
 * (Locking runs the query as a write, so the command counter advances.)
 */
static void
hold_case_units_shared(Relation rel, int64 case_id, Datum deciding_unit,
					   bool no_deciding_unit)
{
	Datum		args[2];
	char	   *previous = NULL;
	int			walks;

	args[0] = deciding_unit;
	args[1] = Int64GetDatum(case_id);
	for (walks = 0; walks < 16; walks++)
	{
		char	   *walked;

		run_saved_plan_latest_as_owner(&lock_case_units, rel, args,
									   no_deciding_unit ? "n " : NULL, true, 0);
		walked = locked_units_walked();
		if (previous != NULL && strcmp(walked, previous) == 0)
			return;
		previous = walked;
	}
	ereport(ERROR,
			(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
			 errmsg("the units above case %lld kept moving while they were read", (long long) case_id),
			 errhint("Retry the transaction.")));
}

/*
 * Hold, to the commit, what a judgment of the lists reads: the case's unit
 * chain (and the deciding unit, unless no_deciding_unit) and the list code
 * the case's facts name (none when no_facts).  A determination and a move
 * that needs one standing judge them so, and the ledger then orders every
 * change of them before or after the judgment, as it happened.
 */
void
hold_judged_lists(Relation rel, int64 case_id, Datum deciding_unit,
				  bool no_deciding_unit, Datum facts, bool no_facts)
{
	hold_case_units_shared(rel, case_id, deciding_unit, no_deciding_unit);
	if (!no_facts)
		hold_listed_situation_shared(facts);
}

/*
 * Is the unit a city or the province, or a department of one?  A department
 * decides for the unit it belongs to: a county's own is a county.
 */
static bool
city_level_or_above(const char *level, const char *parent_level)
{
	if (level != NULL && strcmp(level, "department") == 0)
		level = parent_level;
	return level != NULL && (strcmp(level, "province") == 0 || strcmp(level, "city") == 0);
}

/*
 * A deciding unit is the case's own unit or one above it, or a department
 * of one: never another county's (attack round 9).  A false accusation is
 * determined at city level or above (市级以上), never by the county that
 * received the report: by the city or province the case's unit belongs
 * to, or a department of one, never by a city elsewhere.
 */
static void
check_deciding_unit(Relation rel, Datum deciding_unit_id, bool no_deciding_unit,
					int64 case_id, bool false_accusation)
{
	bool		isnull;
	Datum		args[2];
	char	   *level = NULL;
	char	   *parent_level = NULL;
	bool		above = false;

	args[0] = deciding_unit_id;
	args[1] = Int64GetDatum(case_id);
	if (!no_deciding_unit &&
		run_saved_plan_latest_as_owner(&deciding_unit, rel, args, NULL, false, 1) > 0)
	{
		Datum		parent = spi_result_value(0, "parent_level", TEXTOID, &isnull);

		parent_level = isnull ? NULL : TextDatumGetCString(parent);
		level = TextDatumGetCString(spi_result_value(0, "level", TEXTOID, &isnull));
		above = DatumGetBool(spi_result_value(0, "above", BOOLOID, &isnull));
	}
	if (!false_accusation)
	{
		if (level != NULL && !above)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("a determination's deciding unit must be the case's unit or a unit above it"),
					 errdetail("deciding_unit_id is a %s-level unit that is not the case's unit or above it.", level),
					 errhint("Set deciding_unit_id to the unit whose body decided: the case's unit, a unit above it, or a department of one.")));
		return;
	}
	if (!city_level_or_above(level, parent_level))
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("a false-accusation determination must come from a unit at city level or above"),
				 errdetail("deciding_unit_id is %s.",
						   level == NULL ? "not a known unit"
						   : strcmp(level, "department") == 0
						   ? psprintf("a department of a %s", parent_level ? parent_level : "unit of no level")
						   : psprintf("a %s-level unit", level)),
				 errhint("Set deciding_unit_id to the city or provincial unit that approved the finding, or to a department of one.")));
	if (!above)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("a false-accusation determination must come from the city or province the case belongs to"),
				 errdetail("deciding_unit_id is a %s-level unit that is not above the case's unit.", level),
				 errhint("Set deciding_unit_id to the city or provincial unit above the case's unit, or to a department of one.")));
}

/* Did any reason come from a failed gate (rule step 1)? */
static bool
gate_failed(const ToleranceReasons *reasons)
{
	int			i;

	for (i = 0; i < reasons->count; i++)
		if (tolerance_rule_table[reasons->rule[i]].step == 1)
			return true;
	return false;
}

/* The reason codes as a text[] for storing. */
static Datum
reasons_array(const ToleranceReasons *reasons)
{
	Datum		codes[TOLERANCE_MAX_REASONS];
	int			i;

	for (i = 0; i < reasons->count; i++)
		codes[i] = CStringGetTextDatum(tolerance_rule_table[reasons->rule[i]].code);
	return PointerGetDatum(construct_array(codes, reasons->count, TEXTOID,
										   -1, false, TYPALIGN_INT));
}

/* How a decided outcome can break DESIGN.md's rule. */
typedef enum DecisionProblem
{
	DECISION_WITHIN_RULE,
	DECISION_LENIENT_AFTER_GATE,	/* more lenient although a gate failed */
	DECISION_TOO_LENIENT,		/* more than one grade more lenient */
	DECISION_WITHOUT_BASIS		/* a departure with no written basis */
} DecisionProblem;

/*
 * DESIGN.md: the decided outcome may be more lenient than assessed by at
 * most one grade, only with a written basis, and never when a gate failed;
 * a stricter outcome also needs a basis.  The one statement of the rule:
 * the trigger refuses by it, verify_ledger() checks recorded rows by it.
 */
static DecisionProblem
decision_problem(ToleranceOutcome assessed, const ToleranceReasons *reasons,
				 ToleranceOutcome decided, bool basis_written)
{
	if (decided > assessed && gate_failed(reasons))
		return DECISION_LENIENT_AFTER_GATE;
	if (decided > assessed + 1)
		return DECISION_TOO_LENIENT;
	if (decided != assessed && !basis_written)
		return DECISION_WITHOUT_BASIS;
	return DECISION_WITHIN_RULE;
}

/* The trigger's refusal of a decided outcome outside the rule. */
static void
check_decided_outcome(ToleranceOutcome assessed, const ToleranceReasons *reasons,
					  ToleranceOutcome decided, bool basis_written)
{
	const char *decided_code = codeset_output(&tolerance_outcome_codes, CodeGetDatum(decided));
	const char *assessed_code = codeset_output(&tolerance_outcome_codes, CodeGetDatum(assessed));

	switch (decision_problem(assessed, reasons, decided, basis_written))
	{
		case DECISION_LENIENT_AFTER_GATE:
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("outcome %s is more lenient than the assessment, %s, after a failed gate",
							decided_code, assessed_code),
					 errdetail("A gate%s failed: tolerance does not apply, whatever the deciding body's view.",
							   zh_gloss("排除情形")),
					 errhint("See the reasons with accountability.assess_case(case_id).")));
			break;
		case DECISION_TOO_LENIENT:
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("outcome %s is more than one grade more lenient than the assessment, %s",
							decided_code, assessed_code),
					 errdetail("The deciding body may depart from the assessment by one grade at most."),
					 errhint("Record the facts that justify more leniency on the case, then assess again.")));
			break;
		case DECISION_WITHOUT_BASIS:
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("a determination %s than the assessment needs a written basis",
							decided > assessed ? "more lenient" : "stricter"),
					 errhint("Write the deciding body's reasons in the basis column.")));
			break;
		case DECISION_WITHIN_RULE:
			break;
	}
}

/*
 * Do the stored reason codes equal the procedure's?  They must be a plain
 * list: a matrix or an array numbered from elsewhere than 1 holds the same
 * codes but is not the value the trigger stored.
 */
static bool
reasons_match(const ToleranceReasons *reasons, ArrayType *stored)
{
	Datum	   *codes;
	bool	   *nulls;
	int			count;
	int			i;

	if (ARR_NDIM(stored) > 1 ||
		(ARR_NDIM(stored) == 1 && ARR_LBOUND(stored)[0] != 1))
		return false;
	deconstruct_array(stored, TEXTOID, -1, false, TYPALIGN_INT, &codes, &nulls, &count);
	if (count != reasons->count)
		return false;
	for (i = 0; i < count; i++)
		if (nulls[i] ||
			strcmp(TextDatumGetCString(codes[i]), tolerance_rule_table[reasons->rule[i]].code) != 0)
			return false;
	return true;
}

/*
 * accountability.determination_problem(facts, assessed_outcome,
 * assessed_reasons, outcome, basis): what is wrong with a recorded
 * determination, or null.  The assessment must be what the decision
 * procedure gives for its facts, and the outcome must keep to the rule.
 * verify_ledger() runs it on every determination the ledger holds, so a
 * row written with the guards off is found.
 */
PG_FUNCTION_INFO_V1(determination_problem);
Datum
determination_problem(PG_FUNCTION_ARGS)
{
	ToleranceFacts parsed;
	ToleranceReasons reasons;
	ToleranceOutcome assessed;
	ToleranceOutcome decided;
	bool		basis_written;
	char	   *facts_problem;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_TEXT_P(cstring_to_text("the determination lacks its facts, assessment or outcome"));
	decided = DatumGetCode(PG_GETARG_DATUM(3));
	basis_written = !PG_ARGISNULL(4) && text_is_written(PG_GETARG_TEXT_PP(4));
	facts_problem = tolerance_facts_problem(PG_GETARG_JSONB_P(0), &parsed);
	if (facts_problem != NULL)
		PG_RETURN_TEXT_P(cstring_to_text(psprintf("the determination's facts are not valid facts: %s",
												  facts_problem)));
	assessed = tolerance_decide(&parsed, &reasons);
	if (assessed != DatumGetCode(PG_GETARG_DATUM(1)) || !reasons_match(&reasons, PG_GETARG_ARRAYTYPE_P(2)))
		PG_RETURN_TEXT_P(cstring_to_text(psprintf("the recorded assessment is not what its facts give (%s)",
												  codeset_output(&tolerance_outcome_codes,
																 CodeGetDatum(assessed)))));
	switch (decision_problem(assessed, &reasons, decided, basis_written))
	{
		case DECISION_LENIENT_AFTER_GATE:
			PG_RETURN_TEXT_P(cstring_to_text("the outcome is more lenient than the assessment after a failed gate"));
		case DECISION_TOO_LENIENT:
			PG_RETURN_TEXT_P(cstring_to_text("the outcome is more than one grade more lenient than the assessment"));
		case DECISION_WITHOUT_BASIS:
			PG_RETURN_TEXT_P(cstring_to_text("the outcome departs from the assessment without a written basis"));
		case DECISION_WITHIN_RULE:
			break;
	}
	PG_RETURN_NULL();
}

PG_FUNCTION_INFO_V1(determination_trigger);
Datum
determination_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = trigger_data_checked(fcinfo, "determination_trigger",
												 true, true);
	Relation	rel = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	HeapTuple	tuple = trigdata->tg_trigtuple;
	bool		isnull;
	int64		case_id;
	int32		event_count;
	Datum		arg;
	Datum		deciding_unit_id;
	bool		no_deciding_unit;
	bool		false_accusation;
	Datum		recorded;
	bool		no_recorded;
	Datum		facts;
	Datum		judged_on;
	bool		judged_on_null;
	ToleranceFacts parsed;
	ToleranceReasons reasons;
	ToleranceOutcome assessed;
	ToleranceOutcome decided;
	Datum		basis_datum;
	bool		basis_null;
	int			columns[5];
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};
	int			ncolumns = 4;
	int			column;

	if (!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("determination_trigger must be fired BEFORE INSERT")));
	if (child_row_is_restored(rel, tuple, "determination_no"))
		return PointerGetDatum(tuple);

	case_id = DatumGetInt64(required_column(rel, tuple, "case_id", INT8OID));
	decided = DatumGetCode(heap_getattr(tuple, column_number(rel, "outcome", extension_type_oid("tolerance_outcome")), desc, &isnull));
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("a determination needs the outcome the deciding body chose")));
	basis_datum = heap_getattr(tuple, column_number(rel, "basis", TEXTOID), desc, &basis_null);

	deciding_unit_id = heap_getattr(tuple, column_number(rel, "deciding_unit_id", INT8OID),
									desc, &no_deciding_unit);

	SPI_connect();
	(void) lock_parent_case(rel, case_id);
	event_count = DatumGetInt32(spi_result_value(0, "event_count", INT4OID, &isnull));
	false_accusation = strcmp(TextDatumGetCString(spi_result_value(0, "kind", TEXTOID, &isnull)),
							  "false_accusation") == 0;
	arg = Int64GetDatum(case_id);
	/*
	 * The case is locked: its situation and dates stay while the lists are
	 * read.  Locks in this order: case, unit chain, list code, cadre and
	 * its cases' situations (a transaction that takes two of them the other
	 * way round can deadlock with a determination: the README lists those).
	 */
	run_saved_plan_latest_as_owner(&recorded_facts, rel, &arg, NULL, true, 1);
	judged_on = spi_result_value(0, "judged_on", DATEOID, &judged_on_null);
	recorded = spi_result_value(0, "facts", JSONBOID, &no_recorded);
	hold_judged_lists(rel, case_id, deciding_unit_id, no_deciding_unit,
					  recorded, no_recorded);
	check_deciding_unit(rel, deciding_unit_id, no_deciding_unit, case_id,
						false_accusation);
	if (run_saved_plan_as_owner(&hold_cadre, rel, &arg, NULL, false, 1) > 0)
		hold_cadre_situations(DatumGetInt64(spi_result_value(0, "subject_id", INT8OID, &isnull)),
							  true);
	run_saved_plan_latest_as_owner(&case_facts, rel, &arg, NULL, true, 1);
	facts = SPI_datumTransfer(spi_result_value(0, "facts", JSONBOID, &isnull), false, -1);
	SPI_finish();

	tolerance_facts_from_jsonb(DatumGetJsonbP(facts), &parsed);
	assessed = tolerance_decide(&parsed, &reasons);
	check_decided_outcome(assessed, &reasons, decided,
						  !basis_null && text_is_written(DatumGetTextPP(basis_datum)));

	columns[0] = column_number(rel, "facts", JSONBOID);
	values[0] = facts;
	columns[1] = column_number(rel, "assessed_outcome", extension_type_oid("tolerance_outcome"));
	values[1] = CodeGetDatum(assessed);
	columns[2] = column_number(rel, "assessed_reasons", TEXTARRAYOID);
	values[2] = reasons_array(&reasons);
	columns[3] = column_number(rel, "after_event_no", INT4OID);
	values[3] = Int32GetDatum(event_count);
	/* a 1.0 schema, not yet updated, has no judged_on */
	if (SPI_fnumber(desc, "judged_on") > 0)
	{
		columns[4] = column_number(rel, "judged_on", DATEOID);
		values[4] = judged_on;
		nulls[4] = judged_on_null;
		ncolumns = 5;
	}
	for (column = 0; column < ncolumns; column++)
		refuse_other_maintained_value(rel, tuple, (AttrNumber) columns[column], values[column]);
	return PointerGetDatum(heap_modify_tuple_by_cols(tuple, desc, ncolumns, columns,
													 values, nulls));
}
