/*-------------------------------------------------------------------------
 *
 * model.c
 *	  The write model, enforced: BEFORE UPDATE ... FOR EACH ROW (ENABLE
 *	  ALWAYS) on every table of the permanent record, and the audited move
 *	  of a cadre to another unit.
 *
 * What each column is lives once, as data, in core/write_model.c.  This
 * trigger compares the old and the new row column by column and refuses
 * what the column's class does not allow:
 *
 *	 identity, maintained	never changed by a client
 *	 state					changed only together with status (a transition,
 *							judged by the transition trigger)
 *	 fill_once				NULL to a value once
 *	 grows					a list that keeps every value it had
 *	 move					only inside accountability.move_subject()
 *
 * A transition may carry the columns of the status it enters (a finding,
 * a conclusion, the grounds of a clarification); the transition trigger
 * judges its requirements on the old and the new row together, so what
 * the same statement changes can never satisfy a requirement the old row
 * did not.
 *
 * and a row that hangs off a closed case is frozen.  In a logical
 * replication apply worker the publisher has judged the change already.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/relation.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "replication/logicalworker.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "ledger/ledger.h"
#include "support/support.h"

/* Set only while accountability.move_subject() runs its UPDATE. */
static bool subject_move_in_progress = false;

/*
 * The rule of each attribute of a relation, checked once per relation and
 * kept: a column the model does not know is refused, so the guard never
 * misreads a table it was not written for.
 */
typedef struct ModelMap
{
	TupleDesc	desc;			/* the descriptor the map was built for */
	const TableModel *model;
	const ColumnRule **rules;	/* by attno - 1; NULL for dropped columns */
	Oid			relid;
	int			natts;
	int			status_attno;	/* 0 when the table has no status */
	int			case_id_attno;	/* 0 when it hangs off no case */
} ModelMap;

#define MAX_MODEL_MAPS 32
static ModelMap model_maps[MAX_MODEL_MAPS];
static int	model_map_count = 0;

/* Refuse a table the model does not describe, naming what is wrong. */
pg_noreturn static void
refuse_unmodelled(Relation rel, const char *column)
{
	if (column == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("write_model_guard cannot guard table \"%s\"",
						RelationGetRelationName(rel)),
				 errdetail("The write model describes only the tables of the permanent record."),
				 errhint("See accountability.write_model().")));
	ereport(ERROR,
			(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
			 errmsg("column \"%s\" of \"%s\" has no rule in the write model",
					column, RelationGetRelationName(rel)),
			 errdetail("Every column of a guarded table must be identity, state, maintained, fill_once, free, note, move or grows."),
			 errhint("Add the column to core/write_model.c, or drop the trigger.")));
	pg_unreachable();
}

/* Build the map of a relation: every live column must have a rule. */
static void
build_model_map(Relation rel, ModelMap *map)
{
	TupleDesc	desc = RelationGetDescr(rel);
	const TableModel *model = write_model_table(RelationGetRelationName(rel));
	int			attno;

	if (model == NULL)
		refuse_unmodelled(rel, NULL);
	map->relid = InvalidOid;
	map->model = model;
	map->natts = desc->natts;
	map->rules = MemoryContextAllocZero(TopMemoryContext,
										sizeof(ColumnRule *) * Max(desc->natts, 1));
	map->status_attno = 0;
	map->case_id_attno = 0;
	for (attno = 1; attno <= desc->natts; attno++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, attno - 1);
		const ColumnRule *rule;

		if (att->attisdropped)
			continue;
		rule = write_model_column(model, NameStr(att->attname));
		if (rule == NULL)
			refuse_unmodelled(rel, NameStr(att->attname));
		/* cppcheck-suppress nullPointerRedundantCheck ; refuse_unmodelled does not return */
		map->rules[attno - 1] = rule;
		if (strcmp(rule->column, "status") == 0 && rule->column_class == COLUMN_STATE)
			map->status_attno = attno;
		if (model->parent == PARENT_CASE && strcmp(rule->column, "case_id") == 0)
			map->case_id_attno = attno;
		/* a list is compared as an array: a look-alike's scalar never is */
		if (rule->column_class == COLUMN_GROWS && !OidIsValid(get_element_type(att->atttypid)))
			ereport(ERROR,
					(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
					 errmsg("column \"%s\" of \"%s\" is not an array",
							rule->column, RelationGetRelationName(rel))));
	}
	if (map->status_attno != 0 &&
		TupleDescAttr(desc, map->status_attno - 1)->atttypid != extension_type_oid("case_status"))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("column \"status\" of \"%s\" is not of type accountability.case_status",
						RelationGetRelationName(rel))));
	if (map->case_id_attno != 0 &&
		TupleDescAttr(desc, map->case_id_attno - 1)->atttypid != INT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("column \"case_id\" of \"%s\" is not of type bigint",
						RelationGetRelationName(rel))));
	map->relid = RelationGetRelid(rel);
}

