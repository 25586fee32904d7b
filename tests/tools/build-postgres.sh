#!/usr/bin/env bash
#
# tests/tools/build-postgres.sh — build a private PostgreSQL of another
# major version (and pgTAP for it) from Debian's own source packages, so
# the extension can be built and tested against it on a Debian 12 machine
# whose archive carries only PostgreSQL 15.
#
#   tests/tools/build-postgres.sh MAJOR        MAJOR is 17 or 18
#
# The last line of standard output is the path of the new pg_config, e.g.
#
#   PG_CONFIG=$(tests/tools/build-postgres.sh 18 | tail -n 1)
#
# Nothing else is written to standard output: progress lines ("==> ...",
# with the seconds each stage took) go to standard error, and the noisy
# output of apt, configure and make goes to a log file in the cache.
#
# Where things go.  Everything lives in a cache outside the work tree,
# ${ACCOUNTABILITY_PG_CACHE:-/var/cache/pg_accountability}:
#
#   $CACHE/apt/pgNN/      our private apt sources list, lists and cache
#   $CACHE/src/pgNN/      the downloaded source packages (kept)
#   $CACHE/build/pgNN/    the build trees (removed after a good build)
#   $CACHE/pgNN/          the installation prefix; bin/pg_config is printed
#   $CACHE/log/pgNN.log   the full output of the last build
#
# A build is complete when $CACHE/pgNN/.build-complete exists; it is
# written as the very last step.  With it present the script only prints
# the path, so callers can run it unconditionally.  A prefix without the
# stamp is what an interrupted build left behind, and is built again.
#
# Where the sources come from.  PostgreSQL 17 is taken from Debian 13
# (trixie, and trixie-security, which carries the newest point release
# between two point releases of trixie), PostgreSQL 18 from unstable (sid);
# pgTAP from the same suite as the server.  The archive's address is read
# from this machine's own apt sources, and the source packages are fetched
# with apt-get through a sources list, package lists and cache of our own:
# the machine's apt configuration and state are never touched.  Only the
# pristine upstream tarball (*.orig.tar.*) is used: see unpack_orig.
#
# Works as root or as a user with sudo: root is needed only to install the
# missing build dependencies and to create the cache directory, which is
# then handed to the caller.  This script starts no server; initdb and
# postgres refuse to run as root anyway, so whoever runs the server later
# runs it as an unprivileged user, which is why everything installed here
# is world-readable.

set -euo pipefail

usage() {
    echo "usage: $0 MAJOR   (MAJOR: 17 or 18)" >&2
    exit 2
}

[ $# -eq 1 ] || usage
MAJOR=$1

# The Debian suites to take each major from.  apt picks the highest
# version found in all of them.  A "-security" suite is looked up at the
# address of the machine's own security archive.
case $MAJOR in
    17) SUITES=(trixie trixie-security) ;;
    18) SUITES=(sid) ;;
    *)  usage ;;
esac

# The suite this machine runs: its entry in the machine's apt sources
# gives the archive's address, and the entry of $HOST_SUITE-security that
# of the security archive.
HOST_SUITE=bookworm
DEFAULT_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

CACHE=${ACCOUNTABILITY_PG_CACHE:-/var/cache/pg_accountability}
PREFIX=$CACHE/pg$MAJOR
PG_CONFIG_PATH=$PREFIX/bin/pg_config
STAMP=$PREFIX/.build-complete
APTDIR=$CACHE/apt/pg$MAJOR
SRCDIR=$CACHE/src/pg$MAJOR
BUILDDIR=$CACHE/build/pg$MAJOR
LOGDIR=$CACHE/log
LOG=$LOGDIR/pg$MAJOR.log

# What configure needs for the build below, as Debian 12 packages.
# bison and flex are required: since PostgreSQL 17 the release tarballs no
# longer ship the generated parsers.  perl is needed by the build (and by
# pgTAP's Makefile), pkg-config and libicu-dev by ICU (on by default since
# PostgreSQL 16), bzip2 and xz-utils to unpack the tarballs.
# build-essential brings gcc, make and dpkg-dev.  libssl-dev and
# libxml2-dev are deliberately absent: neither the extension nor its tests
# use SSL connections or the xml type, so the build goes without them.
BUILD_PACKAGES=(build-essential bison flex perl pkg-config
                libreadline-dev zlib1g-dev libicu-dev bzip2 xz-utils)

