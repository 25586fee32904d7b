/*-------------------------------------------------------------------------
 *
 * core.h
 *	  The pure cores of pg_accountability: the code sets of the two
 *	  one-byte types with their text and binary input checks, the facts
 *	  validation and the tolerance decision procedure, and the case
 *	  transition table.
 *
 * Everything declared here is plain C99 over caller-supplied memory: no
 * PostgreSQL header, no fmgr, no palloc, no ereport, no global state that
 * changes.  The files that implement it (codes.c, rules.c, transitions.c)
 * include only this header and the C library, so the fuzz harnesses in
 * tests/fuzz/ link them without the server, and a failure can only be a
 * result code.  The SQL-callable functions (labels.c, assess.c, status.c)
 * are thin wrappers that turn those result codes into ereport()s.
 *
 * The numeric codes below are stored on disk and sent on the wire
 * (binary format 1).  They are forever: never renumber, only append.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PG_ACCOUNTABILITY_CORE_H
#define PG_ACCOUNTABILITY_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Internal consistency checks of the pure files: assert() in the fuzz and
 * unit builds (ACCOUNTABILITY_CORE_ASSERTS), nothing in the extension,
 * where every such condition is also handled at run time.
 */
#ifdef ACCOUNTABILITY_CORE_ASSERTS
#include <assert.h>
#define core_assert(condition) assert(condition)
#else
#define core_assert(condition) ((void) 0)
#endif

/*
 * accountability.case_status: codes in lifecycle order, so comparing codes
 * compares lifecycle positions.
 */
typedef enum CaseStatus
{
	CASE_STATUS_RECEIVED = 1,	/* 受理 */
	CASE_STATUS_INVESTIGATING,	/* 核查 */
	CASE_STATUS_UNFOUNDED,		/* 失实 */
	CASE_STATUS_LIABLE,			/* 责任认定 */
	CASE_STATUS_TOLERANCE_REVIEW,	/* 容错审查 */
	CASE_STATUS_DETERMINED,		/* 认定 */
	CASE_STATUS_NOTIFIED,		/* 告知 */
	CASE_STATUS_APPEALED,		/* 申诉 */
	CASE_STATUS_CORRECTING,		/* 纠错 */
	CASE_STATUS_FILED,			/* 备案 */
	CASE_STATUS_FOLLOW_UP,		/* 回访 */
	CASE_STATUS_CLOSED			/* 办结 */
} CaseStatus;

#define CASE_STATUS_COUNT 12

/*
 * accountability.tolerance_outcome: codes in order of leniency, so
 * "outcome >= exempted" means no sanction and max() is the most lenient.
 */
typedef enum ToleranceOutcome
{
	TOLERANCE_NOT_TOLERABLE = 1,	/* 不予容错 */
	TOLERANCE_LIGHTER,			/* 从轻问责 */
	TOLERANCE_REDUCED,			/* 减轻问责 */
	TOLERANCE_EXEMPTED,			/* 免予问责 */
	TOLERANCE_NOT_ACCOUNTABLE	/* 不予问责 */
} ToleranceOutcome;

#define TOLERANCE_OUTCOME_COUNT 5

/* Version of the binary send/receive format (first byte on the wire). */
#define CODE_BINARY_FORMAT_VERSION 1

/* Length of binary format 1: the format version, then the code. */
#define CODE_BINARY_LENGTH 2

/* Output languages of the accountability.language setting. */
typedef enum OutputLanguage
{
	OUTPUT_LANGUAGE_EN,
	OUTPUT_LANGUAGE_ZH
} OutputLanguage;

/*
 * A closed set of codes with an English code and a Chinese label each:
 * the data behind both one-byte types.  labels[i] describes code i + 1.
 */
typedef struct CodeLabel
{
	const char *code;			/* English code, lower case */
	const char *zh;				/* Chinese label */
} CodeLabel;

typedef struct CodeSet
{
	const char *type_name;		/* SQL type name, for messages */
	const CodeLabel *labels;
	int			count;
} CodeSet;

/* What the binary input check found (codeset_check_binary). */
typedef enum CodeBinaryCheck
{
	CODE_BINARY_OK,
	CODE_BINARY_BAD_LENGTH,		/* not exactly CODE_BINARY_LENGTH bytes */
	CODE_BINARY_BAD_VERSION,	/* first byte is not the format version */
	CODE_BINARY_BAD_CODE		/* second byte is no code of the set */
} CodeBinaryCheck;

/* codes.c: the two code sets, text and binary input, labels */
extern const CodeSet case_status_codes;
extern const CodeSet tolerance_outcome_codes;

extern int	codeset_parse(const CodeSet *set, const char *input, size_t len);
extern bool codeset_is_valid(const CodeSet *set, int code);
extern const char *codeset_label(const CodeSet *set, int code,
								 OutputLanguage language);
