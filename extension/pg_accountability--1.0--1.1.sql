/*
 * pg_accountability 1.0 -> 1.1.
 *
 * 1.1 is assembled from the pieces of extension/schema/; this script brings
 * a 1.0 install to exactly what a fresh 1.1 install creates
 * (tests/checks/upgrade.sh compares the two object by object).  Each
 * change below names the issue it comes from.
 *
 * 1.1 first rebuilt the install script as pieces, one per concern, each
 * granting its own objects; the objects and their privileges are the same
 * as 1.0's, so that step needs nothing here.
 */

\echo Use "ALTER EXTENSION pg_accountability UPDATE TO '1.1'" to load this file. \quit

/*
 * Issue 13, any server encoding: the control file's comment is stored
 * unconverted, so it is ASCII now and the Chinese name moves into a
 * COMMENT the script sets (scripts are converted to the database
 * encoding).
 */
COMMENT ON EXTENSION pg_accountability IS
'Cadre error tolerance, clarification and accountability workflow (容错纠错、澄清正名、精准问责)';

/*
 * Issue 13, parallel restore: restoring is an explicit mode
 * (accountability.restore), no longer a side effect of privilege; the
 * administrators may turn it on, as they may import mode.
 */
GRANT SET ON PARAMETER accountability.restore TO accountability_admin;

/*
 * Issue 17, costs that follow the work: verify_history(case_id) checks one
 * case through the primary keys instead of scanning the whole history (its
 * one query could use no index).  Its body moves into history_problems(),
 * one static query per path; verify_history keeps its signature, result
 * and privileges.
 */
/*
 * verify_history's two paths (issue 17).  One case is checked through the
 * primary keys of cases and case_events, at a cost that does not grow with
 * the archive; every case is checked in one pass over both tables.  A single
 * SQL query with "$1 IS NULL OR case_id = $1" served both and could use no
 * index, so one case cost a scan of the whole history.  Here each path is a
 * static query of its own, planned once per session (PL/pgSQL caches the
 * plans).  The two queries are the same but for the two WHERE lines marked
 * "one case": change them together (sql/workflow.sql checks that both paths
 * find the same problems in a tampered history).
 */
CREATE FUNCTION accountability.history_problems(only_case bigint)
RETURNS TABLE (case_id bigint, event_no integer, problem text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    IF only_case IS NULL THEN
        RETURN QUERY
        WITH c AS (
            SELECT k.case_id, k.status, k.origin, k.event_count, k.last_event_hash
            FROM accountability.cases k
        ), e AS (
            SELECT e.*, lag(e.hash) OVER w AS prev_hash, lag(e.to_status) OVER w AS prev_to,
                   lag(e.event_no) OVER w AS prev_no
            FROM accountability.case_events e
            WINDOW w AS (PARTITION BY e.case_id ORDER BY e.event_no)
        ), event_problems AS (
            SELECT e.case_id, e.event_no,
                   CASE
                     WHEN NOT EXISTS (SELECT 1 FROM c WHERE c.case_id OPERATOR(pg_catalog.=) e.case_id)
                       THEN 'event of a case that does not exist'
                     WHEN e.event_no OPERATOR(pg_catalog.<>) coalesce(e.prev_no OPERATOR(pg_catalog.+) 1,
                            CASE WHEN e.event_kind OPERATOR(pg_catalog.=) 'imported' THEN 0 ELSE 1 END)
                       THEN 'event numbers are not dense'
                     WHEN e.event_no OPERATOR(pg_catalog.>) 0
                          AND (e.from_status IS NULL OR e.from_status OPERATOR(accountability.<>)
                               coalesce(e.prev_to, 'received'::accountability.case_status))
                       THEN 'event does not start where the previous one ended'
                     WHEN e.hash OPERATOR(pg_catalog.<>) accountability.event_hash(
                            CASE WHEN e.event_no OPERATOR(pg_catalog.>) 1 THEN e.prev_hash END,
                            e.case_id, e.event_no, e.event_kind, e.from_status, e.to_status,
                            e.occurred_at, e.db_user, e.actor, e.note)
                       THEN 'event hash does not match its content and chain'
                   END AS problem
            FROM e
        ), case_problems AS (
            SELECT c.case_id, NULL::integer AS event_no,
                   CASE
                     WHEN coalesce(l.event_no, 0) OPERATOR(pg_catalog.<>) c.event_count
                       THEN format('case counts %s events, history holds %s', c.event_count, coalesce(l.event_no, 0))
                     WHEN l.hash IS DISTINCT FROM c.last_event_hash AND c.event_count OPERATOR(pg_catalog.>) 0
                       THEN 'latest event hash differs from the case''s chain head'
                     WHEN c.status OPERATOR(accountability.<>) coalesce(l.to_status, 'received'::accountability.case_status)
                       THEN 'case status differs from the end of its history'
                     WHEN (c.origin OPERATOR(pg_catalog.=) 'imported') OPERATOR(pg_catalog.<>)
                          EXISTS (SELECT 1 FROM accountability.case_events i
                                  WHERE i.case_id OPERATOR(pg_catalog.=) c.case_id AND i.event_no OPERATOR(pg_catalog.=) 0)
                       THEN 'imported event missing or unexpected'
                   END AS problem
            FROM c
            LEFT JOIN LATERAL (
                SELECT x.event_no, x.hash, x.to_status FROM accountability.case_events x
                WHERE x.case_id OPERATOR(pg_catalog.=) c.case_id
                ORDER BY x.event_no DESC LIMIT 1) l ON true
        )
        SELECT * FROM event_problems WHERE problem IS NOT NULL
        UNION ALL
        SELECT * FROM case_problems WHERE problem IS NOT NULL
        ORDER BY 1, 2 NULLS LAST;
    ELSE
        RETURN QUERY
        WITH c AS (
            SELECT k.case_id, k.status, k.origin, k.event_count, k.last_event_hash
            FROM accountability.cases k
            WHERE k.case_id OPERATOR(pg_catalog.=) only_case  -- one case
        ), e AS (
            SELECT e.*, lag(e.hash) OVER w AS prev_hash, lag(e.to_status) OVER w AS prev_to,
                   lag(e.event_no) OVER w AS prev_no
            FROM accountability.case_events e
            WHERE e.case_id OPERATOR(pg_catalog.=) only_case  -- one case
            WINDOW w AS (PARTITION BY e.case_id ORDER BY e.event_no)
        ), event_problems AS (
            SELECT e.case_id, e.event_no,
                   CASE
                     WHEN NOT EXISTS (SELECT 1 FROM c WHERE c.case_id OPERATOR(pg_catalog.=) e.case_id)
                       THEN 'event of a case that does not exist'
                     WHEN e.event_no OPERATOR(pg_catalog.<>) coalesce(e.prev_no OPERATOR(pg_catalog.+) 1,
                            CASE WHEN e.event_kind OPERATOR(pg_catalog.=) 'imported' THEN 0 ELSE 1 END)
                       THEN 'event numbers are not dense'
                     WHEN e.event_no OPERATOR(pg_catalog.>) 0
                          AND (e.from_status IS NULL OR e.from_status OPERATOR(accountability.<>)
                               coalesce(e.prev_to, 'received'::accountability.case_status))
                       THEN 'event does not start where the previous one ended'
                     WHEN e.hash OPERATOR(pg_catalog.<>) accountability.event_hash(
                            CASE WHEN e.event_no OPERATOR(pg_catalog.>) 1 THEN e.prev_hash END,
                            e.case_id, e.event_no, e.event_kind, e.from_status, e.to_status,
                            e.occurred_at, e.db_user, e.actor, e.note)
                       THEN 'event hash does not match its content and chain'
                   END AS problem
            FROM e
        ), case_problems AS (
            SELECT c.case_id, NULL::integer AS event_no,
                   CASE
                     WHEN coalesce(l.event_no, 0) OPERATOR(pg_catalog.<>) c.event_count
                       THEN format('case counts %s events, history holds %s', c.event_count, coalesce(l.event_no, 0))
                     WHEN l.hash IS DISTINCT FROM c.last_event_hash AND c.event_count OPERATOR(pg_catalog.>) 0
                       THEN 'latest event hash differs from the case''s chain head'
                     WHEN c.status OPERATOR(accountability.<>) coalesce(l.to_status, 'received'::accountability.case_status)
                       THEN 'case status differs from the end of its history'
                     WHEN (c.origin OPERATOR(pg_catalog.=) 'imported') OPERATOR(pg_catalog.<>)
                          EXISTS (SELECT 1 FROM accountability.case_events i
                                  WHERE i.case_id OPERATOR(pg_catalog.=) c.case_id AND i.event_no OPERATOR(pg_catalog.=) 0)
                       THEN 'imported event missing or unexpected'
                   END AS problem
            FROM c
            LEFT JOIN LATERAL (
                SELECT x.event_no, x.hash, x.to_status FROM accountability.case_events x
                WHERE x.case_id OPERATOR(pg_catalog.=) c.case_id
                ORDER BY x.event_no DESC LIMIT 1) l ON true
        )
        SELECT * FROM event_problems WHERE problem IS NOT NULL
        UNION ALL
        SELECT * FROM case_problems WHERE problem IS NOT NULL
        ORDER BY 1, 2 NULLS LAST;
    END IF;
END
$$;

COMMENT ON FUNCTION accountability.history_problems(bigint) IS
'The body of verify_history (流转记录核验): the problems of one case''s history, found through the primary keys, or of every case (NULL) in one pass. Call verify_history().';

CREATE OR REPLACE FUNCTION accountability.verify_history(case_id bigint DEFAULT NULL)
RETURNS TABLE (case_id bigint, event_no integer, problem text)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT * FROM accountability.history_problems($1)
$$;

REVOKE ALL ON FUNCTION accountability.history_problems(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION accountability.history_problems(bigint) TO accountability_reader;
/* ------------------------------------------------------------------------
 * Issue 14, integrity: one write model for every table, scope by each
 * row's own unit, the audited move of a cadre, the domains of what users
 * type.  (The same statements as extension/schema/75_write_model.sql and
 * the changed parts of 80_scope.sql.)
 * ------------------------------------------------------------------------
 */

-- The per-column guards replace the lists of columns filled in later.
DROP TRIGGER determinations_30_recorded ON accountability.determinations;
DROP TRIGGER correction_plans_30_recorded ON accountability.correction_plans;
DROP TRIGGER clarifications_30_recorded ON accountability.clarifications;
DROP TRIGGER follow_up_visits_30_recorded ON accountability.follow_up_visits;
DROP FUNCTION accountability.only_listed_columns_change();

-- Scope follows each row's own unit.
/*
 * The one rule of every per-subject record (early warnings, demotions,
 * assessments, commendations, mentoring, training, promotions): it is in
 * scope when its subject's own unit is.  The subjects the role sees under
 * the subjects policy, which looks at the subject's unit only; the
 * policies use it as "subject_id IN (SELECT visible_subjects())", a hashed
 * sub-plan evaluated once per query.
 */
CREATE FUNCTION accountability.visible_subjects()
RETURNS SETOF bigint
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT s.subject_id FROM accountability.subjects s $$;
COMMENT ON FUNCTION accountability.visible_subjects() IS 'The subjects in the current role''s scope (数据权限范围内的对象): those whose own unit is in visible_units(). The one scope rule of every per-subject record; a case pointing at a subject never brings it into scope.';
REVOKE ALL ON FUNCTION accountability.visible_subjects() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION accountability.visible_subjects() TO accountability_reader;

CREATE FUNCTION accountability.visible_cases()
RETURNS SETOF bigint
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT c.case_id FROM accountability.cases c $$;
COMMENT ON FUNCTION accountability.visible_cases() IS 'The cases the current role sees (数据权限范围内的案件): a new case may only relate to one of them, so a link never reaches, or tests for, a case outside the scope.';
REVOKE ALL ON FUNCTION accountability.visible_cases() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION accountability.visible_cases() TO accountability_reader;

ALTER POLICY cases_in_scope ON accountability.cases
    USING (((SELECT accountability.sees_all_units())
            OR unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[]))
           AND (kind OPERATOR(pg_catalog.<>) 'false_accusation' OR (SELECT accountability.sees_accusers())))
    WITH CHECK (((SELECT accountability.sees_all_units())
                 OR (unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[])
                     AND subject_id IN (SELECT accountability.visible_subjects())
                     AND (related_case_id IS NULL OR related_case_id IN (SELECT accountability.visible_cases()))))
                AND (kind OPERATOR(pg_catalog.<>) 'false_accusation' OR (SELECT accountability.sees_accusers())));
