/*-------------------------------------------------------------------------
 *
 * support.c
 *	  Saved SPI plans for the SQL the triggers run, built safely.
 *
 * SPI resolves unqualified names through the caller's search_path, where
 * pg_temp comes first: a session's temporary table named like one of ours
 * would capture a trigger's write.  So every statement is written with a
 * {schema} placeholder, replaced by the quoted name of the namespace that
 * holds the extension's tables (looked up from the OID of the relation the
 * trigger fired on), operators are written OPERATOR(pg_catalog.=), and the
 * plan is prepared once per backend and kept (SPI_keepplan).  Setting
 * search_path on a row trigger would cost as much as the trigger itself.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/dependency.h"
#include "catalog/pg_class.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "support/support.h"

/* The statement text with every {schema} replaced by the quoted schema. */
static char *
expand_schema(const char *sql, Oid namespace_oid)
{
	const char *schema = quote_identifier(get_namespace_name(namespace_oid));
	const char *placeholder = "{schema}";
	size_t		placeholder_len = strlen(placeholder);
	StringInfoData buf;
	const char *p = sql;
	const char *hit;

	initStringInfo(&buf);
	while ((hit = strstr(p, placeholder)) != NULL)
	{
		appendBinaryStringInfo(&buf, p, (int) (hit - p));
		appendStringInfoString(&buf, schema);
		p = hit + placeholder_len;
	}
	appendStringInfoString(&buf, p);
	return buf.data;
}

/*
 * The saved plan of a statement, prepared on first use.  Must be called
 * inside SPI_connect.  The plan survives until the backend exits; the plan
 * cache re-plans it if the tables change.
 */
SPIPlanPtr
saved_plan(SavedPlan *slot, Oid namespace_oid)
{
	if (slot->plan == NULL)
	{
		char	   *sql = expand_schema(slot->sql, namespace_oid);
		SPIPlanPtr	plan = SPI_prepare(sql, slot->nargs, slot->argtypes);

		/*
		 * SPI reports a failing statement by ereport; these return codes
		 * only mean a call made wrongly.  GCOVR_EXCL_START
		 */
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s",
				 sql, SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "SPI_keepplan failed");
		/* GCOVR_EXCL_STOP */
		slot->plan = plan;
	}
	return slot->plan;
}

/*
 * Run a saved plan with the given arguments (nulls as SPI wants them, NULL
 * for none) and check it did what it should; returns SPI_processed.
 */
uint64
run_saved_plan(SavedPlan *slot, Oid namespace_oid, Datum *values,
			   const char *nulls, bool read_only, long limit)
{
	int			rc = SPI_execute_plan(saved_plan(slot, namespace_oid), values,
									  nulls, read_only, limit);

	/* as in saved_plan: a wrong call, never a failing statement: GCOVR_EXCL_START */
	if (rc < 0)
		elog(ERROR, "SPI_execute_plan failed for \"%s\": %s",
			 slot->sql, SPI_result_code_string(rc));
	/* GCOVR_EXCL_STOP */
	return SPI_processed;
}

/*
 * The same under a given snapshot (SPI_execute_snapshot): the latest one,
 * for a check that must see what committed while the trigger waited for a
 * lock.  "fire_triggers" false leaves the statement's AFTER triggers to the
 * caller's query, as SPI_execute_plan would not.
 */
static uint64
run_saved_plan_under(SavedPlan *slot, Oid namespace_oid, Datum *values, const char *nulls,
					 Snapshot snapshot, bool read_only, bool fire_triggers, long limit)
{
	int			rc = SPI_execute_snapshot(saved_plan(slot, namespace_oid), values, nulls,
										  snapshot, InvalidSnapshot, read_only, fire_triggers, limit);

	/* as in saved_plan: GCOVR_EXCL_START */
	if (rc < 0)
		elog(ERROR, "SPI_execute_snapshot failed for \"%s\": %s",
			 slot->sql, SPI_result_code_string(rc));
	/* GCOVR_EXCL_STOP */
	return SPI_processed;
}

