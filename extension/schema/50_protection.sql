/* ------------------------------------------------------------------------
 * 5. Protection: clarification (澄清正名), follow-up visits (跟踪回访),
 *    false accusations (查处诬告陷害), early warnings (预警提醒),
 *    demotions (能上能下) and a cadre's standing.
 * ------------------------------------------------------------------------
 */

-- Clarifications of subjects hit by untrue reports.
CREATE TABLE accountability.clarifications (
    case_id          bigint NOT NULL REFERENCES accountability.cases,
    clarification_no integer NOT NULL,
    methods          text[] NOT NULL
                     CHECK (cardinality(methods) > 0
                            AND methods <@ ARRAY['written', 'face_to_face', 'meeting', 'circular']),
    scope            text NOT NULL,
    approved_by      text NOT NULL,
    subject_consent  boolean,
    done_on          date,
    archived_on      date,
    copied_to_organization_on date,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (case_id, clarification_no),
    CONSTRAINT written_clarification_required
        CHECK ('written' = ANY (methods) OR NOT (methods && ARRAY['face_to_face', 'meeting', 'circular']))
);

COMMENT ON TABLE accountability.clarifications IS 'Clarifications (澄清正名) of a person or party organization hit by an untrue report: only for an unfounded case; a face-to-face, meeting or circular clarification always comes with a written one.';
COMMENT ON COLUMN accountability.clarifications.case_id IS 'The unfounded case.';
COMMENT ON COLUMN accountability.clarifications.clarification_no IS 'Number within the case, assigned by the database.';
COMMENT ON COLUMN accountability.clarifications.methods IS 'Methods given: written 书面, face_to_face 当面, meeting 会议, circular 通报 (public release counts as circular).';
COMMENT ON COLUMN accountability.clarifications.scope IS 'The allegations cleared (澄清范围): only these, never an overall evaluation of the person.';
COMMENT ON COLUMN accountability.clarifications.approved_by IS 'Who approved the clarification (审批人/机关).';
COMMENT ON COLUMN accountability.clarifications.subject_consent IS 'Whether the subject agreed to the form of clarification (尊重本人意愿).';
COMMENT ON COLUMN accountability.clarifications.done_on IS 'Date the clarification was given (澄清日期).';
COMMENT ON COLUMN accountability.clarifications.archived_on IS 'Date it was put into the integrity file (廉政档案).';
COMMENT ON COLUMN accountability.clarifications.copied_to_organization_on IS 'Date it was copied to the organization department (抄送组织部), so it cannot affect selection.';
COMMENT ON COLUMN accountability.clarifications.recorded_at IS 'When recorded.';

-- Follow-up visits: one plan per person (一人一策), one file per case (一件一档).
CREATE TABLE accountability.follow_up_visits (
    case_id           bigint NOT NULL REFERENCES accountability.cases,
    visit_no          integer NOT NULL,
    plan              text NOT NULL,
    visitor           text NOT NULL,
    visited_on        date NOT NULL,
    method            text NOT NULL CHECK (accountability.check_choice(method, 'follow_up_visits.method', '{face_to_face,home,phone,meeting,written}')),
    findings          text,
    concerns_resolved boolean NOT NULL,
    next_due_on       date,
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (case_id, visit_no),
    CONSTRAINT unresolved_visit_needs_next_date CHECK (concerns_resolved OR next_due_on IS NOT NULL)
);
CREATE INDEX follow_up_visits_due_idx ON accountability.follow_up_visits (next_due_on) WHERE next_due_on IS NOT NULL;

