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

#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "commands/trigger.h"
#include "common/cryptohash.h"
#include "executor/executor.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "replication/logicalworker.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/syscache.h"
#include "utils/xid8.h"

#include "compat.h"
#include "pg_accountability.h"

#include "support/support.h"
#include "ledger/ledger.h"


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
 * A text field of an entry as the format hashes it: UTF-8, whatever the
 * server encoding, so that an export made with client_encoding UTF8
 * verifies offline in an EUC_CN database too (attack round 9: the hashes
 * were over the server's bytes).  A SQL_ASCII database knows no encoding
 * to convert from: its bytes are hashed as stored.
 */
static void
entry_text(const char *text, size_t len, const char **out, size_t *out_len)
{
	if (GetDatabaseEncoding() == PG_UTF8 || GetDatabaseEncoding() == PG_SQL_ASCII)
	{
		*out = text;
		*out_len = len;
		return;
	}
	*out = pg_server_to_any(text, (int) len, PG_UTF8);
	*out_len = (*out == text) ? len : strlen(*out);
}

/* Point an entry's text fields at their UTF-8 form. */
static void
entry_texts_utf8(LedgerEntry *entry)
{
	entry_text(entry->table_name, entry->table_name_len, &entry->table_name, &entry->table_name_len);
	entry_text(entry->operation, entry->operation_len, &entry->operation, &entry->operation_len);
	entry_text(entry->row_key, entry->row_key_len, &entry->row_key, &entry->row_key_len);
	entry_text(entry->row_image, entry->row_image_len, &entry->row_image, &entry->row_image_len);
}

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
	entry_texts_utf8(&entry);
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
 * Digests and verification need the whole record: a role under row-level
 * security on the ledger or on the cases would seal or verify a part.
 */
static void
check_ledger_reader(Oid namespace_oid, const char *what)
{
	if (check_enable_rls(get_relname_relid("ledger_entries", namespace_oid), InvalidOid, true) == RLS_ENABLED ||
		check_enable_rls(get_relname_relid("cases", namespace_oid), InvalidOid, true) == RLS_ENABLED)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("%s must see the whole record", what),
				 errdetail("Role %s is subject to row-level security, so it sees part of the ledger and the record only.",
						   GetUserNameFromId(GetUserId(), false)),
				 errhint("Run it as a superuser, or as a role with BYPASSRLS granted accountability_admin (an auditor).")));
}

/* accountability.ledger_check_reader(what): the check above, for SQL. */
PG_FUNCTION_INFO_V1(ledger_check_reader);
Datum
ledger_check_reader(PG_FUNCTION_ARGS)
{
	check_ledger_reader(get_func_namespace(fcinfo->flinfo->fn_oid),
						text_to_cstring(PG_GETARG_TEXT_PP(0)));
	PG_RETURN_VOID();
}

/* The key of the lock digests queue on ('ledger' in ASCII). */
#define LEDGER_SEAL_LOCK_KEY INT64CONST(0x6C6564676572)

/*
 * accountability.ledger_seal_lock(): the reader's check above and whether
 * a digest may leave this transaction (digest_commit.c), then the lock that
 * makes digests take turns, until the transaction ends.  It is a lock of
 * the extension's own, so only a role that may take a digest can hold it:
 * no login can stall the digests by holding a public advisory key.
 */
PG_FUNCTION_INFO_V1(ledger_seal_lock);
Datum
ledger_seal_lock(PG_FUNCTION_ARGS)
{
	check_ledger_reader(get_func_namespace(fcinfo->flinfo->fn_oid), "ledger_digest()");
	check_digest_commits();
	lock_private_key(LEDGER_SEAL_LOCK_KEY);
	PG_RETURN_VOID();
}

/*
 * The ledger_entries columns, in the order the writer fills them; the
 * table is checked to have exactly these before the first write.
 */
static const char *const ledger_entry_columns[] = {
	"entry_no", "xid", "table_name", "operation", "row_key", "row_image", "entry_hash"
};
static const Oid ledger_entry_types[] = {
	INT8OID, XID8OID, TEXTOID, TEXTOID, TEXTOID, JSONBOID, BYTEAOID
};

