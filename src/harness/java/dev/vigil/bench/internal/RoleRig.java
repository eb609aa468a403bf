package dev.vigil.bench.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.app.RoleCluster;
import dev.vigil.app.RoleEnvironment;
import dev.vigil.app.RoleProcess;
import dev.vigil.tokens.ApiTokens;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The results API and one worker per lane as child JVMs of the production entry point, sized as the
 * Helm chart sizes their containers (G1 as in the image; a worker's heap 60 % of a 768 MiB limit,
 * the API's 512 MiB of a 1 GiB one), against the benchmark's broker, database and config service.
 * It exists to measure what a role costs on its own: CPU time and resident memory per process, read
 * from {@code /proc}. The processes are launched by {@link RoleCluster}, as the fault suite's are.
 * Driven from one thread.
 */
public final class RoleRig implements AutoCloseable {

    /** The Helm chart's fast-lane worker container: 640 MiB limit, a 256 MiB heap. */
    public static final List<String> FAST_WORKER_JVM =
            List.of("-XX:+UseG1GC", "-XX:MaxRAM=640m", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError");

    /** The Helm chart's slow-lane worker container: 768 MiB limit, 60 % of it for the heap. */
    public static final List<String> SLOW_WORKER_JVM =
            List.of(
                    "-XX:+UseG1GC",
                    "-XX:MaxRAM=768m",
                    "-XX:MaxRAMPercentage=60",
                    "-XX:+ExitOnOutOfMemoryError");

    /** The Helm chart's api container: 1 GiB limit, a 512 MiB heap. */
    public static final List<String> API_JVM =
            List.of("-XX:+UseG1GC", "-XX:MaxRAM=1g", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError");

    private final RoleCluster cluster;
    private final HikariDataSource db;

    /**
     * @param db the benchmark's database (its URL and credentials go to the API process)
     * @param logs where each process appends its output
     */
    public RoleRig(
            HikariDataSource db,
            String kafkaBootstrap,
            String topicPrefix,
            Duration interval,
            String configServiceUrl,
            Path logs) {
        this.db = db;
        Map<String, String> common =
                RoleEnvironment.common(
                        db.getJdbcUrl(),
                        db.getUsername(),
                        db.getPassword(),
                        kafkaBootstrap,
                        topicPrefix,
                        interval);
        common.put("VIGIL_DATABASE_POOL_SIZE", "20");
        String token = ApiTokens.create(db).issueService("bench-role-processes");
        this.cluster =
                new RoleCluster(
                        new RoleCluster.Layout(
                                0,
                                List.of("fast", "slow"),
                                API_JVM,
                                List.of(),
                                Map.of("fast", FAST_WORKER_JVM, "slow", SLOW_WORKER_JVM),
                                Map.of()),
                        common,
                        configServiceUrl,
                        token,
                        logs);
    }

    /**
     * Starts the API, then the workers, each wave waiting for readiness; {@code waiting} hears
     * which roles it still waits for (see {@link RoleCluster#start}).
     */
    public void start(Duration timeout, Consumer<String> waiting) throws InterruptedException {
        cluster.start(timeout, false, waiting);
    }

    /** Each role's CPU time so far and its resident memory now and at its peak, by role name. */
    public Map<String, Usage> usage() {
        Map<String, Usage> out = new LinkedHashMap<>();
        List<RoleProcess> roles = new ArrayList<>(List.of(cluster.api()));
        roles.addAll(cluster.workers());
        for (RoleProcess p : roles) {
            ProcessHandle h =
                    p.handle()
                            .orElseThrow(
                                    () ->
                                            new IllegalStateException(
                                                    p.name()
                                                            + " is not running (exit code "
                                                            + p.exitCode()
                                                            + "); see its log"));
            Duration cpu = h.info().totalCpuDuration().orElse(Duration.ZERO);
            out.put(
                    p.name(),
                    new Usage(
                            cpu,
                            ProcessStats.statusBytes(h.pid(), "VmRSS:"),
                            ProcessStats.statusBytes(h.pid(), "VmHWM:")));
        }
        return out;
    }

    /** Scans stored so far, counted in the database (the workers run elsewhere). */
    public long scansStored() {
        try (Connection c = db.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*) as stored from scans")) {
            rs.next();
            return rs.getLong("stored");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count stored scans: " + e.getMessage(), e);
        }
    }

    /** SIGTERM to the workers, then the API: they drain and stop. */
    @Override
    public void close() throws InterruptedException {
        cluster.close();
    }

    /**
     * One process's CPU time so far and its resident memory (bytes): now, and the high-water mark
     * since it started.
     */
    public record Usage(Duration cpu, long rssBytes, long peakRssBytes) {}
}