COMMENT ON TABLE accountability.follow_up_visits IS 'Follow-up visits (跟踪回访) of clarified, tolerated or sanctioned cadres: the case closes only after a visit whose concerns are resolved (解开思想疙瘩).';
COMMENT ON COLUMN accountability.follow_up_visits.case_id IS 'The case.';
COMMENT ON COLUMN accountability.follow_up_visits.visit_no IS 'Number within the case, assigned by the database.';
COMMENT ON COLUMN accountability.follow_up_visits.plan IS 'The individual plan (一人一策).';
COMMENT ON COLUMN accountability.follow_up_visits.visitor IS 'Who visited (回访人).';
COMMENT ON COLUMN accountability.follow_up_visits.visited_on IS 'Date of the visit.';
COMMENT ON COLUMN accountability.follow_up_visits.method IS 'face_to_face 当面谈心, home 家访, phone 电话, meeting 座谈, written 书面.';
COMMENT ON COLUMN accountability.follow_up_visits.findings IS 'What was found (回访情况).';
COMMENT ON COLUMN accountability.follow_up_visits.concerns_resolved IS 'Whether the person''s concerns are resolved (思想疙瘩是否解开); when not, a next visit is due.';
COMMENT ON COLUMN accountability.follow_up_visits.next_due_on IS 'When the next visit is due; required while concerns remain.';
COMMENT ON COLUMN accountability.follow_up_visits.recorded_at IS 'When recorded.';

CREATE TRIGGER clarifications_20_number BEFORE INSERT ON accountability.clarifications
    FOR EACH ROW EXECUTE FUNCTION accountability.case_child_trigger('clarification_no', 'unfounded');
CREATE TRIGGER clarifications_40_no_delete BEFORE DELETE ON accountability.clarifications
    FOR EACH ROW EXECUTE FUNCTION accountability.append_only_guard();
ALTER TABLE accountability.clarifications ENABLE ALWAYS TRIGGER clarifications_40_no_delete;

CREATE TRIGGER follow_up_visits_20_number BEFORE INSERT ON accountability.follow_up_visits
    FOR EACH ROW EXECUTE FUNCTION accountability.case_child_trigger('visit_no', 'follow_up');
CREATE TRIGGER follow_up_visits_40_no_delete BEFORE DELETE ON accountability.follow_up_visits
    FOR EACH ROW EXECUTE FUNCTION accountability.append_only_guard();
ALTER TABLE accountability.follow_up_visits ENABLE ALWAYS TRIGGER follow_up_visits_40_no_delete;

-- Early warnings (预警提醒) for signs of trouble, before any case.
CREATE TABLE accountability.early_warnings (
    warning_id      bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    subject_id      bigint NOT NULL REFERENCES accountability.subjects,
    sign            text NOT NULL,
    issued_by       text NOT NULL,
    issued_on       date NOT NULL DEFAULT accountability.record_today(),
    acknowledged_on date,
    outcome         text,
    CHECK (acknowledged_on IS NULL OR acknowledged_on >= issued_on)
);
CREATE INDEX early_warnings_subject_idx ON accountability.early_warnings (subject_id);

COMMENT ON TABLE accountability.early_warnings IS 'Early warnings (预警提醒) issued to a subject about a sign of trouble (苗头性、倾向性问题).';
COMMENT ON COLUMN accountability.early_warnings.warning_id IS 'Warning id.';
COMMENT ON COLUMN accountability.early_warnings.subject_id IS 'Who was warned.';
COMMENT ON COLUMN accountability.early_warnings.sign IS 'The sign observed (苗头性倾向性问题).';
COMMENT ON COLUMN accountability.early_warnings.issued_by IS 'Who issued it (提醒人/机关).';
COMMENT ON COLUMN accountability.early_warnings.issued_on IS 'Date issued.';
COMMENT ON COLUMN accountability.early_warnings.acknowledged_on IS 'Date the subject acknowledged it (签收).';
COMMENT ON COLUMN accountability.early_warnings.outcome IS 'What came of it (整改情况).';
COMMENT ON SEQUENCE accountability.early_warnings_warning_id_seq IS 'Identity of early_warnings.warning_id. early_warnings.warning_id 的标识序列。';

