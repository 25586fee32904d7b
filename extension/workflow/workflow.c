/*-------------------------------------------------------------------------
 *
 * workflow.c
 *	  The transition trigger: BEFORE UPDATE ... FOR EACH ROW on cases.
 *
 * UPDATE accountability.cases SET status = ... is the whole interface:
 *
 *	 UPDATE accountability.cases
 *		SET status = 'closed', closing_reason = 'duplicate of case 17'
 *	  WHERE case_id = 42;
 *
 * The trigger refuses a move that is not in the transition table
 * (core/transitions.c), checks what the move requires (REQUIRES_* bits beside the
 * table), and keeps the history chain head on the row: the next event
 * number and its hash.  The AFTER STATEMENT trigger in history.c writes
 * the events.  Updates that do not change the status only bump version.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datum.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "support/support.h"

/* The columns of cases the trigger reads and writes. */
typedef enum CaseColumn
{
	COL_CASE_ID,
	COL_KIND,
	COL_STATUS,
	COL_CLOSING_REASON,
	COL_TRANSITION_NOTE,
	COL_ORIGIN,
	COL_VERSION,
	COL_EVENT_COUNT,
	COL_LAST_EVENT_HASH,
	COL_CLARIFICATION_GROUNDS,
	COL_FACTS,
	COL_EVENT_ON,
	COL_RELATED_CASE_ID,
	NUM_CASE_COLUMNS
} CaseColumn;

/* Their names and types, checked once per relation (support.c). */
static const ColumnSpec case_columns[NUM_CASE_COLUMNS] = {
	{"case_id", INT8OID, NULL},
	{"kind", TEXTOID, NULL},
	{"status", InvalidOid, "case_status"},
	{"closing_reason", TEXTOID, NULL},
	{"transition_note", TEXTOID, NULL},
	{"origin", TEXTOID, NULL},
	{"version", INT4OID, NULL},
	{"event_count", INT4OID, NULL},
	{"last_event_hash", BYTEAOID, NULL},
	{"clarification_grounds", TEXTARRAYOID, NULL},
	{"facts", JSONBOID, NULL},
	{"event_on", DATEOID, NULL},
	{"related_case_id", INT8OID, NULL},
};

/*
 * Their attribute numbers in the relation the trigger fires on: looked up
 * and type-checked once per relation, re-checked cheaply on every row.
 */
static ColumnLookup case_column_cache;

static void
case_column_numbers(Relation rel, AttrNumber *attnos)
{
	lookup_columns(rel, case_columns, NUM_CASE_COLUMNS, &case_column_cache, attnos);
}

/*
 * The row being updated: both versions deformed once, so every column the
 * trigger reads is an array access, and the new version is formed from the
 * same arrays.
 */
typedef struct CaseRow
{
	Relation	rel;
	HeapTuple	old_tuple;
	HeapTuple	new_tuple;
	AttrNumber	attnos[NUM_CASE_COLUMNS];
	Datum	   *old_values;
	bool	   *old_nulls;
	Datum	   *new_values;
	bool	   *new_nulls;
	int64		case_id;
	CaseStatus	from;
	CaseStatus	to;
	int32		event_count;
} CaseRow;

/* A column of the new or old row, or isnull. */
static Datum
row_value(CaseRow *row, bool new_row, CaseColumn column, bool *isnull)
{
	int			i = row->attnos[column] - 1;

	*isnull = new_row ? row->new_nulls[i] : row->old_nulls[i];
	return new_row ? row->new_values[i] : row->old_values[i];
}

/* Set a column of the new row (the result is formed from these). */
static void
set_new_value(CaseRow *row, CaseColumn column, Datum value, bool isnull)
{
	int			i = row->attnos[column] - 1;

	row->new_values[i] = value;
	row->new_nulls[i] = isnull;
}

