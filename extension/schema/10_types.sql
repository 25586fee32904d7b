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

-- @region type_io_comments
COMMENT ON FUNCTION accountability.case_status_in(cstring) IS
'Text input of case_status: the English code (any letter case, blanks ignored) or the Chinese label. 案件状态文本输入：英文代码（不区分大小写，忽略空白）或中文标签。';
COMMENT ON FUNCTION accountability.case_status_out(accountability.case_status) IS
'Text output of case_status: the English code, or the Chinese label when accountability.language = zh. 案件状态文本输出：英文代码，accountability.language = zh 时为中文标签。';
COMMENT ON FUNCTION accountability.case_status_recv(internal) IS
'Binary input of case_status, format 1 (format byte 1, then the code 1-12); validated like text input. 案件状态二进制输入（格式 1），校验同文本输入。';
COMMENT ON FUNCTION accountability.case_status_send(accountability.case_status) IS
'Binary output of case_status, format 1 (format byte 1, then the code 1-12). 案件状态二进制输出（格式 1）。';
COMMENT ON FUNCTION accountability.tolerance_outcome_in(cstring) IS
'Text input of tolerance_outcome: the English code (any letter case, blanks ignored) or the Chinese label. 容错认定结果文本输入：英文代码（不区分大小写，忽略空白）或中文标签。';
COMMENT ON FUNCTION accountability.tolerance_outcome_out(accountability.tolerance_outcome) IS
'Text output of tolerance_outcome: the English code, or the Chinese label when accountability.language = zh. 容错认定结果文本输出：英文代码，accountability.language = zh 时为中文标签。';
COMMENT ON FUNCTION accountability.tolerance_outcome_recv(internal) IS
'Binary input of tolerance_outcome, format 1 (format byte 1, then the code 1-5); validated like text input. 容错认定结果二进制输入（格式 1），校验同文本输入。';
COMMENT ON FUNCTION accountability.tolerance_outcome_send(accountability.tolerance_outcome) IS
'Binary output of tolerance_outcome, format 1 (format byte 1, then the code 1-5). 容错认定结果二进制输出（格式 1）。';
-- @end type_io_comments

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

