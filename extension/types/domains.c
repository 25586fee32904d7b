/*-------------------------------------------------------------------------
 *
 * domains.c
 *	  The domains of the values a user types, as CHECK functions: each
 *	  refuses with its own SQLSTATE, a DETAIL naming the column and a HINT,
 *	  where a bare CHECK constraint could only say which constraint failed.
 *
 *	  accountability.check_date(value, column)     finite, 1900-01-01 to
 *	                                               2199-12-31 (22008)
 *	  accountability.check_past_date(value, column) the same, and not
 *	                                               after today anywhere
 *	                                               on Earth (22008)
 *	  accountability.check_written(value, column)  at least one character
 *	                                               that is not Unicode
 *	                                               white space (23514)
 *	  accountability.check_list(value, column)     one dimension, no NULL,
 *	                                               no value twice (22023)
 *	  accountability.check_setting(value, unit)    1 to 3650 days, 1 to
 *	                                               1000 counts (22003)
 *	  accountability.check_choice(value, column, codes)  one of a column's
 *	                                               few codes (23514)
 *
 * Each returns true or raises; NULL passes (they are STRICT), so the
 * columns' own NOT NULL says whether a value is required.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "access/xact.h"
#include "replication/logicalworker.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

#include "support/support.h"

/* The documented range of every date of the record. */
#define FIRST_RECORD_YEAR 1900
#define LAST_RECORD_YEAR 2199

/* Settings: deadlines in days up to ten years, thresholds up to 1000. */
#define MAX_SETTING_DAYS 3650
#define MAX_SETTING_COUNT 1000

/* A date as a DateADT (days since 2000-01-01). */
static DateADT
record_date(int year, int month, int day)
{
	return (DateADT) (date2j(year, month, day) - POSTGRES_EPOCH_JDATE);
}

/* A date as the session's DateStyle writes it, for a message. */
static char *
date_text(DateADT value)
{
	return DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(value)));
}

/* Refuse a date outside the record's range: infinite, before 1900 or after 2199. */
static void
check_in_record_range(DateADT value, const char *column)
{
	if (DATE_NOT_FINITE(value) ||
		value < record_date(FIRST_RECORD_YEAR, 1, 1) ||
		value > record_date(LAST_RECORD_YEAR, 12, 31))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("date %s of %s is outside the record's range",
						date_text(value),
						column),
				 errdetail("Dates of the record are finite and run from %d-01-01 to %d-12-31.",
						   FIRST_RECORD_YEAR, LAST_RECORD_YEAR),
				 errhint("Check the year; leave the date out (NULL) when it is not known.")));
}

PG_FUNCTION_INFO_V1(check_record_date);
Datum
check_record_date(PG_FUNCTION_ARGS)
{
	check_in_record_range(PG_GETARG_DATEADT(0), text_to_cstring(PG_GETARG_TEXT_PP(1)));
	PG_RETURN_BOOL(true);
}

/*
 * The record's calendar is the jurisdiction's: China Standard Time, UTC+8
 * all year.  Deadlines (the appeal window) are judged on today's date
 * there, so a session's TimeZone cannot stretch or shorten one.
 */
#define RECORD_UTC_OFFSET_HOURS 8

/* The date of a moment in a zone this many hours east of UTC. */
static DateADT
date_at_offset(TimestampTz moment, int hours_east)
{
	return (DateADT) ((moment + hours_east * USECS_PER_HOUR) / USECS_PER_DAY);
}

/* Today in the record's calendar, as of the transaction's start. */
DateADT
record_today(void)
{
	return date_at_offset(GetCurrentTransactionStartTimestamp(), RECORD_UTC_OFFSET_HOURS);
}

/*
 * accountability.record_today(): today in the record's calendar, for the
 * views' deadlines and ages and the columns' defaults, so that a dashboard
 * and the rules it shows agree on what day it is, in every time zone.
 */
PG_FUNCTION_INFO_V1(record_today_date);
Datum
record_today_date(PG_FUNCTION_ARGS)	/* NOLINT(misc-unused-parameters) */
{
	PG_RETURN_DATEADT(record_today());
}

/*
 * accountability.record_date(moment): the record's calendar date of a
 * moment (when a case entered its status, say), the same in every session,
 * so a stage's deadline does not move with the reader's time zone.
 */
