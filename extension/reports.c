/*-------------------------------------------------------------------------
 *
 * reports.c
 *	  Figures the reports need from rows their reader may not see.
 *
 * The province publishes how many false-accusation cases it pursued and
 * how many people they involved, and a BI reader must see those figures;
 * but row-level security hides false-accusation cases (who accused whom)
 * from everyone below a reviewer.  accountability.false_accusation_figures()
 * squares the two: it takes the caller's scope with the caller's rights,
 * then counts as the table owner, within that scope only, and returns
 * nothing but counts per unit and year.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/memutils.h"
#include "utils/lsyscache.h"
#include "utils/rangetypes.h"
#include "utils/rel.h"
#include "utils/rls.h"

#include "support/support.h"

/* The caller's scope, evaluated with the caller's rights. */
static SavedPlan caller_scope = {
	"SELECT {schema}.sees_all_units() AS all_units, {schema}.visible_units() AS units",
	0, {InvalidOid}, NULL
};

/*
 * Every statement run as the owner within the caller's scope takes the
 * same parameters: $1 the scope is every unit, $2 else its units, $3 the
 * caller may see accusers, $4 one subject (null for all).
 */
#define SCOPE_PARAMS 4, {BOOLOID, INT8ARRAYOID, BOOLOID, INT8OID}, NULL

/* The counts, as the owner, within a scope. */
static SavedPlan figures_in_scope = {
	"SELECT c.unit_id, extract(year FROM d.decided_on)::integer AS year,"
	" pg_catalog.count(DISTINCT c.related_case_id) AS reports, pg_catalog.count(DISTINCT c.subject_id) AS accusers"
	" FROM {schema}.cases c JOIN {schema}.determinations d ON d.case_id OPERATOR(pg_catalog.=) c.case_id"
	" WHERE c.kind OPERATOR(pg_catalog.=) 'false_accusation'"
	" AND ($1 OR c.unit_id OPERATOR(pg_catalog.=) ANY ($2))"
	" GROUP BY 1, 2",
	SCOPE_PARAMS
};

/* Whether the caller may see accusers, with the caller's rights. */
static SavedPlan caller_accusers = {
	"SELECT {schema}.sees_accusers() AS accusers",
	0, {InvalidOid}, NULL
};

/*
 * As the owner: the sanctions of false accusations about the cadres of a
 * scope that are handled outside it, for a caller who sees accusers: the
 * period of each, never the case, and nothing of a case that sanctions
 * nobody (pending, tolerated or lenient).  None when the scope is every
 * unit.  Read from the few false-accusation cases, for subject_standing.
 */
static SavedPlan accusations_beyond = {
	"SELECT c.subject_id, p.period AS sanction_period"
	" FROM {schema}.cases c"
	" JOIN {schema}.subjects s ON s.subject_id OPERATOR(pg_catalog.=) c.subject_id"
	" CROSS JOIN LATERAL (SELECT x.outcome, x.decided_on, x.influence_until FROM {schema}.determinations x"
	" WHERE x.case_id OPERATOR(pg_catalog.=) c.case_id ORDER BY x.determination_no DESC LIMIT 1) d"
	" CROSS JOIN LATERAL (SELECT {schema}.sanction_period(d.outcome, d.decided_on, d.influence_until) AS period) p"
	" WHERE c.kind OPERATOR(pg_catalog.=) 'false_accusation' AND NOT $1 AND $3"
	" AND NOT c.unit_id OPERATOR(pg_catalog.=) ANY ($2) AND s.unit_id OPERATOR(pg_catalog.=) ANY ($2)"
	" AND p.period IS NOT NULL",
	SCOPE_PARAMS
};

/*
 * As the owner: the sanctions of one cadre of the scope ($4) decided on
 * cases handled outside it, of every kind (a false accusation's only for a
 * caller who sees accusers), for measures_in_effect: what the promotion
 * trigger holds against the cadre, without the case.
 */
static SavedPlan sanctions_beyond = {
	"SELECT s.subject_id, p.period AS sanction_period"
	" FROM {schema}.subjects s"
	" JOIN {schema}.cases c ON c.subject_id OPERATOR(pg_catalog.=) s.subject_id"
	" CROSS JOIN LATERAL (SELECT x.outcome, x.decided_on, x.influence_until FROM {schema}.determinations x"
	" WHERE x.case_id OPERATOR(pg_catalog.=) c.case_id ORDER BY x.determination_no DESC LIMIT 1) d"
	" CROSS JOIN LATERAL (SELECT {schema}.sanction_period(d.outcome, d.decided_on, d.influence_until) AS period) p"
	" WHERE s.subject_id OPERATOR(pg_catalog.=) $4 AND NOT $1 AND s.unit_id OPERATOR(pg_catalog.=) ANY ($2)"
	" AND NOT c.unit_id OPERATOR(pg_catalog.=) ANY ($2)"
	" AND (c.kind OPERATOR(pg_catalog.<>) 'false_accusation' OR $3)"
	" AND p.period IS NOT NULL",
	SCOPE_PARAMS
};

/*
 * Whether the caller's scope is every unit, and else its units: a role
 * that row-level security does not restrict (superuser, BYPASSRLS, the
 * owner) sees all, as it would in the table itself.
 */
static bool
caller_sees_all(Relation cases, Datum *units)
{
	bool		isnull;
	bool		all;

	*units = PointerGetDatum(construct_empty_array(INT8OID));
	if (check_enable_rls(RelationGetRelid(cases), InvalidOid, false) != RLS_ENABLED)
		return true;
	run_saved_plan(&caller_scope, RelationGetNamespace(cases), NULL, NULL, true, 1);
	all = DatumGetBool(spi_result_value(0, "all_units", BOOLOID, &isnull));
	if (!all)
	{
		Datum		value = spi_result_value(0, "units", INT8ARRAYOID, &isnull);

		if (!isnull)
			*units = SPI_datumTransfer(value, false, -1);
	}
	return all;
}

/*
 * Whether the caller may see accusers (a reviewer's privileges); a role
 * that row-level security does not restrict sees them in the table itself.
 */
static bool
caller_may_see_accusers(Relation cases)
{
	bool		isnull;

	if (check_enable_rls(RelationGetRelid(cases), InvalidOid, false) != RLS_ENABLED)
		return true;
	run_saved_plan(&caller_accusers, RelationGetNamespace(cases), NULL, NULL, true, 1);
	return DatumGetBool(spi_result_value(0, "accusers", BOOLOID, &isnull));
}

/*
 * Put the rows of the last SPI result into the function's result, column
 * for column, after checking they are what the function declares.
 */
