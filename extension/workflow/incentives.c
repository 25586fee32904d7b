/*-------------------------------------------------------------------------
 *
 * incentives.c
 *	  The two rules of the incentive records (激励): what may lower an
 *	  annual assessment, and what may hold a promotion back.
 *
 * The protection half promises that a tolerated error (容错免责) or a
 * cleared accusation (澄清正名) never counts against a cadre.  These
 * triggers keep that promise where it matters: a grade below competent
 * cannot rest on such a case alone, and only sanctions and demotions still
 * in effect block a promotion.  Which cases are protected, and which
 * measures are in effect, is defined once in SQL (case_is_protected,
 * measures_in_effect) and read here.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/rel.h"

#include "support/support.h"

/*
 * The cases cited as grounds: whose they are, whether a determination was
 * made on them, and whether they are protected.
 */
static SavedPlan ground_cases = {
	"SELECT c.case_id, c.subject_id OPERATOR(pg_catalog.=) $2 AS own,"
	" EXISTS (SELECT 1 FROM {schema}.determinations d"
	"         WHERE d.case_id OPERATOR(pg_catalog.=) c.case_id) AS determined,"
	" {schema}.case_is_protected(c.case_id) AS protected"
	" FROM {schema}.cases c WHERE c.case_id OPERATOR(pg_catalog.=) ANY ($1)"
	" ORDER BY c.case_id",
	2, {INT8ARRAYOID, INT8OID}, NULL
};

/*
 * How many of the cited cases the caller sees, with the caller's rights:
 * a case outside its scope reads as one that does not exist.
 */
static SavedPlan visible_ground_cases = {
	"SELECT pg_catalog.count(*) AS seen FROM {schema}.cases c"
	" WHERE c.case_id OPERATOR(pg_catalog.=) ANY ($1)",
	1, {INT8ARRAYOID}, NULL
};

/*
 * The cited cases, locked in share mode: a determination recorded on one
 * (which locks its case FOR NO KEY UPDATE) waits for the grade, or the
 * grade for it, so the grade never misses a tolerance being recorded
 * meanwhile (attack round 11: a grade written while an exemption of its
 * case was uncommitted held the tolerated case against the cadre).
 */
static SavedPlan lock_ground_cases = {
	"SELECT 1 FROM {schema}.cases c WHERE c.case_id OPERATOR(pg_catalog.=) ANY ($1)"
	" ORDER BY c.case_id FOR SHARE",
	1, {INT8ARRAYOID}, NULL
};

/* The measures in effect for a subject on a date. */
static SavedPlan measures = {
	"SELECT measure, reference, until FROM {schema}.measures_in_effect($1, $2)"
	" ORDER BY until DESC",
	2, {INT8OID, DATEOID}, NULL
};

/*
 * The cadre's row, locked against the sanctions and demotions being
 * recorded for them (determination_trigger() and a demotion's foreign key
 * hold it FOR KEY SHARE): the promotion waits for them to commit, then
 * judges what they recorded (attack round 9: a promotion checked on its
 * own snapshot took effect during a sanction committed meanwhile).
 */
static SavedPlan lock_subject = {
	"SELECT 1 FROM {schema}.subjects WHERE subject_id OPERATOR(pg_catalog.=) $1 FOR UPDATE",
	1, {INT8OID}, NULL
};

/* Does the caller see the subject (its own rights, under the policies)? */
static SavedPlan subject_visible = {
	"SELECT 1 FROM {schema}.subjects WHERE subject_id OPERATOR(pg_catalog.=) $1",
	1, {INT8OID}, NULL
};

/* Is a text column of the tuple null or blank (Unicode white space only)? */
static bool
text_is_blank(HeapTuple tuple, Relation rel, const char *column)
{
	bool		isnull;
	Datum		value = heap_getattr(tuple, column_number(rel, column, TEXTOID),
									 RelationGetDescr(rel), &isnull);

	return isnull || !text_is_written(DatumGetTextPP(value));
}

