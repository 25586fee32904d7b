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

# The Development section's counts are the tree's (issue 16): "N pg_regress
# tests, N pgTAP files, N isolation specs and N harness checks", and the
# closing line of make test: lint, the fuzz harnesses and all of them.
counts=$(grep -o '[0-9]* pg_regress tests, [0-9]* pgTAP files, [0-9]*$' "$TOP/README.md" | head -n 1)
line=$(sed -n 's/.*Its last line is `\([0-9]*\) passed, 0 failed`.*/\1/p' "$TOP/README.md" | head -n 1)
regress=$(ls "$TOP"/sql/*.sql | wc -l)
tap=$(ls "$TOP"/tests/*.sql | wc -l)
iso=$(ls "$TOP"/tests/isolation/specs/*.spec | wc -l)
checks=$(ls "$TOP"/tests/checks/*.sh | wc -l)
fuzz=$(sed -n 's/^FUZZ_HARNESSES=(\(.*\))/\1/p' "$TOP/tests/harness.sh" | wc -w)
want_counts="$regress pg_regress tests, $tap pgTAP files, $iso"
want_line=$((1 + fuzz + regress + tap + iso + checks))
readme_checks=$(grep -o 'isolation specs and [0-9]* harness checks' "$TOP/README.md" | head -n 1 | grep -o '[0-9]*')
figures_ok=1
[ "$counts" = "$want_counts" ] || { echo "README says \"$counts\", the tree has \"$want_counts\""; figures_ok=0; }
[ "$readme_checks" = "$checks" ] || { echo "README says $readme_checks harness checks, the tree has $checks"; figures_ok=0; }
[ "$line" = "$want_line" ] || { echo "README says make test ends with $line passed, the tree gives $want_line"; figures_ok=0; }
echo "README Development figures: $want_counts isolation specs and $checks harness checks, $want_line results"
[ "$missing" -eq 0 ] && [ "$figures_ok" = 1 ]
