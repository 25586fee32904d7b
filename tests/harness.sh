#!/usr/bin/env bash
#
# tests/harness.sh — the throwaway-cluster harness behind `make demo`,
# `make test` and `make bench`.
#
#   tests/harness.sh deps    install the Debian packages that are missing
#   tests/harness.sh demo    deps, build, install, cluster, the demo transcript
#   tests/harness.sh test    deps, lint, a short fuzz pass, build (-Werror),
#                            install, cluster, every test (PG_MAJOR, default 15)
#   tests/harness.sh test-all  lint and the short fuzz pass once, then every
#                            test on each supported major (TEST_MAJORS,
#                            default "15 17 18"): what CI runs
#   tests/harness.sh bench   deps, build, install, cluster, the benchmarks
#   tests/harness.sh bench-scale  the same, then a national history of
#                            SCALE_EVENTS case events (default 50 M) and its
#                            capacity figures (tests/bench/scale.sh); not
#                            part of test
#   tests/harness.sh psql [ARGS]  a throwaway database with the extension
#   tests/harness.sh check NAME...  build, install, cluster, only the named
#                            harness checks (tests/checks/NAME.sh)
#   tests/harness.sh lint    cppcheck and clang-tidy (tests/qa/lint.sh)
#   tests/harness.sh fuzz    the libFuzzer harnesses, FUZZ_SECONDS each
#                            (default 60; tests/fuzz/run.sh)
#   tests/harness.sh sanitize  build with -fsanitize=address,undefined, run
#                            every suite against a server with the sanitizer
#                            runtime preloaded, fail on any report
#   tests/harness.sh coverage  build with --coverage, run every suite, print
#                            gcov line and branch coverage of extension/*.c
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
# The major to build and test against: 15 comes from Debian 12's binary
# packages; 17 and 18 are built from Debian's own source packages into a
# cache outside the work tree (tests/tools/build-postgres.sh).
PG_MAJOR=${PG_MAJOR:-15}
SUPPORTED_MAJORS=(15 17 18)
if [ "$PG_MAJOR" = 15 ]; then
    PACKAGES=(postgresql-15 postgresql-server-dev-15 postgresql-15-pgtap
              libtap-parser-sourcehandler-pgtap-perl)
else
    PACKAGES=(postgresql-common libtap-parser-sourcehandler-pgtap-perl)
fi
# lint and fuzz: clang with the libFuzzer/ASan/UBSan runtimes, the analyzers
QA_PACKAGES=(clang-14 libclang-rt-14-dev clang-tidy-14 cppcheck)
# coverage: gcov comes with gcc; gcovr prints the per-file report
COVERAGE_PACKAGES=(gcc gcovr)
# sanitize: gcc's -fsanitize=address,undefined runtimes (libasan8, libubsan1)
SANITIZE_PACKAGES=(gcc libasan8 libubsan1)
# the client drivers tests/checks/drivers.sh drives (issue 16): JDBC with a
# headless JDK (javac), psycopg2, psqlODBC through unixODBC and pyodbc
DRIVER_PACKAGES=(default-jdk-headless libpostgresql-jdbc-java python3-psycopg2
                 odbc-postgresql unixodbc python3-pyodbc)
# PL/Perl for tests/checks/row_limit.sh (a statement stopped at a row limit)
if [ "$PG_MAJOR" = 15 ]; then
    DRIVER_PACKAGES+=(postgresql-plperl-15)
fi
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

