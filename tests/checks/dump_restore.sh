#!/usr/bin/env bash
#
# tests/checks/dump_restore.sh — pg_dump keeps the users' data, and a
# restore trips no trigger (DESIGN.md, "Engineering rules", pg_dump).
#
# Builds a database with cases in every status (registered by a clerk and
# moved through the workflow, and imported in import mode), determinations
# (one case re-determined after an appeal), correction plans open and
# completed, tolerance list items, a changed setting (appeal = 15) and
# awkward text (newlines, tabs, quotes, backslashes, Chinese) in notes and
# facts.  Then restores it two ways into fresh databases:
#
#   plain   pg_dump | psql -v ON_ERROR_STOP=1
#   custom  pg_dump -Fc, then pg_restore --exit-on-error
#
# Not covered: pg_restore -j N.  pg_dump orders the extension tables' data
# by their foreign keys (units, subjects, cases, then what hangs off cases)
# but records in the archive only each TABLE DATA entry's dependency on its
# own table, so parallel workers load cases before subjects and fail the
# foreign keys.  A PostgreSQL limitation for any extension whose
# configuration tables reference each other: restore them with one job.
#
# and checks for each: the restore printed no error; every table of the
# extension holds exactly the source's rows (each table copied out in a
# fixed order and compared byte for byte); the extension's sequences and
# trigger settings (ENABLE ALWAYS guards) match; verify_history() returns
# no rows; and the workflow carries on afterwards with the same guarantees
# (a restored case moves on, numbering continues after the restored rows,
# a new case gets a fresh id, a clerk still cannot load a case as-is).
#
# Run by tests/harness.sh with the throwaway cluster's PGHOST/PGPORT/PGUSER
# (a superuser, as pg_dump and pg_restore must be) and BINDIR; exit 0 = pass.

set -euo pipefail

: "${BINDIR:?BINDIR must point at the PostgreSQL binaries}"
PSQL=("$BINDIR/psql" -X -q -v ON_ERROR_STOP=1)
SRC=dr_source
PLAIN=dr_plain
CUSTOM=dr_custom
CLERK=dr_clerk

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/dump_restore.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT

fail() { printf 'dump_restore: FAIL: %s\n' "$*" >&2; exit 1; }
sql() { local db=$1; shift; "${PSQL[@]}" -d "$db" -At "$@"; }

# ---------------------------------------------------------------- source
for db in $SRC $PLAIN $CUSTOM; do
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
done
"${PSQL[@]}" -d postgres >/dev/null <<SQL
DO \$\$ BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = '$CLERK') THEN
        EXECUTE 'DROP OWNED BY $CLERK';
        EXECUTE 'DROP ROLE $CLERK';
    END IF;
END \$\$;
CREATE ROLE $CLERK;
CREATE DATABASE $SRC;
SQL

"${PSQL[@]}" -d $SRC >"$SCRATCH/build.log" 2>&1 <<SQL || { cat "$SCRATCH/build.log" >&2; fail "building the source database"; }
CREATE EXTENSION pg_accountability;
SET search_path = accountability;

-- A clerk: reads and writes cases and what hangs off them, nothing else.
GRANT USAGE ON SCHEMA accountability TO $CLERK;
GRANT SELECT ON ALL TABLES IN SCHEMA accountability TO $CLERK;
GRANT INSERT, UPDATE ON cases, determinations, correction_plans TO $CLERK;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA accountability TO $CLERK;
-- It works under row-level security like any clerk, with the province in scope.
GRANT accountability_reviewer TO $CLERK;

-- Units: every level.
INSERT INTO units (code, name, name_en, level) VALUES ('33', '浙江省', 'Zhejiang', 'province');
INSERT INTO role_units (role_id, unit_id) VALUES ('$CLERK', 1);
INSERT INTO units (parent_id, code, name, name_en, level) VALUES
    (1, '3301', '杭州市', 'Hangzhou', 'city'),
    (1, '33-ORG', '省委组织部', 'Organisation Department', 'department');