/*
 * Does the relation still have the columns the map was built for?  Names,
 * types and dropped slots are all the map depends on (equalTupleDescs()
 * would also compare defaults and constraints, which a copy never has, and
 * so rebuild the map on every row).
 */
static bool
same_columns(TupleDesc kept, TupleDesc current)
{
	int			i;

	if (kept->natts != current->natts)
		return false;
	for (i = 0; i < kept->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(kept, i);
		Form_pg_attribute b = TupleDescAttr(current, i);

		if (a->attisdropped != b->attisdropped || a->atttypid != b->atttypid ||
			strcmp(NameStr(a->attname), NameStr(b->attname)) != 0)
			return false;
	}
	return true;
}

/* The map of a relation, built on first use and when its shape changed. */
static ModelMap *
model_map(Relation rel)
{
	int			i;
	ModelMap   *map;

	for (i = 0; i < model_map_count; i++)
	{
		map = &model_maps[i];
		if (map->relid == RelationGetRelid(rel))
		{
			if (same_columns(map->desc, RelationGetDescr(rel)))
				return map;
			break;
		}
	}
	if (i == model_map_count)
	{
		if (model_map_count == MAX_MODEL_MAPS)
			i = 0;				/* more guarded tables than ever expected */
		else
			model_map_count++;
	}
	map = &model_maps[i];
	/* a rebuilt map replaces the old one: give its memory back */
	if (map->rules != NULL)
		pfree(map->rules);
	if (map->desc != NULL)
		FreeTupleDesc(map->desc);
	map->rules = NULL;
	map->desc = NULL;
	map->relid = InvalidOid;
	build_model_map(rel, map);
	/* keep a copy: the relcache may free the descriptor it lent us */
	{
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

		map->desc = CreateTupleDescCopy(RelationGetDescr(rel));
		MemoryContextSwitchTo(old);
	}
	return map;
}

/* The old and the new row of an UPDATE, each taken apart once. */
typedef struct RowPair
{
	Datum	   *old_values;
	bool	   *old_nulls;
	Datum	   *new_values;
	bool	   *new_nulls;
} RowPair;

/*
 * Deform both rows in one pass each: reading column by column with
 * heap_getattr() walks the tuple again for each column after the first
 * variable-width one.  Allocated in the trigger's per-row context.
 */
static void
deform_pair(HeapTuple old_row, HeapTuple new_row, TupleDesc desc, RowPair *pair)
{
	int			n = Max(desc->natts, 1);

	pair->old_values = palloc(sizeof(Datum) * n);
	pair->old_nulls = palloc(sizeof(bool) * n);
	pair->new_values = palloc(sizeof(Datum) * n);
	pair->new_nulls = palloc(sizeof(bool) * n);
	heap_deform_tuple(old_row, desc, pair->old_values, pair->old_nulls);
	heap_deform_tuple(new_row, desc, pair->new_values, pair->new_nulls);
}

