/*
 * tests/demo/generate.sql — one province's year(s), run through the real
 * interface of pg_accountability.
 *
 *   psql -v seed=42 -v year=2025 -v subjects=100000 -v years=1 -f tests/demo/generate.sql
 *   psql -v provinces=31 -v years=2 -f tests/demo/generate.sql     # national mode
 *
 * Builds Zhejiang's unit tree (the province, its 11 cities, 90 counties, 900
 * townships and 40 provincial departments, 11 of which keep tolerance
 * lists) and about `subjects` cadres and party organizations, then for each
 * of `years` years ending with `year` registers cases and moves them with
 * UPDATE ... SET status, records determinations (their outcomes are
 * assess_case's over the generated facts), correction plans,
 * clarifications, follow-up visits and false-accusation cases, so every
 * trigger and rule fires.  It runs as a role without superuser rights, so
 * the registration rules apply in full.
 *
 * With the default parameters each year's annual_report shows the figures
 * the province published (People's Daily, 2024-03-29): 241 tolerance cases,
 * 2244 persons and 200 party organizations clarified, 100 false-accusation
 * cases involving 134 people.  Everything is derived from hashes of
 * (seed, stream, index), so a given seed always gives the same data.
 *
 * National mode (`provinces` > 1, at most 31): Zhejiang first, then the
 * other provinces of mainland China in code order (GB/T 2260 codes), each
 * with Zhejiang's shape (11 cities with Zhejiang's county counts, 900
 * townships, 40 departments), its own `subjects` cadres and, every year,
 * the same mix of cases as Zhejiang's (tests/bench/scale.sh loads 31 of
 * them for `make bench-scale`).  Outside Zhejiang the cities, counties and
 * townships have generated names, and the article's named cadres exist in
 * Zhejiang only.  `per_cadre` (on with one province, off in national mode)
 * adds the records every cadre gets each year whatever the cases: the
 * annual assessment and 20,000 training places a province-year.
 */
\set ON_ERROR_STOP 1
\if :{?seed}
\else
\set seed 42
\endif
\if :{?year}
\else
\set year 2025
\endif
\if :{?subjects}
\else
\set subjects 100000
\endif
\if :{?years}
\else
\set years 1
\endif
\if :{?provinces}
\else
\set provinces 1
\endif
\if :{?per_cadre}
\else
SELECT :provinces = 1 AS per_cadre \gset
\endif

CREATE SCHEMA IF NOT EXISTS demo;

-- A deterministic number in [0, 1) for (seed, stream, i).
CREATE OR REPLACE FUNCTION demo.r(seed int, stream int, i bigint) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ((hashint8(seed::bigint * 7919 + stream::bigint * 1000003 + i) & 2147483647)::float8 / 2147483648) $$;

-- A deterministic integer in [0, n).
CREATE OR REPLACE FUNCTION demo.pick(seed int, stream int, i bigint, n int) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT floor(demo.r(seed, stream, i) * n)::int $$;

-- The loader: a plain role, so no superuser shortcut skips a rule.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'accountability_demo_loader') THEN
        CREATE ROLE accountability_demo_loader NOLOGIN;
    END IF;
END $$;
-- An administrator's rights (units, lists, cases, determinations), under
-- row-level security like any role: build_province maps it to the province.
GRANT accountability_admin TO accountability_demo_loader;
GRANT USAGE, CREATE ON SCHEMA demo TO accountability_demo_loader;
GRANT ALL ON ALL TABLES IN SCHEMA demo TO accountability_demo_loader;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA demo TO accountability_demo_loader;
-- It draws case ids ahead of registering the cases.
GRANT USAGE ON SEQUENCE accountability.cases_case_id_seq TO accountability_demo_loader;

