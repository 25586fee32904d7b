/* ------------------------------------------------------------------------
 * 2. The state machine: the one transition table, in C (core/transitions.c)
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
'The legal next statuses of a case in the given status, in lifecycle order; empty for closed. 给定状态下可流转到的下一状态（按流程顺序），办结为空。';

/* Privileges: the state machine is for every group role. */
REVOKE ALL ON FUNCTION
    accountability.can_transition(accountability.case_status, accountability.case_status),
    accountability.next_statuses(accountability.case_status)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    accountability.can_transition(accountability.case_status, accountability.case_status),
    accountability.next_statuses(accountability.case_status)
TO accountability_reader;
