/*-------------------------------------------------------------------------
 *
 * write_model.c
 *	  The write model: what each column of the permanent record is, as
 *	  data.  One rule per column; the guard trigger (workflow/model.c)
 *	  enforces it and accountability.write_model() lists it.
 *
 * identity    set when the row is inserted, never changed
 * state       changed only by a transition, judged by the transition
 *             trigger on the old and new row together (cases only)
 * maintained  written by the database (numbers, history head, who and
 *             when recorded); a client changing it is refused
 * fill_once   NULL to a value once (a completion, a notification date),
 *             then frozen
 * free        free text or data, changeable while the record is open
 *             (with a transition too: the transition trigger judges the
 *             old and new row together; a case's facts only in the
 *             statuses listed)
 * note        free, and may go with a transition (its note)
 * move        changed only through an audited move function
 * grows       a list that takes values and never loses one (the grounds
 *             of a clarification: withdrawn, they would let the case skip
 *             the clarification they call for)
 *
 * A row that hangs off a case is frozen once the case is closed.  Rows
 * of every table but units and subjects are kept: never deleted (a unit
 * or a cadre registered by mistake may go while nothing refers to it).
 * Pure C: no PostgreSQL header.
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "core.h"

const char *const column_class_names[COLUMN_CLASS_COUNT] = {
	"identity", "state", "maintained", "fill_once", "free", "note", "move", "grows"
};

#define COLUMNS(name) (name), (int) (sizeof(name) / sizeof((name)[0]))

static const ColumnRule units_columns[] = {
	{"unit_id", COLUMN_IDENTITY, "the unit's identity", 0},
	{"parent_id", COLUMN_FREE, "the tree may be reorganised (never into a cycle)", 0},
	{"code", COLUMN_FREE, "administrative code", 0},
	{"name", COLUMN_FREE, "name", 0},
	{"name_en", COLUMN_FREE, "English name", 0},
	{"level", COLUMN_FREE, "level in the hierarchy", 0},
};

static const ColumnRule subjects_columns[] = {
	{"subject_id", COLUMN_IDENTITY, "the subject's identity", 0},
	{"kind", COLUMN_IDENTITY, "a person stays a person", 0},
	{"name", COLUMN_FREE, "name", 0},
	{"unit_id", COLUMN_MOVE, "moving a cadre is accountability.move_subject(), audited", 0},
	{"post", COLUMN_FREE, "post", 0},
	{"rank", COLUMN_FREE, "rank", 0},
	{"identity_type", COLUMN_FREE, "identity type, kept by reviewers", 0},
};

static const ColumnRule cases_columns[] = {
	{"case_id", COLUMN_MAINTAINED, "the case's identity", 0},
	{"kind", COLUMN_IDENTITY, "a case never changes path", 0},
	{"subject_id", COLUMN_IDENTITY, "a case never changes subject", 0},
	{"unit_id", COLUMN_IDENTITY, "a case never changes unit", 0},
	{"status", COLUMN_STATE, "changed by a transition", 0},
	/* the lists in force are judged on it: once determined, it is frozen (round 9) */
	{"event_on", COLUMN_FILL_ONCE, "the date of the matter, once known, before a determination relies on it",
		STATUS_BIT(CASE_STATUS_RECEIVED) | STATUS_BIT(CASE_STATUS_INVESTIGATING) |
		STATUS_BIT(CASE_STATUS_UNFOUNDED) | STATUS_BIT(CASE_STATUS_LIABLE) |
	STATUS_BIT(CASE_STATUS_TOLERANCE_REVIEW) | STATUS_BIT(CASE_STATUS_APPEALED)},
	{"opened_on", COLUMN_IDENTITY, "registration date", 0},
	/* a determination relied on them: frozen until an appeal reopens them */
	{"facts", COLUMN_FREE, "the facts found, until the case is determined (again after an appeal)",
		STATUS_BIT(CASE_STATUS_RECEIVED) | STATUS_BIT(CASE_STATUS_INVESTIGATING) |
		STATUS_BIT(CASE_STATUS_LIABLE) | STATUS_BIT(CASE_STATUS_TOLERANCE_REVIEW) |
	STATUS_BIT(CASE_STATUS_APPEALED)},
	{"conclusion", COLUMN_FREE, "conclusion text", 0},
	/* with that move only: written earlier, the close would need none (attack round 9) */
	{"closing_reason", COLUMN_STATE, "written with the move to closed", STATUS_BIT(CASE_STATUS_CLOSED)},
	{"related_case_id", COLUMN_FILL_ONCE, "the related case, once", 0},
	{"report_finding", COLUMN_FILL_ONCE, "the finding on an untrue report, once, while it is unfounded",
	STATUS_BIT(CASE_STATUS_UNFOUNDED)},
	/* cleared, they would let the next statement skip the clarification */
	{"clarification_grounds", COLUMN_GROWS, "grounds of a clarification: added, never withdrawn", 0},
	{"transition_note", COLUMN_NOTE, "the note of the next transition", 0},
	{"origin", COLUMN_MAINTAINED, "registered or imported", 0},
	{"version", COLUMN_MAINTAINED, "bumped on every change", 0},
	{"event_count", COLUMN_MAINTAINED, "history chain head", 0},
	{"last_event_hash", COLUMN_MAINTAINED, "history chain head", 0},
};

