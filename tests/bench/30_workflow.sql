-- Issue 4: the workflow triggers (extension/workflow.c, history.c) against
-- the same writes without them.
--
--   (a) 1,000,000 transitions in one UPDATE: through the extension, against
--       the same writes by hand on copies of cases and case_events without
--       triggers: the UPDATE (status, version, event count, chain head) and
--       one INSERT ... SELECT of the event rows, each hash the extension's
--       SHA-256 chained to the case's previous one (none for a first
--       event), computed with sha256() in SQL.  Target <= 1.25.
--   (b) the same UPDATE through the rules written as PL/pgSQL triggers
--       (tests/bench/workflow_plpgsql.sql).  Target: the extension at least
--       1.5 times faster (time ratio <= 0.667).
--   (c) single-row transitions with pgbench, one case per transaction,
--       each case moved once (follow_up -> closed, which requires a
--       follow-up visit whose concerns are resolved: every case gets one
--       first, on both sides): extension tps against the by-hand UPDATE,
--       guarded by the same EXISTS on the visits, + INSERT of the event
--       (tests/bench/workflow_*.pgbench).  Target >= 0.9.
--   (d) COPY of 1,000,000 historical cases in import mode (each gets its
--       hashed 'imported' event), against COPY into a table of the same
--       shape, foreign keys and indexes without the extension's triggers
--       and facts check.  Target <= 1.3.
--
-- Cases can be neither deleted nor truncated and every transition happens
-- once, so nothing is measured twice on the same move: (a) and (b) move all
-- 1M cases three times (received -> investigating -> unfounded ->
-- follow_up) and keep the best time, (c) then closes them, one case per
-- transaction, and (d) runs in a database of its own, loading twice into
-- each table.  The machine may be shared, so every figure is the best of
-- runs interleaved with the other side's.  Set -v verbose=1 to see them all.
\if :{?rows}
\else
\set rows 1000000
\endif
-- pgbench seconds per run (three runs each side), or with
-- pgbench_transactions a number of transactions per client instead (the
-- tiny pass of tests/checks/bench_smoke.sh, whose blocks of cases are small)
\if :{?pgbench_seconds}
\else
\set pgbench_seconds 5
\endif
\if :{?pgbench_transactions}
\set pgbench_length '-t ' :pgbench_transactions
\else
\set pgbench_length '-T ' :pgbench_seconds
\endif
SET search_path = public, accountability;
SET max_parallel_workers_per_gather = 0;
SET accountability.actor = 'bench-clerk';

/* ---- Data: a province, its cities and counties, subjects, 1M cases ---- */

INSERT INTO units (unit_id, code, name, level) VALUES (1, '33', '浙江省', 'province');
INSERT INTO units (unit_id, parent_id, code, name, level)
SELECT 1 + g, 1, '33' || lpad(g::text, 2, '0'), 'city ' || g, 'city' FROM generate_series(1, 11) g;
INSERT INTO units (unit_id, parent_id, code, name, level)
SELECT 12 + g, 2 + g % 11, '33c' || g, 'county ' || g, 'county' FROM generate_series(1, 99) g;
INSERT INTO subjects (subject_id, kind, name, unit_id, post)
SELECT g, 'person', 'subject ' || g, 13 + g % 99, 'post' FROM generate_series(1, 20000) g;

-- Facts as cases carry them: none yet, a few, or a complete set.
CREATE UNLOGGED TABLE wf_src AS
SELECT g AS case_id, (ARRAY['report', 'accountability', 'false_accusation'])[1 + g % 3] AS kind,
       s AS subject_id, 13 + s % 99 AS unit_id,
       date '2025-01-01' + (g % 300)::int AS event_on, date '2025-11-01' + (g % 20)::int AS opened_on,
       (ARRAY['{}',
              '{"situation": "reform_pilot", "consequence": "minor"}',
              '{"situation": "exploratory_trial", "consequence": "none", "procedure_proper": true,
                "diligent": true, "red_line_breach": false, "private_gain": false}',
              '{"situation": "development_inadvertent", "situation_listed": true, "excluded": false,
                "red_line_breach": false, "knowing_violation": false, "violated_explicit_ban": false,
                "private_gain": false, "fraud_or_obstruction": false, "repeated_error": false,
                "consequence": "minor", "procedure_proper": true, "diligent": true,
                "corrected_promptly": true, "loss_recovered": "partial", "cooperated": true}'
             ]::jsonb[])[1 + g % 4] AS facts