/* Did the column change between the old and the new row? */
static bool
column_changed(const RowPair *pair, TupleDesc desc, int attno)
{
	Form_pg_attribute att = TupleDescAttr(desc, attno - 1);
	int			i = attno - 1;

	if (pair->old_nulls[i] || pair->new_nulls[i])
		return pair->old_nulls[i] != pair->new_nulls[i];
	return !datumIsEqual(pair->old_values[i], pair->new_values[i], att->attbyval, att->attlen);
}

/* A column of a recorded row that the class never lets change. */
static void
refuse_recorded(Relation rel, const ColumnRule *rule)
{
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("column \"%s\" of %s cannot be changed once recorded",
					rule->column, RelationGetRelationName(rel)),
			 errdetail("It is %s in the write model: %s.",
					   rule->column_class == COLUMN_FILL_ONCE
					   ? "filled in once and then frozen" : "an identity column",
					   rule->why),
			 errhint("Record a new row instead of rewriting the old one; accountability.write_model() lists what each column is.")));
}

/*
 * Does the new list keep every value of the old one?  Compared with the
 * array containment operator, under the column's collation (text needs
 * one); a list that became NULL keeps nothing.
 */
static bool
list_kept(TupleDesc desc, const RowPair *pair, int attno)
{
	Form_pg_attribute att = TupleDescAttr(desc, attno - 1);
	Oid			collation = OidIsValid(att->attcollation) ? att->attcollation : DEFAULT_COLLATION_OID;

	if (pair->old_nulls[attno - 1])
		return true;
	if (pair->new_nulls[attno - 1])
		return false;
	return DatumGetBool(OidFunctionCall2Coll(F_ARRAYCONTAINS, collation,
											 pair->new_values[attno - 1],
											 pair->old_values[attno - 1]));
}

/* A value withdrawn from a list that only grows. */
static void
refuse_withdrawn(Relation rel, const ColumnRule *rule)
{
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("column \"%s\" of %s takes values but never loses one",
					rule->column, RelationGetRelationName(rel)),
			 errdetail("In the write model: %s.", rule->why),
			 errhint("Keep the values already recorded and add to them; a case that calls for a clarification and gets none is closed with a closing_reason saying why.")));
}

/* A column the database writes. */
static void
refuse_maintained(Relation rel, const ColumnRule *rule)
{
	bool		is_case = strcmp(RelationGetRelationName(rel), "cases") == 0;

	if (is_case)
		ereport(ERROR,
				(errcode(ERRCODE_GENERATED_ALWAYS),
				 errmsg("column \"%s\" of a case is maintained by the database",
						rule->column),
				 errhint("Leave it out of the UPDATE; change status to move the case.")));
	ereport(ERROR,
			(errcode(ERRCODE_GENERATED_ALWAYS),
			 errmsg("column \"%s\" of %s is maintained by the database",
					rule->column, RelationGetRelationName(rel)),
			 errhint("Leave it out of the UPDATE.")));
}

/* A state column changed without a transition (a closing reason, say). */
static void
refuse_state_without_move(Relation rel, const ColumnRule *rule)
{
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("column \"%s\" of %s changes only with a transition",
					rule->column, RelationGetRelationName(rel)),
			 errdetail("In the write model: %s.", rule->why),
			 errhint("Set it in the UPDATE that changes status.")));
}

/*
 * A fill-once or free column the write model lets change only in some
 * statuses: a finding on an untrue report while it is unfounded (the
 * status after the statement, so the finding may come with the move),
 * a case's facts until it is determined (the status before it: the
 * determination relied on them).
 */
