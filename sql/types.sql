--
-- The two one-byte types: what a user types and sees.
--

-- The types' operators live in schema accountability: put it on the search_path
-- (or write OPERATOR(accountability.=)).
SET search_path = public, accountability;

-- Every value, in lifecycle and leniency order, with both labels.
SELECT s AS status, accountability.label(s, 'zh') AS zh, s::text AS as_text
FROM unnest(ARRAY['received', 'investigating', 'unfounded', 'liable',
                  'tolerance_review', 'determined', 'notified', 'appealed',
                  'correcting', 'filed', 'follow_up', 'closed']::accountability.case_status[]) AS s
ORDER BY s;

SELECT o AS outcome, accountability.label(o, 'zh') AS zh
FROM unnest(ARRAY['not_accountable', 'exempted', 'reduced', 'lighter',
                  'not_tolerable']::accountability.tolerance_outcome[]) AS o
ORDER BY o;

-- Input: any letter case, blanks around (including the ideographic space), or the Chinese label.
SELECT '  Investigating '::accountability.case_status,
       'TOLERANCE_REVIEW'::accountability.case_status,
       '回访'::accountability.case_status,
       '　办结　'::accountability.case_status,
       E'\tExempted\n'::accountability.tolerance_outcome,
       '减轻问责'::accountability.tolerance_outcome;

-- Output follows accountability.language; input accepts both either way.
SET accountability.language = 'zh';
SELECT 'received'::accountability.case_status, '不予问责'::accountability.tolerance_outcome,
       'notified'::accountability.case_status::text AS cast_to_text;
SELECT accountability.label('received'::accountability.case_status, 'en') AS label_en;
RESET accountability.language;
SELECT 'received'::accountability.case_status, '不予问责'::accountability.tolerance_outcome;

-- Only en and zh are languages.
SET accountability.language = 'fr';
SELECT accountability.label('closed'::accountability.case_status, 'fr');
SELECT accountability.label('closed'::accountability.case_status, 'ZH');
-- A misspelt setting in the reserved prefix is refused.
SET accountability.langauge = 'zh';

-- Bad input: 22P02 with the valid values in the detail.
SELECT 'archived'::accountability.case_status;
\echo :LAST_ERROR_SQLSTATE
SELECT ''::accountability.tolerance_outcome;
\echo :LAST_ERROR_SQLSTATE
SELECT 'received closed'::accountability.case_status;
\echo :LAST_ERROR_SQLSTATE
SELECT 'exempt'::accountability.tolerance_outcome;
\echo :LAST_ERROR_SQLSTATE

-- Order, min and max: max(outcome) is the most lenient.
SELECT accountability.min(o), accountability.max(o)
FROM unnest(ARRAY['lighter', 'exempted', 'not_tolerable']::accountability.tolerance_outcome[]) AS o;
SELECT 'exempted'::accountability.tolerance_outcome >= 'exempted' AS no_sanction,
       'reduced'::accountability.tolerance_outcome >= 'exempted' AS reduced_is_sanctioned,
       'closed'::accountability.case_status > 'received' AS later;

-- The binary wire format: format version 1, then the code.
SELECT accountability.case_status_send('received'), accountability.case_status_send('closed'),
       accountability.tolerance_outcome_send('not_accountable');

-- Casts: text and varchar in by assignment (as JDBC's setString sends them), text out.
CREATE TEMP TABLE t (s accountability.case_status, o accountability.tolerance_outcome);
INSERT INTO t VALUES ('filed'::text, 'lighter'::varchar);
INSERT INTO t SELECT 'Follow_Up'::varchar, '免予问责'::text;
SELECT s, o, s::text || '/' || o::text AS joined FROM t ORDER BY s;
SELECT 'nonsense'::text::accountability.case_status;
DROP TABLE t;

-- The one-byte storage.
SELECT typlen, typbyval, typalign FROM pg_type
WHERE oid IN ('accountability.case_status'::regtype, 'accountability.tolerance_outcome'::regtype);
SELECT pg_column_size('closed'::accountability.case_status) AS bytes;

-- Each type hash-partitions a table.
CREATE TABLE by_outcome (o accountability.tolerance_outcome) PARTITION BY HASH (o);
CREATE TABLE by_outcome_0 PARTITION OF by_outcome FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE by_outcome_1 PARTITION OF by_outcome FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO by_outcome SELECT unnest(enum_range) FROM (SELECT ARRAY['not_tolerable', 'lighter',
    'reduced', 'exempted', 'not_accountable']::accountability.tolerance_outcome[] AS enum_range) x;
SELECT tableoid::regclass AS partition, count(*) FROM by_outcome GROUP BY 1 ORDER BY 1;
DROP TABLE by_outcome;

-- Strings bound by drivers (issue 16): a varchar (JDBC setString), a text[]
-- (psycopg2 list) compare with the types and pass to their functions, as
-- the values they name; quoted literals still take the column's type, and
-- text stays the preferred string type (max, lower of a varchar are text's).
SET search_path = public, accountability;
PREPARE by_varchar(varchar, varchar) AS
SELECT 'closed'::case_status = $1 AS eq, 'closed'::case_status <> $1 AS ne, 'liable'::case_status < $1 AS lt,
       'closed'::case_status IN ($1, $2) AS in_list, can_transition($2, $1) AS can_move, next_statuses($2) AS next;
EXECUTE by_varchar('closed', 'received');
PREPARE by_text_array(text[]) AS
SELECT 'filed'::case_status = ANY ($1) AS any_status, 'exempted'::tolerance_outcome >= 'reduced'::text AS outcome_ge;
EXECUTE by_text_array('{closed,filed}');
SELECT '办结'::varchar = 'closed'::case_status AS chinese_label;
SELECT max(v), pg_typeof(max(v)) FROM (VALUES ('B'::varchar), ('a')) x (v);
SELECT lower('A'::varchar), pg_typeof(lower('A'::varchar));
-- a UNION of a status and a text column is still refused, as before
SELECT pg_typeof(c) FROM (SELECT 'closed'::case_status UNION SELECT 'filed'::text) x (c);
\set VERBOSITY terse
SELECT 'closed'::case_status = 'no such status'::varchar;
\set VERBOSITY default
-- facts from a string parameter (assignment casts to jsonb)
CREATE TEMP TABLE facts_from_string (f jsonb);
PREPARE facts_varchar(varchar) AS INSERT INTO facts_from_string VALUES ($1);
EXECUTE facts_varchar('{"situation": "reform_pilot"}');
SELECT f ->> 'situation' AS situation FROM facts_from_string;
SELECT castcontext, count(*) FROM pg_cast
WHERE castsource IN ('text'::regtype, 'varchar'::regtype)
  AND casttarget IN ('case_status'::regtype, 'tolerance_outcome'::regtype, 'jsonb'::regtype)
GROUP BY 1 ORDER BY 1;
RESET search_path;
