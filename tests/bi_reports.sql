-- pgTAP (issue 16): annual_report gives every role, for each unit of its
-- scope, exactly the superuser's figures, and nothing for any other unit;
-- hand-built corner cases: a township mapped without its county, a subject
-- with an identity type, a city reader (no province row).  The report
-- figures stay equal to a count from scratch through every kind of change.
BEGIN;
-- (the overlaps of the distinct report figures are counted at commit, by a
-- deferred trigger: in this one transaction, at the end of each statement)
SET CONSTRAINTS ALL IMMEDIATE;
SET LOCAL search_path = accountability, public;
SELECT plan(43);

INSERT INTO units (unit_id, code, name, name_en, level) VALUES (9001, 'T33', '测试省', 'Province', 'province');
INSERT INTO units (unit_id, parent_id, code, name, name_en, level) VALUES
    (9002, 9001, 'T3301', '甲市', 'City A', 'city'),
    (9003, 9002, 'T330101', '甲县', 'County A', 'county'),
    (9004, 9003, 'T330101001', '甲镇', 'Township A', 'township'),
    (9005, 9001, 'T3302', '乙市', 'City B', 'city');
INSERT INTO subjects (subject_id, kind, name, unit_id, identity_type) VALUES
    (9101, 'person', '干部甲', 9004, NULL),
    (9102, 'person', '干部乙', 9004, 'public_servant'),   -- an identity type: counts for everyone
    (9103, 'person', '干部丙', 9005, NULL);
INSERT INTO trainings (subject_id, course, year, attended_on, hours) VALUES
    (9101, '培训', 2025, '2025-03-01', 8), (9102, '培训', 2025, '2025-03-01', 8), (9102, '培训二', 2025, '2025-04-01', 4),
    (9103, '培训', 2025, '2025-03-01', 8);
INSERT INTO assessments (subject_id, year, grade, assessing_unit_id, decided_on) VALUES
    (9101, 2025, 'competent', 9004, '2026-01-10'), (9102, 2025, 'excellent', 9004, '2026-01-10'),
    (9103, 2025, 'excellent', 9005, '2026-01-10');
INSERT INTO commendations (subject_id, kind, year, awarding_unit_id, awarded_on) VALUES
    (9102, 'good_cadre', 2025, 9003, '2025-12-01');
INSERT INTO mentorships (mentor_id, mentee_id, unit_id, started_on) VALUES (9101, 9102, 9004, '2025-02-01');

CREATE ROLE regress_bi_township IN ROLE accountability_reader;
CREATE ROLE regress_bi_city IN ROLE accountability_reader;
CREATE ROLE regress_bi_clerk IN ROLE accountability_clerk;
INSERT INTO role_units (role_id, unit_id) VALUES
    ('regress_bi_township', 9004), ('regress_bi_city', 9002), ('regress_bi_clerk', 9003);

CREATE TEMP TABLE su AS SELECT * FROM annual_report WHERE unit_id BETWEEN 9001 AND 9005;
GRANT SELECT ON su TO PUBLIC;

SELECT is_empty('SELECT * FROM accountability.report_figures_check()', 'the figures equal a count from scratch');
SELECT is_empty($$SELECT * FROM accountability.false_accusation_figures() WHERE unit_id BETWEEN 9001 AND 9005$$,
                'false_accusation_figures() for a superuser: every unit, none here');
SELECT results_eq($$SELECT unit_id, training_participants, excellent_assessments, good_cadre_commendations, mentoring_pairs
                    FROM su WHERE year = 2025 ORDER BY unit_id$$,
                  $$VALUES (9001::bigint, 3::bigint, 2::bigint, 1::bigint, 1::bigint), (9002, 2, 1, 1, 1),
                           (9003, 2, 1, 1, 1), (9004, 2, 1, 0, 1), (9005, 1, 1, 0, 0)$$,
                  'the superuser''s figures: each unit with every unit below it');

SET ROLE regress_bi_township;
SELECT is_empty('SELECT * FROM accountability.false_accusation_figures()',
                'false_accusation_figures() within a reader''s scope: none here');
