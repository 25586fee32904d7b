-- pgTAP: security (issue 7) — group roles and privileges, row-level security
-- by unit, the accuser's identity, hardened code, tamper-evident history.
--
-- Everything runs in one transaction that is rolled back, test roles
-- included (CREATE ROLE is transactional).  Each role is exercised with
-- SET ROLE: what it may do succeeds; what it may not fails with 42501 or
-- finds no rows.  psql's \gset carries ids between statements.
BEGIN;
-- (the overlaps of the distinct report figures are counted at commit, by a
-- deferred trigger: in this one transaction, at the end of each statement)
SET CONSTRAINTS ALL IMMEDIATE;
SET LOCAL search_path = public, accountability;
SELECT plan(182);

-- ---------------------------------------------------------------------
-- 1. The roles and what PUBLIC gets.
-- ---------------------------------------------------------------------
SELECT is((SELECT array_agg(rolname::text || CASE WHEN rolcanlogin THEN ' LOGIN' ELSE '' END ORDER BY rolname)
           FROM pg_roles WHERE rolname LIKE 'accountability\_%'),
          ARRAY['accountability_admin', 'accountability_clerk', 'accountability_reader', 'accountability_reviewer'],
          'the four group roles exist and cannot log in');
SELECT is((SELECT array_agg(m.rolname::text || ' > ' || g.rolname::text ORDER BY m.rolname)
           FROM pg_auth_members a JOIN pg_roles m ON m.oid = a.member JOIN pg_roles g ON g.oid = a.roleid
           WHERE g.rolname LIKE 'accountability\_%' AND m.rolname LIKE 'accountability\_%'),
          ARRAY['accountability_admin > accountability_reviewer', 'accountability_clerk > accountability_reader',
                'accountability_reviewer > accountability_clerk'],
          'each role includes the one below it: reader < clerk < reviewer < admin');

CREATE TEMP VIEW ext_functions AS
  SELECT p.oid, p.proname, p.prosecdef, p.proconfig, p.prorettype, l.lanname FROM pg_proc p
  JOIN pg_language l ON l.oid = p.prolang
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_accountability';
CREATE TEMP VIEW ext_relations AS
  SELECT c.oid, c.relname, c.relkind, c.relrowsecurity, c.reloptions FROM pg_class c
  JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_accountability';

SELECT is_empty($$
  SELECT oid::regprocedure FROM ext_functions
  WHERE has_function_privilege('public', oid, 'EXECUTE')
    AND NOT (proname ~ '^(case_status|tolerance_outcome)_' OR proname IN ('label', 'min', 'max'))$$,
  'PUBLIC executes no function beyond those of the two types');
SELECT is((SELECT count(*) FROM ext_functions
           WHERE has_function_privilege('public', oid, 'EXECUTE')
             AND (proname ~ '^(case_status|tolerance_outcome)_' OR proname IN ('label', 'min', 'max'))),
          42::bigint, 'PUBLIC executes the 42 functions using the two types needs (I/O, comparison, hashing, casts, labels, min/max)');
SELECT is_empty($$
  SELECT relname FROM ext_relations
  WHERE has_table_privilege('public', oid, 'SELECT,INSERT,UPDATE,DELETE,TRUNCATE,REFERENCES,TRIGGER')
     OR (relkind = 'S' AND has_sequence_privilege('public', oid, 'USAGE,SELECT,UPDATE'))$$,
  'PUBLIC holds no privilege on any table, view or sequence');
SELECT ok(has_schema_privilege('public', 'accountability', 'USAGE')
          AND NOT has_schema_privilege('public', 'accountability', 'CREATE'),
          'PUBLIC may name objects in the schema (to use the types), not create any');
SELECT ok(has_type_privilege('public', 'accountability.case_status', 'USAGE')
          AND has_type_privilege('public', 'accountability.tolerance_outcome', 'USAGE')
          AND NOT has_type_privilege('public', 'accountability.tolerance_assessment', 'USAGE'),
          'PUBLIC uses the two types and no other');
SELECT is_empty($$
  SELECT oid::regprocedure FROM ext_functions
  WHERE prorettype = 'trigger'::regtype AND has_function_privilege('accountability_admin', oid, 'EXECUTE')$$,
  'trigger functions are executable by no role');
SELECT is_empty($$
  SELECT oid::regprocedure FROM ext_functions
  WHERE prorettype <> 'trigger'::regtype AND NOT has_function_privilege('accountability_admin', oid, 'EXECUTE')$$,
  'every other function is granted to a group role (a new one needs its GRANT)');
SELECT is_empty($$
  SELECT relname FROM ext_relations
  WHERE relkind IN ('r', 'v', 'm') AND NOT has_any_column_privilege('accountability_reader', oid, 'SELECT')$$,
  'every table and view is readable by accountability_reader (a new view needs its GRANT)');
SELECT ok(has_parameter_privilege('accountability_admin', 'accountability.import', 'SET')
          AND NOT has_parameter_privilege('accountability_reviewer', 'accountability.import', 'SET'),
          'administrators, and only they, may SET accountability.import');

-- Row-level security on every table but the catalogues; views run as the caller.
SELECT set_eq($$SELECT relname::text FROM ext_relations WHERE relkind = 'r' AND NOT relrowsecurity$$,
              ARRAY['commendation_kinds', 'demotion_situations', 'settings', 'tolerance_list_items', 'units',
                    'unit_ancestors'],
              'every table has row-level security except the five catalogues and unit_ancestors, derived from units');
SELECT is_empty($$SELECT relname FROM ext_relations
                  WHERE relkind = 'v' AND NOT coalesce('security_invoker=true' = ANY (reloptions), false)$$,
                'every view is security_invoker');

-- Hardened functions.
SELECT is_empty($$SELECT oid::regprocedure FROM ext_functions
                  WHERE prosecdef AND (NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (proconfig), false)
                                       OR has_function_privilege('public', oid, 'EXECUTE'))$$,
                'every SECURITY DEFINER function pins search_path = pg_catalog, pg_temp and is not executable by PUBLIC');
SELECT is_empty($$SELECT oid::regprocedure FROM ext_functions
                  WHERE lanname NOT IN ('c', 'internal')
                    AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (proconfig), false)$$,
                'every SQL and PL/pgSQL function pins search_path = pg_catalog, pg_temp');
SELECT is((SELECT count(*) FROM ext_functions WHERE prosecdef), 0::bigint,
          'no function is SECURITY DEFINER: the scope functions must see the caller, not their owner');

-- ---------------------------------------------------------------------
-- 2. A province, a city, two counties, a township; roles mapped to them.
-- ---------------------------------------------------------------------
INSERT INTO units (code, name, level) VALUES ('33', '浙江省', 'province') RETURNING unit_id AS province \gset
INSERT INTO units (parent_id, code, name, level) VALUES (:province, '3301', '杭州市', 'city') RETURNING unit_id AS city \gset
INSERT INTO units (parent_id, code, name, level) VALUES (:city, '330110', '余杭区', 'county') RETURNING unit_id AS county_a \gset
INSERT INTO units (parent_id, code, name, level) VALUES (:city, '330106', '西湖区', 'county') RETURNING unit_id AS county_b \gset
INSERT INTO units (parent_id, code, name, level) VALUES (:county_a, '330110001', '临平街道', 'township') RETURNING unit_id AS township_a \gset

INSERT INTO subjects (kind, name, unit_id, post) VALUES ('person', '余杭干部', :county_a, '副区长') RETURNING subject_id AS cadre_a \gset
INSERT INTO subjects (kind, name, unit_id, post) VALUES ('person', '西湖干部', :county_b, '街道主任') RETURNING subject_id AS cadre_b \gset
INSERT INTO subjects (kind, name, unit_id, identity_type) VALUES ('person', '举报人', :county_a, 'other') RETURNING subject_id AS accuser \gset

