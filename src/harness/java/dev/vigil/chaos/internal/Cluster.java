package dev.vigil.chaos.internal;

import dev.vigil.app.RoleEnvironment;
import dev.vigil.app.RoleProcess;
import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.embedded.EmbeddedPostgres;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The six role processes of a fault-suite run, wired to the embedded servers: schedulers ×2, fast
 * workers ×2, a slow worker and the API. Ports stay fixed across restarts, as in a deployment with
 * stable addresses. Driven from one thread.
 */
public final class Cluster implements AutoCloseable {

    /** Six JVMs share a small machine with the broker and the database: small heaps, C1 only. */
    private static final List<String> JVM_OPTIONS =
            List.of(
                    "-Xmx256m",
                    "-Xss512k",
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-XX:CICompilerCount=1");

    private final List<RoleProcess> schedulers = new ArrayList<>();
    private final List<RoleProcess> workers = new ArrayList<>();
    private final RoleProcess api;
    private final HttpClient http = HttpClient.newHttpClient();
    private int selfRestarts;

    /**
     * @param common environment shared by every role (database, broker, intervals)
     * @param configServiceUrl base URL of the simulated config service
     * @param serviceToken the workers' token for the results API
     */
    public Cluster(
            Map<String, String> common, String configServiceUrl, String serviceToken, Path logs) {
        int apiPort = RoleProcess.freePort();
        api =
                new RoleProcess(
                        "api",
                        JVM_OPTIONS,
                        List.of("api"),
                        RoleEnvironment.api(common, apiPort),
                        RoleProcess.freePort(),
                        logs);
        Map<String, String> workerEnv =
                new HashMap<>(
                        RoleEnvironment.worker(common, configServiceUrl, apiPort, serviceToken));
        workerEnv.put("VIGIL_WORKER_CONSUMERS", "2");
        // Backoff capped at 10 s: 15 attempts ride out an API outage of about a minute before a
        // scan is dead-lettered.
        workerEnv.put("VIGIL_WORKER_RETRY_ATTEMPTS", "15");
        for (String lane : List.of("fast", "fast", "slow")) {
            String name = "worker-" + lane + "-" + (workers.size() + 1);
            workers.add(
                    new RoleProcess(
                            name,
                            JVM_OPTIONS,
                            List.of("worker", "--lane", lane),
                            workerEnv,
                            RoleProcess.freePort(),
                            logs));
        }
        for (int i = 1; i <= 2; i++) {
            schedulers.add(
                    new RoleProcess(
                            "scheduler-" + i,
                            JVM_OPTIONS,
                            List.of("scheduler"),
                            common,
                            RoleProcess.freePort(),
                            logs));
        }
    }

    /** Starts every role and waits until each is ready. */
    public void start(Duration timeout) throws InterruptedException {
        // In waves: six JVMs starting at once on two cores time out their own start-up checks.
        for (List<RoleProcess> wave : List.of(List.of(api), schedulers, workers)) {
            for (RoleProcess p : wave) {
                p.start();
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!awaitReady(wave, Duration.ofSeconds(2))) {
                superviseOnce();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "roles " + wave + " not ready within " + timeout + "; see their logs");
                }
            }
        }
        selfRestarts = 0;
    }

    public List<RoleProcess> workers() {
        return List.copyOf(workers);
    }

    public RoleProcess api() {
        return api;
    }

    public List<RoleProcess> schedulers() {
        return List.copyOf(schedulers);
    }

    public HttpClient http() {
        return http;
    }

    /** The scheduler holding the leader lock, waiting up to {@code timeout} for one to take it. */
    public RoleProcess leader(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (RoleProcess s : schedulers) {
                if (s.leads(http)) {
                    return s;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no scheduler took the leader lock in " + timeout);
            }
            Thread.sleep(250);
        }
    }

    /**
     * Restarts any role that exited by itself (a role that lost its broker or database for too long
     * exits, as a pod would be restarted by its orchestrator); returns their names.
     */
    public List<String> superviseOnce() throws InterruptedException {
        List<String> restarted = new ArrayList<>();
        for (RoleProcess p : all()) {
            if (!p.isAlive() && !p.stopped()) {
                String exited = p.name() + " (exit code " + p.exitCode() + ")";
                p.start();
                selfRestarts++;
                restarted.add(exited);
            }
        }
        return restarted;
    }

    public int selfRestarts() {
        return selfRestarts;
    }

    /** Waits until every process in {@code ps} is ready; false when the timeout passed first. */
    public boolean awaitReady(List<RoleProcess> ps, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Predicate<RoleProcess> ready = p -> p.ready(http);
        while (!ps.stream().allMatch(ready)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(200);
        }
        return true;
    }

    /** SIGTERM to the schedulers: no new scan requests from here on. */
    public void stopSchedulers() throws InterruptedException {
        for (RoleProcess s : schedulers) {
            s.stop(Duration.ofSeconds(20));
        }
    }

    private List<RoleProcess> all() {
        List<RoleProcess> all = new ArrayList<>(schedulers);
        all.addAll(workers);
        all.add(api);
        return all;
    }

    /** Stops every role (SIGTERM, then SIGKILL after 20 s). */
    @Override
    public void close() throws InterruptedException {
        for (RoleProcess p : all()) {
            p.stop(Duration.ofSeconds(20));
        }
        http.close();
    }

    /** The environment every role shares. */
    public static Map<String, String> commonEnv(
            EmbeddedPostgres pg, EmbeddedKafka kafka, String topicPrefix, Duration interval) {
        return RoleEnvironment.common(
                pg.jdbcUrl(),
                pg.user(),
                pg.password(),
                kafka.bootstrapServers(),
                topicPrefix,
                interval);
    }
}
