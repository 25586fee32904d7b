#!/usr/bin/env bash
#
# tests/harness.sh — the throwaway-cluster harness behind `make demo`,
# `make test` and `make bench`.
#
#   tests/harness.sh deps    install the Debian packages that are missing
#   tests/harness.sh demo    deps, build, install, cluster, the demo transcript
#   tests/harness.sh test    deps, build (-Werror), install, cluster, every test
#   tests/harness.sh bench   deps, build, install, cluster, the benchmarks
#   tests/harness.sh psql [ARGS]  a throwaway database with the extension
#   tests/harness.sh check NAME...  build, install, cluster, only the named
#                            harness checks (tests/checks/NAME.sh)
#
# Works as root (how CI runs it) or as a user with sudo.  initdb and
# postgres refuse to run as root, so the cluster runs as the "postgres"
# system user (created by the Debian package) in a fresh temporary
# directory, listening only on a private Unix socket; the clients run as
# whoever called.  The cluster is stopped and removed on every exit,
# including failures and Ctrl-C.  The system cluster on port 5432 is never
# touched.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_MAJOR=15
PACKAGES=(postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR
          postgresql-$PG_MAJOR-pgtap libtap-parser-sourcehandler-pgtap-perl)
PORT=${ACCOUNTABILITY_TEST_PORT:-54329}

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'harness: %s\n' "$*" >&2; exit 1; }

# Run a command as root: directly when we are root, else through sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Run a command as the postgres system user.
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        sudo -u postgres -- "$@"
    fi
}

# Install the Debian packages that are missing (apt-get update once).
install_packages() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$p")
        fi
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    say "installing ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "${missing[@]}" >/dev/null
}

# Locate pg_config and the server binaries of PostgreSQL $PG_MAJOR.
find_postgres() {
    PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/$PG_MAJOR/bin/pg_config}
    [ -x "$PG_CONFIG" ] || PG_CONFIG=$(command -v pg_config) || die "pg_config not found"
    BINDIR=$("$PG_CONFIG" --bindir)
    PGXS_DIR=$(dirname "$("$PG_CONFIG" --pgxs)")/..
    export PG_CONFIG
}

# The extension is installed into the system PostgreSQL, which every run on
# this machine shares: hold a lock from install to exit, so two runs (two
# checkouts, two users) never test each other's build.
take_install_lock() {
    local lock="${TMPDIR:-/tmp}/pg_accountability-install.lock"
    ( umask 000; : >>"$lock" ) 2>/dev/null || return 0
    exec 9>>"$lock" || return 0
    if ! flock -n 9; then
        say "waiting for another pg_accountability run on this machine to finish"
        flock 9
    fi
}

# Build (warnings are errors in the test build) and install the extension.
build_and_install() {
    local copt=${1:-}
    take_install_lock
    say "building pg_accountability"
    make -C "$TOP" -s clean >/dev/null
    make -C "$TOP" -s PG_CONFIG="$PG_CONFIG" COPT="$copt" >/dev/null
    say "installing into $("$PG_CONFIG" --sharedir)/extension"
    as_root make -C "$TOP" -s PG_CONFIG="$PG_CONFIG" install >/dev/null
}

# Stop and remove the throwaway cluster; runs on every exit.
stop_cluster() {
    local status=$?
    trap - EXIT INT TERM
    if [ -n "${WORKDIR:-}" ] && [ -d "$WORKDIR" ]; then
        if [ -f "$WORKDIR/data/postmaster.pid" ]; then
            as_postgres "$BINDIR/pg_ctl" -D "$WORKDIR/data" -m immediate -w stop >/dev/null 2>&1 || true
        fi
        as_root rm -rf "$WORKDIR"
    fi
    exit "$status"
}