/* Column "name" of SPI result row "row", or isnull. */
Datum
spi_result_value(uint64 row, const char *name, Oid type_oid, bool *isnull)
{
	int			attno = SPI_fnumber(SPI_tuptable->tupdesc, name);
	Oid			actual;

	/* the statements are the extension's own: GCOVR_EXCL_START */
	if (attno <= 0)
		elog(ERROR, "SPI result has no column \"%s\"", name);
	/* GCOVR_EXCL_STOP */
	actual = SPI_gettypeid(SPI_tuptable->tupdesc, attno);
	if (OidIsValid(type_oid) && actual != type_oid)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("a query of pg_accountability read \"%s\" as %s, not %s",
						name, format_type_be(actual), format_type_be(type_oid)),
				 errdetail("A table or function of the extension was altered: a column or a result changed type."),
				 errhint("Restore the extension's own definitions; accountability.verify_ledger() reports what changed.")));
	return SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc,
						 attno, isnull);
}

/*
 * The class of the extension's locks: the fourth field of an advisory lock
 * tag, which pg_advisory_lock() and its kin always set to 1 or 2, so no
 * client can take or hold these (an attacker holding the public keys the
 * triggers once used stalled every unit's writes).  pg_locks shows them as
 * advisory locks with this objsubid.
 */
#define PRIVATE_LOCK_CLASS 0x4143	/* "AC" */

/* Take one such lock, exclusive, until the transaction ends. */
void
lock_private_key(int64 key)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, (uint32) ((uint64) key >> 32),
						 (uint32) key, PRIVATE_LOCK_CLASS);
	(void) LockAcquire(&tag, ExclusiveLock, false, false);
}

/*
 * The same key in share mode: holders of the share lock never wait for
 * each other, only for (and before) the one who takes it exclusively.
 */
void
lock_private_key_shared(int64 key)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, (uint32) ((uint64) key >> 32),
						 (uint32) key, PRIVATE_LOCK_CLASS);
	(void) LockAcquire(&tag, ShareLock, false, false);
}

/* Take the locks whose keys the last SPI query returned, in its order. */
void
lock_private_keys(void)
{
	uint64		row;

	for (row = 0; row < SPI_processed; row++)
	{
		bool		isnull;
		Datum		key = spi_result_value(row, "key", INT8OID, &isnull);

		if (!isnull)
			lock_private_key(DatumGetInt64(key));
	}
}

/*
 * A role under row-level security may only add rows about the parents it
 * sees.  Checked with the caller's rights before the owner reads the
 * parent (locks a case, looks up a cadre's sanctions), so a row aimed at
 * another unit's parent fails like any row outside the policy (42501),
 * saying nothing of it; a parent that does not exist looks the same.
 * Nothing to check where the parent's table has no policy for the caller.
 */
static void parent_in_scope(Relation rel, TableParent kind, SavedPlan *visible,
							Datum parent_id, bool latest);
pg_noreturn static void refuse_parent_outside_scope(Relation rel, TableParent kind, long long id);

void
check_parent_in_scope(Relation rel, TableParent kind, SavedPlan *visible,
					  Datum parent_id)
{
	parent_in_scope(rel, kind, visible, parent_id, false);
}

/*
 * The same, again under the latest snapshot, once the trigger holds the
 * parent's row lock: a parent that left the caller's scope while the
 * trigger waited for the lock (attack round 10: a cadre moved to another
 * county by a concurrent move_subject(), then promoted by the old county)
 * is out of scope now.
 */
void
check_parent_still_in_scope(Relation rel, TableParent kind, SavedPlan *visible,
							Datum parent_id)
{
	parent_in_scope(rel, kind, visible, parent_id, true);
}

