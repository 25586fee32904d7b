-- pg_accountability demo: the types and the transition rules.
-- (run by `make demo` in a throwaway cluster)
CREATE EXTENSION pg_accountability;
\dx pg_accountability
-- The types' operators live in schema accountability: put it on the search_path.
SET search_path = public, accountability;

-- A case status is a one-byte type, ordered by the lifecycle.
SELECT s AS status, accountability.label(s, 'zh') AS 中文, accountability.next_statuses(s) AS may_move_to
FROM unnest('{received,investigating,unfounded,liable,tolerance_review,determined,notified,appealed,correcting,filed,follow_up,closed}'::accountability.case_status[]) AS s
ORDER BY s;

-- Tolerance outcomes are ordered by leniency: >= exempted means "no sanction".
SELECT o AS outcome, accountability.label(o, 'zh') AS 中文, o >= 'exempted' AS no_sanction
FROM unnest('{not_tolerable,lighter,reduced,exempted,not_accountable}'::accountability.tolerance_outcome[]) AS o
ORDER BY o;

-- Input takes English in any case or Chinese; output follows accountability.language.
SET accountability.language = 'zh';
SELECT 'Tolerance_Review'::accountability.case_status AS status, '免予问责'::accountability.tolerance_outcome AS outcome;
RESET accountability.language;
SELECT 'Tolerance_Review'::accountability.case_status AS status, '免予问责'::accountability.tolerance_outcome AS outcome;

-- Moves the state machine allows, and one it does not.
SELECT accountability.can_transition('liable', 'tolerance_review') AS liable_to_review,
       accountability.can_transition('received', 'determined') AS received_to_determined;

-- A mistyped value is refused with the list of valid ones.
\set ON_ERROR_STOP 0
SELECT 'archived'::accountability.case_status;
\set ON_ERROR_STOP 1

-- ---------------------------------------------------------------------
-- A case through the workflow: UPDATE ... SET status is the interface.
-- ---------------------------------------------------------------------
SET accountability.actor = '承办人 王五';
INSERT INTO units (code, name, name_en, level) VALUES ('33', '浙江省', 'Zhejiang', 'province');
INSERT INTO units (parent_id, code, name, name_en, level) VALUES (1, '3301', '杭州市', 'Hangzhou', 'city');
INSERT INTO units (parent_id, code, name, name_en, level) VALUES (2, '330110', '余杭区', 'Yuhang', 'county');
INSERT INTO subjects (kind, name, unit_id, post) VALUES ('person', '张三', 3, '街道党工委书记');
-- The county keeps its own tolerance list (容错细化清单): one positive item.
INSERT INTO tolerance_list_items (unit_id, code, polarity, category, text_zh, valid_from)
VALUES (3, 'YH-2024-03', 'positive', '改革创新失误', '数字化改革试点中因缺乏经验出现的程序瑕疵', '2024-01-01');

-- An error in a digital-reform pilot, with the facts the inquiry found.
INSERT INTO cases (kind, subject_id, unit_id, event_on, facts)
VALUES ('accountability', 1, 3, '2026-03-01',
        '{"situation": "YH-2024-03", "consequence": "minor", "red_line_breach": false,
          "knowing_violation": false, "violated_explicit_ban": false, "private_gain": false,
          "fraud_or_obstruction": false, "repeated_error": false, "procedure_proper": true,
          "diligent": false, "corrected_promptly": true, "loss_recovered": "full", "cooperated": true}')
RETURNING case_id, status;

UPDATE cases SET status = 'investigating', transition_note = '成立调查组' WHERE case_id = 1;
-- Skipping steps is refused, with the legal next statuses:
\set ON_ERROR_STOP 0
UPDATE cases SET status = 'determined' WHERE case_id = 1;
\set ON_ERROR_STOP 1
UPDATE cases SET status = 'liable' WHERE case_id = 1;
UPDATE cases SET status = 'tolerance_review' WHERE case_id = 1;

-- The database's assessment: the item is on the county's list, one condition failed,
-- the loss was fully recovered and the cadre cooperated: 减轻问责.
SELECT * FROM case_facts(1);
SELECT * FROM assess_case(1);
SELECT r.code, r.text_zh FROM assess_case(1) a, unnest(a.reasons) AS c(code)
JOIN tolerance_rules() r USING (code);

-- The deciding body may not be two grades more lenient than the assessment:
\set ON_ERROR_STOP 0
INSERT INTO determinations (case_id, outcome, deciding_body, basis)
VALUES (1, 'not_accountable', '区纪委常委会', '群众评价好');
\set ON_ERROR_STOP 1
INSERT INTO determinations (case_id, mode, outcome, deciding_body, meeting_ref)
VALUES (1, 'application', 'reduced', '区纪委常委会', '2026年第5次常委会')
RETURNING determination_no, outcome, assessed_outcome, assessed_reasons;

