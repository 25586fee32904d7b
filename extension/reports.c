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

#include "access/table.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/rls.h"

#include "support/support.h"

/* The caller's scope, evaluated with the caller's rights. */
static SavedPlan caller_scope = {
	"SELECT {schema}.sees_all_units() AS all_units, {schema}.visible_units() AS units",
	0, {InvalidOid}, NULL
};

/* The counts, as the owner, within a scope. */
static SavedPlan figures_in_scope = {
	"SELECT c.unit_id, extract(year FROM d.decided_on)::integer AS year,"
	" count(DISTINCT c.related_case_id) AS reports, count(DISTINCT c.subject_id) AS accusers"
	" FROM {schema}.cases c JOIN {schema}.determinations d ON d.case_id OPERATOR(pg_catalog.=) c.case_id"
	" WHERE c.kind OPERATOR(pg_catalog.=) 'false_accusation'"
	" AND ($1 OR c.unit_id OPERATOR(pg_catalog.=) ANY ($2))"
	" GROUP BY 1, 2",
	2, {BOOLOID, INT8ARRAYOID}, NULL
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
	all = DatumGetBool(spi_result_value(0, "all_units", &isnull));
	if (!all)
	{
		Datum		value = spi_result_value(0, "units", &isnull);

		if (!isnull)
			*units = SPI_datumTransfer(value, false, -1);
	}
	return all;
}

/*
 * accountability.false_accusation_figures(): (unit_id, year, reports,
 * accusers) for the false-accusation cases in the caller's scope.
 */
PG_FUNCTION_INFO_V1(false_accusation_figures);
Datum
false_accusation_figures(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			namespace_oid = get_func_namespace(fcinfo->flinfo->fn_oid);
	Relation	cases;
	Datum		args[2];
	uint64		i;
	uint64		rows;

	InitMaterializedSRF(fcinfo, 0);
	cases = table_open(get_relname_relid("cases", namespace_oid), AccessShareLock);
	SPI_connect();
	args[0] = BoolGetDatum(caller_sees_all(cases, &args[1]));
	rows = run_saved_plan_as_owner(&figures_in_scope, cases, args, NULL, true, 0);
	for (i = 0; i < rows; i++)
	{
		Datum		values[4];
		bool		nulls[4];

		values[0] = spi_result_value(i, "unit_id", &nulls[0]);
		values[1] = spi_result_value(i, "year", &nulls[1]);
		values[2] = spi_result_value(i, "reports", &nulls[2]);
		values[3] = spi_result_value(i, "accusers", &nulls[3]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	SPI_finish();
	table_close(cases, AccessShareLock);
	return (Datum) 0;
}
