/*-------------------------------------------------------------------------
 *
 * ledger.c
 *	  The ledger's writer and guard triggers, and its hash functions.
 *
 * Writers never share a lock: ledger_trigger, an AFTER STATEMENT trigger
 * with a transition table, appends one entry per row the statement wrote
 * (numbers from a sequence, the transaction id as xid8, a canonical row
 * image, the entry hash), and nothing else.  Ordering, Merkle roots and
 * the chain of blocks happen later, when ledger_digest() seals the entries
 * of committed transactions (90_ledger.sql).  ledger_replica_guard refuses
 * rows inserted in replica mode outside a logical-replication worker, where
 * the ordinary triggers, the ledger's included, would not fire.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "common/cryptohash.h"
#include "miscadmin.h"
#include "replication/logicalworker.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/xid8.h"

#include "support/support.h"
#include "ledger/ledger.h"

/* The INSERT a trigger runs, built from its arguments once, then kept. */
typedef struct LedgerPlan
{
	Oid			trigger_oid;
	SavedPlan	plan;
	struct LedgerPlan *next;
} LedgerPlan;

static LedgerPlan *ledger_plans = NULL;

/* Copy a bytea argument that must be a SHA-256 hash, or raise 22023. */
static const uint8_t *
hash_argument(bytea *value, const char *what)
{
	if (VARSIZE_ANY_EXHDR(value) != LEDGER_SHA256_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be %d bytes, not %d", what, LEDGER_SHA256_LEN,
						(int) VARSIZE_ANY_EXHDR(value)),
				 errdetail("Ledger hashes are SHA-256 digests."),
				 errhint("Pass the bytea column of the ledger as it is stored.")));
	return (const uint8_t *) VARDATA_ANY(value);
}

/* A fresh bytea holding one hash. */
static bytea *
hash_to_bytea(const uint8_t *hash)
{
	bytea	   *result = (bytea *) palloc(VARHDRSZ + LEDGER_SHA256_LEN);

	SET_VARSIZE(result, VARHDRSZ + LEDGER_SHA256_LEN);
	memcpy(VARDATA(result), hash, LEDGER_SHA256_LEN);
	return result;
}

/* OpenSSL's SHA-256 through pg_cryptohash, as the core's LedgerHashOps. */
static void
server_hash_init(void *state)
{
	/* out of memory, or a broken OpenSSL: GCOVR_EXCL_START */
	if (pg_cryptohash_init(*(pg_cryptohash_ctx **) state) < 0)
		elog(ERROR, "could not initialise SHA-256 for the ledger");
	/* GCOVR_EXCL_STOP */
}

static void
server_hash_update(void *state, const void *data, size_t len)
{
	/* as above: GCOVR_EXCL_START */
	if (pg_cryptohash_update(*(pg_cryptohash_ctx **) state, (const uint8 *) data, len) < 0)
		elog(ERROR, "could not compute SHA-256 for the ledger");
	/* GCOVR_EXCL_STOP */
}

static void
server_hash_final(void *state, uint8_t digest[LEDGER_SHA256_LEN])
{
	/* as above: GCOVR_EXCL_START */
	if (pg_cryptohash_final(*(pg_cryptohash_ctx **) state, digest, LEDGER_SHA256_LEN) < 0)
		elog(ERROR, "could not compute SHA-256 for the ledger");
	/* GCOVR_EXCL_STOP */
}

static const LedgerHashOps server_hash_ops = {server_hash_init, server_hash_update, server_hash_final};

/*
 * accountability.ledger_entry_hash(entry_no, table_name, operation,
 * row_key, row_image): format 1 of an entry's hash, over the row image's
 * canonical jsonb text (what COPY exports, so the offline verifier hashes
 * the same bytes).
 */
