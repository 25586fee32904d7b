-- pgTAP: the C code's defences, each provoked once.  A C function that is
-- misdeclared, a trigger attached the wrong way, a damaged byte on disk, a
-- forged chain head, a missing setting, a case that does not exist: each is
-- refused with its own SQLSTATE and message, never a crash or a wrong
-- answer.  (make coverage shows every one of these paths runs.)
BEGIN;
-- (the overlaps of the distinct report figures are counted at commit, by a
-- deferred trigger: in this one transaction, at the end of each statement)
SET CONSTRAINTS ALL IMMEDIATE;
SET LOCAL search_path = accountability, public;
SELECT plan(114);

-- SQLSTATE: message [/ detail] of a statement, or 'no error'.
CREATE FUNCTION pg_temp.error_of(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    state text;
    message text;
    detail text;
BEGIN
    EXECUTE statement;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
    RETURN state || ': ' || message || coalesce(' / ' || nullif(detail, ''), '');
END $$;

INSERT INTO units (code, name, level) VALUES ('edge-33', '边界省', 'province') RETURNING unit_id AS unit \gset
INSERT INTO subjects (kind, name, unit_id) VALUES ('person', '边界甲', :unit) RETURNING subject_id AS subject \gset

-- ---------------------------------------------------------------------
-- 1. Determinations: the leniency rule's two refusals, and a null outcome.
-- ---------------------------------------------------------------------
INSERT INTO cases (kind, subject_id, unit_id, facts)
VALUES ('accountability', :subject, :unit, '{"red_line_breach": true, "situation": "reform_pilot"}')
RETURNING case_id AS gate_case \gset
UPDATE cases SET status = 'investigating' WHERE case_id = :gate_case;
UPDATE cases SET status = 'liable' WHERE case_id = :gate_case;
SELECT throws_ok(format($$INSERT INTO determinations (case_id, outcome, basis, deciding_body)
                          VALUES (%s, 'lighter', '情节轻微', '纪委')$$, :gate_case),
                 '23514', 'outcome lighter is more lenient than the assessment, not_tolerable, after a failed gate',
                 'determination: no leniency at all after a failed gate, even with a basis');
SELECT throws_ok(format($$INSERT INTO determinations (case_id, outcome, deciding_body) VALUES (%s, NULL, '纪委')$$, :gate_case),
                 '23502', 'a determination needs the outcome the deciding body chose',
                 'determination: the outcome is required before anything is assessed');

-- A departure from the assessment needs a basis that says something.
INSERT INTO cases (kind, subject_id, unit_id, facts)
VALUES ('accountability', :subject, :unit,
        '{"red_line_breach": false, "knowing_violation": false, "violated_explicit_ban": false,
          "private_gain": false, "fraud_or_obstruction": false, "repeated_error": false,
          "consequence": "minor", "situation": "reform_pilot", "procedure_proper": true,
          "diligent": true, "corrected_promptly": true}')
RETURNING case_id AS minor_case \gset
UPDATE cases SET status = 'investigating' WHERE case_id = :minor_case;
UPDATE cases SET status = 'liable' WHERE case_id = :minor_case;
SELECT throws_ok(format($$INSERT INTO determinations (case_id, outcome, basis, deciding_body)
                          VALUES (%s, 'not_accountable', E' \n\t ', '纪委')$$, :minor_case),
                 '23514', 'a determination more lenient than the assessment needs a written basis',
                 'determination: a blank basis is no basis');

-- A false accusation is decided at city level or above: a department may,
-- an unknown deciding unit may not.
INSERT INTO units (parent_id, code, name, level) VALUES (:unit, 'edge-33-d', '边界省纪委', 'department')
RETURNING unit_id AS department \gset
INSERT INTO subjects (kind, name, unit_id, identity_type) VALUES ('person', '边界乙', :unit, 'public_servant')
RETURNING subject_id AS accuser \gset
INSERT INTO cases (kind, subject_id, unit_id) VALUES ('report', :subject, :unit) RETURNING case_id AS report \gset
UPDATE cases SET status = 'investigating' WHERE case_id = :report;
UPDATE cases SET status = 'unfounded', report_finding = 'suspected_false_accusation' WHERE case_id = :report;
INSERT INTO cases (kind, subject_id, unit_id, related_case_id) VALUES ('false_accusation', :accuser, :unit, :report)
RETURNING case_id AS accusation \gset
UPDATE cases SET status = 'investigating' WHERE case_id = :accusation;
UPDATE cases SET status = 'liable' WHERE case_id = :accusation;
SELECT is(pg_temp.error_of(format($$INSERT INTO determinations (case_id, outcome, deciding_body) VALUES (%s, 'not_tolerable', '纪委')$$, :accusation)),
          '23514: a false-accusation determination must come from a unit at city level or above / deciding_unit_id is not a known unit.',
          'false accusation: a determination without a deciding unit is refused');
INSERT INTO units (code, name, level) VALUES ('edge-other', '他省', 'province') RETURNING unit_id AS other_province \gset
INSERT INTO units (parent_id, code, name, level) VALUES (:other_province, 'edge-other-city', '他省某市', 'city')
RETURNING unit_id AS other_city \gset
SELECT is(pg_temp.error_of(format($$INSERT INTO determinations (case_id, outcome, deciding_body, deciding_unit_id)
                                    VALUES (%s, 'not_tolerable', '他市纪委', %s)$$, :accusation, :other_city)),
          '23514: a false-accusation determination must come from the city or province the case belongs to / deciding_unit_id is a city-level unit that is not above the case''s unit.',
          'false accusation: a city elsewhere, above nothing of the case, may not decide it');
SELECT lives_ok(format($$INSERT INTO determinations (case_id, outcome, deciding_body, deciding_unit_id)
                         VALUES (%s, 'not_tolerable', '省纪委', %s)$$, :accusation, :department),
                'false accusation: a provincial department may decide it');
-- but a county's own department is the county (attack round 9)
INSERT INTO units (parent_id, code, name, level) VALUES (:unit, 'edge-33-c', '边界市', 'city') RETURNING unit_id AS edge_city \gset
INSERT INTO units (parent_id, code, name, level) VALUES (:edge_city, 'edge-33-k', '边界县', 'county') RETURNING unit_id AS edge_county \gset
INSERT INTO units (parent_id, code, name, level) VALUES (:edge_county, 'edge-33-kd', '边界县纪委', 'department')
RETURNING unit_id AS county_department \gset
INSERT INTO subjects (kind, name, unit_id, identity_type) VALUES ('person', '边界丙', :edge_county, 'public_servant')
RETURNING subject_id AS accuser2 \gset
INSERT INTO cases (kind, subject_id, unit_id, related_case_id) VALUES ('false_accusation', :accuser2, :edge_county, :report)
RETURNING case_id AS accusation2 \gset
UPDATE cases SET status = 'investigating' WHERE case_id = :accusation2;
UPDATE cases SET status = 'liable' WHERE case_id = :accusation2;
SELECT is(pg_temp.error_of(format($$INSERT INTO determinations (case_id, outcome, deciding_body, deciding_unit_id)
                                    VALUES (%s, 'not_tolerable', '县纪委', %s)$$, :accusation2, :county_department)),
          '23514: a false-accusation determination must come from a unit at city level or above / deciding_unit_id is a department of a county.',
          'false accusation: the county''s own department may not decide it');
SELECT lives_ok(format($$INSERT INTO determinations (case_id, outcome, deciding_body, deciding_unit_id)
                         VALUES (%s, 'not_tolerable', '市纪委', %s)$$, :accusation2, :edge_city),
                'false accusation: the city above the county may');

-- No situation: assessed not_tolerable without a failed gate.
INSERT INTO cases (kind, subject_id, unit_id, facts)
VALUES ('accountability', :subject, :unit,
        '{"red_line_breach": false, "knowing_violation": false, "violated_explicit_ban": false,
          "private_gain": false, "fraud_or_obstruction": false, "repeated_error": false,
          "consequence": "none"}')
RETURNING case_id AS work \gset
UPDATE cases SET status = 'investigating' WHERE case_id = :work;
UPDATE cases SET status = 'liable' WHERE case_id = :work;
SELECT throws_ok(format($$INSERT INTO determinations (case_id, outcome, basis, deciding_body)
                          VALUES (%s, 'reduced', '理由', '纪委')$$, :work),
                 '23514', 'outcome reduced is more than one grade more lenient than the assessment, not_tolerable',
                 'determination: two grades more lenient than assessed is refused');
SELECT throws_ok(format($$INSERT INTO determinations (case_id, outcome, deciding_body, influence_until)
                          VALUES (%s, 'not_tolerable', '纪委', '1950-01-01')$$, :work),
                 '23514', NULL,
                 'determination: a sanction ending before its decision (never in effect, so no bar to promotion) is refused');
INSERT INTO determinations (case_id, outcome, deciding_body) VALUES (:work, 'not_tolerable', '纪委');
UPDATE cases SET status = 'determined' WHERE case_id = :work;
UPDATE determinations SET notified_on = accountability.record_today() WHERE case_id = :work;
UPDATE cases SET status = 'notified' WHERE case_id = :work;
SELECT is((SELECT status::text FROM cases WHERE case_id = :work), 'notified', 'fixture: the case is notified');

-- ---------------------------------------------------------------------
-- 2. Requirements whose data went missing.
-- ---------------------------------------------------------------------
SAVEPOINT s;
-- (a setting is never deleted: a superuser takes its guard off first)
ALTER TABLE settings DISABLE TRIGGER settings_kept;
DELETE FROM settings WHERE name = 'appeal';
SELECT is(pg_temp.error_of(format($$UPDATE cases SET status = 'appealed' WHERE case_id = %s$$, :work)),
          '42704: setting "appeal" is missing from accountability.settings',
          'appeal: a deleted deadline setting is named, not read as zero');
ROLLBACK TO SAVEPOINT s;

SAVEPOINT s;
-- (the write model keeps a notification date: take it back past the guard)
ALTER TABLE determinations DISABLE TRIGGER determinations_05_write_model;
UPDATE determinations SET notified_on = NULL WHERE case_id = :work;
SELECT throws_ok(format($$UPDATE cases SET status = 'appealed' WHERE case_id = %s$$, :work),
                 '55000', format('case %s cannot move from notified to appealed without an appeal within the appeal window after notification', :work),
                 'appeal: a notification date taken back closes the window');
ROLLBACK TO SAVEPOINT s;
-- The window is judged on today's date in the record's calendar (China
-- Standard Time, UTC+8), whatever the session's TimeZone: attack round 7
-- stretched it by a day from UTC-12.
SAVEPOINT s;
ALTER TABLE determinations DISABLE TRIGGER determinations_05_write_model;
UPDATE determinations SET (decided_on, notified_on) = (SELECT d, d FROM (SELECT (now() AT TIME ZONE 'Etc/GMT-8')::date
                                                                   - (SELECT value FROM settings WHERE name = 'appeal') - 1) x (d))
WHERE case_id = :work;
SET LOCAL TimeZone = 'Etc/GMT+12';
SELECT throws_ok(format($$UPDATE cases SET status = 'appealed' WHERE case_id = %s$$, :work), '55000', NULL,
                 'appeal: a day past the window in the record''s calendar is refused from a session at UTC-12');
UPDATE determinations SET decided_on = decided_on + 1, notified_on = notified_on + 1 WHERE case_id = :work;
SET LOCAL TimeZone = 'Etc/GMT-14';
SELECT lives_ok(format($$UPDATE cases SET status = 'appealed' WHERE case_id = %s$$, :work),
                'appeal: the window''s last day in the record''s calendar passes from a session at UTC+14');
ROLLBACK TO SAVEPOINT s;
SELECT lives_ok(format($$UPDATE cases SET status = 'appealed' WHERE case_id = %s$$, :work),
                'appeal: within the window it passes');

-- An imported case in notified has no determination at all.
SET LOCAL accountability.import = on;
INSERT INTO cases (kind, subject_id, unit_id, status, origin)
VALUES ('accountability', :subject, :unit, 'notified', 'imported') RETURNING case_id AS imported \gset
SET LOCAL accountability.import = off;
SELECT throws_ok(format($$UPDATE cases SET status = 'appealed' WHERE case_id = %s$$, :imported),
                 '55000', format('case %s cannot move from notified to appealed without an appeal within the appeal window after notification', :imported),
                 'appeal: an imported case without a determination has no window');

-- Filing straight from appealed or notified leaves no plan open (attack round 10: a
-- plan added while notified, the case filed and closed, froze it open).
SAVEPOINT s;
INSERT INTO correction_plans (case_id, matter, measures, due_on)
VALUES (:work, '整改事项', '整改措施', accountability.record_today() + 30);
SELECT throws_ok(format($$UPDATE cases SET status = 'filed' WHERE case_id = %s$$, :work),
                 '55000', format('case %s cannot move from appealed to filed without every correction plan completed', :work),
                 'filing: a case appealed with a plan still open cannot be filed');
UPDATE correction_plans SET completed_on = accountability.record_today(), verified_by = '纪委' WHERE case_id = :work;
SELECT lives_ok(format($$UPDATE cases SET status = 'filed' WHERE case_id = %s$$, :work),
                'filing: once its plan is completed, it can');
ROLLBACK TO SAVEPOINT s;

-- An appeal that moves on without a re-determination keeps the determination
-- only on the facts it assessed (attack round 19: facts changed while
-- appealed, in the move or before it, and the case filed on the old outcome).
SELECT facts AS work_facts FROM cases WHERE case_id = :work \gset
SAVEPOINT s;
SELECT throws_ok(format($$UPDATE cases SET status = 'filed', facts = facts || '{"red_line_breach": true}' WHERE case_id = %s$$, :work),
                 '55000', format('case %s cannot move from appealed to filed without the notified determination standing on the facts the case has', :work),
                 'appeal: facts changed in the move to filed leave the determination behind');
UPDATE cases SET facts = facts || '{"red_line_breach": true}' WHERE case_id = :work;
SELECT throws_ok(format($$UPDATE cases SET status = 'filed' WHERE case_id = %s$$, :work),
                 '55000', format('case %s cannot move from appealed to filed without the notified determination standing on the facts the case has', :work),
                 'appeal: facts changed in a statement before the move to filed, too');
INSERT INTO correction_plans (case_id, matter, measures, due_on)
VALUES (:work, '整改事项', '整改措施', accountability.record_today() + 30);
SELECT throws_ok(format($$UPDATE cases SET status = 'correcting' WHERE case_id = %s$$, :work),
                 '55000', format('case %s cannot move from appealed to correcting without the notified determination standing on the facts the case has', :work),
                 'appeal: and in the move to correcting');
UPDATE cases SET facts = :'work_facts' WHERE case_id = :work;
SELECT lives_ok(format($$UPDATE cases SET status = 'correcting' WHERE case_id = %s$$, :work),
                'appeal: on the facts the determination assessed, restored, the case moves on');
ROLLBACK TO SAVEPOINT s;
SAVEPOINT s;
UPDATE cases SET facts = facts || '{"red_line_breach": true}' WHERE case_id = :work;
INSERT INTO determinations (case_id, outcome, deciding_body) VALUES (:work, 'not_tolerable', '纪委');
-- (attack round 20: a determination recorded during the appeal was filed on
-- unnotified; it goes through determined and notified like any other)
SELECT throws_ok(format($$UPDATE cases SET status = 'filed' WHERE case_id = %s$$, :work),
                 '55000', format('case %s cannot move from appealed to filed without the notified determination standing on the facts the case has', :work),
                 'appeal: a re-determination recorded during the appeal is not filed on unnotified');
SELECT lives_ok(format($$UPDATE cases SET status = 'determined' WHERE case_id = %s$$, :work),
                'appeal: new facts take a re-determination, and the case is determined again');
UPDATE determinations SET notified_on = accountability.record_today()
 WHERE case_id = :work AND determination_no = (SELECT max(determination_no) FROM determinations WHERE case_id = :work);
SELECT lives_ok(format($$UPDATE cases SET status = 'notified' WHERE case_id = %s;
                         UPDATE cases SET status = 'appealed' WHERE case_id = %s$$, :work, :work),
                'appeal: the re-determination notified, the subject may appeal it in turn');
SELECT lives_ok(format($$UPDATE cases SET status = 'filed' WHERE case_id = %s$$, :work),
                'appeal: and with that appeal dismissed, the case is filed on the re-determination, which stands');
SET LOCAL accountability.digest_in_transaction = on;
SELECT is((SELECT string_agg(problem, '; ') FROM accountability.verify_ledger(accountability.ledger_digest())), NULL,
          'appeal: the ledger finds nothing in that whole lawful path');
ROLLBACK TO SAVEPOINT s;

-- A determination records the date it judged the facts on; an event date
-- filled in during the appeal is one nobody judged, though the lists give
-- the same (attack round 20: filled in, then the filing forged past the
-- workflow, which the ledger could not tell from a lawful one).
SELECT is((SELECT judged_on FROM determinations WHERE case_id = :work),
          (SELECT opened_on FROM cases WHERE case_id = :work),
          'judged_on: with no event date known, the facts were judged on the registration date');
SELECT throws_ok(format($$INSERT INTO determinations (case_id, outcome, deciding_body, judged_on)
                          VALUES (%s, 'not_tolerable', '纪委', '2001-01-01')$$, :work),
                 '428C9', 'column "judged_on" of determinations is maintained by the database',
                 'judged_on: a client cannot choose the date');
SAVEPOINT s;
UPDATE cases SET event_on = opened_on - 1 WHERE case_id = :work;
SELECT is(accountability.case_facts(:work), (SELECT facts FROM determinations WHERE case_id = :work),
          'fixture: the event date filled in changes nothing the lists give');
SELECT throws_ok(format($$UPDATE cases SET status = 'filed' WHERE case_id = %s$$, :work),
                 '55000', format('case %s cannot move from appealed to filed without the notified determination standing on the facts the case has', :work),
                 'appeal: an event date filled in during the appeal leaves the determination behind');
INSERT INTO determinations (case_id, outcome, deciding_body) VALUES (:work, 'not_tolerable', '纪委');
SELECT lives_ok(format($$UPDATE cases SET status = 'determined' WHERE case_id = %s$$, :work),
                'appeal: a re-determination on that date determines the case again');
SELECT is((SELECT judged_on FROM determinations WHERE case_id = :work ORDER BY determination_no DESC LIMIT 1),
          (SELECT event_on FROM cases WHERE case_id = :work),
          'judged_on: the re-determination judged the facts on the event date');
ROLLBACK TO SAVEPOINT s;

-- A case imported while appealed came with no record of which
-- determination the subject was notified of before the appeal: it is not
-- filed straight on what was imported with it, but goes through determined
-- (any determination on it counts as recorded during the appeal).
SET LOCAL accountability.import = on;
INSERT INTO cases (kind, subject_id, unit_id, status, origin)
VALUES ('accountability', :subject, :unit, 'appealed', 'imported') RETURNING case_id AS imported_appeal \gset
INSERT INTO determinations (case_id, outcome, deciding_body, notified_on)
VALUES (:imported_appeal, 'not_tolerable', '纪委', accountability.record_today());
SET LOCAL accountability.import = off;
SELECT throws_ok(format($$UPDATE cases SET status = 'filed' WHERE case_id = %s$$, :imported_appeal),
                 '55000', format('case %s cannot move from appealed to filed without the notified determination standing on the facts the case has', :imported_appeal),
                 'appeal: a case imported appealed is not filed on the determination imported with it');
INSERT INTO determinations (case_id, outcome, deciding_body) VALUES (:imported_appeal, 'not_tolerable', '纪委');
SELECT lives_ok(format($$UPDATE cases SET status = 'determined' WHERE case_id = %s$$, :imported_appeal),
                'appeal: it goes through determined (here on the review''s re-determination)');

-- Nothing recorded on a case is dated before the case was opened (attack
-- round 10: a sanction decided in 1990 on a case opened this year was never
-- in effect; a clarification dated 1950 moved a figure to 1950).
SAVEPOINT s;
SELECT throws_ok(format($$INSERT INTO determinations (case_id, outcome, deciding_body, decided_on)
                          VALUES (%s, 'not_tolerable', '纪委', '1990-01-01')$$, :work),
                 '23514', format('determinations.decided_on of case %s is 1990-01-01, before the case was opened on %s',
                                 :work, (SELECT opened_on FROM cases WHERE case_id = :work)),
                 'dates: a determination decided before its case was opened is refused');
INSERT INTO correction_plans (case_id, matter, measures, due_on)
VALUES (:work, '整改事项', '整改措施', accountability.record_today() + 30);
SELECT throws_ok(format($$UPDATE correction_plans SET completed_on = '2000-01-01', verified_by = '纪委' WHERE case_id = %s$$, :work),
                 '23514', NULL, 'dates: a completion filled in later, dated before the case was opened, is refused');
ROLLBACK TO SAVEPOINT s;

-- A blank closing reason is no reason.
INSERT INTO cases (kind, subject_id, unit_id) VALUES ('report', :subject, :unit) RETURNING case_id AS closing \gset
SELECT throws_ok(format($$UPDATE cases SET status = 'closed', closing_reason = E'  \t ' WHERE case_id = %s$$, :closing),
                 '55000', format('case %s cannot move from received to closed without a closing reason', :closing),
                 'closing: a blank closing_reason is refused');
UPDATE cases SET status = 'closed', closing_reason = '不属于受理范围' WHERE case_id = :closing;

-- ---------------------------------------------------------------------
-- 3. Tampering a superuser can do: the state machine and the chain hold.
-- ---------------------------------------------------------------------
SAVEPOINT s;
ALTER TABLE cases DISABLE TRIGGER cases_00_closed_guard;
SELECT is(pg_temp.error_of(format($$UPDATE cases SET status = 'investigating' WHERE case_id = %s$$, :closing)),
          format('55000: case %s cannot move from closed to investigating / From closed a case may move to: none (closed is final).', :closing),
          'closed: with its guard disabled, the transition table still refuses every move');
ROLLBACK TO SAVEPOINT s;

SAVEPOINT s;
ALTER TABLE cases DISABLE TRIGGER USER;
UPDATE cases SET last_event_hash = '\x0102' WHERE case_id = :work;
ALTER TABLE cases ENABLE TRIGGER USER;
SELECT throws_ok(format($$UPDATE cases SET status = 'filed' WHERE case_id = %s$$, :work),
                 'XX001', format('case %s has a damaged history chain head', :work),
                 'history: a chain head of the wrong length stops the case as corrupted');
ROLLBACK TO SAVEPOINT s;

-- A byte on disk that is no code (a damaged page, a foreign copy of the file).
CREATE TABLE pg_temp.damaged (s "char", o "char");
INSERT INTO pg_temp.damaged VALUES (chr(13)::"char", chr(6)::"char"), (''::"char", ''::"char");
UPDATE pg_attribute SET atttypid = 'accountability.case_status'::regtype
 WHERE attrelid = 'pg_temp.damaged'::regclass AND attname = 's';
UPDATE pg_attribute SET atttypid = 'accountability.tolerance_outcome'::regtype
 WHERE attrelid = 'pg_temp.damaged'::regclass AND attname = 'o';
SELECT is(pg_temp.error_of($$SELECT s::text FROM pg_temp.damaged LIMIT 1$$),
          'XX001: invalid stored value 13 for type accountability.case_status / Stored values range from 1 to 12.',
          'damaged: case_status byte 13 is reported as corruption on output');
SELECT is(pg_temp.error_of($$SELECT label(o, 'zh') FROM pg_temp.damaged LIMIT 1$$),
          'XX001: invalid stored value 6 for type accountability.tolerance_outcome / Stored values range from 1 to 5.',
          'damaged: tolerance_outcome byte 6 is reported as corruption by label()');
SELECT is(pg_temp.error_of($$SELECT s::text FROM pg_temp.damaged WHERE ctid = '(0,2)'$$),
          'XX001: invalid stored value 0 for type accountability.case_status / Stored values range from 1 to 12.',
          'damaged: a zero byte is reported as corruption');

-- ---------------------------------------------------------------------
-- 4. Rows for a case that does not exist.
-- ---------------------------------------------------------------------
SELECT throws_ok($$INSERT INTO correction_plans (case_id, matter, measures, due_on) VALUES (-42, '事项', '措施', current_date)$$,
                 '23503', 'case -42 does not exist',
                 'children: a row for a case that does not exist is a foreign-key violation, said plainly');

-- ---------------------------------------------------------------------
-- 5. Trigger functions attached the wrong way: 39P01, never a crash.
-- ---------------------------------------------------------------------
CREATE TABLE accountability.edge_scratch (case_id bigint, n integer, note text);
INSERT INTO accountability.edge_scratch VALUES (1, 1, 'x');

-- First of all a trigger fires only on the extension's own tables (attack
-- round 15: a look-alike table was read with the real tables' plans).
CREATE TRIGGER t BEFORE UPDATE ON accountability.edge_scratch FOR EACH ROW EXECUTE FUNCTION closed_case_guard();
SELECT throws_ok($$UPDATE accountability.edge_scratch SET note = 'z'$$, '39P01',
                 'closed_case_guard fires only on the tables of pg_accountability, not on "accountability.edge_scratch"',
                 'a trigger on a table of the schema that is not the extension''s is refused');
DROP TRIGGER t ON accountability.edge_scratch;
CREATE TRIGGER t BEFORE DELETE ON accountability.edge_scratch FOR EACH ROW EXECUTE FUNCTION append_only_guard();
SELECT throws_ok($$DELETE FROM accountability.edge_scratch$$, '39P01',
                 'append_only_guard fires only on the tables of pg_accountability, not on "accountability.edge_scratch"',
                 'append_only_guard too');
DROP TRIGGER t ON accountability.edge_scratch;
CREATE TRIGGER t AFTER UPDATE ON accountability.edge_scratch FOR EACH ROW EXECUTE FUNCTION report_figures_trigger('trainings');
SELECT throws_ok($$UPDATE accountability.edge_scratch SET note = 'z'$$, '39P01',
                 'report_figures_trigger fires only on the tables of pg_accountability, not on "accountability.edge_scratch"',
                 'report_figures_trigger too');
DROP TRIGGER t ON accountability.edge_scratch;
-- The protocol checks below still hold for a table a superuser has made a
-- member (defence in depth): make the scratch table one.
ALTER EXTENSION pg_accountability ADD TABLE accountability.edge_scratch;

CREATE TRIGGER t BEFORE INSERT ON accountability.edge_scratch FOR EACH ROW EXECUTE FUNCTION closed_case_guard();
SELECT throws_ok($$INSERT INTO accountability.edge_scratch VALUES (2, 2, 'y')$$, '39P01',
                 'closed_case_guard must be fired BEFORE UPDATE', 'closed_case_guard on INSERT');
DROP TRIGGER t ON accountability.edge_scratch;
CREATE TRIGGER t AFTER UPDATE ON accountability.edge_scratch FOR EACH ROW EXECUTE FUNCTION closed_case_guard();
SELECT throws_ok($$UPDATE accountability.edge_scratch SET note = 'z'$$, '39P01',
                 'closed_case_guard must be fired BEFORE ... FOR EACH ROW', 'closed_case_guard AFTER the row');
DROP TRIGGER t ON accountability.edge_scratch;
CREATE TRIGGER t BEFORE UPDATE ON accountability.edge_scratch FOR EACH ROW EXECUTE FUNCTION closed_case_guard();
SELECT throws_ok($$UPDATE accountability.edge_scratch SET note = 'z'$$, '42703',
                 'table "edge_scratch" has no column "status"', 'closed_case_guard on a table without the column it reads');
DROP TRIGGER t ON accountability.edge_scratch;
CREATE TRIGGER t BEFORE INSERT ON accountability.edge_scratch FOR EACH ROW EXECUTE FUNCTION case_transition_trigger();
SELECT throws_ok($$INSERT INTO accountability.edge_scratch VALUES (2, 2, 'y')$$, '39P01',
                 'case_transition_trigger must be fired BEFORE UPDATE', 'case_transition_trigger on INSERT');
DROP TRIGGER t ON accountability.edge_scratch;
CREATE TRIGGER t BEFORE INSERT ON accountability.edge_scratch FOR EACH ROW EXECUTE FUNCTION subject_scope_trigger('case_id');
SELECT throws_ok($$INSERT INTO accountability.edge_scratch VALUES (2, 2, 'y')$$, '39P01', NULL, 'subject_scope_trigger fired BEFORE the row');
DROP TRIGGER t ON accountability.edge_scratch;
CREATE TRIGGER t AFTER INSERT ON accountability.edge_scratch FOR EACH STATEMENT EXECUTE FUNCTION subject_scope_trigger('case_id');
SELECT throws_ok($$INSERT INTO accountability.edge_scratch VALUES (2, 2, 'y')$$, '39P01',
                 'subject_scope_trigger must be fired AFTER INSERT or UPDATE, REFERENCING NEW TABLE AS new_rows',
                 'subject_scope_trigger without its transition table');
DROP TRIGGER t ON accountability.edge_scratch;
CREATE TRIGGER t AFTER INSERT ON accountability.edge_scratch REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION subject_scope_trigger();
SELECT throws_ok($$INSERT INTO accountability.edge_scratch VALUES (2, 2, 'y')$$, '39P01',
                 'subject_scope_trigger needs the columns that name the cadre', 'subject_scope_trigger without a column');
DROP TRIGGER t ON accountability.edge_scratch;
-- a cadre read through another row: column:table.cadre_column, each name
-- present, and none the statement would expand as its {schema} placeholder
CREATE FUNCTION pg_temp.scope_argument_refused(argument text, description text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    result text;
BEGIN
    EXECUTE format('CREATE TRIGGER t AFTER INSERT ON accountability.edge_scratch REFERENCING NEW TABLE AS new_rows'
                   ' FOR EACH STATEMENT EXECUTE FUNCTION accountability.subject_scope_trigger(%L)', argument);
    result := throws_ok($q$INSERT INTO accountability.edge_scratch VALUES (2, 2, 'y')$q$, '39P01',
                        format('subject_scope_trigger cannot read the argument "%s"', argument), description);
    DROP TRIGGER t ON accountability.edge_scratch;
    RETURN result;
END $$;
SELECT pg_temp.scope_argument_refused(argument, description)
FROM (VALUES ('case_id:cases', 'subject_scope_trigger with a reference through another row missing its column'),
             (':cases.subject_id', 'subject_scope_trigger with a reference through another row missing the new row''s column'),
             ('case_id:{schema}.subject_id', 'subject_scope_trigger with a name its statement would expand as a placeholder')
     ) v (argument, description);
CREATE TRIGGER t AFTER INSERT ON accountability.edge_scratch FOR EACH STATEMENT EXECUTE FUNCTION case_history_trigger();
SELECT throws_ok($$INSERT INTO accountability.edge_scratch VALUES (2, 2, 'y')$$, '39P01',
                 'case_history_trigger needs REFERENCING NEW TABLE AS new_rows', 'case_history_trigger without its transition table');
DROP TRIGGER t ON accountability.edge_scratch;
CREATE TRIGGER t BEFORE INSERT ON accountability.edge_scratch FOR EACH ROW EXECUTE FUNCTION case_child_trigger('n');
SELECT throws_ok($$INSERT INTO accountability.edge_scratch VALUES (2, NULL, 'y')$$, '39P01',
                 'case_child_trigger must be fired BEFORE INSERT with a number column and the allowed statuses',
                 'case_child_trigger without the allowed statuses');
DROP TRIGGER t ON accountability.edge_scratch;
CREATE TRIGGER t BEFORE UPDATE ON accountability.edge_scratch FOR EACH ROW EXECUTE FUNCTION determination_trigger();
SELECT throws_ok($$UPDATE accountability.edge_scratch SET note = 'z'$$, '39P01',
                 'determination_trigger must be fired BEFORE INSERT', 'determination_trigger on UPDATE');
DROP TRIGGER t ON accountability.edge_scratch;
CREATE TRIGGER t AFTER DELETE ON accountability.edge_scratch FOR EACH ROW EXECUTE FUNCTION append_only_guard();
SELECT throws_ok($$DELETE FROM accountability.edge_scratch$$, '39P01',
                 'append_only_guard must be fired BEFORE UPDATE, DELETE or TRUNCATE', 'append_only_guard AFTER the row');
DROP TRIGGER t ON accountability.edge_scratch;
-- The column guards compare the old row with the new: on INSERT there is
-- no old row (attack round 15 crashed the server this way).
CREATE TRIGGER t BEFORE INSERT ON accountability.edge_scratch FOR EACH ROW EXECUTE FUNCTION key_columns_stay('case_id');
SELECT throws_ok($$INSERT INTO accountability.edge_scratch VALUES (2, 2, 'y')$$, '39P01',
                 'key_columns_stay must be fired BEFORE UPDATE', 'key_columns_stay on INSERT');
DROP TRIGGER t ON accountability.edge_scratch;
CREATE TRIGGER t BEFORE DELETE ON accountability.edge_scratch FOR EACH ROW EXECUTE FUNCTION key_columns_stay('case_id');
SELECT throws_ok($$DELETE FROM accountability.edge_scratch$$, '39P01',
                 'key_columns_stay must be fired BEFORE UPDATE', 'key_columns_stay on DELETE');
DROP TRIGGER t ON accountability.edge_scratch;
-- A member table whose columns are of other types than the extension's:
-- every column a trigger reads is checked for its type (42804), never
-- misread (attack round 15 crashed assessment_trigger and
-- determination_trigger with retyped columns).
CREATE TABLE accountability.edge_assessments (subject_id bigint, grade integer, grounds text, ground_case_ids bigint[]);
ALTER EXTENSION pg_accountability ADD TABLE accountability.edge_assessments;
CREATE TRIGGER t BEFORE INSERT ON accountability.edge_assessments FOR EACH ROW EXECUTE FUNCTION assessment_trigger();
SELECT throws_ok($$INSERT INTO accountability.edge_assessments VALUES (1, 3, 'x', '{1}')$$, '42804',
                 'column "grade" of table "edge_assessments" is of type integer, not text',
                 'assessment_trigger on a retyped grade refuses, naming the column');
ALTER TABLE accountability.edge_assessments ALTER COLUMN grade TYPE text, ALTER COLUMN ground_case_ids TYPE text[];
SELECT throws_ok($$INSERT INTO accountability.edge_assessments VALUES (1, 'incompetent', 'x', '{1}')$$, '42804',
                 'column "ground_case_ids" of table "edge_assessments" is of type text[], not bigint[]',
                 'assessment_trigger on retyped grounds refuses, naming the column');
CREATE TABLE accountability.edge_determinations (LIKE accountability.determinations);
ALTER TABLE accountability.edge_determinations ALTER COLUMN outcome TYPE text;
ALTER EXTENSION pg_accountability ADD TABLE accountability.edge_determinations;
CREATE TRIGGER t BEFORE INSERT ON accountability.edge_determinations FOR EACH ROW EXECUTE FUNCTION determination_trigger();
SELECT throws_ok($$INSERT INTO accountability.edge_determinations (case_id, outcome) VALUES (1, 'x')$$, '42804', NULL,
                 'determination_trigger on a retyped outcome refuses');

-- report_figures_trigger (issue 16): fired BEFORE, an unknown source, a
-- statement source on a row trigger, a statement trigger without its
-- transition table.
CREATE TRIGGER t BEFORE INSERT ON accountability.edge_scratch FOR EACH ROW EXECUTE FUNCTION report_figures_trigger('trainings');
SELECT throws_ok($$INSERT INTO accountability.edge_scratch VALUES (2, 2, 'y')$$, '39P01',
                 'report_figures_trigger must be fired AFTER INSERT, UPDATE or DELETE', 'report_figures_trigger BEFORE the row');
DROP TRIGGER t ON accountability.edge_scratch;
CREATE TRIGGER t AFTER INSERT ON accountability.edge_scratch FOR EACH STATEMENT EXECUTE FUNCTION report_figures_trigger('no_such_source');
SELECT throws_ok($$INSERT INTO accountability.edge_scratch VALUES (2, 2, 'y')$$, '39P01',
                 'report_figures_trigger: unknown figure source "no_such_source"', 'report_figures_trigger with an unknown source');
DROP TRIGGER t ON accountability.edge_scratch;
CREATE TRIGGER t AFTER INSERT ON accountability.edge_scratch FOR EACH ROW EXECUTE FUNCTION report_figures_trigger('trainings');
SELECT throws_ok($$INSERT INTO accountability.edge_scratch VALUES (2, 2, 'y')$$, '39P01',
                 'report_figures_trigger: source "trainings" is not for a row trigger on UPDATE', 'report_figures_trigger: a statement source on a row trigger');
DROP TRIGGER t ON accountability.edge_scratch;
CREATE TRIGGER t AFTER INSERT ON accountability.edge_scratch FOR EACH STATEMENT EXECUTE FUNCTION report_figures_trigger('trainings');
SELECT throws_ok($$INSERT INTO accountability.edge_scratch VALUES (2, 2, 'y')$$, '39P01',
                 'report_figures_trigger needs REFERENCING new_rows', 'report_figures_trigger without its transition table');
DROP TRIGGER t ON accountability.edge_scratch;
CREATE FUNCTION pg_temp.figures_as_function() RETURNS integer AS '$libdir/pg_accountability', 'report_figures_trigger' LANGUAGE C;
SELECT throws_ok($$SELECT pg_temp.figures_as_function()$$, '39P01',
                 'report_figures_trigger must be fired AFTER INSERT, UPDATE or DELETE', 'report_figures_trigger called as a function');

-- A trigger function declared as an ordinary function.
CREATE FUNCTION pg_temp.guard_as_function() RETURNS integer AS '$libdir/pg_accountability', 'append_only_guard' LANGUAGE C;
CREATE FUNCTION pg_temp.closed_guard_as_function() RETURNS integer AS '$libdir/pg_accountability', 'closed_case_guard' LANGUAGE C;
SELECT throws_ok($$SELECT pg_temp.guard_as_function()$$, '39P01',
                 'append_only_guard must be fired BEFORE UPDATE, DELETE or TRUNCATE', 'append_only_guard called as a function');
SELECT throws_ok($$SELECT pg_temp.closed_guard_as_function()$$, '39P01',
                 'closed_case_guard: not called by the trigger manager', 'closed_case_guard called as a function');

-- Set-returning and row-returning C functions declared with the wrong type.
CREATE FUNCTION pg_temp.next_as_integer(case_status) RETURNS integer
    AS '$libdir/pg_accountability', 'case_status_next_statuses' LANGUAGE C STRICT;
CREATE FUNCTION pg_temp.assess_as_integer(jsonb) RETURNS integer
    AS '$libdir/pg_accountability', 'tolerance_assess' LANGUAGE C STRICT;
SELECT throws_ok($$SELECT pg_temp.next_as_integer('received')$$, 'XX000',
                 'could not determine the element type of next_statuses', 'next_statuses declared to return a scalar');
SELECT throws_ok($$SELECT pg_temp.assess_as_integer('{}')$$, 'XX000',
                 'return type of assess_tolerance must be a row type', 'assess_tolerance declared to return a scalar');

-- ---------------------------------------------------------------------
-- 6. event_hash from SQL: the fields every event has.
-- ---------------------------------------------------------------------
SELECT throws_ok($$SELECT event_hash(NULL, NULL, 0, 'transition', NULL, 'received', now(), 'u', NULL, NULL)$$,
                 '22004', 'event_hash argument 2 must not be null', 'event_hash: no case_id');
SELECT throws_ok($$SELECT event_hash(NULL, 1, 0, 'transition', NULL, 'received', NULL, 'u', NULL, NULL)$$,
                 '22004', 'event_hash argument 7 must not be null', 'event_hash: no time');
SELECT throws_ok($$SELECT event_hash('\x010203', 1, 0, 'transition', NULL, 'received', now(), 'u', NULL, NULL)$$,
                 '22023', 'prev_hash must be 32 bytes, not 3', 'event_hash: a previous hash of the wrong length');
SELECT is(length(event_hash(NULL, 1, 0, 'imported', NULL, 'received', now(), 'u', NULL, NULL)), 32,
          'event_hash: from_status, actor and note may be null');

-- ---------------------------------------------------------------------
-- 7. case_child_trigger keeps one saved plan per table, 16 at most per
--    backend, and reuses the slot of a table that no longer exists.
-- ---------------------------------------------------------------------
INSERT INTO cases (kind, subject_id, unit_id) VALUES ('report', :subject, :unit) RETURNING case_id AS open_case \gset
SELECT throws_ok(format($q$
  DO $do$
  BEGIN
    FOR i IN 1..17 LOOP
      EXECUTE format('CREATE TABLE accountability.edge_child_%%s (case_id bigint, n integer)', i);
      EXECUTE format('ALTER EXTENSION pg_accountability ADD TABLE accountability.edge_child_%%s', i);
      EXECUTE format('CREATE TRIGGER number BEFORE INSERT ON accountability.edge_child_%%s
                      FOR EACH ROW EXECUTE FUNCTION accountability.case_child_trigger(''n'', ''received'')', i);
      EXECUTE format('INSERT INTO accountability.edge_child_%%s (case_id) VALUES (%s)', i);
    END LOOP;
  END $do$ $q$, :open_case),
  'XX000', 'case_child_trigger is attached to more than 16 tables',
  'children: a 17th numbered table in one backend is refused, not overrun');
CREATE TABLE accountability.edge_child (case_id bigint, n integer);
ALTER EXTENSION pg_accountability ADD TABLE accountability.edge_child;
CREATE TRIGGER number BEFORE INSERT ON accountability.edge_child
    FOR EACH ROW EXECUTE FUNCTION case_child_trigger('n', 'received');
INSERT INTO accountability.edge_child (case_id) VALUES (:open_case), (:open_case);
SELECT is((SELECT array_agg(n ORDER BY n) FROM accountability.edge_child), ARRAY[1, 2],
          'children: the slot of a dropped table is reused, and numbering works');
SELECT throws_ok(format($$INSERT INTO accountability.edge_child (case_id) VALUES (%s)$$, :closing), '55000',
                 format('cannot add to edge_child of case %s while it is closed', :closing),
                 'children: the allowed statuses come from the trigger''s arguments');

-- ---------------------------------------------------------------------
-- 8. Incentive records: no grounds needed above the line; a restore loads
--    a promotion as it is.
-- ---------------------------------------------------------------------
SELECT lives_ok(format($$INSERT INTO assessments (subject_id, year, grade, assessing_unit_id, decided_on)
                         VALUES (%s, 2025, 'competent', %s, '2026-01-15')$$, :subject, :unit),
                'assessments: a competent grade needs no grounds');
CREATE ROLE edge_reviewer IN ROLE accountability_reviewer;
INSERT INTO role_units (role_id, unit_id) VALUES ('edge_reviewer', :unit);
SET LOCAL ROLE edge_reviewer;
SELECT throws_ok(format($$INSERT INTO assessments (subject_id, year, grade, assessing_unit_id, grounds, decided_on)
                          VALUES (%s, 2024, 'incompetent', %s, E'  \t', '2025-01-15')$$, :subject, :unit),
                 '23514', 'a grade below competent needs stated grounds',
                 'assessments: blank grounds are no grounds');
RESET ROLE;
SELECT lives_ok(format($$INSERT INTO promotions (subject_id, kind, to_post, unit_id, decided_by, effective_on)
                         VALUES (%s, 'promotion', '副县长', %s, '县委', '2026-02-01')$$, :subject, :unit),
                'promotions: a superuser (restoring a dump) loads a promotion as it is');

-- The ledger's writer, attached where it does not belong, refuses (39P01)
-- before writing anything: a table outside the extension ...
CREATE TABLE public.ledger_lookalike (id bigint PRIMARY KEY, flag boolean, note text);
CREATE TRIGGER lookalike_ledger_elsewhere AFTER INSERT ON public.ledger_lookalike
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION accountability.ledger_trigger('insert', 'id');
SELECT throws_ok($$INSERT INTO public.ledger_lookalike VALUES (1, true, 'x')$$, '39P01',
                 'ledger_trigger fires only on the tables of pg_accountability, not on "public.ledger_lookalike"',
                 'the ledger writer refuses a table outside the extension (another schema''s ledger is never written)');
DROP TRIGGER lookalike_ledger_elsewhere ON public.ledger_lookalike;
-- ... and on a table a superuser has made a member, an operation it does
-- not know, a key column the table lacks, a statement trigger without its
-- transition table or without a key column to name the rows by.
ALTER TABLE public.ledger_lookalike SET SCHEMA accountability;
ALTER EXTENSION pg_accountability ADD TABLE accountability.ledger_lookalike;
CREATE TRIGGER lookalike_ledger_bad_op AFTER INSERT ON accountability.ledger_lookalike
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION accountability.ledger_trigger('rewrite', 'id');
SELECT throws_ok($$INSERT INTO accountability.ledger_lookalike VALUES (1, true, 'x')$$, '39P01',
                 'ledger_trigger cannot record operation "rewrite"',
                 'the ledger writer refuses an operation it does not know');
DROP TRIGGER lookalike_ledger_bad_op ON accountability.ledger_lookalike;
CREATE TRIGGER lookalike_ledger_no_key AFTER INSERT ON accountability.ledger_lookalike
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION accountability.ledger_trigger('insert', 'no_such_column');
SELECT throws_ok($$INSERT INTO accountability.ledger_lookalike VALUES (2, true, 'x')$$, '42703', NULL,
                 'the ledger writer refuses a key column the table does not have');
DROP TRIGGER lookalike_ledger_no_key ON accountability.ledger_lookalike;
CREATE TRIGGER lookalike_ledger_no_rows AFTER INSERT ON accountability.ledger_lookalike
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.ledger_trigger('insert', 'id');
SELECT throws_ok($$INSERT INTO accountability.ledger_lookalike VALUES (4, true, 'x')$$, '39P01',
                 'ledger_trigger needs a transition table',
                 'the ledger writer refuses a trigger without its transition table');
DROP TRIGGER lookalike_ledger_no_rows ON accountability.ledger_lookalike;
CREATE TRIGGER lookalike_ledger_one_arg AFTER INSERT ON accountability.ledger_lookalike
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.ledger_trigger('insert');
SELECT throws_ok($$INSERT INTO accountability.ledger_lookalike VALUES (5, true, 'x')$$, '39P01',
                 'ledger_trigger needs an operation and at least one key column',
                 'the ledger writer refuses a trigger that names no key column');
DROP TRIGGER lookalike_ledger_one_arg ON accountability.ledger_lookalike;
-- A key is rendered as the image's own JSON (a boolean here), and a row
-- whose key is null is refused (23502).
CREATE TRIGGER lookalike_ledger_flag AFTER INSERT ON accountability.ledger_lookalike
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.ledger_trigger('insert', 'flag');
INSERT INTO accountability.ledger_lookalike VALUES (6, true, 'x');
SELECT is((SELECT row_key || ' ' || operation FROM accountability.ledger_entries
            WHERE table_name = 'ledger_lookalike'), '[true] insert',
          'a boolean key is written as JSON, with the trigger''s operation');
SELECT throws_ok($$INSERT INTO accountability.ledger_lookalike VALUES (7, NULL, 'x')$$, '23502',
                 'key column "flag" of ledger_lookalike is null',
                 'the ledger writer refuses a row whose key is null');
DROP TRIGGER lookalike_ledger_flag ON accountability.ledger_lookalike;

-- The ledger builds each row image itself (row_image.c), the same jsonb as
-- to_jsonb() of the row, with each column's conversion chosen once per
-- statement: every JSON category, domains, a type cast to json, a dropped
-- column, extreme and special values and NULLs give the same text as
-- to_jsonb() under the settings the ledger pins.
CREATE TYPE accountability.edge_mood AS ENUM ('calm', 'tense');
CREATE FUNCTION accountability.edge_mood_json(accountability.edge_mood) RETURNS json
    LANGUAGE sql IMMUTABLE AS $$SELECT json_build_object('mood', $1::text)$$;
CREATE CAST (accountability.edge_mood AS json) WITH FUNCTION accountability.edge_mood_json(accountability.edge_mood);
CREATE TYPE accountability.edge_pair AS (n integer, t text);
CREATE DOMAIN accountability.edge_ints AS integer[];
CREATE DOMAIN accountability.edge_doc AS json;
CREATE DOMAIN accountability.edge_count AS bigint;
CREATE TABLE accountability.ledger_image_edge (
    id bigint PRIMARY KEY, gone text, i2 smallint, i4 integer, i8 bigint, num numeric, f4 real, f8 double precision,
    flag boolean, words text, short varchar(12), day date, at timestamp, at_tz timestamptz, span interval,
    raw bytea, doc jsonb, plain_doc json, who regrole, tx xid8, ints integer[], dom_ints accountability.edge_ints,
    dom_doc accountability.edge_doc, dom_count accountability.edge_count, mood accountability.edge_mood,
    pair accountability.edge_pair, labels text[], uid uuid);
ALTER TABLE accountability.ledger_image_edge DROP COLUMN gone;
ALTER EXTENSION pg_accountability ADD TABLE accountability.ledger_image_edge;
CREATE TRIGGER ledger_image_edge_insert AFTER INSERT ON accountability.ledger_image_edge
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.ledger_trigger('insert', 'id');
SET TimeZone = 'Asia/Shanghai';
INSERT INTO accountability.ledger_image_edge VALUES
    (1, -32768, -2147483648, -9223372036854775808, 'NaN', 'NaN', '-Infinity', true, E'\u2028"\\\t末', 'x',
     'infinity', '-infinity', 'infinity', '-1 day 02:03:04.5', '\x00ff', '"s"', '{"k": 1, "k": 2}', 'postgres',
     '42', '{1,NULL}', '{-1,2}', '[1, "a"]', 9223372036854775807, 'tense', ROW(1, 'a"b'), '{"a b",NULL}',
     'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
    (2, 0, 0, 0, 1.50, 1e-7, 0.1, false, '', '', '2026-01-01', '2026-01-01 12:34:56.789', '2026-01-01 12:34:56.789+08',
     '1 year 2 mons', '', '{"b": [1, {"a": null}], "a": 1.0}', '{}', NULL, '0', '{}', '{}', 'null', 0, 'calm',
     ROW(NULL, NULL), '{}', NULL),
    (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
RESET TimeZone;
SET TimeZone = 'UTC';
SET extra_float_digits = 1;
SELECT is((SELECT count(*) FROM accountability.ledger_entries e
           JOIN accountability.ledger_image_edge t ON e.row_key = jsonb_build_array(t.id)::text
           WHERE e.table_name = 'ledger_image_edge' AND e.row_image::text = to_jsonb(t)::text),
          3::bigint, 'every row image the ledger built is to_jsonb() of the row, to the byte');
RESET extra_float_digits;
RESET TimeZone;
DROP TRIGGER ledger_image_edge_insert ON accountability.ledger_image_edge;
-- A session's own settings do not change what the ledger records (the
-- attack of session 19: a role mapped under quote_all_identifiers, a
-- setting of any role, was recorded as "\"name\"", then reported missing
-- from the table; the guards' fingerprint was written out quoted too).
CREATE ROLE edge_mapped;
SELECT accountability.ledger_guards() AS guards_plain \gset
SET quote_all_identifiers = on;
SET DateStyle = 'SQL, DMY';
INSERT INTO role_units (role_id, unit_id) VALUES ('edge_mapped', :unit);
SELECT is((SELECT row_key FROM accountability.ledger_entries WHERE table_name = 'role_units'
           ORDER BY entry_no DESC LIMIT 1),
          format('["edge_mapped", %s]', :unit), 'a role mapped under quote_all_identifiers is recorded by its plain name');
SELECT is(accountability.ledger_guards(), :'guards_plain'::jsonb,
          'the guards'' fingerprint does not depend on quote_all_identifiers or DateStyle');
RESET quote_all_identifiers;
RESET DateStyle;
SELECT is((SELECT count(*) FROM accountability.verify_ledger() v WHERE v.table_name = 'role_units'), 0::bigint,
          'verify_ledger() finds every mapping as it was recorded');
-- The trigger renders under the SET clauses of ledger_rows(), the one list
-- of the ledger's settings: the other two functions that render carry the
-- same, a session's search_path does not change a reg* value's text, and a
-- ledger_rows() stripped of its settings stops the writer rather than let it
-- render under the session's.
SELECT is((SELECT count(DISTINCT proconfig) FROM pg_proc
           WHERE oid IN ('accountability.ledger_rows()'::regprocedure, 'accountability.ledger_guards()'::regprocedure,
                         'accountability.verify_ledger(jsonb)'::regprocedure)),
          1::bigint, 'ledger_rows(), ledger_guards() and verify_ledger() render under one list of settings');
CREATE TABLE accountability.ledger_regclass_edge (id bigint PRIMARY KEY, rel regclass);
ALTER EXTENSION pg_accountability ADD TABLE accountability.ledger_regclass_edge;
CREATE TRIGGER ledger_regclass_edge_insert AFTER INSERT ON accountability.ledger_regclass_edge
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.ledger_trigger('insert', 'id');
SET search_path = accountability, public;
INSERT INTO accountability.ledger_regclass_edge VALUES (1, 'accountability.cases');
RESET search_path;
SELECT is((SELECT row_image ->> 'rel' FROM accountability.ledger_entries
           WHERE table_name = 'ledger_regclass_edge' ORDER BY entry_no DESC LIMIT 1),
          'accountability.cases', 'a regclass value is recorded as ledger_rows() renders it, whatever the session''s search_path');
SELECT throws_ok($q$DO $$ BEGIN
                     ALTER FUNCTION accountability.ledger_rows() RESET ALL;
                     INSERT INTO accountability.ledger_regclass_edge VALUES (2, 'pg_class');
                   END $$$q$, '39P01', NULL, 'the writer refuses to render without ledger_rows()''s settings');
-- The writer keeps each table's image builder for the session, until an
-- invalidation: a column added after a write, and a cast to json created
-- after one, show in the next image.
ALTER TABLE accountability.ledger_regclass_edge ADD COLUMN note text DEFAULT 'added';
INSERT INTO accountability.ledger_regclass_edge (id, rel) VALUES (3, 'pg_class');
SELECT is((SELECT row_image ->> 'note' FROM accountability.ledger_entries
           WHERE table_name = 'ledger_regclass_edge' ORDER BY entry_no DESC LIMIT 1),
          'added', 'a column added after a write is in the next image');
CREATE TYPE accountability.edge_level AS ENUM ('low', 'high');
ALTER TABLE accountability.ledger_regclass_edge ADD COLUMN level accountability.edge_level;
INSERT INTO accountability.ledger_regclass_edge (id, rel, level) VALUES (4, 'pg_class', 'low');
CREATE FUNCTION accountability.edge_level_json(accountability.edge_level) RETURNS json
    LANGUAGE sql IMMUTABLE AS $$SELECT json_build_object('level', $1::text)$$;
CREATE CAST (accountability.edge_level AS json) WITH FUNCTION accountability.edge_level_json(accountability.edge_level);
INSERT INTO accountability.ledger_regclass_edge (id, rel, level) VALUES (5, 'pg_class', 'low');
SELECT is((SELECT array_agg(row_image -> 'level' ORDER BY entry_no)::text FROM accountability.ledger_entries
           WHERE table_name = 'ledger_regclass_edge' AND row_key IN ('[4]', '[5]')),
          '{"\"low\"","{\"level\": \"low\"}"}',
          'a cast to json created after a write shapes the next image as to_jsonb() does');

-- The hash functions: an empty block has no root, a null hash in a block
-- and a hash of the wrong length are refused, a missing field gives no
-- block hash.
SELECT is(accountability.ledger_merkle_root('{}'::bytea[]), NULL, 'an empty block has no Merkle root');
SELECT throws_ok($$SELECT accountability.ledger_merkle_root(ARRAY[sha256('a'), NULL])$$, '22004',
                 'hash 2 of the block is null', 'a null hash in a block is refused');
SELECT throws_ok($$SELECT accountability.ledger_block_hash(2, '\x0102', sha256('a'), 1, 1, 1)$$, '22023',
                 'prev_hash must be 32 bytes, not 2', 'a hash of the wrong length is refused');
SELECT is(accountability.ledger_block_hash(1, NULL, sha256('a'), NULL, 1, 1), NULL,
          'a block without its entry count has no hash');

-- The CHECK helpers refuse what they were not made for, rather than
-- accept it silently.
SELECT throws_ok($$SELECT accountability.check_setting(5, 'bogus')$$, '22023', 'setting unit "bogus" is not known',
  'a setting unit that is neither days nor count is refused');
SELECT throws_ok($$SELECT accountability.check_list('[0:1]={1,2}'::integer[], 'methods')$$, '22023',
  'methods must be a list numbered from 1, not from 0', 'a list with explicit bounds is refused');
SELECT ok(accountability.check_list('{1,2}'::integer[], 'methods'), 'a plain list passes');
SELECT throws_ok($$SELECT accountability.check_list('{7,3,7}'::bigint[], 'ids')$$, '22023',
  'ids names "7" twice', 'a list of ids naming one twice is refused');
SELECT ok(accountability.check_list('{written,Written,written　}'::text[], 'methods'),
  'codes differing in case or a trailing space are not repeats (the codes'' own check names them)');

-- A refused input is quoted, not echoed whole: its first 64 bytes, cut
-- at a character boundary, then "...".
SELECT throws_ok($$SELECT repeat('x', 100000)::accountability.case_status$$, '22P02',
                 'invalid input value for type accountability.case_status: "' || repeat('x', 64) || '..."',
                 'a huge refused status comes back as 64 bytes and "..."');
SELECT throws_ok($$SELECT accountability.assess_tolerance(jsonb_build_object(repeat('错', 30), true))$$, '22023',
                 'unknown tolerance fact "' || repeat('错', 21) || '..."',
                 'an unknown fact key is cut at a character boundary (21 three-byte characters)');
SELECT throws_ok($$SELECT accountability.assess_tolerance(jsonb_build_object('consequence', repeat('y', 70)))$$, '22023',
                 'invalid value "' || repeat('y', 64) || '..." for tolerance fact "consequence"',
                 'an overlong choice is quoted in part');
SELECT * FROM finish();
ROLLBACK;