-- @region type_support_comments
COMMENT ON FUNCTION accountability.case_status_eq(accountability.case_status, accountability.case_status) IS 'Implements = for case_status. 案件状态的等于运算。';
COMMENT ON FUNCTION accountability.case_status_ne(accountability.case_status, accountability.case_status) IS 'Implements <> for case_status. 案件状态的不等于运算。';
COMMENT ON FUNCTION accountability.case_status_lt(accountability.case_status, accountability.case_status) IS 'Implements < for case_status (earlier in the lifecycle). 案件状态的小于运算（流程靠前）。';
COMMENT ON FUNCTION accountability.case_status_le(accountability.case_status, accountability.case_status) IS 'Implements <= for case_status. 案件状态的小于等于运算。';
COMMENT ON FUNCTION accountability.case_status_gt(accountability.case_status, accountability.case_status) IS 'Implements > for case_status (later in the lifecycle). 案件状态的大于运算（流程靠后）。';
COMMENT ON FUNCTION accountability.case_status_ge(accountability.case_status, accountability.case_status) IS 'Implements >= for case_status. 案件状态的大于等于运算。';
COMMENT ON FUNCTION accountability.case_status_cmp(accountability.case_status, accountability.case_status) IS 'Three-way comparison of case_status (btree support 1). 案件状态三路比较（B 树支持函数 1）。';
COMMENT ON FUNCTION accountability.case_status_sortsupport(internal) IS 'Sort support for case_status (btree support 2). 案件状态排序支持（B 树支持函数 2）。';
COMMENT ON FUNCTION accountability.case_status_hash(accountability.case_status) IS 'Hash of case_status (hash support 1); stable across releases. 案件状态的哈希（哈希支持函数 1），各版本不变。';
COMMENT ON FUNCTION accountability.case_status_hash_extended(accountability.case_status, bigint) IS 'Seeded hash of case_status (hash support 2), used by hash partitioning; stable across releases. 案件状态的带种子哈希（哈希支持函数 2），用于哈希分区，各版本不变。';
COMMENT ON FUNCTION accountability.case_status_larger(accountability.case_status, accountability.case_status) IS 'The later of two statuses (transition function of max). 两个状态中靠后者（max 的转移函数）。';
COMMENT ON FUNCTION accountability.case_status_smaller(accountability.case_status, accountability.case_status) IS 'The earlier of two statuses (transition function of min). 两个状态中靠前者（min 的转移函数）。';
COMMENT ON FUNCTION accountability.tolerance_outcome_eq(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'Implements = for tolerance_outcome. 容错认定结果的等于运算。';
COMMENT ON FUNCTION accountability.tolerance_outcome_ne(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'Implements <> for tolerance_outcome. 容错认定结果的不等于运算。';
COMMENT ON FUNCTION accountability.tolerance_outcome_lt(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'Implements < for tolerance_outcome (less lenient). 容错认定结果的小于运算（更严）。';
COMMENT ON FUNCTION accountability.tolerance_outcome_le(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'Implements <= for tolerance_outcome. 容错认定结果的小于等于运算。';
COMMENT ON FUNCTION accountability.tolerance_outcome_gt(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'Implements > for tolerance_outcome (more lenient). 容错认定结果的大于运算（更宽）。';
COMMENT ON FUNCTION accountability.tolerance_outcome_ge(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'Implements >= for tolerance_outcome. 容错认定结果的大于等于运算。';
COMMENT ON FUNCTION accountability.tolerance_outcome_cmp(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'Three-way comparison of tolerance_outcome (btree support 1). 容错认定结果三路比较（B 树支持函数 1）。';
COMMENT ON FUNCTION accountability.tolerance_outcome_sortsupport(internal) IS 'Sort support for tolerance_outcome (btree support 2). 容错认定结果排序支持（B 树支持函数 2）。';
COMMENT ON FUNCTION accountability.tolerance_outcome_hash(accountability.tolerance_outcome) IS 'Hash of tolerance_outcome (hash support 1); stable across releases. 容错认定结果的哈希（哈希支持函数 1），各版本不变。';
COMMENT ON FUNCTION accountability.tolerance_outcome_hash_extended(accountability.tolerance_outcome, bigint) IS 'Seeded hash of tolerance_outcome (hash support 2), used by hash partitioning; stable across releases. 容错认定结果的带种子哈希（哈希支持函数 2），用于哈希分区，各版本不变。';
COMMENT ON FUNCTION accountability.tolerance_outcome_larger(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'The more lenient of two outcomes (transition function of max). 两个结果中较宽者（max 的转移函数）。';
COMMENT ON FUNCTION accountability.tolerance_outcome_smaller(accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'The less lenient of two outcomes (transition function of min). 两个结果中较严者（min 的转移函数）。';
-- @end type_support_comments

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

-- @region operator_comments
COMMENT ON OPERATOR accountability.= (accountability.case_status, accountability.case_status) IS 'equal 等于';
COMMENT ON OPERATOR accountability.<> (accountability.case_status, accountability.case_status) IS 'not equal 不等于';
COMMENT ON OPERATOR accountability.< (accountability.case_status, accountability.case_status) IS 'earlier in the lifecycle 流程靠前';
COMMENT ON OPERATOR accountability.<= (accountability.case_status, accountability.case_status) IS 'earlier in the lifecycle or equal 流程靠前或相同';
COMMENT ON OPERATOR accountability.> (accountability.case_status, accountability.case_status) IS 'later in the lifecycle 流程靠后';
COMMENT ON OPERATOR accountability.>= (accountability.case_status, accountability.case_status) IS 'later in the lifecycle or equal 流程靠后或相同';
COMMENT ON OPERATOR accountability.= (accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'equal 等于';
COMMENT ON OPERATOR accountability.<> (accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'not equal 不等于';
COMMENT ON OPERATOR accountability.< (accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'less lenient 更严';
COMMENT ON OPERATOR accountability.<= (accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'less lenient or equal 更严或相同';
COMMENT ON OPERATOR accountability.> (accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'more lenient 更宽';
COMMENT ON OPERATOR accountability.>= (accountability.tolerance_outcome, accountability.tolerance_outcome) IS 'more lenient or equal 更宽或相同';
-- @end operator_comments

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

-- @region opclass_comments
COMMENT ON OPERATOR CLASS accountability.case_status_ops USING btree IS 'Default btree operator class of case_status: lifecycle order. 案件状态的默认 B 树运算符类：按流程顺序。';
COMMENT ON OPERATOR CLASS accountability.case_status_hash_ops USING hash IS 'Default hash operator class of case_status (hash joins, hash aggregation, hash partitioning). 案件状态的默认哈希运算符类。';
COMMENT ON OPERATOR CLASS accountability.tolerance_outcome_ops USING btree IS 'Default btree operator class of tolerance_outcome: leniency order. 容错认定结果的默认 B 树运算符类：按宽严顺序。';
COMMENT ON OPERATOR CLASS accountability.tolerance_outcome_hash_ops USING hash IS 'Default hash operator class of tolerance_outcome (hash joins, hash aggregation, hash partitioning). 容错认定结果的默认哈希运算符类。';

COMMENT ON OPERATOR FAMILY accountability.case_status_ops USING btree IS 'Operator family of the case_status btree class. 案件状态 B 树运算符族。';
COMMENT ON OPERATOR FAMILY accountability.case_status_hash_ops USING hash IS 'Operator family of the case_status hash class. 案件状态哈希运算符族。';
COMMENT ON OPERATOR FAMILY accountability.tolerance_outcome_ops USING btree IS 'Operator family of the tolerance_outcome btree class. 容错认定结果 B 树运算符族。';
COMMENT ON OPERATOR FAMILY accountability.tolerance_outcome_hash_ops USING hash IS 'Operator family of the tolerance_outcome hash class. 容错认定结果哈希运算符族。';
-- @end opclass_comments

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

-- @region aggregate_comments
COMMENT ON AGGREGATE accountability.min(accountability.case_status) IS 'Earliest status in the lifecycle. 流程中最靠前的状态。';
COMMENT ON AGGREGATE accountability.max(accountability.case_status) IS 'Furthest status in the lifecycle. 流程中最靠后的状态。';
COMMENT ON AGGREGATE accountability.min(accountability.tolerance_outcome) IS 'Least lenient outcome. 最严的认定结果。';
COMMENT ON AGGREGATE accountability.max(accountability.tolerance_outcome) IS 'Most lenient outcome. 最宽的认定结果。';
-- @end aggregate_comments

/*
 * Casts to and from text.  From text and varchar IMPLICIT (issue 16): a
 * string bound by a driver (JDBC setString sends varchar, psycopg2 a list
 * as text[], ODBC varchar) compares with a status or an outcome (=, <>, <,
 * IN, = ANY), and passes to can_transition() and next_statuses(), as the
 * value it names; the comparison itself stays the types' own, LEAKPROOF
 * and indexable, since the cast applies to the parameter.  No query that
 * resolved before changes meaning or becomes ambiguous: a quoted literal
 * is still taken as the column's type, text stays the preferred type of
 * its category (max(varchar), lower(varchar) still resolve to text), and
 * nothing casts the two types to text implicitly (the regression suite
 * runs unchanged).  To text follows accountability.language, as an
 * assignment cast.
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

-- @region cast_function_comments
COMMENT ON FUNCTION accountability.case_status_from_text(text) IS 'Cast text to case_status: same rules as text input. 文本转案件状态，规则同文本输入。';
COMMENT ON FUNCTION accountability.case_status_to_text(accountability.case_status) IS 'Cast case_status to text: same as text output (follows accountability.language). 案件状态转文本，同文本输出（随语言设置）。';
COMMENT ON FUNCTION accountability.tolerance_outcome_from_text(text) IS 'Cast text to tolerance_outcome: same rules as text input. 文本转容错认定结果，规则同文本输入。';
COMMENT ON FUNCTION accountability.tolerance_outcome_to_text(accountability.tolerance_outcome) IS 'Cast tolerance_outcome to text: same as text output (follows accountability.language). 容错认定结果转文本，同文本输出（随语言设置）。';
-- @end cast_function_comments

CREATE CAST (text AS accountability.case_status)
    WITH FUNCTION accountability.case_status_from_text(text) AS IMPLICIT;
CREATE CAST (character varying AS accountability.case_status)
    WITH FUNCTION accountability.case_status_from_text(text) AS IMPLICIT;
CREATE CAST (accountability.case_status AS text)
    WITH FUNCTION accountability.case_status_to_text(accountability.case_status) AS ASSIGNMENT;
CREATE CAST (text AS accountability.tolerance_outcome)
    WITH FUNCTION accountability.tolerance_outcome_from_text(text) AS IMPLICIT;
CREATE CAST (character varying AS accountability.tolerance_outcome)
    WITH FUNCTION accountability.tolerance_outcome_from_text(text) AS IMPLICIT;
CREATE CAST (accountability.tolerance_outcome AS text)
    WITH FUNCTION accountability.tolerance_outcome_to_text(accountability.tolerance_outcome) AS ASSIGNMENT;

-- @region cast_comments
COMMENT ON CAST (text AS accountability.case_status) IS 'Text to case_status, as text input (implicit: string parameters compare and pass as statuses). 文本转案件状态。';
COMMENT ON CAST (character varying AS accountability.case_status) IS 'varchar to case_status, as text input (implicit; JDBC setString, ODBC). 字符串转案件状态。';
COMMENT ON CAST (accountability.case_status AS text) IS 'case_status to text, as text output (assignment). 案件状态转文本（赋值转换），同文本输出。';
COMMENT ON CAST (text AS accountability.tolerance_outcome) IS 'Text to tolerance_outcome, as text input (implicit: string parameters compare and pass as outcomes). 文本转容错认定结果。';
COMMENT ON CAST (character varying AS accountability.tolerance_outcome) IS 'varchar to tolerance_outcome, as text input (implicit; JDBC setString, ODBC). 字符串转容错认定结果。';
COMMENT ON CAST (accountability.tolerance_outcome AS text) IS 'tolerance_outcome to text, as text output (assignment). 容错认定结果转文本（赋值转换），同文本输出。';
-- @end cast_comments

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

/*
 * Privileges: using the two types is for everyone (PUBLIC): schema USAGE
 * (to name them), their I/O, comparison, hashing, casts, labels and
 * min/max.  Functions default to EXECUTE for PUBLIC, which is what these
 * need; the schema and the types are granted explicitly.
 */
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

-- @region record_today
/*
 * Today in the record's calendar (China Standard Time, UTC+8): the date the
 * rules judge deadlines on (the appeal window), and so the date every view
 * computes ages and deadlines from and every "happened on" column defaults
 * to, whatever the session's TimeZone (domains.c).
 */
CREATE FUNCTION accountability.record_today()
RETURNS date AS 'MODULE_PATHNAME', 'record_today_date'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION accountability.record_today() IS
'Today''s date in the record''s calendar, China Standard Time (UTC+8), as of the transaction''s start, whatever the session''s TimeZone: the day the rules judge deadlines on, and the one the views count ages and deadlines from. 记录所用日历（北京时间）的今日日期。';
CREATE FUNCTION accountability.record_date(moment timestamptz)
RETURNS date AS 'MODULE_PATHNAME', 'record_date_of'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION accountability.record_date(timestamptz) IS
'The date of a moment in the record''s calendar, China Standard Time (UTC+8), whatever the session''s TimeZone: the day a case entered its status, for its deadline. An infinite moment gives an infinite date, as a cast to date does. 某一时刻在北京时间的日期；无穷时刻得无穷日期。';
REVOKE ALL ON FUNCTION accountability.record_today(), accountability.record_date(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION accountability.record_today(), accountability.record_date(timestamptz) TO accountability_reader;
-- @end record_today

-- @region check_choice
/*
 * The codes a text column takes (a case's kind, a visit's method, a
 * grade), as a CHECK that names the column and lists them (types/
 * domains.c): a bare CHECK (kind IN (...)) told a newcomer only which
 * constraint failed.  Defined here, before the tables that use it.
 */
CREATE FUNCTION accountability.check_choice(value text, column_name text, codes text[])
RETURNS boolean AS 'MODULE_PATHNAME', 'check_choice'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION accountability.check_choice(text, text, text[]) IS
'CHECK of text columns that take one of a few codes (代码取值): the value is one of the codes, written exactly; otherwise 23514 naming the column, listing the codes, and naming the code meant when only the letter case differs. NULL passes. 检查文本列取值是否为规定代码之一。';
REVOKE ALL ON FUNCTION accountability.check_choice(text, text, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION accountability.check_choice(text, text, text[]) TO accountability_reader;
-- @end check_choice
