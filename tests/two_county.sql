-- pgTAP: two counties (issue 14) — a property test of scope.  County A's
-- clerk and reviewer run a few thousand random statements (reads, writes,
-- transitions, moves, child rows, re-pointings, each in its own
-- subtransaction, some committed, most refused) aimed at both counties'
-- ids.  Afterwards a digest of county B's rows is unchanged, and nothing
-- A's roles read carried B's data.
BEGIN;
-- (the overlaps of the distinct report figures are counted at commit, by a
-- deferred trigger: in this one transaction, at the end of each statement)
SET CONSTRAINTS ALL IMMEDIATE;
SET LOCAL search_path = public, accountability;
SELECT plan(5);

INSERT INTO units (unit_id, code, name, level) VALUES (801, 'P33', '两县省', 'province');
INSERT INTO units (unit_id, parent_id, code, name, level) VALUES (802, 801, 'P3301', '两县市', 'city');
INSERT INTO units (unit_id, parent_id, code, name, level) VALUES (803, 802, 'PA', 'A县', 'county'),
                                                                   (804, 802, 'PB', 'B县', 'county');
INSERT INTO units (unit_id, parent_id, code, name, level) VALUES (805, 803, 'PA1', 'A县甲镇', 'township'),
                                                                   (806, 804, 'PB1', 'B县乙镇', 'township');
