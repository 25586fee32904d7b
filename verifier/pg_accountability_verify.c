/*-------------------------------------------------------------------------
 *
 * pg_accountability_verify.c
 *	  The offline verifier of the ledger (issue 15): checks an export of
 *	  ledger_blocks and ledger_entries (and optionally of ledger_rows())
 *	  against saved digests, with no database at all.
 *
 *	  pg_accountability_verify --blocks blocks.tsv --entries entries.tsv
 *	      [--rows rows.tsv] [digest.json ...]
 *
 * The exports are COPY's text format (psql \copy ... TO 'file'), with the
 * columns and order the README gives.  A digest file holds one digest, a
 * JSON array of digests, or one digest per line, as ledger_digest()
 * returns them.  Every problem is printed on a line of its own, in the
 * words verify_ledger() uses; the exit status is 0 when the ledger is
 * intact, 1 when a problem was found, 2 when the input cannot be read.
 *
 * The hashes come from the same pure C as the server's
 * (extension/core/ledger_format.c, sha256.c), and so does the write model
 * (write_model.c: which tables never lose a row); they need neither
 * PostgreSQL nor OpenSSL.
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/ledger_core.h"
#include "json_reader.h"

typedef struct Entry
{
	int64_t		entry_no;
	char	   *table_name;
	char	   *operation;
	char	   *row_key;
	char	   *row_image;
	uint8_t		hash[LEDGER_SHA256_LEN];
	bool		hash_ok;
	int			blocks;			/* how many blocks seal it */
	bool		in_first_block; /* block 1 seals it */
} Entry;

typedef struct Range
{
	int64_t		lo;				/* inclusive */
	int64_t		hi;				/* exclusive */
} Range;

typedef struct Block
{
	int64_t		block_no;
	Range	   *ranges;
	int			nranges;
	int64_t		entry_count;
	int64_t		first_entry_no;
	int64_t		last_entry_no;
	uint8_t		merkle_root[LEDGER_SHA256_LEN];
	bool		has_prev;
	uint8_t		prev_hash[LEDGER_SHA256_LEN];
	uint8_t		block_hash[LEDGER_SHA256_LEN];
} Block;

typedef struct Row
{
	char	   *table_name;
	char	   *row_key;
	char	   *row_image;
} Row;

static long problems = 0;

static void problem(const char *area, const char *fmt,...) __attribute__((format(printf, 2, 3)));

/* Print one problem, verify_ledger()'s area first. */
static void
problem(const char *area, const char *fmt,...)
{
	va_list		ap;

	printf("%s: ", area);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	problems++;
}