# configure options: the defaults (readline, zlib and ICU on; SSL, LLVM,
# NLS, and the optional libraries off) are what extension tests need.
# There is no --enable-debug or --enable-cassert: the server built here
# also serves timings, which assertions would distort.  No contrib module
# is built: the tests create no extension but pgtap and pg_accountability.
CONFIGURE_OPTS=(--prefix="$PREFIX")

# The build must not pick up settings meant for something else: PGXS
# variables that make reads from the environment (COPT and PROFILE, used
# by the sanitize and coverage builds of the extension), compiler flags,
# and the job server of a make that might have called us.
unset COPT PROFILE PG_CONFIG PGXS CFLAGS CPPFLAGS LDFLAGS MAKEFLAGS MFLAGS MAKELEVEL
export LC_ALL=C

# Everything we create is readable by all: the server that will run from
# the prefix runs as another user than the one who built it.
umask 022

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'build-postgres: %s\n' "$*" >&2; exit 1; }
# The archive lists the source package but will not serve its files (seen
# here for trixie's postgresql-17: 404 for the .dsc and every tarball).
# Exit status 3 tells the harness "cannot be built on this machine", which
# it reports as a skipped major, not as a failed test.
EXIT_SOURCE_UNAVAILABLE=3
unavailable() { printf 'build-postgres: %s\n' "$*" >&2; exit "$EXIT_SOURCE_UNAVAILABLE"; }

# Run a command as root: directly when we are root, else through sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# run DESCRIPTION COMMAND...: run a command with its output in the log; on
# failure show the end of the log and stop.
run() {
    local what=$1
    shift
    printf '\n### %s\n### %s\n' "$what" "$*" >>"$LOG"
    if ! "$@" >>"$LOG" 2>&1; then
        tail -n 25 "$LOG" >&2
        die "$what failed; the full output is in $LOG"
    fi
}

# in_dir DIR COMMAND...: run a command in another directory.
in_dir() {
    (cd "$1" && shift && "$@")
}

# stage DESCRIPTION FUNCTION...: run one stage and say how long it took.
stage() {
    local what=$1 t0=$SECONDS
    shift
    say "$what"
    "$@"
    say "$what: done in $((SECONDS - t0)) s"
}

# own_dir DIR...: each DIR exists and is writable by the caller.  The
# cache may have been made by another user (root, say, before a user with
# sudo runs this); it is handed over, directory by directory.
own_dir() {
    local dir
    for dir in "$@"; do
        if [ ! -d "$dir" ]; then
            mkdir -p "$dir" 2>/dev/null || as_root install -d -m 755 "$dir"
        fi
        if [ ! -w "$dir" ] || [ ! -O "$dir" ]; then
            as_root chown "$(id -u):$(id -g)" "$dir"
        fi
    done
}

# remove PATH...: remove what a previous run left, which may hold files of
# root's (a "sudo make install" of the extension, apt's partial/).
remove() {
    rm -rf "$@" 2>/dev/null || as_root rm -rf "$@"
}

# The cache exists and belongs to the caller.
prepare_cache() {
    own_dir "$CACHE" "$LOGDIR" "$CACHE/src" "$SRCDIR" "$CACHE/apt" "$CACHE/build"
}

# Install the Debian packages that are missing; apt-get update only then.
install_build_deps() {
    local missing=() p
    for p in "${BUILD_PACKAGES[@]}"; do
        case $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) in
            *"install ok installed"*) ;;
            *) missing+=("$p") ;;
        esac
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    say "installing ${missing[*]}"
    run "apt-get update" as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    run "apt-get install" as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# archive_entry SUITE: print "URI KEYRING" for the first entry of this