UPDATE cases SET status = 'determined' WHERE case_id = 1;
UPDATE determinations SET notified_on = accountability.record_today() WHERE case_id = 1;
UPDATE cases SET status = 'notified' WHERE case_id = 1;
INSERT INTO correction_plans (case_id, matter, measures, due_on)
VALUES (1, '审批流程不规范', '修订试点审批制度', accountability.record_today() + 30);
UPDATE cases SET status = 'correcting' WHERE case_id = 1;
UPDATE correction_plans SET completed_on = accountability.record_today(), verified_by = '区委组织部' WHERE case_id = 1;
UPDATE cases SET status = 'filed' WHERE case_id = 1;

-- The history, in Chinese, and its integrity check.
SET accountability.language = 'zh';
SELECT event_no, from_status, to_status, actor, note, encode(substr(hash, 1, 6), 'hex') AS hash_head
FROM case_events WHERE case_id = 1 ORDER BY event_no;
RESET accountability.language;
SELECT count(*) AS problems FROM verify_history();

-- Nobody rewrites history, not even the superuser running this demo:
\set ON_ERROR_STOP 0
UPDATE case_events SET note = '改写' WHERE case_id = 1;
DELETE FROM cases WHERE case_id = 1;
\set ON_ERROR_STOP 1

-- ---------------------------------------------------------------------
-- One province's year (Zhejiang), run through the same interface:
-- 100,000 cadres and organizations, ~7,800 cases moved with UPDATE,
-- determinations whose outcomes are assess_case's, clarifications,
-- follow-up visits and false-accusation cases.
-- ---------------------------------------------------------------------
CREATE DATABASE demo_province;
\c demo_province
CREATE EXTENSION pg_accountability;
\set QUIET on
\set ECHO none
\i :demo_dir/generate.sql
\set ECHO all
\set QUIET off
SET search_path = public, accountability;

-- The annual report, province total and the eleven cities.  The province
-- row shows the published figures: 241 tolerance cases, 2244 persons and 200
-- party organizations clarified, 100 false-accusation cases, 134 people.
SELECT unit_name_en AS unit, tolerance_cases, clarified_persons AS clarified_people,
       clarified_organizations AS clarified_orgs, false_accusation_cases AS false_acc_cases,
       false_accusation_persons AS false_acc_people, unfounded_reports, clarification_rate,
       tolerance_applications AS applications, tolerance_grants AS granted
FROM annual_report
WHERE year = 2025 AND unit_level IN ('province', 'city')
ORDER BY is_province_total DESC, unit_id;

-- 同一报表，中文。
SET accountability.language = 'zh';
SELECT unit_name AS 单位, tolerance_cases AS 容错纠错, clarified_persons AS 澄清正名干部,
       clarified_organizations AS 澄清正名党组织, false_accusation_cases AS 查处诬告陷害案件,
       false_accusation_persons AS 涉及人数, clarification_rate AS 澄清率
FROM annual_report
WHERE year = 2025 AND unit_level IN ('province', 'city')
ORDER BY is_province_total DESC, unit_id;

-- The outcome mix of the year's determinations (outside false accusations).
SELECT outcome AS 认定结果, mode AS 方式, sum(determinations) AS 件数
FROM tolerance_by_situation WHERE year = 2025
GROUP BY outcome, mode ORDER BY outcome DESC, mode;
RESET accountability.language;
SELECT situation, situation_zh, listed, outcome_en, determinations
FROM tolerance_by_situation WHERE year = 2025 AND outcome_en <> 'not_tolerable'
ORDER BY determinations DESC, situation LIMIT 8;

-- The head of the overdue list.
SELECT case_id, kind, status, status_zh, unit_path, due_on, days_overdue
FROM overdue_cases ORDER BY days_overdue DESC, case_id LIMIT 8;

-- One case's whole file (一件一档): a cadre cleared of a false accusation.  The
-- report was found untrue and the cadre publicly cleared ("clearance"); a
-- report is verified, not assessed for tolerance ("assessment" says so; on
-- other cases it is what the recorded facts would give, never a verdict).
SELECT jsonb_pretty(case_dossier((SELECT min(c.related_case_id) FROM cases c
                                  JOIN clarifications k ON k.case_id = c.related_case_id AND k.done_on IS NOT NULL
                                  WHERE c.kind = 'false_accusation'))
                    - 'events' - 'unit') AS dossier;

-- The incentive half: the province's figures, and the article's examples.
SELECT unit_name_en AS unit, good_cadre_commendations AS good_cadres, excellent_assessments AS excellent,
       training_participants AS trained, mentoring_pairs, promotions_after_protection AS used_again
