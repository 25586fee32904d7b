/*
 * pg_accountability 1.0 -> 1.1.
 *
 * 1.1 is assembled from the pieces of extension/schema/; this script brings
 * a 1.0 install to exactly what a fresh 1.1 install creates
 * (tests/checks/upgrade.sh compares the two object by object).  Each
 * change below names the issue it comes from.
 *
 * 1.1 first rebuilt the install script as pieces, one per concern, each
 * granting its own objects; the objects and their privileges are the same
 * as 1.0's, so that step needs nothing here.
 */

\echo Use "ALTER EXTENSION pg_accountability UPDATE TO '1.1'" to load this file. \quit

/*
 * Issue 13, any server encoding: the control file's comment is stored
 * unconverted, so it is ASCII now and the Chinese name moves into a
 * COMMENT the script sets (scripts are converted to the database
 * encoding).
 */
COMMENT ON EXTENSION pg_accountability IS
'Cadre error tolerance, clarification and accountability workflow (容错纠错、澄清正名、精准问责)';

/*
 * Issue 13, parallel restore: restoring is an explicit mode
 * (accountability.restore), no longer a side effect of privilege; the
 * administrators may turn it on, as they may import mode.
 */
GRANT SET ON PARAMETER accountability.restore TO accountability_admin;
