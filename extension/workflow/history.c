/*-------------------------------------------------------------------------
 *
 * history.c
 *	  The case history (case_events): its chained hash, and the statement
 *	  triggers that write it.
 *
 * Each event carries a SHA-256 over its own fields and the hash of the
 * case's previous event, so accountability.verify_history() detects an
 * event changed, removed or inserted out of order, even by a superuser
 * with triggers disabled.  The row trigger (workflow.c) computes the hash
 * while it holds the case's row lock and keeps the chain head on the case
 * row; the AFTER STATEMENT triggers here write the events set-wise from the
 * transition tables, which costs about half of a per-row INSERT.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "common/cryptohash.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/queryenvironment.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "support/support.h"

/* Domain tag of version 1 of the hash input; never change it. */
#define EVENT_HASH_TAG "pg_accountability.case_event.v1"

/* Add a 64-bit integer, big-endian, to the hash input. */
static void
hash_int64(pg_cryptohash_ctx *ctx, int64 value)
{
	uint8		bytes[8];
	int			i;

	for (i = 7; i >= 0; i--)
	{
		bytes[i] = (uint8) (value & 0xFF);
		value >>= 8;
	}
	pg_cryptohash_update(ctx, bytes, sizeof(bytes));
}

/*
 * Add a string that may be NULL: a presence byte, then the length and the
 * bytes, so that NULL, "" and adjacent fields can never be confused.
 */
static void
hash_text(pg_cryptohash_ctx *ctx, const char *s)
{
	uint8		present = (s != NULL);

	pg_cryptohash_update(ctx, &present, 1);
	if (s != NULL)
	{
		size_t		len = strlen(s);

		hash_int64(ctx, (int64) len);
		pg_cryptohash_update(ctx, (const uint8 *) s, len);
	}
}

/*
 * The hash of one event chained to the previous one (prev_hash NULL for a
 * case's first event).  The input layout is version 1, documented in the
 * README; a later version needs a new tag.
 */
void
case_event_hash(const uint8 *prev_hash, const CaseEvent *event, uint8 *hash)
{
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);
	uint8		codes[2];
	uint8		has_prev = (prev_hash != NULL);

	/* out of memory, or a broken OpenSSL: GCOVR_EXCL_START */
	if (ctx == NULL || pg_cryptohash_init(ctx) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("could not initialise SHA-256 for the case history")));
	/* GCOVR_EXCL_STOP */
	pg_cryptohash_update(ctx, (const uint8 *) EVENT_HASH_TAG,
						 sizeof(EVENT_HASH_TAG));
	pg_cryptohash_update(ctx, &has_prev, 1);
	if (prev_hash != NULL)
		pg_cryptohash_update(ctx, prev_hash, EVENT_HASH_LEN);
	hash_int64(ctx, event->case_id);
	hash_int64(ctx, event->event_no);
	hash_text(ctx, event->kind);
	codes[0] = (uint8) event->from_status;
	codes[1] = (uint8) event->to_status;
	pg_cryptohash_update(ctx, codes, sizeof(codes));
	hash_int64(ctx, event->occurred_at);
	hash_text(ctx, event->db_user);
	hash_text(ctx, event->actor);
	hash_text(ctx, event->note);
	/* as above: GCOVR_EXCL_START */
	if (pg_cryptohash_final(ctx, hash, EVENT_HASH_LEN) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not compute the case history hash")));
	/* GCOVR_EXCL_STOP */
	pg_cryptohash_free(ctx);
}

/* A text argument as a C string, or NULL. */
static char *
text_arg_or_null(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(n));
}

/*
 * accountability.event_hash(prev_hash, case_id, event_no, kind, from, to,
 * occurred_at, db_user, actor, note): the same hash from SQL, for the
 * import trigger and verify_history().  Fields that every event has must
 * not be NULL.
 */
