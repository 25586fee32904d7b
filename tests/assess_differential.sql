-- pgTAP: differential test of the C decision procedure against the PL/pgSQL
-- reference (tests/reference/assess_reference.sql), written independently
-- from DESIGN.md.  On every generated fact set, both must give the same
-- outcome and the same reasons, in the same order; on bad facts both must
-- refuse with 22023.
BEGIN;
SET LOCAL search_path = accountability, public;
\ir reference/assess_reference.sql
SELECT plan(11);

-- Every key and every value it can take; NULL stands for the key left out,
-- 'null' for a JSON null.  The generators below draw from these lists.
CREATE TEMP TABLE fact_values (pos int, key text, vals jsonb[]) ON COMMIT DROP;
INSERT INTO fact_values VALUES
  (1, 'situation', ARRAY[NULL, 'null', '"reform_pilot"', '"exploratory_trial"', '"development_inadvertent"',
                         '"collective_dissent"', '"force_majeure"', '"hz_item_12"', '"Reform_Pilot"', '""',
                         '"应急处突失误"']::jsonb[]),
  (2, 'situation_listed', ARRAY[NULL, 'null', 'false', 'true']::jsonb[]),
  (3, 'excluded', ARRAY[NULL, 'null', 'false', 'true']::jsonb[]),
  (4, 'red_line_breach', ARRAY[NULL, 'null', 'false', 'true']::jsonb[]),
  (5, 'knowing_violation', ARRAY[NULL, 'null', 'false', 'true']::jsonb[]),
  (6, 'violated_explicit_ban', ARRAY[NULL, 'null', 'false', 'true']::jsonb[]),
  (7, 'private_gain', ARRAY[NULL, 'null', 'false', 'true']::jsonb[]),
  (8, 'fraud_or_obstruction', ARRAY[NULL, 'null', 'false', 'true']::jsonb[]),
  (9, 'repeated_error', ARRAY[NULL, 'null', 'false', 'true']::jsonb[]),
  (10, 'consequence', ARRAY[NULL, 'null', '"none"', '"minor"', '"serious"', '"grave"']::jsonb[]),
  (11, 'procedure_proper', ARRAY[NULL, 'null', 'false', 'true']::jsonb[]),
  (12, 'diligent', ARRAY[NULL, 'null', 'false', 'true']::jsonb[]),
  (13, 'corrected_promptly', ARRAY[NULL, 'null', 'false', 'true']::jsonb[]),
  (14, 'loss_recovered', ARRAY[NULL, 'null', '"none"', '"partial"', '"full"']::jsonb[]),
  (15, 'cooperated', ARRAY[NULL, 'null', 'false', 'true']::jsonb[]);

-- A facts object from the fifteen values in key order, leaving out the NULLs.
CREATE FUNCTION pg_temp.facts_of(vals jsonb[]) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_object_agg(k, v) FILTER (WHERE v IS NOT NULL), '{}')
  FROM unnest(ARRAY['situation', 'situation_listed', 'excluded', 'red_line_breach', 'knowing_violation',
                    'violated_explicit_ban', 'private_gain', 'fraud_or_obstruction', 'repeated_error',
                    'consequence', 'procedure_proper', 'diligent', 'corrected_promptly', 'loss_recovered',
                    'cooperated'], vals) AS u(k, v) $$;

-- One random element of an array.
CREATE FUNCTION pg_temp.pick(vals jsonb[]) RETURNS jsonb LANGUAGE sql VOLATILE AS $$
  SELECT vals[1 + floor(random() * cardinality(vals))::int] $$;

CREATE TEMP TABLE generated (id serial, part text, facts jsonb) ON COMMIT DROP;

-- Part 1: 100,000 random fact sets over every key's every value.  Gate
-- facts are mostly false, so that many sets get past the gates and reach
-- the situation, the conditions and the mitigation.
SELECT setseed(0.3);
INSERT INTO generated (part, facts)
SELECT 'random', pg_temp.facts_of(ARRAY[
         pg_temp.pick(o.situation), pg_temp.pick(o.bool), pg_temp.pick(o.gate),
         pg_temp.pick(o.gate), pg_temp.pick(o.gate), pg_temp.pick(o.gate),
         pg_temp.pick(o.gate), pg_temp.pick(o.gate), pg_temp.pick(o.gate),
         pg_temp.pick(o.consequence),
         pg_temp.pick(o.condition), pg_temp.pick(o.condition), pg_temp.pick(o.condition),
         pg_temp.pick(o.loss_recovered), pg_temp.pick(o.bool)])
