-- pgTAP: the tolerance decision procedure, assess_tolerance(facts jsonb).
-- A decision table written from DESIGN.md "The decision procedure", every
-- error path with its SQLSTATE, the rule table, and a parallel plan.
BEGIN;
SET LOCAL search_path = accountability, public;
SELECT plan(126);

-- The facts of a matter that passes every gate, has a national situation
-- and meets every condition; each row below changes or removes some of them.
CREATE FUNCTION pg_temp.facts(changes jsonb DEFAULT '{}', removed text[] DEFAULT '{}')
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT ('{"situation": "reform_pilot", "red_line_breach": false, "knowing_violation": false,
            "violated_explicit_ban": false, "private_gain": false, "fraud_or_obstruction": false,
            "repeated_error": false, "consequence": "none", "procedure_proper": true,
            "diligent": true, "corrected_promptly": true}'::jsonb - removed) || changes $$;

CREATE TEMP TABLE decision (n serial, description text, facts jsonb, outcome text, reasons text[])
  ON COMMIT DROP;
INSERT INTO decision (description, facts, outcome, reasons) VALUES
  -- 1. Every gate alone.
  ('gate: red line', pg_temp.facts('{"red_line_breach": true}'), 'not_tolerable', '{GATE_RED_LINE}'),
  ('gate: knowing violation', pg_temp.facts('{"knowing_violation": true}'), 'not_tolerable', '{GATE_KNOWING_VIOLATION}'),
  ('gate: explicit ban', pg_temp.facts('{"violated_explicit_ban": true}'), 'not_tolerable', '{GATE_EXPLICIT_BAN}'),
  ('gate: private gain', pg_temp.facts('{"private_gain": true}'), 'not_tolerable', '{GATE_PRIVATE_GAIN}'),
  ('gate: fraud or obstruction', pg_temp.facts('{"fraud_or_obstruction": true}'), 'not_tolerable', '{GATE_FRAUD_OR_OBSTRUCTION}'),
  ('gate: repeated error', pg_temp.facts('{"repeated_error": true}'), 'not_tolerable', '{GATE_REPEATED_ERROR}'),
  ('gate: serious consequence', pg_temp.facts('{"consequence": "serious"}'), 'not_tolerable', '{GATE_SERIOUS_CONSEQUENCE}'),
  ('gate: grave consequence', pg_temp.facts('{"consequence": "grave"}'), 'not_tolerable', '{GATE_SERIOUS_CONSEQUENCE}'),
  ('gate: negative list', pg_temp.facts('{"excluded": true}'), 'not_tolerable', '{GATE_EXCLUDED}'),
  -- Gates in combination: all listed, in the fixed order, whatever the key order.
  ('gates: all eight fail',
   pg_temp.facts('{"excluded": true, "consequence": "grave", "repeated_error": true, "fraud_or_obstruction": true,
                   "private_gain": true, "violated_explicit_ban": true, "knowing_violation": true, "red_line_breach": true}'),
   'not_tolerable', '{GATE_RED_LINE,GATE_KNOWING_VIOLATION,GATE_EXPLICIT_BAN,GATE_PRIVATE_GAIN,GATE_FRAUD_OR_OBSTRUCTION,GATE_REPEATED_ERROR,GATE_SERIOUS_CONSEQUENCE,GATE_EXCLUDED}'),
  ('gates: red line and negative list', pg_temp.facts('{"excluded": true, "red_line_breach": true}'),
   'not_tolerable', '{GATE_RED_LINE,GATE_EXCLUDED}'),
  ('gates: the three distinctions', pg_temp.facts('{"private_gain": true, "violated_explicit_ban": true, "knowing_violation": true}'),
   'not_tolerable', '{GATE_KNOWING_VIOLATION,GATE_EXPLICIT_BAN,GATE_PRIVATE_GAIN}'),
  ('gates: gain, repetition, serious consequence', pg_temp.facts('{"private_gain": true, "repeated_error": true, "consequence": "serious"}'),
   'not_tolerable', '{GATE_PRIVATE_GAIN,GATE_REPEATED_ERROR,GATE_SERIOUS_CONSEQUENCE}'),
  ('gates: failed and missing facts interleave in gate order',
   pg_temp.facts('{"private_gain": true}', '{red_line_breach,consequence}'),
   'not_tolerable', '{MISSING_RED_LINE_BREACH,GATE_PRIVATE_GAIN,MISSING_CONSEQUENCE}'),
  ('gates: a failed gate is not outweighed by anything lenient',
   pg_temp.facts('{"fraud_or_obstruction": true, "situation_listed": true, "loss_recovered": "full", "cooperated": true}'),
   'not_tolerable', '{GATE_FRAUD_OR_OBSTRUCTION}'),
  ('gates: after a failed gate the situation is not examined', pg_temp.facts('{"repeated_error": true}', '{situation}'),
   'not_tolerable', '{GATE_REPEATED_ERROR}'),
  -- 2. Every missing fact, one at a time.
  ('missing: red_line_breach', pg_temp.facts('{}', '{red_line_breach}'), 'not_tolerable', '{MISSING_RED_LINE_BREACH}'),
  ('missing: knowing_violation', pg_temp.facts('{}', '{knowing_violation}'), 'not_tolerable', '{MISSING_KNOWING_VIOLATION}'),
  ('missing: violated_explicit_ban', pg_temp.facts('{}', '{violated_explicit_ban}'), 'not_tolerable', '{MISSING_VIOLATED_EXPLICIT_BAN}'),
  ('missing: private_gain', pg_temp.facts('{}', '{private_gain}'), 'not_tolerable', '{MISSING_PRIVATE_GAIN}'),
  ('missing: fraud_or_obstruction', pg_temp.facts('{}', '{fraud_or_obstruction}'), 'not_tolerable', '{MISSING_FRAUD_OR_OBSTRUCTION}'),
  ('missing: repeated_error', pg_temp.facts('{}', '{repeated_error}'), 'not_tolerable', '{MISSING_REPEATED_ERROR}'),
  ('missing: consequence', pg_temp.facts('{}', '{consequence}'), 'not_tolerable', '{MISSING_CONSEQUENCE}'),
  ('missing: excluded defaults to false', pg_temp.facts('{}', '{excluded}'),
   'not_accountable', '{SITUATION_REFORM_PILOT,CONDITIONS_MET,CONSEQUENCE_NONE}'),
  ('missing: situation', pg_temp.facts('{}', '{situation}'), 'not_tolerable', '{NO_SITUATION}'),
  ('missing: situation_listed defaults to false', pg_temp.facts('{"situation": "hz_item_12"}'), 'not_tolerable', '{NO_SITUATION}'),
  ('missing: procedure_proper is a condition not met', pg_temp.facts('{}', '{procedure_proper}'),
   'not_tolerable', '{SITUATION_REFORM_PILOT,MISSING_PROCEDURE_PROPER,NO_MITIGATION}'),
  ('missing: diligent is a condition not met', pg_temp.facts('{}', '{diligent}'),
   'not_tolerable', '{SITUATION_REFORM_PILOT,MISSING_DILIGENT,NO_MITIGATION}'),
  ('missing: corrected_promptly is a condition not met', pg_temp.facts('{}', '{corrected_promptly}'),
   'not_tolerable', '{SITUATION_REFORM_PILOT,MISSING_CORRECTED_PROMPTLY,NO_MITIGATION}'),
  ('missing: loss_recovered defaults to none', pg_temp.facts('{"diligent": false, "cooperated": true}'),
   'lighter', '{SITUATION_REFORM_PILOT,CONDITION_NOT_DILIGENT,MITIGATION_COOPERATION}'),
  ('missing: cooperated defaults to false', pg_temp.facts('{"diligent": false, "loss_recovered": "full"}'),
   'lighter', '{SITUATION_REFORM_PILOT,CONDITION_NOT_DILIGENT,MITIGATION_FULL_RECOVERY}'),
  ('missing: everything', '{}', 'not_tolerable',
   '{MISSING_RED_LINE_BREACH,MISSING_KNOWING_VIOLATION,MISSING_VIOLATED_EXPLICIT_BAN,MISSING_PRIVATE_GAIN,MISSING_FRAUD_OR_OBSTRUCTION,MISSING_REPEATED_ERROR,MISSING_CONSEQUENCE}'),
  -- A JSON null is an absent key.
  ('null: a gate fact', pg_temp.facts('{"private_gain": null}'), 'not_tolerable', '{MISSING_PRIVATE_GAIN}'),
  ('null: consequence', pg_temp.facts('{"consequence": null}'), 'not_tolerable', '{MISSING_CONSEQUENCE}'),
  ('null: situation', pg_temp.facts('{"situation": null, "situation_listed": true}'), 'not_tolerable', '{NO_SITUATION}'),
  ('null: excluded', pg_temp.facts('{"excluded": null}'), 'not_accountable', '{SITUATION_REFORM_PILOT,CONDITIONS_MET,CONSEQUENCE_NONE}'),
  ('null: a condition', pg_temp.facts('{"diligent": null, "cooperated": true}'),
   'lighter', '{SITUATION_REFORM_PILOT,MISSING_DILIGENT,MITIGATION_COOPERATION}'),
  ('null: mitigation facts', pg_temp.facts('{"diligent": false, "loss_recovered": null, "cooperated": null}'),
   'not_tolerable', '{SITUATION_REFORM_PILOT,CONDITION_NOT_DILIGENT,NO_MITIGATION}'),
  -- 3. Every national situation; listed and unlisted situations.
  ('situation: reform_pilot', pg_temp.facts('{"situation": "reform_pilot"}'),
   'not_accountable', '{SITUATION_REFORM_PILOT,CONDITIONS_MET,CONSEQUENCE_NONE}'),
  ('situation: exploratory_trial', pg_temp.facts('{"situation": "exploratory_trial"}'),
   'not_accountable', '{SITUATION_EXPLORATORY_TRIAL,CONDITIONS_MET,CONSEQUENCE_NONE}'),
  ('situation: development_inadvertent', pg_temp.facts('{"situation": "development_inadvertent"}'),
   'not_accountable', '{SITUATION_DEVELOPMENT_INADVERTENT,CONDITIONS_MET,CONSEQUENCE_NONE}'),
  ('situation: collective_dissent', pg_temp.facts('{"situation": "collective_dissent"}'),
   'not_accountable', '{SITUATION_COLLECTIVE_DISSENT,CONDITIONS_MET,CONSEQUENCE_NONE}'),
  ('situation: force_majeure', pg_temp.facts('{"situation": "force_majeure"}'),
   'not_accountable', '{SITUATION_FORCE_MAJEURE,CONDITIONS_MET,CONSEQUENCE_NONE}'),
  ('situation: a national code needs no listing', pg_temp.facts('{"situation": "collective_dissent", "situation_listed": false}'),
   'not_accountable', '{SITUATION_COLLECTIVE_DISSENT,CONDITIONS_MET,CONSEQUENCE_NONE}'),
  ('situation: a listed national code is reported as national', pg_temp.facts('{"situation": "force_majeure", "situation_listed": true}'),
   'not_accountable', '{SITUATION_FORCE_MAJEURE,CONDITIONS_MET,CONSEQUENCE_NONE}'),
  ('situation: a listed unit item', pg_temp.facts('{"situation": "hz_item_12", "situation_listed": true}'),
   'not_accountable', '{SITUATION_LISTED,CONDITIONS_MET,CONSEQUENCE_NONE}'),
  ('situation: a listed unit item written in Chinese', pg_temp.facts('{"situation": "应急处突失误", "situation_listed": true}'),
   'not_accountable', '{SITUATION_LISTED,CONDITIONS_MET,CONSEQUENCE_NONE}'),
  ('situation: an unlisted unit item', pg_temp.facts('{"situation": "hz_item_12", "situation_listed": false}'),
   'not_tolerable', '{NO_SITUATION}'),
  ('situation: national codes are matched exactly', pg_temp.facts('{"situation": "Reform_Pilot"}'),
   'not_tolerable', '{NO_SITUATION}'),
  ('situation: a code in another case is an item like any other', pg_temp.facts('{"situation": "Reform_Pilot", "situation_listed": true}'),
   'not_accountable', '{SITUATION_LISTED,CONDITIONS_MET,CONSEQUENCE_NONE}'),
  ('situation: an empty string, unlisted', pg_temp.facts('{"situation": ""}'), 'not_tolerable', '{NO_SITUATION}'),
  ('situation: listed but not named', pg_temp.facts('{"situation_listed": true}', '{situation}'), 'not_tolerable', '{NO_SITUATION}'),
  ('situation: none, whatever mitigates', pg_temp.facts('{"diligent": false, "loss_recovered": "full", "cooperated": true}', '{situation}'),
   'not_tolerable', '{NO_SITUATION}'),
  -- 4. Consequence when every condition is met.
  ('conditions met, minor consequence', pg_temp.facts('{"consequence": "minor"}'),
   'exempted', '{SITUATION_REFORM_PILOT,CONDITIONS_MET,CONSEQUENCE_MINOR}'),
  ('conditions met, minor consequence, listed item', pg_temp.facts('{"consequence": "minor", "situation": "hz_item_12", "situation_listed": true}'),
   'exempted', '{SITUATION_LISTED,CONDITIONS_MET,CONSEQUENCE_MINOR}'),
  ('conditions met: mitigation is not examined', pg_temp.facts('{"loss_recovered": "full", "cooperated": true}'),
   'not_accountable', '{SITUATION_REFORM_PILOT,CONDITIONS_MET,CONSEQUENCE_NONE}'),
  -- 5. Every condition failing alone (nothing mitigates), and together.
  ('condition: procedure not proper', pg_temp.facts('{"procedure_proper": false}'),
   'not_tolerable', '{SITUATION_REFORM_PILOT,CONDITION_PROCEDURE_NOT_PROPER,NO_MITIGATION}'),
  ('condition: not diligent', pg_temp.facts('{"diligent": false}'),
   'not_tolerable', '{SITUATION_REFORM_PILOT,CONDITION_NOT_DILIGENT,NO_MITIGATION}'),
  ('condition: not corrected promptly', pg_temp.facts('{"corrected_promptly": false}'),
   'not_tolerable', '{SITUATION_REFORM_PILOT,CONDITION_NOT_CORRECTED_PROMPTLY,NO_MITIGATION}'),
  ('conditions: all three fail', pg_temp.facts('{"corrected_promptly": false, "diligent": false, "procedure_proper": false}'),
   'not_tolerable', '{SITUATION_REFORM_PILOT,CONDITION_PROCEDURE_NOT_PROPER,CONDITION_NOT_DILIGENT,CONDITION_NOT_CORRECTED_PROMPTLY,NO_MITIGATION}'),
  ('conditions: one failed, one missing, in condition order', pg_temp.facts('{"corrected_promptly": false}', '{procedure_proper}'),
   'not_tolerable', '{SITUATION_REFORM_PILOT,MISSING_PROCEDURE_PROPER,CONDITION_NOT_CORRECTED_PROMPTLY,NO_MITIGATION}'),
  -- 6. Each mitigation branch.
  ('mitigation: full recovery and cooperation', pg_temp.facts('{"diligent": false, "loss_recovered": "full", "cooperated": true}'),
   'reduced', '{SITUATION_REFORM_PILOT,CONDITION_NOT_DILIGENT,MITIGATION_FULL_RECOVERY_AND_COOPERATION}'),
  ('mitigation: full recovery without cooperation', pg_temp.facts('{"diligent": false, "loss_recovered": "full", "cooperated": false}'),
   'lighter', '{SITUATION_REFORM_PILOT,CONDITION_NOT_DILIGENT,MITIGATION_FULL_RECOVERY}'),
  ('mitigation: partial recovery', pg_temp.facts('{"diligent": false, "loss_recovered": "partial", "cooperated": false}'),
   'lighter', '{SITUATION_REFORM_PILOT,CONDITION_NOT_DILIGENT,MITIGATION_PARTIAL_RECOVERY}'),
  ('mitigation: partial recovery and cooperation', pg_temp.facts('{"diligent": false, "loss_recovered": "partial", "cooperated": true}'),
   'lighter', '{SITUATION_REFORM_PILOT,CONDITION_NOT_DILIGENT,MITIGATION_PARTIAL_RECOVERY,MITIGATION_COOPERATION}'),
  ('mitigation: cooperation only', pg_temp.facts('{"diligent": false, "loss_recovered": "none", "cooperated": true}'),
   'lighter', '{SITUATION_REFORM_PILOT,CONDITION_NOT_DILIGENT,MITIGATION_COOPERATION}'),
  ('mitigation: none', pg_temp.facts('{"diligent": false, "loss_recovered": "none", "cooperated": false}'),
   'not_tolerable', '{SITUATION_REFORM_PILOT,CONDITION_NOT_DILIGENT,NO_MITIGATION}'),
  ('mitigation: a minor consequence does not change the grade',
   pg_temp.facts('{"consequence": "minor", "procedure_proper": false, "loss_recovered": "full", "cooperated": true}'),
   'reduced', '{SITUATION_REFORM_PILOT,CONDITION_PROCEDURE_NOT_PROPER,MITIGATION_FULL_RECOVERY_AND_COOPERATION}'),
  ('mitigation: all conditions failed, listed item',
   pg_temp.facts('{"situation": "hz_item_12", "situation_listed": true, "procedure_proper": false, "diligent": false,
                   "corrected_promptly": false, "loss_recovered": "full", "cooperated": true}'),
   'reduced', '{SITUATION_LISTED,CONDITION_PROCEDURE_NOT_PROPER,CONDITION_NOT_DILIGENT,CONDITION_NOT_CORRECTED_PROMPTLY,MITIGATION_FULL_RECOVERY_AND_COOPERATION}'),
  ('the base facts', pg_temp.facts(), 'not_accountable', '{SITUATION_REFORM_PILOT,CONDITIONS_MET,CONSEQUENCE_NONE}');

