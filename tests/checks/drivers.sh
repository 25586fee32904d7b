#!/usr/bin/env bash
# The real drivers, from Debian's packages, as BI tools and case systems use
# them (issue 16): PostgreSQL JDBC (libpostgresql-jdbc-java, every parameter
# bound with setString, no stringtype option), psycopg2 (python3-psycopg2:
# a Python list is text[]) and psqlODBC (odbc-postgresql through unixodbc
# and python3-pyodbc, with the DSN options the README gives).  Statuses and
# outcomes bound as strings compare (=, <>, <, IN, = ANY), pass to
# can_transition() and next_statuses(), and facts arrive from a JSON
# string; through ODBC, view columns are VARCHAR and booleans BIT.
#
# JDBC speaks TCP only, so this check starts a cluster of its own that
# listens on 127.0.0.1 (a free port), trust authentication, and removes it
# on exit.  Each driver gets a fresh copy of the same small database and
# logs in as a clerk mapped to the province, under row-level security.
set -euo pipefail
: "${TOP:?}" "${BINDIR:?}" "${WORKDIR:?}"
# shellcheck source=lib/clusters.sh
. "$TOP/tests/checks/lib/clusters.sh"
trap clusters_cleanup EXIT

JAR=/usr/share/java/postgresql.jar
# Debian's Python, which the python3-* packages install into (a python3
# earlier on PATH, e.g. pyenv's, does not see them)
PY=/usr/bin/python3
for need in java $PY isql; do
    command -v "$need" >/dev/null || { echo "drivers: $need is missing (the harness installs DRIVER_PACKAGES)"; exit 1; }
done
[ -r "$JAR" ] || { echo "drivers: $JAR is missing (libpostgresql-jdbc-java)"; exit 1; }
$PY -c 'import psycopg2, pyodbc' || { echo "drivers: python3-psycopg2 or python3-pyodbc is missing"; exit 1; }

# a free port on the loopback address
PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
cluster_init drivers
DIR=$(cluster_dir drivers)
as_postgres "$BINDIR/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 120 \
    -o "-c listen_addresses=127.0.0.1 -k $DIR -p $PORT -c fsync=off" start >/dev/null \
    || { tail -n 40 "$DIR/server.log" >&2; exit 1; }
psql() { "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$DIR" -p "$PORT" -U postgres "$@"; }

psql -d postgres -c "CREATE DATABASE drivers_template" >/dev/null
psql -d drivers_template >/dev/null <<'SQL'
CREATE EXTENSION pg_accountability;
SET search_path = public, accountability;
INSERT INTO units (code, name, level) VALUES ('33', '浙江省', 'province');
INSERT INTO units (parent_id, code, name, level) VALUES (1, '3301', '杭州市', 'city');
INSERT INTO subjects (kind, name, unit_id, post) VALUES ('person', '张三', 2, '街道党工委书记');
-- four cases: closed, received, investigating, determined (exempted)
INSERT INTO cases (kind, subject_id, unit_id, event_on, facts)
SELECT 'accountability', 1, 2, '2026-03-01',
       '{"situation": "reform_pilot", "consequence": "minor", "red_line_breach": false,
         "knowing_violation": false, "violated_explicit_ban": false, "private_gain": false,
         "fraud_or_obstruction": false, "procedure_proper": true, "diligent": true,
         "corrected_promptly": true}'
FROM generate_series(1, 4);
UPDATE cases SET status = 'closed', closing_reason = '不予受理' WHERE case_id = 1;
UPDATE cases SET status = 'investigating' WHERE case_id IN (3, 4);
UPDATE cases SET status = 'liable' WHERE case_id = 4;
UPDATE cases SET status = 'tolerance_review' WHERE case_id = 4;
INSERT INTO determinations (case_id, outcome, deciding_body) VALUES (4, 'exempted', '区纪委常委会');
UPDATE cases SET status = 'determined' WHERE case_id = 4;
CREATE ROLE drivers_clerk LOGIN IN ROLE accountability_clerk;
-- as the README says: the schema on the login's search path, so its operators are found
ALTER ROLE drivers_clerk SET search_path = "$user", public, accountability;
INSERT INTO role_units (role_id, unit_id) VALUES ('drivers_clerk', 1);
-- an auditor, as the README's ledger section has it: takes the digests
CREATE ROLE drivers_auditor LOGIN BYPASSRLS IN ROLE accountability_admin;
SQL
for db in drivers_jdbc drivers_psycopg2 drivers_odbc; do
    psql -d postgres -c "CREATE DATABASE $db TEMPLATE drivers_template" >/dev/null
done
cleanup_role() { psql -d postgres -c "DROP DATABASE IF EXISTS drivers_template" -c "DROP DATABASE IF EXISTS drivers_jdbc" \
    -c "DROP DATABASE IF EXISTS drivers_psycopg2" -c "DROP DATABASE IF EXISTS drivers_odbc" -c "DROP ROLE IF EXISTS drivers_clerk" -c "DROP ROLE IF EXISTS drivers_auditor" \
    >/dev/null 2>&1 || true; clusters_cleanup; }
trap cleanup_role EXIT

SCRATCH=$(mktemp -d "$WORKDIR/drivers.XXXXXX")
status=0

# JDBC: compiled with javac when the JDK is there, else the single-file launcher
if command -v javac >/dev/null; then
    javac -d "$SCRATCH" "$TOP/tests/drivers/Drivers.java"
    java -cp "$JAR:$SCRATCH" Drivers "jdbc:postgresql://127.0.0.1:$PORT/drivers_jdbc?user=drivers_clerk" || status=1
else
    java -cp "$JAR" "$TOP/tests/drivers/Drivers.java" "jdbc:postgresql://127.0.0.1:$PORT/drivers_jdbc?user=drivers_clerk" || status=1
fi

$PY "$TOP/tests/drivers/drivers.py" psycopg2 "host=127.0.0.1 port=$PORT dbname=drivers_psycopg2 user=drivers_clerk" \
    "host=127.0.0.1 port=$PORT dbname=drivers_psycopg2 user=drivers_auditor" || status=1

# psqlODBC, with the README's DSN options (a DSN-less connection string)
ODBC="Driver={PostgreSQL Unicode};Servername=127.0.0.1;Port=$PORT;Database=drivers_odbc;Username=drivers_clerk"
ODBC="$ODBC;TextAsLongVarchar=0;UnknownsAsLongVarchar=0;MaxVarcharSize=4000;BoolsAsChar=0"
$PY "$TOP/tests/drivers/drivers.py" odbc "$ODBC" || status=1

[ $status -eq 0 ] && echo "drivers: JDBC, psycopg2 and psqlODBC all pass"
exit $status
