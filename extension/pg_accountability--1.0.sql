/*
 * pg_accountability 1.0: cadre error tolerance (容错纠错), clarification
 * (澄清正名) and the accountability workflow, inside PostgreSQL.
 *
 * Order of this script:
 *   1. the two one-byte types, case_status and tolerance_outcome:
 *      shell types, I/O functions, the types, comparison functions,
 *      operators, operator classes, aggregates, casts, labels;
 *   2. the state machine (can_transition, next_statuses);
 *   3. the decision procedure (assess_tolerance, facts_are_valid,
 *      tolerance_rules);
 *   4. cases and the workflow: tables, the facts a case is assessed on,
 *      the C triggers, the history check, pg_dump registration.
 *
 * Every object carries a COMMENT; every function states its volatility,
 * strictness and parallel safety.  Functions whose output depends on the
 * accountability.language setting are STABLE, like date_out and DateStyle.
 */

\echo Use "CREATE EXTENSION pg_accountability" to load this file. \quit

/* ------------------------------------------------------------------------
 * 1. The two types
 * ------------------------------------------------------------------------
 */

CREATE TYPE accountability.case_status;
CREATE TYPE accountability.tolerance_outcome;

-- Text input accepts the English code (any case, blanks ignored) or the
-- Chinese label; output follows accountability.language.  Binary format 1
-- is two bytes: the format version, then the code.

CREATE FUNCTION accountability.case_status_in(cstring)
RETURNS accountability.case_status
AS 'MODULE_PATHNAME', 'case_status_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION accountability.case_status_out(accountability.case_status)
RETURNS cstring
AS 'MODULE_PATHNAME', 'case_status_out'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION accountability.case_status_recv(internal)
RETURNS accountability.case_status
AS 'MODULE_PATHNAME', 'case_status_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION accountability.case_status_send(accountability.case_status)
RETURNS bytea
AS 'MODULE_PATHNAME', 'case_status_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE accountability.case_status (
    INPUT = accountability.case_status_in,
    OUTPUT = accountability.case_status_out,
    RECEIVE = accountability.case_status_recv,
    SEND = accountability.case_status_send,
    INTERNALLENGTH = 1,
    PASSEDBYVALUE,
    ALIGNMENT = char,
    STORAGE = plain
);

CREATE FUNCTION accountability.tolerance_outcome_in(cstring)
RETURNS accountability.tolerance_outcome
AS 'MODULE_PATHNAME', 'tolerance_outcome_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION accountability.tolerance_outcome_out(accountability.tolerance_outcome)
RETURNS cstring
AS 'MODULE_PATHNAME', 'tolerance_outcome_out'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION accountability.tolerance_outcome_recv(internal)
RETURNS accountability.tolerance_outcome
AS 'MODULE_PATHNAME', 'tolerance_outcome_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION accountability.tolerance_outcome_send(accountability.tolerance_outcome)
RETURNS bytea
AS 'MODULE_PATHNAME', 'tolerance_outcome_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE accountability.tolerance_outcome (
    INPUT = accountability.tolerance_outcome_in,
    OUTPUT = accountability.tolerance_outcome_out,
    RECEIVE = accountability.tolerance_outcome_recv,
    SEND = accountability.tolerance_outcome_send,
    INTERNALLENGTH = 1,
    PASSEDBYVALUE,
    ALIGNMENT = char,
    STORAGE = plain
);

COMMENT ON TYPE accountability.case_status IS
'Status of a case (案件状态), ordered by the lifecycle: received 受理 < investigating 核查 < unfounded 失实 < liable 责任认定 < tolerance_review 容错审查 < determined 认定 < notified 告知 < appealed 申诉 < correcting 纠错 < filed 备案 < follow_up 回访 < closed 办结. One byte.';
COMMENT ON TYPE accountability.tolerance_outcome IS
'Outcome of a tolerance determination (容错认定结果), ordered by leniency: not_tolerable 不予容错 < lighter 从轻问责 < reduced 减轻问责 < exempted 免予问责 < not_accountable 不予问责. One byte.';

COMMENT ON FUNCTION accountability.case_status_in(cstring) IS
'Text input of case_status: the English code (any letter case, blanks ignored) or the Chinese label.';
COMMENT ON FUNCTION accountability.case_status_out(accountability.case_status) IS
'Text output of case_status: the English code, or the Chinese label when accountability.language = zh.';
COMMENT ON FUNCTION accountability.case_status_recv(internal) IS
'Binary input of case_status, format 1 (format byte 1, then the code 1-12); validated like text input.';
COMMENT ON FUNCTION accountability.case_status_send(accountability.case_status) IS
'Binary output of case_status, format 1 (format byte 1, then the code 1-12).';
COMMENT ON FUNCTION accountability.tolerance_outcome_in(cstring) IS
'Text input of tolerance_outcome: the English code (any letter case, blanks ignored) or the Chinese label.';
COMMENT ON FUNCTION accountability.tolerance_outcome_out(accountability.tolerance_outcome) IS
'Text output of tolerance_outcome: the English code, or the Chinese label when accountability.language = zh.';
COMMENT ON FUNCTION accountability.tolerance_outcome_recv(internal) IS
'Binary input of tolerance_outcome, format 1 (format byte 1, then the code 1-5); validated like text input.';
COMMENT ON FUNCTION accountability.tolerance_outcome_send(accountability.tolerance_outcome) IS
'Binary output of tolerance_outcome, format 1 (format byte 1, then the code 1-5).';

/*
 * Comparison functions.  Both types share the C functions of compare.c;
 * they raise no error, so they are LEAKPROOF and an index on either type
 * stays usable under row-level security.
 */

