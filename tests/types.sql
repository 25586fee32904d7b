-- pgTAP: properties of the two one-byte types, case_status and tolerance_outcome.
BEGIN;
SET LOCAL search_path = accountability, public;
SELECT plan(48);

-- The values in their defined order, with their Chinese labels (DESIGN.md).
CREATE TEMP TABLE status_values (pos int, code text, zh text) ON COMMIT DROP;
INSERT INTO status_values VALUES
  (1, 'received', '受理'), (2, 'investigating', '核查'), (3, 'unfounded', '失实'),
  (4, 'liable', '责任认定'), (5, 'tolerance_review', '容错审查'), (6, 'determined', '认定'),
  (7, 'notified', '告知'), (8, 'appealed', '申诉'), (9, 'correcting', '纠错'),
  (10, 'filed', '备案'), (11, 'follow_up', '回访'), (12, 'closed', '办结');
CREATE TEMP TABLE outcome_values (pos int, code text, zh text) ON COMMIT DROP;
INSERT INTO outcome_values VALUES
  (1, 'not_tolerable', '不予容错'), (2, 'lighter', '从轻问责'), (3, 'reduced', '减轻问责'),
  (4, 'exempted', '免予问责'), (5, 'not_accountable', '不予问责');

-- 1. Codes and labels exactly as specified.
SELECT is((SELECT count(*) FROM status_values v
           WHERE v.code::case_status::text = v.code AND label(v.code::case_status, 'zh') = v.zh),
          12::bigint, 'case_status: 12 codes with their Chinese labels');
SELECT is((SELECT count(*) FROM outcome_values v
           WHERE v.code::tolerance_outcome::text = v.code AND label(v.code::tolerance_outcome, 'zh') = v.zh),
          5::bigint, 'tolerance_outcome: 5 codes with their Chinese labels');

-- 2. Round trips through text, in both languages.
SELECT is((SELECT count(*) FROM status_values v WHERE v.zh::case_status = v.code::case_status),
          12::bigint, 'case_status: every Chinese label reads as its code');
SELECT is((SELECT count(*) FROM outcome_values v WHERE v.zh::tolerance_outcome = v.code::tolerance_outcome),
          5::bigint, 'tolerance_outcome: every Chinese label reads as its code');
SET LOCAL accountability.language = 'zh';
SELECT is((SELECT count(*) FROM status_values v
           WHERE v.code::case_status::text = v.zh AND v.code::case_status::text::case_status = v.code::case_status),
          12::bigint, 'case_status: zh output is the label and reads back');
SELECT is((SELECT count(*) FROM outcome_values v
           WHERE v.code::tolerance_outcome::text = v.zh
             AND v.code::tolerance_outcome::text::tolerance_outcome = v.code::tolerance_outcome),
          5::bigint, 'tolerance_outcome: zh output is the label and reads back');
SELECT is((SELECT count(*) FROM status_values v WHERE upper(v.code)::case_status = v.zh::case_status),
          12::bigint, 'the language setting does not change what input accepts');
SET LOCAL accountability.language = 'en';
SELECT is((SELECT count(*) FROM status_values v
           WHERE v.code::case_status::text::case_status = v.code::case_status),
          12::bigint, 'case_status: en output reads back');

-- 3. Binary COPY out and in (server-side files in the data directory).
CREATE TEMP TABLE copy_src ON COMMIT DROP AS
  SELECT s.code::case_status AS s, o.code::tolerance_outcome AS o
  FROM status_values s CROSS JOIN outcome_values o;
CREATE TEMP TABLE copy_dst (LIKE copy_src) ON COMMIT DROP;
DO $$
BEGIN
  EXECUTE format('COPY copy_src TO %L (FORMAT binary)', current_setting('data_directory') || '/pga_copy_' || pg_backend_pid() || '.bin');
  EXECUTE format('COPY copy_dst FROM %L (FORMAT binary)', current_setting('data_directory') || '/pga_copy_' || pg_backend_pid() || '.bin');
END $$;
SELECT is((SELECT count(*) FROM copy_dst), 60::bigint, 'binary COPY: all 60 rows came back');
SELECT is_empty('SELECT * FROM copy_src EXCEPT ALL SELECT * FROM copy_dst',
                'binary COPY: every value round-trips');
