/*-------------------------------------------------------------------------
 *
 * explain_guard.c
 *	  EXPLAIN ANALYZE of the record is refused under row-level security.
 *
 * EXPLAIN ANALYZE prints, for each scan, the rows its filter removed.  A
 * condition on a column with a LEAKPROOF operator (case_id = 3, subject_id
 * = 5) runs in the index, before the policies, so those counts are the
 * rows the policies hid: a county login would learn that another county's
 * case exists, or that a cadre of its own county accused someone.  No
 * privilege takes EXPLAIN away, so the extension refuses to run an
 * analysed statement that reads one of its tables under row-level security.
 *
 * The guard is an ExecutorRun hook: the statement is refused before it
 * runs, so nothing is counted and nothing is sent, whatever form it took
 * (a view, a prepared statement, DECLARE, CREATE TABLE AS, an inlined SQL
 * function, through SPI).  (Not ExecutorEnd: EXPLAIN has destroyed the
 * statement's receiver by then.)  The hook is always in place in time:
 * every policy calls sees_all_units(), a C function, whose library the
 * executor loads when it starts the plan, so a session needs no
 * preloading, and the refusal depends on the plan, never on the rows.
 * EXPLAIN without ANALYZE runs nothing and shows estimates only: allowed.
 * While such a statement runs, whatever it calls that reads the record
 * (a PL/pgSQL function, one of the extension's own) is refused too: its
 * buffers are counted into the figures the statement shows.
 *
 * Planning can run statements too: the planner evaluates an IMMUTABLE
 * function with constant arguments itself, and EXPLAIN (BUFFERS) shows
 * what planning read, before any ExecutorRun (attack round 14 read another
 * county's names that way).  So EXPLAIN with BUFFERS is refused outright
 * to a role under the record's policies, checked when the explained
 * plan's executor starts, before anything is shown.
 *
 * The hooks are in place only once the library is loaded.  Loaded on
 * demand, it arrives in the middle of a session's first statement that
 * uses it, too late for that statement's own EXPLAIN: round 14 counted a
 * hidden case's buffers through a STABLE function as a session's first
 * statement.  Only preloading closes that (session_preload_libraries);
 * library_preloaded() tells, and setting_problems() lists it missing.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "executor/executor.h"
#include "executor/instrument.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rls.h"
#include "utils/varlena.h"

#include "support/support.h"

static ExecutorStart_hook_type previous_executor_start = NULL;
static ExecutorRun_hook_type previous_executor_run = NULL;

/* Does the role read this relation of the extension's schema under its policies? */
static bool
relation_hides_rows(Oid relid)
{
	Oid			schema = get_namespace_oid("accountability", true);

	return OidIsValid(schema) && get_rel_namespace(relid) == schema &&
		check_enable_rls(relid, InvalidOid, true) == RLS_ENABLED;
}

/*
 * Did the plan read one of those relations?  Its range table is the whole
 * statement flattened: views expanded, subqueries and the SQL functions
 * the planner inlined pulled in.
 */
static bool
plan_hides_rows(PlannedStmt *plan)
{
	ListCell   *cell;

	foreach(cell, plan->rtable)
	{
		RangeTblEntry *rte = lfirst_node(RangeTblEntry, cell);

		if (rte->rtekind == RTE_RELATION && relation_hides_rows(rte->relid))
			return true;
	}
	return false;
}

/*
 * Is this EXPLAIN ANALYZE: rows counted per plan node, the result thrown
 * away (or into a new table, for CREATE TABLE AS, or serialized and
 * discarded)?  A statement whose rows go to a client or a function is not,
 * even with auto_explain counting.
 */
static bool
explain_analyze(QueryDesc *queryDesc)
{
	CommandDest dest = queryDesc->dest->mydest;

	/* (with timing, ANALYZE asks for the timer alone, which counts rows too) */
	return (queryDesc->instrument_options & (INSTRUMENT_TIMER | INSTRUMENT_ROWS)) != 0 &&
		dest_is_explain(dest);
}

/*
 * How many EXPLAIN ANALYZE runs of a role under the policies are in
 * progress in this backend: while one is, every statement it runs
 * (inside a function it calls) is counted into its figures too.
 */
static int	analysed_runs = 0;

/* Does the plan read any relation of the extension's schema, under policies or not? */
static bool
plan_reads_record(PlannedStmt *plan)
{
	Oid			schema = get_namespace_oid("accountability", true);
	ListCell   *cell;

	foreach(cell, plan->rtable)
	{
		RangeTblEntry *rte = lfirst_node(RangeTblEntry, cell);

		if (rte->rtekind == RTE_RELATION && OidIsValid(schema) &&
			get_rel_namespace(rte->relid) == schema)
			return true;
	}
	return false;
}

pg_noreturn static void refuse_explain_analyze(void);

/* The one refusal, whether the record is read at the top or inside a function. */
static void
refuse_explain_analyze(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("EXPLAIN ANALYZE of the accountability record is not allowed under row-level security"),
			 errdetail("Its counts of rows and buffers would show rows your scope hides, also when a function it calls reads them."),
			 errhint("Use EXPLAIN without ANALYZE, or ask an administrator who sees the whole record to run it.")));
}