-- The demotion catalogue (能上能下): national situations, extensible by administrators.
CREATE TABLE accountability.demotion_situations (
    code     text PRIMARY KEY,
    category text NOT NULL,
    text_zh  text NOT NULL,
    text_en  text NOT NULL,
    source   text NOT NULL,
    standard boolean NOT NULL DEFAULT false
);

COMMENT ON TABLE accountability.demotion_situations IS 'Catalogue of situations in which a leading cadre is found unfit for the post and moved down (不适宜担任现职情形, 能上能下): the national ones of the 2022 rules (standard, maintained by the extension) and local ones an administrator adds, such as a province''s 7 categories and 30 situations.';
COMMENT ON COLUMN accountability.demotion_situations.code IS 'Situation code: N-01 to N-15 for the national situations, any other code for local ones.';
COMMENT ON COLUMN accountability.demotion_situations.category IS 'Category (类别): 德 integrity, 能 ability, 勤 diligence, 绩 performance, 廉 probity, or a local category.';
COMMENT ON COLUMN accountability.demotion_situations.text_zh IS 'The situation in Chinese (summarised).';
COMMENT ON COLUMN accountability.demotion_situations.text_en IS 'The situation in English.';
COMMENT ON COLUMN accountability.demotion_situations.source IS 'Where it comes from (rule and article).';
COMMENT ON COLUMN accountability.demotion_situations.standard IS 'True for the national situations the extension installs; those are not dumped (CREATE EXTENSION restores them) and not edited.';

INSERT INTO accountability.demotion_situations (code, category, text_zh, text_en, source, standard) VALUES
    ('N-01', '德', '政治能力不过硬，贯彻落实党中央决策部署存在明显差距', 'Political ability falls short; clear gaps in carrying out the central decisions', '《推进领导干部能上能下规定》(2022) 第五条第（一）项', true),
    ('N-02', '德', '理想信念动摇，重大原则问题上立场不坚定', 'Wavering convictions; unsteady on major questions of principle', '《推进领导干部能上能下规定》(2022) 第五条第（二）项', true),
    ('N-03', '能', '担当和斗争精神不强，紧要关头临阵退缩、急难险重任务面前消极逃避或处置不力', 'Lacks the will to take responsibility; retreats or handles poorly in urgent, dangerous or difficult tasks', '《推进领导干部能上能下规定》(2022) 第五条第（三）项', true),
    ('N-04', '绩', '政绩观存在偏差，不作为或搞“形象工程”“政绩工程”乱作为', 'A distorted view of performance: inaction, or vanity projects', '《推进领导干部能上能下规定》(2022) 第五条第（四）项', true),
    ('N-05', '德', '违背民主集中制，独断专行或软弱涣散，任人唯亲、拉帮结派，破坏政治生态', 'Violates democratic centralism: autocratic or lax, cronyism and factions that damage the political ecology', '《推进领导干部能上能下规定》(2022) 第五条第（五）项', true),
    ('N-06', '德', '组织观念淡薄，不执行请示报告制度，无正当理由拒不服从组织分配调动交流', 'Weak sense of organization: ignores reporting rules, refuses assignments or transfers without good reason', '《推进领导干部能上能下规定》(2022) 第五条第（六）项', true),
    ('N-07', '勤', '事业心和责任感不强，敷衍塞责，推拖绕躲，贻误事业发展', 'Weak dedication and sense of responsibility: perfunctory, evasive, delaying the work', '《推进领导干部能上能下规定》(2022) 第五条第（七）项', true),
    ('N-08', '能', '领导能力不足，不能有效履职，负责的工作较长时间处于落后状态', 'Insufficient leadership: cannot perform the duties, the work has lagged behind for a long time', '《推进领导干部能上能下规定》(2022) 第五条第（八）项', true),
    ('N-09', '勤', '作风不严不实，搞形式主义、官僚主义，造成不良影响', 'Lax work style, formalism and bureaucratism with bad effects', '《推进领导干部能上能下规定》(2022) 第五条第（九）项 [recalled, not re-verified]', true),
    ('N-10', '廉', '不严格遵守廉洁自律规定，造成不良影响', 'Does not strictly keep the rules of integrity and self-discipline, with bad effects', '《推进领导干部能上能下规定》(2022) 第五条第（十）项 [recalled, not re-verified]', true),
    ('N-11', '德', '品行不端，道德失范，造成不良影响', 'Improper conduct, moral lapses with bad effects', '《推进领导干部能上能下规定》(2022) 第五条第（十一）项 [recalled, not re-verified]', true),
    ('N-12', '廉', '因配偶、子女及其配偶经商办企业等情况，按规定需要组织调整', 'Must be adjusted under the rules because a spouse, child or child''s spouse runs a business', '《推进领导干部能上能下规定》(2022) 第五条第（十二）项', true),
    ('N-13', '廉', '配偶已移居国（境）外，或没有配偶但子女均已移居国（境）外，按规定需要组织调整', 'Must be adjusted under the rules because the spouse, or all children when there is no spouse, emigrated', '《推进领导干部能上能下规定》(2022) 第五条第（十三）项 [recalled, not re-verified]', true),
    ('N-14', '能', '因健康原因无法正常履行工作职责1年以上', 'Unable to perform the duties for health reasons for a year or more', '《推进领导干部能上能下规定》(2022) 第五条第（十四）项', true),
    ('N-15', '其他', '其他不适宜担任现职的情形', 'Other situations of being unfit for the current post', '《推进领导干部能上能下规定》(2022) 第五条第（十五）项 [recalled, not re-verified]', true);