static void
parent_in_scope(Relation rel, TableParent kind, SavedPlan *visible,
				Datum parent_id, bool latest)
{
	const char *parent_table;
	Oid			parent;
	long long	id = (long long) DatumGetInt64(parent_id);

	/* the callers are the extension's own triggers: GCOVR_EXCL_START */
	if (kind != PARENT_CASE && kind != PARENT_SUBJECT)
		elog(ERROR, "check_parent_in_scope: a row hangs off a case or a subject, not %d", (int) kind);
	/* GCOVR_EXCL_STOP */
	parent_table = kind == PARENT_CASE ? "cases" : "subjects";
	parent = get_relname_relid(parent_table, RelationGetNamespace(rel));

	if (!OidIsValid(parent) || check_enable_rls(parent, InvalidOid, false) != RLS_ENABLED)
		return;
	if ((latest ?
		 run_saved_plan_under(visible, RelationGetNamespace(rel), &parent_id, NULL,
							  GetLatestSnapshot(), true, false, 1) :
		 run_saved_plan(visible, RelationGetNamespace(rel), &parent_id, NULL, true, 1)) > 0)
		return;
	refuse_parent_outside_scope(rel, kind, id);
}

/* A row names a parent the caller does not see: refused like any row outside the policies. */
static void
refuse_parent_outside_scope(Relation rel, TableParent kind, long long id)
{
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("new row violates row-level security policy for table \"%s\"",
					RelationGetRelationName(rel)),
			 kind == PARENT_CASE ?
			 errdetail("Case %lld is not among the cases of your units, or does not exist.", id) :
			 errdetail("Cadre %lld is not among the cadres of your units, or does not exist.", id),
			 errhint("accountability.visible_units() lists the units of your roles; an administrator maps roles to units in accountability.role_units.")));
}

/* The first of a set of cadres the caller does not see (its own rights). */
static SavedPlan subject_outside_scope = {
	"SELECT n.id FROM pg_catalog.unnest($1) n (id)"
	" WHERE NOT EXISTS (SELECT 1 FROM {schema}.subjects s WHERE s.subject_id OPERATOR(pg_catalog.=) n.id)"
	" ORDER BY n.id LIMIT 1",
	1, {INT8ARRAYOID}, NULL
};

/*
 * The statement-level form of check_parent_still_in_scope for the rows
 * about cadres: every cadre of subject_ids (an int8[]), whose rows the
 * trigger has locked, is still in the caller's scope under the latest
 * snapshot.  Nothing to check where subjects has no policy for the caller.
 */
void
check_subjects_still_in_scope(Relation rel, Datum subject_ids)
{
	Oid			subjects = get_relname_relid("subjects", RelationGetNamespace(rel));
	bool		isnull;

	if (!OidIsValid(subjects) || check_enable_rls(subjects, InvalidOid, false) != RLS_ENABLED)
		return;
	if (run_saved_plan_under(&subject_outside_scope, RelationGetNamespace(rel), &subject_ids, NULL,
							 GetLatestSnapshot(), true, false, 1) > 0)
		refuse_parent_outside_scope(rel, PARENT_SUBJECT,
									(long long) DatumGetInt64(spi_result_value(0, "id", INT8OID, &isnull)));
}

/*
 * Run a saved plan as the owner of "rel", the way PostgreSQL's foreign-key
 * triggers run their checks: clients need no rights on the history or on
 * locking the parent case, and row-level security does not hide the case
 * the trigger must see.  With "snapshot" given, run exactly under it
 * (read_only) or under it with the command counter advanced first.  Its
 * own AFTER triggers are queued and fired as for any query (the counters'
 * deferred one waits for commit): left to an outer query, they failed when
 * the caller was a top-level SELECT, which has no trigger context.
 */
static uint64
run_as_owner(SavedPlan *slot, Relation rel, Datum *values, const char *nulls,
			 Snapshot snapshot, bool read_only, long limit)
{
	Oid			save_userid;
	int			save_sec_context;
	uint64		processed;

	GetUserIdAndSecContext(&save_userid, &save_sec_context);
	SetUserIdAndSecContext(rel->rd_rel->relowner,
						   save_sec_context | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_NOFORCE_RLS);
	if (snapshot == InvalidSnapshot)
		processed = run_saved_plan(slot, RelationGetNamespace(rel), values, nulls,
								   read_only, limit);
	else
		processed = run_saved_plan_under(slot, RelationGetNamespace(rel), values, nulls,
										 snapshot, read_only, true, limit);
	SetUserIdAndSecContext(save_userid, save_sec_context);
	return processed;
}