PG_FUNCTION_INFO_V1(record_date_of);
Datum
record_date_of(PG_FUNCTION_ARGS)
{
	TimestampTz moment = PG_GETARG_TIMESTAMPTZ(0);

	DateADT		result;

	/* an infinite moment is an infinite date, as a cast to date gives */
	if (TIMESTAMP_IS_NOBEGIN(moment))
		DATE_NOBEGIN(result);
	else if (TIMESTAMP_IS_NOEND(moment))
		DATE_NOEND(result);
	else
		result = date_at_offset(moment, RECORD_UTC_OFFSET_HOURS);
	PG_RETURN_DATEADT(result);
}

/*
 * accountability.check_past_date(value, column): a date on which something
 * happened (a visit made, a plan completed, a decision notified) is in the
 * record's range and not after today in the record's calendar, the one
 * the rules count in (it was today anywhere on Earth, UTC+14: from 18:00
 * Beijing time a notice could be dated tomorrow, and the appeal window
 * gained a day; attack round 17).  A row a restore or
 * a logical-replication worker writes was judged where it was first
 * written: only its range is checked again, so neither fails on a clock.
 */
PG_FUNCTION_INFO_V1(check_past_date);
Datum
check_past_date(PG_FUNCTION_ARGS)
{
	DateADT		value = PG_GETARG_DATEADT(0);
	char	   *column = text_to_cstring(PG_GETARG_TEXT_PP(1));

	check_in_record_range(value, column);
	if (IsLogicalWorker() || session_may_restore())
		PG_RETURN_BOOL(true);
	if (value > record_today())
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("date %s of %s is in the future",
						date_text(value),
						column),
				 errdetail("%s records what has happened, so it is not after today (%s) in the record's calendar, China Standard Time (UTC+8).",
						   column, date_text(record_today())),
				 errhint("Record it on the day it happens; a planned date belongs in a due date.")));
	PG_RETURN_BOOL(true);
}

/*
 * accountability.check_year(year, on_date, years_after, column): a record
 * of a year (an assessment, a commendation, a training) is dated in that
 * year, or up to years_after later for one decided after the year ends
 * (an annual assessment in January).  annual_report counts it by its year:
 * a training of 1949 attended in 2025 would count in 1949.
 */
static bool
year_matches(int32 year, DateADT on_date, int32 years_after)
{
	int			y,
				m,
				d;

	if (DATE_NOT_FINITE(on_date))
		return true;			/* check_date refuses it, naming its column */
	j2date(on_date + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	return y >= year && (int64) y <= (int64) year + years_after;
}

PG_FUNCTION_INFO_V1(check_record_year);
Datum
check_record_year(PG_FUNCTION_ARGS)
{
	int32		year = PG_GETARG_INT32(0);
	DateADT		on_date = PG_GETARG_DATEADT(1);
	int32		years_after = PG_GETARG_INT32(2);
	char	   *column = text_to_cstring(PG_GETARG_TEXT_PP(3));

	if (years_after < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("check_year() needs a number of years after of 0 or more, not %d", years_after),
				 errdetail("It is how many years after its year a record may be dated."),
				 errhint("Give 0 for a record dated in its year.")));
	if (!year_matches(year, on_date, years_after))
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("%s %d does not match the date %s", column, year, date_text(on_date)),
				 years_after > 0 ?
				 errdetail("A record of a year is dated in that year or within %d year(s) after it; figures are counted by the year.", years_after) :
				 errdetail("A record of a year is dated in that year; figures are counted by the year."),
				 errhint("Give the year the record belongs to, or correct the date.")));
	PG_RETURN_BOOL(true);
}

/*
 * accountability.loads_as_written(): does this session load rows as they
 * were judged where they were first written, a restore (for a role that
 * may set the mode) or a logical-replication worker?  The one test the
 * guards written in SQL ask, as the C guards ask it.
 */
PG_FUNCTION_INFO_V1(loads_as_written);
Datum
loads_as_written(PG_FUNCTION_ARGS)	/* NOLINT(misc-unused-parameters) */
{
	PG_RETURN_BOOL(IsLogicalWorker() || session_may_restore());
}

/*
 * accountability.year_matches(year, on_date, years_after): check_year's
 * test as a boolean, for verify_ledger(), which judges the rows again.
 */
PG_FUNCTION_INFO_V1(record_year_matches);
Datum
record_year_matches(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(year_matches(PG_GETARG_INT32(0), PG_GETARG_DATEADT(1), PG_GETARG_INT32(2)));
}

