/*-------------------------------------------------------------------------
 *
 * children.c
 *	  Rows that hang off a case (determinations, correction plans, ...):
 *	  numbered per case under the case's row lock, and only added while the
 *	  case is in a status that allows them.
 *
 *	 CREATE TRIGGER determinations_20_number BEFORE INSERT ON determinations
 *	   FOR EACH ROW EXECUTE FUNCTION case_child_trigger('determination_no',
 *		 'liable', 'tolerance_review', 'appealed');
 *
 * The first argument names the number column, the rest the statuses the
 * case must be in.  Numbers are max + 1 per case, never a sequence, so they
 * stay dense and stay right when shards move between nodes.  Locking the
 * case FOR NO KEY UPDATE serialises two sessions adding rows to one case,
 * and a session adding a row with one closing the case.  The number is read
 * under the latest snapshot, after the lock: the INSERT's own snapshot was
 * taken before it waited for the lock and would not see the row the
 * previous holder committed (tests/isolation/specs/child_numbering.spec).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "ledger/ledger.h"
#include "support/support.h"

/* Lock the parent case and read its status. */
static SavedPlan lock_case = {
	"SELECT status, kind, event_count, opened_on, origin FROM {schema}.cases"
	" WHERE case_id OPERATOR(pg_catalog.=) $1 FOR NO KEY UPDATE",
	1, {INT8OID}, NULL
};

/*
 * Whether the current role sees the case, run with its own rights, so
 * row-level security applies (the lock above runs as the table owner).
 */
static SavedPlan case_visible = {
	"SELECT 1 FROM {schema}.cases WHERE case_id OPERATOR(pg_catalog.=) $1",
	1, {INT8OID}, NULL
};

/* The next number of a child table, per relation (a handful at most). */
typedef struct NextNumberPlan
{
	Oid			relid;
	SavedPlan	plan;
} NextNumberPlan;

#define MAX_CHILD_TABLES 16
static NextNumberPlan next_number_plans[MAX_CHILD_TABLES];

/*
 * The saved "max + 1" query of one child table and number column.  A slot
 * whose table no longer exists (the extension was dropped and created
 * again in this backend's lifetime: a test suite, a connection pool) is
 * reused, so a long-lived backend never runs out of slots.
 */
static SavedPlan *
next_number_plan(Relation rel, const char *column)
{
	NextNumberPlan *reusable = NULL;
	char	   *sql;
	int			i;

	for (i = 0; i < MAX_CHILD_TABLES; i++)
	{
		NextNumberPlan *slot = &next_number_plans[i];

		if (slot->relid == RelationGetRelid(rel))
			return &slot->plan;
		if (reusable == NULL &&
			(slot->relid == InvalidOid ||
			 !SearchSysCacheExists1(RELOID, ObjectIdGetDatum(slot->relid))))
			reusable = slot;
	}
	if (reusable == NULL)
		elog(ERROR, "case_child_trigger is attached to more than %d tables", MAX_CHILD_TABLES);

	sql = MemoryContextStrdup(TopMemoryContext,
							  psprintf("SELECT coalesce(pg_catalog.max(%s), 0) OPERATOR(pg_catalog.+) 1 AS n"
									   " FROM {schema}.%s WHERE case_id OPERATOR(pg_catalog.=) $1",
									   quote_identifier(column),
									   quote_identifier(RelationGetRelationName(rel))));
	if (reusable->plan.plan != NULL)
		SPI_freeplan(reusable->plan.plan);
	if (reusable->plan.sql != NULL)
		pfree((char *) reusable->plan.sql);
	reusable->plan.plan = NULL;
	reusable->plan.sql = sql;
	reusable->plan.nargs = 1;
	reusable->plan.argtypes[0] = INT8OID;
	reusable->relid = RelationGetRelid(rel);
	return &reusable->plan;
}

/*
 * Lock the case of a child row and return its status; a missing case is a
 * foreign-key violation, said plainly.
 */
CaseStatus
lock_parent_case(Relation child, int64 case_id)
{
	return lock_parent_case_opened(child, case_id, NULL);
}

/* The same, and the day the case was opened (registered). */
CaseStatus
lock_parent_case_opened(Relation child, int64 case_id, DateADT *opened_on)
{
	Datum		arg = Int64GetDatum(case_id);
	bool		isnull;
	CaseStatus	status;

	/* a row aimed at another unit's case fails before the owner locks it */
	check_parent_in_scope(child, PARENT_CASE, &case_visible, arg);
	if (run_saved_plan_as_owner(&lock_case, child, &arg, NULL, false, 1) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("case %lld does not exist", (long long) case_id),
				 errhint("Register the case in accountability.cases first.")));
	status = DatumGetCode(spi_result_value(0, "status", extension_type_oid("case_status"), &isnull));
	if (opened_on != NULL)
		*opened_on = DatumGetDateADT(spi_result_value(0, "opened_on", DATEOID, &isnull));
	return status;
}