/* The new row as modified, keeping the identity of the tuple it replaces. */
static HeapTuple
form_new_row(CaseRow *row)
{
	HeapTuple	result = heap_form_tuple(RelationGetDescr(row->rel),
										 row->new_values, row->new_nulls);

	result->t_data->t_ctid = row->new_tuple->t_data->t_ctid;
	result->t_self = row->new_tuple->t_self;
	result->t_tableOid = row->new_tuple->t_tableOid;
	return result;
}

/* The text of a column of the new row, NULL when null or blank. */
static char *
new_text_or_null(CaseRow *row, CaseColumn column)
{
	bool		isnull;
	Datum		value = row_value(row, true, column, &isnull);
	char	   *string;
	char	   *p;

	if (isnull)
		return NULL;
	string = TextDatumGetCString(value);
	for (p = string; *p; p++)
		if (!isspace((unsigned char) *p))
			return string;
	return NULL;
}

/*
 * The requirement queries read under the latest snapshot: the case's row
 * is locked by now, and a session that held it before us (adding a plan or
 * a determination) has committed what it added, which the UPDATE's own
 * snapshot, taken before the wait, would miss.  Judging by it let a case
 * be filed with a plan still open (tests/isolation/specs/child_vs_move.spec).
 */

/*
 * The latest determination of the case, and whether it assessed the facts
 * the case has: the facts as case_facts() reads them now (the recorded
 * ones, with what the database computes from the lists, the event date and
 * the cadre's history) equal those the determination stored, and the move
 * changes neither them ($2 before, $3 after) nor the event date they are
 * judged on ($4, $5), which is still the date the determination judged
 * them on.  Facts changed after the determination was recorded, or a list
 * or date that changes what they give, would leave the case determined on
 * facts nobody assessed (attack round 9); an event date filled in since,
 * though the lists give the same, is a date nobody judged (attack round
 * 20).  verify_ledger() judges the same at each move, but for the repeat
 * window, which it does not recompute.
 */
static SavedPlan determination_on_facts = {
	"SELECT d.after_event_no,"
	" coalesce(d.facts OPERATOR(pg_catalog.=) {schema}.case_facts($1)"
	"  AND $2 OPERATOR(pg_catalog.=) $3"
	"  AND coalesce($4 OPERATOR(pg_catalog.=) $5, $4 IS NULL AND $5 IS NULL)"
	/* the date judged on (unknown on 1.0's determinations, absent from 1.0's schema) */
	"  AND coalesce((pg_catalog.to_jsonb(d) OPERATOR(pg_catalog.->>) 'judged_on')::pg_catalog.date"
	"               OPERATOR(pg_catalog.=) coalesce($5, k.opened_on), true), false) AS same_facts"
	" FROM {schema}.determinations d JOIN {schema}.cases k ON k.case_id OPERATOR(pg_catalog.=) d.case_id"
	" WHERE d.case_id OPERATOR(pg_catalog.=) $1"
	" ORDER BY d.determination_no DESC LIMIT 1",
	5, {INT8OID, JSONBOID, JSONBOID, DATEOID, DATEOID}, NULL
};

/* The latest determination of the case, if any. */
static SavedPlan latest_determination = {
	"SELECT after_event_no, notified_on FROM {schema}.determinations"
	" WHERE case_id OPERATOR(pg_catalog.=) $1"
	" ORDER BY determination_no DESC LIMIT 1",
	1, {INT8OID}, NULL
};

/* How many correction plans the case has, and how many are completed. */
static SavedPlan plan_counts = {
	"SELECT pg_catalog.count(*) AS plans, pg_catalog.count(completed_on) AS completed"
	" FROM {schema}.correction_plans WHERE case_id OPERATOR(pg_catalog.=) $1",
	1, {INT8OID}, NULL
};

/* A deadline from the settings table, in days. */
static SavedPlan setting_days = {
	"SELECT value FROM {schema}.settings WHERE name OPERATOR(pg_catalog.=) $1",
	1, {TEXTOID}, NULL
};

