package dev.vigil.sources;

import dev.vigil.inventory.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A config source held in memory, for tests and the synthetic fleet: documents keyed by target id,
 * with failures that can be planted per target. Thread-safe (concurrent maps); fetches take no time
 * and report a zero fetch time.
 */
public final class InMemoryConfigSource implements ConfigSource {

    private record PlantedFailure(ConfigSourceException failure, AtomicInteger remaining) {}

    private final Map<String, byte[]> documents = new ConcurrentHashMap<>();
    private final Map<String, PlantedFailure> failures = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();

    private InMemoryConfigSource() {}

    public static InMemoryConfigSource create() {
        return new InMemoryConfigSource();
    }

    /** Serves this document for the target from now on. The array must not be modified later. */
    public InMemoryConfigSource put(String targetId, byte[] json) {
        documents.put(targetId, json);
        return this;
    }

    /** Serves this JSON text (UTF-8) for the target from now on. */
    public InMemoryConfigSource put(String targetId, String json) {
        return put(targetId, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Forgets the target: its fetches fail permanently, as a 404 would. */
    public InMemoryConfigSource remove(String targetId) {
        documents.remove(targetId);
        return this;
    }

    /**
     * Makes the next {@code times} fetches of the target throw {@code failure} (the same instance
     * each time); later fetches are served normally again. {@code Integer.MAX_VALUE} fails for
     * good.
     */
    public InMemoryConfigSource fail(String targetId, ConfigSourceException failure, int times) {
        failures.put(targetId, new PlantedFailure(failure, new AtomicInteger(times)));
        return this;
    }

    /** How many times the target was fetched, failed fetches included. */
    public int fetchCount(String targetId) {
        AtomicInteger n = fetches.get(targetId);
        return n == null ? 0 : n.get();
    }

    @Override
    public ConfigDocument fetch(Target target) {
        String targetId = target.targetId();
        fetches.computeIfAbsent(targetId, id -> new AtomicInteger()).incrementAndGet();
        PlantedFailure planted = failures.get(targetId);
        if (planted != null && planted.remaining().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw planted.failure();
        }
        byte[] json = documents.get(targetId);
        if (json == null) {
            throw new PermanentSourceException(
                    targetId,
                    "config fetch for target "
                            + targetId
                            + " from memory failed: no document"
                            + " (put one with InMemoryConfigSource.put)",
                    null);
        }
        return new ConfigDocument(target, json, Instant.now(), Duration.ZERO);
    }

    /** Over the budget when the document is larger than its byte limit (fetches take no time). */
    @Override
    public Fetched fetch(Target target, FetchBudget budget) {
        ConfigDocument doc = fetch(target);
        if (doc.json().length > budget.maxBytes()) {
            return new Fetched.OverBudget(
                    "document of " + doc.json().length + " bytes over " + budget.maxBytes());
        }
        return new Fetched.Document(doc);
    }

    @Override
    public void close() {}
}
