/*
 * pg_accountability 1.0 -> 1.1.
 *
 * 1.1 is assembled from the pieces of extension/schema/; this script brings
 * a 1.0 install to exactly what a fresh 1.1 install creates
 * (tests/checks/upgrade.sh compares the two object by object).  Each
 * change below names the issue it comes from.
 *
 * make assembles this script from its template,
 * extension/upgrade/1.0--1.1.sql.  In the template, a line
 * "-- @include PIECE REGION" stands for the lines of extension/schema/PIECE
 * between "-- @region REGION" and "-- @end REGION", so an object 1.1 adds
 * or changes is defined once, in its piece; with "or-replace" the region's
 * CREATE VIEW and CREATE FUNCTION replace what 1.0 has
 * (extension/upgrade/assemble.awk).  Only what is upgrade-only (DROPs,
 * ALTERs of 1.0's objects, moving data) is written here.
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

/* ------------------------------------------------------------------------
 * Issue 16: BI readers get correct, fast, bilingual figures through every
 * driver.
 * ------------------------------------------------------------------------
 */

/*
 * Strings bound by drivers compare with and pass as statuses and outcomes:
 * the casts from text and varchar become implicit (see 10_types.sql), and
 * facts take a string parameter (assignment casts to jsonb, 30_decision).
 */
DROP CAST (text AS accountability.case_status);
DROP CAST (character varying AS accountability.case_status);
DROP CAST (text AS accountability.tolerance_outcome);
DROP CAST (character varying AS accountability.tolerance_outcome);
CREATE CAST (text AS accountability.case_status)
    WITH FUNCTION accountability.case_status_from_text(text) AS IMPLICIT;
CREATE CAST (character varying AS accountability.case_status)
    WITH FUNCTION accountability.case_status_from_text(text) AS IMPLICIT;
CREATE CAST (text AS accountability.tolerance_outcome)
    WITH FUNCTION accountability.tolerance_outcome_from_text(text) AS IMPLICIT;
CREATE CAST (character varying AS accountability.tolerance_outcome)
    WITH FUNCTION accountability.tolerance_outcome_from_text(text) AS IMPLICIT;
-- @include 10_types.sql cast_comments
/*
 * Today is the record's calendar's (UTC+8), in the views and the defaults
 * as in the rules: a dashboard's "overdue" and the appeal window agree in
 * every session time zone.
 */
-- @include 10_types.sql record_today
ALTER TABLE accountability.cases ALTER COLUMN opened_on SET DEFAULT accountability.record_today();
ALTER TABLE accountability.determinations ALTER COLUMN decided_on SET DEFAULT accountability.record_today();
/*
 * A determination records the date its facts were judged on, so that a
 * move can tell whether the case still has it (attack round 20 filled in
 * an event date during an appeal, then forged the filing); 1.0's are
 * filled in below where the date is certain.
 */
ALTER TABLE accountability.determinations ADD COLUMN judged_on date;
-- @include 40_workflow.sql determination_judged_on
ALTER TABLE accountability.early_warnings ALTER COLUMN issued_on SET DEFAULT accountability.record_today();
-- @include 30_decision.sql jsonb_string_casts
-- @include 50_protection.sql early_warning_candidates or-replace
/* Issue 16, bilingual documentation: column comments of views 1.0 has. */
COMMENT ON COLUMN accountability.subject_standing.subject_id IS 'Subject id (对象编号).';
COMMENT ON COLUMN accountability.subject_standing.unit_id IS 'The subject''s unit (所在单位).';
COMMENT ON COLUMN accountability.subject_standing.latest_grade_year IS 'Year of the latest grade (最近考核年度).';
COMMENT ON COLUMN accountability.subject_standing.last_promoted_on IS 'Date of the latest promotion (最近提拔任用日期).';
COMMENT ON COLUMN accountability.subject_directory.subject_id IS 'Subject id (对象编号).';

/* The roll-up path, kept as a table. */
-- @include 70_reports.sql unit_ancestors
-- @include 70_reports.sql unit_tree or-replace