PG_FUNCTION_INFO_V1(event_hash);
Datum
event_hash(PG_FUNCTION_ARGS)
{
	CaseEvent	event;
	bytea	   *prev = PG_ARGISNULL(0) ? NULL : PG_GETARG_BYTEA_PP(0);
	bytea	   *result;
	int			i;

	for (i = 1; i <= 7; i++)
	{
		if (i != 4 && PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("event_hash argument %d must not be null", i + 1),
					 errdetail("Only prev_hash, from_status, actor and note may be null.")));
	}
	if (prev != NULL && VARSIZE_ANY_EXHDR(prev) != EVENT_HASH_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("prev_hash must be %d bytes, not %d",
						EVENT_HASH_LEN, (int) VARSIZE_ANY_EXHDR(prev))));

	event.case_id = PG_GETARG_INT64(1);
	event.event_no = PG_GETARG_INT32(2);
	event.kind = text_arg_or_null(fcinfo, 3);
	event.from_status = PG_ARGISNULL(4) ? 0 : DatumGetCode(PG_GETARG_DATUM(4));
	event.to_status = DatumGetCode(PG_GETARG_DATUM(5));
	event.occurred_at = PG_GETARG_TIMESTAMPTZ(6);
	event.db_user = text_arg_or_null(fcinfo, 7);
	event.actor = text_arg_or_null(fcinfo, 8);
	event.note = text_arg_or_null(fcinfo, 9);

	result = (bytea *) palloc(VARHDRSZ + EVENT_HASH_LEN);
	SET_VARSIZE(result, VARHDRSZ + EVENT_HASH_LEN);
	case_event_hash(prev ? (const uint8 *) VARDATA_ANY(prev) : NULL, &event,
					(uint8 *) VARDATA(result));
	PG_RETURN_BYTEA_P(result);
}

/* Events of the cases an UPDATE moved: one per case whose event_count grew. */
static SavedPlan write_transition_events = {
	"INSERT INTO {schema}.case_events (case_id, event_no, event_kind, from_status,"
	" to_status, occurred_at, db_user, actor, note, hash)"
	" SELECT n.case_id, n.event_count, 'transition', o.status, n.status, $1, $2, $3,"
	" n.transition_note, n.last_event_hash"
	" FROM new_rows n JOIN old_rows o ON o.case_id OPERATOR(pg_catalog.=) n.case_id"
	" WHERE n.event_count OPERATOR(pg_catalog.<>) o.event_count",
	3, {TIMESTAMPTZOID, TEXTOID, TEXTOID}, NULL
};

/* The first event above whose chained hash is not that of what it stores. */
static SavedPlan find_unhashed_event = {
	"SELECT n.case_id"
	" FROM new_rows n JOIN old_rows o ON o.case_id OPERATOR(pg_catalog.=) n.case_id"
	" WHERE n.event_count OPERATOR(pg_catalog.<>) o.event_count"
	" AND {schema}.event_hash(o.last_event_hash, n.case_id, n.event_count, 'transition',"
	" o.status, n.status, $1, $2, $3, n.transition_note)"
	" OPERATOR(pg_catalog.=) n.last_event_hash IS NOT TRUE",
	3, {TIMESTAMPTZOID, TEXTOID, TEXTOID}, NULL
};

/*
 * The same events, paired in C (collect_transition_events); the join above
 * is kept for transition tables that do not pair up.
 */
static SavedPlan write_collected_events = {
	"INSERT INTO {schema}.case_events (case_id, event_no, event_kind, from_status,"
	" to_status, occurred_at, db_user, actor, note, hash)"
	" SELECT e.case_id, e.event_no, 'transition', e.from_status, e.to_status, $1, $2, $3,"
	" e.note, e.hash"
	" FROM transition_events e",
	3, {TIMESTAMPTZOID, TEXTOID, TEXTOID}, NULL
};

/* The 'imported' event 0 of each case loaded in import mode. */
static SavedPlan write_import_events = {
	"INSERT INTO {schema}.case_events (case_id, event_no, event_kind, from_status,"
	" to_status, occurred_at, db_user, actor, note, hash)"
	" SELECT n.case_id, 0, 'imported', NULL, n.status, $1, $2, $3, n.transition_note,"
	" {schema}.event_hash(NULL, n.case_id, 0, 'imported', NULL, n.status, $1, $2, $3,"
	" n.transition_note)"
	" FROM new_rows n",
	3, {TIMESTAMPTZOID, TEXTOID, TEXTOID}, NULL
};

