#!/usr/bin/env bash
#
# tests/checks/logical_replica.sh — a BI replica by logical replication
# (DESIGN.md, "Beyond one machine"): cases and their history arrive exactly
# once, with binary = true and with binary = false.
#
# The harness's cluster runs with wal_level = replica, so the check starts
# its own pair in $WORKDIR: a publisher (wal_level = logical) and a
# subscriber, each on its own socket and port, removed on every exit.
#
#   publisher   database bi_src: the extension, a province-year
#               (tests/demo/generate.sql, 20,000 subjects), and
#               CREATE PUBLICATION accountability_bi FOR TABLE <every table but role_units>
#   subscriber  database bi_binary: the extension, then a subscription with
#               binary = true made BEFORE the load, so every row arrives
#               through the apply worker in binary format;
#               database bi_text: the extension, then a subscription with
#               binary = false made AFTER the load, so the rows arrive by the
#               initial table copy, and later changes as text.
#
# After the load, a round of ordinary work on the publisher (cases moved,
# a determination and its notification, a clarification, a visit that closes
# a case, an imported case, a changed setting, a local demotion situation
# and a demotion, an early warning, a list item, a unit) reaches both.  Then,
# for each subscriber database:
#
#   - no apply or sync worker failed (pg_stat_subscription_stats, the log);
#   - every table of the extension holds exactly the publisher's rows,
#     settings and the demotion catalogue included (their seeded rows are
#     on both sides: see README, "BI replica");
#   - the history arrived exactly once: as many case_events as the
#     publisher, and as many as the cases count (the workflow triggers are
#     ORIGIN and do not fire in the apply worker);
#   - verify_history() is clean; annual_report is the publisher's;
#   - the append-only guards (ENABLE ALWAYS) hold on the replica, for a
#     superuser and under session_replication_role = replica too.

set -euo pipefail

: "${BINDIR:?BINDIR must point at the PostgreSQL binaries}"
: "${TOP:?TOP must be the source tree}"
# shellcheck source=lib/clusters.sh
. "$TOP/tests/checks/lib/clusters.sh"

PUB_PORT=$((PGPORT + 2))
SUB_PORT=$((PGPORT + 3))
PUB_DIR=$(cluster_dir publisher)
SUB_DIR=$(cluster_dir subscriber)
PUB=(-h "$PUB_DIR" -p "$PUB_PORT" -U postgres)
SUB=(-h "$SUB_DIR" -p "$SUB_PORT" -U postgres)
PSQL=("$BINDIR/psql" -X -q -v ON_ERROR_STOP=1)

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/logical_replica.XXXXXX")
fail() { printf 'logical_replica: FAIL: %s\n' "$*" >&2; exit 1; }