static void
put_spi_rows(ReturnSetInfo *rsinfo, uint64 rows)
{
	int			natts = rsinfo->setDesc->natts;
	Datum	   *values = palloc(sizeof(Datum) * natts);
	bool	   *nulls = palloc(sizeof(bool) * natts);
	uint64		i;

	/* the statement and the declared result are written together: GCOVR_EXCL_START */
	if (SPI_tuptable->tupdesc->natts != natts)
		elog(ERROR, "the count returned %d columns, not %d", SPI_tuptable->tupdesc->natts, natts);
	for (i = 0; i < (uint64) natts; i++)
		if (TupleDescAttr(SPI_tuptable->tupdesc, i)->atttypid != TupleDescAttr(rsinfo->setDesc, i)->atttypid)
			elog(ERROR, "column %d of the count is not of its declared type", (int) i + 1);
	/* GCOVR_EXCL_STOP */
	for (i = 0; i < rows; i++)
	{
		int			j;

		for (j = 0; j < natts; j++)
			values[j] = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, j + 1, &nulls[j]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
}

/*
 * Return the rows of a statement run as the table owner within the
 * caller's scope (SCOPE_PARAMS; subject: $4, or null): the one way a
 * reader gets figures from rows it may not read.
 */
static void
return_rows_in_scope(FunctionCallInfo fcinfo, SavedPlan *statement, NullableDatum subject)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			namespace_oid = get_func_namespace(fcinfo->flinfo->fn_oid);
	Relation	cases;
	Datum		args[4];
	char		nulls[4] = {' ', ' ', ' ', ' '};

	InitMaterializedSRF(fcinfo, 0);
	cases = table_open(get_relname_relid("cases", namespace_oid), AccessShareLock);
	SPI_connect();
	args[0] = BoolGetDatum(caller_sees_all(cases, &args[1]));
	args[2] = BoolGetDatum(caller_may_see_accusers(cases));
	args[3] = subject.value;
	nulls[3] = subject.isnull ? 'n' : ' ';
	put_spi_rows(rsinfo, run_saved_plan_as_owner(statement, cases, args, nulls, true, 0));
	SPI_finish();
	table_close(cases, AccessShareLock);
}

/* No subject: every row of the scope. */
static const NullableDatum every_subject = {(Datum) 0, true};

/*
 * accountability.false_accusation_figures(): (unit_id, year, reports,
 * accusers) for the false-accusation cases in the caller's scope.
 */
PG_FUNCTION_INFO_V1(false_accusation_figures);
Datum
false_accusation_figures(PG_FUNCTION_ARGS)
{
	return_rows_in_scope(fcinfo, &figures_in_scope, every_subject);
	return (Datum) 0;
}

/*
 * accountability.accusations_beyond_scope(): (subject_id, sanction_period)
 * of each sanction of a false accusation about a cadre of the caller's
 * scope handled outside it, for a caller who sees accusers.  The unit that
 * promotes a cadre must see the sanction that holds them back: a refusal
 * it could not explain would tell it who accused whom (attack round 12).
 */
PG_FUNCTION_INFO_V1(accusations_beyond_scope);
Datum
accusations_beyond_scope(PG_FUNCTION_ARGS)
{
	return_rows_in_scope(fcinfo, &accusations_beyond, every_subject);
	return (Datum) 0;
}

/*
 * accountability.sanctions_beyond_scope(subject_id): (subject_id,
 * sanction_period) of each sanction of a cadre of the caller's scope
 * decided on a case handled outside it (a false accusation's only for a
 * caller who sees accusers), so measures_in_effect lists what the
 * promotion trigger holds against the cadre.
 */
PG_FUNCTION_INFO_V1(sanctions_beyond_scope);
Datum
sanctions_beyond_scope(PG_FUNCTION_ARGS)
{
	NullableDatum subject = {PG_GETARG_DATUM(0), PG_ARGISNULL(0)};

	return_rows_in_scope(fcinfo, &sanctions_beyond, subject);
	return (Datum) 0;
}

/*
 * The report figures (issue 16): annual_report reads per-unit, per-year
 * counters (accountability.report_figures) that these triggers keep
 * exact.  A trigger does not add or subtract: it works out which (year,
 * unit) figures the rows it saw can touch, and has
 * accountability.report_figures_refresh() lock those pairs and count
 * them again from the tables, as the table owner.  The count runs once the
 * locks are held, under the latest snapshot, so it sees whatever the
 * previous holder of a lock committed, in any isolation level; so the
 * counters are exactly what a count from scratch gives
 * (report_figures_check() compares), under any concurrency.  Restore mode skips them: the counters are dumped and
 * restored with the rows they count.
 *
 * Statement triggers (INSERT, and UPDATE or DELETE of tables that are not
 * on the workflow's hot path) read the transition tables, named new_rows
 * and old_rows; {rows} stands for the rows the statement touched.  Row
 * triggers (UPDATE OF the few columns that move figures between units or
 * years, on cases, subjects, determinations and clarifications) get the
 * old and new values of their columns as parameters.
 */
#define REFRESH_KEYS(groups, keys) \
	"SELECT {schema}.report_figures_refresh(pg_catalog.array_agg(k.year), pg_catalog.array_agg(k.unit_id)," \
	" '{" groups "}'::pg_catalog.text[]) FROM (" keys ") k (year, unit_id)"

/* The promotions of these subjects: whether they follow a protected case can change. */
#define PROMOTIONS_OF(subjects) \
	" SELECT EXTRACT(year FROM p.effective_on)::integer, p.unit_id FROM {schema}.promotions p" \
	" WHERE p.subject_id OPERATOR(pg_catalog.=) ANY (" subjects ")"

#define YEAR_OF(d) "EXTRACT(year FROM " d ")::integer"

/*
 * The subject figures (subject_standing) of these subjects are counted
 * again too; BOTH runs the two refreshes in one statement, the report
 * figures' first, so every trigger takes the two kinds of locks in the
 * same order.
 */
#define REFRESH_SUBJECTS(subjects) \
	"SELECT {schema}.subject_figures_refresh(pg_catalog.array_agg(DISTINCT s.subject_id))" \
	" FROM (" subjects ") s (subject_id)"
#define BOTH(report, subjects) "SELECT (" report "), (" REFRESH_SUBJECTS(subjects) ")"

/* The subjects of the cases of these rows. */
#define UNFOUNDED " WHERE n.to_status OPERATOR({schema}.=) 'unfounded'::{schema}.case_status"
#define SUBJECTS_OF_CASES(rows_where) \
	" SELECT c.subject_id FROM {rows} n" \
	" JOIN {schema}.cases c ON c.case_id OPERATOR(pg_catalog.=) n.case_id" rows_where

