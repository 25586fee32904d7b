-- pgTAP: the ledger (issue 15) — tampering as a superuser would, against a
-- digest taken before it.
--
-- Everything runs in one transaction that is rolled back.  A digest seals
-- every entry its statement sees, this transaction's included, so the
-- record is built, digested, and then each tampering runs in a
-- subtransaction (pg_temp.problems) that counts what verify_ledger() finds
-- and rolls the tampering back.  For each table of the permanent record
-- and each way to tamper, verification must find something; without
-- tampering, nothing, even after more legitimate work.
BEGIN;
-- (the overlaps of the distinct report figures are counted at commit, by a
-- deferred trigger: in this one transaction, at the end of each statement)
SET CONSTRAINTS ALL IMMEDIATE;
SET LOCAL search_path = public, accountability;
SET LOCAL client_min_messages = warning;
SELECT plan(401);

-- ---------------------------------------------------------------------
-- 1. A record with at least two rows in every table of the ledger.
-- ---------------------------------------------------------------------
CREATE ROLE regress_ledger_unit NOLOGIN;
INSERT INTO units (unit_id, code, name, level) VALUES (1, '33', '浙江省', 'province');
INSERT INTO units (unit_id, parent_id, code, name, level) VALUES (2, 1, '3302', '宁波市', 'city'), (3, 2, '330282', '慈溪市', 'county'),
    (4, 2, '330281', '余姚市', 'county');
INSERT INTO subjects (subject_id, kind, name, unit_id, post, identity_type) VALUES
    (1, 'person', '张三', 3, '镇长', 'party_member'), (2, 'person', '李四', 3, '科员', 'public_servant'),
    (3, 'person', '王五', 3, '科员', 'other');
INSERT INTO role_units (role_id, unit_id, granted_by) VALUES
    ('regress_ledger_unit', 1, 'a'), ('regress_ledger_unit', 2, 'b'), ('regress_ledger_unit', 3, 'c');
INSERT INTO tolerance_list_items (unit_id, code, polarity, text_zh, valid_from) VALUES
    (2, 'reform_pilot', 'positive', '改革试点', '2020-01-01'), (2, 'land', 'negative', '违规用地', '2020-01-01');

-- Case 1: an accountability matter taken through determination, notice
-- and correction (determinations, correction plans, two fills).
INSERT INTO cases (case_id, kind, subject_id, unit_id) VALUES (1, 'accountability', 1, 3), (2, 'accountability', 2, 3);
UPDATE cases SET status = 'investigating' WHERE case_id IN (1, 2);
UPDATE cases SET status = 'liable' WHERE case_id IN (1, 2);
INSERT INTO determinations (case_id, outcome, deciding_body) VALUES (1, 'not_tolerable', '县纪委'), (2, 'not_tolerable', '市纪委');
UPDATE cases SET status = 'determined' WHERE case_id IN (1, 2);
UPDATE determinations SET notified_on = accountability.record_today();
UPDATE cases SET status = 'notified' WHERE case_id IN (1, 2);
INSERT INTO correction_plans (case_id, matter, measures, due_on) VALUES
    (1, '程序瑕疵', '补齐手续', accountability.record_today() + 30), (1, '台账缺失', '建立台账', accountability.record_today() + 30);
UPDATE correction_plans SET completed_on = accountability.record_today(), verified_by = '县纪委' WHERE plan_no = 1;

-- Case 3: a report found untrue, clarified (澄清正名) and visited (回访).
INSERT INTO cases (case_id, kind, subject_id, unit_id) VALUES (3, 'report', 3, 3);
UPDATE cases SET status = 'investigating' WHERE case_id = 3;
UPDATE cases SET status = 'unfounded', report_finding = 'mistaken_report',
       clarification_grounds = '{affected_selection}' WHERE case_id = 3;
INSERT INTO clarifications (case_id, methods, scope, approved_by) VALUES
    (3, '{written}', '反映问题失实', '市纪委'), (3, '{written}', '再次澄清', '市纪委');
UPDATE clarifications SET done_on = accountability.record_today() WHERE case_id = 3;
UPDATE cases SET status = 'follow_up' WHERE case_id = 3;
INSERT INTO follow_up_visits (case_id, plan, visitor, visited_on, method, concerns_resolved, next_due_on) VALUES
    (3, '一人一策', '回访组', accountability.record_today(), 'face_to_face', false, accountability.record_today() + 30),
    (3, '谈心谈话', '回访组', accountability.record_today(), 'phone', true, NULL);

-- Case 4: imported in status liable, with its event 0, never moved since.
SET LOCAL accountability.import = on;
INSERT INTO cases (case_id, kind, subject_id, unit_id, status) VALUES (4, 'accountability', 2, 3, 'liable');
SET LOCAL accountability.import = off;
-- Case 5: registered, nothing else.
INSERT INTO cases (case_id, kind, subject_id, unit_id) VALUES (5, 'report', 1, 3);

INSERT INTO early_warnings (subject_id, sign, issued_by) VALUES (1, '苗头问题', '镇纪委'), (2, '倾向问题', '镇纪委');
INSERT INTO demotions (subject_id, situation_code, method, decided_by, decided_on, effective_on, reuse_eligible_on) VALUES
    (3, 'N-07', 'reassignment', '市委组织部', '2026-01-10', '2026-01-15', '2099-01-15'),
    (3, 'N-07', 'transfer', '市委组织部', '2026-02-10', '2026-02-15', '2099-02-15');
INSERT INTO assessments (subject_id, year, grade, assessing_unit_id, decided_on) VALUES
    (1, 2024, 'competent', 3, '2025-01-10'), (1, 2025, 'excellent', 3, '2025-12-30');
INSERT INTO commendations (subject_id, kind, year, awarding_unit_id, awarded_on) VALUES
    (1, 'good_cadre', 2025, 2, '2025-12-01'), (2, 'good_cadre', 2025, 2, '2025-12-01');
INSERT INTO mentorships (mentor_id, mentee_id, unit_id, started_on) VALUES (1, 2, 3, '2025-02-01'), (1, 3, 3, '2025-02-01');
INSERT INTO mentoring_sessions (mentorship_id, held_on, topic, hours)
    SELECT min(mentorship_id), '2025-03-01', t, 2 FROM mentorships, (VALUES ('群众工作'), ('项目推进')) v (t) GROUP BY t;
INSERT INTO trainings (subject_id, course, year, attended_on, hours) VALUES
    (1, '"8090"培训班', 2025, '2025-05-01', 4), (2, '"8090"培训班', 2025, '2025-05-01', 4);
INSERT INTO promotions (subject_id, kind, from_post, to_post, unit_id, decided_by, effective_on) VALUES
    (1, 'promotion', '镇长', '镇党委书记', 3, '县委', '2025-12-30'), (2, 'appointment', '科员', '副科长', 3, '县委', '2025-12-30');
-- A cadre seconded to the other county and back (干部调动), each move recorded.
SELECT move_subject(3, 4, '交流任职');
SELECT move_subject(3, 3, '任职期满回原单位');

SELECT is((SELECT count(DISTINCT table_name) FROM ledger_entries), 19::bigint,
          'every table of the permanent record has entries');
SELECT is((SELECT count(*) FROM ledger_rows() r
           WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.table_name = r.table_name AND e.row_key = r.row_key)),
          0::bigint, 'every live row has a ledger entry');
SELECT is((SELECT array_agg(DISTINCT operation ORDER BY operation) FROM ledger_entries),
          ARRAY['fill', 'insert', 'move', 'update'], 'inserts, fills, moves and updates (a cadre''s unit) are recorded as such');
SELECT ok((SELECT bool_and(xid = pg_current_xact_id()) FROM ledger_entries), 'each entry carries its transaction id');
SELECT ok((SELECT bool_and(entry_hash = ledger_entry_hash(entry_no, table_name, operation, row_key, row_image))
           FROM ledger_entries), 'each entry hash recomputes');
SELECT is((SELECT count(*) FROM ledger_entries WHERE table_name = 'case_events' AND row_key = '[4, 0]'), 1::bigint,
          'the imported event 0 is in the ledger');

-- ---------------------------------------------------------------------
-- 2. Digests, and verification without tampering.
-- ---------------------------------------------------------------------
-- A digest leaves the database, so it is refused inside a transaction
-- block such as this file's (attack round 17: a digest of a transaction
-- that rolled back named a block that never existed, and the next one
-- looked like a rewrite), unless the session keeps it only after COMMIT.
SELECT throws_ok($$SELECT accountability.ledger_digest()$$, '25001', NULL,
                 'a digest inside a transaction block is refused');
SET LOCAL accountability.digest_in_transaction = on;
SELECT ledger_digest() AS d1 \gset
SELECT ok(:'d1'::jsonb ?& ARRAY['format', 'database', 'block_no', 'block_hash', 'entry_no', 'taken_at'],
          'a digest holds the format, the database, the head block and entry, the time');
SELECT is((:'d1'::jsonb ->> 'block_hash'), (SELECT encode(block_hash, 'hex') FROM ledger_blocks WHERE block_no = 1),
          'the digest names block 1 and its hash');
SELECT is((SELECT count(*) FROM ledger_entries e WHERE NOT EXISTS (
               SELECT 1 FROM ledger_blocks b WHERE e.entry_no <@ b.entries)), 0::bigint,
          'the digest sealed every entry');
SELECT is((SELECT count(*) FROM verify_ledger(:'d1')), 0::bigint, 'intact against the digest: no problem');
SELECT is((SELECT count(*) FROM verify_ledger(NULL)), 0::bigint, 'intact without digests: no problem');
SELECT is((ledger_digest() ->> 'block_no')::bigint, 1::bigint, 'a digest with nothing new seals no empty block');

-- More legitimate work since the digest, then a second digest.
UPDATE cases SET status = 'investigating' WHERE case_id = 5;
UPDATE correction_plans SET completed_on = accountability.record_today(), verified_by = '县纪委' WHERE plan_no = 2;
UPDATE cases SET status = 'correcting' WHERE case_id = 1;
DELETE FROM role_units WHERE unit_id = 3;
UPDATE subjects SET post = '副镇长' WHERE subject_id = 2;
SELECT is((SELECT count(*) FROM verify_ledger(:'d1')), 0::bigint,
          'more work since the digest, entries not yet sealed: no problem');
SELECT ledger_digest() AS d2 \gset
SELECT is((:'d2'::jsonb ->> 'block_no')::bigint, 2::bigint, 'the second digest seals block 2');
SELECT is((SELECT prev_hash FROM ledger_blocks WHERE block_no = 2), (SELECT block_hash FROM ledger_blocks WHERE block_no = 1),
          'block 2 chains to block 1');
SELECT is((SELECT count(*) FROM verify_ledger(jsonb_build_array(:'d1'::jsonb, :'d2'::jsonb))), 0::bigint,
          'intact against both digests: no problem');
UPDATE cases SET status = 'liable' WHERE case_id = 5;
SELECT is((SELECT count(*) FROM verify_ledger(:'d2')), 0::bigint, 'and after more work again: no problem');
SELECT is((SELECT count(*) FROM verify_ledger(:'d1'::jsonb || '{"block_no": 0, "block_hash": null, "entry_no": 0, "entry_count": 0}')), 0::bigint,
          'a digest of an empty ledger is extended by any ledger');

-- Digests that do not fit.
SELECT is((SELECT problem FROM verify_ledger('{"format": 2, "block_no": 1}')), 'digest 1: format 2 is not known',
          'an unknown digest format is a problem');
SELECT is((SELECT problem FROM verify_ledger(jsonb_set(:'d1'::jsonb, '{block_no}', '9'))),
          'digest 1: block 9 is missing (blocks were removed: the ledger was truncated or replaced)',
          'a digest beyond the ledger: blocks were removed');
SELECT is((SELECT problem FROM verify_ledger(jsonb_set(:'d1'::jsonb, '{block_hash}', to_jsonb(repeat('0', 64))))),
          'digest 1: block 1 differs from the digest (the ledger up to it was rewritten)',
          'a digest whose hash differs: the ledger was rewritten');
SELECT is(ARRAY(SELECT problem FROM verify_ledger('[null, 1, {"format": "1"}, {"format": 1, "block_no": "x"}]')),
          ARRAY['digest 1: a null, not a digest (a JSON object)', 'digest 2: a number, not a digest (a JSON object)',
                'digest 3: format "1" is not known',
                'digest 4: block_no and block_hash are not a block number and a SHA-256 in hex'],
          'digests that are not objects, or lack a block number, are each named as such');
SELECT is(ARRAY(SELECT problem FROM verify_ledger(jsonb_build_array(
                    jsonb_set(:'d1'::jsonb, '{block_no}', to_jsonb((:'d1'::jsonb ->> 'block_no'))),
                    jsonb_set(:'d1'::jsonb, '{format}', '"1"')))),
          ARRAY['digest 1: block_no and block_hash are not a block number and a SHA-256 in hex',
                'digest 2: format "1" is not known'],
          'a digest''s block_no or format written as a string of digits is a problem (the offline verifier refuses both too)');
SELECT is(ARRAY(SELECT problem FROM verify_ledger(jsonb_build_array(:'d1'::jsonb - 'block_hash',
                                                                    jsonb_set(:'d1'::jsonb, '{block_hash}', 'null')))),
          ARRAY['digest 1: block_no and block_hash are not a block number and a SHA-256 in hex',
                'digest 2: block_no and block_hash are not a block number and a SHA-256 in hex'],
          'a digest of a block without its hash proves nothing: named, as the offline verifier names it');
-- What else ledger_digest() writes, edited by hand: named, never skipped
-- (attack round 17: each of these was skipped in silence).
SELECT is(ARRAY(SELECT problem FROM verify_ledger(jsonb_build_array(
                    :'d1'::jsonb - 'guards',
                    jsonb_set(:'d1'::jsonb, '{guards}', '"x"'),
                    jsonb_set(:'d1'::jsonb, '{guards,extension_version}', '1.1'),
                    jsonb_set(:'d1'::jsonb, '{guards,sha256}', '"not a hash"'),
                    jsonb_set(:'d1'::jsonb, '{entry_count}', '"7"'),
                    :'d1'::jsonb - 'entry_no',
                    :'d1'::jsonb || '{"block_no": 0}',
                    :'d1'::jsonb || '{"block_no": 0, "block_hash": null}'))),
          ARRAY['digest 1: guards is not the fingerprint ledger_digest() writes (an object of sha256, server_major and extension_version), so the guards could not be compared',
                'digest 2: guards is not the fingerprint ledger_digest() writes (an object of sha256, server_major and extension_version), so the guards could not be compared',
                'digest 3: guards is not the fingerprint ledger_digest() writes (an object of sha256, server_major and extension_version), so the guards could not be compared',
                'digest 4: guards is not the fingerprint ledger_digest() writes (an object of sha256, server_major and extension_version), so the guards could not be compared',
                'digest 5: entry_no and entry_count are not counts of entries',
                'digest 6: entry_no and entry_count are not counts of entries',
                'digest 7: block 0 is the digest of an empty ledger, yet it has a block_hash or counts entries',
                'digest 8: block 0 is the digest of an empty ledger, yet it has a block_hash or counts entries'],
          'a digest without its guards or counts, with a numeric version, or turned into block 0, is named');
-- (attack round 18) The rest of it, edited: each named, in the words the
-- offline verifier uses, and none skipped.
SELECT is(ARRAY(SELECT problem FROM verify_ledger(jsonb_build_array(
                    jsonb_set(:'d1'::jsonb, '{guards,extension_version}', '"1.0"'),
                    jsonb_set(:'d1'::jsonb, '{guards,server_major}', '15.5'),
                    :'d1'::jsonb - 'taken_at',
                    jsonb_set(:'d1'::jsonb, '{database}', '"elsewhere"'),
                    jsonb_set(:'d1'::jsonb, '{entry_count}', '5'),
                    (:'d1'::jsonb || '{"block_no": 0, "entry_no": 0, "entry_count": 0}') - 'block_hash',
                    jsonb_set(jsonb_set(:'d1'::jsonb, '{guards,server_major}', '99'), '{guards,sha256}', to_jsonb(repeat('0', 64)))))
                ORDER BY 1),
          ARRAY['digest 1: guards is not the fingerprint ledger_digest() writes (an object of sha256, server_major and extension_version), so the guards could not be compared',
                'digest 2: guards is not the fingerprint ledger_digest() writes (an object of sha256, server_major and extension_version), so the guards could not be compared',
                'digest 3: taken_at or database is not what ledger_digest() writes',
                'digest 4: taken_at or database is not what ledger_digest() writes',
                'digest 5: entry_no and entry_count differ from the ledger''s up to block 1',
                'digest 6: block_no and block_hash are not a block number and a SHA-256 in hex',
                format('digest 7 was taken on PostgreSQL 99, newer than this server''s %s: the major was changed by hand, and the guards were not compared',
                       current_setting('server_version_num')::integer / 10000)],
          'a digest of version 1.0 or a fractional major, without its time or database, with counts its block does not hold, of block 0 without a hash, or of a newer major, is named');
SELECT throws_ok($$SELECT * FROM verify_ledger('[]')$$, '22023', 'verify_ledger() was given an empty list of digests',
                 'an empty list of digests is refused: it would prove nothing');

-- ---------------------------------------------------------------------
-- 3. The tools of the attacker, and the counting harness.
-- ---------------------------------------------------------------------

-- Run a tampering in a subtransaction; return the problems
-- verify_ledger(digest) finds (area, problem); roll the tampering back.
CREATE FUNCTION pg_temp.problems_after(tamper text, digest jsonb) RETURNS TABLE (area text, problem text)
LANGUAGE plpgsql AS $$
DECLARE
    areas text[];
    problems text[];
BEGIN
    BEGIN
        EXECUTE tamper;
        SELECT array_agg(v.area), array_agg(v.problem) INTO areas, problems FROM accountability.verify_ledger(digest) v;
        RAISE EXCEPTION USING ERRCODE = 'P0099';
    EXCEPTION WHEN SQLSTATE 'P0099' THEN
        NULL;
    END;
    RETURN QUERY SELECT * FROM unnest(areas, problems);
END
$$;

-- How many problems a tampering leaves.
CREATE FUNCTION pg_temp.problems(tamper text, digest jsonb) RETURNS bigint
LANGUAGE sql AS $$ SELECT count(*) FROM pg_temp.problems_after(tamper, digest) $$;

