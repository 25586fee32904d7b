/*-------------------------------------------------------------------------
 *
 * row_image.c
 *	  The ledger's row image, to_jsonb(row), with each column's conversion
 *	  looked up once per table and backend instead of once per row.
 *
 * to_jsonb() of a row looks up every column's type category and output
 * function again for every row, and sorts the object's keys each time: on a
 * bulk transition that was two fifths of the ledger's cost.  The choices
 * are kept per table for the backend, until an invalidation.  This builds
 * the same jsonb.  Each column is converted as to_jsonb() converts its
 * category (booleans, numbers, dates and times, jsonb, and text from the
 * type's output function); the keys are pushed in the order jsonb stores
 * them, so the sort jsonb still makes of them finds them sorted; a column of any other category (arrays, composites, json, types
 * with a cast to json) is converted by to_jsonb() itself.  verify_ledger()
 * compares every image with to_jsonb() of the live row, so a difference
 * between the two could not pass unseen.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/transam.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "nodes/makefuncs.h"
#include "parser/parse_coerce.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "ledger/ledger.h"

/* How one column's value becomes a jsonb value, as to_jsonb() decides it. */
typedef enum ImageConversion
{
	IMAGE_BOOLEAN,				/* true or false */
	IMAGE_INTEGER,				/* a number, exactly the integer */
	IMAGE_NUMBER,				/* a number from the output, or a string (NaN) */
	IMAGE_DATETIME,				/* an ISO 8601 string */
	IMAGE_JSONB,				/* the value itself */
	IMAGE_TEXT,					/* a string from the type's output function */
	IMAGE_BY_TO_JSONB			/* whatever to_jsonb() makes of the value */
} ImageConversion;

typedef struct ImageColumn
{
	int			attno;			/* 0-based, in the row's descriptor */
	JsonbValue	key;			/* the column's name, as the object's key */
	ImageConversion conversion;
	Oid			base_type;		/* IMAGE_DATETIME: which encoding */
	FmgrInfo	function;		/* the output function, or to_jsonb() */
} ImageColumn;

struct RowImageBuilder
{
	int			ncolumns;
	ImageColumn columns[FLEXIBLE_ARRAY_MEMBER];
};

/* jsonb's order of object keys: the shorter first, then bytewise. */
static int
image_key_order(const void *a, const void *b)
{
	const JsonbValue *ka = &((const ImageColumn *) a)->key;
	const JsonbValue *kb = &((const ImageColumn *) b)->key;

	if (ka->val.string.len != kb->val.string.len)
		return ka->val.string.len < kb->val.string.len ? -1 : 1;
	return memcmp(ka->val.string.val, kb->val.string.val, ka->val.string.len);
}

/*
 * Whether to_jsonb() renders a value of this (base) type as the text of its
 * output function: not an array, a composite or json, and, for a type that
 * is not built in, without a cast to json.
 */
static bool
renders_as_output_text(Oid base_type)
{
	Oid			cast_function;

	if (base_type == JSONOID || OidIsValid(get_element_type(base_type)) ||
		type_is_rowtype(base_type) || base_type == ANYARRAYOID ||
		base_type == ANYCOMPATIBLEARRAYOID || base_type == RECORDARRAYOID)
		return false;
	if (base_type < FirstNormalObjectId)
		return true;
	return find_coercion_pathway(JSONOID, base_type, COERCION_EXPLICIT, &cast_function) != COERCION_PATH_FUNC ||
		!OidIsValid(cast_function);
}

/* to_jsonb(anyelement), called as if on a value of the column's own type. */
static void
init_to_jsonb(FmgrInfo *flinfo, Oid type, MemoryContext context)
{
	fmgr_info_cxt(F_TO_JSONB, flinfo, context);
	fmgr_info_set_expr((Node *) makeFuncExpr(F_TO_JSONB, JSONBOID,
											 list_make1(makeNullConst(type, -1, InvalidOid)),
											 InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL),
					   flinfo);
}

/* Decide, once, how a column is converted (domains look through to their base type). */
static void
choose_conversion(ImageColumn *column, Oid type, MemoryContext context)
{
	Oid			base_type = getBaseType(type);
	Oid			output;
	bool		varlena;

	column->base_type = base_type;
	switch (base_type)
	{
		case BOOLOID:
			column->conversion = IMAGE_BOOLEAN;
			return;
		case INT2OID:
		case INT4OID:
		case INT8OID:
			column->conversion = IMAGE_INTEGER;
			return;
		case FLOAT4OID:
		case FLOAT8OID:
		case NUMERICOID:
			column->conversion = IMAGE_NUMBER;
			break;
		case DATEOID:
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			column->conversion = IMAGE_DATETIME;
			return;
		case JSONBOID:
			column->conversion = IMAGE_JSONB;
			return;
		default:
			if (!renders_as_output_text(base_type))
			{
				column->conversion = IMAGE_BY_TO_JSONB;
				init_to_jsonb(&column->function, type, context);
				return;
			}
			column->conversion = IMAGE_TEXT;
			break;
	}
	getTypeOutputInfo(base_type, &output, &varlena);
	fmgr_info_cxt(output, &column->function, context);
}

