/* ------------------------------------------------------------------------
 * 8. Scope: row-level security by unit.
 *
 * role_units maps roles to units; a role sees and changes the rows of its
 * units and every unit below them, for the roles it has the privileges of
 * (pg_has_role ... 'USAGE'), so the scope follows from the role and no
 * setting a client could change.  The policy functions are SECURITY
 * INVOKER: they must see who is asking, and a SECURITY DEFINER function
 * only sees its owner.  The table owner (the superuser who ran CREATE
 * EXTENSION), superusers and BYPASSRLS roles are not subject to the
 * policies: pg_dump runs as one of them.  The C triggers run their lookups
 * and the history write as the table owner.
 * ------------------------------------------------------------------------
 */

-- Which units each role covers; the units below a mapped unit come with it.
CREATE TABLE accountability.role_units (
    role_id    regrole NOT NULL CHECK (role_id::oid OPERATOR(pg_catalog.<>) 0),
    unit_id    bigint NOT NULL REFERENCES accountability.units,
    granted_at timestamptz NOT NULL DEFAULT now(),
    granted_by text NOT NULL DEFAULT current_user,
    PRIMARY KEY (role_id, unit_id)
);
CREATE INDEX role_units_unit_idx ON accountability.role_units (unit_id);

COMMENT ON TABLE accountability.role_units IS 'Row-level security scope (数据权限): the units each role covers. A role sees and changes the rows of these units and every unit below them, together with the units of every role it has the privileges of. Maintained by administrators; each role sees its own rows.';
COMMENT ON COLUMN accountability.role_units.role_id IS 'A login or group role; dumped and restored by name. Delete its rows before dropping the role.';
COMMENT ON COLUMN accountability.role_units.unit_id IS 'The unit covered, with every unit below it.';
COMMENT ON COLUMN accountability.role_units.granted_at IS 'When the mapping was added.';
COMMENT ON COLUMN accountability.role_units.granted_by IS 'The database role that added it.';

SELECT pg_catalog.pg_extension_config_dump('accountability.role_units', '');

/*
 * The scope of the current role.  SECURITY INVOKER on purpose: current_user
 * inside a SECURITY DEFINER function is the function's owner.  The policies
 * call each one in a sub-select, so it runs once per query as an InitPlan.
 */

CREATE FUNCTION accountability.visible_units()
RETURNS bigint[]
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH RECURSIVE scope (unit_id) AS (
        SELECT r.unit_id FROM accountability.role_units r
        WHERE pg_catalog.pg_has_role(r.role_id::pg_catalog.oid, 'USAGE')
        UNION
        SELECT u.unit_id FROM accountability.units u
        JOIN scope s ON u.parent_id OPERATOR(pg_catalog.=) s.unit_id
    )
    SELECT coalesce(pg_catalog.array_agg(scope.unit_id ORDER BY scope.unit_id), '{}'::bigint[]) FROM scope
$$;

-- In C (scope/scope.c), so that any plan reading the record under the
-- policies loads the library, and with it the guard against EXPLAIN
-- ANALYZE counting hidden rows (scope/explain_guard.c).
CREATE FUNCTION accountability.sees_all_units()
RETURNS boolean
AS 'MODULE_PATHNAME', 'sees_all_units'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION accountability.sees_accusers()
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_catalog.pg_has_role('accountability_reviewer', 'USAGE') $$;

-- @region administers_units
-- In C like sees_all_units(), for the same reason: the policies of
-- role_units call it, so EXPLAIN ANALYZE of the mapping meets the guard
-- even as a session's first statement (attack round 7 counted the
-- mappings of other logins that way before the library was loaded).
CREATE FUNCTION accountability.administers_units()
RETURNS boolean
AS 'MODULE_PATHNAME', 'administers_units'
LANGUAGE C STABLE PARALLEL SAFE;
-- @end administers_units

-- @region visible_subjects
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
-- @end visible_subjects

-- @region visible_cases
CREATE FUNCTION accountability.visible_cases()
RETURNS SETOF bigint
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT c.case_id FROM accountability.cases c $$;
-- @end visible_cases