cleanup() {
    local status=$?
    if [ $status -ne 0 ]; then
        for name in publisher subscriber; do
            tail -n 30 "$(cluster_dir $name)/server.log" 2>/dev/null | sed "s/^/$name server.log: /" >&2 || true
        done
    fi
    clusters_cleanup
    rm -rf "$SCRATCH"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

on_pub() { "$BINDIR/psql" -X -At "${PUB[@]}" "$@"; }
on_sub() { "$BINDIR/psql" -X -At "${SUB[@]}" "$@"; }

# ---------------------------------------------------------------- clusters
cluster_init publisher || fail "initdb of the publisher"
cluster_start publisher "$PUB_PORT" -c wal_level=logical -c max_wal_senders=10 \
    -c max_replication_slots=10 || fail "the publisher did not start"
cluster_init subscriber || fail "initdb of the subscriber"
cluster_start subscriber "$SUB_PORT" -c max_logical_replication_workers=8 \
    -c max_worker_processes=16 || fail "the subscriber did not start"

"${PSQL[@]}" "${PUB[@]}" -d postgres -c "CREATE DATABASE bi_src" >/dev/null
"${PSQL[@]}" "${PUB[@]}" -d bi_src >/dev/null <<'SQL'
CREATE EXTENSION pg_accountability;
-- Every table but role_units: roles are per cluster, so each side maps its own.
SELECT format('CREATE PUBLICATION accountability_bi FOR TABLE %s',
              string_agg(format('%I.%I', schemaname, tablename), ', ' ORDER BY tablename))
FROM pg_tables WHERE schemaname = 'accountability' AND tablename <> 'role_units'
\gexec
SQL

# A subscriber database: the extension first (CREATE EXTENSION makes the
# tables, with their seeded rows), then the subscription.
subscribe() {  # db binary
    "${PSQL[@]}" "${SUB[@]}" -d postgres -c "CREATE DATABASE $1" >/dev/null
    "${PSQL[@]}" "${SUB[@]}" -d "$1" >/dev/null <<SQL
SET client_min_messages = warning;
CREATE EXTENSION pg_accountability;
CREATE SUBSCRIPTION $1
    CONNECTION 'host=$PUB_DIR port=$PUB_PORT user=postgres dbname=bi_src'
    PUBLICATION accountability_bi WITH (binary = $2);
SQL
}

# Wait until the initial copy of every table is done and the subscription
# has applied everything the publisher has written so far.
caught_up() {  # db
    local target
    wait_until 120 "the initial copy of $1" "${SUB[@]}" -d "$1" \
        -c "SELECT count(*) = 0 FROM pg_subscription_rel WHERE srsubstate NOT IN ('r', 's')" \
        || fail "$1: the initial table copy did not finish"
    target=$(on_pub -d bi_src -c "SELECT pg_current_wal_lsn()")
    wait_until 120 "$1 to apply up to $target" "${PUB[@]}" -d postgres \
        -c "SELECT coalesce(bool_and(replay_lsn >= '$target'::pg_lsn), false)
            FROM pg_stat_replication WHERE application_name = '$1'" \
        || fail "$1: the subscription did not catch up"
}

# ---------------------------------------------------------------- binary, before the load
subscribe bi_binary true
caught_up bi_binary

t0=$SECONDS
"${PSQL[@]}" "${PUB[@]}" -d bi_src -v seed=42 -v year=2025 -v subjects=20000 -v years=1 \
    -f "$TOP/tests/demo/generate.sql" >"$SCRATCH/generate.log" 2>&1 \
    || { cat "$SCRATCH/generate.log" >&2; fail "loading the demo data on the publisher"; }
echo "publisher: $(on_pub -d bi_src -c 'SELECT count(*) FROM accountability.cases') cases loaded in $((SECONDS - t0)) s"

# ---------------------------------------------------------------- text, after the load
subscribe bi_text false

# ---------------------------------------------------------------- more work on the publisher
"${PSQL[@]}" "${PUB[@]}" -d bi_src >"$SCRATCH/work.log" 2>&1 <<'SQL' || { cat "$SCRATCH/work.log" >&2; fail "the round of work on the publisher"; }
SET search_path = accountability, public;
SET accountability.actor = 'after subscribing';
DO $$
DECLARE
    c bigint;
    n integer;
BEGIN
    -- thirty registered cases taken up
    UPDATE cases SET status = 'investigating', transition_note = '立案核查'
     WHERE case_id IN (SELECT case_id FROM cases WHERE status::text = 'received' ORDER BY case_id LIMIT 30);
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n = 0 THEN RAISE EXCEPTION 'no received case to move'; END IF;

    -- a case found liable, determined as assessed, notified
    SELECT case_id INTO c FROM cases WHERE status::text = 'investigating' ORDER BY case_id LIMIT 1;
    IF c IS NULL THEN RAISE EXCEPTION 'no case under investigation'; END IF;
    UPDATE cases SET status = 'liable', conclusion = '责任属实' WHERE case_id = c;
    INSERT INTO determinations (case_id, outcome, deciding_body, meeting_ref, decided_on)
    VALUES (c, (assess_case(c)).outcome, '区纪委常委会', '复制检查', date '2025-12-20');
    UPDATE cases SET status = 'determined' WHERE case_id = c;
    UPDATE determinations SET notified_on = date '2025-12-22' WHERE case_id = c;
    UPDATE cases SET status = 'notified' WHERE case_id = c;

    -- a report found untrue and clarified
    SELECT case_id INTO c FROM cases
     WHERE status::text = 'investigating' AND kind = 'report' ORDER BY case_id DESC LIMIT 1;
    UPDATE cases SET status = 'unfounded', report_finding = 'mistaken_report',
                     clarification_grounds = '{harmed_subject}'
     WHERE case_id = c;
    INSERT INTO clarifications (case_id, methods, scope, approved_by, subject_consent, done_on)
    VALUES (c, '{written,meeting}', E'举报反映的问题\n经核查不属实', '县纪委', true, date '2025-12-21');
    UPDATE cases SET status = 'follow_up' WHERE case_id = c;

    -- a case in follow-up visited and closed
    SELECT case_id INTO c FROM cases WHERE status::text = 'follow_up' ORDER BY case_id LIMIT 1;
    IF c IS NULL THEN RAISE EXCEPTION 'no case in follow-up'; END IF;
    INSERT INTO follow_up_visits (case_id, plan, visitor, visited_on, method, findings, concerns_resolved)
    VALUES (c, '一人一策', '组织部', date '2025-12-23', 'face_to_face', '思想疙瘩已解开', true);
    UPDATE cases SET status = 'closed', transition_note = '回访无问题' WHERE case_id = c;
END $$;

-- an imported case, with its imported event 0
SET accountability.import = on;
INSERT INTO cases (kind, subject_id, unit_id, status, event_on, opened_on, transition_note)
VALUES ('accountability', 1, 1, 'filed', '2019-05-01', '2019-06-01', '从旧系统导入');
RESET accountability.import;

-- catalogues: a changed setting (through the upsert), a local demotion
-- situation and a demotion, an early warning, a list item, a unit
INSERT INTO settings VALUES ('appeal', 20, 'days', 'Days to appeal (申诉期限), local rule: 20.');
INSERT INTO demotion_situations (code, category, text_zh, text_en, source)
VALUES ('ZJ-01', '能', '地方情形', 'A local situation', '省规定');
INSERT INTO demotions (subject_id, situation_code, method, decided_by, decided_on, effective_on, reuse_eligible_on)
VALUES (1, 'ZJ-01', 'transfer', '省委组织部', '2025-12-01', '2025-12-05', '2026-12-05');
INSERT INTO early_warnings (subject_id, sign, issued_by) VALUES (2, '苗头性问题', '县纪委');
INSERT INTO tolerance_list_items (unit_id, code, polarity, category, text_zh, valid_from)
VALUES (1, 'replica_item', 'positive', '改革创新', '复制检查条目', '2025-01-01');
INSERT INTO units (parent_id, code, name, level)
SELECT unit_id, 'REPL-TOWN', '新设乡镇', 'township' FROM units WHERE level = 'county' ORDER BY unit_id LIMIT 1;
SQL

caught_up bi_binary
caught_up bi_text

# ---------------------------------------------------------------- compare
table_digests "${PUB[@]}" -d bi_src | grep -v "^accountability.role_units|" >"$SCRATCH/bi_src.tables"   # role_units is not published
annual_report "${PUB[@]}" -d bi_src >"$SCRATCH/bi_src.report"
pub_events=$(on_pub -d bi_src -c "SELECT count(*) FROM accountability.case_events")

for db in bi_binary bi_text; do
    errors=$(on_sub -d "$db" -c "SELECT coalesce(sum(apply_error_count + sync_error_count), 0)
                                  FROM pg_stat_subscription_stats WHERE subname = '$db'")
    if [ "$errors" != 0 ]; then
        grep -A3 -E 'ERROR|exit code [1-9]' "$SUB_DIR/server.log" | head -n 40 | sed 's/^/subscriber: /' >&2 || true
        fail "$db: $errors apply or sync errors"
    fi

    table_digests "${SUB[@]}" -d "$db" | grep -v "^accountability.role_units|" >"$SCRATCH/$db.tables"
    diff "$SCRATCH/bi_src.tables" "$SCRATCH/$db.tables" >&2 \
        || fail "$db: tables differ from the publisher's (left: publisher)"

    events=$(on_sub -d "$db" -c "SELECT count(*) FROM accountability.case_events")
    expected=$(on_sub -d "$db" -c "SELECT sum(event_count) + count(*) FILTER (WHERE origin = 'imported')
                                     FROM accountability.cases")
    [ "$events" = "$pub_events" ] && [ "$events" = "$expected" ] \
        || fail "$db: $events events, the publisher has $pub_events, the cases count $expected"

    problems=$(on_sub -d "$db" -c "SELECT count(*) FROM accountability.verify_history()")
    [ "$problems" = 0 ] || fail "$db: verify_history() reports $problems problems"

    annual_report "${SUB[@]}" -d "$db" >"$SCRATCH/$db.report"
    diff "$SCRATCH/bi_src.report" "$SCRATCH/$db.report" >&2 \
        || fail "$db: annual_report differs from the publisher's"

    # The guards are ENABLE ALWAYS: they hold on the replica, for its
    # superuser, even as a replication session.
    out=$("${PSQL[@]}" "${SUB[@]}" -d "$db" 2>&1 <<'SQL'
\set ON_ERROR_STOP 0
\set VERBOSITY verbose
UPDATE accountability.case_events SET note = 'forged' WHERE case_id = 1;
DELETE FROM accountability.case_events WHERE case_id = 1;
TRUNCATE accountability.case_events;
DELETE FROM accountability.cases WHERE case_id = 1;
DELETE FROM accountability.determinations;
UPDATE accountability.cases SET conclusion = 'rewritten'
 WHERE case_id = (SELECT min(case_id) FROM accountability.cases WHERE status::text = 'closed');
SET session_replication_role = replica;
UPDATE accountability.case_events SET note = 'forged' WHERE case_id = 1;
DELETE FROM accountability.cases WHERE case_id = 1;
SQL
    ) || true
    refused_42501=$(printf '%s\n' "$out" | grep -c "ERROR:  42501:" || true)
    refused_55000=$(printf '%s\n' "$out" | grep -c "ERROR:  55000:" || true)
    if [ "$refused_42501" != 7 ] || [ "$refused_55000" != 1 ]; then
        printf '%s\n' "$out" >&2
        fail "$db: the append-only guards did not hold on the replica"
    fi
    table_digests "${SUB[@]}" -d "$db" | grep -v "^accountability.role_units|" | diff -q "$SCRATCH/$db.tables" - >/dev/null \
        || fail "$db: the refused writes changed something"

    echo "$db: $(wc -l <"$SCRATCH/$db.tables") tables identical to the publisher's, $events events (once each), verify_history() clean, annual_report identical ($(wc -l <"$SCRATCH/$db.report") rows), guards hold"
done

# No replication worker died on the way (a conflict kills the worker, which
# then retries; the statistics above count it, the log says which table).
if grep -E 'logical replication (worker|table synchronization)|worker "logical replication worker" .* exited with exit code' \
        "$SUB_DIR/server.log" | grep -E 'ERROR|exit code [1-9]' >&2; then
    fail "a replication worker failed on the subscriber"
fi
echo "logical_replica: ok"