static void
check_column_status(Relation rel, const ModelMap *map, const ColumnRule *rule,
					HeapTuple row)
{
	bool		isnull;
	Datum		status;

	if (rule->statuses == 0 || map->status_attno == 0)
		return;
	status = heap_getattr(row, map->status_attno, RelationGetDescr(rel), &isnull);
	if (!isnull && (rule->statuses & STATUS_BIT(DatumGetCode(status))))
		return;
	if (rule->column_class == COLUMN_FILL_ONCE)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("column \"%s\" of %s can be filled only while the case is %s",
						rule->column, RelationGetRelationName(rel), case_status_list(rule->statuses)),
				 errdetail("In the write model: %s.", rule->why),
				 errhint("Move the case to %s first.", case_status_list(rule->statuses))));
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("column \"%s\" of %s cannot change while the case is %s",
					rule->column, RelationGetRelationName(rel),
					isnull ? "without a status" : codeset_output(&case_status_codes, status)),
			 errdetail("In the write model: %s; it changes only while the case is %s.",
					   rule->why, case_status_list(rule->statuses)),
			 errhint("Facts that would change a determination come with an appeal: move the case to appealed, then record them.")));
}

/*
 * A state column that goes with one move only (a closing reason, with the
 * move to closed): the status the case moves to must be one of its.
 */
static void
check_move_target(Relation rel, const ModelMap *map, const ColumnRule *rule, HeapTuple new_row)
{
	bool		isnull;
	Datum		status;

	if (rule->statuses == 0 || map->status_attno == 0)
		return;
	status = heap_getattr(new_row, map->status_attno, RelationGetDescr(rel), &isnull);
	if (!isnull && (rule->statuses & STATUS_BIT(DatumGetCode(status))))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("column \"%s\" of %s is written only with the move to %s",
					rule->column, RelationGetRelationName(rel), case_status_list(rule->statuses)),
			 errdetail("In the write model: %s.", rule->why),
			 errhint("Set it in the UPDATE that moves the case to %s.", case_status_list(rule->statuses))));
}

/*
 * Everything hanging off a closed case is frozen with it, and a date filled
 * in later is not before the case was opened (check_dated_after_opening).
 */
static void
check_parent_open(Relation rel, const ModelMap *map, HeapTuple old_row,
				  HeapTuple new_row)
{
	bool		isnull;
	int64		case_id;
	DateADT		opened_on;

	if (map->case_id_attno == 0)
		return;
	case_id = DatumGetInt64(heap_getattr(old_row, map->case_id_attno,
										 RelationGetDescr(rel), &isnull));
	SPI_connect();
	if (lock_parent_case_opened(rel, case_id, &opened_on) == CASE_STATUS_CLOSED)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("case %lld is closed: its %s cannot be changed",
						(long long) case_id, RelationGetRelationName(rel)),
				 errdetail("A closed case%s is final, with everything recorded on it.", zh_gloss("办结")),
				 errhint("Register a new case that refers to it through related_case_id.")));
	check_dated_after_opening(rel, new_row, old_row, case_id, opened_on);
	SPI_finish();
}

/* Judge one changed column by its class. */
static void
judge_column(Relation rel, const ModelMap *map, const ColumnRule *rule,
			 const RowPair *pair, HeapTuple old_row, HeapTuple new_row,
			 int attno, bool moving)
{
	bool		old_null;

	switch (rule->column_class)
	{
		case COLUMN_IDENTITY:
			refuse_recorded(rel, rule);
			break;
		case COLUMN_MAINTAINED:
			refuse_maintained(rel, rule);
			break;
		case COLUMN_STATE:
			if (!moving)
				refuse_state_without_move(rel, rule);
			check_move_target(rel, map, rule, new_row);
			break;
		case COLUMN_NOTE:
			break;
		case COLUMN_FILL_ONCE:
			(void) heap_getattr(old_row, attno, RelationGetDescr(rel), &old_null);
			if (!old_null)
				refuse_recorded(rel, rule);
			check_column_status(rel, map, rule, new_row);
			break;
		case COLUMN_FREE:
			check_column_status(rel, map, rule, old_row);
			break;
		case COLUMN_GROWS:
			if (!list_kept(RelationGetDescr(rel), pair, attno))
				refuse_withdrawn(rel, rule);
			break;
		case COLUMN_MOVE:
			if (!subject_move_in_progress)
				ereport(ERROR,
						(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
						 errmsg("column \"%s\" of %s changes only through an audited move",
								rule->column, RelationGetRelationName(rel)),
						 errdetail("In the write model: %s.", rule->why),
						 errhint("Call accountability.move_subject(subject_id, to_unit_id, reason).")));
			break;
	}
}

