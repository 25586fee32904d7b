#!/usr/bin/env bash
# majors: 15
#
# tests/checks/deb_package.sh — `make deb` builds postgresql-15-accountability
# with Debian's own tooling, and the installed package is the extension the
# tree builds and passes `make installcheck`.
#
#   1. make deb DEB_OUT=<scratch>: dpkg-buildpackage with pg_buildext
#      (debian/) in a temporary copy of the tree.
#   2. The .deb is postgresql-15-accountability at debian/changelog's
#      version, depends on postgresql-15, and ships pg_accountability.so,
#      the control file, every install script (1.0, and 1.1 assembled from
#      extension/schema/) and every update script (1.0--1.1), all in Debian's
#      PostgreSQL 15 directories.
#   3. Its control file and SQL scripts are byte-identical to the ones the
#      tree's build installed (the harness's `make install`).  Its library
#      cannot be (Debian's hardening flags, other build paths, stripped with
#      the debug information in the -dbgsym package), so it must export the
#      same symbols and carry the same JIT bitcode modules.
#   4. Installed over the tree's build the way the README tells a DBA
#      (apt-get install ./postgresql-15-accountability_*.deb): dpkg -s shows
#      it installed at the changelog's version, dpkg -L lists the files of
#      step 2, dpkg --verify finds every file on disk to be the package's,
#      and a new backend of the running cluster maps the package's library
#      (same inode).
#   5. make installcheck (the pg_regress and isolation suites) against the
#      running cluster with Debian's PostgreSQL 15 pg_config, from a scratch
#      build directory (VPATH=$TOP, as pg_buildext does), so the tree gets no
#      results; dpkg --verify again afterwards.
#   6. On every exit: the package is purged and the files the tree's build
#      had installed are put back byte for byte (saved before step 4), so
#      the rest of the suite tests the tree's build again.
#
# The package is built against Debian 12's own PostgreSQL 15 only
# (debian/pgversions): against a cluster of another major the check says so
# and passes without building anything.

set -euo pipefail

: "${BINDIR:?BINDIR must point at the PostgreSQL binaries}"
: "${TOP:?TOP must be the source tree}"
: "${WORKDIR:?WORKDIR must be the work directory of the harness}"

PKG=postgresql-15-accountability
PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config

fail() { printf 'deb_package: FAIL: %s\n' "$*" >&2; exit 1; }
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
apt_get() {
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 "$@"
}

major=$("$BINDIR/psql" -X -At -d postgres -c "SELECT current_setting('server_version_num')::int / 10000")
if [ "$major" != 15 ]; then
    echo "deb_package: skipped: the package is built for Debian's PostgreSQL 15, the cluster runs $major"
    exit 0
fi
[ -x "$PG_CONFIG" ] || fail "$PG_CONFIG not found"
if dpkg-query -W -f='${Status}\n' "$PKG" 2>/dev/null | grep -q ' installed$'; then
    fail "$PKG is already installed on this machine and the check would remove it: dpkg --purge $PKG first"
fi

SCRATCH=$(mktemp -d "$WORKDIR/deb_package.XXXXXX")
INSTALLED=      # set once the package may be on the system
RESTORED=

