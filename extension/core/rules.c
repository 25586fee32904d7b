/*-------------------------------------------------------------------------
 *
 * rules.c
 *	  The tolerance decision procedure (容错认定), rules version 1, as pure
 *	  C (core.h): the rule table, the facts keys and their per-key
 *	  validation, and the four steps.
 *
 * The procedure is written down once, as data plus one function
 * (DESIGN.md "The decision procedure", domain.md section 3):
 *
 *	- tolerance_rule_table: every rule, with the reason code the procedure
 *	  emits when the rule decides, its step, English and Chinese text and
 *	  its source.  tolerance_rules() lists it, so a reason code can always
 *	  be explained.
 *	- fact_definitions: the facts keys, their JSON types and value lists.
 *	  tolerance_fact_from_key() and tolerance_fact_set() validate one key
 *	  and one value; assess.c walks a jsonb facts object with its iterator
 *	  and calls them for each pair, refusing bad input with 22023.
 *	- tolerance_gates and tolerance_conditions: which fact passes or fails
 *	  which gate or condition, with which code.
 *	- tolerance_decide(): the four steps.
 *
 * Nothing here allocates, reports an error or knows about PostgreSQL, so
 * the procedure and the validation are tested and fuzzed on their own
 * (tests/fuzz/), and assess_case calls the same functions.
 *
 * Decisions this file makes where DESIGN.md is silent:
 *	- A JSON null counts as an absent key: it never helps the subject.
 *	- When any gate fails, the reasons are the failed gates only; the
 *	  situation is not examined.  When the situation fails, the reason is
 *	  NO_SITUATION only.
 *	- A national situation code is matched exactly (lower case).  Any
 *	  other text is a unit-list item code: it passes only with
 *	  situation_listed = true.  A national code needs no listing, and
 *	  situation_listed without a situation is still NO_SITUATION.
 *	- In the mitigation step, full recovery with cooperation gives one
 *	  code (reduced); otherwise each mitigating fact present gives its own
 *	  code (lighter), or NO_MITIGATION.
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "core.h"

#define lengthof(array) (sizeof(array) / sizeof((array)[0]))

/* Sources cited by the rule table (domain.md "Sources"). */
#define SOURCE_THREE_DISTINCTIONS "三个区分开来 (2016-01)"
#define SOURCE_ART17_1 "中国共产党问责条例 (2019) Art.17 (1)"
#define SOURCE_ART17_2 "中国共产党问责条例 (2019) Art.17 (2)"
#define SOURCE_ART17_3 "中国共产党问责条例 (2019) Art.17 (3)"
#define SOURCE_ART17 "中国共产党问责条例 (2019) Art.17"
#define SOURCE_ART18 "中国共产党问责条例 (2019) Art.18"
#define SOURCE_ART19 "中国共产党问责条例 (2019) Art.19"
#define SOURCE_LOCAL_CONDITIONS "Local tolerance rules: 四川自贸区 conditions (缺一不可), 沈阳 7 conditions"
#define SOURCE_RULES_V1 "pg_accountability rules v1: a missing fact never helps the subject"

/*
 * The rules, in the order they are applied.  The reason codes are stable
 * and documented: never rename one, only append.
 */
