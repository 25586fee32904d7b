/*-------------------------------------------------------------------------
 *
 * compare.c
 *	  Comparison, hashing and sort support shared by both one-byte types.
 *
 * case_status and tolerance_outcome store their code in one byte, and the
 * code order is the type's order (lifecycle, leniency).  So one set of C
 * functions serves both: the SQL functions case_status_lt and
 * tolerance_outcome_lt, for instance, are both bound to code_lt.  The
 * comparisons raise no error at all, which makes them LEAKPROOF, so the
 * planner may use an index on these types under row-level security.
 *
 * The hash is hash_uint32 of the code.  It must never change once
 * released: hash partitions depend on it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "utils/sortsupport.h"

#include "pg_accountability.h"

/* Three-way comparison of two codes. */
static inline int
code_compare(Datum a, Datum b)
{
	int			x = DatumGetCode(a);
	int			y = DatumGetCode(b);

	return (x > y) - (x < y);
}

#define CODE_ARGS_COMPARE() code_compare(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1))

PG_FUNCTION_INFO_V1(code_eq);
Datum
code_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(CODE_ARGS_COMPARE() == 0);
}

PG_FUNCTION_INFO_V1(code_ne);
Datum
code_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(CODE_ARGS_COMPARE() != 0);
}

PG_FUNCTION_INFO_V1(code_lt);
Datum
code_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(CODE_ARGS_COMPARE() < 0);
}

PG_FUNCTION_INFO_V1(code_le);
Datum
code_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(CODE_ARGS_COMPARE() <= 0);
}

PG_FUNCTION_INFO_V1(code_gt);
Datum
code_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(CODE_ARGS_COMPARE() > 0);
}

PG_FUNCTION_INFO_V1(code_ge);
Datum
code_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(CODE_ARGS_COMPARE() >= 0);
}

/* btree support 1: the three-way comparison. */
PG_FUNCTION_INFO_V1(code_cmp);
Datum
code_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(CODE_ARGS_COMPARE());
}

/*
 * btree support 2: sorting compares the raw Datums.  The codes are small
 * positive bytes, so the unsigned Datum order is the code order, and
 * tuplesort recognises this comparator and uses its specialised sort.
 */
PG_FUNCTION_INFO_V1(code_sortsupport);
Datum
code_sortsupport(PG_FUNCTION_ARGS)
{
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0);

	ssup->comparator = ssup_datum_unsigned_cmp;
	PG_RETURN_VOID();
}

/* hash support 1: agrees with code_eq, stable across releases. */
PG_FUNCTION_INFO_V1(code_hash);
Datum
code_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) DatumGetCode(PG_GETARG_DATUM(0)));
}

/* hash support 2: the seeded hash used by hash partitioning. */
PG_FUNCTION_INFO_V1(code_hash_extended);
Datum
code_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended((uint32) DatumGetCode(PG_GETARG_DATUM(0)),
								PG_GETARG_INT64(1));
}

/* Transition function of max(): the later (more lenient) value. */
PG_FUNCTION_INFO_V1(code_larger);
Datum
code_larger(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(CODE_ARGS_COMPARE() >= 0 ? PG_GETARG_DATUM(0) : PG_GETARG_DATUM(1));
}

/* Transition function of min(): the earlier (stricter) value. */
PG_FUNCTION_INFO_V1(code_smaller);
Datum
code_smaller(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(CODE_ARGS_COMPARE() <= 0 ? PG_GETARG_DATUM(0) : PG_GETARG_DATUM(1));
}