SELECT set_eq('SELECT * FROM accountability.annual_report', 'SELECT * FROM su WHERE unit_id = 9004',
              'a township mapped without its county: its own row, the superuser''s, and nothing above it');
SELECT is((SELECT training_participants FROM annual_report WHERE year = 2025),
          2::bigint, 'a subject with an identity type counts in a reader''s figures');
SELECT ok(NOT EXISTS (SELECT 1 FROM annual_report WHERE is_province_total), 'no province row for a township');
RESET ROLE;

SET ROLE regress_bi_city;
SELECT set_eq('SELECT * FROM accountability.annual_report', 'SELECT * FROM su WHERE unit_id IN (9002, 9003, 9004)',
              'a city reader: the city and every unit below it, each exactly the superuser''s row');
SELECT ok(NOT EXISTS (SELECT 1 FROM annual_report WHERE is_province_total OR unit_id IN (9001, 9005)),
          'a city reader gets no province row and no other city');
RESET ROLE;

SET ROLE regress_bi_clerk;
SELECT set_eq('SELECT * FROM accountability.annual_report', 'SELECT * FROM su WHERE unit_id IN (9003, 9004)',
              'a county clerk: the county and its township');
SELECT ok(NOT EXISTS (SELECT 1 FROM report_figures WHERE unit_id NOT IN (9003, 9004)),
          'the counters themselves: only the units of the role''s scope');
RESET ROLE;

-- Early-warning candidates: three recent reports about a township cadre
-- held by the township, one more held by the city.  The township counts the
-- three it holds and learns nothing of the city's; the city and the
-- superuser count all four.
INSERT INTO cases (kind, subject_id, unit_id, opened_on)
SELECT 'report', 9101, u, current_date - 10 FROM unnest(ARRAY[9004, 9004, 9004, 9002]) u;
SELECT results_eq($$SELECT detail_en FROM early_warning_candidates WHERE reason_en = 'repeated_reports' AND subject_id = 9101$$,
                  $$VALUES ('4 reports in 365 days')$$, 'the superuser: four reports in the window');
SET ROLE regress_bi_township;
SELECT results_eq($$SELECT detail_en FROM early_warning_candidates WHERE reason_en = 'repeated_reports'$$,
                  $$VALUES ('3 reports in 365 days')$$,
                  'a township reader counts the three reports it holds, never the city''s');
SELECT is((SELECT count(*)::integer FROM cases WHERE subject_id = 9101 AND opened_on = current_date - 10), 3,
          'and sees its own three cases only');
RESET ROLE;
SET ROLE regress_bi_city;
SELECT results_eq($$SELECT detail_en FROM early_warning_candidates WHERE reason_en = 'repeated_reports'$$,
                  $$VALUES ('4 reports in 365 days')$$, 'the city, which holds one and sees the township''s, counts four');
RESET ROLE;

-- changes of every kind keep the figures exact
SELECT move_subject(9102, 9005, '调任');                            -- a cadre moves: their training moves
SELECT is_empty('SELECT * FROM accountability.report_figures_check()', 'a subject moved to another unit');
SELECT is((SELECT training_participants FROM annual_report WHERE year = 2025 AND unit_id = 9005), 2::bigint,
          'the moved cadre''s training counts in the new unit');
UPDATE assessments SET grade = 'competent' WHERE subject_id = 9103 AND year = 2025;
SELECT throws_ok('DELETE FROM accountability.commendations WHERE subject_id = 9102', '42501', NULL,
                 'a commendation is never deleted, not even by a superuser');