#define LEDGER_ENTRY_NATTS lengthof(ledger_entry_columns)

/*
 * The operations a trigger may record (genesis is written once, by the
 * update script); the writer bypasses the table's CHECK, so it checks.
 */
static const char *const ledger_trigger_operations[] = {
	"insert", "fill", "move", "update", "delete"
};

/* Refuse a ledger_entries table of another shape (never write into it blindly). */
static void
check_ledger_shape(Relation ledger)
{
	TupleDesc	desc = RelationGetDescr(ledger);
	int			i;

	for (i = 0; i < (int) LEDGER_ENTRY_NATTS; i++)
		if (desc->natts != (int) LEDGER_ENTRY_NATTS ||
			TupleDescAttr(desc, i)->attisdropped ||
			TupleDescAttr(desc, i)->atttypid != ledger_entry_types[i] ||
			strcmp(NameStr(TupleDescAttr(desc, i)->attname), ledger_entry_columns[i]) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
					 errmsg("table ledger_entries does not have the ledger's columns"),
					 errdetail("Column %d should be \"%s\" of type %s.", i + 1, ledger_entry_columns[i],
							   format_type_be(ledger_entry_types[i])),
					 errhint("Reinstall the extension; the ledger's tables are not to be altered.")));
}

/* Refuse a trigger whose first argument is not an operation the ledger knows. */
static void
check_operation(Trigger *trigger)
{
	int			i;

	for (i = 0; i < (int) lengthof(ledger_trigger_operations); i++)
		if (strcmp(trigger->tgargs[0], ledger_trigger_operations[i]) == 0)
			return;
	ereport(ERROR,
			(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
			 errmsg("ledger_trigger cannot record operation \"%s\"", trigger->tgargs[0]),
			 errdetail("Trigger %s names it as its first argument.", trigger->tgname),
			 errhint("Use insert, fill, move, update or delete.")));
}

/*
 * The SET clauses of ledger_rows(), parsed, kept for the backend until a
 * function changes (a syscache invalidation of pg_proc): reading and
 * parsing them on every statement was a tenth of a single-row transition's
 * ledger cost.
 */
typedef struct RenderingSettings
{
	bool		valid;
	Oid			namespace_oid;	/* the schema whose ledger_rows() they are */
	int			count;
	char	  **names;
	char	  **values;
	MemoryContext context;
} RenderingSettings;

static RenderingSettings rendering = {false, InvalidOid, 0, NULL, NULL, NULL};

/* A function changed: read ledger_rows()'s settings again before the next use. */
static void
forget_rendering_settings(Datum arg, int cacheid, uint32 hashvalue)	/* NOLINT(misc-unused-parameters) */
{
	rendering.valid = false;
}

/* Read and parse the SET clauses of the schema's ledger_rows(), or raise. */
static void
load_rendering_settings(Relation covered)
{
	static bool callback_registered = false;
	Oid			ns = RelationGetNamespace(covered);
	Oid			fn = GetSysCacheOid3(PROCNAMEARGSNSP, Anum_pg_proc_oid,
									 CStringGetDatum("ledger_rows"),
									 PointerGetDatum(buildoidvector(NULL, 0)),
									 ObjectIdGetDatum(ns));
	HeapTuple	proc = OidIsValid(fn) ? SearchSysCache1(PROCOID, ObjectIdGetDatum(fn)) : NULL;
	Datum		config = (Datum) 0;
	bool		isnull = true;
	Datum	   *settings;
	MemoryContext old;
	int			i;

	if (!callback_registered)
	{
		CacheRegisterSyscacheCallback(PROCOID, forget_rendering_settings, (Datum) 0);
		callback_registered = true;
	}
	if (HeapTupleIsValid(proc))
		config = SysCacheGetAttr(PROCOID, proc, Anum_pg_proc_proconfig, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ledger_trigger needs accountability.ledger_rows() and its settings beside %s",
						RelationGetRelationName(covered)),
				 errdetail("The ledger renders rows under the SET clauses of ledger_rows()."),
				 errhint("Reinstall the extension; its functions are not to be altered.")));
	if (rendering.context == NULL)
		rendering.context = AllocSetContextCreate(TopMemoryContext, "ledger rendering settings", 0, 1024, 8192);
	MemoryContextReset(rendering.context);
	/* valid from here: an invalidation while parsing makes it stale again */
	rendering.valid = true;
	old = MemoryContextSwitchTo(rendering.context);
	deconstruct_array(DatumGetArrayTypeP(config), TEXTOID, -1, false, TYPALIGN_INT,
					  &settings, NULL, &rendering.count);
	rendering.names = palloc(sizeof(char *) * rendering.count);
	rendering.values = palloc(sizeof(char *) * rendering.count);
	for (i = 0; i < rendering.count; i++)
		ParseLongOption(TextDatumGetCString(settings[i]), &rendering.names[i], &rendering.values[i]);
	MemoryContextSwitchTo(old);
	rendering.namespace_oid = ns;
	ReleaseSysCache(proc);
}