/* The row views: label pairs, unit_id in tolerance_by_situation, no recursion per case. */
-- @include 70_reports.sql row_views or-replace
REVOKE ALL ON FUNCTION
    accountability.unit_paths(),
    accountability.unit_ancestors_rebuild(),
    accountability.report_figures_trigger()
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION accountability.unit_paths() TO accountability_reader;
GRANT EXECUTE ON FUNCTION accountability.unit_ancestors_rebuild() TO accountability_admin;
GRANT SELECT ON accountability.unit_ancestors TO accountability_reader;

/* annual_report reads the report figures: rebuilt after them. */
DROP VIEW accountability.annual_report;
-- @include 90_report_figures.sql report_figures
/* case_facts and subject_standing(id) in PL/pgSQL: their plans are kept for the session, not made again on every call (so is case_dossier's, below). */
-- @include 40_workflow.sql is_excluded
-- @include 40_workflow.sql case_facts or-replace
-- @include 40_workflow.sql facts_as_recorded
-- @include 92_subject_figures.sql subject_standing_by_id or-replace

/* A cadre's assessments carry the grade in their key: subject_standing reads the latest grade and the excellent years from the index alone, so its cost does not grow with the years assessed. */
ALTER TABLE accountability.assessments
    DROP CONSTRAINT assessments_pkey,
    ADD CONSTRAINT assessments_pkey PRIMARY KEY (subject_id, year) INCLUDE (grade);

/* The dossier labels its assessment, and shows a report's clearance. */
-- @include 50_protection.sql case_dossier or-replace