-- @region scope_function_comments
COMMENT ON FUNCTION accountability.visible_units() IS 'The units in the current role''s scope (数据权限范围): those mapped in role_units to it or to any role it has the privileges of, and every unit below them. Used by the row-level security policies.';
COMMENT ON FUNCTION accountability.sees_all_units() IS 'Whether the current role''s scope covers every unit (every top-level unit is mapped), so the policies need not look at unit ids. 当前角色的数据权限是否覆盖全部单位。';
COMMENT ON FUNCTION accountability.visible_cases() IS 'The cases the current role sees (数据权限范围内的案件): a new case may only relate to one of them, so a link never reaches, or tests for, a case outside the scope.';
COMMENT ON FUNCTION accountability.visible_subjects() IS 'The subjects in the current role''s scope (数据权限范围内的对象): those whose own unit is in visible_units(). The one scope rule of every per-subject record; a case pointing at a subject never brings it into scope.';
COMMENT ON FUNCTION accountability.administers_units() IS 'Whether the current role has the privileges of accountability_admin, and so keeps the role-to-unit mapping for every role (管理数据权限). Used by the policies of role_units.';
COMMENT ON FUNCTION accountability.sees_accusers() IS 'Whether the current role may see false-accusation cases and the accuser''s identity: it has the privileges of accountability_reviewer (so also accountability_admin). 当前角色能否查看诬告陷害案件及举报人身份。';
-- @end scope_function_comments

-- @region scope_privileges
REVOKE ALL ON FUNCTION
    accountability.visible_units(),
    accountability.sees_all_units(),
    accountability.sees_accusers(),
    accountability.administers_units(),
    accountability.visible_subjects(),
    accountability.visible_cases()
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    accountability.visible_units(),
    accountability.sees_all_units(),
    accountability.sees_accusers(),
    accountability.administers_units(),
    accountability.visible_subjects(),
    accountability.visible_cases()
TO accountability_reader;
-- @end scope_privileges
GRANT SELECT ON accountability.role_units TO accountability_reader;
GRANT INSERT, UPDATE, DELETE ON accountability.role_units TO accountability_admin;

/*
 * Row-level security.  Each policy's sub-selects are InitPlans, evaluated
 * once per query; the comparisons are LEAKPROOF, so a query's own
 * conditions (status = ..., case_id = ...) still use their indexes.
 * DELETE has no policy: the guards refuse it and no role holds it on the
 * case record.
 */

ALTER TABLE accountability.cases ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.case_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.determinations ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.correction_plans ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.clarifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.follow_up_visits ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.subjects ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.early_warnings ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.demotions ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.role_units ENABLE ROW LEVEL SECURITY;

-- Cases of the role's units; false-accusation cases (whose subject is the
-- accuser) only for reviewers and administrators.  Every policy expression
-- stays small enough for pg_policy to keep it inline: PostgreSQL (18 at
-- least) fails to decode a streamed transaction for logical replication
-- when building a relation's policies needs a TOAST fetch (a nested system
-- scan), so a long policy would stop every subscriber.
-- @region cases_in_scope
CREATE POLICY cases_in_scope ON accountability.cases
    USING (((SELECT accountability.sees_all_units())
            OR unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[]))
           AND (kind OPERATOR(pg_catalog.<>) 'false_accusation' OR (SELECT accountability.sees_accusers())));
COMMENT ON POLICY cases_in_scope ON accountability.cases IS 'A role sees and changes the cases of the units in its scope (visible_units()); false-accusation cases only with the privileges of accountability_reviewer. A new or changed case stays in the scope, relates only to a case the role sees (cases_link_in_scope) and concerns a subject of the scope (cases_subject_in_scope).';
-- A new or changed case relates only to a case the role sees, so a link
-- never reaches, or tests for, a case outside the scope.
CREATE POLICY cases_link_in_scope ON accountability.cases AS RESTRICTIVE
    USING (true)
    WITH CHECK ((SELECT accountability.sees_all_units())
                OR related_case_id IS NULL OR related_case_id IN (SELECT accountability.visible_cases()));
COMMENT ON POLICY cases_link_in_scope ON accountability.cases IS 'A new or changed case relates (related_case_id) only to a case the role sees. 新增或变更的案件只能关联本角色可见的案件。';
-- @end cases_in_scope
-- @region cases_subject_in_scope
-- A new case concerns a cadre of the scope.  On INSERT only: a case never
-- changes subject (the write model), and a cadre who moved to another
-- county leaves the old county's open cases about them workable there.
CREATE POLICY cases_subject_in_scope ON accountability.cases AS RESTRICTIVE FOR INSERT
    WITH CHECK ((SELECT accountability.sees_all_units()) OR subject_id IN (SELECT accountability.visible_subjects()));