/* Whether a done clarification exists, and whether a resolved visit does. */
static SavedPlan protection_counts = {
	"SELECT EXISTS (SELECT 1 FROM {schema}.clarifications"
	"  WHERE case_id OPERATOR(pg_catalog.=) $1 AND done_on IS NOT NULL) AS clarified,"
	" EXISTS (SELECT 1 FROM {schema}.follow_up_visits"
	"  WHERE case_id OPERATOR(pg_catalog.=) $1 AND concerns_resolved) AS resolved,"
	" (SELECT outcome OPERATOR({schema}.>) 'not_tolerable'::{schema}.tolerance_outcome"
	"  FROM {schema}.determinations WHERE case_id OPERATOR(pg_catalog.=) $1"
	"  ORDER BY determination_no DESC LIMIT 1) AS lenient",
	1, {INT8OID}, NULL
};

/* Fetch the latest determination into SPI_tuptable; false when none. */
static bool
fetch_latest_determination(CaseRow *row)
{
	Datum		arg = Int64GetDatum(row->case_id);

	return run_saved_plan_latest_as_owner(&latest_determination, row->rel, &arg,
										  NULL, false, 1) > 0;
}

/*
 * Is a closing reason written on the row: at least one character that is
 * not Unicode white space (a reason of ideographic spaces is none)?
 */
static bool
has_closing_reason(CaseRow *row)
{
	bool		isnull;
	Datum		reason = row_value(row, true, COL_CLOSING_REASON, &isnull);

	return !isnull && text_is_written(DatumGetTextPP(reason));
}

/*
 * The latest determination's place in the history (its after_event_no),
 * or -1 when there is none or it no longer stands: the facts it assessed
 * are not the case's, or the statement changes the facts or event date.
 */
static int
determination_on_case_facts(CaseRow *row)
{
	Datum		args[5];
	bool		nulls[5];
	char		null_flags[5];
	bool		isnull;
	int			i;

	args[0] = Int64GetDatum(row->case_id);
	args[1] = row_value(row, false, COL_FACTS, &nulls[1]);
	args[2] = row_value(row, true, COL_FACTS, &nulls[2]);
	/* the lists and the unit tree are read held, as a determination reads them */
	hold_judged_lists(row->rel, row->case_id, (Datum) 0, true, args[2], nulls[2]);
	args[3] = row_value(row, false, COL_EVENT_ON, &nulls[3]);
	args[4] = row_value(row, true, COL_EVENT_ON, &nulls[4]);
	nulls[0] = false;
	for (i = 0; i < 5; i++)
		null_flags[i] = nulls[i] ? 'n' : ' ';
	if (run_saved_plan_latest_as_owner(&determination_on_facts, row->rel, args,
									   null_flags, false, 1) == 0 ||
		!DatumGetBool(spi_result_value(0, "same_facts", BOOLOID, &isnull)))
		return -1;
	return DatumGetInt32(spi_result_value(0, "after_event_no", INT4OID, &isnull));
}

/*
 * Was a determination recorded since the case entered its current status,
 * on the facts the case has?
 */
static bool
has_current_determination(CaseRow *row)
{
	return determination_on_case_facts(row) == row->event_count;
}

/*
 * Does the determination the case was notified of still stand on its
 * facts?  An appeal that moves on without a re-determination keeps it only
 * so (attack round 19 changed the facts, then filed), and only one
 * recorded before the appeal: one recorded since goes through determined
 * and notified like any other (attack round 20 filed on it, unnotified).
 */
static bool
determination_stands(CaseRow *row)
{
	int			after_event_no = determination_on_case_facts(row);

	return after_event_no >= 0 && after_event_no < row->event_count;
}

/* Does the latest determination carry the date the subject was told? */
static bool
has_notification_date(CaseRow *row)
{
	bool		isnull = true;

	if (fetch_latest_determination(row))
		(void) spi_result_value(0, "notified_on", DATEOID, &isnull);
	return !isnull;
}

/* The deadline "name" in days, from the settings table. */
static int32
deadline_days(CaseRow *row, const char *name)
{
	Datum		arg = CStringGetTextDatum(name);
	bool		isnull;

	if (run_saved_plan_latest_as_owner(&setting_days, row->rel, &arg, NULL, false, 1) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("setting \"%s\" is missing from accountability.settings", name),
				 errhint("An administrator restores it with INSERT INTO accountability.settings.")));
	return DatumGetInt32(spi_result_value(0, "value", INT4OID, &isnull));
}

