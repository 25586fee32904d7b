/* ------------------------------------------------------------------------
 * 9. The report figures (issue 16): annual_report, exact and fast for
 *    every role.
 *
 * annual_report used to count the raw rows under the reader's row-level
 * security: rows a reader may not see dropped out of its figures (the
 * subjects of an accuser's identity took 95% of the incentive figures with
 * them), a city reader's figures were summed up into a fake province row,
 * and the per-row policies drove the plan's cost above the JIT threshold.
 *
 * Now the figures are counted once, by unit and year, into
 * report_figures: each row holds what the unit's OWN records give for the
 * year (own cases, own awards and assessments, own cadres' training, own
 * mentoring pairs and promotions).  The triggers of reports.c keep it
 * exact: whatever a statement touches, they lock the (year, unit) pairs it
 * can change and count those again from the tables, as the table owner,
 * under the latest snapshot (report_figures_refresh, reports.c).  report_figures_check() counts everything from
 * scratch and lists any difference; report_figures_rebuild() starts over.
 *
 * annual_report sums a unit's own figures with those of every unit below
 * it (unit_ancestors), for the units in the caller's scope only.  A scope
 * is closed downwards (a mapped unit comes with every unit below it), so
 * each row of a reader holds exactly what a superuser's row for the same
 * unit holds, and no row is shown for a unit outside the scope: a city
 * reader gets its city and the units below, never a province row.
 * ------------------------------------------------------------------------
 */
-- @region report_figures

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
)
-- Half of each page left free: the triggers update a (year, unit) row on
-- every write that moves its figures, and with room on its page the new
-- version stays there (a HOT update), so one year's rows stay together.
-- Packed full, they spread over every page of the archive (the year's
-- correlation fell to -0.10 over ten years), and one year's report read
-- the whole table: 1.7-2.3 times the one-year cost in session 24's bench,
-- against 1.13-1.15 with the room left.
WITH (fillfactor = 50);
CREATE INDEX report_figures_open_pairs_idx ON accountability.report_figures (unit_id, year)
    WHERE mentoring_pairs_opened OPERATOR(pg_catalog.>) 0;

