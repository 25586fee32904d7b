/*-------------------------------------------------------------------------
 *
 * digest_commit.c
 *	  When a digest may leave the database: only from a transaction that
 *	  commits (attack rounds 17 and 18), since a digest of a block that was
 *	  rolled back names a block that never existed.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "nodes/parsenodes.h"
#include "parser/parser.h"
#include "tcop/tcopprot.h"
#include "utils/elog.h"
#include "utils/memutils.h"

#include "support/support.h"
#include "ledger/ledger.h"


/*
 * Is the statement a client sent a CALL or a DO?  Only there can the
 * transaction end before the statement returns (a procedure's ROLLBACK),
 * and whatever the library saw start, the text the client sent tells.
 * Text that no longer parses (standard_conforming_strings changed between
 * an extended-protocol Parse and its Execute) counts as one: refused.
 */
static bool
statement_is_call_or_do(void)
{
	MemoryContext context = CurrentMemoryContext;
	List	   *statements = NIL;
	ListCell   *lc;

	if (debug_query_string == NULL)
		return false;
	PG_TRY();
	{
		statements = raw_parser(debug_query_string, RAW_PARSE_DEFAULT);
	}
	PG_CATCH();
	{
		/* only the parser ran: its memory is all there is to give back */
		MemoryContextSwitchTo(context);
		FlushErrorState();
		return true;
	}
	PG_END_TRY();
	foreach(lc, statements)
	{
		Node	   *stmt = lfirst_node(RawStmt, lc)->stmt;

		if (IsA(stmt, CallStmt) || IsA(stmt, DoStmt))
			return true;
	}
	return false;
}

/*
 * accountability.digest_in_transaction counts only where the session set
 * it (SET, or the connection's options): one stored with ALTER DATABASE or
 * ALTER ROLE would give every tool back the digests of transactions that
 * roll back, unseen by the guards' fingerprint (attack round 18).
 */
static bool
digest_in_transaction_allowed(void)
{
	bool		allowed = false;
	bool		isnull;

	if (!accountability_digest_in_transaction)
		return false;
	SPI_connect();
	if (SPI_execute("SELECT s.source OPERATOR(pg_catalog.=) ANY (ARRAY['session', 'client'])"
					" FROM pg_catalog.pg_settings s"
					" WHERE s.name OPERATOR(pg_catalog.=) 'accountability.digest_in_transaction'",
					true, 1) == SPI_OK_SELECT && SPI_processed == 1)
		allowed = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)) && !isnull;
	SPI_finish();
	return allowed;
}

/*
 * A digest is kept outside, so the block it names must commit: one sealed
 * in a transaction block, a subtransaction or a pipeline of the extended
 * protocol (PostgreSQL's own test, as VACUUM's) that then rolls back names a
 * block that never existed, and the next digest seals another block of
 * that number, which verification must take for a rewrite (attack rounds
 * 17 and 18).  So does one in a CALL or DO that then rolls back.  Unless
 * the session itself says it keeps the digest only after COMMIT.
 */
void
check_digest_commits(void)
{
	/* an update script seals the genesis block: no digest leaves it */
	if (creating_extension || digest_in_transaction_allowed())
		return;
	if (IsInTransactionBlock(true))
		ereport(ERROR,
				(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
				 errmsg("ledger_digest() cannot run inside a transaction block"),
				 errdetail("A digest is kept outside the database; if this transaction, subtransaction or pipeline rolled back, "
						   "the block it names would never have existed, and verification against it would report a rewrite."),
				 errhint("Take the digest in a transaction of its own (autocommit; in psycopg2, connection.autocommit = True). "
						 "A tool that keeps the digest only after COMMIT may SET accountability.digest_in_transaction = on.")));
	if (statement_is_call_or_do())
		ereport(ERROR,
				(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
				 errmsg("ledger_digest() cannot run inside CALL or DO"),
				 errdetail("A procedure or a DO block may end the transaction with ROLLBACK after the digest was handed out; "
						   "the block it names would never have existed."),
				 errhint("Take the digest with a SELECT of its own, in autocommit: SELECT accountability.ledger_digest();")));

	/*
	 * Commit as soon as this statement ends, as PostgreSQL does after CREATE
	 * DATABASE: the first statement of a pipeline is no transaction block
	 * yet, and the next one could otherwise roll it back.  (Never set in a
	 * string of several statements: the implicit block is refused above.)
	 */
	MyXactFlags |= XACT_FLAGS_NEEDIMMEDIATECOMMIT;
}