/*
 * A false-accusation case is never in the subject figures (its subject is
 * the accuser), so it never touches an accuser's row, not even to write it
 * again unchanged: a row or a row version a reader could see would tell it
 * who accused.
 */
#define NOT_FALSE_ACCUSATION "c.kind OPERATOR(pg_catalog.<>) 'false_accusation'"

/* Row triggers: a moved case's subject before and after ($1 case, $3 old subject). */
#define CASE_SUBJECTS \
	"SELECT $3 UNION SELECT c.subject_id FROM {schema}.cases c WHERE c.case_id OPERATOR(pg_catalog.=) $1"

/* Row triggers: the subjects of a row's case before ($1) and after ($3). */
#define SUBJECTS_OF_OLD_AND_NEW_CASE \
	"SELECT c.subject_id FROM {schema}.cases c" \
	" WHERE (c.case_id OPERATOR(pg_catalog.=) $1 OR c.case_id OPERATOR(pg_catalog.=) $3)"

/* The same two, for the subject figures (see NOT_FALSE_ACCUSATION). */
#define FIGURED_CASE_SUBJECTS \
	"SELECT x.subject_id FROM (" CASE_SUBJECTS ") x (subject_id)" \
	" WHERE EXISTS (SELECT FROM {schema}.cases c WHERE c.case_id OPERATOR(pg_catalog.=) $1 AND " NOT_FALSE_ACCUSATION ")"
#define FIGURED_SUBJECTS_OF_OLD_AND_NEW_CASE SUBJECTS_OF_OLD_AND_NEW_CASE " AND " NOT_FALSE_ACCUSATION

typedef struct FigureSource
{
	const char *name;			/* the trigger's argument */
	const char *sql;			/* the statement; {rows}, {schema}, $n */
	int			nparams;		/* row triggers: parameters, from OLD/NEW */
	const char *params[4];		/* "old.column" or "new.column" */
	Oid			types[4];
	SavedPlan	plans[3];		/* INSERT, UPDATE, DELETE (statement) or the row plan */
} FigureSource;

/* a statement trigger's source: no parameters, no plan yet */
#define NO_PLANS {{0}}
#define NO_PARAMS 0, {NULL}, {InvalidOid}, NO_PLANS

static FigureSource figure_sources[] = {
	{"case_events",
		BOTH(REFRESH_KEYS("unfounded,promotions", "SELECT " YEAR_OF("c.opened_on") ", c.unit_id FROM {rows} n"
						  " JOIN {schema}.cases c ON c.case_id OPERATOR(pg_catalog.=) n.case_id"
						  " WHERE n.to_status OPERATOR({schema}.=) 'unfounded'::{schema}.case_status"
						  " AND c.kind OPERATOR(pg_catalog.=) 'report'"
						  " UNION" PROMOTIONS_OF(SUBJECTS_OF_CASES(UNFOUNDED " AND " NOT_FALSE_ACCUSATION))),
			 SUBJECTS_OF_CASES(UNFOUNDED " AND " NOT_FALSE_ACCUSATION)),
	NO_PARAMS},
	{"determinations",
		BOTH(REFRESH_KEYS("determinations,promotions", "SELECT " YEAR_OF("n.decided_on") ", c.unit_id FROM {rows} n"
						  " JOIN {schema}.cases c ON c.case_id OPERATOR(pg_catalog.=) n.case_id"
						  " UNION" PROMOTIONS_OF(SUBJECTS_OF_CASES(" WHERE " NOT_FALSE_ACCUSATION))),
			 SUBJECTS_OF_CASES(" WHERE " NOT_FALSE_ACCUSATION)),
	NO_PARAMS},
	{"clarifications",
		BOTH(REFRESH_KEYS("clarifications", "SELECT " YEAR_OF("n.done_on") ", c.unit_id FROM {rows} n"
						  " JOIN {schema}.cases c ON c.case_id OPERATOR(pg_catalog.=) n.case_id"
						  " WHERE n.done_on IS NOT NULL"),
			 SUBJECTS_OF_CASES(" WHERE " NOT_FALSE_ACCUSATION)),
	NO_PARAMS},
	{"commendations",
		BOTH(REFRESH_KEYS("commendations", "SELECT n.year, n.awarding_unit_id FROM {rows} n"
						  " WHERE n.kind OPERATOR(pg_catalog.=) 'good_cadre'"),
			 "SELECT n.subject_id FROM {rows} n"),
	NO_PARAMS},
	{"assessments",
		BOTH(REFRESH_KEYS("assessments", "SELECT n.year, n.assessing_unit_id FROM {rows} n"
						  " WHERE n.grade OPERATOR(pg_catalog.=) 'excellent'"),
			 "SELECT n.subject_id FROM {rows} n"),
	NO_PARAMS},
	{"trainings",
		REFRESH_KEYS("trainings", "SELECT n.year, s.unit_id FROM {rows} n"
					 " JOIN {schema}.subjects s ON s.subject_id OPERATOR(pg_catalog.=) n.subject_id"),
	NO_PARAMS},
	{"mentorships",
		BOTH(REFRESH_KEYS("mentorships", "SELECT y.year, n.unit_id FROM {rows} n CROSS JOIN LATERAL pg_catalog.generate_series("
						  YEAR_OF("n.started_on") ", " YEAR_OF("coalesce(n.ended_on, n.started_on)") ") y (year)"),
			 "SELECT n.mentee_id FROM {rows} n UNION ALL SELECT n.mentor_id FROM {rows} n"),
	NO_PARAMS},
	{"promotions",
		BOTH(REFRESH_KEYS("promotions", "SELECT " YEAR_OF("n.effective_on") ", n.unit_id FROM {rows} n"),
			 "SELECT n.subject_id FROM {rows} n"),
	NO_PARAMS},
	/* records only the subject figures count */
	{"early_warnings", REFRESH_SUBJECTS("SELECT n.subject_id FROM {rows} n"), NO_PARAMS},
	{"demotions", REFRESH_SUBJECTS("SELECT n.subject_id FROM {rows} n"), NO_PARAMS},
	/* units: unit_ancestors is brought up to date (rebuild_unit_ancestors) */
	{"units", NULL, NO_PARAMS},
	/* row triggers */
	{"cases_moved",
		BOTH(REFRESH_KEYS("determinations,clarifications,unfounded,promotions", "SELECT y.year, u.unit_id FROM"
					 " (SELECT " YEAR_OF("d.decided_on") " FROM {schema}.determinations d"
					 "   WHERE d.case_id OPERATOR(pg_catalog.=) $1"
					 "  UNION SELECT " YEAR_OF("k.done_on") " FROM {schema}.clarifications k"
					 "   WHERE k.case_id OPERATOR(pg_catalog.=) $1 AND k.done_on IS NOT NULL"
					 "  UNION SELECT " YEAR_OF("$4") " UNION SELECT " YEAR_OF("c.opened_on") " FROM {schema}.cases c"
					 "   WHERE c.case_id OPERATOR(pg_catalog.=) $1) y (year),"
					 " (SELECT $2 UNION SELECT c.unit_id FROM {schema}.cases c"
					 "   WHERE c.case_id OPERATOR(pg_catalog.=) $1) u (unit_id)"
					 " UNION" PROMOTIONS_OF(FIGURED_CASE_SUBJECTS)),
			 FIGURED_CASE_SUBJECTS),
	4, {"old.case_id", "old.unit_id", "old.subject_id", "old.opened_on"}, {INT8OID, INT8OID, INT8OID, DATEOID}, NO_PLANS},
	{"subjects_moved",
		REFRESH_KEYS("trainings,clarifications", "SELECT t.year, u.unit_id FROM {schema}.trainings t,"
					 " (SELECT $2 UNION SELECT s.unit_id FROM {schema}.subjects s"
					 "   WHERE s.subject_id OPERATOR(pg_catalog.=) $1) u (unit_id)"
					 " WHERE t.subject_id OPERATOR(pg_catalog.=) $1"
					 " UNION SELECT " YEAR_OF("k.done_on") ", c.unit_id FROM {schema}.cases c"
					 " JOIN {schema}.clarifications k ON k.case_id OPERATOR(pg_catalog.=) c.case_id"
					 " WHERE c.subject_id OPERATOR(pg_catalog.=) $1 AND k.done_on IS NOT NULL"),
	2, {"old.subject_id", "old.unit_id"}, {INT8OID, INT8OID}, NO_PLANS},
	{"determinations_moved",
		BOTH(REFRESH_KEYS("determinations,promotions", "SELECT " YEAR_OF("x.decided_on") ", c.unit_id FROM (VALUES ($1, $2), ($3, $4)) x (case_id, decided_on)"
						  " JOIN {schema}.cases c ON c.case_id OPERATOR(pg_catalog.=) x.case_id"
						  " UNION" PROMOTIONS_OF(FIGURED_SUBJECTS_OF_OLD_AND_NEW_CASE)),
			 FIGURED_SUBJECTS_OF_OLD_AND_NEW_CASE),
	4, {"old.case_id", "old.decided_on", "new.case_id", "new.decided_on"}, {INT8OID, DATEOID, INT8OID, DATEOID}, NO_PLANS},
	{"clarifications_moved",
		BOTH(REFRESH_KEYS("clarifications", "SELECT " YEAR_OF("x.done_on") ", c.unit_id FROM (VALUES ($1, $2), ($3, $4)) x (case_id, done_on)"
						  " JOIN {schema}.cases c ON c.case_id OPERATOR(pg_catalog.=) x.case_id"
						  " WHERE x.done_on IS NOT NULL"),
			 FIGURED_SUBJECTS_OF_OLD_AND_NEW_CASE),
	4, {"old.case_id", "old.done_on", "new.case_id", "new.done_on"}, {INT8OID, DATEOID, INT8OID, DATEOID}, NO_PLANS},
};