PG_FUNCTION_INFO_V1(ledger_entry_hash_sql);
Datum
ledger_entry_hash_sql(PG_FUNCTION_ARGS)
{
	text	   *table_name = PG_GETARG_TEXT_PP(1);
	text	   *operation = PG_GETARG_TEXT_PP(2);
	text	   *row_key = PG_GETARG_TEXT_PP(3);
	Jsonb	   *image = PG_GETARG_JSONB_P(4);
	char	   *image_text = JsonbToCString(NULL, &image->root, VARSIZE(image));
	LedgerEntry entry;
	pg_cryptohash_ctx *ctx;
	uint8_t		hash[LEDGER_SHA256_LEN];

	entry.entry_no = PG_GETARG_INT64(0);
	entry.table_name = VARDATA_ANY(table_name);
	entry.table_name_len = VARSIZE_ANY_EXHDR(table_name);
	entry.operation = VARDATA_ANY(operation);
	entry.operation_len = VARSIZE_ANY_EXHDR(operation);
	entry.row_key = VARDATA_ANY(row_key);
	entry.row_key_len = VARSIZE_ANY_EXHDR(row_key);
	entry.row_image = image_text;
	entry.row_image_len = strlen(image_text);
	/* the write path: OpenSSL's SHA-256, the same bytes as the core's */
	ctx = pg_cryptohash_create(PG_SHA256);
	/* out of memory: GCOVR_EXCL_START */
	if (ctx == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("could not create a SHA-256 context for the ledger")));
	/* GCOVR_EXCL_STOP */
	ledger_entry_hash_using(&server_hash_ops, &ctx, &entry, hash);
	pg_cryptohash_free(ctx);
	PG_RETURN_BYTEA_P(hash_to_bytea(hash));
}

/*
 * accountability.ledger_merkle_root(hashes bytea[]): the Merkle root of a
 * block's entry hashes in entry order; NULL for an empty array.
 */
PG_FUNCTION_INFO_V1(ledger_merkle_root_sql);
Datum
ledger_merkle_root_sql(PG_FUNCTION_ARGS)
{
	ArrayType  *hashes = PG_GETARG_ARRAYTYPE_P(0);
	Datum	   *values;
	bool	   *nulls;
	int			count;
	int			i;
	uint8_t    *leaves;
	uint8_t    *work;
	uint8_t		root[LEDGER_SHA256_LEN];

	deconstruct_array(hashes, BYTEAOID, -1, false, TYPALIGN_INT, &values, &nulls, &count);
	if (count == 0)
		PG_RETURN_NULL();
	leaves = palloc((Size) count * LEDGER_SHA256_LEN);
	work = palloc((Size) count * LEDGER_SHA256_LEN);
	for (i = 0; i < count; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("hash %d of the block is null", i + 1),
					 errdetail("Every entry of a block has a hash."),
					 errhint("Recompute the entries' hashes with ledger_entry_hash().")));
		memcpy(leaves + (Size) i * LEDGER_SHA256_LEN,
			   hash_argument(DatumGetByteaPP(values[i]), "an entry hash"), LEDGER_SHA256_LEN);
	}
	(void) ledger_merkle_root(leaves, (size_t) count, work, root);
	PG_RETURN_BYTEA_P(hash_to_bytea(root));
}

/*
 * accountability.ledger_block_hash(block_no, prev_hash, merkle_root,
 * entry_count, first_entry_no, last_entry_no): format 1 of a block's
 * hash; prev_hash is NULL for block 1.  Not strict for that reason.
 */
PG_FUNCTION_INFO_V1(ledger_block_hash_sql);
Datum
ledger_block_hash_sql(PG_FUNCTION_ARGS)
{
	uint8_t		hash[LEDGER_SHA256_LEN];
	int			i;

	for (i = 0; i < 6; i++)
		if (i != 1 && PG_ARGISNULL(i))
			PG_RETURN_NULL();
	ledger_block_hash(PG_GETARG_INT64(0),
					  PG_ARGISNULL(1) ? NULL : hash_argument(PG_GETARG_BYTEA_PP(1), "prev_hash"),
					  hash_argument(PG_GETARG_BYTEA_PP(2), "merkle_root"),
					  PG_GETARG_INT64(3), PG_GETARG_INT64(4), PG_GETARG_INT64(5),
					  hash);
	PG_RETURN_BYTEA_P(hash_to_bytea(hash));
}

/*
 * The INSERT of a trigger's entries: arguments are the operation, then the
 * key columns.  Row key and image are rendered as ledger_rows() renders the
 * live rows, under the same settings (the function's SET clauses).
 */