/* Give up on unreadable input (exit status 2); json_reader.c too. */
void
fatal(const char *fmt,...)
{
	va_list		ap;

	fprintf(stderr, "pg_accountability_verify: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* malloc that never returns NULL. */
static void *
xmalloc(size_t size)
{
	void	   *p = malloc(size > 0 ? size : 1);

	if (p == NULL)
		fatal("out of memory");
	return p;
}

/* realloc that never returns NULL. */
static void *
xrealloc(void *old, size_t size)
{
	void	   *p = realloc(old, size > 0 ? size : 1);

	if (p == NULL)
		fatal("out of memory");
	return p;
}

/* A whole file in memory, NUL-terminated. */
static char *
read_file(const char *path, size_t *len)
{
	FILE	   *f = fopen(path, "rb");
	char	   *buf = NULL;
	size_t		size = 0,
				cap = 0;

	if (f == NULL)
		fatal("could not open \"%s\": %s", path, strerror(errno));
	for (;;)
	{
		size_t		got;

		if (cap - size < 65536)
		{
			cap = cap * 2 + 65536;
			buf = xrealloc(buf, cap + 1);
		}
		got = fread(buf + size, 1, cap - size, f);
		size += got;
		if (got == 0)
			break;
	}
	if (ferror(f))
		fatal("could not read \"%s\"", path);
	fclose(f);
	buf[size] = '\0';
	*len = size;
	return buf;
}

/*
 * Split a line of COPY text format into fields, in place, undoing its
 * backslash escapes; a field that is exactly \N becomes NULL.  -1 for a
 * line COPY never writes: a trailing backslash, or an escaped NUL byte.
 */
static int
copy_fields(char *line, char **fields, int max)
{
	int			n = 0;
	char	   *in = line,
			   *out = line;

	fields[n++] = out;
	for (;;)
	{
		char		c = *in++;

		if (c == '\0')
			break;
		if (c == '\t')
		{
			*out++ = '\0';
			if (n == max)
				return -1;
			fields[n++] = out;
			continue;
		}
		if (c != '\\')
		{
			*out++ = c;
			continue;
		}
		c = *in++;
		switch (c)
		{
			case 'b':
				*out++ = '\b';
				break;
			case 'f':
				*out++ = '\f';
				break;
			case 'n':
				*out++ = '\n';
				break;
			case 'r':
				*out++ = '\r';
				break;
			case 't':
				*out++ = '\t';
				break;
			case 'v':
				*out++ = '\v';
				break;
			case 'N':
				if (out == fields[n - 1] && (*in == '\t' || *in == '\0'))
				{
					fields[n - 1] = NULL;
					/* the NULL field still needs its own slot */
					*out++ = '\0';
				}
				else
					*out++ = 'N';
				break;
			case 'x':
				{
					int			v = 0,
								k;

					for (k = 0; k < 2 && strchr("0123456789abcdefABCDEF", *in) && *in; k++, in++)
						v = v * 16 + (*in <= '9' ? *in - '0' : (*in | 0x20) - 'a' + 10);
					/* COPY never writes a NUL: one would hide what follows it */
					if (v == 0)
						return -1;
					*out++ = (char) v;
				}
				break;
			case '\0':
				return -1;
			default:
				if (c >= '0' && c <= '7')
				{
					int			v = c - '0',
								k;

					for (k = 0; k < 2 && *in >= '0' && *in <= '7'; k++, in++)
						v = v * 8 + (*in - '0');
					if ((v & 0xff) == 0)
						return -1;
					*out++ = (char) v;
				}
				else
					*out++ = c;
		}
	}
	*out = '\0';
	return n;
}

/* Parse a bytea in hex output format (\x...) holding one hash. */
static bool
parse_hash(const char *s, uint8_t *hash)
{
	int			i;

	if (s == NULL || s[0] != '\\' || s[1] != 'x' || strlen(s) != 2 + 2 * LEDGER_SHA256_LEN)
		return false;
	for (i = 0; i < LEDGER_SHA256_LEN; i++)
	{
		unsigned int v;

		if (sscanf(s + 2 + 2 * i, "%2x", &v) != 1)
			return false;
		hash[i] = (uint8_t) v;
	}
	return true;
}

/* Parse a plain hex string (a digest's block_hash). */
static bool
parse_plain_hex(const char *s, size_t len, uint8_t *hash)
{
	size_t		i;

	if (len != 2 * LEDGER_SHA256_LEN)
		return false;
	for (i = 0; i < LEDGER_SHA256_LEN; i++)
	{
		unsigned int v;
		char		pair[3] = {s[2 * i], s[2 * i + 1], '\0'};

		if (!strchr("0123456789abcdef", pair[0]) || !strchr("0123456789abcdef", pair[1]))
			return false;
		(void) sscanf(pair, "%2x", &v);
		hash[i] = (uint8_t) v;
	}
	return true;
}

/* Parse a whole int64, or fail. */
static bool
parse_int64(const char *s, int64_t *value)
{
	char	   *end;
	long long	v;

	if (s == NULL || *s == '\0')
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*value = (int64_t) v;
	return true;
}

/*
 * Read one integer of a range bound, as PostgreSQL prints it (an optional
 * minus, then digits), ending at "stop"; fail on anything else, so that a
 * malformed export is refused, never half-read (attack round 17: a range
 * without its ")" left the read position unset).
 */
static bool
parse_bound(const char **p, char stop, long long *value)
{
	const char *s = *p;
	char	   *end;

	if (!(isdigit((unsigned char) *s) || (*s == '-' && isdigit((unsigned char) s[1]))))
		return false;
	errno = 0;
	*value = strtoll(s, &end, 10);
	if (errno != 0 || *end != stop)
		return false;
	*p = end + 1;
	return true;
}

/* Parse an int8multirange as PostgreSQL prints it: {[1,5),[7,9)}. */
static bool
parse_multirange(const char *s, Block *b)
{
	const char *p = s;

	b->ranges = NULL;
	b->nranges = 0;
	if (*p++ != '{')
		return false;
	while (*p == '[')
	{
		long long	lo,
					hi;

		p++;
		if (!parse_bound(&p, ',', &lo) || !parse_bound(&p, ')', &hi))
			return false;
		/* as PostgreSQL prints one: each range non-empty, in order, apart */
		if (lo >= hi || (b->nranges > 0 && lo <= b->ranges[b->nranges - 1].hi))
			return false;
		b->ranges = xrealloc(b->ranges, sizeof(Range) * (size_t) (b->nranges + 1));
		b->ranges[b->nranges].lo = lo;
		b->ranges[b->nranges].hi = hi;
		b->nranges++;
		if (*p == ',' && p[1] == '[')
			p++;
	}
	return *p == '}' && p[1] == '\0';
}

/* Call fn on each line of a file (without its newline). */
static void
for_each_line(char *text, void (*fn) (char *line, long lineno, void *arg), void *arg)
{
	char	   *line = text;
	long		lineno = 0;

	while (*line != '\0')
	{
		char	   *nl = strchr(line, '\n');

		if (nl != NULL)
			*nl = '\0';
		lineno++;
		if (*line != '\0')
			fn(line, lineno, arg);
		if (nl == NULL)
			break;
		line = nl + 1;
	}
}

typedef struct Loaded
{
	const char *path;
	void	   *items;
	size_t		count;
	size_t		cap;
} Loaded;

/* Grow a Loaded array by one item of the given size. */
static void *
next_item(Loaded *l, size_t size)
{
	if (l->count == l->cap)
	{
		l->cap = l->cap * 2 + 1024;
		l->items = xrealloc(l->items, l->cap * size);
	}
	return (char *) l->items + size * l->count++;
}

/* One line of the entries export: entry_no, table, operation, key, image, hash. */
static void
load_entry(char *line, long lineno, void *arg)
{
	Loaded	   *l = arg;
	char	   *f[6];
	Entry	   *e;
	LedgerEntry le;
	uint8_t		computed[LEDGER_SHA256_LEN];

	if (copy_fields(line, f, 6) != 6 || f[1] == NULL || f[2] == NULL || f[3] == NULL || f[4] == NULL)
		fatal("%s line %ld: expected entry_no, table_name, operation, row_key, row_image, entry_hash, as COPY writes them (no NUL byte)", l->path, lineno);
	e = next_item(l, sizeof(Entry));
	if (!parse_int64(f[0], &e->entry_no))
		fatal("%s line %ld: bad entry_no", l->path, lineno);
	e->table_name = f[1];
	e->operation = f[2];
	e->row_key = f[3];
	e->row_image = f[4];
	e->blocks = 0;
	e->in_first_block = false;
	le.entry_no = e->entry_no;
	le.table_name = e->table_name;
	le.table_name_len = strlen(e->table_name);
	le.operation = e->operation;
	le.operation_len = strlen(e->operation);
	le.row_key = e->row_key;
	le.row_key_len = strlen(e->row_key);
	le.row_image = e->row_image;
	le.row_image_len = strlen(e->row_image);
	ledger_entry_hash(&le, computed);
	e->hash_ok = parse_hash(f[5], e->hash) && memcmp(e->hash, computed, LEDGER_SHA256_LEN) == 0;
	memcpy(e->hash, computed, LEDGER_SHA256_LEN);
}

/* One line of the blocks export (see the README for the columns). */
static void
load_block(char *line, long lineno, void *arg)
{
	Loaded	   *l = arg;
	char	   *f[8];
	Block	   *b;

	if (copy_fields(line, f, 8) != 8)
		fatal("%s line %ld: expected 8 columns, as COPY writes them (no NUL byte)", l->path, lineno);
	b = next_item(l, sizeof(Block));
	if (!parse_int64(f[0], &b->block_no) || f[1] == NULL || !parse_multirange(f[1], b) ||
		!parse_int64(f[2], &b->entry_count) || !parse_int64(f[3], &b->first_entry_no) ||
		!parse_int64(f[4], &b->last_entry_no) || !parse_hash(f[5], b->merkle_root) ||
		!parse_hash(f[7], b->block_hash))
		fatal("%s line %ld: cannot read the block", l->path, lineno);
	b->has_prev = f[6] != NULL;
	if (b->has_prev && !parse_hash(f[6], b->prev_hash))
		fatal("%s line %ld: cannot read prev_hash", l->path, lineno);
}

/* One line of the rows export: table_name, row_key, row_image. */
static void
load_row(char *line, long lineno, void *arg)
{
	Loaded	   *l = arg;
	char	   *f[3];
	Row		   *r;

	if (copy_fields(line, f, 3) != 3 || f[0] == NULL || f[1] == NULL || f[2] == NULL)
		fatal("%s line %ld: expected table_name, row_key, row_image, as COPY writes them (no NUL byte)", l->path, lineno);
	r = next_item(l, sizeof(Row));
	r->table_name = f[0];
	r->row_key = f[1];
	r->row_image = f[2];
}

/* qsort order of entries: by number. */
static int
entry_no_cmp(const void *a, const void *b)
{
	int64_t		x = ((const Entry *) a)->entry_no,
				y = ((const Entry *) b)->entry_no;

	return (x > y) - (x < y);
}

/* qsort order of entry pointers: by table, key, then number. */
static int
entry_row_cmp(const void *a, const void *b)
{
	const Entry *x = *(const Entry *const *) a,
			   *y = *(const Entry *const *) b;
	int			c = strcmp(x->table_name, y->table_name);

	if (c == 0)
		c = strcmp(x->row_key, y->row_key);
	if (c == 0)
		c = (x->entry_no > y->entry_no) - (x->entry_no < y->entry_no);
	return c;
}

/* qsort order of rows: by table, key. */
static int
row_cmp(const void *a, const void *b)
{
	const Row  *x = a,
			   *y = b;
	int			c = strcmp(x->table_name, y->table_name);

	return c != 0 ? c : strcmp(x->row_key, y->row_key);
}

/* qsort order of blocks: by number. */
static int
block_no_cmp(const void *a, const void *b)
{
	int64_t		x = ((const Block *) a)->block_no,
				y = ((const Block *) b)->block_no;

	return (x > y) - (x < y);
}

/* The index of the first entry numbered at least no. */
static size_t
first_at_least(const Entry *entries, size_t n, int64_t no)
{
	size_t		lo = 0,
				hi = n;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (entries[mid].entry_no < no)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Blocks: dense, chained, entry counts, Merkle roots and hashes recomputed. */
static void
check_blocks(Block *blocks, size_t nblocks, Entry *entries, size_t nentries)
{
	size_t		i;
	uint8_t    *leaves = xmalloc(nentries * LEDGER_SHA256_LEN + 1);
	uint8_t    *work = xmalloc(nentries * LEDGER_SHA256_LEN + 1);

	for (i = 0; i < nblocks; i++)
	{
		Block	   *b = &blocks[i];
		size_t		count = 0;
		int64_t		lo = 0,
					hi = 0;
		int			r;
		uint8_t		root[LEDGER_SHA256_LEN],
					hash[LEDGER_SHA256_LEN];

		for (r = 0; r < b->nranges; r++)
		{
			size_t		k;

			for (k = first_at_least(entries, nentries, b->ranges[r].lo);
				 k < nentries && entries[k].entry_no < b->ranges[r].hi; k++)
			{
				memcpy(leaves + count * LEDGER_SHA256_LEN, entries[k].hash, LEDGER_SHA256_LEN);
				if (count == 0 || entries[k].entry_no < lo)
					lo = entries[k].entry_no;
				if (count == 0 || entries[k].entry_no > hi)
					hi = entries[k].entry_no;
				entries[k].blocks++;
				entries[k].in_first_block |= (b->block_no == 1);
				count++;
			}
		}
		if (b->block_no != (i == 0 ? 1 : blocks[i - 1].block_no + 1))
			problem("block", "block %lld: block numbers are not dense (a block was removed)", (long long) b->block_no);
		else if (i == 0 ? b->has_prev : (!b->has_prev || memcmp(b->prev_hash, blocks[i - 1].block_hash, LEDGER_SHA256_LEN) != 0))
			problem("block", "block %lld: block does not chain to the previous block", (long long) b->block_no);
		else if ((int64_t) count != b->entry_count)
			problem("block", "block %lld: block seals %lld entries, %zu are in the ledger (entries removed)",
					(long long) b->block_no, (long long) b->entry_count, count);
		else if (b->nranges == 0 || b->ranges[0].lo != b->first_entry_no ||
				 b->ranges[b->nranges - 1].hi - 1 != b->last_entry_no ||
				 lo != b->first_entry_no || hi != b->last_entry_no)
			problem("block", "block %lld: block's entry numbers do not match its first and last entry", (long long) b->block_no);
		else if (ledger_merkle_root(leaves, count, work, root) != 0 ||
				 memcmp(root, b->merkle_root, LEDGER_SHA256_LEN) != 0)
			problem("block", "block %lld: Merkle root does not match the entries (an entry was changed, replaced or reordered)",
					(long long) b->block_no);
		else
		{
			ledger_block_hash(b->block_no, b->has_prev ? b->prev_hash : NULL, b->merkle_root,
							  b->entry_count, b->first_entry_no, b->last_entry_no, hash);
			if (memcmp(hash, b->block_hash, LEDGER_SHA256_LEN) != 0)
				problem("block", "block %lld: block hash does not match the block", (long long) b->block_no);
		}
	}
	free(leaves);
	free(work);
}

/*
 * The two append-only tables, whose rows are only ever added: how
 * verify_ledger() 3 names what they hold, or NULL for another table
 * (attack round 9: a deleted move passed here, not online).
 */
static const char *
append_only_record(const char *table, const char **rows)
{
	if (strcmp(table, "case_events") == 0)
		return (*rows = "events", "the history");
	if (strcmp(table, "subject_moves") == 0)
		return (*rows = "moves", "the record of moves");
	return NULL;
}

/* Entries: hash, sealed once, nothing the write model never allows. */
static void
check_entries(const Entry *entries, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
	{
		const Entry *e = &entries[i];
		const TableModel *model = write_model_table(e->table_name);
		const char *rows = NULL;

		if (i > 0 && e->entry_no == entries[i - 1].entry_no)
		{
			problem("entry", "entry %lld: entry number appears twice", (long long) e->entry_no);
			continue;
		}
		if (!e->hash_ok)
		{
			problem("entry", "entry %lld (%s %s): entry hash does not match its content",
					(long long) e->entry_no, e->table_name, e->row_key);
			continue;
		}
		if (e->blocks > 1)
		{
			problem("entry", "entry %lld: entry is sealed in more than one block", (long long) e->entry_no);
			continue;
		}
		if (e->entry_no < 1)
		{
			problem("entry", "entry %lld (%s %s): entry number below 1: the ledger numbers its entries from 1 (the entry was written by hand)",
					(long long) e->entry_no, e->table_name, e->row_key);
			continue;
		}
		/* the update from 1.0 writes them and seals them at once, in block 1 */
		if (strcmp(e->operation, "genesis") == 0 && !e->in_first_block)
		{
			problem("entry", "entry %lld (%s %s): a genesis entry outside block 1: the update from 1.0 writes them and seals them at once into block 1",
					(long long) e->entry_no, e->table_name, e->row_key);
			continue;
		}
		if (append_only_record(e->table_name, &rows) != NULL &&
			strcmp(e->operation, "insert") != 0 && strcmp(e->operation, "genesis") != 0)
		{
			problem("entry", "entry %lld (%s %s): %s records a %s: %s are only ever added",
					(long long) e->entry_no, e->table_name, e->row_key,
					append_only_record(e->table_name, &rows), e->operation, rows);
			continue;
		}
		if (strcmp(e->operation, "delete") == 0 && model != NULL && model->rows_kept)
			problem("entry", "entry %lld (%s %s): %s rows are never deleted, yet the ledger records a deletion",
					(long long) e->entry_no, e->table_name, e->row_key, e->table_name);
	}
}

/*
 * Does a row of this table keep its key for life, so that it starts once?
 * The write model's tables (identity keys) and the two append-only ones;
 * not role_units and tolerance_list_items, whose key an administrator may
 * change (the old key then shows no deletion).  verify_ledger() 3b: the same.
 */
static bool
key_is_for_life(const char *table)
{
	return write_model_table(table) != NULL ||
		strcmp(table, "case_events") == 0 || strcmp(table, "subject_moves") == 0;
}

/* Is this entry the start of a row (an insert, or a row present at genesis)? */
static bool
starts_row(const Entry *e)
{
	return strcmp(e->operation, "insert") == 0 || strcmp(e->operation, "genesis") == 0;
}

/*
 * Each row's entries, in order: a row starts once, and only a deletion
 * ends it.  A second insert of a row the ledger holds would replace its
 * image without any rule judging the change (attack round 7 rewrote a
 * closed case's determination and history that way).
 */
static void
check_row_starts(Entry *entries, size_t n)
{
	Entry	  **byrow = xmalloc(sizeof(Entry *) * (n + 1));
	size_t		i;

	for (i = 0; i < n; i++)
		byrow[i] = &entries[i];
	qsort(byrow, n, sizeof(Entry *), entry_row_cmp);
	for (i = 1; i < n; i++)
		if (starts_row(byrow[i]) && key_is_for_life(byrow[i]->table_name) &&
			strcmp(byrow[i]->table_name, byrow[i - 1]->table_name) == 0 &&
			strcmp(byrow[i]->row_key, byrow[i - 1]->row_key) == 0 &&
			strcmp(byrow[i - 1]->operation, "delete") != 0)
			problem("entry", "entry %lld (%s %s): an %s of a row the ledger already holds: only a deletion ends a row",
					(long long) byrow[i]->entry_no, byrow[i]->table_name, byrow[i]->row_key,
					byrow[i]->operation);
	free(byrow);
}

/* Rows: each live row equals its latest entry; each row recorded is there. */
static void
check_rows(Entry *entries, size_t nentries, Row *rows, size_t nrows)
{
	Entry	  **byrow = xmalloc(sizeof(Entry *) * (nentries + 1));
	size_t		i,
				latest_n = 0,
				a = 0,
				b = 0;

	for (i = 0; i < nentries; i++)
		byrow[i] = &entries[i];
	qsort(byrow, nentries, sizeof(Entry *), entry_row_cmp);
	/* keep the latest entry of each row, in place */
	for (i = 0; i < nentries; i++)
		if (i + 1 == nentries || strcmp(byrow[i]->table_name, byrow[i + 1]->table_name) != 0 ||
			strcmp(byrow[i]->row_key, byrow[i + 1]->row_key) != 0)
			byrow[latest_n++] = byrow[i];
	if (nrows > 0)
		qsort(rows, nrows, sizeof(Row), row_cmp);
	while (a < nrows || b < latest_n)
	{
		int			c;

		if (a == nrows)
			c = 1;
		else if (b == latest_n)
			c = -1;
		else
		{
			c = strcmp(rows[a].table_name, byrow[b]->table_name);
			if (c == 0)
				c = strcmp(rows[a].row_key, byrow[b]->row_key);
		}
		if (c < 0)
		{
			problem("row", "%s %s: row is not in the ledger (written with the ledger's triggers off)",
					rows[a].table_name, rows[a].row_key);
			a++;
		}
		else if (c > 0)
		{
			if (strcmp(byrow[b]->operation, "delete") != 0)
				problem("row", "%s %s: row is in the ledger but missing from the table (deleted outside the ledger)",
						byrow[b]->table_name, byrow[b]->row_key);
			b++;
		}
		else
		{
			if (strcmp(byrow[b]->operation, "delete") == 0)
				problem("row", "%s %s: row was deleted in the ledger but is in the table",
						rows[a].table_name, rows[a].row_key);
			else if (strcmp(rows[a].row_image, byrow[b]->row_image) != 0)
				problem("row", "%s %s: row differs from its latest ledger entry (changed outside the ledger)",
						rows[a].table_name, rows[a].row_key);
			a++;
			b++;
		}
	}
	free(byrow);
}

/* Is this text a count: plain digits ("~" for very many), as ledger_digest() writes counts? */
static bool
is_count(const char *text)
{
	return text[0] != '\0' && (strcmp(text, "~") == 0 || strspn(text, "0123456789") == strlen(text));
}

/* A member that should be a count: its count, or "" when it is none. */
static void
json_count_member(JsonReader *r, char *count)
{
	json_skip_space(r);
	count[0] = '\0';
	if (*r->p == '-' || isdigit((unsigned char) *r->p))
	{
		json_number(r, count);
		if (!is_count(count))
			count[0] = '\0';
	}
	else
		json_skip_value(r, 1);
}

/*
 * A string member: into out when it is a string that fits, else "" (the
 * member is no such string).
 */
static void
json_string_member(JsonReader *r, char *out, size_t outsize)
{
	json_skip_space(r);
	if (*r->p != '"')
	{
		json_skip_value(r, 1);
		out[0] = '\0';
	}
	else if (!json_string(r, out, outsize))
		out[0] = '\0';
}

/* What a digest's members say, as read from the file. */
typedef struct DigestRead
{
	char		format[JSON_NUMBER_TEXT_LEN + 1];	/* counts: "" when none */
	char		block_no[JSON_NUMBER_TEXT_LEN + 1];
	char		entry_no[JSON_NUMBER_TEXT_LEN + 1];
	char		entry_count[JSON_NUMBER_TEXT_LEN + 1];
	char		format_text[48];	/* format as verify_ledger() prints it */
	char		block_hash[2 * LEDGER_SHA256_LEN + 1];
	bool		has_hash;		/* a block_hash member, string or null */
	bool		hash_string;	/* ... a string (block_hash holds it if it fits) */
	bool		hash_fits;
	char		sha256[2 * LEDGER_SHA256_LEN + 1];	/* the guards' members */
	char		server_major[JSON_NUMBER_TEXT_LEN + 1];
	char		extension_version[16];
	bool		version_string;
	bool		guards_object;
	char		taken_at[4096];
	bool		database_object;
} DigestRead;

/* A member of the guards' fingerprint. */
static void
read_guard_member(JsonReader *r, const char *name, void *state)
{
	DigestRead *d = state;

	if (strcmp(name, "sha256") == 0)
		json_string_member(r, d->sha256, sizeof(d->sha256));
	else if (strcmp(name, "server_major") == 0)
		json_count_member(r, d->server_major);
	else if (strcmp(name, "extension_version") == 0)
	{
		d->version_string = (*r->p == '"');
		json_string_member(r, d->extension_version, sizeof(d->extension_version));
	}
	else
		json_skip_value(r, 2);
}

/* A member of a digest. */
static void
read_digest_member(JsonReader *r, const char *name, void *state)
{
	DigestRead *d = state;

	if (strcmp(name, "format") == 0)
	{
		const char *start = r->p;

		/* printed as jsonb prints it: a number as numeric does, else as written */
		d->format[0] = d->format_text[0] = '\0';
		if (*r->p == '-' || isdigit((unsigned char) *r->p))
		{
			json_number(r, d->format_text);
			if (is_count(d->format_text))
				strcpy(d->format, d->format_text);
		}
		else
		{
			json_skip_value(r, 1);
			snprintf(d->format_text, sizeof(d->format_text), "%.*s",
					 (int) (r->p - start < 40 ? r->p - start : 40), start);
		}
	}
	else if (strcmp(name, "block_no") == 0)
		json_count_member(r, d->block_no);
	else if (strcmp(name, "entry_no") == 0)
		json_count_member(r, d->entry_no);
	else if (strcmp(name, "entry_count") == 0)
		json_count_member(r, d->entry_count);
	else if (strcmp(name, "block_hash") == 0)
	{
		d->hash_string = (*r->p == '"');
		d->has_hash = d->hash_string || strncmp(r->p, "null", 4) == 0;
		d->hash_fits = d->hash_string && json_string(r, d->block_hash, sizeof(d->block_hash));
		if (!d->hash_string)
			json_skip_value(r, 1);
		if (!d->hash_fits)
			d->block_hash[0] = '\0';
	}
	else if (strcmp(name, "guards") == 0)
	{
		d->guards_object = (*r->p == '{');
		d->sha256[0] = d->server_major[0] = d->extension_version[0] = '\0';
		d->version_string = false;
		if (d->guards_object)
			json_object(r, read_guard_member, d);
		else
			json_skip_value(r, 1);
	}
	else if (strcmp(name, "taken_at") == 0)
		json_string_member(r, d->taken_at, sizeof(d->taken_at));
	else if (strcmp(name, "database") == 0)
	{
		d->database_object = (*r->p == '{');
		json_skip_value(r, 1);
	}
	else
		json_skip_value(r, 1);
}

/* Is this a time as ledger_digest() writes taken_at: 2026-11-30T02:00:00.000000Z? */
static bool
is_digest_time(const char *t)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	size_t		i;

	for (i = 0; i < sizeof(shape) - 1; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char) t[i]) : t[i] != shape[i])
			return false;
	t += i;
	if (*t == '.')
		for (t++; isdigit((unsigned char) *t); t++)
			;
	return strcmp(t, "Z") == 0;
}

