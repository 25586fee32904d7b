-- pgTAP: no name the extension's C triggers and functions use is resolved
-- through the caller's search_path.
--
-- The triggers run their SQL as the table owner (a superuser, usually).  A
-- clerk controls its own search_path, may create types in pg_temp (which
-- PostgreSQL searches first for types and tables), and may own a schema.
-- If any name in that SQL were left unqualified (a cast to text, count(*),
-- an IN over bigint), the clerk's object would run as the owner: a clerk
-- could make itself superuser.  So, as a reviewer with the defaults and a
-- schema of its own: temporary domains named like every type the SQL
-- casts to, and aggregates and operators named like the built-in ones,
-- each one logging who ran it; then every write path the triggers take.
-- Nothing may be logged, and the reviewer stays what it was.
--
-- One transaction, rolled back, roles included.
BEGIN;
-- (the overlaps of the distinct report figures are counted at commit, by a
-- deferred trigger: in this one transaction, at the end of each statement)
SET CONSTRAINTS ALL IMMEDIATE;
SET LOCAL search_path = public, accountability;
SELECT plan(9);

-- ---------------------------------------------------------------------
-- Fixture: a province, a city, a county; two cadres; a reviewer of the
-- county with a schema of its own (what CREATE on any schema gives).
-- ---------------------------------------------------------------------
INSERT INTO units (unit_id, code, name, level) VALUES (801, 'H33', '劫持省', 'province');
INSERT INTO units (unit_id, parent_id, code, name, level) VALUES (802, 801, 'H3301', '劫持市', 'city');
INSERT INTO units (unit_id, parent_id, code, name, level) VALUES (803, 802, 'H330110', '劫持县', 'county');
INSERT INTO units (unit_id, parent_id, code, name, level) VALUES (804, 803, 'H330110001', '劫持镇', 'township');
INSERT INTO subjects (subject_id, kind, name, unit_id, post) VALUES
    (8001, 'person', '劫持县干部甲', 803, '科长'),
    (8002, 'person', '劫持县干部乙', 803, '局长');
CREATE ROLE t_hijacker IN ROLE accountability_reviewer;
INSERT INTO role_units (role_id, unit_id) VALUES ('t_hijacker', 803);
CREATE SCHEMA hostile AUTHORIZATION t_hijacker;
CREATE TABLE public.hijack_log (what text, run_by name);
GRANT INSERT, SELECT, DELETE ON public.hijack_log TO PUBLIC;