-- The provinces of national mode: Zhejiang first (the demo's), then the
-- others of mainland China by their GB/T 2260 code.
CREATE TABLE IF NOT EXISTS demo.provinces (ord int PRIMARY KEY, code text UNIQUE, name text, name_en text);
INSERT INTO demo.provinces (ord, code, name, name_en)
SELECT row_number() OVER (ORDER BY code <> '33', code), code, name, name_en
FROM (VALUES ('11', '北京市', 'Beijing'), ('12', '天津市', 'Tianjin'), ('13', '河北省', 'Hebei'),
             ('14', '山西省', 'Shanxi'), ('15', '内蒙古自治区', 'Inner Mongolia'), ('21', '辽宁省', 'Liaoning'),
             ('22', '吉林省', 'Jilin'), ('23', '黑龙江省', 'Heilongjiang'), ('31', '上海市', 'Shanghai'),
             ('32', '江苏省', 'Jiangsu'), ('33', '浙江省', 'Zhejiang'), ('34', '安徽省', 'Anhui'),
             ('35', '福建省', 'Fujian'), ('36', '江西省', 'Jiangxi'), ('37', '山东省', 'Shandong'),
             ('41', '河南省', 'Henan'), ('42', '湖北省', 'Hubei'), ('43', '湖南省', 'Hunan'),
             ('44', '广东省', 'Guangdong'), ('45', '广西壮族自治区', 'Guangxi'), ('46', '海南省', 'Hainan'),
             ('50', '重庆市', 'Chongqing'), ('51', '四川省', 'Sichuan'), ('52', '贵州省', 'Guizhou'),
             ('53', '云南省', 'Yunnan'), ('54', '西藏自治区', 'Tibet'), ('61', '陕西省', 'Shaanxi'),
             ('62', '甘肃省', 'Gansu'), ('63', '青海省', 'Qinghai'), ('64', '宁夏回族自治区', 'Ningxia'),
             ('65', '新疆维吾尔自治区', 'Xinjiang')) AS p (code, name, name_en)
ON CONFLICT DO NOTHING;
GRANT SELECT ON demo.provinces TO accountability_demo_loader;

-- Stage timings, for the demo's closing table.
CREATE TABLE IF NOT EXISTS demo.timings (stage text, seconds numeric, at timestamptz DEFAULT clock_timestamp());
GRANT ALL ON demo.timings TO accountability_demo_loader;

-- A stage is done: record its time, and say so (one line per stage, as it
-- happens, so a long load is never silent).
CREATE OR REPLACE FUNCTION demo.stage(stage text, t0 timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    seconds numeric := round(extract(epoch FROM clock_timestamp() - t0)::numeric, 2);
BEGIN
    INSERT INTO demo.timings (stage, seconds) VALUES (stage, seconds);
    RAISE NOTICE 'demo: % (% s)', stage, seconds;
END $$;
GRANT EXECUTE ON FUNCTION demo.stage(text, timestamptz) TO accountability_demo_loader;

/*
 * The unit tree and the subjects of a province (once; Zhejiang, code 33,
 * by default).  Zhejiang's cities with their real county counts; the other
 * provinces of national mode get the same shape under generated names;
 * township and department names are generated.
 */
CREATE OR REPLACE PROCEDURE demo.build_province(seed int, n_subjects int, province text DEFAULT '33')
LANGUAGE plpgsql
SET search_path = accountability, demo, public
AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
    prov demo.provinces := (SELECT x FROM demo.provinces x WHERE x.code = province);
    prov_id bigint;
    cities text[] := ARRAY['杭州市','宁波市','温州市','嘉兴市','湖州市','绍兴市','金华市','衢州市','舟山市','台州市','丽水市'];
    cities_en text[] := ARRAY['Hangzhou','Ningbo','Wenzhou','Jiaxing','Huzhou','Shaoxing','Jinhua','Quzhou','Zhoushan','Taizhou','Lishui'];
    counties int[] := ARRAY[13, 10, 12, 7, 5, 6, 9, 6, 4, 9, 9];
BEGIN
    IF prov.code IS NULL THEN
        RAISE EXCEPTION 'demo: no province with code %', province;
    END IF;
    IF province <> '33' THEN
        SELECT array_agg(format('%s第%s市', prov.name, c) ORDER BY c), array_agg(format('%s city %s', prov.name_en, c) ORDER BY c)
        INTO cities, cities_en FROM generate_series(1, 11) c;
    END IF;
    INSERT INTO units (code, name, name_en, level) VALUES (prov.code, prov.name, prov.name_en, 'province')
    RETURNING unit_id INTO prov_id;
    INSERT INTO role_units (role_id, unit_id) VALUES ('accountability_demo_loader', prov_id);
    INSERT INTO units (parent_id, code, name, name_en, level)
    SELECT prov_id, province || lpad(c::text, 2, '0'), cities[c], cities_en[c], 'city'
    FROM generate_series(1, 11) c;
    INSERT INTO units (parent_id, code, name, name_en, level)
    SELECT u.unit_id, u.code || lpad(k::text, 2, '0'),
           CASE WHEN u.code = '3306' AND k = 4 THEN '上虞区' WHEN u.code = '3301' AND k = 10 THEN '余杭区'
                ELSE u.name || '第' || k || '县区' END,
           u.name_en || ' county ' || k, 'county'
    FROM units u, generate_series(1, 13) k
    WHERE u.parent_id = prov_id AND u.level = 'city' AND k <= counties[substr(u.code, 3)::int]
    ORDER BY k, u.unit_id;
    INSERT INTO units (parent_id, code, name, name_en, level)
    SELECT u.unit_id, u.code || lpad(k::text, 3, '0'),
           CASE WHEN u.name = '上虞区' AND k = 1 THEN '百官街道' WHEN u.name = '余杭区' AND k = 1 THEN '仓前街道'
                ELSE u.name || '第' || k || '乡镇' END,
           u.name_en || ' township ' || k, 'township'
    FROM units u, generate_series(1, 10) k
    WHERE u.level = 'county' AND u.code LIKE province || '%'
    ORDER BY k, u.unit_id;
    INSERT INTO units (parent_id, code, name, name_en, level)
    SELECT prov_id, province || 'D' || lpad(k::text, 2, '0'),
           '省直部门' || lpad(k::text, 2, '0'), 'Provincial department ' || k, 'department'
    FROM generate_series(1, 40) k;

    -- Eleven departments keep detailed tolerance lists (容错细化清单): three
    -- positive items and one negative item each.
    INSERT INTO tolerance_list_items (unit_id, code, polarity, category, text_zh, text_en, valid_from)
    SELECT u.unit_id, substr(u.code, 3) || '-P' || k, 'positive',
           (ARRAY['改革创新失误','程序过失或瑕疵','应急处突失误'])[k],
           u.name || '容错情形' || k, 'Tolerable situation ' || k || ' of ' || u.name_en, DATE '2020-01-01'
    FROM units u, generate_series(1, 3) k
    WHERE u.parent_id = prov_id AND u.level = 'department' AND substr(u.code, 4)::int <= 11;
    INSERT INTO tolerance_list_items (unit_id, code, polarity, category, text_zh, text_en, valid_from)
    SELECT u.unit_id, substr(u.code, 3) || '-N1', 'negative', '负面清单',
           u.name || '不予容错情形', 'Excluded situation of ' || u.name_en, DATE '2020-01-01'
    FROM units u
    WHERE u.parent_id = prov_id AND u.level = 'department' AND substr(u.code, 4)::int <= 11;
    -- The province's own negative item, which the "other" cases below name:
    -- a situation is always one the lists know (a misspelt one is refused).
    INSERT INTO tolerance_list_items (unit_id, code, polarity, category, text_zh, text_en, valid_from)
    VALUES (prov_id, 'local_custom', 'negative', '负面清单', '以地方惯例为由违规谋取私利',
            'Breaking the rules for private gain in the name of local custom', DATE '2020-01-01');

    -- Subjects: 95% persons, 5% party organizations, over townships, counties
    -- and departments; persons carry the identity that would route a sanction.
    WITH unit_ids AS (SELECT array_agg(unit_id ORDER BY unit_id) AS a FROM units
                      WHERE level <> 'province' AND code LIKE province || '%')
    INSERT INTO subjects (kind, name, unit_id, post, identity_type)
    SELECT CASE WHEN i % 20 = 0 THEN 'party_org' ELSE 'person' END,
           CASE WHEN i % 20 = 0 THEN '党组织' || i ELSE '干部' || i END,
           unit_ids.a[1 + demo.pick(seed, 1, i, cardinality(unit_ids.a))],
           CASE WHEN i % 20 = 0 THEN NULL ELSE (ARRAY['科员','副科长','科长','副局长','局长','乡镇长','乡镇党委书记'])[1 + demo.pick(seed, 2, i, 7)] END,
           CASE WHEN i % 20 = 0 THEN NULL
                ELSE (ARRAY['party_member','party_member','party_member','public_servant','other'])[1 + demo.pick(seed, 3, i, 5)] END
    FROM generate_series(1, n_subjects) i, unit_ids;
    -- The article's people: six young (post-90s) cadres of 百官街道, and in
    -- 仓前街道 the mentor 吴湛, 白晓东 and the other new cadres they train.
    IF province = '33' THEN
    INSERT INTO subjects (kind, name, unit_id, post, identity_type)
    SELECT 'person', '百官街道90后干部' || k, (SELECT unit_id FROM units WHERE name = '百官街道'), '科员', 'party_member'
    FROM generate_series(1, 6) k;
    INSERT INTO subjects (kind, name, unit_id, post, identity_type)
    SELECT 'person', n, (SELECT unit_id FROM units WHERE name = '仓前街道'), p, 'party_member'
    FROM unnest(ARRAY['吴湛', '白晓东'], ARRAY['街道党工委委员', '科员']) AS x (n, p);
    INSERT INTO subjects (kind, name, unit_id, post, identity_type)
    SELECT 'person', '仓前街道新干部' || k, (SELECT unit_id FROM units WHERE name = '仓前街道'), '科员', 'party_member'
    FROM generate_series(1, 14) k;
    END IF;
    PERFORM demo.stage(CASE WHEN province = '33' THEN '' ELSE province || ' ' END || 'units and subjects', t0);
END $$;

/*
 * One year of cases of a province (Zhejiang by default), through the real
 * interface; per_cadre adds every cadre's annual assessment and the
 * province's training places.
 */
CREATE OR REPLACE PROCEDURE demo.run_year(seed int, y int, y_index int, province text DEFAULT '33',
                                          per_cadre boolean DEFAULT true)
LANGUAGE plpgsql
SET search_path = accountability, demo, public
AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
    prov_id bigint := (SELECT unit_id FROM units WHERE code = province AND level = 'province');
    -- the province's departments in code order (D01, D02, ...)
    depts bigint[] := ARRAY(SELECT unit_id FROM units WHERE parent_id = prov_id AND level = 'department' ORDER BY code);
    n_persons int;
    n_orgs int;
    label text := CASE WHEN province = '33' THEN '' ELSE province || ' ' END || y;   -- the stages' label
    jan1 date := make_date(y, 1, 1);
    dec31 date := make_date(y, 12, 31);
    base bigint := y_index::bigint * 5000;     -- this year's block of people
    national text[] := ARRAY['reform_pilot','exploratory_trial','development_inadvertent','collective_dissent','force_majeure'];
BEGIN
    IF prov_id IS NULL THEN
        RAISE EXCEPTION 'demo: province % is not built (demo.build_province)', province;
    END IF;
    -- The province's persons and organizations, numbered, to pick by a
    -- bijective stride, so a year's picks are distinct.
    -- (only where the session has temporary tables: DROP ... IF EXISTS of
    -- pg_temp.x before any says "schema pg_temp does not exist, skipping")
    IF to_regclass('pg_temp.persons') IS NOT NULL OR to_regclass('pg_temp.orgs') IS NOT NULL THEN
        DROP TABLE IF EXISTS pg_temp.persons, pg_temp.orgs;
    END IF;
    CREATE TEMP TABLE persons ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY s.subject_id) - 1 AS k, s.subject_id
        FROM subjects s JOIN unit_ancestors a ON a.unit_id = s.unit_id AND a.ancestor_id = prov_id
        WHERE s.kind = 'person' AND s.name LIKE '干部%';   -- the generated cadres, not the article's
    CREATE TEMP TABLE orgs ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY s.subject_id) - 1 AS k, s.subject_id
        FROM subjects s JOIN unit_ancestors a ON a.unit_id = s.unit_id AND a.ancestor_id = prov_id
        WHERE s.kind = 'party_org';
    CREATE INDEX persons_k ON persons (k);
    CREATE INDEX orgs_k ON orgs (k);
    ANALYZE persons;
    ANALYZE orgs;
    n_persons := (SELECT count(*) FROM persons);
    n_orgs := (SELECT count(*) FROM orgs);
    CREATE TEMP TABLE plan (case_id bigint, stream text, i int, subject_id bigint, unit_id bigint,
                            opened_on date, facts jsonb, mode text, lenient boolean) ON COMMIT DROP;

    -- A. 600 accountability matters: 241 with facts that assess as tolerable.
    INSERT INTO plan (stream, i, subject_id, opened_on, mode, lenient, facts)
    SELECT 'acc', i, (SELECT subject_id FROM persons WHERE k = ((base + i) * 7919) % n_persons),
           jan1 + demo.pick(seed, 10 + y, i, 240), 
           (ARRAY['application','application','ex_officio','ordinary','ordinary'])[1 + demo.pick(seed, 11 + y, i, 5)],
           i < 241, NULL
    FROM generate_series(0, 599) i;
    UPDATE plan p SET unit_id = CASE WHEN p.i % 3 = 0
                                     THEN depts[1 + demo.pick(seed, 12, p.i, 11)]
                                     ELSE s.unit_id END
    FROM subjects s WHERE s.subject_id = p.subject_id AND p.stream = 'acc';
    -- Facts: department cases cite their list; the lenient ones pass every gate.
    UPDATE plan p SET facts = jsonb_build_object(
            'situation', CASE WHEN u.level = 'department' AND substr(u.code, 4)::int <= 11
                              THEN substr(u.code, 3) || '-P' || (1 + p.i % 3)
                              ELSE national[1 + p.i % 5] END,
            'red_line_breach', false, 'knowing_violation', false, 'violated_explicit_ban', false,
            'private_gain', false, 'fraud_or_obstruction', false, 'repeated_error', false)
        || CASE p.i % 4
             WHEN 0 THEN '{"consequence": "none", "procedure_proper": true, "diligent": true, "corrected_promptly": true}'::jsonb
             WHEN 1 THEN '{"consequence": "minor", "procedure_proper": true, "diligent": true, "corrected_promptly": true}'::jsonb
             WHEN 2 THEN '{"consequence": "minor", "procedure_proper": true, "diligent": false, "corrected_promptly": true,
                           "loss_recovered": "full", "cooperated": true}'::jsonb
             ELSE '{"consequence": "minor", "procedure_proper": false, "diligent": true, "corrected_promptly": true,
                    "loss_recovered": "partial"}'::jsonb
           END
    FROM units u WHERE u.unit_id = p.unit_id AND p.stream = 'acc' AND p.lenient;
    -- The rest fail a gate, cite no situation, or have nothing to mitigate.
    UPDATE plan p SET facts = jsonb_build_object(
            'situation', CASE WHEN u.level = 'department' AND substr(u.code, 4)::int <= 11 AND p.i % 4 = 0
                              THEN substr(u.code, 3) || '-N1'
                              WHEN p.i % 4 = 1 THEN 'local_custom' ELSE national[1 + p.i % 5] END,
            'red_line_breach', p.i % 4 = 0, 'knowing_violation', p.i % 4 = 2, 'violated_explicit_ban', false,
            'private_gain', p.i % 7 = 0, 'fraud_or_obstruction', false, 'repeated_error', false,
            'consequence', CASE WHEN p.i % 5 = 0 THEN 'serious' ELSE 'minor' END,
            'procedure_proper', true, 'diligent', p.i % 4 <> 3, 'corrected_promptly', true)
    FROM units u WHERE u.unit_id = p.unit_id AND p.stream = 'acc' AND NOT p.lenient;

    -- B. Reports found untrue whose subjects are clarified: 2244 persons and 200
    --    organizations; 100 of them are suspected false accusations.
    INSERT INTO plan (stream, i, subject_id, opened_on)
    SELECT 'clear_person', i, (SELECT subject_id FROM persons WHERE k = ((base + 600 + i) * 7919) % n_persons),
           jan1 + demo.pick(seed, 20 + y, i, 280)
    FROM generate_series(0, 2243) i;
    INSERT INTO plan (stream, i, subject_id, opened_on)
    SELECT 'clear_org', i, (SELECT subject_id FROM orgs WHERE k = ((y_index * 200 + i) * 7919) % n_orgs),
           jan1 + demo.pick(seed, 21 + y, i, 280)
    FROM generate_series(0, 199) i;
    -- C. Reports found untrue, nothing to clarify: 1500.
    INSERT INTO plan (stream, i, subject_id, opened_on)
    SELECT 'untrue', i, (SELECT subject_id FROM persons WHERE k = demo.pick(seed, 30 + y, i, n_persons)),
           jan1 + demo.pick(seed, 31 + y, i, 300)
    FROM generate_series(0, 1499) i;
    -- D. Other reports: pending, under verification, or founded.
    INSERT INTO plan (stream, i, subject_id, opened_on)
    SELECT 'other', i, (SELECT subject_id FROM persons WHERE k = demo.pick(seed, 40 + y, i, n_persons)),
           jan1 + demo.pick(seed, 41 + y, i, 364)
    FROM generate_series(0, 2999) i;
    UPDATE plan p SET unit_id = s.unit_id FROM subjects s WHERE s.subject_id = p.subject_id AND p.unit_id IS NULL;

    -- Register every case (received), with its facts; ids are drawn first so
    -- the plan knows its cases.
    UPDATE plan SET case_id = nextval(pg_get_serial_sequence('accountability.cases', 'case_id'));
    INSERT INTO cases (case_id, kind, subject_id, unit_id, opened_on, event_on, facts)
    SELECT p.case_id, CASE p.stream WHEN 'acc' THEN 'accountability' ELSE 'report' END, p.subject_id, p.unit_id,
           p.opened_on, p.opened_on - demo.pick(seed, 50, p.i, 60),
           coalesce(p.facts, CASE WHEN p.stream = 'other' THEN
               '{"situation": "local_custom", "red_line_breach": false, "knowing_violation": true,
                 "violated_explicit_ban": false, "private_gain": true, "fraud_or_obstruction": false,
                 "repeated_error": false, "consequence": "minor"}'::jsonb ELSE '{}'::jsonb END)
    FROM plan p ORDER BY p.case_id;
    PERFORM demo.stage(label || ': register ' || (SELECT count(*) FROM plan) || ' cases', t0);
    t0 := clock_timestamp();

    -- Verification.
    UPDATE cases SET status = 'investigating', transition_note = '核查组已成立'
    WHERE case_id IN (SELECT case_id FROM plan WHERE stream <> 'other' OR i >= 800);
    -- Untrue reports: grounds for clarification where the subject is cleared.
    UPDATE cases c SET status = 'unfounded', conclusion = '反映问题失实',
           clarification_grounds = CASE p.i % 4 WHEN 0 THEN '{affected_selection}' WHEN 1 THEN '{harmed_subject}'
                                                WHEN 2 THEN '{repeated_settled_matter}' ELSE '{body_decided}' END::text[],
           report_finding = CASE WHEN p.stream = 'clear_person' AND p.i < 100 THEN 'suspected_false_accusation'
                                 WHEN p.i % 3 = 0 THEN 'mistaken_report' END
    FROM plan p WHERE p.case_id = c.case_id AND p.stream IN ('clear_person', 'clear_org');
    UPDATE cases c SET status = 'unfounded', conclusion = '反映问题失实'
    FROM plan p WHERE p.case_id = c.case_id AND p.stream = 'untrue';
    UPDATE cases c SET status = 'liable', conclusion = '反映问题属实'
    FROM plan p WHERE p.case_id = c.case_id AND (p.stream = 'acc' OR (p.stream = 'other' AND p.i >= 1800));
    PERFORM demo.stage(label || ': verification', t0);
    t0 := clock_timestamp();

    -- Clarification (澄清正名): written, and often a meeting or circular too.
    INSERT INTO clarifications (case_id, methods, scope, approved_by, subject_consent, done_on, archived_on,
                                copied_to_organization_on)
    SELECT p.case_id,
           (ARRAY['{written}', '{written,face_to_face}', '{written,meeting}', '{written,circular}'])[1 + p.i % 4]::text[],
           '经核查，反映问题失实，予以澄清', (SELECT name FROM units WHERE unit_id = p.unit_id) || '纪委', true,
           least(p.opened_on + 30 + demo.pick(seed, 60, p.i, 30), dec31),
           least(p.opened_on + 35 + demo.pick(seed, 60, p.i, 30), dec31),
           least(p.opened_on + 35 + demo.pick(seed, 60, p.i, 30), dec31)
    FROM plan p WHERE p.stream IN ('clear_person', 'clear_org');
    UPDATE cases c SET status = 'follow_up'
    FROM plan p WHERE p.case_id = c.case_id AND p.stream IN ('clear_person', 'clear_org');
    UPDATE cases c SET status = 'closed', closing_reason = '未造成不良影响，本人不要求澄清'
    FROM plan p WHERE p.case_id = c.case_id AND p.stream = 'untrue';
    PERFORM demo.stage(label || ': clarification', t0);
    t0 := clock_timestamp();

    -- Tolerance review for applications and ex-officio reviews, then the
    -- determinations: the body records what assess_case finds.  assess_case
    -- is assess_tolerance(case_facts(id)); called as such, case_facts is
    -- planned once for the statement instead of once a call (~1 ms each
    -- inside the SQL wrapper), which was a fifth of a province-year's load.
    UPDATE cases c SET status = 'tolerance_review'
    FROM plan p WHERE p.case_id = c.case_id AND p.stream = 'acc' AND p.mode <> 'ordinary';
    INSERT INTO determinations (case_id, mode, outcome, deciding_body, meeting_ref, decided_on, deciding_unit_id)
    SELECT p.case_id, coalesce(p.mode, 'ordinary'), (assess_tolerance(case_facts(p.case_id))).outcome,
           (SELECT name FROM units WHERE unit_id = p.unit_id) || '纪委常委会', y || '年第' || (1 + p.i % 20) || '次会议',
           least(p.opened_on + 20 + demo.pick(seed, 70, p.i, 40), dec31), NULL
    FROM plan p WHERE p.stream = 'acc' OR (p.stream = 'other' AND p.i >= 1800);
    UPDATE cases c SET status = 'determined'
    FROM plan p WHERE p.case_id = c.case_id AND (p.stream = 'acc' OR (p.stream = 'other' AND p.i >= 1800));
    UPDATE determinations d SET notified_on = least(d.decided_on + 3, dec31)
    FROM plan p WHERE p.case_id = d.case_id AND (p.stream = 'acc' OR (p.stream = 'other' AND p.i >= 1800));
    UPDATE cases c SET status = 'notified'
    FROM plan p WHERE p.case_id = c.case_id AND (p.stream = 'acc' OR (p.stream = 'other' AND p.i >= 1800));
    PERFORM demo.stage(label || ': determination', t0);
    t0 := clock_timestamp();

    -- Correction (纠错) for half of the sanctioned matters.
    INSERT INTO correction_plans (case_id, matter, measures, owner, due_on, completed_on, verified_by)
    SELECT c.case_id, '整改问题' || p.i, '完善制度、堵塞漏洞', '单位主要负责人',
           least(c.opened_on + 90, dec31), least(c.opened_on + 80, dec31), '组织部'
    FROM plan p JOIN cases c ON c.case_id = p.case_id
    WHERE p.stream = 'acc' AND p.i % 2 = 0;
    UPDATE cases c SET status = 'correcting'
    FROM plan p WHERE p.case_id = c.case_id AND p.stream = 'acc' AND p.i % 2 = 0;
    UPDATE cases c SET status = 'filed'
    FROM plan p WHERE p.case_id = c.case_id AND (p.stream = 'acc' OR (p.stream = 'other' AND p.i >= 1800));
    -- Sanctioned cases close; lenient ones are followed up first (回访教育).
    UPDATE cases c SET status = 'follow_up'
    FROM plan p, determinations d
    WHERE p.case_id = c.case_id AND d.case_id = c.case_id AND d.outcome > 'not_tolerable';
    UPDATE cases c SET status = 'closed'
    FROM plan p WHERE p.case_id = c.case_id AND c.status = 'filed';
    PERFORM demo.stage(label || ': correction and filing', t0);
    t0 := clock_timestamp();

    -- Follow-up visits (一人一策): most concerns are resolved at the first
    -- visit; one case in ten needs another.
    INSERT INTO follow_up_visits (case_id, plan, visitor, visited_on, method, findings, concerns_resolved, next_due_on)
    SELECT c.case_id, '一人一策：谈心谈话、帮助轻装上阵', '回访组', least(c.opened_on + 70, dec31),
           (ARRAY['face_to_face','home','phone','meeting'])[1 + p.i % 4],
           CASE WHEN p.i % 10 = 0 THEN '仍有思想顾虑' ELSE '思想包袱已放下' END,
           p.i % 10 <> 0, CASE WHEN p.i % 10 = 0 THEN least(c.opened_on + 160, dec31) END
    FROM plan p JOIN cases c ON c.case_id = p.case_id
    WHERE c.status = 'follow_up';
    UPDATE cases c SET status = 'closed'
    FROM plan p WHERE p.case_id = c.case_id AND c.status = 'follow_up' AND p.i % 10 <> 0;
    PERFORM demo.stage(label || ': follow-up', t0);
    t0 := clock_timestamp();

    -- E. False accusations (查处诬告陷害): 100 reports, 134 accusers: 75 reports
    --    with one accuser, 16 with two, 9 with three.
    CREATE TEMP TABLE accusers ON COMMIT DROP AS
    SELECT p.case_id AS report_id, p.i AS report_i, a AS accuser_no, p.unit_id
    FROM plan p, generate_series(1, 3) a
    WHERE p.stream = 'clear_person' AND p.i < 100
      AND a <= CASE WHEN p.i < 75 THEN 1 WHEN p.i < 91 THEN 2 ELSE 3 END;
    ALTER TABLE accusers ADD COLUMN n int, ADD COLUMN subject_id bigint, ADD COLUMN case_id bigint;
    UPDATE accusers x SET n = r.n FROM (SELECT report_id, accuser_no, row_number() OVER (ORDER BY report_id, accuser_no) - 1 AS n
                                        FROM accusers) r
    WHERE r.report_id = x.report_id AND r.accuser_no = x.accuser_no;
    UPDATE accusers x SET subject_id = (SELECT subject_id FROM persons WHERE k = ((base + 3000 + x.n) * 7919) % n_persons);
    UPDATE accusers SET case_id = nextval(pg_get_serial_sequence('accountability.cases', 'case_id'));
    INSERT INTO cases (case_id, kind, subject_id, unit_id, opened_on, related_case_id)
    SELECT x.case_id, 'false_accusation', x.subject_id, x.unit_id,
           least((SELECT opened_on FROM cases WHERE case_id = x.report_id) + 40, dec31 - 20), x.report_id
    FROM accusers x ORDER BY x.case_id;
    UPDATE cases SET status = 'investigating' WHERE case_id IN (SELECT case_id FROM accusers);
    UPDATE cases SET status = 'liable', conclusion = '捏造事实诬告他人' WHERE case_id IN (SELECT case_id FROM accusers);
    -- Found by the city's discipline commission (市纪委).
    INSERT INTO determinations (case_id, outcome, deciding_body, decided_on, deciding_unit_id)
    SELECT x.case_id, (assess_tolerance(case_facts(x.case_id))).outcome, u.name || '纪委常委会',
           least(c.opened_on + 15, dec31), u.unit_id
    FROM accusers x JOIN cases c ON c.case_id = x.case_id
    JOIN unit_tree t ON t.unit_id = c.unit_id
    JOIN units u ON u.unit_id = t.ancestor_id AND u.level IN ('city', 'province')
    WHERE u.level = 'city' OR NOT EXISTS (SELECT 1 FROM unit_tree t2 JOIN units u2 ON u2.unit_id = t2.ancestor_id
                                           WHERE t2.unit_id = c.unit_id AND u2.level = 'city');
    UPDATE cases SET status = 'determined' WHERE case_id IN (SELECT case_id FROM accusers);
    UPDATE determinations SET notified_on = least(decided_on + 3, dec31) WHERE case_id IN (SELECT case_id FROM accusers);
    UPDATE cases SET status = 'notified' WHERE case_id IN (SELECT case_id FROM accusers);
    UPDATE cases SET status = 'filed' WHERE case_id IN (SELECT case_id FROM accusers);
    UPDATE cases SET status = 'closed' WHERE case_id IN (SELECT case_id FROM accusers);
    PERFORM demo.stage(label || ': false accusations', t0);
    t0 := clock_timestamp();

    -- Early warnings, and a few demotions.
    INSERT INTO early_warnings (subject_id, sign, issued_by, issued_on, acknowledged_on)
    SELECT (SELECT subject_id FROM persons WHERE k = demo.pick(seed, 80 + y, i, n_persons)),
           (ARRAY['工作作风漂浮','群众反映较多','苗头性问题','倾向性问题'])[1 + i % 4], '纪委', jan1 + i % 360,
           CASE WHEN i % 3 <> 0 THEN jan1 + i % 360 + 2 END
    FROM generate_series(0, 499) i;
    INSERT INTO demotions (subject_id, situation_code, method, prior_measures, decided_by, decided_on, effective_on, reuse_eligible_on)
    SELECT (SELECT subject_id FROM persons WHERE k = demo.pick(seed, 90 + y, i, n_persons)),
           'N-' || lpad((1 + i % 15)::text, 2, '0'),
           (ARRAY['transfer','reassignment','removal','demotion'])[1 + i % 4], '{reminder,admonishment}',
           '组织部', jan1 + i * 7, jan1 + i * 7 + 5, jan1 + i * 7 + 370
    FROM generate_series(0, 49) i;
    PERFORM demo.stage(label || ': warnings and demotions', t0);
    t0 := clock_timestamp();

    -- Incentives (激励).  Every cadre's annual assessment: about 12% excellent,
    -- a few below competent, always on written grounds.
    IF per_cadre THEN
    INSERT INTO assessments (subject_id, year, grade, assessing_unit_id, grounds, decided_on)
    SELECT s.subject_id, y,
           CASE WHEN r < 0.12 THEN 'excellent' WHEN r < 0.98 THEN 'competent'
                WHEN r < 0.995 THEN 'basically_competent' ELSE 'incompetent' END,
           s.unit_id,
           CASE WHEN r >= 0.98 THEN '全年重点工作推进不力，群众满意度较低' END,
           make_date(y + 1, 1, 15)
    FROM (SELECT s.subject_id, s.unit_id, demo.r(seed, 100 + y, s.subject_id) AS r
          FROM subjects s JOIN unit_ancestors a ON a.unit_id = s.unit_id AND a.ancestor_id = prov_id
          WHERE s.kind = 'person' AND s.name NOT LIKE '百官街道90后干部%') s;
    END IF;
    -- The article's cadres (Zhejiang only).
    IF province = '33' THEN
    -- 百官街道: of its six young cadres, two are assessed excellent, three named
    -- advanced individuals, and one promoted to the street's party working committee.
    INSERT INTO assessments (subject_id, year, grade, assessing_unit_id, decided_on)
    SELECT s.subject_id, y, CASE WHEN s.name IN ('百官街道90后干部1', '百官街道90后干部2') THEN 'excellent' ELSE 'competent' END,
           s.unit_id, make_date(y + 1, 1, 15)
    FROM subjects s WHERE s.name LIKE '百官街道90后干部%';
    INSERT INTO commendations (subject_id, kind, year, awarding_unit_id, awarded_on, citation)
    SELECT s.subject_id, 'advanced_individual', y, s.unit_id, make_date(y, 12, 20), '工业园区项目启动中取得突出成绩'
    FROM subjects s WHERE s.name IN ('百官街道90后干部3', '百官街道90后干部4', '百官街道90后干部5');
    INSERT INTO promotions (subject_id, kind, from_post, to_post, unit_id, decided_by, effective_on)
    SELECT s.subject_id, 'promotion', '科员', '街道党工委委员', s.unit_id, '上虞区委', make_date(y, 12, 28)
    FROM subjects s WHERE s.name = '百官街道90后干部6';
    -- 仓前街道: 吴湛 mentors 白晓东; sixty training places over twenty sessions.
    INSERT INTO mentorships (mentor_id, mentee_id, unit_id, started_on)
    SELECT m.subject_id, e.subject_id, m.unit_id, jan1 + 30
    FROM subjects m, subjects e WHERE m.name = '吴湛' AND e.name = '白晓东';
    INSERT INTO mentoring_sessions (mentorship_id, held_on, topic, hours)
    SELECT x.mentorship_id, jan1 + 30 * k, (ARRAY['工作统筹','组织协调','群众工作','活动组织'])[1 + k % 4], 2
    FROM (SELECT max(mentorship_id) AS mentorship_id FROM mentorships) x, generate_series(1, 10) k;
    INSERT INTO trainings (subject_id, course, provider, year, attended_on, hours)
    SELECT s.subject_id, '仓前街道年轻干部交流班第' || (1 + (s.k * 4 + t) % 20) || '次', '仓前街道党工委', y,
           jan1 + 15 * (1 + (s.k * 4 + t) % 20), 3
    FROM (SELECT subject_id, (row_number() OVER (ORDER BY subject_id) - 1)::int AS k FROM subjects
          WHERE name LIKE '仓前街道新干部%' OR name = '白晓东') s, generate_series(0, 3) t;
    END IF;
    -- Province-wide: good cadres who take responsibility (担当作为好干部), training,
    -- mentoring pairs, and promotions — among them cadres cleared or tolerated
    -- earlier in the year (used again).
    INSERT INTO commendations (subject_id, kind, year, awarding_unit_id, awarded_on)
    SELECT (SELECT subject_id FROM persons WHERE k = demo.pick(seed, 110 + y, i, n_persons)), 'good_cadre', y,
           prov_id, make_date(y, 12, 1)
    FROM generate_series(0, 99) i;
    IF per_cadre THEN
    INSERT INTO trainings (subject_id, course, provider, year, attended_on, hours)
    SELECT (SELECT subject_id FROM persons WHERE k = demo.pick(seed, 120 + y, i, n_persons)),
           (ARRAY['"8090"培训','领雁争先赛','党校主体班','数字化改革专题'])[1 + i % 4], '组织部', y, jan1 + i % 330,
           4 + 4 * (i % 3)
    FROM generate_series(0, 19999) i;
    END IF;
    INSERT INTO mentorships (mentor_id, mentee_id, unit_id, started_on, ended_on)
    SELECT a.subject_id, b.subject_id, b.unit_id, jan1 + i % 200, make_date(y, 12, 31)
    FROM generate_series(0, 299) i
    JOIN persons pa ON pa.k = demo.pick(seed, 130 + y, i, n_persons)
    JOIN persons pb ON pb.k = demo.pick(seed, 131 + y, i, n_persons)
    JOIN subjects a ON a.subject_id = pa.subject_id
    JOIN subjects b ON b.subject_id = pb.subject_id
    WHERE a.subject_id <> b.subject_id;
    INSERT INTO promotions (subject_id, kind, from_post, to_post, unit_id, decided_by, effective_on)
    SELECT c.subject_id, 'promotion', '科员', '副科长', c.unit_id, '组织部', dec31
    FROM plan p JOIN cases c ON c.case_id = p.case_id
    WHERE ((p.stream = 'clear_person' AND p.i % 40 = 0) OR (p.stream = 'acc' AND p.lenient AND p.i % 8 = 1))
      AND NOT EXISTS (SELECT 1 FROM measures_in_effect(c.subject_id, dec31));
    INSERT INTO promotions (subject_id, kind, from_post, to_post, unit_id, decided_by, effective_on)
    SELECT x.subject_id, (ARRAY['promotion','appointment','rank_advance'])[1 + i % 3], '科员', '科长', s.unit_id, '组织部',
           jan1 + i % 360
    FROM generate_series(0, 1499) i
    JOIN persons x ON x.k = demo.pick(seed, 140 + y, i, n_persons)
    JOIN subjects s ON s.subject_id = x.subject_id
    WHERE NOT EXISTS (SELECT 1 FROM measures_in_effect(x.subject_id, jan1 + i % 360));
    PERFORM demo.stage(label || ': incentives', t0);
    DROP TABLE plan, accusers;
