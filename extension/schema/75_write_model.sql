/* ------------------------------------------------------------------------
 * 7b. The write model (写入模型): one rule per column of the permanent
 *     record, enforced in C; the audited move of a cadre; the domains of
 *     the values a user types.
 *
 * Every column of every table of the record is identity (never changes),
 * state (changes only by a transition, judged on the old and new row
 * together), maintained (written by the database), fill_once (NULL to a
 * value once), free (changeable while the record is open), note (may go
 * with a transition), move (only through an audited move) or grows (a list
 * that takes values and never loses one).  Everything that hangs off a closed case is
 * frozen.  The rules are data in core/write_model.c; write_model() lists
 * them, write_model_guard() enforces them (ENABLE ALWAYS: replica mode
 * does not switch it off; in a logical-replication apply worker the
 * publisher has judged the change already).
 * ------------------------------------------------------------------------
 */
-- @region write_model

CREATE FUNCTION accountability.write_model()
RETURNS TABLE (table_name text, column_name text, column_class text, hangs_off text, why text,
               changes_while accountability.case_status[], rows_kept boolean)
AS 'MODULE_PATHNAME', 'write_model_rows'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
ROWS 160;

COMMENT ON FUNCTION accountability.write_model() IS
'The write model (写入模型), one row per column of the permanent record: identity 标识 (never changes), state 状态 (only by a transition), maintained 系统维护 (written by the database), fill_once 一次填写 (NULL to a value once), free 自由 (while the record is open), note 备注 (may go with a transition), move 调动 (only through move_subject), grows 只增 (a list that takes values and never loses one: a case''s clarification grounds); hangs_off says what freezes the row (a closed case) or scopes it (a subject); changes_while lists the statuses a case must be in for a free column to change (a case''s facts until it is determined: the status before the statement), for a fill-once column to be filled (a report''s finding while unfounded: the status after it) or for a state column to be written (a closing reason: the status moved to), null for any open status; rows_kept says the table''s rows are never deleted or truncated (保留: every table but units and subjects).';

CREATE FUNCTION accountability.write_model_guard()
RETURNS trigger AS 'MODULE_PATHNAME', 'write_model_guard'
LANGUAGE C PARALLEL UNSAFE;

COMMENT ON FUNCTION accountability.write_model_guard() IS
'BEFORE UPDATE row trigger (ENABLE ALWAYS) on every table of the permanent record: refuses what the write model does not allow (写入模型守卫): identity or fill_once columns rewritten, or a value withdrawn from a list that grows (42501), maintained columns (428C9), other columns changed together with a transition or a row of a closed case changed (55000), a unit moved outside move_subject (42501).';

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
-- truncated either (their rows were already never deleted).  Their guards
-- below and those of 1.0 hold write_model()'s rows_kept.
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

-- Every other table whose rows write_model() keeps gets the same guards:
-- a demotion, an early warning or an assessment deleted would free a
-- cadre of it with nothing to show (attack round 6).  Derived from the
-- model, so a table it keeps is never left without them.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN
        SELECT DISTINCT m.table_name, v.event, v.bit, v.level
        FROM accountability.write_model() m
        CROSS JOIN (VALUES ('delete', 8, 'ROW'), ('truncate', 32, 'STATEMENT')) v (event, bit, level)
        WHERE m.rows_kept
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger g
                          WHERE g.tgrelid OPERATOR(pg_catalog.=) pg_catalog.format('accountability.%I', m.table_name)::regclass
                            AND g.tgfoid OPERATOR(pg_catalog.=) 'accountability.append_only_guard()'::regprocedure
                            AND (g.tgtype::integer OPERATOR(pg_catalog.&) v.bit) OPERATOR(pg_catalog.<>) 0)
        ORDER BY 1, 2
    LOOP
        EXECUTE pg_catalog.format('CREATE TRIGGER %I BEFORE %s ON accountability.%I FOR EACH %s'
                                  ' EXECUTE FUNCTION accountability.append_only_guard()',
                                  t.table_name || '_40_no_' || t.event, pg_catalog.upper(t.event), t.table_name, t.level);
        EXECUTE pg_catalog.format('ALTER TABLE accountability.%I ENABLE ALWAYS TRIGGER %I',
                                  t.table_name, t.table_name || '_40_no_' || t.event);
    END LOOP;