const ToleranceRuleInfo tolerance_rule_table[TOLERANCE_RULE_COUNT] = {
	/* step 1: gates (排除情形) */
	[RULE_GATE_RED_LINE] = {
		"GATE_RED_LINE", 1,
		"A bottom line of discipline or law was breached: tolerance does not apply.",
		"触碰纪律、法律底线红线，不予容错。",
		"Local tolerance rules (沈阳, 四川自贸区): 遵纪守法, no bottom line breached"
	},
	[RULE_MISSING_RED_LINE_BREACH] = {
		"MISSING_RED_LINE_BREACH", 1,
		"Whether a bottom line was breached (red_line_breach) is not recorded: the gate is not passed.",
		"未记录是否触碰底线红线（red_line_breach），不能通过排除审查。",
		SOURCE_RULES_V1
	},
	[RULE_GATE_KNOWING_VIOLATION] = {
		"GATE_KNOWING_VIOLATION", 1,
		"The rules were knowingly violated: tolerance does not apply.",
		"明知故犯，不予容错。",
		SOURCE_THREE_DISTINCTIONS
	},
	[RULE_MISSING_KNOWING_VIOLATION] = {
		"MISSING_KNOWING_VIOLATION", 1,
		"Whether the rules were knowingly violated (knowing_violation) is not recorded: the gate is not passed.",
		"未记录是否明知故犯（knowing_violation），不能通过排除审查。",
		SOURCE_RULES_V1
	},
	[RULE_GATE_EXPLICIT_BAN] = {
		"GATE_EXPLICIT_BAN", 1,
		"An explicit ban of a higher level was disregarded: tolerance does not apply.",
		"上级明令禁止仍然违规决策、执行，不予容错。",
		SOURCE_THREE_DISTINCTIONS
	},
	[RULE_MISSING_VIOLATED_EXPLICIT_BAN] = {
		"MISSING_VIOLATED_EXPLICIT_BAN", 1,
		"Whether an explicit ban was disregarded (violated_explicit_ban) is not recorded: the gate is not passed.",
		"未记录是否违反明令禁止（violated_explicit_ban），不能通过排除审查。",
		SOURCE_RULES_V1
	},
	[RULE_GATE_PRIVATE_GAIN] = {
		"GATE_PRIVATE_GAIN", 1,
		"The act sought private gain, for oneself, others or the unit: tolerance does not apply.",
		"为个人、他人或单位谋取私利，不予容错。",
		SOURCE_THREE_DISTINCTIONS
	},
	[RULE_MISSING_PRIVATE_GAIN] = {
		"MISSING_PRIVATE_GAIN", 1,
		"Whether private gain was sought (private_gain) is not recorded: the gate is not passed.",
		"未记录是否谋取私利（private_gain），不能通过排除审查。",
		SOURCE_RULES_V1
	},
	[RULE_GATE_FRAUD_OR_OBSTRUCTION] = {
		"GATE_FRAUD_OR_OBSTRUCTION", 1,
		"Fraud, concealment or obstruction of the inquiry: tolerance does not apply.",
		"弄虚作假、隐瞒事实或者阻挠调查，不予容错。",
		SOURCE_ART19
	},
	[RULE_MISSING_FRAUD_OR_OBSTRUCTION] = {
		"MISSING_FRAUD_OR_OBSTRUCTION", 1,
		"Whether there was fraud or obstruction (fraud_or_obstruction) is not recorded: the gate is not passed.",
		"未记录是否弄虚作假或阻挠调查（fraud_or_obstruction），不能通过排除审查。",
		SOURCE_RULES_V1
	},
	[RULE_GATE_REPEATED_ERROR] = {
		"GATE_REPEATED_ERROR", 1,
		"The same error was made again: tolerance does not apply.",
		"同一错误重复发生，不予容错。",
		"大理 tolerance rules (2019): no leniency for a repeated error"
	},
	[RULE_MISSING_REPEATED_ERROR] = {
		"MISSING_REPEATED_ERROR", 1,
		"Whether the error was repeated (repeated_error) is not recorded: the gate is not passed.",
		"未记录是否重复犯错（repeated_error），不能通过排除审查。",
		SOURCE_RULES_V1
	},
	[RULE_GATE_SERIOUS_CONSEQUENCE] = {
		"GATE_SERIOUS_CONSEQUENCE", 1,
		"The consequence was serious or grave: tolerance does not apply.",
		"造成严重后果或者重大损失，不予容错。",
		"沈阳 tolerance rules: no tolerance for 重特大安全事故、严重环境污染"
	},
	[RULE_MISSING_CONSEQUENCE] = {
		"MISSING_CONSEQUENCE", 1,
		"How grave the consequence was (consequence) is not recorded: the gate is not passed.",
		"未记录后果程度（consequence），不能通过排除审查。",
		SOURCE_RULES_V1
	},
	[RULE_GATE_EXCLUDED] = {
		"GATE_EXCLUDED", 1,
		"The matter is on the unit's negative list: tolerance does not apply.",
		"属于本单位容错负面清单情形，不予容错。",
		"The unit's tolerance list (容错细化清单), negative items"
	},

	/* step 2: the situation (容错情形) */
	[RULE_SITUATION_REFORM_PILOT] = {
		"SITUATION_REFORM_PILOT", 2,
		"An error from lack of experience while piloting a reform.",
		"在推进改革中因缺乏经验、先行先试出现的失误。",
		SOURCE_ART17_1
	},
	[RULE_SITUATION_EXPLORATORY_TRIAL] = {
		"SITUATION_EXPLORATORY_TRIAL", 2,
		"An error in an exploratory trial that no rule yet restricted.",
		"尚无明确限制的探索性试验中的失误。",
		SOURCE_ART17_1
	},
	[RULE_SITUATION_DEVELOPMENT_INADVERTENT] = {
		"SITUATION_DEVELOPMENT_INADVERTENT", 2,
		"An unintentional error made while promoting development.",
		"为推动发展的无意过失。",
		SOURCE_ART17_1
	},
	[RULE_SITUATION_COLLECTIVE_DISSENT] = {
		"SITUATION_COLLECTIVE_DISSENT", 2,
		"The subject openly objected or reserved their opinion in the collective decision.",
		"集体决策中明确提出不同意见或者保留意见。",
		SOURCE_ART17_2
	},
	[RULE_SITUATION_FORCE_MAJEURE] = {
		"SITUATION_FORCE_MAJEURE", 2,
		"Duties were performed, but the loss came from force majeure or unforeseeable factors.",
		"履职尽责，但因不可抗力、难以预见等因素造成损失。",
		SOURCE_ART17_3
	},
	[RULE_SITUATION_LISTED] = {
		"SITUATION_LISTED", 2,
		"An item of the unit's tolerance list in force.",
		"属于本单位有效的容错细化清单情形。",
		"The unit's tolerance list (容错细化清单); Zhejiang 2023 实施办法, 6类21种"
	},
	[RULE_NO_SITUATION] = {
		"NO_SITUATION", 2,
		"Neither a national tolerance situation nor an item of the unit's list: tolerance does not apply.",
		"不属于规定的容错情形，也不在本单位容错清单内，不予容错。",
		SOURCE_ART17
	},

	/* step 3: the conditions (容错条件, 缺一不可) */
	[RULE_CONDITION_PROCEDURE_NOT_PROPER] = {
		"CONDITION_PROCEDURE_NOT_PROPER", 3,
		"The decision did not follow proper procedure (collective decision, or an emergency reported afterwards).",
		"决策程序不正当（未经集体决策，或紧急情况下未事后报告）。",
		SOURCE_LOCAL_CONDITIONS
	},
	[RULE_MISSING_PROCEDURE_PROPER] = {
		"MISSING_PROCEDURE_PROPER", 3,
		"Whether procedure was proper (procedure_proper) is not recorded: the condition is not met.",
		"未记录程序是否正当（procedure_proper），视为条件不具备。",
		SOURCE_RULES_V1
	},
	[RULE_CONDITION_NOT_DILIGENT] = {
		"CONDITION_NOT_DILIGENT", 3,
		"The subject was not diligent and responsible.",
		"未做到勤勉尽责。",
		SOURCE_LOCAL_CONDITIONS
	},
	[RULE_MISSING_DILIGENT] = {
		"MISSING_DILIGENT", 3,
		"Whether the subject was diligent (diligent) is not recorded: the condition is not met.",
		"未记录是否勤勉尽责（diligent），视为条件不具备。",
		SOURCE_RULES_V1
	},
	[RULE_CONDITION_NOT_CORRECTED_PROMPTLY] = {
		"CONDITION_NOT_CORRECTED_PROMPTLY", 3,
		"The error was not corrected promptly once known.",
		"未做到知错即改、及时纠错。",
		SOURCE_LOCAL_CONDITIONS
	},
	[RULE_MISSING_CORRECTED_PROMPTLY] = {
		"MISSING_CORRECTED_PROMPTLY", 3,
		"Whether the error was corrected promptly (corrected_promptly) is not recorded: the condition is not met.",
		"未记录是否及时纠错（corrected_promptly），视为条件不具备。",
		SOURCE_RULES_V1
	},
	[RULE_CONDITIONS_MET] = {
		"CONDITIONS_MET", 3,
		"All conditions are met: proper procedure, diligence and prompt correction.",
		"程序正当、勤勉尽责、及时纠错，容错条件全部具备。",
		SOURCE_LOCAL_CONDITIONS
	},
	[RULE_CONSEQUENCE_NONE] = {
		"CONSEQUENCE_NONE", 3,
		"No consequence resulted: not held accountable.",
		"未造成不良后果，不予问责。",
		SOURCE_ART17
	},
	[RULE_CONSEQUENCE_MINOR] = {
		"CONSEQUENCE_MINOR", 3,
		"A minor consequence resulted: liability is waived.",
		"造成一般后果，免予问责。",
		SOURCE_ART17
	},

	/* step 4: mitigation (从轻、减轻情节) */
	[RULE_MITIGATION_FULL_RECOVERY_AND_COOPERATION] = {
		"MITIGATION_FULL_RECOVERY_AND_COOPERATION", 4,
		"The loss was fully recovered and the subject cooperated: one grade below the prescribed range.",
		"及时挽回全部损失并积极配合调查、主动承担责任，减轻问责。",
		SOURCE_ART18
	},
	[RULE_MITIGATION_FULL_RECOVERY] = {
		"MITIGATION_FULL_RECOVERY", 4,
		"The loss was fully recovered (without cooperation): lighter, within the prescribed range.",
		"及时挽回全部损失（未积极配合调查），从轻问责。",
		SOURCE_ART18
	},
	[RULE_MITIGATION_PARTIAL_RECOVERY] = {
		"MITIGATION_PARTIAL_RECOVERY", 4,
		"The loss was partly recovered: lighter, within the prescribed range.",
		"挽回部分损失，从轻问责。",
		SOURCE_ART18
	},
	[RULE_MITIGATION_COOPERATION] = {
		"MITIGATION_COOPERATION", 4,
		"The subject cooperated with the inquiry and owned responsibility: lighter, within the prescribed range.",
		"积极配合调查、主动承担责任，从轻问责。",
		SOURCE_ART18
	},
	[RULE_NO_MITIGATION] = {
		"NO_MITIGATION", 4,
		"A condition is not met and nothing mitigates: tolerance does not apply.",
		"容错条件不具备，且无挽回损失或配合调查等从轻、减轻情节，不予容错。",
		SOURCE_ART18
	},
};