FROM generate_series(1, :rows) g, LATERAL (SELECT 1 + (hashint8(g) & 2147483647) % 20000 AS s) x;

-- The by-hand copies: the same columns, defaults, checks, indexes and
-- foreign keys (including the tables that refer to cases), no triggers.
CREATE SCHEMA plain_wf;
CREATE TABLE plain_wf.cases (LIKE accountability.cases INCLUDING ALL,
    FOREIGN KEY (subject_id) REFERENCES accountability.subjects,
    FOREIGN KEY (unit_id) REFERENCES accountability.units);
CREATE TABLE plain_wf.case_events (LIKE accountability.case_events INCLUDING ALL);
CREATE TABLE plain_wf.determinations (LIKE accountability.determinations INCLUDING ALL,
    FOREIGN KEY (case_id) REFERENCES plain_wf.cases);
CREATE TABLE plain_wf.correction_plans (LIKE accountability.correction_plans INCLUDING ALL,
    FOREIGN KEY (case_id) REFERENCES plain_wf.cases);
CREATE TABLE plain_wf.follow_up_visits (LIKE accountability.follow_up_visits INCLUDING ALL,
    FOREIGN KEY (case_id) REFERENCES plain_wf.cases);
-- The PL/pgSQL copies, with the rules as PL/pgSQL triggers.
\ir workflow_plpgsql.sql

-- Vacuumed by hand before each measurement, never by autovacuum during one.
ALTER TABLE accountability.cases SET (autovacuum_enabled = off);
ALTER TABLE accountability.case_events SET (autovacuum_enabled = off);
ALTER TABLE plain_wf.cases SET (autovacuum_enabled = off);
ALTER TABLE plain_wf.case_events SET (autovacuum_enabled = off);
ALTER TABLE plpgsql_wf.cases SET (autovacuum_enabled = off);
ALTER TABLE plpgsql_wf.case_events SET (autovacuum_enabled = off);

-- The rows are valid by construction: load them without the per-row
-- foreign-key checks (replica role skips them, as a data-only restore
-- does), the same way into all three.
SET accountability.restore = on;   -- rows loaded as they are: an explicit mode, even in replica mode
SET session_replication_role = replica;
INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, event_on, opened_on, facts)
SELECT case_id, kind, subject_id, unit_id, event_on, opened_on, facts FROM wf_src ORDER BY case_id;
INSERT INTO plain_wf.cases (case_id, kind, subject_id, unit_id, event_on, opened_on, facts)
SELECT case_id, kind, subject_id, unit_id, event_on, opened_on, facts FROM wf_src ORDER BY case_id;
INSERT INTO plpgsql_wf.cases (case_id, kind, subject_id, unit_id, event_on, opened_on, facts)
SELECT case_id, kind, subject_id, unit_id, event_on, opened_on, facts FROM wf_src ORDER BY case_id;
RESET session_replication_role;
RESET accountability.restore;
DROP TABLE wf_src;

/* ---- (a) and (b): 1M transitions in one UPDATE ---- */