CREATE ROLE regress_sec_reader IN ROLE accountability_reader;
CREATE ROLE regress_sec_clerk_a IN ROLE accountability_clerk;
CREATE ROLE regress_sec_clerk_b IN ROLE accountability_clerk;
CREATE ROLE regress_sec_reviewer IN ROLE accountability_reviewer;
CREATE ROLE regress_sec_admin IN ROLE accountability_admin;
CREATE ROLE regress_sec_nobody;
CREATE ROLE regress_sec_auditor BYPASSRLS IN ROLE accountability_reader;
INSERT INTO role_units (role_id, unit_id) VALUES
  ('regress_sec_reader', :city), ('regress_sec_clerk_a', :county_a), ('regress_sec_clerk_b', :county_b),
  ('regress_sec_reviewer', :county_a), ('regress_sec_admin', :province);

\set facts '{"situation": "reform_pilot", "consequence": "minor", "red_line_breach": false, "knowing_violation": false, "violated_explicit_ban": false, "private_gain": false, "fraud_or_obstruction": false, "repeated_error": false, "procedure_proper": true, "diligent": true, "corrected_promptly": true}'

-- ---------------------------------------------------------------------
-- 3. County A's clerk.
-- ---------------------------------------------------------------------
SET ROLE regress_sec_clerk_a;
SELECT is(visible_units(), ARRAY[:county_a, :township_a]::bigint[], 'clerk A: scope is county A and the township below it');
SELECT ok(NOT sees_all_units() AND NOT sees_accusers(), 'clerk A: neither the whole province nor accusers');
INSERT INTO cases (kind, subject_id, unit_id) VALUES ('report', :cadre_a, :county_a) RETURNING case_id AS report_a \gset
SELECT is((SELECT status FROM cases WHERE case_id = :report_a), 'received'::case_status, 'clerk A registers a report in county A');
SELECT lives_ok(format($$UPDATE cases SET status = 'investigating' WHERE case_id = %s$$, :report_a),
                'clerk A moves it');
SELECT lives_ok(format($$UPDATE cases SET status = 'unfounded', report_finding = 'suspected_false_accusation' WHERE case_id = %s$$, :report_a),
                'clerk A finds it untrue and suspects a false accusation');
SELECT throws_ok(format($$INSERT INTO cases (kind, subject_id, unit_id) VALUES ('report', %s, %s)$$, :cadre_b, :county_b),
                 '42501', NULL, 'clerk A cannot register a case in county B');
SELECT throws_ok(format($$INSERT INTO cases (kind, subject_id, unit_id, related_case_id) VALUES ('false_accusation', %s, %s, %s)$$,
                        :accuser, :county_a, :report_a),
                 '42501', NULL, 'clerk A cannot register a false-accusation case (reviewers do)');
SELECT lives_ok(format($$INSERT INTO subjects (kind, name, unit_id) VALUES ('person', '临平干部', %s)$$, :township_a),
                'clerk A records a subject in a township of county A');
SELECT throws_ok(format($$INSERT INTO subjects (kind, name, unit_id) VALUES ('person', '别处干部', %s)$$, :county_b),
                 '42501', NULL, 'clerk A cannot record a subject in county B');
SELECT throws_ok(format($$INSERT INTO subjects (kind, name, unit_id, identity_type) VALUES ('person', 'x', %s, 'other')$$, :county_a),
                 '42501', NULL, 'clerk A cannot write an identity type');
SELECT throws_ok('SELECT identity_type FROM subjects', '42501', NULL, 'clerk A cannot read identity types');
SELECT throws_ok('SELECT * FROM subjects', '42501', NULL, 'so SELECT * on subjects is refused ...');
SELECT set_eq('SELECT name FROM subject_directory', ARRAY['余杭干部', '临平干部', '举报人'],
              '... and subject_directory lists county A''s subjects: the accuser too, as a cadre of its unit (scope follows the unit; the identity type stays hidden)');
SELECT throws_ok(format($$INSERT INTO determinations (case_id, outcome, deciding_body) VALUES (%s, 'exempted', 'x')$$, :report_a),
                 '42501', NULL, 'clerk A cannot record a determination');
SELECT throws_ok(format('SELECT case_dossier(%s)', :report_a), '42501', NULL, 'clerk A cannot open a dossier');
SELECT throws_ok(format($$INSERT INTO case_events (case_id, event_no, event_kind, to_status, occurred_at, db_user, hash)
                          VALUES (%s, 9, 'transition', 'closed', now(), 'x', '\x00')$$, :report_a),
                 '42501', NULL, 'clerk A cannot write history');
SELECT throws_ok(format($$UPDATE case_events SET note = 'x' WHERE case_id = %s$$, :report_a),
                 '42501', NULL, 'clerk A cannot rewrite history');
SELECT throws_ok(format('DELETE FROM cases WHERE case_id = %s', :report_a), '42501', NULL, 'clerk A cannot delete a case');
SELECT throws_ok($$INSERT INTO units (code, name, level) VALUES ('x', 'x', 'township')$$, '42501', NULL,
                 'clerk A cannot add units');
SELECT throws_ok($$UPDATE settings SET value = 1 WHERE name = 'appeal'$$, '42501', NULL, 'clerk A cannot change settings');
SELECT throws_ok(format($$INSERT INTO role_units (role_id, unit_id) VALUES ('regress_sec_clerk_a', %s)$$, :county_b),
                 '42501', NULL, 'clerk A cannot widen its own scope');
SELECT throws_ok($$SET LOCAL accountability.import = on$$, '42501', NULL, 'clerk A cannot switch on import mode');
SELECT is((SELECT array_agg(role_id::text) FROM role_units), ARRAY['regress_sec_clerk_a'],
          'clerk A sees its own mapping only');
RESET ROLE;

-- ---------------------------------------------------------------------
-- 4. County B's clerk: neither sees nor touches county A's cases.
-- ---------------------------------------------------------------------
SET ROLE regress_sec_clerk_b;
INSERT INTO cases (kind, subject_id, unit_id, facts) VALUES ('accountability', :cadre_b, :county_b, :'facts')
RETURNING case_id AS case_b \gset
INSERT INTO cases (kind, subject_id, unit_id) VALUES ('report', :cadre_b, :county_b) RETURNING case_id AS report_b \gset
UPDATE cases SET status = 'investigating' WHERE case_id = :report_b;
UPDATE cases SET status = 'unfounded', report_finding = 'suspected_false_accusation' WHERE case_id = :report_b;
SELECT set_eq('SELECT case_id FROM cases', format('VALUES (%s::bigint), (%s::bigint)', :case_b, :report_b),
              'clerk B sees its own cases and nothing of county A');
SELECT is_empty(format('SELECT * FROM case_events WHERE case_id = %s', :report_a), 'clerk B sees none of county A''s history');
SELECT is_empty(format($$UPDATE cases SET status = 'closed', closing_reason = 'x' WHERE case_id = %s RETURNING case_id$$, :report_a),
                'clerk B''s UPDATE of county A''s case changes nothing');
SELECT throws_ok(format($$INSERT INTO clarifications (case_id, methods, scope, approved_by) VALUES (%s, '{written}', 'x', 'x')$$, :report_a),
                 '42501', NULL, 'clerk B cannot add a clarification to county A''s case (42501, not its status)');
SELECT throws_ok(format($$INSERT INTO follow_up_visits (case_id, plan, visitor, visited_on, method, concerns_resolved)
                          VALUES (%s, 'x', 'x', '2026-01-01', 'phone', true)$$, :report_a),
                 '42501', NULL, 'clerk B cannot add a visit to county A''s case');
SELECT throws_ok($$INSERT INTO correction_plans (case_id, matter, measures, due_on) VALUES (-1, 'x', 'x', '2026-01-01')$$,
                 '42501', NULL, 'a case that does not exist looks the same as another county''s');