# Install the Debian packages that are missing (apt-get update once):
# the arguments, or the server packages by default.
install_packages() {
    local missing=() p
    [ $# -gt 0 ] || set -- "${PACKAGES[@]}"
    for p in "$@"; do
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

# Locate pg_config and the server binaries of PostgreSQL $PG_MAJOR; a major
# Debian 12 does not ship is built once (and then taken from the cache).
find_postgres() {
    case " ${SUPPORTED_MAJORS[*]} " in
        *" $PG_MAJOR "*) ;;
        *) die "PostgreSQL $PG_MAJOR is not supported (supported: ${SUPPORTED_MAJORS[*]})" ;;
    esac
    if [ "$PG_MAJOR" != 15 ] && [ -z "${PG_CONFIG:-}" ]; then
        local status=0
        PG_CONFIG=$(bash "$TOP/tests/tools/build-postgres.sh" "$PG_MAJOR" | tail -n 1) || status=$?
        if [ $status -eq 3 ]; then
            # the archive will not serve this major's sources (see the script)
            echo "PostgreSQL $PG_MAJOR cannot be built on this machine: its source is not served"
            echo "0 passed, 0 failed, 1 skipped"
            exit 0
        fi
        [ $status -eq 0 ] || die "could not build PostgreSQL $PG_MAJOR"
    fi
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
    # each major installs into its own tree
    [ "$PG_MAJOR" = 15 ] || lock="${TMPDIR:-/tmp}/pg_accountability-install-$PG_MAJOR.lock"
    ( umask 000; : >>"$lock" ) 2>/dev/null || return 0
    exec 9>>"$lock" || return 0
    if ! flock -n 9; then
        say "waiting for another pg_accountability run on this machine to finish"
        flock 9
    fi
}

# Build (warnings are errors in the test build) and install the extension.
# An instrumented build (sanitize, coverage) is replaced by a plain one on
# exit (RESTORE_PLAIN_BUILD), so the shared installation never keeps a
# library that needs a preloaded runtime or writes counters.
build_and_install() {
    local copt=${1:-}
    take_install_lock
    say "building pg_accountability${copt:+ (COPT=$copt)}"
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
        # a sanitized run that stopped early still shows what was reported
        if [ -n "${SANITIZER_DIR:-}" ] && [ -z "${SANITIZER_CHECKED:-}" ]; then
            check_sanitizer_reports || true
        fi
        as_root rm -rf "$WORKDIR"
    fi
    restore_plain_build
    exit "$status"
}

# After an instrumented run (RESTORE_PLAIN_BUILD set): build and install
# the plain library again, once.
restore_plain_build() {
    [ -n "${RESTORE_PLAIN_BUILD:-}" ] || return 0
    RESTORE_PLAIN_BUILD=
    say "reinstalling the plain build"
    { make -C "$TOP" -s clean && make -C "$TOP" -s PG_CONFIG="$PG_CONFIG" &&
      as_root make -C "$TOP" -s PG_CONFIG="$PG_CONFIG" install; } >/dev/null 2>&1 ||
        say "could not reinstall the plain build: run make install"
}

# Start a cluster as postgres in a fresh temporary directory, listening on
# a private Unix socket only, and point libpq's environment at it.  The
# server gets the environment in SERVER_ENV (NAME=value words) and the
# settings in SERVER_OPTS, for the sanitized and the coverage runs.
SERVER_ENV=()
SERVER_OPTS=""
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
    if [ -n "${SERVER_SETUP:-}" ]; then "$SERVER_SETUP"; fi
    as_postgres env "${SERVER_ENV[@]}" "$BINDIR/pg_ctl" -D "$WORKDIR/data" -l "$WORKDIR/data/server.log" -w \
        -o "-c listen_addresses='' -k $WORKDIR -p $PORT -c fsync=off -c max_prepared_transactions=10 $SERVER_OPTS" \
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

SKIPPED=0
# Results carry the major when the run is one of several (test-all).
RESULT_PREFIX=${RESULT_PREFIX:-}

record() {  # record NAME ok|fail|skip
    case $2 in
        ok) PASSED=$((PASSED + 1)) ;;
        skip) SKIPPED=$((SKIPPED + 1)) ;;
        *)
            FAILED=$((FAILED + 1))
            FAILED_NAMES+=("$RESULT_PREFIX$1")
            ;;
    esac
}

