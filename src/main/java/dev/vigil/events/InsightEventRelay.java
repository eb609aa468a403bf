package dev.vigil.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the insight-event outbox to {@link Topics#insightEvents()} (issue 21): each pass, in
 * one database transaction, takes the relay lock, reads up to a batch of the oldest queued
 * transitions, sends them keyed by insight, waits for every acknowledgement (the producer's {@code
 * delivery.timeout.ms} bounds the wait) and takes them off the queue; any failure rolls the
 * transaction back, so the rows stay and the next pass, after a backoff doubling up to {@link
 * InsightEventSettings#maxBackoff()}, sends them again.
 *
 * <p>Delivery is at least once, in queue order per insight: an event sent again after a failure
 * that Kafka had in fact stored (acknowledged, then the delete failed) arrives twice with the same
 * event id, which consumers deduplicate on. The idempotent producer keeps its own retries (a broker
 * restart) from duplicating anything. Every api replica runs a relay; the lock lets one publish at
 * a time (see {@link InsightEventOutbox}).
 *
 * <p>Exports {@code vigil_insight_events_published_total}, {@code
 * vigil_insight_events_publish_failures_total} (failed passes), {@code
 * vigil_insight_events_outbox_rows} and {@code vigil_insight_events_outbox_oldest_seconds} (read
 * after each pass, at most every {@link #STATS_EVERY_NANOS} ns; -1 before the first read).
 *
 * <p>Thread-safe: passes run on the relay's one thread; the figures are volatile fields it writes.
 */
public final class InsightEventRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InsightEventRelay.class);

    /** The backlog read costs up to this many index entries; a larger backlog reads as this. */
    static final int BACKLOG_CAP = 1_000_000;

    private static final long STATS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Jdbi jdbi;
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final InsightEventCodec codec;
    private final InsightEventSettings settings;
    private final ScheduledExecutorService timer;
    private final Counter published;
    private final Counter failures;
    private volatile double backlogRows = -1;
    private volatile double oldestSeconds = -1;
    private long statsAt = System.nanoTime() - STATS_EVERY_NANOS;
    private int failedInARow;

    private InsightEventRelay(
            Jdbi jdbi,
            Producer<String, byte[]> producer,
            String topic,
            InsightEventSettings settings,
            MeterRegistry registry) {
        this.jdbi = jdbi;
        this.producer = producer;
        this.topic = topic;
        this.codec = InsightEventCodec.create();
        this.settings = settings;
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "insight-event-relay");
                            t.setDaemon(true);
                            return t;
                        });
        this.published =
                Counter.builder("vigil_insight_events_published_total")
                        .description(
                                "insight events Kafka acknowledged on the insight-events topic")
                        .register(registry);
        this.failures =
                Counter.builder("vigil_insight_events_publish_failures_total")
                        .description("relay passes that failed (Kafka or the database); retried")
                        .register(registry);
        Gauge.builder("vigil_insight_events_outbox_rows", this, x -> x.backlogRows)
                .description("insight events queued and not yet published (-1: not read yet)")
                .strongReference(true)
                .register(registry);
        Gauge.builder("vigil_insight_events_outbox_oldest_seconds", this, x -> x.oldestSeconds)
                .description("age of the oldest unpublished insight event (0: none; -1: not read)")
                .strongReference(true)
                .register(registry);
    }

    /**
     * Sets the database's queuing to {@code settings.enabled()} and, when on, starts publishing
     * from {@code dataSource} through {@code producer} (the caller's, closed after this) to {@code
     * topic}, a first pass at once. Metrics are registered on {@code registry} either way.
     */
    public static InsightEventRelay start(
            DataSource dataSource,
            Producer<String, byte[]> producer,
            String topic,
            InsightEventSettings settings,
            MeterRegistry registry) {
        Jdbi jdbi = Jdbi.create(dataSource);
        InsightEventOutbox.enable(jdbi, settings.enabled());
        InsightEventRelay relay = new InsightEventRelay(jdbi, producer, topic, settings, registry);
        if (settings.enabled()) {
            relay.schedule(0);
        } else {
            log.info("insight events are off: no transition is queued or published");
        }
        return relay;
    }

    /**
     * Turns queuing off in {@code dataSource}'s database: for an api role without Kafka, where no
     * relay could drain the queue.
     */
    public static void disable(DataSource dataSource) {
        InsightEventOutbox.enable(Jdbi.create(dataSource), false);
    }

    private void schedule(long delayMillis) {
        try {
            var _ = timer.schedule(this::pass, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile: the queued rows wait for the next start
        }
    }

    private void pass() {
        long delay;
        try {
            int n = publishBatch();
            published.increment(n); // counted once committed
            failedInARow = 0;
            delay = n >= settings.batchSize() ? 0 : settings.every().toMillis();
        } catch (RuntimeException e) {
            failures.increment();
            failedInARow++;
            delay = backoffMillis();
            log.warn(
                    "publishing insight events to {} failed ({} in a row); the rows stay queued"
                            + " and are sent again in {} ms: {}",
                    topic,
                    failedInARow,
                    delay,
                    e.toString());
        }
        refreshBacklog();
        if (!Thread.currentThread().isInterrupted()) {
            schedule(delay);
        }
    }

    private long backoffMillis() {
        long base = settings.every().toMillis();
        long max = settings.maxBackoff().toMillis();
        int shift = Math.min(failedInARow - 1, 20);
        return Math.min(max, base << shift);
    }

    /**
     * One batch in one transaction: lock, read, send, wait, delete. Returns the rows published (0
     * when none waits or another replica holds the lock).
     *
     * @throws PublishException when Kafka refused or did not acknowledge a record (rolled back)
     */
    int publishBatch() {
        return jdbi.inTransaction(
                h -> {
                    if (!InsightEventOutbox.tryLock(h)) {
                        return 0;
                    }
                    List<InsightEventOutbox.Queued> rows =
                            InsightEventOutbox.claim(h, settings.batchSize());
                    if (rows.isEmpty()) {
                        return 0;
                    }
                    List<InsightEventOutbox.Queued> sent = new ArrayList<>(rows.size());
                    List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
                    for (InsightEventOutbox.Queued q : rows) {
                        InsightEvent e = q.event();
                        if (e == null) {
                            continue;
                        }
                        sent.add(q);
                        acks.add(
                                producer.send(
                                        new ProducerRecord<>(
                                                topic,
                                                e.key(),
                                                codec.encode(e, settings.framing()))));
                    }
                    awaitAll(acks, sent);
                    if (sent.size() < rows.size()) {
                        log.warn(
                                "{} queued insight events lost their audit row or insight before"
                                        + " they were published (audit retention shorter than"
                                        + " the backlog?); dropped unpublished",
                                rows.size() - sent.size());
                    }
                    InsightEventOutbox.delete(h, rows);
                    return sent.size();
                });
    }

    private void awaitAll(List<Future<RecordMetadata>> acks, List<InsightEventOutbox.Queued> rows) {
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get();
            } catch (ExecutionException e) {
                throw PublishException.of(failure(rows, i), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw PublishException.of(failure(rows, i), e);
            }
        }
    }

    private String failure(List<InsightEventOutbox.Queued> rows, int i) {
        InsightEvent e = rows.get(i).event();
        return "insight event "
                + (e == null ? "?" : e.eventId())
                + " (audit id "
                + rows.get(i).id()
                + ", "
                + (i + 1)
                + " of a batch of "
                + rows.size()
                + ") was not acknowledged by "
                + topic;
    }

    private void refreshBacklog() {
        long now = System.nanoTime();
        if (now - statsAt < STATS_EVERY_NANOS) {
            return;
        }
        statsAt = now;
        try {
            InsightEventOutbox.Backlog b = InsightEventOutbox.backlog(jdbi, BACKLOG_CAP);
            backlogRows = b.rows();
            oldestSeconds = b.oldestSeconds();
        } catch (RuntimeException e) {
            log.warn(
                    "reading the insight-event backlog failed, keeping the last figures: {}",
                    e.toString());
        }
    }

    /** Stops after the pass in progress (interrupted: its rows stay queued). */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("the insight-event relay did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