-- One test per row of the decision table (70 rows).
SELECT is((SELECT a.outcome::text || ' ' || a.reasons::text FROM assess_tolerance(d.facts) a),
          d.outcome || ' ' || d.reasons::text, d.n || '. ' || d.description)
FROM decision d ORDER BY d.n;

-- The decision table reaches every rule and every outcome.
SELECT is((SELECT count(*) FROM decision), 70::bigint, 'the decision table has 70 rows');
SELECT set_eq($$SELECT DISTINCT unnest(reasons) FROM decision$$, $$SELECT code FROM tolerance_rules()$$,
              'the decision table uses every rule of the rule table, and only those');
SELECT set_eq($$SELECT DISTINCT outcome FROM decision$$,
              $$VALUES ('not_tolerable'), ('lighter'), ('reduced'), ('exempted'), ('not_accountable')$$,
              'the decision table reaches every outcome');

-- The rule table.
SELECT is((SELECT count(*) FROM tolerance_rules()), 36::bigint, 'tolerance_rules: 36 rules');
SELECT is((SELECT count(DISTINCT code) FROM tolerance_rules()), 36::bigint, 'tolerance_rules: codes are unique');
SELECT is_empty($$SELECT code FROM tolerance_rules()
                  WHERE code !~ '^[A-Z_]+$' OR step NOT BETWEEN 1 AND 4
                     OR coalesce(text_en, '') = '' OR coalesce(text_zh, '') = '' OR coalesce(source, '') = ''$$,
                'tolerance_rules: every rule has an upper-case code, a step 1-4, both texts and a source');