-- The history problems verify_ledger() finds after a tampering.
CREATE FUNCTION pg_temp.history_after(tamper text) RETURNS TABLE (problem text)
LANGUAGE sql AS $$ SELECT p.problem FROM pg_temp.problems_after(tamper, NULL) p WHERE p.area = 'history' $$;

-- The problems as text (area: problem), one per problem: which rule found
-- it, and how often.
CREATE FUNCTION pg_temp.problem_texts(tamper text, digest jsonb) RETURNS TABLE (problem text)
LANGUAGE sql AS $$ SELECT p.area || ': ' || p.problem FROM pg_temp.problems_after(tamper, digest) p $$;

-- Put a table's triggers back as they were (ALWAYS and REPLICA ones too):
-- the attacker who switched the guards off and tidies up after, so no
-- trigger stays disabled and the guards' fingerprint is as before.
CREATE TEMP TABLE trigger_states AS
SELECT tgrelid, tgname, tgenabled FROM pg_trigger
WHERE tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'accountability'::regnamespace);
CREATE FUNCTION pg_temp.triggers_back(tab regclass) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    t record;
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE TRIGGER ALL', tab);
    FOR t IN SELECT * FROM pg_temp.trigger_states s WHERE s.tgrelid = tab AND s.tgenabled IN ('A', 'R') LOOP
        EXECUTE format('ALTER TABLE %s ENABLE %s TRIGGER %I', tab,
                       CASE t.tgenabled WHEN 'A' THEN 'ALWAYS' ELSE 'REPLICA' END, t.tgname);
    END LOOP;
END
$$;

-- Reseal every block after the ledger was rewritten: the attacker who
-- recomputes the entry hashes, the Merkle roots and the chain.
CREATE FUNCTION pg_temp.reseal() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    b record;
    prev bytea := NULL;
    root bytea;
BEGIN
    ALTER TABLE accountability.ledger_entries DISABLE TRIGGER ALL;
    ALTER TABLE accountability.ledger_blocks DISABLE TRIGGER ALL;
    UPDATE accountability.ledger_entries SET entry_hash = accountability.ledger_entry_hash(
        entry_no, table_name, operation, row_key, row_image);
    FOR b IN SELECT * FROM accountability.ledger_blocks ORDER BY block_no LOOP
        SELECT accountability.ledger_merkle_root(array_agg(e.entry_hash ORDER BY e.entry_no)) INTO root
        FROM accountability.ledger_entries e WHERE e.entry_no <@ b.entries;
        UPDATE accountability.ledger_blocks SET merkle_root = root, prev_hash = prev,
            block_hash = accountability.ledger_block_hash(block_no, prev, root, entry_count, first_entry_no, last_entry_no)
        WHERE block_no = b.block_no RETURNING block_hash INTO prev;
    END LOOP;
    PERFORM pg_temp.triggers_back('accountability.ledger_entries');
    PERFORM pg_temp.triggers_back('accountability.ledger_blocks');
END
$$;

-- Make the latest entry of every changed row say what the row says now,
-- then reseal: the ledger rewritten to match a rewritten table.
CREATE FUNCTION pg_temp.rewrite_ledger() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    ALTER TABLE accountability.ledger_entries DISABLE TRIGGER ALL;
    UPDATE accountability.ledger_entries e SET row_image = r.row_image
    FROM accountability.ledger_rows() r
    WHERE e.table_name = r.table_name AND e.row_key = r.row_key
      AND e.entry_no = (SELECT max(x.entry_no) FROM accountability.ledger_entries x
                        WHERE x.table_name = e.table_name AND x.row_key = e.row_key);
    PERFORM pg_temp.reseal();
END
$$;

-- How to tamper with each table: the columns of its key, a forged edit,
-- and the key of a forged row.
CREATE TEMP TABLE targets (name text PRIMARY KEY, keys text[], edit text, new_key jsonb);
INSERT INTO targets VALUES
    ('units', '{unit_id}', 'name = ''伪造''', '{"unit_id": 99, "code": "99"}'),
    ('subjects', '{subject_id}', 'name = ''伪造''', '{"subject_id": 99}'),
    ('cases', '{case_id}', 'conclusion = ''forged''', '{"case_id": 99}'),
    ('case_events', '{case_id,event_no}', 'actor = ''forged''', '{"event_no": 99}'),
    ('tolerance_list_items', '{unit_id,code,valid_from}', 'text_zh = ''伪造''', '{"code": "forged"}'),
    ('determinations', '{case_id,determination_no}', 'outcome = ''exempted''', '{"determination_no": 99}'),
    ('correction_plans', '{case_id,plan_no}', 'measures = ''forged''', '{"plan_no": 99}'),
    ('clarifications', '{case_id,clarification_no}', 'scope = ''forged''', '{"clarification_no": 99}'),
    ('follow_up_visits', '{case_id,visit_no}', 'concerns_resolved = NOT concerns_resolved', '{"visit_no": 99}'),
    ('early_warnings', '{warning_id}', 'sign = ''forged''', '{"warning_id": 99}'),
    ('demotions', '{demotion_id}', 'method = ''removal''', '{"demotion_id": 99}'),
    ('assessments', '{subject_id,year}', 'grade = ''incompetent''', '{"subject_id": 2}'),
    ('commendations', '{commendation_id}', 'year = 2024', '{"commendation_id": 99}'),
    ('mentorships', '{mentorship_id}', 'started_on = ''2020-01-01''', '{"mentorship_id": 99}'),
    ('mentoring_sessions', '{session_id}', 'topic = ''forged''', '{"session_id": 99}'),
    ('trainings', '{training_id}', 'hours = 40', '{"training_id": 99}'),
    ('promotions', '{promotion_id}', 'to_post = ''forged''', '{"promotion_id": 99}'),
    ('role_units', '{role_id,unit_id}', 'granted_by = ''forged''', '{"unit_id": 4}'),
    ('subject_moves', '{move_id}', 'reason = ''forged''', '{"move_id": 99}');

-- The SQL of one tampering of one table.
CREATE FUNCTION pg_temp.tampering(t targets, how text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    tab text := format('accountability.%I', t.name);
    first_row text := format('ctid = (SELECT min(ctid) FROM %s)', tab);
    forged text := format('INSERT INTO %1$s SELECT (jsonb_populate_record(NULL::%1$s, to_jsonb(r) || %2$L)).* FROM %1$s r WHERE r.%3$s',
                          tab, t.new_key, first_row);
    swap_keys text;
BEGIN
    -- two rows trade their keys: the order of the record changes
    swap_keys := format(
        'CREATE TEMP TABLE two ON COMMIT DROP AS SELECT ctid AS c, to_jsonb(r) AS j FROM %1$s r ORDER BY ctid DESC LIMIT 2;'
        ' DELETE FROM %1$s WHERE ctid IN (SELECT c FROM two);'
        ' INSERT INTO %1$s SELECT (jsonb_populate_record(NULL::%1$s, a.j || (SELECT jsonb_object_agg(k, b.j -> k) FROM unnest(%2$L::text[]) k))).*'
        ' FROM two a JOIN two b ON a.c <> b.c;'
        ' DROP TABLE two', tab, t.keys);
    RETURN CASE how
        WHEN 'edit' THEN format('ALTER TABLE %s DISABLE TRIGGER ALL; UPDATE %s SET %s WHERE %s', tab, tab, t.edit, first_row)
        WHEN 'delete' THEN format('ALTER TABLE %s DISABLE TRIGGER ALL; DELETE FROM %s WHERE ctid = (SELECT max(ctid) FROM %s)', tab, tab, tab)
        WHEN 'insert' THEN format('ALTER TABLE %s DISABLE TRIGGER ALL; %s', tab, forged)
        WHEN 'reorder' THEN format('ALTER TABLE %s DISABLE TRIGGER ALL; %s', tab, swap_keys)
        WHEN 'replica' THEN format('ALTER TABLE %s DISABLE TRIGGER ledger_00_replica_guard; SET LOCAL session_replication_role = replica; %s', tab, forged)
        WHEN 'restore' THEN format('SET LOCAL accountability.restore = on; ALTER TABLE %s DISABLE TRIGGER USER; %s', tab, forged)
        WHEN 'guards_off' THEN format('ALTER TABLE %s DISABLE TRIGGER USER; UPDATE %s SET %s WHERE %s', tab, tab, t.edit, first_row)
        WHEN 'rehash' THEN format('ALTER TABLE %s DISABLE TRIGGER ALL; UPDATE %s SET %s WHERE %s; SELECT pg_temp.rewrite_ledger()', tab, tab, t.edit, first_row)
    END;
END
$$;

-- ---------------------------------------------------------------------
-- 4. Each way to tamper, in each table: found against the first digest.
-- ---------------------------------------------------------------------
SELECT cmp_ok(pg_temp.problems(pg_temp.tampering(t, how), :'d1'), '>', 0::bigint,
              format('%s: %s is found', t.name, how))
FROM targets t, unnest(ARRAY['edit', 'delete', 'insert', 'reorder', 'replica', 'restore', 'guards_off', 'rehash']) how
ORDER BY t.name, how;

-- Replica mode itself is refused in every table, even for a superuser.
SELECT throws_ok(format('SET LOCAL session_replication_role = replica; %s',
                        regexp_replace(pg_temp.tampering(t, 'insert'), '^ALTER TABLE [^;]*; ', '')),
                 '42501', NULL, format('%s: a row inserted in replica mode is refused', t.name))
FROM targets t ORDER BY t.name;
SET LOCAL session_replication_role = origin;

-- ---------------------------------------------------------------------
-- 5. The attacks of issue 15, one by one.
-- ---------------------------------------------------------------------
-- Event 0 of an imported case, rewritten with its own hash recomputed.
SELECT cmp_ok(pg_temp.problems($$
    ALTER TABLE accountability.case_events DISABLE TRIGGER ALL;
    UPDATE accountability.case_events SET actor = 'forged', hash = accountability.event_hash(
        NULL, case_id, 0, event_kind, from_status, to_status, occurred_at, db_user, 'forged', note)
    WHERE case_id = 4 AND event_no = 0$$, :'d1'), '>', 0::bigint, 'event 0 rewritten with its hash recomputed is found');
SELECT is((SELECT count(*) FROM verify_history(4)), 0::bigint, '(verify_history alone could not see that)');
-- An imported case that never moved, its status rewritten.
SELECT cmp_ok(pg_temp.problems($$
    ALTER TABLE accountability.cases DISABLE TRIGGER ALL;
    UPDATE accountability.cases SET status = 'closed' WHERE case_id = 4$$, :'d1'), '>', 0::bigint,
    'the status of an imported case rewritten is found');
-- A chained event forged with triggers off: received -> closed, backdated.
SELECT cmp_ok(pg_temp.problems($$
    ALTER TABLE accountability.case_events DISABLE TRIGGER ALL;
    ALTER TABLE accountability.cases DISABLE TRIGGER ALL;
    INSERT INTO accountability.case_events SELECT 2, 5, 'transition', 'notified', 'closed', '2020-01-01', 'clerk', NULL, NULL,
        accountability.event_hash(hash, 2, 5, 'transition', 'notified', 'closed', '2020-01-01', 'clerk', NULL, NULL)
        FROM accountability.case_events WHERE case_id = 2 AND event_no = 4;
    UPDATE accountability.cases SET status = 'closed', event_count = 5,
        last_event_hash = (SELECT hash FROM accountability.case_events WHERE case_id = 2 AND event_no = 5)
    WHERE case_id = 2$$, :'d1'), '>', 0::bigint, 'a forged, correctly chained event with its case head is found');
SELECT is((SELECT problem FROM pg_temp.history_after($$
    ALTER TABLE accountability.case_events DISABLE TRIGGER ALL;
    ALTER TABLE accountability.cases DISABLE TRIGGER ALL;
    INSERT INTO accountability.case_events SELECT 2, 5, 'transition', 'notified', 'closed', '2020-01-01', 'clerk', NULL, NULL,
        accountability.event_hash(hash, 2, 5, 'transition', 'notified', 'closed', '2020-01-01', 'clerk', NULL, NULL)
        FROM accountability.case_events WHERE case_id = 2 AND event_no = 4;
    UPDATE accountability.cases SET status = 'closed', event_count = 5,
        last_event_hash = (SELECT hash FROM accountability.case_events WHERE case_id = 2 AND event_no = 5)
    WHERE case_id = 2$$)), 'move notified -> closed is not in the transition table',
    'and the illegal move is named');
-- Tail truncation: the last event removed and the case head rolled back.
SELECT cmp_ok(pg_temp.problems($$
    ALTER TABLE accountability.case_events DISABLE TRIGGER ALL;
    ALTER TABLE accountability.cases DISABLE TRIGGER ALL;
    DELETE FROM accountability.case_events WHERE case_id = 1 AND event_no = 6;
    UPDATE accountability.cases SET status = 'notified', event_count = 5,
        last_event_hash = (SELECT hash FROM accountability.case_events WHERE case_id = 1 AND event_no = 5)
    WHERE case_id = 1$$, :'d1'), '>', 0::bigint, 'tail truncation with the head rolled back is found');
-- A whole case deleted with its history and everything hanging off it.
SELECT cmp_ok(pg_temp.problems($$
    ALTER TABLE accountability.cases DISABLE TRIGGER ALL;
    ALTER TABLE accountability.case_events DISABLE TRIGGER ALL;
    ALTER TABLE accountability.clarifications DISABLE TRIGGER ALL;
    ALTER TABLE accountability.follow_up_visits DISABLE TRIGGER ALL;
    DELETE FROM accountability.follow_up_visits WHERE case_id = 3;
    DELETE FROM accountability.clarifications WHERE case_id = 3;
    DELETE FROM accountability.case_events WHERE case_id = 3;
    DELETE FROM accountability.cases WHERE case_id = 3$$, :'d1'), '>', 0::bigint, 'a whole case deleted is found');
-- ... and deleted from the ledger too, every block resealed.
SELECT cmp_ok(pg_temp.problems($$
    ALTER TABLE accountability.cases DISABLE TRIGGER ALL;
    ALTER TABLE accountability.case_events DISABLE TRIGGER ALL;
    ALTER TABLE accountability.clarifications DISABLE TRIGGER ALL;
    ALTER TABLE accountability.follow_up_visits DISABLE TRIGGER ALL;
    ALTER TABLE accountability.ledger_entries DISABLE TRIGGER ALL;
    ALTER TABLE accountability.ledger_blocks DISABLE TRIGGER ALL;
    DELETE FROM accountability.follow_up_visits WHERE case_id = 3;
    DELETE FROM accountability.clarifications WHERE case_id = 3;
    DELETE FROM accountability.case_events WHERE case_id = 3;
    DELETE FROM accountability.cases WHERE case_id = 3;
    DELETE FROM accountability.ledger_entries WHERE row_key LIKE '[3%' AND table_name IN ('cases', 'case_events', 'clarifications', 'follow_up_visits');
    UPDATE accountability.ledger_blocks b SET entry_count = (SELECT count(*) FROM accountability.ledger_entries e WHERE e.entry_no <@ b.entries);
    SELECT pg_temp.reseal()$$, :'d1'), '>', 0::bigint, 'a whole case deleted from the tables and the ledger, resealed, is found');
-- Entries reordered inside a sealed block.
SELECT cmp_ok(pg_temp.problems($$
    ALTER TABLE accountability.ledger_entries DISABLE TRIGGER ALL;
    UPDATE accountability.ledger_entries SET entry_no = -entry_no
    WHERE entry_no IN (SELECT entry_no FROM accountability.ledger_entries ORDER BY entry_no LIMIT 2);
    UPDATE accountability.ledger_entries SET entry_no = entry_no
        - (SELECT min(entry_no) + max(entry_no) FROM accountability.ledger_entries WHERE entry_no < 0)
    WHERE entry_no < 0$$, :'d1'),
    '>', 0::bigint, 'two entries swapped is found');
-- The last block removed, or the whole ledger replaced by a fresh one.
SELECT cmp_ok(pg_temp.problems($$
    ALTER TABLE accountability.ledger_blocks DISABLE TRIGGER ALL;
    DELETE FROM accountability.ledger_blocks WHERE block_no = 2$$, :'d2'), '>', 0::bigint, 'the last block removed is found');
SELECT cmp_ok(pg_temp.problems($$
    ALTER TABLE accountability.ledger_blocks DISABLE TRIGGER ALL;
    DELETE FROM accountability.ledger_blocks;
    SELECT accountability.ledger_digest()$$, :'d1'), '>', 0::bigint, 'the ledger resealed from scratch is found');
-- A forged entry appended, hashes right: a fill that rewrites an outcome,
-- an update of the history.  Digests cannot date it, the write model can.
SELECT cmp_ok(pg_temp.problems($$
    ALTER TABLE accountability.determinations DISABLE TRIGGER ALL;
    UPDATE accountability.determinations SET outcome = 'exempted' WHERE case_id = 1;
    INSERT INTO accountability.ledger_entries SELECT nextval('accountability.ledger_entry_no'), pg_current_xact_id(), r.table_name,
        'fill', r.row_key, r.row_image, '\x00' FROM accountability.ledger_rows() r WHERE r.table_name = 'determinations' AND r.row_key = '[1, 1]';
    SELECT pg_temp.reseal()$$, :'d1'), '>', 0::bigint, 'a forged fill that rewrites an outcome is found');
-- The same forgery found by the fill rule alone: every hash recomputed, the
-- live row equal to the forged entry, so only the entry before it, read
-- back by its number, shows the rewritten outcome.
SELECT bag_eq(format('SELECT * FROM pg_temp.problem_texts(%L, %L)', $$
    ALTER TABLE accountability.determinations DISABLE TRIGGER ALL;
    UPDATE accountability.determinations SET outcome = 'exempted' WHERE case_id = 1;
    INSERT INTO accountability.ledger_entries SELECT nextval('accountability.ledger_entry_no'), pg_current_xact_id(), r.table_name,
        'fill', r.row_key, r.row_image, '\x00' FROM accountability.ledger_rows() r WHERE r.table_name = 'determinations' AND r.row_key = '[1, 1]';
    SELECT pg_temp.reseal();
    SELECT pg_temp.triggers_back('accountability.determinations')$$, :'d1'),
    ARRAY['entry: a fill changes more than the columns filled in later (the recorded content was rewritten)',
          'entry: a fill changes an identity column, which the write model never allows',
          'figures: the report figures differ from a count from scratch (changed outside their triggers)',
          'figures: the subject figures differ from a count from scratch (changed outside their triggers)'],
    'a forged fill with every hash right is found by the fill rule, the write model and the figures it changed, and by nothing else');
-- A guard switched off, the ledger's triggers left on: the forbidden
-- change is recorded as an ordinary entry, and the write model across each
-- row's entries finds it.
CREATE FUNCTION pg_temp.found(tamper text, digest jsonb, expected text) RETURNS boolean
LANGUAGE sql AS $$ SELECT EXISTS (SELECT 1 FROM pg_temp.problem_texts(tamper, digest) t WHERE t.problem LIKE expected) $$;
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.cases DISABLE TRIGGER cases_05_write_model;
    UPDATE accountability.cases SET unit_id = 4, subject_id = 2 WHERE case_id = 5$$, :'d1',
    'entry: a move changes an identity column, which the write model never allows'),
    'a case moved to another county and subject with the write-model guard off is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.demotions DISABLE TRIGGER demotions_40_no_delete;
    DELETE FROM accountability.demotions WHERE subject_id = 3$$, :'d1',
    'entry: demotions rows are never deleted, yet the ledger records a deletion'),
    'a demotion deleted with its guard off is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.early_warnings DISABLE TRIGGER early_warnings_05_write_model;
    UPDATE accountability.early_warnings SET sign = 'rewritten' WHERE subject_id = 1$$, :'d1',
    'entry: a update changes an identity column, which the write model never allows'),
    'an early warning rewritten with its guard off is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.demotions DISABLE TRIGGER demotions_05_write_model;
    UPDATE accountability.demotions SET reuse_eligible_on = effective_on + 1 WHERE subject_id = 3$$, :'d1',
    'entry: a update changes an identity column, which the write model never allows'),
    'a demotion cut short with its guard off is found (a table whose every column is identity)');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.determinations DISABLE TRIGGER determinations_05_write_model;
    UPDATE accountability.determinations SET notified_on = NULL WHERE case_id = 1$$, :'d1',
    'entry: a % changes or clears a column filled in once'),
    'a notification date cleared with the guard off is found');
