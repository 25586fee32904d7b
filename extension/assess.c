/*-------------------------------------------------------------------------
 *
 * assess.c
 *	  The SQL face of the tolerance decision procedure (容错认定), rules
 *	  version 1: accountability.assess_tolerance(facts jsonb),
 *	  facts_are_valid(facts) and tolerance_rules().
 *
 * The procedure itself, its rule table and the per-key validation of the
 * facts are pure C in rules.c (core.h), so they can be tested and fuzzed
 * without the server.  This file walks a jsonb facts object with its
 * iterator, hands each key and value to that validation, and turns a
 * refusal into 22023 with the message that names the key and what it
 * allows; it builds the composite result and lists the rule table.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "pg_accountability.h"

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

/* Refuse facts that are not a JSON object, saying what they are. */
static void
check_facts_are_object(Jsonb *facts)
{
	JsonbValue	scalar;
	const char *what = "array";

	if (JB_ROOT_IS_OBJECT(facts))
		return;
	if (JB_ROOT_IS_SCALAR(facts) && JsonbExtractScalar(&facts->root, &scalar))
		what = json_type_name(&scalar);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("tolerance facts must be a JSON object"),
			 errdetail("The facts given are a JSON %s.", what),
			 errhint("Write an object such as {\"situation\": \"reform_pilot\", \"consequence\": \"none\"}. The keys are %s.",
					 fact_keys_list())));
}

/* The fact a key names; an unknown key is refused with the known ones. */
static ToleranceFact
fact_from_key(const char *key, int len)
{
	int			fact = tolerance_fact_from_key(key, (size_t) len);

	if (fact < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown tolerance fact \"%s\"", pnstrdup(key, len)),
				 errdetail("The facts are %s.", fact_keys_list()),
				 errhint("Write the keys in lower case, exactly as listed.")));
	return (ToleranceFact) fact;
}

pg_noreturn static void report_wrong_type(const FactDefinition *definition,
										  const JsonbValue *value);

/* Refuse a value of the wrong JSON type, naming the key and the type. */
static void
report_wrong_type(const FactDefinition *definition, const JsonbValue *value)
{
	if (definition->kind == FACT_KIND_BOOLEAN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tolerance fact \"%s\" must be a JSON boolean",
						definition->key),
				 errdetail("The value given is a JSON %s. Allowed values are true and false.",
						   json_type_name(value)),
				 errhint("Leave the key out, or write null, when the fact is not known.")));
	else if (definition->kind == FACT_KIND_CHOICE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tolerance fact \"%s\" must be a JSON string",
						definition->key),
				 errdetail("The value given is a JSON %s. Allowed values are %s.",
						   json_type_name(value), fact_choices_list(definition)),
				 errhint("Leave the key out, or write null, when the fact is not known.")));
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tolerance fact \"%s\" must be a JSON string",
						definition->key),
				 errdetail("The value given is a JSON %s. A situation is a national code (%s) or the code of an item of the unit's tolerance list.",
						   json_type_name(value), fact_choices_list(definition)),
				 errhint("Leave the key out, or write null, when the situation is not known.")));
}

/*
 * Record one key's value in out through the pure validation, refusing
 * what it refuses with 22023 naming the key and what it allows.  A JSON
 * null leaves the fact absent.
 */
static void
set_fact(ToleranceFacts *out, ToleranceFact fact, const JsonbValue *jv)
{
	const FactDefinition *definition = &fact_definitions[fact];
	FactValue	value;

	fact_value_from_jsonb(jv, &value);
	switch (tolerance_fact_set(out, fact, &value))
	{
		case FACT_CHECK_OK:
			break;
			/* fact came from tolerance_fact_from_key: GCOVR_EXCL_START */
		case FACT_CHECK_NO_SUCH_FACT:
			elog(ERROR, "tolerance fact %d does not exist", (int) fact);
			break;
			/* GCOVR_EXCL_STOP */
		case FACT_CHECK_WRONG_TYPE:
			report_wrong_type(definition, jv);
			break;
		case FACT_CHECK_BAD_CHOICE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value \"%s\" for tolerance fact \"%s\"",
							pnstrdup(jv->val.string.val, jv->val.string.len),
							definition->key),
					 errdetail("Allowed values are %s.", fact_choices_list(definition)),
					 errhint("Write the value in lower case, exactly as listed.")));
			break;
	}
}

/*
 * Read a facts object into out, walking the jsonb once with its iterator
 * (no conversion to text) and validating each key and value with the pure
 * functions of rules.c.  Bad input is refused with 22023 naming the key
 * and what it allows.
 */
void
tolerance_facts_from_jsonb(Jsonb *facts, ToleranceFacts *out)
{
	JsonbIterator *it;
	JsonbValue	value;
	JsonbIteratorToken token;

	tolerance_facts_init(out);
	check_facts_are_object(facts);
	it = JsonbIteratorInit(&facts->root);
	while ((token = JsonbIteratorNext(&it, &value, true)) != WJB_DONE)
	{
		ToleranceFact fact;

		if (token != WJB_KEY)
			continue;			/* the object's begin and end */
		fact = fact_from_key(value.val.string.val, value.val.string.len);
		token = JsonbIteratorNext(&it, &value, true);
		if (token != WJB_VALUE)	/* a key is always followed by its value */
			elog(ERROR, "unexpected jsonb token %d after a key", (int) token); /* GCOVR_EXCL_LINE */
		set_fact(out, fact, &value);
	}
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