/* Is this plain SHA-256 hex, as verify_ledger() wants it (lower case)? */
static bool
is_sha256_hex(const char *hex)
{
	uint8_t		bytes[LEDGER_SHA256_LEN];

	return strlen(hex) == 2 * LEDGER_SHA256_LEN && parse_plain_hex(hex, strlen(hex), bytes);
}

/* The guards' fingerprint has its shape (1.0 had no ledger: no digest was taken on it). */
static bool
guards_shaped(const DigestRead *d)
{
	return d->guards_object && is_sha256_hex(d->sha256) && d->server_major[0] != '\0' &&
		d->version_string && strcmp(d->extension_version, "1.0") != 0;
}

/* The counts of the blocks up to block_no, as text ("~" past int64). */
static void
counts_up_to(const Block *blocks, size_t nblocks, int64_t block_no, char *count, char *last)
{
	int64_t		sum = 0,
				max = 0;
	bool		overflow = false;
	size_t		i;

	for (i = 0; i < nblocks && blocks[i].block_no <= block_no; i++)
	{
		overflow |= __builtin_add_overflow(sum, blocks[i].entry_count, &sum);
		if (blocks[i].last_entry_no > max)
			max = blocks[i].last_entry_no;
	}
	snprintf(count, JSON_NUMBER_TEXT_LEN + 1, "%lld", (long long) sum);
	if (overflow)
		strcpy(count, "~");
	snprintf(last, JSON_NUMBER_TEXT_LEN + 1, "%lld", (long long) max);
}