/* Every object of the extension commented in English and Chinese (issue 16). */
-- @include 10_types.sql type_io_comments
-- @include 10_types.sql type_support_comments
-- @include 10_types.sql operator_comments
-- @include 10_types.sql opclass_comments
-- @include 10_types.sql aggregate_comments
-- @include 10_types.sql cast_function_comments
-- What each legal move requires, by name, from the one transition table
-- (verify_ledger() re-checks each against the ledger).
-- @include 20_state_machine.sql transition_requirements
-- @include 20_state_machine.sql state_machine_comments
-- @include 20_state_machine.sql state_machine_privileges
COMMENT ON FUNCTION accountability.case_transition_trigger() IS 'BEFORE UPDATE row trigger on cases: refuses illegal moves (55000), checks each move''s requirements, advances the history chain head. 案件行触发器：拒绝非法流转，检查流转条件，推进流转记录链头。';
COMMENT ON FUNCTION accountability.case_history_trigger() IS 'AFTER INSERT/UPDATE statement trigger on cases: checks new cases start in received (or import mode), appends case_events from the transition tables. 案件语句级触发器：检查新案件从受理开始，写入流转记录。';
COMMENT ON FUNCTION accountability.closed_case_guard() IS 'BEFORE UPDATE row trigger on cases (ENABLE ALWAYS): a closed case never changes (55000). 案件行触发器（始终启用）：办结的案件不再变更。';
COMMENT ON FUNCTION accountability.append_only_guard() IS 'Trigger (ENABLE ALWAYS) refusing UPDATE, DELETE and TRUNCATE of the permanent record (42501). 拒绝修改、删除、清空永久记录的触发器（始终启用）。';
COMMENT ON FUNCTION accountability.case_child_trigger() IS 'BEFORE INSERT row trigger on per-case tables: locks the case, checks its status allows the row, numbers it (case_id, n). Arguments: the number column, then the allowed statuses. 案件子表的行触发器：锁定案件、检查状态、按案件编号。';
COMMENT ON FUNCTION accountability.determination_trigger() IS 'BEFORE INSERT row trigger on determinations: stores the assessment and enforces the leniency rule. 认定的行触发器：保存容错评估结果并执行从宽幅度规则。';
COMMENT ON FUNCTION accountability.only_listed_columns_change() IS 'BEFORE UPDATE row trigger: only the columns named as arguments may change once a row is recorded (42501). 行触发器：记录后只允许修改参数所列的字段。';
COMMENT ON FUNCTION accountability.event_hash(bytea, bigint, integer, text, accountability.case_status, accountability.case_status, timestamptz, text, text, text) IS
'SHA-256 of one case event chained to the previous event''s hash (format v1). Used by the triggers and verify_history(). 一条流转记录的 SHA-256 哈希，链接上一条记录（格式 v1）。';
COMMENT ON SEQUENCE accountability.units_unit_id_seq IS 'Identity of units.unit_id. units.unit_id 的标识序列。';
COMMENT ON SEQUENCE accountability.subjects_subject_id_seq IS 'Identity of subjects.subject_id. subjects.subject_id 的标识序列。';
COMMENT ON SEQUENCE accountability.cases_case_id_seq IS 'Identity of cases.case_id. cases.case_id 的标识序列。';
COMMENT ON SEQUENCE accountability.early_warnings_warning_id_seq IS 'Identity of early_warnings.warning_id. early_warnings.warning_id 的标识序列。';
COMMENT ON SEQUENCE accountability.demotions_demotion_id_seq IS 'Identity of demotions.demotion_id. demotions.demotion_id 的标识序列。';
COMMENT ON FUNCTION accountability.standard_row_guard() IS 'BEFORE UPDATE OR DELETE row trigger on demotion_situations: the national situations are not edited (42501). 不适宜担任现职情形的行触发器：国家规定情形不得修改。';
COMMENT ON FUNCTION accountability.standard_row_replicated() IS 'BEFORE INSERT row trigger on the seeded catalogues demotion_situations and commendation_kinds (ENABLE REPLICA, so only in a logical-replication worker): a standard row the subscriber''s own CREATE EXTENSION installed is not inserted again. 预置目录的行触发器（仅逻辑复制时启用）：订阅端已有的标准行不再插入。';
COMMENT ON SEQUENCE accountability.commendations_commendation_id_seq IS 'Identity of commendations.commendation_id. commendations.commendation_id 的标识序列。';
COMMENT ON SEQUENCE accountability.mentorships_mentorship_id_seq IS 'Identity of mentorships.mentorship_id. mentorships.mentorship_id 的标识序列。';
COMMENT ON SEQUENCE accountability.mentoring_sessions_session_id_seq IS 'Identity of mentoring_sessions.session_id. mentoring_sessions.session_id 的标识序列。';
COMMENT ON SEQUENCE accountability.trainings_training_id_seq IS 'Identity of trainings.training_id. trainings.training_id 的标识序列。';
COMMENT ON SEQUENCE accountability.promotions_promotion_id_seq IS 'Identity of promotions.promotion_id. promotions.promotion_id 的标识序列。';
COMMENT ON FUNCTION accountability.assessment_trigger() IS 'BEFORE INSERT OR UPDATE row trigger on assessments: a grade below competent needs grounds, and the cases it cites are the cadre''s own, determined, and never a tolerated error or a cleared accusation (23514). 年度考核的行触发器：称职以下等次须有依据，所引案件须为本人已认定的案件，容错免责或已澄清的举报不得作为依据。';
COMMENT ON FUNCTION accountability.promotion_trigger() IS 'BEFORE INSERT row trigger on promotions: refused while a sanction or a demotion is in effect on the effective date, and before that date has come (a promotion is recorded on or after the day it takes effect) (23514); tolerated errors never block. 提拔任用的行触发器：问责影响期或调整期内不得提拔，任职生效后方可登记，容错免责不影响。';
COMMENT ON COLUMN accountability.promotions.effective_on IS 'Date effective (任职生效日期): on or before the day the promotion is recorded.';
-- Now in C (scope/scope.c), so that any plan reading the record under the
-- policies loads the library, and with it the guard against EXPLAIN
-- ANALYZE counting hidden rows (scope/explain_guard.c).
CREATE OR REPLACE FUNCTION accountability.sees_all_units()
RETURNS boolean
AS 'MODULE_PATHNAME', 'sees_all_units'
LANGUAGE C STABLE PARALLEL SAFE;

/* Count what the 1.0 install holds. */
SELECT accountability.report_figures_rebuild();

/*
 * Issue 17, costs that follow the work: verify_history(case_id) checks one
 * case through the primary keys instead of scanning the whole history (its
 * one query could use no index).  Its body moves into history_problems(),
 * one static query per path; verify_history keeps its signature, result
 * and privileges.
 */
-- @include 40_workflow.sql history_problems
-- @include 40_workflow.sql verify_history or-replace
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

/*
 * The date 1.0's determinations judged their facts on, where it is certain
 * (attack round 21): a case with no event date yet had none when they were
 * recorded, so they judged the registration date, and an event date filled
 * in now (once: 1.1 freezes it after) leaves them behind as it does 1.1's.
 * The others stay null: 1.0 let the event date change, and it is frozen now.
 */
