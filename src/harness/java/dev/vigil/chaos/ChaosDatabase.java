package dev.vigil.chaos;

import dev.vigil.embedded.EmbeddedPostgres;
import dev.vigil.embedded.EmbeddedStandby;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The suite's PostgreSQL as production runs it: a primary and a synchronous streaming standby,
 * which the roles reach through one multi-host URL. After {@link #failover} the promoted standby is
 * the primary (there is no standby any more) and {@link #primary()} returns it, so that later
 * restarts and the final checks act on it.
 */
final class ChaosDatabase implements AutoCloseable {

    private static final Duration WRITE_TIMEOUT = Duration.ofMinutes(2);

    private final EmbeddedPostgres first;
    private final EmbeddedStandby standby;
    private boolean failedOver;

    private ChaosDatabase(EmbeddedPostgres first, EmbeddedStandby standby) {
        this.first = first;
        this.standby = standby;
    }

    /**
     * Starts a synchronous standby of {@code primary}. Call it before any client connects: sessions
     * opened earlier do not wait for the standby.
     */
    static ChaosDatabase withStandby(EmbeddedPostgres primary) {
        return new ChaosDatabase(
                primary, EmbeddedStandby.start(primary, EmbeddedStandby.Replication.SYNCHRONOUS));
    }

    /** {@code jdbc:postgresql://127.0.0.1:primary,127.0.0.1:standby/postgres}. */
    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:"
                + first.port()
                + ",127.0.0.1:"
                + standby.server().port()
                + "/postgres";
    }

    /** The current primary: the first server, or the promoted standby after a failover. */
    synchronized EmbeddedPostgres primary() {
        return failedOver ? standby.server() : first;
    }

    /** Whether the standby is still there to take over. */
    synchronized boolean canFailOver() {
        return !failedOver;
    }

    /** The outcome of a failover. */
    record Failover(Duration promotion, @Nullable Duration writeOutage) {}

    /**
     * SIGKILLs the primary, waits {@code down} (nobody promotes at once), promotes the standby, and
     * waits until a result is stored on it (a new row in {@code scans}), at most two minutes.
     */
    synchronized Failover failover(Duration down) throws InterruptedException {
        if (failedOver) {
            throw new IllegalStateException("the standby was promoted already");
        }
        long killed = System.nanoTime();
        first.kill();
        Thread.sleep(down.toMillis());
        long t = System.nanoTime();
        standby.promote();
        failedOver = true;
        Duration promotion = Duration.ofNanos(System.nanoTime() - t);
        // counted once promoted, when the standby has replayed all it received
        long before = scans(standby.server().dataSource());
        long deadline = System.nanoTime() + WRITE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (scans(standby.server().dataSource()) > before) {
                return new Failover(promotion, Duration.ofNanos(System.nanoTime() - killed));
            }
            Thread.sleep(100);
        }
        return new Failover(promotion, null);
    }

    /** Rows in {@code scans}; -1 while the server does not answer. */
    private static long scans(DataSource ds) {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select count(*) from scans")) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Closes the standby (or the promoted server) and the first server. */
    @Override
    public void close() {
        try {
            standby.close();
        } finally {
            first.close();
        }
    }
}