SELECT ok(pg_temp.found($$
    UPDATE accountability.cases SET status = 'closed', closing_reason = '回访无异常' WHERE case_id = 3;
    ALTER TABLE accountability.cases DISABLE TRIGGER cases_00_closed_guard, DISABLE TRIGGER cases_05_write_model;
    UPDATE accountability.cases SET conclusion = 'rewritten' WHERE case_id = 3$$, :'d1',
    'entry: a closed case was changed'),
    'a closed case rewritten with its guards off is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.determinations DISABLE TRIGGER determinations_10_assess,
                                              DISABLE TRIGGER determinations_20_number;
    INSERT INTO accountability.determinations (case_id, determination_no, outcome, deciding_body, decided_on, facts,
                                               assessed_outcome, assessed_reasons, after_event_no)
    SELECT case_id, 2, 'not_accountable', deciding_body, decided_on, facts, assessed_outcome, assessed_reasons, after_event_no
    FROM accountability.determinations WHERE case_id = 2$$, :'d1',
    'entry: the outcome is more%lenient than the assessment%'),
    'a determination far more lenient than its assessment, written with the rule''s trigger off, is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.determinations DISABLE TRIGGER determinations_10_assess,
                                              DISABLE TRIGGER determinations_20_number;
    INSERT INTO accountability.determinations (case_id, determination_no, outcome, deciding_body, decided_on, facts,
                                               assessed_outcome, assessed_reasons, after_event_no)
    SELECT case_id, 2, 'not_accountable', deciding_body, decided_on, facts, 'not_accountable', '{}', after_event_no
    FROM accountability.determinations WHERE case_id = 2$$, :'d1',
    'entry: the recorded assessment is not what its facts give%'),
    'and one whose recorded assessment was forged to match is found too');
-- Each move had what it requires, judged by the ledger as it stood then:
-- what a move needed, erased afterwards together with its entries (every
-- hash recomputed, no digest to compare with), is found by the move.
CREATE FUNCTION pg_temp.erase(tab text, key_prefix text, also text DEFAULT '') RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE accountability.%I DISABLE TRIGGER ALL', tab);
    EXECUTE also;
    ALTER TABLE accountability.ledger_entries DISABLE TRIGGER ALL;
    DELETE FROM accountability.ledger_entries WHERE table_name = tab AND row_key LIKE key_prefix || '%';
    PERFORM pg_temp.reseal();
END
$$;
SELECT ok(pg_temp.found($$
    SELECT pg_temp.erase('determinations', '[2, ', 'DELETE FROM accountability.determinations WHERE case_id = 2')$$, NULL,
    'history: move liable -> determined without determination, as the ledger stood at the move'),
    'a determination erased with its entries, every hash recomputed: the move to determined without it is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.determinations DISABLE TRIGGER ALL;
    UPDATE accountability.determinations SET notified_on = NULL WHERE case_id = 2;
    ALTER TABLE accountability.ledger_entries DISABLE TRIGGER ALL;
    DELETE FROM accountability.ledger_entries WHERE table_name = 'determinations' AND row_key = '[2, 1]' AND operation = 'fill';
    SELECT pg_temp.reseal()$$, NULL,
    'history: move determined -> notified without notification_date, as the ledger stood at the move'),
    'a notification date cleared and its fill erased: the move to notified is found');
SELECT ok(pg_temp.found($$
    SELECT pg_temp.erase('clarifications', '[3, ', 'DELETE FROM accountability.clarifications WHERE case_id = 3')$$, NULL,
    'history: move unfounded -> follow_up without warranted_clarification, as the ledger stood at the move'),
    'a warranted clarification erased: the move to follow-up is found');
SELECT ok(pg_temp.found($$
    UPDATE accountability.cases SET status = 'closed' WHERE case_id = 3;
    SELECT pg_temp.erase('follow_up_visits', '[3, 2]', 'DELETE FROM accountability.follow_up_visits WHERE case_id = 3 AND visit_no = 2')$$, NULL,
    'history: move follow_up -> closed without resolved_visit, as the ledger stood at the move'),
    'the resolving visit erased after the case closed: the close is found');
SELECT ok(pg_temp.found($$
    UPDATE accountability.cases SET status = 'filed' WHERE case_id = 1;
    ALTER TABLE accountability.correction_plans DISABLE TRIGGER ALL;
    UPDATE accountability.correction_plans SET completed_on = NULL, verified_by = NULL WHERE case_id = 1 AND plan_no = 2;
    ALTER TABLE accountability.ledger_entries DISABLE TRIGGER ALL;
    DELETE FROM accountability.ledger_entries WHERE table_name = 'correction_plans' AND row_key = '[1, 2]' AND operation = 'fill';
    SELECT pg_temp.reseal()$$, NULL,
    'history: move correcting -> filed without plans_completed, as the ledger stood at the move'),
    'a plan''s completion erased after the case was filed: the move to filed is found');
SELECT ok(pg_temp.found($$
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id) VALUES (8, 'report', 1, 3);
    UPDATE accountability.cases SET status = 'closed', closing_reason = '不予受理' WHERE case_id = 8;
    ALTER TABLE accountability.cases DISABLE TRIGGER ALL, DROP CONSTRAINT cases_written;
    UPDATE accountability.cases SET closing_reason = E'\u3000' WHERE case_id = 8;
    SELECT pg_temp.rewrite_ledger()$$, NULL,
    'history: move received -> closed without closing_reason, as the ledger stood at the move'),
    'a closing reason blanked (an ideographic space) in the row and its entry: the close is found');
-- A move forged through the ledger's own triggers: only the workflow's
-- guards off, a correctly chained event written by hand, the case head
-- advanced, every entry recorded as the ledger records any write.
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.cases DISABLE TRIGGER cases_10_transition, DISABLE TRIGGER cases_05_write_model,
                                     DISABLE TRIGGER cases_20_history_update;
    INSERT INTO accountability.case_events
    SELECT 5, c.event_count + 1, 'transition', 'liable', 'determined', now(), 'postgres', NULL, NULL,
           accountability.event_hash(c.last_event_hash, 5, c.event_count + 1, 'transition', 'liable', 'determined', now(), 'postgres', NULL, NULL)
    FROM accountability.cases c WHERE c.case_id = 5;
    UPDATE accountability.cases c SET status = 'determined', event_count = e.event_no, version = c.version + 1, last_event_hash = e.hash
    FROM accountability.case_events e WHERE e.case_id = 5 AND e.event_no = c.event_count + 1 AND c.case_id = 5$$, :'d1',
    'history: move liable -> determined without determination, as the ledger stood at the move'),
    'a move to determined forged through the ledger''s triggers, its event chained by hand, is found');
-- An appeal that moves on without a re-determination keeps the determination
-- it was notified of, and only on the facts that determination assessed
-- (attack rounds 19 and 20): facts changed while appealed, or a determination
-- recorded during the appeal, then a move to filed forged with the workflow's
-- guards off and its event chained by hand, is found; the same move with
-- nothing changed is not.
CREATE FUNCTION pg_temp.forged_filing_of(case_id integer, before text) RETURNS text
LANGUAGE sql AS $f$
SELECT format($$
    %2$s;
    ALTER TABLE accountability.cases DISABLE TRIGGER cases_10_transition, DISABLE TRIGGER cases_05_write_model,
                                     DISABLE TRIGGER cases_20_history_update;
    INSERT INTO accountability.case_events
    SELECT %1$s, c.event_count + 1, 'transition', 'appealed', 'filed', now(), 'postgres', NULL, NULL,
           accountability.event_hash(c.last_event_hash, %1$s, c.event_count + 1, 'transition', 'appealed', 'filed', now(), 'postgres', NULL, NULL)
    FROM accountability.cases c WHERE c.case_id = %1$s;
    UPDATE accountability.cases c SET status = 'filed', event_count = e.event_no, version = c.version + 1, last_event_hash = e.hash
    FROM accountability.case_events e WHERE e.case_id = %1$s AND e.event_no = c.event_count + 1 AND c.case_id = %1$s$$, case_id, before)
$f$;
CREATE FUNCTION pg_temp.forged_filing(during_appeal text) RETURNS text
LANGUAGE sql AS $f$
SELECT pg_temp.forged_filing_of(2, 'UPDATE accountability.cases SET status = ''appealed'' WHERE case_id = 2; ' || during_appeal)
$f$;

SELECT ok(pg_temp.found(pg_temp.forged_filing($$UPDATE accountability.cases SET facts = facts || '{"red_line_breach": true}' WHERE case_id = 2$$), :'d1',
    'history: move appealed -> filed without determination_stands, as the ledger stood at the move'),
    'facts changed while appealed, then a filing forged past the workflow: the determination no longer stands, and that is found');
SELECT ok(pg_temp.found(pg_temp.forged_filing($$INSERT INTO accountability.determinations (case_id, outcome, deciding_body) VALUES (2, 'not_tolerable', '市纪委')$$), :'d1',
    'history: move appealed -> filed without determination_stands, as the ledger stood at the move'),
    'a determination recorded during the appeal and filed on, never notified: found');
SELECT ok(pg_temp.found(pg_temp.forged_filing($$UPDATE accountability.cases SET event_on = opened_on - 1 WHERE case_id = 2$$), :'d1',
    'history: move appealed -> filed without determination_stands, as the ledger stood at the move'),
    'an event date filled in during the appeal (the lists give the same), then a forged filing: not the date the determination judged on, found');
-- A case of a listed situation, determined on it, notified and appealed.
CREATE FUNCTION pg_temp.appealed_case_of(case_id integer, code text) RETURNS text
LANGUAGE sql AS $f$
SELECT format($$
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, event_on, facts) VALUES
        (%1$s, 'accountability', 1, 3, '2026-03-01', jsonb_build_object('situation', %2$L, 'consequence', 'minor',
          'red_line_breach', false, 'knowing_violation', false, 'violated_explicit_ban', false, 'private_gain', false,
          'fraud_or_obstruction', false, 'procedure_proper', true, 'diligent', true, 'corrected_promptly', true));
    UPDATE accountability.cases SET status = 'investigating' WHERE case_id = %1$s;
    UPDATE accountability.cases SET status = 'liable' WHERE case_id = %1$s;
    INSERT INTO accountability.determinations (case_id, outcome, deciding_body, notified_on)
        SELECT %1$s, (accountability.assess_case(%1$s)).outcome, '县纪委', accountability.record_today();
    UPDATE accountability.cases SET status = 'determined' WHERE case_id = %1$s;
    UPDATE accountability.cases SET status = 'notified' WHERE case_id = %1$s;
    UPDATE accountability.cases SET status = 'appealed' WHERE case_id = %1$s$$, case_id, code)
$f$;
-- (attack round 21: a negative list item added during the appeal, which the
-- workflow's case_facts() would have judged, then the filing forged)
SELECT ok(pg_temp.found(pg_temp.forged_filing_of(12, $$
    INSERT INTO accountability.tolerance_list_items (unit_id, code, polarity, text_zh, valid_from)
        VALUES (2, 'NB-pilot', 'positive', '宁波试点', '2020-01-01');$$
    || pg_temp.appealed_case_of(12, 'NB-pilot') || $$;
    INSERT INTO accountability.tolerance_list_items (unit_id, code, polarity, text_zh, valid_from)
        VALUES (1, 'NB-pilot', 'negative', '负面清单', '2020-01-01')$$), :'d1',
    'history: move appealed -> filed without determination_stands, as the ledger stood at the move'),
    'an exclusion added to the lists during the appeal, then a forged filing: what the lists give at the move is judged, found');
-- (session 23's review: the other way round, a negative item withdrawn
-- during the appeal; the determination's exclusion no longer stands)
SELECT ok(pg_temp.found(pg_temp.forged_filing_of(13, $$
    INSERT INTO accountability.tolerance_list_items (unit_id, code, polarity, text_zh, valid_from) VALUES
        (2, 'NB-risk', 'positive', '宁波试点', '2020-01-01'), (1, 'NB-risk', 'negative', '负面清单', '2020-01-01');$$
    || pg_temp.appealed_case_of(13, 'NB-risk') || $$;
    UPDATE accountability.tolerance_list_items SET valid_to = '2020-12-31' WHERE code = 'NB-risk' AND polarity = 'negative'$$), :'d1',
    'history: move appealed -> filed without determination_stands, as the ledger stood at the move'),
    'a negative item withdrawn during the appeal, then a forged filing on the determination that carried its exclusion: found');
-- The lawful counterpart: lists that give nothing new at the move (a
-- negative item on another county, one on a unit below the case's, one not
-- yet in force on the event date, a text corrected during the appeal) leave
-- the filing lawful, and verify_ledger()'s per-move judgment of the lists
-- reports nothing.
SELECT is((SELECT count(*) FROM pg_temp.problems_after($$
    INSERT INTO accountability.units (unit_id, parent_id, code, name, level) VALUES (60, 3, '330282101', '坎墩街道', 'township');
    INSERT INTO accountability.tolerance_list_items (unit_id, code, polarity, text_zh, valid_from, valid_to) VALUES
        (2, 'NB-lawful', 'positive', '宁波试点', '2020-01-01', NULL), (4, 'NB-lawful', 'negative', '余姚负面', '2020-01-01', NULL),
        (60, 'NB-lawful', 'negative', '街道负面', '2020-01-01', NULL), (1, 'NB-lawful', 'negative', '将来负面', '2027-01-01', NULL);$$
    || pg_temp.appealed_case_of(14, 'NB-lawful') || $$;
    UPDATE accountability.tolerance_list_items SET text_zh = '宁波改革试点' WHERE code = 'NB-lawful' AND unit_id = 2;
    INSERT INTO accountability.tolerance_list_items (unit_id, code, polarity, text_zh, valid_from)
        VALUES (4, 'NB-lawful', 'negative', '余姚负面二', '2021-01-01');
    UPDATE accountability.cases SET status = 'filed' WHERE case_id = 14$$, :'d1')), 0::bigint,
    'a lawful filing after an appeal, with negative items elsewhere, below, or not yet in force, and a text corrected: no problem');
-- A determination forged, its guard off, on facts other than those
-- case_facts() computes for its case (facts_sql rewrites f, the computed
-- ones), with the assessment those facts give.
CREATE FUNCTION pg_temp.forged_determination(facts_sql text) RETURNS text
LANGUAGE sql AS $f$
SELECT format($$
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, event_on, facts) VALUES
        (13, 'accountability', 1, 3, '2026-03-01', '{"situation": "reform_pilot", "consequence": "minor", "red_line_breach": false,
          "knowing_violation": false, "violated_explicit_ban": false, "private_gain": false, "fraud_or_obstruction": false,
          "procedure_proper": true, "diligent": true, "corrected_promptly": true}');
    UPDATE accountability.cases SET status = 'investigating' WHERE case_id = 13;
    UPDATE accountability.cases SET status = 'liable' WHERE case_id = 13;
    ALTER TABLE accountability.determinations DISABLE TRIGGER determinations_10_assess;
    INSERT INTO accountability.determinations (case_id, outcome, deciding_body, facts, assessed_outcome, assessed_reasons, after_event_no, judged_on)
    SELECT 13, (a).outcome, '县纪委', x.f, (a).outcome, (a).reasons, 2, '2026-03-01'
    FROM (SELECT %s AS f FROM (SELECT accountability.case_facts(13) AS f) c) x,
         LATERAL (SELECT accountability.assess_tolerance(x.f) AS a) y$$, facts_sql)
$f$;
-- (an exclusion nothing gives: a harsher outcome then looks lawful; and one
-- left out, which the assessment reads as none)
SELECT ok(pg_temp.found(pg_temp.forged_determination($$c.f || '{"excluded": true}'$$), :'d1',
    'entry: the determination''s facts carry an exclusion neither its case nor the negative lists recorded by then give'),
    'a determination forged to carry an exclusion nothing gives (a harsher assessment) is found');
SELECT ok(pg_temp.found(pg_temp.forged_determination($$c.f - 'excluded'$$), :'d1',
    'entry: the determination''s facts lack the exclusion flag the database computes from its case and the negative lists'),
    'a determination forged without the exclusion flag the database computes is found');
-- (attack round 23: the flag left out where a negative item, here one coded
-- as the national situation, gives the exclusion: a lenient outcome)
SELECT ok(pg_temp.found($$
    INSERT INTO accountability.tolerance_list_items (unit_id, code, polarity, text_zh, valid_from)
        VALUES (1, 'reform_pilot', 'negative', '负面清单', '2020-01-01');$$
    || pg_temp.forged_determination($$c.f - 'excluded'$$), :'d1',
    'entry: the determination''s facts drop an exclusion its case or the negative lists carry'),
    'a determination forged without the exclusion a national-coded negative item gives is found');
-- (attack round 24: the repeated error, which step 3d judged only when the
-- case itself records one: a repeated error nothing gives makes a harsher
-- outcome look lawful; one left out or null the assessment reads as none)
SELECT ok(pg_temp.found(pg_temp.forged_determination($$c.f || '{"repeated_error": true}'$$), :'d1',
    'entry: the determination''s facts carry a repeated error neither its case nor any tolerated determination of the cadre in the same situation before it gives'),
    'a determination forged to carry a repeated error nothing gives (a harsher assessment) is found');
SELECT ok(pg_temp.found(pg_temp.forged_determination($$c.f - 'repeated_error'$$), :'d1',
    'entry: the determination''s facts lack the repeated_error flag the database computes from its case and the cadre''s history'),
    'a determination forged without the repeated_error flag is found');
SELECT ok(pg_temp.found(pg_temp.forged_determination($$c.f || '{"repeated_error": null}'$$), :'d1',
    'entry: the determination''s facts lack the repeated_error flag the database computes from its case and the cadre''s history'),
    'a determination forged with a null repeated_error is found');
-- (the review of that fix: support from a version of the other case that
-- was gone by then; case_facts() reads the other case's latest situation)
SELECT ok(pg_temp.found($$
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, opened_on, event_on, facts) VALUES
        (17, 'accountability', 1, 3, '2025-05-10', '2025-05-01', '{"situation": "reform_pilot", "consequence": "minor", "red_line_breach": false,
          "knowing_violation": false, "violated_explicit_ban": false, "private_gain": false, "fraud_or_obstruction": false,
          "procedure_proper": true, "diligent": true, "corrected_promptly": true}');
    UPDATE accountability.cases SET status = 'investigating' WHERE case_id = 17;
    UPDATE accountability.cases SET facts = facts || '{"situation": "exploratory_trial"}' WHERE case_id = 17;
    UPDATE accountability.cases SET status = 'liable' WHERE case_id = 17;
    INSERT INTO accountability.determinations (case_id, outcome, deciding_body, decided_on)
        SELECT 17, (accountability.assess_case(17)).outcome, '县纪委', '2025-06-01';$$
    || pg_temp.forged_determination($$c.f || '{"repeated_error": true}'$$), :'d1',
    'entry: the determination''s facts carry a repeated error neither its case nor any tolerated determination of the cadre in the same situation before it gives'),
    'a determination forged to carry a repeated error from a situation the other case no longer had is found');
-- The lawful counterpart: a cadre's second error in the same situation,
-- within the repeat window of a tolerated one, is judged repeated by the
-- workflow, and verify_ledger() finds what gives it.
SELECT is((SELECT count(*) FROM pg_temp.problems_after($$
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, opened_on, event_on, facts) VALUES
        (15, 'accountability', 1, 3, '2025-05-10', '2025-05-01', '{"situation": "exploratory_trial", "consequence": "minor", "red_line_breach": false,
          "knowing_violation": false, "violated_explicit_ban": false, "private_gain": false, "fraud_or_obstruction": false,
          "procedure_proper": true, "diligent": true, "corrected_promptly": true}'),
        (16, 'accountability', 1, 3, accountability.record_today(), '2026-03-01', '{"situation": "exploratory_trial", "consequence": "minor", "red_line_breach": false,
          "knowing_violation": false, "violated_explicit_ban": false, "private_gain": false, "fraud_or_obstruction": false,
          "procedure_proper": true, "diligent": true, "corrected_promptly": true}');
    UPDATE accountability.cases SET status = 'investigating' WHERE case_id IN (15, 16);
    UPDATE accountability.cases SET status = 'liable' WHERE case_id IN (15, 16);
    INSERT INTO accountability.determinations (case_id, outcome, deciding_body, decided_on)
        SELECT 15, (accountability.assess_case(15)).outcome, '县纪委', '2025-06-01';
    INSERT INTO accountability.determinations (case_id, outcome, deciding_body)
        SELECT 16, (accountability.assess_case(16)).outcome, '县纪委';
    DO $x$ BEGIN
        IF (SELECT d.outcome::text FROM accountability.determinations d WHERE d.case_id = 15) = 'not_tolerable'
           OR (SELECT d.facts -> 'repeated_error' FROM accountability.determinations d WHERE d.case_id = 16) <> 'true' THEN
            RAISE EXCEPTION 'the control did not make a repeated error';
        END IF;
    END $x$ $$, :'d1')), 0::bigint,
    'a repeated error the cadre''s earlier tolerated determination gives: no problem');