SELECT is(case_status_send('investigating'), '\x0102'::bytea, 'binary format 1: version byte, then the code');

-- 4. Bad binary input is 22P03: a bytea column's binary COPY writes raw field bytes.
CREATE TEMP TABLE raw_fields (b bytea) ON COMMIT DROP;
CREATE TEMP TABLE status_in (s case_status) ON COMMIT DROP;
CREATE TEMP TABLE outcome_in (o tolerance_outcome) ON COMMIT DROP;
CREATE FUNCTION pg_temp.copy_raw(field bytea, target text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE f text := current_setting('data_directory') || '/pga_raw_' || pg_backend_pid() || '.bin';
BEGIN
  TRUNCATE raw_fields;
  INSERT INTO raw_fields VALUES (field);
  EXECUTE format('COPY raw_fields TO %L (FORMAT binary)', f);
  EXECUTE format('COPY %I FROM %L (FORMAT binary)', target, f);
END $$;
SELECT lives_ok($$SELECT pg_temp.copy_raw('\x010c', 'status_in')$$, 'binary: a valid value is read');
SELECT is((SELECT s FROM status_in), 'closed'::case_status, 'binary: and means what it says');
SELECT throws_ok($$SELECT pg_temp.copy_raw('\x020c', 'status_in')$$, '22P03', NULL,
                 'binary: an unknown format version is 22P03');
SELECT throws_ok($$SELECT pg_temp.copy_raw('\x010d', 'status_in')$$, '22P03', NULL,
                 'binary: code 13 is 22P03');
SELECT throws_ok($$SELECT pg_temp.copy_raw('\x0100', 'status_in')$$, '22P03', NULL,
                 'binary: code 0 is 22P03');
SELECT throws_ok($$SELECT pg_temp.copy_raw('\x01', 'status_in')$$, '22P03', NULL,
                 'binary: a short value is 22P03');
SELECT throws_ok($$SELECT pg_temp.copy_raw('\x01010101', 'status_in')$$, '22P03', NULL,
                 'binary: a long value is 22P03');
SELECT throws_ok($$SELECT pg_temp.copy_raw('\x0106', 'outcome_in')$$, '22P03', NULL,
                 'binary: outcome code 6 is 22P03');
SELECT throws_ok($$SELECT pg_temp.copy_raw('', 'outcome_in')$$, '22P03', NULL,
                 'binary: an empty value is 22P03');

-- 5. Every ordered pair compares as its order says: all six operators and cmp.
SELECT is((SELECT count(*) FROM status_values a, status_values b
           WHERE (a.code::case_status < b.code::case_status) = (a.pos < b.pos)
             AND (a.code::case_status <= b.code::case_status) = (a.pos <= b.pos)
             AND (a.code::case_status = b.code::case_status) = (a.pos = b.pos)
             AND (a.code::case_status <> b.code::case_status) = (a.pos <> b.pos)
             AND (a.code::case_status >= b.code::case_status) = (a.pos >= b.pos)
             AND (a.code::case_status > b.code::case_status) = (a.pos > b.pos)
             AND case_status_cmp(a.code::case_status, b.code::case_status) = sign(a.pos - b.pos)),
          144::bigint, 'case_status: all 144 ordered pairs compare in lifecycle order');
SELECT is((SELECT count(*) FROM outcome_values a, outcome_values b
           WHERE (a.code::tolerance_outcome < b.code::tolerance_outcome) = (a.pos < b.pos)
             AND (a.code::tolerance_outcome <= b.code::tolerance_outcome) = (a.pos <= b.pos)
             AND (a.code::tolerance_outcome = b.code::tolerance_outcome) = (a.pos = b.pos)
             AND (a.code::tolerance_outcome <> b.code::tolerance_outcome) = (a.pos <> b.pos)
             AND (a.code::tolerance_outcome >= b.code::tolerance_outcome) = (a.pos >= b.pos)
             AND (a.code::tolerance_outcome > b.code::tolerance_outcome) = (a.pos > b.pos)
             AND tolerance_outcome_cmp(a.code::tolerance_outcome, b.code::tolerance_outcome) = sign(a.pos - b.pos)),
          25::bigint, 'tolerance_outcome: all 25 ordered pairs compare in leniency order');
SELECT is((SELECT array_agg(s ORDER BY s)::text FROM (SELECT code::case_status AS s FROM status_values ORDER BY random()) x),
          '{received,investigating,unfounded,liable,tolerance_review,determined,notified,appealed,correcting,filed,follow_up,closed}',
          'ORDER BY sorts statuses in lifecycle order');
SELECT is((SELECT max(code::tolerance_outcome) FROM outcome_values), 'not_accountable'::tolerance_outcome,
          'max(outcome) is the most lenient');

CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; result text := '';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP result := result || line || E'\n'; END LOOP;
  RETURN result;
END $$;
-- 6. Hashing: equal values hash equally, distinct values spread, seed 0 agrees.
SELECT is((SELECT count(DISTINCT case_status_hash(code::case_status)) FROM status_values),
          12::bigint, 'case_status: 12 distinct hashes');
SELECT is((SELECT count(*) FROM status_values
           WHERE case_status_hash(code::case_status) = case_status_hash(upper(code)::case_status)
             AND case_status_hash(code::case_status) = case_status_hash(zh::case_status)),
          12::bigint, 'case_status: equal values hash equally however they were written');
SELECT is((SELECT count(DISTINCT tolerance_outcome_hash(code::tolerance_outcome)) FROM outcome_values),
          5::bigint, 'tolerance_outcome: 5 distinct hashes');
SELECT is((SELECT count(*) FROM status_values
           WHERE (case_status_hash_extended(code::case_status, 0) & 4294967295)
                 = (case_status_hash(code::case_status)::bigint & 4294967295)),
          12::bigint, 'extended hash with seed 0 agrees with the hash');
SELECT is((SELECT count(DISTINCT case_status_hash_extended(code::case_status, 42)) FROM status_values),
          12::bigint, 'seeded extended hashes spread too');
SET LOCAL enable_sort = off;
SELECT matches(pg_temp.plan_of($$SELECT code::case_status FROM status_values GROUP BY 1$$), 'HashAggregate', 'grouping by case_status can hash');
SELECT is((SELECT count(*) FROM (SELECT code::case_status AS s FROM status_values, generate_series(1, 3)
                                 GROUP BY 1) x),
          12::bigint, 'hash aggregation groups equal values');
RESET enable_sort;

-- 7. Indexes on each type are used.
CREATE TEMP TABLE indexed ON COMMIT DROP AS
  SELECT g AS id, ((g % 12) + 1)::text AS n,
         (SELECT code FROM status_values WHERE pos = (g % 12) + 1)::case_status AS s,
         (SELECT code FROM outcome_values WHERE pos = (g % 5) + 1)::tolerance_outcome AS o
  FROM generate_series(1, 24000) g;
CREATE INDEX ON indexed (s);
CREATE INDEX ON indexed USING hash (o);
ANALYZE indexed;
SET LOCAL enable_seqscan = off;
SELECT matches(pg_temp.plan_of($$SELECT * FROM indexed WHERE s = 'closed'$$), 'Index|Bitmap',
               'a btree index on case_status serves =');
SELECT matches(pg_temp.plan_of($$SELECT * FROM indexed WHERE s >= 'filed'$$), 'Index|Bitmap',
               'a btree index on case_status serves >=');
SELECT matches(pg_temp.plan_of($$SELECT * FROM indexed WHERE o = 'exempted'$$), 'Index|Bitmap',
               'a hash index on tolerance_outcome serves =');
RESET enable_seqscan;
SELECT is((SELECT count(*) FROM indexed WHERE s >= 'filed'), 6000::bigint,
          'the index scan finds the right rows');

-- 8. Hash partitioning by each type routes every row to the partition its hash says.
CREATE TEMP TABLE parted (s case_status) PARTITION BY HASH (s);
CREATE TEMP TABLE parted_0 PARTITION OF parted FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TEMP TABLE parted_1 PARTITION OF parted FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TEMP TABLE parted_2 PARTITION OF parted FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO parted SELECT code::case_status FROM status_values;
SELECT is((SELECT count(*) FROM parted p
           WHERE satisfies_hash_partition('parted'::regclass, 3,
                   substr(p.tableoid::regclass::text, length(p.tableoid::regclass::text))::int, p.s)),
          12::bigint, 'hash partitioning by case_status routes rows by the extended hash');
SELECT cmp_ok((SELECT count(DISTINCT tableoid) FROM parted), '>', 1::bigint,
              'the rows are spread over the partitions');

-- 9. At least 10,000 random strings through each input function: each is
--    either rejected with 22P02 or names a value and round-trips exactly.
CREATE FUNCTION pg_temp.random_input(codes text[]) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  alphabet text[] := ARRAY['a','e','i','o','r','c','d','_',' ',E'\t','　','受','理','办','结','问','责',
                           'X','Z','-','''','"','\','%','1','0','é','ß','İ','ﬀ'];
  s text := '';
  n int := floor(random() * 12)::int;
BEGIN
  IF random() < 0.4 THEN
    -- a mutation of a valid code: random case, padding, maybe a changed letter
    s := codes[1 + floor(random() * array_length(codes, 1))::int];
    IF random() < 0.5 THEN s := upper(s); END IF;
    IF random() < 0.3 THEN s := initcap(s); END IF;
    IF random() < 0.3 THEN s := overlay(s placing alphabet[1 + floor(random() * 30)::int]
                                        from 1 + floor(random() * length(s))::int for 1); END IF;
    RETURN repeat(' ', floor(random() * 2)::int) || s || repeat('　', floor(random() * 2)::int);
  END IF;
  FOR i IN 1..n LOOP s := s || alphabet[1 + floor(random() * 30)::int]; END LOOP;
  RETURN s;
END $$;
CREATE FUNCTION pg_temp.fuzz_input(type_name text, codes text[], zh text[], rounds int)
RETURNS TABLE (accepted int, rejected int, wrong int) LANGUAGE plpgsql AS $$
DECLARE
  s text; shown text; again text; trimmed text;
BEGIN
  accepted := 0; rejected := 0; wrong := 0;
  FOR i IN 1..rounds LOOP
    s := pg_temp.random_input(codes || zh);
    BEGIN
      EXECUTE format('SELECT %L::accountability.%I::text', s, type_name) INTO shown;
      EXECUTE format('SELECT (%L::accountability.%I)::text', shown, type_name) INTO again;
      trimmed := btrim(s, E' \t\n\r\f　');
      IF again = shown AND (lower(trimmed) = shown OR trimmed = zh[array_position(codes, shown)]) THEN
        accepted := accepted + 1;
      ELSE
        wrong := wrong + 1;
        RAISE NOTICE 'input % read as % (% again)', s, shown, again;
      END IF;
    EXCEPTION WHEN invalid_text_representation THEN
      rejected := rejected + 1;
    END;
  END LOOP;
  RETURN NEXT;
END $$;
SELECT setseed(0.25);
CREATE TEMP TABLE fuzz ON COMMIT DROP AS
  SELECT 'case_status' AS t, * FROM pg_temp.fuzz_input('case_status',
    (SELECT array_agg(code ORDER BY pos) FROM status_values),
    (SELECT array_agg(zh ORDER BY pos) FROM status_values), 10000)
  UNION ALL
  SELECT 'tolerance_outcome', * FROM pg_temp.fuzz_input('tolerance_outcome',
    (SELECT array_agg(code ORDER BY pos) FROM outcome_values),
    (SELECT array_agg(zh ORDER BY pos) FROM outcome_values), 10000);
SELECT is((SELECT sum(wrong) FROM fuzz), 0::bigint,
          'random input: nothing accepted that does not round-trip to its code');
SELECT is((SELECT count(*) FROM fuzz WHERE accepted + rejected = 10000 AND accepted > 500 AND rejected > 500),
          2::bigint, 'random input: 10,000 strings per type, many accepted and many rejected');

-- 10. Every function of the extension is labelled and every object commented.
SELECT is_empty($$
  SELECT p.oid::regprocedure FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_accountability'
  WHERE p.proparallel = 'u' AND p.prokind = 'f' AND p.prorettype <> 'trigger'::regtype
    -- these write the record (the audited move, the ledger's two writers, the
    -- report and subject figures), take a lock, set parameters or count the
    -- rows a statement wrote, or run subtransactions (verify_ledger's
    -- exception blocks): PARALLEL UNSAFE on purpose
    AND p.proname NOT IN ('move_subject', 'verify_ledger', 'ledger_seal', 'ledger_seal_lock', 'ledger_digest', 'unit_ancestors_rebuild',
                          'ledger_row_written',
                          'report_figures_refresh', 'report_figures_rebuild', 'report_overlaps_refresh',
                          'subject_figures_refresh', 'subject_figures_rebuild', 'setting_problems')$$,
  'no function is left at the PARALLEL UNSAFE default (but those that write or set)');
SELECT is_empty($$
  SELECT pg_describe_object(d.classid, d.objid, 0) FROM pg_depend d
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_accountability'
  WHERE d.deptype = 'e' AND obj_description(d.objid, d.classid::regclass::name) IS NULL
    AND d.classid <> 'pg_type'::regclass$$,
  'every object of the extension has a COMMENT');
SELECT is_empty($$
  SELECT t.oid::regtype FROM pg_type t
  JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_accountability'
  WHERE t.typtype <> 'c' AND obj_description(t.oid, 'pg_type') IS NULL
    -- the implicit array types (members of the extension since PostgreSQL 17)
    AND t.typcategory <> 'A'$$,
  'every type of the extension has a COMMENT');

-- Soft input errors (PostgreSQL 16 and later): pg_input_is_valid() and
-- pg_input_error_info() ask the input functions without an error thrown.
-- (Run through EXECUTE, so the file still parses on 15.)
CREATE FUNCTION pg_temp.on_16() RETURNS boolean LANGUAGE sql
AS $$ SELECT current_setting('server_version_num')::integer >= 160000 $$;
CREATE FUNCTION pg_temp.ask(query text) RETURNS text LANGUAGE plpgsql
AS $$ DECLARE answer text; BEGIN EXECUTE query INTO answer; RETURN answer; END $$;
SELECT CASE WHEN pg_temp.on_16() THEN
  is(pg_temp.ask($q$SELECT (pg_input_is_valid('受理', 'accountability.case_status')
                    AND pg_input_is_valid(' Exempted ', 'accountability.tolerance_outcome'))::text$q$), 'true',
     'pg_input_is_valid accepts a Chinese label and an English code')
  ELSE skip('pg_input_is_valid needs PostgreSQL 16') END;
SELECT CASE WHEN pg_temp.on_16() THEN
  is(pg_temp.ask($q$SELECT (pg_input_is_valid('closedd', 'accountability.case_status')
                    OR pg_input_is_valid('', 'accountability.tolerance_outcome'))::text$q$), 'false',
     'pg_input_is_valid refuses a misspelt code and the empty string, without an error')
  ELSE skip('pg_input_is_valid needs PostgreSQL 16') END;
SELECT CASE WHEN pg_temp.on_16() THEN
  is(pg_temp.ask($q$SELECT sql_error_code FROM pg_input_error_info('bogus', 'accountability.case_status')$q$), '22P02',
     'pg_input_error_info reports 22P02')
  ELSE skip('pg_input_error_info needs PostgreSQL 16') END;
SELECT CASE WHEN pg_temp.on_16() THEN
  matches(pg_temp.ask($q$SELECT detail FROM pg_input_error_info('bogus', 'accountability.tolerance_outcome')$q$),
          '^Valid values are not_tolerable \(不予容错\), lighter',
          'pg_input_error_info carries the detail that lists the valid values')
  ELSE skip('pg_input_error_info needs PostgreSQL 16') END;

-- The record's calendar (UTC+8) whatever the session's TimeZone, and an
-- infinite moment an infinite date, as a cast to date gives (attack round
-- 24 found the comment said otherwise): a report over a restored row that
-- carries one keeps working.
SET LOCAL TimeZone = 'America/Los_Angeles';
SELECT is(accountability.record_date('2026-03-01 17:30:00+00'), '2026-03-02'::date,
          'record_date() counts in China Standard Time, whatever the session''s TimeZone');
SELECT is(ARRAY[accountability.record_date('infinity'), accountability.record_date('-infinity')],
          ARRAY['infinity', '-infinity']::date[],
          'record_date() gives an infinite moment an infinite date');

SELECT * FROM finish();
ROLLBACK;
