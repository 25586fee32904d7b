/* ------------------------------------------------------------------------
 * 7. Reports for BI tools: plain, documented, bilingual views.
 *
 * Every view is security_invoker, so row-level security on the tables
 * applies to whoever queries it.  Report years come from the dates the
 * users record (decided_on, done_on, opened_on), never from transaction
 * timestamps, so a year loaded later still reports as its own year.
 * ------------------------------------------------------------------------
 */

-- @region unit_ancestors
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
-- @end unit_ancestors
-- @region unit_tree

CREATE VIEW accountability.unit_tree WITH (security_invoker = true) AS
SELECT a.unit_id, a.ancestor_id, a.depth FROM accountability.unit_ancestors a;

COMMENT ON VIEW accountability.unit_tree IS 'Each unit paired with itself and every unit above it (单位层级): the path along which the reports roll up; reads unit_ancestors. 单位与各级上级单位。';
COMMENT ON COLUMN accountability.unit_tree.unit_id IS 'A unit (单位).';
COMMENT ON COLUMN accountability.unit_tree.ancestor_id IS 'The unit itself or one above it (本单位或上级单位).';
COMMENT ON COLUMN accountability.unit_tree.depth IS '0 for the unit itself, 1 for its parent, and so on (层级距离).';

-- @end unit_tree
-- False-accusation figures within the caller's scope, for roles that may not
-- see the cases themselves (reports.c).
CREATE FUNCTION accountability.false_accusation_figures()
RETURNS TABLE (unit_id bigint, year integer, reports bigint, accusers bigint)
AS 'MODULE_PATHNAME', 'false_accusation_figures'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION accountability.false_accusation_figures() IS
'Counts of false-accusation cases (查处诬告陷害) per unit and year within the caller''s scope: distinct reports with a finding and distinct accusers. Counts only, never who accused whom, so BI readers, who may not see those cases, still get the published figures.';

-- annual_report reads the report figures: see 90_report_figures.sql.

-- @region row_views
-- One row a case, for dashboards.  Label columns come in pairs: X_en (the
-- English code, never changing with the language: filter and group on it)
-- and X_zh (the Chinese label, for display); status and outcome themselves
-- follow accountability.language.
CREATE VIEW accountability.case_overview WITH (security_invoker = true) AS
SELECT c.case_id, c.kind, c.status::text AS status, accountability.label(c.status, 'en') AS status_en,
       accountability.label(c.status, 'zh') AS status_zh,
       c.unit_id, u.name AS unit_name, u.level AS unit_level,
       p.path AS unit_path,
       c.event_on, c.opened_on, (accountability.record_today() OPERATOR(pg_catalog.-) c.opened_on) AS age_days,
       coalesce(accountability.record_date(e.occurred_at), c.opened_on) AS status_since,
       coalesce(accountability.record_date(e.occurred_at), c.opened_on) OPERATOR(pg_catalog.+) s.value AS due_on,
       (c.status OPERATOR(accountability.<>) 'closed'::accountability.case_status
        AND coalesce(accountability.record_date(e.occurred_at), c.opened_on) OPERATOR(pg_catalog.+) s.value OPERATOR(pg_catalog.<) accountability.record_today()) AS overdue,
       d.outcome::text AS outcome, accountability.label(d.outcome, 'en') AS outcome_en,
       accountability.label(d.outcome, 'zh') AS outcome_zh, d.decided_on,
       c.event_count,
       c.kind AS kind_en,
       CASE c.kind WHEN 'report' THEN '检举控告' WHEN 'accountability' THEN '问责事项'
            WHEN 'false_accusation' THEN '诬告陷害查处' END AS kind_zh,
       u.level AS unit_level_en,
       CASE u.level WHEN 'province' THEN '省' WHEN 'city' THEN '市' WHEN 'county' THEN '县（市、区）'
            WHEN 'township' THEN '乡镇（街道）' WHEN 'department' THEN '部门' END AS unit_level_zh
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
COMMENT ON COLUMN accountability.case_overview.age_days IS 'Days since registration (已历天数), to today in the record''s calendar (record_today(), UTC+8).';
COMMENT ON COLUMN accountability.case_overview.status_since IS 'Date the case entered its current status (进入当前状态日期), in the record''s calendar (record_date(), UTC+8).';
COMMENT ON COLUMN accountability.case_overview.due_on IS 'Deadline of the current stage (办理期限), from settings; null for closed cases.';
COMMENT ON COLUMN accountability.case_overview.overdue IS 'Past the deadline and not closed (是否逾期), judged on record_today(), the day the rules judge deadlines on.';
COMMENT ON COLUMN accountability.case_overview.outcome IS 'Latest determination''s outcome as text (认定结果), following accountability.language. For display; filter on outcome_en.';
COMMENT ON COLUMN accountability.case_overview.outcome_en IS 'Outcome, English code (认定结果英文代码): filter and group on this.';
COMMENT ON COLUMN accountability.case_overview.outcome_zh IS 'Outcome, Chinese label (认定结果中文).';
COMMENT ON COLUMN accountability.case_overview.decided_on IS 'Date of the latest determination (最近认定日期).';
COMMENT ON COLUMN accountability.case_overview.event_count IS 'Number of transitions so far (流转次数).';
COMMENT ON COLUMN accountability.case_overview.kind_en IS 'Kind, English code (案件类别英文代码): report, accountability, false_accusation.';
COMMENT ON COLUMN accountability.case_overview.kind_zh IS 'Kind, Chinese label (案件类别中文): 检举控告, 问责事项, 诬告陷害查处.';
COMMENT ON COLUMN accountability.case_overview.unit_level_en IS 'Unit level, English code (层级英文代码): province, city, county, township, department.';
COMMENT ON COLUMN accountability.case_overview.unit_level_zh IS 'Unit level, Chinese label (层级中文): 省, 市, 县（市、区）, 乡镇（街道）, 部门.';