-- Demotions: a cadre moved down, citing a situation.
CREATE TABLE accountability.demotions (
    demotion_id     bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    subject_id      bigint NOT NULL REFERENCES accountability.subjects,
    situation_code  text NOT NULL REFERENCES accountability.demotion_situations,
    method          text NOT NULL CHECK (accountability.check_choice(method, 'demotions.method', '{transfer,reassignment,removal,demotion}')),
    prior_measures  text[] NOT NULL DEFAULT '{}'
                    CHECK (prior_measures <@ ARRAY['reminder', 'inquiry_letter', 'admonishment']),
    case_id         bigint REFERENCES accountability.cases,
    decided_by      text NOT NULL,
    decided_on      date NOT NULL,
    effective_on    date NOT NULL,
    reuse_eligible_on date NOT NULL,
    CHECK (effective_on >= decided_on AND reuse_eligible_on >= effective_on)
);
CREATE INDEX demotions_subject_idx ON accountability.demotions (subject_id);

COMMENT ON TABLE accountability.demotions IS 'Demotions (能下): a cadre found unfit for the post and moved down, with the situation cited and when they may be used again.';
COMMENT ON COLUMN accountability.demotions.demotion_id IS 'Demotion id.';
COMMENT ON COLUMN accountability.demotions.subject_id IS 'The cadre.';
COMMENT ON COLUMN accountability.demotions.situation_code IS 'The situation of demotion_situations cited.';
COMMENT ON COLUMN accountability.demotions.method IS 'transfer 调离岗位, reassignment 改任其他职务, removal 免职, demotion 降职.';
COMMENT ON COLUMN accountability.demotions.prior_measures IS 'Earlier measures: reminder 提醒, inquiry_letter 函询, admonishment 诫勉.';
COMMENT ON COLUMN accountability.demotions.case_id IS 'The case it arose from, if any.';
COMMENT ON COLUMN accountability.demotions.decided_by IS 'Deciding body.';
COMMENT ON COLUMN accountability.demotions.decided_on IS 'Date decided.';
COMMENT ON COLUMN accountability.demotions.effective_on IS 'Date effective.';
COMMENT ON COLUMN accountability.demotions.reuse_eligible_on IS 'From when the cadre may be used (promoted) again (影响期满).';
COMMENT ON SEQUENCE accountability.demotions_demotion_id_seq IS 'Identity of demotions.demotion_id. demotions.demotion_id 的标识序列。';

