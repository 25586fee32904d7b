-- Included twice by tests/bench/50_scaling.sql: every figure of one size,
-- into psql variables named with :prefix (small_ or large_).  :received
-- holds the received cases this size moves.
SELECT pg_temp.median_ms('SELECT count(*) FROM accountability.verify_history(%s)', :'sample') AS verify_ms,
       pg_temp.median_ms('SELECT accountability.case_dossier(%s)', :'sample') AS dossier_ms,
       pg_temp.median_ms('SELECT * FROM accountability.subject_standing(%s)', :'sample_subjects') AS standing_ms,
       pg_temp.median_ms('SELECT accountability.assess_case(%s)', :'sample') AS assess_ms
\gset :prefix
SELECT pg_temp.median_ms($$UPDATE accountability.cases SET status = 'investigating' WHERE case_id = %s$$,
                         :'received') AS transition_ms \gset :prefix
-- A digest seals what the transitions just added (the warm-up call), then
-- finds nothing new: both should cost the new entries, not the ledger.
SELECT pg_temp.median_ms('SELECT accountability.ledger_digest() IS NOT NULL OR %s IS NULL',
                         :'sample') AS digest_ms \gset :prefix
SELECT bench.best_ms(format($$SELECT count(*) FROM accountability.cases
                              WHERE extract(year FROM opened_on)::integer = %s$$, :year), 5) AS count_ms,
       bench.best_ms(format($$SELECT * FROM accountability.annual_report
                              WHERE year = %s AND is_province_total$$, :year), 5) AS province_ms,
       bench.best_ms(format($$SELECT * FROM accountability.annual_report
                              WHERE year = %s AND unit_id = %s$$, :year, :city), 5) AS city_ms
\gset :prefix
SELECT count(*) AS cases FROM accountability.cases \gset :prefix
