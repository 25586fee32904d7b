# tests/checks/lib/scratch.sh — a check's own database and login role,
# created empty and dropped on every exit (sourced; needs BINDIR).

# psql as the cluster's superuser, stopping at the first error.
psql_su() { "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

# Drop the scratch database and role (what an earlier, killed run left too).
scratch_cleanup() {
    psql_su -d postgres -c "DROP DATABASE IF EXISTS $SCRATCH_DB" \
        -c "DROP ROLE IF EXISTS $SCRATCH_ROLE" >/dev/null 2>&1 || true
}

# scratch_database DB ROLE: a fresh database DB; ROLE is dropped with it.
scratch_database() {
    SCRATCH_DB=$1 SCRATCH_ROLE=$2
    trap scratch_cleanup EXIT
    scratch_cleanup
    psql_su -d postgres -c "CREATE DATABASE $SCRATCH_DB" >/dev/null
}