static const ColumnRule determinations_columns[] = {
	{"case_id", COLUMN_IDENTITY, "the case", 0},
	{"determination_no", COLUMN_MAINTAINED, "numbered under the case's lock", 0},
	{"mode", COLUMN_IDENTITY, "recorded", 0},
	{"outcome", COLUMN_IDENTITY, "recorded", 0},
	{"basis", COLUMN_IDENTITY, "recorded", 0},
	{"deciding_body", COLUMN_IDENTITY, "recorded", 0},
	{"meeting_ref", COLUMN_IDENTITY, "recorded", 0},
	{"decided_on", COLUMN_IDENTITY, "recorded", 0},
	{"deciding_unit_id", COLUMN_IDENTITY, "recorded", 0},
	{"influence_until", COLUMN_IDENTITY, "recorded", 0},
	{"notified_on", COLUMN_FILL_ONCE, "the date the subject was told, once", 0},
	{"facts", COLUMN_MAINTAINED, "the facts assessed", 0},
	{"assessed_outcome", COLUMN_MAINTAINED, "the database's assessment", 0},
	{"assessed_reasons", COLUMN_MAINTAINED, "the database's assessment", 0},
	{"after_event_no", COLUMN_MAINTAINED, "where in the history it was recorded", 0},
	{"recorded_at", COLUMN_MAINTAINED, "when recorded", 0},
	{"recorded_by", COLUMN_MAINTAINED, "who recorded it", 0},
	{"judged_on", COLUMN_MAINTAINED, "the date its facts were judged on", 0},
};

static const ColumnRule correction_plans_columns[] = {
	{"case_id", COLUMN_IDENTITY, "the case", 0},
	{"plan_no", COLUMN_MAINTAINED, "numbered under the case's lock", 0},
	{"matter", COLUMN_IDENTITY, "recorded", 0},
	{"measures", COLUMN_IDENTITY, "recorded", 0},
	{"owner", COLUMN_FREE, "who is responsible, while the case is open", 0},
	{"due_on", COLUMN_FREE, "deadline, while the case is open", 0},
	{"completed_on", COLUMN_FILL_ONCE, "completion, once", 0},
	{"verified_by", COLUMN_FILL_ONCE, "who verified the completion, once", 0},
	{"recorded_at", COLUMN_MAINTAINED, "when recorded", 0},
};

static const ColumnRule clarifications_columns[] = {
	{"case_id", COLUMN_IDENTITY, "the case", 0},
	{"clarification_no", COLUMN_MAINTAINED, "numbered under the case's lock", 0},
	{"methods", COLUMN_IDENTITY, "recorded", 0},
	{"scope", COLUMN_IDENTITY, "recorded", 0},
	{"approved_by", COLUMN_IDENTITY, "recorded", 0},
	{"subject_consent", COLUMN_IDENTITY, "recorded", 0},
	{"done_on", COLUMN_FILL_ONCE, "the date of the clarification, once", 0},
	{"archived_on", COLUMN_FILL_ONCE, "filed, once", 0},
	{"copied_to_organization_on", COLUMN_FILL_ONCE, "copied to the organization department, once", 0},
	{"recorded_at", COLUMN_MAINTAINED, "when recorded", 0},
};

