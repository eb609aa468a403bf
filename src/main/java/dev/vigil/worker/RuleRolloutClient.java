package dev.vigil.worker;

import dev.vigil.checks.RolloutCounts;
import dev.vigil.checks.RuleFile;
import dev.vigil.checks.RuleSetHolder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * A worker process's link to the rule rollout (issue 23): every {@code every} it reports to the
 * API's internal route {@code POST /internal/v1/rule-rollout/sync} (service token) the generation
 * and versions it holds and what its scans counted ({@link RolloutCounts}), and the answer is the
 * rollout in force, whose versions it fetches once ({@code GET /internal/v1/rule-sets/{version}}),
 * compiles and hands to its {@link RuleSetHolder}. While nothing is pushed the holder keeps the
 * directory's set ({@code VIGIL_RULES_DIR}), as before rollouts existed.
 *
 * <p>The API rather than a Kafka control topic: the workers already call it with their service
 * token, PostgreSQL behind it is the one truth of the rollout, a worker that starts (or restarts)
 * reads the state in force in one call before it consumes anything, and the same call carries the
 * counts back; a control topic would need its own compaction, offsets and a second way back for the
 * reports.
 *
 * <p>{@link #start} syncs once before returning (retrying for up to {@link #FIRST_SYNC_DEADLINE}
 * while the API is away), so the worker's first scan applies the rollout in force; a failing sync
 * later keeps the generation held and retries at the next tick (the counts of a report the API did
 * not take are sent with the next). Thread-safe; {@link #close()} stops the thread.
 */
public final class RuleRolloutClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RuleRolloutClient.class);
    private static final JsonMapper JSON =
            JsonMapper.builder()
                    .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .build();

    /** How long a starting worker keeps trying its first sync before it gives up. */
    static final Duration FIRST_SYNC_DEADLINE = Duration.ofMinutes(2);

    private static final Duration FIRST_SYNC_RETRY = Duration.ofSeconds(1);

    private final URI sync;
    private final URI sets;
    private final String serviceToken;
    private final RuleSetHolder rules;
    private final String workerId;
    private final HttpClient http;
    private final RolloutStates states;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<@Nullable String> lastError = new AtomicReference<>();
    private final AtomicReference<@Nullable Thread> loop = new AtomicReference<>();
    private volatile boolean closed;

    private RuleRolloutClient(URI api, String serviceToken, RuleSetHolder rules, String workerId) {
        String base = api.toString().endsWith("/") ? api.toString() : api + "/";
        this.sync = URI.create(base + "internal/v1/rule-rollout/sync");
        this.sets = URI.create(base + "internal/v1/rule-sets/");
        this.serviceToken = serviceToken;
        this.rules = rules;
        this.workerId = workerId;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.states = new RolloutStates(this::fetchFiles);
    }

    /**
     * Syncs with the API at {@code api} once (the rollout in force is then in {@code rules}) and
     * every {@code every} after, on a daemon thread.
     *
     * @param workerId how the API lists this process; unique per process
     * @throws RuleRolloutException when no sync succeeds within {@link #FIRST_SYNC_DEADLINE}: a
     *     worker that cannot tell which version applies to which target must not scan
     */
    public static RuleRolloutClient start(
            URI api, String serviceToken, RuleSetHolder rules, Duration every, String workerId) {
        RuleRolloutClient c = new RuleRolloutClient(api, serviceToken, rules, workerId);
        long deadline = System.nanoTime() + FIRST_SYNC_DEADLINE.toNanos();
        while (true) {
            c.syncOnce();
            String error = c.lastError.get();
            if (error == null) {
                return c.startLoop(every);
            }
            // A worker (re)started while the API restarts waits for it, as its results would.
            if (System.nanoTime() > deadline) {
                c.http.close();
                throw new RuleRolloutException(
                        "the rule-rollout sync with "
                                + c.sync
                                + " kept failing for "
                                + FIRST_SYNC_DEADLINE.toSeconds()
                                + " s: "
                                + error
                                + " (check VIGIL_RESULTS_URL and VIGIL_SERVICE_TOKEN; the worker"
                                + " scans only once it knows the rollout in force)");
            }
            try {
                Thread.sleep(FIRST_SYNC_RETRY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.http.close();
                throw new RuleRolloutException("interrupted before the first rule-rollout sync", e);
            }
        }
    }

    /** A worker id unique to this process: host, process id and a random suffix. */
    public static String processWorkerId(String role) {
        String host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        return host
                + "/"
                + ProcessHandle.current().pid()
                + "/"
                + role
                + "/"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    private RuleRolloutClient startLoop(Duration every) {
        Thread t =
                Thread.ofPlatform()
                        .daemon()
                        .name("rule-rollout")
                        .start(
                                () -> {
                                    while (!closed) {
                                        try {
                                            Thread.sleep(every);
                                        } catch (InterruptedException e) {
                                            Thread.currentThread().interrupt();
                                            return;
                                        }
                                        syncOnce();
                                    }
                                });
        loop.set(t);
        return this;
    }

    /**
     * One report and state read; failures are remembered, logged and counted, never thrown. The
     * counts of a report the API did not answer are kept for the next (one whose answer was lost
     * after the API stored it is then counted twice: the diff and the guards are estimates).
     */
    void syncOnce() {
        RolloutCounts.Report report = rules.rolloutCounts().drain();
        JsonNode state;
        try {
            SyncRequest req =
                    new SyncRequest(
                            workerId,
                            rules.rollout().generation(),
                            rules.pushed() ? states.held() : List.of(),
                            report.shadow(),
                            report.examples(),
                            report.cohorts());
            state = call(post(sync, JSON.writeValueAsBytes(req)));
        } catch (RuntimeException e) {
            rules.rolloutCounts().restore(report);
            failed(e);
            return;
        }
        try {
            rules.applyPushed(states.rollout(state));
            lastError.set(null);
        } catch (RuntimeException e) {
            // e.g. a version this process cannot compile: it keeps the generation it holds, and
            // the API sees it lag behind (vigil rules status)
            failed(e);
        }
    }

    private void failed(RuntimeException e) {
        failures.incrementAndGet();
        String was = lastError.getAndSet(String.valueOf(e.getMessage()));
        if (was == null) {
            log.warn(
                    "rule-rollout sync failed, keeping generation {}: {}",
                    rules.rollout().generation(),
                    e.getMessage());
        }
    }

    private List<RuleFile> fetchFiles(String version) {
        JsonNode set = call(HttpRequest.newBuilder(sets.resolve(version)).GET());
        List<RuleFile> files = new java.util.ArrayList<>();
        for (JsonNode f : set.path("files")) {
            files.add(new RuleFile(f.path("name").asString(), f.path("text").asString()));
        }
        return files;
    }

    private static HttpRequest.Builder post(URI uri, byte[] body) {
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    /** The {@code result} of the API's envelope; throws naming the status and the reply. */
    private JsonNode call(HttpRequest.Builder b) {
        HttpRequest req =
                b.header("Authorization", "Bearer " + serviceToken)
                        .timeout(Duration.ofSeconds(30))
                        .build();
        HttpResponse<byte[]> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException e) {
            throw new RuleRolloutException(req.method() + " " + req.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuleRolloutException(req.method() + " " + req.uri() + ": interrupted", e);
        }
        String text = new String(resp.body(), java.nio.charset.StandardCharsets.UTF_8);
        if (resp.statusCode() != 200) {
            throw new RuleRolloutException(
                    req.method()
                            + " "
                            + req.uri()
                            + " answered "
                            + resp.statusCode()
                            + ": "
                            + text.substring(0, Math.min(500, text.length())));
        }
        return JSON.readTree(text).path("result");
    }

    /** What the report says: this process, what it holds and what it counted. */
    record SyncRequest(
            String workerId,
            long generation,
            List<String> versions,
            List<RolloutCounts.ShadowRow> shadow,
            List<RolloutCounts.Example> examples,
            List<RolloutCounts.CohortRow> cohorts) {}

    /** This process's id in the API's list of workers. */
    public String workerId() {
        return workerId;
    }

    /** Syncs that failed so far. */
    public long failures() {
        return failures.get();
    }

    /** Why the last sync failed, empty once one succeeds. */
    public java.util.Optional<String> lastError() {
        return java.util.Optional.ofNullable(lastError.get());
    }

    @Override
    public void close() {
        closed = true;
        Thread t = loop.get();
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        http.close();
    }
}
