/*-------------------------------------------------------------------------
 *
 * guards.c
 *	  The guards that keep the record whole: the case history is append-only,
 *	  cases are never deleted, and a closed case never changes.
 *
 * These triggers are ENABLE ALWAYS, so they fire for every role, including
 * the table owner and a superuser who set session_replication_role to
 * replica.  Disabling them needs ALTER TABLE, which leaves a trace; the
 * chained hash of case_events catches what a superuser does anyway.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "access/htup_details.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/rel.h"

#include "support/support.h"

/*
 * Does the session's role (after SET ROLE, not a trigger's owner) hold SET
 * on this parameter?  A mode a superuser stored with ALTER DATABASE or
 * ALTER ROLE reaches every session; it takes effect only for the roles
 * that could have set it themselves (attack round 7 let a clerk load a
 * closed case under a database-wide restore mode).
 */
bool
role_may_set(const char *parameter)
{
	return pg_parameter_aclcheck(parameter, GetOuterUserId(), ACL_SET) == ACLCHECK_OK;
}

/*
 * May this session load rows as they are, with their history?  Only in
 * the explicit restore mode (accountability.restore), for a superuser or
 * a role granted SET on it: privilege alone never switches the workflow's
 * rules off, and neither does a mode stored for everyone.
 */
bool
session_may_restore(void)
{
	return accountability_restore && role_may_set("accountability.restore");
}

/* The same for import mode (accountability.import): administrators only. */
bool
session_may_import(void)
{
	return accountability_import && role_may_set("accountability.import");
}

/*
 * accountability.new_case_origin(): the default of cases.origin, by the
 * same test as the trigger that judges new cases.
 */
PG_FUNCTION_INFO_V1(new_case_origin);
Datum
new_case_origin(PG_FUNCTION_ARGS)	/* NOLINT(misc-unused-parameters) */
{
	PG_RETURN_TEXT_P(cstring_to_text(session_may_import() ? "imported" : "registered"));
}

/*
 * BEFORE UPDATE OR DELETE (row) and BEFORE TRUNCATE (statement): refuse.
 * Attached to case_events for all three and to cases for DELETE.
 */
PG_FUNCTION_INFO_V1(append_only_guard);
Datum
append_only_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	const char *table;
	const char *action;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("append_only_guard must be fired BEFORE UPDATE, DELETE or TRUNCATE")));
	require_extension_table(fcinfo, trigdata->tg_relation, "append_only_guard");
	table = RelationGetRelationName(trigdata->tg_relation);
	/*
	 * A restore that failed halfway must not leave rows nobody can remove:
	 * in restore mode TRUNCATE clears a table for the retry, and says so.
	 */
	if (session_may_restore() && TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event))
	{
		ereport(WARNING,
				(errmsg("TRUNCATE of %s allowed in restore mode", table),
				 errdetail("accountability.restore is on: a failed restore is being cleared for a retry.")));
		return PointerGetDatum(NULL);
	}
	action = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? "UPDATE"
		: TRIGGER_FIRED_BY_DELETE(trigdata->tg_event) ? "DELETE" : "TRUNCATE";
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("%s of %s is not allowed", action, table),
			 errdetail("%s is part of the permanent record: rows are only ever added.", table),
			 errhint(strcmp(table, "cases") == 0
					 ? "Close a case with UPDATE ... SET status = 'closed' and a closing_reason instead of deleting it."
					 : "Record a correction as a new event by moving the case; history is never edited.")));
	PG_RETURN_NULL();
}

/*
 * BEFORE UPDATE on cases: a closed case (办结) is final.  Separate from the
 * workflow trigger because it must be ENABLE ALWAYS, while the workflow
 * stays ORIGIN so a logical replica applies history exactly once.
 */
