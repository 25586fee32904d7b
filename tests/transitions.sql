-- pgTAP: the transition table, all 144 (from, to) pairs against DESIGN.md's list.
BEGIN;
-- (the overlaps of the distinct report figures are counted at commit, by a
-- deferred trigger: in this one transaction, at the end of each statement)
SET CONSTRAINTS ALL IMMEDIATE;
SET LOCAL search_path = accountability, public;
SELECT plan(5);

-- DESIGN.md "The two types", transcribed independently of the C table.
CREATE TEMP TABLE legal (from_status text, to_status text) ON COMMIT DROP;
INSERT INTO legal VALUES
  ('received', 'investigating'), ('received', 'closed'),
  ('investigating', 'unfounded'), ('investigating', 'liable'),
  ('unfounded', 'follow_up'), ('unfounded', 'closed'),
  ('liable', 'tolerance_review'), ('liable', 'determined'),
  ('tolerance_review', 'determined'),
  ('determined', 'notified'),
  ('notified', 'appealed'), ('notified', 'correcting'), ('notified', 'filed'),
  ('appealed', 'determined'), ('appealed', 'correcting'), ('appealed', 'filed'),
  ('correcting', 'filed'),
  ('filed', 'follow_up'), ('filed', 'closed'),
  ('follow_up', 'closed');

CREATE TEMP TABLE statuses ON COMMIT DROP AS
  SELECT unnest(ARRAY['received', 'investigating', 'unfounded', 'liable', 'tolerance_review',
                      'determined', 'notified', 'appealed', 'correcting', 'filed', 'follow_up',
                      'closed']) AS s;

SELECT is((SELECT count(*) FROM statuses a, statuses b), 144::bigint, '144 ordered pairs');
SELECT is_empty($$
  SELECT a.s, b.s, can_transition(a.s::case_status, b.s::case_status)
  FROM statuses a, statuses b
  WHERE can_transition(a.s::case_status, b.s::case_status)
        <> EXISTS (SELECT 1 FROM legal l WHERE l.from_status = a.s AND l.to_status = b.s)$$,
  'can_transition agrees with DESIGN.md on every one of the 144 pairs');
SELECT is_empty($$
  SELECT a.s FROM statuses a
  WHERE next_statuses(a.s::case_status)
        IS DISTINCT FROM (SELECT coalesce(array_agg(b.s::case_status ORDER BY b.s::case_status), '{}')
                          FROM statuses b WHERE can_transition(a.s::case_status, b.s::case_status))$$,
  'next_statuses lists exactly the allowed targets, in lifecycle order');
SELECT is(next_statuses('closed'), '{}'::case_status[], 'closed is final');
SELECT ok(NOT EXISTS (SELECT 1 FROM statuses WHERE can_transition(s::case_status, s::case_status)),
          'no status moves to itself');

SELECT * FROM finish();
ROLLBACK;