-- Move every case in status "from" to "to" (both free of requirements),
-- through the extension's triggers, through the PL/pgSQL ones, or by hand.
CREATE FUNCTION pg_temp.move(via text, f text, t text) RETURNS text LANGUAGE sql AS $$
    SELECT CASE via
      WHEN 'extension' THEN format('UPDATE accountability.cases SET status = %L WHERE status = %L', t, f)
      WHEN 'plpgsql' THEN format('UPDATE plpgsql_wf.cases SET status = %L WHERE status = %L', t, f)
      -- By hand: the UPDATE writes the row as the trigger would (status,
      -- version, event count, chain head) and hands the moved rows to one
      -- INSERT ... SELECT of the events.  The hash is the extension's
      -- (format v1: a tag, the previous hash, case, event number, kind,
      -- the two status codes, time, user, actor, note) with sha256() in
      -- SQL, so the history is the same; the bytes that are the same for
      -- every row are built once.
      WHEN 'by hand' THEN format($f$
        WITH ctx AS MATERIALIZED (
            SELECT now() AS at, current_user::text AS db_user, actor,
                   '\x01000000000000000a7472616e736974696f6e'::bytea
                   || substring(accountability.case_status_send(%1$L) FROM 2 FOR 1)
                   || substring(accountability.case_status_send(%2$L) FROM 2 FOR 1)
                   || timestamptz_send(now())
                   || '\x01'::bytea || int8send(octet_length(current_user::text)::bigint)
                   || convert_to(current_user::text, getdatabaseencoding())
                   || CASE WHEN actor IS NULL THEN '\x00'::bytea
                           ELSE '\x01'::bytea || int8send(octet_length(actor)::bigint)
                                || convert_to(actor, getdatabaseencoding()) END
                   || '\x00'::bytea AS fixed
            FROM nullif(current_setting('accountability.actor'), '') AS actor),
        moved AS (
            UPDATE plain_wf.cases c
               SET status = %2$L, version = c.version + 1, event_count = c.event_count + 1,
                   last_event_hash = sha256(
                       '\x70675f6163636f756e746162696c6974792e636173655f6576656e742e763100'::bytea
                       || CASE WHEN c.last_event_hash IS NULL THEN '\x00'::bytea
                               ELSE '\x01'::bytea || c.last_event_hash END
                       || int8send(c.case_id) || int8send(c.event_count + 1::bigint) || ctx.fixed),
                   transition_note = NULL
              FROM ctx
             WHERE c.status = %1$L
            RETURNING c.case_id, c.event_count, c.transition_note, c.last_event_hash, ctx.at, ctx.db_user, ctx.actor)
        INSERT INTO plain_wf.case_events (case_id, event_no, event_kind, from_status, to_status,
                                          occurred_at, db_user, actor, note, hash)
        SELECT case_id, event_count, 'transition', %1$L, %2$L, at, db_user, actor, transition_note, last_event_hash
        FROM moved $f$, f, t)
    END $$;

-- Three moves of every case (received -> investigating -> unfounded ->
-- follow_up), the three variants in a different order each time; each
-- measurement starts vacuumed, analysed and checkpointed.
VACUUM ANALYZE accountability.cases, plain_wf.cases, plpgsql_wf.cases;
CHECKPOINT;
SELECT bench.time_ms(pg_temp.move('extension', 'received', 'investigating')) AS ext1 \gset
CHECKPOINT;
SELECT bench.time_ms(pg_temp.move('by hand', 'received', 'investigating')) AS hand1 \gset
CHECKPOINT;
SELECT bench.time_ms(pg_temp.move('plpgsql', 'received', 'investigating')) AS plpgsql1 \gset
VACUUM ANALYZE accountability.cases, plain_wf.cases, plpgsql_wf.cases,
               accountability.case_events, plain_wf.case_events, plpgsql_wf.case_events;
CHECKPOINT;
SELECT bench.time_ms(pg_temp.move('by hand', 'investigating', 'unfounded')) AS hand2 \gset
CHECKPOINT;
SELECT bench.time_ms(pg_temp.move('plpgsql', 'investigating', 'unfounded')) AS plpgsql2 \gset
CHECKPOINT;
SELECT bench.time_ms(pg_temp.move('extension', 'investigating', 'unfounded')) AS ext2 \gset
VACUUM ANALYZE accountability.cases, plain_wf.cases, plpgsql_wf.cases,
               accountability.case_events, plain_wf.case_events, plpgsql_wf.case_events;