# Start a cluster as postgres in a fresh temporary directory, listening on
# a private Unix socket only, and point libpq's environment at it.
start_cluster() {
    WORKDIR=$(mktemp -d "${TMPDIR:-/tmp}/pg_accountability.XXXXXX")
    trap stop_cluster EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    # owned by postgres (the server writes its socket and data here), sticky
    # and writable for the caller's logs and scratch files when not root
    as_root chown postgres "$WORKDIR"
    as_root chmod 1777 "$WORKDIR"
    say "starting a throwaway cluster in $WORKDIR"
    as_postgres "$BINDIR/initdb" -D "$WORKDIR/data" -U postgres -A trust \
        -E UTF8 --locale=C.UTF-8 >"$WORKDIR/initdb.log" 2>&1 \
        || { cat "$WORKDIR/initdb.log" >&2; die "initdb failed"; }
    as_postgres "$BINDIR/pg_ctl" -D "$WORKDIR/data" -l "$WORKDIR/data/server.log" -w \
        -o "-c listen_addresses='' -k $WORKDIR -p $PORT -c fsync=off -c max_prepared_transactions=10" \
        start >/dev/null \
        || { cat "$WORKDIR/data/server.log" >&2; die "the server did not start"; }
    export PGHOST=$WORKDIR PGPORT=$PORT PGUSER=postgres PGDATABASE=postgres
    unset PGSERVICE PGPASSWORD
}

# A scratch directory the caller can write in, removed with the cluster.
scratch_dir() {
    local d="$WORKDIR/$1"
    as_root install -d -m 777 "$d"
    echo "$d"
}

PASSED=0
FAILED=0
FAILED_NAMES=()

record() {  # record NAME ok|fail
    if [ "$2" = ok ]; then
        PASSED=$((PASSED + 1))
    else
        FAILED=$((FAILED + 1))
        FAILED_NAMES+=("$1")
    fi
}

