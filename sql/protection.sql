--
-- The protection half: clarification (澄清正名), follow-up visits (跟踪回访),
-- false accusations (查处诬告陷害), early warnings, demotions, standing, dossier.
--
-- Each file starts from a fresh install (the record itself cannot be deleted).
DROP EXTENSION pg_accountability CASCADE;
CREATE EXTENSION pg_accountability;
SET search_path = public, accountability;
-- Constraint errors print the failing row, with its recording time: keep them terse.
\set VERBOSITY terse

INSERT INTO units (code, name, level) VALUES ('33', '浙江省', 'province');
INSERT INTO units (parent_id, code, name, level) VALUES (1, '3302', '宁波市', 'city');
INSERT INTO units (parent_id, code, name, level) VALUES (2, '330282', '慈溪市', 'county');
INSERT INTO subjects (kind, name, unit_id, post) VALUES
    ('person', '陈一', 3, '镇党委书记'),          -- 1: a cadre hit by an untrue report
    ('party_org', '某镇党委', 3, NULL);           -- 2: a party organization hit by one
INSERT INTO subjects (kind, name, unit_id, identity_type) VALUES
    ('person', '举报人甲', 3, 'party_member'),    -- 3: an accuser
    ('person', '举报人乙', 3, NULL);              -- 4: an accuser of unknown identity

