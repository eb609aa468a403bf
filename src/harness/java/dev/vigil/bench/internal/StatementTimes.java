package dev.vigil.bench.internal;

import dev.vigil.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * PostgreSQL's own account of a write, statement by statement, from {@code pg_stat_statements}
 * (shipped with the embedded server; loading it needs a restart, which {@link #load} does). A
 * statement's time is the server's wall time executing it, triggers included (a COPY into {@code
 * insights} counts its episodes trigger, the audit rows their outbox trigger), without the network
 * or the client. The write rig splits each call into its COPY into {@code insights}, its audit
 * rows, and every other statement, so a report can say which part of the call PostgreSQL spends
 * where.
 */
public final class StatementTimes {

    /**
     * One write's statements, in seconds of server time.
     *
     * @param copySeconds the COPY into {@code insights} (the straight copy of a first scan)
     * @param auditSeconds the {@code insert into audit_log} statements
     * @param otherSeconds every other statement (scan record, begin and end, staging, resolve)
     */
    public record Split(double copySeconds, double auditSeconds, double otherSeconds) {
        static final Split NONE = new Split(0, 0, 0);

        public double totalSeconds() {
            return copySeconds + auditSeconds + otherSeconds;
        }
    }

    private static final String READ =
            """
            select coalesce(sum(total_exec_time)
                            filter (where query ~* '^\\s*copy\\s+insights\\s*\\('), 0) as copy_ms,
                   coalesce(sum(total_exec_time)
                            filter (where query ~* '^\\s*insert\\s+into\\s+audit_log'), 0) as audit_ms,
                   coalesce(sum(total_exec_time), 0) as total_ms
            from pg_stat_statements
            where query !~* 'pg_stat_statements'
            """;

    private StatementTimes() {}

    /**
     * Loads {@code pg_stat_statements} into {@code pg}'s server: restarts it, then creates the
     * view.
     */
    static void load(EmbeddedPostgres pg) throws SQLException {
        try (Connection c = pg.dataSource().getConnection();
                Statement st = c.createStatement()) {
            st.execute("alter system set shared_preload_libraries = 'pg_stat_statements'");
        }
        pg.restart();
        try (Connection c = pg.dataSource().getConnection();
                Statement st = c.createStatement()) {
            st.execute("create extension if not exists pg_stat_statements");
        }
    }

    /** Forgets every statement counted so far. */
    static void reset(DataSource db) throws SQLException {
        try (Connection c = db.getConnection();
                Statement st = c.createStatement()) {
            st.execute("select pg_stat_statements_reset()");
        }
    }

    /** The statements counted since the last {@link #reset}. */
    static Split read(DataSource db) throws SQLException {
        try (Connection c = db.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(READ)) {
            rs.next();
            double copy = rs.getDouble("copy_ms") / 1e3;
            double audit = rs.getDouble("audit_ms") / 1e3;
            return new Split(copy, audit, rs.getDouble("total_ms") / 1e3 - copy - audit);
        }
    }
}