CREATE FUNCTION accountability.standard_row_guard()
RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF OLD.standard THEN
        RAISE EXCEPTION 'national situation % is maintained by the extension', OLD.code
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Add a local situation with its own code instead.';
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION accountability.standard_row_guard() IS 'BEFORE UPDATE OR DELETE row trigger on demotion_situations: the national situations are not edited (42501). 不适宜担任现职情形的行触发器：国家规定情形不得修改。';
CREATE TRIGGER demotion_situations_standard BEFORE UPDATE OR DELETE ON accountability.demotion_situations
    FOR EACH ROW EXECUTE FUNCTION accountability.standard_row_guard();

-- On a logical replica, CREATE EXTENSION has installed the national
-- situations already: the publisher's copies of them are skipped (ENABLE
-- REPLICA: the trigger fires only in a replication apply or sync worker).
CREATE FUNCTION accountability.standard_row_replicated()
RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    installed boolean;
BEGIN
    IF NEW.standard THEN
        EXECUTE pg_catalog.format('SELECT EXISTS (SELECT 1 FROM %I.%I s WHERE s.code OPERATOR(pg_catalog.=) $1 AND s.standard)',
                                  TG_TABLE_SCHEMA, TG_TABLE_NAME)
            INTO installed USING NEW.code;
        IF installed THEN
            RETURN NULL;
        END IF;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION accountability.standard_row_replicated() IS 'BEFORE INSERT row trigger on the seeded catalogues demotion_situations and commendation_kinds (ENABLE REPLICA, so only in a logical-replication worker): a standard row the subscriber''s own CREATE EXTENSION installed is not inserted again. 预置目录的行触发器（仅逻辑复制时启用）：订阅端已有的标准行不再插入。';
CREATE TRIGGER demotion_situations_replicated BEFORE INSERT ON accountability.demotion_situations
    FOR EACH ROW EXECUTE FUNCTION accountability.standard_row_replicated();
ALTER TABLE accountability.demotion_situations ENABLE REPLICA TRIGGER demotion_situations_replicated;

/*
 * Early-warning candidates: who may need a reminder.  Repeated reports are
 * counted from the cases the role sees, on purpose: whether a city or the
 * province has opened a report about a county cadre is the higher body's
 * to know, so a county counts the reports it holds (attack round 6, F12).
 */

-- @region early_warning_candidates
CREATE VIEW accountability.early_warning_candidates WITH (security_invoker = true) AS
SELECT x.subject_id, x.reason, x.case_id,
       CASE WHEN current_setting('accountability.language', true) OPERATOR(pg_catalog.=) 'zh' THEN x.detail_zh ELSE x.detail_en END AS detail,
       x.reason AS reason_en,
       CASE x.reason WHEN 'repeated_reports' THEN '多次被举报' WHEN 'overdue_follow_up' THEN '回访逾期'
                     WHEN 'overdue_case' THEN '核查逾期' END AS reason_zh,
       x.detail_en, x.detail_zh