/*
 * The first new row that is not a fresh registration (or, in import mode,
 * a fresh import): status received, no events, version 1.
 */
static SavedPlan find_irregular_new_case = {
	"SELECT n.case_id, n.status::pg_catalog.text AS status, n.origin,"
	/* the first column the database maintains that the row set, if any */
	" CASE WHEN n.version OPERATOR(pg_catalog.<>) 1 THEN 'version'"
	"  WHEN n.event_count OPERATOR(pg_catalog.<>) 0 THEN 'event_count'"
	"  WHEN n.last_event_hash IS NOT NULL THEN 'last_event_hash'"
	"  WHEN n.origin OPERATOR(pg_catalog.<>) CASE WHEN $1 THEN 'imported' ELSE 'registered' END THEN 'origin'"
	" END AS maintained FROM new_rows n"
	" WHERE NOT ((n.status OPERATOR({schema}.=) 'received'::{schema}.case_status OR $1)"
	" AND n.origin OPERATOR(pg_catalog.=) CASE WHEN $1 THEN 'imported' ELSE 'registered' END"
	" AND n.event_count OPERATOR(pg_catalog.=) 0 AND n.last_event_hash IS NULL"
	" AND n.version OPERATOR(pg_catalog.=) 1)"
	" LIMIT 1",
	1, {BOOLOID}, NULL
};

/*
 * The first new case that carries what only a later status writes: a
 * closing reason (written with the move to closed) or a report's finding
 * (written while it is unfounded).  A registered case carries neither; an
 * imported one only in a status that has them ($1: importing).  Else a
 * finding written at registration would let a false accuser be pursued
 * over a report never found untrue (attack round 9).
 */
static SavedPlan find_premature_new_case = {
	"SELECT n.case_id, CASE WHEN n.closing_reason IS NOT NULL THEN 'closing_reason'"
	" ELSE 'report_finding' END AS column_name, n.status::pg_catalog.text AS status FROM new_rows n"
	" WHERE (n.closing_reason IS NOT NULL"
	"   AND NOT ($1 AND n.status OPERATOR({schema}.=) 'closed'::{schema}.case_status))"
	" OR (n.report_finding IS NOT NULL"
	"   AND NOT ($1 AND n.status OPERATOR({schema}.=) ANY ('{unfounded,follow_up,closed}'::{schema}.case_status[])))"
	" LIMIT 1",
	1, {BOOLOID}, NULL
};

/*
 * The first new false-accusation case that does not point at a report
 * found untrue (unfounded, or followed up or closed after it) and
 * suspected of false accusation, or whose subject (the accuser) has no
 * identity type to decide the sanction route.  The status too: a finding
 * planted on a report still being checked, with the guard off, must not
 * open a pursuit (attack round 11).
 */
static SavedPlan find_unlinked_false_accusation = {
	"SELECT n.case_id FROM new_rows n"
	" LEFT JOIN {schema}.cases r ON r.case_id OPERATOR(pg_catalog.=) n.related_case_id"
	" LEFT JOIN {schema}.subjects s ON s.subject_id OPERATOR(pg_catalog.=) n.subject_id"
	" WHERE n.kind OPERATOR(pg_catalog.=) 'false_accusation'"
	" AND (r.case_id IS NULL OR r.kind OPERATOR(pg_catalog.<>) 'report'"
	"  OR r.report_finding IS NULL"
	"  OR r.report_finding OPERATOR(pg_catalog.<>) 'suspected_false_accusation'"
	"  OR NOT (r.status OPERATOR({schema}.=) ANY ('{unfounded,follow_up,closed}'::{schema}.case_status[]))"
	"  OR s.identity_type IS NULL)"
	/* an imported case names a report only if it has one here ($1) */
	" AND (NOT $1 OR n.related_case_id IS NOT NULL)"
	" LIMIT 1",
	1, {BOOLOID}, NULL
};

/* Whether the statement inserted any false-accusation case. */
static SavedPlan find_new_false_accusation = {
	"SELECT 1 FROM new_rows n WHERE n.kind OPERATOR(pg_catalog.=) 'false_accusation' LIMIT 1",
	0, {InvalidOid}, NULL
};

