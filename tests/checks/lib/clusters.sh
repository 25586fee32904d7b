# tests/checks/lib/clusters.sh — extra throwaway clusters for the harness
# checks that need more than the harness's own (a standby, a publisher and
# its subscribers).  Sourced, not run: tests/harness.sh runs only
# tests/checks/*.sh.
#
# Each extra cluster lives in a fresh subdirectory of the harness's
# $WORKDIR, runs as the postgres system user (initdb and postgres refuse
# root), and listens only on a Unix socket in its own directory, on its own
# port.  clusters_cleanup stops and removes every one of them; a check
# calls it from its EXIT trap, so they go on failure and Ctrl-C too.

: "${WORKDIR:?WORKDIR must be the work directory of the harness}"
: "${BINDIR:?BINDIR must point at the PostgreSQL binaries}"

EXTRA_CLUSTERS=()

# Run a command as the postgres system user (root: runuser; else sudo).
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        sudo -u postgres -- "$@"
    fi
}

# The directory of an extra cluster: its socket, its log, data/ below it.
cluster_dir() { echo "$WORKDIR/$1"; }

# A fresh, empty directory for cluster NAME, registered for cleanup.
cluster_new_dir() {  # name
    local dir
    dir=$(cluster_dir "$1")
    EXTRA_CLUSTERS+=("$dir")
    as_postgres rm -rf "$dir"
    as_postgres mkdir -m 755 "$dir"
}

# initdb a new cluster NAME as the harness does (trust, UTF8, C.UTF-8).
cluster_init() {  # name
    local dir
    cluster_new_dir "$1"
    dir=$(cluster_dir "$1")
    as_postgres "$BINDIR/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
        --locale=C.UTF-8 -N >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; return 1; }
}

# Start cluster NAME on PORT, socket in its directory, no TCP; more
# server options (-c name=value ...) may follow.
cluster_start() {  # name port [postgres options...]
    local name=$1 port=$2 dir
    shift 2
    dir=$(cluster_dir "$name")
    as_postgres "$BINDIR/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 120 \
        -o "-c listen_addresses='' -k $dir -p $port -c fsync=off $*" start >/dev/null \
        || { tail -n 40 "$dir/server.log" >&2; return 1; }
}

# Stop and remove every extra cluster of this check (for the EXIT trap).
clusters_cleanup() {
    local dir
    for dir in "${EXTRA_CLUSTERS[@]}"; do
        [ -d "$dir" ] || continue
        if [ -f "$dir/data/postmaster.pid" ]; then
            as_postgres "$BINDIR/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
        fi
        as_postgres rm -rf "$dir" || true
    done
}

# Poll until an SQL query returns t, or fail after TIMEOUT seconds.
wait_until() {  # timeout description psql-arguments... (the last -c returns t or f)
    local timeout=$1 what=$2 start=$SECONDS got
    shift 2
    while :; do
        got=$("$BINDIR/psql" -X -At "$@" 2>/dev/null || true)
        [ "$got" = t ] && return 0
        if [ $((SECONDS - start)) -ge "$timeout" ]; then
            printf 'timed out after %ss waiting for %s (last answer: %s)\n' "$timeout" "$what" "${got:-none}" >&2
            return 1
        fi
        sleep 0.2
    done
}

# One line per table of the extension: its name, row count and the md5 of
# its rows in a fixed order (whole rows as text, English labels), so two
# databases can be compared table by table.
table_digests() {  # psql connection arguments...
    local t
    for t in $("$BINDIR/psql" -X -At "$@" -c "
            SELECT c.oid::regclass FROM pg_depend d JOIN pg_class c ON c.oid = d.objid
            WHERE d.classid = 'pg_class'::regclass AND d.deptype = 'e' AND c.relkind = 'r'
              AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_accountability')
            ORDER BY c.oid::regclass::text COLLATE \"C\""); do
        "$BINDIR/psql" -X -q -At "$@" -c "SET accountability.language = 'en'" -c "
            SELECT '$t', count(*), md5(coalesce(string_agg(x::text, E'\n' ORDER BY x::text COLLATE \"C\"), ''))
            FROM $t x"
    done
}

# The annual report, every year and unit, in a fixed order.
annual_report() {  # psql connection arguments...
    "$BINDIR/psql" -X -q -At "$@" -c "SET accountability.language = 'en'" \
        -c "SELECT * FROM accountability.annual_report ORDER BY year, unit_id"
}