SELECT is_empty('SELECT * FROM accountability.report_figures_check()', 'an assessment regraded');
UPDATE mentorships SET ended_on = '2025-10-01' WHERE mentee_id = 9102;
SELECT is_empty('SELECT * FROM accountability.report_figures_check()', 'a mentoring pair ended');
-- a report found untrue, its clarification done later
INSERT INTO cases (case_id, kind, subject_id, unit_id, opened_on) VALUES (9201, 'report', 9101, 9004, '2025-02-01');
UPDATE cases SET status = 'investigating' WHERE case_id = 9201;
UPDATE cases SET status = 'unfounded', report_finding = 'mistaken_report', clarification_grounds = '{harmed_subject}'
WHERE case_id = 9201;
INSERT INTO clarifications (case_id, methods, scope, approved_by) VALUES (9201, '{written}', '反映问题失实', '纪委');
UPDATE clarifications SET done_on = '2025-05-01' WHERE case_id = 9201;
SELECT results_eq($$SELECT unfounded_reports, clarified_persons FROM annual_report WHERE year = 2025 AND unit_id = 9004$$,
                  $$VALUES (1::bigint, 1::bigint)$$, 'an untrue report and its clarification, done later, are counted');
-- the same cadre cleared again by a second township of the county: one
-- person to the county, the city and the province, never two
INSERT INTO units (unit_id, parent_id, code, name, name_en, level) VALUES (9007, 9003, 'T330101003', '丙镇', 'Township C', 'township');
INSERT INTO cases (case_id, kind, subject_id, unit_id, opened_on) VALUES (9202, 'report', 9101, 9007, '2025-03-01');
UPDATE cases SET status = 'investigating' WHERE case_id = 9202;
UPDATE cases SET status = 'unfounded', report_finding = 'mistaken_report', clarification_grounds = '{harmed_subject}'
WHERE case_id = 9202;
INSERT INTO clarifications (case_id, methods, scope, approved_by) VALUES (9202, '{written}', '反映问题失实', '纪委');
UPDATE clarifications SET done_on = '2025-06-01' WHERE case_id = 9202;
SELECT results_eq($$SELECT unit_id, unfounded_reports, clarified_persons FROM annual_report
                    WHERE year = 2025 AND unit_id IN (9001, 9002, 9003, 9004, 9007) ORDER BY unit_id$$,
                  $$VALUES (9001::bigint, 2::bigint, 1::bigint), (9002, 2, 1), (9003, 2, 1), (9004, 1, 1), (9007, 1, 1)$$,
                  'a person cleared in two townships: once in each, once above them; the reports add up');
-- an accuser cleared of a false accusation is a hidden row: never counted
-- among the persons clarified, or a clerk could probe who accused
INSERT INTO subjects (subject_id, kind, name, unit_id, identity_type) VALUES (9104, 'person', '举报人', 9004, 'public_servant');
INSERT INTO cases (case_id, kind, subject_id, unit_id, opened_on) VALUES (9203, 'report', 9101, 9004, '2025-04-01');
UPDATE cases SET status = 'investigating' WHERE case_id = 9203;
UPDATE cases SET status = 'unfounded', report_finding = 'suspected_false_accusation' WHERE case_id = 9203;
INSERT INTO cases (case_id, kind, subject_id, unit_id, opened_on, related_case_id) VALUES (9204, 'false_accusation', 9104, 9004, '2025-05-01', 9203);
UPDATE cases SET status = 'investigating' WHERE case_id = 9204;
UPDATE cases SET status = 'unfounded', clarification_grounds = '{harmed_subject}' WHERE case_id = 9204;
INSERT INTO clarifications (case_id, methods, scope, approved_by, done_on) VALUES (9204, '{written}', '诬告查处不实', '纪委', '2025-07-01');
SELECT results_eq($$SELECT f.unit_id, f.clarifications, a.clarified_persons FROM report_figures f
                    JOIN annual_report a USING (year, unit_id) WHERE f.year = 2025 AND f.unit_id IN (9003, 9004) ORDER BY 1$$,
                  $$VALUES (9003::bigint, 0::bigint, 1::bigint), (9004, 1, 1)$$,
                  'a false-accusation case''s clarification counts nowhere: not as a clarification, not as a person');
SELECT results_eq($$SELECT year, unit_id, clarified_persons FROM report_overlaps$$,
                  $$VALUES (2025, 9003::bigint, 1::bigint)$$,
                  'the one overlap: the county, where two townships reach the same person');
