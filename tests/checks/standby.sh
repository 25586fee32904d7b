#!/usr/bin/env bash
#
# tests/checks/standby.sh — a physical streaming standby serves the BI
# views read-only (DESIGN.md, "Beyond one machine": high availability).
#
# The harness's cluster is the primary (wal_level = replica and
# max_wal_senders = 10 are PostgreSQL 15's defaults; initdb -A trust lets
# local replication connections in).  The check takes a base backup with
# pg_basebackup -R (and a physical slot, so the primary keeps the WAL the
# standby still needs), starts the standby as a second throwaway cluster in
# $WORKDIR/standby on its own socket and port, and only then loads a
# province-year (tests/demo/generate.sql, 20,000 subjects) on the primary,
# so every row reaches the standby through streaming replication.  When the
# standby has replayed the primary's WAL position:
#
#   - every table of the extension holds the same rows (digest per table),
#     annual_report gives the same result, verify_history() is clean there;
#   - writes are refused with SQLSTATE 25006 (read_only_sql_transaction):
#     registering a case, moving one, touching the history;
#   - a role's accountability.language and an ALTER EXTENSION ... UPDATE
#     (1.0 to the newest), both done on the primary only, apply there.
#
# The standby and the slot are removed on every exit, failures included.

set -euo pipefail

: "${BINDIR:?BINDIR must point at the PostgreSQL binaries}"
: "${TOP:?TOP must be the source tree}"
# shellcheck source=lib/clusters.sh
. "$TOP/tests/checks/lib/clusters.sh"

DB=standby_src
SLOT=pg_accountability_standby_check
BI_ROLE=standby_check_bi
SB_PORT=$((PGPORT + 1))
SB_DIR=$(cluster_dir standby)
PSQL=("$BINDIR/psql" -X -q -v ON_ERROR_STOP=1)
PRIMARY=(-h "$PGHOST" -p "$PGPORT" -U postgres)
STANDBY=(-h "$SB_DIR" -p "$SB_PORT" -U postgres)

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/standby_check.XXXXXX")
fail() { printf 'standby: FAIL: %s\n' "$*" >&2; exit 1; }

cleanup() {
    local status=$?
    cp "$SB_DIR/server.log" "$SCRATCH/standby.log" 2>/dev/null || true
    clusters_cleanup
    "$BINDIR/psql" -X -q "${PRIMARY[@]}" -d postgres \
        -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$SLOT'" \
        -c "DROP DATABASE IF EXISTS $DB" -c "DROP DATABASE IF EXISTS ${DB}_update" \
        -c "DROP ROLE IF EXISTS $BI_ROLE" >/dev/null 2>&1 || true
    if [ $status -ne 0 ] && [ -f "$SCRATCH/standby.log" ]; then
        sed 's/^/standby server.log: /' "$SCRATCH/standby.log" | tail -n 30 >&2
    fi
    rm -rf "$SCRATCH"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

on_primary() { "$BINDIR/psql" -X -At "${PRIMARY[@]}" "$@"; }
on_standby() { "$BINDIR/psql" -X -At "${STANDBY[@]}" "$@"; }

# ---------------------------------------------------------------- primary
wal_level=$(on_primary -d postgres -c "SHOW wal_level")
senders=$(on_primary -d postgres -c "SHOW max_wal_senders")
case $wal_level in replica|logical) ;; *) fail "the primary runs with wal_level = $wal_level" ;; esac
[ "$senders" -ge 2 ] || fail "the primary allows $senders WAL senders"

# ---------------------------------------------------------------- standby
# The base backup copies postgresql.conf, not the harness's command-line
# options: a hot standby needs at least the primary's max_connections,
# max_prepared_transactions, max_locks_per_transaction, max_wal_senders
# and max_worker_processes, so it gets the primary's values.
standby_options=""
for setting in max_connections max_prepared_transactions max_locks_per_transaction \
               max_wal_senders max_worker_processes; do
    standby_options+=" -c $setting=$(on_primary -d postgres -c "SHOW $setting")"
done

cluster_new_dir standby
as_postgres "$BINDIR/pg_basebackup" "${PRIMARY[@]}" -D "$SB_DIR/data" -R -X stream \
    -C -S "$SLOT" --checkpoint=fast >"$SCRATCH/basebackup.log" 2>&1 \
    || { cat "$SCRATCH/basebackup.log" >&2; fail "pg_basebackup -R failed"; }
grep -q "primary_conninfo" "$SB_DIR/data/postgresql.auto.conf" \
    || fail "pg_basebackup -R wrote no primary_conninfo"
[ -f "$SB_DIR/data/standby.signal" ] || fail "pg_basebackup -R wrote no standby.signal"
cluster_start standby "$SB_PORT" "$standby_options -c hot_standby=on" \
    || fail "the standby did not start"
[ "$(on_standby -d postgres -c 'SELECT pg_is_in_recovery()')" = t ] || fail "the standby is not in recovery"
wait_until 60 "the standby to stream from the primary" "${PRIMARY[@]}" -d postgres \
    -c "SELECT EXISTS (SELECT 1 FROM pg_stat_replication WHERE state = 'streaming')" \
    || fail "the standby does not stream"

# ---------------------------------------------------------------- load on the primary
t0=$SECONDS
"${PSQL[@]}" "${PRIMARY[@]}" -d postgres -c "CREATE DATABASE $DB" >/dev/null
"${PSQL[@]}" "${PRIMARY[@]}" -d $DB -c "CREATE EXTENSION pg_accountability" >/dev/null
"${PSQL[@]}" "${PRIMARY[@]}" -d $DB -v seed=42 -v year=2025 -v subjects=20000 -v years=1 \
    -f "$TOP/tests/demo/generate.sql" >"$SCRATCH/generate.log" 2>&1 \
    || { cat "$SCRATCH/generate.log" >&2; fail "loading the demo data on the primary"; }
