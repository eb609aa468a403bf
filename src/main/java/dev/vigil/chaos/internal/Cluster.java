package dev.vigil.chaos.internal;

import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
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
        int apiPort = freePort();
        Map<String, String> apiEnv = new HashMap<>(common);
        apiEnv.put("VIGIL_API_PORT", Integer.toString(apiPort));
        api = new RoleProcess("api", List.of("api"), apiEnv, freePort(), logs);
        Map<String, String> workerEnv = new HashMap<>(common);
        workerEnv.remove("VIGIL_DATABASE_URL"); // workers hold no database credentials
        workerEnv.remove("VIGIL_DATABASE_USER");
        workerEnv.remove("VIGIL_DATABASE_PASSWORD");
        workerEnv.put("VIGIL_CONFIG_SOURCE_URL", configServiceUrl);
        workerEnv.put("VIGIL_RESULTS_URL", "http://127.0.0.1:" + apiPort + "/");
        workerEnv.put("VIGIL_SERVICE_TOKEN", serviceToken);
        workerEnv.put("VIGIL_WORKER_CONSUMERS", "2");
        // Backoff capped at 10 s: 15 attempts ride out an API outage of about a minute before a
        // scan is dead-lettered.
        workerEnv.put("VIGIL_WORKER_RETRY_ATTEMPTS", "15");
        for (String lane : List.of("fast", "fast", "slow")) {
            String name = "worker-" + lane + "-" + (workers.size() + 1);
            workers.add(
                    new RoleProcess(
                            name, List.of("worker", "--lane", lane), workerEnv, freePort(), logs));
        }
        for (int i = 1; i <= 2; i++) {
            schedulers.add(
                    new RoleProcess(
                            "scheduler-" + i, List.of("scheduler"), common, freePort(), logs));
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

    /** A free loopback port (the embedded servers' helper is internal to their package). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** The environment every role shares. */
    public static Map<String, String> commonEnv(
            EmbeddedPostgres pg, EmbeddedKafka kafka, String topicPrefix, Duration interval) {
        Map<String, String> env = new HashMap<>();
        env.put("VIGIL_DATABASE_URL", pg.jdbcUrl());
        env.put("VIGIL_DATABASE_USER", pg.user());
        env.put("VIGIL_DATABASE_PASSWORD", pg.password());
        env.put("VIGIL_DATABASE_POOL_SIZE", "4");
        env.put("VIGIL_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("VIGIL_KAFKA_TOPIC_PREFIX", topicPrefix);
        for (dev.vigil.inventory.Plan p : dev.vigil.inventory.Plan.values()) {
            env.put("VIGIL_INTERVAL_" + p.name(), interval.toSeconds() + "s");
        }
        return env;
    }
}
