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
COMMENT ON CAST (text AS accountability.case_status) IS 'Text to case_status, as text input (implicit: string parameters compare and pass as statuses). 文本转案件状态。';
COMMENT ON CAST (character varying AS accountability.case_status) IS 'varchar to case_status, as text input (implicit; JDBC setString, ODBC). 字符串转案件状态。';
COMMENT ON CAST (text AS accountability.tolerance_outcome) IS 'Text to tolerance_outcome, as text input (implicit: string parameters compare and pass as outcomes). 文本转容错认定结果。';
COMMENT ON CAST (character varying AS accountability.tolerance_outcome) IS 'varchar to tolerance_outcome, as text input (implicit; JDBC setString, ODBC). 字符串转容错认定结果。';

/*
 * Facts from a string parameter (issue 16): JDBC's setString binds a
 * varchar, other drivers text, and PostgreSQL converts neither to jsonb on
 * its own.  An assignment cast (through jsonb's text input, so bad JSON is
 * 22P02 as ever) lets INSERT and UPDATE of a jsonb column take them.
 * Assignment casts take no part in choosing an operator or a function, so
 * no query changes meaning.  The casts are the database's, like any cast:
 * they apply to every jsonb column of the database, and go with DROP
 * EXTENSION.
 */
CREATE CAST (character varying AS jsonb) WITH INOUT AS ASSIGNMENT;
CREATE CAST (text AS jsonb) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (character varying AS jsonb) IS 'varchar to jsonb on INSERT and UPDATE (assignment), for facts bound with JDBC setString; through jsonb input. 字符串参数写入 jsonb（事实）。';
COMMENT ON CAST (text AS jsonb) IS 'text to jsonb on INSERT and UPDATE (assignment), for facts bound as text; through jsonb input. 文本参数写入 jsonb（事实）。';

/* Early-warning candidates: reason and detail in both languages. */
CREATE OR REPLACE VIEW accountability.early_warning_candidates WITH (security_invoker = true) AS
SELECT x.subject_id, x.reason, x.case_id,
       CASE WHEN current_setting('accountability.language', true) OPERATOR(pg_catalog.=) 'zh' THEN x.detail_zh ELSE x.detail_en END AS detail,
       x.reason AS reason_en,
       CASE x.reason WHEN 'repeated_reports' THEN '多次被举报' WHEN 'overdue_follow_up' THEN '回访逾期'
                     WHEN 'overdue_case' THEN '核查逾期' END AS reason_zh,
       x.detail_en, x.detail_zh
FROM (
    SELECT c.subject_id, 'repeated_reports'::text AS reason, NULL::bigint AS case_id,
           format('%s reports in %s days', count(*), max(w.value)) AS detail_en,
           format('%s天内被举报%s次', max(w.value), count(*)) AS detail_zh
    FROM accountability.cases c
    CROSS JOIN (SELECT value FROM accountability.settings WHERE name OPERATOR(pg_catalog.=) 'report_window') w
    WHERE c.kind OPERATOR(pg_catalog.=) 'report'
      AND c.opened_on OPERATOR(pg_catalog.>) (CURRENT_DATE OPERATOR(pg_catalog.-) w.value)
    GROUP BY c.subject_id
    HAVING count(*) OPERATOR(pg_catalog.>=) (SELECT value FROM accountability.settings WHERE name OPERATOR(pg_catalog.=) 'report_threshold')
    UNION ALL
    SELECT c.subject_id, 'overdue_follow_up', c.case_id,
           format('next visit was due on %s', coalesce(v.next_due_on::text, 'the first visit')),
           CASE WHEN v.next_due_on IS NULL THEN '首次回访已逾期' ELSE format('下次回访应于%s进行', v.next_due_on) END
    FROM accountability.cases c
    LEFT JOIN LATERAL (SELECT x.next_due_on, x.concerns_resolved FROM accountability.follow_up_visits x
                       WHERE x.case_id OPERATOR(pg_catalog.=) c.case_id ORDER BY x.visit_no DESC LIMIT 1) v ON true
    WHERE c.status OPERATOR(accountability.=) 'follow_up'::accountability.case_status
      AND ((v.next_due_on IS NOT NULL AND v.next_due_on OPERATOR(pg_catalog.<) CURRENT_DATE)
           OR (v.concerns_resolved IS NULL
               AND (SELECT max(e.occurred_at) FROM accountability.case_events e WHERE e.case_id OPERATOR(pg_catalog.=) c.case_id)
                   OPERATOR(pg_catalog.<) (CURRENT_DATE OPERATOR(pg_catalog.-)
                   (SELECT value FROM accountability.settings WHERE name OPERATOR(pg_catalog.=) 'first_follow_up'))))
    UNION ALL
    SELECT c.subject_id, 'overdue_case', c.case_id,
           format('%s since %s', accountability.label(c.status, 'en'), c.opened_on),
           format('自%s起处于%s状态', c.opened_on, accountability.label(c.status, 'zh'))
    FROM accountability.cases c
    WHERE c.status OPERATOR(accountability.<=) 'investigating'::accountability.case_status
      AND c.opened_on OPERATOR(pg_catalog.<) (CURRENT_DATE OPERATOR(pg_catalog.-)
          (SELECT value FROM accountability.settings WHERE name OPERATOR(pg_catalog.=) 'investigation'))
) x;

COMMENT ON VIEW accountability.early_warning_candidates IS 'Subjects who may need an early warning (预警提醒对象): several reports within report_window (repeated_reports), an overdue follow-up visit (overdue_follow_up), a case still unverified past the investigation deadline (overdue_case). Filter on reason_en. 可能需要预警提醒的对象：按 reason_en 筛选。';
COMMENT ON COLUMN accountability.early_warning_candidates.subject_id IS 'Subject id (对象编号).';
COMMENT ON COLUMN accountability.early_warning_candidates.reason IS 'Reason code (原因代码): repeated_reports 多次被举报, overdue_follow_up 回访逾期, overdue_case 核查逾期; the same as reason_en.';
COMMENT ON COLUMN accountability.early_warning_candidates.case_id IS 'The case concerned (相关案件), if any.';
COMMENT ON COLUMN accountability.early_warning_candidates.detail IS 'What was found (具体情况), following accountability.language: detail_en, or detail_zh under zh.';
COMMENT ON COLUMN accountability.early_warning_candidates.reason_en IS 'Reason, English code (原因英文代码): filter and group on this.';
COMMENT ON COLUMN accountability.early_warning_candidates.reason_zh IS 'Reason, Chinese label (原因中文).';
COMMENT ON COLUMN accountability.early_warning_candidates.detail_en IS 'What was found, in English (具体情况英文).';
COMMENT ON COLUMN accountability.early_warning_candidates.detail_zh IS 'What was found, in Chinese (具体情况中文).';

COMMENT ON COLUMN accountability.subject_standing.subject_id IS 'Subject id (对象编号).';
COMMENT ON COLUMN accountability.subject_standing.unit_id IS 'The subject''s unit (所在单位).';
COMMENT ON COLUMN accountability.subject_standing.latest_grade_year IS 'Year of the latest grade (最近考核年度).';
COMMENT ON COLUMN accountability.subject_standing.last_promoted_on IS 'Date of the latest promotion (最近提拔任用日期).';
COMMENT ON COLUMN accountability.subject_directory.subject_id IS 'Subject id (对象编号).';

/* The roll-up path, kept as a table. */
-- Each unit with every ancestor (itself included): the rollup path of the
-- reports, kept as a table (a recursive view cost 2-3 ms a query, more than
-- the report itself).  Brought up to date by a statement trigger on units,
-- under a lock, in statements of its own, so it is exact under concurrency.
CREATE TABLE accountability.unit_ancestors (
    unit_id     bigint NOT NULL,
    ancestor_id bigint NOT NULL,
    depth       integer NOT NULL,
    top         boolean NOT NULL,
    PRIMARY KEY (unit_id, ancestor_id)
);
CREATE INDEX unit_ancestors_ancestor_idx ON accountability.unit_ancestors (ancestor_id, unit_id);

COMMENT ON TABLE accountability.unit_ancestors IS 'Each unit paired with itself and every unit above it (单位层级): the path along which the reports roll up. Kept by a trigger on units; never written by hand. 单位与其各级上级单位，由触发器维护。';
COMMENT ON COLUMN accountability.unit_ancestors.unit_id IS 'A unit (单位).';
COMMENT ON COLUMN accountability.unit_ancestors.ancestor_id IS 'The unit itself or one above it (本单位或上级单位).';
COMMENT ON COLUMN accountability.unit_ancestors.depth IS '0 for the unit itself, 1 for its parent, and so on (层级距离).';
COMMENT ON COLUMN accountability.unit_ancestors.top IS 'Whether the ancestor is a top-level unit, the province (上级为省级单位); its statistics let the planner see how many units a province row sums.';

SELECT pg_catalog.pg_extension_config_dump('accountability.unit_ancestors', '');

-- Each unit's path up the tree, from units: the one definition of the
-- paths, which unit_ancestors keeps and verify_ledger() compares it with.
CREATE FUNCTION accountability.unit_paths()
RETURNS TABLE (unit_id bigint, ancestor_id bigint, depth integer, top boolean)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH RECURSIVE up (unit_id, ancestor_id, depth) AS (
        SELECT u.unit_id, u.unit_id, 0 FROM accountability.units u
        UNION ALL
        SELECT up.unit_id, p.parent_id, up.depth OPERATOR(pg_catalog.+) 1
        FROM up JOIN accountability.units p ON p.unit_id OPERATOR(pg_catalog.=) up.ancestor_id
        WHERE p.parent_id IS NOT NULL
    ) CYCLE ancestor_id SET in_cycle USING path   -- (the tree guard allows no cycle; a forged one ends here)
    SELECT up.unit_id, up.ancestor_id, up.depth, t.parent_id IS NULL
    FROM up JOIN accountability.units t ON t.unit_id OPERATOR(pg_catalog.=) up.ancestor_id
    WHERE NOT up.in_cycle
$$;
COMMENT ON FUNCTION accountability.unit_paths() IS
'Each unit with itself and every unit above it, from units (单位层级路径): the one definition of the paths unit_ancestors keeps (its trigger writes the difference) and verify_ledger() compares it with.';

CREATE FUNCTION accountability.unit_ancestors_rebuild()
RETURNS void AS 'MODULE_PATHNAME', 'unit_ancestors_rebuild'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION accountability.unit_ancestors_rebuild() IS
'Brings unit_ancestors up to date with units (deletes the paths that changed, adds the missing ones), under a lock, as the table owner: what the trigger on units does after every change. 更新单位层级表。';

-- The C trigger that keeps unit_ancestors and the report figures (reports.c).
CREATE FUNCTION accountability.report_figures_trigger()
RETURNS trigger AS 'MODULE_PATHNAME', 'report_figures_trigger'
LANGUAGE C PARALLEL UNSAFE;
COMMENT ON FUNCTION accountability.report_figures_trigger() IS
'AFTER trigger (statement, or row on UPDATE OF the columns that move figures) keeping unit_ancestors and report_figures up to date; its argument names the source of figures. Runs its statements as the table owner; skipped in restore mode, where both tables are restored as dumped. 维护统计数据的触发器。';

CREATE TRIGGER units_90_ancestors AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON accountability.units
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('units');

CREATE OR REPLACE VIEW accountability.unit_tree WITH (security_invoker = true) AS
SELECT a.unit_id, a.ancestor_id, a.depth FROM accountability.unit_ancestors a;

COMMENT ON VIEW accountability.unit_tree IS 'Each unit paired with itself and every unit above it (单位层级): the path along which the reports roll up; reads unit_ancestors. 单位与各级上级单位。';
COMMENT ON COLUMN accountability.unit_tree.unit_id IS 'A unit (单位).';
COMMENT ON COLUMN accountability.unit_tree.ancestor_id IS 'The unit itself or one above it (本单位或上级单位).';
COMMENT ON COLUMN accountability.unit_tree.depth IS '0 for the unit itself, 1 for its parent, and so on (层级距离).';


/* The row views: label pairs, unit_id in tolerance_by_situation, no recursion per case. */
-- One row a case, for dashboards.  Label columns come in pairs: X_en (the
-- English code, never changing with the language: filter and group on it)
-- and X_zh (the Chinese label, for display); status and outcome themselves
-- follow accountability.language.
CREATE OR REPLACE VIEW accountability.case_overview WITH (security_invoker = true) AS
SELECT c.case_id, c.kind, c.status::text AS status, accountability.label(c.status, 'en') AS status_en,
       accountability.label(c.status, 'zh') AS status_zh,
       c.unit_id, u.name AS unit_name, u.level AS unit_level,
       p.path AS unit_path,
       c.event_on, c.opened_on, (CURRENT_DATE OPERATOR(pg_catalog.-) c.opened_on) AS age_days,
       coalesce(e.occurred_at::date, c.opened_on) AS status_since,
       coalesce(e.occurred_at::date, c.opened_on) OPERATOR(pg_catalog.+) s.value AS due_on,
       (c.status OPERATOR(accountability.<>) 'closed'::accountability.case_status
        AND coalesce(e.occurred_at::date, c.opened_on) OPERATOR(pg_catalog.+) s.value OPERATOR(pg_catalog.<) CURRENT_DATE) AS overdue,
       d.outcome::text AS outcome, accountability.label(d.outcome, 'en') AS outcome_en,
       accountability.label(d.outcome, 'zh') AS outcome_zh, d.decided_on,
       c.event_count,
       c.kind AS kind_en,
       CASE c.kind WHEN 'report' THEN '检举控告' WHEN 'accountability' THEN '问责事项'
            WHEN 'false_accusation' THEN '诬告陷害查处' END AS kind_zh,
       u.level AS unit_level_en,
       CASE u.level WHEN 'province' THEN '省' WHEN 'city' THEN '市' WHEN 'county' THEN '县（市、区）'
            WHEN 'township' THEN '乡镇（街道）' WHEN 'department' THEN '省直部门' END AS unit_level_zh
FROM accountability.cases c
JOIN accountability.units u ON u.unit_id OPERATOR(pg_catalog.=) c.unit_id
-- the units' paths, from the kept ancestors: one hash join, no recursion
-- or subquery per case (a filter on unit_id reaches it)
LEFT JOIN (SELECT t.unit_id, string_agg(a.name, ' / ' ORDER BY t.depth DESC) AS path
           FROM accountability.unit_ancestors t
           JOIN accountability.units a ON a.unit_id OPERATOR(pg_catalog.=) t.ancestor_id
           GROUP BY t.unit_id) p ON p.unit_id OPERATOR(pg_catalog.=) c.unit_id
-- the latest event is the one the case counts to (event_count)
LEFT JOIN accountability.case_events e
       ON e.case_id OPERATOR(pg_catalog.=) c.case_id AND e.event_no OPERATOR(pg_catalog.=) c.event_count
-- each case's latest determination: one pass over the determinations (a
-- filter on case_id reaches it), not a subquery per case
LEFT JOIN (SELECT DISTINCT ON (y.case_id) y.case_id, y.outcome, y.decided_on
           FROM accountability.determinations y
           ORDER BY y.case_id, y.determination_no DESC) d ON d.case_id OPERATOR(pg_catalog.=) c.case_id
LEFT JOIN accountability.settings s ON s.name OPERATOR(pg_catalog.=)
    CASE WHEN c.status OPERATOR(accountability.<=) 'investigating'::accountability.case_status THEN 'investigation'
         WHEN c.status OPERATOR(accountability.=) ANY (ARRAY['liable', 'tolerance_review']::accountability.case_status[]) THEN 'determination'
         WHEN c.status OPERATOR(accountability.=) 'determined'::accountability.case_status THEN 'notification'
         WHEN c.status OPERATOR(accountability.=) 'notified'::accountability.case_status THEN 'appeal'
         WHEN c.status OPERATOR(accountability.=) ANY (ARRAY['unfounded', 'filed', 'follow_up']::accountability.case_status[]) THEN 'first_follow_up'
    END;

COMMENT ON VIEW accountability.case_overview IS 'One row a case (案件总览) with its status in both languages, unit and unit path, age, the deadline of its current stage and whether it is overdue, and the latest outcome. No names of persons. Filter and group on the _en columns (codes), show status/outcome (following accountability.language) or the _zh columns. 案件总览：按 _en 列筛选分组，显示用 status/outcome（随语言设置）或 _zh 列；不含人员姓名。';
COMMENT ON COLUMN accountability.case_overview.case_id IS 'Case id (案件编号).';
COMMENT ON COLUMN accountability.case_overview.kind IS 'Kind code (案件类别代码): report 检举控告, accountability 问责事项, false_accusation 诬告陷害查处; the same as kind_en.';
COMMENT ON COLUMN accountability.case_overview.status IS 'Status as text (状态), following accountability.language: the English code, or the Chinese label under zh. For display; filter on status_en.';
COMMENT ON COLUMN accountability.case_overview.status_en IS 'Status, English code (状态英文代码): filter and group on this.';
COMMENT ON COLUMN accountability.case_overview.status_zh IS 'Status, Chinese label (状态中文).';
COMMENT ON COLUMN accountability.case_overview.unit_id IS 'Handling unit id (承办单位编号).';
COMMENT ON COLUMN accountability.case_overview.unit_name IS 'Handling unit name (承办单位).';
COMMENT ON COLUMN accountability.case_overview.unit_level IS 'Its level code (层级代码); the same as unit_level_en.';
COMMENT ON COLUMN accountability.case_overview.unit_path IS 'Province / city / county ... (单位路径).';
COMMENT ON COLUMN accountability.case_overview.event_on IS 'When the matter happened (事发日期).';
COMMENT ON COLUMN accountability.case_overview.opened_on IS 'When registered (受理日期).';
COMMENT ON COLUMN accountability.case_overview.age_days IS 'Days since registration (已历天数).';
COMMENT ON COLUMN accountability.case_overview.status_since IS 'Date the case entered its current status (进入当前状态日期).';
COMMENT ON COLUMN accountability.case_overview.due_on IS 'Deadline of the current stage (办理期限), from settings; null for closed cases.';
COMMENT ON COLUMN accountability.case_overview.overdue IS 'Past the deadline and not closed (是否逾期).';
COMMENT ON COLUMN accountability.case_overview.outcome IS 'Latest determination''s outcome as text (认定结果), following accountability.language. For display; filter on outcome_en.';
COMMENT ON COLUMN accountability.case_overview.outcome_en IS 'Outcome, English code (认定结果英文代码): filter and group on this.';
COMMENT ON COLUMN accountability.case_overview.outcome_zh IS 'Outcome, Chinese label (认定结果中文).';
COMMENT ON COLUMN accountability.case_overview.decided_on IS 'Date of the latest determination (最近认定日期).';
COMMENT ON COLUMN accountability.case_overview.event_count IS 'Number of transitions so far (流转次数).';
COMMENT ON COLUMN accountability.case_overview.kind_en IS 'Kind, English code (案件类别英文代码): report, accountability, false_accusation.';
COMMENT ON COLUMN accountability.case_overview.kind_zh IS 'Kind, Chinese label (案件类别中文): 检举控告, 问责事项, 诬告陷害查处.';
COMMENT ON COLUMN accountability.case_overview.unit_level_en IS 'Unit level, English code (层级英文代码): province, city, county, township, department.';
COMMENT ON COLUMN accountability.case_overview.unit_level_zh IS 'Unit level, Chinese label (层级中文): 省, 市, 县（市、区）, 乡镇（街道）, 省直部门.';

CREATE OR REPLACE VIEW accountability.overdue_cases WITH (security_invoker = true) AS
SELECT o.case_id, o.kind, o.status, o.status_zh, o.unit_id, o.unit_name, o.unit_path, o.status_since, o.due_on,
       (CURRENT_DATE OPERATOR(pg_catalog.-) o.due_on) AS days_overdue,
       o.status_en, o.kind_en, o.kind_zh
FROM accountability.case_overview o
WHERE o.overdue;

COMMENT ON VIEW accountability.overdue_cases IS 'Open cases past the deadline of their current stage (逾期案件), most overdue first when ordered by days_overdue. Filter on status_en and kind_en. 逾期案件。';
COMMENT ON COLUMN accountability.overdue_cases.case_id IS 'Case id (案件编号).';
COMMENT ON COLUMN accountability.overdue_cases.kind IS 'Kind code (案件类别代码); the same as kind_en.';
COMMENT ON COLUMN accountability.overdue_cases.status IS 'Status as text (状态), following accountability.language. For display; filter on status_en.';
COMMENT ON COLUMN accountability.overdue_cases.status_zh IS 'Status, Chinese label (状态中文).';
COMMENT ON COLUMN accountability.overdue_cases.unit_id IS 'Handling unit id (承办单位编号).';
COMMENT ON COLUMN accountability.overdue_cases.unit_name IS 'Handling unit name (承办单位).';
COMMENT ON COLUMN accountability.overdue_cases.unit_path IS 'Unit path (单位路径).';
COMMENT ON COLUMN accountability.overdue_cases.status_since IS 'Date the current stage began (当前环节开始日期).';
COMMENT ON COLUMN accountability.overdue_cases.due_on IS 'Its deadline (办理期限).';
COMMENT ON COLUMN accountability.overdue_cases.days_overdue IS 'Days past the deadline (逾期天数).';
COMMENT ON COLUMN accountability.overdue_cases.status_en IS 'Status, English code (状态英文代码): filter and group on this.';
COMMENT ON COLUMN accountability.overdue_cases.kind_en IS 'Kind, English code (案件类别英文代码).';
COMMENT ON COLUMN accountability.overdue_cases.kind_zh IS 'Kind, Chinese label (案件类别中文).';

