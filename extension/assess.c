/*-------------------------------------------------------------------------
 *
 * assess.c
 *	  The SQL face of the tolerance decision procedure (容错认定), rules
 *	  version 1: accountability.assess_tolerance(facts jsonb),
 *	  facts_are_valid(facts), check_situation_code(code, column) and
 *	  tolerance_rules().
 *
 * The procedure itself, its rule table and the per-key validation of the
 * facts are pure C in rules.c (core.h), so they can be tested and fuzzed
 * without the server.  This file walks a jsonb facts object with its
 * iterator, hands each key and value to that validation, and turns a
 * refusal into 22023 (22001 for a situation longer than a code) with the
 * message that names the key and what it allows; it builds the composite
 * result and lists the rule table.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "pg_accountability.h"
#include "support/support.h"

/*
 * A value as the jsonb iterator returns it (nested containers unexpanded),
 * described for the pure validation: type, and the boolean or the string
 * bytes, which stay inside the jsonb.
 */
static void
fact_value_from_jsonb(const JsonbValue *jv, FactValue *value)
{
	memset(value, 0, sizeof(*value));
	switch (jv->type)
	{
		case jbvNull:
			value->type = FACT_VALUE_NULL;
			break;
		case jbvBool:
			value->type = FACT_VALUE_BOOLEAN;
			value->boolean = jv->val.boolean;
			break;
		case jbvString:
			value->type = FACT_VALUE_STRING;
			value->string = jv->val.string.val;
			value->len = (size_t) jv->val.string.len;
			break;
		case jbvNumeric:
			value->type = FACT_VALUE_NUMBER;
			break;
		case jbvBinary:
			value->type = JsonContainerIsObject(jv->val.binary.data) ?
				FACT_VALUE_OBJECT : FACT_VALUE_ARRAY;
			break;
			/* no other type is stored in a jsonb: GCOVR_EXCL_START */
		default:
			value->type = FACT_VALUE_OTHER;
			break;
			/* GCOVR_EXCL_STOP */
	}
}

/* The JSON type of a value, as messages name it. */
static const char *
json_type_name(const JsonbValue *jv)
{
	FactValue	value;

	fact_value_from_jsonb(jv, &value);
	return fact_value_type_name(value.type);
}

/* "situation, situation_listed, ..." for the detail of an unknown key. */
static char *
fact_keys_list(void)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < TOLERANCE_FACT_COUNT; i++)
		appendStringInfo(&buf, "%s%s", i > 0 ? ", " : "", fact_definitions[i].key);
	return buf.data;
}

/* "\"none\", \"minor\", ..." for the detail of a refused value. */
static char *
fact_choices_list(const FactDefinition *definition)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < definition->nchoices; i++)
		appendStringInfo(&buf, "%s\"%s\"", i > 0 ? ", " : "",
						 definition->choices[i]);
	return buf.data;
}

/* What reading a facts object found wrong first, if anything. */
typedef enum FactsFaultKind
{
	FACTS_FAULT_NONE,
	FACTS_FAULT_NOT_OBJECT,		/* the root is an array or a scalar */
	FACTS_FAULT_UNKNOWN_KEY,
	FACTS_FAULT_WRONG_TYPE,		/* not the key's JSON type */
	FACTS_FAULT_BAD_CHOICE,		/* a string outside a closed list */
	FACTS_FAULT_TOO_LONG		/* a situation longer than a code */
} FactsFaultKind;

typedef struct FactsFault
{
	FactsFaultKind kind;
	const FactDefinition *definition;	/* the fact, for a value's fault */
	const char *what;			/* the JSON type of the value or the root */
	const char *text;			/* the unknown key, or the refused string */
	int			len;
} FactsFault;

/*
 * Find the first fault of a facts object, or return false when it is
 * valid: out then holds the facts.  One walk with the jsonb iterator (no
 * conversion to text), each key and value judged by the pure functions of
 * rules.c.
 */