FROM (
    SELECT c.subject_id, 'repeated_reports'::text AS reason, NULL::bigint AS case_id,
           format('%s reports in %s days', count(*), max(w.value)) AS detail_en,
           format('%s天内被举报%s次', max(w.value), count(*)) AS detail_zh
    FROM accountability.cases c
    CROSS JOIN (SELECT value FROM accountability.settings WHERE name OPERATOR(pg_catalog.=) 'report_window') w
    WHERE c.kind OPERATOR(pg_catalog.=) 'report'
      AND c.opened_on OPERATOR(pg_catalog.>) (accountability.record_today() OPERATOR(pg_catalog.-) w.value)
    GROUP BY c.subject_id
    HAVING count(*) OPERATOR(pg_catalog.>=) (SELECT value FROM accountability.settings WHERE name OPERATOR(pg_catalog.=) 'report_threshold')
    UNION ALL
    SELECT c.subject_id, 'overdue_follow_up', c.case_id,
           format('next visit was due on %s', coalesce(v.next_due_on::text, 'the first visit')),
           CASE WHEN v.next_due_on IS NULL THEN '首次回访已逾期' ELSE format('下次回访应于%s进行', v.next_due_on) END
    FROM accountability.cases c
    LEFT JOIN LATERAL (SELECT x.next_due_on, x.concerns_resolved FROM accountability.follow_up_visits x
                       WHERE x.case_id OPERATOR(pg_catalog.=) c.case_id ORDER BY x.visit_no DESC LIMIT 1) v ON true
    WHERE c.status OPERATOR(accountability.=) 'follow_up'::accountability.case_status
      AND ((v.next_due_on IS NOT NULL AND v.next_due_on OPERATOR(pg_catalog.<) accountability.record_today())
           OR (v.concerns_resolved IS NULL
               AND (SELECT accountability.record_date(max(e.occurred_at)) FROM accountability.case_events e
                    WHERE e.case_id OPERATOR(pg_catalog.=) c.case_id)
                   OPERATOR(pg_catalog.<) (accountability.record_today() OPERATOR(pg_catalog.-)
                   (SELECT value FROM accountability.settings WHERE name OPERATOR(pg_catalog.=) 'first_follow_up'))))
    UNION ALL
    SELECT c.subject_id, 'overdue_case', c.case_id,
           format('%s since %s', accountability.label(c.status, 'en'), c.opened_on),
           format('自%s起处于%s状态', c.opened_on, accountability.label(c.status, 'zh'))
    FROM accountability.cases c
    WHERE c.status OPERATOR(accountability.<=) 'investigating'::accountability.case_status
      AND c.opened_on OPERATOR(pg_catalog.<) (accountability.record_today() OPERATOR(pg_catalog.-)
          (SELECT value FROM accountability.settings WHERE name OPERATOR(pg_catalog.=) 'investigation'))
) x;

COMMENT ON VIEW accountability.early_warning_candidates IS 'Subjects who may need an early warning (预警提醒对象): several reports within report_window (repeated_reports, counting the reports held by the units of the role''s scope: a report a higher body holds about a cadre is never revealed to the cadre''s own unit, not even as a count), an overdue follow-up visit (overdue_follow_up), a case still unverified past the investigation deadline (overdue_case). Filter on reason_en. 可能需要预警提醒的对象：按 reason_en 筛选。';
COMMENT ON COLUMN accountability.early_warning_candidates.subject_id IS 'Subject id (对象编号).';
COMMENT ON COLUMN accountability.early_warning_candidates.reason IS 'Reason code (原因代码): repeated_reports 多次被举报, overdue_follow_up 回访逾期, overdue_case 核查逾期; the same as reason_en.';
COMMENT ON COLUMN accountability.early_warning_candidates.case_id IS 'The case concerned (相关案件), if any.';
COMMENT ON COLUMN accountability.early_warning_candidates.detail IS 'What was found (具体情况), following accountability.language: detail_en, or detail_zh under zh.';
COMMENT ON COLUMN accountability.early_warning_candidates.reason_en IS 'Reason, English code (原因英文代码): filter and group on this.';
COMMENT ON COLUMN accountability.early_warning_candidates.reason_zh IS 'Reason, Chinese label (原因中文).';
COMMENT ON COLUMN accountability.early_warning_candidates.detail_en IS 'What was found, in English (具体情况英文).';
COMMENT ON COLUMN accountability.early_warning_candidates.detail_zh IS 'What was found, in Chinese (具体情况中文).';

-- @end early_warning_candidates
/* The whole file of one case (一件一档). */

