package dev.vigil.testing;

import dev.vigil.embedded.EmbeddedPostgres;
import dev.vigil.inventory.Migrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A throw-away PostgreSQL for integration tests: the project's {@link EmbeddedPostgres}, migrated
 * with the production scripts, plus fixture helpers.
 */
public final class TestPostgres implements AutoCloseable {

    private final EmbeddedPostgres pg;

    private TestPostgres(EmbeddedPostgres pg) {
        this.pg = pg;
    }

    public static TestPostgres start() {
        EmbeddedPostgres pg = EmbeddedPostgres.start();
        Migrations.apply(pg.dataSource());
        return new TestPostgres(pg);
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

    public DataSource dataSource() {
        return pg.dataSource();
    }

    public String jdbcUrl() {
        return pg.jdbcUrl();
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

    @Override
    public void close() {
        pg.close();
    }
}