END
$$;

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
COMMENT ON COLUMN accountability.subject_moves.move_id IS 'Identity of the move (调动编号).';
COMMENT ON COLUMN accountability.subject_moves.subject_id IS 'The cadre or organization moved (对象).';
COMMENT ON COLUMN accountability.subject_moves.from_unit_id IS 'The unit left (原单位).';
COMMENT ON COLUMN accountability.subject_moves.to_unit_id IS 'The unit joined (新单位).';
COMMENT ON COLUMN accountability.subject_moves.reason IS 'Why (调动原因): a transfer order, a reorganisation.';
COMMENT ON COLUMN accountability.subject_moves.moved_at IS 'When the move was recorded (记录时间).';
COMMENT ON COLUMN accountability.subject_moves.moved_by IS 'The database role that moved the subject, followed by " (login name)" when the login that authenticated differs (current_recorder()) (操作人).';
COMMENT ON SEQUENCE accountability.subject_moves_move_id_seq IS 'Identity of subject_moves.move_id (调动编号序列).';

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
LANGUAGE C PARALLEL UNSAFE;

COMMENT ON FUNCTION accountability.move_subject(bigint, bigint, text) IS
'Move a cadre to another unit (干部调动), the one way subjects.unit_id changes: with the caller''s rights (the subject and the new unit must be in its scope), a written reason, recorded in subject_moves; a NULL argument is refused (22004). For reviewers and administrators.';

/*
 * The domains of what users type (issue 14): finite dates in the record's
 * range (the dates on which something happened not after today), written
 * texts, simple lists, bounded settings.  Each CHECK calls
 * a C function that refuses with a DETAIL and a HINT.
 */
CREATE FUNCTION accountability.check_date(value date, column_name text)
RETURNS boolean AS 'MODULE_PATHNAME', 'check_record_date'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.check_past_date(value date, column_name text)
RETURNS boolean AS 'MODULE_PATHNAME', 'check_past_date'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.check_year(year integer, on_date date, years_after integer, column_name text)
RETURNS boolean AS 'MODULE_PATHNAME', 'check_record_year'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.check_written(value text, column_name text)
RETURNS boolean AS 'MODULE_PATHNAME', 'check_written_text'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.is_written(value text)
RETURNS boolean AS 'MODULE_PATHNAME', 'is_written_text'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.check_list(value anyarray, column_name text)
RETURNS boolean AS 'MODULE_PATHNAME', 'check_simple_list'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.check_setting(value integer, unit text)
RETURNS boolean AS 'MODULE_PATHNAME', 'check_setting_value'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.loads_as_written()
RETURNS boolean AS 'MODULE_PATHNAME', 'loads_as_written'
LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION accountability.year_matches(year integer, on_date date, years_after integer)
RETURNS boolean AS 'MODULE_PATHNAME', 'record_year_matches'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.check_setting_name(name text, unit text)
RETURNS boolean AS 'MODULE_PATHNAME', 'check_setting_name'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.check_code(value text, column_name text)
RETURNS boolean AS 'MODULE_PATHNAME', 'check_code_text'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.check_situation_code(code text, column_name text)
RETURNS boolean AS 'MODULE_PATHNAME', 'check_situation_code'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION accountability.check_date(date, text) IS 'CHECK of every date of the record (日期范围): finite, from 1900-01-01 to 2199-12-31; otherwise 22008 naming the column. NULL passes.';
COMMENT ON FUNCTION accountability.check_past_date(date, text) IS 'CHECK of the dates on which something happened (发生日期: a decision, a notification, a visit, a completion): check_date''s range and not after today''s date in the record''s calendar (China Standard Time, UTC+8, as record_today(); whatever the session''s time zone); otherwise 22008 naming the column. Planned dates (due, until, effective) use check_date. Rows written by a restore or a logical-replication worker are checked for their range only, so neither fails on a clock. NULL passes.';
COMMENT ON FUNCTION accountability.check_year(integer, date, integer, text) IS 'CHECK of the records of a year (年度记录: assessments, commendations, training): dated in that year, or up to years_after years later for one decided after the year ends; otherwise 23514 naming the column. annual_report counts them by their year. NULL passes.';
COMMENT ON FUNCTION accountability.check_written(text, text) IS 'CHECK of texts that must say something (须填写): at least one character that is not Unicode white space (ideographic spaces U+3000 are white space); otherwise 23514. NULL passes.';
COMMENT ON FUNCTION accountability.is_written(text) IS 'Whether a text says something (是否已填写): check_written''s test as a boolean, for queries that judge recorded text. NULL for NULL.';
COMMENT ON FUNCTION accountability.check_list(anyarray, text) IS 'CHECK of the lists of the record (列表): one dimension, no NULL element, and no value named twice (不得重复); otherwise 22023 naming the column and the value. NULL passes.';
COMMENT ON FUNCTION accountability.check_setting(integer, text) IS 'CHECK of settings values (设置范围): 1 to 3650 days, or 1 to 1000 for counts; otherwise 22003.';
COMMENT ON FUNCTION accountability.loads_as_written() IS 'Whether this session loads rows as they were judged where first written (按原样载入): a restore (accountability.restore, for a role that may set it) or a logical-replication worker. The test the guards written in SQL ask, as the C guards do.';
COMMENT ON FUNCTION accountability.year_matches(integer, date, integer) IS 'check_year''s test as a boolean (年度与日期相符): the date falls in the year or up to years_after years later; verify_ledger() judges the rows with it again.';
COMMENT ON FUNCTION accountability.check_setting_name(text, text) IS 'CHECK of settings names (设置名称): one of the settings the rules read (investigation, determination, notification, appeal, first_follow_up, repeat_window, report_window in days; report_threshold a count), in its own unit; otherwise 22023 listing them, so a misspelt name never adds a row nothing reads.';
COMMENT ON FUNCTION accountability.check_code(text, text) IS 'CHECK of codes that name a row exactly (代码不得含首尾空白): no Unicode white space before or after it (" 3301" and "3301" would be two units); otherwise 23514 naming the column. NULL passes.';
COMMENT ON FUNCTION accountability.check_situation_code(text, text) IS 'CHECK of tolerance-list item codes (容错情形代码): at most 128 bytes, the bound of the situation fact that names them (the same validation), otherwise 22001 naming the column; and no blanks before or after it (a case names the item by its exact code), otherwise 23514. NULL passes.';