/*
 * The builder for rows of a descriptor, in the current memory context:
 * every live column, its conversion chosen, in jsonb's key order.
 */
static RowImageBuilder *
row_image_builder(TupleDesc desc)
{
	RowImageBuilder *builder = palloc0(offsetof(RowImageBuilder, columns) +
									   sizeof(ImageColumn) * desc->natts);
	int			i;

	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		ImageColumn *column = &builder->columns[builder->ncolumns];

		if (att->attisdropped)
			continue;
		column->attno = i;
		column->key.type = jbvString;
		column->key.val.string.val = pstrdup(NameStr(att->attname));
		column->key.val.string.len = (int) strlen(NameStr(att->attname));
		choose_conversion(column, att->atttypid, CurrentMemoryContext);
		builder->ncolumns++;
	}
	qsort(builder->columns, builder->ncolumns, sizeof(ImageColumn), image_key_order);
	return builder;
}

/*
 * Builders are kept for the backend, one per table, until an invalidation
 * says that the table, a type, a cast or a function may have changed:
 * building one (type lookups, the key sort) was a fifth of the ledger's
 * cost on a single-row transition.  A builder replaced while a trigger may
 * still hold it is freed when the transaction ends, never under it.
 */
typedef struct KeptBuilder
{
	Oid			relid;			/* the hash key */
	bool		valid;			/* false once an invalidation touched it */
	MemoryContext context;		/* holds the builder, or NULL */
	RowImageBuilder *builder;	/* NULL until built */
} KeptBuilder;

static HTAB *kept_builders = NULL;
static List *retired_contexts = NIL;	/* in TopMemoryContext */

/* Relcache invalidation: the table's builder (or every one) is stale. */
static void
forget_builder_of(Datum arg, Oid relid)	/* NOLINT(misc-unused-parameters) */
{
	HASH_SEQ_STATUS scan;
	KeptBuilder *kept;

	if (kept_builders == NULL)
		return;
	if (OidIsValid(relid))
	{
		kept = hash_search(kept_builders, &relid, HASH_FIND, NULL);
		if (kept != NULL)
			kept->valid = false;
		return;
	}
	hash_seq_init(&scan, kept_builders);
	while ((kept = hash_seq_search(&scan)) != NULL)
		kept->valid = false;
}

/* A type, a cast or a function changed: every builder is stale. */
static void
forget_builders(Datum arg, int cacheid, uint32 hashvalue)	/* NOLINT(misc-unused-parameters) */
{
	forget_builder_of(arg, InvalidOid);
}

/* At the end of a transaction no trigger holds a builder: free the replaced ones. */
static void
free_retired_builders(XactEvent event, void *arg)	/* NOLINT(misc-unused-parameters) */
{
	ListCell   *cell;

	if (event != XACT_EVENT_COMMIT && event != XACT_EVENT_ABORT && event != XACT_EVENT_PREPARE &&
		event != XACT_EVENT_PARALLEL_COMMIT && event != XACT_EVENT_PARALLEL_ABORT)
		return;
	foreach(cell, retired_contexts)
		MemoryContextDelete((MemoryContext) lfirst(cell));
	list_free(retired_contexts);
	retired_contexts = NIL;
}

