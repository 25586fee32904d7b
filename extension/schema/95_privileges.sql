/* ------------------------------------------------------------------------
 * 10. Privileges that lend no lock (attack round 7).
 *
 * A table-level UPDATE lets a role LOCK the table in any mode, and
 * row-level security plays no part in LOCK: a county clerk held ACCESS
 * EXCLUSIVE on cases and stalled every county's writes.  UPDATE granted on
 * each column allows the same statements (the write model judges every
 * change, column by column) but no lock above ROW EXCLUSIVE, which blocks
 * no write.  So every table-level UPDATE a group role holds becomes UPDATE
 * on each of the table's columns, once every other grant is made.
 * DELETE has no column form: the administrators who may delete (subjects,
 * units, the catalogues, role_units) can still lock those tables.
 * ------------------------------------------------------------------------
 */

-- @region update_by_column
DO $$
DECLARE
    g record;
BEGIN
    FOR g IN
        SELECT c.oid::pg_catalog.regclass AS table_name, r.rolname,
               (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
                FROM pg_catalog.pg_attribute a
                WHERE a.attrelid OPERATOR(pg_catalog.=) c.oid
                  AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped) AS columns
        FROM pg_catalog.pg_class c
        CROSS JOIN pg_catalog.pg_roles r
        WHERE c.relnamespace OPERATOR(pg_catalog.=) 'accountability'::pg_catalog.regnamespace
          AND c.relkind OPERATOR(pg_catalog.=) 'r'
          AND r.rolname OPERATOR(pg_catalog.=) ANY (ARRAY['accountability_reader', 'accountability_clerk',
                                                          'accountability_reviewer', 'accountability_admin'])
          AND EXISTS (SELECT 1 FROM pg_catalog.aclexplode(c.relacl) x
                      WHERE x.grantee OPERATOR(pg_catalog.=) r.oid
                        AND x.privilege_type OPERATOR(pg_catalog.=) 'UPDATE')
        ORDER BY 1, 2
    LOOP
        EXECUTE pg_catalog.format('REVOKE UPDATE ON %s FROM %I', g.table_name, g.rolname);
        EXECUTE pg_catalog.format('GRANT UPDATE (%s) ON %s TO %I', g.columns, g.table_name, g.rolname);
    END LOOP;
END
$$;
-- @end update_by_column