static const char *const situation_choices[] = {
	"reform_pilot", "exploratory_trial", "development_inadvertent",
	"collective_dissent", "force_majeure"
};

static const char *const consequence_choices[] = {
	"none", "minor", "serious", "grave"
};

static const char *const loss_recovered_choices[] = {
	"none", "partial", "full"
};

_Static_assert(lengthof(situation_choices) == SITUATION_OTHER - 1,
			   "situation_choices must match ToleranceSituation");
_Static_assert(lengthof(consequence_choices) == CONSEQUENCE_GRAVE,
			   "consequence_choices must match ToleranceConsequence");
_Static_assert(lengthof(loss_recovered_choices) == LOSS_RECOVERED_FULL,
			   "loss_recovered_choices must match ToleranceLossRecovered");

#define BOOLEAN_FACT(key) {key, FACT_KIND_BOOLEAN, NULL, 0}
#define CHOICE_FACT(key, kind, choices) {key, kind, choices, lengthof(choices)}

/* The facts keys, exactly these (DESIGN.md "The decision procedure"). */
const FactDefinition fact_definitions[TOLERANCE_FACT_COUNT] = {
	[FACT_SITUATION] = CHOICE_FACT("situation", FACT_KIND_OPEN_CHOICE, situation_choices),
	[FACT_SITUATION_LISTED] = BOOLEAN_FACT("situation_listed"),
	[FACT_EXCLUDED] = BOOLEAN_FACT("excluded"),
	[FACT_RED_LINE_BREACH] = BOOLEAN_FACT("red_line_breach"),
	[FACT_KNOWING_VIOLATION] = BOOLEAN_FACT("knowing_violation"),
	[FACT_VIOLATED_EXPLICIT_BAN] = BOOLEAN_FACT("violated_explicit_ban"),
	[FACT_PRIVATE_GAIN] = BOOLEAN_FACT("private_gain"),
	[FACT_FRAUD_OR_OBSTRUCTION] = BOOLEAN_FACT("fraud_or_obstruction"),
	[FACT_REPEATED_ERROR] = BOOLEAN_FACT("repeated_error"),
	[FACT_CONSEQUENCE] = CHOICE_FACT("consequence", FACT_KIND_CHOICE, consequence_choices),
	[FACT_PROCEDURE_PROPER] = BOOLEAN_FACT("procedure_proper"),
	[FACT_DILIGENT] = BOOLEAN_FACT("diligent"),
	[FACT_CORRECTED_PROMPTLY] = BOOLEAN_FACT("corrected_promptly"),
	[FACT_LOSS_RECOVERED] = CHOICE_FACT("loss_recovered", FACT_KIND_CHOICE, loss_recovered_choices),
	[FACT_COOPERATED] = BOOLEAN_FACT("cooperated"),
};