/*
 * Counting again, exactly, in every isolation level.  The (year, unit)
 * pairs are locked in one order with transaction-scoped locks of the
 * extension's own (lock_private_key: taken, never updated, so a lock is no
 * serialization conflict, and no client can hold one); then,
 * under the latest snapshot (taken once the locks are held, so it shows
 * what the previous holder of a lock committed, and with its command ID
 * advanced, so it shows this statement's own rows), the missing counter
 * rows are added and every pair is counted again from the tables.  This is
 * how the foreign-key triggers and the numbering of a case's rows
 * (children.c) read past a REPEATABLE READ snapshot: a figure is never
 * counted on a stale view, and two transactions that touch the same unit
 * both commit.
 */
/*
 * The lock key of one counter: a hash of the table's name and the counter's
 * key, so each table of counters has a key space of its own.
 */
#define LOCK_KEY(table, key_text) \
	"SELECT pg_catalog.hashtextextended('pg_accountability." table ":'" \
	" OPERATOR(pg_catalog.||) " key_text ", 0) AS key"

static SavedPlan lock_pairs = {
	LOCK_KEY("report_figures", "k.year::pg_catalog.text OPERATOR(pg_catalog.||) ':'"
			 " OPERATOR(pg_catalog.||) k.unit_id::pg_catalog.text")
	" FROM (SELECT DISTINCT x.year, x.unit_id"
	"       FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2)) x (year, unit_id)"
	"       WHERE x.year IS NOT NULL AND x.unit_id IS NOT NULL) k"
	" ORDER BY k.year, k.unit_id",
	2, {INT4ARRAYOID, INT8ARRAYOID}, NULL
};

static SavedPlan add_pairs = {
	"INSERT INTO {schema}.report_figures (year, unit_id)"
	" SELECT DISTINCT x.year, x.unit_id"
	" FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2)) x (year, unit_id)"
	" WHERE x.year IS NOT NULL AND x.unit_id IS NOT NULL"
	" ORDER BY 1, 2 ON CONFLICT DO NOTHING",
	2, {INT4ARRAYOID, INT8ARRAYOID}, NULL
};

/*
 * Each figure counted again where the statement's groups count it; a row
 * whose figures all stay is left alone, not even written unchanged: a new
 * row version (its xmin) in a unit no visible change touched would tell a
 * reader that a hidden record moved (attack round 9: a false accuser's
 * promotion).
 */
#define COUNT_AGAIN_VALUE(c) "coalesce(r." c ", f." c ")"
#define COUNT_AGAIN(c) c " = " COUNT_AGAIN_VALUE(c)
#define KEPT(c) "f." c
/* every figure of report_figures, each through X, joined by ", " */
#define REPORT_FIGURES(X) \
	X("determined_cases") ", " X("tolerance_cases") ", " \
	X("tolerance_applications") ", " X("tolerance_grants") ", " \
	X("ex_officio_grants") ", " X("clarifications") ", " \
	X("clarified_persons") ", " X("clarified_organizations") ", " \
	X("false_accusation_determinations") ", " X("false_accusation_cases") ", " \
	X("false_accusation_persons") ", " X("unfounded_reports") ", " \
	X("good_cadre_commendations") ", " X("excellent_assessments") ", " \
	X("training_participants") ", " X("mentoring_pairs_ended") ", " \
	X("mentoring_pairs_opened") ", " X("promotions_after_protection")