CREATE OR REPLACE VIEW accountability.follow_up_due WITH (security_invoker = true) AS
SELECT c.case_id, c.kind, c.unit_id, u.name AS unit_name, v.visit_no AS last_visit_no, v.visited_on AS last_visited_on,
       coalesce(v.next_due_on,
                coalesce(e.occurred_at::date, c.opened_on) OPERATOR(pg_catalog.+)
                (SELECT s.value FROM accountability.settings s WHERE s.name OPERATOR(pg_catalog.=) 'first_follow_up')) AS next_due_on,
       (v.visit_no IS NULL) AS first_visit,
       c.kind AS kind_en,
       CASE c.kind WHEN 'report' THEN '检举控告' WHEN 'accountability' THEN '问责事项'
            WHEN 'false_accusation' THEN '诬告陷害查处' END AS kind_zh
FROM accountability.cases c
JOIN accountability.units u ON u.unit_id OPERATOR(pg_catalog.=) c.unit_id
LEFT JOIN LATERAL (SELECT x.visit_no, x.visited_on, x.next_due_on FROM accountability.follow_up_visits x
                   WHERE x.case_id OPERATOR(pg_catalog.=) c.case_id ORDER BY x.visit_no DESC LIMIT 1) v ON true
LEFT JOIN accountability.case_events e
       ON e.case_id OPERATOR(pg_catalog.=) c.case_id AND e.event_no OPERATOR(pg_catalog.=) c.event_count
WHERE c.status OPERATOR(accountability.=) 'follow_up'::accountability.case_status;

COMMENT ON VIEW accountability.follow_up_due IS 'Cases in follow-up (跟踪回访) and when the next visit is due: the date the last visit set, or the first-visit deadline after the case entered follow-up. 回访到期情况。';
COMMENT ON COLUMN accountability.follow_up_due.case_id IS 'Case id (案件编号).';
COMMENT ON COLUMN accountability.follow_up_due.kind IS 'Kind code (案件类别代码); the same as kind_en.';
COMMENT ON COLUMN accountability.follow_up_due.unit_id IS 'Handling unit id (承办单位编号).';
COMMENT ON COLUMN accountability.follow_up_due.unit_name IS 'Handling unit name (承办单位).';
COMMENT ON COLUMN accountability.follow_up_due.last_visit_no IS 'The latest visit''s number (最近回访序号); null before the first visit.';
COMMENT ON COLUMN accountability.follow_up_due.last_visited_on IS 'Date of the latest visit (上次回访).';
COMMENT ON COLUMN accountability.follow_up_due.next_due_on IS 'When the next visit is due (下次回访).';
COMMENT ON COLUMN accountability.follow_up_due.first_visit IS 'True when no visit has been made yet (尚未首次回访).';
COMMENT ON COLUMN accountability.follow_up_due.kind_en IS 'Kind, English code (案件类别英文代码).';
COMMENT ON COLUMN accountability.follow_up_due.kind_zh IS 'Kind, Chinese label (案件类别中文).';

CREATE OR REPLACE VIEW accountability.tolerance_by_situation WITH (security_invoker = true) AS
SELECT extract(year FROM d.decided_on)::integer AS year,
       coalesce(d.facts OPERATOR(pg_catalog.->>) 'situation', '(none)') AS situation,
       coalesce(r.text_zh, i.text_zh) AS situation_zh,
       coalesce(r.text_en, i.text_en) AS situation_en,
       (d.facts OPERATOR(pg_catalog.->>) 'situation_listed')::boolean AS listed,
       CASE WHEN current_setting('accountability.language', true) OPERATOR(pg_catalog.=) 'zh'
            THEN CASE d.mode WHEN 'ordinary' THEN '一般认定' WHEN 'application' THEN '依申请容错' WHEN 'ex_officio' THEN '主动容错' END
            ELSE d.mode END AS mode,
       d.outcome::text AS outcome, accountability.label(d.outcome, 'en') AS outcome_en,
       accountability.label(d.outcome, 'zh') AS outcome_zh,
       count(*) AS determinations,
       d.mode AS mode_en,
       CASE d.mode WHEN 'ordinary' THEN '一般认定' WHEN 'application' THEN '依申请容错' WHEN 'ex_officio' THEN '主动容错' END AS mode_zh,
       c.unit_id
FROM accountability.determinations d
JOIN accountability.cases c ON c.case_id OPERATOR(pg_catalog.=) d.case_id
LEFT JOIN accountability.tolerance_rules() r
       ON r.code OPERATOR(pg_catalog.=) ('SITUATION_' OPERATOR(pg_catalog.||) upper(d.facts OPERATOR(pg_catalog.->>) 'situation'))
LEFT JOIN LATERAL (SELECT x.text_zh, x.text_en FROM accountability.tolerance_list_items x
                   WHERE x.code OPERATOR(pg_catalog.=) (d.facts OPERATOR(pg_catalog.->>) 'situation')
                   ORDER BY x.valid_from DESC LIMIT 1) i ON true
WHERE c.kind OPERATOR(pg_catalog.<>) 'false_accusation'
GROUP BY extract(year FROM d.decided_on)::integer, d.facts OPERATOR(pg_catalog.->>) 'situation',
         r.text_zh, i.text_zh, r.text_en, i.text_en, (d.facts OPERATOR(pg_catalog.->>) 'situation_listed')::boolean,
         d.mode, d.outcome, c.unit_id;

COMMENT ON VIEW accountability.tolerance_by_situation IS 'Determinations by year, handling unit, tolerance situation (national code or list item), mode and outcome (容错情形统计). Sum over unit_id for a larger area; filter and group on year, unit_id, situation, mode_en, outcome_en. 容错情形统计：按单位汇总，按 _en 列筛选分组。';
COMMENT ON COLUMN accountability.tolerance_by_situation.year IS 'Year of the decision (认定年度).';
COMMENT ON COLUMN accountability.tolerance_by_situation.situation IS 'Situation code as recorded, or (none) (容错情形代码).';
COMMENT ON COLUMN accountability.tolerance_by_situation.situation_zh IS 'The situation in Chinese (容错情形中文): national situation or list item text.';
COMMENT ON COLUMN accountability.tolerance_by_situation.situation_en IS 'The situation in English (容错情形英文).';
COMMENT ON COLUMN accountability.tolerance_by_situation.listed IS 'Whether the situation was on a tolerance list in force (属于容错清单).';
COMMENT ON COLUMN accountability.tolerance_by_situation.mode IS 'Mode (认定方式), following accountability.language: ordinary 一般认定, application 依申请容错, ex_officio 主动容错. For display; filter on mode_en.';
COMMENT ON COLUMN accountability.tolerance_by_situation.outcome IS 'Outcome as text (认定结果), following accountability.language. For display; filter on outcome_en.';
COMMENT ON COLUMN accountability.tolerance_by_situation.outcome_en IS 'Outcome, English code (认定结果英文代码): filter and group on this.';
COMMENT ON COLUMN accountability.tolerance_by_situation.outcome_zh IS 'Outcome, Chinese label (认定结果中文).';
COMMENT ON COLUMN accountability.tolerance_by_situation.determinations IS 'Number of determinations (认定次数).';
COMMENT ON COLUMN accountability.tolerance_by_situation.mode_en IS 'Mode, English code (认定方式英文代码): ordinary, application, ex_officio.';
COMMENT ON COLUMN accountability.tolerance_by_situation.mode_zh IS 'Mode, Chinese label (认定方式中文): 一般认定, 依申请容错, 主动容错.';
COMMENT ON COLUMN accountability.tolerance_by_situation.unit_id IS 'Handling unit of the cases (承办单位编号); sum over it for a city or the province.';

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

CREATE TABLE accountability.report_figures (
    year                    integer NOT NULL,
    unit_id                 bigint NOT NULL,
    determined_cases        bigint NOT NULL DEFAULT 0,
    tolerance_cases         bigint NOT NULL DEFAULT 0,
    tolerance_applications  bigint NOT NULL DEFAULT 0,
    tolerance_grants        bigint NOT NULL DEFAULT 0,
    ex_officio_grants       bigint NOT NULL DEFAULT 0,
    clarifications          bigint NOT NULL DEFAULT 0,
    clarified_persons       bigint NOT NULL DEFAULT 0,
    clarified_organizations bigint NOT NULL DEFAULT 0,
    false_accusation_determinations bigint NOT NULL DEFAULT 0,
    false_accusation_cases  bigint NOT NULL DEFAULT 0,
    false_accusation_persons bigint NOT NULL DEFAULT 0,
    unfounded_reports       bigint NOT NULL DEFAULT 0,
    good_cadre_commendations bigint NOT NULL DEFAULT 0,
    excellent_assessments   bigint NOT NULL DEFAULT 0,
    training_participants   bigint NOT NULL DEFAULT 0,
    mentoring_pairs_ended   bigint NOT NULL DEFAULT 0,
    mentoring_pairs_opened  bigint NOT NULL DEFAULT 0,
    promotions_after_protection bigint NOT NULL DEFAULT 0,
    present                 boolean NOT NULL GENERATED ALWAYS AS (
        determined_cases OPERATOR(pg_catalog.>) 0 OR clarifications OPERATOR(pg_catalog.>) 0
        OR false_accusation_determinations OPERATOR(pg_catalog.>) 0 OR unfounded_reports OPERATOR(pg_catalog.>) 0
        OR good_cadre_commendations OPERATOR(pg_catalog.>) 0 OR excellent_assessments OPERATOR(pg_catalog.>) 0
        OR training_participants OPERATOR(pg_catalog.>) 0 OR mentoring_pairs_ended OPERATOR(pg_catalog.>) 0
        OR mentoring_pairs_opened OPERATOR(pg_catalog.>) 0 OR promotions_after_protection OPERATOR(pg_catalog.>) 0) STORED,
    PRIMARY KEY (year, unit_id)
);
CREATE INDEX report_figures_open_pairs_idx ON accountability.report_figures (unit_id, year)
    WHERE mentoring_pairs_opened OPERATOR(pg_catalog.>) 0;

COMMENT ON TABLE accountability.report_figures IS 'Report figures (统计数据) of each unit''s own records, by year: what annual_report sums up the unit tree. Kept exact by triggers (a statement''s figures are counted again under a row lock), checked by report_figures_check(); never written by hand. 各单位本级年度统计数，由触发器维护并可核对。';
COMMENT ON COLUMN accountability.report_figures.year IS 'Year (年度).';
COMMENT ON COLUMN accountability.report_figures.unit_id IS 'The unit whose own records are counted (本级单位).';
COMMENT ON COLUMN accountability.report_figures.present IS 'Whether the unit has any record counted in the year, so annual_report has a row for it (本年度有统计记录); generated from the counts.';
COMMENT ON COLUMN accountability.report_figures.determined_cases IS 'Cases with a determination in the year, counting the latest of the year (本年度作出认定的案件数).';
COMMENT ON COLUMN accountability.report_figures.tolerance_cases IS 'Tolerance cases (容错纠错案例数); see annual_report.';
COMMENT ON COLUMN accountability.report_figures.tolerance_applications IS 'Determinations on an application (依申请容错认定数); see annual_report.';
COMMENT ON COLUMN accountability.report_figures.tolerance_grants IS 'Applications granted (申请获准数); see annual_report.';
COMMENT ON COLUMN accountability.report_figures.ex_officio_grants IS 'Tolerance granted ex officio (主动容错数); see annual_report.';
COMMENT ON COLUMN accountability.report_figures.clarifications IS 'Clarifications done in the year (本年度完成的澄清次数).';
COMMENT ON COLUMN accountability.report_figures.clarified_persons IS 'Distinct persons clarified (澄清正名党员干部人数); see annual_report.';
COMMENT ON COLUMN accountability.report_figures.clarified_organizations IS 'Distinct party organizations clarified (澄清正名党组织数); see annual_report.';
COMMENT ON COLUMN accountability.report_figures.false_accusation_determinations IS 'Determinations of false-accusation cases in the year (诬告陷害案件认定次数).';
COMMENT ON COLUMN accountability.report_figures.false_accusation_cases IS 'Distinct reports found falsely made (查处诬告陷害案件数); see annual_report.';
COMMENT ON COLUMN accountability.report_figures.false_accusation_persons IS 'Distinct accusers (涉及人数); see annual_report.';
COMMENT ON COLUMN accountability.report_figures.unfounded_reports IS 'Reports registered in the year and found untrue (失实举报数).';
COMMENT ON COLUMN accountability.report_figures.good_cadre_commendations IS 'Good-cadre commendations awarded by the unit (担当作为好干部).';
COMMENT ON COLUMN accountability.report_figures.excellent_assessments IS 'Excellent assessments by the unit (年度考核优秀).';
COMMENT ON COLUMN accountability.report_figures.training_participants IS 'Distinct cadres of the unit trained in the year (参训干部数).';
COMMENT ON COLUMN accountability.report_figures.mentoring_pairs_ended IS 'Mentoring pairs of the unit that have ended and were active in the year (已结束、本年度在结对的导师帮带对数).';
COMMENT ON COLUMN accountability.report_figures.mentoring_pairs_opened IS 'Mentoring pairs of the unit started in the year and still running; annual_report counts them in every year up to the current one (本年度开始、仍在进行的结对数).';
COMMENT ON COLUMN accountability.report_figures.promotions_after_protection IS 'Promotions in the year after a tolerated or cleared case (容错澄清后提拔重用数).';

SELECT pg_catalog.pg_extension_config_dump('accountability.report_figures', '');

-- The indexes the counts use, one unit and one year at a time.
CREATE INDEX commendations_unit_year_idx ON accountability.commendations (awarding_unit_id, year);
CREATE INDEX assessments_unit_year_idx ON accountability.assessments (assessing_unit_id, year);
CREATE INDEX mentorships_unit_idx ON accountability.mentorships (unit_id);
CREATE INDEX promotions_unit_idx ON accountability.promotions (unit_id);

/*
 * The figures of the given (year, unit) pairs, counted from the tables with
 * the caller's rights: the triggers call it as the table owner.  The one
 * definition of every figure of annual_report.
 */
CREATE FUNCTION accountability.report_figures_recount(years integer[], units bigint[], groups text[] DEFAULT NULL)
RETURNS SETOF accountability.report_figures
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
-- one unit and year at a time, through the indexes, whatever the
-- statistics say (the triggers run it right after a bulk load, before any
-- ANALYZE): a hash join over a whole table per pair would cost seconds
-- (the years below are written "+ 0" so the year indexes are not used, and
-- a case's rows are read through OFFSET 0 subqueries, for each case of the
-- unit: a unit's own rows, found by the unit, are few; a year's are many)
SET enable_hashjoin = off
SET enable_mergejoin = off
SET enable_seqscan = off
-- and every join in the order written: from the unit's own rows outwards
SET join_collapse_limit = 1
SET from_collapse_limit = 1
SET jit = off
AS $$
    SELECT k.year, k.unit_id,
           CASE WHEN $3 IS NULL OR 'determinations' OPERATOR(pg_catalog.=) ANY ($3) THEN t.determined_cases END,
           CASE WHEN $3 IS NULL OR 'determinations' OPERATOR(pg_catalog.=) ANY ($3) THEN t.tolerance_cases END,
           CASE WHEN $3 IS NULL OR 'determinations' OPERATOR(pg_catalog.=) ANY ($3) THEN t.tolerance_applications END,
           CASE WHEN $3 IS NULL OR 'determinations' OPERATOR(pg_catalog.=) ANY ($3) THEN t.tolerance_grants END,
           CASE WHEN $3 IS NULL OR 'determinations' OPERATOR(pg_catalog.=) ANY ($3) THEN t.ex_officio_grants END,
           CASE WHEN $3 IS NULL OR 'clarifications' OPERATOR(pg_catalog.=) ANY ($3) THEN cl.clarifications END,
           CASE WHEN $3 IS NULL OR 'clarifications' OPERATOR(pg_catalog.=) ANY ($3) THEN cl.persons END,
           CASE WHEN $3 IS NULL OR 'clarifications' OPERATOR(pg_catalog.=) ANY ($3) THEN cl.organizations END,
           CASE WHEN $3 IS NULL OR 'determinations' OPERATOR(pg_catalog.=) ANY ($3) THEN fa.determinations END,
           CASE WHEN $3 IS NULL OR 'determinations' OPERATOR(pg_catalog.=) ANY ($3) THEN fa.reports END,
           CASE WHEN $3 IS NULL OR 'determinations' OPERATOR(pg_catalog.=) ANY ($3) THEN fa.accusers END,
           CASE WHEN $3 IS NULL OR 'unfounded' OPERATOR(pg_catalog.=) ANY ($3) THEN uf.n END,
           CASE WHEN $3 IS NULL OR 'commendations' OPERATOR(pg_catalog.=) ANY ($3) THEN gc.n END,
           CASE WHEN $3 IS NULL OR 'assessments' OPERATOR(pg_catalog.=) ANY ($3) THEN ex.n END,
           CASE WHEN $3 IS NULL OR 'trainings' OPERATOR(pg_catalog.=) ANY ($3) THEN tr.n END,
           CASE WHEN $3 IS NULL OR 'mentorships' OPERATOR(pg_catalog.=) ANY ($3) THEN me.ended END,
           CASE WHEN $3 IS NULL OR 'mentorships' OPERATOR(pg_catalog.=) ANY ($3) THEN me.opened END,
           CASE WHEN $3 IS NULL OR 'promotions' OPERATOR(pg_catalog.=) ANY ($3) THEN pr.n END,
           CASE WHEN $3 IS NULL THEN
               t.determined_cases OPERATOR(pg_catalog.>) 0 OR cl.clarifications OPERATOR(pg_catalog.>) 0
               OR fa.determinations OPERATOR(pg_catalog.>) 0 OR uf.n OPERATOR(pg_catalog.>) 0
               OR gc.n OPERATOR(pg_catalog.>) 0 OR ex.n OPERATOR(pg_catalog.>) 0 OR tr.n OPERATOR(pg_catalog.>) 0
               OR me.ended OPERATOR(pg_catalog.>) 0 OR me.opened OPERATOR(pg_catalog.>) 0
               OR pr.n OPERATOR(pg_catalog.>) 0 END
    FROM (SELECT DISTINCT x.year, x.unit_id FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2)) x (year, unit_id)
          WHERE x.year IS NOT NULL AND x.unit_id IS NOT NULL) k
    -- tolerance: each case's last determination of the year (a
    -- re-determination after an appeal replaces the first)
    CROSS JOIN LATERAL (
        SELECT count(*) AS determined_cases,
               count(*) FILTER (WHERE d.outcome OPERATOR(accountability.>) 'not_tolerable'::accountability.tolerance_outcome
                                  AND c.kind OPERATOR(pg_catalog.<>) 'false_accusation') AS tolerance_cases,
               count(*) FILTER (WHERE d.mode OPERATOR(pg_catalog.=) 'application') AS tolerance_applications,
               count(*) FILTER (WHERE d.mode OPERATOR(pg_catalog.=) 'application'
                                  AND d.outcome OPERATOR(accountability.>) 'not_tolerable'::accountability.tolerance_outcome) AS tolerance_grants,
               count(*) FILTER (WHERE d.mode OPERATOR(pg_catalog.=) 'ex_officio'
                                  AND d.outcome OPERATOR(accountability.>) 'not_tolerable'::accountability.tolerance_outcome) AS ex_officio_grants
        FROM accountability.cases c
        CROSS JOIN LATERAL (SELECT x.* FROM accountability.determinations x
                            WHERE x.case_id OPERATOR(pg_catalog.=) c.case_id OFFSET 0) d
        WHERE c.unit_id OPERATOR(pg_catalog.=) k.unit_id
          AND (extract(year FROM d.decided_on)::integer OPERATOR(pg_catalog.+) 0) OPERATOR(pg_catalog.=) k.year
          AND NOT EXISTS (SELECT 1 FROM accountability.determinations n
                          WHERE n.case_id OPERATOR(pg_catalog.=) d.case_id
                            AND n.determination_no OPERATOR(pg_catalog.>) d.determination_no
                            AND (extract(year FROM n.decided_on)::integer OPERATOR(pg_catalog.+) 0) OPERATOR(pg_catalog.=) k.year)
          AND ($3 IS NULL OR 'determinations' OPERATOR(pg_catalog.=) ANY ($3))) t
    -- clarified subjects: distinct persons and organizations cleared in the year
    CROSS JOIN LATERAL (
        SELECT count(*) AS clarifications,
               count(DISTINCT c.subject_id) FILTER (WHERE s.kind OPERATOR(pg_catalog.=) 'person') AS persons,
               count(DISTINCT c.subject_id) FILTER (WHERE s.kind OPERATOR(pg_catalog.=) 'party_org') AS organizations
        FROM accountability.cases c
        CROSS JOIN LATERAL (SELECT x.* FROM accountability.clarifications x
                            WHERE x.case_id OPERATOR(pg_catalog.=) c.case_id OFFSET 0) l
        JOIN accountability.subjects s ON s.subject_id OPERATOR(pg_catalog.=) c.subject_id
        WHERE c.unit_id OPERATOR(pg_catalog.=) k.unit_id AND l.done_on IS NOT NULL
          AND (extract(year FROM l.done_on)::integer OPERATOR(pg_catalog.+) 0) OPERATOR(pg_catalog.=) k.year
          AND ($3 IS NULL OR 'clarifications' OPERATOR(pg_catalog.=) ANY ($3))) cl
    -- false accusations: distinct reports with a finding in the year, distinct accusers
    CROSS JOIN LATERAL (
        SELECT count(*) AS determinations, count(DISTINCT c.related_case_id) AS reports,
               count(DISTINCT c.subject_id) AS accusers
        FROM accountability.cases c
        CROSS JOIN LATERAL (SELECT x.* FROM accountability.determinations x
                            WHERE x.case_id OPERATOR(pg_catalog.=) c.case_id OFFSET 0) d
        WHERE c.unit_id OPERATOR(pg_catalog.=) k.unit_id AND c.kind OPERATOR(pg_catalog.=) 'false_accusation'
          AND (extract(year FROM d.decided_on)::integer OPERATOR(pg_catalog.+) 0) OPERATOR(pg_catalog.=) k.year
          AND ($3 IS NULL OR 'determinations' OPERATOR(pg_catalog.=) ANY ($3))) fa
    -- reports found untrue, by the year they were registered
    CROSS JOIN LATERAL (
        SELECT count(*) AS n FROM accountability.cases c
        WHERE c.unit_id OPERATOR(pg_catalog.=) k.unit_id AND c.kind OPERATOR(pg_catalog.=) 'report'
          AND (extract(year FROM c.opened_on)::integer OPERATOR(pg_catalog.+) 0) OPERATOR(pg_catalog.=) k.year
          -- OFFSET 0: probe each report's history through the index, never
          -- a join over every unfounded event (after a bulk move the
          -- statistics say there are none, and that join ran once per pair)
          AND EXISTS (SELECT 1 FROM accountability.case_events e
                      WHERE e.case_id OPERATOR(pg_catalog.=) c.case_id
                        AND e.to_status OPERATOR(accountability.=) 'unfounded'::accountability.case_status
                      OFFSET 0)
          AND ($3 IS NULL OR 'unfounded' OPERATOR(pg_catalog.=) ANY ($3))) uf
    -- incentives: good-cadre commendations and excellent assessments, by the awarding unit
    CROSS JOIN LATERAL (
        SELECT count(*) AS n FROM accountability.commendations m
        WHERE m.awarding_unit_id OPERATOR(pg_catalog.=) k.unit_id AND (m.year OPERATOR(pg_catalog.+) 0) OPERATOR(pg_catalog.=) k.year
          AND m.kind OPERATOR(pg_catalog.=) 'good_cadre'
          AND ($3 IS NULL OR 'commendations' OPERATOR(pg_catalog.=) ANY ($3))) gc
    CROSS JOIN LATERAL (
        SELECT count(*) AS n FROM accountability.assessments a
        WHERE a.assessing_unit_id OPERATOR(pg_catalog.=) k.unit_id AND (a.year OPERATOR(pg_catalog.+) 0) OPERATOR(pg_catalog.=) k.year
          AND a.grade OPERATOR(pg_catalog.=) 'excellent'
          AND ($3 IS NULL OR 'assessments' OPERATOR(pg_catalog.=) ANY ($3))) ex
    -- training participation: distinct cadres of the unit trained
    CROSS JOIN LATERAL (
        SELECT count(*) AS n
        FROM accountability.subjects s
        WHERE s.unit_id OPERATOR(pg_catalog.=) k.unit_id
          -- OFFSET 0: probe each cadre's training through its index, never
          -- a join over the year's training (stale statistics after a load)
          AND EXISTS (SELECT 1 FROM accountability.trainings t
                      WHERE t.subject_id OPERATOR(pg_catalog.=) s.subject_id AND (t.year OPERATOR(pg_catalog.+) 0) OPERATOR(pg_catalog.=) k.year
                      OFFSET 0)
          AND ($3 IS NULL OR 'trainings' OPERATOR(pg_catalog.=) ANY ($3))) tr
    -- mentoring pairs: ended ones by the years they ran; running ones by
    -- the year they started (annual_report carries them to the current year)
    CROSS JOIN LATERAL (
        SELECT count(*) FILTER (WHERE m.ended_on IS NOT NULL
                                  AND extract(year FROM m.ended_on)::integer OPERATOR(pg_catalog.>=) k.year) AS ended,
               count(*) FILTER (WHERE m.ended_on IS NULL
                                  AND extract(year FROM m.started_on)::integer OPERATOR(pg_catalog.=) k.year) AS opened
        FROM accountability.mentorships m
        WHERE m.unit_id OPERATOR(pg_catalog.=) k.unit_id
          AND extract(year FROM m.started_on)::integer OPERATOR(pg_catalog.<=) k.year
          AND ($3 IS NULL OR 'mentorships' OPERATOR(pg_catalog.=) ANY ($3))) me
    -- used again (再使用): promotions of cadres with a tolerated or cleared case before them
    CROSS JOIN LATERAL (
        SELECT count(*) AS n FROM accountability.promotions p
        WHERE p.unit_id OPERATOR(pg_catalog.=) k.unit_id
          AND (extract(year FROM p.effective_on)::integer OPERATOR(pg_catalog.+) 0) OPERATOR(pg_catalog.=) k.year
          AND EXISTS (SELECT 1 FROM accountability.cases c
                      WHERE c.subject_id OPERATOR(pg_catalog.=) p.subject_id
                        AND c.opened_on OPERATOR(pg_catalog.<=) p.effective_on
                        AND accountability.case_is_protected(c.case_id))
          AND ($3 IS NULL OR 'promotions' OPERATOR(pg_catalog.=) ANY ($3))) pr
