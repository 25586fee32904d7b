/*-------------------------------------------------------------------------
 *
 * outcome.c
 *	  The accountability.tolerance_outcome type: the result of a tolerance
 *	  determination, ordered by leniency (不予容错 < 从轻 < 减轻 < 免予 < 不予问责).
 *
 * Its text, binary and label conversions are the shared code-set ones
 * (labels.c); comparison and hashing are in compare.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "pg_accountability.h"

/* Text and binary I/O, text casts and label(), shared with status.c. */
DEFINE_CODESET_TYPE_FUNCTIONS(tolerance_outcome, tolerance_outcome_codes)
