/*-------------------------------------------------------------------------
 *
 * compat.h
 *	  Every difference between the supported PostgreSQL majors (15, 17,
 *	  18), in one place.
 *
 * The rest of the extension is written against the newest major's
 * interface; this header maps that interface onto the older ones.  Add a
 * shim here, never an #if in a .c file.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PG_ACCOUNTABILITY_COMPAT_H
#define PG_ACCOUNTABILITY_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM < 150000
#error "pg_accountability requires PostgreSQL 15 or later"
#endif

/*
 * PostgreSQL 18 replaced pg_attribute_noreturn(), written after a
 * declaration, by pg_noreturn, written before it.  GCC and Clang accept
 * the attribute in front, so older majors get pg_noreturn spelled as it.
 */
#ifndef pg_noreturn
#define pg_noreturn pg_attribute_noreturn()
#endif

/*
 * Soft input errors (PostgreSQL 16): an input function reports a bad value
 * through its escontext with ereturn(), so pg_input_is_valid() and COPY
 * ... ON_ERROR can ask without an error being thrown.  On 15 there is no
 * escontext: ereturn() is a plain ERROR.
 */
#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#else
#include "nodes/nodes.h"
#define ereturn(context, dummy_value, ...) \
	do { \
		(void) (context); \
		ereport(ERROR, __VA_ARGS__); \
		return dummy_value; \
	} while (0)
#endif

/*
 * EXPLAIN (ANALYZE, SERIALIZE) sends its rows to a receiver of its own
 * (PostgreSQL 17); before, EXPLAIN ANALYZE always discarded them.
 */
#if PG_VERSION_NUM >= 170000
#define dest_is_explain(dest) ((dest) == DestNone || (dest) == DestIntoRel || (dest) == DestExplainSerialize)
#else
#define dest_is_explain(dest) ((dest) == DestNone || (dest) == DestIntoRel)
#endif

/*
 * ExecutorRun() lost its "execute_once" argument in PostgreSQL 18.  A hook
 * declares its parameters with EXECUTOR_RUN_PARAMS and passes them on with
 * EXECUTOR_RUN_ARGS.
 */
#if PG_VERSION_NUM >= 180000
#define EXECUTOR_RUN_PARAMS QueryDesc *queryDesc, ScanDirection direction, uint64 count
#define EXECUTOR_RUN_ARGS queryDesc, direction, count
#else
#define EXECUTOR_RUN_PARAMS QueryDesc *queryDesc, ScanDirection direction, uint64 count, bool execute_once
#define EXECUTOR_RUN_ARGS queryDesc, direction, count, execute_once
#endif

/*
 * make_range() gained a soft-error context in PostgreSQL 16; the ranges
 * built here are always valid (lower <= upper, checked first).
 */
#if PG_VERSION_NUM >= 160000
#define make_range_valid(typcache, lower, upper) make_range((typcache), (lower), (upper), false, NULL)
#else
#define make_range_valid(typcache, lower, upper) make_range((typcache), (lower), (upper), false)
#endif

/*
 * ExecInsertIndexTuples() gained "onlySummarizing" in PostgreSQL 16; the
 * ledger's writer inserts whole new rows, so every index gets its entry.
 */
#if PG_VERSION_NUM >= 160000
#define ledger_insert_index_tuples(rri, slot, estate) \
	((void) ExecInsertIndexTuples((rri), (slot), (estate), false, false, NULL, NIL, false))
#else
#define ledger_insert_index_tuples(rri, slot, estate) \
	((void) ExecInsertIndexTuples((rri), (slot), (estate), false, false, NULL, NIL))
#endif

#endif							/* PG_ACCOUNTABILITY_COMPAT_H */
