--
-- The state machine: the one transition table, as SQL sees it.
--

SET search_path = public, accountability;

-- Every status and its legal next statuses (DESIGN.md's list).
SELECT s AS status, accountability.next_statuses(s) AS next_statuses
FROM unnest(ARRAY['received', 'investigating', 'unfounded', 'liable',
                  'tolerance_review', 'determined', 'notified', 'appealed',
                  'correcting', 'filed', 'follow_up', 'closed']::accountability.case_status[]) AS s
ORDER BY s;

-- The same in Chinese.
SET accountability.language = 'zh';
SELECT s AS status, accountability.next_statuses(s) AS next_statuses
FROM unnest(ARRAY['received', 'notified', 'closed']::accountability.case_status[]) AS s
ORDER BY s;
RESET accountability.language;

SELECT accountability.can_transition('received', 'investigating') AS allowed,
       accountability.can_transition('received', 'determined') AS skips_steps,
       accountability.can_transition('closed', 'received') AS reopens,
       accountability.can_transition('appealed', 'determined') AS redetermination,
       accountability.can_transition('received', 'received') AS stays;

-- NULL in, NULL out.
SELECT accountability.can_transition(NULL, 'closed') IS NULL AS null_from,
       accountability.next_statuses(NULL) IS NULL AS null_status;
