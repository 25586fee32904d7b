#!/usr/bin/env bash
# pg_dump under row-level security (issue 7): a superuser's dump restores the
# whole record — every case and event, the role-to-unit mapping, changed
# grants — with plain pg_dump | psql and with pg_dump -Fc | pg_restore; the
# restored history verifies and the policies scope the clerk as before.  A
# role subject to the policies cannot take a partial dump by mistake.
set -euo pipefail
src=sec_dump_src
plain=sec_dump_plain
custom=sec_dump_custom
clerk=regress_dump_clerk
psql() { "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
cleanup() {
    for db in $src $plain $custom; do psql -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; done
    psql -c "DROP ROLE IF EXISTS $clerk" >/dev/null 2>&1 || true
}
errors=$(mktemp)
trap 'cleanup; rm -f "$errors"' EXIT
cleanup
# pg_dump warns about the self-referencing units table on every run; its
# messages are shown only when something fails.
dump() { "$BINDIR/pg_dump" "$@" 2>>"$errors" || { cat "$errors" >&2; return 1; }; }

fail=0
check() {  # check NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then
        echo "ok - $1"
    else
        echo "not ok - $1: expected '$2', got '$3'"
        fail=1
    fi
}

psql -c "CREATE DATABASE $src" >/dev/null
# the extension creates its group roles (on a fresh cluster, here first)
psql -d $src -c "CREATE EXTENSION pg_accountability" >/dev/null
psql -c "CREATE ROLE $clerk LOGIN IN ROLE accountability_clerk" >/dev/null
psql -d $src >/dev/null <<SQL
SET search_path = public, accountability;
INSERT INTO units (code, name, level) VALUES ('33', '浙江省', 'province');
INSERT INTO units (parent_id, code, name, level) VALUES (1, '3301', '杭州市', 'city');
INSERT INTO units (parent_id, code, name, level) VALUES (2, '330110', '余杭区', 'county'), (2, '330106', '西湖区', 'county');
INSERT INTO subjects (kind, name, unit_id) VALUES ('person', '甲', 3), ('person', '乙', 4);
INSERT INTO role_units (role_id, unit_id) VALUES ('$clerk', 3);
UPDATE settings SET value = 20 WHERE name = 'appeal';
GRANT SELECT ON accountability.settings TO $clerk;  -- a grant the DBA added
SET ROLE $clerk;
INSERT INTO cases (kind, subject_id, unit_id) VALUES ('report', 1, 3), ('report', 1, 3);
UPDATE cases SET status = 'investigating';
UPDATE cases SET status = 'liable' WHERE case_id = 1;
RESET ROLE;
INSERT INTO cases (kind, subject_id, unit_id) VALUES ('report', 2, 4);
SQL

summary() {  # the record as a superuser sees it, and as the clerk
    psql -d "$1" -At -c "
        SELECT (SELECT count(*) FROM accountability.cases) || ' cases, '
            || (SELECT count(*) FROM accountability.case_events) || ' events, '
            || (SELECT count(*) FROM accountability.verify_history()) || ' problems, '
            || (SELECT string_agg(role_id::text || '->' || unit_id, ',') FROM accountability.role_units) || ', '
            || (SELECT value FROM accountability.settings WHERE name = 'appeal') || ' days, '
            || (SELECT count(*) FROM pg_policies WHERE schemaname = 'accountability') || ' policies, '
            || has_table_privilege('$clerk', 'accountability.settings', 'SELECT')"
    psql -d "$1" -At -c "SET ROLE $clerk; SELECT count(*) || ' cases seen by the clerk' FROM accountability.cases"
}

expected=$(summary $src)

psql -c "CREATE DATABASE $plain" >/dev/null
dump -d $src | PGOPTIONS='-c accountability.restore=on' psql -d $plain >/dev/null
check "plain pg_dump | psql restores the record, the mapping, the grants and the policies" "$expected" "$(summary $plain)"

psql -c "CREATE DATABASE $custom" >/dev/null
dump -Fc -d $src | PGOPTIONS='-c accountability.restore=on' "$BINDIR/pg_restore" --exit-on-error -d $custom
check "pg_dump -Fc | pg_restore restores the same" "$expected" "$(summary $custom)"

# The number of policies is whatever the extension creates (the restores
# above must show the same number); every table under row-level security in
# the source has at least one, so the count cannot pass by being empty (but
# the ledger's two, which no role under the policies reads: no policy).
policies=$(psql -d $src -At -c "SELECT count(*) FROM pg_policies WHERE schemaname = 'accountability'")
unguarded=$(psql -d $src -At -c "
    SELECT count(*) FROM pg_catalog.pg_class c
    WHERE c.relnamespace = 'accountability'::regnamespace AND c.relrowsecurity
      AND c.relname NOT IN ('ledger_entries', 'ledger_blocks')
      AND NOT EXISTS (SELECT FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid)")
check "every table under row-level security has a policy" "0" "$unguarded"

check "the source shows 3 cases, 3 events, the clerk's mapping and scope" \
    "3 cases, 3 events, 0 problems, $clerk->3, 20 days, $policies policies, true
2 cases seen by the clerk" "$expected"

# A role under the policies gets an error, never a silently partial dump.
if out=$("$BINDIR/pg_dump" -U $clerk -d $src -t accountability.cases 2>&1 >/dev/null); then
    check "pg_dump as a role under row-level security fails" "error" "succeeded"
else
    check "pg_dump as a role under row-level security fails" "row-level security" \
        "$(grep -o 'row-level security' <<<"$out" | head -1)"
fi

[ $fail -eq 0 ] || { cat "$errors" >&2; exit 1; }
