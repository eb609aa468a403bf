package dev.vigil.bench.internal;

import dev.vigil.app.LocalPipeline;
import dev.vigil.app.Wiring;
import dev.vigil.checks.RuleSetHolder;
import dev.vigil.checks.RuleSets;
import dev.vigil.config.Env;
import dev.vigil.events.KafkaClients;
import dev.vigil.inventory.Target;
import dev.vigil.results.ResultBatcher;
import dev.vigil.results.ResultsClient;
import dev.vigil.results.ScanResult;
import dev.vigil.sources.ConfigDocument;
import dev.vigil.sources.HttpConfigSource;
import dev.vigil.sources.PermanentSourceException;
import dev.vigil.sources.SnapshotConfigSource;
import dev.vigil.telemetry.Tracing;
import dev.vigil.tokens.ApiTokens;
import dev.vigil.worker.ChangeWorker;
import dev.vigil.worker.WorkerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jspecify.annotations.Nullable;

/**
 * The change path of a {@link LocalPipeline} under the benchmark's control: change workers that the
 * benchmark starts and stops (so events can queue up in Kafka first), built from the same parts as
 * the pipeline's own (snapshot fetch from the API, the catalogue, results through HTTP in batches
 * as a worker sends them), plus a record of when each change's result was stored.
 */
public final class ChangeRig implements AutoCloseable {
    private final LocalPipeline pipeline;
    private final SnapshotConfigSource snapshots;
    private final ResultsClient results;
    private final ResultBatcher batcher;
    private final KafkaProducer<String, byte[]> producer;
    private final RuleSetHolder rules = RuleSetHolder.fixed(RuleSets.catalogue());
    private final WorkerConfig config = WorkerConfig.from(Env.of(Map.of()));
    private final Map<UUID, Long> stored = new ConcurrentHashMap<>();
    private final AtomicLong storedCount = new AtomicLong();
    private final AtomicLong uncommitted = new AtomicLong();
    private final AtomicLong firstNanos = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastNanos = new AtomicLong();
    private volatile @Nullable ChangeWorker worker;
    private long deadLettered;
    private long checksRun;
    private long folded;

    public ChangeRig(LocalPipeline pipeline) {
        this.pipeline = pipeline;
        String token = ApiTokens.create(pipeline.database()).issueService("bench-changes");
        this.snapshots =
                SnapshotConfigSource.create(
                        pipeline.apiUrl(),
                        token,
                        Duration.ofSeconds(10),
                        HttpConfigSource.DEFAULT_MAX_DOCUMENT_BYTES);
        this.results = ResultsClient.create(pipeline.apiUrl(), token, Duration.ofSeconds(60));
        this.batcher = WorkerConfig.resultBatcher(results, Env.of(Map.of()));
        this.producer = KafkaClients.producer(pipeline.kafkaBootstrap(), "bench-changes");
    }

