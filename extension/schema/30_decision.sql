/* ------------------------------------------------------------------------
 * 3. The decision procedure (assess.c)
 *
 * Rules version 1 (容错认定): gates, situation, conditions, mitigation.
 * The rules live once, as the C rule table that tolerance_rules() lists;
 * assess_tolerance and facts_are_valid read the facts with the same code.
 * ------------------------------------------------------------------------
 */

CREATE TYPE accountability.tolerance_assessment AS (
    outcome accountability.tolerance_outcome,
    reasons text[]
);

COMMENT ON TYPE accountability.tolerance_assessment IS
'Result of a tolerance assessment (容错认定): the outcome and the reason codes that explain it.';
COMMENT ON COLUMN accountability.tolerance_assessment.outcome IS
'The outcome (容错认定结果): not_tolerable 不予容错, lighter 从轻问责, reduced 减轻问责, exempted 免予问责 or not_accountable 不予问责.';
COMMENT ON COLUMN accountability.tolerance_assessment.reasons IS
'Reason codes (理由) in the order the rules were applied: every gate that failed, or the situation, the conditions and the mitigation that decided the grade. Explained by accountability.tolerance_rules().';

CREATE FUNCTION accountability.assess_tolerance(facts jsonb)
RETURNS accountability.tolerance_assessment
AS 'MODULE_PATHNAME', 'tolerance_assess'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION accountability.facts_are_valid(facts jsonb)
RETURNS boolean
AS 'MODULE_PATHNAME', 'tolerance_facts_are_valid'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION accountability.tolerance_rules()
RETURNS TABLE (code text, step integer, text_en text, text_zh text, source text)
AS 'MODULE_PATHNAME', 'tolerance_rules'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
ROWS 36;

COMMENT ON FUNCTION accountability.assess_tolerance(jsonb) IS
'Tolerance decision procedure (容错认定), rules version 1. facts is a JSON object with the keys situation (text: reform_pilot, exploratory_trial, development_inadvertent, collective_dissent, force_majeure, or a unit-list item code), situation_listed, excluded, red_line_breach, knowing_violation, violated_explicit_ban, private_gain, fraud_or_obstruction, repeated_error, procedure_proper, diligent, corrected_promptly, cooperated (booleans), consequence (none, minor, serious, grave) and loss_recovered (none, partial, full). A JSON null counts as an absent key; a missing fact never helps the subject. Bad facts raise 22023.';
-- @region facts_are_valid_comment
COMMENT ON FUNCTION accountability.facts_are_valid(jsonb) IS
'True when facts are valid tolerance facts (容错事实); otherwise raises the error assess_tolerance would raise (22023; 22001 for a situation longer than 128 bytes). For CHECK constraints.';
-- @end facts_are_valid_comment
COMMENT ON FUNCTION accountability.tolerance_rules() IS
'The rule table of the tolerance decision procedure (容错认定规则), in the order rules are applied: reason code, step (1 gates 排除情形, 2 situation 容错情形, 3 conditions 容错条件, 4 mitigation 从轻减轻情节), English and Chinese text, source.';

/*
 * Privileges: the decision procedure is for every group role.
 * (facts_are_valid is the CHECK on cases.facts: whoever writes a case
 * executes it.)
 */
REVOKE ALL ON TYPE accountability.tolerance_assessment FROM PUBLIC;
GRANT USAGE ON TYPE accountability.tolerance_assessment TO accountability_reader;
REVOKE ALL ON FUNCTION
    accountability.assess_tolerance(jsonb),
    accountability.facts_are_valid(jsonb),
    accountability.tolerance_rules()
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    accountability.assess_tolerance(jsonb),
    accountability.facts_are_valid(jsonb),
    accountability.tolerance_rules()
TO accountability_reader;
-- @region jsonb_string_casts

/*
 * Facts from a string parameter (issue 16): JDBC's setString binds a
 * varchar, other drivers text, and PostgreSQL converts neither to jsonb on
 * its own.  An assignment cast (through jsonb's text input, so bad JSON is
 * 22P02 as ever) lets INSERT and UPDATE of a jsonb column take them.
 * Assignment casts take no part in choosing an operator or a function, so
 * no query changes meaning.  The casts are the database's, like any cast:
 * they apply to every jsonb column of the database, and go with DROP
 * EXTENSION.
 */
CREATE CAST (character varying AS jsonb) WITH INOUT AS ASSIGNMENT;
CREATE CAST (text AS jsonb) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (character varying AS jsonb) IS 'varchar to jsonb on INSERT and UPDATE (assignment), for facts bound with JDBC setString; through jsonb input. 字符串参数写入 jsonb（事实）。';
COMMENT ON CAST (text AS jsonb) IS 'text to jsonb on INSERT and UPDATE (assignment), for facts bound as text; through jsonb input. 文本参数写入 jsonb（事实）。';

-- @end jsonb_string_casts