COMMENT ON TABLE accountability.report_figures IS 'Report figures (统计数据) of each unit''s own records, by year: what annual_report sums up the unit tree (less report_overlaps for the distinct counts). Kept exact by triggers (a statement''s figures are counted again under a row lock), checked by report_figures_check(); never written by hand. 各单位本级年度统计数，由触发器维护并可核对。';
COMMENT ON COLUMN accountability.report_figures.year IS 'Year (年度).';
COMMENT ON COLUMN accountability.report_figures.unit_id IS 'The unit whose own records are counted (本级单位).';
COMMENT ON COLUMN accountability.report_figures.present IS 'Whether the unit has any record counted in the year, so annual_report has a row for it (本年度有统计记录); generated from the counts.';
COMMENT ON COLUMN accountability.report_figures.determined_cases IS 'Cases with a determination in the year, counting the latest of the year (本年度作出认定的案件数).';
COMMENT ON COLUMN accountability.report_figures.tolerance_cases IS 'Tolerance cases (容错纠错案例数); see annual_report.';
COMMENT ON COLUMN accountability.report_figures.tolerance_applications IS 'Determinations on an application (依申请容错认定数); see annual_report.';
COMMENT ON COLUMN accountability.report_figures.tolerance_grants IS 'Applications granted (申请获准数); see annual_report.';
COMMENT ON COLUMN accountability.report_figures.ex_officio_grants IS 'Tolerance granted ex officio (主动容错数); see annual_report.';
COMMENT ON COLUMN accountability.report_figures.clarifications IS 'Clarifications done in the year (本年度完成的澄清次数), never of a false-accusation case (its subject is a hidden accuser).';
COMMENT ON COLUMN accountability.report_figures.clarified_persons IS 'Distinct persons the unit''s own cases clarified (澄清正名党员干部人数, 本级); report_overlaps takes off those counted in two units below one unit.';
COMMENT ON COLUMN accountability.report_figures.clarified_organizations IS 'Distinct party organizations the unit''s own cases clarified (澄清正名党组织数, 本级); see report_overlaps.';
COMMENT ON COLUMN accountability.report_figures.false_accusation_cases IS 'Distinct reports the unit''s own false-accusation cases found falsely made (查处诬告陷害案件数, 本级); see report_overlaps.';
COMMENT ON COLUMN accountability.report_figures.false_accusation_persons IS 'Distinct accusers of the unit''s own false-accusation cases (涉及人数, 本级); see report_overlaps.';
COMMENT ON COLUMN accountability.report_figures.false_accusation_determinations IS 'Determinations of false-accusation cases in the year (诬告陷害案件认定次数).';
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
          -- OFFSET 0: probe each case's later determinations through its
          -- key; pulled up into an anti-join, with statistics that say the
          -- table is empty (a load before any ANALYZE), the planner read
          -- every determination of the year for each case of each pair, and
          -- a demo year's load spun for many minutes (the stall seen in CI)
          AND NOT EXISTS (SELECT 1 FROM accountability.determinations n
                          WHERE n.case_id OPERATOR(pg_catalog.=) d.case_id
                            AND n.determination_no OPERATOR(pg_catalog.>) d.determination_no
                            AND (extract(year FROM n.decided_on)::integer OPERATOR(pg_catalog.+) 0) OPERATOR(pg_catalog.=) k.year
                          OFFSET 0)
          AND ($3 IS NULL OR 'determinations' OPERATOR(pg_catalog.=) ANY ($3))) t
    -- clarified subjects: distinct persons and organizations cleared in the
    -- year by the unit's own cases (report_overlaps takes off a subject
    -- counted in two units below one unit)
    CROSS JOIN LATERAL (
        SELECT count(*) AS clarifications,
               count(DISTINCT c.subject_id) FILTER (WHERE s.kind OPERATOR(pg_catalog.=) 'person') AS persons,
               count(DISTINCT c.subject_id) FILTER (WHERE s.kind OPERATOR(pg_catalog.=) 'party_org') AS organizations
        FROM accountability.cases c
        CROSS JOIN LATERAL (SELECT x.* FROM accountability.clarifications x
                            WHERE x.case_id OPERATOR(pg_catalog.=) c.case_id OFFSET 0) l
        -- (the subject through its key too, whatever the statistics say)
        CROSS JOIN LATERAL (SELECT x.kind FROM accountability.subjects x
                            WHERE x.subject_id OPERATOR(pg_catalog.=) c.subject_id OFFSET 0) s
        WHERE c.unit_id OPERATOR(pg_catalog.=) k.unit_id AND l.done_on IS NOT NULL
          -- (never a false-accusation case: its subject is an accuser, whom
          -- only reviewers see; a count would tell a reader that one exists)
          AND c.kind OPERATOR(pg_catalog.<>) 'false_accusation'
          AND (extract(year FROM l.done_on)::integer OPERATOR(pg_catalog.+) 0) OPERATOR(pg_catalog.=) k.year
          AND ($3 IS NULL OR 'clarifications' OPERATOR(pg_catalog.=) ANY ($3))) cl
    -- false accusations: distinct reports with a finding in the year,
    -- distinct accusers (report_overlaps: see above)
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
          -- (never a false-accusation case: its subject is an accuser whom
          -- only reviewers see, and a count would tell a reader who it was)
          -- (OFFSET 0: each cadre's cases through their index, never a
          -- semi-join over every case, as for the determinations above)
          AND EXISTS (SELECT 1 FROM accountability.cases c
                      WHERE c.subject_id OPERATOR(pg_catalog.=) p.subject_id
                        AND c.opened_on OPERATOR(pg_catalog.<=) p.effective_on
                        AND c.kind OPERATOR(pg_catalog.<>) 'false_accusation'
                        AND accountability.case_is_protected(c.case_id)
                      OFFSET 0)
          AND ($3 IS NULL OR 'promotions' OPERATOR(pg_catalog.=) ANY ($3))) pr
$$;

COMMENT ON FUNCTION accountability.report_figures_recount(integer[], bigint[], text[]) IS
'The report figures of the given (year, unit) pairs (years[i], units[i]), counted from the tables with the caller''s rights: the one definition of every figure of annual_report. groups limits the count to some sources (determinations, clarifications, unfounded, commendations, assessments, trainings, mentorships, promotions); the others are null, as is present. The triggers call it as the table owner. 按年度、单位重新计数统计数据。';