-- A's people 7001..7010, B's 8001..8010 (B's names carry the marker "B县")
INSERT INTO subjects (subject_id, kind, name, unit_id, identity_type)
SELECT 7000 + g, 'person', 'A县人员' || g, CASE WHEN g % 2 = 0 THEN 803 ELSE 805 END,
       CASE WHEN g % 3 = 0 THEN 'public_servant' END FROM generate_series(1, 10) g;
INSERT INTO subjects (subject_id, kind, name, unit_id, identity_type)
SELECT 8000 + g, 'person', 'B县人员' || g, CASE WHEN g % 2 = 0 THEN 804 ELSE 806 END,
       CASE WHEN g % 3 = 0 THEN 'public_servant' END FROM generate_series(1, 10) g;

CREATE ROLE tc_clerk IN ROLE accountability_clerk;
CREATE ROLE tc_reviewer IN ROLE accountability_reviewer;
INSERT INTO role_units (role_id, unit_id) VALUES ('tc_clerk', 803), ('tc_reviewer', 803);

-- Both counties' records, in every status, loaded as they are.
SET LOCAL accountability.restore = on;
INSERT INTO cases (case_id, kind, subject_id, unit_id, status, opened_on, event_count, conclusion)
SELECT base + g, CASE WHEN g = 10 THEN 'false_accusation' WHEN g % 2 = 0 THEN 'accountability' ELSE 'report' END,
       sbase + g, unit, (ARRAY['received', 'investigating', 'unfounded', 'liable', 'tolerance_review', 'determined',
                               'notified', 'appealed', 'correcting', 'filed', 'follow_up', 'closed'])[1 + g % 12]::case_status,
       '2025-01-01', 0, label || '结论' || g
FROM (VALUES (70000, 7000, 803, 'A县'), (80000, 8000, 804, 'B县')) v (base, sbase, unit, label),
     generate_series(1, 10) g;
INSERT INTO determinations (case_id, determination_no, outcome, deciding_body, decided_on, facts,
                            assessed_outcome, assessed_reasons, after_event_no)
SELECT base + 6, 1, 'lighter', label || '纪委', '2025-02-01', '{}', 'lighter', '{}', 0
FROM (VALUES (70000, 'A县'), (80000, 'B县')) v (base, label);
INSERT INTO correction_plans (case_id, plan_no, matter, measures, due_on)
SELECT base + 8, 1, label || '整改', label || '措施', '2025-06-01' FROM (VALUES (70000, 'A县'), (80000, 'B县')) v (base, label);
INSERT INTO clarifications (case_id, clarification_no, methods, scope, approved_by)
SELECT base + 2, 1, '{written}', label || '范围', label || '纪委' FROM (VALUES (70000, 'A县'), (80000, 'B县')) v (base, label);
INSERT INTO follow_up_visits (case_id, visit_no, plan, visitor, visited_on, method, concerns_resolved, next_due_on)
SELECT base + 10, 1, label || '回访', label || '回访人', '2025-03-01', 'home', false, '2025-09-01'
FROM (VALUES (70000, 'A县'), (80000, 'B县')) v (base, label);
INSERT INTO early_warnings (subject_id, sign, issued_by)
SELECT sbase + g, label || '预警' || g, label || '纪委' FROM (VALUES (7000, 'A县'), (8000, 'B县')) v (sbase, label), generate_series(1, 3) g;
INSERT INTO trainings (subject_id, course, year, attended_on, hours)
SELECT sbase + g, label || '培训', 2025, '2025-03-01', 8 FROM (VALUES (7000, 'A县'), (8000, 'B县')) v (sbase, label), generate_series(1, 3) g;
INSERT INTO assessments (subject_id, year, grade, assessing_unit_id, decided_on, grounds)
SELECT sbase + g, 2024, 'competent', unit, '2025-01-15', label || '考核' FROM (VALUES (7000, 803, 'A县'), (8000, 804, 'B县')) v (sbase, unit, label), generate_series(1, 3) g;
INSERT INTO mentorships (mentor_id, mentee_id, unit_id, started_on) VALUES (7001, 7002, 803, '2024-01-01'), (8001, 8002, 804, '2024-01-01');
RESET accountability.restore;

-- A digest of everything county B holds, read as the superuser.
CREATE FUNCTION pg_temp.county_b_digest() RETURNS text LANGUAGE sql AS $$
  SELECT md5(string_agg(t, E'\n' ORDER BY t)) FROM (
    SELECT 'u' || row_to_json(u)::text AS t FROM accountability.units u WHERE unit_id IN (804, 806)
    UNION ALL SELECT 's' || row_to_json(s)::text FROM accountability.subjects s WHERE subject_id BETWEEN 8000 AND 8999 OR unit_id IN (804, 806)
    UNION ALL SELECT 'c' || row_to_json(c)::text FROM accountability.cases c WHERE case_id BETWEEN 80000 AND 89999 OR unit_id IN (804, 806) OR subject_id BETWEEN 8000 AND 8999
    UNION ALL SELECT 'e' || row_to_json(e)::text FROM accountability.case_events e WHERE case_id BETWEEN 80000 AND 89999
    UNION ALL SELECT 'd' || row_to_json(d)::text FROM accountability.determinations d WHERE case_id BETWEEN 80000 AND 89999
    UNION ALL SELECT 'p' || row_to_json(p)::text FROM accountability.correction_plans p WHERE case_id BETWEEN 80000 AND 89999
    UNION ALL SELECT 'k' || row_to_json(k)::text FROM accountability.clarifications k WHERE case_id BETWEEN 80000 AND 89999
    UNION ALL SELECT 'v' || row_to_json(v)::text FROM accountability.follow_up_visits v WHERE case_id BETWEEN 80000 AND 89999
    UNION ALL SELECT 'w' || row_to_json(w)::text FROM accountability.early_warnings w WHERE subject_id BETWEEN 8000 AND 8999
    UNION ALL SELECT 't' || row_to_json(t)::text FROM accountability.trainings t WHERE subject_id BETWEEN 8000 AND 8999
    UNION ALL SELECT 'a' || row_to_json(a)::text FROM accountability.assessments a WHERE subject_id BETWEEN 8000 AND 8999
    UNION ALL SELECT 'm' || row_to_json(m)::text FROM accountability.mentorships m WHERE mentee_id BETWEEN 8000 AND 8999 OR mentor_id BETWEEN 8000 AND 8999
    UNION ALL SELECT 'x' || row_to_json(x)::text FROM accountability.subject_moves x WHERE subject_id BETWEEN 8000 AND 8999
                                                                                  OR from_unit_id IN (804, 806) OR to_unit_id IN (804, 806)
  ) rows
$$;
SELECT pg_temp.county_b_digest() AS before \gset

-- Does a row read by A's roles carry county B's data?
CREATE FUNCTION pg_temp.leaks(row_json jsonb) RETURNS boolean LANGUAGE sql AS $$
  SELECT row_json::text LIKE '%B县%'
      OR EXISTS (SELECT 1 FROM jsonb_each(row_json) kv
                 WHERE kv.key IN ('subject_id', 'mentor_id', 'mentee_id') AND jsonb_typeof(kv.value) = 'number'
                   AND (kv.value::text)::bigint BETWEEN 8000 AND 8999
                    OR kv.key IN ('case_id', 'related_case_id') AND jsonb_typeof(kv.value) = 'number'
                   AND (kv.value::text)::bigint BETWEEN 80000 AND 89999
                    OR kv.key IN ('unit_id', 'from_unit_id', 'to_unit_id') AND jsonb_typeof(kv.value) = 'number'
                   AND (kv.value::text)::bigint IN (804, 806))
$$;

-- The attack: random statements by A's roles, each in a subtransaction.
CREATE TEMP TABLE attack_log (n integer, role text, kind text, statement text, outcome text, leaked integer);
CREATE FUNCTION pg_temp.attack(rounds integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  reads text[] := ARRAY['cases', 'case_events', 'determinations', 'correction_plans', 'clarifications',
                        'follow_up_visits', 'subject_directory', 'early_warnings', 'demotions', 'assessments',
                        'commendations', 'mentorships', 'mentoring_sessions', 'trainings', 'promotions',
                        'subject_moves', 'case_overview', 'overdue_cases', 'follow_up_due', 'subject_standing',
                        'early_warning_candidates', 'tolerance_by_situation', 'annual_report'];
  statuses text[] := ARRAY['received', 'investigating', 'unfounded', 'liable', 'tolerance_review', 'determined',
                           'notified', 'appealed', 'correcting', 'filed', 'follow_up', 'closed'];
  i integer; kind integer; who text; sql text; outcome text; leaked integer; r record;
  subj bigint; cas bigint; unit bigint;
BEGIN
  PERFORM setseed(0.14);
  FOR i IN 1 .. rounds LOOP
    who := CASE WHEN random() < 0.5 THEN 'tc_clerk' ELSE 'tc_reviewer' END;
    subj := CASE WHEN random() < 0.6 THEN 8000 ELSE 7000 END + 1 + floor(random() * 10)::integer;
    cas := CASE WHEN random() < 0.6 THEN 80000 ELSE 70000 END + 1 + floor(random() * 10)::integer;
    unit := (ARRAY[803, 804, 805, 806, 802])[1 + floor(random() * 5)::integer];
    kind := floor(random() * 16)::integer;
    sql := CASE kind
      WHEN 0 THEN format('SELECT to_jsonb(x) AS j FROM accountability.%I x', reads[1 + floor(random() * array_length(reads, 1))::integer])
      WHEN 1 THEN format('SELECT to_jsonb(x) AS j FROM accountability.cases x WHERE case_id = %s OR subject_id = %s', cas, subj)
      WHEN 2 THEN format('UPDATE accountability.cases SET subject_id = %s WHERE case_id = %s', subj, cas)
      WHEN 3 THEN format('UPDATE accountability.cases SET status = %L WHERE case_id = %s', statuses[1 + floor(random() * 12)::integer], cas)
      WHEN 4 THEN format('UPDATE accountability.subjects SET unit_id = %s WHERE subject_id = %s', unit, subj)
      WHEN 5 THEN format('SELECT to_jsonb(x) AS j FROM (SELECT accountability.move_subject(%s, %s, %L)) x', subj, unit, '调动')
      WHEN 6 THEN format('INSERT INTO accountability.trainings (subject_id, course, year, attended_on, hours) VALUES (%s, %L, 2025, %L, 1)', subj, '植入', '2025-05-01')
      WHEN 7 THEN format('INSERT INTO accountability.correction_plans (case_id, matter, measures, due_on) VALUES (%s, %L, %L, %L)', cas, '植入', '植入', '2026-01-01')
      WHEN 8 THEN format('UPDATE accountability.early_warnings SET outcome = %L WHERE subject_id = %s', '改写', subj)
      WHEN 9 THEN format('UPDATE accountability.determinations SET notified_on = %L WHERE case_id = %s', '2025-02-02', cas)
      WHEN 10 THEN format('INSERT INTO accountability.cases (kind, subject_id, unit_id) VALUES (%L, %s, %s)', 'report', subj, unit)
      WHEN 11 THEN format('UPDATE accountability.cases SET related_case_id = %s WHERE case_id = %s', cas, cas - 10000)
      WHEN 12 THEN format('UPDATE accountability.assessments SET grade = %L, ground_case_ids = ARRAY[%s]::bigint[] WHERE subject_id = %s', 'incompetent', cas, subj - 1000)
      WHEN 13 THEN format('SELECT to_jsonb(x) AS j FROM accountability.case_dossier(%s) x', cas)
      WHEN 14 THEN format('UPDATE accountability.subjects SET name = name || %L WHERE subject_id = %s RETURNING to_jsonb(subjects) AS j', '改', subj)
      ELSE format('SELECT to_jsonb(x) AS j FROM accountability.subject_standing(%s) x', subj)
    END;
    leaked := 0;
    BEGIN
      EXECUTE format('SET LOCAL ROLE %I', who);
      IF sql LIKE 'SELECT%' OR sql LIKE '%RETURNING%' THEN
        FOR r IN EXECUTE sql LOOP
          IF pg_temp.leaks(r.j) THEN leaked := leaked + 1; END IF;
        END LOOP;
      ELSE
        EXECUTE sql;
      END IF;
      outcome := 'ok';
      RESET ROLE;
      -- a third of the successful statements are kept, the rest undone
      IF random() < 0.66 THEN RAISE EXCEPTION USING ERRCODE = 'P0098'; END IF;
    EXCEPTION WHEN OTHERS THEN
      outcome := CASE WHEN SQLSTATE = 'P0098' THEN 'ok, rolled back' ELSE SQLSTATE END;
    END;
    RESET ROLE;
    INSERT INTO attack_log VALUES (i, who, kind::text, sql, outcome, leaked);
  END LOOP;
END $$;
SELECT pg_temp.attack(3000);

SELECT is((SELECT count(*)::integer FROM attack_log), 3000, '3000 random statements by county A''s roles ran');
SELECT cmp_ok((SELECT count(*)::integer FROM attack_log WHERE outcome LIKE 'ok%'), '>', 300,
              'some of them did what A may do (the attack is not just refused wholesale)');
SELECT is((SELECT coalesce(sum(leaked), 0)::integer FROM attack_log), 0,
          'nothing A''s roles read carried county B''s data');
SELECT is(pg_temp.county_b_digest(), :'before', 'county B''s rows are exactly as before');
SELECT is((SELECT count(*)::integer FROM subjects WHERE subject_id BETWEEN 8001 AND 8010 AND unit_id NOT IN (804, 806)), 0,
          'no cadre of county B was moved out of it');

-- What the attack did, by statement kind (shown by pg_prove -v).
SELECT diag(string_agg(format('kind %s: %s tried, %s allowed (%s)', kind, tried, allowed, outcomes), E'\n' ORDER BY kind::integer))
FROM (SELECT kind, count(*) AS tried, count(*) FILTER (WHERE outcome LIKE 'ok%') AS allowed,
             string_agg(DISTINCT outcome, ',') AS outcomes
      FROM attack_log GROUP BY kind) k;
SELECT * FROM finish();
ROLLBACK;