SELECT throws_ok(format('UPDATE cases SET unit_id = %s WHERE case_id = %s', :county_a, :case_b),
                 '42501', NULL, 'clerk B cannot move its case into county A');
SELECT is_empty(format('SELECT * FROM subject_directory WHERE subject_id IN (%s, %s)', :cadre_a, :accuser),
                'clerk B sees no subject of county A');
SELECT is_empty('SELECT * FROM verify_history()', 'clerk B''s history check covers its own cases and finds them intact');
RESET ROLE;

SET ROLE regress_sec_clerk_a;
SELECT is_empty(format('SELECT * FROM cases WHERE case_id = %s', :case_b), 'clerk A does not see county B''s case either');
RESET ROLE;

-- ---------------------------------------------------------------------
-- 5. The reviewer of county A: false accusations, the accuser, determinations.
-- ---------------------------------------------------------------------
SET ROLE regress_sec_reviewer;
SELECT ok(sees_accusers(), 'a reviewer sees accusers');
INSERT INTO cases (kind, subject_id, unit_id, related_case_id) VALUES ('false_accusation', :accuser, :county_a, :report_a)
RETURNING case_id AS accusation \gset
SELECT is((SELECT identity_type FROM subjects WHERE subject_id = :accuser), 'other',
          'the reviewer registers the false-accusation case and reads the accuser''s identity');
SELECT lives_ok(format($$UPDATE cases SET status = 'investigating' WHERE case_id = %s$$, :accusation), 'the reviewer moves it');
SELECT lives_ok(format($$UPDATE cases SET status = 'liable' WHERE case_id = %s$$, :accusation), '... to liable');
SELECT lives_ok(format($$INSERT INTO determinations (case_id, outcome, deciding_body, deciding_unit_id)
                         VALUES (%s, 'not_tolerable', '市纪委常委会', %s)$$, :accusation, :city),
                'the reviewer records the finding, decided at city level');
SELECT ok((SELECT case_dossier(:accusation) -> 'subject' ->> 'identity_type') = 'other', 'the reviewer opens the dossier');
SELECT is_empty(format('SELECT * FROM cases WHERE case_id = %s', :case_b), 'the reviewer of county A does not see county B');
SELECT throws_ok(format($$INSERT INTO cases (kind, subject_id, unit_id, related_case_id) VALUES ('false_accusation', %s, %s, %s)$$,
                        :accuser, :county_a, :report_b),
                 '42501', NULL, 'a false-accusation case cannot point at a report the reviewer does not see (county B''s): refused by the policy, like one that does not exist');
SELECT throws_ok($$UPDATE units SET name = 'x'$$, '42501', NULL, 'a reviewer cannot change units');
RESET ROLE;

-- ---------------------------------------------------------------------
-- 6. The city's BI reader: reports, never who accused whom.
-- ---------------------------------------------------------------------
SET ROLE regress_sec_reader;
SELECT set_eq('SELECT case_id FROM cases', format('VALUES (%s::bigint), (%s::bigint), (%s::bigint)', :report_a, :case_b, :report_b),
              'the city reader sees both counties'' cases, not the false-accusation case');
SELECT is_empty($$SELECT * FROM cases WHERE kind = 'false_accusation'$$, 'no false-accusation case is visible to a reader');
SELECT is_empty($$SELECT s.name FROM cases c JOIN subject_directory s USING (subject_id) WHERE c.kind = 'false_accusation'$$,
                'a reader cannot join a false-accusation case to its subject');
SELECT is((SELECT count(*) FROM subject_directory WHERE subject_id = :accuser), 1::bigint,
          'the accuser is a cadre of its unit like any other (issue 16: never row hiding that changes counts)');
SELECT is_empty(format('SELECT * FROM case_events WHERE case_id = %s', :accusation), 'nor the accusation''s history');
SELECT is_empty(format('SELECT * FROM determinations WHERE case_id = %s', :accusation), 'nor its determination');
SELECT is_empty(format('SELECT * FROM cases WHERE related_case_id = %s', :report_a), 'nor anything linked to the report');
SELECT is((SELECT count(*) FROM subject_standing WHERE subject_id = :accuser), 1::bigint,
          'the accuser''s standing is that of any cadre of the unit');
SELECT is((SELECT count(*) FROM subject_figures WHERE subject_id = :accuser), 0::bigint,
          'and the accuser has no row of kept figures, like any cadre with nothing recorded (the false accusation never counts there)');
SELECT throws_ok('SELECT identity_type FROM subjects', '42501', NULL, 'a reader cannot read identity types');
SELECT is((SELECT count(*) FROM subject_standing), 4::bigint, 'a reader reads the standing of the cadres it sees');
SELECT lives_ok('SELECT * FROM early_warning_candidates', 'a reader reads the early-warning view');
SELECT ok((SELECT outcome FROM assess_case(:case_b)) = 'exempted', 'a reader assesses a case it sees');
SELECT is_empty('SELECT * FROM verify_history()', 'a reader checks the history it sees');
SELECT throws_ok(format($$INSERT INTO cases (kind, subject_id, unit_id) VALUES ('report', %s, %s)$$, :cadre_a, :county_a),
                 '42501', NULL, 'a reader cannot register a case');
SELECT throws_ok(format($$UPDATE cases SET conclusion = 'x' WHERE case_id = %s$$, :report_a),
                 '42501', NULL, 'a reader cannot change a case');
-- The rows a scan fetched before the policies hid them are counted by
-- EXPLAIN ANALYZE and by the statistics: neither is the reader's.
SELECT throws_ok(format($$EXPLAIN (ANALYZE, COSTS OFF) SELECT 1 FROM cases WHERE kind = 'false_accusation' AND subject_id = %s$$, :accuser),
                 '42501', 'EXPLAIN ANALYZE of the accountability record is not allowed under row-level security',
                 'EXPLAIN ANALYZE, whose filter counts would show the hidden accusation, is refused');
SELECT throws_ok($$EXPLAIN (ANALYZE true) SELECT * FROM case_overview$$, '42501', NULL, 'through a view too');
PREPARE probe AS SELECT 1 FROM determinations WHERE case_id = $1;
SELECT throws_ok(format('EXPLAIN ANALYZE EXECUTE probe(%s)', :accusation), '42501', NULL, 'and through a prepared statement');
DEALLOCATE probe;
SELECT throws_ok($$EXPLAIN ANALYZE CREATE TEMP TABLE probe AS SELECT case_id FROM cases$$, '42501', NULL,
                 'and through CREATE TABLE AS');
SELECT throws_ok(format($$EXPLAIN (ANALYZE) DECLARE probe CURSOR FOR SELECT 1 FROM cases WHERE subject_id = %s$$, :accuser),
                 '42501', NULL, 'and through DECLARE CURSOR');
SELECT throws_ok($$EXPLAIN ANALYZE SELECT 1 FROM cases WHERE case_id = -1$$, '42501', NULL,
                 'and when no row at all is found: the refusal never depends on the rows');
CREATE FUNCTION pg_temp.inlined() RETURNS SETOF bigint LANGUAGE sql STABLE AS 'SELECT case_id FROM accountability.cases';
SELECT throws_ok($$EXPLAIN ANALYZE SELECT * FROM pg_temp.inlined()$$, '42501', NULL,
                 'and through a SQL function the planner inlines');
-- A function the planner cannot inline reads the record in statements of
-- its own, whose buffers the analysed statement counts: equal to a hidden
-- row's subject or not, a different count.
CREATE FUNCTION pg_temp.not_inlined(probe bigint) RETURNS bigint LANGUAGE plpgsql STABLE
AS $$ BEGIN RETURN (SELECT count(*) FROM accountability.cases WHERE subject_id = probe); END $$;
-- (BUFFERS OFF: EXPLAIN with BUFFERS is refused before it runs, below; these
-- exercise the refusal of what an analysed statement runs inside it)
SELECT throws_ok(format($$EXPLAIN (ANALYZE, BUFFERS OFF) SELECT pg_temp.not_inlined(%s)$$, :accuser), '42501',
                 'EXPLAIN ANALYZE of the accountability record is not allowed under row-level security',
                 'and through a PL/pgSQL function, whose buffers the statement counts');
