#!/usr/bin/env bash
#
# tests/checks/explain_guard.sh — a county login's very first statement
# cannot count the rows its scope hides, with nothing preloaded.
#
# EXPLAIN ANALYZE prints the rows a filter removed, and a LEAKPROOF
# condition (subject_id = 5) runs before the policies, so those counts
# would tell a reader that a hidden false-accusation case exists and whose
# it is.  The guard is an ExecutorRun hook (and, for BUFFERS, an
# ExecutorStart hook), installed when the library
# loads, which the policies' C function makes happen when the plan starts.
# pgTAP (tests/security.sql) covers the forms it judges in one session;
# this check needs fresh sessions, where the library is not loaded yet.
# Checked, each as the first statement of a new session of a reader login:
#   - EXPLAIN ANALYZE is refused (42501), directly, through a view, through
#     DECLARE, in a DO block, when it finds no row at all, and on the
#     role-to-unit mapping (whose policies call administers_units());
#   - EXPLAIN (BUFFERS) of a function the planner evaluates, which reads the
#     record while planning and so loads the library in mid-statement, is
#     refused (42501);
#   - plain EXPLAIN and ordinary reads work;
#   - with the library preloaded (session_preload_libraries for the
#     database), also EXPLAIN ANALYZE of a STABLE function that reads the
#     record, and EXPLAIN (BUFFERS) whose planning alone reads it, as a
#     session's first statement; setting_problems() lists the missing
#     preload before and not after;
#   - the scan counters of the statistics are refused (42501);
#   - a superuser's EXPLAIN ANALYZE works.

set -euo pipefail
: "${BINDIR:?BINDIR must point at the PostgreSQL binaries}"

db=explain_guard_check
reader=explain_guard_reader
# shellcheck source=lib/scratch.sh
. "$TOP/tests/checks/lib/scratch.sh"
scratch_database $db $reader

psql_su -d $db >/dev/null <<SQL
CREATE EXTENSION pg_accountability;
DO \$\$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$reader') THEN
        CREATE ROLE $reader LOGIN IN ROLE accountability_reader;
    END IF;
END \$\$;
SET search_path = accountability;
INSERT INTO units (unit_id, code, name, level) VALUES (1, '33', '浙江省', 'province');
INSERT INTO units (unit_id, parent_id, code, name, level) VALUES (2, 1, '3301', '杭州市', 'city');
INSERT INTO subjects (subject_id, kind, name, unit_id) VALUES (1, 'person', '张三', 2), (2, 'person', '李四', 2);
INSERT INTO cases (case_id, kind, subject_id, unit_id) VALUES (1, 'report', 1, 2);
INSERT INTO role_units (role_id, unit_id) VALUES ('$reader', 2);
SQL

failures=0
# expect NAME SQLSTATE SQL: run SQL as the first statement of a new reader session
expect() {
    local name=$1 want=$2 sql=$3 out got
    out=$("$BINDIR/psql" -X -q -U $reader -d $db -v VERBOSITY=sqlstate -c "$sql" 2>&1) && got=ok || got=$(grep -o '[0-9A-Z]\{5\}' <<<"$out" | tail -n 1)
    if [ "$got" = "$want" ]; then
        echo "explain_guard: $name: $got"
    else
        echo "explain_guard: $name: expected $want, got $got: $out"
        failures=$((failures + 1))
    fi
}
expect "EXPLAIN ANALYZE first in a session" 42501 \
    "EXPLAIN (ANALYZE, COSTS OFF) SELECT 1 FROM accountability.cases WHERE kind = 'false_accusation' AND subject_id = 1"
expect "EXPLAIN ANALYZE of a view first in a session" 42501 \
    "EXPLAIN ANALYZE SELECT * FROM accountability.case_overview"
expect "EXPLAIN ANALYZE of DECLARE first in a session" 42501 \
    "BEGIN; EXPLAIN (ANALYZE) DECLARE c CURSOR FOR SELECT 1 FROM accountability.cases WHERE subject_id = 1; COMMIT"
