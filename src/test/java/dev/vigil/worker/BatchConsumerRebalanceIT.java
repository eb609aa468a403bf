package dev.vigil.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.app.LagProbe;
import dev.vigil.events.KafkaClients;
import dev.vigil.testing.Acks;
import dev.vigil.testing.TestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A member joining a group whose only member holds a backlog of polled records: the rebalance waits
 * for the records being handled, not for every record polled (those go back uncommitted with the
 * partitions), and nothing is lost or handled out of order per key.
 */
class BatchConsumerRebalanceIT {
    private static final String TOPIC = "rebalance-backlog";
    private static final String GROUP = "rebalance-group";
    private static final int KEYS = 60;
    private static final int PER_KEY = 20;

    @RegisterExtension static final TestBroker broker = new TestBroker("test");

    @Test
    void aMemberJoiningABusyGroupIsAssignedWithoutWaitingForTheBacklogAndNothingIsLost()
            throws Exception {
        broker.kafka().createTopic(TOPIC, 6);
        List<Future<?>> acks = new ArrayList<>();
        for (int i = 0; i < PER_KEY; i++) {
            for (int k = 0; k < KEYS; k++) {
                byte[] value = Integer.toString(i).getBytes(StandardCharsets.UTF_8);
                acks.add(broker.producer().send(new ProducerRecord<>(TOPIC, "key-" + k, value)));
            }
        }
        broker.producer().flush();
        Acks.awaitAll(acks);
        // 100 ms a record, two at a time: the first member polls up to 8 batches of 100 records,
        // about 40 s of work, which a rebalance that waited for every polled record would wait for.
        AtomicLong delayMillis = new AtomicLong(100);
        List<String> handled = new CopyOnWriteArrayList<>();
        RecordHandler handler =
                r -> {
                    Thread.sleep(delayMillis.get());
                    handled.add(r.key() + "=" + new String(r.value(), StandardCharsets.UTF_8));
                };
        try (BatchConsumer first =
                BatchConsumer.start(
                        consumer(), TOPIC, handler, 2, Duration.ofSeconds(60), "t-first")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() >= 10);
            long joining = System.nanoTime();
            try (BatchConsumer second =
                    BatchConsumer.start(
                            consumer(), TOPIC, handler, 2, Duration.ofSeconds(60), "t-second")) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> second.joined() && second.assignedPartitions() > 0);
                Duration joined = Duration.ofNanos(System.nanoTime() - joining);
                assertThat(joined)
                        .as("the join waited for the two records running, not ~40 s of backlog")
                        .isLessThan(Duration.ofSeconds(20));
                assertThat(first.assignedPartitions()).isPositive();

                delayMillis.set(0);
                try (LagProbe lag = new LagProbe(broker.bootstrapServers(), TOPIC)) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> lag.lag(GROUP) == 0);
                }
            }
        }

        Map<String, List<Integer>> firstTimes = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (String h : handled) {
            if (seen.add(h)) {
                int eq = h.indexOf('=');
                firstTimes
                        .computeIfAbsent(h.substring(0, eq), k -> new ArrayList<>())
                        .add(Integer.parseInt(h.substring(eq + 1)));
            }
        }
        assertThat(seen).as("every record handled at least once").hasSize(KEYS * PER_KEY);
        List<Integer> inOrder = new ArrayList<>();
        for (int i = 0; i < PER_KEY; i++) {
            inOrder.add(i);
        }
        firstTimes.forEach(
                (key, values) ->
                        assertThat(values)
                                .as("%s handled for the first time in offset order", key)
                                .isEqualTo(inOrder));
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        return KafkaClients.consumer(
                broker.bootstrapServers(), GROUP, GROUP + "-" + System.nanoTime(), 100);
    }
}