    /**
     * Starts change workers in the pipeline's group: they resume where the last ones stopped. The
     * first polled batch starts the {@link #span} (so joining the group is not counted, and the
     * first batch's work is).
     */
    public void start() {
        if (worker != null) {
            throw new IllegalStateException("change workers already running");
        }
        ChangeWorker w =
                Wiring.changeWorker(
                        new Wiring.Kafka(pipeline.kafkaBootstrap(), pipeline.topics(), producer),
                        config,
                        this::fetch,
                        new Wiring.Scans(rules, this::store, Tracing.noop(), Clock.systemUTC()));
        worker = w;
        Thread.ofVirtual()
                .name("bench-changes-first-batch")
                .start(
                        () -> {
                            try {
                                while (worker == w && w.batches() == 0) {
                                    Thread.sleep(1);
                                }
                                firstNanos.accumulateAndGet(System.nanoTime(), Math::min);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
    }

    /**
     * Waits until every change-worker consumer has joined the group and got its partitions, so a
     * measurement that starts now does not count the group's join.
     *
     * @throws IllegalStateException when they have not joined within {@code timeout}
     */
    public void awaitJoined(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ChangeWorker w = worker;
        while (w == null || !w.readiness().ready()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "change workers not joined within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(10);
            w = worker;
        }
    }

    /** Stops the change workers; what they finished is committed. */
    public void stop() {
        ChangeWorker w = worker;
        if (w != null) {
            w.close();
            deadLettered += w.deadLettered();
            checksRun += w.changes().checksRun();
            folded += w.changes().folded();
            worker = null;
        }
    }

    /**
     * The snapshot fetch, retried for up to 20 × 10 ms when the API answers 404. The API publishes
     * a change event before its transaction commits the version (the event is sent, and
     * acknowledged, while the per-target lock is held), so a fast change worker can ask for a
     * version that is not yet visible; the production worker dead-letters that as permanent. The
     * benchmark counts these races ({@link #uncommittedFetches}) and reports them instead of
     * failing on the first.
     */
    private ConfigDocument fetch(Target target, long version) {
        for (int attempt = 0; ; attempt++) {
            try {
                return snapshots.fetch(target, version);
            } catch (PermanentSourceException e) {
                if (attempt >= 20 || !String.valueOf(e.getMessage()).contains("status 404")) {
                    throw e;
                }
                uncommitted.incrementAndGet();
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Snapshot fetches that found their version not yet committed, and were retried. */
    public long uncommittedFetches() {
        return uncommitted.get();
    }

    /** Sends {@code r} the way a worker does (with the results of other scans: group commit). */
    private void store(ScanResult r) {
        batcher.submit(r);
        long now = System.nanoTime();
        stored.put(r.scanId(), now);
        storedCount.incrementAndGet();
        lastNanos.accumulateAndGet(now, Math::max);
    }

    /** Forgets the first and last store times: the next {@link #span} starts here. */
    public void resetSpan() {
        firstNanos.set(Long.MAX_VALUE);
        lastNanos.set(0);
    }

    /**
     * Nanoseconds from the first batch polled by workers started after {@link #resetSpan} to the
     * last result stored.
     */
    public long span() {
        return lastNanos.get() - firstNanos.get();
    }

    /** Results stored so far. */
    public long stored() {
        return storedCount.get();
    }

    /**
     * Change events done so far: each stored result, and each event folded into a newer version of
     * its target evaluated in its place.
     */
    public long done() {
        ChangeWorker w = worker;
        return storedCount.get() + folded + (w == null ? 0 : w.changes().folded());
    }

    /**
     * Events folded into a newer version of their target so far, by running and stopped workers.
     */
    public long folded() {
        ChangeWorker w = worker;
        return folded + (w == null ? 0 : w.changes().folded());
    }

    /** When the result of {@code scanId} was stored ({@link System#nanoTime}), or null. */
    public @Nullable Long storedAt(UUID scanId) {
        return stored.get(scanId);
    }

    /** The rules the change workers evaluate. */
    public RuleSetHolder rules() {
        return rules;
    }

    /** Changes dead-lettered so far, by running and stopped workers. */
    public long deadLettered() {
        ChangeWorker w = worker;
        return deadLettered + (w == null ? 0 : w.deadLettered());
    }

    /** Checks run so far over all changes: how much work each way did. */
    public long checksRun() {
        ChangeWorker w = worker;
        return checksRun + (w == null ? 0 : w.changes().checksRun());
    }

    /** The pipeline's database, for what the benchmark reads beside its own counts. */
    public DataSource database() {
        return pipeline.database();
    }

    /** True unless a running worker's consumer stopped. */
    public boolean healthy() {
        ChangeWorker w = worker;
        return w == null || w.healthy();
    }

    @Override
    public void close() {
        stop();
        results.close();
        snapshots.close();
        producer.close(Duration.ofSeconds(5));
    }
}
