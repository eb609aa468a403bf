package dev.vigil.bench.internal;

import dev.vigil.inventory.Target;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pushes zone configurations to the API as their owner would ({@code POST /v1/zones/{id}/config}):
 * each push of a zone alternates between two variants that differ in one section ({@link
 * ChangeKind}; the TLS mode between {@code full} and {@code strict} by default). The naive way
 * names every top-level section as changed, so the change workers rescan the whole document. Pushes
 * go one per call ({@link #push}) or many per call through the batch route ({@link #pushBatch},
 * {@code POST /v1/config:batch}). Thread-safe as long as one zone is pushed by one thread at a
 * time.
 */
public final class ChangePusher implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What the API answered. */
    public record Pushed(Target target, long version, int status) {}

    /** The API refused a push: the benchmark's run is broken. */
    public static final class PushFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PushFailedException(String message, Throwable cause) {
            super(message, cause);
        }

        PushFailedException(String message) {
            super(message);
        }
    }

    private final HttpClient http;
    private final URI api;
    private final String token;
    private final List<Target> zones;
    private final List<byte[][]> variants = new ArrayList<>();
    private final List<String> allSections = new ArrayList<>();
    private final List<List<String>> sectionNames = new ArrayList<>();
    private final AtomicIntegerArray pushes;
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final ChangeKind kind;

    /** Attempts of one call refused for now (503, 429) before the refusal stands. */
    private static final int ATTEMPTS = 10;

    /** The wait when a refusal names none (the API's 503 detail says 2 s). */
    private static final long DEFAULT_RETRY_AFTER_SECONDS = 2;

    /**
     * A pusher of {@code kind}'s changes. Its first push of a zone may change more than that
     * section (the zone's stored version came from the fleet or from another kind's pusher); push
     * every zone once, unmeasured, before measuring.
     */
    public ChangePusher(
            URI api,
            String accountToken,
            List<Target> zones,
            Map<String, byte[]> docs,
            ChangeKind kind) {
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build();
        this.api = api;
        this.token = accountToken;
        this.zones = List.copyOf(zones);
        for (Target z : zones) {
            byte[] raw = docs.get(z.targetId());
            if (raw == null) {
                throw new IllegalArgumentException("no document for zone " + z.targetId());
            }
            ObjectNode doc = (ObjectNode) JSON.readTree(raw);
            byte[][] v = new byte[2][];
            for (int i = 0; i < 2; i++) {
                ObjectNode variant = doc.deepCopy();
                kind.apply(variant, i);
                v[i] = JSON.writeValueAsBytes(variant);
            }
            variants.add(v);
            List<String> names = new ArrayList<>(doc.propertyNames());
            allSections.add(String.join(",", names));
            sectionNames.add(List.copyOf(names));
        }
        this.pushes = new AtomicIntegerArray(zones.size());
        this.kind = kind;
    }

    /** The section this pusher's changes touch. */
    public ChangeKind kind() {
        return kind;
    }

    public int zones() {
        return zones.size();
    }

    /** Zone {@code index}. */
    public Target zone(int index) {
        return zones.get(index);
    }

    /**
     * Zone {@code index}'s document in variant {@code variant} (0 or 1) of this kind's change, as
     * it is pushed; the caller must not change it.
     */
    public byte[] document(int index, int variant) {
        return variants.get(index)[variant];
    }

    /** The sections of zone {@code index}'s document: all a full rescan names as changed. */
    public List<String> sections(int index) {
        return sectionNames.get(index);
    }

    /**
     * Pushes the next version of zone {@code index}.
     *
     * @param fullRescan name every section as changed (the naive way)
     * @throws PushFailedException when the API answers other than 202 or 200
     */
    public Pushed push(int index, boolean fullRescan) {
        Target z = zones.get(index);
        int n = pushes.getAndIncrement(index);
        String query = fullRescan ? "?changed_sections=" + allSections.get(index) : "";
        HttpRequest req =
                HttpRequest.newBuilder(api.resolve("/v1/zones/" + z.targetId() + "/config" + query))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(variants.get(index)[n % 2]))
                        .build();
        HttpResponse<String> res = send(req, "pushing zone " + z.targetId());
        if (res.statusCode() != 202 && res.statusCode() != 200) {
            throw new PushFailedException(
                    "the API answered "
                            + res.statusCode()
                            + " to a push of zone "
                            + z.targetId()
                            + ": "
                            + res.body());
        }
        long version = JSON.readTree(res.body()).path("version").asLong();
        if (res.statusCode() == 202) {
            accepted.incrementAndGet();
        }
        return new Pushed(z, version, res.statusCode());
    }

    /**
     * Pushes the next version of each zone of {@code indexes} in one batch call (one NDJSON line
     * each, distinct zones); answers how many lines were accepted or unchanged.
     *
     * @throws PushFailedException when the API refuses the call or any line
     */
    public int pushBatch(List<Integer> indexes, boolean fullRescan) {
        // Each line is assembled from the prepared document's bytes: the client's own cost stays
        // out of the pushes/s measured (no parse and write of every document per line).
        ByteArrayOutputStream body = new ByteArrayOutputStream(indexes.size() * 4096);
        for (int index : indexes) {
            int n = pushes.getAndIncrement(index);
            ObjectNode head = JSON.createObjectNode();
            head.put("target_id", zones.get(index).targetId());
            if (fullRescan) {
                ArrayNode all = head.putArray("changed_sections");
                for (String name : sectionNames.get(index)) {
                    all.add(name);
                }
            }
            String open = JSON.writeValueAsString(head);
            body.writeBytes(open.substring(0, open.length() - 1).getBytes(StandardCharsets.UTF_8));
            body.writeBytes(",\"document\":".getBytes(StandardCharsets.UTF_8));
            body.writeBytes(variants.get(index)[n % 2]);
            body.write('}');
            body.write('\n');
        }
        HttpRequest req =
                HttpRequest.newBuilder(api.resolve("/v1/config:batch"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/x-ndjson")
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build();
        HttpResponse<String> res = send(req, "a batch push");
        if (res.statusCode() != 200) {
            throw new PushFailedException(
                    "the API answered " + res.statusCode() + " to a batch push: " + res.body());
        }
        List<String> replies = res.body().lines().toList();
        for (String reply : replies) {
            if (reply.contains("\"status\":\"refused\"")) {
                throw new PushFailedException("the API refused a line of a batch push: " + reply);
            }
        }
        if (replies.size() != indexes.size()) {
            throw new PushFailedException(
                    replies.size() + " answers to a batch push of " + indexes.size() + " lines");
        }
        accepted.addAndGet(
                replies.stream().filter(r -> r.contains("\"status\":\"accepted\"")).count());
        return replies.size();
    }

    /**
     * Pushes {@code perZone} versions of every zone from {@code threads} parallel threads (each its
     * own share of the zones, so one zone is pushed by one thread), one call per push or, with
     * {@code batch}, one batch call per thread and version; answers the change events the round
     * announced: the pushes the API accepted as new versions (one equal to the stored version is
     * answered unchanged and announces nothing).
     *
     * @throws PushFailedException when any push failed (after every thread ended)
     */
    public long pushRound(int perZone, boolean full, boolean batch, int threads)
            throws InterruptedException {
        long before = accepted.get();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Integer> mine = new ArrayList<>();
            for (int z = t; z < zones.size(); z += threads) {
                mine.add(z);
            }
            started.add(
                    Thread.ofPlatform()
                            .name("bench-push-" + t)
                            .start(
                                    () -> {
                                        try {
                                            for (int k = 0; k < perZone; k++) {
                                                if (batch) {
                                                    pushBatch(mine, full);
                                                } else {
                                                    mine.forEach(z -> push(z, full));
                                                }
                                            }
                                        } catch (RuntimeException e) {
                                            errors.add(e);
                                        }
                                    }));
        }
        for (Thread t : started) {
            t.join();
        }
        if (!errors.isEmpty()) {
            throw new PushFailedException("a push failed: " + errors.getFirst(), errors.getFirst());
        }
        return accepted.get() - before;
    }

    /**
     * Pushes the API accepted as a new version (each one change event); a push equal to the stored
     * version is answered unchanged and announces nothing.
     */
    public long accepted() {
        return accepted.get();
    }

    /** Calls answered 503 or 429 and sent again after their {@code Retry-After}. */
    public long retried() {
        return retried.get();
    }

    /**
     * Sends {@code req} as a well-behaved owner does: a 503 (the API's pool or database busy) or
     * 429 (the change backlog over its bound) is sent again after its {@code Retry-After}, up to
     * {@link #ATTEMPTS} times. Nothing was stored by a refused call, so repeating it is safe; the
     * latency of a push that waited counts from its first attempt.
     */
    private HttpResponse<String> send(HttpRequest req, String what) {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> res;
            try {
                res = http.send(req, HttpResponse.BodyHandlers.ofString());
                int status = res.statusCode();
                if ((status != 503 && status != 429) || attempt == ATTEMPTS) {
                    return res;
                }
                retried.incrementAndGet();
                long seconds =
                        res.headers()
                                .firstValueAsLong("Retry-After")
                                .orElse(DEFAULT_RETRY_AFTER_SECONDS);
                Thread.sleep(Duration.ofSeconds(Math.clamp(seconds, 1, 10)));
            } catch (IOException e) {
                throw new PushFailedException(what + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PushFailedException("interrupted in " + what, e);
            }
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