uint64
run_saved_plan_as_owner(SavedPlan *slot, Relation rel, Datum *values,
						const char *nulls, bool read_only, long limit)
{
	return run_as_owner(slot, rel, values, nulls, InvalidSnapshot, read_only, limit);
}

/*
 * Run a saved query as the owner of "rel" under the latest snapshot, as
 * the foreign-key triggers check a row they hold locked.  For a trigger
 * that holds a case's row lock and reads what hangs off the case: whoever
 * held the lock before it committed what it added, but the statement's
 * snapshot (and in REPEATABLE READ the transaction's) was taken before the
 * wait for the lock and would miss it, so a number would be handed out
 * twice and a move judged on children that are no longer all there.
 *
 * own_statement: advance the command counter first, so rows the running
 * statement has already inserted count too (a multi-row INSERT of children
 * of one case); otherwise the query sees exactly the latest snapshot.
 */
uint64
run_saved_plan_latest_as_owner(SavedPlan *slot, Relation rel, Datum *values,
							   const char *nulls, bool own_statement, long limit)
{
	return run_as_owner(slot, rel, values, nulls, GetLatestSnapshot(),
						!own_statement, limit);
}

/*
 * The trigger data of a call, after checking the function was fired the
 * way its CREATE TRIGGER must say (39P01 otherwise, never a crash).
 */
static void note_extension_namespace(Oid function_oid);

TriggerData *
trigger_data_checked(FunctionCallInfo fcinfo, const char *name, bool before,
					 bool for_row)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s: not called by the trigger manager", name)));
	if ((TRIGGER_FIRED_BEFORE(trigdata->tg_event) != 0) != before ||
		(TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) != 0) != for_row)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s must be fired %s ... FOR EACH %s", name,
						before ? "BEFORE" : "AFTER",
						for_row ? "ROW" : "STATEMENT")));
	note_extension_namespace(fcinfo->flinfo->fn_oid);
	require_extension_table(fcinfo, trigdata->tg_relation, name);
	return trigdata;
}

/* Did column attno change between an UPDATE trigger's old and new row? */
bool
trigger_column_changed(TriggerData *trigdata, int attno)
{
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	Form_pg_attribute att = TupleDescAttr(desc, attno - 1);
	bool		old_null,
				new_null;
	Datum		old_value = heap_getattr(trigdata->tg_trigtuple, attno, desc, &old_null);
	Datum		new_value = heap_getattr(trigdata->tg_newtuple, attno, desc, &new_null);

	return old_null != new_null ||
		(!old_null && !datumIsEqual(old_value, new_value, att->attbyval, att->attlen));
}

/*
 * Relations already found to be the extension's own, with the trigger
 * function that asked: a pair is checked once per backend, and forgotten
 * when the relation's cache entry is invalidated (a DROP, an ALTER).
 */
#define MAX_TRUSTED_PAIRS 64
typedef struct TrustedPair
{
	Oid			function_oid;
	Oid			relid;
} TrustedPair;
static TrustedPair trusted_pairs[MAX_TRUSTED_PAIRS];
static int	trusted_count = 0;
static bool trusted_callback_registered = false;

/* A relation's cache entry was invalidated: forget what was trusted. */
static void
forget_trusted_pairs(Datum arg, Oid relid)	/* NOLINT(misc-unused-parameters) */
{
	int			i;
	int			kept = 0;

	for (i = 0; i < trusted_count; i++)
		if (OidIsValid(relid) && trusted_pairs[i].relid != relid)
			trusted_pairs[kept++] = trusted_pairs[i];
	trusted_count = kept;
}

/* Was this pair already found to be the extension's own? */
static bool
pair_is_trusted(Oid function_oid, Oid relid)
{
	int			i;

	for (i = 0; i < trusted_count; i++)
		if (trusted_pairs[i].function_oid == function_oid &&
			trusted_pairs[i].relid == relid)
			return true;
	return false;
}

/*
 * Is rel one of the tables the extension created, in the schema of the
 * trigger function, which is itself one of the extension's?
 */