PG_FUNCTION_INFO_V1(closed_case_guard);
Datum
closed_case_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = trigger_data_checked(fcinfo, "closed_case_guard",
												 true, true);
	Relation	cases = trigdata->tg_relation;
	bool		isnull;
	Datum		status;

	if (!TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("closed_case_guard must be fired BEFORE UPDATE")));
	status = heap_getattr(trigdata->tg_trigtuple, column_number(cases, "status", extension_type_oid("case_status")),
						  RelationGetDescr(cases), &isnull);
	if (!isnull && DatumGetCode(status) == CASE_STATUS_CLOSED)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("case %lld is closed and cannot be changed",
						(long long) DatumGetInt64(heap_getattr(trigdata->tg_trigtuple,
															   column_number(cases, "case_id", INT8OID),
															   RelationGetDescr(cases), &isnull))),
				 errdetail("A closed case%s is final.", zh_gloss("办结")),
				 errhint("Register a new case that refers to it through related_case_id.")));
	return PointerGetDatum(trigdata->tg_newtuple);
}

/* The trigger's arguments as "a, b" for messages. */
static char *
listed_columns(Trigger *trigger)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < trigger->tgnargs; i++)
		appendStringInfo(&buf, "%s%s", i > 0 ? ", " : "", trigger->tgargs[i]);
	return buf.data;
}

/* Is column attno named among the trigger's arguments? */
static bool
column_is_listed(Trigger *trigger, TupleDesc desc, int attno)
{
	const char *name = NameStr(TupleDescAttr(desc, attno - 1)->attname);
	int			i;

	for (i = 0; i < trigger->tgnargs; i++)
		if (strcmp(trigger->tgargs[i], name) == 0)
			return true;
	return false;
}

/*
 * The trigger data of a column guard, which compares the old row with the
 * new: fired on anything but UPDATE there is no new row (39P01).
 */
static TriggerData *
update_trigger_data(FunctionCallInfo fcinfo, const char *name)
{
	TriggerData *trigdata = trigger_data_checked(fcinfo, name, true, true);

	if (!TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s must be fired BEFORE UPDATE", name)));
	return trigdata;
}

/*
 * BEFORE UPDATE (row) on the catalogue tables of the record whose rows an
 * administrator may change (role_units, tolerance_list_items): the key
 * columns, named as trigger arguments, never change.  The ledger knows a
 * row by its key; a changed key would leave the old one looking deleted
 * outside the ledger, a false tamper alarm nothing could clear.
 */
PG_FUNCTION_INFO_V1(key_columns_stay);
Datum
key_columns_stay(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = update_trigger_data(fcinfo, "key_columns_stay");
	Relation	rel = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	int			attno;

	for (attno = 1; attno <= desc->natts; attno++)
		if (!TupleDescAttr(desc, attno - 1)->attisdropped &&
			column_is_listed(trigdata->tg_trigger, desc, attno) &&
			trigger_column_changed(trigdata, attno))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("column \"%s\" of %s is part of the row's key and cannot be changed",
							NameStr(TupleDescAttr(desc, attno - 1)->attname), RelationGetRelationName(rel)),
					 errdetail("The ledger records each row of %s under its key (%s).",
							   RelationGetRelationName(rel), listed_columns(trigdata->tg_trigger)),
					 errhint("Delete the row and insert the new one: the ledger then records both.")));
	return PointerGetDatum(trigdata->tg_newtuple);
}

/*
 * BEFORE UPDATE (row): only the columns named as trigger arguments may
 * change; a recorded determination keeps its outcome and assessment, a
 * plan its content, and only their completion dates are filled in later.
 */
PG_FUNCTION_INFO_V1(only_listed_columns_change);
Datum
only_listed_columns_change(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = update_trigger_data(fcinfo, "only_listed_columns_change");
	Relation	rel = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	int			attno;

	for (attno = 1; attno <= desc->natts; attno++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, attno - 1);

		if (att->attisdropped || column_is_listed(trigdata->tg_trigger, desc, attno))
			continue;
		if (trigger_column_changed(trigdata, attno))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("column \"%s\" of %s cannot be changed once recorded",
							NameStr(att->attname), RelationGetRelationName(rel)),
					 errdetail("Only these columns may be filled in later: %s.",
							   listed_columns(trigdata->tg_trigger)),
					 errhint("Record a new row instead of rewriting the old one.")));
	}
	return PointerGetDatum(trigdata->tg_newtuple);
}