-- a person cleared elsewhere in the year leaves that overlap row unwritten
-- (attack round 9: every row of the year was written again, and a reader
-- saw from its new version that something hidden had moved)
SELECT ctid::text AS overlap_ctid FROM report_overlaps WHERE year = 2025 AND unit_id = 9003 \gset
SAVEPOINT elsewhere;
INSERT INTO cases (case_id, kind, subject_id, unit_id, opened_on) VALUES (9205, 'report', 9102, 9005, '2025-04-01');
UPDATE cases SET status = 'investigating' WHERE case_id = 9205;
UPDATE cases SET status = 'unfounded', report_finding = 'mistaken_report', clarification_grounds = '{harmed_subject}'
WHERE case_id = 9205;
INSERT INTO clarifications (case_id, methods, scope, approved_by, done_on) VALUES (9205, '{written}', '反映问题失实', '纪委', '2025-08-01');
SELECT is((SELECT ctid::text FROM report_overlaps WHERE year = 2025 AND unit_id = 9003), :'overlap_ctid',
          'an overlap row whose figures stay is not written again when the year is counted');
ROLLBACK TO SAVEPOINT elsewhere;
SET ROLE regress_bi_township;
SELECT is_empty($$SELECT * FROM accountability.report_overlaps$$,
                'a township reader sees no overlap of the county above it');
SELECT results_eq($$SELECT unit_id, clarified_persons FROM annual_report WHERE year = 2025$$,
                  $$VALUES (9004::bigint, 1::bigint)$$, 'and the reader''s annual_report agrees');
RESET ROLE;
-- (a case never changes unit: the write model refuses it, 42501)
SELECT throws_ok('UPDATE accountability.cases SET unit_id = 9005 WHERE case_id = 9201', '42501', NULL,
                 'a case never changes unit, so its figures never move');
UPDATE units SET parent_id = 9005 WHERE unit_id = 9003;              -- a county moves to another city
SELECT is((SELECT training_participants FROM annual_report WHERE year = 2025 AND unit_id = 9005), 3::bigint,
          'a unit moved under another city: the roll-up follows it');
SELECT results_eq($$SELECT unit_id, clarified_persons FROM annual_report
                    WHERE year = 2025 AND unit_id IN (9001, 9002, 9005) ORDER BY unit_id$$,
                  $$VALUES (9001::bigint, 1::bigint), (9005, 1)$$,
                  'the person cleared twice moves with the county: once in the new city, none left in the old');
