/*-------------------------------------------------------------------------
 *
 * subject_scope.c
 *	  accountability.subject_scope_trigger(column, ...): a row about a cadre
 *	  is written only while the cadre is in the writer's scope, as of the
 *	  writer's commit order, not just as of its snapshot.
 *
 * The policies judge a new row against the statement's snapshot.  Attack
 * round 15 wrote, from a REPEATABLE READ transaction begun before a cadre
 * moved to another county, early warnings and assessments about that
 * cadre for as long as the transaction lasted; under READ COMMITTED the
 * same raced a concurrent move.  After the statement, this trigger locks
 * the caller's mappings, the cadres its rows name and their units' chains
 * (FOR SHARE, which a move's UPDATE conflicts with: a REPEATABLE READ
 * writer gets a serialization failure, a READ COMMITTED one waits for the
 * move) and asks again, with the caller's rights and the latest snapshot,
 * whether each is in scope.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "commands/trigger.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/rls.h"

#include "support/support.h"

/* One lock statement per table and argument, planned once. */
#define MAX_SCOPE_PLANS 16
#define MAX_SCOPE_ARGUMENT ((size_t) 3 * NAMEDATALEN)
typedef struct ScopePlan
{
	Oid			relid;
	char		argument[MAX_SCOPE_ARGUMENT];
	SavedPlan	plan;
} ScopePlan;
static ScopePlan scope_plans[MAX_SCOPE_PLANS];
static int	scope_plan_count = 0;

/*
 * How a new row names its cadre: by a column of its own ("subject_id"), or
 * through a row it hangs off ("mentorship_id:mentorships.mentee_id", the
 * row of mentorships whose mentorship_id the column holds).
 */
typedef struct CadreReference
{
	char		column[NAMEDATALEN];
	char		via_table[NAMEDATALEN];	/* empty: the column names the cadre */
	char		via_column[NAMEDATALEN];
} CadreReference;

/*
 * Read a trigger argument as a cadre reference, or refuse it (39P01): each
 * name fits a PostgreSQL identifier, none is empty, and none holds "{",
 * which the saved statement would expand as its {schema} placeholder.
 */
static void
parse_cadre_reference(const char *argument, CadreReference *ref)
{
	const char *colon = strchr(argument, ':');
	const char *dot = colon != NULL ? strchr(colon + 1, '.') : NULL;
	size_t		length = strlen(argument);

	memset(ref, 0, sizeof(*ref));
	/* ({ would be read as a placeholder of the statement: never in a name here) */
	if (colon == NULL && length > 0 && length < NAMEDATALEN && strchr(argument, '{') == NULL)
	{
		strlcpy(ref->column, argument, NAMEDATALEN);
		return;
	}
	if (strchr(argument, '{') != NULL ||
		colon == NULL || dot == NULL || colon == argument || dot == colon + 1 || dot[1] == '\0' ||
		colon - argument >= NAMEDATALEN || dot - colon - 1 >= NAMEDATALEN ||
		strlen(dot + 1) >= NAMEDATALEN)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("subject_scope_trigger cannot read the argument \"%s\"", argument),
				 errhint("Name a cadre column, or column:table.cadre_column for a row the new row hangs off.")));
	memcpy(ref->column, argument, colon - argument);
	memcpy(ref->via_table, colon + 1, dot - colon - 1);
	strlcpy(ref->via_column, dot + 1, NAMEDATALEN);
}

/* The statement that locks, as the owner, the cadres the new rows name. */
static char *
lock_statement(const CadreReference *ref)
{
	const char *ids = psprintf("SELECT r.%s FROM new_rows r", quote_identifier(ref->column));

	if (ref->via_table[0] != '\0')
		ids = psprintf("SELECT p.%s FROM {schema}.%s p WHERE p.%s OPERATOR(pg_catalog.=) ANY (ARRAY(%s))",
					   quote_identifier(ref->via_column), quote_identifier(ref->via_table),
					   quote_identifier(ref->column), ids);
	return psprintf("SELECT s.subject_id AS id FROM {schema}.subjects s"
					" WHERE s.subject_id OPERATOR(pg_catalog.=) ANY (ARRAY(%s))"
					" ORDER BY s.subject_id FOR SHARE OF s", ids);
}

/*
 * Forget every lock statement.  The cache is keyed by table OID, and a
 * session that drops and creates the extension again gets new tables: the
 * old entries are dead, and a full cache starts over (a review found the
 * tenth write after two re-creations refused).
 */
static void
forget_scope_plans(void)
{
	int			i;

	for (i = 0; i < scope_plan_count; i++)
	{
		if (scope_plans[i].plan.plan != NULL)
			SPI_freeplan(scope_plans[i].plan.plan);
		pfree((char *) scope_plans[i].plan.sql);
	}
	scope_plan_count = 0;
}

/* The lock statement for a table and an argument, planned on first use. */
static SavedPlan *
lock_plan(Relation rel, const char *argument, const CadreReference *ref)
{
	ScopePlan  *entry;
	int			i;

	for (i = 0; i < scope_plan_count; i++)
		if (scope_plans[i].relid == RelationGetRelid(rel) &&
			strcmp(scope_plans[i].argument, argument) == 0)
			return &scope_plans[i].plan;
	if (scope_plan_count == MAX_SCOPE_PLANS)
		forget_scope_plans();
	entry = &scope_plans[scope_plan_count];
	entry->relid = RelationGetRelid(rel);
	strlcpy(entry->argument, argument, MAX_SCOPE_ARGUMENT);
	entry->plan.sql = MemoryContextStrdup(TopMemoryContext, lock_statement(ref));
	entry->plan.nargs = 0;
	entry->plan.plan = NULL;
	scope_plan_count++;
	return &entry->plan;
}