SELECT throws_ok(format($$EXPLAIN (ANALYZE, BUFFERS OFF, TIMING OFF) SELECT accountability.case_is_protected(%s)$$, :accusation), '42501',
                 'EXPLAIN ANALYZE of the accountability record is not allowed under row-level security',
                 'and through one of the extension''s own functions, which reads as its owner');
SELECT lives_ok(format('SELECT pg_temp.not_inlined(%s)', :accuser), '(the same function, not analysed, runs)');
SELECT lives_ok(format($$EXPLAIN SELECT 1 FROM cases WHERE case_id = %s$$, :accusation), 'EXPLAIN without ANALYZE (estimates only) is allowed');
SELECT lives_ok($$EXPLAIN (ANALYZE, BUFFERS OFF) SELECT count(*) FROM pg_class$$, 'and EXPLAIN ANALYZE of what is not the record');
-- Planning runs statements too: the planner evaluates an IMMUTABLE function
-- with constant arguments itself, and EXPLAIN (BUFFERS) shows what planning
-- read (attack round 14 read another county's names so, one character at a
-- time).  EXPLAIN with BUFFERS is refused to a role under the policies.
CREATE FUNCTION pg_temp.folded(probe bigint) RETURNS bigint LANGUAGE plpgsql IMMUTABLE
AS $$ BEGIN RETURN (SELECT count(*) FROM accountability.cases WHERE case_id = probe); END $$;
SELECT throws_ok(format($$EXPLAIN (BUFFERS, COSTS OFF) SELECT pg_temp.folded(%s)$$, :accusation), '42501',
                 'EXPLAIN with BUFFERS is not allowed under the accountability record''s row-level security',
                 'EXPLAIN (BUFFERS) of a function the planner evaluates, reading the record while planning, is refused');
SELECT throws_ok($$EXPLAIN (BUFFERS) SELECT count(*) FROM pg_class$$, '42501', NULL,
                 'so is EXPLAIN (BUFFERS) of anything: what planning ran is not in the plan');
SELECT lives_ok(format($$EXPLAIN (COSTS OFF) SELECT pg_temp.folded(%s)$$, :accusation),
                'the same EXPLAIN without BUFFERS shows the plan');
SELECT throws_ok($$SELECT idx_tup_fetch FROM pg_stat_xact_user_tables WHERE relname = 'cases'$$, '42501', NULL,
                 'the per-transaction scan counters are not the reader''s');
SELECT throws_ok($$SELECT heap_blks_hit FROM pg_statio_user_tables WHERE relname = 'cases'$$, '42501', NULL,
                 'nor the block counters');
SELECT lives_ok($$SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'cases'$$ || ' LIMIT 0', '(the statistics views themselves stay: only the scan counts are withheld)');
RESET ROLE;
SELECT lives_ok(format($$EXPLAIN (ANALYZE, COSTS OFF) SELECT 1 FROM cases WHERE case_id = %s$$, :accusation),
                'a superuser, who sees the whole record, may EXPLAIN ANALYZE it');
SELECT lives_ok(format($$EXPLAIN (BUFFERS, COSTS OFF) SELECT pg_temp.folded(%s)$$, :accusation),
                'and EXPLAIN (BUFFERS) anything');
SELECT is((SELECT count(*) FROM pg_proc p WHERE p.proname LIKE 'pg_stat_get%' AND has_function_privilege('public', p.oid, 'EXECUTE')
             AND p.proname ~ '(numscans|lastscan|tuples_returned|tuples_fetched|blocks_fetched|blocks_hit|_io)$'), 0::bigint,
          'no scan counter of the statistics is executable by PUBLIC');
SELECT ok((SELECT bool_and(has_function_privilege('pg_read_all_stats', p.oid, 'EXECUTE')) FROM pg_proc p
           WHERE p.proname ~ '^pg_stat_get(_xact)?_(numscans|tuples_fetched)$'), 'pg_read_all_stats, the monitoring role, keeps them');

-- A BYPASSRLS role sees everything (pg_dump runs as one, or as a superuser);
-- its column privileges still apply.
SET ROLE regress_sec_auditor;
SELECT is((SELECT count(*) FROM cases), 4::bigint, 'a BYPASSRLS role sees every case');
SELECT throws_ok('SELECT identity_type FROM subjects', '42501', NULL, 'and still not the identity types a reader lacks');
RESET ROLE;

-- A role in no group: no table, no function, but the two types.
SET ROLE regress_sec_nobody;
SELECT throws_ok('SELECT * FROM accountability.cases', '42501', NULL, 'a role without a group role reads no case');
SELECT throws_ok('SELECT accountability.visible_units()', '42501', NULL, 'nor calls the extension''s functions');
SELECT throws_ok($$SELECT accountability.assess_tolerance('{}')$$, '42501', NULL, 'not even the decision procedure');
SELECT is((SELECT max(s)::text FROM unnest('{received,closed,filed}'::accountability.case_status[]) s)
          || '/' || accountability.label('exempted'::accountability.tolerance_outcome, 'zh')
          || '/' || ('filed'::accountability.case_status > 'received')::text,
          'closed/免予问责/true', 'but uses the two types: input, output, comparison, max, labels');
RESET ROLE;

-- ---------------------------------------------------------------------
-- 7. The administrator: catalogues, the mapping, import.
-- ---------------------------------------------------------------------
SET ROLE regress_sec_admin;
SELECT ok(sees_all_units(), 'an administrator mapped to the province sees all units');
SELECT is((SELECT count(*) FROM cases), 4::bigint, 'and every case, the false-accusation one included');
SELECT lives_ok(format($$INSERT INTO units (parent_id, code, name, level) VALUES (%s, '330106002', '北山街道', 'township')$$, :county_b),
                'an administrator adds a unit');
SELECT lives_ok(format($$INSERT INTO tolerance_list_items (unit_id, code, polarity, text_zh, valid_from)
                         VALUES (%s, 'HZ-01', 'positive', '试点', '2024-01-01')$$, :city),
                'an administrator adds a tolerance list item');
SELECT lives_ok($$UPDATE settings SET value = 20 WHERE name = 'appeal'$$, 'an administrator changes a setting');
SELECT lives_ok(format($$INSERT INTO role_units (role_id, unit_id) VALUES ('regress_sec_nobody', %s)$$, :county_b),
                'an administrator maps a role to a unit');
SELECT is((SELECT count(*) FROM role_units WHERE role_id::text LIKE 'regress_sec_%'), 6::bigint,
          'an administrator sees the whole mapping');
SELECT lives_ok($$SET LOCAL accountability.import = on$$, 'an administrator switches on import mode');
SELECT lives_ok(format($$INSERT INTO cases (kind, subject_id, unit_id, status, opened_on) VALUES ('report', %s, %s, 'filed', '2020-01-01')$$,
                       :cadre_b, :county_b),
                'and imports a historical case in any status');
SELECT lives_ok($$SET LOCAL accountability.import = off$$, 'and switches it off');
RESET ROLE;
DELETE FROM role_units WHERE role_id = 'regress_sec_nobody'::regrole;

