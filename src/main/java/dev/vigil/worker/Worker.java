package dev.vigil.worker;

import dev.vigil.events.Lane;
import dev.vigil.events.VigilHeaders;
import dev.vigil.telemetry.HealthCheck;
import dev.vigil.telemetry.Tracing;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The worker role for one lane: {@link WorkerConfig#consumers()} batch consumers in the lane's
 * consumer group, sharing one {@link ScanHandler}. The fast and slow groups read the same topic;
 * each skips the other's requests.
 *
 * <p>Closing stops every consumer (each drains its batch within the shutdown deadline).
 */
public final class Worker implements AutoCloseable {
    private final Lane lane;
    private final ScanHandler scans;
    private final ResilientHandler handler;
    private final Metered metered;
    private final List<BatchConsumer> consumers;

    private Worker(
            Lane lane,
            ScanHandler scans,
            Metered metered,
            ResilientHandler handler,
            List<BatchConsumer> consumers) {
        this.lane = lane;
        this.scans = scans;
        this.metered = metered;
        this.handler = handler;
        this.consumers = consumers;
    }

    /** The consumer group of a lane. */
    public static String groupId(Lane lane) {
        return "vigil-workers-" + lane.wire();
    }

    public static Worker start(
            String bootstrap,
            String topic,
            Lane lane,
            WorkerConfig config,
            ScanHandler scans,
            DeadLetterPublisher deadLetters,
            Clock clock) {
        return start(bootstrap, topic, lane, config, scans, deadLetters, clock, Tracing.noop());
    }

    /**
     * Starts the lane's consumers; each request of this lane is handled under a consumer span that
     * continues the trace of its {@code traceparent} header.
     */
    public static Worker start(
            String bootstrap,
            String topic,
            Lane lane,
            WorkerConfig config,
            ScanHandler scans,
            DeadLetterPublisher deadLetters,
            Clock clock,
            Tracing tracing) {
        Metered metered = new Metered(lane, scans);
        ResilientHandler handler =
                new ResilientHandler(
                        metered, ScanHandler::isRetriable, config.retry(), deadLetters, clock);
        List<BatchConsumer> list =
                ConsumerGroup.start(
                        bootstrap,
                        groupId(lane),
                        "vigil-worker-" + lane.wire(),
                        topic,
                        config,
                        new TracedRecords(
                                handler, tracing, r -> VigilHeaders.lane(r.headers()) == lane));
        return new Worker(lane, scans, metered, handler, list);
    }

    public Lane lane() {
        return lane;
    }

    public ScanHandler scans() {
        return scans;
    }

    public long retries() {
        return handler.retries();
    }

    public long deadLettered() {
        return handler.deadLettered();
    }

    /** Records taken off the topic by this lane's consumers, the other lane's included. */
    public long records() {
        return metered.records.get();
    }

    /** Scans of this lane running now. */
    public int inFlight() {
        return metered.inFlight.get();
    }

    /** Reports every scan attempt from now on to {@code observer} (replacing the previous one). */
    public void observe(ScanObserver observer) {
        metered.observer = observer;
    }

    /**
     * The Kafka consumers, for metric binders only: they may call {@code metrics()}, which is
     * thread-safe, and nothing else (the consumers belong to their polling threads).
     */
    public List<Consumer<?, ?>> kafkaConsumers() {
        return ConsumerGroup.kafkaConsumers(consumers);
    }

    /** True while every consumer is polling. */
    public boolean healthy() {
        return ConsumerGroup.healthy(consumers);
    }

    /** Readiness: every consumer polling and assigned its share of the group's partitions. */
    public HealthCheck.Status readiness() {
        return ConsumerGroup.readiness(consumers, groupId(lane));
    }

    @Override
    public void close() {
        ConsumerGroup.close(consumers);
    }

    /** Counts records and times the attempts of this lane's scans around the handler. */
    private static final class Metered implements ResilientHandler.Work {
        private final Lane lane;
        private final ScanHandler scans;
        private final AtomicLong records = new AtomicLong();
        private final AtomicInteger inFlight = new AtomicInteger();
        private volatile ScanObserver observer = ScanObserver.NONE;

        Metered(Lane lane, ScanHandler scans) {
            this.lane = lane;
            this.scans = scans;
        }

        @Override
        public void handle(ConsumerRecord<String, byte[]> record) throws Exception {
            records.incrementAndGet();
            if (VigilHeaders.lane(record.headers()) != lane) {
                scans.handle(record); // skipped at once: not a scan of this lane
                return;
            }
            inFlight.incrementAndGet();
            long t0 = System.nanoTime();
            boolean failed = true;
            try {
                scans.handle(record);
                failed = false;
            } finally {
                inFlight.decrementAndGet();
                observer.scanned(System.nanoTime() - t0, failed);
            }
        }
    }
}
