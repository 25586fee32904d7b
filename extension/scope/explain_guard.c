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
 * privilege takes EXPLAIN away, so the extension refuses EXPLAIN ANALYZE of
 * a statement that reads one of its tables under row-level security.
 * EXPLAIN without ANALYZE shows estimates only and stays allowed.
 *
 * The guard is a ProcessUtility hook, in place once the library is loaded
 * in the session: session_preload_libraries = 'pg_accountability' loads it
 * before the first statement (README "Row-level security").
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "commands/defrem.h"
#include "commands/prepare.h"
#include "miscadmin.h"
#include "optimizer/optimizer.h"
#include "rewrite/rewriteHandler.h"
#include "tcop/tcopprot.h"
#include "tcop/utility.h"
#include "utils/lsyscache.h"
#include "utils/plancache.h"
#include "utils/rls.h"

#include "support/support.h"

static ProcessUtility_hook_type previous_process_utility = NULL;

/* Does the role read this relation of the extension's schema under its policies? */
static bool
relation_hides_rows(Oid relid)
{
	Oid			schema = get_namespace_oid("accountability", true);

	return OidIsValid(schema) && get_rel_namespace(relid) == schema &&
		check_enable_rls(relid, InvalidOid, true) == RLS_ENABLED;
}

/*
 * Does a plan read one of those relations?  The plan's range table is the
 * whole statement flattened: views expanded, subqueries and the SQL
 * functions the planner inlined pulled in.
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

/* Any of the rewritten queries, planned as EXPLAIN would plan them. */
static bool
queries_hide_rows(List *rewritten, const char *query_string, ParamListInfo params)
{
	ListCell   *cell;

	foreach(cell, rewritten)
	{
		Query	   *query = lfirst_node(Query, cell);

		if (query->commandType != CMD_UTILITY &&
			plan_hides_rows(pg_plan_query(copyObject(query), query_string,
										  CURSOR_OPT_PARALLEL_OK, params)))
			return true;
	}
	return false;
}

/*
 * The statement EXPLAIN would run: a query, CREATE TABLE AS of one (or of
 * an EXECUTE), or a prepared statement (its queries as prepared, rewritten
 * already).
 */
static bool
explained_statement_hides_rows(Node *statement, const char *query_string,
							   ParamListInfo params)
{
	Query	   *query = castNode(Query, statement);

	while (query->commandType == CMD_UTILITY && IsA(query->utilityStmt, CreateTableAsStmt))
		query = castNode(Query, ((CreateTableAsStmt *) query->utilityStmt)->query);
	if (query->commandType != CMD_UTILITY)
		return queries_hide_rows(QueryRewrite(copyObject(query)), query_string, params);
	if (IsA(query->utilityStmt, ExecuteStmt))
	{
		PreparedStatement *prepared =
			FetchPreparedStatement(((ExecuteStmt *) query->utilityStmt)->name, false);

		/* planned generically: EXECUTE's arguments are bound later */
		return prepared != NULL &&
			queries_hide_rows(prepared->plansource->query_list, query_string, NULL);
	}
	return false;
}

/* Is ANALYZE among EXPLAIN's options? */
static bool
explain_analyzes(ExplainStmt *stmt)
{
	ListCell   *cell;
	bool		analyze = false;

	foreach(cell, stmt->options)
	{
		DefElem    *option = lfirst_node(DefElem, cell);

		if (strcmp(option->defname, "analyze") == 0)
			analyze = defGetBoolean(option);
	}
	return analyze;
}

/* Refuse EXPLAIN ANALYZE of the record under its policies, pass the rest on. */
static void
explain_guard(PlannedStmt *pstmt, const char *queryString, bool readOnlyTree,
			  ProcessUtilityContext context, ParamListInfo params,
			  QueryEnvironment *queryEnv, DestReceiver *dest, QueryCompletion *qc)
{
	/* (a superuser sees the whole record: nothing hidden to count) */
	if (IsA(pstmt->utilityStmt, ExplainStmt) && !superuser() &&
		explain_analyzes((ExplainStmt *) pstmt->utilityStmt) &&
		explained_statement_hides_rows(((ExplainStmt *) pstmt->utilityStmt)->query,
									   queryString, params))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("EXPLAIN ANALYZE of the accountability record is not allowed under row-level security"),
				 errdetail("Its counts of the rows each filter removed would show rows your scope hides."),
				 errhint("Use EXPLAIN without ANALYZE, or ask an administrator who sees the whole record to run it.")));
	if (previous_process_utility)
		previous_process_utility(pstmt, queryString, readOnlyTree, context,
								 params, queryEnv, dest, qc);
	else
		standard_ProcessUtility(pstmt, queryString, readOnlyTree, context,
								params, queryEnv, dest, qc);
}

/* Called once from _PG_init. */
void
install_explain_guard(void)
{
	previous_process_utility = ProcessUtility_hook;
	ProcessUtility_hook = explain_guard;
}