static bool
find_facts_fault(Jsonb *facts, ToleranceFacts *out, FactsFault *fault)
{
	JsonbIterator *it;
	JsonbValue	value;
	JsonbIteratorToken token;

	memset(fault, 0, sizeof(*fault));
	tolerance_facts_init(out);
	if (!JB_ROOT_IS_OBJECT(facts))
	{
		fault->kind = FACTS_FAULT_NOT_OBJECT;
		fault->what = "array";
		if (JB_ROOT_IS_SCALAR(facts) && JsonbExtractScalar(&facts->root, &value))
			fault->what = json_type_name(&value);
		return true;
	}
	it = JsonbIteratorInit(&facts->root);
	while ((token = JsonbIteratorNext(&it, &value, true)) != WJB_DONE)
	{
		int			fact;
		FactValue	fact_value;

		if (token != WJB_KEY)
			continue;			/* the object's begin and end */
		fact = tolerance_fact_from_key(value.val.string.val, (size_t) value.val.string.len);
		if (fact < 0)
		{
			fault->kind = FACTS_FAULT_UNKNOWN_KEY;
			fault->text = value.val.string.val;
			fault->len = value.val.string.len;
			return true;
		}
		token = JsonbIteratorNext(&it, &value, true);
		if (token != WJB_VALUE)	/* a key is always followed by its value */
			elog(ERROR, "unexpected jsonb token %d after a key", (int) token); /* GCOVR_EXCL_LINE */
		fact_value_from_jsonb(&value, &fact_value);
		fault->definition = &fact_definitions[fact];
		fault->what = fact_value_type_name(fact_value.type);
		fault->text = fact_value.string;
		fault->len = (int) fact_value.len;
		switch (tolerance_fact_set(out, (ToleranceFact) fact, &fact_value))
		{
			case FACT_CHECK_OK:
				break;
				/* fact came from tolerance_fact_from_key: GCOVR_EXCL_START */
			case FACT_CHECK_NO_SUCH_FACT:
				elog(ERROR, "tolerance fact %d does not exist", fact);
				break;
				/* GCOVR_EXCL_STOP */
			case FACT_CHECK_WRONG_TYPE:
				fault->kind = FACTS_FAULT_WRONG_TYPE;
				return true;
			case FACT_CHECK_BAD_CHOICE:
				fault->kind = FACTS_FAULT_BAD_CHOICE;
				return true;
			case FACT_CHECK_TOO_LONG:
				fault->kind = FACTS_FAULT_TOO_LONG;
				return true;
		}
	}
	fault->kind = FACTS_FAULT_NONE;
	return false;
}

/* The message of a fault: the one wording of the error and of a problem. */
static char *
fault_message(const FactsFault *fault)
{
	switch (fault->kind)
	{
		case FACTS_FAULT_NOT_OBJECT:
			return pstrdup("tolerance facts must be a JSON object");
		case FACTS_FAULT_UNKNOWN_KEY:
			return psprintf("unknown tolerance fact \"%s\"", input_excerpt(fault->text, fault->len));
		case FACTS_FAULT_WRONG_TYPE:
			return psprintf("tolerance fact \"%s\" must be a JSON %s", fault->definition->key,
							fault->definition->kind == FACT_KIND_BOOLEAN ? "boolean" : "string");
		case FACTS_FAULT_BAD_CHOICE:
			return psprintf("invalid value \"%s\" for tolerance fact \"%s\"",
							input_excerpt(fault->text, fault->len), fault->definition->key);
		case FACTS_FAULT_TOO_LONG:
			return psprintf("tolerance fact \"%s\" is too long", fault->definition->key);
		case FACTS_FAULT_NONE:
			break;
	}
	return NULL;
}

pg_noreturn static void report_fault(const FactsFault *fault);

/*
 * Refuse facts with their fault: 22023 naming the key and what it allows
 * (22001 for a situation longer than a code), with a detail and a hint.
 */