FROM generate_series(1, 100000) g,
     (SELECT (SELECT vals FROM fact_values WHERE key = 'situation') AS situation,
             (SELECT vals FROM fact_values WHERE key = 'excluded') AS bool,
             (SELECT vals FROM fact_values WHERE key = 'excluded')
               || array_fill('false'::jsonb, ARRAY[16]) AS gate,
             (SELECT vals FROM fact_values WHERE key = 'consequence')
               || ARRAY['"none"', '"minor"', '"none"', '"minor"', '"none"', '"minor"']::jsonb[] AS consequence,
             (SELECT vals FROM fact_values WHERE key = 'excluded')
               || array_fill('true'::jsonb, ARRAY[4]) AS condition,
             (SELECT vals FROM fact_values WHERE key = 'loss_recovered') AS loss_recovered) o;

-- Part 2: every combination of the facts after the gates (all gates passed):
-- situations, listing, the three conditions, consequence none or minor,
-- recovery and cooperation, each absent, null or any of their values.
INSERT INTO generated (part, facts)
SELECT 'after the gates', pg_temp.facts_of(ARRAY[s, sl, 'false', 'false', 'false', 'false', 'false', 'false', 'false',
                                                c, pp, di, cp, lr, co])
FROM unnest(ARRAY[NULL, 'null', '"reform_pilot"', '"force_majeure"', '"hz_item_12"', '"Reform_Pilot"']::jsonb[]) s,
     unnest(ARRAY[NULL, 'null', 'false', 'true']::jsonb[]) sl,
     unnest(ARRAY['"none"', '"minor"']::jsonb[]) c,
     unnest(ARRAY[NULL, 'null', 'false', 'true']::jsonb[]) pp,
     unnest(ARRAY[NULL, 'null', 'false', 'true']::jsonb[]) di,
     unnest(ARRAY[NULL, 'null', 'false', 'true']::jsonb[]) cp,
     unnest(ARRAY[NULL, 'null', '"none"', '"partial"', '"full"']::jsonb[]) lr,
     unnest(ARRAY[NULL, 'null', 'false', 'true']::jsonb[]) co;

-- Part 3: every combination of the gates (absent, false, true each; every
-- consequence; excluded absent, false or true), with lenient facts after them.
INSERT INTO generated (part, facts)
SELECT 'gates', pg_temp.facts_of(ARRAY['"exploratory_trial"', NULL, ex, g1, g2, g3, g4, g5, g6, c,
                                      'true', 'true', 'true', NULL, NULL])
FROM unnest(ARRAY[NULL, 'false', 'true']::jsonb[]) g1, unnest(ARRAY[NULL, 'false', 'true']::jsonb[]) g2,
     unnest(ARRAY[NULL, 'false', 'true']::jsonb[]) g3, unnest(ARRAY[NULL, 'false', 'true']::jsonb[]) g4,
     unnest(ARRAY[NULL, 'false', 'true']::jsonb[]) g5, unnest(ARRAY[NULL, 'false', 'true']::jsonb[]) g6,
     unnest(ARRAY[NULL, '"none"', '"minor"', '"serious"', '"grave"']::jsonb[]) c,
     unnest(ARRAY[NULL, 'false', 'true']::jsonb[]) ex;

SELECT cmp_ok((SELECT count(*) FROM generated), '>=', 100000::bigint, 'at least 100,000 generated fact sets');
SELECT is((SELECT array_agg(part || ' ' || n ORDER BY part) FROM (SELECT part, count(*) n FROM generated GROUP BY part) p),
          '{"after the gates 61440","gates 10935","random 100000"}'::text[], 'the three parts, with their sizes');

-- Every key's every value, including absent, occurs.
SELECT is_empty($$
  SELECT f.key, v FROM fact_values f, unnest(f.vals) v
  WHERE NOT EXISTS (SELECT 1 FROM generated g
                    WHERE CASE WHEN v IS NULL THEN NOT g.facts ? f.key ELSE g.facts -> f.key = v END)$$,
  'every key takes every value, and is absent, somewhere');