# One result per test of a pg_regress or pg_isolation_regress run, read
# from its log: "test NAME ... ok" (PostgreSQL 15) or TAP's "ok N - NAME"
# (16 and later); the diffs of any failure are shown.
record_regress_results() {  # kind outdir log names...
    local kind=$1 out=$2 log=$3 name
    shift 3
    for name in "$@"; do
        if grep -Eq "^(test| ) +$name +\.\.\. ok|^ok +[0-9]+ +[-+] +$name( |\$)" "$log"; then
            record "$kind/$name" ok
        else
            record "$kind/$name" fail
        fi
    done
    if [ -s "$out/regression.diffs" ]; then
        echo "---- $kind regression.diffs ----"
        cat "$out/regression.diffs"
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
    [ $status -eq 0 ] || echo "pg_regress exited with $status"
    if [ -s "$out/regression.diffs" ]; then
        # keep the diffs and actual results for the developer (git-ignored)
        cp "$out/regression.diffs" "$TOP/regression.diffs" 2>/dev/null || true
        mkdir -p "$TOP/results" && cp "$out"/results/*.out "$TOP/results/" 2>/dev/null || true
    fi
    record_regress_results regress "$out" "$out/run.log" "${tests[@]}"
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
        if pg_prove --psql-bin "$BINDIR/psql" --failures -d tap "$f" >"$log/out" 2>&1; then
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
    local specs=() f out status=0
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
    [ $status -eq 0 ] || echo "pg_isolation_regress exited with $status"
    record_regress_results isolation "$out" "$out/run.log" "${specs[@]}"
}

# Extra harness-level checks written as scripts: tests/checks/*.sh, each
# run with the cluster's environment; exit 0 is a pass.
run_one_check() {
    local f=$1 majors
    # a check that applies to some majors only says so: "# majors: 15"
    majors=$(sed -n 's/^# majors: *//p' "$f" | head -n 1)
    if [ -n "$majors" ] && [[ " $majors " != *" $PG_MAJOR "* ]]; then
        say "check: $(basename "$f") (skipped: PostgreSQL $majors only)"
        record "check/$(basename "$f" .sh)" skip
        return 0
    fi
    say "check: $(basename "$f")"
    if WORKDIR="$WORKDIR" BINDIR="$BINDIR" TOP="$TOP" INSTRUMENTED="${INSTRUMENTED:-}" bash "$f"; then
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

# Only the named harness checks, for a developer working on one of them.
cmd_check() {
    local name
    [ $# -gt 0 ] || die "usage: tests/harness.sh check NAME... (tests/checks/NAME.sh)"
    for name in "$@"; do
        [ -f "$TOP/tests/checks/$name.sh" ] || die "no check tests/checks/$name.sh"
    done
    install_packages "${PACKAGES[@]}" "${DRIVER_PACKAGES[@]}"
    find_postgres
    build_and_install -Werror
    start_cluster
    for name in "$@"; do
        run_one_check "$TOP/tests/checks/$name.sh"
    done
    summary
}

# Every suite that needs the cluster.
run_suites() {
    run_regress
    run_pgtap
    run_isolation
    run_checks
}

# Static analysis (tests/qa/lint.sh): one result.
run_lint() {
    say "lint: cppcheck and clang-tidy"
    if PG_CONFIG="$PG_CONFIG" bash "$TOP/tests/qa/lint.sh"; then
        record lint ok
    else
        record lint fail
    fi
}

# The libFuzzer harnesses (tests/fuzz/run.sh), FUZZ_SECONDS each: one
# result per harness.
FUZZ_HARNESSES=(case_status_text tolerance_outcome_text binary_receive facts transitions ledger written)
run_fuzz() {
    local h
    say "fuzz: ${#FUZZ_HARNESSES[@]} harnesses, ${FUZZ_SECONDS} s each"
    for h in "${FUZZ_HARNESSES[@]}"; do
        if FUZZ_SECONDS="$FUZZ_SECONDS" bash "$TOP/tests/fuzz/run.sh" "$h"; then
            record "fuzz/$h" ok
        else
            record "fuzz/$h" fail
        fi
    done
}

# The last line of every command that runs tests: N passed, N failed.
summary() {
    if [ "$FAILED" -gt 0 ]; then
        echo "failed: ${FAILED_NAMES[*]}"
        if [ -n "${WORKDIR:-}" ]; then
            tail -n 30 "$WORKDIR/data/server.log" 2>/dev/null | sed 's/^/server.log: /' || true
        fi
    fi
    if [ "$SKIPPED" -gt 0 ]; then
        echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
    else
        echo "$PASSED passed, $FAILED failed"
    fi
    [ "$FAILED" -eq 0 ]
}

# Stop the cluster cleanly (fast shutdown waits for every backend to
# exit), so that exit-time output (gcov counters) is written.
stop_server() {
    as_postgres "$BINDIR/pg_ctl" -D "$WORKDIR/data" -m fast -w stop >/dev/null
}

cmd_test() {
    install_packages "${PACKAGES[@]}" "${QA_PACKAGES[@]}" "${DRIVER_PACKAGES[@]}"
    find_postgres
    # lint and fuzz need no server: run them before taking the install lock
    run_lint
    FUZZ_SECONDS=${FUZZ_SECONDS:-10} run_fuzz
    build_and_install -Werror
    start_cluster
    run_suites
    summary
}

# Every suite on one major, for test-all: its own process, so each major
# gets its own cluster and clean-up.
cmd_suites() {
    install_packages "${PACKAGES[@]}" "${DRIVER_PACKAGES[@]}"
    find_postgres
    say "PostgreSQL $PG_MAJOR: $("$PG_CONFIG" --version)"
    build_and_install -Werror
    start_cluster
    run_suites
    summary
}

# What CI runs: lint and the fuzz pass once (they need no server), then
# every suite on each supported major; one closing line for all of them.
cmd_test_all() {
    local major out line p f s
    install_packages "${PACKAGES[@]}" "${QA_PACKAGES[@]}" "${DRIVER_PACKAGES[@]}"
    find_postgres
    run_lint
    FUZZ_SECONDS=${FUZZ_SECONDS:-10} run_fuzz
    for major in ${TEST_MAJORS:-${SUPPORTED_MAJORS[*]}}; do
        say "every suite on PostgreSQL $major"
        out=$(mktemp)
        PG_MAJOR=$major PG_CONFIG= RESULT_PREFIX="pg$major/" bash "$TOP/tests/harness.sh" suites \
            2>&1 | tee "$out" || true
        line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
        rm -f "$out"
        if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)? ]]; then
            p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} s=${BASH_REMATCH[4]:-0}
            PASSED=$((PASSED + p))
            SKIPPED=$((SKIPPED + s))
            if [ "$f" -gt 0 ]; then
                FAILED=$((FAILED + f))
                FAILED_NAMES+=("pg$major($f)")
            fi
        else
            FAILED=$((FAILED + 1))
            FAILED_NAMES+=("pg$major(no result)")
        fi
    done
    summary
}