CREATE VIEW accountability.overdue_cases WITH (security_invoker = true) AS
SELECT o.case_id, o.kind, o.status, o.status_zh, o.unit_id, o.unit_name, o.unit_path, o.status_since, o.due_on,
       (accountability.record_today() OPERATOR(pg_catalog.-) o.due_on) AS days_overdue,
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

CREATE VIEW accountability.follow_up_due WITH (security_invoker = true) AS
SELECT c.case_id, c.kind, c.unit_id, u.name AS unit_name, v.visit_no AS last_visit_no, v.visited_on AS last_visited_on,
       coalesce(v.next_due_on,
                coalesce(accountability.record_date(e.occurred_at), c.opened_on) OPERATOR(pg_catalog.+)
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

CREATE VIEW accountability.tolerance_by_situation WITH (security_invoker = true) AS
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

-- @end row_views
-- Indexes the reports use: by year, as the views filter.
CREATE INDEX cases_opened_year_idx ON accountability.cases ((extract(year FROM opened_on)::integer));
CREATE INDEX determinations_decided_year_idx ON accountability.determinations ((extract(year FROM decided_on)::integer));
CREATE INDEX assessments_year_idx ON accountability.assessments (year);
CREATE INDEX commendations_year_idx ON accountability.commendations (year);
CREATE INDEX trainings_year_idx ON accountability.trainings (year);
CREATE INDEX promotions_year_idx ON accountability.promotions ((extract(year FROM effective_on)::integer));
CREATE INDEX clarifications_done_year_idx ON accountability.clarifications ((extract(year FROM done_on)::integer))
    WHERE done_on IS NOT NULL;
CREATE INDEX case_events_unfounded_idx ON accountability.case_events (case_id)
    WHERE to_status OPERATOR(accountability.=) 'unfounded'::accountability.case_status;

/* Privileges: every report is for readers, within their units. */
REVOKE ALL ON FUNCTION
    accountability.false_accusation_figures(),
    accountability.unit_paths(),
    accountability.unit_ancestors_rebuild(),
    accountability.report_figures_trigger()
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION accountability.unit_paths() TO accountability_reader;
GRANT EXECUTE ON FUNCTION accountability.false_accusation_figures() TO accountability_reader;
GRANT EXECUTE ON FUNCTION accountability.unit_ancestors_rebuild() TO accountability_admin;
GRANT SELECT ON accountability.unit_tree, accountability.unit_ancestors,
    accountability.case_overview, accountability.overdue_cases,
    accountability.follow_up_due, accountability.tolerance_by_situation TO accountability_reader;
