-- Every column of every table set to NULL, through every C trigger.
--
-- The C triggers read the row before NOT NULL is checked (BEFORE triggers
-- run first), so a NULL they take for a value is a crash of the whole
-- server, not an error: an assessment's NULL grade once was.  This sweeps
-- the class, not the example: on the demo's province-year (every table
-- populated), for each column of each table, an UPDATE of one row to NULL
-- and an INSERT of a copy of one row with that column NULL, each undone.
-- Every attempt must end in an error of the client's classes or be
-- accepted (a column that may be NULL, or one a trigger numbers): never an
-- internal error (class XX), never a lost connection (which ends this file
-- early).  NOT NULL itself is PostgreSQL's, checked after the triggers.
BEGIN;
SET LOCAL search_path = public, accountability;
SELECT plan(4);

\set seed 7
\set year 2025
\set subjects 3000
\set years 1
\set QUIET on
\ir demo/generate.sql
\set ECHO none
RESET ROLE;
SET search_path = public, accountability;
SET accountability.actor = 'null sweep';

CREATE TEMP TABLE tried (table_name text, column_name text, operation text, sqlstate text, message text);
CREATE TEMP TABLE populated (table_name text, row_count bigint);

DO $$
DECLARE
    t record;
    c record;
    n bigint;
    state text;
    message text;
    statement text;
BEGIN
    FOR t IN
        SELECT k.oid::regclass AS rel, k.relname
        FROM pg_catalog.pg_class k
        WHERE k.relnamespace = 'accountability'::regnamespace AND k.relkind = 'r'
        ORDER BY k.relname
    LOOP
        EXECUTE format('SELECT count(*) FROM %s', t.rel) INTO n;
        INSERT INTO populated VALUES (t.relname, n);
        FOR c IN
            SELECT a.attname
            FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = t.rel AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
            ORDER BY a.attnum
        LOOP
            FOREACH statement IN ARRAY ARRAY[
                format('UPDATE %1$s SET %2$I = NULL WHERE ctid = (SELECT ctid FROM %1$s LIMIT 1)', t.rel, c.attname),
                format('INSERT INTO %1$s SELECT (pg_catalog.jsonb_populate_record(NULL::%1$s, pg_catalog.to_jsonb(r) - %2$L)).* FROM %1$s r LIMIT 1',
                       t.rel, c.attname)]
            LOOP
                BEGIN
                    EXECUTE statement;
                    -- accepted: undone by the sentinel error
                    RAISE SQLSTATE 'ZX999';
                EXCEPTION WHEN OTHERS THEN
                    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
                    INSERT INTO tried VALUES (t.relname, c.attname, split_part(statement, ' ', 1),
                                              state, CASE WHEN state = 'ZX999' THEN NULL ELSE message END);
                END;
            END LOOP;
        END LOOP;
    END LOOP;
END
$$;

SELECT is((SELECT count(*) FROM accountability.assessments WHERE grade IS NOT NULL) > 0, true,
          '(the demo populated the assessments: the grade the C trigger reads)');
SELECT is((SELECT array_agg(n) FROM unnest(ARRAY['cases', 'determinations', 'correction_plans', 'clarifications',
                                                 'follow_up_visits', 'promotions', 'demotions', 'mentorships']) n
           WHERE NOT EXISTS (SELECT 1 FROM populated p WHERE p.table_name = n AND p.row_count > 0)),
          NULL, '(every table a C trigger reads had a row to try)');
SELECT cmp_ok((SELECT count(*) FROM tried), '>', 400::bigint,
              'an UPDATE and an INSERT to NULL of every column of every table were tried');
SELECT is((SELECT array_agg(table_name || '.' || column_name || ' ' || operation || ': ' || sqlstate || ' ' || message)
           FROM tried WHERE sqlstate LIKE 'XX%'),
          NULL, 'no NULL reaches the C code as a value: no internal error');
SELECT * FROM finish();
ROLLBACK;
