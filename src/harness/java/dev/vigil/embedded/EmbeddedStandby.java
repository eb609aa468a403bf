package dev.vigil.embedded;

import dev.vigil.embedded.internal.BaseBackup;
import dev.vigil.embedded.internal.LocalResources;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streaming-replication standby of an {@link EmbeddedPostgres}: a base backup of the running
 * primary in a new temporary data directory (as {@code pg_basebackup -R} makes one), started on its
 * own loopback port as a hot standby that streams the primary's WAL through a replication slot.
 *
 * <p>With {@link Replication#SYNCHRONOUS} the primary lists the standby in {@code
 * synchronous_standby_names} and its database commits with {@code synchronous_commit = on}: a
 * commit returns only once the standby has the WAL, so a crash of the primary loses no acknowledged
 * transaction. Sessions opened before {@link #start} keep their old setting: start the standby
 * before the clients. With {@link Replication#ASYNCHRONOUS} commits are flushed locally ({@code
 * synchronous_commit = on} without a synchronous standby) and never wait for it.
 *
 * <p>{@link #promote()} turns the standby into a primary ({@code pg_promote}, the SQL form of
 * {@code pg_ctl promote}); {@link #server()} is then a primary like any other, to restart, stop and
 * close.
 */
public final class EmbeddedStandby implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStandby.class);

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** Whether the primary's commits wait for the standby. */
    public enum Replication {
        /** Commits wait until the standby has written the WAL ({@code synchronous_commit=on}). */
        SYNCHRONOUS,
        /** Commits never wait; the standby may lag behind acknowledged transactions. */
        ASYNCHRONOUS
    }

    private final EmbeddedPostgres server;
    private final String name;

    private EmbeddedStandby(EmbeddedPostgres server, String name) {
        this.server = server;
        this.name = name;
    }

    /**
     * Takes a base backup of {@code primary}, starts the standby on a free loopback port and
     * returns once it streams; with {@link Replication#SYNCHRONOUS} the primary's commits wait for
     * it from then on.
     *
     * @throws EmbeddedStartException if the backup or the standby fails, or it does not stream
     *     within a minute
     */
    public static EmbeddedStandby start(EmbeddedPostgres primary, Replication replication) {
        long began = System.nanoTime();
        String name =
                "vigil_standby_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet();
        Path dataDir = LocalResources.tempDirectory("vigil-postgres-standby-");
        EmbeddedPostgres server;
        try {
            BaseBackup.take(primary.dataSource(), primary.dataDir(), primary.port(), name, dataDir);
            server = EmbeddedPostgres.startOn(dataDir, LocalResources.freePort());
        } catch (SQLException | RuntimeException e) {
            LocalResources.deleteRecursively(dataDir);
            throw new EmbeddedStartException(
                    "no standby of " + primary.jdbcUrl() + ": " + e.getMessage(), e);
        }
        EmbeddedStandby standby = new EmbeddedStandby(server, name);
        try {
            standby.awaitStreaming(primary);
            // the embedded server runs with -c synchronous_commit=off, which a database's own
            // setting overrides for every new session: commits are flushed locally, and with a
            // synchronous standby wait for it as well
            execute(primary.dataSource(), "alter database postgres set synchronous_commit = on");
            if (replication == Replication.SYNCHRONOUS) {
                execute(
                        primary.dataSource(),
                        "alter system set synchronous_standby_names = '\"" + name + "\"'",
                        "select pg_reload_conf()");
                standby.awaitSync(primary);
            }
        } catch (SQLException | RuntimeException e) {
            standby.close();
            throw new EmbeddedStartException(
                    "standby " + name + " of " + primary.jdbcUrl() + " did not stream", e);
        }
        log.info(
                "embedded PostgreSQL standby {} of port {} streaming ({}) on port {} in {} ms",
                name,
                primary.port(),
                replication,
                server.port(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        return standby;
    }

    /** The standby's server: read-only until {@link #promote()}, a primary after it. */
    public EmbeddedPostgres server() {
        return server;
    }

    /** The name the primary knows the standby by ({@code application_name}, its slot). */
    public String name() {
        return name;
    }

    /**
     * Promotes the standby to a primary and returns once it accepts writes ({@code
     * pg_is_in_recovery()} is false).
     *
     * @throws IllegalStateException if it is still in recovery after a minute
     */
    public void promote() {
        long began = System.nanoTime();
        try (Connection c = server.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("select pg_promote(true, " + TIMEOUT.toSeconds() + ")");
            while (inRecovery(s)) {
                if (System.nanoTime() - began > TIMEOUT.toNanos()) {
                    throw new IllegalStateException(
                            "standby " + name + " still in recovery after " + TIMEOUT);
                }
                Thread.sleep(50);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot promote standby " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted promoting standby " + name, e);
        }
        log.info(
                "standby {} on port {} promoted in {} ms",
                name,
                server.port(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    }

    /**
     * Stops receiving WAL (the standby forgets its {@code primary_conninfo}), as a cut network
     * between the two would: from then on it lags behind every commit of the primary. Returns once
     * its WAL receiver has stopped.
     */
    public void stopStreaming() throws SQLException {
        execute(
                server.dataSource(),
                "alter system set primary_conninfo = ''",
                "select pg_reload_conf()");
        awaitTrue(server.dataSource(), "select count(*) = 0 from pg_stat_wal_receiver");
    }

    /** Stops the server and deletes its data directory. Idempotent. */
    @Override
    public void close() {
        server.close();
    }

    private void awaitStreaming(EmbeddedPostgres primary) throws SQLException {
        awaitTrue(
                primary.dataSource(),
                "select count(*) = 1 from pg_stat_replication where application_name = '"
                        + name
                        + "' and state = 'streaming'");
    }

    private void awaitSync(EmbeddedPostgres primary) throws SQLException {
        awaitTrue(
                primary.dataSource(),
                "select count(*) = 1 from pg_stat_replication where application_name = '"
                        + name
                        + "' and sync_state = 'sync'");
    }

    private static boolean inRecovery(Statement s) throws SQLException {
        try (ResultSet r = s.executeQuery("select pg_is_in_recovery()")) {
            r.next();
            return r.getBoolean(1);
        }
    }

    /** Polls {@code query} (one boolean) until it is true; a minute at most. */
    private static void awaitTrue(DataSource ds, String query) throws SQLException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            while (true) {
                try (ResultSet r = s.executeQuery(query)) {
                    r.next();
                    if (r.getBoolean(1)) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not true after " + TIMEOUT + ": " + query);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for: " + query, e);
                }
            }
        }
    }

    private static void execute(DataSource ds, String... statements) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