/*
 * The four figures that count distinct people or reports (persons and
 * party organizations clarified, reports found falsely made, accusers) do
 * not add up the tree: a person cleared in two townships of a county is one
 * person to the county.  report_figures holds each unit's own distinct
 * count; report_overlaps holds, at each unit where the branches below it
 * (the unit itself, each of its children) reach one person more than once,
 * how many times more.  A unit's distinct figure is then the sum over its
 * subtree of the own counts less the overlaps: for one person, the units
 * of the tree that reach them form a tree of their own, whose branchings
 * the overlaps count, so the sum is exactly one.  Overlaps are rare (one
 * person, two units, one year), so the table is small and annual_report
 * stays a sum.  They are counted again, a whole year at a time, at the
 * commit of any change of the rows behind these figures or of the unit
 * tree (reports.c).
 */
CREATE TABLE accountability.report_overlaps (
    year                    integer NOT NULL,
    unit_id                 bigint NOT NULL,
    clarified_persons       bigint NOT NULL DEFAULT 0,
    clarified_organizations bigint NOT NULL DEFAULT 0,
    false_accusation_cases  bigint NOT NULL DEFAULT 0,
    false_accusation_persons bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (year, unit_id)
);
COMMENT ON TABLE accountability.report_overlaps IS 'Overlaps of the distinct report figures (重复计数), by year and unit: how many times more than once the branches below a unit (the unit itself, each child) reach one person, organization or report; annual_report subtracts them from the sum of the units'' own distinct counts, so a person cleared in two townships counts once for their county. Kept by triggers, checked by report_figures_check(); never written by hand. 统计去重修正数，由触发器维护。';
COMMENT ON COLUMN accountability.report_overlaps.year IS 'Year (年度).';
COMMENT ON COLUMN accountability.report_overlaps.unit_id IS 'The unit where the branches below it overlap (分支重叠的单位).';
COMMENT ON COLUMN accountability.report_overlaps.clarified_persons IS 'Persons clarified counted more than once below the unit (重复计数的澄清正名人数).';
COMMENT ON COLUMN accountability.report_overlaps.clarified_organizations IS 'Party organizations clarified counted more than once below the unit (重复计数的澄清党组织数).';
COMMENT ON COLUMN accountability.report_overlaps.false_accusation_cases IS 'Reports found falsely made counted more than once below the unit (重复计数的诬告陷害案件数).';
COMMENT ON COLUMN accountability.report_overlaps.false_accusation_persons IS 'Accusers counted more than once below the unit (重复计数的涉及人数).';
SELECT pg_catalog.pg_extension_config_dump('accountability.report_overlaps', '');

/*
 * The overlaps of the given years (all when NULL), counted from the tables
 * with the caller's rights (the triggers run it as the table owner): who
 * counts for which unit is what report_figures_recount counts per unit.
 */