/* A cited case that does not exist, or that the caller may not see. */
static void
refuse_unknown_ground(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
			 errmsg("ground_case_ids names a case that does not exist or is not in your scope"),
			 errhint("Cite the case_id of each case the grade rests on, once each.")));
}

/* A cited case that must never count against the cadre (不作负面评价). */
static void
refuse_protected_ground(int64 case_id)
{
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("a tolerated error or a cleared accusation cannot be the ground for a grade below competent"),
			 errdetail("Case %lld was tolerated without sanction or found untrue; it must not count against the cadre%s.",
					   (long long) case_id, zh_gloss("不作负面评价")),
			 errhint("Grade the cadre on other grounds, and state them.")));
}

/*
 * A cited case nobody has determined yet: a report still being checked may
 * yet be found untrue, so it cannot hold a grade down (attack round 10: a
 * received report, cited alone, kept the grade after it was cleared).
 */
static void
refuse_undetermined_ground(int64 case_id)
{
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("case %lld has no determination: a grade below competent cannot rest on it",
					(long long) case_id),
			 errdetail("Only a matter determined against the cadre counts against them%s.", zh_gloss("认定")),
			 errhint("Cite it once it is determined, or state the grounds in words.")));
}

/*
 * Check the cited cases: each exists and is about this cadre, and for a
 * grade below competent (against_cadre) was determined and is not
 * protected.  Whether a case outside the caller's scope exists, whom it
 * concerns and how it ended must not show in the answer, so the caller's
 * own view is asked first.
 */
static void
check_ground_cases(Relation rel, Datum case_ids, Datum subject_id, bool against_cadre)
{
	Datum		args[2] = {case_ids, subject_id};
	uint64		found;
	uint64		i;
	bool		isnull;
	int			cited = ArrayGetNItems(ARR_NDIM(DatumGetArrayTypeP(case_ids)),
									   ARR_DIMS(DatumGetArrayTypeP(case_ids)));

	if (run_saved_plan(&visible_ground_cases, RelationGetNamespace(rel), args, NULL, true, 1) != 1 ||
		DatumGetInt64(spi_result_value(0, "seen", INT8OID, &isnull)) != cited)
		refuse_unknown_ground();
	run_saved_plan_as_owner(&lock_ground_cases, rel, args, NULL, false, 0);
	found = run_saved_plan_latest_as_owner(&ground_cases, rel, args, NULL, false, 0);
	if ((int) found != cited)
		refuse_unknown_ground();
	for (i = 0; i < found; i++)
	{
		int64		case_id = DatumGetInt64(spi_result_value(i, "case_id", INT8OID, &isnull));

		if (!DatumGetBool(spi_result_value(i, "own", BOOLOID, &isnull)))
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("case %lld is not about the cadre assessed", (long long) case_id),
					 errhint("An assessment rests only on the assessed cadre's own cases.")));
		if (!against_cadre)
			continue;
		if (DatumGetBool(spi_result_value(i, "protected", BOOLOID, &isnull)))
			refuse_protected_ground(case_id);
		if (!DatumGetBool(spi_result_value(i, "determined", BOOLOID, &isnull)))
			refuse_undetermined_ground(case_id);
	}
}

/*
 * BEFORE INSERT OR UPDATE on assessments: a grade below competent states
 * its grounds; the cases it cites are the cadre's own, determined, and
 * never a tolerated error or a cleared accusation (不作负面评价).  Any
 * grade's cited cases exist and are the cadre's own (attack round 15: an
 * excellent grade cited ids that named nothing, or another cadre's case).
 */
