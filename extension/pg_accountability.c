/*-------------------------------------------------------------------------
 *
 * pg_accountability.c
 *	  Module magic and the settings of pg_accountability.
 *
 * accountability.language chooses how the two types print ('en' codes or
 * 'zh' labels), the way DateStyle chooses how dates print; a BI role can
 * have its own with ALTER ROLE ... SET.  accountability.actor names the
 * application user behind a pooled connection, for the case history.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/guc.h"

#include "pg_accountability.h"
#include "core/core.h"
#include "ledger/ledger.h"
#include "support/support.h"

PG_MODULE_MAGIC;

/* The application actor recorded in case_events (accountability.actor). */
char	   *accountability_actor = NULL;

/* Import mode for historical cases (accountability.import). */
bool		accountability_import = false;

/* Restore mode for pg_restore and psql of a dump (accountability.restore). */
bool		accountability_restore = false;
bool		accountability_digest_in_transaction = false;

/* The longest actor name recorded, in bytes: a name, not a document. */
#define MAX_ACTOR_BYTES 256

/*
 * accountability.actor names a person in the history and its hash: one
 * line of at most MAX_ACTOR_BYTES, without controls, separators or format
 * characters (attack round 15 recorded a newline-forged second line, a
 * megabyte of actor, then U+0085, U+2028 and a bidi override).
 */
static bool
check_actor(char **newval, void **extra, GucSource source)	/* NOLINT(misc-unused-parameters) */
{
	char	   *utf8;
	size_t		offender;

	if (*newval == NULL)
		return true;
	if (strlen(*newval) > MAX_ACTOR_BYTES)
	{
		GUC_check_errdetail("An actor is a name of at most %d bytes, not %zu.", MAX_ACTOR_BYTES, strlen(*newval));
		GUC_check_errhint("Record the application user's name or id; put anything longer in the transition note.");
		return false;
	}
	utf8 = pg_server_to_any(*newval, (int) strlen(*newval), PG_UTF8);
	offender = utf8_one_line_offender(utf8, strlen(utf8));
	if (offender > 0)
	{
		GUC_check_errdetail("An actor is one line of plain text; character %zu is a control, a line or paragraph separator or a format character.",
							offender);
		GUC_check_errhint("Record the application user's name or id as plain text.");
		return false;
	}
	return true;
}

static const struct config_enum_entry language_options[] = {
	{"en", OUTPUT_LANGUAGE_EN, false},
	{"zh", OUTPUT_LANGUAGE_ZH, false},
	{NULL, 0, false}
};

/*
 * Turning restore mode on is recorded in the server log (with the role
 * when a transaction is there to look it up): rows loaded in it bypass the
 * workflow and the ledger, so where it was used must be findable.
 */
static void
assign_restore(bool newval, void *extra)
{
	const char *role = NULL;

	(void) extra;
	if (!newval || accountability_restore || !IsUnderPostmaster)
		return;
	if (IsTransactionState())
		role = GetUserNameFromId(GetOuterUserId(), true);
	/* a mode stored for a role that may not set it counts for nothing */
	if (role != NULL && !role_may_set("accountability.restore"))
	{
		ereport(LOG,
				(errmsg("restore mode (accountability.restore) is set for role \"%s\", which may not set it: ignored", role),
				 errdetail("The workflow's rules and the ledger apply to its writes as usual."),
				 errhint("setting_problems() lists where the mode is stored; reset it there.")));
		return;
	}
	ereport(LOG,
			(errmsg("restore mode (accountability.restore) turned on by role \"%s\"",
					role != NULL ? role : "(not known yet)"),
			 errdetail("Rows written in this session load as they are: without the workflow's checks, and without ledger entries (the ledger is restored with them).")));
}

/* PostgreSQL's name for a module's entry point, reserved or not */
void		_PG_init(void);		/* NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */

/*
 * Register the settings and reserve the "accountability." prefix, so a
 * misspelt setting is refused instead of silently ignored.
 */
void
_PG_init(void)
{
	DefineCustomEnumVariable("accountability.language",
							 "Language in which case_status and tolerance_outcome values are printed.",
							 "\"en\" prints the English codes, \"zh\" the Chinese labels. Input accepts both.",
							 &accountability_language,
							 OUTPUT_LANGUAGE_EN,
							 language_options,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);

	DefineCustomStringVariable("accountability.actor",
							   "Application user recorded with each case transition.",
							   "Set by an application that shares one database login among many people.",
							   &accountability_actor,
							   "",
							   PGC_USERSET,
							   0,
							   check_actor, NULL, NULL);

	/*
	 * Superuser-only by default; the install script grants SET on it to the
	 * administrators' role, so only they can load cases in any status.
	 */
	DefineCustomBoolVariable("accountability.import",
							 "Load historical cases in any status, each with an \"imported\" event.",
							 "For bulk import from an existing case system by an administrator.",
							 &accountability_import,
							 false,
							 PGC_SUSET,
							 0,
							 NULL, NULL, NULL);

	/*
	 * Restoring a dump is an explicit mode, never a side effect of
	 * privilege: superuser-only by default, SET granted to the
	 * administrators' role by the install script.
	 */
	DefineCustomBoolVariable("accountability.restore",
							 "Load dumped rows as they are, with their numbers and history (pg_restore, psql of a dump).",
							 "Also lets TRUNCATE clear a restore that failed halfway. Set it for the restoring session only, e.g. PGOPTIONS='-c accountability.restore=on'.",
							 &accountability_restore,
							 false,
							 PGC_SUSET,
							 0,
							 NULL, assign_restore, NULL);

	/*
	 * A digest leaves the database, so it is handed out only by a
	 * transaction of its own (ledger.c); tests that roll back, and tools that
	 * commit before they keep the digest, turn this on explicitly.
	 */
	DefineCustomBoolVariable("accountability.digest_in_transaction",
							 "Let ledger_digest() run inside a transaction block.",
							 "A digest taken in a transaction that rolls back names a block that never existed: keep it only after COMMIT.",
							 &accountability_digest_in_transaction,
							 false,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);

	MarkGUCPrefixReserved("accountability");

	/* history.c: who moved the cases of a statement, forgotten on abort */
	register_statement_actor_callbacks();

	/* ledger/order.c: the rows written and not yet recorded, by table */
	register_ledger_order_callbacks();

	/* scope/explain_guard.c: no row counts of what a role's scope hides */
	install_explain_guard();
}
