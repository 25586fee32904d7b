/*-------------------------------------------------------------------------
 *
 * assess.c
 *	  The tolerance decision procedure (容错认定), rules version 1:
 *	  accountability.assess_tolerance(facts jsonb), facts_are_valid(facts)
 *	  and tolerance_rules().
 *
 * The procedure is written down once, as data plus one function
 * (DESIGN.md "The decision procedure", domain.md section 3):
 *
 *	- tolerance_rule_table: every rule, with the reason code the procedure
 *	  emits when the rule decides, its step, English and Chinese text and
 *	  its source.  tolerance_rules() lists it, so a reason code can always
 *	  be explained.
 *	- fact_definitions: the facts keys, their JSON types and value lists.
 *	  tolerance_facts_from_jsonb() reads a facts object once with the
 *	  jsonb iterator, refusing bad input with 22023.
 *	- tolerance_gates and tolerance_conditions: which fact passes or fails
 *	  which gate or condition, with which code.
 *	- tolerance_decide(): the four steps.  It is pure (no allocation, no
 *	  error, no fmgr), so it can be tested or fuzzed on its own, and
 *	  assess_case will call the same function.
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
#include "postgres.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "pg_accountability.h"

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

/* How a fact is written in JSON. */
typedef enum FactKind
{
	FACT_KIND_BOOLEAN,			/* true or false */
	FACT_KIND_CHOICE,			/* a string from a closed list */
	FACT_KIND_OPEN_CHOICE		/* a string: a listed one, or any other */
} FactKind;

/* One facts key: its JSON name and type, and its values when a string. */
typedef struct FactDefinition
{
	const char *key;
	FactKind	kind;
	const char *const *choices; /* value i + 1 of the fact is choices[i] */
	int			nchoices;
} FactDefinition;

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

StaticAssertDecl(lengthof(situation_choices) == SITUATION_OTHER - 1,
				 "situation_choices must match ToleranceSituation");
StaticAssertDecl(lengthof(consequence_choices) == CONSEQUENCE_GRAVE,
				 "consequence_choices must match ToleranceConsequence");
StaticAssertDecl(lengthof(loss_recovered_choices) == LOSS_RECOVERED_FULL,
				 "loss_recovered_choices must match ToleranceLossRecovered");

#define BOOLEAN_FACT(key) {key, FACT_KIND_BOOLEAN, NULL, 0}
#define CHOICE_FACT(key, kind, choices) {key, kind, choices, lengthof(choices)}

