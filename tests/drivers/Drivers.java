/*
 * tests/drivers/Drivers.java — pg_accountability through the PostgreSQL JDBC
 * driver (Debian's libpostgresql-jdbc-java), as a Java BI tool or ORM uses
 * it: every parameter bound with setString (varchar), no stringtype option.
 * Run by tests/checks/drivers.sh:  java -cp postgresql.jar:. Drivers URL
 * Prints one line per check; exits 1 on the first failure.
 */
import java.sql.*;

public class Drivers {
    static Connection conn;
    static int checks = 0;

    static void check(String what, boolean ok) {
        checks++;
        System.out.println((ok ? "ok   " : "FAIL ") + "jdbc: " + what);
        if (!ok) System.exit(1);
    }

    static long count(String sql, String... params) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setString(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) { rs.next(); return rs.getLong(1); }
        }
    }

    static String text(String sql, String... params) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setString(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) { rs.next(); return rs.getString(1); }
        }
    }

    public static void main(String[] args) throws Exception {
        conn = DriverManager.getConnection(args[0]);
        // the same statement 8 times: PgJDBC switches to a server-side
        // prepared statement after prepareThreshold (5) executions
        for (int i = 0; i < 8; i++)
            check("status = ? (setString), execution " + (i + 1),
                  count("SELECT count(*) FROM accountability.cases WHERE status = ?", "closed") == 1);
        check("status <> ?", count("SELECT count(*) FROM accountability.cases WHERE status <> ?", "closed") == 3);
        check("status < ? (lifecycle order)", count("SELECT count(*) FROM accountability.cases WHERE status < ?", "liable") == 2);
        check("status IN (?, ?)", count("SELECT count(*) FROM accountability.cases WHERE status IN (?, ?)", "closed", "received") == 2);
        check("status IN (?, ?) with a Chinese label", count("SELECT count(*) FROM accountability.cases WHERE status IN (?, ?)", "办结", "受理") == 2);
        try (PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM accountability.cases WHERE status = ANY (?)")) {
            ps.setArray(1, conn.createArrayOf("varchar", new String[] {"closed", "investigating"}));
            try (ResultSet rs = ps.executeQuery()) { rs.next(); check("status = ANY (?) with a varchar[] array", rs.getLong(1) == 2); }
        }
        check("outcome >= ? (leniency order)", count("SELECT count(*) FROM accountability.determinations WHERE outcome >= ?", "exempted") == 1);
        check("outcome = ?", count("SELECT count(*) FROM accountability.determinations WHERE outcome = ?", "exempted") == 1);
        check("can_transition(?, ?)", "t".equals(text("SELECT accountability.can_transition(?, ?)", "received", "investigating")));
        check("next_statuses(?)", "{investigating,closed}".equals(text("SELECT accountability.next_statuses(?)::text", "received")));
        check("case_overview WHERE status_en = ?", count("SELECT count(*) FROM accountability.case_overview WHERE status_en = ?", "closed") == 1);
        // writes: a status and a facts jsonb, both from strings
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT INTO accountability.cases (kind, subject_id, unit_id, facts) VALUES ('accountability', ?, ?, ?) RETURNING case_id")) {
            ps.setLong(1, Long.parseLong(text("SELECT min(subject_id)::text FROM accountability.subjects")));
            ps.setLong(2, Long.parseLong(text("SELECT min(unit_id)::text FROM accountability.units")));
            ps.setString(3, "{\"situation\": \"reform_pilot\", \"consequence\": \"minor\"}");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                check("INSERT facts jsonb from setString", "reform_pilot".equals(
                    text("SELECT facts->>'situation' FROM accountability.cases WHERE case_id = " + id)));
                try (PreparedStatement up = conn.prepareStatement("UPDATE accountability.cases SET status = ? WHERE case_id = ?")) {
                    up.setString(1, "investigating");
                    up.setLong(2, id);
                    check("UPDATE status = ? (setString)", up.executeUpdate() == 1);
                }
            }
        }
        try {
            count("SELECT count(*) FROM accountability.cases WHERE status = ?", "no_such_status");
            check("a string that is no status is refused", false);
        } catch (SQLException e) {
            check("a string that is no status is refused with 22P02 (" + e.getSQLState() + ")", "22P02".equals(e.getSQLState()));
        }
        System.out.println("jdbc: " + checks + " checks passed");
    }
}