/*
 * Nothing recorded on a case is dated before the case was opened (attack
 * round 10: a sanction decided in 1990 on a case opened this year was
 * never in effect and held no promotion back; a clarification dated 1950
 * moved a report's figure to 1950).  Every date of the row (each one that
 * changed, for an update) is on or after the case's opened_on, but for the
 * dates the database maintains (a determination's judged_on is the event
 * date, which may precede the registration).
 */
void
check_dated_after_opening(Relation child, HeapTuple row, HeapTuple old_row,
						  int64 case_id, DateADT opened_on)
{
	TupleDesc	desc = RelationGetDescr(child);
	const TableModel *model = write_model_table(RelationGetRelationName(child));
	int			i;

	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		const ColumnRule *rule;
		bool		isnull,
					old_null;
		Datum		value;

		if (att->attisdropped || att->atttypid != DATEOID)
			continue;
		rule = model ? write_model_column(model, NameStr(att->attname)) : NULL;
		if (rule != NULL && rule->column_class == COLUMN_MAINTAINED)
			continue;
		value = heap_getattr(row, i + 1, desc, &isnull);
		if (isnull || DatumGetDateADT(value) >= opened_on)
			continue;
		if (old_row != NULL)
		{
			Datum		old_value = heap_getattr(old_row, i + 1, desc, &old_null);

			if (!old_null && DatumGetDateADT(old_value) == DatumGetDateADT(value))
				continue;
		}
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("%s.%s of case %lld is %s, before the case was opened on %s",
						RelationGetRelationName(child), NameStr(att->attname), (long long) case_id,
						DatumGetCString(DirectFunctionCall1(date_out, value)),
						DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(opened_on)))),
				 errdetail("Nothing recorded on a case is dated before the case was registered%s.",
						   zh_gloss("受理日期")),
				 errhint("Date it on or after the case's opened_on. The record's calendar is China Standard Time (UTC+8): for today, write accountability.record_today(), not current_date, which follows the session's TimeZone.")));
	}
}

/* The statuses named by the trigger's arguments, as a mask. */
static uint32
allowed_statuses(Trigger *trigger)
{
	uint32		mask = 0;
	int			i;

	for (i = 1; i < trigger->tgnargs; i++)
		mask |= (uint32) 1 << DatumGetCode(codeset_input(&case_status_codes,
														 trigger->tgargs[i],
														 NULL));
	return mask;
}

/*
 * Refuse a client-chosen number: numbers are the database's.  A restoring
 * session (superuser or BYPASSRLS) keeps the numbers it loads.
 */
bool
child_row_is_restored(Relation rel, HeapTuple tuple, const char *column)
{
	bool		isnull;

	(void) heap_getattr(tuple, column_number(rel, column, INT4OID),
						RelationGetDescr(rel), &isnull);
	if (isnull)
		return false;
	if (session_may_restore())
		return true;
	ereport(ERROR,
			(errcode(ERRCODE_GENERATED_ALWAYS),
			 errmsg("column \"%s\" of %s is numbered by the database",
					column, RelationGetRelationName(rel)),
			 errhint("Leave %s out of the INSERT; it is the next number within the case.", column)));
	return false;
}

/*
 * A column the database writes on INSERT (who recorded the row and when,
 * the assessment a determination stores): a client may leave it out, or
 * give exactly what the database writes (a default does); any other value
 * is refused, never silently replaced (a newcomer's values vanished
 * without a word).  Compared with the type's own equality.
 */
void
refuse_other_maintained_value(Relation rel, HeapTuple tuple, AttrNumber attno, Datum written)
{
	Form_pg_attribute att = TupleDescAttr(RelationGetDescr(rel), attno - 1);
	TypeCacheEntry *type = lookup_type_cache(att->atttypid, TYPECACHE_EQ_OPR_FINFO);
	bool		isnull;
	Datum		given = heap_getattr(tuple, attno, RelationGetDescr(rel), &isnull);

	if (isnull)
		return;
	if (OidIsValid(type->eq_opr_finfo.fn_oid) &&
		DatumGetBool(FunctionCall2Coll(&type->eq_opr_finfo, att->attcollation, given, written)))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_GENERATED_ALWAYS),
			 errmsg("column \"%s\" of %s is maintained by the database",
					NameStr(att->attname), RelationGetRelationName(rel)),
			 errdetail("The database writes it when the row is recorded; the value given is not the one it writes."),
			 errhint("Leave %s out of the INSERT.", NameStr(att->attname))));
}

/*
 * Is recorded_by given as the bare role name?  That is 1.0's default
 * (current_user), still in place until ALTER EXTENSION UPDATE, and what an
 * application written for it passes: the database writes its own form
 * (current_recorder()) over it, never refusing the recording.
 */