-- @end write_model
-- @region value_checks
-- Every date of the record in range, every happened date not in the
-- future, every required text saying something (attack round 6 found a
-- blank, a tab, U+3000 or U+200B accepted), every list one-dimensional:
-- tests/integrity.sql checks that no required text is left unchecked.
ALTER TABLE accountability.units
    ADD CONSTRAINT units_written CHECK (accountability.check_written(name, 'units.name')),
    ADD CONSTRAINT units_code_written CHECK (accountability.check_written(code, 'units.code')
                                             AND accountability.check_code(code, 'units.code'));
ALTER TABLE accountability.subjects
    ADD CONSTRAINT subjects_written CHECK (accountability.check_written(name, 'subjects.name')
                                           AND accountability.check_written(post, 'subjects.post'));
-- (PostgreSQL checks a table's constraints in the order of their names:
-- 1.0 left "an event no later than the registration" unnamed, cases_check,
-- which came first and gave a future or infinite event_on a bare 23514
-- instead of cases_dates' 22008 with its reason; renamed to come after)
ALTER TABLE accountability.cases RENAME CONSTRAINT cases_check TO cases_event_on_by_opening;
-- (the same for units: a level that is no code, 'Province', met "the top
-- unit is the province" first and got a bare 23514, not units_level_check's
-- list of levels)
ALTER TABLE accountability.units RENAME CONSTRAINT units_check TO units_not_own_parent;
ALTER TABLE accountability.units RENAME CONSTRAINT units_check1 TO units_province_at_top;
ALTER TABLE accountability.cases
    ADD CONSTRAINT cases_dates CHECK (accountability.check_past_date(event_on, 'cases.event_on')
                                      AND accountability.check_past_date(opened_on, 'cases.opened_on')),
    ADD CONSTRAINT cases_written CHECK (accountability.check_written(closing_reason, 'cases.closing_reason')),
    ADD CONSTRAINT cases_lists CHECK (accountability.check_list(clarification_grounds, 'cases.clarification_grounds'));
ALTER TABLE accountability.tolerance_list_items
    ADD CONSTRAINT tolerance_list_items_dates CHECK (accountability.check_date(valid_from, 'tolerance_list_items.valid_from')
                                                     AND accountability.check_date(valid_to, 'tolerance_list_items.valid_to')),
    -- an item's code is what a case's situation fact names: the fact's
    -- own validation bounds it (22001 beyond 128 bytes), and it says
    -- something (a blank code would match a blank situation fact)
    ADD CONSTRAINT tolerance_list_items_code CHECK (accountability.check_situation_code(code, 'tolerance_list_items.code')
                                                    AND accountability.check_written(code, 'tolerance_list_items.code')),
    ADD CONSTRAINT tolerance_list_items_written CHECK (accountability.check_written(text_zh, 'tolerance_list_items.text_zh'));
ALTER TABLE accountability.settings
    ADD CONSTRAINT settings_value_in_range CHECK (accountability.check_setting(value, unit)),
    ADD CONSTRAINT settings_name_known CHECK (accountability.check_setting_name(name, unit));
ALTER TABLE accountability.determinations
    ADD CONSTRAINT determinations_dates CHECK (accountability.check_past_date(decided_on, 'determinations.decided_on')
                                               AND accountability.check_date(influence_until, 'determinations.influence_until')
                                               AND accountability.check_past_date(notified_on, 'determinations.notified_on')
                                               AND accountability.check_past_date(judged_on, 'determinations.judged_on')),
    ADD CONSTRAINT determinations_written CHECK (accountability.check_written(deciding_body, 'determinations.deciding_body'));
ALTER TABLE accountability.correction_plans
    ADD CONSTRAINT correction_plans_dates CHECK (accountability.check_date(due_on, 'correction_plans.due_on')
                                                 AND accountability.check_past_date(completed_on, 'correction_plans.completed_on')),
    ADD CONSTRAINT correction_plans_written CHECK (accountability.check_written(matter, 'correction_plans.matter')
                                                   AND accountability.check_written(measures, 'correction_plans.measures')
                                                   AND accountability.check_written(verified_by, 'correction_plans.verified_by'));
ALTER TABLE accountability.clarifications
    ADD CONSTRAINT clarifications_dates CHECK (accountability.check_past_date(done_on, 'clarifications.done_on')
                                               AND accountability.check_past_date(archived_on, 'clarifications.archived_on')
                                               AND accountability.check_past_date(copied_to_organization_on, 'clarifications.copied_to_organization_on')),
    ADD CONSTRAINT clarifications_written CHECK (accountability.check_written(scope, 'clarifications.scope')
                                                 AND accountability.check_written(approved_by, 'clarifications.approved_by')),
    ADD CONSTRAINT clarifications_lists CHECK (accountability.check_list(methods, 'clarifications.methods'));
ALTER TABLE accountability.follow_up_visits
    ADD CONSTRAINT follow_up_visits_dates CHECK (accountability.check_past_date(visited_on, 'follow_up_visits.visited_on')
                                                 AND accountability.check_date(next_due_on, 'follow_up_visits.next_due_on')),
    ADD CONSTRAINT follow_up_visits_written CHECK (accountability.check_written(plan, 'follow_up_visits.plan')
                                                   AND accountability.check_written(visitor, 'follow_up_visits.visitor'));
ALTER TABLE accountability.early_warnings
    ADD CONSTRAINT early_warnings_dates CHECK (accountability.check_past_date(issued_on, 'early_warnings.issued_on')
                                               AND accountability.check_past_date(acknowledged_on, 'early_warnings.acknowledged_on')),
    ADD CONSTRAINT early_warnings_written CHECK (accountability.check_written(sign, 'early_warnings.sign')),
    ADD CONSTRAINT early_warnings_issuer_written CHECK (accountability.check_written(issued_by, 'early_warnings.issued_by'));
ALTER TABLE accountability.demotions
    ADD CONSTRAINT demotions_dates CHECK (accountability.check_past_date(decided_on, 'demotions.decided_on')
                                          AND accountability.check_date(effective_on, 'demotions.effective_on')
                                          AND accountability.check_date(reuse_eligible_on, 'demotions.reuse_eligible_on')),
    ADD CONSTRAINT demotions_lists CHECK (accountability.check_list(prior_measures, 'demotions.prior_measures')),
    ADD CONSTRAINT demotions_written CHECK (accountability.check_written(decided_by, 'demotions.decided_by'));
ALTER TABLE accountability.assessments
    ADD CONSTRAINT assessments_dates CHECK (accountability.check_past_date(decided_on, 'assessments.decided_on')),
    -- a year's records are dated in it (an assessment or a commendation may
    -- be decided in the year after): the figures count them by the year
    ADD CONSTRAINT assessments_year CHECK (accountability.check_year(year, decided_on, 1, 'assessments.year')),
    ADD CONSTRAINT assessments_lists CHECK (accountability.check_list(ground_case_ids, 'assessments.ground_case_ids'));