COMMENT ON POLICY cases_subject_in_scope ON accountability.cases IS 'A new case concerns a subject of the role''s scope (a case never changes subject afterwards). 新增案件的对象须在本角色数据权限范围内。';
-- @end cases_subject_in_scope

-- Rows that hang off a case: those of the cases the role sees.
CREATE POLICY case_events_in_scope ON accountability.case_events FOR SELECT
    USING (((SELECT accountability.sees_all_units()) AND (SELECT accountability.sees_accusers()))
           OR EXISTS (SELECT 1 FROM accountability.cases c
                      WHERE c.case_id OPERATOR(pg_catalog.=) case_events.case_id));
CREATE POLICY determinations_in_scope ON accountability.determinations
    USING (((SELECT accountability.sees_all_units()) AND (SELECT accountability.sees_accusers()))
           OR EXISTS (SELECT 1 FROM accountability.cases c
                      WHERE c.case_id OPERATOR(pg_catalog.=) determinations.case_id));
CREATE POLICY correction_plans_in_scope ON accountability.correction_plans
    USING (((SELECT accountability.sees_all_units()) AND (SELECT accountability.sees_accusers()))
           OR EXISTS (SELECT 1 FROM accountability.cases c
                      WHERE c.case_id OPERATOR(pg_catalog.=) correction_plans.case_id));
CREATE POLICY clarifications_in_scope ON accountability.clarifications
    USING (((SELECT accountability.sees_all_units()) AND (SELECT accountability.sees_accusers()))
           OR EXISTS (SELECT 1 FROM accountability.cases c
                      WHERE c.case_id OPERATOR(pg_catalog.=) clarifications.case_id));
CREATE POLICY follow_up_visits_in_scope ON accountability.follow_up_visits
    USING (((SELECT accountability.sees_all_units()) AND (SELECT accountability.sees_accusers()))
           OR EXISTS (SELECT 1 FROM accountability.cases c
                      WHERE c.case_id OPERATOR(pg_catalog.=) follow_up_visits.case_id));

-- Subjects of the role's units, and only those: a case pointing at a
-- subject never brings it into scope.  The identity type (an accuser's) is
-- hidden by column privileges, never by hiding rows, which would change
-- counts.  (USING serves as the check of new and changed rows too.)
-- @region subjects_in_scope
CREATE POLICY subjects_in_scope ON accountability.subjects
    USING ((SELECT accountability.sees_all_units())
           OR unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[]));
COMMENT ON POLICY subjects_in_scope ON accountability.subjects IS 'Subjects (对象) of the units in the role''s scope (数据权限), and only those: scope follows the subject''s own unit, never a case that points at it. The identity type is hidden by column privileges, not by hiding rows. New and changed subjects must be in the scope.';
-- @end subjects_in_scope

-- Records about a subject: those of the subjects the role sees.
CREATE POLICY early_warnings_in_scope ON accountability.early_warnings
    USING ((SELECT accountability.sees_all_units())
           OR subject_id IN (SELECT accountability.visible_subjects()));
CREATE POLICY demotions_in_scope ON accountability.demotions
    USING ((SELECT accountability.sees_all_units())
           OR subject_id IN (SELECT accountability.visible_subjects()));

-- @region subject_moves
-- Moves of cadres: those of the subjects the role sees, or that left its units.
ALTER TABLE accountability.subject_moves ENABLE ROW LEVEL SECURITY;
CREATE POLICY subject_moves_in_scope ON accountability.subject_moves FOR SELECT
    USING ((SELECT accountability.sees_all_units())
           OR subject_id IN (SELECT accountability.visible_subjects())
           OR from_unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[]));
COMMENT ON POLICY subject_moves_in_scope ON accountability.subject_moves IS 'The moves of the subjects the role sees, and the moves out of its units.';

-- @end subject_moves