/* The code (1..n) of a string among a fact's choices, 0 if none. */
static int
choice_code(const FactDefinition *definition, const char *s, size_t len)
{
	int			i;

	for (i = 0; i < definition->nchoices; i++)
	{
		const char *choice = definition->choices[i];

		if (strlen(choice) == len && memcmp(choice, s, len) == 0)
			return i + 1;
	}
	return 0;
}

/* The JSON type of a value, as the messages about facts name it. */
const char *
fact_value_type_name(FactValueType type)
{
	switch (type)
	{
		case FACT_VALUE_NULL:
			return "null";
		case FACT_VALUE_BOOLEAN:
			return "boolean";
		case FACT_VALUE_STRING:
			return "string";
		case FACT_VALUE_NUMBER:
			return "number";
		case FACT_VALUE_OBJECT:
			return "object";
		case FACT_VALUE_ARRAY:
			return "array";
			/* no stored jsonb value is another type; tests/fuzz/: GCOVR_EXCL_START */
		case FACT_VALUE_OTHER:
			break;
	}
	return "value";
	/* GCOVR_EXCL_STOP */
}

/* Start a facts object with every fact absent. */
void
tolerance_facts_init(ToleranceFacts *facts)
{
	memset(facts, 0, sizeof(*facts));
}

/*
 * The fact a key names (exact bytes, lower case), or -1 for an unknown
 * key.  key need not be NUL-terminated: exactly len bytes are read.
 */