ALTER TABLE accountability.commendations
    ADD CONSTRAINT commendations_dates CHECK (accountability.check_past_date(awarded_on, 'commendations.awarded_on')),
    ADD CONSTRAINT commendations_year CHECK (accountability.check_year(year, awarded_on, 1, 'commendations.year'));
ALTER TABLE accountability.mentorships
    ADD CONSTRAINT mentorships_dates CHECK (accountability.check_date(started_on, 'mentorships.started_on')
                                            AND accountability.check_date(ended_on, 'mentorships.ended_on'));
ALTER TABLE accountability.mentoring_sessions
    ADD CONSTRAINT mentoring_sessions_dates CHECK (accountability.check_past_date(held_on, 'mentoring_sessions.held_on')),
    ADD CONSTRAINT mentoring_sessions_written CHECK (accountability.check_written(topic, 'mentoring_sessions.topic'));
ALTER TABLE accountability.trainings
    ADD CONSTRAINT trainings_dates CHECK (accountability.check_past_date(attended_on, 'trainings.attended_on')),
    ADD CONSTRAINT trainings_year CHECK (accountability.check_year(year, attended_on, 0, 'trainings.year')),
    ADD CONSTRAINT trainings_written CHECK (accountability.check_written(course, 'trainings.course'));
ALTER TABLE accountability.promotions
    ADD CONSTRAINT promotions_dates CHECK (accountability.check_date(effective_on, 'promotions.effective_on')),
    ADD CONSTRAINT promotions_written CHECK (accountability.check_written(to_post, 'promotions.to_post')
                                             AND accountability.check_written(decided_by, 'promotions.decided_by'));