SELECT is((SELECT array_agg(DISTINCT step ORDER BY step) FROM tolerance_rules()), '{1,2,3,4}'::int[],
          'tolerance_rules: the four steps');
SELECT ok((SELECT bool_and(step >= lag) FROM (SELECT step, lag(step, 1, 1) OVER () FROM tolerance_rules()) s),
          'tolerance_rules: listed in the order of the steps');
SELECT is((SELECT array_agg(code) FROM tolerance_rules() WHERE code LIKE 'GATE%'),
          '{GATE_RED_LINE,GATE_KNOWING_VIOLATION,GATE_EXPLICIT_BAN,GATE_PRIVATE_GAIN,GATE_FRAUD_OR_OBSTRUCTION,GATE_REPEATED_ERROR,GATE_SERIOUS_CONSEQUENCE,GATE_EXCLUDED}'::text[],
          'tolerance_rules: the gate codes of the issue, in their order');

-- Labels: IMMUTABLE STRICT PARALLEL SAFE, in C.
SELECT is((SELECT string_agg(format('%s %s %s %s %s', p.proname, p.provolatile, p.proisstrict, p.proparallel, l.lanname),
                              ', ' ORDER BY p.proname)
           FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
           WHERE p.pronamespace = 'accountability'::regnamespace
             AND p.proname IN ('assess_tolerance', 'facts_are_valid', 'tolerance_rules')),
          'assess_tolerance i t s c, facts_are_valid i t s c, tolerance_rules i t s c',
          'assess_tolerance, facts_are_valid, tolerance_rules: C, IMMUTABLE STRICT PARALLEL SAFE');