COMMENT ON POLICY cases_in_scope ON accountability.cases IS 'A role sees and changes the cases of the units in its scope (visible_units()); false-accusation cases only with the privileges of accountability_reviewer. A new or changed case concerns a subject of the scope and relates only to a case the role sees.';

ALTER POLICY subjects_in_scope ON accountability.subjects
    USING ((SELECT accountability.sees_all_units())
           OR unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[]))
    WITH CHECK ((SELECT accountability.sees_all_units())
                OR unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[]));
ALTER POLICY early_warnings_in_scope ON accountability.early_warnings
    USING ((SELECT accountability.sees_all_units())
           OR subject_id IN (SELECT accountability.visible_subjects()));
ALTER POLICY demotions_in_scope ON accountability.demotions
    USING ((SELECT accountability.sees_all_units())
           OR subject_id IN (SELECT accountability.visible_subjects()));
ALTER POLICY assessments_in_scope ON accountability.assessments
    USING ((SELECT accountability.sees_all_units())
           OR subject_id IN (SELECT accountability.visible_subjects()));
ALTER POLICY commendations_in_scope ON accountability.commendations
    USING ((SELECT accountability.sees_all_units())
           OR subject_id IN (SELECT accountability.visible_subjects()));
ALTER POLICY mentorships_in_scope ON accountability.mentorships
    USING ((SELECT accountability.sees_all_units())
           OR mentee_id IN (SELECT accountability.visible_subjects()));
ALTER POLICY trainings_in_scope ON accountability.trainings
    USING ((SELECT accountability.sees_all_units())
           OR subject_id IN (SELECT accountability.visible_subjects()));
ALTER POLICY promotions_in_scope ON accountability.promotions
    USING ((SELECT accountability.sees_all_units())
           OR subject_id IN (SELECT accountability.visible_subjects()));
COMMENT ON POLICY subjects_in_scope ON accountability.subjects IS 'Subjects (对象) of the units in the role''s scope (数据权限), and only those: scope follows the subject''s own unit, never a case that points at it. The identity type is hidden by column privileges, not by hiding rows. New and changed subjects must be in the scope.';


CREATE FUNCTION accountability.write_model()
RETURNS TABLE (table_name text, column_name text, column_class text, hangs_off text, why text)
AS 'MODULE_PATHNAME', 'write_model_rows'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
ROWS 160;

COMMENT ON FUNCTION accountability.write_model() IS
'The write model (写入模型), one row per column of the permanent record: identity 标识 (never changes), state 状态 (only by a transition), maintained 系统维护 (written by the database), fill_once 一次填写 (NULL to a value once), free 自由 (while open, never with a transition), note 备注 (may go with a transition), move 调动 (only through move_subject); hangs_off says what freezes the row (a closed case) or scopes it (a subject).';

CREATE FUNCTION accountability.write_model_guard()
RETURNS trigger AS 'MODULE_PATHNAME', 'write_model_guard'
LANGUAGE C PARALLEL UNSAFE;

COMMENT ON FUNCTION accountability.write_model_guard() IS
'BEFORE UPDATE row trigger (ENABLE ALWAYS) on every table of the permanent record: refuses what the write model does not allow (写入模型守卫): identity or fill_once columns rewritten (42501), maintained columns (428C9), other columns changed together with a transition or a row of a closed case changed (55000), a unit moved outside move_subject (42501).';

-- Guards first: <table>_05_write_model sorts before the workflow triggers.
CREATE TRIGGER units_05_write_model BEFORE UPDATE ON accountability.units
    FOR EACH ROW EXECUTE FUNCTION accountability.write_model_guard();
CREATE TRIGGER subjects_05_write_model BEFORE UPDATE ON accountability.subjects
    FOR EACH ROW EXECUTE FUNCTION accountability.write_model_guard();
CREATE TRIGGER cases_05_write_model BEFORE UPDATE ON accountability.cases
    FOR EACH ROW EXECUTE FUNCTION accountability.write_model_guard();
CREATE TRIGGER determinations_05_write_model BEFORE UPDATE ON accountability.determinations
    FOR EACH ROW EXECUTE FUNCTION accountability.write_model_guard();
CREATE TRIGGER correction_plans_05_write_model BEFORE UPDATE ON accountability.correction_plans
    FOR EACH ROW EXECUTE FUNCTION accountability.write_model_guard();
CREATE TRIGGER clarifications_05_write_model BEFORE UPDATE ON accountability.clarifications
    FOR EACH ROW EXECUTE FUNCTION accountability.write_model_guard();
CREATE TRIGGER follow_up_visits_05_write_model BEFORE UPDATE ON accountability.follow_up_visits
    FOR EACH ROW EXECUTE FUNCTION accountability.write_model_guard();