extern CodeBinaryCheck codeset_check_binary(const CodeSet *set,
											const unsigned char *bytes,
											size_t len, int *code);

/*
 * transitions.c: what a transition requires besides being in the table.
 * Each bit is checked by workflow.c; the transition table says which apply.
 */
#define REQUIRES_NOTHING				0
#define REQUIRES_CLOSING_REASON			(1 << 0)
#define REQUIRES_DETERMINATION			(1 << 1)
#define REQUIRES_NOTIFICATION_DATE		(1 << 2)
#define REQUIRES_APPEAL_WINDOW			(1 << 3)
#define REQUIRES_CORRECTION_PLAN		(1 << 4)
#define REQUIRES_PLANS_COMPLETED		(1 << 5)
#define REQUIRES_TOLERANCE_KIND			(1 << 6)
#define REQUIRES_WARRANTED_CLARIFICATION (1 << 7)
#define REQUIRES_RESOLVED_VISIT			(1 << 8)
#define REQUIRES_VISIT_IF_LENIENT		(1 << 9)
#define REQUIRES_NO_OPEN_PLAN			(1 << 10)
#define REQUIRES_DETERMINATION_STANDS	(1 << 11)

/* Every requirement bit; a table entry never carries any other. */
#define REQUIRES_ANY					((1 << 12) - 1)

/* The requirements whose checks run queries (and so need SPI). */
#define REQUIREMENTS_NEEDING_QUERIES \
	(REQUIRES_DETERMINATION | REQUIRES_NOTIFICATION_DATE | \
	 REQUIRES_APPEAL_WINDOW | REQUIRES_CORRECTION_PLAN | \
	 REQUIRES_PLANS_COMPLETED | REQUIRES_WARRANTED_CLARIFICATION | \
	 REQUIRES_RESOLVED_VISIT | REQUIRES_VISIT_IF_LENIENT | \
	 REQUIRES_NO_OPEN_PLAN | REQUIRES_DETERMINATION_STANDS)

/*
 * Requirements of a legal transition, or -1 when it is not legal; any int
 * is a safe argument.  The next statuses of "from" as a bit mask (bit n =
 * code n, so bit 0 is never set).
 */
extern int	case_transition_requirements(CaseStatus from, CaseStatus to);
extern bool case_status_can_transition(CaseStatus from, CaseStatus to);
extern uint32_t case_status_next_mask(CaseStatus from);

/*
 * The statuses reachable from received by paths that never enter a status
 * of "avoid" (a bit mask as above; bits that are no status are ignored):
 * any other status is reached only through "avoid".
 */
extern uint32_t case_status_reached_avoiding(uint32_t avoid);

/*
 * The name of one requirement bit (e.g. "determination"), as
 * transition_requirements() lists it; NULL for anything but one bit.
 */
extern const char *case_requirement_name(int bit);

/* rules.c: the decision procedure */

/* The facts keys of assess_tolerance, by index. */
typedef enum ToleranceFact
{
	FACT_SITUATION,				/* text: national code or unit-list item */
	FACT_SITUATION_LISTED,		/* boolean, default false */
	FACT_EXCLUDED,				/* boolean, default false: negative list */
	FACT_RED_LINE_BREACH,		/* gates: booleans */
	FACT_KNOWING_VIOLATION,
	FACT_VIOLATED_EXPLICIT_BAN,
	FACT_PRIVATE_GAIN,
	FACT_FRAUD_OR_OBSTRUCTION,
	FACT_REPEATED_ERROR,
	FACT_CONSEQUENCE,			/* none | minor | serious | grave */
	FACT_PROCEDURE_PROPER,		/* conditions: booleans */
	FACT_DILIGENT,
	FACT_CORRECTED_PROMPTLY,
	FACT_LOSS_RECOVERED,		/* none | partial | full, default none */
	FACT_COOPERATED				/* boolean, default false */
} ToleranceFact;

#define TOLERANCE_FACT_COUNT 15

/* Every fact's value 0 means absent (the key left out, or JSON null). */
#define FACT_ABSENT 0

/* Values of a boolean fact. */
typedef enum ToleranceBoolean
{
	FACT_FALSE = 1,
	FACT_TRUE
} ToleranceBoolean;

/* Values of situation: the national codes, then any other (listed) text. */
typedef enum ToleranceSituation
{
	SITUATION_REFORM_PILOT = 1, /* 改革先行先试 */
	SITUATION_EXPLORATORY_TRIAL,	/* 无明确限制的探索性试验 */
	SITUATION_DEVELOPMENT_INADVERTENT,	/* 推动发展的无意过失 */
	SITUATION_COLLECTIVE_DISSENT,	/* 集体决策中明确反对 */
	SITUATION_FORCE_MAJEURE,	/* 不可抗力、难以预见 */
	SITUATION_OTHER				/* a unit-list item code */
} ToleranceSituation;