-- @region case_dossier
CREATE FUNCTION accountability.case_dossier(case_id bigint)
RETURNS jsonb
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    -- PL/pgSQL keeps this plan for the session; as a SQL function with a SET
    -- clause it was planned again on every call.
    RETURN (
        SELECT jsonb_build_object(
            'case', to_jsonb(c) OPERATOR(pg_catalog.-) 'last_event_hash'::text,
            'status_zh', accountability.label(c.status, 'zh'),
            'subject', (SELECT to_jsonb(s) FROM accountability.subjects s WHERE s.subject_id OPERATOR(pg_catalog.=) c.subject_id),
            'unit', (SELECT to_jsonb(u) FROM accountability.units u WHERE u.unit_id OPERATOR(pg_catalog.=) c.unit_id),
            'unit_path', (WITH RECURSIVE up AS (
                              SELECT u.unit_id, u.parent_id, u.name, 0 AS depth FROM accountability.units u
                              WHERE u.unit_id OPERATOR(pg_catalog.=) c.unit_id
                              UNION ALL
                              SELECT p.unit_id, p.parent_id, p.name, up.depth OPERATOR(pg_catalog.+) 1
                              FROM accountability.units p JOIN up ON p.unit_id OPERATOR(pg_catalog.=) up.parent_id)
                          SELECT jsonb_agg(up.name ORDER BY up.depth DESC) FROM up),
            'events', coalesce((SELECT jsonb_agg(to_jsonb(e) OPERATOR(pg_catalog.||) jsonb_build_object('hash', encode(e.hash, 'hex')) ORDER BY e.event_no)
                                FROM accountability.case_events e WHERE e.case_id OPERATOR(pg_catalog.=) c.case_id), '[]'),
            -- what the recorded facts would give, labelled as such: never a verdict
            'assessment', CASE WHEN c.kind OPERATOR(pg_catalog.=) 'report' THEN jsonb_build_object(
                              'applies', false,
                              'meaning', 'A report (检举控告) is verified, not assessed for tolerance: see clearance. 检举控告案件经核查认定，不作容错评估。')
                          ELSE (SELECT jsonb_build_object(
                              'applies', true,
                              'meaning', 'What the facts recorded on the case would give under the tolerance rules (rules version 1), as of now: not a determination; the determinations record what was decided. 按案件已记录事实的容错评估，不是认定结论。',
                              'outcome', a.outcome::text,
                              'outcome_zh', accountability.label(a.outcome, 'zh'),
                              'reasons', to_jsonb(a.reasons),
                              'facts_not_recorded', coalesce((SELECT jsonb_agg(lower(substr(x.r, 9)) ORDER BY x.r)
                                                              FROM unnest(a.reasons) x (r) WHERE x.r LIKE 'MISSING_%'), '[]'))
                                FROM accountability.assess_case(c.case_id) a) END,
            -- a report found untrue: whether and how the subject was cleared
            'clearance', CASE WHEN c.kind OPERATOR(pg_catalog.=) 'report' THEN jsonb_build_object(
                              'found_untrue', EXISTS (SELECT 1 FROM accountability.case_events e
                                                      WHERE e.case_id OPERATOR(pg_catalog.=) c.case_id
                                                        AND e.to_status OPERATOR(accountability.=) 'unfounded'::accountability.case_status),
                              'report_finding', c.report_finding,
                              'clarification_grounds', to_jsonb(c.clarification_grounds),
                              'clarified', EXISTS (SELECT 1 FROM accountability.clarifications k
                                                   WHERE k.case_id OPERATOR(pg_catalog.=) c.case_id AND k.done_on IS NOT NULL),
                              'clarified_on', (SELECT max(k.done_on) FROM accountability.clarifications k
                                               WHERE k.case_id OPERATOR(pg_catalog.=) c.case_id),
                              'not_held_against_subject', accountability.case_is_protected(c.case_id),
                              'meaning', 'A report found untrue (失实) never counts against the subject; clarified means publicly cleared (澄清正名).') END,
            'determinations', coalesce((SELECT jsonb_agg(to_jsonb(d) ORDER BY d.determination_no)
                                        FROM accountability.determinations d WHERE d.case_id OPERATOR(pg_catalog.=) c.case_id), '[]'),
            'correction_plans', coalesce((SELECT jsonb_agg(to_jsonb(p) ORDER BY p.plan_no)
                                          FROM accountability.correction_plans p WHERE p.case_id OPERATOR(pg_catalog.=) c.case_id), '[]'),
            'clarifications', coalesce((SELECT jsonb_agg(to_jsonb(k) ORDER BY k.clarification_no)
                                        FROM accountability.clarifications k WHERE k.case_id OPERATOR(pg_catalog.=) c.case_id), '[]'),
            'follow_up_visits', coalesce((SELECT jsonb_agg(to_jsonb(v) ORDER BY v.visit_no)
                                          FROM accountability.follow_up_visits v WHERE v.case_id OPERATOR(pg_catalog.=) c.case_id), '[]'),
            'related_cases', coalesce((SELECT jsonb_agg(jsonb_build_object('case_id', r.case_id, 'kind', r.kind, 'status', r.status::text,
                                                                           'subject_id', r.subject_id) ORDER BY r.case_id)
                                       FROM accountability.cases r
                                       WHERE r.case_id OPERATOR(pg_catalog.=) c.related_case_id
                                          OR r.related_case_id OPERATOR(pg_catalog.=) c.case_id), '[]'),
            'history_problems', coalesce((SELECT jsonb_agg(to_jsonb(h)) FROM accountability.verify_history(c.case_id) h), '[]'))
        FROM accountability.cases c
        WHERE c.case_id OPERATOR(pg_catalog.=) $1);
