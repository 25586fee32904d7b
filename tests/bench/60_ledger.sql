-- Benchmark 60: the ledger's cost (账本的代价; issue 15, deliverable 6).
--
-- "Today" is the same build with the ledger's triggers (zz_ledger_*)
-- disabled: they are the only writes the ledger adds to a transition.
-- "Ledger" is with them enabled, as installed.
--   (e) single-row transitions, pgbench with 8 clients, each on cases of
--       its own (no two clients share a case), received -> investigating:
--       three runs a side, alternating, the best kept; target: the ledger
--       keeps >= 0.9 of today's throughput.
--   (f) a bulk transition, one UPDATE ... SET status of ledger_bulk cases:
--       three runs a side, alternating, the best kept; target <= 1.15.
--   The write path, piece by piece (issue 14 asks that the write model
--   cost no more than 5%): the same bulk transition with the ledger off,
--   the report figures' trigger on case_events on or off, the write
--   model's guard on cases on or off; three runs of each, interleaved, the
--   best kept.  The guard's share (guard on / both off) has the target
--   <= 1.05; the figures' share (both on / guard on) is context.
-- Both check that the ledger wrote one entry per row in the "ledger" runs
-- and none in the "today" runs, so the figure measures what it says.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\if :{?pgbench_transactions}
\else
\set pgbench_transactions 1500
\endif
\if :{?ledger_bulk}
\else
\set ledger_bulk 20000
\endif
\set clients 8

-- The cases: six pgbench runs of 8 clients, then six bulk runs; a unit and
-- a cadre of their own, so the other steps' data is not touched.
INSERT INTO accountability.units (code, name, level) VALUES ('LEDGER-BENCH', '账本测试省', 'province');
INSERT INTO accountability.subjects (kind, name, unit_id)
SELECT 'person', '账本测试', unit_id FROM accountability.units WHERE code = 'LEDGER-BENCH';
SELECT coalesce(max(case_id), 0) + 1 AS ledger_first FROM accountability.cases \gset
INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id)
SELECT :ledger_first + g - 1, 'accountability', s.subject_id, s.unit_id
FROM accountability.subjects s, generate_series(1, 6 * :clients * :pgbench_transactions + 15 * :ledger_bulk) g
WHERE s.name = '账本测试';
SELECT accountability.ledger_digest() IS NOT NULL AS sealed;
VACUUM ANALYZE accountability.cases, accountability.case_events, accountability.ledger_entries;

-- Switch the ledger's writer triggers on or off.
CREATE FUNCTION pg_temp.ledger(enabled boolean) RETURNS void LANGUAGE plpgsql AS $$
DECLARE t record;
BEGIN
    FOR t IN SELECT tgrelid::regclass AS rel, tgname FROM pg_trigger WHERE tgname LIKE 'zz\_ledger\_%' LOOP
        EXECUTE format('ALTER TABLE %s %s TRIGGER %I', t.rel, CASE WHEN enabled THEN 'ENABLE' ELSE 'DISABLE' END,
                       t.tgname);
    END LOOP;
END $$;
CREATE TEMP TABLE ledger_runs (figure text, mode text, value float8, entries bigint, moved bigint);

/* ---- (e) pgbench, 8 clients on distinct cases ---- */

-- Run r (0..5) takes the cases from ledger_first + r * clients * n; client
-- c of it the n from there + c * n.  A run's result is "tps transactions".
\set pgbench '"$BINDIR/pgbench" -n -M prepared -c ' :clients ' -j 2 -t ' :pgbench_transactions ' -D stride=' :pgbench_transactions ' -D n=0 -f "$TOP/tests/bench/ledger_move.pgbench" '
\set pgbench_tail ' ' :DBNAME ' > "$BENCH_DIR/pgbench.log" 2>&1 || { cat "$BENCH_DIR/pgbench.log" >&2; exit 1; }; awk ''/^tps/ { t = $3 } /actually processed/ { n = $NF; sub("/.*", "", n) } END { print t, n }'' "$BENCH_DIR/pgbench.log"'
\set run 0
\set mode off
\ir ledger_pgbench_run.sql
\set mode on
\ir ledger_pgbench_run.sql
\set mode on
\ir ledger_pgbench_run.sql
\set mode off
\ir ledger_pgbench_run.sql
\set mode off
\ir ledger_pgbench_run.sql
\set mode on
\ir ledger_pgbench_run.sql

/* ---- (f) bulk transitions ---- */

SELECT set_config('bench.bulk_first', (:ledger_first + 6 * :clients * :pgbench_transactions)::text, false),
       set_config('bench.ledger_bulk', :'ledger_bulk', false);
DO $$
DECLARE
    first bigint := current_setting('bench.bulk_first')::bigint;
    n bigint := current_setting('bench.ledger_bulk')::bigint;
    t0 timestamptz;
    e0 bigint;
    i int;
    enabled boolean;
BEGIN
    FOR i IN 0..5 LOOP
        enabled := i IN (1, 2, 5);
        PERFORM pg_temp.ledger(enabled);
        SELECT count(*) INTO e0 FROM accountability.ledger_entries;
        t0 := clock_timestamp();
        UPDATE accountability.cases SET status = 'investigating'
        WHERE case_id >= first + i * n AND case_id < first + (i + 1) * n;
        INSERT INTO ledger_runs
        VALUES ('bulk', CASE WHEN enabled THEN 'on' ELSE 'off' END,
                1000 * extract(epoch FROM clock_timestamp() - t0),
                (SELECT count(*) FROM accountability.ledger_entries) - e0, n);
    END LOOP;
END $$;
SELECT pg_temp.ledger(true);