-- @region subject_scope_recheck
-- A row about a cadre is written only while the cadre is in the writer's
-- scope in commit order, not just in the statement's snapshot (attack
-- round 15: a REPEATABLE READ transaction begun before a cadre moved kept
-- writing that cadre's early warnings).  After each statement the trigger
-- locks the caller's mappings, the cadres its rows name and their units'
-- chains (FOR SHARE: a move waits, or a
-- REPEATABLE READ writer fails with 40001) and asks the policies again
-- under the latest snapshot (42501).  A case is checked when registered:
-- it never changes subject; a mentoring pair names both cadres when made
-- and stays with the mentee's unit after; a mentoring session names its
-- pair's mentee (the argument column:table.cadre_column reads the cadre
-- through the row the new row hangs off).
CREATE FUNCTION accountability.subject_scope_trigger()
RETURNS trigger AS 'MODULE_PATHNAME', 'subject_scope_trigger'
LANGUAGE C PARALLEL UNSAFE;
REVOKE ALL ON FUNCTION accountability.subject_scope_trigger() FROM PUBLIC;
COMMENT ON FUNCTION accountability.subject_scope_trigger() IS 'AFTER INSERT or UPDATE statement trigger on the tables about cadres: locks the caller''s mappings, the cadres the new rows name (each argument a column that names one, or column:table.cadre_column for a row the new row hangs off) and their units'' chains, and refuses a row whose cadre left the caller''s scope since the statement''s snapshot (42501; 40001 under REPEATABLE READ). 语句级触发器：锁定本角色的数据权限映射、新行所涉干部及其所在单位链，并按最新快照复核其仍在本角色数据权限范围内（防止快照过期期间跨地区写入）。';
CREATE TRIGGER cases_06_scope_insert AFTER INSERT ON accountability.cases
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.subject_scope_trigger('subject_id');
CREATE TRIGGER early_warnings_06_scope_insert AFTER INSERT ON accountability.early_warnings
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.subject_scope_trigger('subject_id');
CREATE TRIGGER early_warnings_06_scope_update AFTER UPDATE ON accountability.early_warnings
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.subject_scope_trigger('subject_id');
CREATE TRIGGER demotions_06_scope_insert AFTER INSERT ON accountability.demotions
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.subject_scope_trigger('subject_id');
CREATE TRIGGER demotions_06_scope_update AFTER UPDATE ON accountability.demotions
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.subject_scope_trigger('subject_id');
CREATE TRIGGER assessments_06_scope_insert AFTER INSERT ON accountability.assessments
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.subject_scope_trigger('subject_id');
CREATE TRIGGER assessments_06_scope_update AFTER UPDATE ON accountability.assessments
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.subject_scope_trigger('subject_id');
CREATE TRIGGER commendations_06_scope_insert AFTER INSERT ON accountability.commendations
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.subject_scope_trigger('subject_id');
CREATE TRIGGER commendations_06_scope_update AFTER UPDATE ON accountability.commendations
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.subject_scope_trigger('subject_id');
CREATE TRIGGER trainings_06_scope_insert AFTER INSERT ON accountability.trainings
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.subject_scope_trigger('subject_id');
CREATE TRIGGER trainings_06_scope_update AFTER UPDATE ON accountability.trainings
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.subject_scope_trigger('subject_id');
CREATE TRIGGER promotions_06_scope_insert AFTER INSERT ON accountability.promotions
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.subject_scope_trigger('subject_id');
CREATE TRIGGER promotions_06_scope_update AFTER UPDATE ON accountability.promotions
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.subject_scope_trigger('subject_id');
CREATE TRIGGER mentorships_06_scope_insert AFTER INSERT ON accountability.mentorships
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.subject_scope_trigger('mentee_id', 'mentor_id');
CREATE TRIGGER mentorships_06_scope_update AFTER UPDATE ON accountability.mentorships
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.subject_scope_trigger('mentee_id');
CREATE TRIGGER mentoring_sessions_06_scope_insert AFTER INSERT ON accountability.mentoring_sessions
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.subject_scope_trigger('mentorship_id:mentorships.mentee_id');
CREATE TRIGGER mentoring_sessions_06_scope_update AFTER UPDATE ON accountability.mentoring_sessions
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.subject_scope_trigger('mentorship_id:mentorships.mentee_id');
-- @end subject_scope_recheck
-- The mapping: administrators see and keep all of it; others see their own.
-- @region role_units_policies
CREATE POLICY role_units_own ON accountability.role_units FOR SELECT
    USING (pg_catalog.pg_has_role(role_id::pg_catalog.oid, 'USAGE')
           OR (SELECT accountability.administers_units()));