# pg_regress over sql/*.sql; one result per test file.
run_regress() {
    local tests=() f out status=0
    for f in "$TOP"/sql/*.sql; do
        [ -e "$f" ] && tests+=("$(basename "$f" .sql)")
    done
    [ ${#tests[@]} -gt 0 ] || return 0
    out=$(scratch_dir regress)
    say "pg_regress: ${#tests[@]} tests"
    "$PGXS_DIR/test/regress/pg_regress" --bindir="$BINDIR" --inputdir="$TOP" \
        --outputdir="$out" --dbname=contrib_regression \
        --load-extension=pg_accountability "${tests[@]}" \
        >"$out/run.log" 2>&1 || status=$?
    cat "$out/run.log"
    local name
    for name in "${tests[@]}"; do
        if grep -Eq "^(test| ) +$name +\.\.\. ok" "$out/run.log"; then
            record "regress/$name" ok
        else
            record "regress/$name" fail
        fi
    done
    if [ -s "$out/regression.diffs" ]; then
        # keep the diffs and actual results for the developer (git-ignored)
        cp "$out/regression.diffs" "$TOP/regression.diffs" 2>/dev/null || true
        mkdir -p "$TOP/results" && cp "$out"/results/*.out "$TOP/results/" 2>/dev/null || true
        echo "---- regression.diffs ----"
        cat "$out/regression.diffs"
    elif [ $status -ne 0 ]; then
        echo "pg_regress exited with $status"
    fi
}

# pgTAP files tests/*.sql, each through pg_prove into a database that has
# pgtap and pg_accountability; one result per file.
run_pgtap() {
    local f log
    ls "$TOP"/tests/*.sql >/dev/null 2>&1 || return 0
    "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE tap" >/dev/null
    "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -d tap \
        -c "CREATE EXTENSION pgtap" -c "CREATE EXTENSION pg_accountability" >/dev/null
    log=$(scratch_dir tap)
    say "pgTAP: $(ls "$TOP"/tests/*.sql | wc -l) files"
    for f in "$TOP"/tests/*.sql; do
        if pg_prove --failures -d tap "$f" >"$log/out" 2>&1; then
            record "tap/$(basename "$f")" ok
            grep -E '\.\. ok|^All tests' "$log/out" | head -1 || true
        else
            record "tap/$(basename "$f")" fail
            cat "$log/out"
        fi
    done
}

# Isolation specs tests/isolation/specs/*.spec; one result per spec.
run_isolation() {
    local specs=() f out status=0 name
    for f in "$TOP"/tests/isolation/specs/*.spec; do
        [ -e "$f" ] && specs+=("$(basename "$f" .spec)")
    done
    [ ${#specs[@]} -gt 0 ] || return 0
    out=$(scratch_dir isolation)
    say "isolation: ${#specs[@]} specs"
    "$PGXS_DIR/test/isolation/pg_isolation_regress" --bindir="$BINDIR" \
        --inputdir="$TOP/tests/isolation" --outputdir="$out" \
        --dbname=isolation_regression --load-extension=pg_accountability \
        "${specs[@]}" >"$out/run.log" 2>&1 || status=$?
    cat "$out/run.log"
    for name in "${specs[@]}"; do
        if grep -Eq "^(test| ) +$name +\.\.\. ok" "$out/run.log"; then
            record "isolation/$name" ok
        else
            record "isolation/$name" fail
        fi
    done
    if [ -s "$out/regression.diffs" ]; then
        echo "---- isolation regression.diffs ----"
        cat "$out/regression.diffs"
    elif [ $status -ne 0 ]; then
        echo "pg_isolation_regress exited with $status"
    fi
}

# Extra harness-level checks written as scripts: tests/checks/*.sh, each
# run with the cluster's environment; exit 0 is a pass.
run_one_check() {
    local f=$1
    say "check: $(basename "$f")"
    if WORKDIR="$WORKDIR" BINDIR="$BINDIR" TOP="$TOP" bash "$f"; then
        record "check/$(basename "$f" .sh)" ok
    else
        record "check/$(basename "$f" .sh)" fail
    fi
}

run_checks() {
    local f
    for f in "$TOP"/tests/checks/*.sh; do
        [ -e "$f" ] || continue
        run_one_check "$f"
    done
}

report() {
    if [ "$FAILED" -gt 0 ]; then
        echo "failed: ${FAILED_NAMES[*]}"
        tail -n 30 "$WORKDIR/data/server.log" 2>/dev/null | sed 's/^/server.log: /' || true
    fi
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
}

cmd_test() {
    install_packages
    find_postgres
    build_and_install -Werror
    start_cluster
    run_regress
    run_pgtap
    run_isolation
    run_checks
    report
}

# Only the named harness checks, for a developer working on one of them.
cmd_check() {
    local name
    [ $# -gt 0 ] || die "usage: tests/harness.sh check NAME... (tests/checks/NAME.sh)"
    for name in "$@"; do
        [ -f "$TOP/tests/checks/$name.sh" ] || die "no check tests/checks/$name.sh"
    done
    install_packages
    find_postgres
    build_and_install -Werror
    start_cluster
    for name in "$@"; do
        run_one_check "$TOP/tests/checks/$name.sh"
    done
    report
}

cmd_demo() {
    install_packages
    find_postgres
    build_and_install
    start_cluster
    "$BINDIR/psql" -X -q -c "CREATE DATABASE demo" >/dev/null
    say "running tests/demo/demo.sql"
    "$BINDIR/psql" -X -d demo -v ON_ERROR_STOP=1 --echo-all -P pager=off \
        -v demo_dir="$TOP/tests/demo" -f "$TOP/tests/demo/demo.sql"
}

cmd_bench() {
    install_packages
    find_postgres
    build_and_install
    start_cluster
    BENCH_DIR=$(scratch_dir bench)
    as_root chown postgres "$BENCH_DIR"
    export BENCH_DIR BINDIR TOP WORKDIR
    bash "$TOP/tests/bench/bench.sh"
}

# A psql session (or psql arguments) against a database with the
# extension, in a throwaway cluster: for developers and documentation.
cmd_psql() {
    install_packages
    find_postgres
    build_and_install
    start_cluster
    "$BINDIR/psql" -X -q -c "CREATE DATABASE scratch" >/dev/null
    "$BINDIR/psql" -X -q -d scratch -c "CREATE EXTENSION pg_accountability" >/dev/null
    "$BINDIR/psql" -X -d scratch "$@"
}

case "${1:-}" in
    deps) install_packages ;;
    psql) shift; cmd_psql "$@" ;;
    check) shift; cmd_check "$@" ;;
    demo) cmd_demo ;;
    test) cmd_test ;;
    bench) cmd_bench ;;
    *) die "usage: tests/harness.sh deps|demo|test|bench|psql [psql args]|check NAME..." ;;
esac