SET ROLE t_hijacker;
-- Whoever runs this is logged: the reviewer itself, or the owner the
-- triggers switch to.
CREATE FUNCTION hostile.caught(what pg_catalog.text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.hijack_log VALUES (what, current_user);
    RETURN true;
END $$;
-- Aggregates named like the built-in ones, for the types they count.
CREATE FUNCTION hostile.step(state bigint) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN PERFORM hostile.caught('count(*)'); RETURN state OPERATOR(pg_catalog.+) 1; END $$;
CREATE FUNCTION hostile.step(state bigint, value anyelement) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN PERFORM hostile.caught('aggregate over ' OPERATOR(pg_catalog.||) pg_catalog.pg_typeof(value)::pg_catalog.text);
      RETURN state OPERATOR(pg_catalog.+) 1; END $$;
CREATE AGGREGATE hostile.count(*) (sfunc = hostile.step, stype = bigint, initcond = '0');
DO $$
DECLARE t pg_catalog.text;
BEGIN
    FOREACH t IN ARRAY ARRAY['bigint', 'integer', 'date', 'text', 'boolean', 'numeric'] LOOP
        EXECUTE pg_catalog.format('CREATE AGGREGATE hostile.count(%s) (sfunc = hostile.step, stype = bigint, initcond = ''0'')', t);
        EXECUTE pg_catalog.format('CREATE AGGREGATE hostile.max(%s) (sfunc = hostile.step, stype = bigint, initcond = ''0'')', t);
        EXECUTE pg_catalog.format('CREATE AGGREGATE hostile.min(%s) (sfunc = hostile.step, stype = bigint, initcond = ''0'')', t);
        EXECUTE pg_catalog.format('CREATE AGGREGATE hostile.sum(%s) (sfunc = hostile.step, stype = bigint, initcond = ''0'')', t);
        EXECUTE pg_catalog.format('CREATE AGGREGATE hostile.array_agg(%s) (sfunc = hostile.step, stype = bigint, initcond = ''0'')', t);
    END LOOP;
END $$;
-- Operators named like the built-in ones (what IN, =, || and + resolve to).
CREATE FUNCTION hostile.concat(pg_catalog.text, pg_catalog.text) RETURNS pg_catalog.text LANGUAGE plpgsql AS $$
BEGIN PERFORM hostile.caught('operator ||'); RETURN $1; END $$;
CREATE FUNCTION hostile.plus(integer, integer) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN PERFORM hostile.caught('operator +'); RETURN $1; END $$;
DO $$
DECLARE t pg_catalog.text; op pg_catalog.text;
BEGIN
    FOREACH t IN ARRAY ARRAY['bigint', 'integer', 'date', 'text', 'boolean', 'accountability.case_status'] LOOP
        EXECUTE pg_catalog.format('CREATE FUNCTION hostile.compare(%s, %s) RETURNS boolean LANGUAGE plpgsql'
                                  ' AS $f$ BEGIN RETURN hostile.caught(%L); END $f$', t, t, 'operator on ' || t);
        FOREACH op IN ARRAY ARRAY['=', '<>', '<', '>', '<=', '>='] LOOP
            EXECUTE pg_catalog.format('CREATE OPERATOR hostile.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = hostile.compare)', op, t, t);
        END LOOP;
    END LOOP;
END $$;
CREATE OPERATOR hostile.|| (LEFTARG = pg_catalog.text, RIGHTARG = pg_catalog.text, FUNCTION = hostile.concat);
CREATE OPERATOR hostile.+ (LEFTARG = integer, RIGHTARG = integer, FUNCTION = hostile.plus);

-- Temporary domains named like the types the SQL casts to (last: the
-- hostile functions above use the real ones).
DO $$
DECLARE t pg_catalog.text;
BEGIN
    FOREACH t IN ARRAY ARRAY['text', 'date', 'bytea', 'jsonb', 'json', 'regclass', 'regrole', 'regtype', 'name', 'oid',
                             'daterange', 'timestamptz', 'int8range', 'numeric', 'bool', 'int4', 'int8', 'varchar'] LOOP
        EXECUTE pg_catalog.format('CREATE DOMAIN pg_temp.%I AS pg_catalog.%I CHECK (hostile.caught(%L))', t, t, 'type ' || t);
    END LOOP;
END $$;
-- The trap is live: an unqualified name under this path is captured.
SET LOCAL search_path = hostile, pg_catalog, accountability;
SELECT count(*) AS trap_rows FROM (VALUES (1::bigint = 1::bigint)) v \gset
SELECT pg_catalog.count(*) AS trap_hits FROM public.hijack_log \gset
DELETE FROM public.hijack_log;

-- ---------------------------------------------------------------------
-- Every write path of the triggers, as the reviewer, under that path.
-- Everything written here qualifies its own operators.
-- ---------------------------------------------------------------------
\set facts '{"situation": "reform_pilot", "consequence": "minor", "red_line_breach": false, "knowing_violation": false, "violated_explicit_ban": false, "private_gain": false, "fraud_or_obstruction": false, "repeated_error": false, "procedure_proper": true, "diligent": true, "corrected_promptly": true}'
-- An error tolerated, from registration to closed: the case, its history,
-- the determination, the plan, the visit; the report figures and the
-- subject figures of each.
INSERT INTO accountability.cases (kind, subject_id, unit_id, event_on, opened_on, facts)
VALUES ('accountability', 8001, 803, '2026-03-01', '2026-04-01', :'facts') RETURNING case_id AS work \gset
UPDATE accountability.cases SET status = 'investigating' WHERE case_id OPERATOR(pg_catalog.=) :work;
UPDATE accountability.cases SET status = 'liable' WHERE case_id OPERATOR(pg_catalog.=) :work;
INSERT INTO accountability.determinations (case_id, outcome, deciding_body, decided_on)
VALUES (:work, 'exempted', '县纪委常委会', '2026-05-10');
UPDATE accountability.cases SET status = 'determined' WHERE case_id OPERATOR(pg_catalog.=) :work;
UPDATE accountability.determinations SET notified_on = '2026-05-12' WHERE case_id OPERATOR(pg_catalog.=) :work;
UPDATE accountability.cases SET status = 'notified' WHERE case_id OPERATOR(pg_catalog.=) :work;
INSERT INTO accountability.correction_plans (case_id, matter, measures, due_on) VALUES (:work, '流程', '修订制度', '2026-07-01');
UPDATE accountability.cases SET status = 'correcting' WHERE case_id OPERATOR(pg_catalog.=) :work;
UPDATE accountability.correction_plans SET completed_on = '2026-06-20', verified_by = '组织部'
WHERE case_id OPERATOR(pg_catalog.=) :work;
UPDATE accountability.cases SET status = 'filed' WHERE case_id OPERATOR(pg_catalog.=) :work;
UPDATE accountability.cases SET status = 'follow_up' WHERE case_id OPERATOR(pg_catalog.=) :work;
INSERT INTO accountability.follow_up_visits (case_id, plan, visitor, visited_on, method, concerns_resolved)
VALUES (:work, '一人一策', '县纪委', '2026-08-01', 'face_to_face', true);
UPDATE accountability.cases SET status = 'closed', closing_reason = '回访无异常' WHERE case_id OPERATOR(pg_catalog.=) :work;
-- A report found untrue and cleared: the unfounded event, the clarification.
INSERT INTO accountability.cases (kind, subject_id, unit_id, opened_on) VALUES ('report', 8002, 803, '2026-03-15') RETURNING case_id AS report \gset
UPDATE accountability.cases SET status = 'investigating' WHERE case_id OPERATOR(pg_catalog.=) :report;
UPDATE accountability.cases SET status = 'unfounded', conclusion = '失实', report_finding = 'mistaken_report',
       clarification_grounds = '{harmed_subject}' WHERE case_id OPERATOR(pg_catalog.=) :report;
INSERT INTO accountability.clarifications (case_id, methods, scope, approved_by, done_on)
VALUES (:report, '{written}', '本单位', '县纪委', '2026-04-01');
-- Every incentive table, and a cadre's move.
INSERT INTO accountability.trainings (subject_id, course, year, attended_on, hours) VALUES (8001, '培训', 2026, '2026-03-01', 8);
INSERT INTO accountability.early_warnings (subject_id, sign, issued_by) VALUES (8001, '预警', '县纪委');
INSERT INTO accountability.assessments (subject_id, year, grade, assessing_unit_id, decided_on)
VALUES (8001, 2025, 'excellent', 803, '2026-01-15');
INSERT INTO accountability.commendations (subject_id, kind, year, awarding_unit_id, awarded_on)
SELECT 8001, k.code, 2026, 803, '2026-02-01' FROM accountability.commendation_kinds k ORDER BY k.code LIMIT 1;
INSERT INTO accountability.mentorships (mentor_id, mentee_id, unit_id, started_on) VALUES (8002, 8001, 803, '2026-01-01');
INSERT INTO accountability.promotions (subject_id, kind, to_post, unit_id, decided_by, effective_on)
VALUES (8001, 'promotion', '副局长', 803, '县委', '2026-09-01');
INSERT INTO accountability.demotions (subject_id, situation_code, method, decided_by, decided_on, effective_on, reuse_eligible_on)
SELECT 8002, s.code, 'transfer', '县委', '2026-01-10', '2026-01-10', '2027-01-10'
FROM accountability.demotion_situations s ORDER BY s.code LIMIT 1;
SELECT accountability.move_subject(8002, 804, '调任乡镇');
-- What the functions that take ids compute, and the reports.
SELECT (accountability.assess_case(:work)).outcome::pg_catalog.text AS assessed \gset
SELECT pg_catalog.count(*) AS dossier FROM accountability.case_dossier(:work) \gset
SELECT pg_catalog.count(*) AS history_problems FROM accountability.verify_history(:work) \gset
SELECT pg_catalog.count(*) AS standing FROM accountability.subject_standing(8001) \gset
SELECT pg_catalog.count(*) AS report_rows FROM accountability.annual_report \gset
-- The temporary types go before pgTAP runs again (its functions would
-- meet them too).
DO $$
DECLARE t pg_catalog.text;
BEGIN
    FOR t IN SELECT y.typname FROM pg_catalog.pg_type y
             WHERE y.typnamespace OPERATOR(pg_catalog.=) pg_catalog.pg_my_temp_schema() AND y.typtype OPERATOR(pg_catalog.=) 'd' LOOP
        EXECUTE pg_catalog.format('DROP DOMAIN pg_temp.%I CASCADE', t);
    END LOOP;
END $$;
RESET ROLE;
SET LOCAL search_path = public, accountability;

-- ---------------------------------------------------------------------
-- The verdict.
-- ---------------------------------------------------------------------
SELECT ok(:trap_hits > 0, 'the hostile names capture unqualified SQL under that search_path');
SELECT is_empty($$SELECT what, run_by FROM public.hijack_log WHERE run_by <> 't_hijacker'$$,
                'no hostile object ran as another role (the owner the triggers switch to)');
SELECT is_empty($$SELECT what, run_by FROM public.hijack_log$$,
                'no hostile object ran at all: the extension resolves no name through the caller''s search_path');
SELECT ok(NOT (SELECT rolsuper FROM pg_roles WHERE rolname = 't_hijacker'), 'the reviewer is still no superuser');
SELECT is((SELECT status::text FROM cases WHERE case_id = :work), 'closed', 'the tolerated case went the whole way');
SELECT is(:'assessed'::text, 'exempted', 'and assesses as it should');
SELECT is(:history_problems::bigint, 0::bigint, 'its history is intact');
SELECT is_empty('SELECT * FROM report_figures_check()', 'the report figures equal a count from scratch');
SELECT is_empty('SELECT * FROM subject_figures_check()', 'the subject figures equal a count from scratch');

SELECT * FROM finish();
ROLLBACK;