static void
report_fault(const FactsFault *fault)
{
	const FactDefinition *definition = fault->definition;
	char	   *message = fault_message(fault);

	switch (fault->kind)
	{
		case FACTS_FAULT_NOT_OBJECT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s", message),
					 errdetail("The facts given are a JSON %s.", fault->what),
					 errhint("Write an object such as {\"situation\": \"reform_pilot\", \"consequence\": \"none\"}. The keys are %s.",
							 fact_keys_list())));
			break;
		case FACTS_FAULT_UNKNOWN_KEY:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s", message),
					 errdetail("The facts are %s.", fact_keys_list()),
					 errhint("Write the keys in lower case, exactly as listed.")));
			break;
		case FACTS_FAULT_WRONG_TYPE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s", message),
					 definition->kind == FACT_KIND_BOOLEAN ?
					 errdetail("The value given is a JSON %s. Allowed values are true and false.", fault->what) :
					 definition->kind == FACT_KIND_CHOICE ?
					 errdetail("The value given is a JSON %s. Allowed values are %s.",
							   fault->what, fact_choices_list(definition)) :
					 errdetail("The value given is a JSON %s. A situation is a national code (%s) or the code of an item of the unit's tolerance list.",
							   fault->what, fact_choices_list(definition)),
					 errhint("Leave the key out, or write null, when the %s is not known.",
							 definition->kind == FACT_KIND_OPEN_CHOICE ? "situation" : "fact")));
			break;
		case FACTS_FAULT_BAD_CHOICE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s", message),
					 errdetail("Allowed values are %s.", fact_choices_list(definition)),
					 errhint("Write the value in lower case, exactly as listed.")));
			break;
		case FACTS_FAULT_TOO_LONG:
			ereport(ERROR,
					(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
					 errmsg("%s", message),
					 errdetail("It is %d bytes; a situation is a national code or a tolerance-list item's code of at most %d bytes.",
							   fault->len, TOLERANCE_SITUATION_MAX_BYTES),
					 errhint("Write the item's code, and its description in the tolerance list.")));
			break;
		case FACTS_FAULT_NONE:
			break;
	}
	elog(ERROR, "facts fault %d has no report", (int) fault->kind); /* GCOVR_EXCL_LINE */
}

/*
 * Read a facts object into out, refusing bad input with the error that
 * names the key and what it allows.
 */
void
tolerance_facts_from_jsonb(Jsonb *facts, ToleranceFacts *out)
{
	FactsFault	fault;

	if (find_facts_fault(facts, out, &fault))
		report_fault(&fault);
}

/*
 * The same reading for a judge of recorded rows (verify_ledger()): the
 * message of the first fault, or NULL when the facts are valid.  Never
 * raises for bad facts, so one forged row cannot stop a verification.
 */
char *
tolerance_facts_problem(Jsonb *facts, ToleranceFacts *out)
{
	FactsFault	fault;

	if (find_facts_fault(facts, out, &fault))
		return fault_message(&fault);
	return NULL;
}

/*
 * A tolerance_assessment datum of the given row type (blessed): the
 * outcome and the reason codes as text[].
 */
Datum
tolerance_assessment_form(TupleDesc tupdesc, ToleranceOutcome outcome,
						  const ToleranceReasons *reasons)
{
	Datum		codes[TOLERANCE_MAX_REASONS];
	Datum		values[2];
	bool		nulls[2] = {false, false};
	int			i;

	for (i = 0; i < reasons->count; i++)
		codes[i] = CStringGetTextDatum(tolerance_rule_table[reasons->rule[i]].code);
	values[0] = CodeGetDatum(outcome);
	values[1] = PointerGetDatum(construct_array(codes, reasons->count, TEXTOID,
												-1, false, TYPALIGN_INT));
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/*
 * The function's composite result type, looked up and blessed on the first
 * call and kept for the rest of the query.
 */
static TupleDesc
assessment_tupdesc(FunctionCallInfo fcinfo)
{
	TupleDesc	tupdesc = (TupleDesc) fcinfo->flinfo->fn_extra;

	if (tupdesc == NULL)
	{
		MemoryContext oldcontext = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type of assess_tolerance must be a row type");
		tupdesc = BlessTupleDesc(tupdesc);
		MemoryContextSwitchTo(oldcontext);
		fcinfo->flinfo->fn_extra = tupdesc;
	}
	return tupdesc;
}

/*
 * accountability.assess_tolerance(facts): read, decide, and return the
 * outcome with the reasons that explain it.
 */
PG_FUNCTION_INFO_V1(tolerance_assess);
Datum
tolerance_assess(PG_FUNCTION_ARGS)
{
	Jsonb	   *facts = PG_GETARG_JSONB_P(0);
	ToleranceFacts parsed;
	ToleranceReasons reasons;
	ToleranceOutcome outcome;

	tolerance_facts_from_jsonb(facts, &parsed);
	outcome = tolerance_decide(&parsed, &reasons);
	PG_RETURN_DATUM(tolerance_assessment_form(assessment_tupdesc(fcinfo),
											  outcome, &reasons));
}

/*
 * accountability.facts_are_valid(facts): true, or the same 22023 error as
 * assess_tolerance, so a CHECK constraint validates with the same code.
 */
PG_FUNCTION_INFO_V1(tolerance_facts_are_valid);
Datum
tolerance_facts_are_valid(PG_FUNCTION_ARGS)
{
	ToleranceFacts parsed;

	tolerance_facts_from_jsonb(PG_GETARG_JSONB_P(0), &parsed);
	PG_RETURN_BOOL(true);
}

/* A code read as a case's situation fact would read it, into facts. */
static FactCheck
situation_fact(text *code, ToleranceFacts *facts)
{
	FactValue	value;

	value.type = FACT_VALUE_STRING;
	value.boolean = false;
	value.string = VARDATA_ANY(code);
	value.len = VARSIZE_ANY_EXHDR(code);
	tolerance_facts_init(facts);
	return tolerance_fact_set(facts, FACT_SITUATION, &value);
}

/*
 * accountability.check_situation_code(code, column): a tolerance-list
 * item's code is what a case's situation fact names, so the fact's own
 * validation bounds it; the refusal names the column, not the fact.
 */
PG_FUNCTION_INFO_V1(check_situation_code);
Datum
check_situation_code(PG_FUNCTION_ARGS)
{
	text	   *code = PG_GETARG_TEXT_PP(0);
	char	   *column = text_to_cstring(PG_GETARG_TEXT_PP(1));
	ToleranceFacts facts;

	if (situation_fact(code, &facts) == FACT_CHECK_TOO_LONG)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("%s is too long for a situation code", column),
				 errdetail("It is %zu bytes; a tolerance-list item's code is named by a case's situation fact, of at most %d bytes.",
						   (size_t) VARSIZE_ANY_EXHDR(code), TOLERANCE_SITUATION_MAX_BYTES),
				 errhint("Write a short code, and the situation itself in the item's description.")));
	refuse_untrimmed_code(code, column,
						  "A case names a tolerance-list item by its exact code in its situation fact.");
	PG_RETURN_BOOL(true);
}