ALTER TABLE accountability.subject_moves
    ADD CONSTRAINT subject_moves_written CHECK (accountability.check_written(reason, 'subject_moves.reason'));
-- A sanction that ends before it is decided would never be in effect
-- (sanction_period() gives none), so the cadre could be promoted at once;
-- hours of NaN pass "hours > 0" (NaN sorts above every number) and reach
-- the figures (attack round 7).
ALTER TABLE accountability.determinations
    ADD CONSTRAINT determinations_influence_after_decision CHECK (influence_until IS NULL OR influence_until >= decided_on);
ALTER TABLE accountability.trainings
    ADD CONSTRAINT trainings_hours_number CHECK (hours <> 'NaN'::numeric);
ALTER TABLE accountability.mentoring_sessions
    ADD CONSTRAINT mentoring_sessions_hours_number CHECK (hours <> 'NaN'::numeric);

-- The rank of a unit level down the tree (0 for the province); NULL for no level.
CREATE FUNCTION accountability.unit_level_rank(level text)
RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN CASE level WHEN 'province' THEN 0 WHEN 'city' THEN 1 WHEN 'county' THEN 2
                  WHEN 'township' THEN 3 WHEN 'department' THEN 4 END;
COMMENT ON FUNCTION accountability.unit_level_rank(text) IS 'The rank of a unit level down the tree (层级序号): province 0, city 1, county 2, township 3, department 4 (a department, 部门, belongs to a province, a city, a county or a township, and has no unit below it); null otherwise. A unit''s parent ranks above it.';

/*
 * The unit tree stays a tree: a unit's new parent must not be the unit or
 * below it.  The walk up locks each ancestor (FOR SHARE), so two sessions
 * that would close a cycle between them conflict instead of both passing.
 * And the levels go down the tree: province, city, county, township, and a
 * department under any of them; a unit's parent is of a higher level (a
 * township above a city would put the city's figures under it).
 */
CREATE FUNCTION accountability.unit_tree_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ancestor bigint := NEW.parent_id;
    depth    integer := 0;
    below    text;
    parent_level text;
