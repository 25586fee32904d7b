/*-------------------------------------------------------------------------
 *
 * order.c
 *	  One statement writes one table of the permanent record.
 *
 * The ledger records a statement's rows in its AFTER STATEMENT trigger,
 * when the statement ends, while the workflow's row triggers judge each
 * row as it is written.  Two statements that run inside one another (the
 * writable CTEs of a query, or a function that a statement's expressions
 * call) would be judged in one order and recorded in another: a CTE read
 * only in part ends after the main statement, and a statement nested in
 * a function ends before the one that called it.  verify_ledger() judges
 * by the ledger's order, so a legal write became a problem reported for
 * ever, one that any clerk could plant (attack rounds 10, 12 and 13).
 *
 * So the rows of each table of the record are counted as they are written
 * (the WHEN clause of an AFTER ROW trigger, evaluated when the row is
 * written and only for rows really written) and settled when the table's
 * ledger trigger records them.  A row written while another table has rows
 * not yet recorded is refused, and so is a row of the same table written by
 * a statement nested in the one whose rows wait (the re-attack of round
 * 13: a case inserted, then moved by a function the INSERT called, was
 * recorded moved before it was inserted; child rows numbered 1, 2, 3 were
 * recorded 2, 1, 3).  The statement is told by its active snapshot and
 * that snapshot's command id: every row of one query, its writable CTEs
 * too, is written under both, and a nested statement pushes a snapshot of
 * its own (a cursor's query run by a FETCH inside another statement kept
 * the command id, not the snapshot: the second re-attack).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_class.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "replication/logicalworker.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "ledger/ledger.h"
#include "support/support.h"

/*
 * Rows of one table written but not yet recorded, counted within one
 * subtransaction: a rolled-back subtransaction's rows were never written.
 */
typedef struct UnrecordedRows
{
	SubTransactionId subid;		/* the subtransaction that counted them */
	Oid			relid;			/* the table of the record */
	Snapshot	snapshot;		/* the statement that wrote them: its active */
	CommandId	cid;			/* snapshot and that snapshot's command id */
	int64		rows;
	struct UnrecordedRows *outer;	/* counted earlier, or further out */
} UnrecordedRows;

static UnrecordedRows *unrecorded = NULL;

/* case_events and cases, looked up once a transaction (an extension may be dropped and created again) */
static Oid	events_relid = InvalidOid;
static Oid	cases_relid = InvalidOid;

/*
 * The one table written from inside another's statement by the
 * extension itself: cases' history trigger appends case_events before
 * cases' own ledger trigger runs.
 */
static bool
written_within(Oid relid, Oid other)
{
	if (!OidIsValid(events_relid))
	{
		Oid			namespace = get_rel_namespace(relid);

		events_relid = get_relname_relid("case_events", namespace);
		cases_relid = get_relname_relid("cases", namespace);
	}
	return relid == events_relid && other == cases_relid;
}

/* The statement writing now: its active snapshot, and the command id it reads with. */
typedef struct Statement
{
	Snapshot	snapshot;
	CommandId	cid;
} Statement;

static Statement
current_statement(void)
{
	Statement	statement = {NULL, InvalidCommandId};

	if (ActiveSnapshotSet())
	{
		statement.snapshot = GetActiveSnapshot();
		statement.cid = statement.snapshot->curcid;
	}
	return statement;
}

/* A row of relid may not be written while these rows wait: why not, or NULL. */
static const char *
interleaving(const UnrecordedRows *count, Oid relid, Statement statement)
{
	if (count->rows == 0)
		return NULL;
	if (count->relid != relid)
		return written_within(relid, count->relid) ? NULL : "in the statement that changes";
	if (statement.snapshot != NULL &&
		(count->snapshot != statement.snapshot || count->cid != statement.cid))
		return "by a statement nested in one that changes";
	return NULL;
}

/*
 * Refuse a row of relid while rows of another table, or of another
 * statement, are unrecorded.  The workflow's BEFORE triggers call it too,
 * so the refusal comes before any judgement of the row that the
 * interleaving could mislead.
 */
void
refuse_interleaved(Oid relid)
{
	Statement	statement = current_statement();
	UnrecordedRows *count;

	for (count = unrecorded; count != NULL; count = count->outer)
	{
		const char *how = interleaving(count, relid, statement);

		if (how == NULL)
			continue;
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("a row of %s cannot be written %s %s",
						get_rel_name(relid), how, get_rel_name(count->relid)),
				 errdetail("The ledger records a statement's rows when the statement ends, so rows written by statements that run inside one another (a writable CTE beside another table, or a function the statement calls) would be recorded in another order than the rules judged them."),
				 errhint("Write each table of the record in its own statement, not from a function a statement on the record calls; one transaction may hold several.")));
	}
}

/* Count one row of relid, written by the current statement. */
static void
count_unrecorded(Oid relid)
{
	SubTransactionId subid = GetCurrentSubTransactionId();
	Statement	statement = current_statement();
	UnrecordedRows *count;

	for (count = unrecorded; count != NULL && count->subid == subid; count = count->outer)
		if (count->relid == relid && count->snapshot == statement.snapshot &&
			count->cid == statement.cid)
		{
			count->rows++;
			return;
		}
	count = MemoryContextAlloc(TopTransactionContext, sizeof(UnrecordedRows));
	count->subid = subid;
	count->relid = relid;
	count->snapshot = statement.snapshot;
	count->cid = statement.cid;
	count->rows = 1;
	count->outer = unrecorded;
	unrecorded = count;
}

