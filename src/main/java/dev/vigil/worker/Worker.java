package dev.vigil.worker;

import dev.vigil.events.KafkaClients;
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
 * each drops the other's requests at the consumer, the lane header read once per record, so they
 * reach neither the span, nor the retries, nor the handler.
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
        Metered metered = new Metered(scans);
        ResilientHandler handler =
                new ResilientHandler(metered, config.retry(), deadLetters, clock);
        List<BatchConsumer> list =
                ConsumerGroup.start(
                        bootstrap,
                        groupId(lane),
                        "vigil-worker-" + lane.wire(),
                        topic,
                        config,
                        lane == Lane.SLOW
                                ? KafkaClients.FetchWait.PATIENT
                                : KafkaClients.FetchWait.PROMPT,
                        metered::accept,
                        ChainHandler.each(new TracedRecords(handler, tracing)));
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

    /** The other lane's records, dropped by this lane's consumers. */
    public long skipped() {
        return metered.skipped.get();
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

    /**
     * The lane's edge (which records are this lane's: {@link #accept}, on the polling threads) and
     * the attempts of its scans (counted and timed around the handler).
     */
    private static final class Metered implements ResilientHandler.Work {
        private final ScanHandler scans;
        private final AtomicLong records = new AtomicLong();
        private final AtomicLong skipped = new AtomicLong();
        private final AtomicInteger inFlight = new AtomicInteger();
        private volatile ScanObserver observer = ScanObserver.NONE;

        Metered(ScanHandler scans) {
            this.scans = scans;
        }

        /** Whether {@code record} is a request of this lane: the one read of its lane header. */
        boolean accept(ConsumerRecord<String, byte[]> record) {
            records.incrementAndGet();
            if (VigilHeaders.lane(record.headers()) != scans.lane()) {
                skipped.incrementAndGet();
                return false;
            }
            return true;
        }

        @Override
        public void handle(ConsumerRecord<String, byte[]> record) throws Exception {
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