/*
 * The settings a row image's text depends on are the SET clauses of
 * ledger_rows(), which renders the live rows for verification: the
 * trigger applies them for the rest of its run, as calling that function
 * would, so the list lives in one place (the time zone, DateStyle,
 * IntervalStyle, extra_float_digits, bytea_output, quote_all_identifiers,
 * search_path for reg* values, the language of codes).  A session setting
 * of any role cannot change what is recorded (quote_all_identifiers did:
 * attack of session 19).  Only the settings the session differs in are
 * set, in a nested GUC level opened on the first; returns it, or -1.
 */
static int
pin_rendering_settings(Relation covered)
{
	int			level = -1;
	int			i;

	if (!rendering.valid || rendering.namespace_oid != RelationGetNamespace(covered))
		load_rendering_settings(covered);
	for (i = 0; i < rendering.count; i++)
	{
		const char *current = GetConfigOption(rendering.names[i], true, false);

		if (rendering.values[i] != NULL && current != NULL && strcmp(current, rendering.values[i]) == 0)
			continue;
		if (level < 0)
			level = NewGUCNestLevel();
		(void) set_config_option(rendering.names[i], rendering.values[i], PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
	}
	return level;
}

/*
 * The row key, as jsonb_build_array(key columns)::text renders it: the
 * key's values taken from the image, so they are the image's own JSON.
 */
static char *
row_key_text(Jsonb *image, TriggerData *trigdata)
{
	Trigger    *trigger = trigdata->tg_trigger;
	StringInfoData key;
	int			i;

	initStringInfo(&key);
	appendStringInfoChar(&key, '[');
	for (i = 1; i < trigger->tgnargs; i++)
	{
		const char *column = trigger->tgargs[i];
		JsonbValue *v = getKeyJsonValueFromContainer(&image->root, column, (int) strlen(column), NULL);

		if (i > 1)
			appendStringInfoString(&key, ", ");
		if (v == NULL || v->type == jbvNull)
			ereport(ERROR,
					(errcode(ERRCODE_NOT_NULL_VIOLATION),
					 errmsg("key column \"%s\" of %s is null", column,
							RelationGetRelationName(trigdata->tg_relation)),
					 errhint("The ledger identifies rows by their primary key.")));
		else if (v->type == jbvString)
			escape_json(&key, pnstrdup(v->val.string.val, v->val.string.len));
		else if (v->type == jbvNumeric)
			appendStringInfoString(&key, DatumGetCString(DirectFunctionCall1(numeric_out,
																			 NumericGetDatum(v->val.numeric))));
		else
			appendStringInfoString(&key, v->val.boolean ? "true" : "false");
	}
	appendStringInfoChar(&key, ']');
	return key.data;
}

/* The largest row image the ledger records, in bytes of its canonical text. */
#define LEDGER_MAX_IMAGE_BYTES 16777216	/* 16 MB */

/*
 * Refuse a row whose image would not export: a text field of COPY or
 * pg_dump is limited to 1 GB, and JSON writes a control character as six
 * bytes, so one clerk's UPDATE of a free-text column with 175 M control
 * characters made the ledger, which nobody may delete from, unexportable
 * for good (attack round 17).  16 MB leaves room for any escaping.
 */
static void
refuse_oversized_image(size_t len, const char *table_name)
{
	if (len > LEDGER_MAX_IMAGE_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a row of %s is too large for the ledger%s", table_name, zh_gloss("账本")),
				 errdetail("Its image is %zu bytes; the ledger records at most %d bytes a row, so that every entry exports as one line of COPY and pg_dump.",
						   len, LEDGER_MAX_IMAGE_BYTES),
				 errhint("Shorten the text; keep long documents outside the record and cite them.")));
}