/*
 * 查处诬告陷害: a false-accusation case pursues the accuser of one report
 * found untrue and suspected of false accusation; several accusers are
 * several cases linked to the same report.
 *
 * The check runs with the inserting role's rights, so the report must be
 * one it sees (row-level security), and only when a false-accusation case
 * was inserted: reading subjects.identity_type is for reviewers, and a
 * clerk registering a report holds no right to it.  An imported case is
 * judged when it names a report: one still being checked here must not be
 * pursued through import mode either (attack round 12); one whose report
 * stayed in the old system names none.
 */
static void
check_false_accusation_links(Relation cases, bool importing)
{
	bool		isnull;
	Datum		imported = BoolGetDatum(importing);

	if (run_saved_plan(&find_new_false_accusation, RelationGetNamespace(cases),
					   NULL, NULL, true, 1) == 0)
		return;
	/* not read-only: a fresh snapshot sees the statement's own reports (an import) */
	if (run_saved_plan(&find_unlinked_false_accusation, RelationGetNamespace(cases),
					   &imported, NULL, false, 1) == 0)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("false-accusation case %s must name a report suspected of false accusation and an accuser with an identity type",
					DatumGetCString(DirectFunctionCall1(int8out,
														spi_result_value(0, "case_id", INT8OID, &isnull)))),
			 errdetail("related_case_id must be a report whose report_finding is suspected_false_accusation; the subject's identity_type (party_member, public_servant, other) decides the sanction route."),
			 errhint("A mistaken report%s is never pursued: it calls for education only.",
					 zh_gloss("错告"))));
}

/*
 * Who moved the cases of one UPDATE statement.  The row trigger hashes the
 * database user and actor of each event, and the statement trigger stores
 * them; a statement that changed accountability.actor (or the role)
 * between its rows, by set_config() in its SET list or RETURNING, would
 * store one value and have hashed another.  So the row trigger records
 * what it hashed for the first row and refuses a row that differs, and
 * the statement trigger stores exactly that.  Forgotten at the end of the
 * statement and on the abort of the (sub)transaction that ran it; an
 * exception block that the statement's own expressions enter and leave
 * does not touch it (that once stored an actor nobody had hashed).  A
 * statement on cases nested in this one is refused (ledger/order.c); the
 * statement trigger also checks that each event's hash is the hash of
 * what it stores (check_stored_event).
 */
static struct
{
	bool		set;
	char	   *db_user;
	char	   *actor;			/* NULL when not set */
	SubTransactionId subid;		/* the subtransaction that holds it */
}			statement_actor;

/* Forget the statement's actor (end of statement, abort). */
static void
forget_statement_actor(void)
{
	statement_actor.set = false;
	if (statement_actor.db_user)
		pfree(statement_actor.db_user);
	if (statement_actor.actor)
		pfree(statement_actor.actor);
	statement_actor.db_user = NULL;
	statement_actor.actor = NULL;
}

/* Two optional strings are the same. */
static bool
same_text(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* One UPDATE records one database user and actor for every case it moves. */
static void
refuse_changed_actor(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("accountability.actor or the role changed within one statement"),
			 errdetail("Every case an UPDATE moves is recorded with the same database user and actor that its history hashes; %s.",
					   what),
			 errhint("Set accountability.actor before the statement (SET LOCAL), one statement per actor.")));
}

/*
 * The row trigger's half: the first row of a statement sets who moved the
 * cases; every later row must say the same.
 */
void
remember_statement_actor(const char *db_user, const char *actor)
{
	if (!statement_actor.set)
	{
		statement_actor.db_user = MemoryContextStrdup(TopMemoryContext, db_user);
		statement_actor.actor = actor ? MemoryContextStrdup(TopMemoryContext, actor) : NULL;
		statement_actor.subid = GetCurrentSubTransactionId();
		statement_actor.set = true;
		return;
	}
	if (!same_text(statement_actor.db_user, db_user) || !same_text(statement_actor.actor, actor))
		refuse_changed_actor(psprintf("this row would record %s / %s after %s / %s",
									  db_user, actor ? actor : "(none)",
									  statement_actor.db_user,
									  statement_actor.actor ? statement_actor.actor : "(none)"));
}