CREATE TRIGGER early_warnings_05_write_model BEFORE UPDATE ON accountability.early_warnings
    FOR EACH ROW EXECUTE FUNCTION accountability.write_model_guard();
CREATE TRIGGER demotions_05_write_model BEFORE UPDATE ON accountability.demotions
    FOR EACH ROW EXECUTE FUNCTION accountability.write_model_guard();
CREATE TRIGGER assessments_05_write_model BEFORE UPDATE ON accountability.assessments
    FOR EACH ROW EXECUTE FUNCTION accountability.write_model_guard();
CREATE TRIGGER commendations_05_write_model BEFORE UPDATE ON accountability.commendations
    FOR EACH ROW EXECUTE FUNCTION accountability.write_model_guard();
CREATE TRIGGER mentorships_05_write_model BEFORE UPDATE ON accountability.mentorships
    FOR EACH ROW EXECUTE FUNCTION accountability.write_model_guard();
CREATE TRIGGER mentoring_sessions_05_write_model BEFORE UPDATE ON accountability.mentoring_sessions
    FOR EACH ROW EXECUTE FUNCTION accountability.write_model_guard();
CREATE TRIGGER trainings_05_write_model BEFORE UPDATE ON accountability.trainings
    FOR EACH ROW EXECUTE FUNCTION accountability.write_model_guard();
CREATE TRIGGER promotions_05_write_model BEFORE UPDATE ON accountability.promotions
    FOR EACH ROW EXECUTE FUNCTION accountability.write_model_guard();
ALTER TABLE accountability.units ENABLE ALWAYS TRIGGER units_05_write_model;
ALTER TABLE accountability.subjects ENABLE ALWAYS TRIGGER subjects_05_write_model;
ALTER TABLE accountability.cases ENABLE ALWAYS TRIGGER cases_05_write_model;
ALTER TABLE accountability.determinations ENABLE ALWAYS TRIGGER determinations_05_write_model;
ALTER TABLE accountability.correction_plans ENABLE ALWAYS TRIGGER correction_plans_05_write_model;
ALTER TABLE accountability.clarifications ENABLE ALWAYS TRIGGER clarifications_05_write_model;
ALTER TABLE accountability.follow_up_visits ENABLE ALWAYS TRIGGER follow_up_visits_05_write_model;
ALTER TABLE accountability.early_warnings ENABLE ALWAYS TRIGGER early_warnings_05_write_model;
ALTER TABLE accountability.demotions ENABLE ALWAYS TRIGGER demotions_05_write_model;
ALTER TABLE accountability.assessments ENABLE ALWAYS TRIGGER assessments_05_write_model;
ALTER TABLE accountability.commendations ENABLE ALWAYS TRIGGER commendations_05_write_model;
ALTER TABLE accountability.mentorships ENABLE ALWAYS TRIGGER mentorships_05_write_model;
ALTER TABLE accountability.mentoring_sessions ENABLE ALWAYS TRIGGER mentoring_sessions_05_write_model;
ALTER TABLE accountability.trainings ENABLE ALWAYS TRIGGER trainings_05_write_model;
ALTER TABLE accountability.promotions ENABLE ALWAYS TRIGGER promotions_05_write_model;

-- Determinations, correction plans, clarifications and visits are never
-- truncated either (their rows were already never deleted).
CREATE TRIGGER determinations_40_no_truncate BEFORE TRUNCATE ON accountability.determinations
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.append_only_guard();
CREATE TRIGGER correction_plans_40_no_truncate BEFORE TRUNCATE ON accountability.correction_plans
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.append_only_guard();
CREATE TRIGGER clarifications_40_no_truncate BEFORE TRUNCATE ON accountability.clarifications
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.append_only_guard();
CREATE TRIGGER follow_up_visits_40_no_truncate BEFORE TRUNCATE ON accountability.follow_up_visits
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.append_only_guard();
ALTER TABLE accountability.determinations ENABLE ALWAYS TRIGGER determinations_40_no_truncate;
ALTER TABLE accountability.correction_plans ENABLE ALWAYS TRIGGER correction_plans_40_no_truncate;
ALTER TABLE accountability.clarifications ENABLE ALWAYS TRIGGER clarifications_40_no_truncate;
ALTER TABLE accountability.follow_up_visits ENABLE ALWAYS TRIGGER follow_up_visits_40_no_truncate;

/*
 * Moving a cadre to another unit (干部调动) is the one way subjects.unit_id
 * changes: an explicit function for reviewers, run with the caller's
 * rights (the subject and the new unit must both be in its scope), and
 * recorded in subject_moves.
 */
CREATE TABLE accountability.subject_moves (
    move_id      bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    subject_id   bigint NOT NULL REFERENCES accountability.subjects,
    from_unit_id bigint NOT NULL REFERENCES accountability.units,
    to_unit_id   bigint NOT NULL REFERENCES accountability.units,
    reason       text NOT NULL,
    moved_at     timestamptz NOT NULL DEFAULT now(),
    moved_by     text NOT NULL
);
CREATE INDEX subject_moves_subject_idx ON accountability.subject_moves (subject_id);

COMMENT ON TABLE accountability.subject_moves IS 'Moves of cadres between units (干部调动记录), written by move_subject() only; append-only.';
COMMENT ON COLUMN accountability.subject_moves.move_id IS 'Identity of the move.';
COMMENT ON COLUMN accountability.subject_moves.subject_id IS 'The cadre or organization moved (对象).';
COMMENT ON COLUMN accountability.subject_moves.from_unit_id IS 'The unit left (原单位).';
COMMENT ON COLUMN accountability.subject_moves.to_unit_id IS 'The unit joined (新单位).';
COMMENT ON COLUMN accountability.subject_moves.reason IS 'Why (调动原因): a transfer order, a reorganisation.';
COMMENT ON COLUMN accountability.subject_moves.moved_at IS 'When the move was recorded.';
COMMENT ON COLUMN accountability.subject_moves.moved_by IS 'The database role that moved the subject.';
COMMENT ON SEQUENCE accountability.subject_moves_move_id_seq IS 'Identity of subject_moves.move_id.';

CREATE TRIGGER subject_moves_no_update BEFORE UPDATE OR DELETE ON accountability.subject_moves
    FOR EACH ROW EXECUTE FUNCTION accountability.append_only_guard();
CREATE TRIGGER subject_moves_no_truncate BEFORE TRUNCATE ON accountability.subject_moves
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.append_only_guard();
ALTER TABLE accountability.subject_moves ENABLE ALWAYS TRIGGER subject_moves_no_update;
ALTER TABLE accountability.subject_moves ENABLE ALWAYS TRIGGER subject_moves_no_truncate;

SELECT pg_catalog.pg_extension_config_dump('accountability.subject_moves', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('accountability.subject_moves', 'move_id')::regclass, '');

CREATE FUNCTION accountability.move_subject(subject_id bigint, to_unit_id bigint, reason text)
RETURNS void
AS 'MODULE_PATHNAME', 'move_subject'
LANGUAGE C STRICT PARALLEL UNSAFE;

COMMENT ON FUNCTION accountability.move_subject(bigint, bigint, text) IS
'Move a cadre to another unit (干部调动), the one way subjects.unit_id changes: with the caller''s rights (the subject and the new unit must be in its scope), a written reason, recorded in subject_moves. For reviewers and administrators.';

/*
 * The domains of what users type (issue 14): finite dates in the record's
 * range, written texts, simple lists, bounded settings.  Each CHECK calls
 * a C function that refuses with a DETAIL and a HINT.
 */
CREATE FUNCTION accountability.check_date(value date, column_name text)
RETURNS boolean AS 'MODULE_PATHNAME', 'check_record_date'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.check_written(value text, column_name text)
RETURNS boolean AS 'MODULE_PATHNAME', 'check_written_text'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.check_list(value anyarray, column_name text)
RETURNS boolean AS 'MODULE_PATHNAME', 'check_simple_list'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.check_setting(value integer, unit text)
RETURNS boolean AS 'MODULE_PATHNAME', 'check_setting_value'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION accountability.check_date(date, text) IS 'CHECK of every date of the record (日期范围): finite, from 1900-01-01 to 2199-12-31; otherwise 22008 naming the column. NULL passes.';
COMMENT ON FUNCTION accountability.check_written(text, text) IS 'CHECK of texts that must say something (须填写): at least one character that is not Unicode white space (ideographic spaces U+3000 are white space); otherwise 23514. NULL passes.';
COMMENT ON FUNCTION accountability.check_list(anyarray, text) IS 'CHECK of the lists of the record (列表): one dimension and no NULL element; otherwise 22023. NULL passes.';
COMMENT ON FUNCTION accountability.check_setting(integer, text) IS 'CHECK of settings values (设置范围): 1 to 3650 days, or 1 to 1000 for counts; otherwise 22003.';