CREATE FUNCTION accountability.report_overlaps_recount(years integer[])
RETURNS SETOF accountability.report_overlaps
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    -- every unit's own members of each figure: 1 persons and 2 party
    -- organizations clarified (never on a false-accusation case, whose
    -- subject is a hidden accuser), 3 reports found falsely made, 4 accusers
    WITH members (year, unit_id, figure, member) AS (
        SELECT extract(year FROM l.done_on)::integer, c.unit_id,
               CASE s.kind WHEN 'person' THEN 1 ELSE 2 END, c.subject_id
        FROM accountability.clarifications l
        JOIN accountability.cases c ON c.case_id OPERATOR(pg_catalog.=) l.case_id
        JOIN accountability.subjects s ON s.subject_id OPERATOR(pg_catalog.=) c.subject_id
        WHERE l.done_on IS NOT NULL AND c.kind OPERATOR(pg_catalog.<>) 'false_accusation'
          AND s.kind IN ('person', 'party_org')
          AND ($1 IS NULL OR extract(year FROM l.done_on)::integer OPERATOR(pg_catalog.=) ANY ($1))
        UNION
        SELECT extract(year FROM d.decided_on)::integer, c.unit_id, f.figure,
               CASE f.figure WHEN 3 THEN c.related_case_id ELSE c.subject_id END
        FROM accountability.determinations d
        JOIN accountability.cases c ON c.case_id OPERATOR(pg_catalog.=) d.case_id
        CROSS JOIN (VALUES (3), (4)) f (figure)
        WHERE c.kind OPERATOR(pg_catalog.=) 'false_accusation'
          AND ($1 IS NULL OR extract(year FROM d.decided_on)::integer OPERATOR(pg_catalog.=) ANY ($1))
    ),
    -- the members a year counts in more than one unit (few)
    spread AS (
        SELECT m.year, m.unit_id, m.figure, m.member
        FROM members m
        JOIN (SELECT x.year, x.figure, x.member FROM members x
              GROUP BY x.year, x.figure, x.member HAVING count(*) OPERATOR(pg_catalog.>) 1) t
          ON t.year OPERATOR(pg_catalog.=) m.year AND t.figure OPERATOR(pg_catalog.=) m.figure
         AND t.member OPERATOR(pg_catalog.=) m.member
    ),
    -- at each unit above such a member's units, the branch that reaches
    -- each of them: the unit itself, or its child on the way down
    branches AS (
        SELECT p.year, p.figure, p.member, a.ancestor_id AS unit_id,
               CASE WHEN a.depth OPERATOR(pg_catalog.=) 0 THEN a.ancestor_id ELSE b.ancestor_id END AS branch
        FROM spread p
        JOIN accountability.unit_ancestors a ON a.unit_id OPERATOR(pg_catalog.=) p.unit_id
        LEFT JOIN accountability.unit_ancestors b ON b.unit_id OPERATOR(pg_catalog.=) p.unit_id
              AND b.depth OPERATOR(pg_catalog.=) (a.depth OPERATOR(pg_catalog.-) 1)
    ),
    counted_twice AS (
        SELECT r.year, r.unit_id, r.figure, count(DISTINCT r.branch) OPERATOR(pg_catalog.-) 1 AS extra
        FROM branches r
        GROUP BY r.year, r.unit_id, r.figure, r.member
        HAVING count(DISTINCT r.branch) OPERATOR(pg_catalog.>) 1
    )
    SELECT o.year, o.unit_id,
           coalesce(sum(o.extra) FILTER (WHERE o.figure OPERATOR(pg_catalog.=) 1), 0)::bigint,
           coalesce(sum(o.extra) FILTER (WHERE o.figure OPERATOR(pg_catalog.=) 2), 0)::bigint,
           coalesce(sum(o.extra) FILTER (WHERE o.figure OPERATOR(pg_catalog.=) 3), 0)::bigint,
           coalesce(sum(o.extra) FILTER (WHERE o.figure OPERATOR(pg_catalog.=) 4), 0)::bigint
    FROM counted_twice o
    GROUP BY o.year, o.unit_id
$$;
COMMENT ON FUNCTION accountability.report_overlaps_recount(integer[]) IS
'The overlaps of the distinct report figures (report_overlaps) of the given years, all when null, counted from the tables with the caller''s rights; the triggers run it as the table owner. 重新计算统计去重修正数。';

/*
 * Counted at commit: a deferred constraint trigger on report_figures fires
 * for each unit whose own distinct counts changed (the overlaps of a year
 * change only then), and one on units for any change of the tree (every
 * year).  The count of a year is locked only for the commit, so writers of
 * one year never wait for each other while they work (reports.c).
 */
CREATE FUNCTION accountability.report_overlaps_trigger()
RETURNS trigger AS 'MODULE_PATHNAME', 'report_overlaps_trigger'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION accountability.report_overlaps_trigger() IS
'Deferred constraint trigger (AFTER UPDATE of report_figures when a unit''s own distinct counts change; AFTER UPDATE OF parent_id of units): counts the overlaps of the year, or of every year after a change of the unit tree, at commit, once per year. Skipped in restore mode. 提交时重新计算统计去重修正数的触发器。';
CREATE CONSTRAINT TRIGGER report_figures_95_overlaps AFTER UPDATE ON accountability.report_figures
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.clarified_persons IS DISTINCT FROM NEW.clarified_persons
          OR OLD.clarified_organizations IS DISTINCT FROM NEW.clarified_organizations
          OR OLD.false_accusation_cases IS DISTINCT FROM NEW.false_accusation_cases
          OR OLD.false_accusation_persons IS DISTINCT FROM NEW.false_accusation_persons)
    EXECUTE FUNCTION accountability.report_overlaps_trigger();