-- A reviewer of the city (so also of its county), who also keeps the demotion
-- catalogue here (an administrator's table) to keep the file in one role.
CREATE ROLE regress_protector IN ROLE accountability_reviewer;
GRANT INSERT, UPDATE ON accountability.demotion_situations TO regress_protector;
INSERT INTO role_units (role_id, unit_id) VALUES ('regress_protector', 2);
SET ROLE regress_protector;

-- A report against the cadre is found untrue; it affected his selection, so a
-- clarification is warranted; the report is suspected of false accusation.
INSERT INTO cases (kind, subject_id, unit_id, opened_on) VALUES ('report', 1, 3, '2026-01-05') RETURNING case_id AS report \gset
UPDATE cases SET status = 'investigating' WHERE case_id = :report;
UPDATE cases SET status = 'unfounded', conclusion = '反映问题失实',
       report_finding = 'suspected_false_accusation', clarification_grounds = '{affected_selection}'
WHERE case_id = :report;

-- The follow-up waits for the warranted clarification.
UPDATE cases SET status = 'follow_up' WHERE case_id = :report;
\echo :LAST_ERROR_SQLSTATE

-- A face-to-face, meeting or circular clarification needs a written one too.
INSERT INTO clarifications (case_id, methods, scope, approved_by) VALUES (:report, '{face_to_face}', '收受礼金问题', '市纪委');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO clarifications (case_id, methods, scope, approved_by) VALUES (:report, '{telegram}', '收受礼金问题', '市纪委');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO clarifications (case_id, methods, scope, approved_by, subject_consent)
VALUES (:report, '{written,meeting}', '反映其收受礼金问题失实', '市纪委', true)
RETURNING clarification_no, methods;
-- Not yet done: still refused.
UPDATE cases SET status = 'follow_up' WHERE case_id = :report;
\echo :LAST_ERROR_SQLSTATE
UPDATE clarifications SET done_on = '2026-06-01', archived_on = '2026-06-02', copied_to_organization_on = '2026-06-02'
WHERE case_id = :report;
UPDATE clarifications SET scope = '全部问题' WHERE case_id = :report;
\echo :LAST_ERROR_SQLSTATE
UPDATE cases SET status = 'follow_up' WHERE case_id = :report;

-- Only an unfounded case is clarified.
INSERT INTO clarifications (case_id, methods, scope, approved_by) VALUES (:report, '{written}', '再次澄清', '市纪委');
\echo :LAST_ERROR_SQLSTATE

-- Not finished until the knot is untied: a visit whose concerns are resolved.
UPDATE cases SET status = 'closed' WHERE case_id = :report;
\echo :LAST_ERROR_SQLSTATE
INSERT INTO follow_up_visits (case_id, plan, visitor, visited_on, method, concerns_resolved)
VALUES (:report, '一人一策', '市纪委 回访组', '2026-07-01', 'face_to_face', false);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO follow_up_visits (case_id, plan, visitor, visited_on, method, findings, concerns_resolved, next_due_on)
VALUES (:report, '一人一策：谈心谈话', '市纪委 回访组', '2026-07-01', 'face_to_face', '仍有顾虑', false, '2026-09-01')
RETURNING visit_no;
UPDATE cases SET status = 'closed' WHERE case_id = :report;
\echo :LAST_ERROR_SQLSTATE
INSERT INTO follow_up_visits (case_id, plan, visitor, visited_on, method, findings, concerns_resolved)
VALUES (:report, '一人一策：谈心谈话', '市纪委 回访组', '2026-09-01', 'home', '轻装上阵', true)
RETURNING visit_no;
UPDATE cases SET status = 'closed' WHERE case_id = :report;
-- A closed case takes no more visits.
INSERT INTO follow_up_visits (case_id, plan, visitor, visited_on, method, concerns_resolved)
VALUES (:report, 'x', 'x', '2026-10-01', 'phone', true);
\echo :LAST_ERROR_SQLSTATE

-- A party organization is clarified the same way.
INSERT INTO cases (kind, subject_id, unit_id, opened_on) VALUES ('report', 2, 3, '2026-01-05') RETURNING case_id AS org_report \gset
UPDATE cases SET status = 'investigating' WHERE case_id = :org_report;
UPDATE cases SET status = 'unfounded', clarification_grounds = '{harmed_subject}', report_finding = 'mistaken_report'
WHERE case_id = :org_report;
INSERT INTO clarifications (case_id, methods, scope, approved_by, done_on)
VALUES (:org_report, '{written,circular}', '反映该镇党委违规决策问题失实', '市纪委', '2026-06-10');
UPDATE cases SET status = 'follow_up' WHERE case_id = :org_report;

-- An untrue report with no grounds for clarification closes with a reason.
INSERT INTO cases (kind, subject_id, unit_id) VALUES ('report', 1, 3) RETURNING case_id AS quiet_report \gset
UPDATE cases SET status = 'investigating' WHERE case_id = :quiet_report;
UPDATE cases SET status = 'unfounded' WHERE case_id = :quiet_report;
UPDATE cases SET status = 'closed' WHERE case_id = :quiet_report;
\echo :LAST_ERROR_SQLSTATE
UPDATE cases SET status = 'closed', closing_reason = '未造成不良影响，本人不要求澄清' WHERE case_id = :quiet_report;

-- False accusations: only a report suspected of false accusation is pursued,
-- against an accuser whose identity decides the sanction route.
INSERT INTO cases (kind, subject_id, unit_id, related_case_id) VALUES ('false_accusation', 3, 3, :org_report);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO cases (kind, subject_id, unit_id, related_case_id) VALUES ('false_accusation', 4, 3, :report);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO cases (kind, subject_id, unit_id, related_case_id) VALUES ('false_accusation', 3, 3, NULL);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO cases (kind, subject_id, unit_id, related_case_id) VALUES ('false_accusation', 3, 3, :report)
RETURNING case_id AS accusation \gset
UPDATE cases SET status = 'investigating' WHERE case_id = :accusation;
UPDATE cases SET status = 'liable' WHERE case_id = :accusation;
-- The finding is approved at city level or above, never by the county.
INSERT INTO determinations (case_id, outcome, deciding_body, deciding_unit_id) VALUES (:accusation, 'not_tolerable', '县纪委', 3);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO determinations (case_id, outcome, deciding_body) VALUES (:accusation, 'not_tolerable', '市纪委');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO determinations (case_id, outcome, deciding_body, deciding_unit_id)
VALUES (:accusation, 'not_tolerable', '市纪委常委会', 2) RETURNING determination_no, assessed_outcome;
UPDATE cases SET status = 'determined' WHERE case_id = :accusation;

-- A report may not carry a finding unless it is a report.
UPDATE cases SET report_finding = 'mistaken_report' WHERE case_id = :accusation;
\echo :LAST_ERROR_SQLSTATE

-- Early warnings, and who may need one: three reports within the window.
INSERT INTO cases (kind, subject_id, unit_id) VALUES ('report', 1, 3);
INSERT INTO early_warnings (subject_id, sign, issued_by, issued_on) VALUES (1, '工作方式简单粗暴，群众有反映', '镇纪委', '2026-05-01')
RETURNING warning_id;
SELECT subject_id, reason, case_id, detail FROM early_warning_candidates WHERE reason = 'repeated_reports';

-- The demotion catalogue: the 15 national situations, and a local one.
SELECT count(*) AS national, count(*) FILTER (WHERE source LIKE '%第五条%') AS cite_article_5
FROM demotion_situations WHERE standard;
UPDATE demotion_situations SET text_zh = '改' WHERE code = 'N-07';
\echo :LAST_ERROR_SQLSTATE
INSERT INTO demotion_situations (code, category, text_zh, text_en, source)
VALUES ('ZJ-3-07', '担当作为', '面对急难险重任务推诿扯皮', 'Shirks urgent and difficult tasks', '浙江省 7类30种 第3类第7种');
INSERT INTO demotions (subject_id, situation_code, method, prior_measures, decided_by, decided_on, effective_on, reuse_eligible_on)
VALUES (1, 'N-07', 'reassignment', '{reminder,admonishment}', '市委组织部', '2026-09-10', '2026-09-15', '2099-09-15');
INSERT INTO demotions (subject_id, situation_code, method, decided_by, decided_on, effective_on, reuse_eligible_on)
VALUES (1, 'NO-SUCH', 'removal', '市委组织部', '2026-09-10', '2026-09-15', '2027-09-15');
\echo :LAST_ERROR_SQLSTATE

-- The cadre's standing: the demotion counts, and so does the false accuser's sanction;
-- the untrue, clarified reports never do.
SELECT subject_id, sanctions_in_effect, demotions_in_effect, tolerated_errors, unfounded_reports,
       clarified_reports, early_warnings
FROM subject_standing ORDER BY subject_id;
SELECT name, clarified_reports FROM subject_standing(2);

-- The dossier (一件一档), field by field.
SELECT d->'case'->>'case_id' = :'report' AS is_the_case,
       d->'case'->>'status' AS status, d->>'status_zh' AS status_zh,
       d->'subject'->>'name' AS subject, d->'unit'->>'name' AS unit, d->'unit_path' AS unit_path,
       jsonb_array_length(d->'events') AS events,
       d->'events'->0->>'to_status' AS first_move,
       d->'events'->-1->>'to_status' AS last_move,
       jsonb_array_length(d->'clarifications') AS clarifications,
       d->'clarifications'->0->'methods' AS methods,
       jsonb_array_length(d->'follow_up_visits') AS visits,
       d->'follow_up_visits'->-1->>'concerns_resolved' AS resolved,
       jsonb_array_length(d->'determinations') AS determinations,
       d->'related_cases'->0->>'kind' AS related_kind,
       d->'history_problems' AS history_problems,
       d->'case' ? 'last_event_hash' AS exposes_chain_head
FROM case_dossier(:report) AS d;
SELECT case_dossier(-1) IS NULL AS no_such_case;

RESET ROLE;
SELECT count(*) AS history_problems FROM verify_history();
DELETE FROM role_units WHERE role_id = 'regress_protector'::regrole;
DROP OWNED BY regress_protector;
DROP ROLE regress_protector;
