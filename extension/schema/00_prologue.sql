/*
 * pg_accountability: cadre error tolerance (容错纠错), clarification
 * (澄清正名) and the accountability workflow, inside PostgreSQL.
 *
 * This install script is assembled by the Makefile from the pieces in
 * extension/schema/, in the order of their numbers; edit the pieces, never
 * the assembled pg_accountability--X.Y.sql (released scripts are frozen;
 * a change reaches existing installs through pg_accountability--A--B.sql).
 *
 *   00_prologue        the group roles every piece grants to
 *   10_types           the two one-byte types, case_status and
 *                      tolerance_outcome: I/O, operators, operator
 *                      classes, aggregates, casts, labels
 *   20_state_machine   can_transition, next_statuses
 *   30_decision        the decision procedure (assess_tolerance,
 *                      facts_are_valid, tolerance_rules)
 *   40_workflow        cases and the workflow: tables, the facts a case is
 *                      assessed on, the C triggers, the history check
 *   50_protection      clarification, follow-up visits, early warnings,
 *                      demotions, the dossier
 *   60_incentives      assessments, commendations, mentoring, training,
 *                      promotions
 *   70_reports         the BI views
 *   80_scope           row-level security by unit (role_units, the scope
 *                      functions, the policies)
 *
 * Each piece comments and grants its own objects and registers its own
 * tables with pg_extension_config_dump; none relies on a later piece to
 * revoke what it created.  Every function states its volatility,
 * strictness and parallel safety.  Functions whose output depends on the
 * accountability.language setting are STABLE, like date_out and DateStyle.
 *
 * Privileges: PUBLIC keeps USAGE on the schema and on the two types, and
 * EXECUTE on the functions that using them needs (I/O, comparison,
 * hashing, casts, labels, min/max); nothing else.  Every other function
 * and every table is granted to a group role, in the piece that creates
 * it; tests/security.sql fails on a function executable by PUBLIC beyond
 * the types', a function or view granted to no group role, a view that is
 * not security_invoker, and a table without row-level security other than
 * the catalogues.
 */

\echo Use "CREATE EXTENSION pg_accountability" to load this file. \quit

COMMENT ON EXTENSION pg_accountability IS
'Cadre error tolerance, clarification and accountability workflow (容错纠错、澄清正名、精准问责)';

/* ------------------------------------------------------------------------
 * 0. The group roles
 *
 * Four group roles (NOLOGIN, cluster-wide, created when absent and left in
 * place by DROP EXTENSION), each a member of the one before it (the install
 * adds a missing membership to roles that already exist):
 *
 *   accountability_reader    BI: the views and tables, within its units;
 *                            never a false-accusation case, never
 *                            subjects.identity_type
 *   accountability_clerk     + registers cases and moves them; subjects,
 *                            correction plans, clarifications, visits,
 *                            early warnings, notification dates
 *   accountability_reviewer  + determinations, false-accusation cases and
 *                            the accuser's identity, demotions, dossiers
 *   accountability_admin     + units, tolerance lists, settings, the
 *                            demotion catalogue, the role-to-unit mapping,
 *                            import mode (SET accountability.import)
 * ------------------------------------------------------------------------
 */

-- The group roles, when absent, and their hierarchy.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT v.name, v.includes, v.description
        FROM (VALUES
            (1, 'accountability_reader', NULL,
             'pg_accountability: BI readers. SELECT on the views and tables within the units mapped in accountability.role_units; no false-accusation case, no subjects.identity_type.'),
            (2, 'accountability_clerk', 'accountability_reader',
             'pg_accountability: clerks. Register and move cases; record subjects, correction plans, clarifications, follow-up visits, early warnings, notification dates. Includes accountability_reader.'),
            (3, 'accountability_reviewer', 'accountability_clerk',
             'pg_accountability: reviewers. Record determinations and demotions; handle false-accusation cases and read the accuser''s identity; case dossiers. Includes accountability_clerk.'),
            (4, 'accountability_admin', 'accountability_reviewer',
             'pg_accountability: administrators. Units, tolerance lists, settings, the demotion catalogue, the role-to-unit mapping, import mode. Includes accountability_reviewer.')
        ) AS v (ord, name, includes, description)
        ORDER BY v.ord
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) r.name) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r.name);
            EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', r.name, r.description);
        END IF;
        IF r.includes IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM pg_catalog.pg_auth_members m
            WHERE m.roleid OPERATOR(pg_catalog.=) (SELECT oid FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) r.includes)
              AND m.member OPERATOR(pg_catalog.=) (SELECT oid FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) r.name))
        THEN
            EXECUTE pg_catalog.format('GRANT %I TO %I', r.includes, r.name);
        END IF;
    END LOOP;
END
$$;