CREATE CONSTRAINT TRIGGER units_95_overlaps AFTER UPDATE OF parent_id ON accountability.units
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION accountability.report_overlaps_trigger();

CREATE FUNCTION accountability.report_overlaps_refresh(years integer[])
RETURNS void
AS 'MODULE_PATHNAME', 'report_overlaps_refresh'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION accountability.report_overlaps_refresh(integer[]) IS
'Locks the overlaps of the given years (every year the figures hold when null) and counts them again (report_overlaps_recount), as the triggers do after every statement that can change them. Needs write access to report_overlaps: the triggers run it as the table owner. 锁定并重新计算指定年度的统计去重修正数。';

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
 * transaction-scoped locks of the extension's own class (no client can
 * hold one) in one order, then the count under the
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
    -- every kept row, present or not (annual_report reads the running
    -- mentoring pairs of any row), with its count (report_figures_keys()
    -- holds every kept pair); and every counted row that is present
    WITH k AS (SELECT * FROM accountability.report_figures_keys()),
    counted AS (SELECT r.* FROM k, accountability.report_figures_recount(k.years, k.units) r),
    kept AS (SELECT x.* FROM accountability.report_figures x)
    SELECT coalesce(f.year, r.year), coalesce(f.unit_id, r.unit_id),
           to_jsonb(f) OPERATOR(pg_catalog.-) ARRAY['year', 'unit_id'],
           to_jsonb(r) OPERATOR(pg_catalog.-) ARRAY['year', 'unit_id']
    FROM kept f
    FULL JOIN counted r
           ON r.year OPERATOR(pg_catalog.=) f.year AND r.unit_id OPERATOR(pg_catalog.=) f.unit_id
    WHERE NOT (f.year IS NULL AND NOT r.present)
      AND (to_jsonb(f) OPERATOR(pg_catalog.-) ARRAY['year', 'unit_id'])
          IS DISTINCT FROM (to_jsonb(r) OPERATOR(pg_catalog.-) ARRAY['year', 'unit_id'])
    UNION ALL
    -- and the overlaps of the distinct figures, every year
    SELECT coalesce(f.year, r.year), coalesce(f.unit_id, r.unit_id),
           jsonb_build_object('overlaps', to_jsonb(f) OPERATOR(pg_catalog.-) ARRAY['year', 'unit_id']),
           jsonb_build_object('overlaps', to_jsonb(r) OPERATOR(pg_catalog.-) ARRAY['year', 'unit_id'])
    FROM accountability.report_overlaps f
    FULL JOIN accountability.report_overlaps_recount(NULL) r
           ON r.year OPERATOR(pg_catalog.=) f.year AND r.unit_id OPERATOR(pg_catalog.=) f.unit_id
    WHERE (to_jsonb(f) OPERATOR(pg_catalog.-) ARRAY['year', 'unit_id'])
          IS DISTINCT FROM (to_jsonb(r) OPERATOR(pg_catalog.-) ARRAY['year', 'unit_id'])
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
    LOCK TABLE accountability.report_overlaps IN SHARE ROW EXCLUSIVE MODE;
    DELETE FROM accountability.report_overlaps;
    INSERT INTO accountability.report_overlaps SELECT * FROM accountability.report_overlaps_recount(NULL);
    SELECT count(*) INTO n FROM accountability.report_figures;
    RETURN n;
END
$$;
COMMENT ON FUNCTION accountability.report_figures_rebuild() IS
'Counts every report figure again from the tables and replaces report_figures, report_overlaps and unit_ancestors with the result; returns the number of (year, unit) rows. As a superuser, e.g. after restoring a dump made without them. 重建统计数据。';

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
-- (rows counting nothing are kept by the triggers but never shown: a row a
-- hidden false-accusation case made would tell a reader that one exists)
CREATE POLICY report_figures_in_scope ON accountability.report_figures FOR SELECT
    USING (present
           AND ((SELECT accountability.sees_all_units())
                OR unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[])));