SELECT is(pg_get_function_result('assess_tolerance(jsonb)'::regprocedure), 'tolerance_assessment',
          'assess_tolerance returns accountability.tolerance_assessment');
SELECT is((SELECT array_agg(attname || ' ' || format_type(atttypid, atttypmod) ORDER BY attnum)
           FROM pg_attribute WHERE attrelid = 'tolerance_assessment'::regclass AND attnum > 0),
          '{"outcome tolerance_outcome","reasons text[]"}'::text[],
          'tolerance_assessment is (outcome tolerance_outcome, reasons text[])');

-- NULL in, NULL out.
SELECT ok(assess_tolerance(NULL) IS NULL, 'assess_tolerance(NULL) is NULL');
SELECT ok(facts_are_valid(NULL) IS NULL, 'facts_are_valid(NULL) is NULL');

-- 7. Bad facts: 22023 naming the key and what is allowed.
SELECT throws_ok($$SELECT assess_tolerance('[]')$$, '22023', 'tolerance facts must be a JSON object',
                 'not an object: an array');
SELECT throws_ok($$SELECT assess_tolerance('[{"situation": "reform_pilot"}]')$$, '22023', NULL,
                 'not an object: an array holding the facts');
SELECT throws_ok($$SELECT assess_tolerance('"reform_pilot"')$$, '22023', NULL, 'not an object: a string');
SELECT throws_ok($$SELECT assess_tolerance('42')$$, '22023', NULL, 'not an object: a number');
SELECT throws_ok($$SELECT assess_tolerance('true')$$, '22023', NULL, 'not an object: a boolean');
SELECT throws_ok($$SELECT assess_tolerance('null')$$, '22023', NULL, 'not an object: JSON null');
SELECT throws_ok($$SELECT assess_tolerance('{"situaton": "reform_pilot"}')$$, '22023',
                 'unknown tolerance fact "situaton"', 'unknown key: misspelt');