PG_FUNCTION_INFO_V1(assessment_trigger);
Datum
assessment_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = trigger_data_checked(fcinfo, "assessment_trigger", true, true);
	Relation	rel = trigdata->tg_relation;
	HeapTuple	tuple = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event)
		? trigdata->tg_newtuple : trigdata->tg_trigtuple;
	TupleDesc	desc = RelationGetDescr(rel);
	bool		isnull;
	char	   *grade = TextDatumGetCString(required_column(rel, tuple, "grade", TEXTOID));
	Datum		case_ids = heap_getattr(tuple, column_number(rel, "ground_case_ids", INT8ARRAYOID), desc, &isnull);
	bool		no_cases = isnull ||
		ArrayGetNItems(ARR_NDIM(DatumGetArrayTypeP(case_ids)),
					   ARR_DIMS(DatumGetArrayTypeP(case_ids))) == 0;
	bool		no_text = text_is_blank(tuple, rel, "grounds");

	bool		below_competent = strcmp(grade, "basically_competent") == 0 ||
		strcmp(grade, "incompetent") == 0;

	if (session_may_restore())
		return PointerGetDatum(tuple);
	if (below_competent && no_cases && no_text)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("a grade below competent needs stated grounds"),
				 errhint("Write the grounds, and cite the cases they rest on in ground_case_ids.")));
	if (!no_cases)
	{
		SPI_connect();
		check_ground_cases(rel, case_ids,
						   required_column(rel, tuple, "subject_id", INT8OID), below_competent);
		SPI_finish();
	}
	return PointerGetDatum(tuple);
}

/*
 * A promotion is recorded on or after the day it takes effect: one recorded
 * ahead would stand against a sanction decided before that day, since a
 * sanction is never refused for a promotion's sake (attack round 10).
 */
static void
refuse_promotion_ahead(Datum subject_id, Datum effective_on)
{
	DateADT		today = record_today();

	if (DatumGetDateADT(effective_on) <= today)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("the promotion of cadre %lld takes effect on %s, after today (%s)",
					(long long) DatumGetInt64(subject_id),
					DatumGetCString(DirectFunctionCall1(date_out, effective_on)),
					DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(today)))),
			 errdetail("A promotion is recorded on or after the day it takes effect%s, so that a sanction or a demotion decided before then still holds it back.",
					   zh_gloss("任职生效后登记")),
			 errhint("Record it on its effective date; today is the record's calendar day, accountability.record_today().")));
}

/*
 * BEFORE INSERT on promotions: refused while a sanction's influence period
 * or a demotion runs on the effective date, or before that date has come.
 * A tolerated error is never a measure, so it never holds a cadre back.
 */
PG_FUNCTION_INFO_V1(promotion_trigger);
Datum
promotion_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = trigger_data_checked(fcinfo, "promotion_trigger", true, true);
	Relation	rel = trigdata->tg_relation;
	HeapTuple	tuple = trigdata->tg_trigtuple;
	bool		isnull;
	Datum		args[2];

	if (session_may_restore())
		return PointerGetDatum(tuple);
	args[0] = required_column(rel, tuple, "subject_id", INT8OID);
	args[1] = required_column(rel, tuple, "effective_on", DATEOID);
	SPI_connect();
	/* a promotion of another unit's cadre fails before the owner reads its sanctions */
	check_parent_in_scope(rel, PARENT_SUBJECT, &subject_visible, args[0]);
	run_saved_plan_as_owner(&lock_subject, rel, args, NULL, false, 1);
	check_parent_still_in_scope(rel, PARENT_SUBJECT, &subject_visible, args[0]);
	refuse_promotion_ahead(args[0], args[1]);
	if (run_saved_plan_latest_as_owner(&measures, rel, args, NULL, false, 1) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("cadre %lld cannot be promoted on %s: a %s is in effect until %s",
						(long long) DatumGetInt64(args[0]),
						DatumGetCString(DirectFunctionCall1(date_out, args[1])),
						TextDatumGetCString(spi_result_value(0, "measure", TEXTOID, &isnull)),
						DatumGetCString(DirectFunctionCall1(date_out,
															spi_result_value(0, "until", DATEOID, &isnull)))),
				 errdetail("Sanctions in their influence period%s and demotions before their reuse date hold a promotion back; tolerated errors and cleared accusations never do.",
						   zh_gloss("影响期")),
				 errhint("See accountability.measures_in_effect(subject_id, effective_on).")));
	SPI_finish();
	return PointerGetDatum(tuple);
}