COMMENT ON POLICY report_figures_in_scope ON accountability.report_figures IS 'The figures of the units in the role''s scope (visible_units()) that count something (present).';
ALTER TABLE accountability.report_overlaps ENABLE ROW LEVEL SECURITY;
CREATE POLICY report_overlaps_in_scope ON accountability.report_overlaps FOR SELECT
    USING ((SELECT accountability.sees_all_units())
           OR unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[]));
COMMENT ON POLICY report_overlaps_in_scope ON accountability.report_overlaps IS 'The overlaps of the units in the role''s scope (visible_units()).';

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
    -- the distinct figures: less what two units below one unit both count
    SELECT o.year, o.unit_id, 0, 0, 0, 0,
           OPERATOR(pg_catalog.-) o.clarified_persons, OPERATOR(pg_catalog.-) o.clarified_organizations,
           OPERATOR(pg_catalog.-) o.false_accusation_cases, OPERATOR(pg_catalog.-) o.false_accusation_persons,
           0, 0, 0, 0, 0, 0
    FROM accountability.report_overlaps o
    UNION ALL
    -- mentoring pairs still running count in every year up to the current one
    SELECT y.year, f.unit_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, f.mentoring_pairs_opened, 0
    FROM accountability.report_figures f
    CROSS JOIN LATERAL pg_catalog.generate_series(f.year, extract(year FROM accountability.record_today())::integer) y (year)
    WHERE f.mentoring_pairs_opened OPERATOR(pg_catalog.>) 0
),
-- every figure summed over each unit's subtree
summed AS (
    SELECT o.year, a.ancestor_id AS unit_id, a.top,
           sum(o.tolerance_cases)::bigint AS tolerance_cases,
           sum(o.tolerance_applications)::bigint AS tolerance_applications,
           sum(o.tolerance_grants)::bigint AS tolerance_grants,
           sum(o.ex_officio_grants)::bigint AS ex_officio_grants,
           sum(o.clarified_persons)::bigint AS clarified_persons,
           sum(o.clarified_organizations)::bigint AS clarified_organizations,
           sum(o.false_accusation_cases)::bigint AS false_accusation_cases,
           sum(o.false_accusation_persons)::bigint AS false_accusation_persons,
           sum(o.unfounded_reports)::bigint AS unfounded_reports,
           sum(o.good_cadre_commendations)::bigint AS good_cadre_commendations,
           sum(o.excellent_assessments)::bigint AS excellent_assessments,
           sum(o.training_participants)::bigint AS training_participants,
           sum(o.mentoring_pairs)::bigint AS mentoring_pairs,
           sum(o.promotions_after_protection)::bigint AS promotions_after_protection
    FROM own o
    JOIN accountability.unit_ancestors a ON a.unit_id OPERATOR(pg_catalog.=) o.unit_id
    WHERE (SELECT accountability.report_scope()) IS NULL
       OR a.ancestor_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.report_scope())::bigint[])
    GROUP BY o.year, a.ancestor_id, a.top
)
SELECT s.year, s.unit_id, u.name AS unit_name, u.name_en AS unit_name_en, u.level AS unit_level,
       CASE u.level WHEN 'province' THEN 'province' WHEN 'city' THEN 'city' WHEN 'county' THEN 'county'
                    WHEN 'township' THEN 'township' WHEN 'department' THEN 'department' END AS unit_level_en,
       CASE u.level WHEN 'province' THEN '省' WHEN 'city' THEN '市' WHEN 'county' THEN '县（市、区）'
                    WHEN 'township' THEN '乡镇（街道）' WHEN 'department' THEN '部门' END AS unit_level_zh,
       s.top AS is_province_total,
       s.tolerance_cases, s.tolerance_applications, s.tolerance_grants, s.ex_officio_grants,
       s.clarified_persons, s.clarified_organizations, s.false_accusation_cases, s.false_accusation_persons,
       s.unfounded_reports,
       round((s.clarified_persons OPERATOR(pg_catalog.+) s.clarified_organizations)::numeric
             OPERATOR(pg_catalog./) nullif(s.unfounded_reports, 0), 3) AS clarification_rate,
       s.good_cadre_commendations, s.excellent_assessments, s.training_participants, s.mentoring_pairs,
       s.promotions_after_protection
