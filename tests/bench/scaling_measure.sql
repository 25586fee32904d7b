-- Included six times by tests/bench/50_scaling.sql: every figure of one
-- size in one round, in that size's database, into psql variables named
-- :size _r :round _ (small_r1_verify_ms, ...).  Round k moves the k-th
-- third of :received (the same ids in both databases).
\c bench_scale_:size
SET search_path = public, accountability;
SET max_parallel_workers_per_gather = 0;
\set prefix :size '_r' :round '_'
SELECT (:'received'::bigint[])[(:round - 1) * :scale_calls + 1 : :round * :scale_calls] AS round_received \gset
SELECT bench.median_ms('SELECT count(*) FROM accountability.verify_history(%s)', :'sample') AS verify_ms,
       bench.median_ms('SELECT accountability.case_dossier(%s)', :'sample') AS dossier_ms,
       bench.median_ms('SELECT * FROM accountability.subject_standing(%s)', :'sample_subjects') AS standing_ms,
       bench.median_ms('SELECT accountability.assess_case(%s)', :'sample') AS assess_ms
\gset :prefix
-- The pages per call are the same in every round: counted in the last.
SELECT :round = 3 AS last_round \gset
\if :last_round
SELECT bench.median_pages('SELECT count(*) FROM accountability.verify_history(%s)', :'sample') AS verify_pages,
       bench.median_pages('SELECT accountability.case_dossier(%s)', :'sample') AS dossier_pages,
       bench.median_pages('SELECT * FROM accountability.subject_standing(%s)', :'sample_subjects') AS standing_pages,
       bench.median_pages('SELECT accountability.assess_case(%s)', :'sample') AS assess_pages
\gset :prefix
\endif
-- The warm-up of a transition reads the case and its history, by the keys
-- the UPDATE writes through.
SELECT bench.median_ms($$UPDATE accountability.cases SET status = 'investigating' WHERE case_id = %s$$,
                       :'round_received',
                       'SELECT (SELECT count(*) FROM accountability.cases WHERE case_id = %1$s)'
                       ' + (SELECT count(*) FROM accountability.case_events WHERE case_id = %1$s)') AS transition_ms
\gset :prefix
-- A digest seals what the transitions just added (the warm-up call), then
-- finds nothing new: both should cost the new entries, not the ledger.
SELECT bench.median_ms('SELECT accountability.ledger_digest() IS NOT NULL OR %s IS NULL',
                       :'sample') AS digest_ms \gset :prefix
SELECT bench.best_ms(format($$SELECT count(*) FROM accountability.cases
                              WHERE extract(year FROM opened_on)::integer = %s$$, :year), 5) AS count_ms,
       bench.best_ms(format($$SELECT * FROM accountability.annual_report
                              WHERE year = %s AND is_province_total$$, :year), 5) AS province_ms,
       bench.best_ms(format($$SELECT * FROM accountability.annual_report
                              WHERE year = %s AND unit_id = %s$$, :year, :city), 5) AS city_ms
\gset :prefix
SELECT count(*) AS cases FROM accountability.cases \gset :prefix