/*
 * A case's situation names a national situation or an item of a tolerance
 * list that applies to the case's unit (its own or one above it).  Any other
 * text, "REFORM_PILOT" or " reform_pilot", would be assessed as no situation
 * at all (NO_SITUATION), silently against the cadre: it is refused instead.
 */
static SavedPlan situation_in_lists = {
	"SELECT 1 FROM {schema}.tolerance_list_items i"
	" JOIN {schema}.unit_ancestors a ON a.ancestor_id OPERATOR(pg_catalog.=) i.unit_id"
	" WHERE a.unit_id OPERATOR(pg_catalog.=) $1 AND i.code OPERATOR(pg_catalog.=) $2"
	" LIMIT 1",
	2, {INT8OID, TEXTOID}, NULL
};

/*
 * Whether any list at all holds the code: a case whose facts change and
 * whose situation does not keeps it even where its unit has since moved
 * away from that list, but not a code no list has ever held (1.0 took
 * any text, and "REFORM_PILOT" was assessed as no situation for good).
 */
static SavedPlan situation_in_any_list = {
	"SELECT 1 FROM {schema}.tolerance_list_items i WHERE i.code OPERATOR(pg_catalog.=) $1 LIMIT 1",
	1, {TEXTOID}, NULL
};

/*
 * The lock of one code of the tolerance lists, in the extension's own lock
 * class: a case that names a listed code (situation_guard), and a
 * determination of a case naming any code, national ones included, and a
 * move that needs one hold it shared to the commit, and writing an item of
 * the code (inserting it, changing its polarity or days, deleting it) takes
 * it exclusively, so the writer waits for those and then sees them (or is
 * waited for and seen), and cases naming other codes never wait.  Not a
 * row lock on the item: that stamped the item's xmax for
 * good, and any role reading the lists learnt which situation another
 * county's hidden case had just named (attack round 14).  The key is a
 * hash of the code; pg_locks, which shows it, is not PUBLIC's in this
 * database (80_scope.sql), since its re-attack computed it from the code.
 * (One key for all codes, tried in between, made one idle clerk stall a
 * deletion and, behind it, every county's writes.)
 */
static int64
list_code_lock_key(const char *code)
{
	char	   *key = psprintf("pg_accountability.list_item:%s", code);

	return (int64) DatumGetUInt64(hash_any_extended((const unsigned char *) key, (int) strlen(key), 0));
}

