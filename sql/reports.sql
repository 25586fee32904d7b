--
-- The BI views on a small hand-built province where every number is known.
--
DROP EXTENSION pg_accountability CASCADE;
CREATE EXTENSION pg_accountability;
SET search_path = public, accountability;
\set VERBOSITY terse

INSERT INTO units (unit_id, code, name, name_en, level) VALUES (1, 'P', '省', 'Province', 'province');
INSERT INTO units (unit_id, parent_id, code, name, name_en, level) VALUES
    (2, 1, 'C1', '甲市', 'City A', 'city'), (3, 1, 'C2', '乙市', 'City B', 'city'),
    (4, 2, 'K1', '甲县', 'County A1', 'county'), (5, 1, 'D1', '某厅', 'Department 1', 'department');
INSERT INTO subjects (subject_id, kind, name, unit_id, identity_type) VALUES
    (1, 'person', '甲', 4, 'party_member'), (2, 'person', '乙', 4, 'party_member'),
    (3, 'party_org', '丙党支部', 4, NULL), (4, 'person', '丁', 3, 'public_servant'),
    (5, 'person', '戊（举报人）', 4, 'party_member'), (6, 'person', '己（举报人）', 4, 'other'),
    (7, 'person', '庚', 5, 'party_member');

-- Move a case through a list of statuses.
CREATE FUNCTION pg_temp.move(c bigint, VARIADIC statuses text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE s text;
BEGIN
    FOREACH s IN ARRAY statuses LOOP
        UPDATE accountability.cases SET status = s::accountability.case_status WHERE case_id = c;
    END LOOP;
END $$;

-- Three accountability matters in the county, 2025: two tolerated, one not.
INSERT INTO cases (case_id, kind, subject_id, unit_id, opened_on, facts) VALUES
 (1, 'accountability', 1, 4, '2025-02-01', '{"situation": "reform_pilot", "consequence": "none", "red_line_breach": false,
   "knowing_violation": false, "violated_explicit_ban": false, "private_gain": false, "fraud_or_obstruction": false,
   "repeated_error": false, "procedure_proper": true, "diligent": true, "corrected_promptly": true}'),
 (2, 'accountability', 2, 4, '2025-03-01', '{"situation": "force_majeure", "consequence": "minor", "red_line_breach": false,
   "knowing_violation": false, "violated_explicit_ban": false, "private_gain": false, "fraud_or_obstruction": false,
   "repeated_error": false, "procedure_proper": false, "diligent": true, "corrected_promptly": true, "cooperated": true}'),
 (3, 'accountability', 4, 3, '2025-03-01', '{"situation": "reform_pilot", "knowing_violation": true}'),
-- and one in the department, tolerated in 2024.
 (4, 'accountability', 7, 5, '2024-05-01', '{"situation": "exploratory_trial", "consequence": "minor", "red_line_breach": false,
   "knowing_violation": false, "violated_explicit_ban": false, "private_gain": false, "fraud_or_obstruction": false,
   "repeated_error": false, "procedure_proper": true, "diligent": true, "corrected_promptly": true}');
SELECT pg_temp.move(c, 'investigating', 'liable', 'tolerance_review') FROM generate_series(1, 2) c;
SELECT pg_temp.move(c, 'investigating', 'liable') FROM generate_series(3, 4) c;
INSERT INTO determinations (case_id, mode, outcome, deciding_body, decided_on) VALUES
    (1, 'application', 'not_accountable', '县纪委', '2025-04-01'),
    (2, 'ex_officio', 'lighter', '县纪委', '2025-04-02'),
    (3, 'ordinary', 'not_tolerable', '市纪委', '2025-04-03'),
    (4, 'ordinary', 'exempted', '厅党组', '2024-06-01');
-- An application refused: a second matter of 乙 with a failed gate.
INSERT INTO cases (case_id, kind, subject_id, unit_id, opened_on, facts) VALUES
 (5, 'accountability', 2, 4, '2025-06-01', '{"situation": "reform_pilot", "private_gain": true}');
SELECT pg_temp.move(5, 'investigating', 'liable', 'tolerance_review');
INSERT INTO determinations (case_id, mode, outcome, deciding_body, decided_on) VALUES (5, 'application', 'not_tolerable', '县纪委', '2025-07-01');

-- Reports found untrue in 2025: 甲 cleared twice (counts once), 丙党支部 cleared, one not cleared;
-- and 丁's report in the other city, found untrue, not cleared.
INSERT INTO cases (case_id, kind, subject_id, unit_id, opened_on) VALUES
    (10, 'report', 1, 4, '2025-01-10'), (11, 'report', 1, 4, '2025-05-10'), (12, 'report', 3, 4, '2025-02-10'),
    (13, 'report', 2, 4, '2025-03-10'), (14, 'report', 4, 3, '2025-03-10'),
-- a report still under verification, and one registered in 2024, cleared in 2025
    (15, 'report', 2, 4, '2025-08-10'), (16, 'report', 2, 4, '2024-12-20'),
-- and one never taken up: past its deadline
    (17, 'report', 2, 4, '2025-01-02');
SELECT pg_temp.move(c, 'investigating', 'unfounded') FROM unnest(ARRAY[10, 11, 12, 13, 14, 16]) c;
SELECT pg_temp.move(15, 'investigating');
UPDATE cases SET report_finding = 'suspected_false_accusation', clarification_grounds = '{affected_selection}' WHERE case_id = 10;
INSERT INTO clarifications (case_id, methods, scope, approved_by, done_on) VALUES
    (10, '{written}', '问题一', '县纪委', '2025-03-01'),
    (11, '{written,meeting}', '问题二', '县纪委', '2025-06-01'),
    (12, '{written,circular}', '问题三', '县纪委', '2025-04-01'),
    (16, '{written}', '问题四', '县纪委', '2025-01-15');

-- Report 10 was a false accusation by two people: one case, two persons.
INSERT INTO cases (case_id, kind, subject_id, unit_id, opened_on, related_case_id) VALUES
    (20, 'false_accusation', 5, 4, '2025-04-01', 10), (21, 'false_accusation', 6, 4, '2025-04-01', 10);
SELECT pg_temp.move(c, 'investigating', 'liable') FROM generate_series(20, 21) c;
INSERT INTO determinations (case_id, outcome, deciding_body, decided_on, deciding_unit_id) VALUES
    (20, 'not_tolerable', '甲市纪委', '2025-05-01', 2), (21, 'not_tolerable', '甲市纪委', '2025-05-01', 2);

-- The year 2025, per unit: each unit counts itself and what is below it.
SELECT unit_id, unit_name_en, unit_level, is_province_total, tolerance_cases, tolerance_applications,
       tolerance_grants, ex_officio_grants, clarified_persons, clarified_organizations,
       false_accusation_cases, false_accusation_persons, unfounded_reports, clarification_rate
FROM annual_report WHERE year = 2025 ORDER BY unit_id;
-- 2024: the department's tolerated error and the report registered then.
SELECT unit_id, unit_name_en, tolerance_cases, clarified_persons, unfounded_reports
FROM annual_report WHERE year = 2024 ORDER BY unit_id;

-- Outcomes by situation.
SELECT year, situation, listed, mode, outcome, outcome_zh, determinations
FROM tolerance_by_situation ORDER BY year, situation, mode_en, outcome_en;

-- One row a case; labels in both languages; deadlines from settings.
SELECT case_id, kind, status, status_zh, unit_path, outcome, outcome_zh, overdue, event_count
FROM case_overview WHERE case_id IN (1, 3, 10, 15, 20) ORDER BY case_id;
SELECT count(*) AS cases, count(*) FILTER (WHERE overdue) AS overdue FROM case_overview;
SELECT case_id, status, due_on, days_overdue > 300 AS long_overdue FROM overdue_cases;

-- Follow-up due: 甲's report moves to follow_up after its clarification.
SELECT pg_temp.move(10, 'follow_up');
SELECT case_id, last_visit_no, first_visit, next_due_on = (SELECT accountability.record_date(max(e.occurred_at)) FROM case_events e WHERE e.case_id = 10) + 90 AS due_in_90_days FROM follow_up_due;

-- The unit tree.
SELECT unit_id, array_agg(ancestor_id ORDER BY depth) AS up_to_province FROM unit_tree GROUP BY unit_id ORDER BY unit_id;

-- A BI reader sees the published false-accusation figures of its units,
-- but never the cases themselves (who accused whom).
CREATE ROLE regress_bi_province;
CREATE ROLE regress_bi_city_b;
GRANT accountability_reader TO regress_bi_province, regress_bi_city_b;
INSERT INTO role_units (role_id, unit_id) VALUES ('regress_bi_province', 1), ('regress_bi_city_b', 3);
SET ROLE regress_bi_province;
SELECT unit_name_en, false_accusation_cases, false_accusation_persons, clarified_persons
FROM annual_report WHERE year = 2025 ORDER BY unit_id;
SELECT count(*) AS false_accusation_cases_visible FROM cases WHERE kind = 'false_accusation';
-- A city's reader gets its city and nothing above it: no province row
-- carrying the city's figures.
SET ROLE regress_bi_city_b;
SELECT unit_name_en, false_accusation_cases, unfounded_reports, is_province_total FROM annual_report WHERE year = 2025 ORDER BY unit_id;
RESET ROLE;
-- the figures annual_report reads are what a count from scratch gives
SELECT count(*) AS figure_differences FROM report_figures_check();
DELETE FROM role_units WHERE role_id IN ('regress_bi_province'::regrole, 'regress_bi_city_b'::regrole);
DROP ROLE regress_bi_province, regress_bi_city_b;

-- The overlaps are counted again for every batch of deferred events, even
-- when one message holds several (attack round 15: "...; SET CONSTRAINTS ALL
-- IMMEDIATE; ...; COMMIT" in one message left the second batch uncounted,
-- and a person cleared in two townships counted twice for the county).
INSERT INTO units (unit_id, parent_id, code, name, name_en, level) VALUES
    (6, 4, 'T1', '甲镇', 'Township A', 'township'), (7, 4, 'T2', '乙镇', 'Township B', 'township');
INSERT INTO cases (case_id, kind, subject_id, unit_id, opened_on) VALUES
    (120, 'report', 1, 6, '2026-02-01'), (121, 'report', 1, 7, '2026-02-02');
SELECT pg_temp.move(c, 'investigating') FROM generate_series(120, 121) c;
UPDATE cases SET status = 'unfounded', report_finding = 'mistaken_report', clarification_grounds = '{harmed_subject}'
WHERE case_id IN (120, 121);
BEGIN \; INSERT INTO clarifications (case_id, methods, scope, approved_by, done_on) VALUES (120, '{written}', '反映问题失实', '纪委', '2026-03-01') \; SET CONSTRAINTS ALL IMMEDIATE \; INSERT INTO clarifications (case_id, methods, scope, approved_by, done_on) VALUES (121, '{written}', '反映问题失实', '纪委', '2026-03-02') \; COMMIT;
SELECT unit_id, clarified_persons FROM annual_report WHERE year = 2026 AND unit_id IN (4, 6, 7) ORDER BY unit_id;
SELECT count(*) AS figure_differences FROM report_figures_check();