/*
 * Judge digest n as verify_ledger()'s step 1 does (the guards themselves
 * are the server's to compare, their shape is checked here): its format,
 * block number and hash, the rest of what ledger_digest() writes, that
 * block 0 is an empty ledger's, then the block it names and the counts of
 * the blocks up to it.
 */
static void
judge_digest(long n, const DigestRead *d, const Block *blocks, size_t nblocks)
{
	uint8_t		want[LEDGER_SHA256_LEN];
	bool		block0 = strcmp(d->block_no, "0") == 0;
	Block		probe;
	const Block *b = NULL;
	char		count[JSON_NUMBER_TEXT_LEN + 1],
				last[JSON_NUMBER_TEXT_LEN + 1];

	if (strcmp(d->format, "1") != 0)
		problem("digest", "digest %ld: format %s is not known", n, d->format_text[0] ? d->format_text : "null");
	else if (d->block_no[0] == '\0' || !d->has_hash ||
			 (d->hash_string && !d->hash_fits) ||
			 (block0 ? (d->hash_string && d->block_hash[0] != '\0' && !is_sha256_hex(d->block_hash))
			  : !(d->hash_string && is_sha256_hex(d->block_hash))))
		problem("digest", "digest %ld: block_no and block_hash are not a block number and a SHA-256 in hex", n);
	else if (!guards_shaped(d))
		problem("digest", "digest %ld: guards is not the fingerprint ledger_digest() writes (an object of sha256, server_major and extension_version), so the guards could not be compared", n);
	else if (d->entry_no[0] == '\0' || d->entry_count[0] == '\0')
		problem("digest", "digest %ld: entry_no and entry_count are not counts of entries", n);
	else if (!d->database_object || !is_digest_time(d->taken_at))
		problem("digest", "digest %ld: taken_at or database is not what ledger_digest() writes", n);
	else if (block0 && (d->hash_string || strcmp(d->entry_no, "0") != 0 || strcmp(d->entry_count, "0") != 0))
		problem("digest", "digest %ld: block 0 is the digest of an empty ledger, yet it has a block_hash or counts entries", n);
	else if (!block0)
	{
		if (strlen(d->block_no) <= 18 && nblocks > 0)
		{
			probe.block_no = strtoll(d->block_no, NULL, 10);
			b = bsearch(&probe, blocks, nblocks, sizeof(Block), block_no_cmp);
		}
		if (b == NULL)
		{
			problem("digest", "digest %ld: block %s is missing (blocks were removed: the ledger was truncated or replaced)",
					n, d->block_no);
			return;
		}
		(void) parse_plain_hex(d->block_hash, strlen(d->block_hash), want);
		if (memcmp(b->block_hash, want, LEDGER_SHA256_LEN) != 0)
			problem("digest", "digest %ld: block %s differs from the digest (the ledger up to it was rewritten)",
					n, d->block_no);
		else
		{
			counts_up_to(blocks, nblocks, b->block_no, count, last);
			if (strcmp(count, d->entry_count) != 0 || strcmp(last, d->entry_no) != 0)
				problem("digest", "digest %ld: entry_no and entry_count differ from the ledger's up to block %s",
						n, d->block_no);
		}
	}
}