/* The situation a facts datum names, or NULL for none or a national one. */
static text *
listed_situation(Datum facts)
{
	ToleranceFacts parsed;

	tolerance_facts_from_jsonb(DatumGetJsonbP(facts), &parsed);
	if (parsed.value[FACT_SITUATION] != SITUATION_OTHER)
		return NULL;
	return cstring_to_text_with_len(parsed.situation, (int) parsed.situation_len);
}

/*
 * Hold the lock of the list code the facts name, shared, to the commit: a
 * determination judges the lists so, and an item of the code written
 * meanwhile (which takes it exclusively) is waited for and then seen, so
 * the ledger orders the two as they happened (attack round 21).  A national
 * situation's code too: case_facts() matches an item coded so as well.
 */
void
hold_listed_situation_shared(Datum facts)
{
	ToleranceFacts parsed;

	/* facts that are no facts name no code: whoever reads them refuses them */
	if (tolerance_facts_problem(DatumGetJsonbP(facts), &parsed) != NULL ||
		parsed.situation == NULL)
		return;
	lock_private_key_shared(list_code_lock_key(pnstrdup(parsed.situation, parsed.situation_len)));
}

/*
 * accountability.listed_situation(facts): the situation a case's facts
 * name when it is a tolerance-list item's code, not a national one; the
 * guard's reading, for verify_ledger() to judge the rows again.
 */