$$;

COMMENT ON FUNCTION accountability.report_figures_recount(integer[], bigint[], text[]) IS
'The report figures of the given (year, unit) pairs (years[i], units[i]), counted from the tables with the caller''s rights: the one definition of every figure of annual_report. groups limits the count to some sources (determinations, clarifications, unfounded, commendations, assessments, trainings, mentorships, promotions); the others are null, as is present. The triggers call it as the table owner. 按年度、单位重新计数统计数据。';

-- Every (year, unit) pair any record counts for.
CREATE FUNCTION accountability.report_figures_keys(OUT years integer[], OUT units bigint[])
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT array_agg(k.year), array_agg(k.unit_id) FROM (
        SELECT extract(year FROM d.decided_on)::integer, c.unit_id FROM accountability.determinations d
        JOIN accountability.cases c ON c.case_id OPERATOR(pg_catalog.=) d.case_id
        UNION SELECT extract(year FROM l.done_on)::integer, c.unit_id FROM accountability.clarifications l
        JOIN accountability.cases c ON c.case_id OPERATOR(pg_catalog.=) l.case_id WHERE l.done_on IS NOT NULL
        UNION SELECT extract(year FROM c.opened_on)::integer, c.unit_id FROM accountability.cases c
        WHERE c.kind OPERATOR(pg_catalog.=) 'report'
        UNION SELECT m.year, m.awarding_unit_id FROM accountability.commendations m
        UNION SELECT a.year, a.assessing_unit_id FROM accountability.assessments a
        UNION SELECT t.year, s.unit_id FROM accountability.trainings t
        JOIN accountability.subjects s ON s.subject_id OPERATOR(pg_catalog.=) t.subject_id
        UNION SELECT y.year, m.unit_id FROM accountability.mentorships m
        CROSS JOIN LATERAL generate_series(extract(year FROM m.started_on)::integer,
                                           extract(year FROM coalesce(m.ended_on, m.started_on))::integer) y (year)
        UNION SELECT extract(year FROM p.effective_on)::integer, p.unit_id FROM accountability.promotions p
        UNION SELECT f.year, f.unit_id FROM accountability.report_figures f
    ) k (year, unit_id)
$$;
COMMENT ON FUNCTION accountability.report_figures_keys() IS
'Every (year, unit) pair that a record counts for in the report figures, or that report_figures holds. 统计数据涉及的全部年度与单位。';

/*
 * Lock the figures of the given pairs, then count them again (reports.c):
 * transaction-scoped advisory locks in one order, then the count under the
 * latest snapshot, so it sees what the previous holder of a lock committed
 * and never a stale view, in READ COMMITTED, REPEATABLE READ and
 * SERIALIZABLE alike; two statements never deadlock over them.
 */
CREATE FUNCTION accountability.report_figures_refresh(years integer[], units bigint[], groups text[] DEFAULT NULL)
RETURNS void
AS 'MODULE_PATHNAME', 'report_figures_refresh'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION accountability.report_figures_refresh(integer[], bigint[], text[]) IS
'Locks the report figures of the given (year, unit) pairs and counts them again (report_figures_recount; groups as there), as the triggers do after every statement that can change them. Needs write access to report_figures: the triggers run it as the table owner. 锁定并重新计数指定年度、单位的统计数据。';

-- Every difference between the figures kept and a count from scratch.
CREATE FUNCTION accountability.report_figures_check()
RETURNS TABLE (year integer, unit_id bigint, kept jsonb, counted jsonb)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH k AS (SELECT * FROM accountability.report_figures_keys()),
    counted AS (SELECT r.* FROM k, accountability.report_figures_recount(k.years, k.units) r),
    kept AS (SELECT x.* FROM accountability.report_figures x WHERE x.present)
    SELECT coalesce(f.year, r.year), coalesce(f.unit_id, r.unit_id),
           to_jsonb(f) OPERATOR(pg_catalog.-) ARRAY['year', 'unit_id', 'present'],
           to_jsonb(r) OPERATOR(pg_catalog.-) ARRAY['year', 'unit_id', 'present']
    FROM kept f
    FULL JOIN (SELECT c.* FROM counted c WHERE c.present) r
           ON r.year OPERATOR(pg_catalog.=) f.year AND r.unit_id OPERATOR(pg_catalog.=) f.unit_id
    WHERE (to_jsonb(f) OPERATOR(pg_catalog.-) ARRAY['year', 'unit_id', 'present'])
          IS DISTINCT FROM (to_jsonb(r) OPERATOR(pg_catalog.-) ARRAY['year', 'unit_id', 'present'])
    ORDER BY 1, 2
$$;
COMMENT ON FUNCTION accountability.report_figures_check() IS
'Counts every report figure from scratch and returns each (year, unit) whose kept figures differ, with both; no rows means the figures annual_report reads are exact. Run it as a superuser (or the table owner): another role counts only the rows it may see. 核对统计数据：无返回行即准确。';

-- Count everything again (after a restore of an old dump, say).
CREATE FUNCTION accountability.report_figures_rebuild()
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    PERFORM accountability.unit_ancestors_rebuild();
    LOCK TABLE accountability.report_figures IN SHARE ROW EXCLUSIVE MODE;
    DELETE FROM accountability.report_figures;
    INSERT INTO accountability.report_figures (year, unit_id, determined_cases, tolerance_cases, tolerance_applications, tolerance_grants, ex_officio_grants, clarifications, clarified_persons, clarified_organizations, false_accusation_determinations, false_accusation_cases, false_accusation_persons, unfounded_reports, good_cadre_commendations, excellent_assessments, training_participants, mentoring_pairs_ended, mentoring_pairs_opened, promotions_after_protection)
    SELECT r.year, r.unit_id, r.determined_cases, r.tolerance_cases, r.tolerance_applications, r.tolerance_grants, r.ex_officio_grants, r.clarifications, r.clarified_persons, r.clarified_organizations, r.false_accusation_determinations, r.false_accusation_cases, r.false_accusation_persons, r.unfounded_reports, r.good_cadre_commendations, r.excellent_assessments, r.training_participants, r.mentoring_pairs_ended, r.mentoring_pairs_opened, r.promotions_after_protection
    FROM accountability.report_figures_keys() k,
         accountability.report_figures_recount(k.years, k.units) r;
    DELETE FROM accountability.report_figures f WHERE NOT f.present;
    SELECT count(*) INTO n FROM accountability.report_figures;
    RETURN n;
END
$$;
COMMENT ON FUNCTION accountability.report_figures_rebuild() IS
'Counts every report figure again from the tables and replaces report_figures (and unit_ancestors) with the result; returns the number of (year, unit) rows. As a superuser, e.g. after restoring a dump made without them. 重建统计数据。';

/* The triggers: every statement that can change a figure. */
CREATE TRIGGER case_events_90_figures AFTER INSERT ON accountability.case_events
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('case_events');
CREATE TRIGGER determinations_90_figures AFTER INSERT ON accountability.determinations
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('determinations');
CREATE TRIGGER determinations_91_figures_moved AFTER UPDATE OF case_id, decided_on, outcome, mode ON accountability.determinations
    FOR EACH ROW EXECUTE FUNCTION accountability.report_figures_trigger('determinations_moved');
CREATE TRIGGER clarifications_90_figures AFTER INSERT ON accountability.clarifications
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('clarifications');
CREATE TRIGGER clarifications_91_figures_moved AFTER UPDATE OF case_id, done_on ON accountability.clarifications
    FOR EACH ROW EXECUTE FUNCTION accountability.report_figures_trigger('clarifications_moved');
CREATE TRIGGER cases_90_figures_moved AFTER UPDATE OF unit_id, kind, subject_id, opened_on, related_case_id ON accountability.cases
    FOR EACH ROW EXECUTE FUNCTION accountability.report_figures_trigger('cases_moved');
CREATE TRIGGER subjects_90_figures_moved AFTER UPDATE OF unit_id, kind ON accountability.subjects
    FOR EACH ROW EXECUTE FUNCTION accountability.report_figures_trigger('subjects_moved');
CREATE TRIGGER commendations_90_figures_insert AFTER INSERT ON accountability.commendations
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('commendations');
CREATE TRIGGER commendations_90_figures_update AFTER UPDATE ON accountability.commendations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('commendations');
CREATE TRIGGER commendations_90_figures_delete AFTER DELETE ON accountability.commendations
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('commendations');
CREATE TRIGGER assessments_90_figures_insert AFTER INSERT ON accountability.assessments
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('assessments');
CREATE TRIGGER assessments_90_figures_update AFTER UPDATE ON accountability.assessments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('assessments');
CREATE TRIGGER assessments_90_figures_delete AFTER DELETE ON accountability.assessments
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('assessments');
CREATE TRIGGER trainings_90_figures_insert AFTER INSERT ON accountability.trainings
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('trainings');
CREATE TRIGGER trainings_90_figures_update AFTER UPDATE ON accountability.trainings
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('trainings');
CREATE TRIGGER trainings_90_figures_delete AFTER DELETE ON accountability.trainings
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('trainings');
CREATE TRIGGER mentorships_90_figures_insert AFTER INSERT ON accountability.mentorships
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('mentorships');
CREATE TRIGGER mentorships_90_figures_update AFTER UPDATE ON accountability.mentorships
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('mentorships');
CREATE TRIGGER mentorships_90_figures_delete AFTER DELETE ON accountability.mentorships
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('mentorships');
CREATE TRIGGER promotions_90_figures_insert AFTER INSERT ON accountability.promotions
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('promotions');
CREATE TRIGGER promotions_90_figures_update AFTER UPDATE ON accountability.promotions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('promotions');
CREATE TRIGGER promotions_90_figures_delete AFTER DELETE ON accountability.promotions
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('promotions');

-- TRUNCATE leaves no rows to look at: the figures are counted again.
CREATE TRIGGER cases_90_figures_truncate AFTER TRUNCATE ON accountability.cases
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('cases_moved');
CREATE TRIGGER case_events_90_figures_truncate AFTER TRUNCATE ON accountability.case_events
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('case_events');
CREATE TRIGGER determinations_90_figures_truncate AFTER TRUNCATE ON accountability.determinations
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('determinations');
CREATE TRIGGER clarifications_90_figures_truncate AFTER TRUNCATE ON accountability.clarifications
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('clarifications');
CREATE TRIGGER subjects_90_figures_truncate AFTER TRUNCATE ON accountability.subjects
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('subjects_moved');
CREATE TRIGGER commendations_90_figures_truncate AFTER TRUNCATE ON accountability.commendations
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('commendations');
CREATE TRIGGER assessments_90_figures_truncate AFTER TRUNCATE ON accountability.assessments
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('assessments');
CREATE TRIGGER trainings_90_figures_truncate AFTER TRUNCATE ON accountability.trainings
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('trainings');
CREATE TRIGGER mentorships_90_figures_truncate AFTER TRUNCATE ON accountability.mentorships
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('mentorships');
CREATE TRIGGER promotions_90_figures_truncate AFTER TRUNCATE ON accountability.promotions
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('promotions');

/*
 * The caller's scope for the reports: NULL when it covers every unit (a
 * superuser, the owner, a BYPASSRLS role, or a role mapped to every
 * top-level unit), else the units of visible_units().
 */
CREATE FUNCTION accountability.report_scope()
RETURNS bigint[]
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN NOT pg_catalog.row_security_active('accountability.report_figures'::pg_catalog.regclass)
                     OR accountability.sees_all_units() THEN NULL
                ELSE accountability.visible_units() END
$$;
COMMENT ON FUNCTION accountability.report_scope() IS
'The units the current role''s reports cover: null for every unit (a role row-level security does not restrict, or one mapped to every top-level unit), else visible_units(). 报表的数据权限范围（空值表示全部单位）。';

ALTER TABLE accountability.report_figures ENABLE ROW LEVEL SECURITY;
CREATE POLICY report_figures_in_scope ON accountability.report_figures FOR SELECT
    USING ((SELECT accountability.sees_all_units())
           OR unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[]));
COMMENT ON POLICY report_figures_in_scope ON accountability.report_figures IS 'The figures of the units in the role''s scope (visible_units()).';

-- The province's published yearly figures, per unit and rolled up.
CREATE VIEW accountability.annual_report WITH (security_invoker = true) AS
WITH own AS (
    SELECT f.year, f.unit_id, f.tolerance_cases, f.tolerance_applications, f.tolerance_grants, f.ex_officio_grants,
           f.clarified_persons, f.clarified_organizations, f.false_accusation_cases, f.false_accusation_persons,
           f.unfounded_reports, f.good_cadre_commendations, f.excellent_assessments, f.training_participants,
           f.mentoring_pairs_ended AS mentoring_pairs, f.promotions_after_protection
    FROM accountability.report_figures f
    WHERE f.present
    UNION ALL
    -- mentoring pairs still running count in every year up to the current one
    SELECT y.year, f.unit_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, f.mentoring_pairs_opened, 0
    FROM accountability.report_figures f
    CROSS JOIN LATERAL pg_catalog.generate_series(f.year, extract(year FROM CURRENT_DATE)::integer) y (year)
    WHERE f.mentoring_pairs_opened OPERATOR(pg_catalog.>) 0
)
SELECT o.year, a.ancestor_id AS unit_id, u.name AS unit_name, u.name_en AS unit_name_en, u.level AS unit_level,
       CASE u.level WHEN 'province' THEN 'province' WHEN 'city' THEN 'city' WHEN 'county' THEN 'county'
                    WHEN 'township' THEN 'township' WHEN 'department' THEN 'department' END AS unit_level_en,
       CASE u.level WHEN 'province' THEN '省' WHEN 'city' THEN '市' WHEN 'county' THEN '县（市、区）'
                    WHEN 'township' THEN '乡镇（街道）' WHEN 'department' THEN '省直部门' END AS unit_level_zh,
       a.top AS is_province_total,
       sum(o.tolerance_cases)::bigint AS tolerance_cases,
       sum(o.tolerance_applications)::bigint AS tolerance_applications,
       sum(o.tolerance_grants)::bigint AS tolerance_grants,
       sum(o.ex_officio_grants)::bigint AS ex_officio_grants,
       sum(o.clarified_persons)::bigint AS clarified_persons,
       sum(o.clarified_organizations)::bigint AS clarified_organizations,
       sum(o.false_accusation_cases)::bigint AS false_accusation_cases,
       sum(o.false_accusation_persons)::bigint AS false_accusation_persons,
       sum(o.unfounded_reports)::bigint AS unfounded_reports,
       round((sum(o.clarified_persons) OPERATOR(pg_catalog.+) sum(o.clarified_organizations))::numeric
             OPERATOR(pg_catalog./) nullif(sum(o.unfounded_reports), 0), 3) AS clarification_rate,
       sum(o.good_cadre_commendations)::bigint AS good_cadre_commendations,
       sum(o.excellent_assessments)::bigint AS excellent_assessments,
       sum(o.training_participants)::bigint AS training_participants,
       sum(o.mentoring_pairs)::bigint AS mentoring_pairs,
       sum(o.promotions_after_protection)::bigint AS promotions_after_protection
FROM own o
JOIN accountability.unit_ancestors a ON a.unit_id OPERATOR(pg_catalog.=) o.unit_id
JOIN accountability.units u ON u.unit_id OPERATOR(pg_catalog.=) a.ancestor_id
WHERE (SELECT accountability.report_scope()) IS NULL
   OR a.ancestor_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.report_scope())::bigint[])
GROUP BY o.year, a.ancestor_id, a.top, u.name, u.name_en, u.level;