BEGIN
    -- the parent locked first (FOR SHARE): a concurrent change of its level
    -- waits for this unit, or this unit sees the level it changed to
    SELECT u.level INTO parent_level FROM accountability.units u
    WHERE u.unit_id OPERATOR(pg_catalog.=) NEW.parent_id FOR SHARE;
    -- a restore or a logical replica's copy loads the units as they were
    -- judged where they were written (in heap order, a 1.0 install's units
    -- included): only the cycle below is checked again
    IF accountability.loads_as_written() THEN
        parent_level := NULL;
    -- a parent is recorded before the units below it (else, inserted later
    -- in the same statement, its level would go unchecked)
    ELSIF NEW.parent_id IS NOT NULL AND parent_level IS NULL THEN
        RAISE EXCEPTION 'unit % is placed under unit %, which is not recorded', NEW.unit_id, NEW.parent_id
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = 'A unit''s parent is recorded before it, so that its level can be checked.',
                  HINT = 'Insert the parent first, in its own statement or earlier in this one.';
    END IF;
    IF accountability.unit_level_rank(parent_level) OPERATOR(pg_catalog.>=) accountability.unit_level_rank(NEW.level) THEN
        RAISE EXCEPTION 'a unit of level % cannot be placed under a unit of level %', NEW.level, parent_level
            USING ERRCODE = 'check_violation',
                  DETAIL = 'Levels go down the tree: province, city, county, township; a department belongs to a unit of any of these.',
                  HINT = 'Choose a parent of a higher level, or correct the level.';
    END IF;
    IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE' AND NEW.level OPERATOR(pg_catalog.<>) OLD.level THEN
        SELECT c.level INTO below FROM accountability.units c
        WHERE c.parent_id OPERATOR(pg_catalog.=) NEW.unit_id
          AND accountability.unit_level_rank(c.level) OPERATOR(pg_catalog.<=) accountability.unit_level_rank(NEW.level)
        LIMIT 1;
        IF below IS NOT NULL THEN
            RAISE EXCEPTION 'unit % cannot become a unit of level %: a unit of level % is below it', NEW.unit_id, NEW.level, below
                USING ERRCODE = 'check_violation',
                      DETAIL = 'Levels go down the tree: province, city, county, township; a department belongs to a unit of any of these.',
                      HINT = 'Move the units below it first, or keep its level.';
        END IF;
    END IF;
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

COMMENT ON FUNCTION accountability.unit_tree_guard() IS 'BEFORE INSERT OR UPDATE OF parent_id, level row trigger on units (ENABLE ALWAYS): the units stay a tree (单位层级不成环) whose levels go down it (province, city, county, township; a department under any of them); a parent below the unit, or of a level not above it, is refused (23514), and a parent not yet recorded (23503). A restore or a logical replica''s copy (loads_as_written()) checks the cycle only.';

CREATE TRIGGER units_06_tree BEFORE INSERT OR UPDATE OF parent_id, level ON accountability.units
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
    accountability.check_past_date(date, text),
    accountability.check_year(integer, date, integer, text),
    accountability.year_matches(integer, date, integer),
    accountability.loads_as_written(),
    accountability.check_written(text, text),
    accountability.is_written(text),
    accountability.check_list(anyarray, text),
    accountability.check_setting(integer, text),
    accountability.check_setting_name(text, text),
    accountability.check_code(text, text),
    accountability.check_situation_code(text, text),
    accountability.unit_level_rank(text),
    accountability.unit_tree_guard()
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    accountability.write_model(),
    accountability.check_date(date, text),
    accountability.check_past_date(date, text),
    accountability.check_year(integer, date, integer, text),
    accountability.year_matches(integer, date, integer),
    accountability.loads_as_written(),
    accountability.check_written(text, text),
    accountability.is_written(text),
    accountability.check_list(anyarray, text),
    accountability.check_setting(integer, text),
    accountability.check_setting_name(text, text),
    accountability.check_code(text, text),
    accountability.check_situation_code(text, text),
    accountability.unit_level_rank(text)
TO accountability_reader;
GRANT EXECUTE ON FUNCTION accountability.move_subject(bigint, bigint, text) TO accountability_reviewer;
GRANT SELECT ON accountability.subject_moves TO accountability_reader;

-- @end value_checks