SELECT is_empty('SELECT * FROM accountability.report_figures_check()', 'and the figures stay exact');
-- unit_ancestors follows units; a new unit writes its own paths and nothing
-- else (this transaction's write counters: no dead copy of the whole table).
SELECT results_eq($$SELECT unit_id, ancestor_id, depth, top FROM unit_ancestors ORDER BY 1, 2$$,
                  $$WITH RECURSIVE up (unit_id, ancestor_id, depth) AS (
                        SELECT unit_id, unit_id, 0 FROM units
                        UNION ALL
                        SELECT up.unit_id, u.parent_id, up.depth + 1 FROM up JOIN units u ON u.unit_id = up.ancestor_id
                        WHERE u.parent_id IS NOT NULL)
                    SELECT up.unit_id, up.ancestor_id, up.depth, t.parent_id IS NULL
                    FROM up JOIN units t ON t.unit_id = up.ancestor_id ORDER BY 1, 2$$,
                  'unit_ancestors holds every unit''s path up, after the county moved');
SELECT n_tup_ins AS ancestors_added, n_tup_upd + n_tup_del AS ancestors_changed
FROM pg_stat_xact_user_tables WHERE relid = 'accountability.unit_ancestors'::regclass \gset
INSERT INTO units (unit_id, parent_id, code, name, name_en, level) VALUES (9006, 9003, 'T330101002', '乙镇', 'Township B', 'township');
SELECT is((SELECT ARRAY[n_tup_ins - :ancestors_added, n_tup_upd + n_tup_del - :ancestors_changed]
           FROM pg_stat_xact_user_tables WHERE relid = 'accountability.unit_ancestors'::regclass),
          ARRAY[4, 0]::bigint[], 'a new township writes its four paths up and touches no other row');
SELECT is((SELECT array_agg(ancestor_id ORDER BY depth) FROM unit_ancestors WHERE unit_id = 9006),
          ARRAY[9006, 9003, 9005, 9001]::bigint[], 'its paths run through the county''s new city');
SELECT is(report_figures_rebuild() > 0, true, 'report_figures_rebuild() counts everything again');
SET LOCAL accountability.restore = on;                               -- a failed restore cleared
TRUNCATE trainings;
RESET accountability.restore;
SELECT is_empty('SELECT * FROM accountability.report_figures_check()', 'TRUNCATE: the figures are counted again');
-- a figure spoilt by hand is counted again by report_figures_refresh() called
-- from a plain top-level SELECT (it failed with XX000 there: no trigger context)
SET LOCAL session_replication_role = replica;
UPDATE report_figures SET good_cadre_commendations = good_cadre_commendations + 7,
                          false_accusation_cases = false_accusation_cases + 1
WHERE (year, unit_id) = (SELECT year, unit_id FROM report_figures ORDER BY year, unit_id LIMIT 1);
RESET session_replication_role;
SELECT is((SELECT count(*) FROM (SELECT report_figures_refresh(array_agg(year), array_agg(unit_id)) FROM report_figures) r),
          1::bigint, 'report_figures_refresh() runs from a top-level SELECT');
SELECT is_empty('SELECT * FROM accountability.report_figures_check()', 'and counts a spoilt figure again');

-- Settings fail loudly once the library is loaded (it is: the types are in use).
SELECT throws_ok($$ALTER ROLE regress_bi_city SET accountability.language = 'chinese'$$, '22023', NULL,
                 'ALTER ROLE ... SET accountability.language = ''chinese'' is refused');
SELECT throws_ok($q$DO $d$ BEGIN EXECUTE format('ALTER DATABASE %I SET accountability.language = %L', current_database(), 'english'); END $d$$q$, '22023', NULL,
                 'ALTER DATABASE ... SET accountability.language = ''english'' is refused');
SELECT throws_ok($$ALTER ROLE regress_bi_city SET accountability.import = 'maybe'$$, '22023', NULL,
                 'a bad boolean for accountability.import is refused');
SELECT throws_ok($$ALTER ROLE regress_bi_city SET accountability.langauge = 'zh'$$, '42602', NULL,
                 'a misspelt accountability.* setting is refused (reserved prefix)');
-- what PostgreSQL could not check (stored while the library was not loaded;
-- written here straight into the catalog, as that ALTER ROLE would) is listed
SET LOCAL allow_system_table_mods = on;
UPDATE pg_db_role_setting SET setconfig = setconfig || '{accountability.language=chinese}'
WHERE setrole = 'regress_bi_township'::regrole AND setdatabase = 0;
INSERT INTO pg_db_role_setting (setdatabase, setrole, setconfig)
SELECT 0, 'regress_bi_township'::regrole, '{accountability.language=chinese}'
WHERE NOT EXISTS (SELECT 1 FROM pg_db_role_setting WHERE setrole = 'regress_bi_township'::regrole AND setdatabase = 0);
SELECT is((SELECT string_agg(concat_ws(' ', role_name, setting, value), ', ') FROM accountability.setting_problems()
           WHERE role_name = 'regress_bi_township'),
          'regress_bi_township accountability.language chinese',
          'setting_problems() lists a stored value PostgreSQL could not check');
DELETE FROM pg_db_role_setting WHERE setrole = 'regress_bi_township'::regrole;

DELETE FROM role_units WHERE role_id IN ('regress_bi_township'::regrole, 'regress_bi_city'::regrole, 'regress_bi_clerk'::regrole);
SELECT * FROM finish();
ROLLBACK;