PG_FUNCTION_INFO_V1(write_model_guard);
Datum
write_model_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = trigger_data_checked(fcinfo, "write_model_guard",
												 true, true);
	Relation	rel = trigdata->tg_relation;
	HeapTuple	old_row = trigdata->tg_trigtuple;
	HeapTuple	new_row = trigdata->tg_newtuple;
	TupleDesc	desc = RelationGetDescr(rel);
	ModelMap   *map;
	RowPair		pair;
	bool		moving;
	bool		changed_any = false;
	int			attno;

	if (!TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("write_model_guard must be fired BEFORE UPDATE")));
	/* the publisher judged this change; its apply worker carries it over */
	if (IsLogicalWorker())
		return PointerGetDatum(new_row);
	refuse_interleaved(RelationGetRelid(rel));
	map = model_map(rel);
	deform_pair(old_row, new_row, desc, &pair);
	moving = map->status_attno != 0 &&
		column_changed(&pair, desc, map->status_attno);
	for (attno = 1; attno <= desc->natts; attno++)
	{
		const ColumnRule *rule = map->rules[attno - 1];

		if (rule == NULL || !column_changed(&pair, desc, attno))
			continue;
		changed_any = true;
		judge_column(rel, map, rule, &pair, old_row, new_row, attno, moving);
	}
	if (changed_any)
		check_parent_open(rel, map, old_row, new_row);
	return PointerGetDatum(new_row);
}

/*
 * The statuses of a mask as an array of the result column's element type
 * (case_status); null for 0 (any open status).
 */
static Datum
status_array(uint32 mask, Oid element_type, bool *isnull)
{
	Datum		codes[CASE_STATUS_COUNT];
	int			count = 0;
	int			code;

	*isnull = (mask == 0);
	if (mask == 0)
		return (Datum) 0;
	for (code = 1; code <= CASE_STATUS_COUNT; code++)
		if (mask & STATUS_BIT(code))
			codes[count++] = CodeGetDatum(code);
	return PointerGetDatum(construct_array(codes, count, element_type, 1, true, TYPALIGN_CHAR));
}

/*
 * accountability.write_model(): the model as rows, for documentation and
 * for the tests that prove every column's class.
 */
