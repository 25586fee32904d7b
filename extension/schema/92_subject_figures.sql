-- @region subject_figures
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
COMMENT ON COLUMN accountability.subject_figures.mentor_periods IS 'For each mentoring pair in which the cadre is mentored, the days from its start to its end, unbounded while it runs (受帮带期); subject_standing counts those that hold today as mentors_now.';
COMMENT ON COLUMN accountability.subject_figures.mentee_periods IS 'For each mentoring pair in which the cadre mentors, the days from its start to its end, unbounded while it runs (帮带期); subject_standing counts those that hold today as mentees_now.';
COMMENT ON COLUMN accountability.subject_figures.present IS 'Whether any record counts for the cadre (有统计记录); generated from the figures.';

SELECT pg_catalog.pg_extension_config_dump('accountability.subject_figures', '');
-- @end subject_figures
-- @region subject_figures_recount

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
    -- mentoring pairs: from the day they start to the day they end, both
    -- included, unbounded while not ended (a pair that starts next month
    -- guides nobody today)
    CROSS JOIN LATERAL (
        SELECT coalesce(pg_catalog.array_agg(pg_catalog.daterange(m.started_on, m.ended_on, '[]') ORDER BY m.mentorship_id), '{}') AS periods
        FROM accountability.mentorships m
        WHERE m.mentee_id OPERATOR(pg_catalog.=) k.subject_id) mr
    CROSS JOIN LATERAL (
        SELECT coalesce(pg_catalog.array_agg(pg_catalog.daterange(m.started_on, m.ended_on, '[]') ORDER BY m.mentorship_id), '{}') AS periods
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
    -- every kept row, present or not (subject_standing reads them all: a
    -- forged row of figures "present" leaves out was never compared), with
    -- its count; and every counted row that is present
    WITH counted AS (
        SELECT r.* FROM accountability.subject_figures_recount(ARRAY(
            SELECT s.subject_id FROM accountability.subjects s
            UNION SELECT f.subject_id FROM accountability.subject_figures f)) r),
    kept AS (SELECT f.* FROM accountability.subject_figures f)
    SELECT coalesce(f.subject_id, r.subject_id),
           to_jsonb(f) OPERATOR(pg_catalog.-) 'subject_id'::text,
           to_jsonb(r) OPERATOR(pg_catalog.-) 'subject_id'::text
    FROM kept f
    FULL JOIN counted r ON r.subject_id OPERATOR(pg_catalog.=) f.subject_id
    WHERE NOT (f.subject_id IS NULL AND NOT r.present)
      AND (to_jsonb(f) OPERATOR(pg_catalog.-) 'subject_id'::text)
          IS DISTINCT FROM (to_jsonb(r) OPERATOR(pg_catalog.-) 'subject_id'::text)
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

-- @end subject_figures_recount
-- @region subject_standing
/* A cadre's standing: what an assessment or promotion review should see. */

CREATE VIEW accountability.subject_standing WITH (security_invoker = true) AS
-- One row of kept figures per cadre (subject_figures), whoever reads it:
-- read whole, the view costs what reading the cadres costs; read by
-- subject, two index lookups and this year's training.  The two measures
-- in effect follow measures_in_effect() (the one definition of what holds
-- a promotion back) on today's date: tests/reports.sql compares them.
SELECT s.subject_id, s.kind, s.name, s.unit_id,
       -- what counts: measures still in effect
       coalesce(accountability.periods_in_effect(f.sanction_periods, accountability.record_today()), 0)
           OPERATOR(pg_catalog.+) coalesce(fa.sanctions, 0) AS sanctions_in_effect,
       coalesce(accountability.periods_in_effect(f.demotion_periods, accountability.record_today()), 0) AS demotions_in_effect,
       coalesce(accountability.periods_in_effect(f.sanction_periods, accountability.record_today()) OPERATOR(pg_catalog.=) 0
                AND accountability.periods_in_effect(f.demotion_periods, accountability.record_today()) OPERATOR(pg_catalog.=) 0, true)
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
       coalesce(accountability.periods_in_effect(f.mentor_periods, accountability.record_today()), 0) AS mentors_now,
       coalesce(accountability.periods_in_effect(f.mentee_periods, accountability.record_today()), 0) AS mentees_now,
       coalesce(f.promotions, 0) AS promotions,
       f.last_promoted_on,
       coalesce(f.demotions, 0) AS demotions
FROM accountability.subjects s
LEFT JOIN accountability.subject_figures f ON f.subject_id OPERATOR(pg_catalog.=) s.subject_id
-- false-accusation cases (the subject is the accuser), counted live from
-- the cases the caller sees (none for a reader, a reviewer's own), and the
-- sanctions of those about its cadres handled outside its scope
-- (accusations_beyond_scope: the promotion trigger holds them too)
LEFT JOIN (SELECT a.subject_id, count(*) FILTER (WHERE a.sanction_period OPERATOR(pg_catalog.@>) accountability.record_today()) AS sanctions,
                  count(*) FILTER (WHERE a.protected) AS tolerated, count(*) FILTER (WHERE a.clarified) AS clarified
           FROM (SELECT c.subject_id,
                        accountability.sanction_period(d.outcome, d.decided_on, d.influence_until) AS sanction_period,
                        accountability.case_is_protected(c.case_id) AS protected,
                        EXISTS (SELECT 1 FROM accountability.clarifications l
                                WHERE l.case_id OPERATOR(pg_catalog.=) c.case_id AND l.done_on IS NOT NULL) AS clarified
                 FROM accountability.cases c
                 LEFT JOIN LATERAL (SELECT x.outcome, x.decided_on, x.influence_until FROM accountability.determinations x
                                    WHERE x.case_id OPERATOR(pg_catalog.=) c.case_id
                                    ORDER BY x.determination_no DESC LIMIT 1) d ON true
                 WHERE c.kind OPERATOR(pg_catalog.=) 'false_accusation'
                 UNION ALL
                 SELECT b.subject_id, b.sanction_period, false, false
                 FROM accountability.accusations_beyond_scope() b) a
           GROUP BY a.subject_id) fa ON fa.subject_id OPERATOR(pg_catalog.=) s.subject_id
-- this year's training: one year's rows, not the archive's
LEFT JOIN (SELECT t.subject_id, sum(t.hours) AS hours FROM accountability.trainings t
           WHERE t.year OPERATOR(pg_catalog.=) extract(year FROM accountability.record_today())::integer
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

-- @end subject_standing

-- @region subject_standing_by_id
CREATE FUNCTION accountability.subject_standing(subject_id bigint)
RETURNS SETOF accountability.subject_standing
LANGUAGE plpgsql STABLE STRICT PARALLEL RESTRICTED
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
COMMENT ON FUNCTION accountability.subject_standing(bigint) IS 'The standing of one subject (see the view subject_standing). 单个对象的综合情况（见视图 subject_standing）。';
-- @end subject_standing_by_id
-- @region subject_figures_privileges

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

-- @end subject_figures_privileges