static const ColumnRule follow_up_visits_columns[] = {
	{"case_id", COLUMN_IDENTITY, "the case", 0},
	{"visit_no", COLUMN_MAINTAINED, "numbered under the case's lock", 0},
	{"plan", COLUMN_IDENTITY, "recorded", 0},
	{"visitor", COLUMN_IDENTITY, "recorded", 0},
	{"visited_on", COLUMN_IDENTITY, "recorded", 0},
	{"method", COLUMN_IDENTITY, "recorded", 0},
	{"findings", COLUMN_IDENTITY, "recorded", 0},
	{"concerns_resolved", COLUMN_IDENTITY, "the visit's outcome, recorded", 0},
	{"next_due_on", COLUMN_IDENTITY, "recorded", 0},
	{"recorded_at", COLUMN_MAINTAINED, "when recorded", 0},
};

static const ColumnRule early_warnings_columns[] = {
	{"warning_id", COLUMN_IDENTITY, "identity", 0},
	{"subject_id", COLUMN_IDENTITY, "the subject", 0},
	{"sign", COLUMN_IDENTITY, "recorded", 0},
	{"issued_by", COLUMN_IDENTITY, "recorded", 0},
	{"issued_on", COLUMN_IDENTITY, "recorded", 0},
	{"acknowledged_on", COLUMN_FILL_ONCE, "acknowledgement, once", 0},
	{"outcome", COLUMN_FILL_ONCE, "outcome, once", 0},
};

static const ColumnRule demotions_columns[] = {
	{"demotion_id", COLUMN_IDENTITY, "identity", 0},
	{"subject_id", COLUMN_IDENTITY, "the subject", 0},
	{"situation_code", COLUMN_IDENTITY, "recorded", 0},
	{"method", COLUMN_IDENTITY, "recorded", 0},
	{"prior_measures", COLUMN_IDENTITY, "recorded", 0},
	{"case_id", COLUMN_IDENTITY, "recorded", 0},
	{"decided_by", COLUMN_IDENTITY, "recorded", 0},
	{"decided_on", COLUMN_IDENTITY, "recorded", 0},
	{"effective_on", COLUMN_IDENTITY, "recorded", 0},
	{"reuse_eligible_on", COLUMN_IDENTITY, "recorded", 0},
};

static const ColumnRule assessments_columns[] = {
	{"subject_id", COLUMN_IDENTITY, "the subject", 0},
	{"year", COLUMN_IDENTITY, "the year assessed", 0},
	{"grade", COLUMN_FREE, "may be revised, with grounds (assessment_trigger)", 0},
	{"assessing_unit_id", COLUMN_IDENTITY, "recorded", 0},
	{"grounds", COLUMN_FREE, "grounds", 0},
	{"ground_case_ids", COLUMN_FREE, "cases cited as grounds", 0},
	{"decided_on", COLUMN_FREE, "date of the (revised) grade", 0},
};

static const ColumnRule commendations_columns[] = {
	{"commendation_id", COLUMN_IDENTITY, "identity", 0},
	{"subject_id", COLUMN_IDENTITY, "the subject", 0},
	{"kind", COLUMN_IDENTITY, "recorded", 0},
	{"year", COLUMN_IDENTITY, "recorded", 0},
	{"awarding_unit_id", COLUMN_IDENTITY, "recorded", 0},
	{"awarded_on", COLUMN_IDENTITY, "recorded", 0},
	{"citation", COLUMN_FREE, "citation text", 0},
};

