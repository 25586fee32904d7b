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

-- @region transition_requirements
-- (what a case reaches without passing given statuses: a case imported in
-- a status outside it passed one of them for certain, and takes the rows
-- they take; case_child_trigger() and verify_ledger() step 3i)
CREATE FUNCTION accountability.statuses_reached_avoiding(avoid accountability.case_status[])
RETURNS accountability.case_status[]
AS 'MODULE_PATHNAME', 'case_status_reached_avoiding_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION accountability.transition_requirements(from_status accountability.case_status,
                                                       to_status accountability.case_status)
RETURNS text[]
AS 'MODULE_PATHNAME', 'case_status_transition_requirements'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- @end transition_requirements

COMMENT ON FUNCTION accountability.can_transition(accountability.case_status, accountability.case_status) IS
'Whether a case may move from from_status to to_status (案件状态流转), per the one transition table.';
-- @region state_machine_comments
COMMENT ON FUNCTION accountability.next_statuses(accountability.case_status) IS
'The legal next statuses of a case in the given status, in lifecycle order; empty for closed. 给定状态下可流转到的下一状态（按流程顺序），办结为空。';
COMMENT ON FUNCTION accountability.statuses_reached_avoiding(accountability.case_status[]) IS
'The statuses a case can reach from received without ever being in one of the given statuses, in lifecycle order: any other status is reached only through them. A case imported in such a status, and not moved since, takes in import mode the rows those statuses take. 不经过给定状态即可到达的状态。';
COMMENT ON FUNCTION accountability.transition_requirements(accountability.case_status, accountability.case_status) IS
'What a legal move requires besides being in the transition table, by name (closing_reason, determination, notification_date, appeal_window, correction_plan, plans_completed, no_open_plan, determination_stands, tolerance_kind, warranted_clarification, resolved_visit, visit_if_lenient); an empty array for none, NULL for an illegal move. The workflow trigger checks each when the case moves; verify_ledger() checks each again against the ledger. 流转条件：合法流转除流转表外还需满足的条件名称；非法流转返回空值。';
-- @end state_machine_comments

/* Privileges: the state machine is for every group role. */
-- @region state_machine_privileges
REVOKE ALL ON FUNCTION
    accountability.can_transition(accountability.case_status, accountability.case_status),
    accountability.next_statuses(accountability.case_status),
    accountability.statuses_reached_avoiding(accountability.case_status[]),
    accountability.transition_requirements(accountability.case_status, accountability.case_status)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    accountability.can_transition(accountability.case_status, accountability.case_status),
    accountability.next_statuses(accountability.case_status),
    accountability.statuses_reached_avoiding(accountability.case_status[]),
    accountability.transition_requirements(accountability.case_status, accountability.case_status)
TO accountability_reader;
-- @end state_machine_privileges