/*
 * Is today within the appeal window that opened on the notification date?
 * Today in the record's calendar, not the session's time zone.
 */
static bool
within_appeal_window(CaseRow *row)
{
	bool		isnull;
	DateADT		notified_on;
	int32		window;

	if (!fetch_latest_determination(row))
		return false;
	notified_on = DatumGetDateADT(spi_result_value(0, "notified_on", DATEOID, &isnull));
	if (isnull)
		return false;
	window = deadline_days(row, "appeal");
	return record_today() <= notified_on + window;
}

/* Plans and completed plans of the case. */
static void
count_plans(CaseRow *row, int64 *plans, int64 *completed)
{
	Datum		arg = Int64GetDatum(row->case_id);
	bool		isnull;

	run_saved_plan_latest_as_owner(&plan_counts, row->rel, &arg, NULL, false, 1);
	*plans = DatumGetInt64(spi_result_value(0, "plans", INT8OID, &isnull));
	*completed = DatumGetInt64(spi_result_value(0, "completed", INT8OID, &isnull));
}

/* Has the case a correction plan (纠错整改方案)? */
static bool
has_correction_plan(CaseRow *row)
{
	int64		plans,
				completed;

	count_plans(row, &plans, &completed);
	return plans > 0;
}

/* Are all of the case's correction plans completed (and is there one)? */
static bool
plans_completed(CaseRow *row)
{
	int64		plans,
				completed;

	count_plans(row, &plans, &completed);
	return plans > 0 && completed == plans;
}

/*
 * Filing straight from notified or appealed leaves no plan open (attack
 * round 10: a plan added there, then the case filed and closed, froze it
 * unfinished); a case with no plan files as before.
 */
static bool
no_open_plan(CaseRow *row)
{
	int64		plans,
				completed;

	count_plans(row, &plans, &completed);
	return completed == plans;
}

/* The named boolean of the protection query (false when null). */
static bool
protection_fact(CaseRow *row, const char *name)
{
	Datum		arg = Int64GetDatum(row->case_id);
	bool		isnull;
	Datum		value;

	run_saved_plan_as_owner(&protection_counts, row->rel, &arg, NULL, true, 1);
	value = spi_result_value(0, name, BOOLOID, &isnull);
	return !isnull && DatumGetBool(value);
}

/* Is a clarification warranted (domain.md §4), by the grounds recorded? */
static bool
clarification_warranted(CaseRow *row)
{
	bool		isnull;
	int			version;

	/*
	 * Grounds on the old row or the new one: clearing them in the statement
	 * that moves the case does not make a warranted clarification go away.
	 */
	for (version = 0; version < 2; version++)
	{
		Datum		grounds = row_value(row, version == 1, COL_CLARIFICATION_GROUNDS, &isnull);

		if (!isnull && ArrayGetNItems(ARR_NDIM(DatumGetArrayTypeP(grounds)),
									  ARR_DIMS(DatumGetArrayTypeP(grounds))) > 0)
			return true;
	}
	return false;
}

/* A warranted clarification must be done before the follow-up. */
static bool
clarified_if_warranted(CaseRow *row)
{
	return !clarification_warranted(row) || protection_fact(row, "clarified");
}

/* A visit whose concerns are resolved has been recorded. */
static bool
has_resolved_visit(CaseRow *row)
{
	return protection_fact(row, "resolved");
}

/* A lenient determination is followed up before the case closes. */
static bool
not_lenient(CaseRow *row)
{
	return !protection_fact(row, "lenient");
}

/*
 * A false accusation names its report when it is registered, where the
 * link is judged (check_false_accusation_links, history.c): naming one
 * later would skip that judgement (attack round 12 imported a case naming
 * none, then linked it to a report still received).
 */