static bool
is_extension_table(Oid function_oid, Relation rel)
{
	Oid			extension = get_extension_oid("pg_accountability", true);

	return OidIsValid(extension) &&
		getExtensionOfObject(ProcedureRelationId, function_oid) == extension &&
		getExtensionOfObject(RelationRelationId, RelationGetRelid(rel)) == extension &&
		RelationGetNamespace(rel) == get_func_namespace(function_oid);
}

/*
 * The triggers fire only on the extension's own tables: on a look-alike
 * (another schema, or a table the extension does not own) a trigger would
 * read it with the real tables' plans and shapes (attack round 15).
 */
void
require_extension_table(FunctionCallInfo fcinfo, Relation rel, const char *name)
{
	Oid			function_oid = fcinfo->flinfo->fn_oid;
	Oid			relid = RelationGetRelid(rel);

	if (pair_is_trusted(function_oid, relid))
		return;
	if (!is_extension_table(function_oid, rel))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s fires only on the tables of pg_accountability, not on \"%s.%s\"",
						name, get_namespace_name(RelationGetNamespace(rel)),
						RelationGetRelationName(rel)),
				 errdetail("Both the trigger function and the table must be members of the extension, in its schema."),
				 errhint("Attach the extension's triggers only where its own scripts attach them.")));
	if (!trusted_callback_registered)
	{
		CacheRegisterRelcacheCallback(forget_trusted_pairs, (Datum) 0);
		trusted_callback_registered = true;
	}
	if (trusted_count == MAX_TRUSTED_PAIRS)
		trusted_count = 0;
	trusted_pairs[trusted_count].function_oid = function_oid;
	trusted_pairs[trusted_count].relid = relid;
	trusted_count++;
}

/* A column of another type than the extension created: refused, named. */
static void
refuse_column_type(Relation rel, const char *column, Oid actual,
				   const char *expected)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("column \"%s\" of table \"%s\" is of type %s, not %s",
					column, RelationGetRelationName(rel),
					format_type_be(actual), expected),
			 errhint("The pg_accountability triggers expect the columns the extension created.")));
}

/*
 * The attribute number of a column of rel, checked to be of type_oid
 * (InvalidOid: any type), or an error naming it: a retyped column is
 * refused, never read as the type the trigger expects.
 */
int
column_number(Relation rel, const char *column, Oid type_oid)
{
	int			attno = SPI_fnumber(RelationGetDescr(rel), column);
	Oid			actual;

	if (attno <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("table \"%s\" has no column \"%s\"",
						RelationGetRelationName(rel), column),
				 errhint("The pg_accountability triggers expect the columns the extension created.")));
	actual = TupleDescAttr(RelationGetDescr(rel), attno - 1)->atttypid;
	if (type_oid != InvalidOid && actual != type_oid)
		refuse_column_type(rel, column, actual, format_type_be(type_oid));
	return attno;
}

/*
 * Refuse a null in a column the record requires, in PostgreSQL's own
 * words: a trigger reads the row before NOT NULL is checked, and must not
 * take a null for a value.
 */
void
report_null_column(Relation rel, const char *column)
{
	ereport(ERROR,
			(errcode(ERRCODE_NOT_NULL_VIOLATION),
			 errmsg("null value in column \"%s\" of relation \"%s\" violates not-null constraint",
					column, RelationGetRelationName(rel)),
			 errtable(rel)));
}

/* The value of a column the trigger needs; a null is refused (23502). */
Datum
required_column(Relation rel, HeapTuple tuple, const char *column,
				Oid type_oid)
{
	bool		isnull;
	Datum		value = heap_getattr(tuple, column_number(rel, column, type_oid),
									 RelationGetDescr(rel), &isnull);

	if (isnull)
		report_null_column(rel, column);
	return value;
}

/*
 * The type a column spec expects: a built-in type by OID, or one of the
 * extension's types, found in the namespace of the table being guarded.
 */
static Oid
expected_type(const ColumnSpec *spec)
{
	if (spec->type_name == NULL)
		return spec->type_oid;
	return extension_type_oid(spec->type_name);
}