-- ---------------------------------------------------------------------
-- 8. The workflow under row-level security: county A's clerk and reviewer
--    take a case from registration to closed; the triggers see what they must.
-- ---------------------------------------------------------------------
SET ROLE regress_sec_clerk_a;
INSERT INTO cases (kind, subject_id, unit_id, event_on, opened_on, facts) VALUES ('accountability', :cadre_a, :county_a, '2026-03-01', '2026-04-01', :'facts')
RETURNING case_id AS work \gset
UPDATE cases SET status = 'investigating' WHERE case_id = :work;
UPDATE cases SET status = 'liable' WHERE case_id = :work;
RESET ROLE;
SET ROLE regress_sec_reviewer;
SELECT lives_ok(format($$INSERT INTO determinations (case_id, outcome, deciding_body, decided_on) VALUES (%s, 'exempted', '区纪委常委会', '2026-05-10')$$, :work),
                'workflow: the reviewer records the determination');
RESET ROLE;
SET ROLE regress_sec_clerk_a;
SELECT lives_ok(format($$UPDATE cases SET status = 'determined' WHERE case_id = %s$$, :work), 'workflow: determined');
SELECT lives_ok(format($$UPDATE determinations SET notified_on = '2026-05-12' WHERE case_id = %s$$, :work),
                'workflow: the clerk records the notification date');
SELECT throws_ok(format($$UPDATE determinations SET outcome = 'not_accountable' WHERE case_id = %s$$, :work),
                 '42501', NULL, 'workflow: but not the outcome');
SELECT lives_ok(format($$UPDATE cases SET status = 'notified' WHERE case_id = %s$$, :work), 'workflow: notified');
SELECT lives_ok(format($$INSERT INTO correction_plans (case_id, matter, measures, due_on) VALUES (%s, '流程', '修订制度', '2026-07-01')$$, :work),
                'workflow: a correction plan');
SELECT lives_ok(format($$UPDATE cases SET status = 'correcting' WHERE case_id = %s$$, :work), 'workflow: correcting');
SELECT lives_ok(format($$UPDATE correction_plans SET completed_on = '2026-06-20', verified_by = '组织部' WHERE case_id = %s$$, :work),
                'workflow: the plan completed');
SELECT lives_ok(format($$UPDATE cases SET status = 'filed' WHERE case_id = %s$$, :work), 'workflow: filed');
SELECT lives_ok(format($$UPDATE cases SET status = 'follow_up' WHERE case_id = %s$$, :work), 'workflow: follow_up');
SELECT lives_ok(format($$INSERT INTO follow_up_visits (case_id, plan, visitor, visited_on, method, concerns_resolved)
                         VALUES (%s, '一人一策', '区纪委', '2026-08-01', 'face_to_face', true)$$, :work),
                'workflow: a resolved visit');