/* The kept builders' table, and the callbacks that keep it true, once per backend. */
static void
init_kept_builders(void)
{
	HASHCTL		info;

	info.keysize = sizeof(Oid);
	info.entrysize = sizeof(KeptBuilder);
	info.hcxt = TopMemoryContext;
	kept_builders = hash_create("ledger row image builders", 16, &info,
								HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	CacheRegisterRelcacheCallback(forget_builder_of, (Datum) 0);
	CacheRegisterSyscacheCallback(TYPEOID, forget_builders, (Datum) 0);
	CacheRegisterSyscacheCallback(CASTSOURCETARGET, forget_builders, (Datum) 0);
	CacheRegisterSyscacheCallback(PROCOID, forget_builders, (Datum) 0);
	RegisterXactCallback(free_retired_builders, NULL);
}

/*
 * The builder for rows of a table of the record: the kept one while no
 * invalidation touched it, else a new one (the old one retired).
 */
RowImageBuilder *
row_image_builder_for(Relation rel)
{
	Oid			relid = RelationGetRelid(rel);
	KeptBuilder *kept;
	bool		found;
	MemoryContext old;

	if (kept_builders == NULL)
		init_kept_builders();
	kept = hash_search(kept_builders, &relid, HASH_ENTER, &found);
	if (found && kept->valid && kept->builder != NULL)
		return kept->builder;
	if (found && kept->context != NULL)
	{
		old = MemoryContextSwitchTo(TopMemoryContext);
		retired_contexts = lappend(retired_contexts, kept->context);
		MemoryContextSwitchTo(old);
	}
	kept->builder = NULL;
	/* valid from here: an invalidation while building makes it stale again */
	kept->valid = true;
	kept->context = AllocSetContextCreate(CacheMemoryContext, "ledger row image builder", 0, 1024, 8192);
	old = MemoryContextSwitchTo(kept->context);
	kept->builder = row_image_builder(RelationGetDescr(rel));
	MemoryContextSwitchTo(old);
	return kept->builder;
}

/* A string value, refused beyond what a jsonb string holds (as to_jsonb() does). */
static void
string_value(JsonbValue *v, char *text)
{
	size_t		len = strlen(text);

	if (len > JENTRY_OFFLENMASK)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("string too long to represent as jsonb string"),
				 errdetail("Due to an implementation restriction, jsonb strings cannot exceed %d bytes.",
						   JENTRY_OFFLENMASK)));
	v->type = jbvString;
	v->val.string.val = text;
	v->val.string.len = (int) len;
}

/* A number from its output, or, for NaN and the infinities, which JSON has not, a string. */
static void
number_value(JsonbValue *v, char *text)
{
	if (strchr(text, 'N') != NULL || strchr(text, 'n') != NULL)
	{
		string_value(v, text);
		return;
	}
	v->type = jbvNumeric;
	v->val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(text),
														 ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
}

/* Push a whole jsonb value as the current key's value (a scalar root as the scalar). */
static void
push_jsonb(JsonbParseState **state, Jsonb *value)
{
	JsonbIterator *it = JsonbIteratorInit(&value->root);
	JsonbIteratorToken token;
	JsonbValue	v;

	if (JB_ROOT_IS_SCALAR(value))
	{
		(void) JsonbIteratorNext(&it, &v, true);
		(void) JsonbIteratorNext(&it, &v, true);
		(void) pushJsonbValue(state, WJB_VALUE, &v);
		return;
	}
	while ((token = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
	{
		bool		bracket = token == WJB_BEGIN_ARRAY || token == WJB_END_ARRAY ||
			token == WJB_BEGIN_OBJECT || token == WJB_END_OBJECT;

		(void) pushJsonbValue(state, token, bracket ? NULL : &v);
	}
}

/* Push one column's value, converted as to_jsonb() converts its category. */
static void
push_column(JsonbParseState **state, ImageColumn *column, Datum value, bool isnull)
{
	JsonbValue	v;

	if (isnull)
		v.type = jbvNull;
	else
		switch (column->conversion)
		{
			case IMAGE_BOOLEAN:
				v.type = jbvBool;
				v.val.boolean = DatumGetBool(value);
				break;
			case IMAGE_INTEGER:
				v.type = jbvNumeric;
				v.val.numeric = int64_to_numeric(column->base_type == INT8OID ? DatumGetInt64(value) :
												 column->base_type == INT4OID ? DatumGetInt32(value) :
												 DatumGetInt16(value));
				break;
			case IMAGE_NUMBER:
				number_value(&v, OutputFunctionCall(&column->function, value));
				break;
			case IMAGE_DATETIME:
				string_value(&v, JsonEncodeDateTime(NULL, value, column->base_type, NULL));
				break;
			case IMAGE_TEXT:
				string_value(&v, OutputFunctionCall(&column->function, value));
				break;
			case IMAGE_JSONB:
				push_jsonb(state, DatumGetJsonbP(value));
				return;
			case IMAGE_BY_TO_JSONB:
				push_jsonb(state, DatumGetJsonbP(FunctionCall1(&column->function, value)));
				return;
		}
	(void) pushJsonbValue(state, WJB_VALUE, &v);
}

/* The image of the row in "slot", in the current memory context. */
Jsonb *
row_image(RowImageBuilder *builder, TupleTableSlot *slot)
{
	JsonbParseState *state = NULL;
	JsonbValue *object;
	int			i;

	slot_getallattrs(slot);
	(void) pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	for (i = 0; i < builder->ncolumns; i++)
	{
		ImageColumn *column = &builder->columns[i];

		(void) pushJsonbValue(&state, WJB_KEY, &column->key);
		push_column(&state, column, slot->tts_values[column->attno], slot->tts_isnull[column->attno]);
	}
	object = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(object);
}
