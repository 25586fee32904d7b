--
-- The incentive half (激励): assessments, commendations, mentoring, training,
-- promotions, and the profile that shows what counts for and against a cadre.
--
DROP EXTENSION pg_accountability CASCADE;
CREATE EXTENSION pg_accountability;
SET search_path = public, accountability;
\set VERBOSITY terse

INSERT INTO units (unit_id, code, name, level) VALUES (1, '33', '浙江省', 'province');
INSERT INTO units (unit_id, parent_id, code, name, level) VALUES (2, 1, '3306', '绍兴市', 'city'),
    (3, 2, '330604', '上虞区', 'county'), (4, 3, '330604001', '百官街道', 'township'),
    (5, 1, '3301', '杭州市', 'city');
INSERT INTO subjects (subject_id, kind, name, unit_id, post, identity_type) VALUES
    (1, 'person', '董群英', 4, '社区党委书记', 'party_member'),
    (2, 'person', '年轻干部甲', 4, '科员', 'party_member'),
    (3, 'person', '年轻干部乙', 4, '科员', 'party_member'),
    (4, 'person', '杭州干部', 5, '科员', 'party_member');

CREATE ROLE regress_organizer;
GRANT accountability_reviewer TO regress_organizer;
INSERT INTO role_units (role_id, unit_id) VALUES ('regress_organizer', 2);
SET ROLE regress_organizer;

