package dev.vigil.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka side of a role's metrics: Micrometer's client binders on every producer and consumer
 * the role created ({@code kafka_producer_*}, {@code kafka_consumer_*}), and the committed-offset
 * lag of each worker lane per partition ({@code vigil_worker_committed_offset_lag}; the change
 * group's as lane {@value #CHANGES_LANE}), measured with an admin client every {@link #LAG_EVERY}
 * (so a scrape never waits for the broker).
 *
 * <p>Closing stops the refreshes and the admin clients; close it before the Kafka clients it binds
 * (register it with the {@link Lifecycle} after them).
 */
final class KafkaMetrics implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaMetrics.class);
    static final Duration LAG_EVERY = Duration.ofSeconds(5);

    /** The {@code lane} tag of the config-change group's lag (its topic is config-changes). */
    static final String CHANGES_LANE = "changes";

    private final MeterRegistry registry;
    private final ScheduledExecutorService refresher;
    private final List<AutoCloseable> owned = new ArrayList<>();

    private KafkaMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.refresher =
                Executors.newSingleThreadScheduledExecutor(
                        Thread.ofPlatform().daemon().name("kafka-metrics").factory());
    }

    static KafkaMetrics on(MeterRegistry registry) {
        return new KafkaMetrics(registry);
    }

    /** Binds the client's own metrics (refreshed by the shared refresher thread). */
    KafkaMetrics producer(Producer<?, ?> producer) {
        return bind(new KafkaClientMetrics(producer, Tags.empty(), refresher));
    }

    /** Binds each consumer's own metrics. */
    KafkaMetrics consumers(List<Consumer<?, ?>> consumers) {
        consumers.forEach(c -> bind(new KafkaClientMetrics(c, Tags.empty(), refresher)));
        return this;
    }

    /**
     * Publishes the committed-offset lag of {@code groupId} on {@code topic}, per partition, tagged
     * with {@code lane}. While the broker does not answer the last values stay.
     */
    KafkaMetrics lag(String bootstrap, String groupId, String topic, String lane) {
        LagProbe probe = new LagProbe(bootstrap, topic);
        owned.add(probe);
        MultiGauge gauge =
                MultiGauge.builder("vigil_worker_committed_offset_lag")
                        .description(
                                "records of the partition not yet committed by the lane's group"
                                        + " (end offset minus committed offset)")
                        .tag("lane", lane)
                        .register(registry);
        Runnable refresh =
                () -> {
                    Map<Integer, Long> lag = probe.byPartition(groupId);
                    if (lag == null) {
                        log.debug("lag of {} on {}: broker did not answer", groupId, topic);
                        return;
                    }
                    List<MultiGauge.Row<?>> rows = new ArrayList<>();
                    lag.forEach(
                            (partition, behind) ->
                                    rows.add(
                                            MultiGauge.Row.of(
                                                    Tags.of(
                                                            "topic",
                                                            topic,
                                                            "partition",
                                                            String.valueOf(partition)),
                                                    behind)));
                    gauge.register(rows, true);
                };
        // the task catches its own failures, so its future never holds one; close() cancels it
        // by shutting the refresher down
        ScheduledFuture<?> _ =
                refresher.scheduleWithFixedDelay(
                        () -> {
                            try {
                                refresh.run();
                            } catch (RuntimeException e) {
                                log.warn(
                                        "measuring the lag of {} failed: {}",
                                        groupId,
                                        e.toString());
                            }
                        },
                        0,
                        LAG_EVERY.toMillis(),
                        TimeUnit.MILLISECONDS);
        return this;
    }

    private KafkaMetrics bind(KafkaClientMetrics binder) {
        binder.bindTo(registry);
        owned.add(binder);
        return this;
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        for (AutoCloseable c : owned.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing a Kafka metrics binder failed: {}", e.toString());
            }
        }
    }
}
