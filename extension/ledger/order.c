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
 * the command id, not the snapshot: the second re-attack).  A transaction
 * that would commit rows still counted (a statement stopped at a row limit
 * before its statement triggers ran) is refused: those rows are not in the
 * ledger.
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
#include "utils/rel.h"
#include "utils/relcache.h"
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

/* case_events and cases, looked up once a transaction (the extension may be created again) */
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

/* A statement: its active snapshot, and the command id it reads with. */
typedef struct Statement
{
	Snapshot	snapshot;
	CommandId	cid;
} Statement;

/*
 * The statement writing now.  Every nested statement, a cursor's query run
 * by a FETCH too, pushes an active snapshot of its own.
 */
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

/* How a row of relid would interleave with rows that wait. */
typedef enum Interleaving
{
	NOT_INTERLEAVED,
	ANOTHER_TABLE,				/* rows of another table wait */
	NESTED_STATEMENT			/* rows of this table, of an enclosing statement */
} Interleaving;

static Interleaving
interleaving(const UnrecordedRows *count, Oid relid, Statement statement)
{
	if (count->rows == 0)
		return NOT_INTERLEAVED;
	if (count->relid != relid)
		return written_within(relid, count->relid) ? NOT_INTERLEAVED : ANOTHER_TABLE;
	if (statement.snapshot != NULL &&
		(count->snapshot != statement.snapshot || count->cid != statement.cid))
		return NESTED_STATEMENT;
	return NOT_INTERLEAVED;
}

/*
 * Refuse a row of relid while rows of another table, or of an enclosing
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
		switch (interleaving(count, relid, statement))
		{
			case NOT_INTERLEAVED:
				break;
			case ANOTHER_TABLE:
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("a row of %s cannot be written in the statement that changes %s",
								get_rel_name(relid), get_rel_name(count->relid)),
						 errdetail("The ledger records a statement's rows when the statement ends, so rows of two tables written in one statement (a writable CTE, or a function the statement calls) would be recorded in another order than the rules judged them."),
						 errhint("Write each table of the record in its own statement; one transaction may hold several.")));
				break;
			case NESTED_STATEMENT:
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("a row of %s cannot be written by a statement nested in one that changes %s",
								get_rel_name(relid), get_rel_name(count->relid)),
						 errdetail("The ledger records a statement's rows when the statement ends, so a statement run inside another on the same table (by a function it calls, or a cursor it fetches) would be recorded before rows written ahead of it."),
						 errhint("Write the table from its own statement, not from a function that a statement on the record calls.")));
				break;
		}
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

/* relid is a table of the record: it carries the zz_ledger_order trigger. */
static bool
is_record_table(Oid relid)
{
	Relation	rel = RelationIdGetRelation(relid);
	bool		found = false;

	if (!RelationIsValid(rel))
		return false;
	if (rel->rd_rel->relkind == RELKIND_RELATION && rel->trigdesc != NULL)
	{
		for (int i = 0; i < rel->trigdesc->numtriggers && !found; i++)
			found = strcmp(rel->trigdesc->triggers[i].tgname, "zz_ledger_order") == 0;
	}
	RelationClose(rel);
	return found;
}

/*
 * Only a table of the record is counted: a direct call naming any other
 * relation would leave a count that nothing settles.  Checked once a query
 * (the WHEN clause keeps its FmgrInfo), not once a row.
 */
static void
refuse_foreign_table(FunctionCallInfo fcinfo, Oid relid)
{
	FmgrInfo   *flinfo = fcinfo->flinfo;

	if (flinfo->fn_extra != NULL && *(Oid *) flinfo->fn_extra == relid)
		return;
	if (!is_record_table(relid))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ledger_row_written() counts the rows of the record's tables only"),
				 errdetail("Relation \"%s\" carries no zz_ledger_order trigger.",
						   get_rel_name(relid) ? get_rel_name(relid) : "?"),
				 errhint("It is the WHEN clause of the zz_ledger_order triggers; nothing else needs to call it.")));
	if (flinfo->fn_extra == NULL)
		flinfo->fn_extra = MemoryContextAlloc(flinfo->fn_mcxt, sizeof(Oid));
	*(Oid *) flinfo->fn_extra = relid;
}

/*
 * accountability.ledger_row_written(regclass): the WHEN clause of the
 * zz_ledger_order trigger, evaluated as each row is written.  Refuses the
 * row if another table's rows, or an enclosing statement's rows of this
 * table, are not yet recorded, else counts it.  Always false, so the
 * trigger itself never fires and queues nothing.
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

/*
 * Before a commit: every row written is in the ledger.  A statement stopped
 * at a row limit (a procedural language's query interface may pass one)
 * never ran its statement triggers, so its rows would commit unrecorded.
 */
static void
refuse_unrecorded_commit(void)
{
	UnrecordedRows *count;

	for (count = unrecorded; count != NULL; count = count->outer)
		if (count->rows > 0)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg_plural("%lld row of %s was written but not recorded in the ledger",
								   "%lld rows of %s were written but not recorded in the ledger",
								   (unsigned long) count->rows,
								   (long long) count->rows, get_rel_name(count->relid)),
					 errdetail("A statement on the record stopped before its end (a row limit), or its ledger trigger did not fire, so its rows would commit without ledger entries."),
					 errhint("Run statements on the record to their end; the transaction is rolled back.")));
}

/* The end of the transaction: nothing is left to record. */
static void
order_xact_callback(XactEvent event, void *arg) /* NOLINT(misc-unused-parameters) */
{
	if (event == XACT_EVENT_PRE_COMMIT || event == XACT_EVENT_PRE_PREPARE)
		refuse_unrecorded_commit();
	else if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT ||
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
		for (count = unrecorded; count != NULL && count->subid >= my_subid;
			 count = count->outer)
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
