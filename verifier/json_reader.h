/*-------------------------------------------------------------------------
 *
 * json_reader.h
 *	  A strict JSON reader for the offline verifier's digest files: values
 *	  read as jsonb reads them (escapes decoded, numbers as numeric prints
 *	  them), text that is not JSON refused through the program's fatal().
 *
 *-------------------------------------------------------------------------
 */
#ifndef PG_ACCOUNTABILITY_JSON_READER_H
#define PG_ACCOUNTABILITY_JSON_READER_H

#include <stdbool.h>
#include <stddef.h>

/* Where the reader is: the text, its file's name, the line (for errors). */
typedef struct JsonReader
{
	const char *p;
	const char *path;
	int			line;
} JsonReader;

/* The deepest nesting read: ledger_digest() writes 2. */
#define JSON_MAX_DEPTH 64

/* Characters of a number's text kept; "~" stands for a longer one. */
#define JSON_NUMBER_TEXT_LEN 40

/* Called for each member of an object (its decoded name) or element of an array. */
typedef void (*MemberReader) (JsonReader *r, const char *name, void *state);
typedef void (*ElementReader) (JsonReader *r, void *state);

/* The program's own: give up on unreadable input (exit status 2). */
extern void fatal(const char *fmt,...) __attribute__((format(printf, 1, 2), noreturn));

extern void json_fail(const JsonReader *r, const char *what) __attribute__((noreturn));
extern void json_skip_space(JsonReader *r);
extern void json_expect(JsonReader *r, char c);
extern bool json_string(JsonReader *r, char *out, size_t outsize);
extern void json_number(JsonReader *r, char *text);
extern const char *json_kind(const JsonReader *r);
extern void json_skip_value(JsonReader *r, int depth);
extern void json_object(JsonReader *r, MemberReader read_member, void *state);
extern void json_array(JsonReader *r, ElementReader read_element, void *state);

#endif							/* PG_ACCOUNTABILITY_JSON_READER_H */