/* The entry's hash, format 1, over the bytes COPY would export. */
static bytea *
entry_hash(int64 entry_no, const char *table_name, const char *operation,
		   const char *row_key, const StringInfoData *image_text)
{
	LedgerEntry entry;
	pg_cryptohash_ctx *ctx;
	uint8_t		hash[LEDGER_SHA256_LEN];

	entry.entry_no = entry_no;
	entry.table_name = table_name;
	entry.table_name_len = strlen(table_name);
	entry.operation = operation;
	entry.operation_len = strlen(operation);
	entry.row_key = row_key;
	entry.row_key_len = strlen(row_key);
	entry.row_image = image_text->data;
	entry.row_image_len = (size_t) image_text->len;
	/* converted first: a conversion error leaves no hash context behind */
	entry_texts_utf8(&entry);
	ctx = pg_cryptohash_create(PG_SHA256);
	/* out of memory: GCOVR_EXCL_START */
	if (ctx == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("could not create a SHA-256 context for the ledger")));
	/* GCOVR_EXCL_STOP */
	ledger_entry_hash_using(&server_hash_ops, &ctx, &entry, hash);
	pg_cryptohash_free(ctx);
	return hash_to_bytea(hash);
}

/* Where a statement's entries go: the ledger table, its indexes, its sequence. */
typedef struct LedgerWriter
{
	Relation	ledger;
	Oid			sequence;
	EState	   *estate;
	ResultRelInfo *rri;
	TupleTableSlot *slot;
	CommandId	cid;
	BulkInsertState bulk;		/* for a statement of many rows, else NULL */
} LedgerWriter;

/* From how many rows a statement's entries are written as a bulk insert. */
#define LEDGER_BULK_ROWS 100

/*
 * Open the ledger of the covered table's schema for this statement's
 * entries.  Many rows are written as COPY writes them: the current page
 * stays pinned and the table grows by many pages at a time.
 */
static void
open_writer(LedgerWriter *w, Relation covered, int64 rows)
{
	Oid			ns = RelationGetNamespace(covered);
	Oid			ledger_oid = get_relname_relid("ledger_entries", ns);

	w->sequence = get_relname_relid("ledger_entry_no", ns);
	if (!OidIsValid(ledger_oid) || !OidIsValid(w->sequence))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ledger_trigger needs accountability.ledger_entries and its sequence beside %s",
						RelationGetRelationName(covered)),
				 errhint("Attach ledger_trigger only to the extension's own tables.")));
	w->ledger = table_open(ledger_oid, RowExclusiveLock);
	check_ledger_shape(w->ledger);
	w->estate = CreateExecutorState();
	w->rri = makeNode(ResultRelInfo);
	InitResultRelInfo(w->rri, w->ledger, 0, NULL, 0);
	ExecOpenIndices(w->rri, false);
	w->slot = table_slot_create(w->ledger, NULL);
	w->cid = GetCurrentCommandId(true);
	w->bulk = rows >= LEDGER_BULK_ROWS ? GetBulkInsertState() : NULL;
}

/* Append one entry: the heap row, then its index entries (the primary key). */
static void
append_entry(LedgerWriter *w, Datum *values)
{
	bool		nulls[LEDGER_ENTRY_NATTS] = {false};

	ExecClearTuple(w->slot);
	memcpy(w->slot->tts_values, values, sizeof(Datum) * LEDGER_ENTRY_NATTS);
	memcpy(w->slot->tts_isnull, nulls, sizeof(nulls));
	ExecStoreVirtualTuple(w->slot);
	table_tuple_insert(w->ledger, w->slot, w->cid, 0, w->bulk);
	ledger_insert_index_tuples(w->rri, w->slot, w->estate);
	ResetPerTupleExprContext(w->estate);
}

