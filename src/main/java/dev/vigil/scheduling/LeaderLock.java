package dev.vigil.scheduling;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One active scheduler at a time: a PostgreSQL session-level advisory lock held on a dedicated
 * connection. If the leader dies its session ends, the lock is released, and a standby's next
 * {@link #tryAcquire()} wins within its polling period.
 *
 * <p>Not thread-safe: owned by the scheduler's thread.
 */
public final class LeaderLock implements AutoCloseable {
    /** An arbitrary constant that names "the Vigil scheduler" among advisory locks. */
    static final long LOCK_KEY = 0x5649_4749_4C00_0001L;

    private static final Logger log = LoggerFactory.getLogger(LeaderLock.class);
    private final DataSource ds;
    private @Nullable Connection held;

    LeaderLock(DataSource ds) {
        this.ds = ds;
    }

    /** A lock on {@code ds}, not yet held: the scheduler's thread acquires it. */
    public static LeaderLock create(DataSource ds) {
        return new LeaderLock(ds);
    }

    /** True when this process holds the lock (acquiring it if free). */
    boolean tryAcquire() {
        if (held != null) {
            if (stillHeld(held)) {
                return true;
            }
            log.warn("lost the scheduler lock: its database session ended");
            closeQuietly(held);
            held = null;
        }
        Connection c = null;
        try {
            c = ds.getConnection();
            c.setAutoCommit(true);
            try (PreparedStatement ps =
                    c.prepareStatement("select pg_try_advisory_lock(?) as acquired")) {
                ps.setLong(1, LOCK_KEY);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean("acquired")) {
                        held = c;
                        log.info("acquired the scheduler lock: this scheduler is active");
                        return true;
                    }
                }
            }
            closeQuietly(c);
            return false;
        } catch (SQLException e) {
            if (c != null) {
                closeQuietly(c);
            }
            log.warn("could not try the scheduler lock: {}", e.toString());
            return false;
        }
    }

    private static boolean stillHeld(Connection c) {
        try {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("closing lock connection", e);
        }
    }

    @Override
    public void close() {
        Connection c = held;
        held = null;
        if (c != null) {
            try (PreparedStatement ps = c.prepareStatement("select pg_advisory_unlock(?)")) {
                ps.setLong(1, LOCK_KEY);
                ps.execute();
            } catch (SQLException e) {
                log.debug("unlocking", e);
            }
            closeQuietly(c);
        }
    }
}
