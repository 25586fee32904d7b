--
-- Cases and the workflow: UPDATE ... SET status is the interface.
--
-- Each file starts from a fresh install (the record itself cannot be deleted).
DROP EXTENSION pg_accountability CASCADE;
CREATE EXTENSION pg_accountability;
SET search_path = public, accountability;
SET accountability.actor = 'clerk Wang';

-- A small province: the province, a city, a county.
INSERT INTO units (code, name, name_en, level) VALUES ('33', '浙江省', 'Zhejiang', 'province');
INSERT INTO units (parent_id, code, name, level) VALUES (1, '3301', '杭州市', 'city');
INSERT INTO units (parent_id, code, name, level) VALUES (2, '330110', '余杭区', 'county');
INSERT INTO subjects (kind, name, unit_id, post) VALUES
    ('person', '张三', 3, '街道党工委书记'),
    ('person', '李四', 3, '副镇长'),
    ('party_org', '某村党支部', 3, NULL);
INSERT INTO subjects (kind, name, unit_id, identity_type) VALUES ('person', '王某', 3, 'public_servant');

-- A case handler of the county: it may read and write cases and record
-- determinations (a reviewer, which includes the clerk's rights), but holds
-- no right at all to write the history.
CREATE ROLE regress_clerk IN ROLE accountability_reviewer;
INSERT INTO role_units (role_id, unit_id) VALUES ('regress_clerk', 3);
SET ROLE regress_clerk;

-- A new case starts in received, with no history.
INSERT INTO cases (kind, subject_id, unit_id, event_on, opened_on, facts)
VALUES ('accountability', 1, 3, '2026-03-01', '2026-04-01',
        '{"situation": "reform_pilot", "consequence": "minor", "red_line_breach": false,
          "knowing_violation": false, "violated_explicit_ban": false, "private_gain": false,
          "fraud_or_obstruction": false, "procedure_proper": true, "diligent": true,
          "corrected_promptly": true}')
RETURNING case_id, status, version, event_count;
INSERT INTO cases (kind, subject_id, unit_id, status) VALUES ('report', 2, 3, 'closed');
\echo :LAST_ERROR_SQLSTATE

-- Bad facts are refused on write, by the same C code as assess_tolerance.
INSERT INTO cases (kind, subject_id, unit_id, facts) VALUES ('report', 2, 3, '{"consequence": "catastrophic"}');
\echo :LAST_ERROR_SQLSTATE

-- Legal moves pass; an illegal one names the legal next statuses.
UPDATE cases SET status = 'investigating', transition_note = '调查组已成立' WHERE case_id = 1;
UPDATE cases SET status = 'determined' WHERE case_id = 1;
\echo :LAST_ERROR_SQLSTATE
UPDATE cases SET status = 'liable' WHERE case_id = 1;
UPDATE cases SET status = 'tolerance_review' WHERE case_id = 1;

-- The assessment: the database's own reading of the facts.
SELECT * FROM assess_case(1);

-- determined needs a determination recorded in the current status.
UPDATE cases SET status = 'determined' WHERE case_id = 1;
\echo :LAST_ERROR_SQLSTATE

-- The body may not be two grades more lenient, nor one without a basis.
INSERT INTO determinations (case_id, outcome, deciding_body) VALUES (1, 'not_accountable', '区纪委常委会');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO determinations (case_id, outcome, deciding_body) VALUES (1, 'reduced', '区纪委常委会');
\echo :LAST_ERROR_SQLSTATE
-- A number chosen by the client is refused.
INSERT INTO determinations (case_id, determination_no, outcome, deciding_body) VALUES (1, 7, 'exempted', '区纪委常委会');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO determinations (case_id, outcome, deciding_body, meeting_ref, decided_on)
VALUES (1, 'exempted', '区纪委常委会', '2026年第5次常委会', '2026-05-10')
RETURNING determination_no, outcome, assessed_outcome, assessed_reasons, after_event_no;
-- The recorded outcome cannot be rewritten.
UPDATE determinations SET outcome = 'not_accountable' WHERE case_id = 1;
\echo :LAST_ERROR_SQLSTATE

UPDATE cases SET status = 'determined' WHERE case_id = 1;
UPDATE cases SET status = 'notified' WHERE case_id = 1;
\echo :LAST_ERROR_SQLSTATE
UPDATE determinations SET notified_on = '2026-05-12' WHERE case_id = 1;
UPDATE cases SET status = 'notified' WHERE case_id = 1;
UPDATE cases SET status = 'correcting' WHERE case_id = 1;
\echo :LAST_ERROR_SQLSTATE
INSERT INTO correction_plans (case_id, matter, measures, due_on)
VALUES (1, '审批流程不规范', '修订审批制度', '2026-07-01') RETURNING plan_no;
UPDATE cases SET status = 'correcting' WHERE case_id = 1;
UPDATE cases SET status = 'filed' WHERE case_id = 1;
\echo :LAST_ERROR_SQLSTATE
UPDATE correction_plans SET completed_on = '2026-06-20', verified_by = '区委组织部' WHERE case_id = 1;
UPDATE cases SET status = 'filed' WHERE case_id = 1;
-- A lenient outcome is followed up (回访教育) before the case closes.
UPDATE cases SET status = 'closed' WHERE case_id = 1;
\echo :LAST_ERROR_SQLSTATE
UPDATE cases SET status = 'follow_up' WHERE case_id = 1;
UPDATE cases SET status = 'closed' WHERE case_id = 1;
\echo :LAST_ERROR_SQLSTATE
INSERT INTO follow_up_visits (case_id, plan, visitor, visited_on, method, concerns_resolved)
VALUES (1, '一人一策：每季度谈心一次', '区纪委 赵六', '2026-08-01', 'face_to_face', true);
UPDATE cases SET status = 'closed' WHERE case_id = 1;

-- The history: one event per transition, with the actor and the note
-- (db_user names the login after the role it SET ROLE to; the login, which
-- differs from machine to machine, is cut off here).
SELECT event_no, event_kind, from_status, to_status, replace(db_user, format(' (login %s)', session_user), '') AS db_user,
       actor, note, length(hash) AS hash_bytes
FROM case_events WHERE case_id = 1 ORDER BY event_no;
SELECT case_id, status, version, event_count FROM cases WHERE case_id = 1;
SELECT * FROM verify_history();

-- A closed case is final; cases are never deleted; history is never edited:
-- not even by the owner or a superuser (the guards are ENABLE ALWAYS).
UPDATE cases SET conclusion = 'rewritten' WHERE case_id = 1;
\echo :LAST_ERROR_SQLSTATE
DELETE FROM cases WHERE case_id = 1;
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
SET session_replication_role = replica;
DELETE FROM cases WHERE case_id = 1;
\echo :LAST_ERROR_SQLSTATE
UPDATE case_events SET note = 'forged' WHERE case_id = 1;
\echo :LAST_ERROR_SQLSTATE
DELETE FROM case_events WHERE case_id = 1;
\echo :LAST_ERROR_SQLSTATE
TRUNCATE case_events;
\echo :LAST_ERROR_SQLSTATE
RESET session_replication_role;
SET ROLE regress_clerk;

-- The two shortcuts to closed need a reason.
INSERT INTO cases (kind, subject_id, unit_id) VALUES ('report', 2, 3) RETURNING case_id AS report_id \gset
UPDATE cases SET status = 'closed' WHERE case_id = :report_id;
\echo :LAST_ERROR_SQLSTATE
UPDATE cases SET status = 'closed', closing_reason = '不属于受理范围' WHERE case_id = :report_id;
SELECT status, closing_reason FROM cases WHERE case_id = :report_id;

-- No tolerance review for a false accuser (the accuser of a report found untrue).
INSERT INTO cases (kind, subject_id, unit_id) VALUES ('report', 2, 3) RETURNING case_id AS untrue_report \gset
UPDATE cases SET status = 'investigating' WHERE case_id = :untrue_report;
UPDATE cases SET status = 'unfounded', report_finding = 'suspected_false_accusation' WHERE case_id = :untrue_report;
INSERT INTO cases (kind, subject_id, unit_id, related_case_id) VALUES ('false_accusation', 4, 3, :untrue_report)
RETURNING case_id AS accuser_case \gset
UPDATE cases SET status = 'investigating' WHERE case_id = :accuser_case;
UPDATE cases SET status = 'liable' WHERE case_id = :accuser_case;
UPDATE cases SET status = 'tolerance_review' WHERE case_id = :accuser_case;
\echo :LAST_ERROR_SQLSTATE

-- The history columns are the database's.
UPDATE cases SET event_count = 0 WHERE case_id = :accuser_case;
\echo :LAST_ERROR_SQLSTATE

-- A temporary table named like the history does not capture the trigger's write.
CREATE TEMP TABLE case_events (case_id bigint, event_no int, event_kind text, from_status case_status,
    to_status case_status, occurred_at timestamptz, db_user text, actor text, note text, hash bytea);
SET search_path = pg_temp, public, accountability;
INSERT INTO accountability.determinations (case_id, outcome, deciding_body, deciding_unit_id)
VALUES (:accuser_case, 'not_tolerable', '市纪委常委会', 2);
UPDATE accountability.cases SET status = 'determined' WHERE case_id = :accuser_case;
SELECT count(*) AS captured_by_temp_table FROM pg_temp.case_events;
SELECT count(*) AS real_events_of_accuser_case FROM accountability.case_events WHERE case_id = :accuser_case;
DROP TABLE pg_temp.case_events;
SET search_path = public, accountability;

-- Import mode: an administrator loads historical cases in any status, each with an imported event.
SET accountability.import = on;
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
SET accountability.import = on;
INSERT INTO cases (kind, subject_id, unit_id, status, opened_on, transition_note)
VALUES ('report', 2, 3, 'filed', '2020-01-01', '从旧系统导入') RETURNING case_id AS imported_case, status, origin \gset
\echo imported as :status, origin :origin
RESET accountability.import;
SET ROLE regress_clerk;
SELECT event_no, event_kind, from_status, to_status, note FROM case_events WHERE case_id = :imported_case;
UPDATE cases SET status = 'closed' WHERE case_id = :imported_case;
SELECT event_no, event_kind, from_status, to_status FROM case_events WHERE case_id = :imported_case ORDER BY event_no;
SELECT * FROM verify_history();

RESET ROLE;

-- Settings: inserting an existing name replaces it.
INSERT INTO settings VALUES ('appeal', 15, 'days', 'Days to appeal (申诉期限), local rule.');
SELECT name, value, unit FROM settings ORDER BY name;

-- Tampering by a superuser who disables the guard is caught by the hash chain.
ALTER TABLE case_events DISABLE TRIGGER case_events_no_update;
UPDATE case_events SET note = 'forged' WHERE case_id = 1 AND event_no = 3;
DELETE FROM case_events WHERE case_id = 1 AND event_no = 8;
ALTER TABLE case_events ENABLE ALWAYS TRIGGER case_events_no_update;
SELECT * FROM verify_history();
SELECT count(*) AS problems_of_other_cases FROM verify_history(:accuser_case);
-- One case at a time (through the primary keys) finds exactly what the
-- pass over every case finds, case by case.
SELECT count(*) AS one_case_path_disagrees FROM (
    (SELECT * FROM verify_history() EXCEPT ALL SELECT h.* FROM cases c, verify_history(c.case_id) h)
    UNION ALL
    (SELECT h.* FROM cases c, verify_history(c.case_id) h EXCEPT ALL SELECT * FROM verify_history())) d;
SELECT * FROM verify_history(1);

-- Every row of the record that commits is in the ledger.  A statement
-- stopped at a row limit never runs its statement triggers; a direct call
-- of the counting function leaves the same count behind, and the commit
-- is refused.  It counts the tables of the record only.
BEGIN;
SELECT accountability.ledger_row_written('accountability.trainings');
COMMIT;
SELECT accountability.ledger_row_written('accountability.settings');

DELETE FROM role_units WHERE role_id = 'regress_clerk'::regrole;
DROP OWNED BY regress_clerk;
DROP ROLE regress_clerk;
