-- Prints the README's reference tables (types, tables and views, functions)
-- from the catalog, so the README is written from COMMENT ON, not by hand:
--   tests/harness.sh psql -f tests/tools/reference.sql
\pset format unaligned
\pset tuples_only on
\echo ### Types
\echo
\echo | type | description | added |
\echo |---|---|---|
SELECT format('| `%s` | %s | 1.0 |', t.oid::regtype, replace(obj_description(t.oid, 'pg_type'), '|', '\|'))
FROM pg_type t
JOIN pg_depend d ON d.objid = t.oid AND d.classid = 'pg_type'::regclass AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_accountability'
ORDER BY 1;
\echo
\echo ### Tables and views
\echo
\echo | relation | kind | description | added |
\echo |---|---|---|---|
SELECT format('| `%s` | %s | %s | 1.0 |', c.oid::regclass, CASE c.relkind WHEN 'v' THEN 'view' ELSE 'table' END,
              replace(obj_description(c.oid, 'pg_class'), '|', '\|'))
FROM pg_class c
JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_accountability'
WHERE c.relkind IN ('r', 'v', 'm')
ORDER BY 1;
\echo
\echo ### Functions
\echo
\echo | function | volatility | description | added |
\echo |---|---|---|---|
SELECT format('| `%s` | %s | %s | 1.0 |', regexp_replace(p.oid::regprocedure::text, 'accountability\.', '', 'g'),
              CASE p.prokind WHEN 'a' THEN 'aggregate'
                   ELSE CASE p.provolatile WHEN 'i' THEN 'immutable' WHEN 's' THEN 'stable' ELSE 'volatile' END END,
              replace(obj_description(p.oid, 'pg_proc'), '|', '\|'))
FROM pg_proc p
JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_accountability'
ORDER BY 1;