ALTER TABLE accountability.units
    ADD CONSTRAINT units_written CHECK (accountability.check_written(name, 'units.name'));
ALTER TABLE accountability.subjects
    ADD CONSTRAINT subjects_written CHECK (accountability.check_written(name, 'subjects.name'));
ALTER TABLE accountability.cases
    ADD CONSTRAINT cases_dates CHECK (accountability.check_date(event_on, 'cases.event_on')
                                      AND accountability.check_date(opened_on, 'cases.opened_on')),
    ADD CONSTRAINT cases_written CHECK (accountability.check_written(closing_reason, 'cases.closing_reason')),
    ADD CONSTRAINT cases_lists CHECK (accountability.check_list(clarification_grounds, 'cases.clarification_grounds'));
ALTER TABLE accountability.tolerance_list_items
    ADD CONSTRAINT tolerance_list_items_dates CHECK (accountability.check_date(valid_from, 'tolerance_list_items.valid_from')
                                                     AND accountability.check_date(valid_to, 'tolerance_list_items.valid_to'));
ALTER TABLE accountability.settings DROP CONSTRAINT settings_value_check;
ALTER TABLE accountability.settings
    ADD CONSTRAINT settings_value_in_range CHECK (accountability.check_setting(value, unit));
ALTER TABLE accountability.determinations
    ADD CONSTRAINT determinations_dates CHECK (accountability.check_date(decided_on, 'determinations.decided_on')
                                               AND accountability.check_date(influence_until, 'determinations.influence_until')
                                               AND accountability.check_date(notified_on, 'determinations.notified_on')),
    ADD CONSTRAINT determinations_written CHECK (accountability.check_written(deciding_body, 'determinations.deciding_body'));
ALTER TABLE accountability.correction_plans
    ADD CONSTRAINT correction_plans_dates CHECK (accountability.check_date(due_on, 'correction_plans.due_on')
                                                 AND accountability.check_date(completed_on, 'correction_plans.completed_on')),
    ADD CONSTRAINT correction_plans_written CHECK (accountability.check_written(matter, 'correction_plans.matter')
                                                   AND accountability.check_written(measures, 'correction_plans.measures')
                                                   AND accountability.check_written(verified_by, 'correction_plans.verified_by'));
ALTER TABLE accountability.clarifications
    ADD CONSTRAINT clarifications_dates CHECK (accountability.check_date(done_on, 'clarifications.done_on')
                                               AND accountability.check_date(archived_on, 'clarifications.archived_on')
                                               AND accountability.check_date(copied_to_organization_on, 'clarifications.copied_to_organization_on')),
    ADD CONSTRAINT clarifications_written CHECK (accountability.check_written(scope, 'clarifications.scope')
                                                 AND accountability.check_written(approved_by, 'clarifications.approved_by')),
    ADD CONSTRAINT clarifications_lists CHECK (accountability.check_list(methods, 'clarifications.methods'));
ALTER TABLE accountability.follow_up_visits
    ADD CONSTRAINT follow_up_visits_dates CHECK (accountability.check_date(visited_on, 'follow_up_visits.visited_on')
                                                 AND accountability.check_date(next_due_on, 'follow_up_visits.next_due_on')),
    ADD CONSTRAINT follow_up_visits_written CHECK (accountability.check_written(plan, 'follow_up_visits.plan')
                                                   AND accountability.check_written(visitor, 'follow_up_visits.visitor'));
ALTER TABLE accountability.early_warnings
    ADD CONSTRAINT early_warnings_dates CHECK (accountability.check_date(issued_on, 'early_warnings.issued_on')
                                               AND accountability.check_date(acknowledged_on, 'early_warnings.acknowledged_on')),
    ADD CONSTRAINT early_warnings_written CHECK (accountability.check_written(sign, 'early_warnings.sign'));
ALTER TABLE accountability.demotions
    ADD CONSTRAINT demotions_dates CHECK (accountability.check_date(decided_on, 'demotions.decided_on')
                                          AND accountability.check_date(effective_on, 'demotions.effective_on')
                                          AND accountability.check_date(reuse_eligible_on, 'demotions.reuse_eligible_on')),
    ADD CONSTRAINT demotions_lists CHECK (accountability.check_list(prior_measures, 'demotions.prior_measures'));
ALTER TABLE accountability.assessments
    ADD CONSTRAINT assessments_dates CHECK (accountability.check_date(decided_on, 'assessments.decided_on')),
    ADD CONSTRAINT assessments_lists CHECK (accountability.check_list(ground_case_ids, 'assessments.ground_case_ids'));
ALTER TABLE accountability.commendations
    ADD CONSTRAINT commendations_dates CHECK (accountability.check_date(awarded_on, 'commendations.awarded_on'));
ALTER TABLE accountability.mentorships
    ADD CONSTRAINT mentorships_dates CHECK (accountability.check_date(started_on, 'mentorships.started_on')
                                            AND accountability.check_date(ended_on, 'mentorships.ended_on'));
ALTER TABLE accountability.mentoring_sessions
    ADD CONSTRAINT mentoring_sessions_dates CHECK (accountability.check_date(held_on, 'mentoring_sessions.held_on'));
ALTER TABLE accountability.trainings
    ADD CONSTRAINT trainings_dates CHECK (accountability.check_date(attended_on, 'trainings.attended_on'));
ALTER TABLE accountability.promotions
    ADD CONSTRAINT promotions_dates CHECK (accountability.check_date(effective_on, 'promotions.effective_on'));
ALTER TABLE accountability.subject_moves
    ADD CONSTRAINT subject_moves_written CHECK (accountability.check_written(reason, 'subject_moves.reason'));

/*
 * The unit tree stays a tree: a unit's new parent must not be the unit or
 * below it.  The walk up locks each ancestor (FOR SHARE), so two sessions
 * that would close a cycle between them conflict instead of both passing.
 */
CREATE FUNCTION accountability.unit_tree_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ancestor bigint := NEW.parent_id;
    depth    integer := 0;
BEGIN
    WHILE ancestor IS NOT NULL LOOP
        IF ancestor OPERATOR(pg_catalog.=) NEW.unit_id THEN
            RAISE EXCEPTION 'unit % cannot be placed under unit %: that unit is below it', NEW.unit_id, NEW.parent_id
                USING ERRCODE = 'check_violation',
                      DETAIL = 'The units form a tree (province, city, county, township); a cycle would make every report that rolls units up loop.',
                      HINT = 'Move the lower unit out first, or choose a parent that is not below this unit.';
        END IF;
        depth := depth OPERATOR(pg_catalog.+) 1;
        IF depth OPERATOR(pg_catalog.>) 64 THEN
            RAISE EXCEPTION 'the units above unit % are more than 64 levels deep', NEW.unit_id
                USING ERRCODE = 'check_violation',
                      DETAIL = 'The unit tree is never that deep; the data is damaged.',
                      HINT = 'Run SELECT * FROM accountability.units to find the chain.';
        END IF;
        SELECT u.parent_id INTO ancestor FROM accountability.units u
        WHERE u.unit_id OPERATOR(pg_catalog.=) ancestor FOR SHARE;
    END LOOP;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION accountability.unit_tree_guard() IS 'BEFORE INSERT OR UPDATE OF parent_id row trigger on units (ENABLE ALWAYS): the units stay a tree (单位层级不成环); a parent below the unit is refused (23514).';

CREATE TRIGGER units_06_tree BEFORE INSERT OR UPDATE OF parent_id ON accountability.units
    FOR EACH ROW EXECUTE FUNCTION accountability.unit_tree_guard();
ALTER TABLE accountability.units ENABLE ALWAYS TRIGGER units_06_tree;

/*
 * Privileges: the model and the checks for every role; the move for
 * reviewers; the guards for nobody (triggers fire without it).
 */
REVOKE ALL ON FUNCTION
    accountability.write_model(),
    accountability.write_model_guard(),
    accountability.move_subject(bigint, bigint, text),
    accountability.check_date(date, text),
    accountability.check_written(text, text),
    accountability.check_list(anyarray, text),
    accountability.check_setting(integer, text),
    accountability.unit_tree_guard()
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    accountability.write_model(),
    accountability.check_date(date, text),
    accountability.check_written(text, text),
    accountability.check_list(anyarray, text),
    accountability.check_setting(integer, text)