UPDATE accountability.determinations d SET judged_on = c.opened_on
  FROM accountability.cases c
 WHERE c.case_id OPERATOR(pg_catalog.=) d.case_id AND c.event_on IS NULL;

-- Scope follows each row's own unit.
-- @include 80_scope.sql administers_units
-- @include 80_scope.sql visible_subjects
-- @include 80_scope.sql visible_cases
-- @include 80_scope.sql scope_function_comments
-- @include 80_scope.sql scope_privileges

-- Made again rather than altered: a policy's WITH CHECK cannot be removed
-- by ALTER POLICY, and 1.1 keeps each policy short (see 80_scope.sql).
DROP POLICY cases_in_scope ON accountability.cases;
-- @include 80_scope.sql cases_in_scope
-- @include 80_scope.sql cases_subject_in_scope
DROP POLICY subjects_in_scope ON accountability.subjects;
-- @include 80_scope.sql subjects_in_scope
DROP POLICY role_units_own ON accountability.role_units;
DROP POLICY role_units_admin ON accountability.role_units;
-- @include 80_scope.sql role_units_policies
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

-- @include 75_write_model.sql write_model
ALTER TABLE accountability.settings DROP CONSTRAINT settings_value_check;
-- @include 75_write_model.sql value_checks

/*
 * Attack round 14 (a newcomer): a bad code got only "violates check
 * constraint cases_kind_check".  1.0's CHECK (x IN (...)) constraints
 * become check_choice() ones under the same names, which name the column
 * and list its codes (extension/schema/10_types.sql, where the fresh
 * install's tables use it); tests/checks/upgrade.sh compares them with a
 * fresh install's.
 */
-- @include 10_types.sql check_choice
ALTER TABLE accountability.units DROP CONSTRAINT units_level_check,
    ADD CONSTRAINT units_level_check CHECK (accountability.check_choice(level, 'units.level', '{province,city,county,township,department}'));
ALTER TABLE accountability.subjects DROP CONSTRAINT subjects_kind_check,
    ADD CONSTRAINT subjects_kind_check CHECK (accountability.check_choice(kind, 'subjects.kind', '{person,party_org}')),
    DROP CONSTRAINT subjects_identity_type_check,
    ADD CONSTRAINT subjects_identity_type_check CHECK (accountability.check_choice(identity_type, 'subjects.identity_type', '{party_member,public_servant,other}'));
ALTER TABLE accountability.cases DROP CONSTRAINT cases_kind_check,
    ADD CONSTRAINT cases_kind_check CHECK (accountability.check_choice(kind, 'cases.kind', '{report,accountability,false_accusation}')),
    DROP CONSTRAINT cases_report_finding_check,
    ADD CONSTRAINT cases_report_finding_check CHECK (accountability.check_choice(report_finding, 'cases.report_finding', '{mistaken_report,suspected_false_accusation}'));
ALTER TABLE accountability.tolerance_list_items DROP CONSTRAINT tolerance_list_items_polarity_check,
    ADD CONSTRAINT tolerance_list_items_polarity_check CHECK (accountability.check_choice(polarity, 'tolerance_list_items.polarity', '{positive,negative}'));
ALTER TABLE accountability.determinations DROP CONSTRAINT determinations_mode_check,
    ADD CONSTRAINT determinations_mode_check CHECK (accountability.check_choice(mode, 'determinations.mode', '{ordinary,application,ex_officio}'));
ALTER TABLE accountability.follow_up_visits DROP CONSTRAINT follow_up_visits_method_check,
    ADD CONSTRAINT follow_up_visits_method_check CHECK (accountability.check_choice(method, 'follow_up_visits.method', '{face_to_face,home,phone,meeting,written}'));
ALTER TABLE accountability.demotions DROP CONSTRAINT demotions_method_check,
    ADD CONSTRAINT demotions_method_check CHECK (accountability.check_choice(method, 'demotions.method', '{transfer,reassignment,removal,demotion}'));
ALTER TABLE accountability.assessments DROP CONSTRAINT assessments_grade_check,
    ADD CONSTRAINT assessments_grade_check CHECK (accountability.check_choice(grade, 'assessments.grade', '{excellent,competent,basically_competent,incompetent}'));