PG_FUNCTION_INFO_V1(check_written_text);
Datum
check_written_text(PG_FUNCTION_ARGS)
{
	text	   *value = PG_GETARG_TEXT_PP(0);
	char	   *column = text_to_cstring(PG_GETARG_TEXT_PP(1));

	if (!text_is_written(value))
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("%s must be written", column),
				 errdetail("The text is empty or only white space (spaces of any kind, ideographic spaces included)."),
				 errhint("Write what %s asks for, or leave it out.", column)));
	PG_RETURN_BOOL(true);
}

/*
 * accountability.check_code(value, column): a code that names a row, a
 * unit's administrative code, carries no blanks around it (attack round 15
 * registered " 3301" beside "3301").
 */
PG_FUNCTION_INFO_V1(check_code_text);
Datum
check_code_text(PG_FUNCTION_ARGS)
{
	text	   *value = PG_GETARG_TEXT_PP(0);
	char	   *column = text_to_cstring(PG_GETARG_TEXT_PP(1));

	refuse_untrimmed_code(value, column,
						  "Units, lists and reports name a row by its exact code.");
	PG_RETURN_BOOL(true);
}

/*
 * accountability.is_written(value): the same test as check_written, as a
 * boolean, for queries that judge recorded text (verify_ledger() asks it of
 * a closing reason in a ledger entry).
 */
PG_FUNCTION_INFO_V1(is_written_text);
Datum
is_written_text(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(text_is_written(PG_GETARG_TEXT_PP(0)));
}

/*
 * accountability.check_choice(value, column, codes): a text column that
 * takes one of a few codes (a case's kind, a visit's method, a grade).  A
 * bare CHECK (kind IN (...)) said only which constraint failed; this names
 * the column, lists its codes, and points at the one meant when only the
 * letter case was wrong ('REPORT'): codes are written exactly.
 */
PG_FUNCTION_INFO_V1(check_choice);
Datum
check_choice(PG_FUNCTION_ARGS)
{
	char	   *value = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	   *column = text_to_cstring(PG_GETARG_TEXT_PP(1));
	Datum	   *codes;
	bool	   *nulls;
	int			count;
	int			i;
	const char *meant = NULL;
	StringInfoData list;

	deconstruct_array(PG_GETARG_ARRAYTYPE_P(2), TEXTOID, -1, false, TYPALIGN_INT,
					  &codes, &nulls, &count);
	initStringInfo(&list);
	for (i = 0; i < count; i++)
	{
		char	   *code = nulls[i] ? "" : TextDatumGetCString(codes[i]);

		if (strcmp(code, value) == 0)
			PG_RETURN_BOOL(true);
		if (pg_strcasecmp(code, value) == 0)
			meant = code;
		appendStringInfo(&list, "%s%s", i > 0 ? ", " : "", code);
	}
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("%s is \"%s\", not one of its codes", column, input_excerpt(value, (int) strlen(value))),
			 errdetail("The codes of %s are: %s.", column, list.data),
			 meant != NULL ? errhint("Codes are written exactly: %s.", meant)
			 : errhint("Write one of the codes exactly as listed.")));
	pg_unreachable();
}

/* The element type's btree order, in the C collation, for qsort_arg. */
static int
compare_elements(const void *a, const void *b, void *arg)
{
	return DatumGetInt32(FunctionCall2Coll((FmgrInfo *) arg, C_COLLATION_OID,
										   *(const Datum *) a, *(const Datum *) b));
}

/*
 * The first value a list names twice, or NULL: the elements sorted by their
 * type's order (byte order for text, so only identical codes match), then
 * neighbours compared.  A list is a set of codes or ids; a repeat is
 * garbage a count or a grade would take twice.
 */
static char *
repeated_element(ArrayType *value)
{
	Oid			element_type = ARR_ELEMTYPE(value);
	TypeCacheEntry *type = lookup_type_cache(element_type, TYPECACHE_CMP_PROC_FINFO);
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum	   *elements;
	int			count;
	int			i;
	Oid			output;
	bool		varlena;

	if (!OidIsValid(type->cmp_proc_finfo.fn_oid))
		return NULL;			/* no order to compare by: the record's lists all have one */
	get_typlenbyvalalign(element_type, &typlen, &typbyval, &typalign);
	deconstruct_array(value, element_type, typlen, typbyval, typalign, &elements, NULL, &count);
	qsort_arg(elements, count, sizeof(Datum), compare_elements, &type->cmp_proc_finfo);
	for (i = 1; i < count; i++)
		if (compare_elements(&elements[i - 1], &elements[i], &type->cmp_proc_finfo) == 0)
		{
			getTypeOutputInfo(element_type, &output, &varlena);
			return OidOutputFunctionCall(output, elements[i]);
		}
	return NULL;
}