INSERT INTO units (parent_id, code, name, level) VALUES (2, '330110', '余杭区', 'county');
INSERT INTO units (parent_id, code, name, level) VALUES (4, '330110001', '仓前街道', 'township');
-- The city renamed after its county was registered: its new row version now
-- lies after the county's, so the units COPY loads a child before its parent.
UPDATE units SET name_en = 'Hangzhou City' WHERE unit_id = 2;

INSERT INTO subjects (kind, name, unit_id, post, rank, identity_type) VALUES
    ('person', '张三', 4, '街道党工委书记', '正科', 'party_member'),
    ('person', '李四', 5, '副镇长', '副科', 'public_servant'),
    ('party_org', '某村党支部', 5, NULL, NULL, NULL),
    ('person', 'O''Brien "Bob"', 3, E'post with\ttab', NULL, 'other');

-- Tolerance lists: a positive item of the city, a negative one of the county,
-- and an expired positive one.
INSERT INTO tolerance_list_items (unit_id, code, polarity, category, text_zh, text_en, valid_from, valid_to) VALUES
    (2, 'rural_land_pilot', 'positive', '改革创新', '农村土地制度改革试点中的失误', 'Errors in the rural land reform pilot', '2020-01-01', NULL),
    (4, 'rural_land_pilot', 'negative', '负面清单', E'余杭区排除:\n违规出让', 'Excluded in Yuhang', '2025-01-01', NULL),
    (2, 'old_item', 'positive', '其他', '旧条目', NULL, '2018-01-01', '2019-12-31');

-- A changed setting, through the upsert a restore also goes through.
INSERT INTO settings VALUES ('appeal', 15, 'days', 'Days to appeal (申诉期限), local rule: 15.');
UPDATE settings SET value = 60 WHERE name = 'investigation';

-- Cases 1-19, registered by the clerk and moved through the workflow.
SET ROLE $CLERK;
SET accountability.actor = 'clerk 王';
INSERT INTO cases (kind, subject_id, unit_id, event_on, opened_on, facts, conclusion, related_case_id)
SELECT CASE WHEN g IN (3, 13) THEN 'report' ELSE 'accountability' END,
       1 + g % 3, CASE WHEN g % 2 = 0 THEN 4 ELSE 5 END,
       date '2025-03-01' + g, date '2025-06-01' + g,
       CASE WHEN g IN (5, 6, 10, 11, 12) THEN
         jsonb_build_object('situation', CASE WHEN g = 5 THEN 'rural_land_pilot' ELSE 'reform_pilot' END,
                            'consequence', 'minor', 'red_line_breach', false, 'knowing_violation', false,
                            'violated_explicit_ban', false, 'private_gain', false,
                            'fraud_or_obstruction', false, 'procedure_proper', true, 'diligent', true,
                            'corrected_promptly', g <> 11, 'cooperated', true, 'loss_recovered', 'partial')
       ELSE '{}' END,
       CASE WHEN g = 4 THEN E'结论: "quoted", back\\\\slash, tab\there,\nsecond line' END,
       NULL::bigint
FROM generate_series(1, 19) g;

UPDATE cases SET status = 'investigating', transition_note = E'调查组成立\n(第一行)'
 WHERE case_id BETWEEN 2 AND 19 AND case_id <> 13;
UPDATE cases SET status = 'closed', closing_reason = '不属于受理范围' WHERE case_id = 13;
UPDATE cases SET status = 'unfounded' WHERE case_id IN (3, 14, 15);
UPDATE cases SET report_finding = 'suspected_false_accusation' WHERE case_id = 3;
UPDATE cases SET status = 'closed', closing_reason = E'不予澄清: 当事人\t不愿' WHERE case_id = 14;
UPDATE cases SET status = 'follow_up', transition_note = '澄清后回访' WHERE case_id = 15;
UPDATE cases SET status = 'liable' WHERE case_id IN (4, 5, 6, 7, 8, 9, 10, 11, 12, 16, 17, 18, 19);
UPDATE cases SET status = 'tolerance_review' WHERE case_id IN (5, 6, 10, 11, 12);

