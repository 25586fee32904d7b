/*
 * Harness: the facts validation and the decision procedure
 * (tolerance_fact_from_key, tolerance_fact_set, tolerance_decide).
 *
 * The input is a facts object in a small line format that this harness
 * parses itself, the way assess.c's jsonb walk does (key by key, stopping
 * at the first refusal):
 *
 *	situation=reform_pilot          an unquoted value is a string
 *	situation_listed=true           true and false are booleans
 *	consequence="none"              a quoted string (up to the next quote)
 *	diligent=null                   null (also a line without '=')
 *	cooperated=1 / ={...} / =[...]  a number, an object, an array
 *
 * Each key and string is handed over in a heap buffer of exactly its
 * length.  Checked besides memory safety:
 *	- a key is accepted exactly when it is one of the fact names;
 *	- a value's verdict is exactly the specification of its fact (JSON
 *	  type, closed list), a fact number outside the enum is refused, a
 *	  refused value records nothing, a null changes nothing, an accepted
 *	  one records a value inside the fact's range, and a situation points
 *	  at the text it was given;
 *	- for the facts read, and also for the first 15 input bytes taken as
 *	  raw fact values (the procedure must be safe for any byte), the
 *	  decision agrees with a reference written from the README's four
 *	  steps, and its reasons are well formed: 1 to 8 rules, in step order,
 *	  only gates when a gate failed.
 */
#include "fuzz.h"

#define MAX_LINES 32

/* The outcome by the README's rules, written independently. */
static ToleranceOutcome
reference_outcome(const ToleranceFacts *f)
{
	static const ToleranceFact gates[] = {
		FACT_RED_LINE_BREACH, FACT_KNOWING_VIOLATION, FACT_VIOLATED_EXPLICIT_BAN,
		FACT_PRIVATE_GAIN, FACT_FRAUD_OR_OBSTRUCTION, FACT_REPEATED_ERROR
	};
	const uint8_t *v = f->value;
	int			cooperated = v[FACT_COOPERATED] == FACT_TRUE;
	size_t		i;

	/* 1. gates: each boolean must be recorded false; consequence none or minor */
	for (i = 0; i < lengthof(gates); i++)
		if (v[gates[i]] != FACT_FALSE)
			return TOLERANCE_NOT_TOLERABLE;
	if (v[FACT_CONSEQUENCE] != CONSEQUENCE_NONE && v[FACT_CONSEQUENCE] != CONSEQUENCE_MINOR)
		return TOLERANCE_NOT_TOLERABLE;
	if (v[FACT_EXCLUDED] != FACT_ABSENT && v[FACT_EXCLUDED] != FACT_FALSE)
		return TOLERANCE_NOT_TOLERABLE;
	/* 2. situation: national, or another code that is listed */
	if (v[FACT_SITUATION] < SITUATION_REFORM_PILOT || v[FACT_SITUATION] > SITUATION_OTHER)
		return TOLERANCE_NOT_TOLERABLE;
	if (v[FACT_SITUATION] == SITUATION_OTHER && v[FACT_SITUATION_LISTED] != FACT_TRUE)
		return TOLERANCE_NOT_TOLERABLE;
	/* 3. conditions */
	if (v[FACT_PROCEDURE_PROPER] == FACT_TRUE && v[FACT_DILIGENT] == FACT_TRUE &&
		v[FACT_CORRECTED_PROMPTLY] == FACT_TRUE)
		return v[FACT_CONSEQUENCE] == CONSEQUENCE_NONE ?
			TOLERANCE_NOT_ACCOUNTABLE : TOLERANCE_EXEMPTED;
	/* 4. mitigation */
	if (v[FACT_LOSS_RECOVERED] == LOSS_RECOVERED_FULL && cooperated)
		return TOLERANCE_REDUCED;
	if (v[FACT_LOSS_RECOVERED] == LOSS_RECOVERED_FULL ||
		v[FACT_LOSS_RECOVERED] == LOSS_RECOVERED_PARTIAL || cooperated)
		return TOLERANCE_LIGHTER;
	return TOLERANCE_NOT_TOLERABLE;
}

