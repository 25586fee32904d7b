#!/usr/bin/env bash
#
# tests/checks/upgrade.sh — every released version upgrades to exactly what
# a fresh install of the newest version creates.
#
# For every released version V (each full install script
# extension/pg_accountability--V.sql; update scripts are named
# pg_accountability--A--B.sql):
#
#   1. CREATE EXTENSION pg_accountability VERSION 'V' in a fresh database.
#      This also proves the current library still exports every C symbol
#      V's script names (CREATE FUNCTION ... LANGUAGE C looks each one up).
#   2. Record a little data with V: units, a subject, cases moved through
#      the workflow with their hashed history, a determination, a changed
#      setting.
#   3. ALTER EXTENSION pg_accountability UPDATE: it must reach the control
#      file's default_version (an update path must exist).
#   4. Compare the extension's members and their definitions with a fresh
#      CREATE EXTENSION of the newest version, read from the catalogs
#      (pg_dump does not dump an extension's members): every member object;
#      functions by pg_get_functiondef and aggregates by their parts; types
#      with their I/O functions; operators, operator classes and families
#      with their operators and support functions; casts; tables with their
#      columns, defaults, identity, constraints, indexes, triggers and their
#      ENABLE mode, policies, row-level security, replica identity, options;
#      views by pg_get_viewdef; sequences; privileges and comments on all of
#      them; the configuration tables pg_dump dumps, with their conditions;
#      and the rows the install script seeds (compared on the data-free
#      databases; the data of step 2 must keep verify_history() clean and
#      let the workflow continue).
#

set -euo pipefail

: "${BINDIR:?BINDIR must point at the PostgreSQL binaries}"
: "${TOP:?TOP must be the source tree}"
# shellcheck source=lib/clusters.sh
. "$TOP/tests/checks/lib/clusters.sh"

PSQL=("$BINDIR/psql" -X -q -v ON_ERROR_STOP=1)
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/upgrade_check.XXXXXX")
DBS=()
fail() { printf 'upgrade: FAIL: %s\n' "$*" >&2; exit 1; }
cleanup() {
    local status=$? db
    for db in "${DBS[@]}"; do
        "$BINDIR/psql" -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    done
    rm -rf "$SCRATCH"
    exit $status
}
trap cleanup EXIT