static SavedPlan count_pairs = {
	"UPDATE {schema}.report_figures f SET " REPORT_FIGURES(COUNT_AGAIN)
	" FROM {schema}.report_figures_recount($1, $2, $3) r"
	" WHERE f.year OPERATOR(pg_catalog.=) r.year AND f.unit_id OPERATOR(pg_catalog.=) r.unit_id"
	/* a row whose figures stay is not written again (see above) */
	" AND NOT pg_catalog.record_eq(ROW (" REPORT_FIGURES(KEPT) "), ROW (" REPORT_FIGURES(COUNT_AGAIN_VALUE) "))",
	3, {INT4ARRAYOID, INT8ARRAYOID, TEXTARRAYOID}, NULL
};

/*
 * A table of counters and the three statements that bring some of its rows
 * up to date: lock them, add the missing ones, count them again.
 */
typedef struct Counters
{
	const char *table;
	SavedPlan  *lock;			/* as the caller: the keys to lock, in one order */
	SavedPlan  *add;			/* as the owner, under the latest snapshot; or none */
	SavedPlan  *count;			/* as the owner, under the latest snapshot */
} Counters;

static const Counters report_counters = {"report_figures", &lock_pairs, &add_pairs, &count_pairs};

/* Bring the counters the arguments name up to date (see above). */
static void
count_again(const Counters *counters, Oid namespace_oid, Datum *args, char *nulls)
{
	Relation	figures = table_open(get_relname_relid(counters->table, namespace_oid), RowExclusiveLock);

	SPI_connect();
	run_saved_plan(counters->lock, namespace_oid, args, nulls, true, 0);
	lock_private_keys();
	if (counters->add != NULL)
		run_saved_plan_latest_as_owner(counters->add, figures, args, nulls, true, 0);
	run_saved_plan_latest_as_owner(counters->count, figures, args, nulls, true, 0);
	SPI_finish();
	table_close(figures, RowExclusiveLock);
}

/*
 * The overlaps of the distinct figures (report_overlaps, see
 * 90_report_figures.sql) are counted a year at a time: a person's units in
 * a year may be anywhere in the tree.  They are counted at commit (a
 * deferred constraint trigger), under a lock of the year taken then and
 * held for the commit only: writers of one year never hold each other up
 * while they work, and never deadlock over it.  A change of the unit tree
 * counts every year again, holding the tree's lock exclusively; every
 * count of a year holds it in share mode, so the two never miss each
 * other's rows.
 */
#define TREE_LOCK_KEY INT64CONST(0x4143434f554e5459)	/* "ACCOUNTY" */

static SavedPlan every_figures_year = {
	"SELECT pg_catalog.array_agg(DISTINCT x.year) AS years FROM"
	" (SELECT f.year FROM {schema}.report_figures f UNION SELECT o.year FROM {schema}.report_overlaps o) x",
	0, {InvalidOid}, NULL
};

static SavedPlan lock_years = {
	LOCK_KEY("report_overlaps", "k.year::pg_catalog.text")
	" FROM (SELECT DISTINCT y AS year FROM pg_catalog.unnest($1) y WHERE y IS NOT NULL) k ORDER BY k.year",
	1, {INT4ARRAYOID}, NULL
};

/*
 * The years' overlaps brought to their count, row by row: a row that keeps
 * its figures is not written again (attack round 9: deleting and inserting
 * every row of the year gave each a new version whenever anything changed
 * anywhere, which told a county's reader that another unit's hidden
 * record had moved).  The three parts touch disjoint keys.
 */
#define OVERLAP_FIGURES(t) \
	t "clarified_persons, " t "clarified_organizations, " \
	t "false_accusation_cases, " t "false_accusation_persons"
#define SAME_PAIR(a, b) \
	a ".year OPERATOR(pg_catalog.=) " b ".year AND " a ".unit_id OPERATOR(pg_catalog.=) " b ".unit_id"
static SavedPlan count_overlaps = {
	"WITH r AS MATERIALIZED (SELECT * FROM {schema}.report_overlaps_recount($1)),"
	" changed AS (UPDATE {schema}.report_overlaps o SET (" OVERLAP_FIGURES("") ") ="
	"   ROW (" OVERLAP_FIGURES("r.") ") FROM r WHERE " SAME_PAIR("o", "r")
	"   AND NOT pg_catalog.record_eq(ROW (" OVERLAP_FIGURES("o.") "), ROW (" OVERLAP_FIGURES("r.") "))),"
	" gone AS (DELETE FROM {schema}.report_overlaps o WHERE o.year OPERATOR(pg_catalog.=) ANY ($1)"
	"   AND NOT EXISTS (SELECT 1 FROM r WHERE " SAME_PAIR("r", "o") "))"
	" INSERT INTO {schema}.report_overlaps SELECT r.* FROM r"
	" WHERE NOT EXISTS (SELECT 1 FROM {schema}.report_overlaps o WHERE " SAME_PAIR("o", "r") ")",
	1, {INT4ARRAYOID}, NULL
};

/* Lock and count again the overlaps of these years (all_years: every year). */
static void
count_overlaps_again(Oid namespace_oid, Datum years, bool all_years)
{
	Relation	overlaps = table_open(get_relname_relid("report_overlaps", namespace_oid), RowExclusiveLock);
	bool		isnull = false;

	if (all_years)
		lock_private_key(TREE_LOCK_KEY);
	else
		lock_private_key_shared(TREE_LOCK_KEY);
	SPI_connect();
	if (all_years)
	{
		run_saved_plan_latest_as_owner(&every_figures_year, overlaps, NULL, NULL, false, 1);
		years = spi_result_value(0, "years", INT4ARRAYOID, &isnull);
	}
	if (!isnull)
	{
		run_saved_plan_as_owner(&lock_years, overlaps, &years, NULL, true, 0);
		lock_private_keys();
		run_saved_plan_latest_as_owner(&count_overlaps, overlaps, &years, NULL, true, 0);
	}
	SPI_finish();
	table_close(overlaps, RowExclusiveLock);
}

/*
 * What has been counted already: the deferred trigger fires once per
 * changed figures row, and one count of a year serves every change made
 * before it.  A change after the count needs a later command, so the
 * counts are keyed by the transaction and the command id the last count
 * ended at (a statement start time is shared by every statement of one
 * message, and a county's "...; SET CONSTRAINTS ALL IMMEDIATE; ...;
 * COMMIT" left the second batch uncounted: attack round 15).
 */