-- The date a determination judged on is its case's at the time: one forged
-- with the determinations' guards off is found.
SELECT ok(pg_temp.found($$
    UPDATE accountability.cases SET event_on = opened_on - 10 WHERE case_id = 4;
    ALTER TABLE accountability.determinations DISABLE TRIGGER determinations_10_assess;
    INSERT INTO accountability.determinations (case_id, outcome, deciding_body, facts, assessed_outcome, assessed_reasons, after_event_no, judged_on)
    SELECT case_id, 'not_tolerable', '县纪委', accountability.case_facts(case_id), 'not_tolerable', '{}', event_count, opened_on
    FROM accountability.cases WHERE case_id = 4$$, :'d1',
    'entry: the determination''s judged_on is not its case''s event date (or registration date) at the time'),
    'a determination whose judged_on was forged with its trigger off is found');
SELECT ok(NOT pg_temp.found(pg_temp.forged_filing('SELECT 1'), :'d1', '%determination_stands%'),
          'the same forged filing with nothing changed during the appeal: the notified determination''s standing is not questioned');
-- A determination written with its triggers off and recorded as a genesis
-- entry, which the rules of this version do not judge (a genesis row was
-- judged by 1.0's): genesis entries come only before the record began.
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.determinations DISABLE TRIGGER ALL;
    INSERT INTO accountability.determinations (case_id, determination_no, outcome, deciding_body, facts,
                                               assessed_outcome, assessed_reasons, after_event_no)
    SELECT 4, 1, 'exempted', '县委', facts, 'exempted', '{}', 1 FROM accountability.determinations WHERE case_id = 2;
    INSERT INTO accountability.ledger_entries SELECT n, pg_current_xact_id(), r.table_name, 'genesis', r.row_key, r.row_image,
        accountability.ledger_entry_hash(n, r.table_name, 'genesis', r.row_key, r.row_image)
    FROM accountability.ledger_rows() r, nextval('accountability.ledger_entry_no') n
    WHERE r.table_name = 'determinations' AND r.row_key = '[4, 1]'$$, :'d1',
    'entry: a genesis entry after the record began%'),
    'a forged determination recorded as a genesis entry is found');
-- A determination's recorded facts must be its case's: facts made up to fit
-- a forged assessment are found, and so is a listing no list gave.  The
-- forgery: a second determination of case 2, its rule's triggers off, with
-- the facts given and the assessment recomputed from them.
CREATE FUNCTION pg_temp.second_determination_with(facts text) RETURNS text
LANGUAGE sql AS $f$ SELECT format($$
    ALTER TABLE accountability.determinations DISABLE TRIGGER determinations_10_assess,
                                              DISABLE TRIGGER determinations_20_number;
    INSERT INTO accountability.determinations (case_id, determination_no, outcome, deciding_body, decided_on, facts,
                                               assessed_outcome, assessed_reasons, after_event_no)
    SELECT case_id, 2, (a).outcome, deciding_body, decided_on, f, (a).outcome, (a).reasons, after_event_no
    FROM accountability.determinations,
         LATERAL (SELECT %s AS f) x,
         LATERAL (SELECT accountability.assess_tolerance(x.f) AS a) y
    WHERE case_id = 2$$, facts) $f$;
SELECT ok(pg_temp.found(pg_temp.second_determination_with($$'{"situation": "reform_pilot", "consequence": "minor",
        "red_line_breach": false, "knowing_violation": false, "violated_explicit_ban": false, "private_gain": false,
        "fraud_or_obstruction": false, "procedure_proper": true, "diligent": true, "corrected_promptly": true,
        "situation_listed": false, "excluded": false, "repeated_error": false}'::jsonb$$), :'d1',
    'entry: the determination''s facts are not its case''s recorded facts at the time'),
    'a determination whose facts were made up, with its assessment recomputed to match, is found');
SELECT ok(pg_temp.found(pg_temp.second_determination_with($$facts || '{"situation_listed": true}'$$), :'d1',
    'entry: the determination''s situation_listed is not what the tolerance lists recorded by then give'),
    'a determination that claims a listing no list gave is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.determinations DISABLE TRIGGER determinations_10_assess,
                                              DISABLE TRIGGER determinations_20_number;
    INSERT INTO accountability.determinations (case_id, determination_no, outcome, deciding_body, decided_on, facts,
                                               assessed_outcome, assessed_reasons, after_event_no)
    SELECT case_id, 2, outcome, deciding_body, decided_on, '{"bogus": 1}', assessed_outcome, assessed_reasons, after_event_no
    FROM accountability.determinations WHERE case_id = 2$$, :'d1',
    'entry: the determination''s facts are not valid facts: unknown tolerance fact "bogus"'),
    'a determination whose facts are no facts is reported as a problem; the verification does not stop at it');
-- An entry rewritten to hold what no row could (an outcome that is no
-- outcome), its hash recomputed: the step that reads it reports that it
-- stopped, and the steps after it still run.
CREATE TEMP TABLE stopped_problems AS SELECT * FROM pg_temp.problem_texts($$
    ALTER TABLE accountability.ledger_entries DISABLE TRIGGER ALL;
    UPDATE accountability.ledger_entries
       SET row_image = jsonb_set(row_image, '{assessed_outcome}', '"bogus"'),
           entry_hash = accountability.ledger_entry_hash(entry_no, table_name, operation, row_key,
                                                         jsonb_set(row_image, '{assessed_outcome}', '"bogus"'))
     WHERE table_name = 'determinations' AND operation = 'insert';
    ALTER TABLE accountability.ledger_entries ENABLE TRIGGER ALL;
    ALTER TABLE accountability.unit_ancestors DISABLE TRIGGER ALL;
    DELETE FROM accountability.unit_ancestors WHERE unit_id = 3 AND depth = 1$$, :'d1');
SELECT ok(EXISTS (SELECT 1 FROM stopped_problems
                  WHERE problem LIKE 'verification: step 3c of the verification stopped: invalid input value for type accountability.tolerance_outcome: "bogus"%'),
          'an entry holding an outcome no row could hold stops step 3c, which says so');
SELECT ok(EXISTS (SELECT 1 FROM stopped_problems WHERE problem LIKE 'block: Merkle root does not match%')
          AND EXISTS (SELECT 1 FROM stopped_problems WHERE problem LIKE 'figures: a path of the unit tree is missing%'),
          'the steps before and after it still run: the block that sealed the entry, and a path removed by hand, are found');
-- The same rules find nothing in legitimate work that uses them all: a
-- listed situation, a negative list, a lenient outcome followed up, plans
-- completed, a clarification and visits.
SELECT is((SELECT count(*) FROM pg_temp.problems_after($$
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, event_on, facts) VALUES
        (6, 'accountability', 1, 3, '2026-03-01', '{"situation": "reform_pilot", "consequence": "minor", "red_line_breach": false,
          "knowing_violation": false, "violated_explicit_ban": false, "private_gain": false, "fraud_or_obstruction": false,
          "procedure_proper": true, "diligent": true, "corrected_promptly": true}'),
        (7, 'accountability', 2, 3, '2026-03-01', '{"situation": "land", "consequence": "minor", "red_line_breach": false,
          "knowing_violation": false, "violated_explicit_ban": false, "private_gain": false, "fraud_or_obstruction": false,
          "procedure_proper": true, "diligent": true, "corrected_promptly": true, "repeated_error": true}');
    UPDATE accountability.cases SET status = 'investigating' WHERE case_id IN (6, 7);
    UPDATE accountability.cases SET status = 'liable' WHERE case_id IN (6, 7);
    UPDATE accountability.cases SET status = 'tolerance_review' WHERE case_id = 6;
    INSERT INTO accountability.determinations (case_id, outcome, deciding_body, decided_on, notified_on)
        SELECT case_id, (accountability.assess_case(case_id)).outcome, '县委', accountability.record_today(), accountability.record_today()
        FROM accountability.cases WHERE case_id IN (6, 7);
    UPDATE accountability.cases SET status = 'determined' WHERE case_id IN (6, 7);
    UPDATE accountability.cases SET status = 'notified' WHERE case_id IN (6, 7);
    UPDATE accountability.cases SET status = 'filed' WHERE case_id IN (6, 7);
    UPDATE accountability.cases SET status = 'closed' WHERE case_id = 7;
    UPDATE accountability.cases SET status = 'follow_up' WHERE case_id = 6;
    INSERT INTO accountability.follow_up_visits (case_id, plan, visitor, visited_on, method, concerns_resolved)
        VALUES (6, '回访', '县委组织部', accountability.record_today(), 'face_to_face', true);
    UPDATE accountability.cases SET status = 'closed' WHERE case_id = 6;
    UPDATE accountability.cases SET status = 'filed' WHERE case_id = 1;
    UPDATE accountability.cases SET status = 'closed' WHERE case_id = 1;
    UPDATE accountability.cases SET status = 'closed' WHERE case_id = 3;
    -- a list item withdrawn before the matter, then a determination that
    -- rightly finds the situation not listed
    INSERT INTO accountability.tolerance_list_items (unit_id, code, polarity, text_zh, valid_from)
        VALUES (2, 'emergency_response', 'positive', '应急处置', '2020-01-01');
    UPDATE accountability.tolerance_list_items SET valid_to = '2024-12-31' WHERE code = 'emergency_response';
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, event_on, facts) VALUES
        (9, 'accountability', 3, 3, '2026-03-01', '{"situation": "emergency_response", "consequence": "minor"}');
    UPDATE accountability.cases SET status = 'investigating' WHERE case_id = 9;
    UPDATE accountability.cases SET status = 'liable' WHERE case_id = 9;
    INSERT INTO accountability.determinations (case_id, outcome, deciding_body)
        SELECT 9, (accountability.assess_case(9)).outcome, '县委';
    -- and the tree reorganised after it all: the county moved under the province
    UPDATE accountability.units SET parent_id = 1 WHERE unit_id = 3$$, :'d1')), 0::bigint,
    'legitimate work through every rule the moves and the facts are judged by, a list item withdrawn and the tree reorganised after: no problem');
SELECT ok(pg_temp.found($$
    INSERT INTO accountability.tolerance_list_items (unit_id, code, polarity, text_zh, valid_from)
        VALUES (2, 'emergency_response', 'positive', '应急处置', '2020-01-01');
    UPDATE accountability.tolerance_list_items SET valid_to = '2024-12-31' WHERE code = 'emergency_response';
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, event_on, facts) VALUES
        (9, 'accountability', 3, 3, '2026-03-01', '{"situation": "emergency_response", "consequence": "minor"}');
    UPDATE accountability.cases SET status = 'investigating' WHERE case_id = 9;
    UPDATE accountability.cases SET status = 'liable' WHERE case_id = 9;
    ALTER TABLE accountability.determinations DISABLE TRIGGER determinations_10_assess,
                                              DISABLE TRIGGER determinations_20_number;
    INSERT INTO accountability.determinations (case_id, determination_no, outcome, deciding_body, facts,
                                               assessed_outcome, assessed_reasons, after_event_no)
    SELECT 9, 1, (a).outcome, '县委', f, (a).outcome, (a).reasons, 2
    FROM (SELECT facts || '{"situation_listed": true, "excluded": false, "repeated_error": false}' AS f
          FROM accountability.cases WHERE case_id = 9) x,
         LATERAL (SELECT accountability.assess_tolerance(x.f) AS a) y$$, :'d1',
    'entry: the determination''s situation_listed is not what the tolerance lists recorded by then give'),
    'a determination that claims a listing from an item withdrawn before the matter is found');
SELECT is((SELECT array_agg(x ORDER BY x) FROM unnest(transition_requirements('liable', 'determined')) x),
          '{determination}', 'transition_requirements: liable -> determined requires a determination');
SELECT is(transition_requirements('filed', 'closed'), '{visit_if_lenient}', 'filed -> closed: a visit if lenient');
SELECT is(transition_requirements('received', 'investigating'), '{}', 'received -> investigating: nothing');
SELECT is(transition_requirements('notified', 'filed'), '{no_open_plan}', 'notified -> filed: no correction plan left open');
SELECT is(transition_requirements('appealed', 'filed'), '{no_open_plan,determination_stands}',
          'appealed -> filed: no plan left open, and a determination that still stands on the case''s facts');
SELECT is(transition_requirements('received', 'determined'), NULL, 'an illegal move: NULL');
SELECT is(ARRAY[is_written(E'\u3000 '), is_written('理由'), is_written(''), is_written(E'\u200b\u2060\ufeff'),
                is_written(E'\u0301'), is_written(E'\u3164\u2800'), is_written(E'\u202e\u00ad'), is_written(E'e\u0301')],
          '{f,t,f,f,f,f,f,t}',
          'is_written: ideographic spaces, zero-width and format characters, a lone combining mark, fillers and empty text say nothing');
