package dev.vigil.app;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The production roles as child JVMs ({@link RoleProcess}) wired to one database, broker and config
 * service: the results API, the schedulers and the workers of each lane, as many of each and sized
 * as a {@link Layout} says. The fault suite runs six small ones and kills them; the benchmark runs
 * the API and one worker per lane sized as the Helm chart sizes them, and measures them. Ports stay
 * fixed across restarts, as in a deployment with stable addresses. Driven from one thread.
 */
public final class RoleCluster implements AutoCloseable {

    /**
     * How many processes of each role, their JVM options, and what the workers' environment adds to
     * the common one.
     */
    public record Layout(
            int schedulers,
            List<String> lanes,
            List<String> apiJvm,
            List<String> schedulerJvm,
            Map<String, List<String>> workerJvmByLane,
            Map<String, String> workerEnv) {
        public Layout {
            lanes = List.copyOf(lanes);
            apiJvm = List.copyOf(apiJvm);
            schedulerJvm = List.copyOf(schedulerJvm);
            workerJvmByLane = Map.copyOf(workerJvmByLane);
            workerEnv = Map.copyOf(workerEnv);
        }
    }

    /** How often a start tells its caller which roles it still waits for. */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

    /** Lines of a role's log quoted when it did not become ready. */
    private static final int LOG_TAIL = 25;

    private final List<RoleProcess> schedulers = new ArrayList<>();
    private final List<RoleProcess> workers = new ArrayList<>();
    private final RoleProcess api;
    private final HttpClient http = HttpClient.newHttpClient();
    private int selfRestarts;

    /**
     * @param common environment shared by every role (database, broker, intervals; see {@link
     *     RoleEnvironment#common})
     * @param configServiceUrl base URL of the config service the workers fetch from
     * @param serviceToken the workers' token for the results API
     * @param logs where each process appends its output
     */
    public RoleCluster(
            Layout layout,
            Map<String, String> common,
            String configServiceUrl,
            String serviceToken,
            Path logs) {
        int apiPort = RoleProcess.freePort();
        api =
                new RoleProcess(
                        "api",
                        layout.apiJvm(),
                        List.of("api"),
                        RoleEnvironment.api(common, apiPort),
                        RoleProcess.freePort(),
                        logs);
        Map<String, String> workerEnv =
                new HashMap<>(
                        RoleEnvironment.worker(common, configServiceUrl, apiPort, serviceToken));
        workerEnv.putAll(layout.workerEnv());
        Map<String, Integer> ofLane = new HashMap<>();
        for (String lane : layout.lanes()) {
            // "worker-fast" when the lane has one process (the bench's reports name it so),
            // "worker-fast-1", "worker-fast-2" when it has several (the chaos suite's layout).
            int nth = ofLane.merge(lane, 1, Integer::sum);
            String name =
                    Collections.frequency(layout.lanes(), lane) == 1
                            ? "worker-" + lane
                            : "worker-" + lane + "-" + nth;
            workers.add(
                    new RoleProcess(
                            name,
                            layout.workerJvmByLane().getOrDefault(lane, List.of()),
                            List.of("worker", "--lane", lane),
                            workerEnv,
                            RoleProcess.freePort(),
                            logs));
        }
        for (int i = 1; i <= layout.schedulers(); i++) {
            schedulers.add(
                    new RoleProcess(
                            "scheduler-" + i,
                            layout.schedulerJvm(),
                            List.of("scheduler"),
                            common,
                            RoleProcess.freePort(),
                            logs));
        }
    }

    /**
     * Starts every role and waits until each is ready: the API, then the schedulers, then the
     * workers. A role that exits while its wave starts is restarted when {@code restartExited} (the
     * fault suite: a role that lost its broker exits as a pod would), else it fails the start.
     * Every {@link #PROGRESS_EVERY} a wave is not ready yet, {@code waiting} is told which roles
     * and why; a wave not ready within {@code timeout} fails the start with each role's readiness
     * and the last lines of the logs of those not ready.
     */
    public void start(Duration timeout, boolean restartExited, Consumer<String> waiting)
            throws InterruptedException {
        // In waves: six JVMs starting at once on two cores time out their own start-up checks.
        for (List<RoleProcess> wave : List.of(List.of(api), schedulers, workers)) {
            for (RoleProcess p : wave) {
                p.start();
            }
            long started = System.nanoTime();
            long deadline = started + timeout.toNanos();
            long nextProgress = started + PROGRESS_EVERY.toNanos();
            while (!awaitReady(wave, Duration.ofSeconds(2))) {
                if (restartExited) {
                    for (String r : superviseOnce()) {
                        waiting.accept("restarted " + r + " while its wave started");
                    }
                } else {
                    failIfExited(wave);
                }
                long now = System.nanoTime();
                if (now > deadline) {
                    throw new IllegalStateException(notReady(wave, timeout));
                }
                if (now > nextProgress) {
                    nextProgress = now + PROGRESS_EVERY.toNanos();
                    waiting.accept(
                            "waiting "
                                    + Duration.ofNanos(now - started).toSeconds()
                                    + " s for"
                                    + line(readinessOf(wave)));
                }
            }
        }
        selfRestarts = 0;
    }

    /**
     * Why a wave did not become ready: each role's readiness on the first line (the line a test
     * report's summary shows), then the last lines of the log of each role that is not ready.
     */
    private String notReady(List<RoleProcess> wave, Duration timeout) {
        Map<RoleProcess, String> readiness = readinessOf(wave);
        StringBuilder why = new StringBuilder("roles not ready within " + timeout + ":");
        why.append(line(readiness));
        readiness.forEach(
                (p, r) -> {
                    if (!r.startsWith("/readyz 200")) {
                        why.append("\n--- last lines of ").append(p.name()).append(".log ---");
                        p.logTail(LOG_TAIL).forEach(l -> why.append('\n').append(l));
                    }
                });
        return why.toString();
    }

    /** Each role's readiness, asked once, in the wave's order. */
    private Map<RoleProcess, String> readinessOf(List<RoleProcess> wave) {
        Map<RoleProcess, String> readiness = new LinkedHashMap<>();
        for (RoleProcess p : wave) {
            readiness.put(p, p.readiness(http));
        }
        return readiness;
    }

    /** Readiness as " [name: why]" one after the other on one line. */
    private static String line(Map<RoleProcess, String> readiness) {
        StringBuilder line = new StringBuilder();
        readiness.forEach(
                (p, r) -> line.append(" [").append(p.name()).append(": ").append(r).append(']'));
        return line.toString();
    }

    private static void failIfExited(List<RoleProcess> wave) {
        for (RoleProcess p : wave) {
            if (!p.isAlive()) {
                throw new IllegalStateException(
                        p.name() + " exited with code " + p.exitCode() + "; see its log");
            }
        }
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

    /** Every role: the schedulers, the workers, the API. */
    public List<RoleProcess> all() {
        List<RoleProcess> all = new ArrayList<>(schedulers);
        all.addAll(workers);
        all.add(api);
        return all;
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
        while (!ps.stream().allMatch(p -> p.ready(http))) {
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

    /**
     * Stops every role (SIGTERM, then SIGKILL after 30 s): the schedulers, the workers (they
     * drain), then the API.
     */
    @Override
    public void close() throws InterruptedException {
        for (RoleProcess p : all()) {
            p.stop(Duration.ofSeconds(30));
        }
        http.close();
    }
}