CHECKPOINT;
SELECT bench.time_ms(pg_temp.move('plpgsql', 'unfounded', 'follow_up')) AS plpgsql3 \gset
CHECKPOINT;
SELECT bench.time_ms(pg_temp.move('extension', 'unfounded', 'follow_up')) AS ext3 \gset
CHECKPOINT;
SELECT bench.time_ms(pg_temp.move('by hand', 'unfounded', 'follow_up')) AS hand3 \gset
\if :{?verbose}
\warn 'received -> investigating: extension' :ext1 'by hand' :hand1 'PL/pgSQL' :plpgsql1
\warn 'investigating -> unfounded: extension' :ext2 'by hand' :hand2 'PL/pgSQL' :plpgsql2
\warn 'unfounded -> follow_up: extension' :ext3 'by hand' :hand3 'PL/pgSQL' :plpgsql3
\endif

-- Every case moved three times, on all three, and the three histories are the
-- same chain: every 997th case's recomputed with the extension's
-- event_hash(), the same way in each schema (verify_history() knows only
-- the extension's tables; it checks the extension's sample below too).
SELECT bench.check(
    (SELECT count(*) FROM accountability.case_events) = 3 * :rows
    AND (SELECT count(*) FROM plain_wf.case_events) = 3 * :rows
    AND (SELECT count(*) FROM plpgsql_wf.case_events) = 3 * :rows
    AND NOT EXISTS (SELECT 1 FROM accountability.cases WHERE status <> 'follow_up' OR event_count <> 3)
    AND NOT EXISTS (SELECT 1 FROM plain_wf.cases WHERE status <> 'follow_up' OR event_count <> 3)
    AND NOT EXISTS (SELECT 1 FROM plpgsql_wf.cases WHERE status <> 'follow_up' OR event_count <> 3),
    'not every case moved three times');
-- Do the histories of these cases in this schema's copy of the tables
-- chain as the extension's would?
CREATE FUNCTION pg_temp.chains_verify(schema text, ids bigint[]) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE ok boolean;
BEGIN
    EXECUTE format($q$
        SELECT NOT EXISTS (
            SELECT 1 FROM unnest($1) id
            JOIN %1$I.cases c ON c.case_id = id
            LEFT JOIN %1$I.case_events e ON e.case_id = id
            LEFT JOIN %1$I.case_events p ON p.case_id = id AND p.event_no = e.event_no - 1
            WHERE e.hash IS DISTINCT FROM accountability.event_hash(p.hash, e.case_id, e.event_no, e.event_kind,
                      e.from_status, e.to_status, e.occurred_at, e.db_user, e.actor, e.note)
               OR e.from_status IS DISTINCT FROM coalesce(p.to_status, 'received')
               OR (e.event_no = c.event_count AND e.hash IS DISTINCT FROM c.last_event_hash)
               OR (e.event_no = c.event_count AND e.to_status IS DISTINCT FROM c.status)
               OR c.event_count <> (SELECT count(*) FROM %1$I.case_events x WHERE x.case_id = id)) $q$,
        schema) INTO ok USING ids;
    RETURN ok;
END $$;
SELECT array_agg(id) AS sample FROM generate_series(1, :rows, 997) id \gset
SELECT bench.check(pg_temp.chains_verify('accountability', :'sample')
                   AND NOT EXISTS (SELECT 1 FROM unnest(:'sample'::bigint[]) id, accountability.verify_history(id)),
                   'the extension wrote a history that does not verify');
SELECT bench.check(pg_temp.chains_verify('plain_wf', :'sample'), 'the by-hand history does not verify');
SELECT bench.check(pg_temp.chains_verify('plpgsql_wf', :'sample'), 'the PL/pgSQL triggers wrote a history that does not verify');

SELECT bench.record('workflow', '1M transitions, one UPDATE', 'by hand, no triggers', least(:hand1, :hand2, :hand3),
                    'C triggers', least(:ext1, :ext2, :ext3), '<= 1.25');
