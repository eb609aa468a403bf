package dev.vigil.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A throw-away PostgreSQL for integration tests, migrated with the production Flyway scripts.
 * Test-only stand-in until dev.vigil.embedded.EmbeddedPostgres lands.
 */
public final class TestPostgres implements AutoCloseable {

    private final EmbeddedPostgres pg;

    private TestPostgres(EmbeddedPostgres pg) {
        this.pg = pg;
    }

    public static TestPostgres start() {
        try {
            // Failsafe runs against target/vigil.jar, whose manifest also lists target/lib, so the
            // binaries jar is on the class path twice and zonky's default resolver refuses that.
            EmbeddedPostgres pg =
                    EmbeddedPostgres.builder()
                            .setPgBinaryResolver(TestPostgres::firstBinary)
                            .start();
            Flyway.configure()
                    .dataSource(pg.getPostgresDatabase())
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            return new TestPostgres(pg);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    private static java.io.InputStream firstBinary(String system, String hardware)
            throws IOException {
        String arch = hardware.equals("amd64") ? "x86_64" : hardware;
        String name = "postgres-" + system.toLowerCase(java.util.Locale.ROOT) + "-" + arch + ".txz";
        java.net.URL url = TestPostgres.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IOException("no embedded PostgreSQL binary " + name + " on the class path");
        }
        return url.openStream();
    }

    public DataSource dataSource() {
        return pg.getPostgresDatabase();
    }

    public String jdbcUrl() {
        return pg.getJdbcUrl("postgres", "postgres");
    }

    /** Runs statements, e.g. to insert fixtures or truncate between tests. */
    public void execute(String... sql) {
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("fixture SQL failed: " + e.getMessage(), e);
        }
    }

    /** Empties every table the results feature writes, and the inventory. */
    public void reset() {
        execute(
                "truncate targets, config_snapshots, insights, scans, audit_log, api_tokens, insight_staging");
    }

    /** Inserts a zone target; returns its id. */
    public String zoneTarget(String accountId, String zoneId) {
        execute(
                "insert into targets (target_id, kind, account_id, zone_id, name, plan, next_due_at)"
                        + " values ('%s', 'zone', '%s', '%s', '%s.example', 'free', now())"
                                .formatted(zoneId, accountId, zoneId, zoneId));
        return zoneId;
    }

    /** Inserts an account target; returns its id. */
    public String accountTarget(String accountId) {
        execute(
                "insert into targets (target_id, kind, account_id, name, plan, next_due_at)"
                        + " values ('%s', 'account', '%s', 'acct', 'enterprise', now())"
                                .formatted(accountId, accountId));
        return accountId;
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