-- determination_problem(), the rule verify_ledger() judges each recorded
-- determination by, on every answer it can give.
CREATE TEMP TABLE judged AS
SELECT f.name, f.facts, (accountability.assess_tolerance(f.facts)).* FROM (VALUES
    ('nothing recorded', '{}'::jsonb),
    ('not diligent', '{"situation": "reform_pilot", "consequence": "minor", "red_line_breach": false, "knowing_violation": false,
      "violated_explicit_ban": false, "private_gain": false, "fraud_or_obstruction": false, "procedure_proper": true,
      "diligent": false, "corrected_promptly": true, "repeated_error": false, "excluded": false}'),
    ('tolerable', '{"situation": "reform_pilot", "situation_listed": true, "consequence": "minor", "red_line_breach": false,
      "knowing_violation": false, "violated_explicit_ban": false, "private_gain": false, "fraud_or_obstruction": false,
      "procedure_proper": true, "diligent": true, "corrected_promptly": true, "repeated_error": false, "excluded": false}')) f (name, facts);
CREATE FUNCTION pg_temp.judge(name text, decided tolerance_outcome, basis text DEFAULT NULL,
                              reasons_as text DEFAULT 'stored', outcome_as tolerance_outcome DEFAULT NULL) RETURNS text
LANGUAGE sql AS $$
    SELECT determination_problem(j.facts, coalesce(outcome_as, j.outcome),
                                 CASE reasons_as WHEN 'stored' THEN j.reasons
                                                 WHEN 'one more' THEN j.reasons || 'X'::text
                                                 WHEN 'renamed' THEN array_fill('X'::text, ARRAY[cardinality(j.reasons)])
                                                 WHEN 'nulls' THEN array_fill(NULL::text, ARRAY[cardinality(j.reasons)])
                                                 WHEN 'matrix' THEN ARRAY[j.reasons]
                                                 WHEN 'renumbered' THEN ('[0:' || cardinality(j.reasons) - 1 || ']=' || j.reasons::text)::text[] END,
                                 decided, basis)
    FROM judged j WHERE j.name = judge.name $$;
SELECT is(ARRAY[determination_problem(NULL, 'lighter', '{}', 'lighter', 'b'), determination_problem('{}', NULL, '{}', 'lighter', 'b'),
                determination_problem('{}', 'lighter', NULL, 'lighter', 'b'), determination_problem('{}', 'lighter', '{}', NULL, 'b')],
          array_fill('the determination lacks its facts, assessment or outcome'::text, ARRAY[4]),
          'determination_problem: a missing fact set, assessment, reasons or outcome is a problem');
SELECT is(ARRAY[pg_temp.judge('not diligent', 'not_tolerable', NULL, 'one more'), pg_temp.judge('not diligent', 'not_tolerable', NULL, 'renamed'),
                pg_temp.judge('not diligent', 'not_tolerable', NULL, 'nulls'), pg_temp.judge('not diligent', 'not_tolerable', NULL, 'stored', 'exempted')],
          array_fill('the recorded assessment is not what its facts give (not_tolerable)'::text, ARRAY[4]),
          'determination_problem: reasons with one more, other or null codes, or another assessment, are not what the facts give');
SELECT is(ARRAY[pg_temp.judge('not diligent', 'not_tolerable', NULL, 'matrix'), pg_temp.judge('not diligent', 'not_tolerable', NULL, 'renumbered')],
          array_fill('the recorded assessment is not what its facts give (not_tolerable)'::text, ARRAY[2]),
          'determination_problem: the right codes as a matrix, or numbered from 0, are not the list the trigger stores');
SELECT is(pg_temp.judge('nothing recorded', 'lighter', '集体研究'), 'the outcome is more lenient than the assessment after a failed gate',
          'determination_problem: more lenient after a failed gate, even with a basis');
SELECT is(ARRAY[pg_temp.judge('not diligent', 'reduced', '集体研究'), pg_temp.judge('not diligent', 'lighter'),
                pg_temp.judge('not diligent', 'lighter', E'\u3000'), pg_temp.judge('not diligent', 'lighter', '集体研究')],
          ARRAY['the outcome is more than one grade more lenient than the assessment',
                'the outcome departs from the assessment without a written basis',
                'the outcome departs from the assessment without a written basis', NULL],
          'determination_problem: two grades more lenient, one without a (written) basis, one with it');
SELECT is(ARRAY[pg_temp.judge('tolerable', 'not_tolerable'), pg_temp.judge('tolerable', 'not_tolerable', '情节恶劣'),
                pg_temp.judge('tolerable', (SELECT outcome FROM judged WHERE name = 'tolerable'))],
          ARRAY['the outcome departs from the assessment without a written basis', NULL, NULL],
          'determination_problem: stricter needs a basis too; the assessed outcome needs none');
SELECT cmp_ok((SELECT outcome FROM judged WHERE name = 'tolerable'), '>', 'lighter'::tolerance_outcome,
              '(the tolerable facts are assessed more lenient than lighter)');
-- The derived figures, edited by hand: found by the recount.
SELECT ok(pg_temp.found($$
    UPDATE accountability.report_figures SET tolerance_cases = tolerance_cases + 40
    WHERE (year, unit_id) = (SELECT year, unit_id FROM accountability.report_figures ORDER BY 1, 2 LIMIT 1)$$, :'d1',
    'figures: the report figures differ from a count from scratch%'),
    'a report figure raised by hand is found');
SELECT ok(pg_temp.found($$
    UPDATE accountability.subject_figures SET sanction_periods = '{}', demotions = 0 WHERE subject_id = 3$$, :'d1',
    'figures: the subject figures differ from a count from scratch%'),
    'a cadre''s demotions wiped from the subject figures by hand are found');
-- Attack round 8: a forged row the "present" flag leaves out (subject_standing
-- reads it all the same), and rows read twice through an inheriting table.
SELECT ok(pg_temp.found($$
    INSERT INTO accountability.subjects (subject_id, kind, name, unit_id) VALUES (77, 'person', '新干部', 3);
    INSERT INTO accountability.subject_figures (subject_id, demotion_periods, excellent_assessments, good_cadre_awards)
    VALUES (77, '{"[2026-01-01,2099-01-01)"}', 4, 3)$$, :'d1',
    'figures: the subject figures differ from a count from scratch%'),
    'a forged subject-figures row that counts as not present is found all the same');
SELECT ok(pg_temp.found($$
    CREATE TABLE public.shadow_commendations () INHERITS (accountability.commendations);
    INSERT INTO public.shadow_commendations SELECT * FROM ONLY accountability.commendations$$, :'d1',
    'structure: table public.shadow_commendations inherits from it%'),
    'every commendation read twice through an inheriting table is found');
-- Attack round 15: a cast of the superuser's decides what the checks read.
-- text to date converts through the types' I/O until a cast is added; and
-- a built-in cast's row can be pointed at another function.
CREATE FUNCTION public.any_day(text) RETURNS date LANGUAGE sql IMMUTABLE AS $$ SELECT pg_catalog.make_date(2000, 1, 1) $$;
SELECT ok(pg_temp.found($$
    CREATE CAST (text AS date) WITH FUNCTION public.any_day(text)$$, :'d1',
    'structure: cast text -> date is not PostgreSQL''s or pg_accountability''s own (function public.any_day(text))%'),
    'a cast added between two built-in types is found');
SELECT ok(pg_temp.found($$
    CREATE FUNCTION public.any_bigint(integer) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT 0::bigint';
    UPDATE pg_catalog.pg_cast SET castfunc = 'public.any_bigint(integer)'::regprocedure
     WHERE castsource = 'integer'::regtype AND casttarget = 'bigint'::regtype$$, :'d1',
    'structure: cast integer -> bigint is not PostgreSQL''s or pg_accountability''s own%'),
    'a built-in cast pointed at another function (a catalog edit) is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.unit_ancestors DROP CONSTRAINT unit_ancestors_pkey$$, :'d1',
    'structure: the table has no primary key that holds%'),
    'a primary key dropped (so a key may hold two rows) is found');
SELECT ok(pg_temp.found($$
    UPDATE pg_catalog.pg_index SET indisunique = false WHERE indexrelid = 'accountability.commendations_pkey'::regclass$$, :'d1',
    'structure: the table has no primary key that holds%'),
    'a primary key whose index is no longer unique (a catalog edit) is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.commendations RENAME TO commendations_kept;
    CREATE VIEW accountability.commendations AS SELECT * FROM accountability.commendations_kept$$, :'d1',
    'structure: the table is gone or is no table any more%'),
    'a view standing in for a table of the record is found');
-- One guard off, the ledger's triggers on: the rule is judged again on the rows.
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.units DISABLE TRIGGER units_06_tree;
    UPDATE accountability.units SET parent_id = 3 WHERE unit_id = 2$$, :'d1',
    'row: the unit''s path up reaches no province: the unit tree has a cycle%'),
    'a cycle in the unit tree, made with the tree guard off, is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.trainings DROP CONSTRAINT trainings_year, DISABLE TRIGGER trainings_05_write_model;
    UPDATE accountability.trainings SET year = 1949 WHERE ctid = (SELECT min(ctid) FROM accountability.trainings)$$, :'d1',
    'row: the training''s year is not the year it was attended%'),
    'a training moved to 1949 with its CHECK dropped is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.ledger_blocks DISABLE TRIGGER ALL;
    INSERT INTO accountability.ledger_blocks (block_no, entries, entry_count, first_entry_no, last_entry_no, merkle_root, prev_hash, block_hash)
    SELECT block_no + 1000, entries, entry_count, first_entry_no, last_entry_no, merkle_root, block_hash, block_hash
    FROM accountability.ledger_blocks WHERE block_no = 1$$, :'d1',
    'entry: entry is sealed in more than one block'),
    'entries sealed again by a forged block are found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.units DISABLE TRIGGER units_06_tree;
    UPDATE accountability.units SET level = 'township' WHERE unit_id = 2$$, :'d1',
    'row: a unit of level county is under unit 2, of level township: levels go down the tree%'),
    'a city made a township above its counties, with the tree guard off, is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.cases DISABLE TRIGGER cases_06_situation;
    UPDATE accountability.cases SET facts = '{"situation": "REFORM_PILOT"}' WHERE case_id = 5$$, :'d1',
    'row: the case''s situation ''REFORM_PILOT'' is neither a national situation nor an item of any tolerance list%'),
    'a misspelt situation written with the situation guard off is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.promotions DISABLE TRIGGER promotions_measures;
    INSERT INTO accountability.promotions (subject_id, kind, from_post, to_post, unit_id, decided_by, effective_on)
    VALUES (3, 'promotion', '科员', '副科长', 3, '县委', '2026-06-01')$$, :'d1',
    'entry: the promotion took effect on 2026-06-01 while a demotion recorded before it was in effect%'),
    'a demoted cadre promoted with the promotion guard off is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.promotions DISABLE TRIGGER promotions_measures;
    INSERT INTO accountability.promotions (subject_id, kind, from_post, to_post, unit_id, decided_by, effective_on)
    VALUES (2, 'promotion', '副科长', '科长', 3, '县委', accountability.record_today() + 40)$$, :'d1',
    'entry: the promotion takes effect on % but was recorded by %, before it took effect (promotion_trigger)'),
    'a promotion recorded ahead of its day with the promotion guard off is found before it is sealed');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.promotions DISABLE TRIGGER promotions_measures;
    INSERT INTO accountability.promotions (subject_id, kind, from_post, to_post, unit_id, decided_by, effective_on)
    VALUES (2, 'promotion', '副科长', '科长', 3, '县委', accountability.record_today() + 40);
    SELECT accountability.ledger_digest()$$, :'d1',
    'entry: the promotion takes effect on % but was recorded by %, before it took effect (promotion_trigger)'),
    'and after it is sealed, dated by its block');
SELECT is(ARRAY(SELECT t.problem FROM pg_temp.problem_texts($$
    ALTER TABLE accountability.promotions DISABLE TRIGGER promotions_measures;
    INSERT INTO accountability.promotions (subject_id, kind, from_post, to_post, unit_id, decided_by, effective_on)
    VALUES (2, 'promotion', '副科长', '科长', 3, '县委', accountability.record_today());
    SELECT accountability.ledger_digest()$$, :'d1') t WHERE t.problem LIKE '%before it took effect%'), '{}'::text[],
    'a promotion recorded on its day, then sealed, is not reported as recorded ahead (its cadre''s sanction is 3h''s matter)');
SELECT is(ARRAY(SELECT * FROM pg_temp.problem_texts($$
    INSERT INTO accountability.demotions (subject_id, situation_code, method, decided_by, decided_on, effective_on, reuse_eligible_on)
    VALUES (1, 'N-07', 'reassignment', '市委组织部', '2025-06-01', '2025-06-01', '2099-01-01')$$, :'d1')), '{}'::text[],
    'a demotion recorded late, dated before an earlier promotion, is legitimate: nothing is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.determinations DISABLE TRIGGER determinations_20_number, DISABLE TRIGGER determinations_10_assess;
    INSERT INTO accountability.determinations (case_id, determination_no, outcome, deciding_body, facts, assessed_outcome, assessed_reasons, after_event_no)
    VALUES (3, 1, 'not_tolerable', '县纪委', '{}', 'not_tolerable', '{}', 0)$$, :'d1',
    'entry: recorded while its case was %: determinations takes rows only while the case is liable, tolerance_review, appealed%'),
    'a determination recorded on a case in a status that takes none, with the guards off, is found');
SELECT ok(pg_temp.found($$
    UPDATE accountability.cases SET status = 'closed', closing_reason = '回访无异常' WHERE case_id = 3;
    ALTER TABLE accountability.clarifications DISABLE TRIGGER clarifications_05_write_model;
    UPDATE accountability.clarifications SET archived_on = '2026-01-01' WHERE case_id = 3$$, :'d1',
    'entry: a fill after its case was closed: everything on a closed case is frozen'),
    'a closed case''s clarification filled in with the guard off is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.assessments DISABLE TRIGGER assessments_grounds;
    INSERT INTO accountability.assessments (subject_id, year, grade, assessing_unit_id, decided_on, ground_case_ids)
    VALUES (3, 2023, 'incompetent', 3, '2024-01-10', '{1}')$$, :'d1',
    'row: a grade below competent cites a case that is not there, not about the cadre, or not determined%'),
    'a grade below competent resting on another cadre''s case, its trigger off, is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.assessments DISABLE TRIGGER assessments_grounds;
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, opened_on) VALUES (880001, 'report', 3, 3, '2023-02-01');
    INSERT INTO accountability.assessments (subject_id, year, grade, assessing_unit_id, decided_on, ground_case_ids)
    VALUES (3, 2023, 'incompetent', 3, '2024-01-10', '{880001}')$$, :'d1',
    'row: a grade below competent cites a case that is not there, not about the cadre, or not determined%'),
    'a grade below competent resting on a report nobody has determined, its trigger off, is found');
-- A grade resting on a cleared report, written with the trigger off and
-- put back (attack round 11), is found; one given before the case was
-- tolerated on appeal is legitimate history.
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.assessments DISABLE TRIGGER assessments_grounds;
    INSERT INTO accountability.assessments (subject_id, year, grade, assessing_unit_id, decided_on, ground_case_ids)
    SELECT c.subject_id, 2019, 'incompetent', c.unit_id, '2020-01-10', ARRAY[c.case_id]
    FROM accountability.cases c WHERE accountability.case_is_protected(c.case_id)
    ORDER BY c.case_id LIMIT 1;
    SELECT pg_temp.triggers_back('accountability.assessments')$$, :'d1',
    'row: a grade below competent rests on case %, tolerated or found untrue before the grade was written (assessment_trigger)'),
    'a grade resting on a report found untrue, its trigger off and back, is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.determinations DISABLE TRIGGER USER;
    ALTER TABLE accountability.determinations ENABLE ALWAYS TRIGGER zz_ledger_insert;
    INSERT INTO accountability.determinations (case_id, determination_no, outcome, deciding_body, decided_on, facts,
                                               assessed_outcome, assessed_reasons, after_event_no)
    VALUES (4, 1, 'exempted', '纪委', accountability.record_today(), '{}', 'not_tolerable', '{}', 2);
    SELECT pg_temp.triggers_back('accountability.determinations');
    ALTER TABLE accountability.assessments DISABLE TRIGGER assessments_grounds;
    INSERT INTO accountability.assessments (subject_id, year, grade, assessing_unit_id, decided_on, ground_case_ids)
    SELECT c.subject_id, 2019, 'incompetent', c.unit_id, '2020-01-10', ARRAY[c.case_id] FROM accountability.cases c WHERE c.case_id = 4;
    SELECT pg_temp.triggers_back('accountability.assessments')$$, :'d1',
    'row: a grade below competent rests on case 4, tolerated or found untrue before the grade was written (assessment_trigger)'),
    'a grade resting on a case exempted before it, its trigger off and back, is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.assessments DISABLE TRIGGER assessments_grounds;
    INSERT INTO accountability.assessments (subject_id, year, grade, assessing_unit_id, decided_on)
    VALUES (3, 2023, 'incompetent', 3, '2024-01-10')$$, :'d1',
    'row: a grade below competent without stated grounds%'),
    'and one without any grounds');
-- Report 40 found untrue (suspected false accusation) and false-accusation
-- case 41 against its accuser, liable: the fixture of the tamperings below.
CREATE FUNCTION pg_temp.false_accusation_liable() RETURNS void LANGUAGE sql AS $f$
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id) VALUES (40, 'report', 1, 3);
    UPDATE accountability.cases SET status = 'investigating' WHERE case_id = 40;
    UPDATE accountability.cases SET status = 'unfounded', report_finding = 'suspected_false_accusation' WHERE case_id = 40;
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, related_case_id) VALUES (41, 'false_accusation', 2, 3, 40);
    UPDATE accountability.cases SET status = 'investigating' WHERE case_id = 41;
    UPDATE accountability.cases SET status = 'liable' WHERE case_id = 41;
$f$;
SELECT ok(pg_temp.found($$
    SELECT pg_temp.false_accusation_liable();
    ALTER TABLE accountability.determinations DISABLE TRIGGER determinations_10_assess, DISABLE TRIGGER determinations_20_number;
    INSERT INTO accountability.determinations (case_id, determination_no, outcome, deciding_body, deciding_unit_id, facts,
                                               assessed_outcome, assessed_reasons, after_event_no)
    VALUES (41, 1, 'not_tolerable', '县纪委', 3, '{}', 'not_tolerable', '{}', 2)$$, :'d1',
    'entry: a false-accusation determination from a unit of level county%'),
    'a false accusation decided by the county, its trigger off, is found');
-- ... judged on the unit tree as the ledger held it at the decision (attack
-- round 14): a county department's decision stays found after the
-- department moves under the city; a city department's lawful one is not
-- reported after it moves under a county.
SELECT ok(pg_temp.found($$
    INSERT INTO accountability.units (unit_id, parent_id, code, name, level) VALUES (50, 3, '330282D1', '县纪委', 'department');
    SELECT pg_temp.false_accusation_liable();
    ALTER TABLE accountability.determinations DISABLE TRIGGER determinations_10_assess, DISABLE TRIGGER determinations_20_number;
    INSERT INTO accountability.determinations (case_id, determination_no, outcome, deciding_body, deciding_unit_id, facts,
                                               assessed_outcome, assessed_reasons, after_event_no)
    VALUES (41, 1, 'not_tolerable', '县纪委', 50, '{}', 'not_tolerable', '{}', 2);
    ALTER TABLE accountability.determinations ENABLE TRIGGER determinations_10_assess, ENABLE TRIGGER determinations_20_number;
    UPDATE accountability.units SET parent_id = 2 WHERE unit_id = 50$$, :'d1',
    'entry: a false-accusation determination from a unit of level department%'),
    'a county department''s false-accusation decision, its trigger off, stays found after the department moves under the city');