FROM annual_report WHERE year = 2025 AND unit_level = 'province';
-- 百官街道: six young cadres, two assessed excellent, three advanced individuals, one promoted.
SELECT name, latest_grade, commendations, promotions, last_promoted_on, may_be_promoted
FROM subject_standing WHERE name LIKE '百官街道90后干部%' ORDER BY name;
-- 仓前街道: 吴湛 mentors 白晓东; sixty training places over twenty sessions for the new cadres.
SELECT (SELECT name FROM subjects WHERE subject_id = m.mentor_id) AS mentor,
       (SELECT name FROM subjects WHERE subject_id = m.mentee_id) AS mentee,
       (SELECT count(*) FROM mentoring_sessions x WHERE x.mentorship_id = m.mentorship_id) AS sessions
FROM mentorships m WHERE m.mentor_id = (SELECT subject_id FROM subjects WHERE name = '吴湛');
SELECT count(*) AS training_places, count(DISTINCT course) AS sessions, count(DISTINCT subject_id) AS new_cadres
FROM trainings WHERE course LIKE '仓前街道年轻干部交流班%';

-- The figures every role reads are exact: a count from scratch finds no difference.
SELECT count(*) AS report_figure_differences FROM report_figures_check();

-- Integrity of the whole history, and how long each stage took.
SELECT count(*) AS history_problems FROM verify_history();
SELECT stage, round(seconds, 2) AS seconds FROM demo.timings ORDER BY at;

-- ---------------------------------------------------------------------
-- The ledger (账本): a digest kept outside the database, a superuser's
-- tampering, and verification catching it (README "The ledger").
-- ---------------------------------------------------------------------
SELECT ledger_digest() AS digest \gset
SELECT jsonb_pretty(:'digest'::jsonb - 'database') AS digest_kept_outside;
SELECT count(*) AS entries, count(DISTINCT table_name) AS tables, (SELECT count(*) FROM ledger_blocks) AS blocks
FROM ledger_entries;

-- Replica mode, the old way around the triggers, is refused even to a superuser:
-- here, a forged event closing case 1.
\set ON_ERROR_STOP 0
BEGIN;
SET LOCAL session_replication_role = replica;
INSERT INTO case_events
SELECT case_id, event_no + 1, 'transition', to_status, 'closed', now(), 'clerk', NULL, NULL, hash
FROM case_events WHERE case_id = 1 ORDER BY event_no DESC LIMIT 1;
ROLLBACK;
\set ON_ERROR_STOP 1

-- So the superuser disables the guards, turns one sanction into an exemption,
-- and cuts the last event off case 1's history, rolling the case back.
BEGIN;
ALTER TABLE determinations DISABLE TRIGGER ALL;
UPDATE determinations SET outcome = 'exempted'
WHERE (case_id, determination_no) = (SELECT case_id, determination_no FROM determinations
                                     WHERE outcome = 'not_tolerable' ORDER BY case_id LIMIT 1);
ALTER TABLE case_events DISABLE TRIGGER ALL;
ALTER TABLE cases DISABLE TRIGGER ALL;
DELETE FROM case_events WHERE case_id = 1 AND event_no = (SELECT event_count FROM cases WHERE case_id = 1);
UPDATE cases SET status = e.to_status, event_count = e.event_no, last_event_hash = e.hash
FROM case_events e WHERE cases.case_id = 1 AND e.case_id = 1 AND e.event_no = cases.event_count - 1;
SELECT count(*) AS history_problems FROM verify_history(1);
-- verify_history() sees nothing; the ledger, against the digest, sees both:
SELECT area, table_name, row_key, problem FROM verify_ledger(:'digest');
-- 同一核验，中文。
SELECT CASE area WHEN 'digest' THEN '摘要' WHEN 'block' THEN '区块' WHEN 'entry' THEN '条目'
                 WHEN 'row' THEN '记录' WHEN 'history' THEN '流转记录' END AS 范围,
       table_name AS 表, row_key AS 主键,
       CASE WHEN problem LIKE 'row differs%' THEN '记录与账本最新条目不符（在账本之外被改写）'
            WHEN problem LIKE 'row is in the ledger but missing%' THEN '账本中有此记录，表中已缺失（在账本之外被删除）'
            WHEN problem LIKE 'row is not in the ledger%' THEN '记录不在账本中（关闭触发器写入）'
            ELSE problem END AS 问题
FROM verify_ledger(:'digest');
ROLLBACK;

-- Rolled back: intact again, and a later digest extends the first.
SELECT count(*) AS ledger_problems FROM verify_ledger(jsonb_build_array(:'digest'::jsonb, ledger_digest()));
