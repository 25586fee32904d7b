-- Issue 2: a one-byte case_status column against a native enum of the same
-- labels: COPY of 10,000,000 rows, sorting them, and the table's size.
\if :{?rows}
\else
\set rows 10000000
\endif
SET search_path = public, accountability;
SET max_parallel_workers_per_gather = 0;
SET work_mem = '1GB';

CREATE TYPE public.status_enum AS ENUM ('received', 'investigating', 'unfounded', 'liable',
    'tolerance_review', 'determined', 'notified', 'appealed', 'correcting', 'filed',
    'follow_up', 'closed');

-- The same data for both, shaped like the case history (case_events):
-- a case id, an event number, the status moved from and the status moved to.
-- (One status column alone would not show the saving: a heap tuple is padded
-- to 8 bytes, so 1 byte and 4 bytes after a 24-byte header both take 32.)
CREATE TABLE src AS
SELECT g / 4 AS case_id, (g % 4)::int AS event_no,
       (ARRAY['received', 'investigating', 'unfounded', 'liable', 'tolerance_review', 'determined',
              'notified', 'appealed', 'correcting', 'filed', 'follow_up', 'closed'])[1 + (hashint8(g) & 2147483647) % 12] AS from_status,
       (ARRAY['received', 'investigating', 'unfounded', 'liable', 'tolerance_review', 'determined',
              'notified', 'appealed', 'correcting', 'filed', 'follow_up', 'closed'])[1 + (hashint8(-g) & 2147483647) % 12] AS to_status
FROM generate_series(1, :rows) g;
\set datafile :bench_dir '/types.csv'
COPY src TO :'datafile';
DROP TABLE src;

CREATE UNLOGGED TABLE with_enum (case_id bigint, event_no int, from_status public.status_enum, to_status public.status_enum);
CREATE UNLOGGED TABLE with_type (case_id bigint, event_no int, from_status accountability.case_status, to_status accountability.case_status);

SELECT bench.time_ms(format('COPY with_enum FROM %L', :'datafile')) AS enum_copy_ms \gset
SELECT bench.time_ms(format('COPY with_type FROM %L', :'datafile')) AS type_copy_ms \gset
-- again in the other order, keep the better of each, so neither profits from warm caches alone
TRUNCATE with_enum, with_type;
SELECT least(:type_copy_ms, bench.time_ms(format('COPY with_type FROM %L', :'datafile'))) AS type_copy_ms \gset
SELECT least(:enum_copy_ms, bench.time_ms(format('COPY with_enum FROM %L', :'datafile'))) AS enum_copy_ms \gset
SELECT bench.record('types', 'COPY 10M rows', 'native enum', :enum_copy_ms, 'case_status', :type_copy_ms, '<= 1.05');

VACUUM ANALYZE with_enum;
VACUUM ANALYZE with_type;
SELECT bench.best_ms('SELECT count(*) FROM (SELECT to_status FROM with_enum ORDER BY to_status OFFSET 0) s') AS enum_sort_ms \gset
SELECT bench.best_ms('SELECT count(*) FROM (SELECT to_status FROM with_type ORDER BY to_status OFFSET 0) s') AS type_sort_ms \gset
SELECT bench.record('types', 'sort 10M rows by status', 'native enum', :enum_sort_ms, 'case_status', :type_sort_ms, '<= 1.05');

SELECT pg_table_size('with_enum') AS enum_bytes, pg_table_size('with_type') AS type_bytes \gset
SELECT bench.record('types', 'table size (bytes, not ms)', 'native enum', :enum_bytes, 'case_status', :type_bytes, '< 1');

DROP TABLE with_enum, with_type;
DROP TYPE public.status_enum;