SELECT is(ARRAY(SELECT t.problem FROM pg_temp.problem_texts($$
    INSERT INTO accountability.units (unit_id, parent_id, code, name, level) VALUES (50, 2, '3302D1', '市纪委', 'department');
    SELECT pg_temp.false_accusation_liable();
    INSERT INTO accountability.determinations (case_id, outcome, deciding_body, deciding_unit_id) VALUES (41, 'not_tolerable', '市纪委', 50);
    UPDATE accountability.cases SET status = 'determined' WHERE case_id = 41;
    UPDATE accountability.units SET parent_id = 3 WHERE unit_id = 50$$, :'d1') t), '{}'::text[],
    'a city department''s lawful false-accusation decision is not reported after the department moves under a county');
-- Attack round 12: rules only a trigger knew.
SELECT is(ARRAY(SELECT t.problem FROM pg_temp.problem_texts($$
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id) VALUES (40, 'report', 1, 3);
    UPDATE accountability.cases SET status = 'investigating' WHERE case_id = 40;
    UPDATE accountability.cases SET status = 'unfounded', report_finding = 'suspected_false_accusation' WHERE case_id = 40;
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, related_case_id) VALUES (41, 'false_accusation', 2, 3, 40)$$, :'d1') t
          WHERE t.problem LIKE '%check_false_accusation_links%'), '{}'::text[],
    'a false-accusation case registered through the rules is not reported');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.cases DISABLE TRIGGER cases_20_history_insert;
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, related_case_id) VALUES (41, 'false_accusation', 2, 3, 5)$$, :'d1',
    'entry: a false-accusation case registered over a case that was not, by then, a report found untrue and suspected of false accusation (check_false_accusation_links)'),
    'a false-accusation case over a report still received, its history trigger off, is found');
-- The transaction id is not hashed: a version "the same transaction wrote"
-- counts only inside the case's own block (attack round 15 gave a later
-- finding the case's xid).  One transaction here, so the ids agree; the
-- digest between them puts them in different blocks.
SELECT ok(pg_temp.found($$
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id) VALUES (40, 'report', 1, 3);
    ALTER TABLE accountability.cases DISABLE TRIGGER cases_20_history_insert;
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, related_case_id) VALUES (41, 'false_accusation', 2, 3, 40);
    SELECT pg_temp.triggers_back('accountability.cases');
    SELECT accountability.ledger_digest();
    UPDATE accountability.cases SET status = 'investigating' WHERE case_id = 40;
    UPDATE accountability.cases SET status = 'unfounded', report_finding = 'suspected_false_accusation' WHERE case_id = 40$$, :'d1',
    'entry: a false-accusation case registered over a case that was not, by then, a report found untrue%'),
    'a false-accusation case registered before its report was found untrue is found, though one transaction id covers both');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.cases DISABLE TRIGGER cases_20_history_insert;
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, related_case_id) VALUES (41, 'false_accusation', 2, 3, 3)$$, :'d1',
    'entry: a false-accusation case registered over a case that was not, by then, a report found untrue and suspected of false accusation%'),
    '... and one over a mistaken report (错告), which is never pursued');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.determinations DISABLE TRIGGER determinations_10_assess, DISABLE TRIGGER determinations_20_number;
    INSERT INTO accountability.determinations (case_id, determination_no, outcome, deciding_body, deciding_unit_id, facts,
                                               assessed_outcome, assessed_reasons, after_event_no)
    SELECT 2, 2, outcome, '余姚市纪委', 4, facts, assessed_outcome, assessed_reasons, after_event_no
    FROM accountability.determinations WHERE case_id = 2$$, :'d1',
    'entry: the determination''s deciding unit is not its case''s unit or a unit above it, as the unit tree stood then (check_deciding_unit)'),
    'a determination decided by another county, its trigger off, is found');
SELECT is(ARRAY(SELECT t.problem FROM pg_temp.problem_texts($$
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id) VALUES (42, 'accountability', 1, 3);
    UPDATE accountability.cases SET status = 'investigating' WHERE case_id = 42;
    UPDATE accountability.cases SET status = 'liable' WHERE case_id = 42;
    INSERT INTO accountability.determinations (case_id, outcome, deciding_body, deciding_unit_id) VALUES (42, 'not_tolerable', '市纪委', 2);
    UPDATE accountability.units SET parent_id = 1 WHERE unit_id = 3$$, :'d1') t
          WHERE t.problem LIKE '%check_deciding_unit%'), '{}'::text[],
    'one decided by the city, whose county then left the city, is judged on the tree as it stood: not reported');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.correction_plans DISABLE TRIGGER correction_plans_20_number;
    INSERT INTO accountability.correction_plans (case_id, plan_no, matter, measures, due_on)
    VALUES (1, 7, '程序瑕疵', '补齐手续', accountability.record_today() + 30)$$, :'d1',
    'entry: numbered 7 within its case, where the database numbers 3 (case_child_trigger)'),
    'a correction plan numbered by hand, its trigger off, is found');
SET LOCAL accountability.import = on;
SELECT throws_ok($$INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, related_case_id, status)
                   VALUES (880020, 'false_accusation', 2, 3, 5, 'liable')$$, '55000', NULL,
  'import mode pursues no accuser over a report still being checked here (round 12: an administrator''s way round the rule)');
SET LOCAL accountability.import = off;
SELECT ok(pg_temp.found($$
    SET LOCAL accountability.import = on;
    ALTER TABLE accountability.cases DISABLE TRIGGER cases_20_history_insert;
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, related_case_id, status)
    VALUES (880020, 'false_accusation', 2, 3, 5, 'liable')$$, :'d1',
    'entry: a false-accusation case registered over a case that was not, by then, a report found untrue%'),
    'and one imported with the history trigger off is found');
-- A writable CTE that moves a case and writes a row hanging off it ran the
-- CTE's rest after the main statement: the ledger recorded the case's move
-- after the row, and verification reported it (attack round 10).  Refused.
SELECT throws_ok($$
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id) VALUES (43, 'accountability', 1, 3);
    UPDATE accountability.cases SET status = 'investigating' WHERE case_id = 43;
    WITH u AS (UPDATE accountability.cases SET status = 'liable' WHERE case_id = 43 RETURNING case_id)
    INSERT INTO accountability.determinations (case_id, outcome, deciding_body)
    SELECT case_id, 'not_tolerable', '县纪委' FROM u LIMIT 1$$,
  '0A000', 'a row of determinations cannot be written in the statement that changes cases',
  'a case moved and a determination written in one statement (a writable CTE) is refused');
SELECT throws_ok($$
    WITH u AS (UPDATE accountability.cases SET conclusion = '补充结论' WHERE case_id = 1 RETURNING case_id)
    UPDATE accountability.correction_plans SET verified_by = '市纪委' WHERE case_id IN (SELECT case_id FROM u) AND plan_no = 2$$,
  '0A000', 'a row of correction_plans cannot be written in the statement that changes cases',
  '... and so is a row filled in beside any change of its case');
-- A statement on cases nested in the moving one (a function of its
-- RETURNING list) settled the moving statement's state with its own and
-- let the row through (attack round 12).  Such a nested statement is now
-- refused itself (round 13); caught in an exception block, it settles
-- nothing, and the row hanging off the case is still refused.
CREATE FUNCTION pg_temp.nested_then_determine(moved bigint, nested text) RETURNS bigint
LANGUAGE plpgsql AS $f$
BEGIN
    IF nested = 'plain' THEN
        UPDATE accountability.cases SET conclusion = '嵌套' WHERE case_id = 1;
    ELSIF nested = 'released' THEN
        BEGIN
            UPDATE accountability.cases SET conclusion = '嵌套' WHERE case_id = 1;
        EXCEPTION WHEN others THEN NULL;
        END;
    ELSE
        BEGIN
            UPDATE accountability.cases SET conclusion = '嵌套' WHERE case_id = 1;
            RAISE EXCEPTION 'undo';
        EXCEPTION WHEN others THEN NULL;
        END;
    END IF;
    INSERT INTO accountability.determinations (case_id, outcome, deciding_body)
    VALUES (moved, 'not_tolerable', '县纪委');
    RETURN moved;
END
$f$;
SELECT throws_ok(format($$
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id) VALUES (43, 'accountability', 1, 3);
    UPDATE accountability.cases SET status = 'investigating' WHERE case_id = 43;
    UPDATE accountability.cases SET status = 'liable' WHERE case_id = 43
    RETURNING pg_temp.nested_then_determine(case_id, %L)$$, nested),
  '0A000', refusal,
  format('a nested statement on cases (%s) in the statement that moved a case is refused, and the determination after it', nested))
FROM (VALUES ('plain', 'a row of cases cannot be written by a statement nested in one that changes cases'),
             ('released', 'a row of determinations cannot be written in the statement that changes cases'),
             ('rolled back', 'a row of determinations cannot be written in the statement that changes cases')) AS v (nested, refusal);
-- The re-attack of round 13: nested statements on one table.  A case
-- inserted, then moved by a function the INSERT called for its next row,
-- was recorded moved before it was inserted; correction plans numbered 1,
-- 2 (nested), 3 were recorded 2, 1, 3.  Both are refused now; a function
-- that only reads, called between the rows, is no nesting.
CREATE FUNCTION pg_temp.move_case(moved bigint) RETURNS jsonb
LANGUAGE sql AS $f$
    UPDATE accountability.cases SET status = 'investigating' WHERE case_id = moved RETURNING '{}'::jsonb
$f$;
SELECT throws_ok($$
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, facts)
    SELECT 46 + i, 'report', 1, 3, CASE WHEN i = 2 THEN pg_temp.move_case(47) ELSE '{}' END FROM generate_series(1, 2) i$$,
  '0A000', 'a row of cases cannot be written by a statement nested in one that changes cases',
  'a case moved by a function its own INSERT calls, before that INSERT is recorded, is refused');
CREATE FUNCTION pg_temp.add_plan(c bigint) RETURNS text
LANGUAGE sql AS $f$
    INSERT INTO accountability.correction_plans (case_id, matter, measures, due_on)
    VALUES (c, '嵌套', '整改', accountability.record_today() + 30) RETURNING '外层'
$f$;
SELECT throws_ok($$
    INSERT INTO accountability.correction_plans (case_id, matter, measures, due_on)
    SELECT 1, CASE WHEN i = 2 THEN pg_temp.add_plan(1) ELSE '外层' END, '整改', accountability.record_today() + 30
    FROM generate_series(1, 2) i$$,
  '0A000', 'a row of correction_plans cannot be written by a statement nested in one that changes correction_plans',
  'a correction plan written by a function its own table''s INSERT calls is refused (numbers would be recorded out of order)');
CREATE FUNCTION pg_temp.count_cases() RETURNS text
LANGUAGE plpgsql VOLATILE AS $f$
BEGIN
    PERFORM count(*) FROM accountability.cases;
    RETURN '外层';
END
$f$;
SELECT is(ARRAY(SELECT * FROM pg_temp.problem_texts($$
    INSERT INTO accountability.correction_plans (case_id, matter, measures, due_on)
    SELECT 1, pg_temp.count_cases(), '整改', accountability.record_today() + 30 FROM generate_series(1, 3) i$$, :'d1')),
  '{}'::text[], 'three plans in one INSERT calling a volatile function that reads are accepted and verify clean');
-- The second re-attack: a cursor over a writable CTE, opened before and
-- fetched inside another statement on the same table, ran its INSERT
-- under that statement's command id; its own snapshot tells it apart.
CREATE FUNCTION pg_temp.open_cursor() RETURNS refcursor
LANGUAGE plpgsql AS $f$
DECLARE
    c refcursor := 'nested_cursor';
BEGIN
    OPEN c FOR WITH w AS (INSERT INTO accountability.subjects (subject_id, kind, name, unit_id, post)
                          VALUES (9610, 'person', '嵌套', 3, '科员') RETURNING name) SELECT name FROM w;
    RETURN c;
END
$f$;
CREATE FUNCTION pg_temp.fetch_cursor(c refcursor) RETURNS text
LANGUAGE plpgsql STABLE AS $f$
DECLARE
    x text;
BEGIN
    FETCH c INTO x;
    RETURN x;
END
$f$;
SELECT throws_ok($$
    SELECT pg_temp.open_cursor();
    INSERT INTO accountability.subjects (subject_id, kind, name, unit_id, post)
    SELECT 9600 + i, 'person', CASE WHEN i = 2 THEN pg_temp.fetch_cursor('nested_cursor') ELSE '外层' END, 3, '科员'
    FROM generate_series(1, 2) i$$,
  '0A000', 'a row of subjects cannot be written by a statement nested in one that changes subjects',
  'a cursor''s INSERT run by a FETCH inside another INSERT on the same table is refused');
SELECT throws_ok($$SELECT accountability.ledger_row_written('pg_catalog.pg_class')$$,
  '22023', 'ledger_row_written() counts the rows of the record''s tables only',
  'the WHEN function counts no relation outside the record''s schema');
-- Round 13: the other direction, and any two tables.  A CTE read only in
-- part ends after the main statement, so its rows were recorded after rows
-- the rules judged after them: a move without its notification, a
-- determination before its case was liable, a promotion during a sanction
-- decided after it.  One statement now writes one table of the record.
CREATE FUNCTION pg_temp.to_liable(moved bigint, subject bigint DEFAULT 1) RETURNS text
LANGUAGE sql AS $f$
SELECT format($$
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id) VALUES (%1$s, 'accountability', %2$s, 3);
    UPDATE accountability.cases SET status = 'investigating' WHERE case_id = %1$s;
    UPDATE accountability.cases SET status = 'liable' WHERE case_id = %1$s;$$, moved, subject)
$f$;
CREATE FUNCTION pg_temp.to_determined(moved bigint) RETURNS text
LANGUAGE sql AS $f$
SELECT pg_temp.to_liable(moved) || format($$
    INSERT INTO accountability.determinations (case_id, outcome, deciding_body) VALUES (%1$s, 'not_tolerable', '县纪委');
    UPDATE accountability.cases SET status = 'determined' WHERE case_id = %1$s;$$, moved)
$f$;
SELECT throws_ok(pg_temp.to_determined(44) || $$
    WITH d AS (UPDATE accountability.determinations SET notified_on = accountability.record_today() WHERE case_id = 44 RETURNING case_id)
    UPDATE accountability.cases SET status = 'notified' WHERE case_id = (SELECT case_id FROM d LIMIT 1)$$,
  '0A000', 'a row of cases cannot be written in the statement that changes determinations',
  'a notification filled in a CTE read in part, with the move to notified in the main statement, is refused');
SELECT throws_ok(pg_temp.to_liable(44) || $$
    WITH d AS (INSERT INTO accountability.determinations (case_id, outcome, deciding_body) VALUES (44, 'not_tolerable', '县纪委') RETURNING case_id)
    UPDATE accountability.cases SET status = 'determined' WHERE case_id = (SELECT case_id FROM d LIMIT 1)$$,
  '0A000', 'a row of cases cannot be written in the statement that changes determinations',
  'a determination written in a CTE read in part, with the move to determined, is refused');
SELECT throws_ok(pg_temp.to_liable(44, 2) || $$
    WITH t AS (INSERT INTO accountability.trainings (subject_id, course, year, attended_on, hours)
               VALUES (2, '专题培训', 2026, '2026-03-01', 8) RETURNING subject_id)
    INSERT INTO accountability.determinations (case_id, outcome, deciding_body) SELECT 44, 'not_tolerable', '县纪委' FROM t$$,
  '0A000', 'a row of determinations cannot be written in the statement that changes trainings',
  'any two tables of the record in one statement are refused, even with the CTE read in full');
CREATE FUNCTION pg_temp.move_to(moved bigint, status accountability.case_status) RETURNS bigint
LANGUAGE sql AS $f$
    UPDATE accountability.cases SET status = move_to.status WHERE case_id = moved RETURNING case_id
$f$;
SELECT throws_ok(pg_temp.to_determined(44) || $$
    UPDATE accountability.determinations SET notified_on = accountability.record_today() WHERE case_id = 44
    RETURNING pg_temp.move_to(case_id, 'notified')$$,
  '0A000', 'a row of cases cannot be written in the statement that changes determinations',
  'a case moved by a function the filling statement calls is refused');
SELECT is(ARRAY(SELECT * FROM pg_temp.problem_texts($$
    INSERT INTO accountability.assessments (subject_id, year, grade, assessing_unit_id, decided_on)
    VALUES (1, 2019, 'competent', 3, '2020-01-10') ON CONFLICT (subject_id, year) DO NOTHING;
    INSERT INTO accountability.assessments (subject_id, year, grade, assessing_unit_id, decided_on)
    VALUES (1, 2019, 'competent', 3, '2020-01-10') ON CONFLICT (subject_id, year) DO NOTHING;
    INSERT INTO accountability.assessments (subject_id, year, grade, assessing_unit_id, decided_on)
    VALUES (1, 2019, 'excellent', 3, '2020-01-10') ON CONFLICT (subject_id, year) DO UPDATE SET grade = excluded.grade;
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id) VALUES (44, 'report', 1, 3)$$, :'d1')),
  '{}'::text[], 'rows an upsert proposed but did not write leave no count behind: the next statement writes another table');
SELECT is(ARRAY(SELECT * FROM pg_temp.problem_texts($$
    INSERT INTO accountability.assessments (subject_id, year, grade, assessing_unit_id, decided_on)
    VALUES (1, 2018, 'competent', 3, '2019-01-10');
    MERGE INTO accountability.assessments a
    USING (VALUES (1, 2018, 'excellent'), (1, 2017, 'competent')) AS v (subject_id, year, grade)
    ON a.subject_id = v.subject_id AND a.year = v.year
    WHEN MATCHED THEN UPDATE SET grade = v.grade
    WHEN NOT MATCHED THEN INSERT (subject_id, year, grade, assessing_unit_id, decided_on)
        VALUES (v.subject_id, v.year, v.grade, 3, make_date(v.year + 1, 1, 10));
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id) VALUES (44, 'report', 1, 3)$$, :'d1')),
  '{}'::text[], 'a MERGE that updates one row and inserts another is recorded whole: the next statement writes another table, and all verifies clean');
