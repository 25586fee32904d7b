-- The ledger's cost (issue 15, deliverable 6), run by
--   tests/harness.sh psql -v top="$PWD" -f tests/bench/ledger.sql
-- (a throwaway cluster; pgbench runs through \! with its environment).
--
-- "Today" is the same build with the ledger's triggers disabled (they are
-- the only writes the ledger adds to a transition), "ledger" with them on.
--   1. pgbench, 8 clients on distinct cases, one transition a transaction:
--      the best of 3 runs of each, alternating; ratio of throughputs.
--   2. a bulk transition (UPDATE ... SET status of 20,000 cases in one
--      statement): the best of 3 of each, alternating; ratio of times.
\set ON_ERROR_STOP 1
SET search_path = accountability, public;
SET client_min_messages = warning;
\set clients 8
\set per_client 1500
\set bulk 20000
INSERT INTO units (code, name, level) VALUES ('33', '浙江省', 'province');
INSERT INTO subjects (kind, name, unit_id) VALUES ('person', '张三', 1);
INSERT INTO cases (kind, subject_id, unit_id)
SELECT 'accountability', 1, 1 FROM generate_series(1, 6 * :clients * :per_client + 6 * :bulk);
SELECT ledger_digest() IS NOT NULL AS sealed;
VACUUM ANALYZE;
CHECKPOINT;

CREATE TABLE public.ledger_bench (figure text, mode text, value float8);
CREATE FUNCTION pg_temp.ledger(enabled boolean) RETURNS void LANGUAGE plpgsql AS $$
DECLARE t record;
BEGIN
    FOR t IN SELECT tgrelid::regclass AS rel, tgname FROM pg_trigger
             WHERE tgname LIKE 'zz\_ledger\_%' OR tgname = 'ledger_00_replica_guard' LOOP
        EXECUTE format('ALTER TABLE %s %s TRIGGER %I', t.rel,
                       CASE WHEN NOT enabled THEN 'DISABLE'
                            WHEN t.tgname = 'ledger_00_replica_guard' THEN 'ENABLE ALWAYS'
                            ELSE 'ENABLE' END, t.tgname);
    END LOOP;
END $$;

-- 1. pgbench, 8 clients on distinct cases.
\set run 0
\setenv PGBENCH_SCRIPT :top/tests/bench/ledger_move.pgbench
\set mode off
\ir ledger_pgbench_run.sql
\set mode on
\ir ledger_pgbench_run.sql
\set mode off
\ir ledger_pgbench_run.sql
\set mode on
\ir ledger_pgbench_run.sql
\set mode off
\ir ledger_pgbench_run.sql
\set mode on
\ir ledger_pgbench_run.sql

-- 2. Bulk transitions.
DO $$
DECLARE
    first bigint := 6 * 8 * 1500;
    t0 timestamptz;
    i int;
    enabled boolean;
BEGIN
    FOR i IN 0..5 LOOP
        enabled := i % 2 = 1;
        PERFORM pg_temp.ledger(enabled);
        t0 := clock_timestamp();
        UPDATE accountability.cases SET status = 'investigating'
        WHERE case_id > first + i * 20000 AND case_id <= first + (i + 1) * 20000;
        INSERT INTO public.ledger_bench VALUES ('bulk_ms', CASE WHEN enabled THEN 'on' ELSE 'off' END,
                                                1000 * extract(epoch FROM clock_timestamp() - t0));
    END LOOP;
END $$;
SELECT pg_temp.ledger(true);

SELECT figure, mode, round(value::numeric, 1) AS value FROM public.ledger_bench ORDER BY figure, mode, value;
SELECT round((max(value) FILTER (WHERE mode = 'on') / max(value) FILTER (WHERE mode = 'off'))::numeric, 3)
       AS pgbench_tps_ratio_ledger_over_today
FROM public.ledger_bench WHERE figure = 'tps';
SELECT round((min(value) FILTER (WHERE mode = 'on') / min(value) FILTER (WHERE mode = 'off'))::numeric, 3)
       AS bulk_time_ratio_ledger_over_today
FROM public.ledger_bench WHERE figure = 'bulk_ms';
-- The "today" runs wrote with the ledger's triggers off: verification reports
-- exactly those rows (area row), and nothing wrong with the ledger itself.
SELECT area, count(*) AS problems FROM verify_ledger(ledger_digest()) GROUP BY area ORDER BY area;