cmd_lint() {
    install_packages "${PACKAGES[@]}" "${QA_PACKAGES[@]}"
    find_postgres
    run_lint
    summary
}

cmd_fuzz() {
    install_packages "${QA_PACKAGES[@]}"
    FUZZ_SECONDS=${FUZZ_SECONDS:-60} run_fuzz
    summary
}

# The sanitized server run.  The library is built by gcc with
# -fsanitize=address,undefined; the server (not instrumented) gets gcc's
# ASan runtime preloaded, since it must come first in the process (and a
# stub, tests/qa/swift_demangle_stub.c, without which it hangs at start).
# Reports go to $WORKDIR/sanitizer/report.<pid> (log_path) or, depending on
# how the runtime came up, to the server's stderr (server.log): both are
# scanned, and any report fails the run.  Leak detection is off: the
# server leaves its memory to the operating system at exit by design.
# ASan stops the backend at its first report (the tests then fail too);
# UBSan reports and carries on, so one run shows every report.
sanitize_setup() {
    local libasan preload
    SANITIZER_DIR=$(scratch_dir sanitizer)
    preload=$(scratch_dir preload)
    libasan=$(gcc -print-file-name=libasan.so)
    [ -e "$libasan" ] || die "gcc's libasan.so not found"
    # without it the server hangs at start (see the file)
    gcc -shared -fPIC -O2 -o "$preload/libswift_demangle_stub.so" \
        "$TOP/tests/qa/swift_demangle_stub.c" || die "could not build the preload stub"
    chmod 755 "$preload/libswift_demangle_stub.so"
    SERVER_ENV=(
        "LD_PRELOAD=$(readlink -f "$libasan"):$preload/libswift_demangle_stub.so"
        "ASAN_OPTIONS=detect_leaks=0:log_path=$SANITIZER_DIR/report"
        "UBSAN_OPTIONS=print_stacktrace=1:log_path=$SANITIZER_DIR/report"
    )
    # ASan maps its shadow at fixed addresses; a kernel with more mmap
    # randomisation than the runtime expects breaks it, so run the server
    # without address randomisation where the system allows it
    if setarch "$(uname -m)" -R true 2>/dev/null; then
        SERVER_ENV+=(setarch "$(uname -m)" -R)
    fi
    SERVER_OPTS="-c jit=off"
}