END
$$;

COMMENT ON FUNCTION accountability.case_dossier(bigint) IS 'The whole file of one case (一件一档) as JSON: the case, its subject, unit and unit path, every event, the assessment (what the recorded facts would give under the tolerance rules, labelled as such: not a verdict; none for a report), the clearance of a report (found untrue, clarified, when), determinations, correction plans, clarifications, follow-up visits, related cases, and any history problem. Null when the case does not exist.';

-- @end case_dossier
SELECT pg_catalog.pg_extension_config_dump('accountability.clarifications', '');
SELECT pg_catalog.pg_extension_config_dump('accountability.follow_up_visits', '');
SELECT pg_catalog.pg_extension_config_dump('accountability.early_warnings', '');
SELECT pg_catalog.pg_extension_config_dump('accountability.demotion_situations', 'WHERE NOT standard');
SELECT pg_catalog.pg_extension_config_dump('accountability.demotions', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('accountability.early_warnings', 'warning_id')::regclass, '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('accountability.demotions', 'demotion_id')::regclass, '');

/*
 * Privileges.  Readers see the protection records within their units;
 * clerks record clarifications, visits and early warnings; reviewers
 * record demotions and read whole dossiers (which name the accuser of a
 * false-accusation case and the subject's identity type); administrators
 * keep the demotion catalogue.
 */
REVOKE ALL ON FUNCTION
    accountability.standard_row_guard(),
    accountability.standard_row_replicated(),
    accountability.case_dossier(bigint)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION accountability.case_dossier(bigint) TO accountability_reviewer;

GRANT SELECT ON accountability.demotion_situations TO accountability_reader;
GRANT INSERT, UPDATE, DELETE ON accountability.demotion_situations TO accountability_admin;
GRANT SELECT ON accountability.clarifications, accountability.follow_up_visits,
    accountability.early_warnings, accountability.demotions,
    accountability.early_warning_candidates TO accountability_reader;
GRANT INSERT, UPDATE ON accountability.clarifications, accountability.follow_up_visits,
    accountability.early_warnings TO accountability_clerk;
GRANT INSERT, UPDATE ON accountability.demotions TO accountability_reviewer;