-- Cadre 2 erred while piloting a reform and was exempted (免予问责);
-- cadre 3 was sanctioned (不予容错).
-- (the ids are the database's to give: 1 and 2 here)
INSERT INTO cases (kind, subject_id, unit_id, opened_on, facts) VALUES
 ('accountability', 2, 4, '2025-03-01', '{"situation": "reform_pilot", "consequence": "minor", "red_line_breach": false,
   "knowing_violation": false, "violated_explicit_ban": false, "private_gain": false, "fraud_or_obstruction": false,
   "repeated_error": false, "procedure_proper": true, "diligent": true, "corrected_promptly": true}'),
 ('accountability', 3, 4, '2025-03-01', '{"situation": "reform_pilot", "private_gain": true}');
UPDATE cases SET status = 'investigating';
UPDATE cases SET status = 'liable';
INSERT INTO determinations (case_id, outcome, deciding_body, decided_on, influence_until) VALUES
    (1, 'exempted', '区纪委', '2025-04-01', NULL), (2, 'not_tolerable', '区纪委', '2025-04-01', '2099-12-31');

-- Assessments: a grade below competent needs grounds, and the tolerated error
-- alone can never be that ground.
INSERT INTO assessments (subject_id, year, grade, assessing_unit_id, decided_on)
VALUES (2, 2025, 'basically_competent', 4, '2026-01-10');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO assessments (subject_id, year, grade, assessing_unit_id, ground_case_ids, decided_on)
VALUES (2, 2025, 'basically_competent', 4, '{1}', '2026-01-10');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO assessments (subject_id, year, grade, assessing_unit_id, ground_case_ids, decided_on)
VALUES (2, 2025, 'basically_competent', 4, '{2}', '2026-01-10');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO assessments (subject_id, year, grade, assessing_unit_id, ground_case_ids, decided_on)
VALUES (2, 2025, 'basically_competent', 4, '{99}', '2026-01-10');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO assessments (subject_id, year, grade, assessing_unit_id, decided_on)
VALUES (2, 2025, 'excellent', 4, '2026-01-10');
UPDATE assessments SET grade = 'incompetent' WHERE subject_id = 2;
\echo :LAST_ERROR_SQLSTATE
-- The sanctioned case can be a ground; so can written grounds.
INSERT INTO assessments (subject_id, year, grade, assessing_unit_id, ground_case_ids, decided_on)
VALUES (3, 2025, 'basically_competent', 4, '{2}', '2026-01-10');
INSERT INTO assessments (subject_id, year, grade, assessing_unit_id, grounds, decided_on)
VALUES (1, 2024, 'basically_competent', 4, '全年有三个月未完成重点工作', '2025-01-10');
INSERT INTO assessments (subject_id, year, grade, assessing_unit_id, decided_on)
VALUES (1, 2025, 'excellent', 4, '2026-01-10');
INSERT INTO assessments (subject_id, year, grade, assessing_unit_id, decided_on)
VALUES (1, 2025, 'competent', 4, '2026-01-11');
\echo :LAST_ERROR_SQLSTATE
-- A cited case counts only once determined, and a tolerated one never,
-- even beside written grounds: a report still being checked may yet be
-- found untrue (attack round 10).
BEGIN;
INSERT INTO cases (kind, subject_id, unit_id, opened_on) VALUES ('report', 3, 4, '2025-06-01') RETURNING case_id AS pending \gset
INSERT INTO assessments (subject_id, year, grade, assessing_unit_id, ground_case_ids, decided_on)
VALUES (3, 2024, 'incompetent', 4, ARRAY[:pending]::bigint[], '2026-01-10');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
INSERT INTO assessments (subject_id, year, grade, assessing_unit_id, grounds, ground_case_ids, decided_on)
VALUES (2, 2024, 'basically_competent', 4, '工作推进缓慢', '{1}', '2025-01-10');
\echo :LAST_ERROR_SQLSTATE

-- Commendations (评先评优), mentoring (导师传帮带), training (培训).
INSERT INTO commendations (subject_id, kind, year, awarding_unit_id, awarded_on, citation) VALUES
    (1, 'good_cadre', 2025, 2, '2025-12-01', '社区治理井井有条'),
    (2, 'advanced_individual', 2025, 4, '2025-12-20', '工业园区项目启动');
INSERT INTO commendations (subject_id, kind, year, awarding_unit_id, awarded_on) VALUES (2, 'nobel_prize', 2025, 4, '2025-12-20');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO mentorships (mentor_id, mentee_id, unit_id, started_on) VALUES (1, 2, 4, '2025-02-01');
INSERT INTO mentorships (mentor_id, mentee_id, unit_id, started_on) VALUES (2, 2, 4, '2025-02-01');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO mentoring_sessions (mentorship_id, held_on, topic, hours) VALUES
    (1, '2025-03-01', '群众工作方法', 2), (1, '2025-06-01', '项目推进', 3);
INSERT INTO trainings (subject_id, course, provider, year, attended_on, hours)
SELECT 1 + i % 3, '"8090"培训班第' || i || '期', '区委组织部', extract(year FROM accountability.record_today())::int, accountability.record_today(), 4
FROM generate_series(1, 6) i;
INSERT INTO trainings (subject_id, course, year, attended_on, hours) VALUES (1, '领雁争先赛', 2025, '2025-05-01', 0);
\echo :LAST_ERROR_SQLSTATE

-- Moving up (能上): the tolerated error never holds cadre 2 back; cadre 3's
-- sanction does, until its influence period ends.
INSERT INTO promotions (subject_id, kind, from_post, to_post, unit_id, decided_by, effective_on)
VALUES (2, 'promotion', '科员', '街道党工委委员', 4, '区委', '2025-12-30') RETURNING kind, to_post;
INSERT INTO promotions (subject_id, kind, from_post, to_post, unit_id, decided_by, effective_on)
VALUES (3, 'promotion', '科员', '副科长', 4, '区委', '2025-12-30');
\echo :LAST_ERROR_SQLSTATE
SELECT measure, reference, until FROM measures_in_effect(3, '2025-12-30');
SELECT case_is_protected(1) AS tolerated_case_protected, case_is_protected(2) AS sanctioned_case_protected;

-- A cadre's full profile.
SELECT subject_id, name, sanctions_in_effect, may_be_promoted, tolerated_errors, latest_grade, latest_grade_year,
       excellent_assessments, commendations, good_cadre_awards, training_hours_this_year, mentors_now,
       mentees_now, promotions, last_promoted_on
FROM subject_standing ORDER BY subject_id;
-- The view counts the measures in effect in one pass per table; they are
-- exactly what measures_in_effect() says, subject by subject.
SELECT count(*) AS standing_differs_from_measures_in_effect
FROM subject_standing s
WHERE (s.sanctions_in_effect, s.demotions_in_effect, s.may_be_promoted) IS DISTINCT FROM
      ((SELECT count(*) FILTER (WHERE m.measure = 'sanction') FROM measures_in_effect(s.subject_id) m),
       (SELECT count(*) FILTER (WHERE m.measure = 'demotion') FROM measures_in_effect(s.subject_id) m),
       NOT EXISTS (SELECT 1 FROM measures_in_effect(s.subject_id)));

-- The year's incentive figures, rolled up: 百官街道, 上虞区, 绍兴市; the role is mapped to the city, so
-- it gets no province row (a province row would hold the city's figures only).
SELECT unit_name, good_cadre_commendations, excellent_assessments, training_participants,
       mentoring_pairs, promotions_after_protection, tolerance_cases
FROM annual_report WHERE year = 2025 ORDER BY unit_id;

-- Outside the role's units, nothing is seen.
SELECT count(*) AS hangzhou_subjects_seen FROM subject_directory WHERE unit_id = 5;

RESET ROLE;

-- A session that drops and creates the extension again keeps writing about
-- its cadres: the scope recheck caches a lock statement per table, and a
-- re-created extension's tables are new ones (a review found the cache full,
-- and the write refused, after the second re-creation).  Each round writes
-- nine (table, cadre column) pairs under the policies.
CREATE FUNCTION pg_temp.reinstall_and_write() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    DROP EXTENSION pg_accountability CASCADE;
    CREATE EXTENSION pg_accountability;
    INSERT INTO accountability.units (unit_id, code, name, level) VALUES (1, '33', '浙江省', 'province');
    INSERT INTO accountability.units (unit_id, parent_id, code, name, level) VALUES (2, 1, '3306', '绍兴市', 'city');
    INSERT INTO accountability.subjects (subject_id, kind, name, unit_id) VALUES (1, 'person', '甲', 2), (2, 'person', '乙', 2);
    INSERT INTO accountability.role_units (role_id, unit_id) VALUES ('regress_organizer', 2);
    SET LOCAL ROLE regress_organizer;
    INSERT INTO accountability.cases (kind, subject_id, unit_id) VALUES ('accountability', 1, 2);
    INSERT INTO accountability.early_warnings (subject_id, sign, issued_by, issued_on) VALUES (1, '苗头', '市纪委', '2026-01-05');
    UPDATE accountability.early_warnings SET acknowledged_on = issued_on;
    INSERT INTO accountability.assessments (subject_id, year, grade, assessing_unit_id, decided_on)
    VALUES (1, 2025, 'excellent', 2, '2026-01-10');
    INSERT INTO accountability.mentorships (mentor_id, mentee_id, unit_id, started_on) VALUES (1, 2, 2, '2026-01-10');
    INSERT INTO accountability.mentoring_sessions (mentorship_id, held_on, topic)
    SELECT mentorship_id, '2026-01-12', '谈心' FROM accountability.mentorships;
    UPDATE accountability.mentoring_sessions SET hours = 2;
    INSERT INTO accountability.trainings (subject_id, course, year, attended_on, hours) VALUES (2, '改革培训', 2026, '2026-03-01', 8);
    RESET ROLE;
    RETURN format('%s cases, %s warnings, %s sessions',
                  (SELECT count(*) FROM accountability.cases), (SELECT count(*) FROM accountability.early_warnings),
                  (SELECT count(*) FROM accountability.mentoring_sessions));
END $$;
SELECT pg_temp.reinstall_and_write() AS first_round;
SELECT pg_temp.reinstall_and_write() AS second_round;
SELECT pg_temp.reinstall_and_write() AS third_round;

DROP EXTENSION pg_accountability CASCADE;
CREATE EXTENSION pg_accountability;
DROP ROLE regress_organizer;
