/*-------------------------------------------------------------------------
 *
 * scope.c
 *	  accountability.sees_all_units() and administers_units(), in C.
 *
 * Every row-level security policy of the record asks one of them, once per
 * query.
 * It is C, not SQL, so that the executor loads this library when it
 * starts any plan that reads the record under the policies: the guard of
 * explain_guard.c is then in place before that plan finishes, in every
 * session, preloaded or not.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"

#include "support/support.h"

/*
 * Is every top-level unit mapped to a role whose privileges the caller
 * has?  Read with the caller's rights, as the policies' other functions.
 */
static SavedPlan all_units_mapped = {
	"SELECT NOT EXISTS ("
	" SELECT 1 FROM {schema}.units u"
	" WHERE u.parent_id IS NULL"
	"   AND NOT EXISTS (SELECT 1 FROM {schema}.role_units r"
	"                   WHERE r.unit_id OPERATOR(pg_catalog.=) u.unit_id"
	"                     AND pg_catalog.pg_has_role(r.role_id::pg_catalog.oid, 'USAGE'::pg_catalog.text))) AS sees_all",
	0, {InvalidOid}, NULL
};

/*
 * accountability.sees_all_units(): whether the current role's scope covers
 * every unit, so the policies need not look at unit ids.
 */
PG_FUNCTION_INFO_V1(sees_all_units);
Datum
sees_all_units(PG_FUNCTION_ARGS)
{
	bool		isnull;
	bool		result;

	SPI_connect();
	run_saved_plan(&all_units_mapped, get_func_namespace(fcinfo->flinfo->fn_oid),
				   NULL, NULL, true, 1);
	result = DatumGetBool(spi_result_value(0, "sees_all", BOOLOID, &isnull));
	SPI_finish();
	PG_RETURN_BOOL(result);
}

/*
 * accountability.administers_units(): whether the current role has the
 * privileges of accountability_admin (pg_has_role(..., 'USAGE')), who keep
 * the whole role-to-unit mapping.
 */
PG_FUNCTION_INFO_V1(administers_units);
Datum
administers_units(PG_FUNCTION_ARGS)	/* NOLINT(misc-unused-parameters) */
{
	Oid			admin = get_role_oid("accountability_admin", true);

	PG_RETURN_BOOL(OidIsValid(admin) && has_privs_of_role(GetUserId(), admin));
}
