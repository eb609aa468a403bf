package dev.vigil.worker;

import dev.vigil.events.Lane;
import dev.vigil.events.VigilHeaders;
import dev.vigil.telemetry.HealthCheck;
import dev.vigil.telemetry.Tracing;
import java.time.Clock;
import java.util.List;

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
    private final List<BatchConsumer> consumers;

    private Worker(
            Lane lane, ScanHandler scans, ResilientHandler handler, List<BatchConsumer> consumers) {
        this.lane = lane;
        this.scans = scans;
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
        ResilientHandler handler =
                new ResilientHandler(
                        scans, ScanHandler::isRetriable, config.retry(), deadLetters, clock);
        List<BatchConsumer> list =
                ConsumerGroup.start(
                        bootstrap,
                        groupId(lane),
                        "vigil-worker-" + lane.wire(),
                        topic,
                        config,
                        new TracedRecords(
                                handler, tracing, r -> VigilHeaders.lane(r.headers()) == lane));
        return new Worker(lane, scans, handler, list);
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
}