ALTER TABLE accountability.promotions DROP CONSTRAINT promotions_kind_check,
    ADD CONSTRAINT promotions_kind_check CHECK (accountability.check_choice(kind, 'promotions.kind', '{promotion,appointment,rank_advance}'));
-- A situation is a code: facts_are_valid bounds it, and check_situation_code bounds tolerance-list codes the same way.
-- @include 30_decision.sql facts_are_valid_comment
-- A case's situation is one the lists know: a misspelt code is refused, not assessed as none;
-- an item a case names is withdrawn, never deleted.
-- @include 40_workflow.sql situation_guard
-- @include 80_scope.sql subject_moves
-- @include 80_scope.sql subject_scope_recheck
-- @include 92_subject_figures.sql subject_figures

-- Issue 16 review: the sanction period written once (reports.c), asked by
-- measures_in_effect, the subject figures and subject_standing.
-- @include 60_incentives.sql sanction_period
-- Attack round 12: a role sees the sanctions of its cadres decided on cases
-- handled outside its scope, so a refused promotion never tells.
-- @include 60_incentives.sql accusations_beyond_scope
-- @include 60_incentives.sql measures_in_effect or-replace
COMMENT ON FUNCTION accountability.measures_in_effect(bigint, date) IS 'Sanctions (影响期内的问责处理) and demotions (调整期内) in effect for a subject on a date: these, and only these, hold a promotion back. Sanctions decided on cases handled outside the caller''s scope are listed without their case (reference null); a false accusation''s only for a reviewer.';
-- @include 92_subject_figures.sql subject_figures_recount
-- @include 92_subject_figures.sql subject_standing or-replace
-- @include 92_subject_figures.sql subject_figures_privileges
/* Count what the install holds. */
SELECT accountability.subject_figures_rebuild();
-- @include 80_scope.sql assessments_names_own
/*
 * Issue 15, a ledger that holds against the database administrator: the
 * objects of extension/schema/90_ledger.sql, as a fresh install creates
 * them, then the genesis: every row present at the upgrade becomes a
 * "genesis" entry, sealed at once into block 1, so the ledger covers the
 * record from the start (a fresh install starts with an empty ledger).
 */
-- @include 90_ledger.sql ledger
-- @include 80_scope.sql statistics_revoked
-- @include 80_scope.sql library_preloaded
-- The genesis block: the rows present at the upgrade, in table and key order.
INSERT INTO accountability.ledger_entries (entry_no, xid, table_name, operation, row_key, row_image, entry_hash)
SELECT n.entry_no, pg_catalog.pg_current_xact_id(), n.table_name, 'genesis', n.row_key, n.row_image,
       accountability.ledger_entry_hash(n.entry_no, n.table_name, 'genesis', n.row_key, n.row_image)
FROM (SELECT pg_catalog.nextval('accountability.ledger_entry_no'::pg_catalog.regclass) AS entry_no, r.*
      FROM (SELECT * FROM accountability.ledger_rows() ORDER BY 1, 2) r) n;
SELECT accountability.ledger_seal();

/*
 * Attack round 7: every table-level UPDATE of the group roles becomes
 * UPDATE on each column, so no clerk can LOCK a table of the record.
 */
-- @include 95_privileges.sql update_by_column

/*
 * Attack round 7: a case's origin follows the session's own import mode,
 * not one stored for everyone (extension/schema/40_workflow.sql).
 */
-- @include 40_workflow.sql new_case_origin
ALTER TABLE accountability.cases ALTER COLUMN origin SET DEFAULT accountability.new_case_origin();

/*
 * Attack round 17: a login acting through SET ROLE is named beside the
 * group role it acts as, in the history and on determinations
 * (extension/workflow/history.c).
 */
-- @include 40_workflow.sql current_recorder
ALTER TABLE accountability.determinations ALTER COLUMN recorded_by SET DEFAULT accountability.current_recorder();
-- @include 40_workflow.sql recorder_comments

/*
 * Attack round 14 (a newcomer): a setting is changed, never deleted, and
 * an INSERT of its name without a description keeps the one it has.
 */
-- @include 40_workflow.sql settings_upsert or-replace
-- @include 40_workflow.sql settings_kept