/* ---- the write path, piece by piece (ledger off throughout) ---- */

-- Mode 0: guard and figures off; 1: the guard on; 2: both on (today).
CREATE FUNCTION pg_temp.write_path(mode int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE accountability.cases %s TRIGGER cases_05_write_model',
                   CASE WHEN mode >= 1 THEN 'ENABLE' ELSE 'DISABLE' END);
    EXECUTE format('ALTER TABLE accountability.case_events %s TRIGGER case_events_90_figures',
                   CASE WHEN mode >= 2 THEN 'ENABLE' ELSE 'DISABLE' END);
END $$;
DO $$
DECLARE
    first bigint := current_setting('bench.bulk_first')::bigint + 6 * current_setting('bench.ledger_bulk')::bigint;
    n bigint := current_setting('bench.ledger_bulk')::bigint;
    modes int[] := '{0,1,2,2,1,0,0,1,2}';
    t0 timestamptz;
    e0 bigint;
    i int;
BEGIN
    PERFORM pg_temp.ledger(false);
    FOR i IN 1..9 LOOP
        PERFORM pg_temp.write_path(modes[i]);
        SELECT count(*) INTO e0 FROM accountability.ledger_entries;
        t0 := clock_timestamp();
        UPDATE accountability.cases SET status = 'investigating'
        WHERE case_id >= first + (i - 1) * n AND case_id < first + i * n;
        INSERT INTO ledger_runs
        VALUES ('write path', modes[i]::text, 1000 * extract(epoch FROM clock_timestamp() - t0),
                (SELECT count(*) FROM accountability.ledger_entries) - e0,
                (SELECT count(*) FROM accountability.cases
                 WHERE case_id >= first + (i - 1) * n AND case_id < first + i * n
                   AND status OPERATOR(accountability.=) 'investigating'));
    END LOOP;
    PERFORM pg_temp.write_path(2);
    PERFORM pg_temp.ledger(true);
END $$;

-- Each run moved what it should, and the ledger wrote one entry per row
-- written (a case and its event) exactly when it was on.
SELECT bench.check(count(*) = 12 AND bool_and(moved > 0), 'a ledger run failed or moved no case')
FROM ledger_runs WHERE figure <> 'write path';
SELECT bench.check(bool_and(entries = CASE mode WHEN 'on' THEN 2 * moved ELSE 0 END),
                   'the ledger did not write one entry per written row when on, or wrote entries when off')
FROM ledger_runs WHERE figure <> 'write path';
SELECT bench.check(count(*) = 9 AND bool_and(moved = :ledger_bulk AND entries = 0),
                   'a write-path run did not move all its cases, or the ledger wrote entries')
FROM ledger_runs WHERE figure = 'write path';
SELECT bench.check(count(*) = 0, 'a trigger the ledger and write-path runs switched is still disabled')
FROM pg_trigger
WHERE (tgname IN ('cases_05_write_model', 'case_events_90_figures') OR tgname LIKE 'zz\_ledger\_%')
  AND tgenabled = 'D';

SELECT bench.record('ledger', 'single-row transitions, 8 clients on distinct cases (tps, not ms)',
                    'today: ledger triggers off', max(value) FILTER (WHERE mode = 'off'),
                    'with the ledger', max(value) FILTER (WHERE mode = 'on'), '>= 0.9')
FROM ledger_runs WHERE figure = 'tps';
SELECT bench.record('ledger', 'bulk transition, one UPDATE of ' || :ledger_bulk || ' cases',
                    'today: ledger triggers off', min(value) FILTER (WHERE mode = 'off'),
                    'with the ledger', min(value) FILTER (WHERE mode = 'on'), '<= 1.15')
FROM ledger_runs WHERE figure = 'bulk';
SELECT bench.record('ledger', 'bulk transition, ledger off: the write model''s guard',
                    'guard and figures off', min(value) FILTER (WHERE mode = '0'),
                    'the guard on', min(value) FILTER (WHERE mode = '1'), '<= 1.05')
FROM ledger_runs WHERE figure = 'write path';
SELECT bench.record('ledger', 'bulk transition, ledger off: the report figures'' trigger',
                    'the guard on', min(value) FILTER (WHERE mode = '1'),
                    'guard and figures on', min(value) FILTER (WHERE mode = '2'), NULL)
FROM ledger_runs WHERE figure = 'write path';

-- A digest costs what is new, not the whole ledger: once everything above is
-- sealed, a digest after one more case reads only that case's entries, by
-- index (the counters of this transaction's own scans, so no timing).
SELECT accountability.ledger_digest() IS NOT NULL AS sealed \gset
BEGIN;
-- (the counters are this transaction's: the digest is taken inside it)
SET LOCAL accountability.digest_in_transaction = on;
SELECT seq_scan AS seq_scans, idx_tup_fetch AS fetched
FROM pg_catalog.pg_stat_xact_user_tables WHERE relid = 'accountability.ledger_entries'::regclass \gset
INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id)
SELECT (SELECT max(case_id) + 1 FROM accountability.cases), 'accountability', s.subject_id, s.unit_id
FROM accountability.subjects s WHERE s.name = '账本测试';
SELECT (accountability.ledger_digest() ->> 'block_no') IS NOT NULL AS sealed \gset
SELECT bench.check(seq_scan = :seq_scans AND idx_tup_fetch - :fetched BETWEEN 1 AND 16,
                   format('a digest after one new case read %s entries and scanned the ledger %s times',
                          idx_tup_fetch - :fetched, seq_scan - :seq_scans))
FROM pg_catalog.pg_stat_xact_user_tables WHERE relid = 'accountability.ledger_entries'::regclass;
COMMIT;