SELECT is(ARRAY(SELECT * FROM pg_temp.problem_texts(pg_temp.to_determined(44) || $$
    UPDATE accountability.determinations SET notified_on = accountability.record_today() WHERE case_id = 44;
    UPDATE accountability.cases SET status = 'notified' WHERE case_id = 44$$, :'d1')),
  '{}'::text[], 'the notification and the move in two statements are accepted and verify clean');
SELECT is(ARRAY(SELECT * FROM pg_temp.problem_texts($$
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id) VALUES (43, 'accountability', 1, 3);
    UPDATE accountability.cases SET status = 'investigating' WHERE case_id = 43;
    UPDATE accountability.cases SET status = 'liable' WHERE case_id = 43;
    INSERT INTO accountability.determinations (case_id, outcome, deciding_body) VALUES (43, 'not_tolerable', '县纪委')$$, :'d1')),
  '{}'::text[], 'the same in separate statements, after the refusals rolled back, is accepted and verifies clean');
-- A false accusation names its report when it is registered (round 12's
-- re-attack: imported naming none, then linked to a report still received).
SELECT throws_ok($$
    SET LOCAL accountability.import = on;
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, status) VALUES (41, 'false_accusation', 2, 3, 'liable');
    SET LOCAL accountability.import = off;
    UPDATE accountability.cases SET related_case_id = 5 WHERE case_id = 41$$,
  '55000', 'false-accusation case 41 names its report when it is registered',
  'a false accusation imported naming no report is not linked to one later (the link is judged on registration only)');
SELECT ok(pg_temp.found($$
    SET LOCAL accountability.import = on;
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, status) VALUES (41, 'false_accusation', 2, 3, 'liable');
    SET LOCAL accountability.import = off;
    ALTER TABLE accountability.cases DISABLE TRIGGER cases_10_transition;
    UPDATE accountability.cases SET related_case_id = 5 WHERE case_id = 41$$, :'d1',
    'entry: a false-accusation case whose report was named or changed after its registration%'),
    'one imported naming none and linked later with the transition trigger off is found');
SELECT is(ARRAY(SELECT * FROM pg_temp.problem_texts($$
    SET LOCAL accountability.import = on;
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, status, report_finding, related_case_id)
    VALUES (45, 'report', 1, 3, 'unfounded', 'suspected_false_accusation', NULL),
           (46, 'false_accusation', 2, 3, 'received', NULL, 45)$$, :'d1')),
  '{}'::text[], 'an import of a report found untrue and its false accusation in one statement is accepted and verifies clean');
SELECT is(ARRAY(SELECT * FROM pg_temp.problem_texts($$
    SET LOCAL accountability.import = on;
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, status, report_finding, related_case_id)
    VALUES (46, 'false_accusation', 2, 3, 'received', NULL, 45),
           (45, 'report', 1, 3, 'unfounded', 'suspected_false_accusation', NULL)$$, :'d1')),
  '{}'::text[], '... in either order: the ledger may write the false accusation first (round 12''s third re-attack)');
SELECT throws_ok($$
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id) VALUES (40, 'report', 1, 3);
    UPDATE accountability.cases SET status = 'investigating' WHERE case_id = 40;
    UPDATE accountability.cases SET status = 'unfounded', report_finding = 'suspected_false_accusation' WHERE case_id = 40;
    UPDATE accountability.subjects SET identity_type = NULL WHERE subject_id = 2;
    WITH s AS (UPDATE accountability.subjects SET identity_type = 'other' WHERE subject_id = 2 RETURNING 1)
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, related_case_id) VALUES (41, 'false_accusation', 2, 3, 40)$$,
  '0A000', 'a row of subjects cannot be written in the statement that changes cases',
  'an identity type recorded in the statement that registers the false accusation is refused (round 13: one statement writes one table of the record)');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.units DISABLE TRIGGER ALL;
    DELETE FROM accountability.units WHERE unit_id = 4$$, :'d1',
    'row: the row refers to a row of accountability.units that is not there (foreign key %'),
    'a county deleted with its foreign keys'' triggers off, orphaning its records, is found');
-- facts the determination did not assess, with the workflow's trigger off
SELECT ok(pg_temp.found($$
    INSERT INTO accountability.determinations (case_id, outcome, deciding_body) VALUES (5, 'not_tolerable', '县纪委');
    UPDATE accountability.cases SET facts = facts || '{"excluded": true}' WHERE case_id = 5;
    ALTER TABLE accountability.cases DISABLE TRIGGER cases_10_transition;
    UPDATE accountability.cases SET status = 'determined' WHERE case_id = 5$$, :'d1',
    'history: move liable -> determined without determination, as the ledger stood at the move'),
    'a case moved to determined after an exclusion was written into its facts, the workflow''s trigger off, is found');
SELECT ok(pg_temp.found($$
    INSERT INTO accountability.determinations (case_id, outcome, deciding_body) VALUES (5, 'not_tolerable', '县纪委');
    ALTER TABLE accountability.cases DISABLE TRIGGER cases_05_write_model, DISABLE TRIGGER cases_10_transition;
    UPDATE accountability.cases SET status = 'determined', facts = facts || '{"excluded": true}' WHERE case_id = 5$$, :'d1',
    'history: move liable -> determined without determination, as the ledger stood at the move'),
    '... and so is one that writes the exclusion in the move itself (the facts after the move are judged too)');
SELECT ok(pg_temp.found($$
    INSERT INTO accountability.determinations (case_id, outcome, deciding_body) VALUES (5, 'not_tolerable', '县纪委');
    UPDATE accountability.cases SET facts = facts || '{"private_gain": true}' WHERE case_id = 5;
    ALTER TABLE accountability.cases DISABLE TRIGGER cases_10_transition;
    UPDATE accountability.cases SET status = 'determined' WHERE case_id = 5$$, :'d1',
    'history: move liable -> determined without determination, as the ledger stood at the move'),
    'so is one after any fact changed');
SELECT is(ARRAY(SELECT * FROM pg_temp.problem_texts($$
    INSERT INTO accountability.determinations (case_id, outcome, deciding_body) VALUES (5, 'not_tolerable', '县纪委');
    UPDATE accountability.cases SET status = 'determined' WHERE case_id = 5$$, :'d1')), '{}'::text[],
    'the same move on the facts assessed is found clean');
SELECT is(ARRAY(SELECT * FROM pg_temp.problem_texts($$
    INSERT INTO accountability.determinations (case_id, outcome, deciding_body) VALUES (5, 'not_tolerable', '县纪委');
    UPDATE accountability.cases SET facts = facts || '{"excluded": false, "repeated_error": false}' WHERE case_id = 5;
    UPDATE accountability.cases SET status = 'determined' WHERE case_id = 5$$, :'d1')), '{}'::text[],
    'and so is one after computed facts were written as they stand (the trigger and 5b agree)');
SELECT is(ARRAY(SELECT * FROM pg_temp.problem_texts($$
    INSERT INTO accountability.determinations (case_id, outcome, deciding_body) VALUES (5, 'not_tolerable', '县纪委');
    UPDATE accountability.cases SET event_on = '2025-01-05' WHERE case_id = 5;
    INSERT INTO accountability.determinations (case_id, outcome, deciding_body) VALUES (5, 'not_tolerable', '县纪委');
    UPDATE accountability.cases SET status = 'determined' WHERE case_id = 5$$, :'d1')), '{}'::text[],
    'and so is one re-determined on the event date filled in (judged_on, the trigger and 5b agree)');
-- a status change forged with the workflow's trigger off and no event
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.cases DISABLE TRIGGER cases_10_transition;
    UPDATE accountability.cases SET status = 'received' WHERE case_id = 3$$, :'d1',
    'history: status changed follow_up -> received, which the transition table does not allow'),
    'a status change the transition table does not allow, forged with the workflow''s trigger off, is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.cases DISABLE TRIGGER cases_05_write_model;
    UPDATE accountability.cases SET clarification_grounds = '{}' WHERE case_id = 3$$, :'d1',
    'entry: a % withdraws a value from a list that only grows'),
    'clarification grounds cleared with the write-model guard off are found');
-- A determined case's facts rewritten with the guard off: recorded by the
-- ledger's triggers, found by the write model across the case's entries.
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.cases DISABLE TRIGGER cases_05_write_model;
    UPDATE accountability.cases SET facts = '{"red_line_breach": true}' WHERE case_id = 2$$, :'d1',
    'entry: a move changes a column the write model freezes while the case is notified%'),
    'a notified case''s facts rewritten with the guard off are found');
-- A cadre moved without move_subject(): the guard off, the ledger's
-- triggers on, so the change is recorded, but no move goes with it.
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.subjects DISABLE TRIGGER subjects_05_write_model;
    UPDATE accountability.subjects SET unit_id = 4 WHERE subject_id = 2$$, :'d1',
    'entry: the cadre changed unit from 3 to 4 without a recorded move%'),
    'a cadre moved to another county with the guard off, no move recorded, is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.subject_moves DISABLE TRIGGER ALL;
    ALTER TABLE accountability.ledger_entries DISABLE TRIGGER ALL;
    DELETE FROM accountability.subject_moves WHERE subject_id = 3;
    DELETE FROM accountability.ledger_entries WHERE table_name = 'subject_moves';
    SELECT pg_temp.reseal()$$, NULL,
    'entry: the cadre changed unit from 3 to 4 without a recorded move%'),
    'the record of a cadre''s moves erased with its entries, every hash recomputed, is found');
-- The units' paths the reports roll up along, forged: one county put under
-- the other moves its figures into the other's rows.
SELECT ok(pg_temp.found($$
    INSERT INTO accountability.unit_ancestors VALUES (4, 3, 1, false)$$, :'d1',
    'figures: unit_ancestors holds a path the unit tree does not have%'),
    'a forged path in unit_ancestors is found');
SELECT ok(pg_temp.found($$
    UPDATE accountability.unit_ancestors SET depth = 5 WHERE unit_id = 3 AND ancestor_id = 1$$, :'d1',
    'figures: unit_ancestors differs from the unit tree on this path%'),
    'a changed path in unit_ancestors is found');
-- A live row changed outside the ledger is found by comparing it with its
-- latest entry (by the images' SHA-256), and by nothing else.
SELECT bag_eq(format('SELECT * FROM pg_temp.problem_texts(%L, %L)', $$
    ALTER TABLE accountability.follow_up_visits DISABLE TRIGGER ALL;
    UPDATE accountability.follow_up_visits SET visitor = visitor || ' (rewritten)'
    WHERE (case_id, visit_no) = (SELECT case_id, visit_no FROM accountability.follow_up_visits ORDER BY 1, 2 LIMIT 1);
    SELECT pg_temp.triggers_back('accountability.follow_up_visits')$$,
    :'d1'),
    ARRAY['row: row differs from its latest ledger entry (changed outside the ledger)'],
    'a live row rewritten outside the ledger is found by the row comparison, and by nothing else');
-- A forged entry for a live row, numbered and hashed as the ledger would:
-- what a superuser who knows the format writes to cover a change.
CREATE FUNCTION pg_temp.forge_entry(entry_no bigint, operation text, table_name text, row_key text) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO accountability.ledger_entries
    SELECT entry_no, pg_current_xact_id(), r.table_name, operation, r.row_key, r.row_image,
           accountability.ledger_entry_hash(entry_no, r.table_name, operation, r.row_key, r.row_image)
    FROM accountability.ledger_rows() r WHERE r.table_name = forge_entry.table_name AND r.row_key = forge_entry.row_key
$$;
SELECT cmp_ok(pg_temp.problems($$
    ALTER TABLE accountability.case_events DISABLE TRIGGER ALL;
    UPDATE accountability.case_events SET actor = 'forged' WHERE case_id = 1 AND event_no = 1;
    SELECT pg_temp.forge_entry(nextval('accountability.ledger_entry_no'), 'update', 'case_events', '[1, 1]')$$, :'d1'), '>', 0::bigint,
    'a forged update of the history with its hash right is found');
-- A row written again as a second insert, hash right (attack round 7):
-- no rule judged the change, so a closed case's determination was
-- rewritten unseen.  A row starts once; only a deletion ends it.
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.determinations DISABLE TRIGGER ALL;
    UPDATE accountability.determinations SET deciding_body = 'forged body' WHERE case_id = 1;
    SELECT pg_temp.forge_entry(nextval('accountability.ledger_entry_no'), 'insert', 'determinations', '[1, 1]')$$, :'d1',
    'entry: an insert of a row the ledger already holds: only a deletion ends a row'),
    'a forged second insert of a determination, hash right, is found');
-- An operation the table's trigger never writes (a determination changes
-- only by a fill): an update entry escaped the fill rule.
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.determinations DISABLE TRIGGER ALL;
    UPDATE accountability.determinations SET assessed_reasons = '{}' WHERE case_id = 1;
    SELECT pg_temp.forge_entry(nextval('accountability.ledger_entry_no'), 'update', 'determinations', '[1, 1]')$$, :'d1',
    'entry: an entry of operation update, which the ledger never writes for determinations (a change there is recorded as fill)'),
    'a forged update entry of a determination, hash right, is found');
-- A forged row recorded as a genesis entry numbered below the sequence
-- (re-attack of round 7): genesis rows escape the rules that judge new
-- rows, so only the update from 1.0 writes them, all sealed into block 1.
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.determinations DISABLE TRIGGER ALL;
    UPDATE accountability.determinations SET deciding_body = 'forged body' WHERE case_id = 1;
    SELECT pg_temp.forge_entry(-1, 'genesis', 'determinations', '[1, 1]');
    SELECT accountability.ledger_digest()$$, :'d1',
    'entry: entry number below 1: the ledger numbers its entries from 1 (the entry was written by hand)'),
    'a forged genesis entry numbered -1 is found');

-- ---------------------------------------------------------------------
-- 6. The guards of the ledger itself.
-- ---------------------------------------------------------------------
SELECT throws_ok($$UPDATE accountability.ledger_entries SET operation = 'insert'$$, '42501', NULL,
                 'ledger entries cannot be updated');
SELECT throws_ok($$DELETE FROM accountability.ledger_blocks$$, '42501', NULL, 'ledger blocks cannot be deleted');
SELECT throws_ok($$TRUNCATE accountability.ledger_entries$$, '42501', NULL, 'the ledger cannot be truncated');
SELECT throws_ok($$SELECT accountability.ledger_merkle_root(ARRAY['\x00'::bytea])$$, '22023', NULL,
                 'a Merkle root needs SHA-256 hashes');
SELECT is(has_function_privilege('accountability_clerk', 'accountability.ledger_digest()', 'EXECUTE'), false,
          'a clerk cannot take digests');
CREATE ROLE regress_ledger_admin IN ROLE accountability_admin;
CREATE ROLE regress_ledger_auditor BYPASSRLS IN ROLE accountability_admin;
INSERT INTO role_units (role_id, unit_id) VALUES ('regress_ledger_admin', 1);
SET LOCAL ROLE regress_ledger_admin;
SELECT is((SELECT count(*) FROM accountability.ledger_entries), 0::bigint,
          'an administrator under row-level security reads no row image (they cross every unit)');
SELECT is((SELECT count(*) FROM accountability.ledger_blocks), 0::bigint, '... nor a block');
SELECT throws_ok($$SELECT accountability.ledger_digest()$$, '42501', NULL,
                 'an administrator under row-level security cannot take a digest of part of the record');
SELECT throws_ok($$SELECT * FROM accountability.verify_ledger()$$, '42501', NULL, '... nor verify part of it');
RESET ROLE;
SET LOCAL ROLE regress_ledger_auditor;
SELECT is((SELECT string_agg(problem, '; ') FROM accountability.verify_ledger(accountability.ledger_digest())), NULL,
          'an auditor (BYPASSRLS, accountability_admin) takes a digest and verifies against it in one statement');
RESET ROLE;

-- A determination backdated before its case was opened, its guards off:
-- found on the row (3f), whatever the ledger's triggers did.
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.determinations DISABLE TRIGGER USER;
    UPDATE accountability.determinations SET decided_on = '1990-01-01' WHERE case_id = 1$$, NULL,
    'row: decided_on is 1990-01-01, before its case was opened on % (nothing recorded on a case is dated before it)'),
    'a determination dated before its case was opened is found');

-- A case's columns tied to statuses, written with the guard off and the
-- guard put back (attack round 11): a report's finding filled while it is
-- still received, an event date filled once a determination relied on it,
-- a closing reason planted without the move to closed.
SELECT ok(pg_temp.found($$
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id) SELECT 880002, 'report', subject_id, unit_id FROM accountability.cases WHERE case_id = 1;
    ALTER TABLE accountability.cases DISABLE TRIGGER cases_05_write_model;
    UPDATE accountability.cases SET report_finding = 'suspected_false_accusation' WHERE case_id = 880002;
    SELECT pg_temp.triggers_back('accountability.cases')$$, :'d1',
    'entry: a % fills report_finding while the case is received: it is filled only while the case is unfounded'),
    'a report''s finding filled while it is still received, the guard off and back, is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.cases DISABLE TRIGGER cases_05_write_model;
    UPDATE accountability.cases SET event_on = opened_on
    WHERE case_id = (SELECT case_id FROM accountability.cases WHERE event_on IS NULL
                     AND status IN ('determined', 'notified', 'correcting', 'filed', 'follow_up') ORDER BY case_id LIMIT 1);
    SELECT pg_temp.triggers_back('accountability.cases')$$, :'d1',
    'entry: a % fills event_on while the case is %: it is filled only while the case is received, %'),
    'an event date filled once a determination relied on it, the guard off and back, is found');
SELECT ok(pg_temp.found($$
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id) SELECT 880003, 'report', subject_id, unit_id FROM accountability.cases WHERE case_id = 1;
    ALTER TABLE accountability.cases DISABLE TRIGGER cases_05_write_model;
    UPDATE accountability.cases SET closing_reason = '事先写好' WHERE case_id = 880003;
    SELECT pg_temp.triggers_back('accountability.cases')$$, :'d1',
    'entry: a % writes closing_reason without the move to closed: it is written only with that move'),
    'a closing reason planted without the move to closed, the guard off and back, is found');
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.cases DISABLE TRIGGER cases_20_history_insert;
    INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, closing_reason, report_finding)
    SELECT 880006, 'report', subject_id, unit_id, '不予受理', 'suspected_false_accusation' FROM accountability.cases WHERE case_id = 1;
    SELECT pg_temp.triggers_back('accountability.cases')$$, :'d1',
    'entry: an insert of a case that carries closing_reason in status received: a registered case carries none%'),
    'a case registered with a closing reason and a finding, its history trigger off and back, is found');