PG_FUNCTION_INFO_V1(listed_situation_code);
Datum
listed_situation_code(PG_FUNCTION_ARGS)
{
	text	   *situation = listed_situation(PG_GETARG_DATUM(0));

	if (situation == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(situation);
}

/*
 * The lock of a cadre's cases' situations: a change of the situation of
 * any case of the cadre takes it exclusively, and a determination of one of
 * them holds it shared while case_facts() reads the others, so the ledger
 * orders the two as they happened and verify_ledger() step 3d can judge a
 * repeated error by each other case's latest situation (the review of
 * attack round 24's fix).  Cadres share CADRE_SITUATION_BUCKETS keys, so
 * an UPDATE that recodes thousands of cadres' cases holds at most that
 * many locks, not one per cadre, and never overflows the lock table; but
 * it holds them to its commit, so determinations of cadres in those
 * buckets wait for it, and one on a case it reaches later deadlocks with
 * it (40P01): recode cases in transactions of their own (README).
 */
#define CADRE_SITUATION_BUCKETS 128

static int64
cadre_situations_lock_key(int64 subject_id)
{
	char	   *key = psprintf("pg_accountability.cadre_situations:%d",
							   (int) ((uint64) subject_id % CADRE_SITUATION_BUCKETS));

	return (int64) DatumGetUInt64(hash_any_extended((const unsigned char *) key, (int) strlen(key), 0));
}

/* Hold the cadre's situations to the commit: shared to read, else to change. */
void
hold_cadre_situations(int64 subject_id, bool shared)
{
	if (shared)
		lock_private_key_shared(cadre_situations_lock_key(subject_id));
	else
		lock_private_key(cadre_situations_lock_key(subject_id));
}

/*
 * The situation a facts datum holds as written, national or listed, or
 * NULL: another case's judgment reads it so (case_facts()'s repeated error
 * compares the situations of a cadre's cases as text).
 */
static text *
written_situation(Datum facts, bool isnull)
{
	Jsonb	   *jb;
	JsonbValue	key;
	JsonbValue *value;

	if (isnull)
		return NULL;
	jb = DatumGetJsonbP(facts);
	if (!JB_ROOT_IS_OBJECT(jb))
		return NULL;
	key.type = jbvString;
	key.val.string.val = "situation";
	key.val.string.len = strlen("situation");
	value = findJsonbValueFromContainer(&jb->root, JB_FOBJECT, &key);
	if (value == NULL || value->type != jbvString)
		return NULL;
	return cstring_to_text_with_len(value->val.string.val, value->val.string.len);
}

/* Does an UPDATE change the situation the facts hold as written? */
static bool
situation_changes(Datum old_facts, bool old_null, Datum new_facts, bool new_null)
{
	text	   *before = written_situation(old_facts, old_null);
	text	   *after = written_situation(new_facts, new_null);

	if (before == NULL || after == NULL)
		return before != after;
	return VARSIZE_ANY_EXHDR(before) != VARSIZE_ANY_EXHDR(after) ||
		memcmp(VARDATA_ANY(before), VARDATA_ANY(after), VARSIZE_ANY_EXHDR(after)) != 0;
}

enum
{
	SITUATION_FACTS, SITUATION_UNIT, SITUATION_SUBJECT, NUM_SITUATION_COLUMNS
};
static const ColumnSpec situation_columns[NUM_SITUATION_COLUMNS] = {
	{"facts", JSONBOID, NULL}, {"unit_id", INT8OID, NULL}, {"subject_id", INT8OID, NULL}
};
static ColumnLookup situation_column_cache;

/*
 * accountability.situation_guard(): BEFORE INSERT OR UPDATE OF facts ON
 * cases, FOR EACH ROW.  A restore writes rows as they were dumped; every
 * other write, import included, names a situation the lists know.
 */
PG_FUNCTION_INFO_V1(situation_guard);
Datum
situation_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = trigger_data_checked(fcinfo, "situation_guard", true, true);
	Relation	rel = trigdata->tg_relation;
	HeapTuple	row = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? trigdata->tg_newtuple : trigdata->tg_trigtuple;
	AttrNumber	attnos[NUM_SITUATION_COLUMNS];
	Datum		facts;
	Datum		args[2];
	bool		isnull;
	text	   *situation;
	uint64		found;

	if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event) || TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("situation_guard must be fired BEFORE INSERT OR UPDATE")));
	lookup_columns(rel, situation_columns, NUM_SITUATION_COLUMNS, &situation_column_cache, attnos);
	facts = heap_getattr(row, attnos[SITUATION_FACTS], RelationGetDescr(rel), &isnull);
	if (session_may_restore())
		return PointerGetDatum(row);
	/* the situation changed: wait for the cadre's open determinations, or be waited for */
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
	{
		bool		old_null;
		bool		no_subject;
		Datum		old_facts = heap_getattr(trigdata->tg_trigtuple, attnos[SITUATION_FACTS],
											 RelationGetDescr(rel), &old_null);
		Datum		subject = heap_getattr(row, attnos[SITUATION_SUBJECT],
										   RelationGetDescr(rel), &no_subject);

		if (!no_subject && situation_changes(old_facts, old_null, facts, isnull))
			hold_cadre_situations(DatumGetInt64(subject), false);
	}
	if (isnull)
		return PointerGetDatum(row);
	situation = listed_situation(facts);
	if (situation == NULL)
		return PointerGetDatum(row);
	/* facts changed, the situation kept: it was judged when it was written */
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
	{
		Datum		old_facts = heap_getattr(trigdata->tg_trigtuple, attnos[SITUATION_FACTS],
											 RelationGetDescr(rel), &isnull);
		text	   *old_situation = isnull ? NULL : listed_situation(old_facts);

		if (old_situation != NULL &&
			VARSIZE_ANY_EXHDR(old_situation) == VARSIZE_ANY_EXHDR(situation) &&
			memcmp(VARDATA_ANY(old_situation), VARDATA_ANY(situation), VARSIZE_ANY_EXHDR(situation)) == 0)
		{
			Datum		code = PointerGetDatum(situation);

			SPI_connect();
			found = run_saved_plan_as_owner(&situation_in_any_list, rel, &code, NULL, true, 1);
			SPI_finish();
			if (found > 0)
				return PointerGetDatum(row);
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("situation \"%s\" is not a tolerance situation",
							text_to_cstring(situation)),
					 errdetail("No tolerance list holds this code, and it is no national code (%s): the case was recorded before 1.1, which took any text, and it is assessed as having no situation at all.",
							   fact_choices_list(&fact_definitions[FACT_SITUATION])),
					 errhint("Correct the situation in the same UPDATE of the facts.")));
		}
	}

	args[0] = heap_getattr(row, attnos[SITUATION_UNIT], RelationGetDescr(rel), &isnull);
	if (isnull)
		report_null_column(rel, "unit_id");
	args[1] = PointerGetDatum(situation);
	lock_private_key_shared(list_code_lock_key(text_to_cstring(situation)));
	SPI_connect();
	/* the latest snapshot: an item deleted by a deleter this waited for is gone */
	found = run_saved_plan_latest_as_owner(&situation_in_lists, rel, args, NULL, true, 1);
	SPI_finish();
	if (found == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("situation \"%s\" is not a tolerance situation",
						text_to_cstring(situation)),
				 errdetail("A situation is a national code (%s), written exactly so, or the code of an item of a tolerance list of the case's unit or a unit above it; anything else would be assessed as no situation at all.",
						   fact_choices_list(&fact_definitions[FACT_SITUATION])),
				 errhint("Correct the code, or have an administrator add the item to the unit's tolerance list (tolerance_list_items) first.")));
	return PointerGetDatum(row);
}