PG_FUNCTION_INFO_V1(write_model_rows);
Datum
write_model_rows(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			status_type;
	int			t,
				c;

	InitMaterializedSRF(fcinfo, 0);
	status_type = get_element_type(TupleDescAttr(rsinfo->setDesc, 5)->atttypid);
	if (!OidIsValid(status_type))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("write_model() must return changes_while as an array")));
	for (t = 0; t < write_model_table_count; t++)
	{
		const TableModel *model = &write_model_tables[t];

		for (c = 0; c < model->column_count; c++)
		{
			const ColumnRule *rule = &model->columns[c];
			Datum		values[7];
			bool		nulls[7] = {false, false, false, false, false, false, false};

			values[0] = CStringGetTextDatum(model->table);
			values[1] = CStringGetTextDatum(rule->column);
			values[2] = CStringGetTextDatum(column_class_names[rule->column_class]);
			values[3] = CStringGetTextDatum(model->parent == PARENT_CASE ? "case"
											: model->parent == PARENT_SUBJECT ? "subject"
											: "none");
			values[4] = CStringGetTextDatum(rule->why);
			values[5] = status_array(rule->statuses, status_type, &nulls[5]);
			values[6] = BoolGetDatum(model->rows_kept);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}

/* The audit row of a move, written as the table owner. */
static SavedPlan record_move = {
	"INSERT INTO {schema}.subject_moves (subject_id, from_unit_id, to_unit_id, reason, moved_by)"
	" VALUES ($1, $2, $3, $4, $5)",
	5, {INT8OID, INT8OID, INT8OID, TEXTOID, TEXTOID}, NULL
};

/* The subject's current unit, with the caller's rights, locked. */
static SavedPlan subject_unit = {
	"SELECT unit_id FROM {schema}.subjects"
	" WHERE subject_id OPERATOR(pg_catalog.=) $1 FOR UPDATE",
	1, {INT8OID}, NULL
};

/* The move itself, with the caller's rights (row-level security applies). */
static SavedPlan move_unit = {
	"UPDATE {schema}.subjects SET unit_id = $2"
	" WHERE subject_id OPERATOR(pg_catalog.=) $1",
	2, {INT8OID, INT8OID}, NULL
};

/*
 * accountability.move_subject(subject_id, to_unit_id, reason): move a
 * cadre to another unit, the one way unit_id changes.  Runs with the
 * caller's rights, so the subject must be in the caller's scope and the
 * new unit too; the move is recorded in subject_moves.
 */
PG_FUNCTION_INFO_V1(move_subject);
Datum
move_subject(PG_FUNCTION_ARGS)
{
	int64		subject_id;
	int64		to_unit_id;
	text	   *reason;
	Oid			namespace_oid = get_func_namespace(fcinfo->flinfo->fn_oid);
	Relation	subjects;
	Datum		args[5];
	bool		isnull;
	int64		from_unit_id;

	/* not STRICT: a NULL from an empty form field must not pass for a move */
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a move needs a subject, a unit and a reason"),
				 errdetail("The %s is null.",
						   PG_ARGISNULL(0) ? "subject" : PG_ARGISNULL(1) ? "unit to move to" : "reason"),
				 errhint("Call accountability.move_subject(subject_id, to_unit_id, reason) with all three.")));
	subject_id = PG_GETARG_INT64(0);
	to_unit_id = PG_GETARG_INT64(1);
	reason = PG_GETARG_TEXT_PP(2);
	if (!text_is_written(reason))	/* before any lookup: says nothing of rows */
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a move needs a written reason"),
				 errdetail("The reason is empty or only white space."),
				 errhint("Say why the cadre moves: a transfer order, a reorganisation.")));
	SPI_connect();
	args[0] = Int64GetDatum(subject_id);
	if (run_saved_plan(&subject_unit, namespace_oid, args, NULL, false, 1) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("subject %lld is not in your scope, or does not exist", (long long) subject_id),
				 errhint("accountability.visible_units() lists the units of your roles.")));
	from_unit_id = DatumGetInt64(spi_result_value(0, "unit_id", INT8OID, &isnull));
	/* a move that moves nothing would be recorded with no change behind it */
	if (from_unit_id == to_unit_id)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("subject %lld is already in unit %lld", (long long) subject_id, (long long) to_unit_id),
				 errdetail("A move records a change of unit; there is none."),
				 errhint("Name the unit the cadre moves to.")));
	args[1] = Int64GetDatum(to_unit_id);
	subject_move_in_progress = true;
	PG_TRY();
	{
		(void) run_saved_plan(&move_unit, namespace_oid, args, NULL, false, 0);
	}
	PG_FINALLY();
	{
		subject_move_in_progress = false;
	}
	PG_END_TRY();
	subjects = relation_open(get_relname_relid("subjects", namespace_oid), AccessShareLock);
	args[1] = Int64GetDatum(from_unit_id);
	args[2] = Int64GetDatum(to_unit_id);
	args[3] = PointerGetDatum(reason);
	args[4] = CStringGetTextDatum(current_db_user());
	(void) run_saved_plan_as_owner(&record_move, subjects, args, NULL, false, 0);
	relation_close(subjects, AccessShareLock);
	SPI_finish();
	PG_RETURN_VOID();
}