/*
 * The extension's schema, as the schema of the trigger function running
 * (trigger_data_checked notes it): the extension's types live there,
 * wherever the table the trigger fires on lives.
 */
static Oid	trigger_function_oid = InvalidOid;
static Oid	extension_namespace = InvalidOid;

static void
note_extension_namespace(Oid function_oid)
{
	if (function_oid == trigger_function_oid)
		return;
	extension_namespace = get_func_namespace(function_oid);
	trigger_function_oid = function_oid;
}

/* One of the extension's own types, by name, or InvalidOid. */
Oid
extension_type_oid(const char *name)
{
	if (!OidIsValid(extension_namespace))
		return InvalidOid;
	return GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum(name),
						   ObjectIdGetDatum(extension_namespace));
}

/* Does the cached lookup still describe rel's columns, names and types? */
static bool
lookup_still_valid(Relation rel, const ColumnSpec *specs, int count,
				   const ColumnLookup *cache)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			i;

	if (cache->relid != RelationGetRelid(rel))
		return false;
	for (i = 0; i < count; i++)
	{
		AttrNumber	attno = cache->attnos[i];
		Form_pg_attribute att;

		if (attno < 1 || attno > desc->natts)
			return false;
		att = TupleDescAttr(desc, attno - 1);
		if (att->attisdropped || att->atttypid != cache->types[i] ||
			strcmp(NameStr(att->attname), specs[i].name) != 0)
			return false;
	}
	return true;
}

/*
 * The attribute numbers of the columns a trigger needs, each checked for
 * its name and type, once per relation (then kept in the caller's cache
 * and re-checked cheaply on every use): a table shaped otherwise than the
 * extension created it is refused with an error naming the column, never
 * misread.
 */
void
lookup_columns(Relation rel, const ColumnSpec *specs, int count,
			   ColumnLookup *cache, AttrNumber *attnos)
{
	TupleDesc	desc = RelationGetDescr(rel);

	Assert(count <= MAX_LOOKUP_COLUMNS);
	if (!lookup_still_valid(rel, specs, count, cache))
	{
		int			i;

		cache->relid = InvalidOid;
		for (i = 0; i < count; i++)
		{
			int			attno = column_number(rel, specs[i].name, InvalidOid);
			Oid			expected = expected_type(&specs[i]);
			Oid			actual = TupleDescAttr(desc, attno - 1)->atttypid;

			if (actual != expected)
				refuse_column_type(rel, specs[i].name, actual,
								   OidIsValid(expected) ? format_type_be(expected)
								   : specs[i].type_name);
			cache->attnos[i] = (AttrNumber) attno;
			cache->types[i] = actual;
		}
		cache->relid = RelationGetRelid(rel);
	}
	memcpy(attnos, cache->attnos, sizeof(AttrNumber) * count);
}

/* A text in UTF-8, whatever the database encoding, for core/written.c. */
static char *
text_as_utf8(text *value)
{
	char	   *s = text_to_cstring(value);
	int			encoding = GetDatabaseEncoding();

	if (encoding != PG_UTF8 && encoding != PG_SQL_ASCII)
		s = pg_server_to_any(s, (int) strlen(s), PG_UTF8);
	return s;
}

/*
 * Is a text "written": at least one character that is not Unicode white
 * space (core/written.c), judged in UTF-8 whatever the database encoding.
 */
bool
text_is_written(text *value)
{
	char	   *s = text_as_utf8(value);

	return utf8_is_written(s, strlen(s));
}

/* Is a text free of white space before and after it (the same judgement)? */
bool
text_is_trimmed(text *value)
{
	char	   *s = text_as_utf8(value);

	return utf8_is_trimmed(s, strlen(s));
}

/*
 * Refuse a code with white space around it (23514): a row named by its
 * exact code would need the blanks to be found, and " 3301" and "3301"
 * would be two codes.  "detail" says who names the row by the code.
 */
void
refuse_untrimmed_code(text *code, const char *column, const char *detail)
{
	if (!text_is_trimmed(code))
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("%s has blanks before or after it", column),
				 errdetail("%s", detail),
				 errhint("Write the code without the blanks around it.")));
}