TO accountability_reader;
GRANT EXECUTE ON FUNCTION accountability.move_subject(bigint, bigint, text) TO accountability_reviewer;
GRANT SELECT ON accountability.subject_moves TO accountability_reader;

-- Moves of cadres: those of the subjects the role sees, or that left its units.
ALTER TABLE accountability.subject_moves ENABLE ROW LEVEL SECURITY;
CREATE POLICY subject_moves_in_scope ON accountability.subject_moves FOR SELECT
    USING ((SELECT accountability.sees_all_units())
           OR subject_id IN (SELECT accountability.visible_subjects())
           OR from_unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[]));
COMMENT ON POLICY subject_moves_in_scope ON accountability.subject_moves IS 'The moves of the subjects the role sees, and the moves out of its units.';

/*
 * Issue 15, a ledger that holds against the database administrator: the
 * objects of extension/schema/90_ledger.sql, as a fresh install creates
 * them, then the genesis: every row present at the upgrade becomes a
 * "genesis" entry, sealed at once into block 1, so the ledger covers the
 * record from the start (a fresh install starts with an empty ledger).
 */
CREATE SEQUENCE accountability.ledger_entry_no AS bigint CACHE 32;

CREATE TABLE accountability.ledger_entries (
    entry_no   bigint PRIMARY KEY,
    xid        xid8 NOT NULL,
    table_name text NOT NULL,
    operation  text NOT NULL CHECK (operation IN ('insert', 'fill', 'move', 'update', 'delete', 'genesis')),
    row_key    text NOT NULL,
    row_image  jsonb NOT NULL,
    entry_hash bytea NOT NULL
);

COMMENT ON SEQUENCE accountability.ledger_entry_no IS 'Numbers of ledger entries (账本条目编号): taken without any shared lock (each session caches 32), so numbers need not follow commit order and may have gaps.';
COMMENT ON TABLE accountability.ledger_entries IS 'Ledger entries (账本条目): one per row written to the permanent record, with its canonical image and hash (format 1). Append-only for every role; sealed into ledger_blocks by ledger_digest().';
COMMENT ON COLUMN accountability.ledger_entries.entry_no IS 'Entry number, from the sequence ledger_entry_no.';
COMMENT ON COLUMN accountability.ledger_entries.xid IS 'The transaction that wrote the row (bookkeeping for sealing; not hashed, so a restored ledger keeps its hashes).';
COMMENT ON COLUMN accountability.ledger_entries.table_name IS 'The table of the permanent record, unqualified (cases, case_events, determinations, ...).';
COMMENT ON COLUMN accountability.ledger_entries.operation IS 'insert 新增; fill 补录 (a fill-once column completed); move 流转 (an UPDATE of a case); update 修改 (a catalogue row changed); delete 删除; genesis 创世 (a row present when the ledger was installed by ALTER EXTENSION UPDATE).';
COMMENT ON COLUMN accountability.ledger_entries.row_key IS 'The row''s primary key as a JSON array in canonical jsonb text, e.g. [12, 3].';
COMMENT ON COLUMN accountability.ledger_entries.row_image IS 'The whole row as to_jsonb() renders it under fixed settings (TimeZone UTC, English codes, hex bytea): the row as written.';
COMMENT ON COLUMN accountability.ledger_entries.entry_hash IS 'SHA-256 of the entry, format 1 (README "The ledger format, byte by byte").';

CREATE TABLE accountability.ledger_blocks (
    block_no       bigint PRIMARY KEY,
    entries        int8multirange NOT NULL,
    entry_count    bigint NOT NULL,
    first_entry_no bigint NOT NULL,
    last_entry_no  bigint NOT NULL,
    merkle_root    bytea NOT NULL,
    prev_hash      bytea,
    block_hash     bytea NOT NULL,
    sealed_at      timestamptz NOT NULL DEFAULT pg_catalog.now()
);

COMMENT ON TABLE accountability.ledger_blocks IS 'Ledger blocks (账本区块): each seals the entries of transactions committed since the previous block, with their Merkle root, chained by hash. Written by ledger_digest(); append-only for every role.';
COMMENT ON COLUMN accountability.ledger_blocks.block_no IS 'Block number: 1, 2, ... without gaps.';
COMMENT ON COLUMN accountability.ledger_blocks.entries IS 'The entry numbers the block seals (a transaction still running when the block was sealed leaves a gap, sealed by a later block).';
COMMENT ON COLUMN accountability.ledger_blocks.entry_count IS 'How many entries the block seals.';
COMMENT ON COLUMN accountability.ledger_blocks.first_entry_no IS 'The lowest entry number sealed.';
COMMENT ON COLUMN accountability.ledger_blocks.last_entry_no IS 'The highest entry number sealed.';
COMMENT ON COLUMN accountability.ledger_blocks.merkle_root IS 'Merkle root (默克尔根) of the entries'' hashes in entry order (format 1).';
COMMENT ON COLUMN accountability.ledger_blocks.prev_hash IS 'The previous block''s hash; null for block 1.';
COMMENT ON COLUMN accountability.ledger_blocks.block_hash IS 'SHA-256 of the block, format 1: what a digest (摘要) records.';
COMMENT ON COLUMN accountability.ledger_blocks.sealed_at IS 'When the block was sealed (not hashed).';

-- Row images cross every unit: no role reads the ledger under row-level
-- security (no policy); superusers, the owner and BYPASSRLS roles (an
-- auditor) do.
ALTER TABLE accountability.ledger_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.ledger_blocks ENABLE ROW LEVEL SECURITY;

SELECT pg_catalog.pg_extension_config_dump('accountability.ledger_entries', '');
SELECT pg_catalog.pg_extension_config_dump('accountability.ledger_blocks', '');
SELECT pg_catalog.pg_extension_config_dump('accountability.ledger_entry_no', '');

/* The hashes, in C (the same code as the offline verifier's). */

CREATE FUNCTION accountability.ledger_entry_hash(entry_no bigint, table_name text, operation text,
                                                 row_key text, row_image jsonb)
RETURNS bytea AS 'MODULE_PATHNAME', 'ledger_entry_hash_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.ledger_merkle_root(hashes bytea[])
RETURNS bytea AS 'MODULE_PATHNAME', 'ledger_merkle_root_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.ledger_block_hash(block_no bigint, prev_hash bytea, merkle_root bytea,
                                                 entry_count bigint, first_entry_no bigint, last_entry_no bigint)
RETURNS bytea AS 'MODULE_PATHNAME', 'ledger_block_hash_sql'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION accountability.ledger_entry_hash(bigint, text, text, text, jsonb) IS
'SHA-256 of a ledger entry (账本条目哈希), format 1, over the row image''s jsonb text.';
COMMENT ON FUNCTION accountability.ledger_merkle_root(bytea[]) IS
'Merkle root (默克尔根) of a block''s entry hashes in entry order, format 1; null for none.';
COMMENT ON FUNCTION accountability.ledger_block_hash(bigint, bytea, bytea, bigint, bigint, bigint) IS
'SHA-256 of a ledger block (区块哈希), format 1; prev_hash is null for block 1.';

/* The triggers: entries on every write, and no write in replica mode. */

CREATE FUNCTION accountability.ledger_trigger()
RETURNS trigger AS 'MODULE_PATHNAME', 'ledger_trigger'
LANGUAGE C PARALLEL UNSAFE
SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
SET extra_float_digits = 1 SET bytea_output = 'hex' SET accountability.language = 'en';
CREATE FUNCTION accountability.ledger_replica_guard()
RETURNS trigger AS 'MODULE_PATHNAME', 'ledger_replica_guard'
LANGUAGE C PARALLEL UNSAFE;

COMMENT ON FUNCTION accountability.ledger_trigger() IS
'AFTER INSERT/UPDATE/DELETE statement trigger on the permanent record (账本记账): one ledger entry per row of the transition table. Arguments: the operation, then the key columns. Writes nothing in restore mode, where the ledger is restored with the rows.';
COMMENT ON FUNCTION accountability.ledger_replica_guard() IS
'BEFORE INSERT statement trigger (ENABLE ALWAYS) on the permanent record: refuses rows inserted in replica mode (42501) unless a logical-replication worker applies them or accountability.restore is on.';

