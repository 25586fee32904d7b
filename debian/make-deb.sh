#!/usr/bin/env bash
#
# debian/make-deb.sh — `make deb`: build the Debian package
# postgresql-15-accountability with Debian's own tooling (dpkg-buildpackage,
# debhelper, pg_buildext; see debian/rules) and put the .deb files into
# DEB_OUT (default: .build/deb/ of the source tree, which git ignores).
#
#   make deb [DEB_OUT=DIR] [DPKG_BUILDPACKAGE_FLAGS="-us -uc -b"]
#
# Works on a fresh Debian 12 machine as root or as a user with sudo: the
# build dependencies that are missing are installed first (dpkg-dev and
# build-essential, then debian/control's Build-Depends through
# `apt-get build-dep`).  The package is built as the caller (no root needed:
# Rules-Requires-Root: no).
#
# The build never runs in the work tree: the tree's files (git-tracked ones
# plus untracked ones git does not ignore; in a tree without git, every file
# but .git/ and .build/, cleaned by `debian/rules clean`) are copied into a
# fresh temporary directory, named SOURCE-UPSTREAM as Debian expects, beside
# an orig tarball made from the same files less debian/ (so that
# DPKG_BUILDPACKAGE_FLAGS="-us -uc" builds the source package too).  The
# temporary directory goes on every exit; the tree keeps no build product.
# The full build log is kept in DEB_OUT as SOURCE_VERSION_ARCH.build.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEB_OUT=${DEB_OUT:-$TOP/.build/deb}
DPKG_BUILDPACKAGE_FLAGS=${DPKG_BUILDPACKAGE_FLAGS:--us -uc -b}

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'make deb: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_get() {
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"
}

APT_UPDATED=
apt_update_once() {
    [ -n "$APT_UPDATED" ] && return 0
    APT_UPDATED=1
    apt_get update -qq
}

# Install the packages of the arguments that are missing.
install_packages() {
    local missing=() p
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$p")
        fi
    done
    [ ${#missing[@]} -gt 0 ] || return 0
    say "installing ${missing[*]}"
    apt_update_once
    apt_get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# A clean build environment: nothing of the calling make (its variables
# travel in MAKEFLAGS) or of a custom build leaks into the package build.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES COPT PROFILE VPATH PG_CONFIG

install_packages dpkg-dev build-essential

changelog="$TOP/debian/changelog"
source_name=$(dpkg-parsechangelog -l "$changelog" -S Source)
version=$(dpkg-parsechangelog -l "$changelog" -S Version)
upstream=${version%-*}
upstream=${upstream#*:}
ext_version=$(sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" "$TOP/pg_accountability.control")
[ "$upstream" = "$ext_version" ] ||
    die "debian/changelog is at $version, but pg_accountability.control's default_version is $ext_version: add a changelog entry ($ext_version-1)"

mkdir -p "$DEB_OUT"
DEB_OUT=$(cd "$DEB_OUT" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pg_accountability-deb.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
SRC="$WORK/$source_name-$upstream"
mkdir "$SRC"

say "copying the source tree into $SRC"
if git -C "$TOP" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # tracked files (less those deleted in the work tree) and untracked,
    # non-ignored ones: exactly what `git status` considers the source
    git -C "$TOP" ls-files -z --cached --others --exclude-standard --deduplicate |
        (cd "$TOP" && while IFS= read -r -d '' f; do
             if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
         done) |
        tar -C "$TOP" --null --no-recursion -T - -cf - | tar -C "$SRC" -xf -
else
    tar -C "$TOP" --exclude=./.git --exclude=./.build -cf - . | tar -C "$SRC" -xf -
fi
tar -C "$WORK" --exclude="$source_name-$upstream/debian" \
    -cJf "$WORK/${source_name}_$upstream.orig.tar.xz" "$source_name-$upstream"

# debian/control's Build-Depends (debhelper, postgresql-server-dev-all, ...)
if ! (cd "$SRC" && dpkg-checkbuilddeps) >/dev/null 2>&1; then
    say "installing the build dependencies of debian/control"
    apt_update_once
    apt_get build-dep -y -qq --no-install-recommends "$SRC" >/dev/null
fi

arch=$(dpkg-architecture -qDEB_HOST_ARCH)
log="$DEB_OUT/${source_name}_${version}_$arch.build"
say "dpkg-buildpackage $DPKG_BUILDPACKAGE_FLAGS (log: $log)"
# shellcheck disable=SC2086  # the flags are words
if ! (cd "$SRC" && dpkg-buildpackage -jauto $DPKG_BUILDPACKAGE_FLAGS) >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    die "dpkg-buildpackage failed: see $log"
fi

shopt -s nullglob
debs=("$WORK"/*.deb)
[ ${#debs[@]} -gt 0 ] || die "dpkg-buildpackage built no .deb: see $log"
out=("${debs[@]}" "$WORK"/*.changes "$WORK"/*.buildinfo)
if dsc=("$WORK"/*.dsc) && [ ${#dsc[@]} -gt 0 ]; then
    out+=("${dsc[@]}" "$WORK"/*.orig.tar.* "$WORK"/*.debian.tar.*)
fi
cp "${out[@]}" "$DEB_OUT/"
for f in "${debs[@]}"; do
    echo "$DEB_OUT/$(basename "$f")"
done