# The instrumented library is installed and the runtime is in the server.
check_sanitizer_active() {
    local lib pid symbols maps
    lib="$("$PG_CONFIG" --pkglibdir)/pg_accountability.so"
    pid=$(head -1 "$WORKDIR/data/postmaster.pid")
    symbols=$(nm -D "$lib" 2>/dev/null || true)
    maps=$(as_root cat "/proc/$pid/maps" 2>/dev/null || true)
    if grep -q '__asan_report' <<<"$symbols" && grep -q '__ubsan_handle' <<<"$symbols" &&
       grep -q 'libasan' <<<"$maps"; then
        echo "sanitizer: $lib is instrumented (ASan, UBSan); the server runs with $(grep -o '[^/]*libasan[^ ]*' <<<"$maps" | head -1)"
        record sanitize/active ok
    else
        echo "sanitizer: the library is not instrumented or the runtime is not loaded"
        record sanitize/active fail
    fi
}

check_sanitizer_reports() {
    local reports=() f
    SANITIZER_CHECKED=1
    while IFS= read -r f; do
        reports+=("$f")
    done < <(as_root find "$SANITIZER_DIR" -type f -size +0c | sort)
    if as_root grep -qE 'runtime error:|ERROR: AddressSanitizer|UndefinedBehaviorSanitizer' \
            "$WORKDIR/data/server.log"; then
        reports+=("$WORKDIR/data/server.log")
    fi
    if [ ${#reports[@]} -eq 0 ]; then
        echo "sanitizer: no AddressSanitizer or UndefinedBehaviorSanitizer report"
        record sanitize/reports ok
    else
        echo "sanitizer: ${#reports[@]} report file(s):"
        for f in "${reports[@]}"; do
            echo "---- $f"
            as_root grep -E -A25 'runtime error:|ERROR: AddressSanitizer|UndefinedBehaviorSanitizer' "$f" | head -60
        done
        record sanitize/reports fail
    fi
}

cmd_sanitize() {
    install_packages "${PACKAGES[@]}" "${SANITIZE_PACKAGES[@]}" "${DRIVER_PACKAGES[@]}"
    find_postgres
    RESTORE_PLAIN_BUILD=1
    INSTRUMENTED=sanitize
    build_and_install "-Werror -fsanitize=address,undefined -fno-omit-frame-pointer -O1"
    SERVER_SETUP=sanitize_setup
    start_cluster
    check_sanitizer_active
    run_suites
    stop_server
    check_sanitizer_reports
    restore_plain_build
    summary
}

# The coverage run: the library built with --coverage -O0; every backend
# that loaded it writes its counters when it exits.  The build directory
# belongs to whoever runs make, not to postgres, so the server writes them
# under $WORKDIR/gcov (GCOV_PREFIX) and they are copied back beside the
# .gcno files for gcovr.
COVERAGE_LINES_TARGET=95
COVERAGE_BRANCHES_TARGET=85
coverage_setup() {
    GCOV_DIR=$(scratch_dir gcov)
    SERVER_ENV=("GCOV_PREFIX=$GCOV_DIR" "GCOV_PREFIX_STRIP=0")
}

cmd_coverage() {
    local f n=0
    install_packages "${PACKAGES[@]}" "${COVERAGE_PACKAGES[@]}" "${DRIVER_PACKAGES[@]}"
    find_postgres
    find "$TOP/extension" \( -name '*.gcda' -o -name '*.gcno' \) -delete
    RESTORE_PLAIN_BUILD=1
    INSTRUMENTED=coverage
    build_and_install "-Werror --coverage -O0"
    SERVER_SETUP=coverage_setup
    start_cluster
    run_suites
    stop_server
    while IFS= read -r f; do
        # GCOV_PREFIX_STRIP=0: the counters sit at $GCOV_DIR/<object's path>
        as_root cat "$f" >"${f#"$GCOV_DIR"}"
        n=$((n + 1))
    done < <(as_root find "$GCOV_DIR" -name '*.gcda')
    say "coverage: counters of $n files"
    if bash "$TOP/tests/qa/coverage.sh" "$COVERAGE_LINES_TARGET" "$COVERAGE_BRANCHES_TARGET"; then
        record coverage ok
    else
        record coverage fail
    fi
    restore_plain_build
    summary
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

# make bench: the scaling step grows its database to ten province-years
# (about 2 GB with the ledger), so the cache is sized as a server holding
# that would be (shared_buffers 2 GB, as bench-scale).  Whether the cache
# explains the per-case misses is not settled: the README shows runs at
# both sizes, and they disagree.
cmd_bench() {
    install_packages
    find_postgres
    build_and_install
    SERVER_OPTS="-c shared_buffers=2GB"
    start_cluster
    BENCH_DIR=$(scratch_dir bench)
    as_root chown postgres "$BENCH_DIR"
    export BENCH_DIR BINDIR TOP WORKDIR
    bash "$TOP/tests/bench/bench.sh"
}

# National-scale capacity (issue 17, tests/bench/scale.sh): the bench's
# cluster, but durable (fsync on, as in production: commits wait for the
# disk) and with the memory and WAL room of a server meant for a large
# database (shared_buffers 2 GB of this machine's 23, max_wal_size 8 GB).
BENCH_SCALE_SERVER_OPTS="-c fsync=on -c shared_buffers=2GB -c max_wal_size=8GB -c checkpoint_timeout=15min \
-c maintenance_work_mem=512MB -c work_mem=64MB"
cmd_bench_scale() {
    install_packages
    find_postgres
    build_and_install
    SERVER_OPTS=$BENCH_SCALE_SERVER_OPTS
    start_cluster
    BENCH_DIR=$(scratch_dir bench)
    as_root chown postgres "$BENCH_DIR"
    export BENCH_DIR BINDIR TOP WORKDIR
    bash "$TOP/tests/bench/scale.sh"
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
    test-all) cmd_test_all ;;
    suites) cmd_suites ;;
    bench) cmd_bench ;;
    bench-scale) cmd_bench_scale ;;
    lint) cmd_lint ;;
    fuzz) cmd_fuzz ;;
    sanitize) cmd_sanitize ;;
    coverage) cmd_coverage ;;
    *) die "usage: [PG_MAJOR=15|17|18] tests/harness.sh deps|demo|test|test-all|suites|bench|bench-scale|lint|fuzz|sanitize|coverage|psql [psql args]|check NAME..." ;;
esac
