-- Issue 17: costs that follow the work, not the archive.
--
-- The same measurements at two sizes of one database, in one run: first
-- with one province-year loaded by the demo generator (2025), then after
-- the generator has added the years before it (scale_years in all, 10 by
-- default, so the archive grows 10x; 2025's own rows are the same rows).
-- Each figure is the large database's time over the small one's (target
-- <= 1.3):
--
--   per case: verify_history(case_id), case_dossier(case_id),
--     subject_standing(subject_id), assess_case(case_id), each the median
--     of scale_calls calls over the same sample of 2025's cases; and one
--     transition (received -> investigating, an UPDATE through the C
--     triggers, the median of scale_calls cases, each moved once, within one
--     transaction); ledger_digest() once the transitions are sealed (what
--     a scheduled digest costs when little is new);
--   per year: annual_report for 2025, the whole province and one city (best
--     of 5), with a count(*) of 2025's cases beside them for reference;
--   the size: cases in the large database over the small one (target >= 8).
--
-- Everything runs as the superuser (no row-level security; reader figures
-- are 40_reports.sql's).
\if :{?scale_years}
\else
\set scale_years 10
\endif
\if :{?scale_subjects}
\else
\set scale_subjects 100000
\endif
\if :{?scale_calls}
\else
\set scale_calls 200
\endif

-- A database of its own, so the small size is exactly one year.
CREATE DATABASE bench_scale;
\c bench_scale
\ir setup.sql
SET search_path = public, accountability;
\set QUIET on
\set ECHO none
\set seed 42
\set year 2025
\set subjects :scale_subjects
\set years 1
\ir ../demo/generate.sql
\set ECHO none
SET search_path = public, accountability;
SET max_parallel_workers_per_gather = 0;

-- The median of one statement's time over a list of ids (format's %s is
-- the id), each id once, after one warm-up call on the first.
CREATE FUNCTION pg_temp.median_ms(template text, ids bigint[]) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    times float8[] := '{}';
    id bigint;
    t0 timestamptz;
BEGIN
    EXECUTE format(template, ids[1]);
    FOREACH id IN ARRAY ids LOOP
        t0 := clock_timestamp();
        EXECUTE format(template, id);
        times := times || 1000 * extract(epoch FROM clock_timestamp() - t0);
    END LOOP;
    RETURN (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t) FROM unnest(times) t);
END $$;

-- The sample: scale_calls cases of 2025 spread over the year's ids (every
-- kind and status the generator makes but received), their subjects; and
-- 2 x scale_calls other cases of 2025 still received (the generator leaves
-- some), half moved at each size.
SELECT array_agg(case_id ORDER BY case_id) AS sample,
       array_agg(subject_id ORDER BY case_id) AS sample_subjects
FROM (SELECT case_id, subject_id, row_number() OVER (ORDER BY case_id) AS n, count(*) OVER () AS total
      FROM cases WHERE extract(year FROM opened_on)::integer = :year AND status <> 'received') c
WHERE (n - 1) % greatest(total / :scale_calls, 1) = 0 AND n <= greatest(total / :scale_calls, 1) * :scale_calls \gset
SELECT array_agg(case_id ORDER BY case_id) FILTER (WHERE n % 2 = 0) AS received_small,
       array_agg(case_id ORDER BY case_id) FILTER (WHERE n % 2 = 1) AS received_large
FROM (SELECT case_id, row_number() OVER (ORDER BY case_id) AS n FROM cases
      WHERE status = 'received' AND extract(year FROM opened_on)::integer = :year
      ORDER BY case_id LIMIT 2 * :scale_calls) c \gset
SELECT bench.check(cardinality(:'sample'::bigint[]) = :scale_calls
                   AND cardinality(:'received_small'::bigint[]) = :scale_calls
                   AND cardinality(:'received_large'::bigint[]) = :scale_calls,
                   'the generated year has too few cases for the sample');
SELECT unit_id AS city FROM units WHERE code = '3301' \gset