-- Determinations: several cases in one INSERT, one with a written basis.
INSERT INTO determinations (case_id, mode, outcome, basis, deciding_body, meeting_ref, decided_on)
SELECT c, CASE WHEN c IN (6, 10, 11, 12) THEN 'application' ELSE 'ordinary' END,
       CASE WHEN c IN (6, 10, 12) THEN 'exempted'::tolerance_outcome
            WHEN c = 11 THEN 'reduced'::tolerance_outcome
            ELSE 'not_tolerable'::tolerance_outcome END,
       CASE WHEN c = 11 THEN E'主动挽回损失, "积极"配合' END,
       '区纪委常委会', '2025年第' || c || '次', date '2025-08-01' + c
FROM unnest(ARRAY[6, 7, 8, 9, 10, 11, 12, 16, 17, 18, 19]) c;
UPDATE cases SET status = 'determined' WHERE case_id IN (6, 7, 8, 9, 10, 11, 12, 16, 17, 18, 19);
UPDATE determinations SET notified_on = accountability.record_today()
 WHERE case_id IN (7, 8, 9, 10, 11, 12, 16, 18, 19);
UPDATE cases SET status = 'notified' WHERE case_id IN (7, 8, 9, 10, 11, 12, 16, 18, 19);
UPDATE cases SET status = 'appealed', transition_note = '当事人申诉' WHERE case_id IN (8, 16);

-- Case 16: re-determined after the appeal, notified again.
INSERT INTO determinations (case_id, outcome, deciding_body, decided_on, notified_on)
VALUES (16, 'not_tolerable', '市纪委常委会', accountability.record_today(), accountability.record_today());
UPDATE cases SET status = 'determined', transition_note = '复核维持' WHERE case_id = 16;
UPDATE cases SET status = 'notified' WHERE case_id = 16;

-- Correction plans: case 9 keeps one open; cases 10-12 complete theirs.
INSERT INTO correction_plans (case_id, matter, measures, owner, due_on)
SELECT c, '审批流程不规范 ' || c, E'修订制度;\n建立台账', CASE WHEN c = 9 THEN NULL ELSE '办公室' END, date '2026-09-30'
FROM unnest(ARRAY[9, 10, 11, 12, 10]) c;
UPDATE cases SET status = 'correcting' WHERE case_id IN (9, 10, 11, 12);
UPDATE correction_plans SET completed_on = accountability.record_today(), verified_by = '区委组织部'
 WHERE case_id IN (10, 11, 12);
UPDATE cases SET status = 'filed' WHERE case_id IN (10, 11, 12, 18, 19);
UPDATE cases SET status = 'follow_up' WHERE case_id IN (11, 12);
INSERT INTO follow_up_visits (case_id, plan, visitor, visited_on, method, findings, concerns_resolved)
VALUES (12, E'一人一策:\n谈心', '回访组', accountability.record_today(), 'face_to_face', '无顾虑', true);
UPDATE cases SET status = 'closed', transition_note = '回访无问题' WHERE case_id IN (12, 19);
RESET ROLE;

-- Cases 20-24, imported by the administrator in any status, each with its
-- imported event; the clerk then moves three of them on.
SET accountability.actor = 'admin import';
SET accountability.import = on;
INSERT INTO cases (kind, subject_id, unit_id, status, event_on, opened_on, transition_note, closing_reason)
VALUES ('accountability', 1, 4, 'filed', '2019-05-01', '2019-06-01', '从旧系统导入 #A-1', NULL),
       ('report', 2, 5, 'closed', '2018-01-01', '2018-02-01', '从旧系统导入 #A-2', '旧系统已办结'),
       ('accountability', 2, 5, 'notified', '2024-01-01', '2024-02-01', NULL, NULL),
       ('report', 3, 5, 'received', NULL, '2024-03-01', E'tab\tand "quotes"', NULL),
       ('accountability', 4, 3, 'correcting', '2023-01-01', '2023-02-01', '导入', NULL);
RESET accountability.import;
SET ROLE $CLERK;
SET accountability.actor = 'clerk 李';
UPDATE cases SET status = 'follow_up' WHERE case_id = 20;
UPDATE cases SET status = 'filed' WHERE case_id = 22;
UPDATE cases SET status = 'investigating' WHERE case_id = 23;