static const ColumnRule mentorships_columns[] = {
	{"mentorship_id", COLUMN_IDENTITY, "identity", 0},
	{"mentor_id", COLUMN_IDENTITY, "the mentor", 0},
	{"mentee_id", COLUMN_IDENTITY, "the mentee", 0},
	{"unit_id", COLUMN_IDENTITY, "recorded", 0},
	{"started_on", COLUMN_IDENTITY, "recorded", 0},
	{"ended_on", COLUMN_FILL_ONCE, "end of the pairing, once", 0},
};

static const ColumnRule mentoring_sessions_columns[] = {
	{"session_id", COLUMN_IDENTITY, "identity", 0},
	{"mentorship_id", COLUMN_IDENTITY, "the pairing", 0},
	{"held_on", COLUMN_IDENTITY, "recorded", 0},
	{"topic", COLUMN_FREE, "topic", 0},
	{"hours", COLUMN_FREE, "hours", 0},
};

static const ColumnRule trainings_columns[] = {
	{"training_id", COLUMN_IDENTITY, "identity", 0},
	{"subject_id", COLUMN_IDENTITY, "the subject", 0},
	{"course", COLUMN_IDENTITY, "recorded", 0},
	{"provider", COLUMN_FREE, "provider", 0},
	{"year", COLUMN_IDENTITY, "recorded", 0},
	{"attended_on", COLUMN_IDENTITY, "recorded", 0},
	{"hours", COLUMN_IDENTITY, "recorded", 0},
};

static const ColumnRule promotions_columns[] = {
	{"promotion_id", COLUMN_IDENTITY, "identity", 0},
	{"subject_id", COLUMN_IDENTITY, "the subject", 0},
	{"kind", COLUMN_IDENTITY, "recorded", 0},
	{"from_post", COLUMN_IDENTITY, "recorded", 0},
	{"to_post", COLUMN_IDENTITY, "recorded", 0},
	{"unit_id", COLUMN_IDENTITY, "recorded", 0},
	{"decided_by", COLUMN_IDENTITY, "recorded", 0},
	{"effective_on", COLUMN_IDENTITY, "recorded", 0},
};

const TableModel write_model_tables[] = {
	{"units", PARENT_NONE, false, COLUMNS(units_columns)},
	{"subjects", PARENT_NONE, false, COLUMNS(subjects_columns)},
	{"cases", PARENT_NONE, true, COLUMNS(cases_columns)},
	{"determinations", PARENT_CASE, true, COLUMNS(determinations_columns)},
	{"correction_plans", PARENT_CASE, true, COLUMNS(correction_plans_columns)},
	{"clarifications", PARENT_CASE, true, COLUMNS(clarifications_columns)},
	{"follow_up_visits", PARENT_CASE, true, COLUMNS(follow_up_visits_columns)},
	{"early_warnings", PARENT_SUBJECT, true, COLUMNS(early_warnings_columns)},
	{"demotions", PARENT_SUBJECT, true, COLUMNS(demotions_columns)},
	{"assessments", PARENT_SUBJECT, true, COLUMNS(assessments_columns)},
	{"commendations", PARENT_SUBJECT, true, COLUMNS(commendations_columns)},
	{"mentorships", PARENT_SUBJECT, true, COLUMNS(mentorships_columns)},
	{"mentoring_sessions", PARENT_NONE, true, COLUMNS(mentoring_sessions_columns)},
	{"trainings", PARENT_SUBJECT, true, COLUMNS(trainings_columns)},
	{"promotions", PARENT_SUBJECT, true, COLUMNS(promotions_columns)},
};

const int	write_model_table_count =
(int) (sizeof(write_model_tables) / sizeof(write_model_tables[0]));

/* The model of a table by name, or NULL when the table has none. */
const TableModel *
write_model_table(const char *table)
{
	int			i;

	for (i = 0; i < write_model_table_count; i++)
		if (strcmp(write_model_tables[i].table, table) == 0)
			return &write_model_tables[i];
	return NULL;
}

/* The rule of a column of a modelled table, or NULL when it has none. */
const ColumnRule *
write_model_column(const TableModel *model, const char *column)
{
	int			i;

	for (i = 0; i < model->column_count; i++)
		if (strcmp(model->columns[i].column, column) == 0)
			return &model->columns[i];
	return NULL;
}