/* Abort of a (sub)transaction: the statement it was running is gone. */
static void
actor_xact_callback(XactEvent event, void *arg)	/* NOLINT(misc-unused-parameters) */
{
	if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT ||
		event == XACT_EVENT_COMMIT || event == XACT_EVENT_PREPARE)
		forget_statement_actor();
}

/*
 * The end of a subtransaction: its abort ends the statement that set the
 * actor; its commit hands the actor to its parent.
 */
static void
actor_subxact_callback(SubXactEvent event,
					   SubTransactionId my_subid,
					   SubTransactionId parent_subid,
					   void *arg)	/* NOLINT(misc-unused-parameters) */
{
	if (!statement_actor.set || my_subid != statement_actor.subid)
		return;
	if (event == SUBXACT_EVENT_ABORT_SUB)
		forget_statement_actor();
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
		statement_actor.subid = parent_subid;	/* its parent holds it now */
}

/* Registered once, from _PG_init. */
void
register_statement_actor_callbacks(void)
{
	RegisterXactCallback(actor_xact_callback, NULL);
	RegisterSubXactCallback(actor_subxact_callback, NULL);
}

/*
 * A role's name as the history writes it: as it is, unless it holds a
 * space, a parenthesis or a double quote, which could make it pass for a
 * name with its login (attack round 18 made a role "g (login m)"); then in
 * double quotes, its own doubled.  Not quote_identifier(): its result moves
 * with quote_all_identifiers and each major's keywords.
 */
static char *
recorded_role_name(Oid role)
{
	char	   *name = GetUserNameFromId(role, true);
	StringInfoData quoted;
	const char *c;

	if (name == NULL)
		return psprintf("(dropped role %u)", role);
	if (strpbrk(name, " ()\"") == NULL)
		return name;
	initStringInfo(&quoted);
	appendStringInfoChar(&quoted, '"');
	for (c = name; *c != '\0'; c++)
	{
		if (*c == '"')
			appendStringInfoChar(&quoted, '"');
		appendStringInfoChar(&quoted, *c);
	}
	appendStringInfoChar(&quoted, '"');
	return quoted.data;
}

/*
 * The database user recorded with an event: the role whose rights applied,
 * and the login that authenticated too when they differ (SET ROLE, or a
 * superuser's SET SESSION AUTHORIZATION), so a login acting as a group role
 * is still named (attack rounds 17 and 18).
 */
char *
current_db_user(void)
{
	Oid			role = GetUserId();
	Oid			login = GetAuthenticatedUserId();

	if (role == login)
		return recorded_role_name(role);
	return psprintf("%s (login %s)", recorded_role_name(role), recorded_role_name(login));
}

/*
 * accountability.current_recorder(): the same, for SQL: the default of
 * determinations.recorded_by, so that a value left out is the one the
 * trigger writes.
 */
PG_FUNCTION_INFO_V1(current_recorder);
Datum
current_recorder(PG_FUNCTION_ARGS)	/* NOLINT(misc-unused-parameters) */
{
	PG_RETURN_TEXT_P(cstring_to_text(current_db_user()));
}

/* accountability.actor, or NULL when the application did not set it. */
char *
current_actor(void)
{
	return (accountability_actor != NULL && accountability_actor[0] != '\0')
		? accountability_actor : NULL;
}

/*
 * New cases start in received with no history, unless this is an import
 * (accountability.import, an administrator's setting) or a restore (a
 * superuser or BYPASSRLS role loading rows whose history comes with them).
 */
