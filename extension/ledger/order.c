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
 * ledger trigger records them.  A row of one table written while another
 * table has rows not yet recorded is refused.  Rows of one table in
 * statements nested in one another stay allowed: one table's rules judge
 * its rows within the case they hang off, in the ledger's order.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "replication/logicalworker.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

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

/*
 * Refuse a row of relid while rows of another table are unrecorded.  The
 * workflow's BEFORE triggers call it too, so the refusal comes before
 * any judgement of the row that the interleaving could mislead.
 */
void
refuse_interleaved(Oid relid)
{
	UnrecordedRows *count;

	for (count = unrecorded; count != NULL; count = count->outer)
	{
		if (count->rows == 0 || count->relid == relid ||
			written_within(relid, count->relid))
			continue;
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("a row of %s cannot be written in the statement that changes %s",
						get_rel_name(relid), get_rel_name(count->relid)),
				 errdetail("The ledger records a statement's rows when the statement ends, so rows of two tables written in one statement (a writable CTE, or a function the statement calls) would be recorded in another order than the rules judged them."),
				 errhint("Write each table of the record in its own statement; one transaction may hold several.")));
	}
}

/* Count one row of relid in the current subtransaction. */
static void
count_unrecorded(Oid relid)
{
	SubTransactionId subid = GetCurrentSubTransactionId();
	UnrecordedRows *count;

	for (count = unrecorded; count != NULL && count->subid == subid; count = count->outer)
		if (count->relid == relid)
		{
			count->rows++;
			return;
		}
	count = MemoryContextAlloc(TopTransactionContext, sizeof(UnrecordedRows));
	count->subid = subid;
	count->relid = relid;
	count->rows = 1;
	count->outer = unrecorded;
	unrecorded = count;
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