# machine's apt sources that names SUITE (bookworm or bookworm-security).
# KEYRING is the entry's Signed-By file, or "-" when it names none.  The
# deb822 files of sources.list.d come first (Debian 12's default), then the
# one-line format of sources.list and *.list.
archive_entry() {
    local suite=$1 f found=
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        # Paragraph mode: one deb822 stanza per record.  Field names are
        # case-insensitive; comment lines and continuation lines (of an
        # inline key, say) are skipped.
        found=$(awk -v want="$suite" '
            BEGIN { RS = ""; FS = "\n" }
            {
                types = ""; uris = ""; suites = ""; key = "-"; enabled = "yes"
                for (i = 1; i <= NF; i++) {
                    line = $i
                    if (line ~ /^#/ || line ~ /^[ \t]/) continue
                    name = tolower(line); sub(/:.*/, "", name)
                    value = line; sub(/^[^:]*:[ \t]*/, "", value)
                    if (name == "types") types = value
                    else if (name == "uris") uris = value
                    else if (name == "suites") suites = value
                    else if (name == "enabled") enabled = tolower(value)
                    else if (name == "signed-by" && value ~ /^\//) key = value
                }
                if (enabled == "no" || types !~ /(^|[ \t])deb(-src)?([ \t]|$)/) next
                n = split(suites, s, /[ \t]+/)
                for (j = 1; j <= n; j++)
                    if (s[j] == want) {
                        split(uris, u, /[ \t]+/)
                        print u[1], key
                        exit
                    }
            }' "$f")
        if [ -n "$found" ]; then
            echo "$found"
            return 0
        fi
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        # deb [option=value ...] URI SUITE COMPONENT...
        found=$(awk -v want="$suite" '
            $1 != "deb" && $1 != "deb-src" { next }
            {
                key = "-"; i = 2
                if ($i ~ /^\[/) {
                    while (i <= NF) {
                        if ($i ~ /signed-by=/) { key = $i; sub(/.*signed-by=/, "", key); sub(/\]$/, "", key) }
                        if ($i ~ /\]$/) { i++; break }
                        i++
                    }
                }
                if ($(i + 1) == want) { print $i, key; exit }
            }' "$f")
        if [ -n "$found" ]; then
            echo "$found"
            return 0
        fi
    done
    return 1
}

# The apt options that make apt-get use our sources list, lists and cache
# instead of the machine's.  Dir::Cache matters too: the machine's
# pkgcache.bin and srcpkgcache.bin would otherwise be rebuilt from our
# lists.
apt_opts() {
    APT_OPTS=(-o "Dir::Etc::sourcelist=$APTDIR/sources.list"
              -o "Dir::Etc::sourceparts=-"
              -o "Dir::State::Lists=$APTDIR/lists"
              -o "Dir::Cache=$APTDIR/cache")
}

# write_sources_list MODE: our private sources list, with deb-src lines for
# SUITES.  MODE "signed" has apt check the archive's signature with the
# keyring named by the machine's own entry (or Debian's archive keyring);
# MODE "trusted" skips the check (see update_lists for when).
write_sources_list() {
    local mode=$1 suite base uri key opt
    : >"$APTDIR/sources.list.new"
    for suite in "${SUITES[@]}"; do
        case $suite in
            *-security) base=$HOST_SUITE-security ;;
            *)          base=$HOST_SUITE ;;
        esac
        read -r uri key < <(archive_entry "$base") ||
            die "no entry for $base in this machine's apt sources: cannot tell where Debian's archive is"
        [ "$key" != "-" ] || key=$DEFAULT_KEYRING
        if [ "$mode" = signed ]; then
            opt="signed-by=$key"
        else
            opt="trusted=yes"
        fi
        echo "deb-src [$opt] $uri $suite main" >>"$APTDIR/sources.list.new"
    done
    mv "$APTDIR/sources.list.new" "$APTDIR/sources.list"
}

# Fetch the package lists of SUITES into our private lists directory.
# apt-get runs as the caller: with every directory it writes being ours,
# it needs no root.
#
# The archive's signature is checked first.  The machine's keyring is the
# one of Debian 12, and a later suite may come to be signed only by keys
# it does not know (each release adds its own).  When apt reports exactly
# that, the lists are fetched again from this private sources list alone
# with [trusted=yes]: the alternative is no build at all, the machine's
# own sources stay verified, and the files downloaded afterwards are still
# checked against the checksums of those lists (fetch_sources), which
# guards against corruption though not against a forged archive.  Any
# other failure (no network, say) stops here.
update_lists() {
    # The lists are fetched anew for every build: they are small, and
    # stale ones would name files the archive no longer has.
    remove "$APTDIR"
    mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial"
    apt_opts
    write_sources_list signed
    printf '\n### apt-get update (%s)\n' "$(tr '\n' ';' <"$APTDIR/sources.list")" >>"$LOG"
    if apt-get "${APT_OPTS[@]}" update >"$APTDIR/update.log" 2>&1; then
        cat "$APTDIR/update.log" >>"$LOG"
        return 0
    fi
    cat "$APTDIR/update.log" >>"$LOG"
    # Unknown or expired keys, or no signature at all, are "unverifiable";
    # a bad signature is not, and neither is anything else.
    if grep -q 'BADSIG' "$APTDIR/update.log" ||
       ! grep -qE 'NO_PUBKEY|EXPKEYSIG|is not signed' "$APTDIR/update.log"; then
        tail -n 25 "$APTDIR/update.log" >&2
        die "apt-get update of ${SUITES[*]} failed; the full output is in $LOG"
    fi
    say "the archive's signature on ${SUITES[*]} cannot be verified with this machine's keyring;"
    say "fetching its lists unverified, for this private sources list only"
    write_sources_list trusted
    run "apt-get update (trusted)" apt-get "${APT_OPTS[@]}" update
}

# orig_of PACKAGE: print "FILE SHA256" of PACKAGE's upstream tarball, in
# the version apt-get source would fetch.
orig_of() {
    apt-get "${APT_OPTS[@]}" source --print-uris -qq "$1" 2>>"$LOG" |
        awk '!done && $2 ~ /\.orig\.tar\.[a-z0-9]+$/ { sub(/^SHA256:/, "", $4); print $2, $4; done = 1 }'
}

# fetch_source PACKAGE VAR: download PACKAGE's source package into SRCDIR
# and set VAR to the path of its upstream tarball.  Only the tarball is
# needed, so the .dsc or the Debian packaging failing to download is not
# fatal; the tarball is checked against the SHA-256 of the package lists
# whatever apt says.
fetch_source() {
    local pkg=$1 var=$2 file sum
    read -r file sum < <(orig_of "$pkg") ||
        unavailable "no source package $pkg in ${SUITES[*]}"
    [ -n "$sum" ] || die "no SHA-256 checksum for $file in the package lists"
    if ! in_dir "$SRCDIR" apt-get "${APT_OPTS[@]}" source --download-only "$pkg" \
            >"$APTDIR/source.log" 2>&1; then
        cat "$APTDIR/source.log" >>"$LOG"
        if [ ! -f "$SRCDIR/$file" ]; then
            grep '^E:' "$APTDIR/source.log" >&2 || true
            # a 404 is the archive's final word; anything else may pass
            if grep -q '404 *Not Found' "$APTDIR/source.log"; then
                unavailable "the archive does not serve $file (source package $pkg, 404) from ${SUITES[*]}"
            fi
            die "could not download $file (source package $pkg) from ${SUITES[*]}; see $LOG"
        fi
        say "$pkg: only the upstream tarball could be downloaded, which is all the build uses"
    else
        cat "$APTDIR/source.log" >>"$LOG"
    fi
    echo "$sum  $SRCDIR/$file" | sha256sum --check --status ||
        die "$SRCDIR/$file does not match its SHA-256 checksum"
    printf -v "$var" '%s' "$SRCDIR/$file"
}

fetch_sources() {
    update_lists
    fetch_source "postgresql-$MAJOR" PG_TARBALL
    fetch_source pgtap PGTAP_TARBALL
    PG_VERSION=$(basename "$PG_TARBALL" | sed -E 's/^[^_]*_(.*)\.orig\.tar\..*$/\1/')
    PGTAP_VERSION=$(basename "$PGTAP_TARBALL" | sed -E 's/^[^_]*_(.*)\.orig\.tar\..*$/\1/')
    say "PostgreSQL $PG_VERSION, pgTAP $PGTAP_VERSION"
}

# unpack_orig TARBALL DIR: unpack a pristine upstream tarball into DIR
# (anew) and print the path of the tree it holds.
#
# Debian's patches are not applied: they fit the server to Debian's
# layout and packaging (the socket directory, multiarch library paths,
# pg_config's answers for the Debian packages, the version string), none
# of which a private installation under one prefix wants, and none of
# which changes what an extension compiles against.  Using the pristine
# tarball also means the .dsc and the Debian tarball need not be fetched,
# nor dpkg-source run.
unpack_orig() {
    local tarball=$1 dir=$2 top
    rm -rf "$dir"
    mkdir -p "$dir"
    tar -C "$dir" -xf "$tarball"
    top=$(find "$dir" -mindepth 1 -maxdepth 1 -type d)
    if [ -z "$top" ] || [ "$(printf '%s\n' "$top" | wc -l)" -ne 1 ]; then
        die "$tarball does not hold exactly one top-level directory"
    fi
    echo "$top"
}

build_postgres() {
    local tree
    tree=$(unpack_orig "$PG_TARBALL" "$BUILDDIR/postgresql")
    run "configure" in_dir "$tree" ./configure "${CONFIGURE_OPTS[@]}"
    run "make" make -C "$tree" -j"$(nproc)"
    run "make install" make -C "$tree" install
    # The isolation tester is what PGXS's ISOLATION variable and the test
    # harness run; installing it is the one step of "make install" that
    # not every major does for PGXS.
    run "make install (isolation tester)" make -C "$tree/src/test/isolation" -j"$(nproc)" install
}

# Check that the installation has what extension builds and tests use.
verify_postgres() {
    local version pgxs top tool
    [ -x "$PG_CONFIG_PATH" ] || die "$PG_CONFIG_PATH was not installed"
    version=$("$PG_CONFIG_PATH" --version)
    case $version in
        "PostgreSQL $MAJOR".*) ;;
        *) die "$PG_CONFIG_PATH reports $version, not PostgreSQL $MAJOR" ;;
    esac
    pgxs=$("$PG_CONFIG_PATH" --pgxs)
    [ -f "$pgxs" ] || die "PGXS not installed: $pgxs"
    [ -f "$("$PG_CONFIG_PATH" --includedir-server)/postgres.h" ] ||
        die "server headers not installed"
    # Where PGXS runs pg_regress and pg_isolation_regress from: the
    # *_installcheck variables of the installed Makefile.global, with
    # $(top_builddir) being the pgxs directory (pgxs.mk).
    top=$(cd "$(dirname "$pgxs")/../.." && pwd)
    for tool in pg_regress pg_isolation_regress; do
        local rel
        rel=$(sed -n "/^${tool}_installcheck *=/,/^\$/p" "$top/src/Makefile.global" |
              grep -o "\$(top_builddir)/[^ ]*/$tool") || true
        rel=${rel%%$'\n'*}
        [ -n "$rel" ] || die "no ${tool}_installcheck in $top/src/Makefile.global"
        [ -x "$top/${rel#\$(top_builddir)/}" ] ||
            die "$tool not installed where PGXS expects it: $top/${rel#\$(top_builddir)/}"
    done
    [ -x "$top/src/test/isolation/isolationtester" ] ||
        die "isolationtester not installed beside pg_isolation_regress"
    case $(ldd "$PREFIX/bin/psql") in
        *libreadline*) ;;
        *) die "psql was built without readline" ;;
    esac
}