static void
check_new_cases(Relation cases, bool importing)
{
	Datum		arg = BoolGetDatum(importing);
	bool		isnull;

	if (run_saved_plan(&find_irregular_new_case, RelationGetNamespace(cases),
					   &arg, NULL, true, 1) == 0)
		return;
	(void) spi_result_value(0, "maintained", TEXTOID, &isnull);
	if (!isnull)
		ereport(ERROR,
				(errcode(ERRCODE_GENERATED_ALWAYS),
				 errmsg("column \"%s\" of a case is maintained by the database",
						TextDatumGetCString(spi_result_value(0, "maintained", TEXTOID, &isnull))),
				 errdetail("Case %s was inserted with it set; the history columns (version, event_count, last_event_hash) and origin are the database's.",
						   DatumGetCString(DirectFunctionCall1(int8out,
															   spi_result_value(0, "case_id", INT8OID, &isnull)))),
				 errhint("Leave it out of the INSERT. A restore of a dump sets accountability.restore = on.")));
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("a new case must start in status received with no history"),
			 errdetail("Case %s was inserted with status %s and origin %s.",
					   DatumGetCString(DirectFunctionCall1(int8out,
														   spi_result_value(0, "case_id", INT8OID, &isnull))),
					   TextDatumGetCString(spi_result_value(0, "status", TEXTOID, &isnull)),
					   TextDatumGetCString(spi_result_value(0, "origin", TEXTOID, &isnull))),
			 errhint(importing
					 ? "In import mode every row must have origin imported, version 1 and no history columns set."
					 : "Register cases as received and move them with UPDATE ... SET status. To load historical cases in any status, an administrator sets accountability.import = on.")));
}

/* New cases carry no closing reason or finding before their status does. */
static void
check_new_case_columns(Relation cases, bool importing)
{
	Datum		arg = BoolGetDatum(importing);
	bool		isnull;

	if (run_saved_plan(&find_premature_new_case, RelationGetNamespace(cases),
					   &arg, NULL, true, 1) == 0)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("a new case in status %s cannot carry a %s",
					TextDatumGetCString(spi_result_value(0, "status", TEXTOID, &isnull)),
					TextDatumGetCString(spi_result_value(0, "column_name", TEXTOID, &isnull))),
			 errdetail("A closing reason is written with the move to closed, and a report's finding while it is unfounded (case %s).",
					   DatumGetCString(DirectFunctionCall1(int8out,
														   spi_result_value(0, "case_id", INT8OID, &isnull)))),
			 errhint("Register the case without it, and write it with the move that calls for it.")));
}

/* Register a tuplestore of events as the relation the INSERT reads. */
static void
register_events(const char *name, TupleDesc desc, Tuplestorestate *events,
				double count)
{
	EphemeralNamedRelation enr = palloc0(sizeof(EphemeralNamedRelationData));

	enr->md.name = pstrdup(name);
	enr->md.reliddesc = InvalidOid;
	enr->md.tupdesc = desc;
	enr->md.enrtype = ENR_NAMED_TUPLESTORE;
	enr->md.enrtuples = count;
	enr->reldata = events;
	if (SPI_register_relation(enr) != SPI_OK_REL_REGISTER)
		elog(ERROR, "could not register %s", name);
}

/*
 * The event about to be stored (values: the columns of collect_transition_
 * events below, who: when and by whom) must be the event the row trigger
 * hashed into the chain: a statement that changed accountability.actor or
 * the role between its row triggers and this one (a nested UPDATE of
 * cases in its RETURNING list, say) would store a history that no longer
 * verifies, a false tamper alarm.  It is refused instead.
 */
static void
check_stored_event(const CaseEvent *who, const Datum *values, const bool *nulls,
				   Datum prev_hash, bool prev_null)
{
	CaseEvent	event = *who;
	uint8		hash[EVENT_HASH_LEN];

	event.case_id = DatumGetInt64(values[0]);
	event.event_no = DatumGetInt32(values[1]);
	event.from_status = DatumGetCode(values[2]);
	event.to_status = DatumGetCode(values[3]);
	event.note = nulls[4] ? NULL : TextDatumGetCString(values[4]);
	case_event_hash(prev_null ? NULL : (const uint8 *) VARDATA_ANY(DatumGetByteaPP(prev_hash)),
					&event, hash);
	if (event.note != NULL)
		pfree((char *) event.note);	/* one a row: a million-row UPDATE */
	if (nulls[5] || VARSIZE_ANY_EXHDR(DatumGetByteaPP(values[5])) != EVENT_HASH_LEN ||
		memcmp(VARDATA_ANY(DatumGetByteaPP(values[5])), hash, EVENT_HASH_LEN) != 0)
		refuse_changed_actor(psprintf("case %lld would be recorded as moved by %s / %s, which its history did not hash",
									  (long long) event.case_id, event.db_user,
									  event.actor ? event.actor : "(none)"));
}