/*
 * Is the role one of the record's readers under its row-level security?
 * Judged on cases, whose policies every role of the extension but its
 * owner, superusers and BYPASSRLS roles is under; a role without the
 * readers' privileges reads nothing of the record, and keeps its EXPLAIN
 * (a monitoring login, say).  False where the extension is not installed.
 */
static bool
role_under_policies(void)
{
	Oid			schema = get_namespace_oid("accountability", true);
	Oid			cases = OidIsValid(schema) ? get_relname_relid("cases", schema) : InvalidOid;
	Oid			readers = get_role_oid("accountability_reader", true);

	return OidIsValid(cases) && OidIsValid(readers) &&
		has_privs_of_role(GetUserId(), readers) && relation_hides_rows(cases);
}

/*
 * Is this the plan of an EXPLAIN that shows buffer counts?  Without
 * ANALYZE its executor only starts (EXEC_FLAG_EXPLAIN_ONLY); with it, its
 * rows go nowhere (as in explain_analyze()).
 */
static bool
explain_shows_buffers(QueryDesc *queryDesc, int eflags)
{
	return (queryDesc->instrument_options & INSTRUMENT_BUFFERS) != 0 &&
		((eflags & EXEC_FLAG_EXPLAIN_ONLY) != 0 || dest_is_explain(queryDesc->dest->mydest));
}

pg_noreturn static void refuse_explain_buffers(void);

/* The refusal of buffer counts, whatever the plan reads. */
static void
refuse_explain_buffers(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("EXPLAIN with BUFFERS is not allowed under the accountability record's row-level security"),
			 errdetail("Buffer counts include what planning read, and planning may run statements that read rows your scope hides."),
			 errhint("Use EXPLAIN without BUFFERS (on PostgreSQL 18, EXPLAIN ANALYZE needs BUFFERS OFF), or ask an administrator who sees the whole record.")));
}

/*
 * Refuse EXPLAIN with BUFFERS to a role under the policies: its planning
 * buffers count what statements run while planning read (a function the
 * planner evaluated), whatever the plan itself reads.  An analysed plan
 * of the record gets the refusal it gets without BUFFERS.
 */
static void
explain_buffers_guard(QueryDesc *queryDesc, int eflags)
{
	if (explain_shows_buffers(queryDesc, eflags) && !superuser() && role_under_policies())
	{
		if (explain_analyze(queryDesc) && plan_hides_rows(queryDesc->plannedstmt))
			refuse_explain_analyze();
		refuse_explain_buffers();
	}
	if (previous_executor_start)
		previous_executor_start(queryDesc, eflags);
	else
		standard_ExecutorStart(queryDesc, eflags);
}

/* Run the statement through the next hook, or the standard executor. */
static void
run_next(EXECUTOR_RUN_PARAMS)
{
	if (previous_executor_run)
		previous_executor_run(EXECUTOR_RUN_ARGS);
	else
		standard_ExecutorRun(EXECUTOR_RUN_ARGS);
}

/*
 * Refuse to run EXPLAIN ANALYZE of the record under its policies: at the
 * top, a plan that reads the record under them; inside (a function the
 * analysed statement calls), any statement that reads the record at all,
 * since even one run as the owner counts its buffers into the figures.
 */
static void
explain_guard(EXECUTOR_RUN_PARAMS)
{
	/* (a superuser sees the whole record: nothing hidden to count) */
	if (analysed_runs > 0 && plan_reads_record(queryDesc->plannedstmt))
		refuse_explain_analyze();
	if (!explain_analyze(queryDesc) || superuser())
	{
		run_next(EXECUTOR_RUN_ARGS);
		return;
	}
	if (plan_hides_rows(queryDesc->plannedstmt))
		refuse_explain_analyze();
	analysed_runs++;
	PG_TRY();
	{
		run_next(EXECUTOR_RUN_ARGS);
	}
	PG_FINALLY();
	{
		analysed_runs--;
	}
	PG_END_TRY();
}

/* Does a preload setting's list name this library ("$libdir/pg_accountability" too)? */
static bool
listed_in(const char *setting)
{
	const char *value = GetConfigOption(setting, true, false);
	char	   *copy;
	List	   *names;
	ListCell   *cell;

	if (value == NULL)
		return false;
	copy = pstrdup(value);
	if (!SplitDirectoriesString(copy, ',', &names))
		return false;
	foreach(cell, names)
	{
		const char *name = lfirst(cell);
		const char *base = strrchr(name, '/');

		base = base != NULL ? base + 1 : name;
		if (strcmp(base, "pg_accountability") == 0 || strcmp(base, "pg_accountability" DLSUFFIX) == 0)
			return true;
	}
	return false;
}

/*
 * accountability.library_preloaded(): whether this session loaded the
 * library when it started (shared_, session_ or local_preload_libraries),
 * so the EXPLAIN guard was in place for its first statement too.
 */
PG_FUNCTION_INFO_V1(library_preloaded);
Datum
library_preloaded(PG_FUNCTION_ARGS)	/* NOLINT(misc-unused-parameters) */
{
	PG_RETURN_BOOL(listed_in("shared_preload_libraries") || listed_in("session_preload_libraries") ||
				   listed_in("local_preload_libraries"));
}

/* Called once from _PG_init. */
void
install_explain_guard(void)
{
	previous_executor_start = ExecutorStart_hook;
	ExecutorStart_hook = explain_buffers_guard;
	previous_executor_run = ExecutorRun_hook;
	ExecutorRun_hook = explain_guard;
}