SELECT throws_ok($$SELECT assess_tolerance('{"Diligent": true}')$$, '22023',
                 'unknown tolerance fact "Diligent"', 'unknown key: wrong letter case');
SELECT throws_ok($$SELECT assess_tolerance('{"勤勉尽责": true}')$$, '22023',
                 'unknown tolerance fact "勤勉尽责"', 'unknown key: Chinese');
SELECT throws_ok($$SELECT assess_tolerance('{"": true}')$$, '22023', 'unknown tolerance fact ""', 'unknown key: empty');
SELECT throws_ok($$SELECT assess_tolerance(pg_temp.facts('{"private_gain": true, "note": "x"}'))$$, '22023',
                 'unknown tolerance fact "note"', 'unknown key: refused even when a gate fails');
SELECT throws_ok($$SELECT assess_tolerance('{"diligent": "true"}')$$, '22023',
                 'tolerance fact "diligent" must be a JSON boolean', 'boolean fact: a string');
SELECT throws_ok($$SELECT assess_tolerance('{"excluded": 0}')$$, '22023',
                 'tolerance fact "excluded" must be a JSON boolean', 'boolean fact: a number');
SELECT throws_ok($$SELECT assess_tolerance('{"private_gain": {"amount": 10}}')$$, '22023',
                 'tolerance fact "private_gain" must be a JSON boolean', 'boolean fact: an object');