/* Values of consequence, in order of gravity. */
typedef enum ToleranceConsequence
{
	CONSEQUENCE_NONE = 1,
	CONSEQUENCE_MINOR,
	CONSEQUENCE_SERIOUS,
	CONSEQUENCE_GRAVE
} ToleranceConsequence;

/* Values of loss_recovered. */
typedef enum ToleranceLossRecovered
{
	LOSS_RECOVERED_NONE = 1,
	LOSS_RECOVERED_PARTIAL,
	LOSS_RECOVERED_FULL
} ToleranceLossRecovered;

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

extern const FactDefinition fact_definitions[TOLERANCE_FACT_COUNT];

/*
 * The facts of one matter.  value[f] is FACT_ABSENT or the fact's enum
 * value above.  situation points at the situation text as written (not
 * NUL-terminated, inside the input it was read from), NULL when absent,
 * so assess_case can look it up in the unit's list.
 */
typedef struct ToleranceFacts
{
	uint8_t		value[TOLERANCE_FACT_COUNT];
	const char *situation;
	size_t		situation_len;
} ToleranceFacts;

/*
 * One value of a facts object, as its reader (the jsonb iterator, or a
 * test's parser) found it: the JSON type, and the boolean or the string
 * bytes (not NUL-terminated) when it is one.
 */
typedef enum FactValueType
{
	FACT_VALUE_NULL,
	FACT_VALUE_BOOLEAN,
	FACT_VALUE_STRING,
	FACT_VALUE_NUMBER,
	FACT_VALUE_OBJECT,
	FACT_VALUE_ARRAY,
	FACT_VALUE_OTHER
} FactValueType;

typedef struct FactValue
{
	FactValueType type;
	bool		boolean;		/* FACT_VALUE_BOOLEAN */
	const char *string;			/* FACT_VALUE_STRING: the bytes */
	size_t		len;
} FactValue;

/* What the validation of one value found (tolerance_fact_set). */
typedef enum FactCheck
{
	FACT_CHECK_OK,
	FACT_CHECK_NO_SUCH_FACT,	/* fact is no ToleranceFact */
	FACT_CHECK_WRONG_TYPE,		/* not the key's JSON type */
	FACT_CHECK_BAD_CHOICE,		/* a string outside a closed list */
	FACT_CHECK_TOO_LONG			/* an open choice longer than a code */
} FactCheck;

/*
 * The longest situation (容错情形) a facts object may name, in bytes.  A
 * situation outside the national codes is the code of a tolerance-list
 * item, so this also bounds those codes (tolerance_list_items checks its
 * codes through the same validation).
 */
#define TOLERANCE_SITUATION_MAX_BYTES 128

/*
 * The per-key validation of a facts object, for whatever reads it:
 * tolerance_fact_from_key maps a key (exact bytes) to its fact, or -1;
 * tolerance_fact_set checks one value against its fact's definition and
 * records it in facts (a null leaves the fact as it was).  A caller starts
 * from tolerance_facts_init and stops at the first failure.
 */
extern void tolerance_facts_init(ToleranceFacts *facts);
extern const char *fact_value_type_name(FactValueType type);
extern int	tolerance_fact_from_key(const char *key, size_t len);
extern FactCheck tolerance_fact_set(ToleranceFacts *facts, ToleranceFact fact,
									const FactValue *value);

/*
 * The rules of version 1 in the order they are applied; each is one row of
 * tolerance_rule_table and one reason code.  Never renumber, only append.
 */
typedef enum ToleranceRule
{
	RULE_GATE_RED_LINE,
	RULE_MISSING_RED_LINE_BREACH,
	RULE_GATE_KNOWING_VIOLATION,
	RULE_MISSING_KNOWING_VIOLATION,
	RULE_GATE_EXPLICIT_BAN,
	RULE_MISSING_VIOLATED_EXPLICIT_BAN,
	RULE_GATE_PRIVATE_GAIN,
	RULE_MISSING_PRIVATE_GAIN,
	RULE_GATE_FRAUD_OR_OBSTRUCTION,
	RULE_MISSING_FRAUD_OR_OBSTRUCTION,
	RULE_GATE_REPEATED_ERROR,
	RULE_MISSING_REPEATED_ERROR,
	RULE_GATE_SERIOUS_CONSEQUENCE,
	RULE_MISSING_CONSEQUENCE,
	RULE_GATE_EXCLUDED,
	RULE_SITUATION_REFORM_PILOT,
	RULE_SITUATION_EXPLORATORY_TRIAL,
	RULE_SITUATION_DEVELOPMENT_INADVERTENT,
	RULE_SITUATION_COLLECTIVE_DISSENT,
	RULE_SITUATION_FORCE_MAJEURE,
	RULE_SITUATION_LISTED,
	RULE_NO_SITUATION,
	RULE_CONDITION_PROCEDURE_NOT_PROPER,
	RULE_MISSING_PROCEDURE_PROPER,
	RULE_CONDITION_NOT_DILIGENT,
	RULE_MISSING_DILIGENT,
	RULE_CONDITION_NOT_CORRECTED_PROMPTLY,
	RULE_MISSING_CORRECTED_PROMPTLY,
	RULE_CONDITIONS_MET,
	RULE_CONSEQUENCE_NONE,
	RULE_CONSEQUENCE_MINOR,
	RULE_MITIGATION_FULL_RECOVERY_AND_COOPERATION,
	RULE_MITIGATION_FULL_RECOVERY,
	RULE_MITIGATION_PARTIAL_RECOVERY,
	RULE_MITIGATION_COOPERATION,
	RULE_NO_MITIGATION
} ToleranceRule;