static TransactionId counted_xid = InvalidTransactionId;
static CommandId counted_cid = InvalidCommandId;
static List *counted_years = NIL;	/* in TopTransactionContext */
static bool counted_all = false;

/* Has a count since the last change to the figures covered the year (or all)? */
static bool
counted_already(int32 year, bool all_years)
{
	TransactionId xid = GetTopTransactionIdIfAny();
	CommandId	cid = GetCurrentCommandId(false);

	if (xid != counted_xid || cid != counted_cid)
	{
		counted_xid = xid;
		counted_cid = cid;
		counted_years = NIL;
		counted_all = false;
	}
	if (counted_all)
		return true;
	if (all_years)
	{
		counted_all = true;
		return false;
	}
	if (list_member_int(counted_years, year))
		return true;
	{
		MemoryContext old = MemoryContextSwitchTo(TopTransactionContext);

		counted_years = lappend_int(counted_years, year);
		MemoryContextSwitchTo(old);
	}
	return false;
}

/* A count ran (its own writes advanced the command id): it still covers what it counted. */
static void
count_finished(void)
{
	counted_cid = GetCurrentCommandId(false);
}

/*
 * accountability.report_overlaps_trigger(): a deferred constraint trigger,
 * AFTER UPDATE of report_figures (a unit's own distinct counts changed, so
 * its year's overlaps may have) or AFTER INSERT, UPDATE or DELETE of units
 * (the tree changed: every year).  Counts at commit; skipped in restore
 * mode, where report_overlaps is restored as dumped.
 */
PG_FUNCTION_INFO_V1(report_overlaps_trigger);
Datum
report_overlaps_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = trigger_data_checked(fcinfo, "report_overlaps_trigger", false, true);
	Relation	rel = trigdata->tg_relation;
	bool		all_years = strcmp(RelationGetRelationName(rel), "units") == 0;
	int32		year = 0;

	if (session_may_restore())
		return PointerGetDatum(NULL);
	if (!all_years)
	{
		bool		isnull;
		HeapTuple	row = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? trigdata->tg_newtuple : trigdata->tg_trigtuple;
		Datum		value = heap_getattr(row, column_number(rel, "year", INT4OID), RelationGetDescr(rel), &isnull);

		if (isnull)
			return PointerGetDatum(NULL);
		year = DatumGetInt32(value);
	}
	if (counted_already(year, all_years))
		return PointerGetDatum(NULL);
	if (all_years)
		count_overlaps_again(RelationGetNamespace(rel), (Datum) 0, true);
	else
	{
		Datum		one = Int32GetDatum(year);

		count_overlaps_again(RelationGetNamespace(rel),
							 PointerGetDatum(construct_array(&one, 1, INT4OID, sizeof(int32), true, TYPALIGN_INT)),
							 false);
	}
	count_finished();
	return PointerGetDatum(NULL);
}

/*
 * accountability.report_overlaps_refresh(years): lock the overlaps of the
 * years (every year when NULL) and count them again.
 */
PG_FUNCTION_INFO_V1(report_overlaps_refresh);
Datum
report_overlaps_refresh(PG_FUNCTION_ARGS)
{
	count_overlaps_again(get_func_namespace(fcinfo->flinfo->fn_oid),
						 PG_ARGISNULL(0) ? (Datum) 0 : PG_GETARG_DATUM(0), PG_ARGISNULL(0));
	PG_RETURN_VOID();
}

/*
 * accountability.report_figures_refresh(years, units, groups): lock the
 * figures of the pairs (years[i], units[i]) and count them again (groups:
 * see report_figures_recount); the overlaps follow at commit.  The triggers
 * call it as the table owner.
 */
PG_FUNCTION_INFO_V1(report_figures_refresh);
Datum
report_figures_refresh(PG_FUNCTION_ARGS)
{
	Oid			namespace_oid = get_func_namespace(fcinfo->flinfo->fn_oid);
	Datum		args[3];
	char		nulls[3] = {' ', ' ', ' '};

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_VOID();
	args[0] = PG_GETARG_DATUM(0);
	args[1] = PG_GETARG_DATUM(1);
	args[2] = PG_ARGISNULL(2) ? (Datum) 0 : PG_GETARG_DATUM(2);
	nulls[2] = PG_ARGISNULL(2) ? 'n' : ' ';
	count_again(&report_counters, namespace_oid, args, nulls);
	PG_RETURN_VOID();
}

/*
 * The subject figures (subject_standing): one row per cadre, counted again
 * the same way, cadre by cadre.  The locks are by bucket of cadres (256 of
 * them), not one per cadre: a statement that touches every cadre of the
 * province (a year's assessments) would otherwise take 100,000 locks and
 * run out of the lock table; two statements on cadres of one bucket take
 * turns, as they would for one cadre.
 */
static SavedPlan lock_subjects = {
	LOCK_KEY("subject_figures", "k.bucket::pg_catalog.text")
	" FROM (SELECT DISTINCT pg_catalog.hashint8(x.subject_id) OPERATOR(pg_catalog.&) 255 AS bucket"
	"       FROM pg_catalog.unnest($1) x (subject_id) WHERE x.subject_id IS NOT NULL) k"
	" ORDER BY k.bucket",
	1, {INT8ARRAYOID}, NULL
};

/*
 * One statement counts the cadres again: a cadre with something to count
 * gets its row, written only if a figure changed (an unchanged row keeps
 * its row version); a cadre with nothing left loses it.  So a row exists
 * exactly when some figure counts, and a row changes only with a figure.
 * (record_eq, not IS DISTINCT FROM: that would look "=" up on the
 * caller's search_path; record_eq compares by each type's own equality,
 * a null equal to a null.)
 */
#define SUBJECT_FIGURES \
	"tolerated_errors, unfounded_reports, clarified_reports, early_warnings, latest_grade," \
	" latest_grade_year, excellent_assessments, commendations, good_cadre_awards, promotions," \
	" last_promoted_on, demotions, sanction_periods, demotion_periods, mentor_periods, mentee_periods"
#define EXCLUDED_FIGURES \
	"excluded.tolerated_errors, excluded.unfounded_reports," \
	" excluded.clarified_reports, excluded.early_warnings, excluded.latest_grade," \
	" excluded.latest_grade_year, excluded.excellent_assessments," \
	" excluded.commendations, excluded.good_cadre_awards, excluded.promotions," \
	" excluded.last_promoted_on, excluded.demotions, excluded.sanction_periods," \
	" excluded.demotion_periods, excluded.mentor_periods, excluded.mentee_periods"