VACUUM ANALYZE;
CHECKPOINT;
\set prefix small_
\set received :received_small
\ir scaling_measure.sql
-- 2025's own rows before the archive grows
SELECT (SELECT count(*) FROM accountability.cases WHERE extract(year FROM opened_on)::integer = :year)
       || '/' || (SELECT count(*) FROM accountability.determinations WHERE extract(year FROM decided_on)::integer = :year)
       || '/' || (SELECT count(*) FROM accountability.clarifications WHERE extract(year FROM done_on)::integer = :year)
       AS year_rows_small \gset

-- The archive grows: the years before 2025, as the generator makes them.
SET ROLE accountability_demo_loader;
SELECT format('CALL demo.run_year(%s, %s, %s)', :seed, y, :year - y) AS stmt
FROM generate_series(:year - :scale_years + 1, :year - 1) y ORDER BY y DESC
\gexec
RESET ROLE;

VACUUM ANALYZE;
CHECKPOINT;
\set prefix large_
\set received :received_large
\ir scaling_measure.sql

-- The figures mean something only if the year measured is the same year
-- (its cases, determinations and clarifications; some of its report's
-- figures rightly look back, e.g. promotions after an earlier year's
-- protection), the moves happened and the histories are intact.
SELECT bench.check((SELECT count(*) FROM accountability.cases WHERE extract(year FROM opened_on)::integer = :year)
       || '/' || (SELECT count(*) FROM accountability.determinations WHERE extract(year FROM decided_on)::integer = :year)
       || '/' || (SELECT count(*) FROM accountability.clarifications WHERE extract(year FROM done_on)::integer = :year)
       = :'year_rows_small', '2025''s own rows changed when other years were added');
SELECT bench.check((SELECT count(*) FROM cases
                    WHERE case_id = ANY (:'received_small'::bigint[] || :'received_large'::bigint[])
                      AND status = 'investigating') = 2 * :scale_calls,
                   'not every sampled transition happened');
SELECT bench.check(NOT EXISTS (SELECT 1 FROM accountability.verify_history()), 'the history does not verify');

\set small_label :small_cases ' cases (1 year)'
\set large_label :large_cases ' cases (' :scale_years ' years)'
SELECT bench.record('scaling', 'verify_history(case_id), median', :'small_label', :small_verify_ms,
                    :'large_label', :large_verify_ms, '<= 1.3');
SELECT bench.record('scaling', 'case_dossier(case_id), median', :'small_label', :small_dossier_ms,
                    :'large_label', :large_dossier_ms, '<= 1.3');
SELECT bench.record('scaling', 'subject_standing(subject_id), median', :'small_label', :small_standing_ms,
                    :'large_label', :large_standing_ms, '<= 1.3');
SELECT bench.record('scaling', 'assess_case(case_id), median', :'small_label', :small_assess_ms,
                    :'large_label', :large_assess_ms, '<= 1.3');
SELECT bench.record('scaling', 'one transition (UPDATE, C triggers), median', :'small_label', :small_transition_ms,
                    :'large_label', :large_transition_ms, '<= 1.3');
SELECT bench.record('scaling', 'ledger_digest(), nothing new to seal, median', :'small_label', :small_digest_ms,
                    :'large_label', :large_digest_ms, '<= 1.3');
SELECT bench.record('scaling', 'annual_report, 2025, province', :'small_label', :small_province_ms,
                    :'large_label', :large_province_ms, '<= 1.3');
SELECT bench.record('scaling', 'annual_report, 2025, one city', :'small_label', :small_city_ms,
                    :'large_label', :large_city_ms, '<= 1.3');
SELECT bench.record('scaling', 'count(*) of 2025''s cases (reference)', :'small_label', :small_count_ms,
                    :'large_label', :large_count_ms, '<= 1.3');
SELECT bench.record('scaling', 'cases loaded (rows, not ms)', '1 year', :small_cases,
                    :'scale_years' || ' years', :large_cases, '>= 8');
-- The results go back to the bench database, where bench.sh prints them.
\set resultfile :bench_dir '/scaling_results.csv'
COPY (SELECT section, figure, baseline, baseline_ms, candidate, candidate_ms, ratio, target, met
      FROM bench.results ORDER BY id) TO :'resultfile' (FORMAT csv);
\c bench
COPY bench.results (section, figure, baseline, baseline_ms, candidate, candidate_ms, ratio, target, met)
FROM :'resultfile' (FORMAT csv);
DROP DATABASE bench_scale;
