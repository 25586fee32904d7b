-- tests/reference/assess_reference.sql: the tolerance decision procedure,
-- rules version 1, written a second time in PL/pgSQL, straight from
-- DESIGN.md "The decision procedure" and the codes documented for
-- accountability.assess_tolerance.
--
-- Never shipped in the extension.  The differential test
-- (tests/assess_differential.sql) checks that the C function and this one
-- agree on the outcome and the reasons; the benchmark
-- (tests/bench/20_assess.sql) measures the C function against it.
-- It deliberately shares nothing with the C code: the keys, the code
-- names and the order of the rules are transcribed here independently.
--
-- Creates schema "reference" with reference.assess_tolerance(jsonb).
-- Needs the extension (for the result type).

CREATE SCHEMA reference;

CREATE FUNCTION reference.assess_tolerance(facts jsonb)
RETURNS accountability.tolerance_assessment
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
    booleans constant text[] := ARRAY['situation_listed', 'excluded', 'red_line_breach',
        'knowing_violation', 'violated_explicit_ban', 'private_gain', 'fraud_or_obstruction',
        'repeated_error', 'procedure_proper', 'diligent', 'corrected_promptly', 'cooperated'];
    -- the gates in the order their failures are listed: fact, code when true
    gates constant text[] := ARRAY[
        ['red_line_breach', 'GATE_RED_LINE'],
        ['knowing_violation', 'GATE_KNOWING_VIOLATION'],
        ['violated_explicit_ban', 'GATE_EXPLICIT_BAN'],
        ['private_gain', 'GATE_PRIVATE_GAIN'],
        ['fraud_or_obstruction', 'GATE_FRAUD_OR_OBSTRUCTION'],
        ['repeated_error', 'GATE_REPEATED_ERROR']];
    conditions constant text[] := ARRAY[
        ['procedure_proper', 'CONDITION_PROCEDURE_NOT_PROPER'],
        ['diligent', 'CONDITION_NOT_DILIGENT'],
        ['corrected_promptly', 'CONDITION_NOT_CORRECTED_PROMPTLY']];
    national constant text[] := ARRAY['reform_pilot', 'exploratory_trial',
        'development_inadvertent', 'collective_dissent', 'force_majeure'];
    k text;
    v jsonb;
    t text;
    i int;
    situation text;
    consequence text;
    loss text;
    cooperated boolean;
    met boolean := true;
    reasons text[] := '{}';
BEGIN
    -- Validation: an object, known keys, the right JSON types, listed values.
    -- A JSON null is the same as an absent key.
    IF jsonb_typeof(facts) <> 'object' THEN
        RAISE EXCEPTION 'facts must be a JSON object, not %', jsonb_typeof(facts)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR k, v IN SELECT e.key, e.value FROM jsonb_each(facts) e LOOP
        t := jsonb_typeof(v);
        IF t = 'null' THEN
            CONTINUE;
        ELSIF k = ANY (booleans) THEN
            IF t <> 'boolean' THEN
                RAISE EXCEPTION '% must be a boolean', k USING ERRCODE = 'invalid_parameter_value';
            END IF;
        ELSIF k IN ('situation', 'consequence', 'loss_recovered') THEN
            IF t <> 'string' THEN
                RAISE EXCEPTION '% must be a string', k USING ERRCODE = 'invalid_parameter_value';
            END IF;
            IF k = 'consequence' AND NOT (v #>> '{}') IN ('none', 'minor', 'serious', 'grave')
               OR k = 'loss_recovered' AND NOT (v #>> '{}') IN ('none', 'partial', 'full') THEN
                RAISE EXCEPTION 'invalid % %', k, v USING ERRCODE = 'invalid_parameter_value';
            END IF;
        ELSE
            RAISE EXCEPTION 'unknown fact %', k USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END LOOP;

    situation := facts ->> 'situation';
    consequence := facts ->> 'consequence';
    loss := coalesce(facts ->> 'loss_recovered', 'none');
    cooperated := coalesce((facts ->> 'cooperated')::boolean, false);

    -- 1. Gates: all of them, every failure listed; absent fails with MISSING_<KEY>.
    FOR i IN 1 .. array_length(gates, 1) LOOP
        IF facts ->> gates[i][1] IS NULL THEN
            reasons := reasons || ('MISSING_' || upper(gates[i][1]));
        ELSIF (facts ->> gates[i][1])::boolean THEN
            reasons := reasons || gates[i][2];
        END IF;
    END LOOP;
    IF consequence IS NULL THEN
        reasons := reasons || 'MISSING_CONSEQUENCE'::text;
    ELSIF consequence IN ('serious', 'grave') THEN
        reasons := reasons || 'GATE_SERIOUS_CONSEQUENCE'::text;
    END IF;
    IF coalesce((facts ->> 'excluded')::boolean, false) THEN
        reasons := reasons || 'GATE_EXCLUDED'::text;
    END IF;
    IF cardinality(reasons) > 0 THEN
        RETURN ROW('not_tolerable', reasons)::accountability.tolerance_assessment;
    END IF;

    -- 2. Situation: a national code, or (any other text) a listed item.
    IF situation = ANY (national) THEN
        reasons := reasons || ('SITUATION_' || upper(situation));
    ELSIF situation IS NOT NULL AND coalesce((facts ->> 'situation_listed')::boolean, false) THEN
        reasons := reasons || 'SITUATION_LISTED'::text;
    ELSE
        RETURN ROW('not_tolerable', ARRAY['NO_SITUATION'])::accountability.tolerance_assessment;
    END IF;

    -- 3. Conditions: all true; absent is not met.
    FOR i IN 1 .. array_length(conditions, 1) LOOP
        IF facts ->> conditions[i][1] IS NULL THEN
            reasons := reasons || ('MISSING_' || upper(conditions[i][1]));
            met := false;
        ELSIF NOT (facts ->> conditions[i][1])::boolean THEN
            reasons := reasons || conditions[i][2];
            met := false;
        END IF;
    END LOOP;
    IF met THEN
        IF consequence = 'none' THEN
            RETURN ROW('not_accountable', reasons || ARRAY['CONDITIONS_MET', 'CONSEQUENCE_NONE'])
                ::accountability.tolerance_assessment;
        END IF;
        RETURN ROW('exempted', reasons || ARRAY['CONDITIONS_MET', 'CONSEQUENCE_MINOR'])
            ::accountability.tolerance_assessment;
    END IF;

    -- 4. Mitigation.
    IF loss = 'full' AND cooperated THEN
        RETURN ROW('reduced', reasons || 'MITIGATION_FULL_RECOVERY_AND_COOPERATION'::text)
            ::accountability.tolerance_assessment;
    END IF;
    IF loss = 'full' THEN
        reasons := reasons || 'MITIGATION_FULL_RECOVERY'::text;
    ELSIF loss = 'partial' THEN
        reasons := reasons || 'MITIGATION_PARTIAL_RECOVERY'::text;
    END IF;
    IF cooperated THEN
        reasons := reasons || 'MITIGATION_COOPERATION'::text;
    END IF;
    IF loss IN ('full', 'partial') OR cooperated THEN
        RETURN ROW('lighter', reasons)::accountability.tolerance_assessment;
    END IF;
    RETURN ROW('not_tolerable', reasons || 'NO_MITIGATION'::text)::accountability.tolerance_assessment;
END
$$;

COMMENT ON FUNCTION reference.assess_tolerance(jsonb) IS
'Test-only PL/pgSQL reference of accountability.assess_tolerance (rules version 1).';