/* Read one digest and judge it. */
static void
read_and_judge_digest(JsonReader *r, long n, const Block *blocks, size_t nblocks)
{
	DigestRead *d = xmalloc(sizeof(DigestRead));

	memset(d, 0, sizeof(DigestRead));
	json_object(r, read_digest_member, d);
	judge_digest(n, d, blocks, nblocks);
	free(d);
}

/* The digests of one file being judged, and how many values were read. */
typedef struct DigestFile
{
	const Block *blocks;
	size_t		nblocks;
	long		n;
} DigestFile;

/*
 * One value of a digest file: a digest is read and judged; anything else
 * is named, as verify_ledger() names it.
 */
static void
judge_value(JsonReader *r, void *state)
{
	DigestFile *file = state;
	const char *kind;

	if (*r->p == '{')
	{
		read_and_judge_digest(r, ++file->n, file->blocks, file->nblocks);
		return;
	}
	kind = json_kind(r);
	json_skip_value(r, 1);
	problem("digest", "digest %ld: a%s %s, not a digest (a JSON object)", ++file->n,
			kind[0] == 'a' ? "n" : "", kind);
}

/*
 * The digests of one file: every value at the top level (one, or one per
 * line), or every element of a top-level array; nothing nested deeper is
 * taken for a digest (attack round 17 nested an array of them).
 */