newest=$(sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" "$TOP/pg_accountability.control")
[ -n "$newest" ] || fail "no default_version in pg_accountability.control"
versions=()
for f in "$TOP"/extension/pg_accountability--*.sql; do
    v=${f##*/pg_accountability--}
    v=${v%.sql}
    case $v in *--*) continue ;; esac   # an update script
    versions+=("$v")
done
[ ${#versions[@]} -gt 0 ] || fail "no install script in extension/"

new_db() {  # name
    DBS+=("$1")
    PGOPTIONS='-c client_min_messages=warning' "${PSQL[@]}" -d postgres \
        -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
}

# Every member of the extension and its definition, one sorted line each.
describe_extension() {  # db
    "$BINDIR/psql" -X -At -v ON_ERROR_STOP=1 -d "$1" <<'SQL'
SET accountability.language = 'en';
SET search_path = pg_catalog;
-- A privilege list as a sorted set, the default one when none is stored:
-- two installs that grant the same rights in another order (or leave a
-- default in place rather than spell it out) are the same install.
CREATE FUNCTION pg_temp.acl_set(acl aclitem[], kind "char", owner oid) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(a::text, ',' ORDER BY a::text), '-')
    FROM unnest(CASE WHEN kind IS NULL THEN acl ELSE coalesce(acl, acldefault(kind, owner)) END) a
$$;
WITH ext AS (
    SELECT oid, extnamespace, extrelocatable, extconfig, extcondition
    FROM pg_extension WHERE extname = 'pg_accountability'
), m AS (
    SELECT d.classid, d.objid FROM pg_depend d, ext
    WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
), cmt AS (
    SELECT m.classid, m.objid, obj_description(m.objid, m.classid::regclass::name) AS txt FROM m
), lines AS (
    -- every member, its ACL-free identity, and its comment
    SELECT pg_describe_object(m.classid, m.objid, 0) || ' | comment: ' || coalesce(c.txt, '-') AS line
    FROM m JOIN cmt c USING (classid, objid)
  UNION ALL
    -- functions and procedures: the whole definition, and who may run them
    SELECT pg_describe_object(m.classid, m.objid, 0) || E' | def:\n' || pg_get_functiondef(p.oid)
           || ' | acl: ' || pg_temp.acl_set(p.proacl, 'f', p.proowner)
    FROM m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid WHERE p.prokind IN ('f', 'p')
  UNION ALL
    SELECT pg_describe_object(m.classid, m.objid, 0) || ' | aggregate: ' ||
           concat_ws(', ', a.aggkind, a.aggtransfn::regproc, a.aggfinalfn::regproc, a.aggcombinefn::regproc,
                     a.aggtranstype::regtype, a.aggsortop::regoperator, a.agginitval, p.proparallel,
                     pg_temp.acl_set(p.proacl, 'f', p.proowner))
    FROM m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
    JOIN pg_aggregate a ON a.aggfnoid = p.oid
  UNION ALL
    -- types
    SELECT pg_describe_object(m.classid, m.objid, 0) || ' | type: ' ||
           concat_ws(', ', t.typtype, t.typlen, t.typbyval, t.typalign, t.typstorage, t.typcategory,
                     t.typispreferred, t.typinput::regproc, t.typoutput::regproc, t.typreceive::regproc,
                     t.typsend::regproc, t.typmodin::regproc, t.typmodout::regproc, t.typanalyze::regproc,
                     t.typcollation, t.typdefault, format_type(t.typarray, NULL),
                     pg_temp.acl_set(t.typacl, 'T', t.typowner),
                     (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                        FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped))
    FROM m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
  UNION ALL
    -- operators
    SELECT pg_describe_object(m.classid, m.objid, 0) || ' | operator: ' ||
           concat_ws(', ', o.oprkind, o.oprresult::regtype, o.oprcode::regproc, o.oprcom::regoperator,
                     o.oprnegate::regoperator, o.oprrest::regproc, o.oprjoin::regproc, o.oprcanmerge, o.oprcanhash)
    FROM m JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid
  UNION ALL
    -- operator classes, and the operators and support functions of families
    SELECT pg_describe_object(m.classid, m.objid, 0) || ' | opclass: ' ||
           concat_ws(', ', c.opcmethod, c.opcintype::regtype, c.opcdefault, c.opckeytype::regtype,
                     pg_describe_object('pg_opfamily'::regclass, c.opcfamily, 0))
    FROM m JOIN pg_opclass c ON m.classid = 'pg_opclass'::regclass AND c.oid = m.objid
  UNION ALL
    SELECT pg_describe_object(m.classid, m.objid, 0) || ' | member: ' || pg_describe_object('pg_amop'::regclass, a.oid, 0)
           || ' ' || a.amoppurpose::text
    FROM m JOIN pg_amop a ON m.classid = 'pg_opfamily'::regclass AND a.amopfamily = m.objid
  UNION ALL
    SELECT pg_describe_object(m.classid, m.objid, 0) || ' | member: ' || pg_describe_object('pg_amproc'::regclass, a.oid, 0)
    FROM m JOIN pg_amproc a ON m.classid = 'pg_opfamily'::regclass AND a.amprocfamily = m.objid
  UNION ALL
    -- casts
    SELECT pg_describe_object(m.classid, m.objid, 0) || ' | cast: ' ||
           concat_ws(', ', c.castfunc::regprocedure, c.castcontext, c.castmethod)
    FROM m JOIN pg_cast c ON m.classid = 'pg_cast'::regclass AND c.oid = m.objid
  UNION ALL
    -- the schema
    SELECT pg_describe_object(m.classid, m.objid, 0) || ' | schema acl: ' || pg_temp.acl_set(n.nspacl, 'n', n.nspowner)
    FROM m JOIN pg_namespace n ON m.classid = 'pg_namespace'::regclass AND n.oid = m.objid
  UNION ALL
    -- relations: kind, options, security, replica identity, privileges
    SELECT pg_describe_object(m.classid, m.objid, 0) || ' | relation: ' ||
           concat_ws(', ', r.relkind, r.relpersistence, r.relrowsecurity, r.relforcerowsecurity,
                     r.relreplident, coalesce(r.reloptions::text, '-'), pg_temp.acl_set(r.relacl, CASE r.relkind WHEN 'S' THEN 's'::"char" ELSE 'r'::"char" END, r.relowner))
    FROM m JOIN pg_class r ON m.classid = 'pg_class'::regclass AND r.oid = m.objid
  UNION ALL
    -- columns, with defaults, identity, generation, collation, comment, privileges
    SELECT pg_describe_object(m.classid, m.objid, 0) || ' | column ' || lpad(a.attnum::text, 3, '0') || ': ' ||
           concat_ws(', ', a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                     a.attidentity, a.attgenerated, a.attcollation::regcollation,
                     coalesce(pg_get_expr(ad.adbin, ad.adrelid), '-'), coalesce(col_description(r.oid, a.attnum), '-'),
                     pg_temp.acl_set(a.attacl, NULL, NULL), a.attstorage, a.attcompression)
    FROM m JOIN pg_class r ON m.classid = 'pg_class'::regclass AND r.oid = m.objid
    JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef ad ON ad.adrelid = r.oid AND ad.adnum = a.attnum
  UNION ALL
    SELECT pg_describe_object(m.classid, m.objid, 0) || ' | constraint ' || c.conname || ': ' ||
           pg_get_constraintdef(c.oid) || ' ' || concat_ws(', ', c.condeferrable, c.condeferred, c.convalidated)
           || ' | comment: ' || coalesce(obj_description(c.oid, 'pg_constraint'), '-')
    FROM m JOIN pg_constraint c ON m.classid = 'pg_class'::regclass AND c.conrelid = m.objid
  UNION ALL
    SELECT pg_describe_object(m.classid, m.objid, 0) || ' | index: ' || pg_get_indexdef(i.indexrelid)
           || ' | comment: ' || coalesce(obj_description(i.indexrelid, 'pg_class'), '-')
    FROM m JOIN pg_index i ON m.classid = 'pg_class'::regclass AND i.indrelid = m.objid
  UNION ALL
    SELECT pg_describe_object(m.classid, m.objid, 0) || ' | trigger: ' || pg_get_triggerdef(t.oid)
           || ' | enabled: ' || t.tgenabled::text || ' | comment: ' || coalesce(obj_description(t.oid, 'pg_trigger'), '-')
    FROM m JOIN pg_trigger t ON m.classid = 'pg_class'::regclass AND t.tgrelid = m.objid AND NOT t.tgisinternal
  UNION ALL
    SELECT pg_describe_object(m.classid, m.objid, 0) || ' | policy ' || p.polname || ': ' ||
           concat_ws(', ', p.polcmd, p.polpermissive, p.polroles::regrole[]::text,
                     pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid))
    FROM m JOIN pg_policy p ON m.classid = 'pg_class'::regclass AND p.polrelid = m.objid
  UNION ALL
    SELECT pg_describe_object(m.classid, m.objid, 0) || E' | view:\n' || pg_get_viewdef(m.objid)
    FROM m JOIN pg_class r ON m.classid = 'pg_class'::regclass AND r.oid = m.objid WHERE r.relkind IN ('v', 'm')
  UNION ALL
    SELECT pg_describe_object(m.classid, m.objid, 0) || ' | sequence: ' ||
           concat_ws(', ', s.seqtypid::regtype, s.seqstart, s.seqincrement, s.seqmax, s.seqmin, s.seqcache, s.seqcycle)
    FROM m JOIN pg_sequence s ON m.classid = 'pg_class'::regclass AND s.seqrelid = m.objid
  UNION ALL
    -- what pg_dump dumps: the configuration tables and their conditions
    SELECT 'extension | config: ' || cfg.rel::regclass || ' ' || coalesce(cfg.cond, '-')
    FROM ext, unnest(ext.extconfig, ext.extcondition) AS cfg(rel, cond)
  UNION ALL
    SELECT 'extension | schema: ' || ext.extnamespace::regnamespace || ', relocatable: ' || ext.extrelocatable FROM ext
)
SELECT line FROM lines ORDER BY line COLLATE "C";
SQL
}

# A little data recorded with the old version, through the workflow.
record_data() {  # db
    "${PSQL[@]}" -d "$1" <<'SQL'
SET search_path = accountability, public;
SET accountability.actor = 'before the upgrade';
INSERT INTO units (code, name, level) VALUES ('33', '浙江省', 'province');
INSERT INTO units (parent_id, code, name, level) VALUES (1, '3301', '杭州市', 'city');
INSERT INTO subjects (kind, name, unit_id) VALUES ('person', '张三', 2);
INSERT INTO cases (kind, subject_id, unit_id, event_on, opened_on, facts)
SELECT 'accountability', 1, 2, date '2025-03-01', date '2025-04-01',
       '{"situation": "reform_pilot", "consequence": "minor", "red_line_breach": false,
         "knowing_violation": false, "violated_explicit_ban": false, "private_gain": false,
         "fraud_or_obstruction": false, "procedure_proper": true, "diligent": true,
         "corrected_promptly": true}'
FROM generate_series(1, 3);
UPDATE cases SET status = 'investigating';
UPDATE cases SET status = 'liable' WHERE case_id IN (1, 2);
UPDATE cases SET status = 'tolerance_review' WHERE case_id = 1;
INSERT INTO determinations (case_id, outcome, deciding_body, decided_on)
VALUES (1, 'exempted', '区纪委常委会', date '2025-05-01');
UPDATE cases SET status = 'determined' WHERE case_id = 1;
UPDATE settings SET value = 45 WHERE name = 'investigation';
-- a case appealed with no event date known: its determination judged the
-- registration date
INSERT INTO cases (kind, subject_id, unit_id, facts) SELECT 'accountability', 1, 2, facts FROM cases WHERE case_id = 1;
UPDATE cases SET status = 'investigating' WHERE case_id = 4;
UPDATE cases SET status = 'liable' WHERE case_id = 4;
INSERT INTO determinations (case_id, outcome, deciding_body) VALUES (4, (assess_case(4)).outcome, '区纪委常委会');
UPDATE cases SET status = 'determined' WHERE case_id = 4;
UPDATE determinations SET notified_on = decided_on WHERE case_id = 4;
UPDATE cases SET status = 'notified' WHERE case_id = 4;
UPDATE cases SET status = 'appealed' WHERE case_id = 4;
SQL
}