SELECT bench.record('workflow', '1M transitions, one UPDATE', 'PL/pgSQL triggers', least(:plpgsql1, :plpgsql2, :plpgsql3),
                    'C triggers', least(:ext1, :ext2, :ext3), '<= 0.667');

/* ---- (c) single-row transitions with pgbench ---- */

-- Every case is now in follow_up; closing one requires a follow-up visit
-- whose concerns are resolved (跟踪回访, 解开思想疙瘩).  Each case gets one,
-- loaded as it is in restore mode (the rows are valid by construction; the
-- visit's own trigger is not what (c) measures), the same rows on both sides.
SET accountability.restore = on;
INSERT INTO accountability.follow_up_visits (case_id, visit_no, plan, visitor, visited_on, method, concerns_resolved)
SELECT case_id, 1, '一人一策', '回访组', date '2025-12-01', 'face_to_face', true FROM accountability.cases ORDER BY case_id;
RESET accountability.restore;
INSERT INTO plain_wf.follow_up_visits (case_id, visit_no, plan, visitor, visited_on, method, concerns_resolved)
SELECT case_id, 1, '一人一策', '回访组', date '2025-12-01', 'face_to_face', true FROM plain_wf.cases ORDER BY case_id;

-- Each transaction closes a case of its own: client c of run r (0, 1, 2 on
-- each side) takes the cases from 1 + (2r + c) * rows / 6.  Three short
-- runs a side, alternating, the best kept.  A run's result is
-- "tps transactions".
VACUUM ANALYZE accountability.cases, plain_wf.cases, accountability.case_events, plain_wf.case_events,
               accountability.follow_up_visits, plain_wf.follow_up_visits;
SELECT :rows / 6 AS stride, 1 + 2 * (:rows / 6) AS first2, 1 + 4 * (:rows / 6) AS first3 \gset
\set pgbench 'PGOPTIONS=''-c accountability.actor=bench-clerk'' "$BINDIR/pgbench" -n -M prepared -c 2 -j 2 ' :pgbench_length ' -D stride=' :stride ' -D n=0 '
\set pgbench_tail ' ' :DBNAME ' > "$BENCH_DIR/pgbench.log" 2>&1 || { cat "$BENCH_DIR/pgbench.log" >&2; exit 1; }; awk ''/^tps/ { t = $3 } /actually processed/ { n = $NF; sub("/.*", "", n) } END { print t, n }'' "$BENCH_DIR/pgbench.log"'
\set extension_script '-f "$TOP/tests/bench/workflow_extension.pgbench"'
\set by_hand_script '-f "$TOP/tests/bench/workflow_by_hand.pgbench"'
CHECKPOINT;
\set run_ext1 `:pgbench -D first=1 :extension_script :pgbench_tail`
CHECKPOINT;
\set run_hand1 `:pgbench -D first=1 :by_hand_script :pgbench_tail`
CHECKPOINT;
\set run_hand2 `:pgbench -D first=:first2 :by_hand_script :pgbench_tail`
CHECKPOINT;
\set run_ext2 `:pgbench -D first=:first2 :extension_script :pgbench_tail`
CHECKPOINT;
\set run_ext3 `:pgbench -D first=:first3 :extension_script :pgbench_tail`
CHECKPOINT;
\set run_hand3 `:pgbench -D first=:first3 :by_hand_script :pgbench_tail`
\if :{?verbose}
\warn 'pgbench (tps transactions): extension' :run_ext1 '/' :run_ext2 '/' :run_ext3 'by hand' :run_hand1 '/' :run_hand2 '/' :run_hand3
\endif

-- Every run worked (a pgbench that fails leaves its variable empty: its
-- log is above), every transaction moved one case and left one event (so
-- no client ran out of cases), and the history verifies.
SELECT bench.check(:'run_ext1' ~ '^[0-9.]+ [1-9][0-9]*$' AND :'run_ext2' ~ '^[0-9.]+ [1-9][0-9]*$'
                   AND :'run_ext3' ~ '^[0-9.]+ [1-9][0-9]*$' AND :'run_hand1' ~ '^[0-9.]+ [1-9][0-9]*$'
                   AND :'run_hand2' ~ '^[0-9.]+ [1-9][0-9]*$' AND :'run_hand3' ~ '^[0-9.]+ [1-9][0-9]*$',
                   'a pgbench run of (c) failed or moved no case');
SELECT bench.check(
    (SELECT count(*) FROM accountability.case_events WHERE to_status = 'closed')
        = split_part(:'run_ext1', ' ', 2)::bigint + split_part(:'run_ext2', ' ', 2)::bigint
          + split_part(:'run_ext3', ' ', 2)::bigint
    AND (SELECT count(*) FROM plain_wf.case_events WHERE to_status = 'closed')
        = split_part(:'run_hand1', ' ', 2)::bigint + split_part(:'run_hand2', ' ', 2)::bigint
          + split_part(:'run_hand3', ' ', 2)::bigint,
    'pgbench transactions and transition events do not match');
SELECT array[1, 2, 1 + :stride, :first2, 1 + :first2, :first2 + :stride, :first3, :first3 + :stride]::bigint[]
       AS moved \gset
SELECT bench.check(pg_temp.chains_verify('accountability', :'moved')
                   AND NOT EXISTS (SELECT 1 FROM accountability.verify_history(1)),
                   'a history written through pgbench does not verify');
SELECT bench.check(pg_temp.chains_verify('plain_wf', :'moved'), 'a by-hand history written through pgbench does not verify');

SELECT bench.record('workflow', 'single-row transitions (tps, not ms)', 'by hand: UPDATE + INSERT',
                    greatest(split_part(:'run_hand1', ' ', 1)::float8, split_part(:'run_hand2', ' ', 1)::float8,
                             split_part(:'run_hand3', ' ', 1)::float8),
                    'C triggers',
                    greatest(split_part(:'run_ext1', ' ', 1)::float8, split_part(:'run_ext2', ' ', 1)::float8,
                             split_part(:'run_ext3', ' ', 1)::float8),
                    '>= 0.9');

SET client_min_messages = warning;
DROP SCHEMA plain_wf, plpgsql_wf CASCADE;
RESET client_min_messages;

/* ---- (d) COPY of 1M historical cases in import mode ---- */

-- Historical cases in every status, as an older system would export them.
\set importfile :bench_dir '/historical_cases.csv'
COPY (
    SELECT (ARRAY['report', 'accountability', 'false_accusation'])[1 + g % 3] AS kind,
           s AS subject_id, 13 + s % 99 AS unit_id,
           (ARRAY['received', 'investigating', 'unfounded', 'liable', 'tolerance_review', 'determined',
                  'notified', 'appealed', 'correcting', 'filed', 'follow_up', 'closed'])[1 + g % 12] AS status,
           date '2015-01-01' + (g % 3000)::int AS event_on, date '2015-01-01' + (g % 3000)::int + 30 AS opened_on,
           (ARRAY['{}', '{"situation": "reform_pilot", "consequence": "minor"}',
                  '{"situation": "exploratory_trial", "consequence": "none", "procedure_proper": true, "diligent": true}'
                 ])[1 + g % 3] AS facts,
           CASE WHEN g % 2 = 0 THEN '经核查，反映问题基本属实' END AS conclusion,
           CASE WHEN g % 12 = 11 THEN '不予受理' END AS closing_reason,
           '从旧系统导入 #' || g AS transition_note
    FROM generate_series(1, :rows) g, LATERAL (SELECT 1 + (hashint8(g) & 2147483647) % 20000 AS s) x
) TO :'importfile' (FORMAT csv);

-- A database of its own, so the extension's cases table starts empty.
CREATE DATABASE bench_import;
\c bench_import
\ir setup.sql
SET max_parallel_workers_per_gather = 0;
SET accountability.actor = 'bench-clerk';
INSERT INTO accountability.units (unit_id, code, name, level) VALUES (1, '33', '浙江省', 'province');
INSERT INTO accountability.units (unit_id, parent_id, code, name, level)
SELECT 1 + g, 1, '33' || lpad(g::text, 2, '0'), 'city ' || g, 'city' FROM generate_series(1, 11) g;
INSERT INTO accountability.units (unit_id, parent_id, code, name, level)
SELECT 12 + g, 2 + g % 11, '33c' || g, 'county ' || g, 'county' FROM generate_series(1, 99) g;
INSERT INTO accountability.subjects (subject_id, kind, name, unit_id, post)
SELECT g, 'person', 'subject ' || g, 13 + g % 99, 'post' FROM generate_series(1, 20000) g;
VACUUM ANALYZE accountability.units, accountability.subjects;

-- The same shape without the extension: no triggers, no facts check.
CREATE TABLE public.cases_plain (LIKE accountability.cases INCLUDING ALL,
    FOREIGN KEY (subject_id) REFERENCES accountability.subjects,
    FOREIGN KEY (unit_id) REFERENCES accountability.units);
ALTER TABLE public.cases_plain DROP CONSTRAINT cases_facts_check;
-- no autovacuum during the loads
ALTER TABLE accountability.cases SET (autovacuum_enabled = off);
ALTER TABLE accountability.case_events SET (autovacuum_enabled = off);
ALTER TABLE public.cases_plain SET (autovacuum_enabled = off);

SET accountability.import = on;
\set columns '(kind, subject_id, unit_id, status, event_on, opened_on, facts, conclusion, closing_reason, transition_note)'
SELECT format('COPY accountability.cases %s FROM %L (FORMAT csv)', :'columns', :'importfile') AS copy_extension,
       format('COPY public.cases_plain %s FROM %L (FORMAT csv)', :'columns', :'importfile') AS copy_plain \gset
-- Into the empty tables, then once more on top.
CHECKPOINT;
SELECT bench.time_ms(:'copy_extension') AS import_ext1 \gset
CHECKPOINT;
SELECT bench.time_ms(:'copy_plain') AS import_plain1 \gset
CHECKPOINT;
SELECT bench.time_ms(:'copy_plain') AS import_plain2 \gset
CHECKPOINT;
SELECT bench.time_ms(:'copy_extension') AS import_ext2 \gset
RESET accountability.import;
\if :{?verbose}
\warn 'COPY: extension' :import_ext1 '/' :import_ext2 'plain' :import_plain1 '/' :import_plain2
\endif

-- One imported event per case, and a sample of them verifies.
SELECT bench.check(
    (SELECT count(*) FROM accountability.case_events WHERE event_kind = 'imported') = 2 * :rows
    AND NOT EXISTS (
        SELECT 1 FROM accountability.case_events e JOIN accountability.cases c USING (case_id)
        WHERE e.case_id % 997 = 1
          AND (c.event_count <> 0 OR c.last_event_hash IS NOT NULL
               OR e.hash <> accountability.event_hash(NULL, e.case_id, 0, 'imported', NULL, c.status,
                                                      e.occurred_at, e.db_user, e.actor, c.transition_note))),
    'the import did not leave one sound imported event per case');

\c bench
DROP DATABASE bench_import;
SELECT bench.record('workflow', 'COPY 1M historical cases (import)', 'no triggers or facts check',
                    least(:import_plain1, :import_plain2), 'C triggers, import mode',
                    least(:import_ext1, :import_ext2), '<= 1.3');

-- Leave the bench database as the next file expects it, with the
-- extension's tables empty (its unit tree and subjects would clash with the
-- demo generator's): restore mode may clear the permanent record.
SET client_min_messages = error;
SET accountability.restore = on;
TRUNCATE accountability.units, accountability.subjects, accountability.cases, accountability.case_events
    RESTART IDENTITY CASCADE;
RESET accountability.restore;
RESET client_min_messages;