# Purge the package and put the tree's build back (the files saved in
# $SCRATCH/before.tar, owned by root as make install left them).
purge_and_restore() {
    RESTORED=1
    apt_get purge -y -qq "$PKG" >/dev/null 2>&1 || as_root dpkg --purge "$PKG" >/dev/null
    if [ -s "$SCRATCH/before.list" ]; then
        as_root tar -C / -xpf "$SCRATCH/before.tar"
    fi
}
cleanup() {
    local status=$?
    trap - EXIT
    if [ -n "$INSTALLED" ] && [ -z "$RESTORED" ]; then
        purge_and_restore || echo "deb_package: could not purge $PKG or reinstall the tree's build: run make install" >&2
    fi
    rm -rf "$SCRATCH"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

version=$(dpkg-parsechangelog -l "$TOP/debian/changelog" -S Version 2>/dev/null) || version=
newest=$(sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" "$TOP/pg_accountability.control")
pkglibdir=$("$PG_CONFIG" --pkglibdir)
extdir=$("$PG_CONFIG" --sharedir)/extension

# ---------------------------------------------------------------- 1. make deb
start=$(date +%s)
make -s -C "$TOP" deb DEB_OUT="$SCRATCH/deb" >"$SCRATCH/make-deb.log" 2>&1 || {
    cat "$SCRATCH/make-deb.log" >&2
    fail "make deb failed"
}
seconds=$(( $(date +%s) - start ))
[ -n "$version" ] || version=$(dpkg-parsechangelog -l "$TOP/debian/changelog" -S Version)
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb="$SCRATCH/deb/${PKG}_${version}_$arch.deb"
[ -f "$deb" ] || { ls -l "$SCRATCH/deb" >&2; fail "make deb did not build $(basename "$deb")"; }
grep -qxF "$deb" "$SCRATCH/make-deb.log" || fail "make deb did not print the path of $(basename "$deb")"
echo "deb_package: make deb built $(basename "$deb") in ${seconds} s ($(find "$SCRATCH/deb" -name "*.deb" | wc -l) .deb files)"

# ---------------------------------------------------------------- 2. what it ships
[ "$(dpkg-deb -f "$deb" Package)" = "$PKG" ] || fail "the package is called $(dpkg-deb -f "$deb" Package)"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "the package's version is $(dpkg-deb -f "$deb" Version), not $version"
dpkg-deb -f "$deb" Depends | grep -Eq '(^|, )postgresql-15( |,|$)' ||
    fail "the package does not depend on postgresql-15: $(dpkg-deb -f "$deb" Depends)"
dpkg-deb -x "$deb" "$SCRATCH/pkg"

expected=("$pkglibdir/pg_accountability.so" "$extdir/pg_accountability.control" "$extdir/pg_accountability--$newest.sql")
for f in "$TOP"/extension/pg_accountability--*.sql; do
    expected+=("$extdir/$(basename "$f")")
done
# the update scripts make assembles from their templates
for f in "$TOP"/extension/upgrade/*--*.sql; do
    [ -e "$f" ] && expected+=("$extdir/pg_accountability--$(basename "$f")")
done
mapfile -t expected < <(printf '%s\n' "${expected[@]}" | sort -u)
for f in "${expected[@]}"; do
    [ -f "$SCRATCH/pkg$f" ] || fail "the package does not ship $f"
done
# every file the tree installs, and no other extension file
( cd "$SCRATCH/pkg" && find ".$extdir" -type f | sed 's/^\.//' | sort ) >"$SCRATCH/pkg.ext"
printf '%s\n' "${expected[@]}" | grep -F "$extdir/" | sort >"$SCRATCH/tree.ext"
diff "$SCRATCH/tree.ext" "$SCRATCH/pkg.ext" >&2 || fail "the package's extension files are not the tree's (< tree, > package)"

# ---------------------------------------------------------------- 3. the same as the tree's build
# The files of the tree's build that the package replaces, saved for step 6.
( cd "$SCRATCH/pkg" && find . -type f ! -path './usr/share/doc/*' | sed 's/^\.\///' | sort ) >"$SCRATCH/pkg.files"
: >"$SCRATCH/before.list"
while IFS= read -r f; do
    if [ -e "/$f" ]; then echo "$f" >>"$SCRATCH/before.list"; fi
done <"$SCRATCH/pkg.files"
tar -C / --owner=0 --group=0 --numeric-owner -cf "$SCRATCH/before.tar" -T "$SCRATCH/before.list"
mkdir "$SCRATCH/before"
tar -C "$SCRATCH/before" -xf "$SCRATCH/before.tar"

identical=0
for f in "${expected[@]}"; do
    case $f in *.so) continue ;; esac
    [ -f "$SCRATCH/before$f" ] || fail "the tree's build did not install $f (run by the harness after make install)"
    cmp -s "$SCRATCH/before$f" "$SCRATCH/pkg$f" || {
        diff -u "$SCRATCH/before$f" "$SCRATCH/pkg$f" | head -n 40 >&2
        fail "$(basename "$f") in the package differs from the tree's build"
    }
    identical=$((identical + 1))
done
so=$pkglibdir/pg_accountability.so
[ -f "$SCRATCH/before$so" ] || fail "the tree's build did not install $so"
symbols() { nm -D --defined-only "$1" | awk '{ print $2, $3 }' | sort; }
if [ -n "${INSTRUMENTED:-}" ]; then
    # The tree's build is instrumented (make coverage, make sanitize) and
    # exports its runtime's symbols too: compare the SQL-callable interface.
    symbols() { nm -D --defined-only "$1" | awk '$3 ~ /^(pg_finfo_|Pg_magic_func$|_PG_init$)/ { print $2, $3 }' | sort; }
fi
symbols "$SCRATCH/before$so" >"$SCRATCH/tree.symbols"
symbols "$SCRATCH/pkg$so" >"$SCRATCH/pkg.symbols"
diff "$SCRATCH/tree.symbols" "$SCRATCH/pkg.symbols" >&2 ||
    fail "the package's library exports other symbols than the tree's (< tree, > package)"
nsym=$(grep -c '^T ' "$SCRATCH/pkg.symbols" || true)
if readelf -S --wide "$SCRATCH/pkg$so" | grep -q '\.debug_info'; then
    fail "the package's library is not stripped"
fi
( cd "$SCRATCH/pkg" && find "./$pkglibdir/bitcode" -type f 2>/dev/null | sort ) >"$SCRATCH/pkg.bitcode"
( cd "$SCRATCH/before" && find "./$pkglibdir/bitcode" -type f 2>/dev/null | sort ) >"$SCRATCH/tree.bitcode"
diff "$SCRATCH/tree.bitcode" "$SCRATCH/pkg.bitcode" >&2 ||
    fail "the package's JIT bitcode modules are not the tree's (< tree, > package)"
echo "deb_package: ships ${#expected[@]} extension files for PostgreSQL 15; the control file and $((identical - 1)) SQL scripts byte-identical to the tree's build; the library (stripped, Debian's flags) exports the same $nsym functions; $(wc -l <"$SCRATCH/pkg.bitcode") bitcode files, the same as the tree's"

# ---------------------------------------------------------------- 4. installed
INSTALLED=1
apt_get install -y -qq --no-install-recommends "$deb" >"$SCRATCH/install.log" 2>&1 || {
    cat "$SCRATCH/install.log" >&2
    fail "apt-get install $(basename "$deb") failed"
}
status=$(dpkg-query -W -f='${Status} ${Version}' "$PKG")
[ "$status" = "install ok installed $version" ] || fail "dpkg -s $PKG: $status, not installed at $version"
dpkg -s "$PKG" | grep -qx "Version: $version" || fail "dpkg -s does not show Version: $version"
dpkg -L "$PKG" | sort >"$SCRATCH/dpkg-L"
for f in "${expected[@]}"; do
    grep -qxF "$f" "$SCRATCH/dpkg-L" || fail "dpkg -L $PKG does not list $f"
done
verify() {
    local problems
    problems=$(as_root dpkg --verify "$PKG" 2>&1) || true
    [ -z "$problems" ] || { echo "$problems" >&2; fail "dpkg --verify $PKG $1: files on disk are not the package's"; }
}
verify "after installing"
inode=$(stat -c %i "$so")
mapped=$("$BINDIR/psql" -X -At -v ON_ERROR_STOP=1 -d postgres \
    -c "LOAD 'pg_accountability'" \
    -c "SELECT line FROM regexp_split_to_table(pg_read_file('/proc/self/maps'), E'\\n') AS line
        WHERE line LIKE '%/pg_accountability.so' LIMIT 1" | tail -n 1)
[ -n "$mapped" ] || fail "a new backend did not map pg_accountability.so"
[ "$(awk '{ print $5 " " $6 }' <<<"$mapped")" = "$inode $so" ] ||
    fail "the server maps another pg_accountability.so than the package's (inode $inode): $mapped"
echo "deb_package: apt-get install: dpkg -s $PKG shows $version installed; dpkg -L lists the ${#expected[@]} files; dpkg --verify clean; a new backend maps the package's library (inode $inode)"

# ---------------------------------------------------------------- 5. make installcheck
ic="$SCRATCH/installcheck"
mkdir "$ic"
start=$(date +%s)
if ! make -C "$ic" -f "$TOP/Makefile" VPATH="$TOP" PG_CONFIG="$PG_CONFIG" installcheck >"$ic/run.log" 2>&1; then
    cat "$ic/run.log" >&2
    for d in "$ic/regression.diffs" "$ic/output_iso/regression.diffs"; do
        if [ -s "$d" ]; then head -n 80 "$d" >&2; fi
    done
    fail "make installcheck against the installed package failed"
fi
seconds=$(( $(date +%s) - start ))
# pg_regress, then pg_isolation_regress: "All N tests passed." each
passed=$(grep -Eo 'All [0-9]+ tests passed' "$ic/run.log" | paste -sd ';' | sed 's/;/, isolation: /; s/^/pg_regress: /')
[ "$(grep -c 'tests passed' "$ic/run.log")" = 2 ] ||
    { cat "$ic/run.log" >&2; fail "make installcheck did not run both the pg_regress and the isolation suites"; }
verify "after make installcheck"
echo "deb_package: make installcheck PG_CONFIG=$PG_CONFIG against the package, in ${seconds} s: $passed"

# ---------------------------------------------------------------- 6. back to the tree's build
purge_and_restore
if dpkg-query -W -f='${Status}\n' "$PKG" 2>/dev/null | grep -q ' installed$'; then
    fail "$PKG is still installed after purging it"
fi
while IFS= read -r f; do
    cmp -s "$SCRATCH/before/$f" "/$f" || fail "/$f is not the tree's build again after purging the package"
done <"$SCRATCH/before.list"
echo "deb_package: purged; the tree's build is back ($(wc -l <"$SCRATCH/before.list") files byte-identical to before)"
echo "deb_package: ok"
