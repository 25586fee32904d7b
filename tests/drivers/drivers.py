"""tests/drivers/drivers.py — pg_accountability through psycopg2 and through
psqlODBC (with pyodbc), as Python scripts and ODBC BI tools use them.  Run by
tests/checks/drivers.sh:  python3 drivers.py psycopg2 DSN AUDITOR_DSN | odbc CONNSTR
Prints one line per check; exits 1 on the first failure."""
import sys

checks = 0


def check(what, ok):
    global checks
    checks += 1
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        sys.exit(1)


def one(cur, sql, params=()):
    cur.execute(sql, params)
    return cur.fetchone()[0]


def digest_in_own_transaction(psycopg2, auditor_dsn):
    """A digest leaves the database, so psycopg2's default, a transaction
    opened before the first statement, is refused (25001) with a hint;
    with autocommit the digest is taken (attack round 17: a digest of a
    transaction that then rolled back named a block that never existed)."""
    p = "psycopg2: "
    conn = psycopg2.connect(auditor_dsn)
    refused = hint = None
    try:
        conn.cursor().execute("SELECT accountability.ledger_digest()")
    except psycopg2.Error as e:
        refused, hint = e.pgcode, e.diag.message_hint or ""
    conn.rollback()
    check(p + "ledger_digest() in the default transaction is refused (%s)" % refused, refused == "25001")
    check(p + "the refusal's hint names autocommit", "autocommit" in hint)
    conn.autocommit = True
    check(p + "ledger_digest() with autocommit names a block",
          one(conn.cursor(), "SELECT (accountability.ledger_digest() ->> 'block_no')::int") >= 1)
    conn.close()


def run_psycopg2(dsn, auditor_dsn):
    import psycopg2
    import psycopg2.extras
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    cur = conn.cursor()
    p = "psycopg2: "
    check(p + "status = %s", one(cur, "SELECT count(*) FROM accountability.cases WHERE status = %s", ("closed",)) == 1)
    check(p + "status = ANY(%s) with a Python list (text[])",
          one(cur, "SELECT count(*) FROM accountability.cases WHERE status = ANY(%s)", (["closed", "investigating"],)) == 2)
    check(p + "status IN %s with a tuple",
          one(cur, "SELECT count(*) FROM accountability.cases WHERE status IN %s", (("closed", "received"),)) == 2)
    check(p + "status <> %s and < %s",
          one(cur, "SELECT count(*) FROM accountability.cases WHERE status <> %s AND status < %s", ("closed", "liable")) == 2)
    check(p + "outcome >= %s", one(cur, "SELECT count(*) FROM accountability.determinations WHERE outcome >= %s", ("exempted",)) == 1)
    check(p + "outcome = ANY(%s)",
          one(cur, "SELECT count(*) FROM accountability.determinations WHERE outcome = ANY(%s)", (["exempted", "reduced"],)) == 1)
    check(p + "can_transition(%s, %s)", one(cur, "SELECT accountability.can_transition(%s, %s)", ("received", "investigating")) is True)
    check(p + "next_statuses(%s)", one(cur, "SELECT accountability.next_statuses(%s)::text", ("received",)) == "{investigating,closed}")
    sid = one(cur, "SELECT min(subject_id) FROM accountability.subjects")
    uid = one(cur, "SELECT min(unit_id) FROM accountability.units")
    cid = one(cur, "INSERT INTO accountability.cases (kind, subject_id, unit_id, facts) VALUES ('accountability', %s, %s, %s) RETURNING case_id",
              (sid, uid, '{"situation": "reform_pilot"}'))
    check(p + "INSERT facts from a JSON string", one(cur, "SELECT facts->>'situation' FROM accountability.cases WHERE case_id = %s", (cid,)) == "reform_pilot")
    cid = one(cur, "INSERT INTO accountability.cases (kind, subject_id, unit_id, facts) VALUES ('accountability', %s, %s, %s) RETURNING case_id",
              (sid, uid, psycopg2.extras.Json({"situation": "force_majeure"})))
    check(p + "INSERT facts from psycopg2.extras.Json", one(cur, "SELECT facts->>'situation' FROM accountability.cases WHERE case_id = %s", (cid,)) == "force_majeure")
    cur.execute("UPDATE accountability.cases SET status = %s WHERE case_id = %s", ("investigating", cid))
    check(p + "UPDATE status = %s", cur.rowcount == 1)
    digest_in_own_transaction(psycopg2, auditor_dsn)
    print("psycopg2: %d checks passed" % checks)