SELECT throws_ok($$SELECT assess_tolerance('{"situation_listed": [true]}')$$, '22023',
                 'tolerance fact "situation_listed" must be a JSON boolean', 'boolean fact: an array');
SELECT throws_ok($$SELECT assess_tolerance('{"situation": 1}')$$, '22023',
                 'tolerance fact "situation" must be a JSON string', 'situation: a number');
SELECT throws_ok($$SELECT assess_tolerance('{"situation": true}')$$, '22023',
                 'tolerance fact "situation" must be a JSON string', 'situation: a boolean');
SELECT throws_ok($$SELECT assess_tolerance('{"situation": ["reform_pilot"]}')$$, '22023',
                 'tolerance fact "situation" must be a JSON string', 'situation: an array');
SELECT throws_ok($$SELECT assess_tolerance('{"consequence": 2}')$$, '22023',
                 'tolerance fact "consequence" must be a JSON string', 'consequence: a number');
SELECT throws_ok($$SELECT assess_tolerance('{"consequence": "severe"}')$$, '22023',
                 'invalid value "severe" for tolerance fact "consequence"', 'consequence: outside its list');
SELECT throws_ok($$SELECT assess_tolerance('{"consequence": "None"}')$$, '22023',
                 'invalid value "None" for tolerance fact "consequence"', 'consequence: wrong letter case');