CREATE POLICY role_units_admin ON accountability.role_units
    USING ((SELECT accountability.administers_units()))
    WITH CHECK ((SELECT accountability.administers_units()));
COMMENT ON POLICY role_units_own ON accountability.role_units IS 'A role sees the mappings of the roles it has the privileges of; administrators see all (administers_units()). 各角色可见其自身的数据权限映射，管理员可见全部。';
COMMENT ON POLICY role_units_admin ON accountability.role_units IS 'Only administrators change the mapping (administers_units()). 仅管理员可修改数据权限映射。';
-- @end role_units_policies

COMMENT ON POLICY case_events_in_scope ON accountability.case_events IS 'The history of the cases the role sees.';
COMMENT ON POLICY determinations_in_scope ON accountability.determinations IS 'The determinations of the cases the role sees.';
COMMENT ON POLICY correction_plans_in_scope ON accountability.correction_plans IS 'The correction plans of the cases the role sees.';
COMMENT ON POLICY clarifications_in_scope ON accountability.clarifications IS 'The clarifications of the cases the role sees.';
COMMENT ON POLICY follow_up_visits_in_scope ON accountability.follow_up_visits IS 'The follow-up visits of the cases the role sees.';
COMMENT ON POLICY early_warnings_in_scope ON accountability.early_warnings IS 'The early warnings of the subjects the role sees.';
COMMENT ON POLICY demotions_in_scope ON accountability.demotions IS 'The demotions of the subjects the role sees.';

ALTER TABLE accountability.assessments ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.commendations ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.mentorships ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.mentoring_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.trainings ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.promotions ENABLE ROW LEVEL SECURITY;

CREATE POLICY assessments_in_scope ON accountability.assessments
    USING ((SELECT accountability.sees_all_units())
           OR subject_id IN (SELECT accountability.visible_subjects()));
CREATE POLICY commendations_in_scope ON accountability.commendations
    USING ((SELECT accountability.sees_all_units())
           OR subject_id IN (SELECT accountability.visible_subjects()));
CREATE POLICY mentorships_in_scope ON accountability.mentorships
    USING ((SELECT accountability.sees_all_units())
           OR mentee_id IN (SELECT accountability.visible_subjects()));
CREATE POLICY mentoring_sessions_in_scope ON accountability.mentoring_sessions
    USING (EXISTS (SELECT 1 FROM accountability.mentorships m
                   WHERE m.mentorship_id OPERATOR(pg_catalog.=) mentoring_sessions.mentorship_id));
CREATE POLICY trainings_in_scope ON accountability.trainings
    USING ((SELECT accountability.sees_all_units())
           OR subject_id IN (SELECT accountability.visible_subjects()));
CREATE POLICY promotions_in_scope ON accountability.promotions
    USING ((SELECT accountability.sees_all_units())
           OR subject_id IN (SELECT accountability.visible_subjects()));

COMMENT ON POLICY assessments_in_scope ON accountability.assessments IS 'The assessments of the subjects the role sees.';
COMMENT ON POLICY commendations_in_scope ON accountability.commendations IS 'The commendations of the subjects the role sees.';
COMMENT ON POLICY mentorships_in_scope ON accountability.mentorships IS 'The mentoring pairs of the mentees the role sees.';
COMMENT ON POLICY mentoring_sessions_in_scope ON accountability.mentoring_sessions IS 'The sessions of the pairs the role sees.';
COMMENT ON POLICY trainings_in_scope ON accountability.trainings IS 'The training records of the subjects the role sees.';
COMMENT ON POLICY promotions_in_scope ON accountability.promotions IS 'The promotions of the subjects the role sees.';

/* Subjects without the identity type, for readers and clerks (SELECT * works). */
CREATE VIEW accountability.subject_directory WITH (security_invoker = true) AS
SELECT s.subject_id, s.kind, s.name, s.unit_id, s.post, s.rank
FROM accountability.subjects s;