PG_FUNCTION_INFO_V1(check_simple_list);
Datum
check_simple_list(PG_FUNCTION_ARGS)
{
	ArrayType  *value = PG_GETARG_ARRAYTYPE_P(0);
	char	   *column = text_to_cstring(PG_GETARG_TEXT_PP(1));
	char	   *repeated;

	if (ARR_NDIM(value) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a list, not a %d-dimensional array", column, ARR_NDIM(value)),
				 errdetail("Lists of the record have one dimension."),
				 errhint("Write it as ARRAY['a', 'b'] or '{a,b}'.")));
	if (ARR_NDIM(value) == 1 && ARR_LBOUND(value)[0] != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a list numbered from 1, not from %d", column, ARR_LBOUND(value)[0]),
				 errdetail("Lists of the record are plain lists; a subscript of 1 reads the first element."),
				 errhint("Write it as ARRAY['a', 'b'] or '{a,b}', without explicit bounds.")));
	if (array_contains_nulls(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not contain NULL", column),
				 errdetail("Every element of a list of the record is a value."),
				 errhint("Leave the unknown element out.")));
	repeated = repeated_element(value);
	if (repeated != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s names \"%s\" twice", column, input_excerpt(repeated, (int) strlen(repeated))),
				 errdetail("A list of the record names each value once."),
				 errhint("Leave the repeated element out.")));
	PG_RETURN_BOOL(true);
}

/*
 * The settings the rules read, each with its unit.  An administrator's
 * INSERT of a misspelt name ("apeal") would add a row nothing reads while
 * the real deadline stays as it was: only these names are settings.
 */
static const struct
{
	const char *name;
	const char *unit;
}			known_settings[] = {
	{"investigation", "days"}, {"determination", "days"}, {"notification", "days"},
	{"appeal", "days"}, {"first_follow_up", "days"}, {"repeat_window", "days"},
	{"report_window", "days"}, {"report_threshold", "count"}
};

/* "investigation (days), ..." for the detail of a refused setting. */
static char *
known_settings_list(void)
{
	StringInfoData buf;
	size_t		i;

	initStringInfo(&buf);
	for (i = 0; i < lengthof(known_settings); i++)
		appendStringInfo(&buf, "%s%s (%s)", i > 0 ? ", " : "", known_settings[i].name, known_settings[i].unit);
	return buf.data;
}

/*
 * accountability.check_setting_name(name, unit): a setting the rules read,
 * in its own unit; otherwise 22023 listing them.
 */
PG_FUNCTION_INFO_V1(check_setting_name);
Datum
check_setting_name(PG_FUNCTION_ARGS)
{
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	   *unit = text_to_cstring(PG_GETARG_TEXT_PP(1));
	size_t		i;

	for (i = 0; i < lengthof(known_settings); i++)
	{
		if (strcmp(known_settings[i].name, name) != 0)
			continue;
		if (strcmp(known_settings[i].unit, unit) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("setting \"%s\" is in %s, not %s", name, known_settings[i].unit,
							input_excerpt(unit, (int) strlen(unit))),
					 errdetail("Each setting has the unit the rules read it in."),
					 errhint("Give the unit '%s'.", known_settings[i].unit)));
		PG_RETURN_BOOL(true);
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("setting \"%s\" is not known", input_excerpt(name, (int) strlen(name))),
			 errdetail("The settings are: %s.", known_settings_list()),
			 errhint("Change the value of one of these; a row of another name is read by no rule (a superuser deletes it).")));
	pg_unreachable();
}

PG_FUNCTION_INFO_V1(check_setting_value);
Datum
check_setting_value(PG_FUNCTION_ARGS)
{
	int32		value = PG_GETARG_INT32(0);
	char	   *unit = text_to_cstring(PG_GETARG_TEXT_PP(1));
	int32		limit = strcmp(unit, "count") == 0 ? MAX_SETTING_COUNT : MAX_SETTING_DAYS;

	if (strcmp(unit, "count") != 0 && strcmp(unit, "days") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("setting unit \"%s\" is not known",
						input_excerpt(unit, (int) strlen(unit))),
				 errdetail("A setting is counted in days or is a count."),
				 errhint("Use 'days' or 'count'.")));
	if (value < 1 || value > limit)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("setting value %d is out of range", value),
				 errdetail("A setting in %s runs from 1 to %d.", unit, limit),
				 errhint("Deadlines are in days (at most ten years); thresholds are counts.")));
	PG_RETURN_BOOL(true);
}