SELECT throws_ok($$SELECT assess_tolerance('{"consequence": " none"}')$$, '22023', NULL, 'consequence: blanks are not ignored');
SELECT throws_ok($$SELECT assess_tolerance('{"loss_recovered": "half"}')$$, '22023',
                 'invalid value "half" for tolerance fact "loss_recovered"', 'loss_recovered: outside its list');
SELECT throws_ok($$SELECT assess_tolerance('{"loss_recovered": true}')$$, '22023',
                 'tolerance fact "loss_recovered" must be a JSON string', 'loss_recovered: a boolean');
SELECT throws_ok($$SELECT assess_tolerance('{"cooperated": {"a": {"b": {"c": [1, 2, {"d": null}]}}}}')$$, '22023', NULL,
                 'a deeply nested value is refused, not walked');
SELECT throws_ok($$SELECT assess_tolerance(jsonb_build_object(repeat('k', 100000), true))$$, '22023', NULL,
                 'a very long unknown key is refused');
SELECT throws_ok($$SELECT assess_tolerance(jsonb_build_object('situation', repeat('情', 2000000)))$$, '22001',
                 'tolerance fact "situation" is too long', 'situation: 6 MB is refused, a situation is a code');
SELECT throws_ok($$SELECT assess_tolerance(jsonb_build_object('situation', repeat('x', 129)))$$, '22001', NULL,
                 'situation: a code of 129 bytes is refused');
SELECT lives_ok($$SELECT assess_tolerance(jsonb_build_object('situation', repeat('情', 42) || 'xx'))$$,
                'situation: a code of 128 bytes is a local code');