static SavedPlan *
ledger_plan(TriggerData *trigdata, const char *rows)
{
	Trigger    *trigger = trigdata->tg_trigger;
	LedgerPlan *p;
	StringInfoData sql;
	MemoryContext old;
	int			i;

	for (p = ledger_plans; p != NULL; p = p->next)
		if (p->trigger_oid == trigger->tgoid)
			return &p->plan;

	if (trigger->tgnargs < 2)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ledger_trigger needs an operation and at least one key column"),
				 errdetail("Trigger %s has %d arguments.", trigger->tgname, trigger->tgnargs),
				 errhint("Create it as ledger_trigger('insert', 'case_id', ...).")));
	for (i = 1; i < trigger->tgnargs; i++)
		(void) column_number(trigdata->tg_relation, trigger->tgargs[i]);

	old = MemoryContextSwitchTo(TopMemoryContext);
	initStringInfo(&sql);
	appendStringInfoString(&sql,
						   "INSERT INTO {schema}.ledger_entries (entry_no, xid, table_name, operation,"
						   " row_key, row_image, entry_hash)"
						   " SELECT e.n, $1, $2, $3, e.k, e.i,"
						   " {schema}.ledger_entry_hash(e.n, $2, $3, e.k, e.i)"
						   " FROM (SELECT pg_catalog.nextval('{schema}.ledger_entry_no'::pg_catalog.regclass) AS n,"
						   " pg_catalog.jsonb_build_array(");
	for (i = 1; i < trigger->tgnargs; i++)
		appendStringInfo(&sql, "%sr.%s", i > 1 ? ", " : "",
						 quote_identifier(trigger->tgargs[i]));
	appendStringInfo(&sql, ")::pg_catalog.text AS k, pg_catalog.to_jsonb(r) AS i FROM %s r) e",
					 rows);
	p = palloc0(sizeof(LedgerPlan));
	p->trigger_oid = trigger->tgoid;
	p->plan.sql = sql.data;
	p->plan.nargs = 3;
	p->plan.argtypes[0] = XID8OID;
	p->plan.argtypes[1] = TEXTOID;
	p->plan.argtypes[2] = TEXTOID;
	p->next = ledger_plans;
	ledger_plans = p;
	MemoryContextSwitchTo(old);
	return &p->plan;
}

/*
 * AFTER INSERT, UPDATE or DELETE ... FOR EACH STATEMENT on a table of the
 * permanent record, with its transition table (new_rows, or old_rows for
 * DELETE): one ledger entry per row.  Skipped in restore mode, where the
 * ledger is restored with the rows it records.
 */
PG_FUNCTION_INFO_V1(ledger_trigger);
Datum
ledger_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = trigger_data_checked(fcinfo, "ledger_trigger", false, false);
	bool		deleting = TRIGGER_FIRED_BY_DELETE(trigdata->tg_event);
	Tuplestorestate *rows = deleting ? trigdata->tg_oldtable : trigdata->tg_newtable;
	Relation	rel = trigdata->tg_relation;
	SavedPlan  *plan;
	Datum		values[3];

	if (rows == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ledger_trigger needs a transition table"),
				 errdetail("Trigger %s on %s has none.", trigdata->tg_trigger->tgname,
						   RelationGetRelationName(rel)),
				 errhint("Use REFERENCING NEW TABLE AS new_rows, or OLD TABLE AS old_rows for DELETE.")));
	if (session_may_restore())
		return PointerGetDatum(NULL);

	SPI_connect();
	/* fails only without SPI_connect: GCOVR_EXCL_START */
	if (SPI_register_trigger_data(trigdata) != SPI_OK_TD_REGISTER)
		elog(ERROR, "could not register the transition tables");
	/* GCOVR_EXCL_STOP */
	plan = ledger_plan(trigdata, deleting ? LEDGER_OLD_ROWS : LEDGER_NEW_ROWS);
	values[0] = FullTransactionIdGetDatum(GetTopFullTransactionId());
	values[1] = CStringGetTextDatum(RelationGetRelationName(rel));
	values[2] = CStringGetTextDatum(trigdata->tg_trigger->tgargs[0]);
	run_saved_plan_as_owner(plan, rel, values, NULL, false, 0);
	SPI_finish();
	return PointerGetDatum(NULL);
}

/*
 * BEFORE INSERT ... FOR EACH STATEMENT (ENABLE ALWAYS): in replica mode the
 * workflow's and the ledger's triggers do not fire, so rows inserted there
 * are refused unless a logical-replication worker applies them or the
 * session is in restore mode.  (An UPDATE or DELETE there meets the
 * append-only guards, and verify_ledger() sees whatever gets through.)
 */
PG_FUNCTION_INFO_V1(ledger_replica_guard);
Datum
ledger_replica_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = trigger_data_checked(fcinfo, "ledger_replica_guard", true, false);

	if (SessionReplicationRole != SESSION_REPLICATION_ROLE_REPLICA ||
		IsLogicalWorker() || session_may_restore())
		return PointerGetDatum(NULL);
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("inserting into %s in replica mode is not allowed",
					RelationGetRelationName(trigdata->tg_relation)),
			 errdetail("session_replication_role is replica outside a logical-replication worker: the workflow would not check the rows and the ledger%s would not record them.",
					   zh_gloss("账本")),
			 errhint("Write with session_replication_role = origin, or restore a dump with accountability.restore = on.")));
	PG_RETURN_NULL();
}
