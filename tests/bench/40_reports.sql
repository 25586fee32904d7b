-- Issue 6: annual_report with 10 province-years loaded (about 10x the demo),
-- for one year and one city and for the whole province, each against a plain
-- count(*) of the same year's cases; and the plans that serve them.
SET search_path = public, accountability;
\set QUIET on
\set ECHO none
\set seed 42
\set year 2025
\set subjects 100000
\if :{?years}
\else
\set years 10
\endif
\ir ../demo/generate.sql
\set ECHO none
SET search_path = public, accountability;
SET max_parallel_workers_per_gather = 0;

SELECT unit_id AS city FROM units WHERE code = '3301' \gset
-- The baseline filters the year the way the report does, through the same index.
SELECT bench.best_ms($$SELECT count(*) FROM accountability.cases
                       WHERE extract(year FROM opened_on)::integer = 2025$$, 5) AS count_ms \gset
SELECT bench.best_ms($$SELECT * FROM accountability.annual_report WHERE year = 2025 AND is_province_total$$, 5) AS province_ms \gset
SELECT bench.best_ms(format($$SELECT * FROM accountability.annual_report WHERE year = 2025 AND unit_id = %s$$, :city), 5) AS city_ms \gset
SELECT bench.record('reports', 'annual_report, 2025, province (10 years loaded)', 'count(*) of the year''s cases', :count_ms,
                    'annual_report', :province_ms, '<= 3');
SELECT bench.record('reports', 'annual_report, 2025, one city (10 years loaded)', 'count(*) of the year''s cases', :count_ms,
                    'annual_report', :city_ms, '<= 3');

-- Issue 16: the same, as a reader of the province and as a reader of one
-- city, each against count(*) of the year's cases by the same role (row-level
-- security applies to both), with default settings (JIT as configured).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bench_province_reader') THEN
        CREATE ROLE bench_province_reader IN ROLE accountability_reader;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bench_city_reader') THEN
        CREATE ROLE bench_city_reader IN ROLE accountability_reader;
    END IF;
END $$;
GRANT USAGE ON SCHEMA bench TO bench_province_reader, bench_city_reader;
INSERT INTO accountability.role_units (role_id, unit_id)
SELECT 'bench_province_reader'::regrole, unit_id FROM units WHERE code = '33'
UNION ALL SELECT 'bench_city_reader'::regrole, :city
ON CONFLICT DO NOTHING;
ANALYZE;
SET ROLE bench_province_reader;
SELECT bench.best_ms($$SELECT count(*) FROM accountability.cases
                       WHERE extract(year FROM opened_on)::integer = 2025$$, 5) AS province_count_ms \gset
SELECT bench.best_ms($$SELECT * FROM accountability.annual_report WHERE year = 2025 AND is_province_total$$, 5) AS province_reader_ms \gset
SELECT bench.best_ms($$SELECT * FROM accountability.annual_report WHERE year = 2025$$, 5) AS province_reader_all_ms \gset
SET ROLE bench_city_reader;
SELECT bench.best_ms($$SELECT count(*) FROM accountability.cases
                       WHERE extract(year FROM opened_on)::integer = 2025$$, 5) AS city_count_ms \gset
SELECT bench.best_ms(format($$SELECT * FROM accountability.annual_report WHERE year = 2025 AND unit_id = %s$$, :city), 5) AS city_reader_ms \gset
SELECT bench.best_ms($$SELECT * FROM accountability.annual_report WHERE year = 2025$$, 5) AS city_reader_all_ms \gset
RESET ROLE;
SELECT bench.record('reports', 'annual_report, 2025, province total, as a province reader', 'count(*) of the year''s cases, same role',
                    :province_count_ms, 'annual_report', :province_reader_ms, '<= 3');
SELECT bench.record('reports', 'annual_report, 2025, every unit, as a province reader', 'count(*) of the year''s cases, same role',
                    :province_count_ms, 'annual_report', :province_reader_all_ms, '<= 3');
SELECT bench.record('reports', 'annual_report, 2025, the city, as a city reader', 'count(*) of the year''s cases, same role',
                    :city_count_ms, 'annual_report', :city_reader_ms, '<= 3');
SELECT bench.record('reports', 'annual_report, 2025, every unit of the city, as a city reader', 'count(*) of the year''s cases, same role',
                    :city_count_ms, 'annual_report', :city_reader_all_ms, '<= 3');
SELECT bench.check((SELECT count(*) FROM accountability.report_figures_check()) = 0,
                   'the report figures differ from a count from scratch');

SELECT count(*) AS cases_loaded FROM cases \gset
SELECT bench.record('reports', 'cases loaded (rows, not ms)', NULL, NULL, 'cases', :cases_loaded, NULL);

\o
\echo
\echo ==> EXPLAIN of annual_report for 2025, whole province
EXPLAIN (COSTS OFF) SELECT * FROM accountability.annual_report WHERE year = 2025 AND is_province_total;
\echo ==> EXPLAIN of annual_report for 2025, as a city reader (no JIT line: JIT stays out)
SET ROLE bench_city_reader;
EXPLAIN SELECT * FROM accountability.annual_report WHERE year = 2025;
RESET ROLE;
\o /dev/null

-- the reader roles belong to the cluster: leave none behind
DELETE FROM accountability.role_units WHERE role_id IN ('bench_province_reader'::regrole, 'bench_city_reader'::regrole);
REVOKE USAGE ON SCHEMA bench FROM bench_province_reader, bench_city_reader;
DROP ROLE bench_province_reader, bench_city_reader;