static void
check_decision(const ToleranceFacts *facts)
{
	ToleranceReasons reasons;
	ToleranceOutcome outcome;
	int			gate_failed = 0;
	int			i;

	memset(&reasons, 0xA5, sizeof(reasons));
	outcome = tolerance_decide(facts, &reasons);
	FUZZ_CHECK(outcome >= TOLERANCE_NOT_TOLERABLE && outcome <= TOLERANCE_NOT_ACCOUNTABLE);
	FUZZ_CHECK(outcome == reference_outcome(facts));
	FUZZ_CHECK(reasons.count >= 1 && reasons.count <= TOLERANCE_MAX_REASONS);
	for (i = 0; i < reasons.count; i++)
	{
		FUZZ_CHECK((int) reasons.rule[i] >= 0 && reasons.rule[i] < TOLERANCE_RULE_COUNT);
		if (i > 0)
		{
			FUZZ_CHECK(reasons.rule[i] > reasons.rule[i - 1]);
			FUZZ_CHECK(tolerance_rule_table[reasons.rule[i]].step >=
					   tolerance_rule_table[reasons.rule[i - 1]].step);
		}
		if (tolerance_rule_table[reasons.rule[i]].step == 1)
			gate_failed = 1;
	}
	if (gate_failed)
	{
		FUZZ_CHECK(outcome == TOLERANCE_NOT_TOLERABLE);
		FUZZ_CHECK(tolerance_rule_table[reasons.rule[reasons.count - 1]].step == 1);
	}
	if (outcome != TOLERANCE_NOT_TOLERABLE)
		FUZZ_CHECK(tolerance_rule_table[reasons.rule[0]].step == 2);
}

/* The specification of one value's verdict. */
static FactCheck
expected_verdict(ToleranceFact fact, const FactValue *value, int *code)
{
	const FactDefinition *d = &fact_definitions[fact];
	int			i;

	*code = 0;
	if (value->type == FACT_VALUE_NULL)
		return FACT_CHECK_OK;
	if (d->kind == FACT_KIND_BOOLEAN)
	{
		*code = value->boolean ? FACT_TRUE : FACT_FALSE;
		return value->type == FACT_VALUE_BOOLEAN ? FACT_CHECK_OK : FACT_CHECK_WRONG_TYPE;
	}
	if (value->type != FACT_VALUE_STRING)
		return FACT_CHECK_WRONG_TYPE;
	for (i = 0; i < d->nchoices; i++)
		if (strlen(d->choices[i]) == value->len &&
			memcmp(d->choices[i], value->string, value->len) == 0)
			*code = i + 1;
	if (*code == 0 && d->kind == FACT_KIND_OPEN_CHOICE)
	{
		if (value->len > TOLERANCE_SITUATION_MAX_BYTES)
			return FACT_CHECK_TOO_LONG;
		*code = d->nchoices + 1;
	}
	return *code == 0 ? FACT_CHECK_BAD_CHOICE : FACT_CHECK_OK;
}

