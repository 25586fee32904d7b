--
-- The tolerance decision procedure (容错认定): what a user types and sees.
--
SET search_path = public, accountability;

-- The rules of version 1, in the order they are applied.  Every reason code
-- assess_tolerance gives is one of these.
SELECT code, step, text_en FROM tolerance_rules();
SELECT code, text_zh, source FROM tolerance_rules() WHERE step IN (2, 4);

-- The facts of a matter that passes every gate, has a national situation
-- and meets every condition.
\set facts '{"situation": "reform_pilot", "red_line_breach": false, "knowing_violation": false, "violated_explicit_ban": false, "private_gain": false, "fraud_or_obstruction": false, "repeated_error": false, "consequence": "none", "procedure_proper": true, "diligent": true, "corrected_promptly": true}'

-- Conditions met, no consequence: not held accountable (不予问责).
SELECT * FROM assess_tolerance(:'facts');
-- Conditions met, a minor consequence: liability waived (免予问责).
SELECT * FROM assess_tolerance(:'facts'::jsonb || '{"consequence": "minor"}');
-- A condition not met, the loss fully recovered and cooperation: one grade below (减轻).
SELECT * FROM assess_tolerance(:'facts'::jsonb || '{"diligent": false, "loss_recovered": "full", "cooperated": true}');
-- A condition not met, the loss partly recovered: lighter within the range (从轻).
SELECT * FROM assess_tolerance(:'facts'::jsonb || '{"corrected_promptly": false, "loss_recovered": "partial"}');
-- Two conditions not met (one unrecorded), cooperation only: lighter.
SELECT * FROM assess_tolerance(:'facts'::jsonb - 'procedure_proper' || '{"diligent": false, "cooperated": true}');
-- A condition not met and nothing mitigates: no tolerance (不予容错).
SELECT * FROM assess_tolerance(:'facts'::jsonb || '{"procedure_proper": false}');

-- Gates: every failing gate is listed, in a fixed order; a missing gate
-- fact fails its gate.  Nothing after the gates is examined.
SELECT * FROM assess_tolerance(:'facts'::jsonb || '{"private_gain": true}');
SELECT * FROM assess_tolerance(:'facts'::jsonb || '{"consequence": "grave", "excluded": true, "knowing_violation": true}');
SELECT * FROM assess_tolerance(:'facts'::jsonb - 'repeated_error' - 'consequence');
SELECT * FROM assess_tolerance('{}');

-- Situations: a national code needs no listing; any other code is a unit
-- list item and counts only when situation_listed is true.
SELECT * FROM assess_tolerance(:'facts'::jsonb || '{"situation": "force_majeure"}');
SELECT * FROM assess_tolerance(:'facts'::jsonb || '{"situation": "zj_a3_emergency", "situation_listed": true}');
SELECT * FROM assess_tolerance(:'facts'::jsonb || '{"situation": "zj_a3_emergency"}');
SELECT * FROM assess_tolerance(:'facts'::jsonb - 'situation' || '{"situation_listed": true}');
SELECT * FROM assess_tolerance(:'facts'::jsonb || '{"situation": "Reform_Pilot"}');

-- A JSON null is the same as leaving the key out.
SELECT * FROM assess_tolerance(:'facts'::jsonb || '{"situation": null}');
SELECT * FROM assess_tolerance(:'facts'::jsonb || '{"private_gain": null, "cooperated": null}');

-- Over a table: the outcome and its Chinese label, and the first reason.
CREATE TABLE matters (id int PRIMARY KEY, facts jsonb NOT NULL CHECK (facts_are_valid(facts)));
INSERT INTO matters VALUES
  (1, :'facts'),
  (2, :'facts'::jsonb || '{"consequence": "minor"}'),
  (3, :'facts'::jsonb || '{"diligent": false, "loss_recovered": "full", "cooperated": true}'),
  (4, :'facts'::jsonb || '{"diligent": false, "cooperated": true}'),
  (5, :'facts'::jsonb || '{"repeated_error": true}');
SELECT id, (a).outcome, label((a).outcome, 'zh') AS zh, (a).reasons[1] AS first_reason,
       (a).outcome >= 'exempted' AS no_sanction
FROM (SELECT id, assess_tolerance(facts) AS a FROM matters) m
ORDER BY id;
-- The most lenient outcome among them.
SELECT max((assess_tolerance(facts)).outcome) FROM matters;

-- Explaining an assessment: its reasons joined to the rule table.
SELECT r.ord, t.code, t.step, t.text_zh
FROM unnest((assess_tolerance(:'facts'::jsonb || '{"diligent": false, "loss_recovered": "partial"}')).reasons)
     WITH ORDINALITY AS r(code, ord)
JOIN tolerance_rules() t USING (code)
ORDER BY r.ord;

-- NULL in, NULL out.
SELECT assess_tolerance(NULL) IS NULL AS assess_null, facts_are_valid(NULL) IS NULL AS valid_null;

-- facts_are_valid: true, or the same error as assess_tolerance.
SELECT facts_are_valid('{}'), facts_are_valid(:'facts');

-- Bad facts: 22023, naming the key and what is allowed.
SELECT assess_tolerance('[]');
\echo :LAST_ERROR_SQLSTATE
SELECT assess_tolerance('"reform_pilot"');
\echo :LAST_ERROR_SQLSTATE
SELECT assess_tolerance('null');
\echo :LAST_ERROR_SQLSTATE
SELECT assess_tolerance('{"situaton": "reform_pilot"}');
\echo :LAST_ERROR_SQLSTATE
SELECT assess_tolerance('{"Diligent": true}');
\echo :LAST_ERROR_SQLSTATE
SELECT assess_tolerance('{"diligent": "true"}');
\echo :LAST_ERROR_SQLSTATE
SELECT assess_tolerance('{"excluded": 0}');
\echo :LAST_ERROR_SQLSTATE
SELECT assess_tolerance('{"private_gain": {"amount": 10}}');
\echo :LAST_ERROR_SQLSTATE
SELECT assess_tolerance('{"situation": 1}');
\echo :LAST_ERROR_SQLSTATE
SELECT assess_tolerance('{"consequence": ["minor"]}');
\echo :LAST_ERROR_SQLSTATE
SELECT assess_tolerance('{"consequence": "severe"}');
\echo :LAST_ERROR_SQLSTATE
SELECT assess_tolerance('{"consequence": "None"}');
\echo :LAST_ERROR_SQLSTATE
SELECT assess_tolerance('{"loss_recovered": "half"}');
\echo :LAST_ERROR_SQLSTATE
SELECT assess_tolerance('{"loss_recovered": true}');
\echo :LAST_ERROR_SQLSTATE
SELECT facts_are_valid('{"cooperated": "yes"}');
\echo :LAST_ERROR_SQLSTATE
-- The CHECK constraint refuses bad facts with the same error.
INSERT INTO matters VALUES (6, '{"consequence": "catastrophic"}');
\echo :LAST_ERROR_SQLSTATE

DROP TABLE matters;