/*
 * The events of an UPDATE, read off its transition tables pair by pair.
 *
 * The trigger manager appends the old and the new version of each updated
 * row to old_rows and new_rows together, so the two tables line up row by
 * row, and the events (the pairs whose event count grew) need no join: at
 * a million rows, joining old_rows to new_rows on case_id sorted both to
 * disk and took about 40% of the trigger's time.  Returns the events
 * as a tuplestore shaped like the transition_events relation the INSERT
 * reads, or NULL when the pairs do not line up (a count or a case id
 * differs), and the caller then joins on case_id as before.
 */
#define EVENT_COLUMNS 6

static Tuplestorestate *
collect_transition_events(TriggerData *trigdata, const CaseEvent *who,
						  TupleDesc *events_desc, double *events)
{
	Relation	cases = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(cases);
	Tuplestorestate *old_rows = trigdata->tg_oldtable;
	Tuplestorestate *new_rows = trigdata->tg_newtable;
	static const char *const columns[EVENT_COLUMNS] = {
		"case_id", "event_count", "status", "status", "transition_note", "last_event_hash"
	};
	static const Oid types[EVENT_COLUMNS] = {
		INT8OID, INT4OID, InvalidOid, InvalidOid, TEXTOID, BYTEAOID
	};
	static const char *const names[EVENT_COLUMNS] = {
		"case_id", "event_no", "from_status", "to_status", "note", "hash"
	};
	AttrNumber	attnos[EVENT_COLUMNS];
	TupleDesc	tupdesc = CreateTemplateTupleDesc(EVENT_COLUMNS);
	TupleTableSlot *old_slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	TupleTableSlot *new_slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	Tuplestorestate *result = tuplestore_begin_heap(false, false, work_mem);
	bool		aligned = true;
	int			i;

	for (i = 0; i < EVENT_COLUMNS; i++)
	{
		Form_pg_attribute att;

		Oid			type = i == 2 || i == 3 ? extension_type_oid("case_status")
			: types[i];

		attnos[i] = (AttrNumber) column_number(cases, columns[i], type);
		att = TupleDescAttr(desc, attnos[i] - 1);
		TupleDescInitEntry(tupdesc, (AttrNumber) (i + 1), names[i], att->atttypid, att->atttypmod, 0);
	}

	/* Our own read pointers, as a NamedTuplestoreScan takes them. */
	tuplestore_select_read_pointer(old_rows,
								   tuplestore_alloc_read_pointer(old_rows, EXEC_FLAG_REWIND));
	tuplestore_rescan(old_rows);
	tuplestore_select_read_pointer(new_rows,
								   tuplestore_alloc_read_pointer(new_rows, EXEC_FLAG_REWIND));
	tuplestore_rescan(new_rows);

	*events = 0;
	for (;;)
	{
		bool		got_old = tuplestore_gettupleslot(old_rows, true, false, old_slot);
		bool		got_new = tuplestore_gettupleslot(new_rows, true, false, new_slot);
		Datum		values[EVENT_COLUMNS];
		bool		nulls[EVENT_COLUMNS];
		bool		old_null,
					new_null;
		Datum		old_value,
					new_value;

		CHECK_FOR_INTERRUPTS();
		if (got_old != got_new)
		{
			aligned = false;
			break;
		}
		if (!got_old)
			break;

		/* the same case (o.case_id = n.case_id) ... */
		old_value = slot_getattr(old_slot, attnos[0], &old_null);
		new_value = slot_getattr(new_slot, attnos[0], &new_null);
		if (old_null || new_null || DatumGetInt64(old_value) != DatumGetInt64(new_value))
		{
			aligned = false;
			break;
		}
		/* ... whose event count grew (n.event_count <> o.event_count) */
		old_value = slot_getattr(old_slot, attnos[1], &old_null);
		new_value = slot_getattr(new_slot, attnos[1], &new_null);
		if (old_null || new_null || DatumGetInt32(old_value) == DatumGetInt32(new_value))
			continue;

		for (i = 0; i < EVENT_COLUMNS; i++)
			values[i] = slot_getattr(i == 2 ? old_slot : new_slot, attnos[i], &nulls[i]);
		old_value = slot_getattr(old_slot, attnos[5], &old_null);
		check_stored_event(who, values, nulls, old_value, old_null);
		tuplestore_putvalues(result, tupdesc, values, nulls);
		*events += 1;
	}

	ExecDropSingleTupleTableSlot(old_slot);
	ExecDropSingleTupleTableSlot(new_slot);
	if (!aligned)
	{
		tuplestore_end(result);
		return NULL;
	}
	*events_desc = tupdesc;
	return result;
}

