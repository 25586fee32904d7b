/*-------------------------------------------------------------------------
 *
 * ledger.h
 *	  The ledger (issue 15): one entry per recorded row of the permanent
 *	  record, sealed into Merkle blocks whose digests leave the database.
 *
 * The format itself is pure C (core/ledger_core.h), shared with the
 * offline verifier; this header is the server side's.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PG_ACCOUNTABILITY_LEDGER_H
#define PG_ACCOUNTABILITY_LEDGER_H

#include "postgres.h"

#include "access/tupdesc.h"
#include "executor/tuptable.h"
#include "utils/jsonb.h"
#include "utils/relcache.h"

#include "core/ledger_core.h"

/* row_image.c: to_jsonb(row), each column's conversion chosen once */
typedef struct RowImageBuilder RowImageBuilder;
extern RowImageBuilder *row_image_builder_for(Relation rel);
extern Jsonb *row_image(RowImageBuilder *builder, TupleTableSlot *slot);

/* digest_commit.c: a digest only from a transaction that commits */
extern void check_digest_commits(void);

/* order.c: one statement writes one table of the record */
extern void refuse_interleaved(Oid relid);
extern void note_rows_recorded(Oid relid, int64 rows);
extern void register_ledger_order_callbacks(void);

#endif							/* PG_ACCOUNTABILITY_LEDGER_H */