static bool
given_is_bare_role(Relation rel, HeapTuple tuple, AttrNumber attno)
{
	bool		isnull;
	Datum		given = heap_getattr(tuple, attno, RelationGetDescr(rel), &isnull);

	return !isnull && strcmp(TextDatumGetCString(given), GetUserNameFromId(GetUserId(), false)) == 0;
}

/*
 * The row as the database records it: its number, and who recorded it and
 * when where the table keeps that (recorded_at, recorded_by: maintained
 * columns of the write model), so nobody records a determination in
 * another's name or on another day.
 */
static HeapTuple
number_and_stamp(Relation rel, HeapTuple tuple, const char *number_column, Datum number)
{
	int			columns[3];
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	int			count = 0;
	int			i;
	AttrNumber	attno;

	columns[count] = column_number(rel, number_column, INT4OID);
	values[count++] = number;
	attno = get_attnum(RelationGetRelid(rel), "recorded_at");
	if (attno > 0 && TupleDescAttr(RelationGetDescr(rel), attno - 1)->atttypid == TIMESTAMPTZOID)
	{
		columns[count] = attno;
		values[count++] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	}
	attno = get_attnum(RelationGetRelid(rel), "recorded_by");
	if (attno > 0 && TupleDescAttr(RelationGetDescr(rel), attno - 1)->atttypid == TEXTOID)
	{
		columns[count] = attno;
		values[count++] = CStringGetTextDatum(current_db_user());
	}
	/* (the number was judged by child_row_is_restored) */
	for (i = 1; i < count; i++)
		if (!(columns[i] == attno && given_is_bare_role(rel, tuple, attno)))
			refuse_other_maintained_value(rel, tuple, (AttrNumber) columns[i], values[i]);
	return heap_modify_tuple_by_cols(tuple, RelationGetDescr(rel), count, columns,
									 values, nulls);
}

/*
 * 导入: a case imported in some status takes, in import mode, the rows it
 * had on its way there (the determination of a case imported notified),
 * as long as it has not moved since its import: where every path to its
 * status passes through a status that takes them.  Reads the case
 * lock_parent_case_opened() has just fetched.
 */
static bool
imported_case_takes(uint32 allowed, CaseStatus status)
{
	bool		isnull;

	if (!session_may_import())
		return false;
	if (strcmp(TextDatumGetCString(spi_result_value(0, "origin", TEXTOID, &isnull)), "imported") != 0 ||
		DatumGetInt32(spi_result_value(0, "event_count", INT4OID, &isnull)) != 0)
		return false;
	return (case_status_reached_avoiding(allowed) & STATUS_BIT(status)) == 0;
}

PG_FUNCTION_INFO_V1(case_child_trigger);
Datum
case_child_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = trigger_data_checked(fcinfo, "case_child_trigger",
												 true, true);
	Relation	rel = trigdata->tg_relation;
	Trigger    *trigger = trigdata->tg_trigger;
	HeapTuple	tuple = trigdata->tg_trigtuple;
	const char *column;
	bool		isnull;
	int64		case_id;
	CaseStatus	status;
	uint32		allowed;
	Datum		arg;
	Datum		number;
	DateADT		opened_on;

	if (!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event) || trigger->tgnargs < 2)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("case_child_trigger must be fired BEFORE INSERT with a number column and the allowed statuses")));
	column = trigger->tgargs[0];
	if (child_row_is_restored(rel, tuple, column))
		return PointerGetDatum(tuple);
	refuse_interleaved(RelationGetRelid(rel));

	case_id = DatumGetInt64(required_column(rel, tuple, "case_id", INT8OID));
	allowed = allowed_statuses(trigger);
	SPI_connect();
	status = lock_parent_case_opened(rel, case_id, &opened_on);
	if (!(allowed & STATUS_BIT(status)) && !imported_case_takes(allowed, status))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot add to %s of case %lld while it is %s",
						RelationGetRelationName(rel), (long long) case_id,
						codeset_output(&case_status_codes, CodeGetDatum(status))),
				 errdetail("Rows are added to %s while the case is: %s.",
						   RelationGetRelationName(rel), case_status_list(allowed)),
				 errhint("In import mode (accountability.import), a case imported in a status that only a status taking them leads to, and not moved since, takes them too.")));
	check_dated_after_opening(rel, tuple, NULL, case_id, opened_on);
	arg = Int64GetDatum(case_id);
	run_saved_plan_latest_as_owner(next_number_plan(rel, column), rel, &arg, NULL, true, 1);
	number = spi_result_value(0, "n", INT4OID, &isnull);
	SPI_finish();

	return PointerGetDatum(number_and_stamp(rel, tuple, column, number));
}