int
tolerance_fact_from_key(const char *key, size_t len)
{
	int			i;

	for (i = 0; i < TOLERANCE_FACT_COUNT; i++)
	{
		const char *name = fact_definitions[i].key;

		if (strlen(name) == len && memcmp(name, key, len) == 0)
			return i;
	}
	return -1;
}

/*
 * Check one value against its fact's JSON type and list, and record it in
 * facts.  A null leaves the fact as it was (absent).  A situation outside
 * the national codes is recorded as SITUATION_OTHER, pointing at the text.
 * Nothing is recorded when the value is refused.
 */
FactCheck
tolerance_fact_set(ToleranceFacts *facts, ToleranceFact fact,
				   const FactValue *value)
{
	const FactDefinition *definition;
	int			code;

	/* assess.c passes a known fact; tests/fuzz/ others: GCOVR_EXCL_START */
	if ((int) fact < 0 || (int) fact >= TOLERANCE_FACT_COUNT)
		return FACT_CHECK_NO_SUCH_FACT;
	/* GCOVR_EXCL_STOP */
	definition = &fact_definitions[fact];
	if (value->type == FACT_VALUE_NULL)
		return FACT_CHECK_OK;
	if (definition->kind == FACT_KIND_BOOLEAN)
	{
		if (value->type != FACT_VALUE_BOOLEAN)
			return FACT_CHECK_WRONG_TYPE;
		facts->value[fact] = value->boolean ? FACT_TRUE : FACT_FALSE;
		return FACT_CHECK_OK;
	}
	if (value->type != FACT_VALUE_STRING)
		return FACT_CHECK_WRONG_TYPE;
	code = choice_code(definition, value->string, value->len);
	if (definition->kind == FACT_KIND_OPEN_CHOICE)
	{
		if (code == 0 && value->len > TOLERANCE_SITUATION_MAX_BYTES)
			return FACT_CHECK_TOO_LONG;
		facts->value[fact] = (uint8_t) (code > 0 ? code : definition->nchoices + 1);
		facts->situation = value->string;
		facts->situation_len = value->len;
		return FACT_CHECK_OK;
	}
	if (code == 0)
		return FACT_CHECK_BAD_CHOICE;
	facts->value[fact] = (uint8_t) code;
	return FACT_CHECK_OK;
}