static void
check_digests(const char *path, const Block *blocks, size_t nblocks)
{
	size_t		len;
	char	   *text = read_file(path, &len);
	JsonReader	r = {text, path, 1};
	DigestFile	file = {blocks, nblocks, 0};

	if (strlen(text) != len)
		json_fail(&r, "a NUL byte");
	for (json_skip_space(&r); *r.p != '\0'; json_skip_space(&r))
	{
		if (*r.p == '[')
			json_array(&r, judge_value, &file);
		else
			judge_value(&r, &file);
	}
	/* an empty file checks nothing: as verify_ledger('[]'), a mistake */
	if (file.n == 0)
		problem("digest", "%s holds no digest: it checks the ledger against nothing", path);
	free(text);
}

int
main(int argc, char **argv)
{
	const char *blocks_path = NULL,
			   *entries_path = NULL,
			   *rows_path = NULL;
	Loaded		entries = {0},
				blocks = {0},
				rows = {0};
	char	   *entries_text,
			   *blocks_text,
			   *rows_text = NULL;
	size_t		len;
	int			i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++)
	{
		if (strcmp(argv[i], "--blocks") == 0 && i + 1 < argc)
			blocks_path = argv[++i];
		else if (strcmp(argv[i], "--entries") == 0 && i + 1 < argc)
			entries_path = argv[++i];
		else if (strcmp(argv[i], "--rows") == 0 && i + 1 < argc)
			rows_path = argv[++i];
		else
			break;
	}
	if (blocks_path == NULL || entries_path == NULL || (i < argc && argv[i][0] == '-'))
	{
		fprintf(stderr, "usage: %s --blocks FILE --entries FILE [--rows FILE] [DIGEST.json ...]\n"
				"Checks an export of the pg_accountability ledger against saved digests (README \"The ledger\").\n",
				argv[0]);
		return 2;
	}

	entries.path = entries_path;
	entries_text = read_file(entries_path, &len);
	for_each_line(entries_text, load_entry, &entries);
	blocks.path = blocks_path;
	blocks_text = read_file(blocks_path, &len);
	for_each_line(blocks_text, load_block, &blocks);
	/* (an empty export has no array at all: qsort and bsearch want one) */
	if (entries.count > 0)
		qsort(entries.items, entries.count, sizeof(Entry), entry_no_cmp);
	if (blocks.count > 0)
		qsort(blocks.items, blocks.count, sizeof(Block), block_no_cmp);

	for (; i < argc; i++)
		check_digests(argv[i], blocks.items, blocks.count);
	check_blocks(blocks.items, blocks.count, entries.items, entries.count);
	check_entries(entries.items, entries.count);
	check_row_starts(entries.items, entries.count);
	if (rows_path != NULL)
	{
		rows.path = rows_path;
		rows_text = read_file(rows_path, &len);
		for_each_line(rows_text, load_row, &rows);
		check_rows(entries.items, entries.count, rows.items, rows.count);
	}
	printf("%ld problem%s in %zu blocks and %zu entries%s\n", problems, problems == 1 ? "" : "s",
		   blocks.count, entries.count, rows_path ? ", rows checked" : "");
	free(entries_text);
	free(blocks_text);
	free(rows_text);
	return problems == 0 ? 0 : 1;
}
