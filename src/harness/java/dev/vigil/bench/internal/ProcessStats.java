package dev.vigil.bench.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * CPU time of this JVM and of the embedded PostgreSQL (its postmaster and every process under it),
 * and the JVM's resident memory, read from {@code /proc} through {@link ProcessHandle}. Processes
 * that ended are not counted (PostgreSQL's backends live as long as the pool's connections).
 *
 * @param childrenCpu PostgreSQL's CPU time
 */
public record ProcessStats(Duration jvmCpu, Duration childrenCpu, long jvmRssBytes) {

    public static ProcessStats now(@Nullable ProcessHandle postmaster) {
        Duration self = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
        Duration pg = Duration.ZERO;
        if (postmaster != null) {
            pg =
                    Stream.concat(Stream.of(postmaster), postmaster.descendants())
                            .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                            .reduce(Duration.ZERO, Duration::plus);
        }
        return new ProcessStats(self, pg, rss());
    }

    /**
     * The postmaster behind {@code db}: the parent of this connection's backend (the embedded
     * server is started by pg_ctl, so it is not a descendant of the JVM).
     */
    public static @Nullable ProcessHandle postmaster(DataSource db) {
        try (Connection c = db.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select pg_backend_pid() as backend_pid")) {
            rs.next();
            return ProcessHandle.of(rs.getLong("backend_pid"))
                    .flatMap(ProcessHandle::parent)
                    .orElse(null);
        } catch (SQLException e) {
            return null;
        }
    }

    /** VmRSS of this process in bytes, or -1 when /proc is not there. */
    static long rss() {
        return statusBytes(ProcessHandle.current().pid(), "VmRSS:");
    }

    /**
     * A {@code kB} field of {@code /proc/<pid>/status} ({@code "VmRSS:"}, {@code "VmHWM:"}) in
     * bytes, or -1 when it cannot be read.
     */
    public static long statusBytes(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    String kb = line.substring(field.length()).trim().split("\\s+", -1)[0];
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
