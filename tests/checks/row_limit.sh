#!/usr/bin/env bash
# majors: 15
#
# tests/checks/row_limit.sh — rows of the record never commit outside the
# ledger, even from a statement stopped at a row limit.
#
# A procedural language's query interface may run a statement with a row
# limit: PL/Perl's spi_exec_query(query, n) stops an INSERT ... RETURNING
# after n rows, and the statement's AFTER STATEMENT triggers, the ledger's
# among them, never run.  ledger/order.c counts every row written and
# refuses a commit whose rows are not all recorded (55000).  Checked with
# PL/Perl (Debian's postgresql-plperl-15, a trusted language a DBA may
# install), as a county clerk:
#   - a two-row INSERT stopped after one row: its commit is refused, and
#     nothing of it is left;
#   - the same INSERT with no limit commits, and verify_ledger() is clean;
#   - a limit no lower than the rows written changes nothing.

set -euo pipefail
: "${BINDIR:?BINDIR must point at the PostgreSQL binaries}"

db=row_limit_check
clerk=row_limit_clerk
# shellcheck source=lib/scratch.sh
. "$TOP/tests/checks/lib/scratch.sh"
scratch_database $db $clerk
fail() { echo "row_limit: FAILED: $*" >&2; exit 1; }

psql_su -d $db >/dev/null <<SQL
CREATE EXTENSION pg_accountability;
CREATE EXTENSION plperl;
CREATE ROLE $clerk LOGIN IN ROLE accountability_clerk;
INSERT INTO accountability.units (code, name, level) VALUES ('33', '浙江省', 'province');
INSERT INTO accountability.units (parent_id, code, name, level) VALUES (1, '3301', '杭州市', 'city');
INSERT INTO accountability.units (parent_id, code, name, level) VALUES (2, '330110', '余杭区', 'county');
INSERT INTO accountability.subjects (kind, name, unit_id, post) VALUES ('person', '张三', 3, '副镇长');
INSERT INTO accountability.role_units (role_id, unit_id) VALUES ('$clerk'::regrole, 3);
-- a clerk's function: two reports in one INSERT, run with a row limit
CREATE FUNCTION public.two_reports(row_limit integer) RETURNS integer
LANGUAGE plperl AS \$\$
    my \$r = spi_exec_query(
        "INSERT INTO accountability.cases (kind, subject_id, unit_id) VALUES ('report', 1, 3), ('report', 1, 3) RETURNING case_id",
        \$_[0]);
    return \$r->{processed};
\$\$;
GRANT EXECUTE ON FUNCTION public.two_reports(integer) TO $clerk;
SQL

as_clerk() { "$BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -U $clerk -d $db "$@"; }
cases() { psql_su -d $db -At -c "SELECT count(*) FROM accountability.cases"; }

# Stopped after one row: the commit is refused with 55000 and nothing stays.
if out=$(as_clerk -c "BEGIN" -c "SELECT public.two_reports(1)" -c "COMMIT" 2>&1); then
    fail "a commit with a row outside the ledger was accepted: $out"
fi
grep -q "1 row of cases was written but not recorded in the ledger" <<<"$out" \
    || fail "the refusal does not name the unrecorded row: $out"
[ "$(cases)" = 0 ] || fail "rows of the refused transaction stayed"

# No limit, and a limit no lower than the rows: both commit, all recorded.
[ "$(as_clerk -c "SELECT public.two_reports(0)")" = 2 ] || fail "an INSERT with no limit did not write two rows"
[ "$(as_clerk -c "SELECT public.two_reports(5)")" = 2 ] || fail "an INSERT under a higher limit did not write two rows"
[ "$(cases)" = 4 ] || fail "expected 4 cases, found $(cases)"
problems=$(psql_su -d $db -At -c "SELECT count(*) FROM accountability.verify_ledger()")
[ "$problems" = 0 ] || fail "verify_ledger() reports $problems problems after the complete INSERTs"

echo "row_limit: a statement stopped at a row limit cannot commit rows outside the ledger; complete ones verify clean"
