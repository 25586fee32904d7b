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

#include "core/ledger_core.h"

#endif							/* PG_ACCOUNTABILITY_LEDGER_H */