def run_odbc(connstr):
    import pyodbc
    conn = pyodbc.connect(connstr, autocommit=True)
    cur = conn.cursor()
    p = "odbc: "
    check(p + "status = ?", one(cur, "SELECT count(*) FROM accountability.cases WHERE status = ?", ("closed",)) == 1)
    check(p + "status IN (?, ?)", one(cur, "SELECT count(*) FROM accountability.cases WHERE status IN (?, ?)", ("closed", "received")) == 2)
    check(p + "status <> ? and < ?", one(cur, "SELECT count(*) FROM accountability.cases WHERE status <> ? AND status < ?", ("closed", "liable")) == 2)
    check(p + "status = ANY (?) with an array literal",
          one(cur, "SELECT count(*) FROM accountability.cases WHERE status = ANY (?)", ("{closed,investigating}",)) == 2)
    check(p + "outcome >= ?", one(cur, "SELECT count(*) FROM accountability.determinations WHERE outcome >= ?", ("exempted",)) == 1)
    check(p + "can_transition(?, ?)", one(cur, "SELECT accountability.can_transition(?, ?)", ("received", "investigating")) in (True, 1, "1"))
    check(p + "next_statuses(?)", one(cur, "SELECT accountability.next_statuses(?)::text", ("received",)) == "{investigating,closed}")
    sid = one(cur, "SELECT min(subject_id) FROM accountability.subjects")
    uid = one(cur, "SELECT min(unit_id) FROM accountability.units")
    cur.execute("INSERT INTO accountability.cases (kind, subject_id, unit_id, facts) VALUES ('accountability', ?, ?, ?)",
                (sid, uid, '{"situation": "collective_dissent"}'))
    check(p + "INSERT facts from a string parameter",
          one(cur, "SELECT count(*) FROM accountability.cases WHERE facts->>'situation' = ?", ("collective_dissent",)) == 1)
    # what a BI tool sees: text columns as VARCHAR (never a memo), booleans as BIT
    longs, bools = [], []
    for view in ("annual_report", "case_overview", "overdue_cases", "follow_up_due", "tolerance_by_situation",
                 "early_warning_candidates"):
        for col in cur.columns(table=view, schema="accountability").fetchall():
            if col.data_type in (pyodbc.SQL_LONGVARCHAR, pyodbc.SQL_WLONGVARCHAR):
                longs.append("%s.%s" % (view, col.column_name))
            if col.type_name == "bool" and col.data_type != pyodbc.SQL_BIT:
                bools.append("%s.%s (%s)" % (view, col.column_name, col.data_type))
    check(p + "no view column is a LONGVARCHAR memo field %s" % (longs or ""), not longs)
    check(p + "boolean view columns are SQL_BIT %s" % (bools or ""), not bools)
    cur.execute("SELECT unit_name, is_province_total FROM accountability.annual_report ORDER BY unit_id LIMIT 1")
    row = cur.fetchone()
    check(p + "a boolean arrives as a Python bool (%r)" % (row[1],), isinstance(row[1], bool))
    d = cur.description
    check(p + "unit_name is a string of bounded size (%r)" % (d[0][3],), d[0][1] is str and 0 < (d[0][3] or 0) <= 4000)
    print("odbc: %d checks passed" % checks)


if __name__ == "__main__":
    {"psycopg2": run_psycopg2, "odbc": run_odbc}[sys.argv[1]](*sys.argv[2:])
