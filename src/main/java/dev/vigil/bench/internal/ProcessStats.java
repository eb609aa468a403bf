package dev.vigil.bench.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time of this JVM and of its child processes (the embedded PostgreSQL), and the JVM's resident
 * memory, read from {@code /proc} through {@link ProcessHandle}. Children that ended are not
 * counted (PostgreSQL's backends live as long as the pool's connections).
 */
public record ProcessStats(Duration jvmCpu, Duration childrenCpu, long jvmRssBytes) {

    public static ProcessStats now() {
        Duration self = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
        Duration kids =
                ProcessHandle.current()
                        .descendants()
                        .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                        .reduce(Duration.ZERO, Duration::plus);
        return new ProcessStats(self, kids, rss());
    }

    /** VmRSS of this process in bytes, or -1 when /proc is not there. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