/*
 * A cadre leaves a scope in three ways: it moves (its subjects row), a
 * unit of its chain moves (a units row), or the mapping that gave the
 * scope goes (a role_units row).  The trigger holds all three FOR SHARE,
 * so each waits for it or it for each (attack round 15's re-attack moved
 * a township to another county, and deleted a county's mapping, while the
 * county wrote).  Granting or revoking a role's membership is outside any
 * row and stays a limit (README).
 */
static SavedPlan lock_unit_chains = {
	"SELECT u.unit_id FROM {schema}.units u"
	" WHERE u.unit_id OPERATOR(pg_catalog.=) ANY (ARRAY("
	"   SELECT a.ancestor_id FROM {schema}.unit_ancestors a"
	"   JOIN {schema}.subjects s ON s.unit_id OPERATOR(pg_catalog.=) a.unit_id"
	"   WHERE s.subject_id OPERATOR(pg_catalog.=) ANY ($1)"
	"   UNION SELECT s.unit_id FROM {schema}.subjects s WHERE s.subject_id OPERATOR(pg_catalog.=) ANY ($1)))"
	" ORDER BY u.unit_id FOR SHARE OF u",
	1, {INT8ARRAYOID}, NULL
};

static SavedPlan lock_caller_mappings = {
	"SELECT r.unit_id FROM {schema}.role_units r"
	" WHERE pg_catalog.pg_has_role($1, r.role_id::pg_catalog.oid, 'USAGE')"
	" ORDER BY r.role_id::pg_catalog.oid, r.unit_id FOR SHARE OF r",
	1, {OIDOID}, NULL
};

/* The trigger is an AFTER INSERT or UPDATE statement trigger with new_rows and a column to read. */
static TriggerData *
scope_trigger_data(FunctionCallInfo fcinfo)
{
	TriggerData *trigdata = trigger_data_checked(fcinfo, "subject_scope_trigger", false, false);

	if (!(TRIGGER_FIRED_BY_INSERT(trigdata->tg_event) || TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event)) ||
		trigdata->tg_newtable == NULL ||
		strcmp(trigdata->tg_trigger->tgnewtable, "new_rows") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("subject_scope_trigger must be fired AFTER INSERT or UPDATE, REFERENCING NEW TABLE AS new_rows")));
	if (trigdata->tg_trigger->tgnargs < 1)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("subject_scope_trigger needs the columns that name the cadre")));
	return trigdata;
}

/* Lock the cadres the new rows name; return them as an int8[] (NULL: none). */
static ArrayType *
lock_named_subjects(Relation rel, const char *argument, const CadreReference *ref)
{
	uint64		n;
	uint64		row;
	Datum	   *ids;

	n = run_saved_plan_as_owner(lock_plan(rel, argument, ref), rel, NULL, NULL, false, 0);
	if (n == 0)
		return NULL;
	ids = palloc(sizeof(Datum) * n);
	for (row = 0; row < n; row++)
	{
		bool		isnull;

		ids[row] = spi_result_value(row, "id", INT8OID, &isnull);
	}
	return construct_array(ids, (int) n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

/*
 * accountability.subject_scope_trigger(column, ...): AFTER INSERT or
 * UPDATE, FOR EACH STATEMENT, REFERENCING NEW TABLE AS new_rows.  For a
 * role under the policies only; restore mode and roles that see every
 * unit have nothing to recheck.
 */
PG_FUNCTION_INFO_V1(subject_scope_trigger);
Datum
subject_scope_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = scope_trigger_data(fcinfo);
	Relation	rel = trigdata->tg_relation;
	Oid			subjects = get_relname_relid("subjects", RelationGetNamespace(rel));
	int			nargs = trigdata->tg_trigger->tgnargs;
	CadreReference *refs = palloc(sizeof(CadreReference) * nargs);
	Datum		caller;
	int			i;

	/* a misdeclared trigger fails for every role, not only those it rechecks */
	for (i = 0; i < nargs; i++)
	{
		parse_cadre_reference(trigdata->tg_trigger->tgargs[i], &refs[i]);
		(void) column_number(rel, refs[i].column, INT8OID);
	}
	if (session_may_restore() || !OidIsValid(subjects) ||
		check_enable_rls(subjects, InvalidOid, false) != RLS_ENABLED)
		return PointerGetDatum(NULL);
	SPI_connect();
	/* fails only without SPI_connect: GCOVR_EXCL_START */
	if (SPI_register_trigger_data(trigdata) != SPI_OK_TD_REGISTER)
		elog(ERROR, "could not register the transition tables");
	/* GCOVR_EXCL_STOP */
	caller = ObjectIdGetDatum(GetUserId());
	run_saved_plan_as_owner(&lock_caller_mappings, rel, &caller, NULL, false, 0);
	for (i = 0; i < nargs; i++)
	{
		ArrayType  *ids = lock_named_subjects(rel, trigdata->tg_trigger->tgargs[i], &refs[i]);
		Datum		ids_datum = PointerGetDatum(ids);

		if (ids == NULL)
			continue;
		run_saved_plan_as_owner(&lock_unit_chains, rel, &ids_datum, NULL, false, 0);
		check_subjects_still_in_scope(rel, ids_datum);
	}
	SPI_finish();
	return PointerGetDatum(NULL);
}
