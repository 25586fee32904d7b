-- Issue 3: the C decision procedure, accountability.assess_tolerance,
-- against the PL/pgSQL reference of the same rules
-- (tests/reference/assess_reference.sql), on the same 1,000,000 fact sets.
-- Target: C at least 10 times faster (time ratio C / PL/pgSQL <= 0.1).
\if :{?rows}
\else
\set rows 1000000
\endif
SET search_path = public, accountability;
SET max_parallel_workers_per_gather = 0;
\ir ../reference/assess_reference.sql

-- Complete fact sets, as a case would record them, spread over every step
-- and outcome: most pass the gates, some fail one; every situation; the
-- conditions and mitigations vary independently.
CREATE UNLOGGED TABLE assess_facts AS
SELECT g AS id, jsonb_build_object(
         'situation', (ARRAY['reform_pilot', 'exploratory_trial', 'development_inadvertent',
                             'collective_dissent', 'force_majeure', 'hz_item_12'])[1 + g % 6],
         'situation_listed', g % 4 <> 0,
         'excluded', g % 53 = 0,
         'red_line_breach', g % 97 = 0,
         'knowing_violation', g % 89 = 0,
         'violated_explicit_ban', g % 83 = 0,
         'private_gain', g % 79 = 0,
         'fraud_or_obstruction', g % 73 = 0,
         'repeated_error', g % 71 = 0,
         'consequence', (ARRAY['none', 'minor', 'minor', 'none', 'serious', 'none', 'minor'])[1 + (g / 7) % 7],
         'procedure_proper', g % 3 <> 0,
         'diligent', g % 5 <> 0,
         'corrected_promptly', g % 11 <> 0,
         'loss_recovered', (ARRAY['none', 'partial', 'full'])[1 + (g / 3) % 3],
         'cooperated', g % 2 = 0) AS facts
FROM generate_series(1, :rows) g;
VACUUM ANALYZE assess_facts;

-- The same statement for both: every call builds the outcome and the reasons.
SELECT bench.time_ms('SELECT count(*), sum(cardinality((reference.assess_tolerance(facts)).reasons)) FROM assess_facts')
       AS plpgsql_ms \gset
SELECT bench.best_ms('SELECT count(*), sum(cardinality((accountability.assess_tolerance(facts)).reasons)) FROM assess_facts')
       AS c_ms \gset
SELECT bench.record('assess', '1M calls', 'PL/pgSQL reference', :plpgsql_ms,
                    'C assess_tolerance', :c_ms, '<= 0.1');

-- The two must agree on this data too (a bench is no test, but a wrong
-- answer would make its figure meaningless): checked on every tenth row.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM assess_facts
               WHERE id % 10 = 0
                 AND accountability.assess_tolerance(facts) IS DISTINCT FROM reference.assess_tolerance(facts)) THEN
        RAISE EXCEPTION 'assess_tolerance and the PL/pgSQL reference disagree on the bench data';
    END IF;
END $$;

DROP TABLE assess_facts;
DROP FUNCTION reference.assess_tolerance(jsonb);
DROP SCHEMA reference;