-- The two implementations, side by side.
CREATE TEMP TABLE compared ON COMMIT DROP AS
  SELECT id, part, facts, assess_tolerance(facts) AS c, reference.assess_tolerance(facts) AS r FROM generated;

SELECT is_empty($$SELECT id, facts, c, r FROM compared WHERE (c).outcome IS DISTINCT FROM (r).outcome LIMIT 10$$,
                'C and PL/pgSQL agree on the outcome of every fact set');
SELECT is_empty($$SELECT id, facts, c, r FROM compared WHERE (c).reasons IS DISTINCT FROM (r).reasons LIMIT 10$$,
                'C and PL/pgSQL agree on the reasons of every fact set, in order');

-- The generated sets exercise the whole procedure.
SELECT set_eq($$SELECT DISTINCT (c).outcome::text FROM compared$$,
              $$VALUES ('not_tolerable'), ('lighter'), ('reduced'), ('exempted'), ('not_accountable')$$,
              'every outcome occurs');
SELECT set_eq($$SELECT DISTINCT unnest((c).reasons) FROM compared$$, $$SELECT code FROM tolerance_rules()$$,
              'every rule of the rule table decides some fact set, and no other code appears');
SELECT cmp_ok((SELECT count(*) FROM compared WHERE part = 'random' AND (c).reasons[1] NOT LIKE 'GATE%'
                                               AND (c).reasons[1] NOT LIKE 'MISSING%'),
              '>', 15000::bigint, 'many random sets pass the gates');
SELECT is_empty($$SELECT id FROM compared WHERE cardinality((c).reasons) NOT BETWEEN 1 AND 8$$,
                'every outcome has between 1 and 8 reasons');

-- Bad facts: each kind of mistake, put into valid random facts; both
-- implementations refuse every one with 22023.
CREATE FUNCTION pg_temp.sqlstate_of(fn text, facts jsonb) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('SELECT %s($1)', fn) USING facts;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
CREATE TEMP TABLE bad_pairs (key text, val jsonb) ON COMMIT DROP;
INSERT INTO bad_pairs
  SELECT f.key, w.val FROM fact_values f,
    unnest(CASE WHEN f.key IN ('situation', 'consequence', 'loss_recovered')
                THEN ARRAY['1', 'true', '[]', '{}', '["none"]']
                ELSE ARRAY['1', '0', '"true"', '"false"', '[]', '{}', '[true]', '{"value": true}'] END::jsonb[]) w(val)
  UNION ALL
  SELECT k, 'true' FROM unnest(ARRAY['Situation', 'DILIGENT', 'note', 'consequences', '', ' diligent', '勤勉尽责']) k
  UNION ALL
  SELECT 'consequence', v FROM unnest(ARRAY['"severe"', '"None"', '"MINOR"', '""', '" none"', '"无"']::jsonb[]) v
  UNION ALL
  SELECT 'loss_recovered', v FROM unnest(ARRAY['"half"', '"Full"', '""', '"partial "']::jsonb[]) v;
CREATE TEMP TABLE bad_facts ON COMMIT DROP AS
  SELECT b.key, b.val, g.facts || jsonb_build_object(b.key, b.val) AS facts
  FROM bad_pairs b, (SELECT facts FROM generated WHERE id % 2500 = 7) g
  UNION ALL
  SELECT NULL, NULL, v FROM unnest(ARRAY['[]', '[{}]', '"reform_pilot"', '0', 'true', 'false', 'null']::jsonb[]) v;
SELECT cmp_ok((SELECT count(*) FROM bad_facts), '>', 5000::bigint, 'more than 5,000 bad fact sets');
SELECT is_empty($$SELECT key, val, facts, pg_temp.sqlstate_of('accountability.assess_tolerance', facts) AS c,
                         pg_temp.sqlstate_of('reference.assess_tolerance', facts) AS r
                  FROM bad_facts
                  WHERE pg_temp.sqlstate_of('accountability.assess_tolerance', facts) <> '22023'
                     OR pg_temp.sqlstate_of('reference.assess_tolerance', facts) <> '22023'
                     OR pg_temp.sqlstate_of('accountability.facts_are_valid', facts) <> '22023'
                  LIMIT 10$$,
                'C, facts_are_valid and PL/pgSQL refuse every bad fact set with 22023');

SELECT * FROM finish();
ROLLBACK;
