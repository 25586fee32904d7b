-- pgTAP: the BI views are plain and documented.
BEGIN;
-- (the overlaps of the distinct report figures are counted at commit, by a
-- deferred trigger: in this one transaction, at the end of each statement)
SET CONSTRAINTS ALL IMMEDIATE;
SET LOCAL search_path = accountability, public;
SELECT plan(7);

SELECT is_empty($$
    SELECT c.relname || '.' || a.attname
    FROM pg_class c
    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_accountability'
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE c.relkind IN ('r', 'v') AND col_description(c.oid, a.attnum) IS NULL$$,
    'every column of every table and view has a COMMENT');

SELECT is_empty($$
    SELECT c.relname FROM pg_class c
    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_accountability'
    WHERE c.relkind = 'v' AND NOT coalesce(c.reloptions @> ARRAY['security_invoker=true'], false)$$,
    'every view is security_invoker');

-- BI tools understand the column types: no extension type leaks into a view
-- column except as text (statuses and outcomes are offered as text labels).
SELECT is_empty($$
    SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
    FROM pg_class c
    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_accountability'
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
    WHERE c.relkind = 'v' AND c.relname IN ('annual_report', 'case_overview', 'overdue_cases',
                                            'follow_up_due', 'tolerance_by_situation')
      AND a.atttypid NOT IN ('int4'::regtype, 'int8'::regtype, 'text'::regtype, 'numeric'::regtype,
                             'bool'::regtype, 'date'::regtype, 'timestamptz'::regtype)$$,
    'report views use only plain column types');

SELECT ok((SELECT count(*) FROM pg_views WHERE schemaname = 'accountability'
           AND viewname IN ('annual_report', 'case_overview', 'overdue_cases', 'follow_up_due',
                            'tolerance_by_situation', 'subject_standing')) = 6,
          'the six report views of DESIGN.md exist');

-- Issue 16: bilingual, completely: every object of the extension and every
-- column of every view carries Chinese in its comment (English is checked
-- by the comments' existence above and by the README reference).
SELECT is_empty($$
    SELECT pg_describe_object(d.classid, d.objid, 0)
    FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_accountability'
    WHERE d.deptype = 'e' AND coalesce(obj_description(d.objid, d.classid::regclass::text), '') !~ '[一-龥]'
      -- not the types PostgreSQL makes on its own (arrays, a table's row
      -- type), which 17 and later list as members too
      AND NOT EXISTS (SELECT 1 FROM pg_type t WHERE d.classid = 'pg_type'::regclass AND t.oid = d.objid
                        AND (t.typcategory = 'A'
                             OR (t.typrelid <> 0 AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) <> 'c')))$$,
    'every object of the extension is commented in Chinese too');
SELECT is_empty($$
    SELECT c.relname || '.' || a.attname
    FROM pg_class c
    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_accountability'
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE c.relkind = 'v' AND coalesce(col_description(c.oid, a.attnum), '') !~ '[一-龥]'$$,
    'every column of every view is commented in Chinese too');

-- The sanction period, the one rule of what counts against a cadre and for how long.
SELECT is(ARRAY[accountability.sanction_period('lighter', '2025-03-01', NULL),
                accountability.sanction_period('not_tolerable', '2025-03-01', '2025-06-30'),
                accountability.sanction_period('reduced', '2025-03-01', '2025-02-01'),
                accountability.sanction_period('exempted', '2025-03-01', NULL),
                accountability.sanction_period('not_accountable', '2025-03-01', '2026-03-01'),
                accountability.sanction_period(NULL, '2025-03-01', NULL)],
          ARRAY['[2025-03-01,2026-03-01]'::daterange, '[2025-03-01,2025-06-30]', NULL, NULL, NULL, NULL],
          'sanction_period: a year from the decision, or to influence_until; never for a tolerated outcome or a period that ends before it starts');

SELECT * FROM finish();
ROLLBACK;