-- Volume: 300 more cases, moved in bulk (one UPDATE over many cases).
RESET accountability.actor;
INSERT INTO cases (kind, subject_id, unit_id, opened_on)
SELECT 'accountability', 1 + g % 4, 2 + g % 4, date '2025-01-01' + g % 300 FROM generate_series(1, 300) g;
UPDATE cases SET status = 'investigating' WHERE case_id > 24;
UPDATE cases SET status = CASE WHEN case_id % 3 = 0 THEN 'unfounded' ELSE 'liable' END::case_status WHERE case_id > 24;
INSERT INTO determinations (case_id, outcome, deciding_body)
SELECT case_id, 'not_tolerable', '批量' FROM cases WHERE case_id > 24 AND status = 'liable';
UPDATE cases SET status = 'determined' WHERE case_id > 24 AND status = 'liable';
-- A false accusation: the accuser of report 3 (found untrue, suspected of
-- false accusation), found by the city's discipline commission.
INSERT INTO cases (kind, subject_id, unit_id, related_case_id) VALUES ('false_accusation', 1, 4, 3);
UPDATE cases SET status = 'investigating' WHERE kind = 'false_accusation';
UPDATE cases SET status = 'liable' WHERE kind = 'false_accusation';
INSERT INTO determinations (case_id, outcome, deciding_body, deciding_unit_id)
SELECT case_id, 'not_tolerable', '杭州市纪委常委会', 2 FROM cases WHERE kind = 'false_accusation';
RESET ROLE;
SQL

# Every status is present (the point of the exercise), and the source is intact.
statuses=$(sql $SRC -c "SELECT count(DISTINCT status) FROM accountability.cases")
[ "$statuses" = 12 ] || fail "the source has cases in $statuses statuses, not all 12"
[ -z "$(sql $SRC -c 'SELECT * FROM accountability.verify_history()')" ] \
    || fail "verify_history() reports problems in the source"

# ---------------------------------------------------------------- helpers

# The extension's tables and sequences, from the catalog (not a list here
# that could fall behind the install script).
member_relations() {  # db relkind
    sql "$1" -c "SELECT c.oid::regclass FROM pg_depend d JOIN pg_class c ON c.oid = d.objid
                 WHERE d.classid = 'pg_class'::regclass AND d.deptype = 'e'
                   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_accountability')
                   AND c.relkind = '$2' ORDER BY c.oid::regclass::text"
}

# Copy every member table out in a fixed order (by its whole row, with the
# language setting fixed), the sequences' state and the triggers' enable
# settings, into directory $2.
snapshot_db() {  # db dir
    local db=$1 dir=$2 t
    mkdir -p "$dir"
    for t in $(member_relations "$db" r); do
        sql "$db" -c "SET accountability.language = 'en'" \
            -c "COPY (SELECT x.* FROM $t x ORDER BY x::text COLLATE \"C\") TO STDOUT" >"$dir/$t"
    done
    for t in $(member_relations "$db" S); do
        sql "$db" -c "SELECT last_value, is_called FROM $t" >"$dir/$t"
    done
    sql "$db" -c "SELECT tgrelid::regclass, tgname, tgenabled FROM pg_trigger
                  WHERE NOT tgisinternal ORDER BY tgrelid::regclass::text, tgname" >"$dir/triggers"
    member_relations "$db" r >"$dir/tables"
}