/*
 * Step 1, the gates, in the order their codes are listed.  A gate fails
 * when its fact is at least fails_from; an absent fact fails it with the
 * missing code, unless the fact defaults to false (excluded).
 */
typedef struct ToleranceGate
{
	ToleranceFact fact;
	uint8_t		fails_from;
	bool		absent_is_false;
	ToleranceRule failed;
	ToleranceRule missing;		/* when !absent_is_false */
} ToleranceGate;

static const ToleranceGate tolerance_gates[] = {
	{FACT_RED_LINE_BREACH, FACT_TRUE, false, RULE_GATE_RED_LINE, RULE_MISSING_RED_LINE_BREACH},
	{FACT_KNOWING_VIOLATION, FACT_TRUE, false, RULE_GATE_KNOWING_VIOLATION, RULE_MISSING_KNOWING_VIOLATION},
	{FACT_VIOLATED_EXPLICIT_BAN, FACT_TRUE, false, RULE_GATE_EXPLICIT_BAN, RULE_MISSING_VIOLATED_EXPLICIT_BAN},
	{FACT_PRIVATE_GAIN, FACT_TRUE, false, RULE_GATE_PRIVATE_GAIN, RULE_MISSING_PRIVATE_GAIN},
	{FACT_FRAUD_OR_OBSTRUCTION, FACT_TRUE, false, RULE_GATE_FRAUD_OR_OBSTRUCTION, RULE_MISSING_FRAUD_OR_OBSTRUCTION},
	{FACT_REPEATED_ERROR, FACT_TRUE, false, RULE_GATE_REPEATED_ERROR, RULE_MISSING_REPEATED_ERROR},
	{FACT_CONSEQUENCE, CONSEQUENCE_SERIOUS, false, RULE_GATE_SERIOUS_CONSEQUENCE, RULE_MISSING_CONSEQUENCE},
	{FACT_EXCLUDED, FACT_TRUE, true, RULE_GATE_EXCLUDED, RULE_GATE_EXCLUDED},
};

/* The longest list of reasons is every gate failing. */
_Static_assert(lengthof(tolerance_gates) == TOLERANCE_MAX_REASONS,
			   "TOLERANCE_MAX_REASONS must hold every gate");

/* Step 2: the rule of each national situation, by ToleranceSituation. */
static const ToleranceRule situation_rules[] = {
	[SITUATION_REFORM_PILOT] = RULE_SITUATION_REFORM_PILOT,
	[SITUATION_EXPLORATORY_TRIAL] = RULE_SITUATION_EXPLORATORY_TRIAL,
	[SITUATION_DEVELOPMENT_INADVERTENT] = RULE_SITUATION_DEVELOPMENT_INADVERTENT,
	[SITUATION_COLLECTIVE_DISSENT] = RULE_SITUATION_COLLECTIVE_DISSENT,
	[SITUATION_FORCE_MAJEURE] = RULE_SITUATION_FORCE_MAJEURE,
	[SITUATION_OTHER] = RULE_SITUATION_LISTED,
};

/* Step 3: the conditions, all required true; absent counts as not met. */
typedef struct ToleranceCondition
{
	ToleranceFact fact;
	ToleranceRule failed;
	ToleranceRule missing;
} ToleranceCondition;

static const ToleranceCondition tolerance_conditions[] = {
	{FACT_PROCEDURE_PROPER, RULE_CONDITION_PROCEDURE_NOT_PROPER, RULE_MISSING_PROCEDURE_PROPER},
	{FACT_DILIGENT, RULE_CONDITION_NOT_DILIGENT, RULE_MISSING_DILIGENT},
	{FACT_CORRECTED_PROMPTLY, RULE_CONDITION_NOT_CORRECTED_PROMPTLY, RULE_MISSING_CORRECTED_PROMPTLY},
};

