/*-------------------------------------------------------------------------
 *
 * transitions.c
 *	  The case state machine: the one transition table, pure C (core.h).
 *
 * The table below is the one place the lifecycle is written down
 * (DESIGN.md "The two types"); can_transition, next_statuses and the
 * workflow trigger all consult it through the functions here.  Any int
 * is a safe status argument: one outside the type is simply in no move.
 *
 *-------------------------------------------------------------------------
 */
#include "core.h"

#define lengthof(array) (sizeof(array) / sizeof((array)[0]))

/*
 * One legal move of a case from one status to another, and what the move
 * requires besides (REQUIRES_* in core.h, checked by workflow.c).
 */
typedef struct CaseTransition
{
	CaseStatus	from;
	CaseStatus	to;
	int			requires;
} CaseTransition;

/*
 * The legal transitions, DESIGN.md's list in lifecycle order, with their
 * requirements.  Every move not listed here is refused.
 */
static const CaseTransition case_transitions[] = {
	{CASE_STATUS_RECEIVED, CASE_STATUS_INVESTIGATING, REQUIRES_NOTHING},
	/* not taken up: say why */
	{CASE_STATUS_RECEIVED, CASE_STATUS_CLOSED, REQUIRES_CLOSING_REASON},
	{CASE_STATUS_INVESTIGATING, CASE_STATUS_UNFOUNDED, REQUIRES_NOTHING},
	{CASE_STATUS_INVESTIGATING, CASE_STATUS_LIABLE, REQUIRES_NOTHING},
	/* after the clarification, if one is warranted */
	{CASE_STATUS_UNFOUNDED, CASE_STATUS_FOLLOW_UP, REQUIRES_WARRANTED_CLARIFICATION},
	/* no clarification: say why */
	{CASE_STATUS_UNFOUNDED, CASE_STATUS_CLOSED, REQUIRES_CLOSING_REASON},
	/* 容错审查 applies to accountability matters, never to a false accuser */
	{CASE_STATUS_LIABLE, CASE_STATUS_TOLERANCE_REVIEW, REQUIRES_TOLERANCE_KIND},
	{CASE_STATUS_LIABLE, CASE_STATUS_DETERMINED, REQUIRES_DETERMINATION},
	{CASE_STATUS_TOLERANCE_REVIEW, CASE_STATUS_DETERMINED, REQUIRES_DETERMINATION},
	{CASE_STATUS_DETERMINED, CASE_STATUS_NOTIFIED, REQUIRES_NOTIFICATION_DATE},
	{CASE_STATUS_NOTIFIED, CASE_STATUS_APPEALED, REQUIRES_APPEAL_WINDOW},
	{CASE_STATUS_NOTIFIED, CASE_STATUS_CORRECTING, REQUIRES_CORRECTION_PLAN},
	{CASE_STATUS_NOTIFIED, CASE_STATUS_FILED, REQUIRES_NO_OPEN_PLAN},
	/* re-determination after an appeal needs a new determination */
	{CASE_STATUS_APPEALED, CASE_STATUS_DETERMINED, REQUIRES_DETERMINATION},
	/*
	 * an appeal left alone keeps the notified determination only on the
	 * facts and date it judged: facts or an event date changed while
	 * appealed call for a new one (rounds 19, 20)
	 */
	{CASE_STATUS_APPEALED, CASE_STATUS_CORRECTING,
	REQUIRES_CORRECTION_PLAN | REQUIRES_DETERMINATION_STANDS},
	{CASE_STATUS_APPEALED, CASE_STATUS_FILED,
	REQUIRES_NO_OPEN_PLAN | REQUIRES_DETERMINATION_STANDS},
	{CASE_STATUS_CORRECTING, CASE_STATUS_FILED, REQUIRES_PLANS_COMPLETED},
	{CASE_STATUS_FILED, CASE_STATUS_FOLLOW_UP, REQUIRES_NOTHING},
	/* a lenient outcome is followed by a visit (回访教育) before closing */
	{CASE_STATUS_FILED, CASE_STATUS_CLOSED, REQUIRES_VISIT_IF_LENIENT},
	/* not finished until the knot is untied (解开思想疙瘩) */
	{CASE_STATUS_FOLLOW_UP, CASE_STATUS_CLOSED, REQUIRES_RESOLVED_VISIT},
};