-- ... and a finding planted on a report still being checked opens no
-- pursuit of its accuser.
SAVEPOINT planted;
INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id) SELECT 880004, 'report', subject_id, unit_id FROM accountability.cases WHERE case_id = 1
RETURNING case_id AS planted_report \gset
ALTER TABLE accountability.cases DISABLE TRIGGER cases_05_write_model;
UPDATE accountability.cases SET report_finding = 'suspected_false_accusation' WHERE case_id = :planted_report;
SELECT pg_temp.triggers_back('accountability.cases');
SELECT throws_ok(format($$INSERT INTO accountability.cases (case_id, kind, subject_id, unit_id, related_case_id)
                          SELECT 880005, 'false_accusation', s.subject_id, s.unit_id, %s FROM accountability.subjects s
                          WHERE s.identity_type IS NOT NULL ORDER BY s.subject_id LIMIT 1$$, :planted_report),
                 '55000', NULL, 'a false-accusation case over a report never found untrue is refused, whatever its finding says');
ROLLBACK TO SAVEPOINT planted;
-- A demotion names the case it arose from loosely: its dates are its own.
SELECT is(pg_temp.problems($$
    INSERT INTO accountability.demotions (subject_id, situation_code, method, case_id, decided_by, decided_on, effective_on, reuse_eligible_on)
    SELECT c.subject_id, (SELECT code FROM accountability.demotion_situations ORDER BY code LIMIT 1), 'removal', c.case_id,
           '组织部', c.opened_on - 400, c.opened_on - 400, c.opened_on - 35
    FROM accountability.cases c WHERE c.case_id = 1$$, :'d1'), 0::bigint,
    'a demotion dated before the case it names was opened is legitimate: verification finds nothing');

-- A cadre with cases deleted with the foreign keys' triggers off and
-- inserted again under its key as a party organisation, the ledger's
-- triggers on (attack round 10): a key names one thing for life.
SELECT ok(pg_temp.found($$
    ALTER TABLE accountability.subjects DISABLE TRIGGER ALL;
    ALTER TABLE accountability.subjects ENABLE TRIGGER zz_ledger_delete, ENABLE TRIGGER zz_ledger_insert;
    DELETE FROM accountability.subjects WHERE subject_id = (SELECT subject_id FROM accountability.cases WHERE case_id = 1);
    INSERT INTO accountability.subjects (subject_id, kind, name, unit_id)
    SELECT subject_id, 'party_org', '某党支部', unit_id FROM accountability.cases WHERE case_id = 1$$, NULL,
    'entry: an insert after a deletion brings the key back with other identity columns: a key names one thing for life'),
    'a cadre deleted and inserted again under its key as another kind of subject is found');

-- The guards themselves (constraints, triggers, functions): switched off,
-- used and put back, they leave a trace.  A CHECK dropped, a row that
-- breaks it written with every trigger on, the CHECK put back NOT VALID:
SELECT bag_eq(format('SELECT * FROM pg_temp.problem_texts(%L, %L)', $$
    ALTER TABLE accountability.trainings DROP CONSTRAINT trainings_hours_check;
    INSERT INTO accountability.trainings (subject_id, course, year, attended_on, hours) VALUES (1, '负学时', 2025, '2025-06-01', -4);
    ALTER TABLE accountability.trainings ADD CONSTRAINT trainings_hours_check CHECK (hours > 0) NOT VALID$$, :'d1'),
    ARRAY['row: the row breaks check constraint trainings_hours_check (written while it was off)',
          'structure: constraint trainings_hours_check is NOT VALID: rows written while it was off may break it',
          'digest: digest 1: the guards (columns, constraints, triggers, policies, functions, owners, privileges) changed since it was taken: one was dropped, disabled, replaced or handed to another role'],
    'a CHECK dropped, broken and put back NOT VALID: the row, the constraint and the digest tell');
SELECT ok(pg_temp.found($$ALTER TABLE accountability.trainings DROP CONSTRAINT trainings_hours_check$$, :'d1',
                        'digest: digest 1: the guards % changed since it was taken%'),
          'a CHECK dropped and not put back is found against a digest');
SELECT ok(pg_temp.found($$CREATE OR REPLACE FUNCTION accountability.check_written(value text, column_name text) RETURNS boolean
                          LANGUAGE sql IMMUTABLE AS 'SELECT true'$$, :'d1',
                        'digest: digest 1: the guards % changed since it was taken%'),
          'a function the CHECKs call, replaced by one that passes everything, is found against a digest');
SELECT ok(pg_temp.found(format('ALTER TABLE accountability.determinations ENABLE TRIGGER %I',
                               (SELECT tgname FROM pg_trigger WHERE tgrelid = 'accountability.determinations'::regclass
                                AND tgenabled = 'A' ORDER BY tgname LIMIT 1)), :'d1',
                        'digest: digest 1: the guards % changed since it was taken%'),
          'a trigger made to skip replica mode (ALWAYS to ORIGIN) is found against a digest');
SELECT ok(pg_temp.found($$ALTER TABLE accountability.promotions DISABLE TRIGGER USER$$, NULL,
                        'structure: trigger % is disabled: what it guards is not checked on writing'),
          'a trigger left disabled is found without a digest');
-- The privileges are written with the extension's owner as "owner" and
-- no grantor, so a dump restored by another superuser keeps the
-- fingerprint (tests/checks/ledger_dump_restore.sh restores one).
SELECT is(accountability.guard_privileges(format('{%1$s=arw/%1$s,accountability_reader=r*/%1$s}',
                                                 (SELECT extowner::regrole FROM pg_extension WHERE extname = 'pg_accountability'))::aclitem[],
                                          (SELECT extowner FROM pg_extension WHERE extname = 'pg_accountability')),
          'accountability_reader:SELECT with grant option, owner:INSERT, owner:SELECT, owner:UPDATE',
          'privileges in the fingerprint: the owner is "owner", grantors are left out');
-- Owners and privileges are guards too (attack round 11): a table handed
-- to a county login lets it switch the table's triggers off itself; a
-- grant opens a table; who may set restore mode decides who loads rows
-- unjudged.
SELECT ok(pg_temp.found($$CREATE ROLE regress_ledger_owner;
                          ALTER TABLE accountability.promotions OWNER TO regress_ledger_owner$$, :'d1',
                        'digest: digest 1: the guards % changed since it was taken%'),
          'a table handed to another owner is found against a digest');
SELECT ok(pg_temp.found($$GRANT UPDATE ON accountability.promotions TO PUBLIC$$, :'d1',
                        'digest: digest 1: the guards % changed since it was taken%'),
          'a table opened to every role by a grant is found against a digest');
SELECT ok(pg_temp.found($$GRANT UPDATE (effective_on) ON accountability.promotions TO PUBLIC$$, :'d1',
                        'digest: digest 1: the guards % changed since it was taken%'),
          'a column opened to every role by a grant is found against a digest');
SELECT ok(pg_temp.found($$UPDATE pg_catalog.pg_attribute SET attcollation = 'pg_catalog."C"'::regcollation
                          WHERE attrelid = 'accountability.units'::regclass AND attname = 'code'$$, :'d1',
                        'digest: digest 1: the guards % changed since it was taken%'),
          'a column given another collation (its comparisons and its key''s uniqueness change) is found against a digest');
SELECT ok(pg_temp.found($$GRANT SET ON PARAMETER accountability.restore TO PUBLIC$$, :'d1',
                        'digest: digest 1: the guards % changed since it was taken%'),
          'restore mode opened to every role is found against a digest');
SELECT is(pg_temp.problems($$ALTER TABLE accountability.trainings DROP CONSTRAINT trainings_hours_check,
                             ADD CONSTRAINT trainings_hours_check CHECK (hours > 0)$$, :'d1'), 0::bigint,
          'a CHECK dropped and put back as it was, with no row written meanwhile, leaves no problem');
SET LOCAL synchronous_commit = off;
SELECT ok(accountability.ledger_digest() ? 'block_no', 'a digest taken with synchronous_commit off ...');
SELECT is(current_setting('synchronous_commit'), 'on', '... commits durably all the same: the block it names outlives a crash');
RESET synchronous_commit;
SELECT is(jsonb_typeof(:'d1'::jsonb #> '{guards,sha256}') || ' ' || (:'d1'::jsonb #>> '{guards,extension_version}'),
          'string 1.1', 'a digest records the guards'' fingerprint and the extension version');
SELECT ok((SELECT bool_or(p LIKE 'digest: digest 1: the guards%changed since it was taken%')
           FROM pg_temp.problem_texts($$ALTER TABLE accountability.ledger_entries SET UNLOGGED$$, :'d1') p),
   'the ledger made UNLOGGED (a crash would lose its entries) is a change of the guards');
-- The guards are compared on the version a digest was taken on; a version
-- written into pg_extension by hand (attack round 14) hid a CHECK dropped
-- and broken.  The installed version must follow the digest's by an update.
SELECT ok((SELECT bool_or(p LIKE 'digest: digest 1 was taken on version 1.1 of the extension, which no update leads from to the installed version 1.1.0:%')
           FROM pg_temp.problem_texts($$
    UPDATE pg_catalog.pg_extension SET extversion = '1.1.0' WHERE extname = 'pg_accountability';
    ALTER TABLE accountability.trainings DROP CONSTRAINT trainings_hours_check$$, :'d1') p),
   'a version forged in pg_extension, to hide a guard dropped, is reported');
SELECT ok((SELECT bool_or(p LIKE '%version 1.1 of the extension, which no update leads from to the installed version 1.0:%')
           FROM pg_temp.problem_texts($$UPDATE pg_catalog.pg_extension SET extversion = '1.0' WHERE extname = 'pg_accountability'$$, :'d1') p),
   'so is an earlier version, which no update leads to');

-- ---------------------------------------------------------------------
-- 7. The image does not depend on the writer's session: rows written
--    under another zone, bytea style, float digits, interval style and
--    language are recorded as ledger_rows() renders them, and verify.
-- ---------------------------------------------------------------------
SET LOCAL TimeZone = 'Asia/Shanghai';
SET LOCAL bytea_output = 'escape';
SET LOCAL extra_float_digits = 3;
SET LOCAL IntervalStyle = 'sql_standard';
SET LOCAL accountability.language = 'zh';
INSERT INTO cases (case_id, kind, subject_id, unit_id) VALUES (70, 'accountability', 3, 3);
UPDATE cases SET status = 'investigating' WHERE case_id = 70;
SELECT is((SELECT string_agg(problem, '; ') FROM accountability.verify_ledger(accountability.ledger_digest())), NULL,
          'rows written under Asia/Shanghai, escape bytea and Chinese labels verify against their entries');
SELECT alike((SELECT row_image->>'occurred_at' FROM accountability.ledger_entries
             WHERE table_name = 'case_events' AND row_key = '[70, 1]'), '%+00:00',
            'the event''s time is recorded in UTC whatever the writer''s zone');
SELECT is((SELECT row_image->>'to_status' FROM accountability.ledger_entries
           WHERE table_name = 'case_events' AND row_key = '[70, 1]'), 'investigating',
          'and its status as the English code whatever the writer''s language');
SELECT is(current_setting('TimeZone') || ' ' || current_setting('bytea_output') || ' '
          || current_setting('accountability.language'), 'Asia/Shanghai escape zh',
          'the writer''s own settings are left as they were');
RESET TimeZone;
RESET bytea_output;
RESET extra_float_digits;
RESET IntervalStyle;
RESET accountability.language;

-- ---------------------------------------------------------------------
-- 8. A case imported in a later status takes, in import mode, the rows it
--    had on its way there (the determination of a case imported
--    determined), until it moves; verify_ledger() judges it the same way.
-- ---------------------------------------------------------------------
SET LOCAL accountability.import = on;
INSERT INTO cases (case_id, kind, subject_id, unit_id, status, opened_on) VALUES
    (80, 'accountability', 1, 3, 'determined', '2024-07-01'), (81, 'report', 1, 3, 'received', '2024-07-01');
SELECT lives_ok($$INSERT INTO determinations (case_id, outcome, deciding_body) VALUES (80, 'not_tolerable', '县纪委')$$,
  'in import mode, a case imported determined takes its determination');
SELECT throws_ok($$INSERT INTO determinations (case_id, outcome, deciding_body) VALUES (81, 'not_tolerable', '县纪委')$$,
  '55000', 'cannot add to determinations of case 81 while it is received',
  '... one imported received does not: no determination comes before that status');
-- closed follows both a report found untrue (clarifications) and a
-- determination: a case imported closed took both, two paths at once
-- (attack round 14).  Only a status every path reaches through a status
-- that takes the rows opens them.
INSERT INTO cases (case_id, kind, subject_id, unit_id, status, opened_on, closing_reason) VALUES
    (82, 'report', 1, 3, 'closed', '2024-07-01', '旧系统办结');
SELECT throws_ok($$INSERT INTO determinations (case_id, outcome, deciding_body) VALUES (82, 'not_tolerable', '县纪委')$$,
  '55000', NULL, 'a case imported closed takes no determination: closed is also reached without one');
SELECT throws_ok($$INSERT INTO clarifications (case_id, methods, scope, approved_by) VALUES (82, '{written}', '澄清', '县纪委')$$,
  '55000', NULL, '... nor a clarification');
SET LOCAL accountability.import = off;
SELECT throws_ok($$INSERT INTO determinations (case_id, outcome, deciding_body) VALUES (80, 'not_tolerable', '县纪委')$$,
  '55000', NULL, 'outside import mode, the imported case takes no more while determined');
UPDATE determinations SET notified_on = accountability.record_today() WHERE case_id = 80;
SELECT lives_ok($$UPDATE cases SET status = 'notified' WHERE case_id = 80$$,
  'with its determination notified, it moves on like any case');
SET LOCAL accountability.import = on;
SELECT lives_ok($$INSERT INTO correction_plans (case_id, matter, measures, due_on) VALUES (80, '整改', '补齐', '2030-01-01')$$,
  'a move made, the case takes rows by its status again (plans while notified)');
SELECT throws_ok($$INSERT INTO clarifications (case_id, methods, scope, approved_by) VALUES (80, '{written}', '澄清', '县纪委')$$,
  '55000', NULL, '... and import mode no longer widens that');
SET LOCAL accountability.import = off;
SELECT is((SELECT string_agg(problem, '; ') FROM accountability.verify_ledger(accountability.ledger_digest())), NULL,
          'verify_ledger() accepts the determination imported with its case');
SELECT is(pg_temp.problems($$
    ALTER TABLE accountability.determinations DISABLE TRIGGER determinations_10_assess;
    ALTER TABLE accountability.determinations DISABLE TRIGGER determinations_20_number;
    INSERT INTO accountability.determinations (case_id, determination_no, outcome, deciding_body, facts,
                                               assessed_outcome, assessed_reasons, after_event_no, judged_on)
    SELECT 81, 1, 'not_tolerable', '县纪委', case_facts(81), (a).outcome, (a).reasons, 0, '2024-07-01' FROM (SELECT assess_case(81) a) x;
    ALTER TABLE accountability.determinations ENABLE TRIGGER determinations_10_assess;
    ALTER TABLE accountability.determinations ENABLE TRIGGER determinations_20_number$$, NULL), 1::bigint,
  'a determination added to a case imported received, with the trigger off, is reported (step 3i), though it carries the date its facts were judged on');
SELECT is(pg_temp.problems($$
    ALTER TABLE accountability.determinations DISABLE TRIGGER determinations_10_assess;
    ALTER TABLE accountability.determinations DISABLE TRIGGER determinations_20_number;
    INSERT INTO accountability.determinations (case_id, determination_no, outcome, deciding_body, facts, assessed_outcome, assessed_reasons, after_event_no, judged_on)
    SELECT 82, 1, 'not_tolerable', '县纪委', case_facts(82), (a).outcome, (a).reasons, 0, '2024-07-01' FROM (SELECT assess_case(82) a) x;
    ALTER TABLE accountability.determinations ENABLE TRIGGER determinations_10_assess;
    ALTER TABLE accountability.determinations ENABLE TRIGGER determinations_20_number$$, NULL), 1::bigint,
  'so is one added to a case imported closed: its path is unknown');

-- Attack round 17: one UPDATE of a free-text column with millions of
-- control characters made an entry that no COPY or pg_dump could export
-- (each one is six bytes of JSON); the ledger refuses a row image over 16 MB.
SELECT throws_ok(format($$UPDATE accountability.cases SET conclusion = repeat(E'\x01', 3000000) WHERE case_id = %s$$,
                        (SELECT min(case_id) FROM accountability.cases WHERE status OPERATOR(accountability.<>) 'closed')),
                 '54000', NULL, 'a row whose ledger image would pass 16 MB is refused');
-- A view altered or redefined, and a sequence given a cache, change the
-- guards' fingerprint (they were outside it: a view run as its owner opened
-- every county's cases to a county login, unseen by verify_ledger()).
SELECT accountability.ledger_guards() AS guards_before \gset
ALTER VIEW accountability.case_overview SET (security_invoker = false);
SELECT isnt(accountability.ledger_guards(), :'guards_before'::jsonb, 'a view''s options are in the guards'' fingerprint');
ALTER VIEW accountability.case_overview SET (security_invoker = true);
SELECT is(accountability.ledger_guards(), :'guards_before'::jsonb, 'and set back, the fingerprint is as it was');
ALTER SEQUENCE accountability.ledger_entry_no CACHE 50;
SELECT isnt(accountability.ledger_guards(), :'guards_before'::jsonb, 'a sequence''s cache is in the guards'' fingerprint');
ALTER SEQUENCE accountability.ledger_entry_no CACHE 1;

-- verify_ledger() is parallel unsafe: its exception blocks cannot run in
-- parallel mode, which a setting stored for the database could force.
SELECT set_config(CASE WHEN current_setting('server_version_num')::int >= 160000
                       THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END, 'on', true) IS NOT NULL AS forced \gset
SELECT lives_ok($$SELECT count(*) FROM accountability.verify_ledger()$$, 'verify_ledger() runs with parallel mode forced');

SELECT * FROM finish();
ROLLBACK;
