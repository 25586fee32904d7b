#!/usr/bin/env bash
# Every role gets true figures for its scope (issue 16), on the demo's
# province-year: for readers, clerks and reviewers mapped to the province, a
# city, a county and a township alone (no county row in its scope),
# annual_report and tolerance_by_situation give, unit by unit, exactly the
# superuser's rows for the units in the role's scope and no row for any
# other unit (so no province row for a city); case_overview, overdue_cases
# and follow_up_due give the superuser's rows of the role's units
# (false-accusation cases only to reviewers: who accused whom), and
# subject_standing the superuser's rows of the cadres of the role's units.
# The report figures and the subject figures equal a count from scratch;
# and no BI view lets JIT take over for a reader, with default settings.
set -euo pipefail
: "${TOP:?}" "${BINDIR:?}"
psql() { "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
DB=bi_scope_check
cleanup() {
    "$BINDIR/psql" -X -q -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
    for k in reader clerk reviewer; do
        for s in province city county township; do
            "$BINDIR/psql" -X -q -c "DROP ROLE IF EXISTS bi_scope_${k}_$s" >/dev/null 2>&1 || true
        done
    done
}
trap cleanup EXIT
cleanup

psql -c "CREATE DATABASE $DB" >/dev/null
psql -d $DB -c "CREATE EXTENSION pg_accountability" >/dev/null
psql -d $DB -v seed=42 -v year=2025 -v subjects=100000 -v years=1 -f "$TOP/tests/demo/generate.sql" >/dev/null
psql -d $DB -c "ANALYZE" >/dev/null

# the roles: every group role at every level; the township is mapped alone
psql -d $DB >/dev/null <<'SQL'
DO $$
DECLARE k text; s record;
BEGIN
    FOREACH k IN ARRAY ARRAY['reader', 'clerk', 'reviewer'] LOOP
        FOR s IN SELECT * FROM (VALUES ('province', '33'), ('city', '3301'), ('county', '330110'),
                                       ('township', '330110001')) v (scope, code) LOOP
            EXECUTE format('CREATE ROLE %I IN ROLE %I', 'bi_scope_' || k || '_' || s.scope, 'accountability_' || k);
            EXECUTE format('INSERT INTO accountability.role_units (role_id, unit_id)
                            SELECT %L::regrole, unit_id FROM accountability.units WHERE code = %L',
                           'bi_scope_' || k || '_' || s.scope, s.code);
        END LOOP;
    END LOOP;
END $$;
CREATE SCHEMA scope_check;
GRANT USAGE, CREATE ON SCHEMA scope_check TO PUBLIC;
-- what the superuser sees
CREATE TABLE scope_check.su_annual AS SELECT * FROM accountability.annual_report;
CREATE TABLE scope_check.su_situation AS SELECT * FROM accountability.tolerance_by_situation;
CREATE TABLE scope_check.su_overview AS SELECT * FROM accountability.case_overview;
CREATE TABLE scope_check.su_overdue AS SELECT * FROM accountability.overdue_cases;
CREATE TABLE scope_check.su_follow_up AS SELECT * FROM accountability.follow_up_due;
CREATE TABLE scope_check.su_standing AS SELECT * FROM accountability.subject_standing;
-- repeated reports: the demo's year is past, so the window is widened to
-- the longest a setting allows, and every report of the year counts
UPDATE accountability.settings SET value = 3650 WHERE name = 'report_window';
UPDATE accountability.settings SET value = 2 WHERE name = 'report_threshold';
-- the reports, with the unit that holds each: a role counts those it holds
CREATE TABLE scope_check.su_reports AS
    SELECT subject_id, unit_id FROM accountability.cases
    WHERE kind = 'report' AND opened_on > current_date - 3650;
-- the accusers: their standing counts their false-accusation cases only for
-- a role that sees those cases (a reviewer)
CREATE TABLE scope_check.accusers AS
    SELECT DISTINCT subject_id FROM accountability.cases WHERE kind = 'false_accusation';
SQL

status=0
fail() { echo "bi_scope: FAIL: $*"; status=1; }

problems=$(psql -d $DB -At -c "SELECT count(*) FROM accountability.report_figures_check()")
[ "$problems" = 0 ] || fail "report_figures_check() lists $problems differences"
warned=$(psql -d $DB -At -c "SELECT count(*) FROM accountability.early_warning_candidates WHERE reason_en = 'repeated_reports'")
[ "$warned" -gt 0 ] || fail "no cadre with repeated reports in the demo: the comparison would prove nothing"
problems=$(psql -d $DB -At -c "SELECT count(*) FROM accountability.subject_figures_check()")
[ "$problems" = 0 ] || fail "subject_figures_check() lists $problems differences"

for k in reader clerk reviewer; do
    for s in province city county township; do
        role=bi_scope_${k}_$s
        out=$(psql -d $DB -At <<SQL
SET ROLE $role;
CREATE TEMP TABLE r_annual AS SELECT * FROM accountability.annual_report;
CREATE TEMP TABLE r_situation AS SELECT * FROM accountability.tolerance_by_situation;
CREATE TEMP TABLE r_overview AS SELECT * FROM accountability.case_overview;
CREATE TEMP TABLE r_overdue AS SELECT * FROM accountability.overdue_cases;
CREATE TEMP TABLE r_follow_up AS SELECT * FROM accountability.follow_up_due;
CREATE TEMP TABLE r_standing AS SELECT * FROM accountability.subject_standing;
CREATE TEMP TABLE r_warnings AS
    SELECT subject_id, detail_en FROM accountability.early_warning_candidates WHERE reason_en = 'repeated_reports';
CREATE TEMP TABLE jit AS SELECT 'x'::text AS plan LIMIT 0;
DO \$\$
DECLARE v text; p json;
BEGIN
    FOREACH v IN ARRAY ARRAY['annual_report', 'tolerance_by_situation', 'case_overview', 'overdue_cases', 'follow_up_due',
                             'early_warning_candidates', 'unit_tree', 'subject_directory', 'subject_standing'] LOOP
        EXECUTE format('EXPLAIN (FORMAT JSON) SELECT * FROM accountability.%I', v) INTO p;
        IF p::text LIKE '%"JIT"%' OR (p->0->'Plan'->>'Total Cost')::float8 > current_setting('jit_above_cost')::float8 THEN
            INSERT INTO jit VALUES (v || ' (cost ' || (p->0->'Plan'->>'Total Cost') || ')');
        END IF;
    END LOOP;
END \$\$;
RESET ROLE;
CREATE TEMP TABLE scope AS
    SELECT a.unit_id FROM accountability.unit_ancestors a
    JOIN accountability.role_units m ON m.unit_id = a.ancestor_id
    WHERE m.role_id = '$role'::regrole;
CREATE TEMP TABLE sees_accusers AS SELECT '$k' = 'reviewer' AS yes;
CREATE TEMP TABLE expected_warnings AS
    SELECT subject_id, format('%s reports in %s days', count(*), 3650) AS detail_en
    FROM scope_check.su_reports WHERE unit_id IN (SELECT unit_id FROM scope)
    GROUP BY subject_id HAVING count(*) >= 2;
SELECT 'annual_report', (SELECT count(*) FROM r_annual),
       (SELECT count(*) FROM (SELECT * FROM r_annual EXCEPT SELECT * FROM scope_check.su_annual WHERE unit_id IN (SELECT unit_id FROM scope)) x)
     + (SELECT count(*) FROM (SELECT * FROM scope_check.su_annual WHERE unit_id IN (SELECT unit_id FROM scope) EXCEPT SELECT * FROM r_annual) x)
UNION ALL
SELECT 'tolerance_by_situation', (SELECT count(*) FROM r_situation),
       (SELECT count(*) FROM (SELECT * FROM r_situation EXCEPT SELECT * FROM scope_check.su_situation WHERE unit_id IN (SELECT unit_id FROM scope)) x)
     + (SELECT count(*) FROM (SELECT * FROM scope_check.su_situation WHERE unit_id IN (SELECT unit_id FROM scope) EXCEPT SELECT * FROM r_situation) x)
UNION ALL
SELECT 'case_overview', (SELECT count(*) FROM r_overview),
       (SELECT count(*) FROM (SELECT * FROM r_overview EXCEPT SELECT * FROM scope_check.su_overview
                              WHERE unit_id IN (SELECT unit_id FROM scope) AND (kind <> 'false_accusation' OR (SELECT yes FROM sees_accusers))) x)
     + (SELECT count(*) FROM (SELECT * FROM scope_check.su_overview
                              WHERE unit_id IN (SELECT unit_id FROM scope) AND (kind <> 'false_accusation' OR (SELECT yes FROM sees_accusers))
                              EXCEPT SELECT * FROM r_overview) x)
UNION ALL
SELECT 'overdue_cases', (SELECT count(*) FROM r_overdue),
       (SELECT count(*) FROM (SELECT * FROM r_overdue EXCEPT SELECT * FROM scope_check.su_overdue
                              WHERE unit_id IN (SELECT unit_id FROM scope) AND (kind <> 'false_accusation' OR (SELECT yes FROM sees_accusers))) x)
     + (SELECT count(*) FROM (SELECT * FROM scope_check.su_overdue
                              WHERE unit_id IN (SELECT unit_id FROM scope) AND (kind <> 'false_accusation' OR (SELECT yes FROM sees_accusers))
                              EXCEPT SELECT * FROM r_overdue) x)
UNION ALL
SELECT 'follow_up_due', (SELECT count(*) FROM r_follow_up),
       (SELECT count(*) FROM (SELECT * FROM r_follow_up EXCEPT SELECT * FROM scope_check.su_follow_up
                              WHERE unit_id IN (SELECT unit_id FROM scope) AND (kind <> 'false_accusation' OR (SELECT yes FROM sees_accusers))) x)
     + (SELECT count(*) FROM (SELECT * FROM scope_check.su_follow_up
                              WHERE unit_id IN (SELECT unit_id FROM scope) AND (kind <> 'false_accusation' OR (SELECT yes FROM sees_accusers))
                              EXCEPT SELECT * FROM r_follow_up) x)
UNION ALL
SELECT 'subject_standing', (SELECT count(*) FROM r_standing),
       -- every column of every cadre, the accusers' too for a reviewer
       (SELECT count(*) FROM (SELECT * FROM r_standing WHERE subject_id NOT IN (SELECT subject_id FROM scope_check.accusers) OR (SELECT yes FROM sees_accusers)
                              EXCEPT SELECT * FROM scope_check.su_standing WHERE unit_id IN (SELECT unit_id FROM scope)) x)
     + (SELECT count(*) FROM (SELECT * FROM scope_check.su_standing WHERE unit_id IN (SELECT unit_id FROM scope)
                              AND (subject_id NOT IN (SELECT subject_id FROM scope_check.accusers) OR (SELECT yes FROM sees_accusers))
                              EXCEPT SELECT * FROM r_standing) x)
       -- for other roles, an accuser's row is the superuser's but for what its false-accusation cases add
     + (SELECT count(*) FROM (SELECT subject_id, kind, name, unit_id, demotions_in_effect, unfounded_reports, early_warnings,
                                     latest_grade, latest_grade_year, excellent_assessments, commendations, good_cadre_awards,
                                     training_hours_this_year, mentors_now, mentees_now, promotions, last_promoted_on, demotions
                              FROM r_standing WHERE subject_id IN (SELECT subject_id FROM scope_check.accusers)
                              EXCEPT SELECT subject_id, kind, name, unit_id, demotions_in_effect, unfounded_reports, early_warnings,
                                     latest_grade, latest_grade_year, excellent_assessments, commendations, good_cadre_awards,
                                     training_hours_this_year, mentors_now, mentees_now, promotions, last_promoted_on, demotions
                              FROM scope_check.su_standing WHERE unit_id IN (SELECT unit_id FROM scope)) x)
     + (SELECT count(*) FROM scope_check.su_standing WHERE unit_id IN (SELECT unit_id FROM scope)
                              AND subject_id NOT IN (SELECT subject_id FROM r_standing))
UNION ALL
SELECT 'repeated_reports', (SELECT count(*) FROM r_warnings),
       -- exactly the reports the units of the scope hold, counted per cadre
       (SELECT count(*) FROM (SELECT * FROM r_warnings EXCEPT SELECT * FROM expected_warnings) x)
     + (SELECT count(*) FROM (SELECT * FROM expected_warnings EXCEPT SELECT * FROM r_warnings) x)
UNION ALL
SELECT 'province row', (SELECT count(*) FROM r_annual WHERE is_province_total),
       CASE WHEN '$s' = 'province' THEN 1 - (SELECT count(DISTINCT year) FILTER (WHERE is_province_total) FROM r_annual)::int
                                         + (SELECT count(DISTINCT year) FROM r_annual)::int - 1
            ELSE (SELECT count(*) FROM r_annual WHERE is_province_total)::int END
UNION ALL
SELECT 'jit: ' || coalesce(string_agg(plan, ', '), 'none'), count(*), count(*) FROM jit;
SQL
)
        while IFS='|' read -r what rows diffs; do
            [ -n "$what" ] || continue
            if [ "$diffs" != 0 ]; then
                fail "$role: $what: $diffs rows differ from the superuser's for the role's units ($rows rows)"
            fi
            case $what in annual_report|subject_standing) [ "$rows" -gt 0 ] || fail "$role: $what is empty" ;; esac
        done <<<"$out"
        echo "bi_scope: $role: $(tr '\n' ' ' <<<"$out" | sed 's/|/ /g')"
    done
done

[ $status -eq 0 ] && echo "bi_scope: every role's figures are the superuser's for its units; no row outside a scope; no JIT"
exit $status
