-- The workflow rules of pg_accountability written as PL/pgSQL triggers, for
-- the benchmark only (tests/bench/30_workflow.sql): what a team would write
-- without the C triggers.  A copy of extension/workflow.c, status.c,
-- guards.c (closed_case_guard) and history.c (the UPDATE half of
-- case_history_trigger) as far as the timed moves go, attached to copies of
-- the tables in schema plpgsql_wf, so the same UPDATE can be timed through
-- either.  The timed moves carry no requirement (30_workflow.sql), so the
-- requirements 1.1 added on leaving an appeal or filing (no_open_plan,
-- determination_stands and its judged_on) are not copied: the table of
-- moves is the C one, the checks behind those two are not.
--
-- Like the C triggers it names every table and operator by schema (no
-- SET search_path on a row trigger), keeps the transition table in one
-- place (a CASE over the two statuses, which costs less per row than a
-- lookup query) and runs a requirement's query only when the move carries
-- it.  It computes the same chained SHA-256 (format v1, as history.c
-- builds it) with sha256() over the same bytes, without the extension's C,
-- so its history verifies with accountability.event_hash().  Runs as the
-- caller (the C triggers' queries run as the table owner; a PL/pgSQL
-- deployment would move them into SECURITY DEFINER helpers, which the
-- moves benchmarked here never call).
--
-- Needs accountability.units and subjects (the copies' foreign keys).
CREATE SCHEMA plpgsql_wf;

CREATE TABLE plpgsql_wf.cases (LIKE accountability.cases INCLUDING ALL,
    FOREIGN KEY (subject_id) REFERENCES accountability.subjects,
    FOREIGN KEY (unit_id) REFERENCES accountability.units);
CREATE TABLE plpgsql_wf.case_events (LIKE accountability.case_events INCLUDING ALL);
CREATE TABLE plpgsql_wf.determinations (LIKE accountability.determinations INCLUDING ALL,
    FOREIGN KEY (case_id) REFERENCES plpgsql_wf.cases);
CREATE TABLE plpgsql_wf.correction_plans (LIKE accountability.correction_plans INCLUDING ALL,
    FOREIGN KEY (case_id) REFERENCES plpgsql_wf.cases);

-- A text field of the hash input: absent, or present with its length and bytes.
CREATE FUNCTION plpgsql_wf.hash_text(t text) RETURNS bytea LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN t IS NULL THEN '\x00'::bytea
                ELSE '\x01'::bytea || int8send(octet_length(t)::bigint) || convert_to(t, getdatabaseencoding()) END $$;

-- closed_case_guard: a closed case never changes.
CREATE FUNCTION plpgsql_wf.closed_case_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status OPERATOR(accountability.=) 'closed'::accountability.case_status THEN
        RAISE EXCEPTION 'case % is closed and cannot be changed', OLD.case_id
            USING ERRCODE = '55000', DETAIL = 'A closed case (办结) is final.',
                  HINT = 'Register a new case that refers to it through related_case_id.';
    END IF;
    RETURN NEW;
END $$;

-- case_transition_trigger: the transition table with its requirements,
-- the requirement checks, and the history chain head on the row.
CREATE FUNCTION plpgsql_wf.case_transition_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    f accountability.case_status := OLD.status;
    t accountability.case_status := NEW.status;
    req text;           -- the move's requirement, '' for none, NULL when the move is illegal
    missing text;
    hint text;
    note text;
    det record;
    plans bigint;
    completed bigint;
BEGIN
    IF NEW.case_id IS DISTINCT FROM OLD.case_id THEN missing := 'case_id';
    ELSIF NEW.event_count IS DISTINCT FROM OLD.event_count THEN missing := 'event_count';
    ELSIF NEW.last_event_hash IS DISTINCT FROM OLD.last_event_hash THEN missing := 'last_event_hash';
    ELSIF NEW.origin IS DISTINCT FROM OLD.origin THEN missing := 'origin';
    END IF;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'column "%" of a case is maintained by the database', missing
            USING ERRCODE = '428C9', HINT = 'Leave it out of the UPDATE; change status to move the case.';
    END IF;

    IF f OPERATOR(accountability.=) t THEN
        NEW.version := OLD.version + 1;
        NEW.transition_note := OLD.transition_note;
        RETURN NEW;
    END IF;

    req := CASE
        WHEN f OPERATOR(accountability.=) 'received' THEN CASE
            WHEN t OPERATOR(accountability.=) 'investigating' THEN ''
            WHEN t OPERATOR(accountability.=) 'closed' THEN 'closing_reason' END
        WHEN f OPERATOR(accountability.=) 'investigating' THEN CASE
            WHEN t OPERATOR(accountability.=) 'unfounded' THEN ''
            WHEN t OPERATOR(accountability.=) 'liable' THEN '' END
        WHEN f OPERATOR(accountability.=) 'unfounded' THEN CASE
            WHEN t OPERATOR(accountability.=) 'follow_up' THEN ''
            WHEN t OPERATOR(accountability.=) 'closed' THEN 'closing_reason' END
        WHEN f OPERATOR(accountability.=) 'liable' THEN CASE
            WHEN t OPERATOR(accountability.=) 'tolerance_review' THEN 'tolerance_kind'
            WHEN t OPERATOR(accountability.=) 'determined' THEN 'determination' END
        WHEN f OPERATOR(accountability.=) 'tolerance_review' THEN CASE
            WHEN t OPERATOR(accountability.=) 'determined' THEN 'determination' END
        WHEN f OPERATOR(accountability.=) 'determined' THEN CASE
            WHEN t OPERATOR(accountability.=) 'notified' THEN 'notification_date' END
        WHEN f OPERATOR(accountability.=) 'notified' THEN CASE
            WHEN t OPERATOR(accountability.=) 'appealed' THEN 'appeal_window'
            WHEN t OPERATOR(accountability.=) 'correcting' THEN 'correction_plan'
            WHEN t OPERATOR(accountability.=) 'filed' THEN '' END
        WHEN f OPERATOR(accountability.=) 'appealed' THEN CASE
            WHEN t OPERATOR(accountability.=) 'determined' THEN 'determination'
            WHEN t OPERATOR(accountability.=) 'correcting' THEN 'correction_plan'
            WHEN t OPERATOR(accountability.=) 'filed' THEN '' END
        WHEN f OPERATOR(accountability.=) 'correcting' THEN CASE
            WHEN t OPERATOR(accountability.=) 'filed' THEN 'plans_completed' END
        WHEN f OPERATOR(accountability.=) 'filed' THEN CASE
            WHEN t OPERATOR(accountability.=) 'follow_up' THEN ''
            WHEN t OPERATOR(accountability.=) 'closed' THEN '' END
        WHEN f OPERATOR(accountability.=) 'follow_up' THEN CASE
            WHEN t OPERATOR(accountability.=) 'closed' THEN '' END
        END;
    IF req IS NULL THEN
        RAISE EXCEPTION 'case % cannot move from % to %', OLD.case_id, f, t
            USING ERRCODE = '55000',
                  DETAIL = format('From %s a case may move to: %s.', f,
                                  array_to_string(accountability.next_statuses(f)::text[], ', ')),
                  HINT = 'Move the case one legal step at a time; accountability.next_statuses(status) lists them.';
    END IF;

    IF req <> '' THEN
        IF req = 'closing_reason' AND coalesce(NEW.closing_reason, '') !~ '[^[:space:]]' THEN
            missing := 'a closing reason';
            hint := 'Set closing_reason in the same UPDATE: why the case is not taken up, or why no clarification is given.';
        ELSIF req = 'tolerance_kind' AND NEW.kind = 'false_accusation' THEN
            missing := 'a case that may be reviewed for tolerance';
            hint := 'Tolerance review (容错审查) does not apply to false-accusation cases; move the case to determined.';
        ELSIF req IN ('determination', 'notification_date', 'appeal_window') THEN
            SELECT d.after_event_no, d.notified_on INTO det
            FROM plpgsql_wf.determinations d
            WHERE d.case_id = OLD.case_id ORDER BY d.determination_no DESC LIMIT 1;
            IF req = 'determination' AND (NOT FOUND OR det.after_event_no <> OLD.event_count) THEN
                missing := 'a determination recorded since the case entered its current status, on the facts it has';
                hint := 'INSERT INTO accountability.determinations (case_id, outcome, deciding_body, ...) first.';
            ELSIF req = 'notification_date' AND (NOT FOUND OR det.notified_on IS NULL) THEN
                missing := 'the date the subject was notified in writing';
                hint := 'UPDATE accountability.determinations SET notified_on = ... for the latest determination first.';
            ELSIF req = 'appeal_window' AND (NOT FOUND OR det.notified_on IS NULL
                    OR current_date > det.notified_on + (SELECT s.days FROM accountability.settings s
                                                         WHERE s.name = 'appeal')) THEN
                missing := 'an appeal within the appeal window after notification';
                hint := 'The window is the setting "appeal" (days after notified_on); a late appeal is handled outside the case.';
            END IF;
        ELSIF req IN ('correction_plan', 'plans_completed') THEN
            SELECT count(*), count(p.completed_on) INTO plans, completed
            FROM plpgsql_wf.correction_plans p WHERE p.case_id = OLD.case_id;
            IF req = 'correction_plan' AND plans = 0 THEN
                missing := 'a correction plan';
                hint := 'INSERT INTO accountability.correction_plans (case_id, matter, measures, due_on) first.';
            ELSIF req = 'plans_completed' AND (plans = 0 OR completed <> plans) THEN
                missing := 'every correction plan completed';
                hint := 'Set completed_on and verified_by on each of the case''s correction plans first.';
            END IF;
        END IF;
        IF missing IS NOT NULL THEN
            RAISE EXCEPTION 'case % cannot move from % to % without %', OLD.case_id, f, t, missing
                USING ERRCODE = '55000', HINT = hint;
        END IF;
    END IF;

    IF OLD.last_event_hash IS NOT NULL AND length(OLD.last_event_hash) <> 32 THEN
        RAISE EXCEPTION 'case % has a damaged history chain head', OLD.case_id
            USING ERRCODE = 'XX001', HINT = format('Run accountability.verify_history(%s).', OLD.case_id);
    END IF;
    -- the note of this transition: a newly set transition_note, else none
    IF NEW.transition_note IS NOT NULL
       AND (OLD.transition_note IS NULL OR NEW.transition_note <> OLD.transition_note) THEN
        note := NEW.transition_note;
    END IF;
    NEW.event_count := OLD.event_count + 1;
    -- the tag 'pg_accountability.case_event.v1' and its NUL, the previous
    -- hash, case, event number, kind 'transition', the two status codes,
    -- time, user, actor, note
    NEW.last_event_hash := sha256(
        '\x70675f6163636f756e746162696c6974792e636173655f6576656e742e763100'::bytea
        || CASE WHEN OLD.last_event_hash IS NULL THEN '\x00'::bytea ELSE '\x01'::bytea || OLD.last_event_hash END
        || int8send(OLD.case_id) || int8send(NEW.event_count::bigint)
        || '\x01000000000000000a7472616e736974696f6e'::bytea
        || substring(accountability.case_status_send(f) FROM 2 FOR 1)
        || substring(accountability.case_status_send(t) FROM 2 FOR 1)
        || timestamptz_send(transaction_timestamp())
        || plpgsql_wf.hash_text(current_user::text)
        || plpgsql_wf.hash_text(nullif(current_setting('accountability.actor'), ''))
        || plpgsql_wf.hash_text(note));
    NEW.version := OLD.version + 1;
    NEW.transition_note := note;
    RETURN NEW;
END $$;

-- case_history_trigger (UPDATE): one event per case whose event count grew.
CREATE FUNCTION plpgsql_wf.case_history_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO plpgsql_wf.case_events (case_id, event_no, event_kind, from_status,
                                        to_status, occurred_at, db_user, actor, note, hash)
    SELECT n.case_id, n.event_count, 'transition', o.status, n.status, transaction_timestamp(),
           current_user, nullif(current_setting('accountability.actor'), ''),
           n.transition_note, n.last_event_hash
    FROM new_rows n JOIN old_rows o ON o.case_id = n.case_id
    WHERE n.event_count <> o.event_count;
    RETURN NULL;
END $$;

CREATE TRIGGER cases_00_closed_guard BEFORE UPDATE ON plpgsql_wf.cases
    FOR EACH ROW EXECUTE FUNCTION plpgsql_wf.closed_case_guard();
CREATE TRIGGER cases_10_transition BEFORE UPDATE ON plpgsql_wf.cases
    FOR EACH ROW EXECUTE FUNCTION plpgsql_wf.case_transition_trigger();
CREATE TRIGGER cases_20_history_update AFTER UPDATE ON plpgsql_wf.cases
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION plpgsql_wf.case_history_trigger();