static void
refuse_false_accusation_relinked(CaseRow *row)
{
	bool		old_null,
				new_null;
	Datum		old_link = row_value(row, false, COL_RELATED_CASE_ID, &old_null);
	Datum		new_link = row_value(row, true, COL_RELATED_CASE_ID, &new_null);
	char	   *kind = new_text_or_null(row, COL_KIND);

	if (kind == NULL || strcmp(kind, "false_accusation") != 0)
		return;
	if (old_null == new_null && (old_null || DatumGetInt64(old_link) == DatumGetInt64(new_link)))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("false-accusation case %lld names its report when it is registered",
					(long long) row->case_id),
			 errdetail("related_case_id of a false-accusation case is judged once, on registration: a report found untrue and suspected of false accusation, and an accuser with an identity type."),
			 errhint("Register a new false-accusation case that names the report.")));
}

/* Tolerance review is for accountability matters, never for a false accuser. */
static bool
kind_allows_tolerance(CaseRow *row)
{
	char	   *kind = new_text_or_null(row, COL_KIND);

	return kind == NULL || strcmp(kind, "false_accusation") != 0;
}

/*
 * What each requirement bit means: its check, what is missing when it
 * fails, and how to supply it.  The transition table (core/transitions.c) says which
 * bits each move carries.
 */
typedef struct Requirement
{
	int			bit;
	bool		(*met) (CaseRow *row);
	const char *missing;
	const char *hint;
} Requirement;

static const Requirement requirements[] = {
	{REQUIRES_CLOSING_REASON, has_closing_reason,
		"a closing reason",
	"Set closing_reason in the same UPDATE: why the case is not taken up, or why no clarification is given."},
	{REQUIRES_TOLERANCE_KIND, kind_allows_tolerance,
		"a case that may be reviewed for tolerance",
	"Tolerance review (tolerance_review) does not apply to false-accusation cases; move the case to determined."},
	{REQUIRES_DETERMINATION, has_current_determination,
		"a determination recorded since the case entered its current status, on the facts it has",
	"INSERT INTO accountability.determinations (case_id, outcome, deciding_body, ...) first; facts, an event date or tolerance lists changed since the last one call for a new determination (compare its facts with accountability.case_facts(case_id))."},
	{REQUIRES_NOTIFICATION_DATE, has_notification_date,
		"the date the subject was notified in writing",
	"UPDATE accountability.determinations SET notified_on = ... for the latest determination first."},
	{REQUIRES_APPEAL_WINDOW, within_appeal_window,
		"an appeal within the appeal window after notification",
	"The window is the setting \"appeal\" (days after notified_on); a late appeal is handled outside the case."},
	{REQUIRES_CORRECTION_PLAN, has_correction_plan,
		"a correction plan",
	"INSERT INTO accountability.correction_plans (case_id, matter, measures, due_on) first."},
	{REQUIRES_PLANS_COMPLETED, plans_completed,
		"every correction plan completed",
	"Set completed_on and verified_by on each of the case's correction plans first."},
	{REQUIRES_NO_OPEN_PLAN, no_open_plan,
		"every correction plan completed",
	"Complete each of the case's correction plans (completed_on and verified_by), or move the case to correcting first."},
	{REQUIRES_WARRANTED_CLARIFICATION, clarified_if_warranted,
		"the clarification its grounds call for",
	"Record the clarification (INSERT INTO accountability.clarifications ...) with done_on, or close the case with a closing_reason saying why none is given."},
	{REQUIRES_VISIT_IF_LENIENT, not_lenient,
		"a follow-up visit after a lenient determination",
	"Move the case to follow_up and record a follow-up visit first."},
	{REQUIRES_DETERMINATION_STANDS, determination_stands,
		"the notified determination standing on the facts the case has",
	"Only a determination recorded before the appeal stands, on the facts and event date it judged. A determination recorded during the appeal, facts, an event date or tolerance lists changed since, or a case imported while appealed, take the case back to determined through a re-determination (then notified) first; or restore the facts the determination assessed (compare its facts with accountability.case_facts(case_id))."},
	{REQUIRES_RESOLVED_VISIT, has_resolved_visit,
		"a follow-up visit whose concerns are resolved",
	"INSERT INTO accountability.follow_up_visits (case_id, plan, visitor, visited_on, method, concerns_resolved) with concerns_resolved = true first."},
};

