/*-------------------------------------------------------------------------
 *
 * support.h
 *	  Private declarations shared by the trigger modules of
 *	  pg_accountability: saved plans, the column lookup, the trigger
 *	  protocol check, the event hash, the restore and import modes.
 *	  (Version shims live in compat.h.)
 *
 *-------------------------------------------------------------------------
 */
#ifndef PG_ACCOUNTABILITY_INTERNAL_H
#define PG_ACCOUNTABILITY_INTERNAL_H

#include "postgres.h"

#include "commands/trigger.h"
#include "executor/spi.h"
#include "catalog/pg_type.h"
#include "utils/date.h"
#include "utils/syscache.h"

#include "pg_accountability.h"

/* support.c: a statement with {schema} placeholders and its saved plan */
typedef struct SavedPlan
{
	const char *sql;
	int			nargs;
	Oid			argtypes[8];
	SPIPlanPtr	plan;			/* prepared on first use, then kept */
} SavedPlan;

extern SPIPlanPtr saved_plan(SavedPlan *slot, Oid namespace_oid);
extern uint64 run_saved_plan(SavedPlan *slot, Oid namespace_oid,
							 Datum *values, const char *nulls,
							 bool read_only, long limit);
extern uint64 run_saved_plan_as_owner(SavedPlan *slot, Relation rel,
									  Datum *values, const char *nulls,
									  bool read_only, long limit);
extern uint64 run_saved_plan_latest_as_owner(SavedPlan *slot, Relation rel,
											 Datum *values, const char *nulls,
											 bool own_statement, long limit);
/* A column of the last SPI result, of type type_oid (InvalidOid: any), else 42804. */
extern Datum spi_result_value(uint64 row, const char *name, Oid type_oid, bool *isnull);

/*
 * Transaction-scoped exclusive locks in a lock space of the extension's
 * own: the triggers wait on them, and no SQL function can take them, so no
 * login can hold one to stall other units' writes.  lock_private_keys
 * takes the bigint keys in column "key" of the SPI result, in its order.
 */
extern void lock_private_key(int64 key);
extern void lock_private_key_shared(int64 key);
extern void lock_private_keys(void);

/*
 * A new row of rel names a parent (PARENT_CASE or PARENT_SUBJECT of the
 * write model) the caller must see: visible is the parent's lookup run
 * with the caller's rights; refused with 42501 like any row outside the
 * policies.
 */
extern void check_parent_in_scope(Relation rel, TableParent kind,
								  SavedPlan *visible, Datum parent_id);
extern void check_parent_still_in_scope(Relation rel, TableParent kind,
										SavedPlan *visible, Datum parent_id);
extern void check_subjects_still_in_scope(Relation rel, Datum subject_ids);

/* Trigger protocol check: fired as expected, else 39P01. */
extern TriggerData *trigger_data_checked(FunctionCallInfo fcinfo,
										 const char *name, bool before,
										 bool for_row);

/* Did column attno change between an UPDATE trigger's old and new row? */
extern bool trigger_column_changed(TriggerData *trigdata, int attno);

/* The trigger fires on one of the extension's own tables, else 39P01. */
extern void require_extension_table(FunctionCallInfo fcinfo, Relation rel,
									const char *name);

/*
 * Attribute number of a column the trigger needs, of type type_oid
 * (InvalidOid: any), or a clear error (42703, 42804).
 */
extern int	column_number(Relation rel, const char *column, Oid type_oid);

/*
 * A column a trigger must read, refused like NOT NULL (23502) when null:
 * BEFORE triggers run before the constraint is checked.
 */
extern Datum required_column(Relation rel, HeapTuple tuple, const char *column,
							 Oid type_oid);
pg_noreturn extern void report_null_column(Relation rel, const char *column);

/*
 * support.c: the one column lookup every trigger shares.  A trigger names
 * the columns it reads with their types (a built-in type OID, or the name
 * of an extension type); lookup_columns() checks them once per relation,
 * refusing a table of another shape (42703, 42804), and keeps the result
 * in the trigger's cache.
 */
#define MAX_LOOKUP_COLUMNS 24
typedef struct ColumnSpec
{
	const char *name;
	Oid			type_oid;		/* when type_name is NULL */
	const char *type_name;		/* an extension type, e.g. "case_status" */
} ColumnSpec;

typedef struct ColumnLookup
{
	Oid			relid;			/* InvalidOid until first use */
	AttrNumber	attnos[MAX_LOOKUP_COLUMNS];
	Oid			types[MAX_LOOKUP_COLUMNS];
} ColumnLookup;

extern void lookup_columns(Relation rel, const ColumnSpec *specs, int count,
						   ColumnLookup *cache, AttrNumber *attnos);

/* support.c: written text (core/written.c) in any database encoding */
extern bool text_is_written(text *value);
extern bool text_is_trimmed(text *value);
extern void refuse_untrimmed_code(text *code, const char *column, const char *detail);

/* support.c: one of the extension's types by name, in its schema */
extern Oid	extension_type_oid(const char *name);

/*
 * status.c: the statuses of a mask, for messages.  The transition table
 * and the REQUIRES_* bits beside it are pure C (transitions.c, core.h).
 */
extern char *case_status_list(uint32 mask);

/* history.c: the chained event hash */
#define EVENT_HASH_LEN 32

typedef struct CaseEvent
{
	int64		case_id;
	int32		event_no;
	const char *kind;			/* "transition" or "imported" */
	int			from_status;	/* 0 when none */
	int			to_status;
	TimestampTz occurred_at;
	const char *db_user;
	const char *actor;			/* NULL when not set */
	const char *note;			/* NULL when none */
} CaseEvent;

extern void case_event_hash(const uint8 *prev_hash, const CaseEvent *event,
							uint8 *hash);
extern char *current_db_user(void);
extern char *current_actor(void);
extern void remember_statement_actor(const char *db_user, const char *actor);
extern void register_statement_actor_callbacks(void);

/* scope/explain_guard.c: EXPLAIN ANALYZE refused under the record's policies */
extern void install_explain_guard(void);

/* pg_accountability.c: accountability.import (administrators only) */
extern PGDLLIMPORT bool accountability_import;

/* pg_accountability.c: accountability.restore (explicit restore mode) */
extern PGDLLIMPORT bool accountability_restore;
extern PGDLLIMPORT bool accountability_digest_in_transaction;

/* guards.c: who may load rows as they are (a restore), or import */
extern bool role_may_set(const char *parameter);
extern bool session_may_restore(void);
extern bool session_may_import(void);

/* domains.c: today in the record's calendar (China Standard Time, UTC+8) */
extern DateADT record_today(void);

/* children.c: rows that hang off a case */
extern CaseStatus lock_parent_case(Relation child, int64 case_id);
extern CaseStatus lock_parent_case_opened(Relation child, int64 case_id,
										  DateADT *opened_on);
extern void check_dated_after_opening(Relation child, HeapTuple row,
									  HeapTuple old_row, int64 case_id,
									  DateADT opened_on);
extern void refuse_other_maintained_value(Relation rel, HeapTuple tuple,
										  AttrNumber attno, Datum written);
extern bool child_row_is_restored(Relation rel, HeapTuple tuple,
								  const char *column);

#endif							/* PG_ACCOUNTABILITY_INTERNAL_H */