# An administrator's change after the load travels too.
"${PSQL[@]}" "${PRIMARY[@]}" -d $DB \
    -c "UPDATE accountability.settings SET value = 45 WHERE name = 'investigation'" >/dev/null
target=$(on_primary -d postgres -c "SELECT pg_current_wal_lsn()")
cases=$(on_primary -d $DB -c "SELECT count(*) FROM accountability.cases")
echo "primary: $cases cases loaded in $((SECONDS - t0)) s; waiting for the standby to replay $target"

wait_until 120 "the standby to replay $target" "${STANDBY[@]}" -d postgres \
    -c "SELECT pg_last_wal_replay_lsn() >= '$target'::pg_lsn" \
    || fail "the standby did not catch up"

# ---------------------------------------------------------------- same data, same report
table_digests "${PRIMARY[@]}" -d $DB >"$SCRATCH/primary.tables"
table_digests "${STANDBY[@]}" -d $DB >"$SCRATCH/standby.tables"
diff "$SCRATCH/primary.tables" "$SCRATCH/standby.tables" >&2 \
    || fail "the standby's tables differ from the primary's"
annual_report "${PRIMARY[@]}" -d $DB >"$SCRATCH/primary.report"
annual_report "${STANDBY[@]}" -d $DB >"$SCRATCH/standby.report"
[ -s "$SCRATCH/primary.report" ] || fail "the primary's annual_report is empty"
diff "$SCRATCH/primary.report" "$SCRATCH/standby.report" >&2 \
    || fail "annual_report differs between the primary and the standby"
problems=$(on_standby -d $DB -c "SELECT count(*) FROM accountability.verify_history()")
[ "$problems" = 0 ] || fail "verify_history() reports $problems problems on the standby"
echo "standby: $(wc -l <"$SCRATCH/standby.tables") tables identical, annual_report identical ($(wc -l <"$SCRATCH/standby.report") rows), verify_history() clean"

# ---------------------------------------------------------------- writes refused
refused() {  # description sql
    local out
    out=$("$BINDIR/psql" -X -q "${STANDBY[@]}" -d $DB -v VERBOSITY=verbose -c "$2" 2>&1 || true)
    printf '%s\n' "$out" | grep -q "ERROR:  25006:" \
        || { printf '%s\n' "$out" >&2; fail "the standby did not refuse $1 with 25006"; }
}
refused "a new case" \
    "INSERT INTO accountability.cases (kind, subject_id, unit_id) VALUES ('report', 1, 1)"
refused "a move" \
    "UPDATE accountability.cases SET status = 'investigating' WHERE case_id = (SELECT min(case_id) FROM accountability.cases WHERE status::text = 'received')"
refused "an UPDATE of the history" "UPDATE accountability.case_events SET note = 'x' WHERE case_id = 1"
refused "a determination" \
    "INSERT INTO accountability.determinations (case_id, outcome, deciding_body) VALUES (1, 'not_tolerable', 'x')"
refused "a settings change" "UPDATE accountability.settings SET value = 1 WHERE name = 'appeal'"
echo "standby: writes refused (25006)"

# ---------------------------------------------------------------- roles and extension updates travel
# A role's setting made on the primary applies on the standby, and an
# ALTER EXTENSION ... UPDATE run on the primary only is the standby's
# version too (README, "Physical standby").
"${PSQL[@]}" "${PRIMARY[@]}" -d postgres -c "CREATE ROLE $BI_ROLE LOGIN" \
    -c "ALTER ROLE $BI_ROLE SET accountability.language = 'zh'" -c "CREATE DATABASE ${DB}_update" >/dev/null
"${PSQL[@]}" "${PRIMARY[@]}" -d "${DB}_update" -c "SET client_min_messages = warning" \
    -c "CREATE EXTENSION pg_accountability VERSION '1.0'" -c "ALTER EXTENSION pg_accountability UPDATE" >/dev/null
newest=$(on_primary -d "${DB}_update" -c "SELECT extversion FROM pg_extension WHERE extname = 'pg_accountability'")
target=$(on_primary -d postgres -c "SELECT pg_current_wal_lsn()")
wait_until 60 "the standby to replay $target" "${STANDBY[@]}" -d postgres \
    -c "SELECT pg_last_wal_replay_lsn() >= '$target'::pg_lsn" \
    || fail "the standby did not catch up"
[ "$(on_standby -d "${DB}_update" -c "SELECT extversion FROM pg_extension WHERE extname = 'pg_accountability'")" = "$newest" ] \
    || fail "the standby does not have the primary's ALTER EXTENSION ... UPDATE to $newest"
label=$("$BINDIR/psql" -X -At -h "$SB_DIR" -p "$SB_PORT" -U $BI_ROLE -d $DB -c "SELECT 'closed'::accountability.case_status::text")
[ "$label" = "$(on_standby -d $DB -c "SELECT accountability.label('closed'::accountability.case_status, 'zh')")" ] \
    || fail "the role's accountability.language = 'zh', set on the primary, does not apply on the standby (got $label)"
echo "standby: ALTER EXTENSION ... UPDATE (1.0 to $newest) and a role's setting, made on the primary, apply on the standby"
echo "standby: ok"