# ---------------------------------------------------------------- the newest, fresh
new_db upgrade_fresh
"${PSQL[@]}" -d upgrade_fresh -c "CREATE EXTENSION pg_accountability" >/dev/null
[ "$("$BINDIR/psql" -X -At -d upgrade_fresh -c "SELECT extversion FROM pg_extension WHERE extname = 'pg_accountability'")" = "$newest" ] \
    || fail "CREATE EXTENSION did not install the default version $newest"
describe_extension upgrade_fresh >"$SCRATCH/fresh.members"
table_digests -d upgrade_fresh >"$SCRATCH/fresh.rows"
[ "$(wc -l <"$SCRATCH/fresh.members")" -gt 100 ] || fail "the description of a fresh install is suspiciously short"

# ---------------------------------------------------------------- every released version
for v in "${versions[@]}"; do
    db=upgrade_from_$(printf '%s' "$v" | tr -c 'a-zA-Z0-9' '_')
    if [ "$v" != "$newest" ]; then
        path=$("$BINDIR/psql" -X -At -d postgres -c "
            SELECT path FROM pg_available_extension_versions v, pg_extension_update_paths('pg_accountability') p
            WHERE v.name = 'pg_accountability' AND v.version = '$v'
              AND p.source = '$v' AND p.target = '$newest'" 2>/dev/null || true)
        [ -n "$path" ] || fail "no update path from $v to $newest"
    fi

    # Definitions: V updated to the newest, on an empty database.
    new_db "${db}_schema"
    "${PSQL[@]}" -d "${db}_schema" -c "CREATE EXTENSION pg_accountability VERSION '$v'" >/dev/null \
        || fail "CREATE EXTENSION pg_accountability VERSION '$v' failed with the current library"
    "${PSQL[@]}" -d "${db}_schema" -c "SET client_min_messages = warning" \
        -c "ALTER EXTENSION pg_accountability UPDATE" >/dev/null \
        || fail "ALTER EXTENSION pg_accountability UPDATE from $v failed"
    got=$("$BINDIR/psql" -X -At -d "${db}_schema" -c "SELECT extversion FROM pg_extension WHERE extname = 'pg_accountability'")
    [ "$got" = "$newest" ] || fail "$v updated to $got, not $newest"
    describe_extension "${db}_schema" >"$SCRATCH/$v.members"
    if ! diff -u "$SCRATCH/fresh.members" "$SCRATCH/$v.members" >"$SCRATCH/$v.diff"; then
        head -n 80 "$SCRATCH/$v.diff" >&2
        fail "$v updated to $newest differs from a fresh $newest (- fresh, + updated)"
    fi
    table_digests -d "${db}_schema" >"$SCRATCH/$v.rows"
    diff "$SCRATCH/fresh.rows" "$SCRATCH/$v.rows" >&2 \
        || fail "$v updated to $newest seeds other rows than a fresh $newest"

    # Data: recorded with V, still whole after the update, and the workflow goes on.
    new_db "${db}_data"
    "${PSQL[@]}" -d "${db}_data" -c "CREATE EXTENSION pg_accountability VERSION '$v'" >/dev/null
    record_data "${db}_data" >/dev/null || fail "recording data with $v"
    "${PSQL[@]}" -d "${db}_data" -c "SET client_min_messages = warning" \
        -c "ALTER EXTENSION pg_accountability UPDATE" >/dev/null \
        || fail "ALTER EXTENSION pg_accountability UPDATE from $v failed on a database with data"
    problems=$("$BINDIR/psql" -X -At -d "${db}_data" -c "SELECT count(*) FROM accountability.verify_history()")
    [ "$problems" = 0 ] || fail "after updating from $v, verify_history() reports $problems problems"
    "${PSQL[@]}" -d "${db}_data" >/dev/null <<'SQL' || fail "the workflow does not continue after updating from $v"
SET search_path = accountability, public;
SET accountability.actor = 'after the upgrade';
UPDATE cases SET status = 'liable' WHERE case_id = 3;
INSERT INTO determinations (case_id, outcome, deciding_body, decided_on)
VALUES (2, (assess_case(2)).outcome, '区纪委常委会', date '2025-06-01');
UPDATE cases SET status = 'determined' WHERE case_id = 2;
UPDATE determinations SET notified_on = date '2025-06-02' WHERE case_id = 1;
UPDATE cases SET status = 'notified' WHERE case_id = 1;
DO $$ BEGIN
    IF (SELECT value FROM settings WHERE name = 'investigation') <> 45 THEN
        RAISE EXCEPTION 'the update lost a changed setting';
    END IF;
    IF EXISTS (SELECT 1 FROM verify_history()) THEN
        RAISE EXCEPTION 'the history does not verify after moving on';
    END IF;
    -- the date an old determination judged on, where certain (attack round 21)
    IF (SELECT judged_on FROM determinations WHERE case_id = 4)
       IS DISTINCT FROM (SELECT opened_on FROM cases WHERE case_id = 4) THEN
        RAISE EXCEPTION 'the update did not record the registration date an old determination judged on';
    END IF;
END $$;
-- (control: on the date it judged, the old determination stands and the
-- case could be filed; rolled back)
DO $$ BEGIN
    BEGIN
        UPDATE cases SET status = 'filed' WHERE case_id = 4;
        RAISE EXCEPTION USING ERRCODE = 'P0003', MESSAGE = 'roll the control back';
    EXCEPTION WHEN SQLSTATE 'P0003' THEN NULL;
    END;
END $$;
UPDATE cases SET event_on = opened_on - 1 WHERE case_id = 4;
DO $$
DECLARE
    message text;
BEGIN
    BEGIN
        UPDATE cases SET status = 'filed' WHERE case_id = 4;
        RAISE EXCEPTION 'an appealed case was filed on an old determination that judged another date';
    EXCEPTION WHEN object_not_in_prerequisite_state THEN
        GET STACKED DIAGNOSTICS message = MESSAGE_TEXT;
        IF message NOT LIKE '%without the notified determination standing%' THEN
            RAISE EXCEPTION 'the filing was refused for another reason: %', message;
        END IF;
    END;
END $$;
SQL
    echo "upgrade: $v -> $newest: $(wc -l <"$SCRATCH/$v.members") member lines identical to a fresh $newest, seeded rows identical, data kept and the workflow continues"
done
echo "upgrade: ok (${#versions[@]} released version(s): ${versions[*]}; newest $newest)"