/* Parse one value token of the line format. */
static void
parse_value(const uint8_t *s, size_t len, FactValue *value, char **heap)
{
	memset(value, 0, sizeof(*value));
	*heap = NULL;
	if ((len == 4 && memcmp(s, "null", 4) == 0))
		value->type = FACT_VALUE_NULL;
	else if (len == 4 && memcmp(s, "true", 4) == 0)
	{
		value->type = FACT_VALUE_BOOLEAN;
		value->boolean = true;
	}
	else if (len == 5 && memcmp(s, "false", 5) == 0)
		value->type = FACT_VALUE_BOOLEAN;
	else if (len > 0 && s[0] == '{')
		value->type = FACT_VALUE_OBJECT;
	else if (len > 0 && s[0] == '[')
		value->type = FACT_VALUE_ARRAY;
	else if (len > 0 && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9')))
		value->type = FACT_VALUE_NUMBER;
	else
	{
		const uint8_t *start = s;
		size_t		n = len;

		if (len > 0 && s[0] == '"')
		{
			const uint8_t *quote;

			start = s + 1;
			n = len - 1;
			quote = memchr(start, '"', n);
			if (quote != NULL)
				n = (size_t) (quote - start);
		}
		value->type = FACT_VALUE_STRING;
		*heap = fuzz_copy(start, n);
		value->string = *heap;
		value->len = n;
	}
}

/* Validate one key and value as assess.c does; false when refused. */
static int
read_pair(ToleranceFacts *facts, const uint8_t *line, size_t len, char **heap)
{
	const uint8_t *eq = memchr(line, '=', len);
	size_t		keylen = eq ? (size_t) (eq - line) : len;
	char	   *key = fuzz_copy(line, keylen);
	int			fact = tolerance_fact_from_key(key, keylen);
	int			known = -1;
	FactValue	value;
	FactCheck	verdict;
	FactCheck	expected;
	ToleranceFacts before;
	int			code;
	int			i;

	for (i = 0; i < TOLERANCE_FACT_COUNT; i++)
		if (strlen(fact_definitions[i].key) == keylen &&
			memcmp(fact_definitions[i].key, key, keylen) == 0)
			known = i;
	free(key);
	FUZZ_CHECK(fact == known);
	if (fact < 0)
		return 0;

	if (eq != NULL)
		parse_value(eq + 1, len - keylen - 1, &value, heap);
	else
	{
		memset(&value, 0, sizeof(value));
		value.type = FACT_VALUE_NULL;
		*heap = NULL;
	}

	before = *facts;
	verdict = tolerance_fact_set(facts, (ToleranceFact) fact, &value);
	expected = expected_verdict((ToleranceFact) fact, &value, &code);
	FUZZ_CHECK(verdict == expected);
	if (verdict != FACT_CHECK_OK || value.type == FACT_VALUE_NULL)
	{
		FUZZ_CHECK(memcmp(before.value, facts->value, sizeof(before.value)) == 0);
		FUZZ_CHECK(before.situation == facts->situation);
		FUZZ_CHECK(before.situation_len == facts->situation_len);
		return verdict == FACT_CHECK_OK;
	}
	FUZZ_CHECK(facts->value[fact] == code);
	for (i = 0; i < TOLERANCE_FACT_COUNT; i++)
		if (i != fact)
			FUZZ_CHECK(facts->value[i] == before.value[i]);
	if (fact == FACT_SITUATION)
		FUZZ_CHECK(facts->situation == value.string && facts->situation_len == value.len);
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ToleranceFacts facts;
	char	   *heap[MAX_LINES];
	int			nheap = 0;
	size_t		pos = 0;
	int			accepted = 1;
	FactValue	any;
	int			i;

	/* the procedure on raw bytes: every value 0..255 in every fact */
	tolerance_facts_init(&facts);
	for (i = 0; i < TOLERANCE_FACT_COUNT && (size_t) i < size; i++)
		facts.value[i] = data[i];
	check_decision(&facts);

	/* every value type has a name for the messages */
	for (i = FACT_VALUE_NULL; i <= FACT_VALUE_OTHER; i++)
		FUZZ_CHECK(fact_value_type_name((FactValueType) i) != NULL);

	/* a fact number outside the enum is refused and records nothing */
	tolerance_facts_init(&facts);
	memset(&any, 0, sizeof(any));
	any.type = FACT_VALUE_BOOLEAN;
	FUZZ_CHECK(tolerance_fact_set(&facts, (ToleranceFact) (TOLERANCE_FACT_COUNT + (size % 7)), &any) ==
			   FACT_CHECK_NO_SUCH_FACT);
	FUZZ_CHECK(tolerance_fact_set(&facts, (ToleranceFact) -1, &any) == FACT_CHECK_NO_SUCH_FACT);

	/* the line format, key by key, stopping at the first refusal */
	tolerance_facts_init(&facts);
	while (pos < size && nheap < MAX_LINES)
	{
		const uint8_t *line = data + pos;
		const uint8_t *nl = memchr(line, '\n', size - pos);
		size_t		len = nl ? (size_t) (nl - line) : size - pos;

		pos += len + 1;
		heap[nheap] = NULL;
		accepted = read_pair(&facts, line, len, &heap[nheap]);
		nheap++;
		if (!accepted)
			break;
	}
	if (accepted)
	{
		if (facts.value[FACT_SITUATION] != FACT_ABSENT)
			FUZZ_CHECK(facts.situation != NULL);
		check_decision(&facts);
	}
	for (i = 0; i < nheap; i++)
		free(heap[i]);
	return 0;
}