build_pgtap() {
    local tree
    tree=$(unpack_orig "$PGTAP_TARBALL" "$BUILDDIR/pgtap")
    # pgTAP's Makefile generates its SQL scripts with sed and perl (the
    # PERL of PGXS) and only warns that pg_prove's Perl module is missing;
    # nothing is run against a server.
    run "make (pgTAP)" make -C "$tree" PG_CONFIG="$PG_CONFIG_PATH"
    run "make install (pgTAP)" make -C "$tree" PG_CONFIG="$PG_CONFIG_PATH" install
    [ -f "$("$PG_CONFIG_PATH" --sharedir)/extension/pgtap.control" ] ||
        die "pgtap.control was not installed"
}

# Record the build; written last, so that it means "complete".
write_stamp() {
    {
        echo "major=$MAJOR"
        echo "postgresql=$PG_VERSION ($(basename "$PG_TARBALL"))"
        echo "pgtap=$PGTAP_VERSION ($(basename "$PGTAP_TARBALL"))"
        echo "suites=${SUITES[*]}"
        echo "configure=${CONFIGURE_OPTS[*]}"
        echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ) in ${SECONDS}s"
    } >"$STAMP.new"
    mv "$STAMP.new" "$STAMP"
}

main() {
    if [ -f "$STAMP" ] && [ -x "$PG_CONFIG_PATH" ]; then
        echo "$PG_CONFIG_PATH"
        return 0
    fi

    prepare_cache
    # One build of a major at a time: a second caller waits, then finds
    # the stamp.
    exec 9>>"$CACHE/.pg$MAJOR.lock"
    if ! flock -n 9; then
        say "waiting for another build of PostgreSQL $MAJOR in $CACHE"
        flock 9
    fi
    if [ -f "$STAMP" ] && [ -x "$PG_CONFIG_PATH" ]; then
        echo "$PG_CONFIG_PATH"
        return 0
    fi

    rm -f "$LOG"
    : >"$LOG"
    say "building PostgreSQL $MAJOR and pgTAP into $PREFIX (log: $LOG)"
    # Whatever an interrupted build left behind goes.
    remove "$PREFIX" "$BUILDDIR"

    stage "installing build dependencies" install_build_deps
    stage "fetching the sources from ${SUITES[*]}" fetch_sources
    stage "building PostgreSQL $PG_VERSION" build_postgres
    verify_postgres
    stage "building pgTAP $PGTAP_VERSION" build_pgtap
    rm -rf "$BUILDDIR"
    write_stamp
    say "PostgreSQL $MAJOR ready in ${SECONDS} s: $PG_CONFIG_PATH"
    echo "$PG_CONFIG_PATH"
}

main