#define TOLERANCE_RULE_COUNT (RULE_NO_MITIGATION + 1)

/* One rule: its reason code, step (1-4), texts and source (UTF-8). */
typedef struct ToleranceRuleInfo
{
	const char *code;
	int			step;
	const char *en;
	const char *zh;
	const char *source;
} ToleranceRuleInfo;

extern const ToleranceRuleInfo tolerance_rule_table[TOLERANCE_RULE_COUNT];

/*
 * The reasons of one decision, in the order the rules were applied.  The
 * longest list is all eight gates failing.
 */
#define TOLERANCE_MAX_REASONS 8

typedef struct ToleranceReasons
{
	int			count;
	ToleranceRule rule[TOLERANCE_MAX_REASONS];
} ToleranceReasons;

/*
 * The decision procedure itself: safe for any byte values in facts (a
 * value no reader produces never helps the subject).
 */
extern ToleranceOutcome tolerance_decide(const ToleranceFacts *facts,
										 ToleranceReasons *reasons);

/*
 * write_model.c: the write model, one rule per column of every table of
 * the permanent record (DESIGN.md "Engineering rules": one write model).
 */
typedef enum ColumnClass
{
	COLUMN_IDENTITY,			/* set on insert, never changed */
	COLUMN_STATE,				/* changed only by a transition (cases) */
	COLUMN_MAINTAINED,			/* written by the database, never by a client */
	COLUMN_FILL_ONCE,			/* NULL to a value once, then frozen */
	COLUMN_FREE,				/* free text or data, while the record is open */
	COLUMN_NOTE,				/* free, and may go with a transition */
	COLUMN_MOVE,				/* changed only by an audited move function */
	COLUMN_GROWS				/* a list: values added, never withdrawn */
} ColumnClass;

#define COLUMN_CLASS_COUNT 8

/* What a table hangs off: its freeze follows that record. */
typedef enum TableParent
{
	PARENT_NONE,				/* a catalogue or the case itself */
	PARENT_CASE,				/* frozen when the case is closed */
	PARENT_SUBJECT				/* scoped by the subject's unit */
} TableParent;

typedef struct ColumnRule
{
	const char *column;
	ColumnClass column_class;
	const char *why;			/* one line, English */
	uint32_t	statuses;		/* fill_once, free and state: the statuses (bit n =
								 * code n, STATUS_BIT) the case must be in
								 * for the column to be written, or 0 for
								 * any open status */
} ColumnRule;

/* One status as a bit of a ColumnRule's statuses. */
#define STATUS_BIT(status)	((uint32_t) 1 << (status))

typedef struct TableModel
{
	const char *table;
	TableParent parent;
	bool		rows_kept;		/* never deleted: the permanent record */
	const ColumnRule *columns;
	int			column_count;
} TableModel;

extern const TableModel write_model_tables[];
extern const int write_model_table_count;
extern const char *const column_class_names[COLUMN_CLASS_COUNT];

/* The model of a table, or NULL; the rule of one of its columns, or NULL. */
extern const TableModel *write_model_table(const char *table);
extern const ColumnRule *write_model_column(const TableModel *model,
											const char *column);

/*
 * written.c: "written" text has at least one character that is not white
 * space in Unicode's sense (UTF-8 input; invalid bytes count as written,
 * the server has validated the encoding already).
 */
extern bool utf8_is_written(const char *text, size_t len);

/* No blank character (as above) first or last; true for the empty text. */
extern bool utf8_is_trimmed(const char *text, size_t len);

/*
 * One line of plain text (a name): the 1-based position of the first
 * control, line or paragraph separator, format character or invalid byte;
 * 0 when there is none.
 */
extern size_t utf8_one_line_offender(const char *text, size_t len);

#endif							/* PG_ACCOUNTABILITY_CORE_H */