/* Refuse a move that is not in the transition table, naming the legal ones. */
static void
refuse_illegal_move(CaseRow *row)
{
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("case %lld cannot move from %s to %s",
					(long long) row->case_id,
					codeset_output(&case_status_codes, CodeGetDatum(row->from)),
					codeset_output(&case_status_codes, CodeGetDatum(row->to))),
			 errdetail("From %s a case may move to: %s.",
					   codeset_output(&case_status_codes, CodeGetDatum(row->from)),
					   case_status_list(case_status_next_mask(row->from))),
			 errhint("Move the case one legal step at a time; accountability.next_statuses(status) lists them.")));
}

/* Check every requirement the move carries; the first unmet one is refused. */
static void
check_requirements(CaseRow *row, int bits)
{
	size_t		i;

	for (i = 0; i < lengthof(requirements); i++)
	{
		if ((bits & requirements[i].bit) && !requirements[i].met(row))
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("case %lld cannot move from %s to %s without %s",
							(long long) row->case_id,
							codeset_output(&case_status_codes, CodeGetDatum(row->from)),
							codeset_output(&case_status_codes, CodeGetDatum(row->to)),
							requirements[i].missing),
					 errhint("%s", requirements[i].hint)));
	}
}

/* Columns the database maintains; a client changing them is refused. */
static void
check_maintained_columns(CaseRow *row)
{
	static const CaseColumn maintained[] = {
		COL_CASE_ID, COL_EVENT_COUNT, COL_LAST_EVENT_HASH, COL_ORIGIN
	};
	size_t		i;

	for (i = 0; i < lengthof(maintained); i++)
	{
		Form_pg_attribute att = TupleDescAttr(RelationGetDescr(row->rel),
											  row->attnos[maintained[i]] - 1);
		bool		old_null,
					new_null;
		Datum		old_value = row_value(row, false, maintained[i], &old_null);
		Datum		new_value = row_value(row, true, maintained[i], &new_null);

		if (old_null != new_null ||
			(!old_null && !datumIsEqual(old_value, new_value, att->attbyval, att->attlen)))
			ereport(ERROR,
					(errcode(ERRCODE_GENERATED_ALWAYS),
					 errmsg("column \"%s\" of a case is maintained by the database",
							case_columns[maintained[i]].name),
					 errhint("Leave it out of the UPDATE; change status to move the case.")));
	}
}

/*
 * The note of this transition: transition_note when the UPDATE set a new
 * one, else none (so a stale note is never repeated on the next event).
 */
static char *
transition_note(CaseRow *row)
{
	bool		old_null,
				new_null;
	Datum		old_note = row_value(row, false, COL_TRANSITION_NOTE, &old_null);
	Datum		new_note = row_value(row, true, COL_TRANSITION_NOTE, &new_null);

	if (new_null)
		return NULL;
	if (!old_null && DatumGetBool(DirectFunctionCall2Coll(texteq, C_COLLATION_OID,
															old_note, new_note)))
		return NULL;
	return TextDatumGetCString(new_note);
}

/*
 * Compute the next event of the case (number and chained hash) and write
 * the chain head, version and note into the new row.
 */