expect "EXPLAIN ANALYZE in a DO block first in a session" 42501 \
    "DO \$\$DECLARE r record; BEGIN FOR r IN EXECUTE 'EXPLAIN ANALYZE SELECT 1 FROM accountability.cases WHERE case_id = 1' LOOP RAISE NOTICE '%', r; END LOOP; END\$\$"
expect "EXPLAIN ANALYZE finding nothing first in a session" 42501 \
    "EXPLAIN ANALYZE SELECT 1 FROM accountability.cases WHERE case_id = -1"
expect "EXPLAIN ANALYZE of the role-to-unit mapping first in a session" 42501 \
    "EXPLAIN (ANALYZE, COSTS OFF) SELECT 1 FROM accountability.role_units WHERE unit_id = 1"
expect "EXPLAIN (BUFFERS) of what planning reads, first in a session" 42501 \
    "CREATE FUNCTION pg_temp.folded(probe bigint) RETURNS bigint LANGUAGE plpgsql IMMUTABLE AS 'BEGIN RETURN (SELECT count(*) FROM accountability.cases WHERE case_id = probe); END'; EXPLAIN (BUFFERS) SELECT pg_temp.folded(1)"
expect "plain EXPLAIN" ok "EXPLAIN SELECT 1 FROM accountability.cases WHERE case_id = 1"
expect "a reader's own read" ok "SELECT count(*) FROM accountability.cases"
expect "the scan counters" 42501 "SELECT idx_tup_fetch FROM pg_stat_xact_user_tables WHERE relname = 'cases'"

# A STABLE function's statements run inside the explained statement, and
# the library loads only with the first of them: too late for a session's
# first statement (attack round 14).  Preloading closes it, and
# setting_problems() says when it is missing.
stable_probe="CREATE FUNCTION pg_temp.probe(s bigint) RETURNS bigint LANGUAGE plpgsql STABLE AS 'BEGIN RETURN (SELECT count(*) FROM accountability.cases WHERE subject_id = s); END'"
missing=$(psql_su -d $db -Atc "SELECT count(*) FROM accountability.setting_problems() WHERE setting = 'session_preload_libraries'")
if [ "$missing" = 1 ]; then
    echo "explain_guard: setting_problems() lists the library as not preloaded: 1"
else
    echo "explain_guard: setting_problems() should list the library as not preloaded, listed $missing"
    failures=$((failures + 1))
fi
psql_su -d $db -c "ALTER DATABASE $db SET session_preload_libraries = 'pg_accountability'" >/dev/null
expect "preloaded: EXPLAIN ANALYZE of a STABLE function that reads the record, first in a session" 42501 \
    "$stable_probe; EXPLAIN (ANALYZE, BUFFERS OFF) SELECT pg_temp.probe(1)"
expect "preloaded: EXPLAIN (ANALYZE, BUFFERS) of it, first in a session" 42501 \
    "$stable_probe; EXPLAIN (ANALYZE, BUFFERS) SELECT pg_temp.probe(1)"
expect "preloaded: EXPLAIN (BUFFERS) whose planning alone reads the record, first in a session" 42501 \
    "EXPLAIN (BUFFERS) SELECT 1 FROM accountability.subjects WHERE subject_id > 1"
expect "preloaded: plain EXPLAIN" ok "EXPLAIN SELECT 1 FROM accountability.cases WHERE case_id = 1"
missing=$("$BINDIR/psql" -X -q -d $db -Atc "SELECT count(*) FROM accountability.setting_problems() WHERE setting = 'session_preload_libraries'")
if [ "$missing" != 0 ]; then
    echo "explain_guard: a preloaded session is still listed by setting_problems(): $missing"
    failures=$((failures + 1))
fi
if ! psql_su -d $db -c "EXPLAIN ANALYZE SELECT 1 FROM accountability.cases WHERE case_id = 1" >/dev/null; then
    echo "explain_guard: a superuser's EXPLAIN ANALYZE failed"
    failures=$((failures + 1))
fi
[ "$failures" -eq 0 ] && echo "explain_guard: a reader's first statement cannot count hidden rows"
exit "$failures"