#define OLD_FIGURES \
	"f.tolerated_errors, f.unfounded_reports, f.clarified_reports, f.early_warnings," \
	" f.latest_grade, f.latest_grade_year, f.excellent_assessments, f.commendations," \
	" f.good_cadre_awards, f.promotions, f.last_promoted_on, f.demotions," \
	" f.sanction_periods, f.demotion_periods, f.mentor_periods, f.mentee_periods"
static SavedPlan count_subjects = {
	"WITH r AS MATERIALIZED (SELECT * FROM {schema}.subject_figures_recount($1)),"
	" kept AS (INSERT INTO {schema}.subject_figures AS f (subject_id, " SUBJECT_FIGURES ")"
	"  SELECT r.subject_id, " SUBJECT_FIGURES " FROM r WHERE r.present"
	"  ON CONFLICT (subject_id) DO UPDATE SET (" SUBJECT_FIGURES ") = ROW (" EXCLUDED_FIGURES ")"
	"  WHERE NOT pg_catalog.record_eq(ROW (" OLD_FIGURES "), ROW (" EXCLUDED_FIGURES ")) RETURNING 1)"
	" DELETE FROM {schema}.subject_figures f USING r"
	" WHERE f.subject_id OPERATOR(pg_catalog.=) r.subject_id AND NOT r.present",
	1, {INT8ARRAYOID}, NULL
};

static const Counters subject_counters = {"subject_figures", &lock_subjects, NULL, &count_subjects};

/*
 * accountability.subject_figures_refresh(subjects): lock the figures of
 * these cadres and count them again.  The triggers call it as the table
 * owner.
 */
PG_FUNCTION_INFO_V1(subject_figures_refresh);
Datum
subject_figures_refresh(PG_FUNCTION_ARGS)
{
	Datum		args[1];
	char		nulls[1] = {' '};

	if (PG_ARGISNULL(0))
		PG_RETURN_VOID();
	args[0] = PG_GETARG_DATUM(0);
	count_again(&subject_counters, get_func_namespace(fcinfo->flinfo->fn_oid), args, nulls);
	PG_RETURN_VOID();
}

/*
 * accountability.periods_in_effect(periods, on_date): how many of the
 * periods contain the date.  subject_standing counts today's measures with
 * it, from the periods the subject figures keep.
 */
PG_FUNCTION_INFO_V1(periods_in_effect);
Datum
periods_in_effect(PG_FUNCTION_ARGS)
{
	ArrayType  *periods = PG_GETARG_ARRAYTYPE_P(0);
	Datum		on_date = PG_GETARG_DATUM(1);
	Oid			range_type = ARR_ELEMTYPE(periods);
	TypeCacheEntry *typcache = range_get_typcache(fcinfo, range_type);
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum	   *elems;
	bool	   *elem_nulls;
	int			n;
	int			i;
	int64		count = 0;

	get_typlenbyvalalign(range_type, &typlen, &typbyval, &typalign);
	deconstruct_array(periods, range_type, typlen, typbyval, typalign, &elems, &elem_nulls, &n);
	for (i = 0; i < n; i++)
		if (!elem_nulls[i] &&
			range_contains_elem_internal(typcache, DatumGetRangeTypeP(elems[i]), on_date))
			count++;
	PG_RETURN_INT64(count);
}

/*
 * accountability.sanction_period(outcome, decided_on, influence_until): the
 * dates a determination counts against its cadre (影响期), or null when it
 * never does.  A sanction is an outcome below exempted; it counts from the
 * decision to influence_until, or to decided_on + 365 days, both days
 * included (a year on, as the day itself counts).  The one
 * statement of the rule: measures_in_effect, the subject figures and
 * subject_standing all ask it.
 */
#define SANCTION_DEFAULT_DAYS 365

PG_FUNCTION_INFO_V1(sanction_period);
Datum
sanction_period(PG_FUNCTION_ARGS)
{
	DateADT		from;
	DateADT		until;
	RangeBound	start_bound = {0};
	RangeBound	end_bound = {0};
	TypeCacheEntry *typcache;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) ||
		DatumGetCode(PG_GETARG_DATUM(0)) >= TOLERANCE_EXEMPTED)
		PG_RETURN_NULL();
	from = PG_GETARG_DATEADT(1);
	if (DATE_NOT_FINITE(from))
		PG_RETURN_NULL();
	/* (finite dates are far from the int32 limits: the year can be added) */
	until = PG_ARGISNULL(2) ? (DateADT) ((int64) from + SANCTION_DEFAULT_DAYS) : PG_GETARG_DATEADT(2);
	/* a period that ends before it starts never holds */
	if (DATE_NOT_FINITE(until) || until < from)
		PG_RETURN_NULL();
	typcache = range_get_typcache(fcinfo, get_fn_expr_rettype(fcinfo->flinfo));
	start_bound.val = DateADTGetDatum(from);
	start_bound.inclusive = true;
	start_bound.lower = true;
	end_bound.val = DateADTGetDatum(until);
	end_bound.inclusive = true;
	end_bound.lower = false;
	PG_RETURN_RANGE_P(make_range_valid(typcache, &start_bound, &end_bound));
}

/*
 * unit_ancestors brought up to date with units, after any change of units:
 * under a lock of the table (so two callers take turns) and the latest
 * snapshot (so the second sees the units the first committed, in any
 * isolation level).  Only the difference is written: the rows whose path
 * changed go, the missing ones come, so adding a township writes its own
 * few rows and leaves no dead copy of the whole table behind.
 */
#define UNIT_PATHS \
	"WITH paths AS (SELECT p.unit_id, p.ancestor_id, p.depth, p.top FROM {schema}.unit_paths() p)"

static SavedPlan lock_ancestors = {
	"LOCK TABLE {schema}.unit_ancestors IN SHARE ROW EXCLUSIVE MODE", 0, {InvalidOid}, NULL
};
static SavedPlan drop_stale_ancestors = {
	UNIT_PATHS
	" DELETE FROM {schema}.unit_ancestors a WHERE NOT EXISTS (SELECT FROM paths p"
	"  WHERE p.unit_id OPERATOR(pg_catalog.=) a.unit_id AND p.ancestor_id OPERATOR(pg_catalog.=) a.ancestor_id"
	"  AND p.depth OPERATOR(pg_catalog.=) a.depth AND p.top OPERATOR(pg_catalog.=) a.top)",
	0, {InvalidOid}, NULL
};
static SavedPlan add_missing_ancestors = {
	UNIT_PATHS
	" INSERT INTO {schema}.unit_ancestors (unit_id, ancestor_id, depth, top)"
	" SELECT p.unit_id, p.ancestor_id, p.depth, p.top FROM paths p WHERE NOT EXISTS ("
	"  SELECT FROM {schema}.unit_ancestors a WHERE a.unit_id OPERATOR(pg_catalog.=) p.unit_id"
	"  AND a.ancestor_id OPERATOR(pg_catalog.=) p.ancestor_id)",
	0, {InvalidOid}, NULL
};

