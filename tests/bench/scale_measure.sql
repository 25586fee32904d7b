-- tests/bench/scale_measure.sql — run by tests/bench/scale.sh in the
-- database "national" once the history is loaded: disk per million cases
-- (the record's tables, their indexes, the ledger: what the load added to
-- the database as it was after the build), and one year's
-- annual_report for the whole country and for one province.  Everything
-- runs as the superuser; the figures go to bench.scale_figures.
--
--   psql -v year=2025 -v report_runs=5 -f tests/bench/scale_measure.sql
SET search_path = public, accountability;

SELECT count(*) AS cases FROM accountability.cases \gset
SELECT count(*) AS events FROM accountability.case_events \gset

/* ---- Disk ---- */

-- What the cases added: the sizes now less those after the build (the
-- country's units and cadres, which do not grow with the cases).
SELECT bench.scale_sizes_now('load');
SELECT l.record_bytes - b.record_bytes AS record_bytes, l.index_bytes - b.index_bytes AS index_bytes,
       l.ledger_bytes - b.ledger_bytes AS ledger_bytes, l.database_bytes - b.database_bytes AS database_bytes,
       b.database_bytes AS build_bytes, l.database_bytes AS total_bytes
FROM bench.scale_sizes l, bench.scale_sizes b WHERE l.stage = 'load' AND b.stage = 'build' \gset
SELECT count(*) AS subjects FROM accountability.subjects \gset
SELECT count(*) AS units FROM accountability.units \gset

SELECT bench.scale_record('disk per million cases: tables of the record (heap and TOAST)',
                          round(:record_bytes / 1048576.0 / (:cases / 1e6)), 'MB',
                          format('%s for %s cases', pg_size_pretty(:record_bytes::bigint), :cases));
SELECT bench.scale_record('disk per million cases: their indexes',
                          round(:index_bytes / 1048576.0 / (:cases / 1e6)), 'MB', pg_size_pretty(:index_bytes::bigint));
SELECT bench.scale_record('disk per million cases: the ledger (entries, blocks, their indexes)',
                          round(:ledger_bytes / 1048576.0 / (:cases / 1e6)), 'MB', pg_size_pretty(:ledger_bytes::bigint));
SELECT bench.scale_record('disk per million cases: all of it',
                          round(:database_bytes / 1048576.0 / (:cases / 1e6)), 'MB',
                          format('%s; %s bytes a case event', pg_size_pretty(:database_bytes::bigint),
                                 round(:database_bytes / :events::numeric)));
SELECT bench.scale_record('disk: the country''s units and cadres, with their ledger entries',
                          round(:build_bytes / 1048576.0), 'MB',
                          format('%s units, %s cadres and organizations; the whole database is %s', :units, :subjects,
                                 pg_size_pretty(:total_bytes::bigint)));

/* ---- One year's report ---- */

SELECT unit_id AS province FROM accountability.units WHERE level = 'province' AND code = '33' \gset
SELECT count(*) AS provinces FROM accountability.units WHERE level = 'province' \gset
SELECT count(*) AS year_cases FROM accountability.cases WHERE extract(year FROM opened_on)::integer = :year \gset
-- Best of report_runs, the first of them a warm-up in effect.
SELECT bench.best_ms(format($$SELECT * FROM accountability.annual_report WHERE year = %s AND is_province_total$$, :year),
                     :report_runs) AS country_ms \gset
SELECT bench.best_ms(format($$SELECT * FROM accountability.annual_report WHERE year = %s$$, :year),
                     :report_runs) AS country_units_ms \gset
SELECT bench.best_ms(format($$SELECT * FROM accountability.annual_report WHERE year = %s AND unit_id = %s$$, :year, :province),
                     :report_runs) AS province_ms \gset
SELECT bench.best_ms(format($$SELECT count(*) FROM accountability.cases WHERE extract(year FROM opened_on)::integer = %s$$, :year),
                     :report_runs) AS count_ms \gset
SELECT count(*) AS country_units FROM accountability.annual_report WHERE year = :year \gset

SELECT bench.scale_record(format('annual_report, %s, the whole country (each province''s total)', :year),
                          round(:country_ms::numeric, 1), 'ms', format('%s rows', :provinces));
SELECT bench.scale_record(format('annual_report, %s, the whole country, every unit', :year),
                          round(:country_units_ms::numeric, 1), 'ms', format('%s rows', :country_units));
SELECT bench.scale_record(format('annual_report, %s, one province (浙江省)', :year),
                          round(:province_ms::numeric, 1), 'ms', '1 row');
SELECT bench.scale_record(format('count(*) of %s''s cases (reference)', :year),
                          round(:count_ms::numeric, 1), 'ms', format('%s cases', :year_cases));
SELECT bench.check((SELECT count(*) FROM accountability.annual_report
                    WHERE year = :year AND is_province_total) = :provinces,
                   'the country''s report has not one total a province');