/*
 * A list item a case names stays: deleting it would turn that case's
 * situation into one no list knows, and change how it is assessed from
 * then on.  An item is withdrawn with valid_to instead.  The check runs
 * under the latest snapshot: a case registered while this waited for the
 * code's lock (situation_guard holds it shared) is seen.
 */
static SavedPlan item_named_by_a_case = {
	"SELECT 1 FROM {schema}.cases c"
	" JOIN {schema}.unit_ancestors a ON a.unit_id OPERATOR(pg_catalog.=) c.unit_id"
	" WHERE a.ancestor_id OPERATOR(pg_catalog.=) $1"
	" AND (c.facts OPERATOR(pg_catalog.->>) 'situation') OPERATOR(pg_catalog.=) $2"
	/* another item of the code that applies to the case's unit stays */
	" AND NOT EXISTS (SELECT 1 FROM {schema}.tolerance_list_items i"
	"  JOIN {schema}.unit_ancestors b ON b.ancestor_id OPERATOR(pg_catalog.=) i.unit_id"
	"  WHERE b.unit_id OPERATOR(pg_catalog.=) c.unit_id AND i.code OPERATOR(pg_catalog.=) $2"
	"  AND NOT (i.unit_id OPERATOR(pg_catalog.=) $1 AND i.valid_from OPERATOR(pg_catalog.=) $3))"
	/*
	 * and any case, wherever its unit now is, whose code no other item would
	 * hold: a county moved to another city keeps naming its old city's
	 * items, and verify_ledger() asks that some list hold each named code
	 */
	" UNION ALL SELECT 1 FROM {schema}.cases c"
	" WHERE (c.facts OPERATOR(pg_catalog.->>) 'situation') OPERATOR(pg_catalog.=) $2"
	" AND NOT EXISTS (SELECT 1 FROM {schema}.tolerance_list_items i"
	"  WHERE i.code OPERATOR(pg_catalog.=) $2"
	"  AND NOT (i.unit_id OPERATOR(pg_catalog.=) $1 AND i.valid_from OPERATOR(pg_catalog.=) $3))"
	" LIMIT 1",
	3, {INT8OID, TEXTOID, DATEOID}, NULL
};

enum
{
	ITEM_UNIT, ITEM_CODE, ITEM_VALID_FROM, NUM_ITEM_COLUMNS
};
static const ColumnSpec item_columns[NUM_ITEM_COLUMNS] = {
	{"unit_id", INT8OID, NULL}, {"code", TEXTOID, NULL}, {"valid_from", DATEOID, NULL}
};
static ColumnLookup item_column_cache;

/* What an item gives a case: its polarity and the days it is in force. */
enum
{
	RULE_POLARITY, RULE_VALID_FROM, RULE_VALID_TO, NUM_RULE_COLUMNS
};
static const ColumnSpec item_rule_columns[NUM_RULE_COLUMNS] = {
	{"polarity", TEXTOID, NULL}, {"valid_from", DATEOID, NULL}, {"valid_to", DATEOID, NULL}
};
static ColumnLookup item_rule_column_cache;

/*
 * Does an update change what the item gives a case?  (Its unit and code
 * never change: the write model.)  A text corrected changes nothing a
 * determination judged.
 */
static bool
item_rule_changes(TriggerData *trigdata)
{
	AttrNumber	attnos[NUM_RULE_COLUMNS];
	int			i;

	lookup_columns(trigdata->tg_relation, item_rule_columns, NUM_RULE_COLUMNS,
				   &item_rule_column_cache, attnos);
	for (i = 0; i < NUM_RULE_COLUMNS; i++)
		if (trigger_column_changed(trigdata, attnos[i]))
			return true;
	return false;
}

/*
 * An item written (inserted, changed or withdrawn) holds its code's lock
 * exclusively to the commit: a determination judging a case of that code
 * waits for it and then sees it, or is waited for, and the ledger numbers
 * the two in that order (attack round 21: an item committed after a
 * determination that did not see it, but numbered before it, made
 * verify_ledger() report the determination for good).
 */
