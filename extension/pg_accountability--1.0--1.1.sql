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

/*
 * Issue 17, costs that follow the work: verify_history(case_id) checks one
 * case through the primary keys instead of scanning the whole history (its
 * one query could use no index).  Its body moves into history_problems(),
 * one static query per path; verify_history keeps its signature, result
 * and privileges.
 */
/*
 * verify_history's two paths (issue 17).  One case is checked through the
 * primary keys of cases and case_events, at a cost that does not grow with
 * the archive; every case is checked in one pass over both tables.  A single
 * SQL query with "$1 IS NULL OR case_id = $1" served both and could use no
 * index, so one case cost a scan of the whole history.  Here each path is a
 * static query of its own, planned once per session (PL/pgSQL caches the
 * plans).  The two queries are the same but for the two WHERE lines marked
 * "one case": change them together (sql/workflow.sql checks that both paths
 * find the same problems in a tampered history).
 */
CREATE FUNCTION accountability.history_problems(only_case bigint)
RETURNS TABLE (case_id bigint, event_no integer, problem text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    IF only_case IS NULL THEN
        RETURN QUERY
        WITH c AS (
            SELECT k.case_id, k.status, k.origin, k.event_count, k.last_event_hash
            FROM accountability.cases k
        ), e AS (
            SELECT e.*, lag(e.hash) OVER w AS prev_hash, lag(e.to_status) OVER w AS prev_to,
                   lag(e.event_no) OVER w AS prev_no
            FROM accountability.case_events e
            WINDOW w AS (PARTITION BY e.case_id ORDER BY e.event_no)
        ), event_problems AS (
            SELECT e.case_id, e.event_no,
                   CASE
                     WHEN NOT EXISTS (SELECT 1 FROM c WHERE c.case_id OPERATOR(pg_catalog.=) e.case_id)
                       THEN 'event of a case that does not exist'
                     WHEN e.event_no OPERATOR(pg_catalog.<>) coalesce(e.prev_no OPERATOR(pg_catalog.+) 1,
                            CASE WHEN e.event_kind OPERATOR(pg_catalog.=) 'imported' THEN 0 ELSE 1 END)
                       THEN 'event numbers are not dense'
                     WHEN e.event_no OPERATOR(pg_catalog.>) 0
                          AND (e.from_status IS NULL OR e.from_status OPERATOR(accountability.<>)
                               coalesce(e.prev_to, 'received'::accountability.case_status))
                       THEN 'event does not start where the previous one ended'
                     WHEN e.hash OPERATOR(pg_catalog.<>) accountability.event_hash(
                            CASE WHEN e.event_no OPERATOR(pg_catalog.>) 1 THEN e.prev_hash END,
                            e.case_id, e.event_no, e.event_kind, e.from_status, e.to_status,
                            e.occurred_at, e.db_user, e.actor, e.note)
                       THEN 'event hash does not match its content and chain'
                   END AS problem
            FROM e
        ), case_problems AS (
            SELECT c.case_id, NULL::integer AS event_no,
                   CASE
                     WHEN coalesce(l.event_no, 0) OPERATOR(pg_catalog.<>) c.event_count
                       THEN format('case counts %s events, history holds %s', c.event_count, coalesce(l.event_no, 0))
                     WHEN l.hash IS DISTINCT FROM c.last_event_hash AND c.event_count OPERATOR(pg_catalog.>) 0
                       THEN 'latest event hash differs from the case''s chain head'
                     WHEN c.status OPERATOR(accountability.<>) coalesce(l.to_status, 'received'::accountability.case_status)
                       THEN 'case status differs from the end of its history'
                     WHEN (c.origin OPERATOR(pg_catalog.=) 'imported') OPERATOR(pg_catalog.<>)
                          EXISTS (SELECT 1 FROM accountability.case_events i
                                  WHERE i.case_id OPERATOR(pg_catalog.=) c.case_id AND i.event_no OPERATOR(pg_catalog.=) 0)
                       THEN 'imported event missing or unexpected'
                   END AS problem
            FROM c
            LEFT JOIN LATERAL (
                SELECT x.event_no, x.hash, x.to_status FROM accountability.case_events x
                WHERE x.case_id OPERATOR(pg_catalog.=) c.case_id
                ORDER BY x.event_no DESC LIMIT 1) l ON true
        )
        SELECT * FROM event_problems WHERE problem IS NOT NULL
        UNION ALL
        SELECT * FROM case_problems WHERE problem IS NOT NULL
        ORDER BY 1, 2 NULLS LAST;
    ELSE
        RETURN QUERY
        WITH c AS (
            SELECT k.case_id, k.status, k.origin, k.event_count, k.last_event_hash
            FROM accountability.cases k
            WHERE k.case_id OPERATOR(pg_catalog.=) only_case  -- one case
        ), e AS (
            SELECT e.*, lag(e.hash) OVER w AS prev_hash, lag(e.to_status) OVER w AS prev_to,
                   lag(e.event_no) OVER w AS prev_no
            FROM accountability.case_events e
            WHERE e.case_id OPERATOR(pg_catalog.=) only_case  -- one case
            WINDOW w AS (PARTITION BY e.case_id ORDER BY e.event_no)
        ), event_problems AS (
            SELECT e.case_id, e.event_no,
                   CASE
                     WHEN NOT EXISTS (SELECT 1 FROM c WHERE c.case_id OPERATOR(pg_catalog.=) e.case_id)
                       THEN 'event of a case that does not exist'
                     WHEN e.event_no OPERATOR(pg_catalog.<>) coalesce(e.prev_no OPERATOR(pg_catalog.+) 1,
                            CASE WHEN e.event_kind OPERATOR(pg_catalog.=) 'imported' THEN 0 ELSE 1 END)
                       THEN 'event numbers are not dense'
                     WHEN e.event_no OPERATOR(pg_catalog.>) 0
                          AND (e.from_status IS NULL OR e.from_status OPERATOR(accountability.<>)
                               coalesce(e.prev_to, 'received'::accountability.case_status))
                       THEN 'event does not start where the previous one ended'
                     WHEN e.hash OPERATOR(pg_catalog.<>) accountability.event_hash(
                            CASE WHEN e.event_no OPERATOR(pg_catalog.>) 1 THEN e.prev_hash END,
                            e.case_id, e.event_no, e.event_kind, e.from_status, e.to_status,
                            e.occurred_at, e.db_user, e.actor, e.note)
                       THEN 'event hash does not match its content and chain'
                   END AS problem
            FROM e
        ), case_problems AS (
            SELECT c.case_id, NULL::integer AS event_no,
                   CASE
                     WHEN coalesce(l.event_no, 0) OPERATOR(pg_catalog.<>) c.event_count
                       THEN format('case counts %s events, history holds %s', c.event_count, coalesce(l.event_no, 0))
                     WHEN l.hash IS DISTINCT FROM c.last_event_hash AND c.event_count OPERATOR(pg_catalog.>) 0
                       THEN 'latest event hash differs from the case''s chain head'
                     WHEN c.status OPERATOR(accountability.<>) coalesce(l.to_status, 'received'::accountability.case_status)
                       THEN 'case status differs from the end of its history'
                     WHEN (c.origin OPERATOR(pg_catalog.=) 'imported') OPERATOR(pg_catalog.<>)
                          EXISTS (SELECT 1 FROM accountability.case_events i
                                  WHERE i.case_id OPERATOR(pg_catalog.=) c.case_id AND i.event_no OPERATOR(pg_catalog.=) 0)
                       THEN 'imported event missing or unexpected'
                   END AS problem
            FROM c
            LEFT JOIN LATERAL (
                SELECT x.event_no, x.hash, x.to_status FROM accountability.case_events x
                WHERE x.case_id OPERATOR(pg_catalog.=) c.case_id
                ORDER BY x.event_no DESC LIMIT 1) l ON true
        )
        SELECT * FROM event_problems WHERE problem IS NOT NULL
        UNION ALL
        SELECT * FROM case_problems WHERE problem IS NOT NULL
        ORDER BY 1, 2 NULLS LAST;
    END IF;
END
$$;

COMMENT ON FUNCTION accountability.history_problems(bigint) IS
'The body of verify_history (流转记录核验): the problems of one case''s history, found through the primary keys, or of every case (NULL) in one pass. Call verify_history().';

CREATE OR REPLACE FUNCTION accountability.verify_history(case_id bigint DEFAULT NULL)
RETURNS TABLE (case_id bigint, event_no integer, problem text)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT * FROM accountability.history_problems($1)
$$;

REVOKE ALL ON FUNCTION accountability.history_problems(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION accountability.history_problems(bigint) TO accountability_reader;