/*
 * The permanent record: every table whose rows are the case file or a
 * decision about a person, and the catalogues and scope those decisions
 * rest on.  Not covered: settings, demotion_situations and
 * commendation_kinds (configuration, seeded by CREATE EXTENSION).  The
 * list is written once more in ledger_rows() below.
 */
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('units', 'update', 'unit_id'),
        ('subjects', 'update', 'subject_id'),
        ('cases', 'move', 'case_id'),
        ('case_events', 'update', 'case_id, event_no'),
        ('tolerance_list_items', 'update', 'unit_id, code, valid_from'),
        ('determinations', 'fill', 'case_id, determination_no'),
        ('correction_plans', 'fill', 'case_id, plan_no'),
        ('clarifications', 'fill', 'case_id, clarification_no'),
        ('follow_up_visits', 'fill', 'case_id, visit_no'),
        ('early_warnings', 'update', 'warning_id'),
        ('demotions', 'update', 'demotion_id'),
        ('assessments', 'update', 'subject_id, year'),
        ('commendations', 'update', 'commendation_id'),
        ('mentorships', 'update', 'mentorship_id'),
        ('mentoring_sessions', 'update', 'session_id'),
        ('trainings', 'update', 'training_id'),
        ('promotions', 'update', 'promotion_id'),
        ('role_units', 'update', 'role_id, unit_id')) AS v (name, update_op, keys)
    LOOP
        EXECUTE format('CREATE TRIGGER ledger_00_replica_guard BEFORE INSERT ON accountability.%I'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION accountability.ledger_replica_guard()', t.name);
        EXECUTE format('ALTER TABLE accountability.%I ENABLE ALWAYS TRIGGER ledger_00_replica_guard', t.name);
        EXECUTE format('CREATE TRIGGER zz_ledger_insert AFTER INSERT ON accountability.%I'
                       ' REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT'
                       ' EXECUTE FUNCTION accountability.ledger_trigger(''insert'', %s)',
                       t.name, (SELECT string_agg(quote_literal(trim(k)), ', ') FROM unnest(string_to_array(t.keys, ',')) k));
        EXECUTE format('CREATE TRIGGER zz_ledger_update AFTER UPDATE ON accountability.%I'
                       ' REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT'
                       ' EXECUTE FUNCTION accountability.ledger_trigger(%L, %s)',
                       t.name, t.update_op, (SELECT string_agg(quote_literal(trim(k)), ', ') FROM unnest(string_to_array(t.keys, ',')) k));
        EXECUTE format('CREATE TRIGGER zz_ledger_delete AFTER DELETE ON accountability.%I'
                       ' REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT'
                       ' EXECUTE FUNCTION accountability.ledger_trigger(''delete'', %s)',
                       t.name, (SELECT string_agg(quote_literal(trim(k)), ', ') FROM unnest(string_to_array(t.keys, ',')) k));
    END LOOP;
END
$$;

-- The ledger itself is append-only for every role (a digest may seal only).
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE OR DELETE ON accountability.ledger_entries
    FOR EACH ROW EXECUTE FUNCTION accountability.append_only_guard();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON accountability.ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.append_only_guard();
CREATE TRIGGER ledger_blocks_no_update BEFORE UPDATE OR DELETE ON accountability.ledger_blocks
    FOR EACH ROW EXECUTE FUNCTION accountability.append_only_guard();
CREATE TRIGGER ledger_blocks_no_truncate BEFORE TRUNCATE ON accountability.ledger_blocks
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.append_only_guard();
ALTER TABLE accountability.ledger_entries ENABLE ALWAYS TRIGGER ledger_entries_no_update;
ALTER TABLE accountability.ledger_entries ENABLE ALWAYS TRIGGER ledger_entries_no_truncate;
ALTER TABLE accountability.ledger_blocks ENABLE ALWAYS TRIGGER ledger_blocks_no_update;
ALTER TABLE accountability.ledger_blocks ENABLE ALWAYS TRIGGER ledger_blocks_no_truncate;

/* The live rows, rendered as the trigger renders them. */

CREATE FUNCTION accountability.ledger_rows()
RETURNS TABLE (table_name text, row_key text, row_image jsonb)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
SET extra_float_digits = 1 SET bytea_output = 'hex' SET accountability.language = 'en'
AS $$
    SELECT 'units', jsonb_build_array(r.unit_id)::text, to_jsonb(r) FROM accountability.units r
    UNION ALL SELECT 'subjects', jsonb_build_array(r.subject_id)::text, to_jsonb(r) FROM accountability.subjects r
    UNION ALL SELECT 'cases', jsonb_build_array(r.case_id)::text, to_jsonb(r) FROM accountability.cases r
    UNION ALL SELECT 'case_events', jsonb_build_array(r.case_id, r.event_no)::text, to_jsonb(r) FROM accountability.case_events r
    UNION ALL SELECT 'tolerance_list_items', jsonb_build_array(r.unit_id, r.code, r.valid_from)::text, to_jsonb(r)
              FROM accountability.tolerance_list_items r
    UNION ALL SELECT 'determinations', jsonb_build_array(r.case_id, r.determination_no)::text, to_jsonb(r)
              FROM accountability.determinations r
    UNION ALL SELECT 'correction_plans', jsonb_build_array(r.case_id, r.plan_no)::text, to_jsonb(r)
              FROM accountability.correction_plans r
    UNION ALL SELECT 'clarifications', jsonb_build_array(r.case_id, r.clarification_no)::text, to_jsonb(r)
              FROM accountability.clarifications r
    UNION ALL SELECT 'follow_up_visits', jsonb_build_array(r.case_id, r.visit_no)::text, to_jsonb(r)
              FROM accountability.follow_up_visits r
    UNION ALL SELECT 'early_warnings', jsonb_build_array(r.warning_id)::text, to_jsonb(r) FROM accountability.early_warnings r
    UNION ALL SELECT 'demotions', jsonb_build_array(r.demotion_id)::text, to_jsonb(r) FROM accountability.demotions r
    UNION ALL SELECT 'assessments', jsonb_build_array(r.subject_id, r.year)::text, to_jsonb(r) FROM accountability.assessments r
    UNION ALL SELECT 'commendations', jsonb_build_array(r.commendation_id)::text, to_jsonb(r) FROM accountability.commendations r
    UNION ALL SELECT 'mentorships', jsonb_build_array(r.mentorship_id)::text, to_jsonb(r) FROM accountability.mentorships r
    UNION ALL SELECT 'mentoring_sessions', jsonb_build_array(r.session_id)::text, to_jsonb(r) FROM accountability.mentoring_sessions r
    UNION ALL SELECT 'trainings', jsonb_build_array(r.training_id)::text, to_jsonb(r) FROM accountability.trainings r
    UNION ALL SELECT 'promotions', jsonb_build_array(r.promotion_id)::text, to_jsonb(r) FROM accountability.promotions r
    UNION ALL SELECT 'role_units', jsonb_build_array(r.role_id, r.unit_id)::text, to_jsonb(r) FROM accountability.role_units r
$$;

COMMENT ON FUNCTION accountability.ledger_rows() IS
'Every live row of the permanent record (账本覆盖的记录) as the ledger renders it: table, key, canonical image. verify_ledger() compares it with the latest entry of each row; exported, it lets the offline verifier do the same.';

/* Sealing and digests. */

CREATE FUNCTION accountability.ledger_check_reader(what text)
RETURNS void
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF row_security_active('accountability.ledger_entries') OR row_security_active('accountability.cases') THEN
        RAISE EXCEPTION '% must see the whole record', what
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = format('Role %s is subject to row-level security, so it sees part of the ledger and the record only.', current_user),
                  HINT = 'Run it as a superuser, or as a role with BYPASSRLS granted accountability_admin (an auditor).';
    END IF;
END
$$;

COMMENT ON FUNCTION accountability.ledger_check_reader(text) IS
'Refuses (42501) a digest or a verification by a role under row-level security (行级安全): it would see part of the record only.';

CREATE FUNCTION accountability.ledger_seal()
RETURNS bigint
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    last_no   bigint;
    last_hash bytea;
    fresh     record;
    root      bytea;
BEGIN
    PERFORM accountability.ledger_check_reader('ledger_digest()');
    -- Digests queue behind each other (a transaction-level advisory lock,
    -- key 'ledger'); writers never take it.
    PERFORM pg_advisory_xact_lock(7308604897068083570);
    SELECT b.block_no, b.block_hash INTO last_no, last_hash
    FROM accountability.ledger_blocks b ORDER BY b.block_no DESC LIMIT 1;

    -- Every entry this statement sees is committed (or this transaction's)
    -- and sealed by no block yet: it goes into the next block.
    WITH sealed AS (
        SELECT range_agg(r) AS m FROM accountability.ledger_blocks b, unnest(b.entries) r
    ), e AS (
        SELECT e.* FROM accountability.ledger_entries e, sealed s
        WHERE s.m IS NULL OR NOT (e.entry_no OPERATOR(pg_catalog.<@) s.m)
    )
    SELECT count(*) AS n, min(e.entry_no) AS first_no, max(e.entry_no) AS last_no,
           range_agg(int8range(e.entry_no, e.entry_no, '[]')) AS entries,
           array_agg(e.entry_hash ORDER BY e.entry_no) AS hashes,
           min(e.entry_no) FILTER (WHERE e.entry_hash OPERATOR(pg_catalog.<>) accountability.ledger_entry_hash(
               e.entry_no, e.table_name, e.operation, e.row_key, e.row_image)) AS bad
    INTO fresh FROM e;

    IF fresh.n OPERATOR(pg_catalog.=) 0 THEN
        RETURN coalesce(last_no, 0);
    END IF;
    IF fresh.bad IS NOT NULL THEN
        RAISE EXCEPTION 'ledger entry % does not match its hash', fresh.bad
            USING ERRCODE = 'data_corrupted',
                  DETAIL = 'An entry not yet sealed was changed after it was written; sealing it would vouch for the change.',
                  HINT = 'Run accountability.verify_ledger() with the latest digests to see every problem.';
    END IF;
    root := accountability.ledger_merkle_root(fresh.hashes);
    last_no := coalesce(last_no, 0) OPERATOR(pg_catalog.+) 1;
    INSERT INTO accountability.ledger_blocks (block_no, entries, entry_count, first_entry_no, last_entry_no,
                                              merkle_root, prev_hash, block_hash)
    VALUES (last_no, fresh.entries, fresh.n, fresh.first_no, fresh.last_no, root, last_hash,
            accountability.ledger_block_hash(last_no, last_hash, root, fresh.n, fresh.first_no, fresh.last_no));
    RETURN last_no;
END
$$;

COMMENT ON FUNCTION accountability.ledger_seal() IS
'Seals every committed ledger entry not yet in a block into a new block (封块): Merkle root, chained to the previous block. Returns the last block number (0 when the ledger is empty). Called by ledger_digest().';

CREATE FUNCTION accountability.ledger_digest()
RETURNS jsonb
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    last_no bigint := accountability.ledger_seal();
    b       record;
    sysid   text;
BEGIN
    -- pg_control_system() may be reserved to pg_monitor: the identity is
    -- informative, verification does not depend on it.
    BEGIN
        SELECT c.system_identifier::text INTO sysid FROM pg_control_system() c;
    EXCEPTION WHEN insufficient_privilege THEN
        sysid := NULL;
    END;
    SELECT k.block_hash, k.sealed_at,
           (SELECT max(x.last_entry_no) FROM accountability.ledger_blocks x) AS entry_no,
           (SELECT sum(x.entry_count) FROM accountability.ledger_blocks x) AS entry_count
    INTO b FROM accountability.ledger_blocks k WHERE k.block_no OPERATOR(pg_catalog.=) last_no;
    RETURN jsonb_build_object(
        'format', 1,
        'database', jsonb_build_object(
            'system_identifier', sysid,
            'name', current_database()),
        'block_no', last_no,
        'block_hash', encode(b.block_hash, 'hex'),
        'entry_no', coalesce(b.entry_no, 0),
        'entry_count', coalesce(b.entry_count, 0),
        'taken_at', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
END
$$;

COMMENT ON FUNCTION accountability.ledger_digest() IS
'Seals the committed ledger entries into a block and returns a digest (账本摘要) to keep outside the database: format, database identity, last block number and hash, last entry number, time. verify_ledger(digests) later proves the ledger still extends it.';

/*
 * Verification.  VOLATILE: each query takes a fresh snapshot, so a digest
 * taken in the same statement (verify_ledger(ledger_digest())) is seen.
 */

CREATE FUNCTION accountability.verify_ledger(digests jsonb DEFAULT NULL)
RETURNS TABLE (area text, block_no bigint, entry_no bigint, table_name text, row_key text, problem text)
LANGUAGE plpgsql VOLATILE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
SET extra_float_digits = 1 SET bytea_output = 'hex' SET accountability.language = 'en'
AS $$
#variable_conflict use_column
BEGIN
    PERFORM accountability.ledger_check_reader('verify_ledger()');
    -- 1. Each digest: its block is still in the ledger, with the same hash.
    RETURN QUERY
    WITH d AS (
        SELECT x.value AS d, x.ordinality AS n
        FROM jsonb_array_elements(CASE WHEN digests IS NULL THEN '[]'::jsonb
                                       WHEN jsonb_typeof(digests) OPERATOR(pg_catalog.=) 'array' THEN digests
                                       ELSE jsonb_build_array(digests) END) WITH ORDINALITY x
    ), p AS (
        SELECT d.n, (d.d OPERATOR(pg_catalog.->>) 'block_no') AS no_text, b.block_no AS found, b.block_hash,
               CASE WHEN (d.d OPERATOR(pg_catalog.->>) 'format') IS DISTINCT FROM '1'
                      THEN format('digest %s: format %s is not known', d.n, coalesce(d.d OPERATOR(pg_catalog.->>) 'format', 'null'))
                    WHEN (d.d OPERATOR(pg_catalog.->>) 'block_no') !~ '^[0-9]+$'
                      OR coalesce(d.d OPERATOR(pg_catalog.->>) 'block_hash', '') !~ '^([0-9a-f]{64})?$'
                      THEN format('digest %s: block_no and block_hash are not a block number and a SHA-256 in hex', d.n)
                    WHEN (d.d OPERATOR(pg_catalog.->>) 'block_no') OPERATOR(pg_catalog.=) '0' THEN NULL
                    WHEN b.block_no IS NULL
                      THEN format('digest %s: block %s is missing (blocks were removed: the ledger was truncated or replaced)',
                                  d.n, d.d OPERATOR(pg_catalog.->>) 'block_no')
                    WHEN encode(b.block_hash, 'hex') OPERATOR(pg_catalog.<>) (d.d OPERATOR(pg_catalog.->>) 'block_hash')
                      THEN format('digest %s: block %s differs from the digest (the ledger up to it was rewritten)',
                                  d.n, b.block_no)
               END AS problem
        FROM d
        LEFT JOIN accountability.ledger_blocks b
          ON (d.d OPERATOR(pg_catalog.->>) 'block_no') ~ '^[0-9]{1,18}$'
         AND b.block_no OPERATOR(pg_catalog.=) (d.d OPERATOR(pg_catalog.->>) 'block_no')::bigint
    )
    SELECT 'digest', p.found, NULL::bigint, NULL::text, NULL::text, p.problem FROM p WHERE p.problem IS NOT NULL;

    -- 2. The blocks: dense, chained, each hash and Merkle root recomputed
    --    from the entries it seals.
    RETURN QUERY
    WITH m AS (
        SELECT b.block_no, count(e.entry_no) AS n, min(e.entry_no) AS lo, max(e.entry_no) AS hi,
               accountability.ledger_merkle_root(array_agg(accountability.ledger_entry_hash(
                   e.entry_no, e.table_name, e.operation, e.row_key, e.row_image) ORDER BY e.entry_no)
                   FILTER (WHERE e.entry_no IS NOT NULL)) AS root
        FROM accountability.ledger_blocks b
        CROSS JOIN LATERAL unnest(b.entries) r
        LEFT JOIN accountability.ledger_entries e
          ON e.entry_no OPERATOR(pg_catalog.>=) lower(r) AND e.entry_no OPERATOR(pg_catalog.<) upper(r)
        GROUP BY b.block_no
    ), b AS (
        SELECT b.*, lag(b.block_no) OVER w AS prev_no, lag(b.block_hash) OVER w AS prev
        FROM accountability.ledger_blocks b WINDOW w AS (ORDER BY b.block_no)
    ), p AS (
        SELECT b.block_no,
               CASE WHEN b.block_no OPERATOR(pg_catalog.<>) coalesce(b.prev_no OPERATOR(pg_catalog.+) 1, 1)
                      THEN 'block numbers are not dense (a block was removed)'
                    WHEN b.prev_hash IS DISTINCT FROM b.prev
                      THEN 'block does not chain to the previous block'
                    WHEN coalesce(m.n, 0) OPERATOR(pg_catalog.<>) b.entry_count
                      THEN format('block seals %s entries, %s are in the ledger (entries removed)', b.entry_count, coalesce(m.n, 0))
                    WHEN lower(b.entries) OPERATOR(pg_catalog.<>) b.first_entry_no
                      OR upper(b.entries) OPERATOR(pg_catalog.-) 1 OPERATOR(pg_catalog.<>) b.last_entry_no
                      OR m.lo OPERATOR(pg_catalog.<>) b.first_entry_no OR m.hi OPERATOR(pg_catalog.<>) b.last_entry_no
                      THEN 'block''s entry numbers do not match its first and last entry'
                    WHEN m.root IS DISTINCT FROM b.merkle_root
                      THEN 'Merkle root does not match the entries (an entry was changed, replaced or reordered)'
                    WHEN b.block_hash IS DISTINCT FROM accountability.ledger_block_hash(
                           b.block_no, b.prev_hash, b.merkle_root, b.entry_count, b.first_entry_no, b.last_entry_no)
                      THEN 'block hash does not match the block'
               END AS problem
        FROM b LEFT JOIN m ON m.block_no OPERATOR(pg_catalog.=) b.block_no
    )
    SELECT 'block', p.block_no, NULL::bigint, NULL::text, NULL::text, p.problem FROM p WHERE p.problem IS NOT NULL;

    -- 3. The entries: each hash recomputes, each is sealed at most once, and
    --    none records what the write model never allows.
    RETURN QUERY
    WITH sealed AS (
        SELECT r, b.block_no FROM accountability.ledger_blocks b, unnest(b.entries) r
    ), e AS (
        SELECT e.*, (SELECT count(*) FROM sealed s
                     WHERE e.entry_no OPERATOR(pg_catalog.>=) lower(s.r)
                       AND e.entry_no OPERATOR(pg_catalog.<) upper(s.r)) AS blocks,
               lag(e.row_image) OVER (PARTITION BY e.table_name, e.row_key ORDER BY e.entry_no) AS before,
               CASE e.table_name
                 WHEN 'determinations' THEN '{notified_on}'::text[]
                 WHEN 'correction_plans' THEN '{completed_on,verified_by,owner,due_on}'::text[]
                 WHEN 'clarifications' THEN '{done_on,archived_on,copied_to_organization_on}'::text[]
                 ELSE '{}'::text[]
               END AS fillable
        FROM accountability.ledger_entries e
    ), p AS (
        SELECT e.entry_no, e.table_name, e.row_key,
               CASE WHEN e.entry_hash OPERATOR(pg_catalog.<>) accountability.ledger_entry_hash(
                           e.entry_no, e.table_name, e.operation, e.row_key, e.row_image)
                      THEN 'entry hash does not match its content'
                    WHEN e.blocks OPERATOR(pg_catalog.>) 1
                      THEN 'entry is sealed in more than one block'
                    WHEN e.table_name OPERATOR(pg_catalog.=) 'case_events'
                         AND e.operation NOT IN ('insert', 'genesis')
                      THEN format('the history records a %s: events are only ever added', e.operation)
                    WHEN e.operation OPERATOR(pg_catalog.=) 'delete'
                         AND e.table_name IN ('cases', 'determinations', 'correction_plans', 'clarifications',
                                              'follow_up_visits')
                      THEN format('%s rows are never deleted, yet the ledger records a deletion', e.table_name)
                    WHEN e.operation OPERATOR(pg_catalog.=) 'fill'
                         AND (e.before IS NULL
                              OR (e.before OPERATOR(pg_catalog.-) e.fillable)::text OPERATOR(pg_catalog.<>)
                                 (e.row_image OPERATOR(pg_catalog.-) e.fillable)::text)
                      THEN 'a fill changes more than the columns filled in later (the recorded content was rewritten)'
               END AS problem
        FROM e
    )
    SELECT 'entry', NULL::bigint, p.entry_no, p.table_name, p.row_key, p.problem FROM p WHERE p.problem IS NOT NULL;

    -- 4. The rows: each live row equals its latest entry; each row the
    --    ledger holds is still there.
    RETURN QUERY
    WITH latest AS (
        SELECT DISTINCT ON (e.table_name, e.row_key) e.table_name, e.row_key, e.entry_no, e.operation, e.row_image
        FROM accountability.ledger_entries e
        ORDER BY e.table_name, e.row_key, e.entry_no DESC
    ), p AS (
        SELECT coalesce(r.table_name, l.table_name) AS table_name, coalesce(r.row_key, l.row_key) AS row_key,
               l.entry_no,
               CASE WHEN l.entry_no IS NULL
                      THEN 'row is not in the ledger (written with the ledger''s triggers off)'
                    WHEN r.row_key IS NULL AND l.operation OPERATOR(pg_catalog.<>) 'delete'
                      THEN 'row is in the ledger but missing from the table (deleted outside the ledger)'
                    WHEN r.row_key IS NOT NULL AND l.operation OPERATOR(pg_catalog.=) 'delete'
                      THEN 'row was deleted in the ledger but is in the table'
                    WHEN r.row_key IS NOT NULL
                         AND r.row_image::text OPERATOR(pg_catalog.<>) l.row_image::text
                      THEN 'row differs from its latest ledger entry (changed outside the ledger)'
               END AS problem
        FROM accountability.ledger_rows() r
        FULL JOIN latest l ON l.table_name OPERATOR(pg_catalog.=) r.table_name
                          AND l.row_key OPERATOR(pg_catalog.=) r.row_key
    )
    SELECT 'row', NULL::bigint, p.entry_no, p.table_name, p.row_key, p.problem FROM p WHERE p.problem IS NOT NULL;

    -- 5. The histories: every move is in the transition table, and every
    --    chain and case row checks out (verify_history).
    RETURN QUERY
    SELECT 'history', NULL::bigint, NULL::bigint, 'case_events'::text,
           jsonb_build_array(e.case_id, e.event_no)::text,
           format('move %s -> %s is not in the transition table', e.from_status, e.to_status)
    FROM accountability.case_events e
    WHERE e.event_kind OPERATOR(pg_catalog.=) 'transition'
      AND (e.from_status IS NULL OR NOT accountability.can_transition(e.from_status, e.to_status));
    RETURN QUERY
    SELECT 'history', NULL::bigint, NULL::bigint,
           CASE WHEN h.event_no IS NULL THEN 'cases' ELSE 'case_events' END,
           CASE WHEN h.event_no IS NULL THEN jsonb_build_array(h.case_id)::text
                ELSE jsonb_build_array(h.case_id, h.event_no)::text END,
           h.problem
    FROM accountability.verify_history() h;
END
$$;

COMMENT ON FUNCTION accountability.verify_ledger(jsonb) IS
'Verifies the ledger (账本核验) against digests taken earlier (one, or a JSON array): the ledger extends each digest, blocks chain and their Merkle roots recompute, every entry hash recomputes, every live row equals its latest entry, every case''s events follow the transition table and its row agrees with its history. One row per problem; none means intact.';

REVOKE ALL ON FUNCTION
    accountability.ledger_check_reader(text),
    accountability.ledger_entry_hash(bigint, text, text, text, jsonb),
    accountability.ledger_merkle_root(bytea[]),
    accountability.ledger_block_hash(bigint, bytea, bytea, bigint, bigint, bigint),
    accountability.ledger_trigger(),
    accountability.ledger_replica_guard(),
    accountability.ledger_rows(),
    accountability.ledger_seal(),
    accountability.ledger_digest(),
    accountability.verify_ledger(jsonb)
FROM PUBLIC;
-- The hashes are pure functions of their arguments: anyone with a role may
-- recompute them.  Rows, digests and verification are for administrators,
-- and work only for those who see the whole record (a superuser, or a
-- BYPASSRLS auditor granted accountability_admin): under row-level
-- security they refuse rather than seal or verify a part.
GRANT EXECUTE ON FUNCTION
    accountability.ledger_entry_hash(bigint, text, text, text, jsonb),
    accountability.ledger_merkle_root(bytea[]),
    accountability.ledger_block_hash(bigint, bytea, bytea, bigint, bigint, bigint)
TO accountability_reader;
GRANT EXECUTE ON FUNCTION
    accountability.ledger_check_reader(text),
    accountability.ledger_rows(),
    accountability.ledger_seal(),
    accountability.ledger_digest(),
    accountability.verify_ledger(jsonb)
TO accountability_admin;
GRANT SELECT ON accountability.ledger_entries, accountability.ledger_blocks TO accountability_reader;
GRANT INSERT ON accountability.ledger_blocks TO accountability_admin;

-- The genesis block: the rows present at the upgrade, in table and key order.
INSERT INTO accountability.ledger_entries (entry_no, xid, table_name, operation, row_key, row_image, entry_hash)
SELECT n.entry_no, pg_catalog.pg_current_xact_id(), n.table_name, 'genesis', n.row_key, n.row_image,
       accountability.ledger_entry_hash(n.entry_no, n.table_name, 'genesis', n.row_key, n.row_image)
FROM (SELECT pg_catalog.nextval('accountability.ledger_entry_no'::pg_catalog.regclass) AS entry_no, r.*
      FROM (SELECT * FROM accountability.ledger_rows() ORDER BY 1, 2) r) n;
SELECT accountability.ledger_seal();
