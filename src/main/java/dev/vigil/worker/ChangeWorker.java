package dev.vigil.worker;

import dev.vigil.events.KafkaClients;
import dev.vigil.telemetry.HealthCheck;
import dev.vigil.telemetry.Tracing;
import java.time.Clock;
import java.util.List;

/**
 * The consumers of the config-change topic: {@link WorkerConfig#consumers()} batch consumers in
 * group {@value #GROUP}, sharing one {@link ChangeHandler} behind a {@link ResilientHandler}
 * ({@link dev.vigil.failure.Failure.Retriable} failures retried, others dead-lettered). A target's
 * versions queued in one poll are folded into one evaluation of the newest ({@link ChangeChains}).
 * One group for the whole fleet: change events have no lanes.
 */
public final class ChangeWorker implements AutoCloseable {
    public static final String GROUP = "vigil-workers-changes";

    private final ChangeHandler changes;
    private final ResilientHandler handler;
    private final List<BatchConsumer> consumers;

    private ChangeWorker(
            ChangeHandler changes, ResilientHandler handler, List<BatchConsumer> consumers) {
        this.changes = changes;
        this.handler = handler;
        this.consumers = consumers;
    }

    public static ChangeWorker start(
            String bootstrap,
            String topic,
            WorkerConfig config,
            ChangeHandler changes,
            DeadLetterPublisher deadLetters,
            Clock clock) {
        return start(bootstrap, topic, config, changes, deadLetters, clock, Tracing.noop());
    }

    /** Starts the consumers; each event is handled under a consumer span continuing its trace. */
    public static ChangeWorker start(
            String bootstrap,
            String topic,
            WorkerConfig config,
            ChangeHandler changes,
            DeadLetterPublisher deadLetters,
            Clock clock,
            Tracing tracing) {
        ResilientHandler handler =
                new ResilientHandler(changes, config.retry(), deadLetters, clock);
        List<BatchConsumer> list =
                ConsumerGroup.start(
                        bootstrap,
                        GROUP,
                        "vigil-worker-changes",
                        topic,
                        config,
                        KafkaClients.FetchWait.PROMPT,
                        r -> true,
                        new ChangeChains(changes, new TracedRecords(handler, tracing), tracing));
        return new ChangeWorker(changes, handler, list);
    }

    public ChangeHandler changes() {
        return changes;
    }

    /** Polled batches started so far, over all consumers. */
    public long batches() {
        return consumers.stream().mapToLong(BatchConsumer::batches).sum();
    }

    public long deadLettered() {
        return handler.deadLettered();
    }

    /** The Kafka consumers, for metric binders only (see {@link Worker#kafkaConsumers()}). */
    public List<org.apache.kafka.clients.consumer.Consumer<?, ?>> kafkaConsumers() {
        return ConsumerGroup.kafkaConsumers(consumers);
    }

    /** True while every consumer is polling. */
    public boolean healthy() {
        return ConsumerGroup.healthy(consumers);
    }

    /** Readiness: every consumer polling and assigned its share of the group's partitions. */
    public HealthCheck.Status readiness() {
        return ConsumerGroup.readiness(consumers, GROUP);
    }

    @Override
    public void close() {
        ConsumerGroup.close(consumers);
    }
}
