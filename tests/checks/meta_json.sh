#!/usr/bin/env bash
#
# tests/checks/meta_json.sh — META.json is a valid PGXN distribution
# description (PGXN Meta Spec 1.0.0) and agrees with the control file.
#
# Checked with PostgreSQL's own JSON parser, so it needs nothing beyond the
# harness: the file parses; the required keys are there (name, abstract,
# version, maintainer, license, provides, meta-spec 1.0.0); versions are
# semantic versions; the license is one the spec names; every provided
# extension names an existing file and docfile; the distribution and the
# extension carry the control file's default_version (1.0 is 1.0.0); and
# PostgreSQL 15.4 is the minimum required at run time.

set -euo pipefail
: "${BINDIR:?BINDIR must point at the PostgreSQL binaries}"
: "${TOP:?TOP must be the source tree}"

meta="$TOP/META.json"
[ -f "$meta" ] || { echo "meta_json: no META.json" >&2; exit 1; }
control_version=$(sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" "$TOP/pg_accountability.control")
semver=$(printf '%s' "$control_version" | awk -F. '{ printf "%d.%d.%d", $1, $2 == "" ? 0 : $2, $3 == "" ? 0 : $3 }')

problems=$("$BINDIR/psql" -X -At -v ON_ERROR_STOP=1 -d postgres \
    -v meta="$(cat "$meta")" -v semver="$semver" <<'SQL'
WITH m AS (SELECT :'meta'::jsonb AS j),
semver AS (SELECT '^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+)?$' AS re),
checks(problem, bad) AS (
    SELECT 'missing ' || k, NOT (j ? k) FROM m,
        unnest(ARRAY['name', 'abstract', 'version', 'maintainer', 'license', 'provides', 'meta-spec']) k
    UNION ALL SELECT 'meta-spec version is not 1.0.0', j #>> '{meta-spec,version}' IS DISTINCT FROM '1.0.0' FROM m
    UNION ALL SELECT 'name is not pg_accountability', j ->> 'name' IS DISTINCT FROM 'pg_accountability' FROM m
    UNION ALL SELECT 'version is not a semantic version', NOT coalesce(j ->> 'version' ~ re, false) FROM m, semver
    UNION ALL SELECT 'version is not the control file''s ' || :'semver', j ->> 'version' IS DISTINCT FROM :'semver' FROM m
    UNION ALL SELECT 'license is not one the spec names',
        NOT (jsonb_typeof(j -> 'license') = 'string' AND j ->> 'license' = ANY (ARRAY[
            'agpl_3', 'apache_1_1', 'apache_2_0', 'artistic_1', 'artistic_2', 'bsd', 'freebsd', 'gfdl_1_2',
            'gfdl_1_3', 'gpl_1', 'gpl_2', 'gpl_3', 'lgpl_2_1', 'lgpl_3_0', 'mit', 'mozilla_1_0', 'mozilla_1_1',
            'openssl', 'perl_5', 'postgresql', 'qpl_1_0', 'ssleay', 'sun', 'zlib', 'open_source', 'restricted',
            'unrestricted', 'unknown'])
             OR jsonb_typeof(j -> 'license') = 'object') FROM m
    UNION ALL SELECT 'maintainer is empty', coalesce(jsonb_typeof(j -> 'maintainer') NOT IN ('string', 'array')
                                                   OR j -> 'maintainer' IN ('""', '[]'), true) FROM m
    UNION ALL SELECT 'abstract is empty', coalesce(j ->> 'abstract', '') = '' FROM m
    UNION ALL SELECT 'provides has no pg_accountability', NOT coalesce(j -> 'provides' ? 'pg_accountability', false) FROM m
    UNION ALL SELECT 'provides.' || p.key || ' has no file', NOT (p.value ? 'file') FROM m, jsonb_each(j -> 'provides') p
    UNION ALL SELECT 'provides.' || p.key || ' version is not a semantic version',
        NOT coalesce(p.value ->> 'version' ~ re, false) FROM m, semver, jsonb_each(j -> 'provides') p
    UNION ALL SELECT 'provides.' || p.key || ' version is not ' || :'semver',
        p.value ->> 'version' IS DISTINCT FROM :'semver' FROM m, jsonb_each(j -> 'provides') p
    UNION ALL SELECT 'release_status is not stable, testing or unstable',
        j ? 'release_status' AND j ->> 'release_status' NOT IN ('stable', 'testing', 'unstable') FROM m
    UNION ALL SELECT 'PostgreSQL 15.4.0 is not the runtime requirement',
        j #>> '{prereqs,runtime,requires,PostgreSQL}' IS DISTINCT FROM '15.4.0' FROM m
    UNION ALL SELECT 'unknown top-level key ' || k, NOT (k = ANY (ARRAY['name', 'abstract', 'description', 'version',
            'maintainer', 'license', 'provides', 'meta-spec', 'prereqs', 'resources', 'no_index',
            'release_status', 'generated_by', 'tags']) OR k ~ '^[xX]_')
        FROM m, jsonb_object_keys(j) k
)
SELECT problem FROM checks WHERE bad;
SELECT 'file:' || (p.value ->> 'file') FROM (SELECT :'meta'::jsonb AS j) m, jsonb_each(j -> 'provides') p
UNION ALL
SELECT 'file:' || (p.value ->> 'docfile') FROM (SELECT :'meta'::jsonb AS j) m, jsonb_each(j -> 'provides') p
WHERE p.value ? 'docfile';
SQL
) || { echo "meta_json: META.json is not valid JSON" >&2; exit 1; }

status=0
while IFS= read -r line; do
    case $line in
        file:*) [ -f "$TOP/${line#file:}" ] || { echo "META.json names a missing file ${line#file:}"; status=1; } ;;
        ?*) echo "META.json: $line"; status=1 ;;
    esac
done <<<"$problems"
[ $status -eq 0 ] && echo "meta_json: META.json is valid (PGXN meta-spec 1.0.0, version $semver)"
exit $status