/*
 * Only a table of the extension's schema is counted: a direct call naming
 * any other relation would leave a count that nothing settles.  Checked
 * once a query (the WHEN clause keeps its FmgrInfo), not once a row.
 */
static void
refuse_foreign_table(FunctionCallInfo fcinfo, Oid relid)
{
	FmgrInfo   *flinfo = fcinfo->flinfo;
	Oid			schema;

	if (flinfo->fn_extra != NULL && *(Oid *) flinfo->fn_extra == relid)
		return;
	schema = get_func_namespace(flinfo->fn_oid);
	if (get_rel_namespace(relid) != schema || get_rel_relkind(relid) != RELKIND_RELATION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ledger_row_written() counts the rows of the record's tables only"),
				 errdetail("Relation %u is not a table of schema %s.", relid, get_namespace_name(schema)),
				 errhint("It is the WHEN clause of the zz_ledger_order triggers; nothing else needs to call it.")));
	if (flinfo->fn_extra == NULL)
		flinfo->fn_extra = MemoryContextAlloc(flinfo->fn_mcxt, sizeof(Oid));
	*(Oid *) flinfo->fn_extra = relid;
}

/*
 * accountability.ledger_row_written(regclass): the WHEN clause of the
 * zz_ledger_order trigger, evaluated as each row is written.  Refuses the
 * row if another table's rows are not yet recorded, else counts it.
 * Always false, so the trigger itself never fires and queues nothing.
 */
PG_FUNCTION_INFO_V1(ledger_row_written);
Datum
ledger_row_written(PG_FUNCTION_ARGS)
{
	Oid			relid;

	/* the publisher judged and recorded these rows; apply them as they come */
	if (PG_ARGISNULL(0) || IsLogicalWorker())
		PG_RETURN_BOOL(false);
	relid = PG_GETARG_OID(0);
	refuse_foreign_table(fcinfo, relid);
	refuse_interleaved(relid);
	count_unrecorded(relid);
	PG_RETURN_BOOL(false);
}

/*
 * The function the zz_ledger_order trigger names.  Its WHEN clause is
 * always false, so it runs only if that trigger was replaced.
 */
PG_FUNCTION_INFO_V1(ledger_order_trigger);
Datum
ledger_order_trigger(PG_FUNCTION_ARGS)
{
	(void) trigger_data_checked(fcinfo, "ledger_order_trigger", false, true);
	ereport(ERROR,
			(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
			 errmsg("ledger_order_trigger fires only through its WHEN clause"),
			 errhint("Create it as AFTER INSERT OR UPDATE OR DELETE ... FOR EACH ROW WHEN (accountability.ledger_row_written('table'::regclass)).")));
	PG_RETURN_NULL();			/* not reached */
}

/*
 * The ledger trigger of relid has recorded rows: they no longer count,
 * from the innermost count outwards.  Never below zero, so rows written
 * with the counting trigger off cannot cancel another statement's.
 */
void
note_rows_recorded(Oid relid, int64 rows)
{
	UnrecordedRows **link = &unrecorded;

	while (*link != NULL && rows > 0)
	{
		UnrecordedRows *count = *link;

		if (count->relid == relid)
		{
			int64		settled = Min(rows, count->rows);

			count->rows -= settled;
			rows -= settled;
			if (count->rows == 0)
			{
				*link = count->outer;
				pfree(count);
				continue;
			}
		}
		link = &count->outer;
	}
}

/* The end of the transaction: nothing is left to record. */
static void
order_xact_callback(XactEvent event, void *arg) /* NOLINT(misc-unused-parameters) */
{
	if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT ||
		event == XACT_EVENT_COMMIT || event == XACT_EVENT_PREPARE)
	{
		unrecorded = NULL;		/* in TopTransactionContext, freed with it */
		events_relid = InvalidOid;
		cases_relid = InvalidOid;
	}
}

/*
 * The end of a subtransaction: its abort discards the rows it counted
 * (and its children's); its commit hands them to its parent.
 */
static void
order_subxact_callback(SubXactEvent event,
					   SubTransactionId my_subid,
					   SubTransactionId parent_subid,
					   void *arg)	/* NOLINT(misc-unused-parameters) */
{
	UnrecordedRows *count;

	if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		while (unrecorded != NULL && unrecorded->subid >= my_subid)
		{
			count = unrecorded;
			unrecorded = count->outer;
			pfree(count);
		}
	}
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
	{
		for (count = unrecorded; count != NULL && count->subid >= my_subid; count = count->outer)
			count->subid = parent_subid;
	}
}

/* Registered once, from _PG_init. */
void
register_ledger_order_callbacks(void)
{
	RegisterXactCallback(order_xact_callback, NULL);
	RegisterSubXactCallback(order_subxact_callback, NULL);
}