FROM summed s
JOIN accountability.units u ON u.unit_id OPERATOR(pg_catalog.=) s.unit_id;

COMMENT ON VIEW accountability.annual_report IS 'The yearly figures the province publishes (年度工作统计), per year and unit, each unit counting itself and every unit below it (the province row is the provincial total), for the units in the caller''s scope only: every row holds the figures of the whole unit, whoever reads it. Distinct counts (persons, organizations, reports, accusers) are distinct over the unit''s whole subtree (the own counts less report_overlaps): a person cleared in two townships counts once for their county. Filter and group on year, unit_id, unit_level_en; read from report_figures. 年度工作统计：每个单位含本级及下级，仅限本人数据权限范围内的单位，任何角色看到的同一单位数字相同。';
COMMENT ON COLUMN accountability.annual_report.year IS 'Year (年度), from the recorded dates: decided_on for determinations, done_on for clarifications, opened_on for reports, year for assessments, commendations and training, effective_on for promotions.';
COMMENT ON COLUMN accountability.annual_report.unit_id IS 'Unit (单位) whose subtree is counted.';
COMMENT ON COLUMN accountability.annual_report.unit_name IS 'Unit name (单位名称), the official (Chinese) name.';
COMMENT ON COLUMN accountability.annual_report.unit_name_en IS 'Unit name in English (单位英文名称), when recorded.';
COMMENT ON COLUMN accountability.annual_report.unit_level IS 'Level code (层级代码): province, city, county, township, department; the same as unit_level_en.';
COMMENT ON COLUMN accountability.annual_report.unit_level_en IS 'Level in English (层级，英文): province, city, county, township, department. Filter and group on this.';
COMMENT ON COLUMN accountability.annual_report.unit_level_zh IS 'Level in Chinese (层级，中文): 省, 市, 县（市、区）, 乡镇（街道）, 部门.';
COMMENT ON COLUMN accountability.annual_report.is_province_total IS 'True on the province''s row, the provincial total (全省合计); only a role whose scope covers the province has that row.';
COMMENT ON COLUMN accountability.annual_report.tolerance_cases IS 'Tolerance cases (容错纠错案例数): cases whose latest determination in the year was more lenient than not_tolerable.';
COMMENT ON COLUMN accountability.annual_report.tolerance_applications IS 'Determinations in the year on a tolerance application (依申请容错认定数).';
COMMENT ON COLUMN accountability.annual_report.tolerance_grants IS 'Of those applications, the ones granted some tolerance (申请获准数).';
COMMENT ON COLUMN accountability.annual_report.ex_officio_grants IS 'Tolerance granted ex officio (主动容错数).';
COMMENT ON COLUMN accountability.annual_report.clarified_persons IS 'Persons clarified (澄清正名党员干部人数): distinct persons with a clarification done in the year, over the unit and every unit below it (a person cleared in two townships counts once above them); never the accuser of a false-accusation case.';
COMMENT ON COLUMN accountability.annual_report.clarified_organizations IS 'Party organizations clarified (澄清正名党组织数): distinct, over the unit and every unit below it.';
COMMENT ON COLUMN accountability.annual_report.false_accusation_cases IS 'False-accusation cases (查处诬告陷害案件数): distinct reports with a false-accusation determination in the year, over the unit and every unit below it. Counted for every role, though only reviewers see the cases.';
COMMENT ON COLUMN accountability.annual_report.false_accusation_persons IS 'Persons found to have falsely accused (涉及人数): distinct accusers, over the unit and every unit below it.';
COMMENT ON COLUMN accountability.annual_report.unfounded_reports IS 'Reports registered in the year and found untrue (失实举报数).';
COMMENT ON COLUMN accountability.annual_report.clarification_rate IS 'Clarified subjects ÷ untrue reports (澄清率); null without untrue reports.';
COMMENT ON COLUMN accountability.annual_report.good_cadre_commendations IS 'Good cadres who take responsibility commended (担当作为好干部), by the awarding unit.';
COMMENT ON COLUMN accountability.annual_report.excellent_assessments IS 'Annual assessments graded excellent (年度考核优秀), by the assessing unit.';
COMMENT ON COLUMN accountability.annual_report.training_participants IS 'Distinct cadres trained in the year (参训干部数), by their unit.';
COMMENT ON COLUMN accountability.annual_report.mentoring_pairs IS 'Mentoring pairs active in the year (导师传帮带结对数), by the pair''s unit; a pair still running counts up to the current year.';
COMMENT ON COLUMN accountability.annual_report.promotions_after_protection IS 'Promotions in the year of cadres who had a tolerated error or a cleared accusation before (容错澄清后提拔重用数, the "used again" measure); a false-accusation case never counts.';