/* Append a rule to the reasons (pure; the bound is the longest path). */
static inline void
add_reason(ToleranceReasons *reasons, ToleranceRule rule)
{
	core_assert(reasons->count < TOLERANCE_MAX_REASONS);
	if (reasons->count < TOLERANCE_MAX_REASONS)
		reasons->rule[reasons->count++] = rule;
}

/* Is a fact that defaults to false given as true? */
static inline bool
fact_is_true(const ToleranceFacts *facts, ToleranceFact fact)
{
	return facts->value[fact] == FACT_TRUE;
}

/*
 * The decision procedure, rules version 1: the outcome of the facts, and
 * in reasons the rules that decided it, in the order applied.  Pure: no
 * allocation, no error, no fmgr, so it can be tested on its own.  Safe for
 * any byte values: a value no reader produces never helps the subject.
 */
ToleranceOutcome
tolerance_decide(const ToleranceFacts *facts, ToleranceReasons *reasons)
{
	uint8_t		situation = facts->value[FACT_SITUATION];
	uint8_t		loss_recovered = facts->value[FACT_LOSS_RECOVERED];
	bool		cooperated = fact_is_true(facts, FACT_COOPERATED);
	bool		conditions_met = true;
	size_t		i;

	reasons->count = 0;

	/* 1. Gates: every one is evaluated, so all failures are listed. */
	for (i = 0; i < lengthof(tolerance_gates); i++)
	{
		const ToleranceGate *gate = &tolerance_gates[i];
		uint8_t		value = facts->value[gate->fact];

		if (value == FACT_ABSENT && !gate->absent_is_false)
			add_reason(reasons, gate->missing);
		else if (value != FACT_ABSENT && value >= gate->fails_from)
			add_reason(reasons, gate->failed);
	}
	if (reasons->count > 0)
		return TOLERANCE_NOT_TOLERABLE;

	/* 2. Situation: a national code, or an item of the unit's list. */
	if (situation == FACT_ABSENT || situation > SITUATION_OTHER ||
		(situation == SITUATION_OTHER &&
		 !fact_is_true(facts, FACT_SITUATION_LISTED)))
	{
		add_reason(reasons, RULE_NO_SITUATION);
		return TOLERANCE_NOT_TOLERABLE;
	}
	add_reason(reasons, situation_rules[situation]);

	/* 3. Conditions: all must be true; each one not met is listed. */
	for (i = 0; i < lengthof(tolerance_conditions); i++)
	{
		const ToleranceCondition *condition = &tolerance_conditions[i];
		uint8_t		value = facts->value[condition->fact];

		if (value != FACT_TRUE)
		{
			add_reason(reasons, value == FACT_ABSENT ?
					   condition->missing : condition->failed);
			conditions_met = false;
		}
	}
	if (conditions_met)
	{
		add_reason(reasons, RULE_CONDITIONS_MET);
		/* the gates passed, so the consequence is none or minor */
		if (facts->value[FACT_CONSEQUENCE] == CONSEQUENCE_NONE)
		{
			add_reason(reasons, RULE_CONSEQUENCE_NONE);
			return TOLERANCE_NOT_ACCOUNTABLE;
		}
		add_reason(reasons, RULE_CONSEQUENCE_MINOR);
		return TOLERANCE_EXEMPTED;
	}

	/* 4. Mitigation: recovery of the loss and cooperation. */
	if (loss_recovered == LOSS_RECOVERED_FULL && cooperated)
	{
		add_reason(reasons, RULE_MITIGATION_FULL_RECOVERY_AND_COOPERATION);
		return TOLERANCE_REDUCED;
	}
	if (loss_recovered == LOSS_RECOVERED_FULL)
		add_reason(reasons, RULE_MITIGATION_FULL_RECOVERY);
	else if (loss_recovered == LOSS_RECOVERED_PARTIAL)
		add_reason(reasons, RULE_MITIGATION_PARTIAL_RECOVERY);
	if (cooperated)
		add_reason(reasons, RULE_MITIGATION_COOPERATION);
	if (loss_recovered == LOSS_RECOVERED_FULL ||
		loss_recovered == LOSS_RECOVERED_PARTIAL || cooperated)
		return TOLERANCE_LIGHTER;
	add_reason(reasons, RULE_NO_MITIGATION);
	return TOLERANCE_NOT_TOLERABLE;
}

