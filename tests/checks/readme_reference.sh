#!/usr/bin/env bash
# Every type, table, view and function of the extension appears in the
# README's reference (as `name(` for functions, `accountability.name` for
# relations and types), so the documentation cannot fall behind the schema.
set -euo pipefail
db=readme_check
"$BINDIR/psql" -X -q -c "CREATE DATABASE $db" >/dev/null
trap '"$BINDIR/psql" -X -q -c "DROP DATABASE IF EXISTS $db" >/dev/null' EXIT
"$BINDIR/psql" -X -q -d $db -c "CREATE EXTENSION pg_accountability" >/dev/null
missing=0
while IFS='|' read -r kind name; do
    case $kind in
        f) pattern="\`$name(" ;;
        *) pattern="\`accountability.$name\`" ;;
    esac
    if ! grep -qF "$pattern" "$TOP/README.md"; then
        echo "README.md does not document $kind $name"
        missing=$((missing + 1))
    fi
done < <("$BINDIR/psql" -X -At -d $db -c "
    SELECT 'f|' || p.proname FROM pg_proc p
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_accountability'
    UNION
    SELECT 'r|' || c.relname FROM pg_class c
    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_accountability'
    WHERE c.relkind IN ('r', 'v', 'm')
    UNION
    SELECT 't|' || t.typname FROM pg_type t
    JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_accountability'
    WHERE t.typtype IN ('b', 'c', 'e', 'd') AND t.typname NOT LIKE '\_%'")
echo "README reference: $missing objects missing"
[ "$missing" -eq 0 ]