COMMENT ON VIEW accountability.subject_directory IS 'Subjects (对象) without their identity type, for roles that may not read it: SELECT * on subjects needs the privileges of accountability_reviewer. Row-level security of subjects applies.';
COMMENT ON COLUMN accountability.subject_directory.subject_id IS 'Subject id (对象编号).';
COMMENT ON COLUMN accountability.subject_directory.kind IS 'person 个人 or party_org 党组织.';
COMMENT ON COLUMN accountability.subject_directory.name IS 'Name (姓名/名称).';
COMMENT ON COLUMN accountability.subject_directory.unit_id IS 'The unit the subject belongs to (所在单位).';
COMMENT ON COLUMN accountability.subject_directory.post IS 'Post (职务).';
COMMENT ON COLUMN accountability.subject_directory.rank IS 'Rank (职级).';
GRANT SELECT ON accountability.subject_directory TO accountability_reader;
-- @region assessments_names_own

/*
 * A new row names only what the role may speak for (restrictive, on
 * INSERT: the write model never lets these columns change afterwards).
 * The report figures count an assessment, a commendation, a mentoring pair
 * and a promotion by the unit that made it, and a cadre's standing counts
 * the pairs a mentor leads: so the unit named must be one of the role's
 * own units, and the mentor and the case behind a demotion must be ones the
 * role sees.  A county cannot plant a row into another county's figures, nor
 * into the figures of the units above it: what the province awarded, the
 * province's roles record (they see the county's cadres too), and pairs
 * across counties are recorded by a role that sees both cadres.
 */
CREATE POLICY assessments_names_own ON accountability.assessments AS RESTRICTIVE FOR INSERT
    WITH CHECK ((SELECT accountability.sees_all_units())
                OR assessing_unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[]));
CREATE POLICY commendations_names_own ON accountability.commendations AS RESTRICTIVE FOR INSERT
    WITH CHECK ((SELECT accountability.sees_all_units())
                OR awarding_unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[]));
CREATE POLICY promotions_names_own ON accountability.promotions AS RESTRICTIVE FOR INSERT
    WITH CHECK ((SELECT accountability.sees_all_units())
                OR unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[]));
CREATE POLICY mentorships_names_own ON accountability.mentorships AS RESTRICTIVE FOR INSERT
    WITH CHECK ((SELECT accountability.sees_all_units())
                OR (mentor_id IN (SELECT accountability.visible_subjects())
                    AND unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[])));
-- (the case behind a demotion is about the cadre demoted: attack round 9)
CREATE POLICY demotions_names_own ON accountability.demotions AS RESTRICTIVE FOR INSERT
    WITH CHECK ((SELECT accountability.sees_all_units())
                OR case_id IS NULL
                OR (case_id IN (SELECT accountability.visible_cases())
                    AND EXISTS (SELECT 1 FROM accountability.cases c
                                WHERE c.case_id OPERATOR(pg_catalog.=) demotions.case_id
                                  AND c.subject_id OPERATOR(pg_catalog.=) demotions.subject_id)));
-- (a session is added to a pair by the unit that recorded it, as it is changed)
CREATE POLICY mentoring_sessions_added_by_own ON accountability.mentoring_sessions AS RESTRICTIVE FOR INSERT
    WITH CHECK ((SELECT accountability.sees_all_units())
                OR EXISTS (SELECT 1 FROM accountability.mentorships m
                           WHERE m.mentorship_id OPERATOR(pg_catalog.=) mentoring_sessions.mentorship_id
                             AND m.unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[])));
COMMENT ON POLICY mentoring_sessions_added_by_own ON accountability.mentoring_sessions IS 'A mentoring session is added only by a role of the unit that recorded its pair (as it is changed). 导师谈心记录只能由结对记录单位的角色新增。';
COMMENT ON POLICY assessments_names_own ON accountability.assessments IS 'A new assessment is made by one of the role''s own units (its figures count it). 新增年度考核须以本角色所辖单位名义作出。';
COMMENT ON POLICY commendations_names_own ON accountability.commendations IS 'A new commendation is awarded by one of the role''s own units (its figures count it). 新增表彰须由本角色所辖单位授予。';
COMMENT ON POLICY promotions_names_own ON accountability.promotions IS 'A new promotion is made in one of the role''s own units (its figures count it). 新增提拔任用须在本角色所辖单位。';
COMMENT ON POLICY mentorships_names_own ON accountability.mentorships IS 'A new mentoring pair has a mentor the role sees, in one of the role''s own units (the mentor''s standing and the unit''s figures count it). 新增导师结对的导师须在本角色可见范围内，结对单位须为本角色所辖单位。';
COMMENT ON POLICY demotions_names_own ON accountability.demotions IS 'A new demotion names no case, or one the role sees about the cadre demoted. 新增调整记录所涉案件须为本角色可见、且涉及被调整干部本人的案件。';