static void
hold_written_item_code(Relation rel, HeapTuple row)
{
	AttrNumber	attnos[NUM_ITEM_COLUMNS];
	Datum		code;
	bool		isnull;

	lookup_columns(rel, item_columns, NUM_ITEM_COLUMNS, &item_column_cache, attnos);
	code = heap_getattr(row, attnos[ITEM_CODE], RelationGetDescr(rel), &isnull);
	if (!isnull)
		lock_private_key(list_code_lock_key(TextDatumGetCString(code)));
}

/*
 * accountability.situation_item_guard(): BEFORE INSERT OR UPDATE OR DELETE
 * ON tolerance_list_items, FOR EACH ROW.  A restore writes and clears a
 * failed attempt freely.
 */
PG_FUNCTION_INFO_V1(situation_item_guard);
Datum
situation_item_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = trigger_data_checked(fcinfo, "situation_item_guard", true, true);
	Relation	rel = trigdata->tg_relation;
	HeapTuple	row = trigdata->tg_trigtuple;
	AttrNumber	attnos[NUM_ITEM_COLUMNS];
	Datum		args[NUM_ITEM_COLUMNS];
	bool		isnull;
	int			i;
	uint64		named;

	if (session_may_restore())
		return PointerGetDatum(TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? trigdata->tg_newtuple : row);
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		hold_written_item_code(rel, row);
		return PointerGetDatum(row);
	}
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
	{
		/* a change that leaves what the item gives alone (its text) waits for no case */
		if (item_rule_changes(trigdata))
			hold_written_item_code(rel, trigdata->tg_newtuple);
		return PointerGetDatum(trigdata->tg_newtuple);
	}
	lookup_columns(rel, item_columns, NUM_ITEM_COLUMNS, &item_column_cache, attnos);
	for (i = 0; i < NUM_ITEM_COLUMNS; i++)
	{
		args[i] = heap_getattr(row, attnos[i], RelationGetDescr(rel), &isnull);
		if (isnull)
			return PointerGetDatum(row);	/* NOT NULL columns: never */
	}
	/*
	 * Deleters of one code take turns (two sessions deleting its two
	 * versions would each see the other's stay), and wait for the cases
	 * naming it that are still being written; the check sees what this
	 * statement has deleted already.
	 */
	lock_private_key(list_code_lock_key(TextDatumGetCString(args[ITEM_CODE])));
	/* an item coded as a national situation is named by no case: that is the national one */
	{
		ToleranceFacts facts;

		if (situation_fact(DatumGetTextPP(args[ITEM_CODE]), &facts) == FACT_CHECK_OK &&
			facts.value[FACT_SITUATION] != SITUATION_OTHER)
			return PointerGetDatum(row);
	}
	SPI_connect();
	named = run_saved_plan_latest_as_owner(&item_named_by_a_case, rel, args, NULL, true, 1);
	SPI_finish();
	if (named > 0)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("tolerance-list item \"%s\" is named by a case", TextDatumGetCString(args[ITEM_CODE])),
				 errdetail("A case of the unit or a unit below it names this item as its situation; without the item, that situation would be one no list knows."),
				 errhint("Withdraw the item instead: UPDATE tolerance_list_items SET valid_to = the last day it applies.")));
	return PointerGetDatum(row);
}

/* A UTF-8 string of the rule table as text in the database encoding. */
static Datum
utf8_text_datum(const char *utf8)
{
	return CStringGetTextDatum(pg_any_to_server(utf8, (int) strlen(utf8), PG_UTF8));
}

/*
 * accountability.tolerance_rules(): the rule table, one row per reason
 * code in the order rules are applied, so any reason can be explained.
 */
PG_FUNCTION_INFO_V1(tolerance_rules);
Datum
tolerance_rules(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < TOLERANCE_RULE_COUNT; i++)
	{
		const ToleranceRuleInfo *rule = &tolerance_rule_table[i];
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};

		values[0] = CStringGetTextDatum(rule->code);
		values[1] = Int32GetDatum(rule->step);
		values[2] = utf8_text_datum(rule->en);
		values[3] = utf8_text_datum(rule->zh);
		values[4] = utf8_text_datum(rule->source);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