static HeapTuple
advance_history(CaseRow *row)
{
	CaseEvent	event;
	bool		prev_null;
	Datum		prev = row_value(row, false, COL_LAST_EVENT_HASH, &prev_null);
	bytea	   *hash = (bytea *) palloc(VARHDRSZ + EVENT_HASH_LEN);
	bool		isnull;

	event.case_id = row->case_id;
	event.event_no = row->event_count + 1;
	event.kind = "transition";
	event.from_status = row->from;
	event.to_status = row->to;
	event.occurred_at = GetCurrentTransactionStartTimestamp();
	event.db_user = current_db_user();
	event.actor = current_actor();
	event.note = transition_note(row);
	remember_statement_actor(event.db_user, event.actor);

	SET_VARSIZE(hash, VARHDRSZ + EVENT_HASH_LEN);
	if (!prev_null && VARSIZE_ANY_EXHDR(DatumGetByteaPP(prev)) != EVENT_HASH_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("case %lld has a damaged history chain head", (long long) row->case_id),
				 errhint("Run accountability.verify_history(%lld).", (long long) row->case_id)));
	case_event_hash(prev_null ? NULL : (const uint8 *) VARDATA_ANY(DatumGetByteaPP(prev)),
					&event, (uint8 *) VARDATA(hash));

	set_new_value(row, COL_EVENT_COUNT, Int32GetDatum(event.event_no), false);
	set_new_value(row, COL_LAST_EVENT_HASH, PointerGetDatum(hash), false);
	set_new_value(row, COL_VERSION,
				  Int32GetDatum(DatumGetInt32(row_value(row, false, COL_VERSION, &isnull)) + 1),
				  false);
	set_new_value(row, COL_TRANSITION_NOTE,
				  event.note ? CStringGetTextDatum(event.note) : (Datum) 0,
				  event.note == NULL);
	return form_new_row(row);
}

/*
 * An update that does not move the case: bump version and keep the note
 * of the latest transition.
 */
static HeapTuple
touch_case(CaseRow *row)
{
	bool		isnull;
	Datum		note;

	set_new_value(row, COL_VERSION,
				  Int32GetDatum(DatumGetInt32(row_value(row, false, COL_VERSION, &isnull)) + 1),
				  false);
	note = row_value(row, false, COL_TRANSITION_NOTE, &isnull);
	set_new_value(row, COL_TRANSITION_NOTE, note, isnull);
	return form_new_row(row);
}

PG_FUNCTION_INFO_V1(case_transition_trigger);
Datum
case_transition_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = trigger_data_checked(fcinfo, "case_transition_trigger",
												 true, true);
	CaseRow		row;
	bool		isnull;
	int			bits;
	int			natts;
	HeapTuple	result;

	if (!TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("case_transition_trigger must be fired BEFORE UPDATE")));
	row.rel = trigdata->tg_relation;
	row.old_tuple = trigdata->tg_trigtuple;
	row.new_tuple = trigdata->tg_newtuple;
	case_column_numbers(row.rel, row.attnos);
	natts = RelationGetDescr(row.rel)->natts;
	row.old_values = (Datum *) palloc(natts * sizeof(Datum));
	row.old_nulls = (bool *) palloc(natts * sizeof(bool));
	row.new_values = (Datum *) palloc(natts * sizeof(Datum));
	row.new_nulls = (bool *) palloc(natts * sizeof(bool));
	heap_deform_tuple(row.old_tuple, RelationGetDescr(row.rel), row.old_values, row.old_nulls);
	heap_deform_tuple(row.new_tuple, RelationGetDescr(row.rel), row.new_values, row.new_nulls);
	row.case_id = DatumGetInt64(row_value(&row, false, COL_CASE_ID, &isnull));
	row.from = DatumGetCode(row_value(&row, false, COL_STATUS, &isnull));
	row.to = DatumGetCode(row_value(&row, true, COL_STATUS, &isnull));
	if (isnull)					/* a status is never unset */
		report_null_column(row.rel, "status");
	row.event_count = DatumGetInt32(row_value(&row, false, COL_EVENT_COUNT, &isnull));

	check_maintained_columns(&row);
	refuse_false_accusation_relinked(&row);
	if (row.from == row.to)
		return PointerGetDatum(touch_case(&row));

	bits = case_transition_requirements(row.from, row.to);
	if (bits < 0)
		refuse_illegal_move(&row);
	if (bits & REQUIREMENTS_NEEDING_QUERIES)
	{
		SPI_connect();
		check_requirements(&row, bits);
		SPI_finish();
	}
	else
		check_requirements(&row, bits);
	result = advance_history(&row);
	return PointerGetDatum(result);
}