/*
 * The requirements of moving a case from "from" to "to", or -1 when the
 * move is not in the transition table.
 */
int
case_transition_requirements(CaseStatus from, CaseStatus to)
{
	size_t		i;

	for (i = 0; i < lengthof(case_transitions); i++)
	{
		if (case_transitions[i].from == from && case_transitions[i].to == to)
			return case_transitions[i].requires;
	}
	return -1;
}

/* Is moving a case from "from" to "to" in the transition table? */
bool
case_status_can_transition(CaseStatus from, CaseStatus to)
{
	return case_transition_requirements(from, to) >= 0;
}

/* The legal next statuses of "from" as a bit mask (bit n = code n). */
uint32_t
case_status_next_mask(CaseStatus from)
{
	uint32_t	mask = 0;
	int			to;

	for (to = 1; to <= CASE_STATUS_COUNT; to++)
	{
		if (case_status_can_transition(from, (CaseStatus) to))
			mask |= (uint32_t) 1 << to;
	}
	return mask;
}

/*
 * The statuses a case can reach from received without ever being in a
 * status of "avoid" (received itself unless avoided).  A status outside
 * the result lies beyond "avoid" on every path: a case imported in it
 * passed through one of those statuses for certain, and may carry the rows
 * taken there (children.c).  "Reachable from one of them" was not enough:
 * closed follows both unfounded and liable, and a case imported closed
 * took a clarification and a determination, two paths at once (attack
 * round 14).  A fixed point over the small table.
 */
uint32_t
case_status_reached_avoiding(uint32_t avoid)
{
	uint32_t	received = (uint32_t) 1 << CASE_STATUS_RECEIVED;
	uint32_t	reached = (avoid & received) ? 0 : received;
	uint32_t	before;
	int			status;

	do
	{
		before = reached;
		for (status = 1; status <= CASE_STATUS_COUNT; status++)
		{
			if (reached & ((uint32_t) 1 << status))
				reached |= case_status_next_mask((CaseStatus) status) & ~avoid;
		}
	} while (reached != before);
	return reached;
}

/*
 * The requirements' names, in bit order: what transition_requirements()
 * returns and verify_ledger() re-checks against the ledger.
 */
static const char *const requirement_names[] = {
	"closing_reason",			/* REQUIRES_CLOSING_REASON */
	"determination",			/* REQUIRES_DETERMINATION */
	"notification_date",		/* REQUIRES_NOTIFICATION_DATE */
	"appeal_window",			/* REQUIRES_APPEAL_WINDOW */
	"correction_plan",			/* REQUIRES_CORRECTION_PLAN */
	"plans_completed",			/* REQUIRES_PLANS_COMPLETED */
	"tolerance_kind",			/* REQUIRES_TOLERANCE_KIND */
	"warranted_clarification",	/* REQUIRES_WARRANTED_CLARIFICATION */
	"resolved_visit",			/* REQUIRES_RESOLVED_VISIT */
	"visit_if_lenient",			/* REQUIRES_VISIT_IF_LENIENT */
	"no_open_plan",				/* REQUIRES_NO_OPEN_PLAN */
	"determination_stands",		/* REQUIRES_DETERMINATION_STANDS */
};

/* The name of one requirement bit; NULL for none, several or an unknown bit. */
const char *
case_requirement_name(int bit)
{
	size_t		i;

	for (i = 0; i < lengthof(requirement_names); i++)
	{
		if (bit == (1 << i))
			return requirement_names[i];
	}
	return NULL;
}