/* Append the events of an UPDATE's transitions to case_events. */
static void
write_update_events(TriggerData *trigdata, const CaseEvent *who,
					Datum *values, const char *nulls)
{
	Relation	cases = trigdata->tg_relation;
	TupleDesc	events_desc;
	double		count;
	Tuplestorestate *events = NULL;

	if (trigdata->tg_oldtable != NULL)
		events = collect_transition_events(trigdata, who, &events_desc, &count);
	if (events == NULL)
	{
		bool		isnull;

		if (run_saved_plan_as_owner(&find_unhashed_event, cases, values, nulls,
									true, 1) > 0)
			refuse_changed_actor(psprintf("case %s would be recorded as moved by %s / %s, which its history did not hash",
										  DatumGetCString(DirectFunctionCall1(int8out,
																			  spi_result_value(0, "case_id", INT8OID, &isnull))),
										  who->db_user, who->actor ? who->actor : "(none)"));
		run_saved_plan_as_owner(&write_transition_events, cases, values, nulls,
								false, 0);
		return;
	}
	register_events("transition_events", events_desc, events, count);
	run_saved_plan_as_owner(&write_collected_events, cases, values, nulls,
							false, 0);
	tuplestore_end(events);
}

/*
 * AFTER INSERT OR UPDATE ... FOR EACH STATEMENT on cases, with transition
 * tables old_rows/new_rows: checks new cases and appends one case_events
 * row per transition (or per imported case).
 */
PG_FUNCTION_INFO_V1(case_history_trigger);
Datum
case_history_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = trigger_data_checked(fcinfo, "case_history_trigger",
												 false, false);
	Relation	cases;
	Datum		values[3];
	char		nulls[3] = {' ', ' ', ' '};
	CaseEvent	who = {0};

	if (trigdata->tg_newtable == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("case_history_trigger needs REFERENCING NEW TABLE AS new_rows")));
	cases = trigdata->tg_relation;

	who.kind = "transition";
	who.occurred_at = GetCurrentTransactionStartTimestamp();
	who.db_user = current_db_user();
	who.actor = current_actor();
	/* the events of an UPDATE record exactly who the row trigger hashed */
	if (statement_actor.set && TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
	{
		who.db_user = pstrdup(statement_actor.db_user);
		who.actor = statement_actor.actor ? pstrdup(statement_actor.actor) : NULL;
	}
	forget_statement_actor();
	values[0] = TimestampTzGetDatum(who.occurred_at);
	values[1] = CStringGetTextDatum(who.db_user);
	values[2] = who.actor ? CStringGetTextDatum(who.actor) : (Datum) 0;
	nulls[2] = who.actor ? ' ' : 'n';

	SPI_connect();
	/* fails only without SPI_connect: GCOVR_EXCL_START */
	if (SPI_register_trigger_data(trigdata) != SPI_OK_TD_REGISTER)
		elog(ERROR, "could not register the transition tables");
	/* GCOVR_EXCL_STOP */

	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		write_update_events(trigdata, &who, values, nulls);
	else if (session_may_import())
	{
		check_new_cases(cases, true);
		check_new_case_columns(cases, true);
		check_false_accusation_links(cases, true);
		run_saved_plan_as_owner(&write_import_events, cases, values, nulls,
								false, 0);
	}
	else if (!session_may_restore())
	{
		check_new_cases(cases, false);
		check_new_case_columns(cases, false);
		check_false_accusation_links(cases, false);
	}

	SPI_finish();
	return PointerGetDatum(NULL);
}