COMMENT ON VIEW accountability.annual_report IS 'The yearly figures the province publishes (年度工作统计), per year and unit, each unit counting itself and every unit below it (the province row is the provincial total), for the units in the caller''s scope only: every row holds the figures of the whole unit, whoever reads it. Distinct counts are distinct within each unit''s own records, then summed up the tree. Filter and group on year, unit_id, unit_level_en; read from report_figures. 年度工作统计：每个单位含本级及下级，仅限本人数据权限范围内的单位，任何角色看到的同一单位数字相同。';
COMMENT ON COLUMN accountability.annual_report.year IS 'Year (年度), from the recorded dates: decided_on for determinations, done_on for clarifications, opened_on for reports, year for assessments, commendations and training, effective_on for promotions.';
COMMENT ON COLUMN accountability.annual_report.unit_id IS 'Unit (单位) whose subtree is counted.';
COMMENT ON COLUMN accountability.annual_report.unit_name IS 'Unit name (单位名称), the official (Chinese) name.';
COMMENT ON COLUMN accountability.annual_report.unit_name_en IS 'Unit name in English (单位英文名称), when recorded.';
COMMENT ON COLUMN accountability.annual_report.unit_level IS 'Level code (层级代码): province, city, county, township, department; the same as unit_level_en.';
COMMENT ON COLUMN accountability.annual_report.unit_level_en IS 'Level in English (层级，英文): province, city, county, township, department. Filter and group on this.';
COMMENT ON COLUMN accountability.annual_report.unit_level_zh IS 'Level in Chinese (层级，中文): 省, 市, 县（市、区）, 乡镇（街道）, 省直部门.';
COMMENT ON COLUMN accountability.annual_report.is_province_total IS 'True on the province''s row, the provincial total (全省合计); only a role whose scope covers the province has that row.';
COMMENT ON COLUMN accountability.annual_report.tolerance_cases IS 'Tolerance cases (容错纠错案例数): cases whose latest determination in the year was more lenient than not_tolerable.';
COMMENT ON COLUMN accountability.annual_report.tolerance_applications IS 'Determinations in the year on a tolerance application (依申请容错认定数).';
COMMENT ON COLUMN accountability.annual_report.tolerance_grants IS 'Of those applications, the ones granted some tolerance (申请获准数).';
COMMENT ON COLUMN accountability.annual_report.ex_officio_grants IS 'Tolerance granted ex officio (主动容错数).';
COMMENT ON COLUMN accountability.annual_report.clarified_persons IS 'Persons clarified (澄清正名党员干部人数): distinct persons with a clarification done in the year.';
COMMENT ON COLUMN accountability.annual_report.clarified_organizations IS 'Party organizations clarified (澄清正名党组织数).';
COMMENT ON COLUMN accountability.annual_report.false_accusation_cases IS 'False-accusation cases (查处诬告陷害案件数): distinct reports with a false-accusation determination in the year. Counted for every role, though only reviewers see the cases.';
COMMENT ON COLUMN accountability.annual_report.false_accusation_persons IS 'Persons found to have falsely accused (涉及人数): distinct accusers.';
COMMENT ON COLUMN accountability.annual_report.unfounded_reports IS 'Reports registered in the year and found untrue (失实举报数).';
COMMENT ON COLUMN accountability.annual_report.clarification_rate IS 'Clarified subjects ÷ untrue reports (澄清率); null without untrue reports.';
COMMENT ON COLUMN accountability.annual_report.good_cadre_commendations IS 'Good cadres who take responsibility commended (担当作为好干部), by the awarding unit.';
COMMENT ON COLUMN accountability.annual_report.excellent_assessments IS 'Annual assessments graded excellent (年度考核优秀), by the assessing unit.';
COMMENT ON COLUMN accountability.annual_report.training_participants IS 'Distinct cadres trained in the year (参训干部数), by their unit.';
COMMENT ON COLUMN accountability.annual_report.mentoring_pairs IS 'Mentoring pairs active in the year (导师传帮带结对数), by the pair''s unit; a pair still running counts up to the current year.';
COMMENT ON COLUMN accountability.annual_report.promotions_after_protection IS 'Promotions in the year of cadres who had a tolerated error or a cleared accusation before (容错澄清后提拔重用数, the "used again" measure).';

/* Privileges: readers read the figures of their units; the checks are for administrators. */
REVOKE ALL ON FUNCTION
    accountability.report_figures_recount(integer[], bigint[], text[]),
    accountability.report_figures_keys(),
    accountability.report_figures_refresh(integer[], bigint[], text[]),
    accountability.report_figures_check(),
    accountability.report_figures_rebuild(),
    accountability.report_scope()
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION accountability.report_scope() TO accountability_reader;
GRANT EXECUTE ON FUNCTION
    accountability.report_figures_recount(integer[], bigint[], text[]),
    accountability.report_figures_keys(),
    accountability.report_figures_refresh(integer[], bigint[], text[]),
    accountability.report_figures_check(),
    accountability.report_figures_rebuild()
TO accountability_admin;
GRANT SELECT ON accountability.report_figures, accountability.annual_report TO accountability_reader;

/*
 * Settings that PostgreSQL could not check (issue 16).  ALTER ROLE or ALTER
 * DATABASE ... SET accountability.language = 'chinese' is refused (22023)
 * in a session where pg_accountability is loaded; in one where it is not
 * (nothing has used the extension yet), PostgreSQL stores any value as a
 * placeholder, and a session that later loads the library reports a
 * WARNING and falls back to the default.  This lists every stored setting
 * of the extension's parameters that a session would refuse.
 */
CREATE FUNCTION accountability.setting_problems()
RETURNS TABLE (role_name name, database_name name, setting text, value text, problem text)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
    name text;
    val text;
BEGIN
    -- load the library, so the parameters are defined and checked
    PERFORM 'closed'::text::accountability.case_status;
    FOR r IN
        SELECT o.rolname, d.datname, x.s
        FROM pg_catalog.pg_db_role_setting t
        LEFT JOIN pg_catalog.pg_roles o ON o.oid OPERATOR(pg_catalog.=) t.setrole
        LEFT JOIN pg_catalog.pg_database d ON d.oid OPERATOR(pg_catalog.=) t.setdatabase
        CROSS JOIN LATERAL unnest(t.setconfig) x (s)
        WHERE x.s LIKE 'accountability.%'
        ORDER BY 1, 2, 3
    LOOP
        name := split_part(r.s, '=', 1);
        val := substr(r.s, length(name) OPERATOR(pg_catalog.+) 2);
        BEGIN
            IF name OPERATOR(pg_catalog.=) ANY (ARRAY['accountability.import', 'accountability.restore']) THEN
                -- superuser-only settings: check the value's form without setting it
                PERFORM val::boolean;
            ELSE
                PERFORM set_config(name, val, true);
            END IF;
        EXCEPTION WHEN OTHERS THEN
            role_name := r.rolname; database_name := r.datname; setting := name; value := val;
            problem := SQLERRM;
            RETURN NEXT;
        END;
    END LOOP;
END
$$;
COMMENT ON FUNCTION accountability.setting_problems() IS
'Every stored ALTER ROLE / ALTER DATABASE setting of an accountability.* parameter that a session would refuse (a value stored while pg_accountability was not loaded, which PostgreSQL could not check): role, database, setting, value, the error. No rows: all are valid. 检查已保存的 accountability.* 参数设置。';
REVOKE ALL ON FUNCTION accountability.setting_problems() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION accountability.setting_problems() TO accountability_admin;