/*
 * And a row is changed only by the units that made it (restrictive, on
 * UPDATE): a county sees the province's assessment of its own cadre, and a
 * pair a neighbouring county recorded for a cadre who later moved to it,
 * but regrading the one or ending the other would change another unit's
 * published figures (attack round 6).
 */
CREATE POLICY assessments_changed_by_own ON accountability.assessments AS RESTRICTIVE FOR UPDATE
    USING ((SELECT accountability.sees_all_units())
           OR assessing_unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[]));
CREATE POLICY commendations_changed_by_own ON accountability.commendations AS RESTRICTIVE FOR UPDATE
    USING ((SELECT accountability.sees_all_units())
           OR awarding_unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[]));
CREATE POLICY promotions_changed_by_own ON accountability.promotions AS RESTRICTIVE FOR UPDATE
    USING ((SELECT accountability.sees_all_units())
           OR unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[]));
CREATE POLICY mentorships_changed_by_own ON accountability.mentorships AS RESTRICTIVE FOR UPDATE
    USING ((SELECT accountability.sees_all_units())
           OR unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[]));
CREATE POLICY mentoring_sessions_changed_by_own ON accountability.mentoring_sessions AS RESTRICTIVE FOR UPDATE
    USING ((SELECT accountability.sees_all_units())
           OR EXISTS (SELECT 1 FROM accountability.mentorships m
                      WHERE m.mentorship_id OPERATOR(pg_catalog.=) mentoring_sessions.mentorship_id
                        AND m.unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[])));
COMMENT ON POLICY assessments_changed_by_own ON accountability.assessments IS 'An assessment is revised only by a role of the unit that made it (another unit''s figures count it otherwise). 年度考核只能由作出考核的单位的角色修改。';
COMMENT ON POLICY commendations_changed_by_own ON accountability.commendations IS 'A commendation is changed only by a role of the awarding unit. 表彰只能由授予单位的角色修改。';
COMMENT ON POLICY promotions_changed_by_own ON accountability.promotions IS 'A promotion is changed only by a role of the unit it was made in. 提拔任用只能由作出单位的角色修改。';
COMMENT ON POLICY mentorships_changed_by_own ON accountability.mentorships IS 'A mentoring pair is changed (ended) only by a role of the unit that recorded it. 导师结对只能由记录单位的角色修改（结束）。';
COMMENT ON POLICY mentoring_sessions_changed_by_own ON accountability.mentoring_sessions IS 'A mentoring session is changed only by a role of the unit that recorded its pair. 导师谈心记录只能由结对记录单位的角色修改。';

/*
 * Ids are the database's to give.  A role under row-level security that
 * could name an id when it inserts would learn, from the unique
 * violation, whether another unit's case, cadre or record has that id
 * (23505 for a taken id, success for a free one): a refusal that reveals a
 * row outside the scope.  So clerks and reviewers insert every column but
 * the generated id; administrators, who load and import (the demo's
 * loader, say), keep the whole table.  Rows numbered within a case
 * (determination_no, plan_no, ...) are numbered by the triggers after the
 * scope check, so they reveal nothing either.
 */
DO $$
DECLARE
    t record;
    columns text;