SELECT throws_ok($$SELECT facts_are_valid('{"cooperated": "yes"}')$$, '22023',
                 'tolerance fact "cooperated" must be a JSON boolean', 'facts_are_valid raises the same error');
SELECT throws_ok($$SELECT facts_are_valid('[]')$$, '22023', 'tolerance facts must be a JSON object',
                 'facts_are_valid: not an object');
SELECT throws_ok($$SELECT facts_are_valid('{"unknown": 1}')$$, '22023', 'unknown tolerance fact "unknown"',
                 'facts_are_valid: unknown key');
SELECT throws_ok($$SELECT facts_are_valid('{"loss_recovered": "most"}')$$, '22023',
                 'invalid value "most" for tolerance fact "loss_recovered"', 'facts_are_valid: outside its list');
SELECT is((SELECT count(*) FROM decision WHERE facts_are_valid(facts)), 70::bigint,
          'facts_are_valid: true for every row of the decision table');

-- facts_are_valid in a CHECK constraint.
CREATE TEMP TABLE checked (id int, facts jsonb CHECK (facts_are_valid(facts))) ON COMMIT DROP;
SELECT lives_ok($$INSERT INTO checked SELECT n, facts FROM decision$$, 'CHECK: valid facts are stored');
SELECT throws_ok($$INSERT INTO checked VALUES (0, '{"consequence": "catastrophic"}')$$, '22023',
                 'invalid value "catastrophic" for tolerance fact "consequence"', 'CHECK: bad facts are refused with 22023');
SELECT throws_ok($$UPDATE checked SET facts = facts || '{"diligent": 1}' WHERE id = 1$$, '22023', NULL,
                 'CHECK: an update to bad facts is refused with 22023');

-- 8. A large table: the query runs in parallel, with assess_tolerance in
-- the workers, and agrees with the serial run.  (A temporary table is never
-- scanned in parallel, so this one is a plain table, rolled back.)
CREATE TABLE assess_big AS
  SELECT g AS id, d.facts
  FROM generate_series(1, 200000) g JOIN decision d ON d.n = 1 + g % 70;
ANALYZE assess_big;
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_counts ON COMMIT DROP AS
  SELECT (assess_tolerance(facts)).outcome::text AS outcome, count(*) AS n FROM assess_big GROUP BY 1;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; result text := '';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP result := result || line || E'\n'; END LOOP;
  RETURN result;
END $$;
SELECT matches(pg_temp.plan_of($$SELECT count(*) FROM assess_big WHERE (assess_tolerance(facts)).outcome >= 'exempted'$$),
               'Gather.*Parallel Seq Scan on assess_big\s+Filter: [^\n]*assess_tolerance\(facts\)',
               'parallel plan: assess_tolerance is evaluated in the workers, below the Gather');
CREATE FUNCTION pg_temp.analyzed_plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; result text := '';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
    result := result || line || E'\n';
  END LOOP;
  RETURN result;
END $$;
SELECT matches(pg_temp.analyzed_plan_of($$SELECT count(*) FROM assess_big WHERE (assess_tolerance(facts)).outcome >= 'exempted'$$),
               'Workers Launched: [1-9]',
               'parallel run: workers were launched and ran assess_tolerance');
SELECT results_eq($$SELECT (assess_tolerance(facts)).outcome::text, count(*) FROM assess_big GROUP BY 1 ORDER BY 1$$,
                  $$SELECT outcome, n FROM serial_counts ORDER BY 1$$,
                  'parallel and serial runs agree on 200,000 assessments');
SELECT is((SELECT count(*) FROM assess_big WHERE (assess_tolerance(facts)).outcome >= 'exempted'),
          (SELECT sum(n) FROM serial_counts WHERE outcome IN ('exempted', 'not_accountable'))::bigint,
          'the parallel filter counts the lenient outcomes');
SELECT is_empty($$SELECT id FROM assess_big WHERE cardinality((assess_tolerance(facts)).reasons) = 0$$,
                'every assessment explains itself with at least one reason');

SELECT * FROM finish();
ROLLBACK;