END $$;

GRANT EXECUTE ON ALL PROCEDURES IN SCHEMA demo TO accountability_demo_loader;

-- Run it as the loader: the provinces, then each year of each province.
SELECT CASE WHEN :provinces = 1
            THEN format('demo: loading %s province-year(s) ending %s, %s cadres and organizations, seed %s (about 15 s a year)',
                        :years, :year, :subjects, :seed)
            ELSE format('demo: national mode, %s provinces, %s year(s) each ending %s, %s cadres and organizations a province, seed %s%s',
                        :provinces, :years, :year, :subjects, :seed,
                        CASE WHEN :'per_cadre' THEN '' ELSE ', no per-cadre records' END) END AS notice \gset
\echo :notice
SELECT :provinces BETWEEN 1 AND (SELECT count(*) FROM demo.provinces) AS provinces_ok \gset
\if :provinces_ok
\else
DO $$ BEGIN RAISE EXCEPTION 'demo: provinces is a number of provinces, 1 to 31'; END $$;
\endif
SET ROLE accountability_demo_loader;
SELECT format('CALL demo.build_province(%s, %s, %L)', :seed, :subjects, code) AS stmt
FROM demo.provinces WHERE ord <= :provinces ORDER BY ord
\gexec
-- After each year, fresh statistics (as autovacuum would keep them): the
-- plans of the next year's statements (measures_in_effect for one) were
-- made for empty tables otherwise, and its promotions took 50 s, not 1 s.
SELECT stmt FROM (
    SELECT y, p.ord, format('CALL demo.run_year(%s, %s, %s, %L, %L)', :seed, y, :year - y, p.code, :'per_cadre') AS stmt
    FROM generate_series(:year - :years + 1, :year) y, demo.provinces p WHERE p.ord <= :provinces
    UNION ALL
    SELECT y, 100 + k, (ARRAY['RESET ROLE', 'ANALYZE', 'SET ROLE accountability_demo_loader'])[k]
    FROM generate_series(:year - :years + 1, :year - 1) y, generate_series(1, 3) k) s
ORDER BY y, ord
\gexec
RESET ROLE;
ANALYZE;