/* The facts keys, exactly these (DESIGN.md "The decision procedure"). */
static const FactDefinition fact_definitions[TOLERANCE_FACT_COUNT] = {
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

/*
 * Step 1, the gates, in the order their codes are listed.  A gate fails
 * when its fact is at least fails_from; an absent fact fails it with the
 * missing code, unless the fact defaults to false (excluded).
 */
typedef struct ToleranceGate
{
	ToleranceFact fact;
	uint8		fails_from;
	ToleranceRule failed;
	bool		absent_is_false;
	ToleranceRule missing;		/* when !absent_is_false */
} ToleranceGate;

static const ToleranceGate tolerance_gates[] = {
	{FACT_RED_LINE_BREACH, FACT_TRUE, RULE_GATE_RED_LINE, false, RULE_MISSING_RED_LINE_BREACH},
	{FACT_KNOWING_VIOLATION, FACT_TRUE, RULE_GATE_KNOWING_VIOLATION, false, RULE_MISSING_KNOWING_VIOLATION},
	{FACT_VIOLATED_EXPLICIT_BAN, FACT_TRUE, RULE_GATE_EXPLICIT_BAN, false, RULE_MISSING_VIOLATED_EXPLICIT_BAN},
	{FACT_PRIVATE_GAIN, FACT_TRUE, RULE_GATE_PRIVATE_GAIN, false, RULE_MISSING_PRIVATE_GAIN},
	{FACT_FRAUD_OR_OBSTRUCTION, FACT_TRUE, RULE_GATE_FRAUD_OR_OBSTRUCTION, false, RULE_MISSING_FRAUD_OR_OBSTRUCTION},
	{FACT_REPEATED_ERROR, FACT_TRUE, RULE_GATE_REPEATED_ERROR, false, RULE_MISSING_REPEATED_ERROR},
	{FACT_CONSEQUENCE, CONSEQUENCE_SERIOUS, RULE_GATE_SERIOUS_CONSEQUENCE, false, RULE_MISSING_CONSEQUENCE},
	{FACT_EXCLUDED, FACT_TRUE, RULE_GATE_EXCLUDED, true, RULE_GATE_EXCLUDED},
};

/* The longest list of reasons is every gate failing. */
StaticAssertDecl(lengthof(tolerance_gates) == TOLERANCE_MAX_REASONS,
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
	Assert(reasons->count < TOLERANCE_MAX_REASONS);
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
	uint8		situation = facts->value[FACT_SITUATION];
	uint8		loss_recovered = facts->value[FACT_LOSS_RECOVERED];
	bool		cooperated = fact_is_true(facts, FACT_COOPERATED);
	bool		conditions_met = true;
	size_t		i;

	reasons->count = 0;

	/* 1. Gates: every one is evaluated, so all failures are listed. */
	for (i = 0; i < lengthof(tolerance_gates); i++)
	{
		const ToleranceGate *gate = &tolerance_gates[i];
		uint8		value = facts->value[gate->fact];

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
		uint8		value = facts->value[condition->fact];

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

/* The JSON type of a value, as messages name it. */
static const char *
json_type_name(const JsonbValue *value)
{
	switch (value->type)
	{
		case jbvNull:
			return "null";
		case jbvString:
			return "string";
		case jbvNumeric:
			return "number";
		case jbvBool:
			return "boolean";
		case jbvBinary:
			return JsonContainerIsObject(value->val.binary.data) ?
				"object" : "array";
		default:
			return "value";
	}
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
	int			i;

	for (i = 0; i < TOLERANCE_FACT_COUNT; i++)
	{
		const char *name = fact_definitions[i].key;

		if (strlen(name) == (size_t) len && memcmp(name, key, len) == 0)
			return (ToleranceFact) i;
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown tolerance fact \"%s\"", pnstrdup(key, len)),
			 errdetail("The facts are %s.", fact_keys_list()),
			 errhint("Write the keys in lower case, exactly as listed.")));
	pg_unreachable();
}

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

/* The code (1..n) of a string among a fact's choices, 0 if none. */
static int
choice_code(const FactDefinition *definition, const char *s, int len)
{
	int			i;

	for (i = 0; i < definition->nchoices; i++)
	{
		const char *choice = definition->choices[i];

		if (strlen(choice) == (size_t) len && memcmp(choice, s, len) == 0)
			return i + 1;
	}
	return 0;
}

/*
 * Record one key's value in out, checking its JSON type and list.  A JSON
 * null leaves the fact absent.
 */
static void
set_fact(ToleranceFacts *out, ToleranceFact fact, const JsonbValue *value)
{
	const FactDefinition *definition = &fact_definitions[fact];
	int			code;

	if (value->type == jbvNull)
		return;
	if (definition->kind == FACT_KIND_BOOLEAN)
	{
		if (value->type != jbvBool)
			report_wrong_type(definition, value);
		out->value[fact] = value->val.boolean ? FACT_TRUE : FACT_FALSE;
		return;
	}
	if (value->type != jbvString)
		report_wrong_type(definition, value);
	code = choice_code(definition, value->val.string.val, value->val.string.len);
	if (definition->kind == FACT_KIND_OPEN_CHOICE)
	{
		out->value[fact] = code > 0 ? code : definition->nchoices + 1;
		out->situation = value->val.string.val;
		out->situation_len = value->val.string.len;
		return;
	}
	if (code == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value \"%s\" for tolerance fact \"%s\"",
						pnstrdup(value->val.string.val, value->val.string.len),
						definition->key),
				 errdetail("Allowed values are %s.", fact_choices_list(definition)),
				 errhint("Write the value in lower case, exactly as listed.")));
	out->value[fact] = code;
}

/*
 * Read a facts object into out, walking the jsonb once with its iterator
 * (no conversion to text).  Bad input is refused with 22023 naming the key
 * and what it allows.
 */
void
tolerance_facts_from_jsonb(Jsonb *facts, ToleranceFacts *out)
{
	JsonbIterator *it;
	JsonbValue	value;
	JsonbIteratorToken token;

	memset(out, 0, sizeof(*out));
	check_facts_are_object(facts);
	it = JsonbIteratorInit(&facts->root);
	while ((token = JsonbIteratorNext(&it, &value, true)) != WJB_DONE)
	{
		ToleranceFact fact;

		if (token != WJB_KEY)
			continue;			/* the object's begin and end */
		fact = fact_from_key(value.val.string.val, value.val.string.len);
		token = JsonbIteratorNext(&it, &value, true);
		if (token != WJB_VALUE)
			elog(ERROR, "unexpected jsonb token %d after a key", (int) token);
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
	return CStringGetTextDatum(pg_any_to_server(utf8, strlen(utf8), PG_UTF8));
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