static void
close_writer(LedgerWriter *w)
{
	if (w->bulk != NULL)
		FreeBulkInsertState(w->bulk);
	ExecDropSingleTupleTableSlot(w->slot);
	ExecCloseIndices(w->rri);
	FreeExecutorState(w->estate);
	table_close(w->ledger, NoLock);
}

/*
 * AFTER INSERT, UPDATE or DELETE ... FOR EACH STATEMENT on a table of the
 * permanent record, with its transition table (new_rows, or old_rows for
 * DELETE): one ledger entry per row.  Skipped in restore mode, where the
 * ledger is restored with the rows it records.  The entries are written
 * directly, as an INSERT would write them (heap, then indexes), without
 * planning a statement: the ledger's cost is the rows it adds.
 */
PG_FUNCTION_INFO_V1(ledger_trigger);
Datum
ledger_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = trigger_data_checked(fcinfo, "ledger_trigger", false, false);
	Trigger    *trigger = trigdata->tg_trigger;
	bool		deleting = TRIGGER_FIRED_BY_DELETE(trigdata->tg_event);
	Tuplestorestate *rows = deleting ? trigdata->tg_oldtable : trigdata->tg_newtable;
	Relation	rel = trigdata->tg_relation;
	const char *table_name = RelationGetRelationName(rel);
	LedgerWriter w;
	RowImageBuilder *images;
	TupleTableSlot *row;
	MemoryContext per_row;
	Datum		values[LEDGER_ENTRY_NATTS];
	int			guc_level;
	int			i;

	if (rows == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ledger_trigger needs a transition table"),
				 errdetail("Trigger %s on %s has none.", trigger->tgname, table_name),
				 errhint("Use REFERENCING NEW TABLE AS new_rows, or OLD TABLE AS old_rows for DELETE.")));
	if (trigger->tgnargs < 2)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ledger_trigger needs an operation and at least one key column"),
				 errdetail("Trigger %s has %d arguments.", trigger->tgname, trigger->tgnargs),
				 errhint("Create it as ledger_trigger('insert', 'case_id', ...).")));
	check_operation(trigger);
	for (i = 1; i < trigger->tgnargs; i++)
		(void) column_number(rel, trigger->tgargs[i], InvalidOid);
	note_rows_recorded(RelationGetRelid(rel), tuplestore_tuple_count(rows));
	if (session_may_restore())
		return PointerGetDatum(NULL);

	guc_level = pin_rendering_settings(rel);
	open_writer(&w, rel, tuplestore_tuple_count(rows));
	images = row_image_builder_for(rel);
	row = MakeSingleTupleTableSlot(RelationGetDescr(rel), &TTSOpsMinimalTuple);
	per_row = AllocSetContextCreate(CurrentMemoryContext, "ledger entry", 0, 8192, 65536);
	values[1] = FullTransactionIdGetDatum(GetTopFullTransactionId());
	values[2] = CStringGetTextDatum(table_name);
	values[3] = CStringGetTextDatum(trigger->tgargs[0]);
	tuplestore_rescan(rows);
	while (tuplestore_gettupleslot(rows, true, false, row))
	{
		Jsonb	   *image;
		StringInfoData image_text;
		char	   *key;
		int64		entry_no;
		MemoryContext old;

		MemoryContextReset(per_row);
		old = MemoryContextSwitchTo(per_row);
		image = row_image(images, row);
		initStringInfo(&image_text);
		(void) JsonbToCString(&image_text, &image->root, VARSIZE(image));
		refuse_oversized_image((size_t) image_text.len, table_name);
		key = row_key_text(image, trigdata);
		entry_no = nextval_internal(w.sequence, false);
		values[0] = Int64GetDatum(entry_no);
		values[4] = CStringGetTextDatum(key);
		values[5] = JsonbPGetDatum(image);
		values[6] = PointerGetDatum(entry_hash(entry_no, table_name, trigger->tgargs[0], key, &image_text));
		append_entry(&w, values);
		MemoryContextSwitchTo(old);
	}
	ExecDropSingleTupleTableSlot(row);
	MemoryContextDelete(per_row);
	close_writer(&w);
	if (guc_level >= 0)
		AtEOXact_GUC(true, guc_level);
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