BEGIN
    FOR t IN SELECT * FROM (VALUES
            ('cases', 'case_id', 'accountability_clerk'),
            ('subjects', 'subject_id', 'accountability_reviewer'),
            ('early_warnings', 'warning_id', 'accountability_clerk'),
            ('demotions', 'demotion_id', 'accountability_reviewer'),
            ('commendations', 'commendation_id', 'accountability_clerk'),
            ('mentorships', 'mentorship_id', 'accountability_clerk'),
            ('mentoring_sessions', 'session_id', 'accountability_clerk'),
            ('trainings', 'training_id', 'accountability_clerk'),
            ('promotions', 'promotion_id', 'accountability_reviewer')) v (table_name, id_column, role_name)
    LOOP
        SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO columns
        FROM pg_catalog.pg_attribute a
        WHERE a.attrelid OPERATOR(pg_catalog.=) ('accountability.' OPERATOR(pg_catalog.||) t.table_name)::regclass
          AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
          AND a.attname OPERATOR(pg_catalog.<>) t.id_column;
        EXECUTE format('REVOKE INSERT ON accountability.%I FROM %I', t.table_name, t.role_name);
        EXECUTE format('GRANT INSERT (%s) ON accountability.%I TO %I', columns, t.table_name, t.role_name);
        EXECUTE format('GRANT INSERT ON accountability.%I TO accountability_admin', t.table_name);
    END LOOP;
END
$$;

-- @end assessments_names_own
-- @region statistics_revoked
/*
 * The statistics that count what a scan read.  PostgreSQL's per-table
 * counters (pg_stat_xact_user_tables.idx_tup_fetch, seq_tup_read, the
 * pg_statio block counts) include the rows a scan fetched before the
 * policies hid them, and so do the database's totals (pg_stat_database):
 * a county login probing "WHERE case_id = 3" would read there whether that
 * case exists.  In this database those counters are
 * for the monitoring role pg_read_all_stats (and superusers), not PUBLIC,
 * and so are the I/O counts (pg_stat_io; a backend's own, PostgreSQL 18),
 * where a hidden row fetched is one more buffer hit, and so is pg_locks
 * (pg_lock_status), whose advisory keys and predicate locks tell what
 * another session's checks read; the counts of writes and the table sizes
 * stay readable.  EXPLAIN
 * ANALYZE, the other way to see those rows, is refused in C
 * (scope/explain_guard.c).
 */
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN
        SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
        WHERE p.pronamespace OPERATOR(pg_catalog.=) 'pg_catalog'::regnamespace
          AND p.proname OPERATOR(pg_catalog.=) ANY (ARRAY[
              'pg_stat_get_numscans', 'pg_stat_get_lastscan', 'pg_stat_get_tuples_returned',
              'pg_stat_get_tuples_fetched', 'pg_stat_get_blocks_fetched', 'pg_stat_get_blocks_hit',
              'pg_stat_get_xact_numscans', 'pg_stat_get_xact_tuples_returned',
              'pg_stat_get_xact_tuples_fetched', 'pg_stat_get_xact_blocks_fetched',
              'pg_stat_get_xact_blocks_hit', 'pg_stat_get_db_tuples_returned',
              'pg_stat_get_db_tuples_fetched', 'pg_stat_get_db_blocks_fetched',
              'pg_stat_get_db_blocks_hit', 'pg_stat_get_io', 'pg_stat_get_backend_io',
              -- pg_locks: who holds which lock, its key, and under
              -- SERIALIZABLE each row a check read (its SIReadLock's
              -- page and tuple): attack round 14 read the list item a
              -- hidden case names from both
              'pg_lock_status'])
        ORDER BY 1
    LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO pg_read_all_stats', f);
    END LOOP;
END
$$;

-- @end statistics_revoked

-- @region library_preloaded
/*
 * The EXPLAIN guard (scope/explain_guard.c) is a pair of executor hooks,
 * in place once the library is loaded.  Loaded on demand, the library
 * arrives in the middle of a session's first statement that uses it, too
 * late for that statement's own EXPLAIN (attack round 14, through a STABLE
 * function as a session's first statement).  Preloading it closes that;
 * setting_problems() lists a session that did not.
 */
CREATE FUNCTION accountability.library_preloaded()
RETURNS boolean AS 'MODULE_PATHNAME', 'library_preloaded'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION accountability.library_preloaded() IS
'Whether this session loaded pg_accountability when it started (shared_preload_libraries, session_preload_libraries or local_preload_libraries), so the EXPLAIN guard was in place for its first statement too. setting_problems() lists it when not. 本会话是否在启动时预加载了扩展库。';
REVOKE ALL ON FUNCTION accountability.library_preloaded() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION accountability.library_preloaded() TO accountability_reader;
-- @end library_preloaded