CREATE FUNCTION accountability.case_status_eq(accountability.case_status, accountability.case_status)
RETURNS boolean AS 'MODULE_PATHNAME', 'code_eq'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION accountability.case_status_ne(accountability.case_status, accountability.case_status)
RETURNS boolean AS 'MODULE_PATHNAME', 'code_ne'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION accountability.case_status_lt(accountability.case_status, accountability.case_status)
RETURNS boolean AS 'MODULE_PATHNAME', 'code_lt'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION accountability.case_status_le(accountability.case_status, accountability.case_status)
RETURNS boolean AS 'MODULE_PATHNAME', 'code_le'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION accountability.case_status_gt(accountability.case_status, accountability.case_status)
RETURNS boolean AS 'MODULE_PATHNAME', 'code_gt'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION accountability.case_status_ge(accountability.case_status, accountability.case_status)
RETURNS boolean AS 'MODULE_PATHNAME', 'code_ge'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION accountability.case_status_cmp(accountability.case_status, accountability.case_status)
RETURNS integer AS 'MODULE_PATHNAME', 'code_cmp'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION accountability.case_status_sortsupport(internal)
RETURNS void AS 'MODULE_PATHNAME', 'code_sortsupport'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.case_status_hash(accountability.case_status)
RETURNS integer AS 'MODULE_PATHNAME', 'code_hash'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION accountability.case_status_hash_extended(accountability.case_status, bigint)
RETURNS bigint AS 'MODULE_PATHNAME', 'code_hash_extended'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION accountability.case_status_larger(accountability.case_status, accountability.case_status)
RETURNS accountability.case_status AS 'MODULE_PATHNAME', 'code_larger'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.case_status_smaller(accountability.case_status, accountability.case_status)
RETURNS accountability.case_status AS 'MODULE_PATHNAME', 'code_smaller'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION accountability.tolerance_outcome_eq(accountability.tolerance_outcome, accountability.tolerance_outcome)
RETURNS boolean AS 'MODULE_PATHNAME', 'code_eq'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION accountability.tolerance_outcome_ne(accountability.tolerance_outcome, accountability.tolerance_outcome)
RETURNS boolean AS 'MODULE_PATHNAME', 'code_ne'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION accountability.tolerance_outcome_lt(accountability.tolerance_outcome, accountability.tolerance_outcome)
RETURNS boolean AS 'MODULE_PATHNAME', 'code_lt'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION accountability.tolerance_outcome_le(accountability.tolerance_outcome, accountability.tolerance_outcome)
RETURNS boolean AS 'MODULE_PATHNAME', 'code_le'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION accountability.tolerance_outcome_gt(accountability.tolerance_outcome, accountability.tolerance_outcome)
RETURNS boolean AS 'MODULE_PATHNAME', 'code_gt'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION accountability.tolerance_outcome_ge(accountability.tolerance_outcome, accountability.tolerance_outcome)
RETURNS boolean AS 'MODULE_PATHNAME', 'code_ge'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION accountability.tolerance_outcome_cmp(accountability.tolerance_outcome, accountability.tolerance_outcome)
RETURNS integer AS 'MODULE_PATHNAME', 'code_cmp'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION accountability.tolerance_outcome_sortsupport(internal)
RETURNS void AS 'MODULE_PATHNAME', 'code_sortsupport'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.tolerance_outcome_hash(accountability.tolerance_outcome)
RETURNS integer AS 'MODULE_PATHNAME', 'code_hash'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION accountability.tolerance_outcome_hash_extended(accountability.tolerance_outcome, bigint)
RETURNS bigint AS 'MODULE_PATHNAME', 'code_hash_extended'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION accountability.tolerance_outcome_larger(accountability.tolerance_outcome, accountability.tolerance_outcome)
RETURNS accountability.tolerance_outcome AS 'MODULE_PATHNAME', 'code_larger'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.tolerance_outcome_smaller(accountability.tolerance_outcome, accountability.tolerance_outcome)
RETURNS accountability.tolerance_outcome AS 'MODULE_PATHNAME', 'code_smaller'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION accountability.case_status_eq(accountability.case_status, accountability.case_status) IS 'Implements = for case_status.';
COMMENT ON FUNCTION accountability.case_status_ne(accountability.case_status, accountability.case_status) IS 'Implements <> for case_status.';
COMMENT ON FUNCTION accountability.case_status_lt(accountability.case_status, accountability.case_status) IS 'Implements < for case_status (earlier in the lifecycle).';
COMMENT ON FUNCTION accountability.case_status_le(accountability.case_status, accountability.case_status) IS 'Implements <= for case_status.';
COMMENT ON FUNCTION accountability.case_status_gt(accountability.case_status, accountability.case_status) IS 'Implements > for case_status (later in the lifecycle).';
COMMENT ON FUNCTION accountability.case_status_ge(accountability.case_status, accountability.case_status) IS 'Implements >= for case_status.';
COMMENT ON FUNCTION accountability.case_status_cmp(accountability.case_status, accountability.case_status) IS 'Three-way comparison of case_status (btree support 1).';
COMMENT ON FUNCTION accountability.case_status_sortsupport(internal) IS 'Sort support for case_status (btree support 2).';
COMMENT ON FUNCTION accountability.case_status_hash(accountability.case_status) IS 'Hash of case_status (hash support 1); stable across releases.';
COMMENT ON FUNCTION accountability.case_status_hash_extended(accountability.case_status, bigint) IS 'Seeded hash of case_status (hash support 2), used by hash partitioning; stable across releases.';
COMMENT ON FUNCTION accountability.case_status_larger(accountability.case_status, accountability.case_status) IS 'The later of two statuses (transition function of max).';
COMMENT ON FUNCTION accountability.case_status_smaller(accountability.case_status, accountability.case_status) IS 'The earlier of two statuses (transition function of min).';
COMMENT ON FUNCTION accountability.tolerance_outcome_eq(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'Implements = for tolerance_outcome.';
COMMENT ON FUNCTION accountability.tolerance_outcome_ne(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'Implements <> for tolerance_outcome.';
COMMENT ON FUNCTION accountability.tolerance_outcome_lt(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'Implements < for tolerance_outcome (less lenient).';
COMMENT ON FUNCTION accountability.tolerance_outcome_le(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'Implements <= for tolerance_outcome.';
COMMENT ON FUNCTION accountability.tolerance_outcome_gt(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'Implements > for tolerance_outcome (more lenient).';
COMMENT ON FUNCTION accountability.tolerance_outcome_ge(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'Implements >= for tolerance_outcome.';
COMMENT ON FUNCTION accountability.tolerance_outcome_cmp(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'Three-way comparison of tolerance_outcome (btree support 1).';
COMMENT ON FUNCTION accountability.tolerance_outcome_sortsupport(internal) IS 'Sort support for tolerance_outcome (btree support 2).';
COMMENT ON FUNCTION accountability.tolerance_outcome_hash(accountability.tolerance_outcome) IS 'Hash of tolerance_outcome (hash support 1); stable across releases.';
COMMENT ON FUNCTION accountability.tolerance_outcome_hash_extended(accountability.tolerance_outcome, bigint) IS 'Seeded hash of tolerance_outcome (hash support 2), used by hash partitioning; stable across releases.';
COMMENT ON FUNCTION accountability.tolerance_outcome_larger(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'The more lenient of two outcomes (transition function of max).';
COMMENT ON FUNCTION accountability.tolerance_outcome_smaller(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'The less lenient of two outcomes (transition function of min).';

/* Operators, with commutators, negators and selectivity estimators. */

CREATE OPERATOR accountability.= (
    LEFTARG = accountability.case_status, RIGHTARG = accountability.case_status,
    FUNCTION = accountability.case_status_eq,
    COMMUTATOR = OPERATOR(accountability.=), NEGATOR = OPERATOR(accountability.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR accountability.<> (
    LEFTARG = accountability.case_status, RIGHTARG = accountability.case_status,
    FUNCTION = accountability.case_status_ne,
    COMMUTATOR = OPERATOR(accountability.<>), NEGATOR = OPERATOR(accountability.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR accountability.< (
    LEFTARG = accountability.case_status, RIGHTARG = accountability.case_status,
    FUNCTION = accountability.case_status_lt,
    COMMUTATOR = OPERATOR(accountability.>), NEGATOR = OPERATOR(accountability.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR accountability.<= (
    LEFTARG = accountability.case_status, RIGHTARG = accountability.case_status,
    FUNCTION = accountability.case_status_le,
    COMMUTATOR = OPERATOR(accountability.>=), NEGATOR = OPERATOR(accountability.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR accountability.> (
    LEFTARG = accountability.case_status, RIGHTARG = accountability.case_status,
    FUNCTION = accountability.case_status_gt,
    COMMUTATOR = OPERATOR(accountability.<), NEGATOR = OPERATOR(accountability.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR accountability.>= (
    LEFTARG = accountability.case_status, RIGHTARG = accountability.case_status,
    FUNCTION = accountability.case_status_ge,
    COMMUTATOR = OPERATOR(accountability.<=), NEGATOR = OPERATOR(accountability.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR accountability.= (
    LEFTARG = accountability.tolerance_outcome, RIGHTARG = accountability.tolerance_outcome,
    FUNCTION = accountability.tolerance_outcome_eq,
    COMMUTATOR = OPERATOR(accountability.=), NEGATOR = OPERATOR(accountability.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR accountability.<> (
    LEFTARG = accountability.tolerance_outcome, RIGHTARG = accountability.tolerance_outcome,
    FUNCTION = accountability.tolerance_outcome_ne,
    COMMUTATOR = OPERATOR(accountability.<>), NEGATOR = OPERATOR(accountability.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR accountability.< (
    LEFTARG = accountability.tolerance_outcome, RIGHTARG = accountability.tolerance_outcome,
    FUNCTION = accountability.tolerance_outcome_lt,
    COMMUTATOR = OPERATOR(accountability.>), NEGATOR = OPERATOR(accountability.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR accountability.<= (
    LEFTARG = accountability.tolerance_outcome, RIGHTARG = accountability.tolerance_outcome,
    FUNCTION = accountability.tolerance_outcome_le,
    COMMUTATOR = OPERATOR(accountability.>=), NEGATOR = OPERATOR(accountability.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR accountability.> (
    LEFTARG = accountability.tolerance_outcome, RIGHTARG = accountability.tolerance_outcome,
    FUNCTION = accountability.tolerance_outcome_gt,
    COMMUTATOR = OPERATOR(accountability.<), NEGATOR = OPERATOR(accountability.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR accountability.>= (
    LEFTARG = accountability.tolerance_outcome, RIGHTARG = accountability.tolerance_outcome,
    FUNCTION = accountability.tolerance_outcome_ge,
    COMMUTATOR = OPERATOR(accountability.<=), NEGATOR = OPERATOR(accountability.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);

COMMENT ON OPERATOR accountability.= (accountability.case_status, accountability.case_status) IS 'equal';
COMMENT ON OPERATOR accountability.<> (accountability.case_status, accountability.case_status) IS 'not equal';
COMMENT ON OPERATOR accountability.< (accountability.case_status, accountability.case_status) IS 'earlier in the lifecycle';
COMMENT ON OPERATOR accountability.<= (accountability.case_status, accountability.case_status) IS 'earlier in the lifecycle or equal';
COMMENT ON OPERATOR accountability.> (accountability.case_status, accountability.case_status) IS 'later in the lifecycle';
COMMENT ON OPERATOR accountability.>= (accountability.case_status, accountability.case_status) IS 'later in the lifecycle or equal';
COMMENT ON OPERATOR accountability.= (accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'equal';
COMMENT ON OPERATOR accountability.<> (accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'not equal';
COMMENT ON OPERATOR accountability.< (accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'less lenient';
COMMENT ON OPERATOR accountability.<= (accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'less lenient or equal';
COMMENT ON OPERATOR accountability.> (accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'more lenient';
COMMENT ON OPERATOR accountability.>= (accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'more lenient or equal';

/* Operator classes: btree (with sort support) and hash (with the extended hash). */

CREATE OPERATOR CLASS accountability.case_status_ops
DEFAULT FOR TYPE accountability.case_status USING btree AS
    OPERATOR 1 accountability.<,
    OPERATOR 2 accountability.<=,
    OPERATOR 3 accountability.=,
    OPERATOR 4 accountability.>=,
    OPERATOR 5 accountability.>,
    FUNCTION 1 accountability.case_status_cmp(accountability.case_status, accountability.case_status),
    FUNCTION 2 accountability.case_status_sortsupport(internal);

CREATE OPERATOR CLASS accountability.case_status_hash_ops
DEFAULT FOR TYPE accountability.case_status USING hash AS
    OPERATOR 1 accountability.=,
    FUNCTION 1 accountability.case_status_hash(accountability.case_status),
    FUNCTION 2 accountability.case_status_hash_extended(accountability.case_status, bigint);

CREATE OPERATOR CLASS accountability.tolerance_outcome_ops
DEFAULT FOR TYPE accountability.tolerance_outcome USING btree AS
    OPERATOR 1 accountability.<,
    OPERATOR 2 accountability.<=,
    OPERATOR 3 accountability.=,
    OPERATOR 4 accountability.>=,
    OPERATOR 5 accountability.>,
    FUNCTION 1 accountability.tolerance_outcome_cmp(accountability.tolerance_outcome, accountability.tolerance_outcome),
    FUNCTION 2 accountability.tolerance_outcome_sortsupport(internal);

CREATE OPERATOR CLASS accountability.tolerance_outcome_hash_ops
DEFAULT FOR TYPE accountability.tolerance_outcome USING hash AS
    OPERATOR 1 accountability.=,
    FUNCTION 1 accountability.tolerance_outcome_hash(accountability.tolerance_outcome),
    FUNCTION 2 accountability.tolerance_outcome_hash_extended(accountability.tolerance_outcome, bigint);

COMMENT ON OPERATOR CLASS accountability.case_status_ops USING btree IS 'Default btree operator class of case_status: lifecycle order.';
COMMENT ON OPERATOR CLASS accountability.case_status_hash_ops USING hash IS 'Default hash operator class of case_status (hash joins, hash aggregation, hash partitioning).';
COMMENT ON OPERATOR CLASS accountability.tolerance_outcome_ops USING btree IS 'Default btree operator class of tolerance_outcome: leniency order.';
COMMENT ON OPERATOR CLASS accountability.tolerance_outcome_hash_ops USING hash IS 'Default hash operator class of tolerance_outcome (hash joins, hash aggregation, hash partitioning).';

COMMENT ON OPERATOR FAMILY accountability.case_status_ops USING btree IS 'Operator family of the case_status btree class.';
COMMENT ON OPERATOR FAMILY accountability.case_status_hash_ops USING hash IS 'Operator family of the case_status hash class.';
COMMENT ON OPERATOR FAMILY accountability.tolerance_outcome_ops USING btree IS 'Operator family of the tolerance_outcome btree class.';
COMMENT ON OPERATOR FAMILY accountability.tolerance_outcome_hash_ops USING hash IS 'Operator family of the tolerance_outcome hash class.';

/* Aggregates: max(outcome) is the most lenient outcome, max(status) the furthest. */

CREATE AGGREGATE accountability.min(accountability.case_status) (
    SFUNC = accountability.case_status_smaller, STYPE = accountability.case_status,
    SORTOP = OPERATOR(accountability.<), COMBINEFUNC = accountability.case_status_smaller,
    PARALLEL = SAFE
);
CREATE AGGREGATE accountability.max(accountability.case_status) (
    SFUNC = accountability.case_status_larger, STYPE = accountability.case_status,
    SORTOP = OPERATOR(accountability.>), COMBINEFUNC = accountability.case_status_larger,
    PARALLEL = SAFE
);
CREATE AGGREGATE accountability.min(accountability.tolerance_outcome) (
    SFUNC = accountability.tolerance_outcome_smaller, STYPE = accountability.tolerance_outcome,
    SORTOP = OPERATOR(accountability.<), COMBINEFUNC = accountability.tolerance_outcome_smaller,
    PARALLEL = SAFE
);
CREATE AGGREGATE accountability.max(accountability.tolerance_outcome) (
    SFUNC = accountability.tolerance_outcome_larger, STYPE = accountability.tolerance_outcome,
    SORTOP = OPERATOR(accountability.>), COMBINEFUNC = accountability.tolerance_outcome_larger,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE accountability.min(accountability.case_status) IS 'Earliest status in the lifecycle.';
COMMENT ON AGGREGATE accountability.max(accountability.case_status) IS 'Furthest status in the lifecycle.';
COMMENT ON AGGREGATE accountability.min(accountability.tolerance_outcome) IS 'Least lenient outcome.';
COMMENT ON AGGREGATE accountability.max(accountability.tolerance_outcome) IS 'Most lenient outcome.';

/*
 * Casts to and from text.  From text (and varchar, which JDBC sends for
 * setString) as an assignment cast, so INSERT and UPDATE from a client's
 * string parameters work; to text follows accountability.language.
 */

CREATE FUNCTION accountability.case_status_from_text(text)
RETURNS accountability.case_status
AS 'MODULE_PATHNAME', 'case_status_from_text'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.case_status_to_text(accountability.case_status)
RETURNS text
AS 'MODULE_PATHNAME', 'case_status_to_text'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.tolerance_outcome_from_text(text)
RETURNS accountability.tolerance_outcome
AS 'MODULE_PATHNAME', 'tolerance_outcome_from_text'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.tolerance_outcome_to_text(accountability.tolerance_outcome)
RETURNS text
AS 'MODULE_PATHNAME', 'tolerance_outcome_to_text'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION accountability.case_status_from_text(text) IS 'Cast text to case_status: same rules as text input.';
COMMENT ON FUNCTION accountability.case_status_to_text(accountability.case_status) IS 'Cast case_status to text: same as text output (follows accountability.language).';
COMMENT ON FUNCTION accountability.tolerance_outcome_from_text(text) IS 'Cast text to tolerance_outcome: same rules as text input.';
COMMENT ON FUNCTION accountability.tolerance_outcome_to_text(accountability.tolerance_outcome) IS 'Cast tolerance_outcome to text: same as text output (follows accountability.language).';

CREATE CAST (text AS accountability.case_status)
    WITH FUNCTION accountability.case_status_from_text(text) AS ASSIGNMENT;
CREATE CAST (character varying AS accountability.case_status)
    WITH FUNCTION accountability.case_status_from_text(text) AS ASSIGNMENT;
CREATE CAST (accountability.case_status AS text)
    WITH FUNCTION accountability.case_status_to_text(accountability.case_status) AS ASSIGNMENT;
CREATE CAST (text AS accountability.tolerance_outcome)
    WITH FUNCTION accountability.tolerance_outcome_from_text(text) AS ASSIGNMENT;
CREATE CAST (character varying AS accountability.tolerance_outcome)
    WITH FUNCTION accountability.tolerance_outcome_from_text(text) AS ASSIGNMENT;
CREATE CAST (accountability.tolerance_outcome AS text)
    WITH FUNCTION accountability.tolerance_outcome_to_text(accountability.tolerance_outcome) AS ASSIGNMENT;

COMMENT ON CAST (text AS accountability.case_status) IS 'Text to case_status, as text input (assignment).';
COMMENT ON CAST (character varying AS accountability.case_status) IS 'varchar to case_status, as text input (assignment; JDBC setString).';
COMMENT ON CAST (accountability.case_status AS text) IS 'case_status to text, as text output (assignment).';
COMMENT ON CAST (text AS accountability.tolerance_outcome) IS 'Text to tolerance_outcome, as text input (assignment).';
COMMENT ON CAST (character varying AS accountability.tolerance_outcome) IS 'varchar to tolerance_outcome, as text input (assignment; JDBC setString).';
COMMENT ON CAST (accountability.tolerance_outcome AS text) IS 'tolerance_outcome to text, as text output (assignment).';

/* Labels in a named language, whatever accountability.language says. */

CREATE FUNCTION accountability.label(accountability.case_status, lang text)
RETURNS text
AS 'MODULE_PATHNAME', 'case_status_label'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.label(accountability.tolerance_outcome, lang text)
RETURNS text
AS 'MODULE_PATHNAME', 'tolerance_outcome_label'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION accountability.label(accountability.case_status, text) IS
'Label of a case_status in the language lang: ''en'' (English code) or ''zh'' (中文).';
COMMENT ON FUNCTION accountability.label(accountability.tolerance_outcome, text) IS
'Label of a tolerance_outcome in the language lang: ''en'' (English code) or ''zh'' (中文).';

/* ------------------------------------------------------------------------
 * 2. The state machine: the one transition table, in C (status.c)
 * ------------------------------------------------------------------------
 */

CREATE FUNCTION accountability.can_transition(from_status accountability.case_status,
                                              to_status accountability.case_status)
RETURNS boolean
AS 'MODULE_PATHNAME', 'case_status_can_transition_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION accountability.next_statuses(status accountability.case_status)
RETURNS accountability.case_status[]
AS 'MODULE_PATHNAME', 'case_status_next_statuses'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION accountability.can_transition(accountability.case_status, accountability.case_status) IS
'Whether a case may move from from_status to to_status (案件状态流转), per the one transition table.';
COMMENT ON FUNCTION accountability.next_statuses(accountability.case_status) IS
'The legal next statuses of a case in the given status, in lifecycle order; empty for closed.';

/* ------------------------------------------------------------------------
 * 3. The decision procedure (assess.c)
 *
 * Rules version 1 (容错认定): gates, situation, conditions, mitigation.
 * The rules live once, as the C rule table that tolerance_rules() lists;
 * assess_tolerance and facts_are_valid read the facts with the same code.
 * ------------------------------------------------------------------------
 */

CREATE TYPE accountability.tolerance_assessment AS (
    outcome accountability.tolerance_outcome,
    reasons text[]
);

COMMENT ON TYPE accountability.tolerance_assessment IS
'Result of a tolerance assessment (容错认定): the outcome and the reason codes that explain it.';
COMMENT ON COLUMN accountability.tolerance_assessment.outcome IS
'The outcome (容错认定结果): not_tolerable 不予容错, lighter 从轻问责, reduced 减轻问责, exempted 免予问责 or not_accountable 不予问责.';
COMMENT ON COLUMN accountability.tolerance_assessment.reasons IS
'Reason codes (理由) in the order the rules were applied: every gate that failed, or the situation, the conditions and the mitigation that decided the grade. Explained by accountability.tolerance_rules().';

CREATE FUNCTION accountability.assess_tolerance(facts jsonb)
RETURNS accountability.tolerance_assessment
AS 'MODULE_PATHNAME', 'tolerance_assess'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION accountability.facts_are_valid(facts jsonb)
RETURNS boolean
AS 'MODULE_PATHNAME', 'tolerance_facts_are_valid'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION accountability.tolerance_rules()
RETURNS TABLE (code text, step integer, text_en text, text_zh text, source text)
AS 'MODULE_PATHNAME', 'tolerance_rules'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
ROWS 36;

COMMENT ON FUNCTION accountability.assess_tolerance(jsonb) IS
'Tolerance decision procedure (容错认定), rules version 1. facts is a JSON object with the keys situation (text: reform_pilot, exploratory_trial, development_inadvertent, collective_dissent, force_majeure, or a unit-list item code), situation_listed, excluded, red_line_breach, knowing_violation, violated_explicit_ban, private_gain, fraud_or_obstruction, repeated_error, procedure_proper, diligent, corrected_promptly, cooperated (booleans), consequence (none, minor, serious, grave) and loss_recovered (none, partial, full). A JSON null counts as an absent key; a missing fact never helps the subject. Bad facts raise 22023.';
COMMENT ON FUNCTION accountability.facts_are_valid(jsonb) IS
'True when facts are valid tolerance facts (容错事实); otherwise raises the 22023 error assess_tolerance would raise. For CHECK constraints.';
COMMENT ON FUNCTION accountability.tolerance_rules() IS
'The rule table of the tolerance decision procedure (容错认定规则), in the order rules are applied: reason code, step (1 gates 排除情形, 2 situation 容错情形, 3 conditions 容错条件, 4 mitigation 从轻减轻情节), English and Chinese text, source.';

/* ------------------------------------------------------------------------
 * 4. Cases and the workflow (workflow.c, history.c, children.c,
 *    determination.c, guards.c)
 *
 * UPDATE accountability.cases SET status = ... is the interface; C
 * triggers refuse illegal moves, check what each move requires, and
 * append the history.  Rows that hang off a case are keyed (case_id, n),
 * numbered under the case's row lock, never by a sequence.
 * ------------------------------------------------------------------------
 */

-- Units: province -> city -> county -> township, plus provincial departments.
CREATE TABLE accountability.units (
    unit_id   bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    parent_id bigint REFERENCES accountability.units,
    code      text NOT NULL UNIQUE,
    name      text NOT NULL,
    name_en   text,
    level     text NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'department')),
    CHECK (parent_id IS DISTINCT FROM unit_id),
    CHECK ((level = 'province') = (parent_id IS NULL))
);
CREATE INDEX units_parent_idx ON accountability.units (parent_id);

COMMENT ON TABLE accountability.units IS 'Units (单位): the province, its cities, counties and townships, and provincial departments, as a tree.';
COMMENT ON COLUMN accountability.units.unit_id IS 'Unit id.';
COMMENT ON COLUMN accountability.units.parent_id IS 'The unit above (上级单位); null only for the province.';
COMMENT ON COLUMN accountability.units.code IS 'Administrative or organisation code, unique.';
COMMENT ON COLUMN accountability.units.name IS 'Official name (名称), usually in Chinese.';
COMMENT ON COLUMN accountability.units.name_en IS 'English name, optional.';
COMMENT ON COLUMN accountability.units.level IS 'Level (层级): province 省, city 市, county 县, township 乡镇, department 省直部门.';

-- Subjects: the person or party organization a case is about.
CREATE TABLE accountability.subjects (
    subject_id    bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('person', 'party_org')),
    name          text NOT NULL,
    unit_id       bigint NOT NULL REFERENCES accountability.units,
    post          text,
    rank          text,
    identity_type text CHECK (identity_type IN ('party_member', 'public_servant', 'other'))
);
CREATE INDEX subjects_unit_idx ON accountability.subjects (unit_id);

COMMENT ON TABLE accountability.subjects IS 'Subjects (对象): cadres and party organizations that cases concern, and accusers in false-accusation cases.';
COMMENT ON COLUMN accountability.subjects.subject_id IS 'Subject id.';
COMMENT ON COLUMN accountability.subjects.kind IS 'person 个人 or party_org 党组织.';
COMMENT ON COLUMN accountability.subjects.name IS 'Name (姓名/名称).';
COMMENT ON COLUMN accountability.subjects.unit_id IS 'The unit the subject belongs to (所在单位).';
COMMENT ON COLUMN accountability.subjects.post IS 'Post (职务).';
COMMENT ON COLUMN accountability.subjects.rank IS 'Rank (职级).';
COMMENT ON COLUMN accountability.subjects.identity_type IS 'Identity (身份), which decides the sanction route of a false accuser: party_member 党员, public_servant 公职人员, other 其他.';

-- Cases: reports, accountability matters and false-accusation inquiries.
CREATE TABLE accountability.cases (
    case_id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('report', 'accountability', 'false_accusation')),
    subject_id      bigint NOT NULL REFERENCES accountability.subjects,
    unit_id         bigint NOT NULL REFERENCES accountability.units,
    status          accountability.case_status NOT NULL DEFAULT 'received',
    event_on        date,
    opened_on       date NOT NULL DEFAULT CURRENT_DATE,
    facts           jsonb NOT NULL DEFAULT '{}' CHECK (accountability.facts_are_valid(facts)),
    conclusion      text,
    closing_reason  text,
    related_case_id bigint,
    report_finding  text CHECK (report_finding IN ('mistaken_report', 'suspected_false_accusation')),
    clarification_grounds text[] NOT NULL DEFAULT '{}'
                    CHECK (clarification_grounds <@ ARRAY['affected_selection', 'harmed_subject',
                                                          'repeated_settled_matter', 'body_decided']),
    transition_note text,
    origin          text NOT NULL DEFAULT (CASE WHEN current_setting('accountability.import', true) = 'on'
                                                THEN 'imported' ELSE 'registered' END)
                    CHECK (origin IN ('registered', 'imported')),
    version         integer NOT NULL DEFAULT 1,
    event_count     integer NOT NULL DEFAULT 0,
    last_event_hash bytea,
    CHECK (event_on IS NULL OR event_on <= opened_on),
    CONSTRAINT report_finding_only_on_reports CHECK (report_finding IS NULL OR kind = 'report')
);
CREATE INDEX cases_unit_idx ON accountability.cases (unit_id);
CREATE INDEX cases_subject_idx ON accountability.cases (subject_id);
CREATE INDEX cases_status_idx ON accountability.cases (status);
CREATE INDEX cases_related_idx ON accountability.cases (related_case_id) WHERE related_case_id IS NOT NULL;

COMMENT ON TABLE accountability.cases IS 'Cases (案件): a report 检举控告, an accountability matter 问责事项 or a false-accusation inquiry 诬告陷害; moved through its lifecycle with UPDATE ... SET status.';
COMMENT ON COLUMN accountability.cases.case_id IS 'Case id.';
COMMENT ON COLUMN accountability.cases.kind IS 'report 检举控告, accountability 问责事项 or false_accusation 诬告陷害查处.';
COMMENT ON COLUMN accountability.cases.subject_id IS 'The subject (对象): the cadre or organization concerned; for a false-accusation case, the accuser.';
COMMENT ON COLUMN accountability.cases.unit_id IS 'The unit handling the case (承办单位); row-level security scopes by it.';
COMMENT ON COLUMN accountability.cases.status IS 'Current status (状态). Change it with UPDATE; the workflow trigger refuses illegal moves.';
COMMENT ON COLUMN accountability.cases.event_on IS 'When the matter happened (事发日期); tolerance lists in force on this date apply.';
COMMENT ON COLUMN accountability.cases.opened_on IS 'When the case was registered (受理日期).';
COMMENT ON COLUMN accountability.cases.facts IS 'The tolerance facts of the matter (容错事实), validated by the same C code as assess_tolerance on every write.';
COMMENT ON COLUMN accountability.cases.conclusion IS 'The conclusion of the inquiry (核查结论).';
COMMENT ON COLUMN accountability.cases.closing_reason IS 'Why the case was closed without the full procedure: not taken up (不予受理), or no clarification given (不予澄清). Required for those two moves.';
COMMENT ON COLUMN accountability.cases.related_case_id IS 'A related case: for a false-accusation case, the report it concerns. No foreign key, so cases can be distributed by case_id.';
COMMENT ON COLUMN accountability.cases.report_finding IS 'For an unfounded report: mistaken_report 错告 (a misunderstanding, education only) or suspected_false_accusation 涉嫌诬告陷害 (may be pursued in a false_accusation case).';
COMMENT ON COLUMN accountability.cases.clarification_grounds IS 'Why a clarification (澄清正名) is warranted for an unfounded report: affected_selection 影响选拔任用/评先评优, harmed_subject 对本人或工作造成不良影响, repeated_settled_matter 已了结事项被反复举报, body_decided 纪委认为需要澄清. Empty: none warranted.';
COMMENT ON COLUMN accountability.cases.transition_note IS 'A note for the transition made by this UPDATE (流转备注); recorded on its event. Kept as the note of the latest transition.';
COMMENT ON COLUMN accountability.cases.origin IS 'registered 登记 (started in received) or imported 导入 (loaded in import mode, with an imported event 0).';
COMMENT ON COLUMN accountability.cases.version IS 'Row version, maintained by the database: every UPDATE adds one (for optimistic locking).';
COMMENT ON COLUMN accountability.cases.event_count IS 'Number of transition events of the case, maintained by the database.';
COMMENT ON COLUMN accountability.cases.last_event_hash IS 'Hash of the latest event (the history chain head), maintained by the database.';

-- The append-only history: one row per transition (and event 0 per imported case).
CREATE TABLE accountability.case_events (
    case_id     bigint NOT NULL,
    event_no    integer NOT NULL,
    event_kind  text NOT NULL CHECK (event_kind IN ('transition', 'imported')),
    from_status accountability.case_status,
    to_status   accountability.case_status NOT NULL,
    occurred_at timestamptz NOT NULL,
    db_user     text NOT NULL,
    actor       text,
    note        text,
    hash        bytea NOT NULL,
    PRIMARY KEY (case_id, event_no)
);

COMMENT ON TABLE accountability.case_events IS 'Case history (流转记录): every transition, append-only, each event hashed and chained to the previous one of its case. UPDATE, DELETE and TRUNCATE are refused for every role.';
COMMENT ON COLUMN accountability.case_events.case_id IS 'The case.';
COMMENT ON COLUMN accountability.case_events.event_no IS 'Event number within the case: 1, 2, ... (0 for the imported event).';
COMMENT ON COLUMN accountability.case_events.event_kind IS 'transition 流转 or imported 导入.';
COMMENT ON COLUMN accountability.case_events.from_status IS 'Status before the event; null for the imported event.';
COMMENT ON COLUMN accountability.case_events.to_status IS 'Status after the event.';
COMMENT ON COLUMN accountability.case_events.occurred_at IS 'When (the transaction start time).';
COMMENT ON COLUMN accountability.case_events.db_user IS 'The database role that made the change.';
COMMENT ON COLUMN accountability.case_events.actor IS 'The application user, from the setting accountability.actor (经办人).';
COMMENT ON COLUMN accountability.case_events.note IS 'The transition note, from cases.transition_note.';
COMMENT ON COLUMN accountability.case_events.hash IS 'SHA-256 of the event chained to the previous event of the case (format v1, see README); checked by verify_history().';

-- Tolerance lists (容错细化清单), per unit: positive items add situations, negative items exclude them.
CREATE TABLE accountability.tolerance_list_items (
    unit_id    bigint NOT NULL REFERENCES accountability.units,
    code       text NOT NULL,
    polarity   text NOT NULL CHECK (polarity IN ('positive', 'negative')),
    category   text,
    text_zh    text NOT NULL,
    text_en    text,
    valid_from date NOT NULL,
    valid_to   date,
    PRIMARY KEY (unit_id, code, valid_from),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX tolerance_list_items_code_idx ON accountability.tolerance_list_items (code);

COMMENT ON TABLE accountability.tolerance_list_items IS 'Items of the units'' detailed tolerance lists (容错细化清单): positive items (可容错情形) make a situation tolerable, negative items (负面清单) exclude it. They apply to the unit and every unit below it, on the case''s event date.';
COMMENT ON COLUMN accountability.tolerance_list_items.unit_id IS 'The unit that keeps the list.';
COMMENT ON COLUMN accountability.tolerance_list_items.code IS 'Item code, matched against the situation fact of a case.';
COMMENT ON COLUMN accountability.tolerance_list_items.polarity IS 'positive 可容错 or negative 不容错.';
COMMENT ON COLUMN accountability.tolerance_list_items.category IS 'Category (类别), e.g. one of the province''s 6 categories (6大类).';
COMMENT ON COLUMN accountability.tolerance_list_items.text_zh IS 'The item''s text in Chinese.';
COMMENT ON COLUMN accountability.tolerance_list_items.text_en IS 'The item''s text in English, optional.';
COMMENT ON COLUMN accountability.tolerance_list_items.valid_from IS 'First day the item is in force.';
COMMENT ON COLUMN accountability.tolerance_list_items.valid_to IS 'Last day the item is in force; null while in force.';

-- Settings: deadlines and windows in days, and thresholds.
CREATE TABLE accountability.settings (
    name        text PRIMARY KEY,
    value       integer NOT NULL CHECK (value > 0),
    unit        text NOT NULL DEFAULT 'days' CHECK (unit IN ('days', 'count')),
    description text NOT NULL
);
INSERT INTO accountability.settings (name, value, unit, description) VALUES
    ('investigation', 30, 'days', 'Days to verify a case (核查期限).'),
    ('determination', 30, 'days', 'Days to determine after liability is found (认定期限).'),
    ('notification', 5, 'days', 'Days to notify the subject in writing after the determination (告知期限).'),
    ('appeal', 30, 'days', 'Days after notification within which the subject may appeal (申诉期限).'),
    ('first_follow_up', 90, 'days', 'Days to the first follow-up visit (首次回访期限).'),
    ('repeat_window', 1095, 'days', 'Days back in which an earlier tolerated error in the same situation makes an error repeated (重复犯错认定期).'),
    ('report_window', 365, 'days', 'Days back in which reports against one subject are counted for an early warning (预警统计期).'),
    ('report_threshold', 3, 'count', 'Reports within report_window that make a subject an early-warning candidate (预警举报次数).');

COMMENT ON TABLE accountability.settings IS 'Deadlines, windows and thresholds (期限与阈值设置). Inserting a name that exists replaces its value, so restoring a dump keeps an administrator''s changes.';
COMMENT ON COLUMN accountability.settings.name IS 'Setting name: investigation, determination, notification, appeal, first_follow_up, repeat_window, report_window, report_threshold.';
COMMENT ON COLUMN accountability.settings.value IS 'The value, in the unit given.';
COMMENT ON COLUMN accountability.settings.unit IS 'days or count.';
COMMENT ON COLUMN accountability.settings.description IS 'What the setting means.';

-- Determinations (认定): the deciding body's outcome beside the database's assessment.
CREATE TABLE accountability.determinations (
    case_id          bigint NOT NULL REFERENCES accountability.cases,
    determination_no integer NOT NULL,
    mode             text NOT NULL DEFAULT 'ordinary' CHECK (mode IN ('ordinary', 'application', 'ex_officio')),
    outcome          accountability.tolerance_outcome NOT NULL,
    basis            text,
    deciding_body    text NOT NULL,
    meeting_ref      text,
    decided_on       date NOT NULL DEFAULT CURRENT_DATE,
    deciding_unit_id bigint REFERENCES accountability.units,
    influence_until  date,
    notified_on      date,
    facts            jsonb NOT NULL,
    assessed_outcome accountability.tolerance_outcome NOT NULL,
    assessed_reasons text[] NOT NULL,
    after_event_no   integer NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    recorded_by      text NOT NULL DEFAULT current_user,
    PRIMARY KEY (case_id, determination_no),
    CHECK (notified_on IS NULL OR notified_on >= decided_on)
);

COMMENT ON TABLE accountability.determinations IS 'Determinations (认定): the outcome the deciding body recorded, beside the assessment the database computed from the case''s facts when it was recorded. More lenient than assessed by one grade at most, only with a basis, never after a failed gate.';
COMMENT ON COLUMN accountability.determinations.case_id IS 'The case.';
COMMENT ON COLUMN accountability.determinations.determination_no IS 'Number within the case, assigned by the database (1, 2, ... after an appeal).';
COMMENT ON COLUMN accountability.determinations.mode IS 'ordinary 一般认定, application 依申请容错 or ex_officio 主动容错.';
COMMENT ON COLUMN accountability.determinations.outcome IS 'The outcome decided (认定结果).';
COMMENT ON COLUMN accountability.determinations.basis IS 'Written basis (理由) for departing from the assessment; required when the outcome differs from it.';
COMMENT ON COLUMN accountability.determinations.deciding_body IS 'The deciding body (认定机关), e.g. the party committee or the discipline commission''s standing committee.';
COMMENT ON COLUMN accountability.determinations.meeting_ref IS 'Reference of the collective decision (集体研究会议纪要).';
COMMENT ON COLUMN accountability.determinations.decided_on IS 'Date of the decision.';
COMMENT ON COLUMN accountability.determinations.deciding_unit_id IS 'The unit of the deciding body; a false-accusation determination must come from a city-level unit or above (市级以上).';
COMMENT ON COLUMN accountability.determinations.influence_until IS 'End of the sanction''s influence period (影响期); without it a sanction counts for one year from decided_on in subject_standing.';
COMMENT ON COLUMN accountability.determinations.notified_on IS 'Date the subject was told in writing (书面告知); required before the case moves to notified; the appeal window runs from it.';
COMMENT ON COLUMN accountability.determinations.facts IS 'The facts as assessed (assess_case at the time of recording).';
COMMENT ON COLUMN accountability.determinations.assessed_outcome IS 'The database''s assessment of those facts.';
COMMENT ON COLUMN accountability.determinations.assessed_reasons IS 'The reason codes of that assessment.';
COMMENT ON COLUMN accountability.determinations.after_event_no IS 'The case''s event count when recorded: the determination belongs to the status the case was in.';
COMMENT ON COLUMN accountability.determinations.recorded_at IS 'When recorded.';
COMMENT ON COLUMN accountability.determinations.recorded_by IS 'Database role that recorded it.';

-- Correction plans (纠错整改).
CREATE TABLE accountability.correction_plans (
    case_id      bigint NOT NULL REFERENCES accountability.cases,
    plan_no      integer NOT NULL,
    matter       text NOT NULL,
    measures     text NOT NULL,
    owner        text,
    due_on       date NOT NULL,
    completed_on date,
    verified_by  text,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (case_id, plan_no),
    CHECK (completed_on IS NULL OR verified_by IS NOT NULL)
);

COMMENT ON TABLE accountability.correction_plans IS 'Correction plans (纠错整改方案): what is rectified, how, by when; a case moves to filed only when all are completed.';
COMMENT ON COLUMN accountability.correction_plans.case_id IS 'The case.';
COMMENT ON COLUMN accountability.correction_plans.plan_no IS 'Number within the case, assigned by the database.';
COMMENT ON COLUMN accountability.correction_plans.matter IS 'The matter to correct (整改事项).';
COMMENT ON COLUMN accountability.correction_plans.measures IS 'Measures, including rules to improve (整改措施, 制度完善).';
COMMENT ON COLUMN accountability.correction_plans.owner IS 'Who is responsible (责任人).';
COMMENT ON COLUMN accountability.correction_plans.due_on IS 'Due date (完成时限).';
COMMENT ON COLUMN accountability.correction_plans.completed_on IS 'Date completed; needs verified_by.';
COMMENT ON COLUMN accountability.correction_plans.verified_by IS 'Who verified the completion (验收人).';
COMMENT ON COLUMN accountability.correction_plans.recorded_at IS 'When recorded.';

/* The facts of a case as the determination sees them, and its assessment. */

CREATE FUNCTION accountability.case_facts(case_id bigint)
RETURNS jsonb
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH RECURSIVE c AS (
        SELECT k.case_id, k.subject_id, k.unit_id, k.facts,
               coalesce(k.event_on, k.opened_on) AS on_date
        FROM accountability.cases k
        WHERE k.case_id OPERATOR(pg_catalog.=) $1
    ), chain (unit_id) AS (
        SELECT c.unit_id FROM c
        UNION
        SELECT u.parent_id FROM accountability.units u JOIN chain ON u.unit_id OPERATOR(pg_catalog.=) chain.unit_id
        WHERE u.parent_id IS NOT NULL
    ), hits AS (
        SELECT i.polarity FROM accountability.tolerance_list_items i, c
        WHERE i.unit_id IN (SELECT chain.unit_id FROM chain)
          AND i.code OPERATOR(pg_catalog.=) (c.facts OPERATOR(pg_catalog.->>) 'situation')
          AND c.on_date OPERATOR(pg_catalog.>=) i.valid_from
          AND (i.valid_to IS NULL OR c.on_date OPERATOR(pg_catalog.<=) i.valid_to)
    )
    SELECT (c.facts OPERATOR(pg_catalog.-) 'situation_listed'::text)
           OPERATOR(pg_catalog.||) jsonb_build_object(
        'situation_listed', EXISTS (SELECT 1 FROM hits WHERE polarity OPERATOR(pg_catalog.=) 'positive'),
        'excluded', coalesce((c.facts OPERATOR(pg_catalog.->>) 'excluded')::boolean, false)
                    OR EXISTS (SELECT 1 FROM hits WHERE polarity OPERATOR(pg_catalog.=) 'negative'),
        'repeated_error', coalesce((c.facts OPERATOR(pg_catalog.->>) 'repeated_error')::boolean, false)
            OR EXISTS (
                SELECT 1
                FROM accountability.cases p
                JOIN accountability.determinations d ON d.case_id OPERATOR(pg_catalog.=) p.case_id
                WHERE p.subject_id OPERATOR(pg_catalog.=) c.subject_id
                  AND p.case_id OPERATOR(pg_catalog.<>) c.case_id
                  AND (p.facts OPERATOR(pg_catalog.->>) 'situation') OPERATOR(pg_catalog.=) (c.facts OPERATOR(pg_catalog.->>) 'situation')
                  AND d.outcome OPERATOR(accountability.>) 'not_tolerable'::accountability.tolerance_outcome
                  AND d.decided_on OPERATOR(pg_catalog.<) c.on_date
                  AND d.decided_on OPERATOR(pg_catalog.>=) (c.on_date OPERATOR(pg_catalog.-)
                      (SELECT s.value FROM accountability.settings s WHERE s.name OPERATOR(pg_catalog.=) 'repeat_window'))))
    FROM c
$$;

CREATE FUNCTION accountability.assess_case(case_id bigint)
RETURNS accountability.tolerance_assessment
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT accountability.assess_tolerance(accountability.case_facts($1)) $$;

COMMENT ON FUNCTION accountability.case_facts(bigint) IS
'The facts of a case as assess_case sees them: the recorded facts, with situation_listed set from the tolerance lists (容错清单) of the unit and its ancestors in force on the event date, excluded set by a negative-list hit, and repeated_error set when the subject had a tolerated error in the same situation within the repeat window. Facts the database computes never help the subject more than the record does.';
COMMENT ON FUNCTION accountability.assess_case(bigint) IS
'Tolerance assessment of a recorded case (容错认定): assess_tolerance over case_facts(case_id). Null when the case does not exist.';

/* The workflow triggers. */

CREATE FUNCTION accountability.case_transition_trigger()
RETURNS trigger AS 'MODULE_PATHNAME', 'case_transition_trigger'
LANGUAGE C PARALLEL UNSAFE;
CREATE FUNCTION accountability.case_history_trigger()
RETURNS trigger AS 'MODULE_PATHNAME', 'case_history_trigger'
LANGUAGE C PARALLEL UNSAFE;
CREATE FUNCTION accountability.closed_case_guard()
RETURNS trigger AS 'MODULE_PATHNAME', 'closed_case_guard'
LANGUAGE C PARALLEL UNSAFE;
CREATE FUNCTION accountability.append_only_guard()
RETURNS trigger AS 'MODULE_PATHNAME', 'append_only_guard'
LANGUAGE C PARALLEL UNSAFE;
CREATE FUNCTION accountability.case_child_trigger()
RETURNS trigger AS 'MODULE_PATHNAME', 'case_child_trigger'
LANGUAGE C PARALLEL UNSAFE;
CREATE FUNCTION accountability.determination_trigger()
RETURNS trigger AS 'MODULE_PATHNAME', 'determination_trigger'
LANGUAGE C PARALLEL UNSAFE;
CREATE FUNCTION accountability.only_listed_columns_change()
RETURNS trigger AS 'MODULE_PATHNAME', 'only_listed_columns_change'
LANGUAGE C PARALLEL UNSAFE;
CREATE FUNCTION accountability.settings_upsert()
RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE accountability.settings SET value = NEW.value, unit = NEW.unit, description = NEW.description
    WHERE name OPERATOR(pg_catalog.=) NEW.name;
    IF FOUND THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION accountability.case_transition_trigger() IS 'BEFORE UPDATE row trigger on cases: refuses illegal moves (55000), checks each move''s requirements, advances the history chain head.';
COMMENT ON FUNCTION accountability.case_history_trigger() IS 'AFTER INSERT/UPDATE statement trigger on cases: checks new cases start in received (or import mode), appends case_events from the transition tables.';
COMMENT ON FUNCTION accountability.closed_case_guard() IS 'BEFORE UPDATE row trigger on cases (ENABLE ALWAYS): a closed case never changes (55000).';
COMMENT ON FUNCTION accountability.append_only_guard() IS 'Trigger (ENABLE ALWAYS) refusing UPDATE, DELETE and TRUNCATE of the permanent record (42501).';
COMMENT ON FUNCTION accountability.case_child_trigger() IS 'BEFORE INSERT row trigger on per-case tables: locks the case, checks its status allows the row, numbers it (case_id, n). Arguments: the number column, then the allowed statuses.';
COMMENT ON FUNCTION accountability.determination_trigger() IS 'BEFORE INSERT row trigger on determinations: stores the assessment and enforces the leniency rule.';
COMMENT ON FUNCTION accountability.only_listed_columns_change() IS 'BEFORE UPDATE row trigger: only the columns named as arguments may change once a row is recorded (42501).';
COMMENT ON FUNCTION accountability.settings_upsert() IS 'BEFORE INSERT row trigger on settings (ENABLE ALWAYS): inserting an existing name replaces its value (so restoring a dump, or a logical replica''s copy, over the seeded defaults works).';

-- Guards first (ALWAYS), then the workflow (ORIGIN: not in a logical-replication apply worker).
CREATE TRIGGER cases_00_closed_guard BEFORE UPDATE ON accountability.cases
    FOR EACH ROW EXECUTE FUNCTION accountability.closed_case_guard();
CREATE TRIGGER cases_00_no_delete BEFORE DELETE ON accountability.cases
    FOR EACH ROW EXECUTE FUNCTION accountability.append_only_guard();
CREATE TRIGGER cases_00_no_truncate BEFORE TRUNCATE ON accountability.cases
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.append_only_guard();
ALTER TABLE accountability.cases ENABLE ALWAYS TRIGGER cases_00_closed_guard;
ALTER TABLE accountability.cases ENABLE ALWAYS TRIGGER cases_00_no_delete;
ALTER TABLE accountability.cases ENABLE ALWAYS TRIGGER cases_00_no_truncate;

CREATE TRIGGER cases_10_transition BEFORE UPDATE ON accountability.cases
    FOR EACH ROW EXECUTE FUNCTION accountability.case_transition_trigger();
CREATE TRIGGER cases_20_history_update AFTER UPDATE ON accountability.cases
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.case_history_trigger();
CREATE TRIGGER cases_20_history_insert AFTER INSERT ON accountability.cases
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.case_history_trigger();

CREATE TRIGGER case_events_no_update BEFORE UPDATE OR DELETE ON accountability.case_events
    FOR EACH ROW EXECUTE FUNCTION accountability.append_only_guard();
CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON accountability.case_events
    FOR EACH STATEMENT EXECUTE FUNCTION accountability.append_only_guard();
ALTER TABLE accountability.case_events ENABLE ALWAYS TRIGGER case_events_no_update;
ALTER TABLE accountability.case_events ENABLE ALWAYS TRIGGER case_events_no_truncate;

CREATE TRIGGER determinations_10_assess BEFORE INSERT ON accountability.determinations
    FOR EACH ROW EXECUTE FUNCTION accountability.determination_trigger();
CREATE TRIGGER determinations_20_number BEFORE INSERT ON accountability.determinations
    FOR EACH ROW EXECUTE FUNCTION accountability.case_child_trigger('determination_no', 'liable', 'tolerance_review', 'appealed');
CREATE TRIGGER determinations_30_recorded BEFORE UPDATE ON accountability.determinations
    FOR EACH ROW EXECUTE FUNCTION accountability.only_listed_columns_change('notified_on');
CREATE TRIGGER determinations_40_no_delete BEFORE DELETE ON accountability.determinations
    FOR EACH ROW EXECUTE FUNCTION accountability.append_only_guard();
ALTER TABLE accountability.determinations ENABLE ALWAYS TRIGGER determinations_40_no_delete;

CREATE TRIGGER correction_plans_20_number BEFORE INSERT ON accountability.correction_plans
    FOR EACH ROW EXECUTE FUNCTION accountability.case_child_trigger('plan_no', 'notified', 'appealed', 'correcting');
CREATE TRIGGER correction_plans_30_recorded BEFORE UPDATE ON accountability.correction_plans
    FOR EACH ROW EXECUTE FUNCTION accountability.only_listed_columns_change('completed_on', 'verified_by', 'owner', 'due_on');
CREATE TRIGGER correction_plans_40_no_delete BEFORE DELETE ON accountability.correction_plans
    FOR EACH ROW EXECUTE FUNCTION accountability.append_only_guard();
ALTER TABLE accountability.correction_plans ENABLE ALWAYS TRIGGER correction_plans_40_no_delete;

CREATE TRIGGER settings_upsert BEFORE INSERT ON accountability.settings
    FOR EACH ROW EXECUTE FUNCTION accountability.settings_upsert();
-- ALWAYS: a logical replica's copy of settings arrives over the rows its own
-- CREATE EXTENSION seeded, and must replace them as a restore does.
ALTER TABLE accountability.settings ENABLE ALWAYS TRIGGER settings_upsert;

/* The history chain, checked. */

CREATE FUNCTION accountability.event_hash(prev_hash bytea, case_id bigint, event_no integer, event_kind text,
                                          from_status accountability.case_status,
                                          to_status accountability.case_status, occurred_at timestamptz,
                                          db_user text, actor text, note text)
RETURNS bytea AS 'MODULE_PATHNAME', 'event_hash'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION accountability.event_hash(bytea, bigint, integer, text, accountability.case_status, accountability.case_status, timestamptz, text, text, text) IS
'SHA-256 of one case event chained to the previous event''s hash (format v1). Used by the triggers and verify_history().';

CREATE FUNCTION accountability.verify_history(case_id bigint DEFAULT NULL)
RETURNS TABLE (case_id bigint, event_no integer, problem text)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH c AS (
        SELECT k.case_id, k.status, k.origin, k.event_count, k.last_event_hash
        FROM accountability.cases k
        WHERE $1 IS NULL OR k.case_id OPERATOR(pg_catalog.=) $1
    ), e AS (
        SELECT e.*, lag(e.hash) OVER w AS prev_hash, lag(e.to_status) OVER w AS prev_to,
               lag(e.event_no) OVER w AS prev_no
        FROM accountability.case_events e
        WHERE $1 IS NULL OR e.case_id OPERATOR(pg_catalog.=) $1
        WINDOW w AS (PARTITION BY e.case_id ORDER BY e.event_no)
    ), event_problems AS (
        SELECT e.case_id, e.event_no,
               CASE
                 WHEN NOT EXISTS (SELECT 1 FROM c WHERE c.case_id OPERATOR(pg_catalog.=) e.case_id)
                   THEN 'event of a case that does not exist'
                 WHEN e.event_no OPERATOR(pg_catalog.<>) coalesce(e.prev_no OPERATOR(pg_catalog.+) 1,
                        CASE WHEN e.event_kind OPERATOR(pg_catalog.=) 'imported' THEN 0 ELSE 1 END)
                   THEN 'event numbers are not dense'
                 WHEN e.event_no OPERATOR(pg_catalog.>) 0
                      AND (e.from_status IS NULL OR e.from_status OPERATOR(accountability.<>)
                           coalesce(e.prev_to, 'received'::accountability.case_status))
                   THEN 'event does not start where the previous one ended'
                 WHEN e.hash OPERATOR(pg_catalog.<>) accountability.event_hash(
                        CASE WHEN e.event_no OPERATOR(pg_catalog.>) 1 THEN e.prev_hash END,
                        e.case_id, e.event_no, e.event_kind, e.from_status, e.to_status,
                        e.occurred_at, e.db_user, e.actor, e.note)
                   THEN 'event hash does not match its content and chain'
               END AS problem
        FROM e
    ), case_problems AS (
        SELECT c.case_id, NULL::integer AS event_no,
               CASE
                 WHEN coalesce(l.event_no, 0) OPERATOR(pg_catalog.<>) c.event_count
                   THEN format('case counts %s events, history holds %s', c.event_count, coalesce(l.event_no, 0))
                 WHEN l.hash IS DISTINCT FROM c.last_event_hash AND c.event_count OPERATOR(pg_catalog.>) 0
                   THEN 'latest event hash differs from the case''s chain head'
                 WHEN c.status OPERATOR(accountability.<>) coalesce(l.to_status, 'received'::accountability.case_status)
                   THEN 'case status differs from the end of its history'
                 WHEN (c.origin OPERATOR(pg_catalog.=) 'imported') OPERATOR(pg_catalog.<>)
                      EXISTS (SELECT 1 FROM accountability.case_events i
                              WHERE i.case_id OPERATOR(pg_catalog.=) c.case_id AND i.event_no OPERATOR(pg_catalog.=) 0)
                   THEN 'imported event missing or unexpected'
               END AS problem
        FROM c
        LEFT JOIN LATERAL (
            SELECT x.event_no, x.hash, x.to_status FROM accountability.case_events x
            WHERE x.case_id OPERATOR(pg_catalog.=) c.case_id
            ORDER BY x.event_no DESC LIMIT 1) l ON true
    )
    SELECT * FROM event_problems WHERE problem IS NOT NULL
    UNION ALL
    SELECT * FROM case_problems WHERE problem IS NOT NULL
    ORDER BY 1, 2 NULLS LAST
$$;

COMMENT ON FUNCTION accountability.verify_history(bigint) IS
'Checks the case history (流转记录核验) of one case, or all: every event hash against its content and chain, dense numbering, each event starting where the previous ended, and the case row agreeing with the end of its history. Returns one row per problem; no rows means intact.';

/* pg_dump keeps the users' data: every table, and the identity sequences. */
SELECT pg_catalog.pg_extension_config_dump('accountability.units', '');
SELECT pg_catalog.pg_extension_config_dump('accountability.subjects', '');
SELECT pg_catalog.pg_extension_config_dump('accountability.cases', '');
SELECT pg_catalog.pg_extension_config_dump('accountability.case_events', '');
SELECT pg_catalog.pg_extension_config_dump('accountability.tolerance_list_items', '');
SELECT pg_catalog.pg_extension_config_dump('accountability.settings', '');
SELECT pg_catalog.pg_extension_config_dump('accountability.determinations', '');
SELECT pg_catalog.pg_extension_config_dump('accountability.correction_plans', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('accountability.units', 'unit_id')::regclass, '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('accountability.subjects', 'subject_id')::regclass, '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('accountability.cases', 'case_id')::regclass, '');

COMMENT ON SEQUENCE accountability.units_unit_id_seq IS 'Identity of units.unit_id.';
COMMENT ON SEQUENCE accountability.subjects_subject_id_seq IS 'Identity of subjects.subject_id.';
COMMENT ON SEQUENCE accountability.cases_case_id_seq IS 'Identity of cases.case_id.';

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
    method            text NOT NULL CHECK (method IN ('face_to_face', 'home', 'phone', 'meeting', 'written')),
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
CREATE TRIGGER clarifications_30_recorded BEFORE UPDATE ON accountability.clarifications
    FOR EACH ROW EXECUTE FUNCTION accountability.only_listed_columns_change('done_on', 'archived_on', 'copied_to_organization_on');
CREATE TRIGGER clarifications_40_no_delete BEFORE DELETE ON accountability.clarifications
    FOR EACH ROW EXECUTE FUNCTION accountability.append_only_guard();
ALTER TABLE accountability.clarifications ENABLE ALWAYS TRIGGER clarifications_40_no_delete;

CREATE TRIGGER follow_up_visits_20_number BEFORE INSERT ON accountability.follow_up_visits
    FOR EACH ROW EXECUTE FUNCTION accountability.case_child_trigger('visit_no', 'follow_up');
CREATE TRIGGER follow_up_visits_30_recorded BEFORE UPDATE ON accountability.follow_up_visits
    FOR EACH ROW EXECUTE FUNCTION accountability.only_listed_columns_change();
CREATE TRIGGER follow_up_visits_40_no_delete BEFORE DELETE ON accountability.follow_up_visits
    FOR EACH ROW EXECUTE FUNCTION accountability.append_only_guard();
ALTER TABLE accountability.follow_up_visits ENABLE ALWAYS TRIGGER follow_up_visits_40_no_delete;

-- Early warnings (预警提醒) for signs of trouble, before any case.
CREATE TABLE accountability.early_warnings (
    warning_id      bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    subject_id      bigint NOT NULL REFERENCES accountability.subjects,
    sign            text NOT NULL,
    issued_by       text NOT NULL,
    issued_on       date NOT NULL DEFAULT CURRENT_DATE,
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
COMMENT ON SEQUENCE accountability.early_warnings_warning_id_seq IS 'Identity of early_warnings.warning_id.';

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
    method          text NOT NULL CHECK (method IN ('transfer', 'reassignment', 'removal', 'demotion')),
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
COMMENT ON SEQUENCE accountability.demotions_demotion_id_seq IS 'Identity of demotions.demotion_id.';

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
COMMENT ON FUNCTION accountability.standard_row_guard() IS 'BEFORE UPDATE OR DELETE row trigger on demotion_situations: the national situations are not edited (42501).';
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
COMMENT ON FUNCTION accountability.standard_row_replicated() IS 'BEFORE INSERT row trigger on the seeded catalogues demotion_situations and commendation_kinds (ENABLE REPLICA, so only in a logical-replication worker): a standard row the subscriber''s own CREATE EXTENSION installed is not inserted again.';
CREATE TRIGGER demotion_situations_replicated BEFORE INSERT ON accountability.demotion_situations
    FOR EACH ROW EXECUTE FUNCTION accountability.standard_row_replicated();
ALTER TABLE accountability.demotion_situations ENABLE REPLICA TRIGGER demotion_situations_replicated;

/* Early-warning candidates: who may need a reminder. */

CREATE VIEW accountability.early_warning_candidates WITH (security_invoker = true) AS
SELECT c.subject_id, 'repeated_reports'::text AS reason, NULL::bigint AS case_id,
       format('%s reports in %s days', count(*), max(w.value)) AS detail
FROM accountability.cases c
CROSS JOIN (SELECT value FROM accountability.settings WHERE name OPERATOR(pg_catalog.=) 'report_window') w
WHERE c.kind OPERATOR(pg_catalog.=) 'report'
  AND c.opened_on OPERATOR(pg_catalog.>) (CURRENT_DATE OPERATOR(pg_catalog.-) w.value)
GROUP BY c.subject_id
HAVING count(*) OPERATOR(pg_catalog.>=) (SELECT value FROM accountability.settings WHERE name OPERATOR(pg_catalog.=) 'report_threshold')
UNION ALL
SELECT c.subject_id, 'overdue_follow_up', c.case_id,
       format('next visit was due on %s', coalesce(v.next_due_on::text, 'the first visit'))
FROM accountability.cases c
LEFT JOIN LATERAL (SELECT x.next_due_on, x.concerns_resolved FROM accountability.follow_up_visits x
                   WHERE x.case_id OPERATOR(pg_catalog.=) c.case_id ORDER BY x.visit_no DESC LIMIT 1) v ON true
WHERE c.status OPERATOR(accountability.=) 'follow_up'::accountability.case_status
  AND ((v.next_due_on IS NOT NULL AND v.next_due_on OPERATOR(pg_catalog.<) CURRENT_DATE)
       OR (v.concerns_resolved IS NULL
           AND (SELECT max(e.occurred_at) FROM accountability.case_events e WHERE e.case_id OPERATOR(pg_catalog.=) c.case_id)
               OPERATOR(pg_catalog.<) (CURRENT_DATE OPERATOR(pg_catalog.-)
               (SELECT value FROM accountability.settings WHERE name OPERATOR(pg_catalog.=) 'first_follow_up'))))
UNION ALL
SELECT c.subject_id, 'overdue_case', c.case_id,
       format('%s since %s', c.status::text, c.opened_on)
FROM accountability.cases c
WHERE c.status OPERATOR(accountability.<=) 'investigating'::accountability.case_status
  AND c.opened_on OPERATOR(pg_catalog.<) (CURRENT_DATE OPERATOR(pg_catalog.-)
      (SELECT value FROM accountability.settings WHERE name OPERATOR(pg_catalog.=) 'investigation'));

COMMENT ON VIEW accountability.early_warning_candidates IS 'Subjects who may need an early warning (预警提醒对象): several reports within report_window (repeated_reports), an overdue follow-up visit (overdue_follow_up), a case still unverified past the investigation deadline (overdue_case).';
COMMENT ON COLUMN accountability.early_warning_candidates.subject_id IS 'The subject.';
COMMENT ON COLUMN accountability.early_warning_candidates.reason IS 'repeated_reports 多次被举报, overdue_follow_up 回访逾期, overdue_case 核查逾期.';
COMMENT ON COLUMN accountability.early_warning_candidates.case_id IS 'The case concerned, for the last two reasons.';
COMMENT ON COLUMN accountability.early_warning_candidates.detail IS 'Details.';

/* The whole file of one case (一件一档). */

CREATE FUNCTION accountability.case_dossier(case_id bigint)
RETURNS jsonb
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
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
        'assessment', (SELECT to_jsonb(a) FROM accountability.assess_case(c.case_id) a),
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
    WHERE c.case_id OPERATOR(pg_catalog.=) $1
$$;

COMMENT ON FUNCTION accountability.case_dossier(bigint) IS 'The whole file of one case (一件一档) as JSON: the case, its subject, unit and unit path, every event, the current assessment, determinations, correction plans, clarifications, follow-up visits, related cases, and any history problem. Null when the case does not exist.';

SELECT pg_catalog.pg_extension_config_dump('accountability.clarifications', '');
SELECT pg_catalog.pg_extension_config_dump('accountability.follow_up_visits', '');
SELECT pg_catalog.pg_extension_config_dump('accountability.early_warnings', '');
SELECT pg_catalog.pg_extension_config_dump('accountability.demotion_situations', 'WHERE NOT standard');
SELECT pg_catalog.pg_extension_config_dump('accountability.demotions', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('accountability.early_warnings', 'warning_id')::regclass, '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('accountability.demotions', 'demotion_id')::regclass, '');

/* ------------------------------------------------------------------------
 * 6. Incentives (激励): annual assessments, commendations, mentoring,
 *    training and promotions — what counts for a cadre, beside what the
 *    protection records say must never count against them.
 * ------------------------------------------------------------------------
 */

-- Annual assessments (年度考核) with the national grades.
CREATE TABLE accountability.assessments (
    subject_id      bigint NOT NULL REFERENCES accountability.subjects,
    year            integer NOT NULL CHECK (year BETWEEN 1949 AND 2200),
    grade           text NOT NULL CHECK (grade IN ('excellent', 'competent', 'basically_competent', 'incompetent')),
    assessing_unit_id bigint NOT NULL REFERENCES accountability.units,
    grounds         text,
    ground_case_ids bigint[] NOT NULL DEFAULT '{}',
    decided_on      date NOT NULL,
    PRIMARY KEY (subject_id, year)
);

COMMENT ON TABLE accountability.assessments IS 'Annual assessments (年度考核) with the national grades. A grade below competent must state its grounds, and a tolerated error (容错免责) or a cleared accusation (澄清正名) alone can never be that ground.';
COMMENT ON COLUMN accountability.assessments.subject_id IS 'The cadre assessed.';
COMMENT ON COLUMN accountability.assessments.year IS 'The year assessed (考核年度).';
COMMENT ON COLUMN accountability.assessments.grade IS 'excellent 优秀, competent 称职, basically_competent 基本称职, incompetent 不称职.';
COMMENT ON COLUMN accountability.assessments.assessing_unit_id IS 'The unit that assessed.';
COMMENT ON COLUMN accountability.assessments.grounds IS 'Written grounds for a grade below competent (定等依据).';
COMMENT ON COLUMN accountability.assessments.ground_case_ids IS 'Cases cited as grounds; a tolerated or cleared case is never sufficient on its own.';
COMMENT ON COLUMN accountability.assessments.decided_on IS 'Date the grade was decided.';

-- Commendations (评先评优).
CREATE TABLE accountability.commendation_kinds (
    code     text PRIMARY KEY,
    text_zh  text NOT NULL,
    text_en  text NOT NULL,
    standard boolean NOT NULL DEFAULT false
);
INSERT INTO accountability.commendation_kinds (code, text_zh, text_en, standard) VALUES
    ('good_cadre', '担当作为好干部', 'Good cadre who takes responsibility (the province''s selection since 2019)', true),
    ('advanced_individual', '先进个人', 'Advanced individual', true),
    ('excellent_assessment_award', '年度考核优秀嘉奖', 'Commendation for an excellent annual assessment', true);

COMMENT ON TABLE accountability.commendation_kinds IS 'Kinds of commendation (评先评优类别): the standard ones, and others an administrator adds.';
COMMENT ON COLUMN accountability.commendation_kinds.code IS 'Kind code.';
COMMENT ON COLUMN accountability.commendation_kinds.text_zh IS 'Name in Chinese.';
COMMENT ON COLUMN accountability.commendation_kinds.text_en IS 'Name in English.';
COMMENT ON COLUMN accountability.commendation_kinds.standard IS 'True for the kinds the extension installs (not dumped, not edited).';

CREATE TABLE accountability.commendations (
    commendation_id  bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    subject_id       bigint NOT NULL REFERENCES accountability.subjects,
    kind             text NOT NULL REFERENCES accountability.commendation_kinds,
    year             integer NOT NULL CHECK (year BETWEEN 1949 AND 2200),
    awarding_unit_id bigint NOT NULL REFERENCES accountability.units,
    awarded_on       date NOT NULL,
    citation         text
);
CREATE INDEX commendations_subject_idx ON accountability.commendations (subject_id);

COMMENT ON TABLE accountability.commendations IS 'Commendations (评先评优) a cadre received.';
COMMENT ON COLUMN accountability.commendations.commendation_id IS 'Commendation id.';
COMMENT ON COLUMN accountability.commendations.subject_id IS 'The cadre or organization commended.';
COMMENT ON COLUMN accountability.commendations.kind IS 'The kind (commendation_kinds).';
COMMENT ON COLUMN accountability.commendations.year IS 'The year it is for.';
COMMENT ON COLUMN accountability.commendations.awarding_unit_id IS 'The unit that awarded it.';
COMMENT ON COLUMN accountability.commendations.awarded_on IS 'Date awarded.';
COMMENT ON COLUMN accountability.commendations.citation IS 'What it was for (事迹).';
COMMENT ON SEQUENCE accountability.commendations_commendation_id_seq IS 'Identity of commendations.commendation_id.';

-- Mentoring (导师传帮带).
CREATE TABLE accountability.mentorships (
    mentorship_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    mentor_id     bigint NOT NULL REFERENCES accountability.subjects,
    mentee_id     bigint NOT NULL REFERENCES accountability.subjects,
    unit_id       bigint NOT NULL REFERENCES accountability.units,
    started_on    date NOT NULL,
    ended_on      date,
    CHECK (mentor_id <> mentee_id),
    CHECK (ended_on IS NULL OR ended_on >= started_on)
);
CREATE INDEX mentorships_mentee_idx ON accountability.mentorships (mentee_id);
CREATE INDEX mentorships_mentor_idx ON accountability.mentorships (mentor_id);

COMMENT ON TABLE accountability.mentorships IS 'Mentoring pairs (导师传帮带): an experienced cadre guiding a young one.';
COMMENT ON COLUMN accountability.mentorships.mentorship_id IS 'Mentorship id.';
COMMENT ON COLUMN accountability.mentorships.mentor_id IS 'The mentor (导师).';
COMMENT ON COLUMN accountability.mentorships.mentee_id IS 'The mentee (帮带对象).';
COMMENT ON COLUMN accountability.mentorships.unit_id IS 'The unit that arranged it.';
COMMENT ON COLUMN accountability.mentorships.started_on IS 'From.';
COMMENT ON COLUMN accountability.mentorships.ended_on IS 'To; null while it lasts.';
COMMENT ON SEQUENCE accountability.mentorships_mentorship_id_seq IS 'Identity of mentorships.mentorship_id.';

CREATE TABLE accountability.mentoring_sessions (
    session_id    bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    mentorship_id bigint NOT NULL REFERENCES accountability.mentorships,
    held_on       date NOT NULL,
    topic         text NOT NULL,
    hours         numeric(5,1) CHECK (hours > 0)
);
CREATE INDEX mentoring_sessions_mentorship_idx ON accountability.mentoring_sessions (mentorship_id);

COMMENT ON TABLE accountability.mentoring_sessions IS 'Sessions held by a mentoring pair (传帮带活动).';
COMMENT ON COLUMN accountability.mentoring_sessions.session_id IS 'Session id.';
COMMENT ON COLUMN accountability.mentoring_sessions.mentorship_id IS 'The pair.';
COMMENT ON COLUMN accountability.mentoring_sessions.held_on IS 'Date held.';
COMMENT ON COLUMN accountability.mentoring_sessions.topic IS 'What was covered.';
COMMENT ON COLUMN accountability.mentoring_sessions.hours IS 'Hours.';
COMMENT ON SEQUENCE accountability.mentoring_sessions_session_id_seq IS 'Identity of mentoring_sessions.session_id.';

-- Training (培训).
CREATE TABLE accountability.trainings (
    training_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    subject_id  bigint NOT NULL REFERENCES accountability.subjects,
    course      text NOT NULL,
    provider    text,
    year        integer NOT NULL CHECK (year BETWEEN 1949 AND 2200),
    attended_on date NOT NULL,
    hours       numeric(6,1) NOT NULL CHECK (hours > 0)
);
CREATE INDEX trainings_subject_idx ON accountability.trainings (subject_id, year);

COMMENT ON TABLE accountability.trainings IS 'Courses and training events a cadre attended (培训).';
COMMENT ON COLUMN accountability.trainings.training_id IS 'Training record id.';
COMMENT ON COLUMN accountability.trainings.subject_id IS 'The cadre.';
COMMENT ON COLUMN accountability.trainings.course IS 'Course or event (课程/班次).';
COMMENT ON COLUMN accountability.trainings.provider IS 'Who ran it (主办单位).';
COMMENT ON COLUMN accountability.trainings.year IS 'The year it counts for.';
COMMENT ON COLUMN accountability.trainings.attended_on IS 'Date attended.';
COMMENT ON COLUMN accountability.trainings.hours IS 'Hours (学时).';
COMMENT ON SEQUENCE accountability.trainings_training_id_seq IS 'Identity of trainings.training_id.';

-- Moving up (能上): promotions and appointments.
CREATE TABLE accountability.promotions (
    promotion_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    subject_id   bigint NOT NULL REFERENCES accountability.subjects,
    kind         text NOT NULL CHECK (kind IN ('promotion', 'appointment', 'rank_advance')),
    from_post    text,
    to_post      text NOT NULL,
    unit_id      bigint NOT NULL REFERENCES accountability.units,
    decided_by   text NOT NULL,
    effective_on date NOT NULL
);
CREATE INDEX promotions_subject_idx ON accountability.promotions (subject_id);

COMMENT ON TABLE accountability.promotions IS 'Promotions and appointments (能上: 提拔任用、晋升职级). Refused while a demotion or a sanction is in effect; a tolerated error or a cleared accusation never blocks one.';
COMMENT ON COLUMN accountability.promotions.promotion_id IS 'Promotion id.';
COMMENT ON COLUMN accountability.promotions.subject_id IS 'The cadre.';
COMMENT ON COLUMN accountability.promotions.kind IS 'promotion 提拔, appointment 任职/交流, rank_advance 职级晋升.';
COMMENT ON COLUMN accountability.promotions.from_post IS 'Post before.';
COMMENT ON COLUMN accountability.promotions.to_post IS 'Post after.';
COMMENT ON COLUMN accountability.promotions.unit_id IS 'The unit of the new post.';
COMMENT ON COLUMN accountability.promotions.decided_by IS 'Deciding body (党委/党组).';
COMMENT ON COLUMN accountability.promotions.effective_on IS 'Date effective.';
COMMENT ON SEQUENCE accountability.promotions_promotion_id_seq IS 'Identity of promotions.promotion_id.';

/*
 * Protected cases: a tolerated error without sanction, or a report found
 * untrue.  One definition, used by the assessment and promotion rules and
 * by subject_standing.
 */
CREATE FUNCTION accountability.case_is_protected(case_id bigint)
RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT EXISTS (SELECT 1 FROM accountability.determinations d
                   WHERE d.case_id OPERATOR(pg_catalog.=) $1
                     AND d.determination_no OPERATOR(pg_catalog.=)
                         (SELECT max(x.determination_no) FROM accountability.determinations x
                          WHERE x.case_id OPERATOR(pg_catalog.=) $1)
                     AND d.outcome OPERATOR(accountability.>=) 'exempted'::accountability.tolerance_outcome)
        OR EXISTS (SELECT 1 FROM accountability.case_events e
                   WHERE e.case_id OPERATOR(pg_catalog.=) $1
                     AND e.to_status OPERATOR(accountability.=) 'unfounded'::accountability.case_status)
$$;
COMMENT ON FUNCTION accountability.case_is_protected(bigint) IS 'Whether a case must never count against its subject (不作负面评价): its latest determination waived or excluded accountability (免予/不予问责), or the report was found untrue (失实, whether or not clarified).';

/*
 * The sanctions and demotions in effect for a subject on a date: what may
 * block a promotion.  Tolerated errors are never among them.
 */
CREATE FUNCTION accountability.measures_in_effect(subject_id bigint, on_date date DEFAULT CURRENT_DATE)
RETURNS TABLE (measure text, reference bigint, until date)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT 'sanction', d.case_id, coalesce(d.influence_until, d.decided_on OPERATOR(pg_catalog.+) 365)
    FROM accountability.cases c
    JOIN accountability.determinations d ON d.case_id OPERATOR(pg_catalog.=) c.case_id
    WHERE c.subject_id OPERATOR(pg_catalog.=) $1
      AND d.determination_no OPERATOR(pg_catalog.=) (SELECT max(x.determination_no) FROM accountability.determinations x
                                                      WHERE x.case_id OPERATOR(pg_catalog.=) d.case_id)
      AND d.outcome OPERATOR(accountability.<) 'exempted'::accountability.tolerance_outcome
      AND d.decided_on OPERATOR(pg_catalog.<=) $2
      AND $2 OPERATOR(pg_catalog.<=) coalesce(d.influence_until, d.decided_on OPERATOR(pg_catalog.+) 365)
    UNION ALL
    SELECT 'demotion', m.demotion_id, m.reuse_eligible_on
    FROM accountability.demotions m
    WHERE m.subject_id OPERATOR(pg_catalog.=) $1
      AND m.effective_on OPERATOR(pg_catalog.<=) $2 AND m.reuse_eligible_on OPERATOR(pg_catalog.>) $2
$$;
COMMENT ON FUNCTION accountability.measures_in_effect(bigint, date) IS 'Sanctions (影响期内的问责处理) and demotions (调整期内) in effect for a subject on a date: these, and only these, hold a promotion back.';

CREATE FUNCTION accountability.assessment_trigger()
RETURNS trigger AS 'MODULE_PATHNAME', 'assessment_trigger'
LANGUAGE C PARALLEL UNSAFE;
COMMENT ON FUNCTION accountability.assessment_trigger() IS 'BEFORE INSERT OR UPDATE row trigger on assessments: a grade below competent needs grounds, and a tolerated error or cleared accusation cannot be the only one (23514).';
CREATE TRIGGER assessments_grounds BEFORE INSERT OR UPDATE ON accountability.assessments
    FOR EACH ROW EXECUTE FUNCTION accountability.assessment_trigger();

CREATE FUNCTION accountability.promotion_trigger()
RETURNS trigger AS 'MODULE_PATHNAME', 'promotion_trigger'
LANGUAGE C PARALLEL UNSAFE;
COMMENT ON FUNCTION accountability.promotion_trigger() IS 'BEFORE INSERT row trigger on promotions: refused while a sanction or a demotion is in effect on the effective date (23514); tolerated errors never block.';
CREATE TRIGGER promotions_measures BEFORE INSERT ON accountability.promotions
    FOR EACH ROW EXECUTE FUNCTION accountability.promotion_trigger();

CREATE TRIGGER commendation_kinds_standard BEFORE UPDATE OR DELETE ON accountability.commendation_kinds
    FOR EACH ROW EXECUTE FUNCTION accountability.standard_row_guard();
CREATE TRIGGER commendation_kinds_replicated BEFORE INSERT ON accountability.commendation_kinds
    FOR EACH ROW EXECUTE FUNCTION accountability.standard_row_replicated();
ALTER TABLE accountability.commendation_kinds ENABLE REPLICA TRIGGER commendation_kinds_replicated;

SELECT pg_catalog.pg_extension_config_dump('accountability.assessments', '');
SELECT pg_catalog.pg_extension_config_dump('accountability.commendation_kinds', 'WHERE NOT standard');
SELECT pg_catalog.pg_extension_config_dump('accountability.commendations', '');
SELECT pg_catalog.pg_extension_config_dump('accountability.mentorships', '');
SELECT pg_catalog.pg_extension_config_dump('accountability.mentoring_sessions', '');
SELECT pg_catalog.pg_extension_config_dump('accountability.trainings', '');
SELECT pg_catalog.pg_extension_config_dump('accountability.promotions', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('accountability.commendations', 'commendation_id')::regclass, '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('accountability.mentorships', 'mentorship_id')::regclass, '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('accountability.mentoring_sessions', 'session_id')::regclass, '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('accountability.trainings', 'training_id')::regclass, '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('accountability.promotions', 'promotion_id')::regclass, '');

/* ------------------------------------------------------------------------
 * 7. Reports for BI tools: plain, documented, bilingual views.
 *
 * Every view is security_invoker, so row-level security on the tables
 * applies to whoever queries it.  Report years come from the dates the
 * users record (decided_on, done_on, opened_on), never from transaction
 * timestamps, so a year loaded later still reports as its own year.
 * ------------------------------------------------------------------------
 */

/* A cadre's standing: what an assessment or promotion review should see. */

CREATE VIEW accountability.subject_standing WITH (security_invoker = true) AS
SELECT s.subject_id, s.kind, s.name, s.unit_id,
       -- what counts: measures still in effect
       (SELECT count(*) FROM accountability.measures_in_effect(s.subject_id) m
         WHERE m.measure OPERATOR(pg_catalog.=) 'sanction') AS sanctions_in_effect,
       (SELECT count(*) FROM accountability.measures_in_effect(s.subject_id) m
         WHERE m.measure OPERATOR(pg_catalog.=) 'demotion') AS demotions_in_effect,
       NOT EXISTS (SELECT 1 FROM accountability.measures_in_effect(s.subject_id)) AS may_be_promoted,
       -- what never counts against the cadre
       (SELECT count(*) FROM accountability.cases c
         WHERE c.subject_id OPERATOR(pg_catalog.=) s.subject_id
           AND c.kind OPERATOR(pg_catalog.<>) 'report' AND accountability.case_is_protected(c.case_id))
         AS tolerated_errors,
       (SELECT count(*) FROM accountability.cases c
         WHERE c.subject_id OPERATOR(pg_catalog.=) s.subject_id AND c.kind OPERATOR(pg_catalog.=) 'report'
           AND EXISTS (SELECT 1 FROM accountability.case_events e
                        WHERE e.case_id OPERATOR(pg_catalog.=) c.case_id
                          AND e.to_status OPERATOR(accountability.=) 'unfounded'::accountability.case_status))
         AS unfounded_reports,
       (SELECT count(DISTINCT k.case_id) FROM accountability.clarifications k
          JOIN accountability.cases c ON c.case_id OPERATOR(pg_catalog.=) k.case_id
         WHERE c.subject_id OPERATOR(pg_catalog.=) s.subject_id AND k.done_on IS NOT NULL) AS clarified_reports,
       (SELECT count(*) FROM accountability.early_warnings w
         WHERE w.subject_id OPERATOR(pg_catalog.=) s.subject_id) AS early_warnings,
       -- what counts for the cadre
       (SELECT a.grade FROM accountability.assessments a WHERE a.subject_id OPERATOR(pg_catalog.=) s.subject_id
         ORDER BY a.year DESC LIMIT 1) AS latest_grade,
       (SELECT max(a.year) FROM accountability.assessments a WHERE a.subject_id OPERATOR(pg_catalog.=) s.subject_id)
         AS latest_grade_year,
       (SELECT count(*) FROM accountability.assessments a WHERE a.subject_id OPERATOR(pg_catalog.=) s.subject_id
           AND a.grade OPERATOR(pg_catalog.=) 'excellent') AS excellent_assessments,
       (SELECT count(*) FROM accountability.commendations m WHERE m.subject_id OPERATOR(pg_catalog.=) s.subject_id)
         AS commendations,
       (SELECT count(*) FROM accountability.commendations m WHERE m.subject_id OPERATOR(pg_catalog.=) s.subject_id
           AND m.kind OPERATOR(pg_catalog.=) 'good_cadre') AS good_cadre_awards,
       (SELECT coalesce(sum(t.hours), 0) FROM accountability.trainings t
         WHERE t.subject_id OPERATOR(pg_catalog.=) s.subject_id
           AND t.year OPERATOR(pg_catalog.=) extract(year FROM CURRENT_DATE)::integer) AS training_hours_this_year,
       (SELECT count(*) FROM accountability.mentorships m WHERE m.mentee_id OPERATOR(pg_catalog.=) s.subject_id
           AND (m.ended_on IS NULL OR m.ended_on OPERATOR(pg_catalog.>=) CURRENT_DATE)) AS mentors_now,
       (SELECT count(*) FROM accountability.mentorships m WHERE m.mentor_id OPERATOR(pg_catalog.=) s.subject_id
           AND (m.ended_on IS NULL OR m.ended_on OPERATOR(pg_catalog.>=) CURRENT_DATE)) AS mentees_now,
       (SELECT count(*) FROM accountability.promotions p WHERE p.subject_id OPERATOR(pg_catalog.=) s.subject_id)
         AS promotions,
       (SELECT max(p.effective_on) FROM accountability.promotions p WHERE p.subject_id OPERATOR(pg_catalog.=) s.subject_id)
         AS last_promoted_on,
       (SELECT count(*) FROM accountability.demotions d WHERE d.subject_id OPERATOR(pg_catalog.=) s.subject_id)
         AS demotions
FROM accountability.subjects s;

COMMENT ON VIEW accountability.subject_standing IS 'A cadre''s full profile as an assessment or promotion review should see it (干部考核、选拔任用参考): measures still in effect count; tolerated errors (容错免责) and unfounded or clarified reports are shown only as not held against the cadre (不作负面评价); assessments, commendations, training, mentoring and promotions count for them.';
COMMENT ON COLUMN accountability.subject_standing.subject_id IS 'Subject id.';
COMMENT ON COLUMN accountability.subject_standing.kind IS 'person 个人 or party_org 党组织.';
COMMENT ON COLUMN accountability.subject_standing.name IS 'Name (姓名/名称).';
COMMENT ON COLUMN accountability.subject_standing.unit_id IS 'Unit.';
COMMENT ON COLUMN accountability.subject_standing.sanctions_in_effect IS 'Sanctions (不予容错, 从轻, 减轻) in their influence period today (影响期内): these count.';
COMMENT ON COLUMN accountability.subject_standing.demotions_in_effect IS 'Demotions before their reuse date (调整期内): these count.';
COMMENT ON COLUMN accountability.subject_standing.may_be_promoted IS 'No sanction or demotion in effect today (可提拔使用).';
COMMENT ON COLUMN accountability.subject_standing.tolerated_errors IS 'Errors tolerated without sanction (免予问责, 不予问责): never held against the cadre.';
COMMENT ON COLUMN accountability.subject_standing.unfounded_reports IS 'Reports found untrue (失实): never held against the cadre.';
COMMENT ON COLUMN accountability.subject_standing.clarified_reports IS 'Reports the cadre was publicly cleared of (已澄清正名): never held against the cadre.';
COMMENT ON COLUMN accountability.subject_standing.early_warnings IS 'Early warnings received (预警提醒), for information.';
COMMENT ON COLUMN accountability.subject_standing.latest_grade IS 'Latest annual assessment grade (最近年度考核等次): excellent 优秀, competent 称职, basically_competent 基本称职, incompetent 不称职.';
COMMENT ON COLUMN accountability.subject_standing.latest_grade_year IS 'Its year.';
COMMENT ON COLUMN accountability.subject_standing.excellent_assessments IS 'Years assessed excellent (优秀次数).';
COMMENT ON COLUMN accountability.subject_standing.commendations IS 'Commendations received (评先评优).';
COMMENT ON COLUMN accountability.subject_standing.good_cadre_awards IS 'Good cadre who takes responsibility awards (担当作为好干部).';
COMMENT ON COLUMN accountability.subject_standing.training_hours_this_year IS 'Training hours this year (本年度培训学时).';
COMMENT ON COLUMN accountability.subject_standing.mentors_now IS 'Mentors guiding the cadre now (导师).';
COMMENT ON COLUMN accountability.subject_standing.mentees_now IS 'Young cadres the cadre mentors now (帮带对象).';
COMMENT ON COLUMN accountability.subject_standing.promotions IS 'Promotions and appointments (提拔任用).';
COMMENT ON COLUMN accountability.subject_standing.last_promoted_on IS 'Date of the latest one.';
COMMENT ON COLUMN accountability.subject_standing.demotions IS 'Demotions ever (调整), in effect or not.';

CREATE FUNCTION accountability.subject_standing(subject_id bigint)
RETURNS SETOF accountability.subject_standing
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM accountability.subject_standing v WHERE v.subject_id OPERATOR(pg_catalog.=) $1 $$;
COMMENT ON FUNCTION accountability.subject_standing(bigint) IS 'The standing of one subject (see the view subject_standing).';

-- Each unit with every ancestor (itself included): the rollup path of the reports.
CREATE VIEW accountability.unit_tree WITH (security_invoker = true) AS
WITH RECURSIVE up (unit_id, ancestor_id, depth) AS (
    SELECT u.unit_id, u.unit_id, 0 FROM accountability.units u
    UNION ALL
    SELECT up.unit_id, p.parent_id, up.depth OPERATOR(pg_catalog.+) 1
    FROM up JOIN accountability.units p ON p.unit_id OPERATOR(pg_catalog.=) up.ancestor_id
    WHERE p.parent_id IS NOT NULL
)
SELECT up.unit_id, up.ancestor_id, up.depth FROM up;

COMMENT ON VIEW accountability.unit_tree IS 'Each unit paired with itself and every unit above it (单位层级): the path along which the reports roll up.';
COMMENT ON COLUMN accountability.unit_tree.unit_id IS 'A unit.';
COMMENT ON COLUMN accountability.unit_tree.ancestor_id IS 'The unit itself or one above it.';
COMMENT ON COLUMN accountability.unit_tree.depth IS '0 for the unit itself, 1 for its parent, and so on.';

-- False-accusation figures within the caller's scope, for roles that may not
-- see the cases themselves (reports.c).
CREATE FUNCTION accountability.false_accusation_figures()
RETURNS TABLE (unit_id bigint, year integer, reports bigint, accusers bigint)
AS 'MODULE_PATHNAME', 'false_accusation_figures'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION accountability.false_accusation_figures() IS
'Counts of false-accusation cases (查处诬告陷害) per unit and year within the caller''s scope: distinct reports with a finding and distinct accusers. Counts only, never who accused whom, so BI readers, who may not see those cases, still get the published figures.';

-- The province's published yearly figures, per unit and rolled up.
CREATE VIEW accountability.annual_report WITH (security_invoker = true) AS
WITH latest_determination AS NOT MATERIALIZED (
    -- each case's last determination of each year (a re-determination after
    -- an appeal replaces the first)
    SELECT d.case_id, extract(year FROM d.decided_on)::integer AS year, d.outcome, d.mode
    FROM accountability.determinations d
    WHERE NOT EXISTS (SELECT 1 FROM accountability.determinations n
                      WHERE n.case_id OPERATOR(pg_catalog.=) d.case_id
                        AND n.determination_no OPERATOR(pg_catalog.>) d.determination_no
                        AND extract(year FROM n.decided_on)::integer OPERATOR(pg_catalog.=)
                            extract(year FROM d.decided_on)::integer)
), figures (unit_id, year, measure, n) AS (
    -- tolerance: the year's (latest) determination more lenient than not_tolerable
    SELECT a.unit_id, a.year, m.measure, m.n
    FROM (SELECT c.unit_id, ld.year,
                 count(*) FILTER (WHERE ld.outcome OPERATOR(accountability.>) 'not_tolerable'::accountability.tolerance_outcome
                                    AND c.kind OPERATOR(pg_catalog.<>) 'false_accusation') AS tolerance_cases,
                 count(*) FILTER (WHERE ld.mode OPERATOR(pg_catalog.=) 'application') AS tolerance_applications,
                 count(*) FILTER (WHERE ld.mode OPERATOR(pg_catalog.=) 'application'
                                    AND ld.outcome OPERATOR(accountability.>) 'not_tolerable'::accountability.tolerance_outcome) AS tolerance_grants,
                 count(*) FILTER (WHERE ld.mode OPERATOR(pg_catalog.=) 'ex_officio'
                                    AND ld.outcome OPERATOR(accountability.>) 'not_tolerable'::accountability.tolerance_outcome) AS ex_officio_grants
          FROM latest_determination ld JOIN accountability.cases c ON c.case_id OPERATOR(pg_catalog.=) ld.case_id
          GROUP BY c.unit_id, ld.year) a
    CROSS JOIN LATERAL (VALUES ('tolerance_cases', a.tolerance_cases), ('tolerance_applications', a.tolerance_applications),
                               ('tolerance_grants', a.tolerance_grants), ('ex_officio_grants', a.ex_officio_grants)) m (measure, n)
    UNION ALL
    -- clarified subjects: distinct persons and organizations cleared in the year
    SELECT a.unit_id, a.year, m.measure, m.n
    FROM (SELECT c.unit_id, extract(year FROM k.done_on)::integer AS year,
                 count(DISTINCT c.subject_id) FILTER (WHERE s.kind OPERATOR(pg_catalog.=) 'person') AS persons,
                 count(DISTINCT c.subject_id) FILTER (WHERE s.kind OPERATOR(pg_catalog.=) 'party_org') AS orgs
          FROM accountability.clarifications k
          JOIN accountability.cases c ON c.case_id OPERATOR(pg_catalog.=) k.case_id
          JOIN accountability.subjects s ON s.subject_id OPERATOR(pg_catalog.=) c.subject_id
          WHERE k.done_on IS NOT NULL
          GROUP BY c.unit_id, extract(year FROM k.done_on)::integer) a
    CROSS JOIN LATERAL (VALUES ('clarified_persons', a.persons), ('clarified_organizations', a.orgs)) m (measure, n)
    UNION ALL
    -- false accusations: distinct reports with a finding in the year, and
    -- distinct accusers, counted where the caller may not see the cases
    SELECT f.unit_id, f.year, m.measure, m.n
    FROM accountability.false_accusation_figures() f
    CROSS JOIN LATERAL (VALUES ('false_accusation_cases', f.reports), ('false_accusation_persons', f.accusers)) m (measure, n)
    UNION ALL
    -- reports found untrue, by the year they were registered
    SELECT c.unit_id, extract(year FROM c.opened_on)::integer, 'unfounded_reports', count(*)
    FROM accountability.cases c
    WHERE c.kind OPERATOR(pg_catalog.=) 'report'
      AND EXISTS (SELECT 1 FROM accountability.case_events e
                  WHERE e.case_id OPERATOR(pg_catalog.=) c.case_id
                    AND e.to_status OPERATOR(accountability.=) 'unfounded'::accountability.case_status)
    GROUP BY c.unit_id, extract(year FROM c.opened_on)::integer
    UNION ALL
    -- incentives: good-cadre commendations and excellent assessments, by the awarding unit
    SELECT m.awarding_unit_id, m.year, 'good_cadre_commendations', count(*)
    FROM accountability.commendations m WHERE m.kind OPERATOR(pg_catalog.=) 'good_cadre'
    GROUP BY m.awarding_unit_id, m.year
    UNION ALL
    SELECT a.assessing_unit_id, a.year, 'excellent_assessments', count(*)
    FROM accountability.assessments a WHERE a.grade OPERATOR(pg_catalog.=) 'excellent'
    GROUP BY a.assessing_unit_id, a.year
    UNION ALL
    -- training participation: distinct cadres trained, by their unit
    SELECT s.unit_id, t.year, 'training_participants', count(DISTINCT t.subject_id)
    FROM accountability.trainings t JOIN accountability.subjects s ON s.subject_id OPERATOR(pg_catalog.=) t.subject_id
    GROUP BY s.unit_id, t.year
    UNION ALL
    -- mentoring pairs active at some time in the year
    SELECT m.unit_id, y.year, 'mentoring_pairs', count(*)
    FROM accountability.mentorships m
    CROSS JOIN LATERAL generate_series(extract(year FROM m.started_on)::integer,
                                       extract(year FROM coalesce(m.ended_on, CURRENT_DATE))::integer) y (year)
    GROUP BY m.unit_id, y.year
    UNION ALL
    -- used again (再使用): promotions of cadres with a tolerated or cleared case before them
    SELECT p.unit_id, extract(year FROM p.effective_on)::integer, 'promotions_after_protection', count(*)
    FROM accountability.promotions p
    WHERE EXISTS (SELECT 1 FROM accountability.cases c
                  WHERE c.subject_id OPERATOR(pg_catalog.=) p.subject_id
                    AND c.opened_on OPERATOR(pg_catalog.<=) p.effective_on
                    AND accountability.case_is_protected(c.case_id))
    GROUP BY p.unit_id, extract(year FROM p.effective_on)::integer
)
SELECT f.year, t.ancestor_id AS unit_id, u.name AS unit_name, u.name_en AS unit_name_en, u.level AS unit_level,
       (u.parent_id IS NULL) AS is_province_total,
       coalesce(sum(f.n) FILTER (WHERE f.measure OPERATOR(pg_catalog.=) 'tolerance_cases'), 0)::bigint AS tolerance_cases,
       coalesce(sum(f.n) FILTER (WHERE f.measure OPERATOR(pg_catalog.=) 'tolerance_applications'), 0)::bigint AS tolerance_applications,
       coalesce(sum(f.n) FILTER (WHERE f.measure OPERATOR(pg_catalog.=) 'tolerance_grants'), 0)::bigint AS tolerance_grants,
       coalesce(sum(f.n) FILTER (WHERE f.measure OPERATOR(pg_catalog.=) 'ex_officio_grants'), 0)::bigint AS ex_officio_grants,
       coalesce(sum(f.n) FILTER (WHERE f.measure OPERATOR(pg_catalog.=) 'clarified_persons'), 0)::bigint AS clarified_persons,
       coalesce(sum(f.n) FILTER (WHERE f.measure OPERATOR(pg_catalog.=) 'clarified_organizations'), 0)::bigint AS clarified_organizations,
       coalesce(sum(f.n) FILTER (WHERE f.measure OPERATOR(pg_catalog.=) 'false_accusation_cases'), 0)::bigint AS false_accusation_cases,
       coalesce(sum(f.n) FILTER (WHERE f.measure OPERATOR(pg_catalog.=) 'false_accusation_persons'), 0)::bigint AS false_accusation_persons,
       coalesce(sum(f.n) FILTER (WHERE f.measure OPERATOR(pg_catalog.=) 'unfounded_reports'), 0)::bigint AS unfounded_reports,
       round(coalesce(sum(f.n) FILTER (WHERE f.measure OPERATOR(pg_catalog.=) ANY (ARRAY['clarified_persons', 'clarified_organizations'])), 0)::numeric
             OPERATOR(pg_catalog./) nullif(sum(f.n) FILTER (WHERE f.measure OPERATOR(pg_catalog.=) 'unfounded_reports'), 0), 3) AS clarification_rate,
       coalesce(sum(f.n) FILTER (WHERE f.measure OPERATOR(pg_catalog.=) 'good_cadre_commendations'), 0)::bigint AS good_cadre_commendations,
       coalesce(sum(f.n) FILTER (WHERE f.measure OPERATOR(pg_catalog.=) 'excellent_assessments'), 0)::bigint AS excellent_assessments,
       coalesce(sum(f.n) FILTER (WHERE f.measure OPERATOR(pg_catalog.=) 'training_participants'), 0)::bigint AS training_participants,
       coalesce(sum(f.n) FILTER (WHERE f.measure OPERATOR(pg_catalog.=) 'mentoring_pairs'), 0)::bigint AS mentoring_pairs,
       coalesce(sum(f.n) FILTER (WHERE f.measure OPERATOR(pg_catalog.=) 'promotions_after_protection'), 0)::bigint AS promotions_after_protection
FROM figures f
JOIN accountability.unit_tree t ON t.unit_id OPERATOR(pg_catalog.=) f.unit_id
JOIN accountability.units u ON u.unit_id OPERATOR(pg_catalog.=) t.ancestor_id
GROUP BY f.year, t.ancestor_id, u.name, u.name_en, u.level, u.parent_id;

COMMENT ON VIEW accountability.annual_report IS 'The yearly figures the province publishes (年度工作统计), per year and unit, each unit counting itself and every unit below it (the province row is the provincial total). Distinct counts are distinct within each unit''s own cases, then summed up the tree.';
COMMENT ON COLUMN accountability.annual_report.year IS 'Year (年度), from the recorded dates: decided_on for determinations, done_on for clarifications, opened_on for reports.';
COMMENT ON COLUMN accountability.annual_report.unit_id IS 'Unit (单位) whose subtree is counted.';
COMMENT ON COLUMN accountability.annual_report.unit_name IS 'Unit name (单位名称).';
COMMENT ON COLUMN accountability.annual_report.unit_name_en IS 'Unit name in English.';
COMMENT ON COLUMN accountability.annual_report.unit_level IS 'Level (层级): province, city, county, township, department.';
COMMENT ON COLUMN accountability.annual_report.is_province_total IS 'True on the province''s row: the provincial total (全省合计).';
COMMENT ON COLUMN accountability.annual_report.tolerance_cases IS 'Tolerance cases (容错纠错案例): cases whose determination in the year was more lenient than not_tolerable.';
COMMENT ON COLUMN accountability.annual_report.tolerance_applications IS 'Determinations in the year on a tolerance application (依申请容错).';
COMMENT ON COLUMN accountability.annual_report.tolerance_grants IS 'Of those applications, the ones granted some tolerance (申请获准).';
COMMENT ON COLUMN accountability.annual_report.ex_officio_grants IS 'Tolerance granted ex officio (主动容错).';
COMMENT ON COLUMN accountability.annual_report.clarified_persons IS 'Persons clarified (澄清正名党员干部人数): distinct persons with a clarification done in the year.';
COMMENT ON COLUMN accountability.annual_report.clarified_organizations IS 'Party organizations clarified (澄清正名党组织数).';
COMMENT ON COLUMN accountability.annual_report.false_accusation_cases IS 'False-accusation cases (查处诬告陷害案件数): distinct reports with a false-accusation determination in the year.';
COMMENT ON COLUMN accountability.annual_report.false_accusation_persons IS 'Persons found to have falsely accused (涉及人数): distinct accusers.';
COMMENT ON COLUMN accountability.annual_report.unfounded_reports IS 'Reports registered in the year and found untrue (失实举报数).';
COMMENT ON COLUMN accountability.annual_report.clarification_rate IS 'Clarified subjects ÷ untrue reports (澄清率); null without untrue reports.';
COMMENT ON COLUMN accountability.annual_report.good_cadre_commendations IS 'Good cadres who take responsibility commended (担当作为好干部), by the awarding unit.';
COMMENT ON COLUMN accountability.annual_report.excellent_assessments IS 'Annual assessments graded excellent (年度考核优秀), by the assessing unit.';
COMMENT ON COLUMN accountability.annual_report.training_participants IS 'Distinct cadres trained in the year (参训干部), by their unit.';
COMMENT ON COLUMN accountability.annual_report.mentoring_pairs IS 'Mentoring pairs active in the year (导师传帮带结对).';
COMMENT ON COLUMN accountability.annual_report.promotions_after_protection IS 'Promotions in the year of cadres who had a tolerated error or a cleared accusation before (容错澄清后提拔重用, the "used again" measure).';

-- One row a case, for dashboards.
CREATE VIEW accountability.case_overview WITH (security_invoker = true) AS
SELECT c.case_id, c.kind, c.status::text AS status, accountability.label(c.status, 'en') AS status_en,
       accountability.label(c.status, 'zh') AS status_zh,
       c.unit_id, u.name AS unit_name, u.level AS unit_level,
       (SELECT string_agg(a.name, ' / ' ORDER BY t.depth DESC)
          FROM accountability.unit_tree t JOIN accountability.units a ON a.unit_id OPERATOR(pg_catalog.=) t.ancestor_id
         WHERE t.unit_id OPERATOR(pg_catalog.=) c.unit_id) AS unit_path,
       c.event_on, c.opened_on, (CURRENT_DATE OPERATOR(pg_catalog.-) c.opened_on) AS age_days,
       coalesce(e.occurred_at::date, c.opened_on) AS status_since,
       coalesce(e.occurred_at::date, c.opened_on) OPERATOR(pg_catalog.+) s.value AS due_on,
       (c.status OPERATOR(accountability.<>) 'closed'::accountability.case_status
        AND coalesce(e.occurred_at::date, c.opened_on) OPERATOR(pg_catalog.+) s.value OPERATOR(pg_catalog.<) CURRENT_DATE) AS overdue,
       d.outcome::text AS outcome, accountability.label(d.outcome, 'en') AS outcome_en,
       accountability.label(d.outcome, 'zh') AS outcome_zh, d.decided_on,
       c.event_count
FROM accountability.cases c
JOIN accountability.units u ON u.unit_id OPERATOR(pg_catalog.=) c.unit_id
LEFT JOIN LATERAL (SELECT x.occurred_at FROM accountability.case_events x
                   WHERE x.case_id OPERATOR(pg_catalog.=) c.case_id ORDER BY x.event_no DESC LIMIT 1) e ON true
LEFT JOIN LATERAL (SELECT y.outcome, y.decided_on FROM accountability.determinations y
                   WHERE y.case_id OPERATOR(pg_catalog.=) c.case_id ORDER BY y.determination_no DESC LIMIT 1) d ON true
LEFT JOIN accountability.settings s ON s.name OPERATOR(pg_catalog.=)
    CASE WHEN c.status OPERATOR(accountability.<=) 'investigating'::accountability.case_status THEN 'investigation'
         WHEN c.status OPERATOR(accountability.=) ANY (ARRAY['liable', 'tolerance_review']::accountability.case_status[]) THEN 'determination'
         WHEN c.status OPERATOR(accountability.=) 'determined'::accountability.case_status THEN 'notification'
         WHEN c.status OPERATOR(accountability.=) 'notified'::accountability.case_status THEN 'appeal'
         WHEN c.status OPERATOR(accountability.=) ANY (ARRAY['unfounded', 'filed', 'follow_up']::accountability.case_status[]) THEN 'first_follow_up'
    END;

COMMENT ON VIEW accountability.case_overview IS 'One row a case (案件总览) with its status in both languages, unit and unit path, age, the deadline of its current stage and whether it is overdue, and the latest outcome. No names of persons.';
COMMENT ON COLUMN accountability.case_overview.case_id IS 'Case id.';
COMMENT ON COLUMN accountability.case_overview.kind IS 'report 检举控告, accountability 问责事项, false_accusation 诬告陷害查处.';
COMMENT ON COLUMN accountability.case_overview.status IS 'Status code as text (状态), following accountability.language.';
COMMENT ON COLUMN accountability.case_overview.status_en IS 'Status, English code.';
COMMENT ON COLUMN accountability.case_overview.status_zh IS 'Status, Chinese label (状态).';
COMMENT ON COLUMN accountability.case_overview.unit_id IS 'Handling unit.';
COMMENT ON COLUMN accountability.case_overview.unit_name IS 'Handling unit name (承办单位).';
COMMENT ON COLUMN accountability.case_overview.unit_level IS 'Its level.';
COMMENT ON COLUMN accountability.case_overview.unit_path IS 'Province / city / county ... (单位路径).';
COMMENT ON COLUMN accountability.case_overview.event_on IS 'When the matter happened (事发日期).';
COMMENT ON COLUMN accountability.case_overview.opened_on IS 'When registered (受理日期).';
COMMENT ON COLUMN accountability.case_overview.age_days IS 'Days since registration (已历天数).';
COMMENT ON COLUMN accountability.case_overview.status_since IS 'Date the case entered its current status.';
COMMENT ON COLUMN accountability.case_overview.due_on IS 'Deadline of the current stage (办理期限), from settings; null for closed cases.';
COMMENT ON COLUMN accountability.case_overview.overdue IS 'Past the deadline and not closed (是否逾期).';
COMMENT ON COLUMN accountability.case_overview.outcome IS 'Latest determination''s outcome as text (认定结果), following accountability.language.';
COMMENT ON COLUMN accountability.case_overview.outcome_en IS 'Outcome, English code.';
COMMENT ON COLUMN accountability.case_overview.outcome_zh IS 'Outcome, Chinese label.';
COMMENT ON COLUMN accountability.case_overview.decided_on IS 'Date of the latest determination.';
COMMENT ON COLUMN accountability.case_overview.event_count IS 'Number of transitions so far.';

CREATE VIEW accountability.overdue_cases WITH (security_invoker = true) AS
SELECT o.case_id, o.kind, o.status, o.status_zh, o.unit_id, o.unit_name, o.unit_path, o.status_since, o.due_on,
       (CURRENT_DATE OPERATOR(pg_catalog.-) o.due_on) AS days_overdue
FROM accountability.case_overview o
WHERE o.overdue;

COMMENT ON VIEW accountability.overdue_cases IS 'Open cases past the deadline of their current stage (逾期案件), most overdue first when ordered by days_overdue.';
COMMENT ON COLUMN accountability.overdue_cases.case_id IS 'Case id.';
COMMENT ON COLUMN accountability.overdue_cases.kind IS 'Case kind.';
COMMENT ON COLUMN accountability.overdue_cases.status IS 'Status as text.';
COMMENT ON COLUMN accountability.overdue_cases.status_zh IS 'Status, Chinese label.';
COMMENT ON COLUMN accountability.overdue_cases.unit_id IS 'Handling unit.';
COMMENT ON COLUMN accountability.overdue_cases.unit_name IS 'Handling unit name.';
COMMENT ON COLUMN accountability.overdue_cases.unit_path IS 'Unit path.';
COMMENT ON COLUMN accountability.overdue_cases.status_since IS 'Date the current stage began.';
COMMENT ON COLUMN accountability.overdue_cases.due_on IS 'Its deadline.';
COMMENT ON COLUMN accountability.overdue_cases.days_overdue IS 'Days past the deadline (逾期天数).';

CREATE VIEW accountability.follow_up_due WITH (security_invoker = true) AS
SELECT c.case_id, c.kind, c.unit_id, u.name AS unit_name, v.visit_no AS last_visit_no, v.visited_on AS last_visited_on,
       coalesce(v.next_due_on,
                coalesce(e.occurred_at::date, c.opened_on) OPERATOR(pg_catalog.+)
                (SELECT s.value FROM accountability.settings s WHERE s.name OPERATOR(pg_catalog.=) 'first_follow_up')) AS next_due_on,
       (v.visit_no IS NULL) AS first_visit
FROM accountability.cases c
JOIN accountability.units u ON u.unit_id OPERATOR(pg_catalog.=) c.unit_id
LEFT JOIN LATERAL (SELECT x.visit_no, x.visited_on, x.next_due_on FROM accountability.follow_up_visits x
                   WHERE x.case_id OPERATOR(pg_catalog.=) c.case_id ORDER BY x.visit_no DESC LIMIT 1) v ON true
LEFT JOIN LATERAL (SELECT x.occurred_at FROM accountability.case_events x
                   WHERE x.case_id OPERATOR(pg_catalog.=) c.case_id ORDER BY x.event_no DESC LIMIT 1) e ON true
WHERE c.status OPERATOR(accountability.=) 'follow_up'::accountability.case_status;

COMMENT ON VIEW accountability.follow_up_due IS 'Cases in follow-up (跟踪回访) and when the next visit is due: the date the last visit set, or the first-visit deadline after the case entered follow-up.';
COMMENT ON COLUMN accountability.follow_up_due.case_id IS 'Case id.';
COMMENT ON COLUMN accountability.follow_up_due.kind IS 'Case kind.';
COMMENT ON COLUMN accountability.follow_up_due.unit_id IS 'Handling unit.';
COMMENT ON COLUMN accountability.follow_up_due.unit_name IS 'Handling unit name.';
COMMENT ON COLUMN accountability.follow_up_due.last_visit_no IS 'The latest visit''s number; null before the first visit.';
COMMENT ON COLUMN accountability.follow_up_due.last_visited_on IS 'Date of the latest visit (上次回访).';
COMMENT ON COLUMN accountability.follow_up_due.next_due_on IS 'When the next visit is due (下次回访).';
COMMENT ON COLUMN accountability.follow_up_due.first_visit IS 'True when no visit has been made yet.';

CREATE VIEW accountability.tolerance_by_situation WITH (security_invoker = true) AS
SELECT extract(year FROM d.decided_on)::integer AS year,
       coalesce(d.facts OPERATOR(pg_catalog.->>) 'situation', '(none)') AS situation,
       coalesce(r.text_zh, i.text_zh) AS situation_zh,
       coalesce(r.text_en, i.text_en) AS situation_en,
       (d.facts OPERATOR(pg_catalog.->>) 'situation_listed')::boolean AS listed,
       d.mode,
       d.outcome::text AS outcome, accountability.label(d.outcome, 'en') AS outcome_en,
       accountability.label(d.outcome, 'zh') AS outcome_zh,
       count(*) AS determinations
FROM accountability.determinations d
JOIN accountability.cases c ON c.case_id OPERATOR(pg_catalog.=) d.case_id
LEFT JOIN accountability.tolerance_rules() r
       ON r.code OPERATOR(pg_catalog.=) ('SITUATION_' OPERATOR(pg_catalog.||) upper(d.facts OPERATOR(pg_catalog.->>) 'situation'))
LEFT JOIN LATERAL (SELECT x.text_zh, x.text_en FROM accountability.tolerance_list_items x
                   WHERE x.code OPERATOR(pg_catalog.=) (d.facts OPERATOR(pg_catalog.->>) 'situation')
                   ORDER BY x.valid_from DESC LIMIT 1) i ON true
WHERE c.kind OPERATOR(pg_catalog.<>) 'false_accusation'
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;

COMMENT ON VIEW accountability.tolerance_by_situation IS 'Determinations by year, tolerance situation (national code or list item), mode and outcome (容错情形统计).';
COMMENT ON COLUMN accountability.tolerance_by_situation.year IS 'Year of the decision.';
COMMENT ON COLUMN accountability.tolerance_by_situation.situation IS 'Situation code as recorded, or (none).';
COMMENT ON COLUMN accountability.tolerance_by_situation.situation_zh IS 'The situation in Chinese (national situation or list item text).';
COMMENT ON COLUMN accountability.tolerance_by_situation.situation_en IS 'The situation in English.';
COMMENT ON COLUMN accountability.tolerance_by_situation.listed IS 'Whether the situation was on a tolerance list in force (属于容错清单).';
COMMENT ON COLUMN accountability.tolerance_by_situation.mode IS 'ordinary, application 依申请 or ex_officio 主动.';
COMMENT ON COLUMN accountability.tolerance_by_situation.outcome IS 'Outcome as text.';
COMMENT ON COLUMN accountability.tolerance_by_situation.outcome_en IS 'Outcome, English code.';
COMMENT ON COLUMN accountability.tolerance_by_situation.outcome_zh IS 'Outcome, Chinese label.';
COMMENT ON COLUMN accountability.tolerance_by_situation.determinations IS 'Number of determinations.';

-- Indexes the reports use: by year, as the views filter.
CREATE INDEX cases_opened_year_idx ON accountability.cases ((extract(year FROM opened_on)::integer));
CREATE INDEX determinations_decided_year_idx ON accountability.determinations ((extract(year FROM decided_on)::integer));
CREATE INDEX assessments_year_idx ON accountability.assessments (year);
CREATE INDEX commendations_year_idx ON accountability.commendations (year);
CREATE INDEX trainings_year_idx ON accountability.trainings (year);
CREATE INDEX promotions_year_idx ON accountability.promotions ((extract(year FROM effective_on)::integer));
CREATE INDEX clarifications_done_year_idx ON accountability.clarifications ((extract(year FROM done_on)::integer))
    WHERE done_on IS NOT NULL;
CREATE INDEX case_events_unfounded_idx ON accountability.case_events (case_id)
    WHERE to_status OPERATOR(accountability.=) 'unfounded'::accountability.case_status;

/* ------------------------------------------------------------------------
 * 8. Security: group roles, privileges, row-level security by unit.
 *
 * Four group roles (NOLOGIN, cluster-wide, created when absent and left in
 * place by DROP EXTENSION), each a member of the one before it (the install
 * adds a missing membership to roles that already exist):
 *
 *   accountability_reader    BI: the views and tables, within its units;
 *                            never a false-accusation case, never
 *                            subjects.identity_type
 *   accountability_clerk     + registers cases and moves them; subjects,
 *                            correction plans, clarifications, visits,
 *                            early warnings, notification dates
 *   accountability_reviewer  + determinations, false-accusation cases and
 *                            the accuser's identity, demotions, dossiers
 *   accountability_admin     + units, tolerance lists, settings, the
 *                            demotion catalogue, the role-to-unit mapping,
 *                            import mode (SET accountability.import)
 *
 * PUBLIC keeps USAGE on the schema and on the two types, and EXECUTE on
 * the functions that using them needs (I/O, comparison, hashing, casts,
 * labels, min/max); nothing else.  Every other function and every table
 * is granted to a group role.
 *
 * Row-level security: role_units maps roles to units; a role sees and
 * changes the rows of its units and every unit below them, for the roles
 * it has the privileges of (pg_has_role ... 'USAGE'), so the scope follows
 * from the role and no setting a client could change.  The policy
 * functions are SECURITY INVOKER: they must see who is asking, and a
 * SECURITY DEFINER function only sees its owner.  The table owner (the
 * superuser who ran CREATE EXTENSION), superusers and BYPASSRLS roles are
 * not subject to the policies: pg_dump runs as one of them.  The C
 * triggers run their lookups and the history write as the table owner.
 *
 * A section added after this one grants its own objects: REVOKE/GRANT here
 * only covers what exists above.  tests/security.sql fails on a function
 * executable by PUBLIC beyond the types', a function or view granted to no
 * group role, a view that is not security_invoker, and a table without
 * row-level security other than the four catalogues.
 * ------------------------------------------------------------------------
 */

-- The group roles, when absent, and their hierarchy.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT v.name, v.includes, v.description
        FROM (VALUES
            (1, 'accountability_reader', NULL,
             'pg_accountability: BI readers. SELECT on the views and tables within the units mapped in accountability.role_units; no false-accusation case, no subjects.identity_type.'),
            (2, 'accountability_clerk', 'accountability_reader',
             'pg_accountability: clerks. Register and move cases; record subjects, correction plans, clarifications, follow-up visits, early warnings, notification dates. Includes accountability_reader.'),
            (3, 'accountability_reviewer', 'accountability_clerk',
             'pg_accountability: reviewers. Record determinations and demotions; handle false-accusation cases and read the accuser''s identity; case dossiers. Includes accountability_clerk.'),
            (4, 'accountability_admin', 'accountability_reviewer',
             'pg_accountability: administrators. Units, tolerance lists, settings, the demotion catalogue, the role-to-unit mapping, import mode. Includes accountability_reviewer.')
        ) AS v (ord, name, includes, description)
        ORDER BY v.ord
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) r.name) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r.name);
            EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', r.name, r.description);
        END IF;
        IF r.includes IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM pg_catalog.pg_auth_members m
            WHERE m.roleid OPERATOR(pg_catalog.=) (SELECT oid FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) r.includes)
              AND m.member OPERATOR(pg_catalog.=) (SELECT oid FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) r.name))
        THEN
            EXECUTE pg_catalog.format('GRANT %I TO %I', r.includes, r.name);
        END IF;
    END LOOP;
END
$$;

-- Which units each role covers; the units below a mapped unit come with it.
CREATE TABLE accountability.role_units (
    role_id    regrole NOT NULL CHECK (role_id::oid OPERATOR(pg_catalog.<>) 0),
    unit_id    bigint NOT NULL REFERENCES accountability.units,
    granted_at timestamptz NOT NULL DEFAULT now(),
    granted_by text NOT NULL DEFAULT current_user,
    PRIMARY KEY (role_id, unit_id)
);
CREATE INDEX role_units_unit_idx ON accountability.role_units (unit_id);

COMMENT ON TABLE accountability.role_units IS 'Row-level security scope (数据权限): the units each role covers. A role sees and changes the rows of these units and every unit below them, together with the units of every role it has the privileges of. Maintained by administrators; each role sees its own rows.';
COMMENT ON COLUMN accountability.role_units.role_id IS 'A login or group role; dumped and restored by name. Delete its rows before dropping the role.';
COMMENT ON COLUMN accountability.role_units.unit_id IS 'The unit covered, with every unit below it.';
COMMENT ON COLUMN accountability.role_units.granted_at IS 'When the mapping was added.';
COMMENT ON COLUMN accountability.role_units.granted_by IS 'The database role that added it.';

SELECT pg_catalog.pg_extension_config_dump('accountability.role_units', '');

/*
 * The scope of the current role.  SECURITY INVOKER on purpose: current_user
 * inside a SECURITY DEFINER function is the function's owner.  The policies
 * call each one in a sub-select, so it runs once per query as an InitPlan.
 */

CREATE FUNCTION accountability.visible_units()
RETURNS bigint[]
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH RECURSIVE scope (unit_id) AS (
        SELECT r.unit_id FROM accountability.role_units r
        WHERE pg_catalog.pg_has_role(r.role_id::pg_catalog.oid, 'USAGE')
        UNION
        SELECT u.unit_id FROM accountability.units u
        JOIN scope s ON u.parent_id OPERATOR(pg_catalog.=) s.unit_id
    )
    SELECT coalesce(pg_catalog.array_agg(scope.unit_id ORDER BY scope.unit_id), '{}'::bigint[]) FROM scope
$$;

CREATE FUNCTION accountability.sees_all_units()
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT NOT EXISTS (
        SELECT 1 FROM accountability.units u
        WHERE u.parent_id IS NULL
          AND NOT EXISTS (SELECT 1 FROM accountability.role_units r
                          WHERE r.unit_id OPERATOR(pg_catalog.=) u.unit_id
                            AND pg_catalog.pg_has_role(r.role_id::pg_catalog.oid, 'USAGE')))
$$;

CREATE FUNCTION accountability.sees_accusers()
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_catalog.pg_has_role('accountability_reviewer', 'USAGE') $$;

COMMENT ON FUNCTION accountability.visible_units() IS 'The units in the current role''s scope (数据权限范围): those mapped in role_units to it or to any role it has the privileges of, and every unit below them. Used by the row-level security policies.';
COMMENT ON FUNCTION accountability.sees_all_units() IS 'Whether the current role''s scope covers every unit (every top-level unit is mapped), so the policies need not look at unit ids.';
COMMENT ON FUNCTION accountability.sees_accusers() IS 'Whether the current role may see false-accusation cases and the accuser''s identity: it has the privileges of accountability_reviewer (so also accountability_admin).';

/* Privileges: nothing for PUBLIC beyond using the two types. */

REVOKE ALL ON ALL TABLES IN SCHEMA accountability FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA accountability FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA accountability FROM PUBLIC;
REVOKE ALL ON TYPE accountability.tolerance_assessment FROM PUBLIC;

-- Using the two types: schema USAGE (to name them), their I/O, comparison,
-- hashing, casts, labels and min/max.
GRANT USAGE ON SCHEMA accountability TO PUBLIC;
GRANT USAGE ON TYPE accountability.case_status, accountability.tolerance_outcome TO PUBLIC;
GRANT EXECUTE ON FUNCTION
    accountability.case_status_in(cstring),
    accountability.case_status_out(accountability.case_status),
    accountability.case_status_recv(internal),
    accountability.case_status_send(accountability.case_status),
    accountability.case_status_eq(accountability.case_status, accountability.case_status),
    accountability.case_status_ne(accountability.case_status, accountability.case_status),
    accountability.case_status_lt(accountability.case_status, accountability.case_status),
    accountability.case_status_le(accountability.case_status, accountability.case_status),
    accountability.case_status_gt(accountability.case_status, accountability.case_status),
    accountability.case_status_ge(accountability.case_status, accountability.case_status),
    accountability.case_status_cmp(accountability.case_status, accountability.case_status),
    accountability.case_status_sortsupport(internal),
    accountability.case_status_hash(accountability.case_status),
    accountability.case_status_hash_extended(accountability.case_status, bigint),
    accountability.case_status_larger(accountability.case_status, accountability.case_status),
    accountability.case_status_smaller(accountability.case_status, accountability.case_status),
    accountability.case_status_from_text(text),
    accountability.case_status_to_text(accountability.case_status),
    accountability.label(accountability.case_status, text),
    accountability.min(accountability.case_status),
    accountability.max(accountability.case_status),
    accountability.tolerance_outcome_in(cstring),
    accountability.tolerance_outcome_out(accountability.tolerance_outcome),
    accountability.tolerance_outcome_recv(internal),
    accountability.tolerance_outcome_send(accountability.tolerance_outcome),
    accountability.tolerance_outcome_eq(accountability.tolerance_outcome, accountability.tolerance_outcome),
    accountability.tolerance_outcome_ne(accountability.tolerance_outcome, accountability.tolerance_outcome),
    accountability.tolerance_outcome_lt(accountability.tolerance_outcome, accountability.tolerance_outcome),
    accountability.tolerance_outcome_le(accountability.tolerance_outcome, accountability.tolerance_outcome),
    accountability.tolerance_outcome_gt(accountability.tolerance_outcome, accountability.tolerance_outcome),
    accountability.tolerance_outcome_ge(accountability.tolerance_outcome, accountability.tolerance_outcome),
    accountability.tolerance_outcome_cmp(accountability.tolerance_outcome, accountability.tolerance_outcome),
    accountability.tolerance_outcome_sortsupport(internal),
    accountability.tolerance_outcome_hash(accountability.tolerance_outcome),
    accountability.tolerance_outcome_hash_extended(accountability.tolerance_outcome, bigint),
    accountability.tolerance_outcome_larger(accountability.tolerance_outcome, accountability.tolerance_outcome),
    accountability.tolerance_outcome_smaller(accountability.tolerance_outcome, accountability.tolerance_outcome),
    accountability.tolerance_outcome_from_text(text),
    accountability.tolerance_outcome_to_text(accountability.tolerance_outcome),
    accountability.label(accountability.tolerance_outcome, text),
    accountability.min(accountability.tolerance_outcome),
    accountability.max(accountability.tolerance_outcome)
TO PUBLIC;

-- Readers: the state machine, the decision procedure, assessments, the
-- history check, standing, their own scope.  (facts_are_valid is the CHECK
-- on cases.facts: whoever writes a case executes it.)
GRANT USAGE ON TYPE accountability.tolerance_assessment TO accountability_reader;
GRANT EXECUTE ON FUNCTION
    accountability.can_transition(accountability.case_status, accountability.case_status),
    accountability.next_statuses(accountability.case_status),
    accountability.assess_tolerance(jsonb),
    accountability.facts_are_valid(jsonb),
    accountability.tolerance_rules(),
    accountability.case_facts(bigint),
    accountability.assess_case(bigint),
    accountability.event_hash(bytea, bigint, integer, text, accountability.case_status,
                              accountability.case_status, timestamptz, text, text, text),
    accountability.verify_history(bigint),
    accountability.subject_standing(bigint),
    accountability.visible_units(),
    accountability.sees_all_units(),
    accountability.sees_accusers(),
    accountability.case_is_protected(bigint),
    accountability.measures_in_effect(bigint, date),
    accountability.false_accusation_figures()
TO accountability_reader;
-- The whole file of a case names the accuser of a false-accusation case
-- and the subject's identity type: reviewers.
GRANT EXECUTE ON FUNCTION accountability.case_dossier(bigint) TO accountability_reviewer;
-- The trigger functions are granted to nobody: triggers fire without it.

-- Catalogues: read by everyone with a role, kept by administrators.
GRANT SELECT ON accountability.units, accountability.settings, accountability.tolerance_list_items,
    accountability.demotion_situations, accountability.role_units TO accountability_reader;
GRANT INSERT, UPDATE, DELETE ON accountability.units, accountability.tolerance_list_items,
    accountability.demotion_situations, accountability.role_units TO accountability_admin;
GRANT INSERT, UPDATE ON accountability.settings TO accountability_admin;

-- The case record, within the role's units.
GRANT SELECT ON accountability.cases, accountability.case_events, accountability.determinations,
    accountability.correction_plans, accountability.clarifications, accountability.follow_up_visits,
    accountability.early_warnings, accountability.demotions,
    accountability.subject_standing, accountability.early_warning_candidates,
    accountability.unit_tree, accountability.annual_report, accountability.case_overview,
    accountability.overdue_cases, accountability.follow_up_due, accountability.tolerance_by_situation
    TO accountability_reader;
GRANT SELECT (subject_id, kind, name, unit_id, post, rank) ON accountability.subjects TO accountability_reader;

GRANT INSERT, UPDATE ON accountability.cases, accountability.correction_plans,
    accountability.clarifications, accountability.follow_up_visits,
    accountability.early_warnings TO accountability_clerk;
GRANT INSERT (kind, name, unit_id, post, rank), UPDATE (name, unit_id, post, rank)
    ON accountability.subjects TO accountability_clerk;
GRANT UPDATE (notified_on) ON accountability.determinations TO accountability_clerk;

GRANT SELECT, INSERT, UPDATE ON accountability.subjects TO accountability_reviewer;
GRANT INSERT, UPDATE ON accountability.determinations, accountability.demotions TO accountability_reviewer;

GRANT DELETE ON accountability.subjects TO accountability_admin;
-- Bulk import of historical cases (a superuser-only setting otherwise).
GRANT SET ON PARAMETER accountability.import TO accountability_admin;

/*
 * Row-level security.  Each policy's sub-selects are InitPlans, evaluated
 * once per query; the comparisons are LEAKPROOF, so a query's own
 * conditions (status = ..., case_id = ...) still use their indexes.
 * DELETE has no policy: the guards refuse it and no role holds it on the
 * case record.
 */

ALTER TABLE accountability.cases ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.case_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.determinations ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.correction_plans ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.clarifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.follow_up_visits ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.subjects ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.early_warnings ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.demotions ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.role_units ENABLE ROW LEVEL SECURITY;

-- Cases of the role's units; false-accusation cases (whose subject is the
-- accuser) only for reviewers and administrators.
CREATE POLICY cases_in_scope ON accountability.cases
    USING (((SELECT accountability.sees_all_units())
            OR unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[]))
           AND (kind OPERATOR(pg_catalog.<>) 'false_accusation' OR (SELECT accountability.sees_accusers())))
    WITH CHECK (((SELECT accountability.sees_all_units())
                 OR unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[]))
                AND (kind OPERATOR(pg_catalog.<>) 'false_accusation' OR (SELECT accountability.sees_accusers())));

-- Rows that hang off a case: those of the cases the role sees.
CREATE POLICY case_events_in_scope ON accountability.case_events FOR SELECT
    USING (((SELECT accountability.sees_all_units()) AND (SELECT accountability.sees_accusers()))
           OR EXISTS (SELECT 1 FROM accountability.cases c
                      WHERE c.case_id OPERATOR(pg_catalog.=) case_events.case_id));
CREATE POLICY determinations_in_scope ON accountability.determinations
    USING (((SELECT accountability.sees_all_units()) AND (SELECT accountability.sees_accusers()))
           OR EXISTS (SELECT 1 FROM accountability.cases c
                      WHERE c.case_id OPERATOR(pg_catalog.=) determinations.case_id));
CREATE POLICY correction_plans_in_scope ON accountability.correction_plans
    USING (((SELECT accountability.sees_all_units()) AND (SELECT accountability.sees_accusers()))
           OR EXISTS (SELECT 1 FROM accountability.cases c
                      WHERE c.case_id OPERATOR(pg_catalog.=) correction_plans.case_id));
CREATE POLICY clarifications_in_scope ON accountability.clarifications
    USING (((SELECT accountability.sees_all_units()) AND (SELECT accountability.sees_accusers()))
           OR EXISTS (SELECT 1 FROM accountability.cases c
                      WHERE c.case_id OPERATOR(pg_catalog.=) clarifications.case_id));
CREATE POLICY follow_up_visits_in_scope ON accountability.follow_up_visits
    USING (((SELECT accountability.sees_all_units()) AND (SELECT accountability.sees_accusers()))
           OR EXISTS (SELECT 1 FROM accountability.cases c
                      WHERE c.case_id OPERATOR(pg_catalog.=) follow_up_visits.case_id));

-- Subjects of the role's units, and the subjects of the cases it sees.  A
-- subject with an identity type (an accuser's) only for reviewers, unless
-- the role sees a case of theirs: a reader never learns who accused whom.
CREATE POLICY subjects_in_scope ON accountability.subjects
    USING ((((SELECT accountability.sees_all_units())
             OR unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[]))
            AND (identity_type IS NULL OR (SELECT accountability.sees_accusers())))
           OR EXISTS (SELECT 1 FROM accountability.cases c
                      WHERE c.subject_id OPERATOR(pg_catalog.=) subjects.subject_id))
    WITH CHECK ((SELECT accountability.sees_all_units())
                OR unit_id OPERATOR(pg_catalog.=) ANY ((SELECT accountability.visible_units())::bigint[]));

-- Records about a subject: those of the subjects the role sees.
CREATE POLICY early_warnings_in_scope ON accountability.early_warnings
    USING (((SELECT accountability.sees_all_units()) AND (SELECT accountability.sees_accusers()))
           OR EXISTS (SELECT 1 FROM accountability.subjects s
                      WHERE s.subject_id OPERATOR(pg_catalog.=) early_warnings.subject_id));
CREATE POLICY demotions_in_scope ON accountability.demotions
    USING (((SELECT accountability.sees_all_units()) AND (SELECT accountability.sees_accusers()))
           OR EXISTS (SELECT 1 FROM accountability.subjects s
                      WHERE s.subject_id OPERATOR(pg_catalog.=) demotions.subject_id));

-- The mapping: administrators see and keep all of it; others see their own.
CREATE POLICY role_units_own ON accountability.role_units FOR SELECT
    USING (pg_catalog.pg_has_role(role_id::pg_catalog.oid, 'USAGE')
           OR pg_catalog.pg_has_role('accountability_admin', 'USAGE'));
CREATE POLICY role_units_admin ON accountability.role_units
    USING (pg_catalog.pg_has_role('accountability_admin', 'USAGE'))
    WITH CHECK (pg_catalog.pg_has_role('accountability_admin', 'USAGE'));

COMMENT ON POLICY cases_in_scope ON accountability.cases IS 'A role sees and changes the cases of the units in its scope (visible_units()); false-accusation cases only with the privileges of accountability_reviewer.';
COMMENT ON POLICY case_events_in_scope ON accountability.case_events IS 'The history of the cases the role sees.';
COMMENT ON POLICY determinations_in_scope ON accountability.determinations IS 'The determinations of the cases the role sees.';
COMMENT ON POLICY correction_plans_in_scope ON accountability.correction_plans IS 'The correction plans of the cases the role sees.';
COMMENT ON POLICY clarifications_in_scope ON accountability.clarifications IS 'The clarifications of the cases the role sees.';
COMMENT ON POLICY follow_up_visits_in_scope ON accountability.follow_up_visits IS 'The follow-up visits of the cases the role sees.';
COMMENT ON POLICY subjects_in_scope ON accountability.subjects IS 'Subjects of the units in the role''s scope and of the cases it sees; a subject with an identity type (an accuser) only for reviewers unless a visible case concerns them. New and changed subjects must be in the scope.';
COMMENT ON POLICY early_warnings_in_scope ON accountability.early_warnings IS 'The early warnings of the subjects the role sees.';
COMMENT ON POLICY demotions_in_scope ON accountability.demotions IS 'The demotions of the subjects the role sees.';
COMMENT ON POLICY role_units_own ON accountability.role_units IS 'A role sees the mappings of the roles it has the privileges of; administrators see all.';
COMMENT ON POLICY role_units_admin ON accountability.role_units IS 'Only administrators change the mapping.';

/*
 * The incentive records (section 6): read within scope by readers, kept by
 * clerks (training, mentoring, commendations) and reviewers (assessments,
 * promotions); the commendation catalogue by administrators.
 */
GRANT SELECT ON accountability.assessments, accountability.commendation_kinds, accountability.commendations,
    accountability.mentorships, accountability.mentoring_sessions, accountability.trainings,
    accountability.promotions TO accountability_reader;
GRANT INSERT, UPDATE ON accountability.commendations, accountability.mentorships,
    accountability.mentoring_sessions, accountability.trainings TO accountability_clerk;
GRANT INSERT, UPDATE ON accountability.assessments, accountability.promotions TO accountability_reviewer;
GRANT INSERT, UPDATE, DELETE ON accountability.commendation_kinds TO accountability_admin;

ALTER TABLE accountability.assessments ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.commendations ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.mentorships ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.mentoring_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.trainings ENABLE ROW LEVEL SECURITY;
ALTER TABLE accountability.promotions ENABLE ROW LEVEL SECURITY;

CREATE POLICY assessments_in_scope ON accountability.assessments
    USING (((SELECT accountability.sees_all_units()) AND (SELECT accountability.sees_accusers()))
           OR EXISTS (SELECT 1 FROM accountability.subjects s
                      WHERE s.subject_id OPERATOR(pg_catalog.=) assessments.subject_id));
CREATE POLICY commendations_in_scope ON accountability.commendations
    USING (((SELECT accountability.sees_all_units()) AND (SELECT accountability.sees_accusers()))
           OR EXISTS (SELECT 1 FROM accountability.subjects s
                      WHERE s.subject_id OPERATOR(pg_catalog.=) commendations.subject_id));
CREATE POLICY mentorships_in_scope ON accountability.mentorships
    USING (((SELECT accountability.sees_all_units()) AND (SELECT accountability.sees_accusers()))
           OR EXISTS (SELECT 1 FROM accountability.subjects s
                      WHERE s.subject_id OPERATOR(pg_catalog.=) mentorships.mentee_id));
CREATE POLICY mentoring_sessions_in_scope ON accountability.mentoring_sessions
    USING (EXISTS (SELECT 1 FROM accountability.mentorships m
                   WHERE m.mentorship_id OPERATOR(pg_catalog.=) mentoring_sessions.mentorship_id));
CREATE POLICY trainings_in_scope ON accountability.trainings
    USING (((SELECT accountability.sees_all_units()) AND (SELECT accountability.sees_accusers()))
           OR EXISTS (SELECT 1 FROM accountability.subjects s
                      WHERE s.subject_id OPERATOR(pg_catalog.=) trainings.subject_id));
CREATE POLICY promotions_in_scope ON accountability.promotions
    USING (((SELECT accountability.sees_all_units()) AND (SELECT accountability.sees_accusers()))
           OR EXISTS (SELECT 1 FROM accountability.subjects s
                      WHERE s.subject_id OPERATOR(pg_catalog.=) promotions.subject_id));

COMMENT ON POLICY assessments_in_scope ON accountability.assessments IS 'The assessments of the subjects the role sees.';
COMMENT ON POLICY commendations_in_scope ON accountability.commendations IS 'The commendations of the subjects the role sees.';
COMMENT ON POLICY mentorships_in_scope ON accountability.mentorships IS 'The mentoring pairs of the mentees the role sees.';
COMMENT ON POLICY mentoring_sessions_in_scope ON accountability.mentoring_sessions IS 'The sessions of the pairs the role sees.';
COMMENT ON POLICY trainings_in_scope ON accountability.trainings IS 'The training records of the subjects the role sees.';
COMMENT ON POLICY promotions_in_scope ON accountability.promotions IS 'The promotions of the subjects the role sees.';

/* Subjects without the identity type, for readers and clerks (SELECT * works). */
CREATE VIEW accountability.subject_directory WITH (security_invoker = true) AS
SELECT s.subject_id, s.kind, s.name, s.unit_id, s.post, s.rank
FROM accountability.subjects s;

COMMENT ON VIEW accountability.subject_directory IS 'Subjects (对象) without their identity type, for roles that may not read it: SELECT * on subjects needs the privileges of accountability_reviewer. Row-level security of subjects applies.';
COMMENT ON COLUMN accountability.subject_directory.subject_id IS 'Subject id.';
COMMENT ON COLUMN accountability.subject_directory.kind IS 'person 个人 or party_org 党组织.';
COMMENT ON COLUMN accountability.subject_directory.name IS 'Name (姓名/名称).';
COMMENT ON COLUMN accountability.subject_directory.unit_id IS 'The unit the subject belongs to (所在单位).';
COMMENT ON COLUMN accountability.subject_directory.post IS 'Post (职务).';
COMMENT ON COLUMN accountability.subject_directory.rank IS 'Rank (职级).';
GRANT SELECT ON accountability.subject_directory TO accountability_reader;
