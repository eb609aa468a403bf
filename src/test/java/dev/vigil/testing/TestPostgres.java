package dev.vigil.testing;

import dev.vigil.embedded.EmbeddedPostgres;
import dev.vigil.inventory.Migrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A throw-away PostgreSQL database for integration tests, migrated with the production scripts,
 * plus fixture helpers. In the integration tests' own JVM (system property {@value #SHARED} set by
 * the build) it is a fresh copy of the JVM's template on its shared server ({@link SharedPostgres})
 * and closing it drops the database; elsewhere (the fuzzing JVMs, a test run from an IDE) it is a
 * server of its own, stopped on close.
 *
 * <p>The fuzzing JVMs keep a server per test: with the shared server, each Jazzer fuzzing JVM ended
 * after "Done N runs" without reporting its tests, for a reason not found (with and without the
 * shutdown hook that stops the server). {@code ./vigil test} fails when that happens.
 */
public final class TestPostgres implements AutoCloseable {

    /** The system property that makes every TestPostgres of the JVM a copy on one server. */
    public static final String SHARED = "vigil.test.sharedPostgres";

    private final EmbeddedPostgres server;
    private final String database;
    private final boolean ownServer;
    private boolean closed;

    private TestPostgres(EmbeddedPostgres server, String database, boolean ownServer) {
        this.server = server;
        this.database = database;
        this.ownServer = ownServer;
    }

    public static TestPostgres start() {
        if (Boolean.getBoolean(SHARED)) {
            String database = SharedPostgres.newDatabase();
            return new TestPostgres(SharedPostgres.server(), database, false);
        }
        EmbeddedPostgres own = EmbeddedPostgres.start();
        Migrations.apply(own.dataSource());
        return new TestPostgres(own, "postgres", true);
    }

    /**
     * Migrates {@code dataSource} with the production scripts up to {@code version} only: how a
     * migration test builds the schema a release before the migration it tests.
     */
    public static void migrateTo(DataSource dataSource, String version) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations(Migrations.LOCATION)
                .target(version)
                .load()
                .migrate();
    }

    /** An unpooled data source for this database as the superuser. */
    public DataSource dataSource() {
        return SharedPostgres.dataSource(server, database);
    }

    public String jdbcUrl() {
        return SharedPostgres.jdbcUrl(server, database);
    }

    /** The superuser's name. */
    public String user() {
        return server.user();
    }

    public String password() {
        return server.password();
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
                "truncate targets, config_snapshots, insights, insight_episodes, episode_rollups,"
                        + " episode_rollup_months, episode_rollup_dirty, scans, audit_log,"
                        + " api_tokens, insight_staging, insight_event_outbox");
    }

    /** Forgets every pushed rule set and returns the rule rollout to its first state. */
    public void resetRollout() {
        execute(
                "truncate rule_sets, rule_rollout, rule_shadow_counts, rule_shadow_examples,"
                        + " rule_cohort_counts, rule_workers");
        execute("insert into rule_rollout default values");
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

    /**
     * A data source logging in as a new user that is a member of the group role {@code group}
     * (vigil_api, vigil_scheduler): how production connects, with that role's privileges only.
     */
    public DataSource memberOf(String group) {
        String user = group + "_user_" + Long.toHexString(System.nanoTime());
        execute("create role " + user + " login password 'pw-" + user + "' in role " + group);
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setURL(jdbcUrl());
        ds.setUser(user);
        ds.setPassword("pw-" + user);
        return ds;
    }

    /** Drops the database (its open sessions end), or stops the server of its own. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            if (ownServer) {
                server.close();
            } else {
                SharedPostgres.drop(database);
            }
        }
    }
}