static void
rebuild_unit_ancestors(Relation units)
{
	Relation	ancestors = table_open(get_relname_relid("unit_ancestors", RelationGetNamespace(units)),
									   AccessShareLock);

	run_saved_plan_as_owner(&lock_ancestors, ancestors, NULL, NULL, false, 0);
	run_saved_plan_latest_as_owner(&drop_stale_ancestors, ancestors, NULL, NULL, true, 0);
	run_saved_plan_latest_as_owner(&add_missing_ancestors, ancestors, NULL, NULL, true, 0);
	table_close(ancestors, AccessShareLock);
}

/*
 * accountability.unit_ancestors_rebuild(): the same, on demand (after a
 * restore, say), as the table owner, as the trigger on units does it.
 */
PG_FUNCTION_INFO_V1(unit_ancestors_rebuild);
Datum
unit_ancestors_rebuild(PG_FUNCTION_ARGS)
{
	Oid			namespace_oid = get_func_namespace(fcinfo->flinfo->fn_oid);
	Relation	units = table_open(get_relname_relid("units", namespace_oid), AccessShareLock);

	SPI_connect();
	rebuild_unit_ancestors(units);
	SPI_finish();
	table_close(units, AccessShareLock);
	PG_RETURN_VOID();
}

static SavedPlan count_everything = {
	"SELECT {schema}.report_figures_rebuild(), {schema}.subject_figures_rebuild()", 0, {InvalidOid}, NULL
};

/* The source named by the trigger's argument, or 39P01. */
static FigureSource *
figure_source(TriggerData *trigdata)
{
	const char *name = trigdata->tg_trigger->tgnargs == 1 ? trigdata->tg_trigger->tgargs[0] : "";
	size_t		i;

	for (i = 0; i < lengthof(figure_sources); i++)
		if (strcmp(figure_sources[i].name, name) == 0)
			return &figure_sources[i];
	ereport(ERROR,
			(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
			 errmsg("report_figures_trigger: unknown figure source \"%s\"", name)));
	pg_unreachable();
}

/* The plan of a statement trigger: {rows} becomes the transition tables. */
static SavedPlan *
statement_plan(FigureSource *source, TriggerData *trigdata)
{
	int			slot;
	const char *rows;

	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		slot = 0, rows = "new_rows";
	else if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		slot = 1, rows = "(SELECT * FROM old_rows UNION ALL SELECT * FROM new_rows)";
	else
		slot = 2, rows = "old_rows";
	if ((strstr(source->sql, "{rows}") != NULL) &&
		((slot != 2 && trigdata->tg_newtable == NULL) || (slot != 0 && trigdata->tg_oldtable == NULL)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("report_figures_trigger needs REFERENCING %s", rows)));
	if (source->plans[slot].sql == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
		StringInfoData buf;
		const char *p = source->sql;
		const char *hit;

		initStringInfo(&buf);
		while ((hit = strstr(p, "{rows}")) != NULL)
		{
			appendBinaryStringInfo(&buf, p, (int) (hit - p));
			appendStringInfoString(&buf, rows);
			p = hit + strlen("{rows}");
		}
		appendStringInfoString(&buf, p);
		source->plans[slot].sql = buf.data;
		MemoryContextSwitchTo(old);
	}
	return &source->plans[slot];
}

/*
 * AFTER INSERT, UPDATE or DELETE, FOR EACH STATEMENT (with the transition
 * tables) or FOR EACH ROW (UPDATE OF the columns that move figures), with
 * the figure source as its argument: brings the report figures it can
 * touch up to date.
 */
PG_FUNCTION_INFO_V1(report_figures_trigger);
Datum
report_figures_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	FigureSource *source;
	Relation	rel;

	if (!CALLED_AS_TRIGGER(fcinfo) || TRIGGER_FIRED_BEFORE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("report_figures_trigger must be fired AFTER INSERT, UPDATE or DELETE")));
	require_extension_table(fcinfo, trigdata->tg_relation, "report_figures_trigger");
	source = figure_source(trigdata);
	rel = trigdata->tg_relation;

	/*
	 * TRUNCATE (refused on the record but in restore mode, where it clears a
	 * restore that failed halfway; allowed on the incentive tables to a
	 * superuser) leaves no row to look at: count everything again, in
	 * restore mode too, so the retried restore starts from empty counters.
	 */
	if (TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event))
	{
		SPI_connect();
		run_saved_plan_as_owner(&count_everything, rel, NULL, NULL, false, 0);
		SPI_finish();
		return PointerGetDatum(NULL);
	}
	if (session_may_restore())
		return PointerGetDatum(NULL);

	SPI_connect();
	if (source->sql == NULL)
	{
		rebuild_unit_ancestors(rel);
		SPI_finish();
		return PointerGetDatum(NULL);
	}
	if (TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
	{
		TupleDesc	desc = RelationGetDescr(rel);
		Datum		values[4];
		char		nulls[4];
		int			i;

		if (source->nparams == 0 || !TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
			ereport(ERROR,
					(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
					 errmsg("report_figures_trigger: source \"%s\" is not for a row trigger on UPDATE",
							source->name)));
		for (i = 0; i < source->nparams; i++)
		{
			const char *param = source->params[i];
			bool		from_old = strncmp(param, "old.", 4) == 0;
			HeapTuple	tuple = from_old ? trigdata->tg_trigtuple : trigdata->tg_newtuple;
			bool		isnull;

			values[i] = heap_getattr(tuple, column_number(rel, param + 4, source->types[i]), desc, &isnull);
			nulls[i] = isnull ? 'n' : ' ';
		}
		if (source->plans[0].sql == NULL)
		{
			source->plans[0].sql = source->sql;
			source->plans[0].nargs = source->nparams;
			memcpy(source->plans[0].argtypes, source->types, sizeof(source->types));
		}
		run_saved_plan_as_owner(&source->plans[0], rel, values, nulls, false, 0);
	}
	else
	{
		/* fails only without SPI_connect: GCOVR_EXCL_START */
		if (SPI_register_trigger_data(trigdata) != SPI_OK_TD_REGISTER)
			elog(ERROR, "could not register the transition tables");
		/* GCOVR_EXCL_STOP */
		run_saved_plan_as_owner(statement_plan(source, trigdata), rel, NULL, NULL, false, 0);
	}
	SPI_finish();
	return PointerGetDatum(NULL);
}
