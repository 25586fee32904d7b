/*
 * Harness: the case transition table (case_transition_requirements,
 * case_status_can_transition, case_status_next_mask,
 * case_status_reached_avoiding), with any int as a status.
 *
 * The input's first little-endian int32 is a set of statuses (a bit mask),
 * then come pairs of int32 (from, to), then its bytes choose a walk through
 * the legal moves from received.  Checked:
 *	- a legal move joins two different statuses of the type, never leaves
 *	  closed, carries only known requirement bits, and agrees with
 *	  can_transition and next_mask;
 *	- next_mask sets only bits 1..12, none for a non-status or closed;
 *	- every move into closed or determined requires something (a closing
 *	  reason, a visit, a determination), none leads back to received, and
 *	  every move out of appealed but the re-determination requires the
 *	  notified determination to stand;
 *	- every status is reachable from received and reaches closed
 *	  (checked once), and a walk chosen by the input ends only in closed;
 *	- reached_avoiding of any 32 bits is what a search from received over
 *	  can_transition finds without entering those statuses.
 */
#include "fuzz.h"

static int
is_status(int32_t s)
{
	return s >= 1 && s <= CASE_STATUS_COUNT;
}

static void
check_move(int32_t from, int32_t to)
{
	int			requires = case_transition_requirements((CaseStatus) from, (CaseStatus) to);
	uint32_t	mask = case_status_next_mask((CaseStatus) from);

	FUZZ_CHECK(requires >= -1);
	FUZZ_CHECK(case_status_can_transition((CaseStatus) from, (CaseStatus) to) == (requires >= 0));
	FUZZ_CHECK((mask & ~(uint32_t) 0x1FFE) == 0);
	if (!is_status(from) || from == CASE_STATUS_CLOSED)
		FUZZ_CHECK(mask == 0);
	if (is_status(to))
		FUZZ_CHECK(((mask >> to) & 1) == (requires >= 0));
	if (requires < 0)
		return;
	FUZZ_CHECK(is_status(from) && is_status(to) && from != to);
	FUZZ_CHECK((requires & ~REQUIRES_ANY) == 0);
	for (int bit = 1; bit <= REQUIRES_ANY; bit <<= 1)
		if (requires & bit)
			FUZZ_CHECK(case_requirement_name(bit) != NULL);
	FUZZ_CHECK(case_requirement_name(requires & -requires) != NULL || requires == 0);
	FUZZ_CHECK(case_requirement_name(0) == NULL && case_requirement_name(3) == NULL &&
			   case_requirement_name(REQUIRES_ANY + 1) == NULL && case_requirement_name(-1) == NULL);
	FUZZ_CHECK(to != CASE_STATUS_RECEIVED);
	if (to == CASE_STATUS_CLOSED)
		FUZZ_CHECK(requires != REQUIRES_NOTHING);
	if (to == CASE_STATUS_DETERMINED)
		FUZZ_CHECK(requires & REQUIRES_DETERMINATION);
	/* an appeal that moves on without re-determination keeps the old one */
	if (from == CASE_STATUS_APPEALED && to != CASE_STATUS_DETERMINED)
		FUZZ_CHECK(requires & REQUIRES_DETERMINATION_STANDS);
}

/* Reachability over the table, through the functions under test. */
static void
check_reachability(void)
{
	int			reach[CASE_STATUS_COUNT + 1][CASE_STATUS_COUNT + 1] = {{0}};
	int			i,
				j,
				k;

	for (i = 1; i <= CASE_STATUS_COUNT; i++)
	{
		reach[i][i] = 1;
		for (j = 1; j <= CASE_STATUS_COUNT; j++)
			if (case_status_can_transition((CaseStatus) i, (CaseStatus) j))
				reach[i][j] = 1;
	}
	for (k = 1; k <= CASE_STATUS_COUNT; k++)
		for (i = 1; i <= CASE_STATUS_COUNT; i++)
			for (j = 1; j <= CASE_STATUS_COUNT; j++)
				if (reach[i][k] && reach[k][j])
					reach[i][j] = 1;
	for (i = 1; i <= CASE_STATUS_COUNT; i++)
	{
		FUZZ_CHECK(reach[CASE_STATUS_RECEIVED][i]);
		FUZZ_CHECK(reach[i][CASE_STATUS_CLOSED]);
	}
}

/*
 * What a search from received over can_transition finds without entering
 * "avoid" (a worklist: each status enters it once).
 */
static uint32_t
search_avoiding(uint32_t avoid)
{
	int			stack[CASE_STATUS_COUNT + 1];
	int			depth = 0;
	uint32_t	seen = 0;

	if (avoid & ((uint32_t) 1 << CASE_STATUS_RECEIVED))
		return 0;
	seen |= (uint32_t) 1 << CASE_STATUS_RECEIVED;
	stack[depth++] = CASE_STATUS_RECEIVED;
	while (depth > 0)
	{
		int			status = stack[--depth];
		int			to;

		for (to = 1; to <= CASE_STATUS_COUNT; to++)
			if (case_status_can_transition((CaseStatus) status, (CaseStatus) to) &&
				!(avoid & ((uint32_t) 1 << to)) && !(seen & ((uint32_t) 1 << to)))
			{
				seen |= (uint32_t) 1 << to;
				stack[depth++] = to;
			}
	}
	return seen;
}

/* reached_avoiding against that search, for any bits at all. */
static void
check_reached_avoiding(uint32_t avoid)
{
	FUZZ_CHECK(case_status_reached_avoiding(avoid) == search_avoiding(avoid));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	checked;
	const uint8_t *p = data;
	size_t		n = size;
	CaseStatus	status = CASE_STATUS_RECEIVED;
	size_t		i;

	if (!checked)
	{
		check_reachability();
		checked = 1;
	}

	if (n >= 4)
		check_reached_avoiding((uint32_t) fuzz_int32(&p, &n));

	/* up to 8 pairs of arbitrary ints */
	for (i = 0; i < 8 && n >= 8; i++)
	{
		int32_t		from = fuzz_int32(&p, &n);
		int32_t		to = fuzz_int32(&p, &n);

		check_move(from, to);
		/* the same pair folded into the type's range and just around it */
		check_move(((from % 14) + 14) % 14, ((to % 14) + 14) % 14);
	}

	/* a walk through legal moves, each byte choosing among the next */
	for (i = 0; i < size; i++)
	{
		uint32_t	mask = case_status_next_mask(status);
		int			choices[CASE_STATUS_COUNT];
		int			count = 0;
		int			to;

		for (to = 1; to <= CASE_STATUS_COUNT; to++)
			if (mask & ((uint32_t) 1 << to))
				choices[count++] = to;
		if (count == 0)
		{
			FUZZ_CHECK(status == CASE_STATUS_CLOSED);
			break;
		}
		to = choices[data[i] % count];
		check_move(status, to);
		FUZZ_CHECK(case_transition_requirements(status, (CaseStatus) to) >= 0);
		status = (CaseStatus) to;
	}
	return 0;
}