# A restored database: identical to the source, history intact, settings
# kept, and the workflow carries on with the same guarantees.
check_restored() {  # db label stderr-file
    local db=$1 label=$2 errfile=$3 t rows problems
    if grep -Eq 'ERROR|FATAL|error:' "$errfile"; then
        cat "$errfile" >&2
        fail "$label: the restore printed an error"
    fi
    snapshot_db "$db" "$SCRATCH/$label"
    if ! diff -r "$SCRATCH/source" "$SCRATCH/$label" >"$SCRATCH/$label.diff"; then
        head -n 60 "$SCRATCH/$label.diff" >&2
        fail "$label: the restored database differs from the source"
    fi
    problems=$(sql "$db" -c "SELECT count(*) FROM accountability.verify_history()")
    [ "$problems" = 0 ] || fail "$label: verify_history() reports $problems problems"
    [ "$(sql "$db" -c "SELECT value FROM accountability.settings WHERE name = 'appeal'")" = 15 ] \
        || fail "$label: the appeal setting was not kept"

    # The workflow goes on from where the source left off.
    "${PSQL[@]}" -d "$db" >"$SCRATCH/$label.after" 2>&1 <<SQL || { cat "$SCRATCH/$label.after" >&2; fail "$label: the workflow does not carry on after the restore"; }
SET search_path = accountability;
SET ROLE $CLERK;
SET accountability.actor = 'after restore';
-- a restored case moves on, with its chain continued
UPDATE cases SET status = 'filed' WHERE case_id = 7;
-- numbering continues after the restored rows
INSERT INTO determinations (case_id, outcome, deciding_body) VALUES (8, 'not_tolerable', '复核');
DO \$\$ BEGIN
    IF (SELECT max(determination_no) FROM determinations WHERE case_id = 8) <> 2 THEN
        RAISE EXCEPTION 'determination numbering did not continue after the restored rows';
    END IF;
END \$\$;
UPDATE cases SET status = 'determined' WHERE case_id = 8;
INSERT INTO correction_plans (case_id, matter, measures, due_on) VALUES (9, '新增', '措施', '2026-12-31');
-- a new case gets a fresh id from the restored identity
INSERT INTO cases (kind, subject_id, unit_id) VALUES ('report', 1, 4);
DO \$\$ BEGIN
    IF (SELECT max(case_id) FROM cases) <> 326 THEN
        RAISE EXCEPTION 'the case identity was not restored';
    END IF;
END \$\$;
-- a clerk still cannot load a case as-is, nor rewrite the history
DO \$\$ BEGIN
    BEGIN
        INSERT INTO cases (kind, subject_id, unit_id, status) VALUES ('report', 1, 4, 'closed');
        RAISE EXCEPTION 'a clerk inserted a closed case after the restore';
    EXCEPTION WHEN object_not_in_prerequisite_state THEN NULL;
    END;
    BEGIN
        UPDATE case_events SET note = 'forged' WHERE case_id = 1;
        RAISE EXCEPTION 'a clerk rewrote history after the restore';
    EXCEPTION WHEN insufficient_privilege THEN NULL;
    END;
END \$\$;
RESET ROLE;
SQL
    problems=$(sql "$db" -c "SELECT count(*) FROM accountability.verify_history()")
    [ "$problems" = 0 ] || fail "$label: verify_history() reports $problems problems after moving on"

    for t in $(cat "$SCRATCH/$label/tables"); do
        rows=$(wc -l <"$SCRATCH/$label/$t")
        printf '  %-40s %6d rows identical\n' "$t" "$rows"
    done
    printf '%s: identical to the source, verify_history() clean, appeal = 15 kept, workflow carries on\n' "$label"
}

snapshot_db $SRC "$SCRATCH/source"

# pg_dump warns that units refers to itself (parent_id); the warning is
# expected and harmless: the rows are loaded by one COPY, and the foreign
# key is checked at the end of it.  Any other word from pg_dump fails.
dump() {  # label pg_dump-arguments...
    local label=$1; shift
    "$BINDIR/pg_dump" -d $SRC "$@" 2>"$SCRATCH/$label.dump.err" \
        || { cat "$SCRATCH/$label.dump.err" >&2; fail "$label: pg_dump failed"; }
    if grep -v -e 'circular foreign-key constraints on this table' -e '^pg_dump: detail: units$' \
            -e '^pg_dump: hint: ' "$SCRATCH/$label.dump.err" | grep -q .; then
        cat "$SCRATCH/$label.dump.err" >&2
        fail "$label: pg_dump printed an unexpected warning or error"
    fi
}

