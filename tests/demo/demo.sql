-- pg_accountability demo: the types and the transition rules.
-- (run by `make demo` in a throwaway cluster)
CREATE EXTENSION pg_accountability;
\dx pg_accountability
-- The types' operators live in schema accountability: put it on the search_path.
SET search_path = public, accountability;

-- A case status is a one-byte type, ordered by the lifecycle.
SELECT s AS status, accountability.label(s, 'zh') AS 中文, accountability.next_statuses(s) AS may_move_to
FROM unnest('{received,investigating,unfounded,liable,tolerance_review,determined,notified,appealed,correcting,filed,follow_up,closed}'::accountability.case_status[]) AS s
ORDER BY s;

-- Tolerance outcomes are ordered by leniency: >= exempted means "no sanction".
SELECT o AS outcome, accountability.label(o, 'zh') AS 中文, o >= 'exempted' AS no_sanction
FROM unnest('{not_tolerable,lighter,reduced,exempted,not_accountable}'::accountability.tolerance_outcome[]) AS o
ORDER BY o;

-- Input takes English in any case or Chinese; output follows accountability.language.
SET accountability.language = 'zh';
SELECT 'Tolerance_Review'::accountability.case_status AS status, '免予问责'::accountability.tolerance_outcome AS outcome;
RESET accountability.language;
SELECT 'Tolerance_Review'::accountability.case_status AS status, '免予问责'::accountability.tolerance_outcome AS outcome;

-- Moves the state machine allows, and one it does not.
SELECT accountability.can_transition('liable', 'tolerance_review') AS liable_to_review,
       accountability.can_transition('received', 'determined') AS received_to_determined;

-- A mistyped value is refused with the list of valid ones.
\set ON_ERROR_STOP 0
SELECT 'archived'::accountability.case_status;
\set ON_ERROR_STOP 1