/* case_facts and subject_standing(id) in PL/pgSQL: their plans are kept for the session, not made again on every call (so is case_dossier's, below). */
CREATE OR REPLACE FUNCTION accountability.case_facts(case_id bigint)
RETURNS jsonb
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    -- PL/pgSQL keeps this plan for the session; as a SQL function with a SET
    -- clause it was planned again on every call (about 1 ms, most of a
    -- determination's check).
    RETURN (
        WITH RECURSIVE c AS (
            SELECT k.case_id, k.subject_id, k.unit_id, k.facts,
                   coalesce(k.event_on, k.opened_on) AS on_date
            FROM accountability.cases k
            WHERE k.case_id OPERATOR(pg_catalog.=) $1
        ), chain (unit_id) AS (
            SELECT c.unit_id FROM c
            UNION
            SELECT u.parent_id FROM accountability.units u JOIN chain ON u.unit_id OPERATOR(pg_catalog.=) chain.unit_id
            WHERE u.parent_id IS NOT NULL
        ), hits AS (
            SELECT i.polarity FROM accountability.tolerance_list_items i, c
            WHERE i.unit_id IN (SELECT chain.unit_id FROM chain)
              AND i.code OPERATOR(pg_catalog.=) (c.facts OPERATOR(pg_catalog.->>) 'situation')
              AND c.on_date OPERATOR(pg_catalog.>=) i.valid_from
              AND (i.valid_to IS NULL OR c.on_date OPERATOR(pg_catalog.<=) i.valid_to)
        )
        SELECT (c.facts OPERATOR(pg_catalog.-) 'situation_listed'::text)
               OPERATOR(pg_catalog.||) jsonb_build_object(
            'situation_listed', EXISTS (SELECT 1 FROM hits WHERE polarity OPERATOR(pg_catalog.=) 'positive'),
            'excluded', coalesce((c.facts OPERATOR(pg_catalog.->>) 'excluded')::boolean, false)
                        OR EXISTS (SELECT 1 FROM hits WHERE polarity OPERATOR(pg_catalog.=) 'negative'),
            'repeated_error', coalesce((c.facts OPERATOR(pg_catalog.->>) 'repeated_error')::boolean, false)
                OR EXISTS (
                    SELECT 1
                    FROM accountability.cases p
                    JOIN accountability.determinations d ON d.case_id OPERATOR(pg_catalog.=) p.case_id
                    WHERE p.subject_id OPERATOR(pg_catalog.=) c.subject_id
                      AND p.case_id OPERATOR(pg_catalog.<>) c.case_id
                      AND (p.facts OPERATOR(pg_catalog.->>) 'situation') OPERATOR(pg_catalog.=) (c.facts OPERATOR(pg_catalog.->>) 'situation')
                      AND d.outcome OPERATOR(accountability.>) 'not_tolerable'::accountability.tolerance_outcome
                      AND d.decided_on OPERATOR(pg_catalog.<) c.on_date
                      AND d.decided_on OPERATOR(pg_catalog.>=) (c.on_date OPERATOR(pg_catalog.-)
                          (SELECT s.value FROM accountability.settings s WHERE s.name OPERATOR(pg_catalog.=) 'repeat_window'))))
        FROM c);
END
$$;

CREATE OR REPLACE FUNCTION accountability.subject_standing(subject_id bigint)
RETURNS SETOF accountability.subject_standing
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    -- PL/pgSQL keeps this plan for the session; as a SQL function with a SET
    -- clause it was planned again on every call.
    RETURN QUERY
        SELECT * FROM accountability.subject_standing v WHERE v.subject_id OPERATOR(pg_catalog.=) $1;
END
$$;

/* A cadre's assessments carry the grade in their key: subject_standing reads the latest grade and the excellent years from the index alone, so its cost does not grow with the years assessed. */
ALTER TABLE accountability.assessments
    DROP CONSTRAINT assessments_pkey,
    ADD CONSTRAINT assessments_pkey PRIMARY KEY (subject_id, year) INCLUDE (grade);

/* The dossier labels its assessment, and shows a report's clearance. */
CREATE OR REPLACE FUNCTION accountability.case_dossier(case_id bigint)
RETURNS jsonb
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    -- PL/pgSQL keeps this plan for the session; as a SQL function with a SET
    -- clause it was planned again on every call.
    RETURN (
        SELECT jsonb_build_object(
            'case', to_jsonb(c) OPERATOR(pg_catalog.-) 'last_event_hash'::text,
            'status_zh', accountability.label(c.status, 'zh'),
            'subject', (SELECT to_jsonb(s) FROM accountability.subjects s WHERE s.subject_id OPERATOR(pg_catalog.=) c.subject_id),
            'unit', (SELECT to_jsonb(u) FROM accountability.units u WHERE u.unit_id OPERATOR(pg_catalog.=) c.unit_id),
            'unit_path', (WITH RECURSIVE up AS (
                              SELECT u.unit_id, u.parent_id, u.name, 0 AS depth FROM accountability.units u
                              WHERE u.unit_id OPERATOR(pg_catalog.=) c.unit_id
                              UNION ALL
                              SELECT p.unit_id, p.parent_id, p.name, up.depth OPERATOR(pg_catalog.+) 1
                              FROM accountability.units p JOIN up ON p.unit_id OPERATOR(pg_catalog.=) up.parent_id)
                          SELECT jsonb_agg(up.name ORDER BY up.depth DESC) FROM up),
            'events', coalesce((SELECT jsonb_agg(to_jsonb(e) OPERATOR(pg_catalog.||) jsonb_build_object('hash', encode(e.hash, 'hex')) ORDER BY e.event_no)
                                FROM accountability.case_events e WHERE e.case_id OPERATOR(pg_catalog.=) c.case_id), '[]'),
            -- what the recorded facts would give, labelled as such: never a verdict
            'assessment', CASE WHEN c.kind OPERATOR(pg_catalog.=) 'report' THEN jsonb_build_object(
                              'applies', false,
                              'meaning', 'A report (检举控告) is verified, not assessed for tolerance: see clearance. 检举控告案件经核查认定，不作容错评估。')
                          ELSE (SELECT jsonb_build_object(
                              'applies', true,
                              'meaning', 'What the facts recorded on the case would give under the tolerance rules (rules version 1), as of now: not a determination; the determinations record what was decided. 按案件已记录事实的容错评估，不是认定结论。',
                              'outcome', a.outcome::text,
                              'outcome_zh', accountability.label(a.outcome, 'zh'),
                              'reasons', to_jsonb(a.reasons),
                              'facts_not_recorded', coalesce((SELECT jsonb_agg(lower(substr(x.r, 9)) ORDER BY x.r)
                                                              FROM unnest(a.reasons) x (r) WHERE x.r LIKE 'MISSING_%'), '[]'))
                                FROM accountability.assess_case(c.case_id) a) END,
            -- a report found untrue: whether and how the subject was cleared
            'clearance', CASE WHEN c.kind OPERATOR(pg_catalog.=) 'report' THEN jsonb_build_object(
                              'found_untrue', EXISTS (SELECT 1 FROM accountability.case_events e
                                                      WHERE e.case_id OPERATOR(pg_catalog.=) c.case_id
                                                        AND e.to_status OPERATOR(accountability.=) 'unfounded'::accountability.case_status),
                              'report_finding', c.report_finding,
                              'clarification_grounds', to_jsonb(c.clarification_grounds),
                              'clarified', EXISTS (SELECT 1 FROM accountability.clarifications k
                                                   WHERE k.case_id OPERATOR(pg_catalog.=) c.case_id AND k.done_on IS NOT NULL),
                              'clarified_on', (SELECT max(k.done_on) FROM accountability.clarifications k
                                               WHERE k.case_id OPERATOR(pg_catalog.=) c.case_id),
                              'not_held_against_subject', accountability.case_is_protected(c.case_id),
                              'meaning', 'A report found untrue (失实) never counts against the subject; clarified means publicly cleared (澄清正名).') END,
            'determinations', coalesce((SELECT jsonb_agg(to_jsonb(d) ORDER BY d.determination_no)
                                        FROM accountability.determinations d WHERE d.case_id OPERATOR(pg_catalog.=) c.case_id), '[]'),
            'correction_plans', coalesce((SELECT jsonb_agg(to_jsonb(p) ORDER BY p.plan_no)
                                          FROM accountability.correction_plans p WHERE p.case_id OPERATOR(pg_catalog.=) c.case_id), '[]'),
            'clarifications', coalesce((SELECT jsonb_agg(to_jsonb(k) ORDER BY k.clarification_no)
                                        FROM accountability.clarifications k WHERE k.case_id OPERATOR(pg_catalog.=) c.case_id), '[]'),
            'follow_up_visits', coalesce((SELECT jsonb_agg(to_jsonb(v) ORDER BY v.visit_no)
                                          FROM accountability.follow_up_visits v WHERE v.case_id OPERATOR(pg_catalog.=) c.case_id), '[]'),
            'related_cases', coalesce((SELECT jsonb_agg(jsonb_build_object('case_id', r.case_id, 'kind', r.kind, 'status', r.status::text,
                                                                           'subject_id', r.subject_id) ORDER BY r.case_id)
                                       FROM accountability.cases r
                                       WHERE r.case_id OPERATOR(pg_catalog.=) c.related_case_id
                                          OR r.related_case_id OPERATOR(pg_catalog.=) c.case_id), '[]'),
            'history_problems', coalesce((SELECT jsonb_agg(to_jsonb(h)) FROM accountability.verify_history(c.case_id) h), '[]'))
        FROM accountability.cases c
        WHERE c.case_id OPERATOR(pg_catalog.=) $1);
END
$$;

COMMENT ON FUNCTION accountability.case_dossier(bigint) IS 'The whole file of one case (一件一档) as JSON: the case, its subject, unit and unit path, every event, the assessment (what the recorded facts would give under the tolerance rules, labelled as such: not a verdict; none for a report), the clearance of a report (found untrue, clarified, when), determinations, correction plans, clarifications, follow-up visits, related cases, and any history problem. Null when the case does not exist.';


/* Every object of the extension commented in English and Chinese (issue 16). */
COMMENT ON FUNCTION accountability.case_status_in(cstring) IS
'Text input of case_status: the English code (any letter case, blanks ignored) or the Chinese label. 案件状态文本输入：英文代码（不区分大小写，忽略空白）或中文标签。';
COMMENT ON FUNCTION accountability.case_status_out(accountability.case_status) IS
'Text output of case_status: the English code, or the Chinese label when accountability.language = zh. 案件状态文本输出：英文代码，accountability.language = zh 时为中文标签。';
COMMENT ON FUNCTION accountability.case_status_recv(internal) IS
'Binary input of case_status, format 1 (format byte 1, then the code 1-12); validated like text input. 案件状态二进制输入（格式 1），校验同文本输入。';
COMMENT ON FUNCTION accountability.case_status_send(accountability.case_status) IS
'Binary output of case_status, format 1 (format byte 1, then the code 1-12). 案件状态二进制输出（格式 1）。';
COMMENT ON FUNCTION accountability.tolerance_outcome_in(cstring) IS
'Text input of tolerance_outcome: the English code (any letter case, blanks ignored) or the Chinese label. 容错认定结果文本输入：英文代码（不区分大小写，忽略空白）或中文标签。';
COMMENT ON FUNCTION accountability.tolerance_outcome_out(accountability.tolerance_outcome) IS
'Text output of tolerance_outcome: the English code, or the Chinese label when accountability.language = zh. 容错认定结果文本输出：英文代码，accountability.language = zh 时为中文标签。';
COMMENT ON FUNCTION accountability.tolerance_outcome_recv(internal) IS
'Binary input of tolerance_outcome, format 1 (format byte 1, then the code 1-5); validated like text input. 容错认定结果二进制输入（格式 1），校验同文本输入。';
COMMENT ON FUNCTION accountability.tolerance_outcome_send(accountability.tolerance_outcome) IS
'Binary output of tolerance_outcome, format 1 (format byte 1, then the code 1-5). 容错认定结果二进制输出（格式 1）。';
COMMENT ON FUNCTION accountability.case_status_eq(accountability.case_status, accountability.case_status) IS 'Implements = for case_status. 案件状态的等于运算。';
COMMENT ON FUNCTION accountability.case_status_ne(accountability.case_status, accountability.case_status) IS 'Implements <> for case_status. 案件状态的不等于运算。';
COMMENT ON FUNCTION accountability.case_status_lt(accountability.case_status, accountability.case_status) IS 'Implements < for case_status (earlier in the lifecycle). 案件状态的小于运算（流程靠前）。';
COMMENT ON FUNCTION accountability.case_status_le(accountability.case_status, accountability.case_status) IS 'Implements <= for case_status. 案件状态的小于等于运算。';
COMMENT ON FUNCTION accountability.case_status_gt(accountability.case_status, accountability.case_status) IS 'Implements > for case_status (later in the lifecycle). 案件状态的大于运算（流程靠后）。';
COMMENT ON FUNCTION accountability.case_status_ge(accountability.case_status, accountability.case_status) IS 'Implements >= for case_status. 案件状态的大于等于运算。';
COMMENT ON FUNCTION accountability.case_status_cmp(accountability.case_status, accountability.case_status) IS 'Three-way comparison of case_status (btree support 1). 案件状态三路比较（B 树支持函数 1）。';
COMMENT ON FUNCTION accountability.case_status_sortsupport(internal) IS 'Sort support for case_status (btree support 2). 案件状态排序支持（B 树支持函数 2）。';
COMMENT ON FUNCTION accountability.case_status_hash(accountability.case_status) IS 'Hash of case_status (hash support 1); stable across releases. 案件状态的哈希（哈希支持函数 1），各版本不变。';
COMMENT ON FUNCTION accountability.case_status_hash_extended(accountability.case_status, bigint) IS 'Seeded hash of case_status (hash support 2), used by hash partitioning; stable across releases. 案件状态的带种子哈希（哈希支持函数 2），用于哈希分区，各版本不变。';
COMMENT ON FUNCTION accountability.case_status_larger(accountability.case_status, accountability.case_status) IS 'The later of two statuses (transition function of max). 两个状态中靠后者（max 的转移函数）。';
COMMENT ON FUNCTION accountability.case_status_smaller(accountability.case_status, accountability.case_status) IS 'The earlier of two statuses (transition function of min). 两个状态中靠前者（min 的转移函数）。';
COMMENT ON FUNCTION accountability.tolerance_outcome_eq(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'Implements = for tolerance_outcome. 容错认定结果的等于运算。';
COMMENT ON FUNCTION accountability.tolerance_outcome_ne(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'Implements <> for tolerance_outcome. 容错认定结果的不等于运算。';
COMMENT ON FUNCTION accountability.tolerance_outcome_lt(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'Implements < for tolerance_outcome (less lenient). 容错认定结果的小于运算（更严）。';
COMMENT ON FUNCTION accountability.tolerance_outcome_le(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'Implements <= for tolerance_outcome. 容错认定结果的小于等于运算。';
COMMENT ON FUNCTION accountability.tolerance_outcome_gt(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'Implements > for tolerance_outcome (more lenient). 容错认定结果的大于运算（更宽）。';
COMMENT ON FUNCTION accountability.tolerance_outcome_ge(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'Implements >= for tolerance_outcome. 容错认定结果的大于等于运算。';
COMMENT ON FUNCTION accountability.tolerance_outcome_cmp(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'Three-way comparison of tolerance_outcome (btree support 1). 容错认定结果三路比较（B 树支持函数 1）。';
COMMENT ON FUNCTION accountability.tolerance_outcome_sortsupport(internal) IS 'Sort support for tolerance_outcome (btree support 2). 容错认定结果排序支持（B 树支持函数 2）。';
COMMENT ON FUNCTION accountability.tolerance_outcome_hash(accountability.tolerance_outcome) IS 'Hash of tolerance_outcome (hash support 1); stable across releases. 容错认定结果的哈希（哈希支持函数 1），各版本不变。';
COMMENT ON FUNCTION accountability.tolerance_outcome_hash_extended(accountability.tolerance_outcome, bigint) IS 'Seeded hash of tolerance_outcome (hash support 2), used by hash partitioning; stable across releases. 容错认定结果的带种子哈希（哈希支持函数 2），用于哈希分区，各版本不变。';
COMMENT ON FUNCTION accountability.tolerance_outcome_larger(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'The more lenient of two outcomes (transition function of max). 两个结果中较宽者（max 的转移函数）。';
COMMENT ON FUNCTION accountability.tolerance_outcome_smaller(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'The less lenient of two outcomes (transition function of min). 两个结果中较严者（min 的转移函数）。';
COMMENT ON OPERATOR accountability.= (accountability.case_status, accountability.case_status) IS 'equal 等于';
COMMENT ON OPERATOR accountability.<> (accountability.case_status, accountability.case_status) IS 'not equal 不等于';
COMMENT ON OPERATOR accountability.< (accountability.case_status, accountability.case_status) IS 'earlier in the lifecycle 流程靠前';
COMMENT ON OPERATOR accountability.<= (accountability.case_status, accountability.case_status) IS 'earlier in the lifecycle or equal 流程靠前或相同';
COMMENT ON OPERATOR accountability.> (accountability.case_status, accountability.case_status) IS 'later in the lifecycle 流程靠后';
COMMENT ON OPERATOR accountability.>= (accountability.case_status, accountability.case_status) IS 'later in the lifecycle or equal 流程靠后或相同';
COMMENT ON OPERATOR accountability.= (accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'equal 等于';
COMMENT ON OPERATOR accountability.<> (accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'not equal 不等于';
COMMENT ON OPERATOR accountability.< (accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'less lenient 更严';
COMMENT ON OPERATOR accountability.<= (accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'less lenient or equal 更严或相同';
COMMENT ON OPERATOR accountability.> (accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'more lenient 更宽';
COMMENT ON OPERATOR accountability.>= (accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'more lenient or equal 更宽或相同';
COMMENT ON OPERATOR CLASS accountability.case_status_ops USING btree IS 'Default btree operator class of case_status: lifecycle order. 案件状态的默认 B 树运算符类：按流程顺序。';
COMMENT ON OPERATOR CLASS accountability.case_status_hash_ops USING hash IS 'Default hash operator class of case_status (hash joins, hash aggregation, hash partitioning). 案件状态的默认哈希运算符类。';
COMMENT ON OPERATOR CLASS accountability.tolerance_outcome_ops USING btree IS 'Default btree operator class of tolerance_outcome: leniency order. 容错认定结果的默认 B 树运算符类：按宽严顺序。';
COMMENT ON OPERATOR CLASS accountability.tolerance_outcome_hash_ops USING hash IS 'Default hash operator class of tolerance_outcome (hash joins, hash aggregation, hash partitioning). 容错认定结果的默认哈希运算符类。';
COMMENT ON OPERATOR FAMILY accountability.case_status_ops USING btree IS 'Operator family of the case_status btree class. 案件状态 B 树运算符族。';
COMMENT ON OPERATOR FAMILY accountability.case_status_hash_ops USING hash IS 'Operator family of the case_status hash class. 案件状态哈希运算符族。';
COMMENT ON OPERATOR FAMILY accountability.tolerance_outcome_ops USING btree IS 'Operator family of the tolerance_outcome btree class. 容错认定结果 B 树运算符族。';
COMMENT ON OPERATOR FAMILY accountability.tolerance_outcome_hash_ops USING hash IS 'Operator family of the tolerance_outcome hash class. 容错认定结果哈希运算符族。';
COMMENT ON AGGREGATE accountability.min(accountability.case_status) IS 'Earliest status in the lifecycle. 流程中最靠前的状态。';
COMMENT ON AGGREGATE accountability.max(accountability.case_status) IS 'Furthest status in the lifecycle. 流程中最靠后的状态。';
COMMENT ON AGGREGATE accountability.min(accountability.tolerance_outcome) IS 'Least lenient outcome. 最严的认定结果。';
COMMENT ON AGGREGATE accountability.max(accountability.tolerance_outcome) IS 'Most lenient outcome. 最宽的认定结果。';
COMMENT ON FUNCTION accountability.case_status_from_text(text) IS 'Cast text to case_status: same rules as text input. 文本转案件状态，规则同文本输入。';
COMMENT ON FUNCTION accountability.case_status_to_text(accountability.case_status) IS 'Cast case_status to text: same as text output (follows accountability.language). 案件状态转文本，同文本输出（随语言设置）。';
COMMENT ON FUNCTION accountability.tolerance_outcome_from_text(text) IS 'Cast text to tolerance_outcome: same rules as text input. 文本转容错认定结果，规则同文本输入。';
COMMENT ON FUNCTION accountability.tolerance_outcome_to_text(accountability.tolerance_outcome) IS 'Cast tolerance_outcome to text: same as text output (follows accountability.language). 容错认定结果转文本，同文本输出（随语言设置）。';
COMMENT ON CAST (accountability.case_status AS text) IS 'case_status to text, as text output (assignment). 案件状态转文本（赋值转换），同文本输出。';
COMMENT ON CAST (accountability.tolerance_outcome AS text) IS 'tolerance_outcome to text, as text output (assignment). 容错认定结果转文本（赋值转换），同文本输出。';
COMMENT ON FUNCTION accountability.next_statuses(accountability.case_status) IS
'The legal next statuses of a case in the given status, in lifecycle order; empty for closed. 给定状态下可流转到的下一状态（按流程顺序），办结为空。';

-- What each legal move requires, by name, from the one transition table
-- (verify_ledger() re-checks each against the ledger).
CREATE FUNCTION accountability.transition_requirements(from_status accountability.case_status,
                                                       to_status accountability.case_status)
RETURNS text[]
AS 'MODULE_PATHNAME', 'case_status_transition_requirements'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION accountability.transition_requirements(accountability.case_status, accountability.case_status) IS
'What a legal move requires besides being in the transition table, by name (closing_reason, determination, notification_date, appeal_window, correction_plan, plans_completed, tolerance_kind, warranted_clarification, resolved_visit, visit_if_lenient); an empty array for none, NULL for an illegal move. The workflow trigger checks each when the case moves; verify_ledger() checks each again against the ledger. 流转条件：合法流转除流转表外还需满足的条件名称；非法流转返回空值。';
REVOKE ALL ON FUNCTION accountability.transition_requirements(accountability.case_status, accountability.case_status) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION accountability.transition_requirements(accountability.case_status, accountability.case_status) TO accountability_reader;
COMMENT ON FUNCTION accountability.case_transition_trigger() IS 'BEFORE UPDATE row trigger on cases: refuses illegal moves (55000), checks each move''s requirements, advances the history chain head. 案件行触发器：拒绝非法流转，检查流转条件，推进流转记录链头。';
COMMENT ON FUNCTION accountability.case_history_trigger() IS 'AFTER INSERT/UPDATE statement trigger on cases: checks new cases start in received (or import mode), appends case_events from the transition tables. 案件语句级触发器：检查新案件从受理开始，写入流转记录。';
COMMENT ON FUNCTION accountability.closed_case_guard() IS 'BEFORE UPDATE row trigger on cases (ENABLE ALWAYS): a closed case never changes (55000). 案件行触发器（始终启用）：办结的案件不再变更。';
COMMENT ON FUNCTION accountability.append_only_guard() IS 'Trigger (ENABLE ALWAYS) refusing UPDATE, DELETE and TRUNCATE of the permanent record (42501). 拒绝修改、删除、清空永久记录的触发器（始终启用）。';
COMMENT ON FUNCTION accountability.case_child_trigger() IS 'BEFORE INSERT row trigger on per-case tables: locks the case, checks its status allows the row, numbers it (case_id, n). Arguments: the number column, then the allowed statuses. 案件子表的行触发器：锁定案件、检查状态、按案件编号。';
COMMENT ON FUNCTION accountability.determination_trigger() IS 'BEFORE INSERT row trigger on determinations: stores the assessment and enforces the leniency rule. 认定的行触发器：保存容错评估结果并执行从宽幅度规则。';
COMMENT ON FUNCTION accountability.only_listed_columns_change() IS 'BEFORE UPDATE row trigger: only the columns named as arguments may change once a row is recorded (42501). 行触发器：记录后只允许修改参数所列的字段。';
COMMENT ON FUNCTION accountability.settings_upsert() IS 'BEFORE INSERT row trigger on settings (ENABLE ALWAYS): inserting an existing name replaces its value (so restoring a dump, or a logical replica''s copy, over the seeded defaults works). 设置表的行触发器（始终启用）：插入已有名称即替换其值。';
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
COMMENT ON FUNCTION accountability.assessment_trigger() IS 'BEFORE INSERT OR UPDATE row trigger on assessments: a grade below competent needs grounds, and a tolerated error or cleared accusation cannot be the only one (23514). 年度考核的行触发器：称职以下等次须有依据，且容错免责或已澄清的举报不能作为唯一依据。';
COMMENT ON FUNCTION accountability.promotion_trigger() IS 'BEFORE INSERT row trigger on promotions: refused while a sanction or a demotion is in effect on the effective date (23514); tolerated errors never block. 提拔任用的行触发器：问责影响期或调整期内不得提拔，容错免责不影响。';
COMMENT ON FUNCTION accountability.subject_standing(bigint) IS 'The standing of one subject (see the view subject_standing). 单个对象的综合情况（见视图 subject_standing）。';
-- Now in C (scope/scope.c), so that any plan reading the record under the
-- policies loads the library, and with it the guard against EXPLAIN
-- ANALYZE counting hidden rows (scope/explain_guard.c).
CREATE OR REPLACE FUNCTION accountability.sees_all_units()
RETURNS boolean
AS 'MODULE_PATHNAME', 'sees_all_units'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION accountability.sees_all_units() IS 'Whether the current role''s scope covers every unit (every top-level unit is mapped), so the policies need not look at unit ids. 当前角色的数据权限是否覆盖全部单位。';
COMMENT ON FUNCTION accountability.sees_accusers() IS 'Whether the current role may see false-accusation cases and the accuser''s identity: it has the privileges of accountability_reviewer (so also accountability_admin). 当前角色能否查看诬告陷害案件及举报人身份。';

/* Count what the 1.0 install holds. */
SELECT accountability.report_figures_rebuild();

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
RETURNS TABLE (table_name text, column_name text, column_class text, hangs_off text, why text,
               changes_while accountability.case_status[])
AS 'MODULE_PATHNAME', 'write_model_rows'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
ROWS 160;

COMMENT ON FUNCTION accountability.write_model() IS
'The write model (写入模型), one row per column of the permanent record: identity 标识 (never changes), state 状态 (only by a transition), maintained 系统维护 (written by the database), fill_once 一次填写 (NULL to a value once), free 自由 (while open, never with a transition), note 备注 (may go with a transition), move 调动 (only through move_subject); hangs_off says what freezes the row (a closed case) or scopes it (a subject); changes_while lists the statuses a case must be in for a free column to change (a case''s facts until it is determined), null for any open status.';

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
COMMENT ON COLUMN accountability.subject_moves.move_id IS 'Identity of the move (调动编号).';
COMMENT ON COLUMN accountability.subject_moves.subject_id IS 'The cadre or organization moved (对象).';
COMMENT ON COLUMN accountability.subject_moves.from_unit_id IS 'The unit left (原单位).';
COMMENT ON COLUMN accountability.subject_moves.to_unit_id IS 'The unit joined (新单位).';
COMMENT ON COLUMN accountability.subject_moves.reason IS 'Why (调动原因): a transfer order, a reorganisation.';
COMMENT ON COLUMN accountability.subject_moves.moved_at IS 'When the move was recorded (记录时间).';
COMMENT ON COLUMN accountability.subject_moves.moved_by IS 'The database role that moved the subject (操作人).';
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
CREATE FUNCTION accountability.is_written(value text)
RETURNS boolean AS 'MODULE_PATHNAME', 'is_written_text'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.check_list(value anyarray, column_name text)
RETURNS boolean AS 'MODULE_PATHNAME', 'check_simple_list'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.check_setting(value integer, unit text)
RETURNS boolean AS 'MODULE_PATHNAME', 'check_setting_value'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION accountability.check_date(date, text) IS 'CHECK of every date of the record (日期范围): finite, from 1900-01-01 to 2199-12-31; otherwise 22008 naming the column. NULL passes.';
COMMENT ON FUNCTION accountability.check_written(text, text) IS 'CHECK of texts that must say something (须填写): at least one character that is not Unicode white space (ideographic spaces U+3000 are white space); otherwise 23514. NULL passes.';
COMMENT ON FUNCTION accountability.is_written(text) IS 'Whether a text says something (是否已填写): check_written''s test as a boolean, for queries that judge recorded text. NULL for NULL.';
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
    accountability.is_written(text),
    accountability.check_list(anyarray, text),
    accountability.check_setting(integer, text),
    accountability.unit_tree_guard()
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    accountability.write_model(),
    accountability.check_date(date, text),
    accountability.check_written(text, text),
    accountability.is_written(text),
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

/* ------------------------------------------------------------------------
 * 9b. The subject figures (issues 16 and 17): subject_standing, exact and
 *     cheap for every role, read whole or by cadre.
 *
 * subject_standing used to count each cadre's records under the reader's
 * row-level security, in a dozen grouped passes over whole tables: read
 * whole, its cost grew with everything ever recorded (it crossed the JIT
 * threshold for a reader on the demo's province-year, and for every role
 * on a few years more), and read by cadre it read every year of the
 * cadre's record.
 *
 * Now each cadre's figures are counted once into subject_figures, one row
 * per cadre, kept exact by the same triggers as report_figures (reports.c):
 * whatever a statement touches, they lock the cadres it can change and
 * count those again from the tables, as the table owner, under the latest
 * snapshot (subject_figures_refresh).  Figures that depend on today (a
 * sanction's influence period, a demotion's adjustment period, a mentoring
 * pair still running) are kept as periods, and the view counts those that
 * hold today (periods_in_effect), so nothing goes stale overnight.
 * subject_figures_check() counts everything from scratch and lists any
 * difference; subject_figures_rebuild() starts over.
 *
 * The figures are counted as the table owner, so every role that sees a
 * cadre sees the same figures (issue 16): a sanction in effect holds a
 * promotion back whichever role reads the standing, though a reader does
 * not see the case behind it.  One exception, by design: the cases of a
 * false accusation (whose subject is the accuser) are never in the kept
 * figures, since a count a reader could not explain would tell it who
 * accused whom; the view counts them live, from the cases the reader sees
 * (a reviewer's), through an index that holds only them.
 * ------------------------------------------------------------------------
 */

CREATE TABLE accountability.subject_figures (
    subject_id            bigint PRIMARY KEY,
    tolerated_errors      bigint NOT NULL DEFAULT 0,
    unfounded_reports     bigint NOT NULL DEFAULT 0,
    clarified_reports     bigint NOT NULL DEFAULT 0,
    early_warnings        bigint NOT NULL DEFAULT 0,
    latest_grade          text,
    latest_grade_year     integer,
    excellent_assessments bigint NOT NULL DEFAULT 0,
    commendations         bigint NOT NULL DEFAULT 0,
    good_cadre_awards     bigint NOT NULL DEFAULT 0,
    promotions            bigint NOT NULL DEFAULT 0,
    last_promoted_on      date,
    demotions             bigint NOT NULL DEFAULT 0,
    sanction_periods      daterange[] NOT NULL DEFAULT '{}',
    demotion_periods      daterange[] NOT NULL DEFAULT '{}',
    mentor_periods        daterange[] NOT NULL DEFAULT '{}',
    mentee_periods        daterange[] NOT NULL DEFAULT '{}',
    present               boolean NOT NULL GENERATED ALWAYS AS (
        tolerated_errors OPERATOR(pg_catalog.>) 0 OR unfounded_reports OPERATOR(pg_catalog.>) 0
        OR clarified_reports OPERATOR(pg_catalog.>) 0 OR early_warnings OPERATOR(pg_catalog.>) 0
        OR latest_grade IS NOT NULL OR commendations OPERATOR(pg_catalog.>) 0
        OR promotions OPERATOR(pg_catalog.>) 0 OR demotions OPERATOR(pg_catalog.>) 0
        OR pg_catalog.cardinality(sanction_periods) OPERATOR(pg_catalog.>) 0
        OR pg_catalog.cardinality(mentor_periods) OPERATOR(pg_catalog.>) 0
        OR pg_catalog.cardinality(mentee_periods) OPERATOR(pg_catalog.>) 0) STORED
);

COMMENT ON TABLE accountability.subject_figures IS 'Each cadre''s figures (干部个人统计数据), counted from every record about the cadre: what subject_standing reads. Kept exact by triggers (a statement''s cadres are counted again under a lock), checked by subject_figures_check(); never written by hand. 由触发器维护并可核对的干部个人统计数。';
COMMENT ON COLUMN accountability.subject_figures.subject_id IS 'The cadre or party organization counted (对象编号).';
COMMENT ON COLUMN accountability.subject_figures.tolerated_errors IS 'Accountability cases whose latest determination tolerated the error (容错免责案件数); false-accusation cases are never counted here (subject_standing counts them live, for a role that sees them).';
COMMENT ON COLUMN accountability.subject_figures.unfounded_reports IS 'Reports about the cadre found untrue (失实举报数).';
COMMENT ON COLUMN accountability.subject_figures.clarified_reports IS 'Cases with a clarification done (已澄清正名的案件数), false-accusation cases left out.';
COMMENT ON COLUMN accountability.subject_figures.early_warnings IS 'Early warnings received (预警提醒次数).';
COMMENT ON COLUMN accountability.subject_figures.latest_grade IS 'Grade of the latest assessed year (最近年度考核等次).';
COMMENT ON COLUMN accountability.subject_figures.latest_grade_year IS 'The latest assessed year (最近考核年度).';
COMMENT ON COLUMN accountability.subject_figures.excellent_assessments IS 'Years assessed excellent (优秀次数).';
COMMENT ON COLUMN accountability.subject_figures.commendations IS 'Commendations received (评先评优次数).';
COMMENT ON COLUMN accountability.subject_figures.good_cadre_awards IS 'Good-cadre commendations received (担当作为好干部次数).';
COMMENT ON COLUMN accountability.subject_figures.promotions IS 'Promotions and appointments (提拔任用次数).';
COMMENT ON COLUMN accountability.subject_figures.last_promoted_on IS 'Date of the latest promotion (最近提拔任用日期).';
COMMENT ON COLUMN accountability.subject_figures.demotions IS 'Demotions ever (调整次数), in effect or not.';
COMMENT ON COLUMN accountability.subject_figures.sanction_periods IS 'The influence period of each sanction: each case''s latest determination below exempted, from decided_on to influence_until (or a year on), both days included (问责影响期); subject_standing counts those that hold today. False-accusation cases are never counted here.';
COMMENT ON COLUMN accountability.subject_figures.demotion_periods IS 'The adjustment period of each demotion, from effective_on to the day before reuse_eligible_on (调整期); subject_standing counts those that hold today.';
COMMENT ON COLUMN accountability.subject_figures.mentor_periods IS 'For each mentoring pair in which the cadre is mentored, the days up to its end, unbounded while it runs (受帮带期); subject_standing counts those that hold today as mentors_now.';
COMMENT ON COLUMN accountability.subject_figures.mentee_periods IS 'For each mentoring pair in which the cadre mentors, the days up to its end, unbounded while it runs (帮带期); subject_standing counts those that hold today as mentees_now.';
COMMENT ON COLUMN accountability.subject_figures.present IS 'Whether any record counts for the cadre (有统计记录); generated from the figures.';

SELECT pg_catalog.pg_extension_config_dump('accountability.subject_figures', '');

-- Issue 16 review: the sanction period written once (reports.c), asked by
-- measures_in_effect, the subject figures and subject_standing.
/*
 * The dates a determination counts against its cadre (影响期): a sanction
 * (an outcome below exempted) from the decision to influence_until, or for
 * a year.  The one statement of the rule (reports.c): measures_in_effect,
 * the subject figures and subject_standing ask it.
 */
CREATE FUNCTION accountability.sanction_period(outcome accountability.tolerance_outcome, decided_on date,
                                               influence_until date)
RETURNS daterange
AS 'MODULE_PATHNAME', 'sanction_period'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION accountability.sanction_period(accountability.tolerance_outcome, date, date) IS
'The dates a determination counts against its cadre (处分影响期): for a sanction (an outcome below exempted), from decided_on to influence_until, or to decided_on + 365 days without one, both days included; null for a tolerated or lenient outcome, or a period that ends before it starts. measures_in_effect, the subject figures and subject_standing all use it.';
REVOKE ALL ON FUNCTION accountability.sanction_period(accountability.tolerance_outcome, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION accountability.sanction_period(accountability.tolerance_outcome, date, date) TO accountability_reader;

CREATE OR REPLACE FUNCTION accountability.measures_in_effect(subject_id bigint, on_date date DEFAULT CURRENT_DATE)
RETURNS TABLE (measure text, reference bigint, until date)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT 'sanction', d.case_id, upper(p.period) OPERATOR(pg_catalog.-) 1
    FROM accountability.cases c
    JOIN accountability.determinations d ON d.case_id OPERATOR(pg_catalog.=) c.case_id
    CROSS JOIN LATERAL (SELECT accountability.sanction_period(d.outcome, d.decided_on, d.influence_until) AS period) p
    WHERE c.subject_id OPERATOR(pg_catalog.=) $1
      AND d.determination_no OPERATOR(pg_catalog.=) (SELECT max(x.determination_no) FROM accountability.determinations x
                                                      WHERE x.case_id OPERATOR(pg_catalog.=) d.case_id)
      AND p.period OPERATOR(pg_catalog.@>) $2
    UNION ALL
    SELECT 'demotion', m.demotion_id, m.reuse_eligible_on
    FROM accountability.demotions m
    WHERE m.subject_id OPERATOR(pg_catalog.=) $1
      AND m.effective_on OPERATOR(pg_catalog.<=) $2 AND m.reuse_eligible_on OPERATOR(pg_catalog.>) $2
$$;

/*
 * The figures of the given cadres, counted from the tables with the
 * caller's rights: the triggers call it as the table owner.  The one
 * definition of every figure of subject_standing that is not today's.
 */
CREATE FUNCTION accountability.subject_figures_recount(subjects bigint[])
RETURNS SETOF accountability.subject_figures
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
-- one cadre at a time, through the indexes on subject_id and case_id,
-- whatever the statistics say (the triggers run it right after a bulk load)
SET enable_hashjoin = off
SET enable_mergejoin = off
SET enable_seqscan = off
SET jit = off
AS $$
    SELECT k.subject_id, ca.tolerated, ca.unfounded, cl.n, ew.n, lg.grade, lg.year, asm.excellent,
           cm.n, cm.good_cadre, pr.n, pr.last_on, dm.n, sa.periods, dm.periods, mr.periods, me.periods,
           ca.tolerated OPERATOR(pg_catalog.>) 0 OR ca.unfounded OPERATOR(pg_catalog.>) 0
           OR cl.n OPERATOR(pg_catalog.>) 0 OR ew.n OPERATOR(pg_catalog.>) 0 OR lg.grade IS NOT NULL
           OR cm.n OPERATOR(pg_catalog.>) 0 OR pr.n OPERATOR(pg_catalog.>) 0 OR dm.n OPERATOR(pg_catalog.>) 0
           OR pg_catalog.cardinality(sa.periods) OPERATOR(pg_catalog.>) 0
           OR pg_catalog.cardinality(mr.periods) OPERATOR(pg_catalog.>) 0
           OR pg_catalog.cardinality(me.periods) OPERATOR(pg_catalog.>) 0
    FROM (SELECT DISTINCT x.subject_id FROM pg_catalog.unnest($1) x (subject_id)
          WHERE x.subject_id IS NOT NULL) k
    -- never held against the cadre: tolerated errors and untrue reports
    CROSS JOIN LATERAL (
        SELECT count(*) FILTER (WHERE c.kind OPERATOR(pg_catalog.<>) 'report'
                                  AND accountability.case_is_protected(c.case_id)) AS tolerated,
               count(*) FILTER (WHERE c.kind OPERATOR(pg_catalog.=) 'report'
                                  AND EXISTS (SELECT 1 FROM accountability.case_events e
                                              WHERE e.case_id OPERATOR(pg_catalog.=) c.case_id
                                                AND e.to_status OPERATOR(accountability.=) 'unfounded'::accountability.case_status)) AS unfounded
        FROM accountability.cases c
        WHERE c.subject_id OPERATOR(pg_catalog.=) k.subject_id
          AND c.kind OPERATOR(pg_catalog.<>) 'false_accusation') ca
    CROSS JOIN LATERAL (
        SELECT count(DISTINCT l.case_id) AS n
        FROM accountability.cases c
        JOIN accountability.clarifications l ON l.case_id OPERATOR(pg_catalog.=) c.case_id
        WHERE c.subject_id OPERATOR(pg_catalog.=) k.subject_id AND l.done_on IS NOT NULL
          AND c.kind OPERATOR(pg_catalog.<>) 'false_accusation') cl
    CROSS JOIN LATERAL (
        SELECT count(*) AS n FROM accountability.early_warnings w
        WHERE w.subject_id OPERATOR(pg_catalog.=) k.subject_id) ew
    -- what counts for the cadre
    LEFT JOIN LATERAL (
        SELECT a.grade, a.year FROM accountability.assessments a
        WHERE a.subject_id OPERATOR(pg_catalog.=) k.subject_id
        ORDER BY a.year DESC LIMIT 1) lg ON true
    CROSS JOIN LATERAL (
        SELECT count(*) FILTER (WHERE a.grade OPERATOR(pg_catalog.=) 'excellent') AS excellent
        FROM accountability.assessments a
        WHERE a.subject_id OPERATOR(pg_catalog.=) k.subject_id) asm
    CROSS JOIN LATERAL (
        SELECT count(*) AS n, count(*) FILTER (WHERE m.kind OPERATOR(pg_catalog.=) 'good_cadre') AS good_cadre
        FROM accountability.commendations m
        WHERE m.subject_id OPERATOR(pg_catalog.=) k.subject_id) cm
    CROSS JOIN LATERAL (
        SELECT count(*) AS n, max(p.effective_on) AS last_on FROM accountability.promotions p
        WHERE p.subject_id OPERATOR(pg_catalog.=) k.subject_id) pr
    -- what counts against the cadre while in effect: the periods (a period
    -- that ends before it starts never holds, and is left out)
    CROSS JOIN LATERAL (
        SELECT coalesce(pg_catalog.array_agg(p.period ORDER BY c.case_id), '{}') AS periods
        FROM accountability.cases c
        -- each case's latest determination (a re-determination replaces the first)
        CROSS JOIN LATERAL (SELECT x.outcome, x.decided_on, x.influence_until FROM accountability.determinations x
                            WHERE x.case_id OPERATOR(pg_catalog.=) c.case_id
                            ORDER BY x.determination_no DESC LIMIT 1) d
        CROSS JOIN LATERAL (SELECT accountability.sanction_period(d.outcome, d.decided_on, d.influence_until) AS period) p
        WHERE c.subject_id OPERATOR(pg_catalog.=) k.subject_id
          AND c.kind OPERATOR(pg_catalog.<>) 'false_accusation'
          AND p.period IS NOT NULL) sa
    CROSS JOIN LATERAL (
        SELECT count(*) AS n,
               coalesce(pg_catalog.array_agg(pg_catalog.daterange(m.effective_on, m.reuse_eligible_on, '[)') ORDER BY m.demotion_id)
                            FILTER (WHERE m.effective_on OPERATOR(pg_catalog.<) m.reuse_eligible_on), '{}') AS periods
        FROM accountability.demotions m
        WHERE m.subject_id OPERATOR(pg_catalog.=) k.subject_id) dm
    -- mentoring pairs: running while not ended, or ended today or later
    CROSS JOIN LATERAL (
        SELECT coalesce(pg_catalog.array_agg(pg_catalog.daterange(NULL, m.ended_on, '(]') ORDER BY m.mentorship_id), '{}') AS periods
        FROM accountability.mentorships m
        WHERE m.mentee_id OPERATOR(pg_catalog.=) k.subject_id) mr
    CROSS JOIN LATERAL (
        SELECT coalesce(pg_catalog.array_agg(pg_catalog.daterange(NULL, m.ended_on, '(]') ORDER BY m.mentorship_id), '{}') AS periods
        FROM accountability.mentorships m
        WHERE m.mentor_id OPERATOR(pg_catalog.=) k.subject_id) me
$$;
COMMENT ON FUNCTION accountability.subject_figures_recount(bigint[]) IS
'The figures of the given cadres, counted from the tables with the caller''s rights: the one definition of every figure of subject_standing (today''s are counted from the periods, by periods_in_effect). The triggers call it as the table owner. 重新计数指定干部的个人统计数据。';

-- How many of the periods hold on a date: a sanction, a demotion, a mentoring pair in effect.
CREATE FUNCTION accountability.periods_in_effect(periods daterange[], on_date date)
RETURNS bigint
AS 'MODULE_PATHNAME', 'periods_in_effect'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION accountability.periods_in_effect(daterange[], date) IS
'How many of the periods contain the date (在指定日期有效的期间数): subject_standing counts the sanctions, demotions and mentoring pairs in effect today with it.';

/*
 * Lock the figures of the given cadres, then count them again (reports.c),
 * as report_figures_refresh does for units and years.
 */
CREATE FUNCTION accountability.subject_figures_refresh(subjects bigint[])
RETURNS void
AS 'MODULE_PATHNAME', 'subject_figures_refresh'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION accountability.subject_figures_refresh(bigint[]) IS
'Locks the figures of the given cadres and counts them again (subject_figures_recount), as the triggers do after every statement that can change them. Needs write access to subject_figures: the triggers run it as the table owner. 锁定并重新计数指定干部的个人统计数据。';

-- Every difference between the figures kept and a count from scratch.
CREATE FUNCTION accountability.subject_figures_check()
RETURNS TABLE (subject_id bigint, kept jsonb, counted jsonb)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH counted AS (
        SELECT r.* FROM accountability.subject_figures_recount(ARRAY(
            SELECT s.subject_id FROM accountability.subjects s
            UNION SELECT f.subject_id FROM accountability.subject_figures f)) r
        WHERE r.present),
    kept AS (SELECT f.* FROM accountability.subject_figures f WHERE f.present)
    SELECT coalesce(f.subject_id, r.subject_id),
           to_jsonb(f) OPERATOR(pg_catalog.-) ARRAY['subject_id', 'present'],
           to_jsonb(r) OPERATOR(pg_catalog.-) ARRAY['subject_id', 'present']
    FROM kept f
    FULL JOIN counted r ON r.subject_id OPERATOR(pg_catalog.=) f.subject_id
    WHERE (to_jsonb(f) OPERATOR(pg_catalog.-) ARRAY['subject_id', 'present'])
          IS DISTINCT FROM (to_jsonb(r) OPERATOR(pg_catalog.-) ARRAY['subject_id', 'present'])
    ORDER BY 1
$$;
COMMENT ON FUNCTION accountability.subject_figures_check() IS
'Counts every cadre''s figures from scratch and returns each cadre whose kept figures differ, with both; no rows means the figures subject_standing reads are exact. Run it as a superuser (or the table owner): another role counts only the rows it may see. 核对干部个人统计数据：无返回行即准确。';

-- Count everything again (after a restore of an old dump, say).
CREATE FUNCTION accountability.subject_figures_rebuild()
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    LOCK TABLE accountability.subject_figures IN SHARE ROW EXCLUSIVE MODE;
    DELETE FROM accountability.subject_figures;
    INSERT INTO accountability.subject_figures (subject_id, tolerated_errors, unfounded_reports, clarified_reports, early_warnings, latest_grade, latest_grade_year, excellent_assessments, commendations, good_cadre_awards, promotions, last_promoted_on, demotions, sanction_periods, demotion_periods, mentor_periods, mentee_periods)
    SELECT r.subject_id, r.tolerated_errors, r.unfounded_reports, r.clarified_reports, r.early_warnings, r.latest_grade, r.latest_grade_year, r.excellent_assessments, r.commendations, r.good_cadre_awards, r.promotions, r.last_promoted_on, r.demotions, r.sanction_periods, r.demotion_periods, r.mentor_periods, r.mentee_periods
    FROM accountability.subject_figures_recount(ARRAY(SELECT s.subject_id FROM accountability.subjects s)) r
    WHERE r.present;
    SELECT count(*) INTO n FROM accountability.subject_figures;
    RETURN n;
END
$$;
COMMENT ON FUNCTION accountability.subject_figures_rebuild() IS
'Counts every cadre''s figures again from the tables and replaces subject_figures with the result; returns the number of cadres with any figure. As a superuser, e.g. after restoring a dump made without them. 重建干部个人统计数据。';

/* The triggers of the tables only the subject figures count (the others are in 9). */
CREATE TRIGGER early_warnings_90_figures_insert AFTER INSERT ON accountability.early_warnings
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('early_warnings');
CREATE TRIGGER early_warnings_90_figures_update AFTER UPDATE ON accountability.early_warnings
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('early_warnings');
CREATE TRIGGER early_warnings_90_figures_delete AFTER DELETE ON accountability.early_warnings
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('early_warnings');
CREATE TRIGGER early_warnings_90_figures_truncate AFTER TRUNCATE ON accountability.early_warnings
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('early_warnings');
CREATE TRIGGER demotions_90_figures_insert AFTER INSERT ON accountability.demotions
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('demotions');
CREATE TRIGGER demotions_90_figures_update AFTER UPDATE ON accountability.demotions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('demotions');
CREATE TRIGGER demotions_90_figures_delete AFTER DELETE ON accountability.demotions
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('demotions');
CREATE TRIGGER demotions_90_figures_truncate AFTER TRUNCATE ON accountability.demotions
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.report_figures_trigger('demotions');

ALTER TABLE accountability.subject_figures ENABLE ROW LEVEL SECURITY;
CREATE POLICY subject_figures_in_scope ON accountability.subject_figures FOR SELECT
    USING ((SELECT accountability.sees_all_units())
           OR subject_id IN (SELECT accountability.visible_subjects()));
COMMENT ON POLICY subject_figures_in_scope ON accountability.subject_figures IS 'The figures of the subjects the role sees.';

-- The false-accusation cases of a subject (the accuser), few: what the view
-- counts live for a role that sees them.
CREATE INDEX cases_false_accusation_idx ON accountability.cases (subject_id)
    WHERE kind OPERATOR(pg_catalog.=) 'false_accusation';

/* A cadre's standing: what an assessment or promotion review should see. */

CREATE OR REPLACE VIEW accountability.subject_standing WITH (security_invoker = true) AS
-- One row of kept figures per cadre (subject_figures), whoever reads it:
-- read whole, the view costs what reading the cadres costs; read by
-- subject, two index lookups and this year's training.  The two measures
-- in effect follow measures_in_effect() (the one definition of what holds
-- a promotion back) on today's date: tests/reports.sql compares them.
SELECT s.subject_id, s.kind, s.name, s.unit_id,
       -- what counts: measures still in effect
       coalesce(accountability.periods_in_effect(f.sanction_periods, CURRENT_DATE), 0)
           OPERATOR(pg_catalog.+) coalesce(fa.sanctions, 0) AS sanctions_in_effect,
       coalesce(accountability.periods_in_effect(f.demotion_periods, CURRENT_DATE), 0) AS demotions_in_effect,
       coalesce(accountability.periods_in_effect(f.sanction_periods, CURRENT_DATE) OPERATOR(pg_catalog.=) 0
                AND accountability.periods_in_effect(f.demotion_periods, CURRENT_DATE) OPERATOR(pg_catalog.=) 0, true)
           AND coalesce(fa.sanctions, 0) OPERATOR(pg_catalog.=) 0 AS may_be_promoted,
       -- what never counts against the cadre
       coalesce(f.tolerated_errors, 0) OPERATOR(pg_catalog.+) coalesce(fa.tolerated, 0) AS tolerated_errors,
       coalesce(f.unfounded_reports, 0) AS unfounded_reports,
       coalesce(f.clarified_reports, 0) OPERATOR(pg_catalog.+) coalesce(fa.clarified, 0) AS clarified_reports,
       coalesce(f.early_warnings, 0) AS early_warnings,
       -- what counts for the cadre
       f.latest_grade,
       f.latest_grade_year,
       coalesce(f.excellent_assessments, 0) AS excellent_assessments,
       coalesce(f.commendations, 0) AS commendations,
       coalesce(f.good_cadre_awards, 0) AS good_cadre_awards,
       coalesce(tr.hours, 0) AS training_hours_this_year,
       coalesce(accountability.periods_in_effect(f.mentor_periods, CURRENT_DATE), 0) AS mentors_now,
       coalesce(accountability.periods_in_effect(f.mentee_periods, CURRENT_DATE), 0) AS mentees_now,
       coalesce(f.promotions, 0) AS promotions,
       f.last_promoted_on,
       coalesce(f.demotions, 0) AS demotions
FROM accountability.subjects s
LEFT JOIN accountability.subject_figures f ON f.subject_id OPERATOR(pg_catalog.=) s.subject_id
-- false-accusation cases (the subject is the accuser), counted live from
-- the cases the caller sees: none for a reader, a reviewer's own
LEFT JOIN (SELECT c.subject_id,
                  count(*) FILTER (WHERE accountability.sanction_period(d.outcome, d.decided_on, d.influence_until)
                                         OPERATOR(pg_catalog.@>) CURRENT_DATE) AS sanctions,
                  count(*) FILTER (WHERE accountability.case_is_protected(c.case_id)) AS tolerated,
                  count(*) FILTER (WHERE EXISTS (SELECT 1 FROM accountability.clarifications l
                                                 WHERE l.case_id OPERATOR(pg_catalog.=) c.case_id AND l.done_on IS NOT NULL)) AS clarified
           FROM accountability.cases c
           LEFT JOIN LATERAL (SELECT x.outcome, x.decided_on, x.influence_until FROM accountability.determinations x
                              WHERE x.case_id OPERATOR(pg_catalog.=) c.case_id
                              ORDER BY x.determination_no DESC LIMIT 1) d ON true
           WHERE c.kind OPERATOR(pg_catalog.=) 'false_accusation'
           GROUP BY c.subject_id) fa ON fa.subject_id OPERATOR(pg_catalog.=) s.subject_id
-- this year's training: one year's rows, not the archive's
LEFT JOIN (SELECT t.subject_id, sum(t.hours) AS hours FROM accountability.trainings t
           WHERE t.year OPERATOR(pg_catalog.=) extract(year FROM CURRENT_DATE)::integer
           GROUP BY t.subject_id) tr ON tr.subject_id OPERATOR(pg_catalog.=) s.subject_id;

COMMENT ON VIEW accountability.subject_standing IS 'A cadre''s full profile as an assessment or promotion review should see it (干部考核、选拔任用参考): measures still in effect count; tolerated errors (容错免责) and unfounded or clarified reports are shown only as not held against the cadre (不作负面评价); assessments, commendations, training, mentoring and promotions count for them.';
COMMENT ON COLUMN accountability.subject_standing.subject_id IS 'Subject id (对象编号).';
COMMENT ON COLUMN accountability.subject_standing.kind IS 'person 个人 or party_org 党组织.';
COMMENT ON COLUMN accountability.subject_standing.name IS 'Name (姓名/名称).';
COMMENT ON COLUMN accountability.subject_standing.unit_id IS 'The subject''s unit (所在单位).';
COMMENT ON COLUMN accountability.subject_standing.sanctions_in_effect IS 'Sanctions (不予容错, 从轻, 减轻) in their influence period today (影响期内): these count.';
COMMENT ON COLUMN accountability.subject_standing.demotions_in_effect IS 'Demotions before their reuse date (调整期内): these count.';
COMMENT ON COLUMN accountability.subject_standing.may_be_promoted IS 'No sanction or demotion in effect today (可提拔使用).';
COMMENT ON COLUMN accountability.subject_standing.tolerated_errors IS 'Errors tolerated without sanction (免予问责, 不予问责): never held against the cadre.';
COMMENT ON COLUMN accountability.subject_standing.unfounded_reports IS 'Reports found untrue (失实): never held against the cadre.';
COMMENT ON COLUMN accountability.subject_standing.clarified_reports IS 'Reports the cadre was publicly cleared of (已澄清正名): never held against the cadre.';
COMMENT ON COLUMN accountability.subject_standing.early_warnings IS 'Early warnings received (预警提醒), for information.';
COMMENT ON COLUMN accountability.subject_standing.latest_grade IS 'Latest annual assessment grade (最近年度考核等次): excellent 优秀, competent 称职, basically_competent 基本称职, incompetent 不称职.';
COMMENT ON COLUMN accountability.subject_standing.latest_grade_year IS 'Year of the latest grade (最近考核年度).';
COMMENT ON COLUMN accountability.subject_standing.excellent_assessments IS 'Years assessed excellent (优秀次数).';
COMMENT ON COLUMN accountability.subject_standing.commendations IS 'Commendations received (评先评优).';
COMMENT ON COLUMN accountability.subject_standing.good_cadre_awards IS 'Good cadre who takes responsibility awards (担当作为好干部).';
COMMENT ON COLUMN accountability.subject_standing.training_hours_this_year IS 'Training hours this year (本年度培训学时).';
COMMENT ON COLUMN accountability.subject_standing.mentors_now IS 'Mentors guiding the cadre now (导师).';
COMMENT ON COLUMN accountability.subject_standing.mentees_now IS 'Young cadres the cadre mentors now (帮带对象).';
COMMENT ON COLUMN accountability.subject_standing.promotions IS 'Promotions and appointments (提拔任用).';
COMMENT ON COLUMN accountability.subject_standing.last_promoted_on IS 'Date of the latest promotion (最近提拔任用日期).';
COMMENT ON COLUMN accountability.subject_standing.demotions IS 'Demotions ever (调整), in effect or not.';


/* Privileges: readers read the standing of their cadres; the checks are for administrators. */
REVOKE ALL ON FUNCTION
    accountability.subject_standing(bigint),
    accountability.periods_in_effect(daterange[], date),
    accountability.subject_figures_recount(bigint[]),
    accountability.subject_figures_refresh(bigint[]),
    accountability.subject_figures_check(),
    accountability.subject_figures_rebuild()
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    accountability.subject_standing(bigint),
    accountability.periods_in_effect(daterange[], date)
TO accountability_reader;
GRANT EXECUTE ON FUNCTION
    accountability.subject_figures_recount(bigint[]),
    accountability.subject_figures_refresh(bigint[]),
    accountability.subject_figures_check(),
    accountability.subject_figures_rebuild()
TO accountability_admin;
GRANT SELECT ON accountability.subject_figures, accountability.subject_standing TO accountability_reader;

/* Count what the install holds. */
SELECT accountability.subject_figures_rebuild();

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
CREATE POLICY demotions_names_own ON accountability.demotions AS RESTRICTIVE FOR INSERT
    WITH CHECK ((SELECT accountability.sees_all_units())
                OR case_id IS NULL OR case_id IN (SELECT accountability.visible_cases()));
COMMENT ON POLICY assessments_names_own ON accountability.assessments IS 'A new assessment is made by one of the role''s own units (its figures count it). 新增年度考核须以本角色所辖单位名义作出。';
COMMENT ON POLICY commendations_names_own ON accountability.commendations IS 'A new commendation is awarded by one of the role''s own units (its figures count it). 新增表彰须由本角色所辖单位授予。';
COMMENT ON POLICY promotions_names_own ON accountability.promotions IS 'A new promotion is made in one of the role''s own units (its figures count it). 新增提拔任用须在本角色所辖单位。';
COMMENT ON POLICY mentorships_names_own ON accountability.mentorships IS 'A new mentoring pair has a mentor the role sees, in one of the role''s own units (the mentor''s standing and the unit''s figures count it). 新增导师结对的导师须在本角色可见范围内，结对单位须为本角色所辖单位。';
COMMENT ON POLICY demotions_names_own ON accountability.demotions IS 'A new demotion names no case, or one the role sees. 新增调整记录所涉案件须为本角色可见的案件。';

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

/*
 * Issue 15, a ledger that holds against the database administrator: the
 * objects of extension/schema/90_ledger.sql, as a fresh install creates
 * them, then the genesis: every row present at the upgrade becomes a
 * "genesis" entry, sealed at once into block 1, so the ledger covers the
 * record from the start (a fresh install starts with an empty ledger).
 */
-- No cache: with one, a session numbered its entries from its own block of
-- 32, so a row written by one session and then by another could get its
-- later entry a lower number, and verification, which orders each row's
-- entries by number, reported a row changed outside the ledger that was
-- not (two ordinary sessions of a connection pool were enough).  Writes of
-- one row are serialized by its row lock, so uncached numbers follow them.
CREATE SEQUENCE accountability.ledger_entry_no AS bigint;

CREATE TABLE accountability.ledger_entries (
    entry_no   bigint PRIMARY KEY,
    xid        xid8 NOT NULL,
    table_name text NOT NULL,
    operation  text NOT NULL CHECK (operation IN ('insert', 'fill', 'move', 'update', 'delete', 'genesis')),
    row_key    text NOT NULL,
    row_image  jsonb NOT NULL,
    entry_hash bytea NOT NULL
);

COMMENT ON SEQUENCE accountability.ledger_entry_no IS 'Numbers of ledger entries (账本条目编号), uncached: the entries of one row are numbered in the order the row was written; across rows, numbers need not follow commit order and may have gaps (a transaction still running or rolled back).';
COMMENT ON TABLE accountability.ledger_entries IS 'Ledger entries (账本条目): one per row written to the permanent record, with its canonical image and hash (format 1). Append-only for every role; sealed into ledger_blocks by ledger_digest().';
COMMENT ON COLUMN accountability.ledger_entries.entry_no IS 'Entry number, from the sequence ledger_entry_no. (条目编号)';
COMMENT ON COLUMN accountability.ledger_entries.xid IS 'The transaction that wrote the row (bookkeeping for sealing; not hashed, so a restored ledger keeps its hashes). (事务号)';
COMMENT ON COLUMN accountability.ledger_entries.table_name IS 'The table of the permanent record, unqualified (cases, case_events, determinations, ...). (表名)';
COMMENT ON COLUMN accountability.ledger_entries.operation IS 'insert 新增; fill 补录 (a fill-once column completed); move 流转 (an UPDATE of a case); update 修改 (a catalogue row changed); delete 删除; genesis 创世 (a row present when the ledger was installed by ALTER EXTENSION UPDATE).';
COMMENT ON COLUMN accountability.ledger_entries.row_key IS 'The row''s primary key as a JSON array in canonical jsonb text, e.g. [12, 3]. (行主键)';
COMMENT ON COLUMN accountability.ledger_entries.row_image IS 'The whole row as to_jsonb() renders it under fixed settings (TimeZone UTC, English codes, hex bytea): the row as written. (行内容)';
COMMENT ON COLUMN accountability.ledger_entries.entry_hash IS 'SHA-256 of the entry, format 1 (README "The ledger format, byte by byte"). (条目哈希)';

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
COMMENT ON COLUMN accountability.ledger_blocks.block_no IS 'Block number: 1, 2, ... without gaps. (区块编号)';
COMMENT ON COLUMN accountability.ledger_blocks.entries IS 'The entry numbers the block seals (a transaction still running when the block was sealed leaves a gap, sealed by a later block). (区块所含条目)';
COMMENT ON COLUMN accountability.ledger_blocks.entry_count IS 'How many entries the block seals. (条目数)';
COMMENT ON COLUMN accountability.ledger_blocks.first_entry_no IS 'The lowest entry number sealed. (首条目编号)';
COMMENT ON COLUMN accountability.ledger_blocks.last_entry_no IS 'The highest entry number sealed. (末条目编号)';
COMMENT ON COLUMN accountability.ledger_blocks.merkle_root IS 'Merkle root (默克尔根) of the entries'' hashes in entry order (format 1).';
COMMENT ON COLUMN accountability.ledger_blocks.prev_hash IS 'The previous block''s hash; null for block 1. (前一区块哈希)';
COMMENT ON COLUMN accountability.ledger_blocks.block_hash IS 'SHA-256 of the block, format 1: what a digest (摘要) records.';
COMMENT ON COLUMN accountability.ledger_blocks.sealed_at IS 'When the block was sealed (not hashed). (封存时间)';

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
LANGUAGE C PARALLEL UNSAFE;
CREATE FUNCTION accountability.ledger_replica_guard()
RETURNS trigger AS 'MODULE_PATHNAME', 'ledger_replica_guard'
LANGUAGE C PARALLEL UNSAFE;

COMMENT ON FUNCTION accountability.ledger_trigger() IS
'AFTER INSERT/UPDATE/DELETE statement trigger on the permanent record (账本记账): one ledger entry per row of the transition table, written directly (heap and primary key, no planned statement), its image rendered under the settings ledger_rows() pins (set only when the session differs). Arguments: the operation, then the key columns. Writes nothing in restore mode, where the ledger is restored with the rows.';
COMMENT ON FUNCTION accountability.ledger_replica_guard() IS
'BEFORE INSERT statement trigger (ENABLE ALWAYS) on the permanent record: refuses rows inserted in replica mode (42501) unless a logical-replication worker applies them or accountability.restore is on (复制模式写入守卫).';

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
        ('role_units', 'update', 'role_id, unit_id'),
        ('subject_moves', 'update', 'move_id')) AS v (name, update_op, keys)
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
    UNION ALL SELECT 'subject_moves', jsonb_build_array(r.move_id)::text, to_jsonb(r) FROM accountability.subject_moves r
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

-- jit off: the planner prices each open range at a default share of the
-- whole ledger, so at two million entries the estimate passed JIT's
-- threshold and every digest spent 8 ms compiling a query that reads a few
-- index pages.
CREATE FUNCTION accountability.ledger_seal()
RETURNS bigint
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
SET jit = off
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
    -- and sealed by no block yet: it goes into the next block.  Such an
    -- entry lies above the last sealed number or in a gap below it (left by
    -- a transaction still open at an earlier seal), so each open range is
    -- read by index (OFFSET 0 keeps the range scan inside the loop over the
    -- ranges): a digest costs what is new, not the whole ledger.
    WITH sealed AS (
        SELECT coalesce(range_agg(r), '{}') AS m FROM accountability.ledger_blocks b, unnest(b.entries) r
    ), open AS (
        SELECT coalesce(lower(g), -9223372036854775808) AS lo,
               coalesce(upper(g) OPERATOR(pg_catalog.-) 1, 9223372036854775807) AS hi
        FROM sealed s, unnest('{(,)}'::int8multirange OPERATOR(pg_catalog.-) s.m) g
    ), e AS (
        SELECT e.* FROM open o CROSS JOIN LATERAL (
            SELECT e.* FROM accountability.ledger_entries e
            WHERE e.entry_no OPERATOR(pg_catalog.>=) o.lo AND e.entry_no OPERATOR(pg_catalog.<=) o.hi
            OFFSET 0) e
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

/*
 * What is wrong with a recorded determination, by the rule the trigger
 * refuses by (determination.c): verify_ledger() checks every one with it.
 */
CREATE FUNCTION accountability.determination_problem(facts jsonb, assessed_outcome accountability.tolerance_outcome,
                                                     assessed_reasons text[], outcome accountability.tolerance_outcome,
                                                     basis text)
RETURNS text
AS 'MODULE_PATHNAME', 'determination_problem'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION accountability.determination_problem(jsonb, accountability.tolerance_outcome, text[], accountability.tolerance_outcome, text) IS
'What is wrong with a recorded determination, or null (认定记录核验): its assessment must be what the decision procedure gives for its facts, and its outcome may be more lenient by one grade at most, only with a written basis, never after a failed gate (the rule the determination trigger refuses by). verify_ledger() checks every determination with it.';

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
    -- An empty list is a mistake (a file of digests read empty), not a
    -- ledger that extends every digest given.
    IF digests OPERATOR(pg_catalog.=) '[]'::jsonb THEN
        RAISE EXCEPTION 'verify_ledger() was given an empty list of digests'
            USING ERRCODE = '22023',
                  DETAIL = 'An empty array checks the ledger against no digest, which proves nothing about what was recorded before one.',
                  HINT = 'Pass the digests kept outside the database, or NULL to check the ledger without them.';
    END IF;
    -- 1. Each digest: its block is still in the ledger, with the same hash.
    RETURN QUERY
    WITH d AS (
        SELECT x.value AS d, x.ordinality AS n
        FROM jsonb_array_elements(CASE WHEN digests IS NULL THEN '[]'::jsonb
                                       WHEN jsonb_typeof(digests) OPERATOR(pg_catalog.=) 'array' THEN digests
                                       ELSE jsonb_build_array(digests) END) WITH ORDINALITY x
    ), p AS (
        SELECT d.n, (d.d OPERATOR(pg_catalog.->>) 'block_no') AS no_text, b.block_no AS found, b.block_hash,
               CASE WHEN jsonb_typeof(d.d) OPERATOR(pg_catalog.<>) 'object'
                      THEN format('digest %s: a %s, not a digest (a JSON object)', d.n, jsonb_typeof(d.d))
                    WHEN (d.d OPERATOR(pg_catalog.->>) 'format') IS DISTINCT FROM '1'
                      THEN format('digest %s: format %s is not known', d.n, coalesce(d.d OPERATOR(pg_catalog.->>) 'format', 'null'))
                    WHEN coalesce(d.d OPERATOR(pg_catalog.->>) 'block_no', '') !~ '^[0-9]+$'
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
          -- (a CASE, so the cast never sees what is not a number: the
          -- conditions of an AND may run in any order)
          ON b.block_no OPERATOR(pg_catalog.=) CASE WHEN (d.d OPERATOR(pg_catalog.->>) 'block_no') ~ '^[0-9]{1,18}$'
                                                    THEN (d.d OPERATOR(pg_catalog.->>) 'block_no')::bigint END
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
    --    none records what the write model never allows.  Only the keys
    --    are sorted (each entry's predecessor for the same row, by number),
    --    and only a fill's predecessor is read back, by its number: sorting
    --    the images took temporary files larger than the ledger (16 GB at
    --    17 million entries).
    RETURN QUERY
    WITH sealed AS (
        SELECT r, b.block_no FROM accountability.ledger_blocks b, unnest(b.entries) r
    ), runs AS (
        SELECT w.entry_no, w.operation,
               lag(w.entry_no) OVER (PARTITION BY w.table_name, w.row_key ORDER BY w.entry_no) AS before_no
        FROM accountability.ledger_entries w
    ), u AS (
        -- every entry but the fills, read once and joined to nothing
        SELECT e.*, NULL::jsonb AS before
        FROM accountability.ledger_entries e WHERE e.operation IS DISTINCT FROM 'fill'
        UNION ALL
        -- the fills (few), each with the image of the entry before it
        SELECT e.*, b.row_image
        FROM runs r
        JOIN accountability.ledger_entries e ON e.entry_no OPERATOR(pg_catalog.=) r.entry_no
        LEFT JOIN accountability.ledger_entries b ON b.entry_no OPERATOR(pg_catalog.=) r.before_no
        WHERE r.operation OPERATOR(pg_catalog.=) 'fill'
    ), e AS (
        -- (first_written: the first entry that is not a genesis entry; the
        -- update from 1.0 writes every genesis entry before it)
        SELECT e.*, (SELECT min(f.entry_no) FROM accountability.ledger_entries f
                     WHERE f.operation OPERATOR(pg_catalog.<>) 'genesis') AS first_written,
               (SELECT count(*) FROM sealed s
                     WHERE e.entry_no OPERATOR(pg_catalog.>=) lower(s.r)
                       AND e.entry_no OPERATOR(pg_catalog.<) upper(s.r)) AS blocks,
               CASE e.table_name
                 WHEN 'determinations' THEN '{notified_on}'::text[]
                 WHEN 'correction_plans' THEN '{completed_on,verified_by,owner,due_on}'::text[]
                 WHEN 'clarifications' THEN '{done_on,archived_on,copied_to_organization_on}'::text[]
                 ELSE '{}'::text[]
               END AS fillable
        FROM u e
    ), p AS (
        SELECT e.entry_no, e.table_name, e.row_key,
               CASE WHEN e.entry_hash OPERATOR(pg_catalog.<>) accountability.ledger_entry_hash(
                           e.entry_no, e.table_name, e.operation, e.row_key, e.row_image)
                      THEN 'entry hash does not match its content'
                    WHEN e.blocks OPERATOR(pg_catalog.>) 1
                      THEN 'entry is sealed in more than one block'
                    WHEN e.operation OPERATOR(pg_catalog.=) 'genesis' AND e.entry_no OPERATOR(pg_catalog.>) e.first_written
                      THEN 'a genesis entry after the record began: only the update from 1.0 writes them, before any other entry'
                    WHEN e.table_name OPERATOR(pg_catalog.=) 'case_events'
                         AND e.operation NOT IN ('insert', 'genesis')
                      THEN format('the history records a %s: events are only ever added', e.operation)
                    WHEN e.table_name OPERATOR(pg_catalog.=) 'subject_moves'
                         AND e.operation NOT IN ('insert', 'genesis')
                      THEN format('the record of moves records a %s: moves are only ever added', e.operation)
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

    -- 3b. Each row's entries, in order, keep the write model (write_model()):
    --     an identity column never changes, a column filled in once is
    --     never changed or cleared, a column that changes only in some
    --     statuses (a case's facts) changes in no other, and a closed case
    --     never moves.  The
    --     guards refuse all three; this finds them written with the guards
    --     off.  Only a hash of the identity columns and the filled-in
    --     values (a few small columns) ride through the sort.
    RETURN QUERY
    WITH model AS (
        SELECT m.table_name,
               array_agg(m.column_name) FILTER (WHERE m.column_class OPERATOR(pg_catalog.<>) 'identity') AS not_identity,
               array_agg(m.column_name) FILTER (WHERE m.column_class OPERATOR(pg_catalog.<>) 'fill_once') AS not_filled,
               -- the columns that change only in some statuses (a case's facts:
               -- one such set a table)
               array_agg(m.column_name) FILTER (WHERE m.changes_while IS NULL) AS not_restricted,
               min(m.changes_while::text)::accountability.case_status[] AS restricted_while
        FROM accountability.write_model() m GROUP BY m.table_name
    ), s AS (
        SELECT e.entry_no, e.table_name, e.row_key, e.operation,
               -- (a table whose every column is identity has no other column to drop)
               sha256(convert_to((e.row_image OPERATOR(pg_catalog.-) coalesce(m.not_identity, '{}'))::text, 'UTF8')) AS identity_hash,
               jsonb_strip_nulls(e.row_image OPERATOR(pg_catalog.-) coalesce(m.not_filled, '{}')) AS filled,
               CASE WHEN m.restricted_while IS NOT NULL
                    THEN sha256(convert_to((e.row_image OPERATOR(pg_catalog.-) m.not_restricted)::text, 'UTF8')) END AS restricted_hash,
               m.restricted_while,
               CASE WHEN e.table_name OPERATOR(pg_catalog.=) 'cases'
                    THEN e.row_image OPERATOR(pg_catalog.->>) 'status' END AS status
        FROM accountability.ledger_entries e
        JOIN model m ON m.table_name OPERATOR(pg_catalog.=) e.table_name
    ), w AS (
        SELECT s.entry_no, s.table_name, s.row_key, s.operation, s.identity_hash, s.filled,
               lag(s.identity_hash) OVER r AS identity_before, lag(s.filled) OVER r AS filled_before,
               s.restricted_hash, lag(s.restricted_hash) OVER r AS restricted_before, s.restricted_while,
               lag(s.status) OVER r AS status_before
        FROM s WINDOW r AS (PARTITION BY s.table_name, s.row_key ORDER BY s.entry_no)
    ), p AS (
        SELECT w.entry_no, w.table_name, w.row_key,
               CASE WHEN w.identity_hash OPERATOR(pg_catalog.<>) w.identity_before
                      THEN format('a %s changes an identity column, which the write model never allows', w.operation)
                    WHEN NOT (w.filled OPERATOR(pg_catalog.@>) w.filled_before)
                      THEN format('a %s changes or clears a column filled in once', w.operation)
                    WHEN w.status_before OPERATOR(pg_catalog.=) 'closed'
                      THEN 'a closed case was changed'
                    WHEN w.restricted_hash OPERATOR(pg_catalog.<>) w.restricted_before
                         AND NOT (w.status_before::accountability.case_status OPERATOR(accountability.=) ANY (w.restricted_while))
                      THEN format('a %s changes a column the write model freezes while the case is %s (its facts, once determined)',
                                  w.operation, w.status_before)
               END AS problem
        FROM w
        -- an insert after a deletion starts the row again: only changes are judged
        WHERE w.identity_before IS NOT NULL AND w.operation IN ('update', 'fill', 'move')
    )
    SELECT 'entry', NULL::bigint, p.entry_no, p.table_name, p.row_key, p.problem FROM p WHERE p.problem IS NOT NULL;

    -- 3c. Every determination the ledger holds keeps the decision rule: its
    --     assessment is what the procedure gives for its facts, and its
    --     outcome departs from that only as DESIGN.md allows (the trigger's
    --     own rule, determination_problem()).
    RETURN QUERY
    SELECT 'entry', NULL::bigint, d.entry_no, 'determinations'::text, d.row_key, d.problem
    FROM (SELECT e.entry_no, e.row_key,
                 CASE WHEN NOT coalesce(accountability.facts_are_valid(e.row_image OPERATOR(pg_catalog.->) 'facts'), false)
                        THEN 'the determination''s facts are not valid facts'
                      ELSE accountability.determination_problem(
                             e.row_image OPERATOR(pg_catalog.->) 'facts',
                             (e.row_image OPERATOR(pg_catalog.->>) 'assessed_outcome')::accountability.tolerance_outcome,
                             ARRAY(SELECT jsonb_array_elements_text(e.row_image OPERATOR(pg_catalog.->) 'assessed_reasons')),
                             (e.row_image OPERATOR(pg_catalog.->>) 'outcome')::accountability.tolerance_outcome,
                             e.row_image OPERATOR(pg_catalog.->>) 'basis')
                 END AS problem
          FROM accountability.ledger_entries e
          -- the rows this version's trigger judged (a genesis row was judged by 1.0's)
          WHERE e.table_name OPERATOR(pg_catalog.=) 'determinations' AND e.operation OPERATOR(pg_catalog.=) 'insert') d
    WHERE d.problem IS NOT NULL;

    -- 3d. Every determination's facts are its case's recorded facts as the
    --     ledger held them when it was recorded: only what the database
    --     computes may differ (situation_listed, excluded, repeated_error),
    --     and only as the tolerance lists and the unit tree, in their
    --     versions recorded by then, give them.  Recorded facts made up
    --     consistently with a forged assessment show here.
    RETURN QUERY
    WITH d AS (
        SELECT e.entry_no, e.row_key, e.row_image OPERATOR(pg_catalog.->) 'facts' AS facts,
               pg_catalog.jsonb_build_array(e.row_image OPERATOR(pg_catalog.->) 'case_id')::text AS case_key
        FROM accountability.ledger_entries e
        -- the rows this version's trigger judged (a genesis row was judged by 1.0's)
        WHERE e.table_name OPERATOR(pg_catalog.=) 'determinations' AND e.operation OPERATOR(pg_catalog.=) 'insert'
    ), k AS (
        -- the case as the ledger held it just before the determination
        SELECT DISTINCT ON (d.entry_no) d.entry_no, d.row_key, d.facts,
               coalesce(c.row_image OPERATOR(pg_catalog.->) 'facts', '{}') AS recorded,
               (c.row_image OPERATOR(pg_catalog.->>) 'unit_id')::bigint AS unit_id,
               coalesce(c.row_image OPERATOR(pg_catalog.->>) 'event_on', c.row_image OPERATOR(pg_catalog.->>) 'opened_on')::date AS on_date
        FROM d JOIN accountability.ledger_entries c
          ON c.table_name OPERATOR(pg_catalog.=) 'cases' AND c.row_key OPERATOR(pg_catalog.=) d.case_key
         AND c.entry_no OPERATOR(pg_catalog.<) d.entry_no
        ORDER BY d.entry_no, c.entry_no DESC
    ), tree AS (
        -- the unit tree as the ledger held it at each determination: the
        -- case's unit and, up from it, each unit's parent in its latest
        -- version before the determination (units are few; their entries
        -- are read once)
        WITH RECURSIVE versions AS MATERIALIZED (
            SELECT u.entry_no, (u.row_image OPERATOR(pg_catalog.->>) 'unit_id')::bigint AS unit_id,
                   (u.row_image OPERATOR(pg_catalog.->>) 'parent_id')::bigint AS parent_id
            FROM accountability.ledger_entries u
            WHERE u.table_name OPERATOR(pg_catalog.=) 'units' AND u.operation OPERATOR(pg_catalog.<>) 'delete'
        ), up (entry_no, unit_id, depth) AS (
            SELECT k.entry_no, k.unit_id, 0 FROM k
            UNION ALL
            SELECT up.entry_no, v.parent_id, up.depth OPERATOR(pg_catalog.+) 1
            FROM up CROSS JOIN LATERAL (
                SELECT x.parent_id FROM versions x
                WHERE x.unit_id OPERATOR(pg_catalog.=) up.unit_id AND x.entry_no OPERATOR(pg_catalog.<) up.entry_no
                ORDER BY x.entry_no DESC LIMIT 1) v
            WHERE v.parent_id IS NOT NULL AND up.depth OPERATOR(pg_catalog.<) 64
        )
        SELECT up.entry_no, up.unit_id FROM up
    ), i AS (
        -- each list item of the situation in its latest version before the
        -- determination, as the trigger read the lists: does it apply?
        SELECT DISTINCT ON (k.entry_no, i.row_key) k.entry_no, i.row_key,
               i.row_image OPERATOR(pg_catalog.->>) 'polarity' AS polarity,
               i.operation OPERATOR(pg_catalog.<>) 'delete'
               AND k.on_date OPERATOR(pg_catalog.>=) (i.row_image OPERATOR(pg_catalog.->>) 'valid_from')::date
               AND (i.row_image OPERATOR(pg_catalog.->>) 'valid_to' IS NULL
                    OR k.on_date OPERATOR(pg_catalog.<=) (i.row_image OPERATOR(pg_catalog.->>) 'valid_to')::date)
               AND EXISTS (SELECT 1 FROM tree t
                           WHERE t.entry_no OPERATOR(pg_catalog.=) k.entry_no
                             AND t.unit_id OPERATOR(pg_catalog.=) (i.row_image OPERATOR(pg_catalog.->>) 'unit_id')::bigint) AS applies
        FROM k JOIN accountability.ledger_entries i
          ON i.table_name OPERATOR(pg_catalog.=) 'tolerance_list_items'
         AND i.entry_no OPERATOR(pg_catalog.<) k.entry_no
         AND (i.row_image OPERATOR(pg_catalog.->>) 'code') OPERATOR(pg_catalog.=) (k.recorded OPERATOR(pg_catalog.->>) 'situation')
        ORDER BY k.entry_no, i.row_key, i.entry_no DESC
    ), l AS (
        SELECT i.entry_no, bool_or(i.polarity OPERATOR(pg_catalog.=) 'positive' AND i.applies) AS listable,
               bool_or(i.polarity OPERATOR(pg_catalog.=) 'negative' AND i.applies) AS excludable
        FROM i GROUP BY i.entry_no
    ), p AS (
        SELECT k.entry_no, k.row_key,
               CASE WHEN k.facts IS NULL OR pg_catalog.jsonb_typeof(k.facts) OPERATOR(pg_catalog.<>) 'object'
                      THEN NULL   -- 3c reports facts that are not valid facts
                    WHEN (k.facts OPERATOR(pg_catalog.-) '{situation_listed,excluded,repeated_error}'::text[])
                         OPERATOR(pg_catalog.<>) (k.recorded OPERATOR(pg_catalog.-) '{situation_listed,excluded,repeated_error}'::text[])
                      THEN 'the determination''s facts are not its case''s recorded facts at the time'
                    WHEN (k.facts OPERATOR(pg_catalog.->) 'situation_listed') IS DISTINCT FROM pg_catalog.to_jsonb(coalesce(l.listable, false))
                      THEN 'the determination''s situation_listed is not what the tolerance lists recorded by then give'
                    WHEN coalesce(l.excludable, false) OR (k.recorded OPERATOR(pg_catalog.->) 'excluded') OPERATOR(pg_catalog.=) 'true'
                      THEN CASE WHEN (k.facts OPERATOR(pg_catalog.->) 'excluded') OPERATOR(pg_catalog.<>) 'true'
                                THEN 'the determination''s facts drop an exclusion its case or the negative lists carry' END
                    WHEN (k.recorded OPERATOR(pg_catalog.->) 'repeated_error') OPERATOR(pg_catalog.=) 'true'
                         AND (k.facts OPERATOR(pg_catalog.->) 'repeated_error') OPERATOR(pg_catalog.<>) 'true'
                      THEN 'the determination''s facts drop the repeated error its case records'
               END AS problem
        FROM k LEFT JOIN l ON l.entry_no OPERATOR(pg_catalog.=) k.entry_no
    )
    SELECT 'entry', NULL::bigint, p.entry_no, 'determinations'::text, p.row_key, p.problem FROM p WHERE p.problem IS NOT NULL;

    -- 3e. A cadre changes unit only through move_subject(), which records
    --     the move: each change of a subject's unit across its entries is
    --     matched by a recorded move from that unit to that one, and each
    --     recorded move by such a change.
    RETURN QUERY
    WITH changes AS (
        SELECT e.entry_no, e.row_key,
               lag(e.row_image OPERATOR(pg_catalog.->>) 'unit_id') OVER (PARTITION BY e.row_key ORDER BY e.entry_no) AS from_unit,
               e.row_image OPERATOR(pg_catalog.->>) 'unit_id' AS to_unit
        FROM accountability.ledger_entries e
        WHERE e.table_name OPERATOR(pg_catalog.=) 'subjects'
    ), c AS (
        SELECT x.row_key, x.from_unit, x.to_unit, count(*) AS n, max(x.entry_no) AS entry_no
        FROM changes x WHERE x.from_unit OPERATOR(pg_catalog.<>) x.to_unit
        GROUP BY 1, 2, 3
    ), r AS (
        SELECT pg_catalog.jsonb_build_array(e.row_image OPERATOR(pg_catalog.->) 'subject_id')::text AS row_key,
               e.row_image OPERATOR(pg_catalog.->>) 'from_unit_id' AS from_unit,
               e.row_image OPERATOR(pg_catalog.->>) 'to_unit_id' AS to_unit, count(*) AS n
        FROM accountability.ledger_entries e
        WHERE e.table_name OPERATOR(pg_catalog.=) 'subject_moves' AND e.operation IN ('insert', 'genesis')
        GROUP BY 1, 2, 3
    )
    SELECT 'entry', NULL::bigint, c.entry_no, 'subjects'::text, coalesce(c.row_key, r.row_key),
           CASE WHEN coalesce(r.n, 0) OPERATOR(pg_catalog.<) coalesce(c.n, 0)
                  THEN format('the cadre changed unit from %s to %s without a recorded move (move_subject() records every move)',
                              c.from_unit, c.to_unit)
                ELSE format('a recorded move from unit %s to %s has no such change of its cadre''s unit in the ledger',
                            r.from_unit, r.to_unit)
           END
    FROM c FULL JOIN r ON r.row_key OPERATOR(pg_catalog.=) c.row_key AND r.from_unit OPERATOR(pg_catalog.=) c.from_unit
                      AND r.to_unit OPERATOR(pg_catalog.=) c.to_unit
    WHERE coalesce(r.n, 0) OPERATOR(pg_catalog.<>) coalesce(c.n, 0);

    -- 4. The rows: each live row equals its latest entry; each row the
    --    ledger holds is still there.  Images are compared by their
    --    SHA-256, taken before the sort and the join, so neither carries
    --    the images themselves.
    RETURN QUERY
    WITH latest AS (
        SELECT DISTINCT ON (e.table_name, e.row_key) e.table_name, e.row_key, e.entry_no, e.operation,
               sha256(convert_to(e.row_image::text, getdatabaseencoding())) AS image_hash
        FROM accountability.ledger_entries e
        ORDER BY e.table_name, e.row_key, e.entry_no DESC
    ), r AS MATERIALIZED (
        -- materialized, so each live row is hashed before the join, which
        -- then carries only the hash
        SELECT r.table_name, r.row_key, sha256(convert_to(r.row_image::text, getdatabaseencoding())) AS image_hash
        FROM accountability.ledger_rows() r
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
                         AND r.image_hash OPERATOR(pg_catalog.<>) l.image_hash
                      THEN 'row differs from its latest ledger entry (changed outside the ledger)'
               END AS problem
        FROM r
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
    -- 5b. Every status change the ledger records kept what its move
    --     requires (transition_requirements(), the transition table's own
    --     list), judged by the ledger as it stood at the move: a move forged
    --     with the workflow's trigger off, or a determination, plan,
    --     clarification or visit erased afterwards with its entries, shows
    --     here with every hash recomputed.  The appeal window is not judged:
    --     its length is a setting, which the ledger does not hold.
    RETURN QUERY
    WITH c AS (
        SELECT e.entry_no, e.row_key, e.row_image AS image,
               lag(e.row_image) OVER (PARTITION BY e.row_key ORDER BY e.entry_no) AS before
        FROM accountability.ledger_entries e
        WHERE e.table_name OPERATOR(pg_catalog.=) 'cases'
    ), m AS (
        SELECT c.entry_no, c.row_key, c.image, c.before,
               (c.image OPERATOR(pg_catalog.->>) 'case_id')::bigint AS case_id,
               accountability.transition_requirements(
                   (c.before OPERATOR(pg_catalog.->>) 'status')::accountability.case_status,
                   (c.image OPERATOR(pg_catalog.->>) 'status')::accountability.case_status) AS needs
        FROM c
        WHERE (c.before OPERATOR(pg_catalog.->>) 'status') OPERATOR(pg_catalog.<>) (c.image OPERATOR(pg_catalog.->>) 'status')
    ), ch AS (
        -- each row hanging off a case: the entry that first records it, and
        -- the first that records it complete (notified, completed, done,
        -- resolved); identity columns never change (3b), so min() is the value
        SELECT e.table_name, (e.row_image OPERATOR(pg_catalog.->>) 'case_id')::bigint AS case_id,
               min(e.entry_no) AS recorded,
               min(e.entry_no) FILTER (WHERE CASE e.table_name
                   WHEN 'determinations' THEN e.row_image OPERATOR(pg_catalog.->>) 'notified_on' IS NOT NULL
                   WHEN 'correction_plans' THEN e.row_image OPERATOR(pg_catalog.->>) 'completed_on' IS NOT NULL
                   WHEN 'clarifications' THEN e.row_image OPERATOR(pg_catalog.->>) 'done_on' IS NOT NULL
                   ELSE (e.row_image OPERATOR(pg_catalog.->) 'concerns_resolved') OPERATOR(pg_catalog.=) 'true' END) AS completed,
               min((e.row_image OPERATOR(pg_catalog.->>) 'determination_no')::integer) AS determination_no,
               min((e.row_image OPERATOR(pg_catalog.->>) 'after_event_no')::integer) AS after_event_no,
               min(e.row_image OPERATOR(pg_catalog.->>) 'outcome') AS outcome
        FROM accountability.ledger_entries e
        WHERE e.table_name IN ('determinations', 'correction_plans', 'clarifications', 'follow_up_visits')
          AND e.operation OPERATOR(pg_catalog.<>) 'delete'
        GROUP BY e.table_name, e.row_key, 2
    ), s AS (
        -- what the case had at each move
        SELECT m.entry_no,
               max(ch.determination_no) FILTER (WHERE ch.table_name OPERATOR(pg_catalog.=) 'determinations') AS determination_no,
               count(*) FILTER (WHERE ch.table_name OPERATOR(pg_catalog.=) 'correction_plans') AS plans,
               count(*) FILTER (WHERE ch.table_name OPERATOR(pg_catalog.=) 'correction_plans'
                                  AND ch.completed OPERATOR(pg_catalog.<) m.entry_no) AS completed_plans,
               coalesce(bool_or(ch.table_name OPERATOR(pg_catalog.=) 'clarifications'
                                AND ch.completed OPERATOR(pg_catalog.<) m.entry_no), false) AS clarified,
               coalesce(bool_or(ch.table_name OPERATOR(pg_catalog.=) 'follow_up_visits'
                                AND ch.completed OPERATOR(pg_catalog.<) m.entry_no), false) AS resolved
        FROM m JOIN ch ON ch.case_id OPERATOR(pg_catalog.=) m.case_id AND ch.recorded OPERATOR(pg_catalog.<) m.entry_no
        GROUP BY m.entry_no
    )
    SELECT 'history', NULL::bigint, m.entry_no, 'cases'::text, m.row_key,
           format('move %s -> %s without %s, as the ledger stood at the move',
                  m.before OPERATOR(pg_catalog.->>) 'status', m.image OPERATOR(pg_catalog.->>) 'status', r.need)
    FROM m
    LEFT JOIN s ON s.entry_no OPERATOR(pg_catalog.=) m.entry_no
    -- the latest determination at the move
    LEFT JOIN ch d ON d.table_name OPERATOR(pg_catalog.=) 'determinations' AND d.case_id OPERATOR(pg_catalog.=) m.case_id
                  AND d.determination_no OPERATOR(pg_catalog.=) s.determination_no
    CROSS JOIN LATERAL unnest(m.needs) r (need)
    WHERE NOT coalesce(CASE r.need
        WHEN 'closing_reason' THEN accountability.is_written(m.image OPERATOR(pg_catalog.->>) 'closing_reason')
        WHEN 'tolerance_kind' THEN (m.image OPERATOR(pg_catalog.->>) 'kind') OPERATOR(pg_catalog.<>) 'false_accusation'
        WHEN 'determination' THEN d.after_event_no OPERATOR(pg_catalog.=) (m.before OPERATOR(pg_catalog.->>) 'event_count')::integer
        WHEN 'notification_date' THEN d.completed OPERATOR(pg_catalog.<) m.entry_no
        WHEN 'appeal_window' THEN true
        WHEN 'correction_plan' THEN s.plans OPERATOR(pg_catalog.>) 0
        WHEN 'plans_completed' THEN s.plans OPERATOR(pg_catalog.>) 0 AND s.completed_plans OPERATOR(pg_catalog.=) s.plans
        -- grounds on the row before the move or after it, as the trigger reads them
        WHEN 'warranted_clarification' THEN coalesce(s.clarified, false)
             OR NOT (coalesce(pg_catalog.jsonb_array_length(CASE WHEN pg_catalog.jsonb_typeof(m.before OPERATOR(pg_catalog.->) 'clarification_grounds') OPERATOR(pg_catalog.=) 'array'
                                  THEN m.before OPERATOR(pg_catalog.->) 'clarification_grounds' END), 0) OPERATOR(pg_catalog.>) 0
                     OR coalesce(pg_catalog.jsonb_array_length(CASE WHEN pg_catalog.jsonb_typeof(m.image OPERATOR(pg_catalog.->) 'clarification_grounds') OPERATOR(pg_catalog.=) 'array'
                                  THEN m.image OPERATOR(pg_catalog.->) 'clarification_grounds' END), 0) OPERATOR(pg_catalog.>) 0)
        WHEN 'visit_if_lenient' THEN d.outcome IS NULL
             OR d.outcome::accountability.tolerance_outcome OPERATOR(accountability.<=) 'not_tolerable'::accountability.tolerance_outcome
        WHEN 'resolved_visit' THEN s.resolved
      END, false);

    RETURN QUERY
    SELECT 'history', NULL::bigint, NULL::bigint,
           CASE WHEN h.event_no IS NULL THEN 'cases' ELSE 'case_events' END,
           CASE WHEN h.event_no IS NULL THEN jsonb_build_array(h.case_id)::text
                ELSE jsonb_build_array(h.case_id, h.event_no)::text END,
           h.problem
    FROM accountability.verify_history() h;

    -- 6. The figures the reports read (report_figures, subject_figures) are
    --    derived, not recorded: they must equal a count from scratch of the
    --    rows the ledger holds.  A count changed by hand is found here.
    RETURN QUERY
    SELECT 'figures', NULL::bigint, NULL::bigint, 'report_figures'::text, jsonb_build_array(f.year, f.unit_id)::text,
           'the report figures differ from a count from scratch (changed outside their triggers)'
    FROM accountability.report_figures_check() f;
    -- The units' paths the reports roll up along (unit_ancestors) are
    -- derived from units too: a path added, removed or changed by hand
    -- moves one unit's figures into another's.
    RETURN QUERY
    WITH want AS (SELECT * FROM accountability.unit_paths())
    SELECT 'figures', NULL::bigint, NULL::bigint, 'unit_ancestors'::text,
           jsonb_build_array(coalesce(w.unit_id, a.unit_id), coalesce(w.ancestor_id, a.ancestor_id))::text,
           CASE WHEN a.unit_id IS NULL THEN 'a path of the unit tree is missing from unit_ancestors (changed outside its trigger)'
                WHEN w.unit_id IS NULL THEN 'unit_ancestors holds a path the unit tree does not have (changed outside its trigger)'
                ELSE 'unit_ancestors differs from the unit tree on this path (changed outside its trigger)' END
    FROM want w
    FULL JOIN accountability.unit_ancestors a ON a.unit_id OPERATOR(pg_catalog.=) w.unit_id
                                             AND a.ancestor_id OPERATOR(pg_catalog.=) w.ancestor_id
    WHERE a.unit_id IS NULL OR w.unit_id IS NULL OR a.depth OPERATOR(pg_catalog.<>) w.depth OR a.top OPERATOR(pg_catalog.<>) w.top;
    RETURN QUERY
    SELECT 'figures', NULL::bigint, NULL::bigint, 'subject_figures'::text, jsonb_build_array(f.subject_id)::text,
           'the subject figures differ from a count from scratch (changed outside their triggers)'
    FROM accountability.subject_figures_check() f;
END
$$;

COMMENT ON FUNCTION accountability.verify_ledger(jsonb) IS
'Verifies the ledger (账本核验) against digests taken earlier (one, or a JSON array): the ledger extends each digest, blocks chain and their Merkle roots recompute, every entry hash recomputes, each row''s entries keep the write model (identity columns never change, filled-in columns are never changed, closed cases never move), every determination keeps the decision rule and its case''s recorded facts, every change of a cadre''s unit has its recorded move, every live row equals its latest entry, every case''s events follow the transition table, every move had what it requires as the ledger stood then, every case''s row agrees with its history, and the report and subject figures and the units'' paths (unit_ancestors) equal a count from scratch. One row per problem; none means intact.';

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
    accountability.verify_ledger(jsonb),
    accountability.determination_problem(jsonb, accountability.tolerance_outcome, text[], accountability.tolerance_outcome, text)
FROM PUBLIC;
-- The hashes are pure functions of their arguments: anyone with a role may
-- recompute them.  Rows, digests and verification are for administrators,
-- and work only for those who see the whole record (a superuser, or a
-- BYPASSRLS auditor granted accountability_admin): under row-level
-- security they refuse rather than seal or verify a part.
GRANT EXECUTE ON FUNCTION
    accountability.ledger_entry_hash(bigint, text, text, text, jsonb),
    accountability.ledger_merkle_root(bytea[]),
    accountability.ledger_block_hash(bigint, bytea, bytea, bigint, bigint, bigint),
    accountability.determination_problem(jsonb, accountability.tolerance_outcome, text[], accountability.tolerance_outcome, text)
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

/*
 * The statistics that count what a scan read.  PostgreSQL's per-table
 * counters (pg_stat_xact_user_tables.idx_tup_fetch, seq_tup_read, the
 * pg_statio block counts) include the rows a scan fetched before the
 * policies hid them, and so do the database's totals (pg_stat_database):
 * a county login probing "WHERE case_id = 3" would read there whether that
 * case exists.  In this database those counters are
 * for the monitoring role pg_read_all_stats (and superusers), not PUBLIC,
 * and so are the I/O counts (pg_stat_io; a backend's own, PostgreSQL 18),
 * where a hidden row fetched is one more buffer hit; the counts of writes
 * and the table sizes stay readable.  EXPLAIN
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
              'pg_stat_get_db_blocks_hit', 'pg_stat_get_io', 'pg_stat_get_backend_io'])
        ORDER BY 1
    LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO pg_read_all_stats', f);
    END LOOP;
END
$$;

-- The genesis block: the rows present at the upgrade, in table and key order.
INSERT INTO accountability.ledger_entries (entry_no, xid, table_name, operation, row_key, row_image, entry_hash)
SELECT n.entry_no, pg_catalog.pg_current_xact_id(), n.table_name, 'genesis', n.row_key, n.row_image,
       accountability.ledger_entry_hash(n.entry_no, n.table_name, 'genesis', n.row_key, n.row_image)
FROM (SELECT pg_catalog.nextval('accountability.ledger_entry_no'::pg_catalog.regclass) AS entry_no, r.*
      FROM (SELECT * FROM accountability.ledger_rows() ORDER BY 1, 2) r) n;
SELECT accountability.ledger_seal();