SELECT lives_ok(format($$UPDATE cases SET status = 'closed' WHERE case_id = %s$$, :work), 'workflow: closed');
SELECT results_eq(format('SELECT event_no, to_status, replace(db_user, %L, '''') FROM case_events WHERE case_id = %s ORDER BY event_no',
                          format(' (login %s)', session_user), :work),
  $$VALUES (1, 'investigating'::case_status, 'regress_sec_clerk_a'), (2, 'liable', 'regress_sec_clerk_a'),
           (3, 'determined', 'regress_sec_clerk_a'), (4, 'notified', 'regress_sec_clerk_a'),
           (5, 'correcting', 'regress_sec_clerk_a'), (6, 'filed', 'regress_sec_clerk_a'),
           (7, 'follow_up', 'regress_sec_clerk_a'), (8, 'closed', 'regress_sec_clerk_a')$$,
  'workflow: eight events, written by the trigger as the owner, recording the clerk');
-- (attack round 17: the history named the group role a login had SET ROLE
-- to, never the login)
SELECT is((SELECT count(*)::integer FROM case_events WHERE case_id = :work AND event_no > 0
           AND db_user = format('regress_sec_clerk_a (login %s)', session_user)), 8,
  'workflow: each event names the login too, which SET ROLE to the clerk''s role');
-- (attack round 18) A role named like that form is quoted, so it cannot pass
-- for a login acting as a group; a superuser acting as another role through
-- SET SESSION AUTHORIZATION is named as the login it authenticated as.
SELECT current_user AS sec_role_now, session_user AS sec_login \gset
RESET ROLE;
CREATE ROLE "regress_sec_g (login regress_sec_m)" NOLOGIN IN ROLE accountability_clerk;
SET LOCAL ROLE "regress_sec_g (login regress_sec_m)";
SELECT is(accountability.current_recorder(), format('"regress_sec_g (login regress_sec_m)" (login %s)', :'sec_login'),
  'recorder: a role named like a role with its login is quoted');
RESET ROLE;
SET SESSION AUTHORIZATION regress_sec_clerk_a;
SELECT is(accountability.current_recorder(), format('regress_sec_clerk_a (login %s)', :'sec_login'),
  'recorder: SET SESSION AUTHORIZATION names the login that authenticated');
RESET SESSION AUTHORIZATION;
SET LOCAL ROLE :"sec_role_now";
SELECT is_empty(format('SELECT * FROM verify_history(%s)', :work), 'workflow: the history verifies');
SELECT throws_ok(format($$UPDATE cases SET conclusion = 'x' WHERE case_id = %s$$, :work), '55000', NULL,
                 'workflow: the closed-case guard still holds');
RESET ROLE;
SET ROLE regress_sec_clerk_b;
SELECT is_empty(format($$UPDATE determinations SET notified_on = '2026-01-01' WHERE case_id = %s RETURNING 1$$, :work),
                'clerk B cannot touch county A''s determination');
RESET ROLE;

-- ---------------------------------------------------------------------
-- 9. The status index is used under row-level security (LEAKPROOF comparisons).
-- ---------------------------------------------------------------------
SET LOCAL accountability.import = on;
INSERT INTO cases (kind, subject_id, unit_id, status, opened_on)
SELECT 'report', :cadre_a, :county_a, CASE WHEN g % 500 = 0 THEN 'appealed' ELSE 'filed' END::case_status, '2020-01-01'
FROM generate_series(1, 3000) g;
SET LOCAL accountability.import = off;
ANALYZE accountability.cases;
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; result text := '';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP result := result || line || E'\n'; END LOOP;
  RETURN result;
END $$;
SET ROLE regress_sec_clerk_a;
SET LOCAL enable_seqscan = off;
SET LOCAL enable_bitmapscan = off;
SELECT pg_temp.plan_of($$SELECT case_id FROM cases WHERE status = 'appealed'$$) AS status_plan \gset
SELECT matches(:'status_plan'::text, 'Index Scan using cases_status_idx', 'under RLS, a status query scans cases_status_idx ...');
SELECT matches(:'status_plan'::text, 'Index Cond: \(status = ', '... with the status comparison as the index condition');
SELECT matches(:'status_plan'::text, 'Filter: .*visible_units|InitPlan', '... and the policy applied as a filter');
RESET enable_seqscan;
RESET enable_bitmapscan;
SELECT is((SELECT count(*) FROM cases WHERE status = 'appealed'), 6::bigint, 'and finds county A''s six appealed cases');
RESET ROLE;
SET ROLE regress_sec_clerk_b;
SELECT is((SELECT count(*) FROM cases WHERE status = 'appealed'), 0::bigint, 'which county B''s clerk does not see');
RESET ROLE;

-- ---------------------------------------------------------------------
-- 10. Hostile objects: a public function and operators shadowing the ones
--     the extension calls, temporary tables named like its tables.  None
--     is used: results stay right and the hostile functions log nothing.
-- ---------------------------------------------------------------------
CREATE TABLE public.hostile_log (what text);
GRANT INSERT, SELECT, DELETE ON public.hostile_log TO PUBLIC;
CREATE FUNCTION public.event_hash(bytea, bigint, integer, text, accountability.case_status, accountability.case_status,
                                  timestamptz, text, text, text)
RETURNS bytea LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.hostile_log VALUES ('event_hash'); RETURN '\x00'::bytea; END $$;
CREATE FUNCTION public.pg_has_role(oid, text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.hostile_log VALUES ('pg_has_role(oid)'); RETURN true; END $$;
CREATE FUNCTION public.pg_has_role(name, text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.hostile_log VALUES ('pg_has_role(name)'); RETURN true; END $$;
CREATE FUNCTION public.visible_units() RETURNS bigint[] LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.hostile_log VALUES ('visible_units'); RETURN (SELECT array_agg(unit_id) FROM accountability.units); END $$;
CREATE FUNCTION public.hostile_int8eq(bigint, bigint) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.hostile_log VALUES ('bigint ='); RETURN true; END $$;
CREATE FUNCTION public.hostile_texteq(text, text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.hostile_log VALUES ('text ='); RETURN true; END $$;
CREATE FUNCTION public.hostile_statuseq(accountability.case_status, accountability.case_status) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.hostile_log VALUES ('case_status ='); RETURN true; END $$;
CREATE FUNCTION public.to_jsonb(anyelement) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.hostile_log VALUES ('to_jsonb'); RETURN '{}'::jsonb; END $$;
CREATE FUNCTION public.encode(bytea, text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.hostile_log VALUES ('encode'); RETURN 'forged'; END $$;
CREATE OPERATOR public.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = public.hostile_int8eq);
CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, FUNCTION = public.hostile_texteq);
CREATE OPERATOR public.= (LEFTARG = accountability.case_status, RIGHTARG = accountability.case_status,
                          FUNCTION = public.hostile_statuseq);
CREATE OPERATOR public.<> (LEFTARG = text, RIGHTARG = text, FUNCTION = public.hostile_texteq);

SET ROLE regress_sec_clerk_a;
-- Temporary tables named like the extension's, with rows that would widen the scope or corrupt results.
CREATE TEMP TABLE role_units (role_id regrole, unit_id bigint);
INSERT INTO pg_temp.role_units SELECT 'regress_sec_clerk_a', unit_id FROM accountability.units;
CREATE TEMP TABLE units (unit_id bigint, parent_id bigint);
CREATE TEMP TABLE cases (case_id bigint, status accountability.case_status, unit_id bigint, kind text);
CREATE TEMP TABLE case_events (case_id bigint, event_no int, event_kind text, from_status accountability.case_status,
    to_status accountability.case_status, occurred_at timestamptz, db_user text, actor text, note text, hash bytea);
CREATE TEMP TABLE correction_plans (case_id bigint, plan_no int);
SET LOCAL search_path = pg_temp, public, pg_catalog, accountability;
-- The trap is live: an unqualified comparison under this path is captured.
SELECT (1::bigint = 1::bigint) AS trap \gset
SELECT count(*) AS trap_hits FROM public.hostile_log \gset
DELETE FROM public.hostile_log;
-- Everything below qualifies its own operators, so what is logged comes from the extension.
INSERT INTO accountability.cases (kind, subject_id, unit_id, event_on, facts)
VALUES ('accountability', :cadre_a, :county_a, '2026-03-01', :'facts')
RETURNING case_id AS hostile_case \gset
UPDATE accountability.cases SET status = 'investigating' WHERE case_id OPERATOR(pg_catalog.=) :hostile_case;
UPDATE accountability.cases SET status = 'liable' WHERE case_id OPERATOR(pg_catalog.=) :hostile_case;
SELECT accountability.visible_units() AS hostile_scope \gset
SELECT count(*) AS hostile_visible FROM accountability.cases \gset
SELECT count(*) AS hostile_events FROM accountability.case_events WHERE case_id OPERATOR(pg_catalog.=) :hostile_case \gset
SELECT count(*) AS hostile_problems FROM accountability.verify_history() \gset
SELECT (accountability.assess_case(:hostile_case)).outcome::text AS hostile_outcome \gset
SELECT count(*) AS hostile_temp_events FROM pg_temp.case_events \gset
RESET ROLE;
SET ROLE regress_sec_reviewer;
INSERT INTO accountability.determinations (case_id, outcome, deciding_body) VALUES (:hostile_case, 'exempted', '区纪委')
RETURNING assessed_outcome::text AS hostile_assessed \gset
SELECT d -> 'case' ->> 'status' AS hostile_dossier_status, d -> 'events' -> 0 ->> 'hash' AS hostile_dossier_hash
FROM accountability.case_dossier(:hostile_case) d \gset
RESET ROLE;
-- A superuser's import writes event 0 with event_hash from SQL.
SET LOCAL accountability.import = on;
INSERT INTO accountability.cases (kind, subject_id, unit_id, status, opened_on) VALUES ('report', :cadre_a, :county_a, 'filed', '2020-01-01')
RETURNING case_id AS hostile_import \gset
SET LOCAL accountability.import = off;
SELECT count(*) AS hostile_import_problems FROM accountability.verify_history(:hostile_import) \gset
SELECT count(*) AS hostile_log_rows FROM public.hostile_log \gset
DROP TABLE pg_temp.role_units, pg_temp.units, pg_temp.cases, pg_temp.case_events, pg_temp.correction_plans;
SET LOCAL search_path = public, accountability;
DROP OPERATOR public.= (bigint, bigint), public.= (text, text), public.<> (text, text),
              public.= (accountability.case_status, accountability.case_status);
DROP FUNCTION public.event_hash(bytea, bigint, integer, text, accountability.case_status, accountability.case_status,
                                timestamptz, text, text, text),
              public.pg_has_role(oid, text), public.pg_has_role(name, text), public.visible_units(),
              public.to_jsonb(anyelement), public.encode(bytea, text), public.hostile_int8eq(bigint, bigint),
              public.hostile_texteq(text, text), public.hostile_statuseq(accountability.case_status, accountability.case_status);
DROP TABLE public.hostile_log;

SELECT ok(:'trap'::boolean AND :trap_hits = 1, 'hostile: the shadowing operator captures an unqualified query under that search_path');
SELECT is(:hostile_log_rows, 0, 'hostile: no extension function, trigger or policy called a hostile function or operator');
SELECT is(:'hostile_scope'::text, format('{%s,%s}', :county_a, :township_a), 'hostile: the scope ignores a temporary role_units and a public pg_has_role');
SELECT is(:hostile_visible, (SELECT count(*)::int FROM cases WHERE unit_id IN (:county_a, :township_a) AND kind <> 'false_accusation'
                               AND case_id <> :hostile_import),
          'hostile: the clerk sees exactly its county''s cases');
SELECT is(:hostile_events, 2, 'hostile: the history went to accountability.case_events ...');
SELECT is(:hostile_temp_events, 0, '... and nothing to the temporary case_events');
SELECT is(:hostile_problems, 0, 'hostile: verify_history finds the history intact (the real event_hash)');
SELECT is(:'hostile_outcome'::text, 'exempted', 'hostile: assess_case gives the right outcome');
SELECT is(:'hostile_assessed'::text, 'exempted', 'hostile: the determination trigger stores the right assessment');
SELECT ok(:'hostile_dossier_status' = 'liable' AND :'hostile_dossier_hash' ~ '^[0-9a-f]{64}$',
          'hostile: the dossier reads the real case with the real to_jsonb and encode');
SELECT is(:hostile_import_problems, 0, 'hostile: an imported case''s event 0 is hashed by the real event_hash');

-- ---------------------------------------------------------------------
-- 11. Tampering by a superuser who disables the guard: verify_history sees it.
--     Each attempt runs in a savepoint; its findings leave through \gset.
-- ---------------------------------------------------------------------
SELECT is_empty(format('SELECT * FROM verify_history(%s)', :work), 'tampering: the case starts intact (8 events)');

SAVEPOINT tamper;
ALTER TABLE case_events DISABLE TRIGGER case_events_no_update;
UPDATE case_events SET note = '伪造' WHERE case_id = :work AND event_no = 3;
SELECT string_agg(coalesce(event_no::text, 'case') || ': ' || problem, '; ' ORDER BY event_no) AS edited
FROM verify_history(:work) \gset
ROLLBACK TO SAVEPOINT tamper;
SELECT is(:'edited'::text, '3: event hash does not match its content and chain', 'tampering: an edited event is caught');

SAVEPOINT tamper;
ALTER TABLE case_events DISABLE TRIGGER case_events_no_update;
DELETE FROM case_events WHERE case_id = :work AND event_no = 4;
SELECT string_agg(coalesce(event_no::text, 'case') || ': ' || problem, '; ' ORDER BY event_no) AS deleted
FROM verify_history(:work) \gset
ROLLBACK TO SAVEPOINT tamper;
SELECT is(:'deleted'::text, '5: event numbers are not dense', 'tampering: a deleted event is caught');

-- An event inserted out of order: the forger renumbers the later events to
-- make room, forges event 4 with a hash properly chained to event 3, and
-- fixes the case's event count.  The forged event itself checks out; the
-- chain breaks at the event after it.
SAVEPOINT tamper;
ALTER TABLE case_events DISABLE TRIGGER case_events_no_update;
ALTER TABLE cases DISABLE TRIGGER USER;
CREATE TEMP TABLE moved AS SELECT * FROM case_events WHERE case_id = :work AND event_no >= 4;
DELETE FROM case_events WHERE case_id = :work AND event_no >= 4;
INSERT INTO case_events SELECT case_id, event_no + 1, event_kind, from_status, to_status, occurred_at, db_user, actor, note, hash FROM moved;
INSERT INTO case_events (case_id, event_no, event_kind, from_status, to_status, occurred_at, db_user, actor, note, hash)
SELECT e.case_id, 4, 'transition', e.to_status, e.to_status, e.occurred_at, 'regress_sec_clerk_a', NULL, '补记',
       event_hash(e.hash, e.case_id, 4, 'transition', e.to_status, e.to_status, e.occurred_at, 'regress_sec_clerk_a', NULL, '补记')
FROM case_events e WHERE e.case_id = :work AND e.event_no = 3;
UPDATE cases SET event_count = 9 WHERE case_id = :work;
SELECT string_agg(coalesce(event_no::text, 'case') || ': ' || problem, '; ' ORDER BY event_no) AS inserted
FROM verify_history(:work) \gset
ROLLBACK TO SAVEPOINT tamper;
SELECT is(:'inserted'::text,
          '5: event hash does not match its content and chain; 6: event hash does not match its content and chain; '
          '7: event hash does not match its content and chain; 8: event hash does not match its content and chain; '
          '9: event hash does not match its content and chain',
          'tampering: an event inserted out of order is caught where the chain breaks');

-- An event appended at the end, properly chained, without the case row.
SAVEPOINT tamper;
INSERT INTO case_events (case_id, event_no, event_kind, from_status, to_status, occurred_at, db_user, hash)
SELECT e.case_id, 9, 'transition', 'closed', 'closed', now(), 'postgres',
       event_hash(e.hash, e.case_id, 9, 'transition', 'closed', 'closed', now(), 'postgres', NULL, NULL)
FROM case_events e WHERE e.case_id = :work AND e.event_no = 8;
SELECT string_agg(coalesce(event_no::text, 'case') || ': ' || problem, '; ' ORDER BY event_no) AS appended
FROM verify_history(:work) \gset
ROLLBACK TO SAVEPOINT tamper;
SELECT is(:'appended'::text, 'case: case counts 8 events, history holds 9', 'tampering: an event appended behind the case''s back is caught');

SELECT is_empty(format('SELECT * FROM verify_history(%s)', :work), 'tampering: rolled back, the case is intact again');

-- A false accusation handled by the city about a cadre of county A (attack
-- round 12): the county's reviewer, who promotes the cadre, was refused a
-- promotion for a sanction its every view denied, which could only be a
-- false accusation's.  It now sees the sanction, never the case.
INSERT INTO subjects (kind, name, unit_id, identity_type) VALUES ('person', '余杭举报人', :county_a, 'public_servant')
RETURNING subject_id AS accuser_a \gset
INSERT INTO cases (kind, subject_id, unit_id) VALUES ('report', :cadre_b, :county_b) RETURNING case_id AS report_c \gset
UPDATE cases SET status = 'investigating' WHERE case_id = :report_c;
UPDATE cases SET status = 'unfounded', report_finding = 'suspected_false_accusation' WHERE case_id = :report_c;
INSERT INTO cases (kind, subject_id, unit_id, related_case_id) VALUES ('false_accusation', :accuser_a, :city, :report_c)
RETURNING case_id AS accusation_c \gset
UPDATE cases SET status = 'investigating' WHERE case_id = :accusation_c;
UPDATE cases SET status = 'liable' WHERE case_id = :accusation_c;
SET ROLE regress_sec_reviewer;
SELECT is_empty('SELECT * FROM accusations_beyond_scope()',
                'a false accusation not yet decided tells county A''s reviewer nothing: only a sanction is shown');
RESET ROLE;
INSERT INTO determinations (case_id, outcome, deciding_body, deciding_unit_id, influence_until)
VALUES (:accusation_c, (assess_case(:accusation_c)).outcome, '杭州市纪委', :city, record_today() + 400);
SELECT is_empty('SELECT * FROM accusations_beyond_scope()', 'a superuser sees every case, so nothing lies beyond its scope');
SET ROLE regress_sec_reviewer;
SELECT is_empty(format('SELECT * FROM cases WHERE subject_id = %s', :accuser_a), 'county A''s reviewer does not see the city''s false-accusation case');
SELECT results_eq(format('SELECT sanctions_in_effect, may_be_promoted FROM subject_standing WHERE subject_id = %s', :accuser_a),
                  'VALUES (1::bigint, false)', '... but sees its cadre''s sanction in the standing, as a superuser does');
SELECT results_eq(format('SELECT measure, reference, until FROM measures_in_effect(%s)', :accuser_a),
                  format('VALUES (''sanction''::text, NULL::bigint, record_today() + 400)'),
                  '... and in measures_in_effect, without the case''s id');
SELECT throws_ok(format($$INSERT INTO promotions (subject_id, kind, to_post, unit_id, decided_by, effective_on)
                         VALUES (%s, 'promotion', '副镇长', %s, '区委', record_today())$$, :accuser_a, :county_a),
                 '23514', format('cadre %s cannot be promoted on %s: a sanction is in effect until %s', :accuser_a, record_today(), record_today() + 400),
                 'so the promotion it is refused is one it can explain');
RESET ROLE;
-- The same for an ordinary case the city handles about county A's cadre:
-- the kept figures count it, and measures_in_effect now lists it too.
INSERT INTO cases (kind, subject_id, unit_id, facts)
VALUES ('accountability', :cadre_a, :city, '{"consequence": "serious", "red_line_breach": true, "knowing_violation": true, "violated_explicit_ban": true, "private_gain": true, "fraud_or_obstruction": false, "procedure_proper": false, "diligent": false, "corrected_promptly": false}')
RETURNING case_id AS city_case \gset
UPDATE cases SET status = 'investigating' WHERE case_id = :city_case;
UPDATE cases SET status = 'liable' WHERE case_id = :city_case;
INSERT INTO determinations (case_id, outcome, deciding_body, deciding_unit_id)
VALUES (:city_case, (assess_case(:city_case)).outcome, '杭州市纪委', :city);
SET ROLE regress_sec_reviewer;
SELECT results_eq(format('SELECT count(*) FILTER (WHERE reference IS NULL), count(*) FROM measures_in_effect(%s)', :cadre_a),
                  'VALUES (1::bigint, 1::bigint)',
                  'a sanction the city decided on county A''s cadre is listed for county A''s reviewer, without its case');
SELECT throws_ok(format($$INSERT INTO promotions (subject_id, kind, to_post, unit_id, decided_by, effective_on)
                         VALUES (%s, 'promotion', '区长', %s, '区委', record_today())$$, :cadre_a, :county_a),
                 '23514', NULL, '... the sanction that refuses the cadre''s promotion');
RESET ROLE;
SET ROLE regress_sec_clerk_a;
SELECT results_eq(format('SELECT count(*) FROM measures_in_effect(%s)', :cadre_a), 'VALUES (1::bigint)',
                  'county A''s clerk sees that ordinary sanction too, as its standing counts it');
SELECT is_empty('SELECT * FROM accusations_beyond_scope()', 'a clerk, who may not see accusers, gets nothing beyond its scope');
SELECT results_eq(format('SELECT sanctions_in_effect FROM subject_standing WHERE subject_id = %s', :accuser_a),
                  'VALUES (0::bigint)', '... and the cadre''s standing without the false accusation, as for every accuser');
RESET ROLE;
SET ROLE regress_sec_reader;
SELECT is_empty('SELECT * FROM accusations_beyond_scope()', 'nor does a reader');
RESET ROLE;

-- ---------------------------------------------------------------------
-- 12. The README's recipe for a county login, as written there.
-- ---------------------------------------------------------------------
CREATE ROLE yuhang_clerk LOGIN PASSWORD '...' IN ROLE accountability_clerk;
ALTER ROLE yuhang_clerk SET search_path = "$user", public, accountability;   -- so the operators are found

INSERT INTO accountability.role_units (role_id, unit_id)
SELECT 'yuhang_clerk'::regrole, unit_id FROM accountability.units WHERE code = '330110';   -- 余杭区 and all below it

SET ROLE yuhang_clerk;
SELECT is(accountability.visible_units(), ARRAY[:county_a, :township_a]::bigint[],
          'README recipe: the new login''s scope is the county and its townships');
SELECT lives_ok(format($$INSERT INTO accountability.cases (kind, subject_id, unit_id) VALUES ('report', %s, %s)$$, :cadre_a, :township_a),
                'README recipe: it registers a case in a township of the county');
SELECT is((SELECT count(*) FROM accountability.cases WHERE unit_id = :county_b), 0::bigint,
          'README recipe: and sees nothing of the other county');
RESET ROLE;

-- ---------------------------------------------------------------------
-- 13. DROP EXTENSION leaves the roles; CREATE EXTENSION takes them as they are.
-- ---------------------------------------------------------------------
DROP EXTENSION pg_accountability;
SELECT is((SELECT count(*) FROM pg_roles WHERE rolname LIKE 'accountability\_%'), 4::bigint,
          'DROP EXTENSION leaves the four group roles');
SELECT ok(has_parameter_privilege('accountability_admin', 'accountability.import', 'SET'),
          'and the administrators'' SET privilege on accountability.import');
SELECT lives_ok('CREATE EXTENSION pg_accountability', 'CREATE EXTENSION with the roles present reuses them');
SELECT is((SELECT array_agg(m.rolname::text || ' > ' || g.rolname::text ORDER BY m.rolname)
           FROM pg_auth_members a JOIN pg_roles m ON m.oid = a.member JOIN pg_roles g ON g.oid = a.roleid
           WHERE g.rolname LIKE 'accountability\_%' AND m.rolname LIKE 'accountability\_%'),
          ARRAY['accountability_admin > accountability_reviewer', 'accountability_clerk > accountability_reader',
                'accountability_reviewer > accountability_clerk'],
          'with the hierarchy unchanged');
SELECT is((SELECT count(*) FROM ext_functions WHERE has_function_privilege('public', oid, 'EXECUTE')), 42::bigint,
          'and the same grants: PUBLIC executes the 42 type functions only');

-- Every policy stays inline in pg_policy: building a relation's policies
-- with a TOAST fetch (a nested system scan) fails while PostgreSQL decodes
-- a streamed transaction for logical replication (seen on 18), which would
-- stop every subscriber at the first long policy.  A row is moved out of
-- line only when, compressed, it is still above about 2 kB; the size of a
-- whole row value is that compressed size.
SELECT is_empty($$SELECT p.polname || ' ' || pg_column_size(p.*)
                  FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
                  WHERE c.relnamespace = 'accountability'::regnamespace AND pg_column_size(p.*) > 2000$$,
                'every policy of the record fits in its pg_policy row (nothing stored out of line)');
-- The same holds for what the relation cache reads with the policies: the
-- CHECK constraints and the column defaults (generated columns included).
SELECT is_empty($$SELECT k.conname || ' ' || pg_column_size(k.*)
                  FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
                  WHERE c.relnamespace = 'accountability'::regnamespace AND pg_column_size(k.*) > 2000
                  UNION ALL
                  SELECT c.relname || '.' || a.attname || ' ' || pg_column_size(d.*)
                  FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid
                  JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                  WHERE c.relnamespace = 'accountability'::regnamespace AND pg_column_size(d.*) > 2000$$,
                'every CHECK constraint and column default of the record fits in its catalog row');
SELECT is((SELECT count(*)::integer FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
           WHERE c.relnamespace = 'accountability'::regnamespace AND p.polname = 'cases_link_in_scope' AND NOT p.polpermissive),
          1, 'the link of a new or changed case is checked by a restrictive policy of its own');
-- The locks the figures' triggers and the digests wait on are the
-- extension's own (class 0x4143 = 16707 of the advisory tags), not keys of
-- pg_advisory_lock() (classes 1 and 2): attack round 7 held the public keys
-- from a login with no rights and stalled every unit's writes.
RESET ROLE;
INSERT INTO accountability.units (code, name, level) VALUES ('lock-check', 'lock check', 'province') RETURNING unit_id AS lock_unit \gset
INSERT INTO accountability.subjects (kind, name, unit_id) VALUES ('person', 'lock check', :lock_unit) RETURNING subject_id AS lock_subject \gset
INSERT INTO accountability.trainings (subject_id, course, year, attended_on, hours)
VALUES (:lock_subject, 'lock check', 2025, '2025-06-01', 2);
-- (in this file's transaction, which rolls back: no digest is kept)
SET LOCAL accountability.digest_in_transaction = on;
SELECT accountability.ledger_digest() IS NOT NULL AS digest_taken \gset
SELECT is((SELECT count(*)::integer FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory' AND objsubid IN (1, 2)),
          0, 'the figures and the digest take no lock a client''s pg_advisory_lock() could hold');
SELECT cmp_ok((SELECT count(*)::integer FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory' AND objsubid = 16707),
              '>=', 2, '... they take locks of the extension''s own class (the figures, the digest)');
-- No group role holds a table-level UPDATE or TRUNCATE, which would let it
-- LOCK a table of the record in any mode (attack round 7: a clerk's ACCESS
-- EXCLUSIVE on cases stalled every county); UPDATE is granted by column.
SELECT is_empty($$SELECT c.relname || ' ' || r.rolname || ' ' || x.privilege_type
                  FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) x JOIN pg_roles r ON r.oid = x.grantee
                  WHERE c.relnamespace = 'accountability'::regnamespace AND c.relkind = 'r'
                    AND r.rolname LIKE 'accountability\_%' AND x.privilege_type IN ('UPDATE', 'TRUNCATE')$$,
                'no group role holds a table-level UPDATE or TRUNCATE on the record');
SET LOCAL ROLE accountability_reviewer;
SELECT throws_ok($$LOCK TABLE accountability.cases IN ACCESS EXCLUSIVE MODE$$, '42501', NULL,
                 'a clerk or reviewer cannot lock the cases against every other unit''s writes');
SELECT throws_ok($$LOCK TABLE accountability.determinations IN SHARE MODE$$, '42501', NULL,
                 '... nor the determinations, in any mode that blocks writes');
SELECT lives_ok($$UPDATE accountability.cases SET status = status WHERE false$$,
                '... while UPDATE by column still works');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
