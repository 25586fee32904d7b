-- Helpers shared by the benchmark files: a timer and the results table.
CREATE EXTENSION IF NOT EXISTS pg_accountability;
CREATE SCHEMA bench;

CREATE TABLE bench.results (
    id           serial PRIMARY KEY,
    section      text NOT NULL,
    figure       text NOT NULL,
    baseline     text,
    baseline_ms  float8,
    candidate    text,
    candidate_ms float8,
    ratio        float8,      -- candidate / baseline (a time, or a size)
    target       text,        -- e.g. '<= 1.05'
    met          boolean
);

-- Wall-clock milliseconds to run one statement (EXECUTE, so it can be DDL or COPY).
CREATE FUNCTION bench.time_ms(statement text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
    EXECUTE statement;
    RETURN 1000 * extract(epoch FROM clock_timestamp() - t0);
END $$;

-- The best of n runs of a statement, to damp noise from the other core.
CREATE FUNCTION bench.best_ms(statement text, n int DEFAULT 3) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE best float8; t float8;
BEGIN
    FOR i IN 1..n LOOP
        t := bench.time_ms(statement);
        best := least(coalesce(best, t), t);
    END LOOP;
    RETURN best;
END $$;

-- Record a figure: the ratio candidate/baseline and whether it meets the target,
-- written as an operator and a number ('<= 1.05', '>= 10').
CREATE FUNCTION bench.record(section text, figure text, baseline text, baseline_ms float8,
                             candidate text, candidate_ms float8, target text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    r float8 := candidate_ms / nullif(baseline_ms, 0);
    op text := split_part(target, ' ', 1);
    bound float8 := split_part(target, ' ', 2)::float8;
BEGIN
    INSERT INTO bench.results (section, figure, baseline, baseline_ms, candidate, candidate_ms, ratio, target, met)
    VALUES (section, figure, baseline, baseline_ms, candidate, candidate_ms, r, target,
            CASE op WHEN '<=' THEN r <= bound WHEN '>=' THEN r >= bound
                    WHEN '<' THEN r < bound WHEN '>' THEN r > bound END);
END $$;

-- Fail loudly when a benchmark's data or result is not what it measures
-- (a wrong answer would make its figure meaningless).
CREATE FUNCTION bench.check(ok boolean, problem text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF ok IS NOT TRUE THEN
        RAISE EXCEPTION 'bench: %', problem;
    END IF;
END $$;