# ---------------------------------------------------------------- plain
dump plain -f "$SCRATCH/plain.sql"
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $PLAIN" >/dev/null
# Privilege is no restore mode: a superuser's psql of the dump without
# accountability.restore is refused by the workflow's rules, in one
# transaction, and leaves nothing behind.
if "${PSQL[@]}" -d $PLAIN -1 -f "$SCRATCH/plain.sql" >"$SCRATCH/plain.out" 2>"$SCRATCH/plain.refused"; then
    fail "plain: a superuser restored the dump without accountability.restore"
fi
# (the first rule a dumped row breaks: a case registered past received, or a
# unit dumped before its parent, which only a restore loads as written)
grep -Eq 'must start in status received|is placed under unit [0-9]+, which is not recorded' "$SCRATCH/plain.refused" \
    || { cat "$SCRATCH/plain.refused" >&2; fail "plain: the refusal without restore mode is not the workflow's"; }
"${PSQL[@]}" -d postgres -c "DROP DATABASE $PLAIN" -c "CREATE DATABASE $PLAIN" >/dev/null
PGOPTIONS='-c accountability.restore=on' "${PSQL[@]}" -d $PLAIN -f "$SCRATCH/plain.sql" \
    >"$SCRATCH/plain.out" 2>"$SCRATCH/plain.err" \
    || { cat "$SCRATCH/plain.err" >&2; fail "plain: psql -v ON_ERROR_STOP=1 failed restoring the dump"; }
check_restored $PLAIN plain "$SCRATCH/plain.err"

# ---------------------------------------------------------------- custom
dump custom -Fc -f "$SCRATCH/dump.custom"
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $CUSTOM" >/dev/null
PGOPTIONS='-c accountability.restore=on' \
    "$BINDIR/pg_restore" --exit-on-error -d $CUSTOM "$SCRATCH/dump.custom" 2>"$SCRATCH/custom.err" \
    || { cat "$SCRATCH/custom.err" >&2; fail "custom: pg_restore --exit-on-error failed"; }
check_restored $CUSTOM custom "$SCRATCH/custom.err"

# Where restore mode was used is on record: the server log names the role.
# (read through the server: the data directory belongs to the postgres user)
"${PSQL[@]}" -d postgres -Atc "SELECT pg_read_file('server.log')" >"$SCRATCH/server.log"
grep -q 'restore mode (accountability.restore) turned on by role "postgres"' "$SCRATCH/server.log" \
    || fail "the server log does not record that restore mode was turned on, and by whom"

# A restore mode stored for a clerk's login counts for nothing, and the log
# says so instead of recording restore mode as turned on by the clerk.
"${PSQL[@]}" -d postgres >/dev/null <<SQL
DROP ROLE IF EXISTS ${CLERK}_login;
CREATE ROLE ${CLERK}_login LOGIN IN ROLE accountability_clerk;
ALTER ROLE ${CLERK}_login SET accountability.restore = on;
SQL
# (the library loads with the first C function called: then the mode applies)
"$BINDIR/psql" -X -q -U ${CLERK}_login -d $SRC -Atc "SELECT accountability.record_today()" >/dev/null \
    || fail "a clerk's login with a stored restore mode could not connect"
"${PSQL[@]}" -d postgres -Atc "SELECT pg_read_file('server.log')" >"$SCRATCH/server.log"
grep -q "restore mode (accountability.restore) is set for role \"${CLERK}_login\", which may not set it: ignored" "$SCRATCH/server.log" \
    || fail "the server log does not say that a clerk's stored restore mode is ignored"
if grep -q "restore mode (accountability.restore) turned on by role \"${CLERK}_login\"" "$SCRATCH/server.log"; then
    fail "the server log records restore mode as turned on by a clerk, who may not use it"
fi
"${PSQL[@]}" -d postgres -c "DROP ROLE ${CLERK}_login" >/dev/null

# ---------------------------------------------------------------- clean up
for db in $SRC $PLAIN $CUSTOM; do
    "${PSQL[@]}" -d postgres -c "DROP DATABASE $db" >/dev/null
done
"${PSQL[@]}" -d postgres -c "DROP ROLE $CLERK" >/dev/null
echo "dump_restore: ok ($(wc -l <"$SCRATCH/source/accountability.cases") cases in all 12 statuses, plain and custom format)"