/* Privileges: readers read the figures of their units; the checks are for administrators. */
REVOKE ALL ON FUNCTION
    accountability.report_figures_recount(integer[], bigint[], text[]),
    accountability.report_figures_keys(),
    accountability.report_figures_refresh(integer[], bigint[], text[]),
    accountability.report_figures_check(),
    accountability.report_figures_rebuild(),
    accountability.report_scope(),
    accountability.report_overlaps_recount(integer[]),
    accountability.report_overlaps_refresh(integer[]),
    accountability.report_overlaps_trigger()
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION accountability.report_scope() TO accountability_reader;
GRANT EXECUTE ON FUNCTION
    accountability.report_figures_recount(integer[], bigint[], text[]),
    accountability.report_figures_keys(),
    accountability.report_figures_refresh(integer[], bigint[], text[]),
    accountability.report_figures_check(),
    accountability.report_figures_rebuild(),
    accountability.report_overlaps_recount(integer[]),
    accountability.report_overlaps_refresh(integer[])
TO accountability_admin;
GRANT SELECT ON accountability.report_figures, accountability.report_overlaps, accountability.annual_report TO accountability_reader;

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
                -- superuser-only settings: check the value's form without setting it;
                -- a mode stored for every session is a problem of its own (it
                -- takes effect only for roles that may set it, and is forgotten)
                IF val::boolean THEN
                    RAISE EXCEPTION '% is stored on: a restore or an import is one session''s explicit mode (PGOPTIONS or SET), and roles without SET on it ignore it', name;
                END IF;
            ELSE
                PERFORM set_config(name, val, true);
            END IF;
        EXCEPTION WHEN OTHERS THEN
            role_name := r.rolname; database_name := r.datname; setting := name; value := val;
            problem := SQLERRM;
            RETURN NEXT;
        END;
    END LOOP;
    -- the EXPLAIN guard covers a session's first statement only when the
    -- library is preloaded (scope/explain_guard.c)
    IF NOT accountability.library_preloaded() THEN
        role_name := NULL; database_name := current_database(); setting := 'session_preload_libraries';
        value := current_setting('session_preload_libraries');
        problem := format('pg_accountability is not preloaded: it loads with a session''s first statement that uses it, too late to refuse that statement''s EXPLAIN ANALYZE or BUFFERS, which could count rows the scope hides; run ALTER DATABASE %I SET session_preload_libraries = ''pg_accountability'' (or add it to shared_preload_libraries)',
                          current_database());
        RETURN NEXT;
    END IF;
END
$$;
COMMENT ON FUNCTION accountability.setting_problems() IS
'Every stored ALTER ROLE / ALTER DATABASE setting of an accountability.* parameter that a session would refuse (a value stored while pg_accountability was not loaded, which PostgreSQL could not check), every restore or import mode stored on (a mode is one session''s, never a role''s or a database''s), and the library not preloaded for this session (session_preload_libraries: without it, the EXPLAIN guard misses a session''s first statement): role, database, setting, value, the problem. No rows: all are valid. 检查已保存的 accountability.* 参数设置及扩展库预加载。';
REVOKE ALL ON FUNCTION accountability.setting_problems() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION accountability.setting_problems() TO accountability_admin;

-- @end report_figures
