package dev.vigil.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.app.LagProbe;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.VigilHeaders;
import dev.vigil.results.RetriableResultsException;
import dev.vigil.testing.Acks;
import dev.vigil.testing.TestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BatchConsumerIT {
    @RegisterExtension static final TestBroker broker = new TestBroker("test");

    @Test
    void recordsOfOneKeyAreProcessedInOrderAndAllOffsetsCommitted() throws Exception {
        String topic = "order-test";
        broker.kafka().createTopic(topic, 6);
        int keys = 40;
        int perKey = 50;
        List<Future<?>> acks = new ArrayList<>();
        for (int i = 0; i < perKey; i++) {
            for (int k = 0; k < keys; k++) {
                acks.add(
                        broker.producer()
                                .send(
                                        new ProducerRecord<>(
                                                topic,
                                                "key-" + k,
                                                Integer.toString(i)
                                                        .getBytes(StandardCharsets.UTF_8))));
            }
        }
        broker.producer().flush();
        Acks.awaitAll(acks);
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        RecordHandler handler =
                r -> {
                    int now = concurrent.incrementAndGet();
                    maxConcurrent.accumulateAndGet(now, Math::max);
                    Thread.sleep(ThreadLocalRandom.current().nextInt(3));
                    seen.computeIfAbsent(r.key(), k -> new ArrayList<>())
                            .add(Integer.parseInt(new String(r.value(), StandardCharsets.UTF_8)));
                    concurrent.decrementAndGet();
                };
        try (BatchConsumer c =
                BatchConsumer.start(
                        consumer("order-group"),
                        topic,
                        handler,
                        16,
                        Duration.ofSeconds(10),
                        "t-order")) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> c.processed() == (long) keys * perKey);
            assertThat(c.batches()).isPositive();
        }
        assertThat(seen).hasSize(keys);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < perKey; i++) {
            expected.add(i);
        }
        seen.values().forEach(list -> assertThat(list).isEqualTo(expected));
        assertThat(maxConcurrent.get())
                .as("keys ran in parallel")
                .isGreaterThan(1)
                .isLessThanOrEqualTo(16);
        assertThat(lag("order-group", topic)).isZero();
    }

    @Test
    void aFailingHandlerLeavesTheBatchUncommittedAndItIsConsumedAgain() throws Exception {
        String topic = "failure-test";
        broker.kafka().createTopic(topic, 1);
        List<Future<?>> acks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            acks.add(
                    broker.producer()
                            .send(new ProducerRecord<>(topic, "k" + i, new byte[] {(byte) i})));
        }
        broker.producer().flush();
        Acks.awaitAll(acks);
        RecordHandler failing =
                r -> {
                    if (r.value()[0] == 7) {
                        throw new IllegalStateException("boom");
                    }
                };
        BatchConsumer c =
                BatchConsumer.start(
                        consumer("failure-group"),
                        topic,
                        failing,
                        4,
                        Duration.ofSeconds(5),
                        "t-fail");
        await().atMost(Duration.ofSeconds(30)).until(() -> !c.isRunning());
        c.close();
        assertThat(c.failure()).hasRootCauseMessage("boom");
        assertThat(lag("failure-group", topic)).isEqualTo(10);

        Set<Byte> again = ConcurrentHashMap.newKeySet();
        try (BatchConsumer retry =
                BatchConsumer.start(
                        consumer("failure-group"),
                        topic,
                        r -> again.add(r.value()[0]),
                        4,
                        Duration.ofSeconds(5),
                        "t-again")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> retry.processed() == 10);
        }
        assertThat(again).hasSize(10);
        assertThat(lag("failure-group", topic)).isZero();
    }

    @Test
    void permanentFailuresGoToTheDeadLetterTopicWithTheirReasonAndThePartitionMovesOn()
            throws Exception {
        String topic = "dlq-source";
        String dlq = "dlq-target";
        broker.kafka().createTopic(topic, 2);
        broker.kafka().createTopic(dlq, 1);
        List<Future<?>> acks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            acks.add(
                    broker.producer()
                            .send(
                                    new ProducerRecord<>(
                                            topic, "k" + (i % 5), new byte[] {(byte) i})));
        }
        broker.producer().flush();
        Acks.awaitAll(acks);
        AtomicInteger transientFailures = new AtomicInteger();
        ResilientHandler.Work work =
                r -> {
                    if (r.value()[0] == 3) {
                        throw new IllegalArgumentException("invalid document for k3");
                    }
                    if (r.value()[0] == 4 && transientFailures.getAndIncrement() < 2) {
                        throw new RetriableResultsException(
                                "connection reset", new java.io.IOException("connection reset"));
                    }
                };
        ResilientHandler handler =
                new ResilientHandler(
                        work,
                        new RetryPolicy(5, Duration.ofMillis(5), Duration.ofMillis(20)),
                        new DeadLetterPublisher(broker.producer(), dlq),
                        Clock.systemUTC());
        try (BatchConsumer c =
                BatchConsumer.start(
                        consumer("dlq-group"), topic, handler, 8, Duration.ofSeconds(5), "t-dlq")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> c.processed() == 20);
        }
        assertThat(handler.retries()).isEqualTo(2);
        assertThat(handler.deadLettered()).isEqualTo(1);
        assertThat(lag("dlq-group", topic)).isZero();

        try (KafkaConsumer<String, byte[]> reader = consumer("dlq-reader")) {
            reader.subscribe(List.of(dlq));
            List<ConsumerRecord<String, byte[]>> got = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> {
                                reader.poll(Duration.ofMillis(200)).forEach(got::add);
                                return !got.isEmpty();
                            });
            ConsumerRecord<String, byte[]> d = got.getFirst();
            assertThat(d.key()).isEqualTo("k3");
            assertThat(d.value()).containsExactly(3);
            assertThat(VigilHeaders.get(d.headers(), VigilHeaders.DLQ_TOPIC)).isEqualTo(topic);
            assertThat(VigilHeaders.get(d.headers(), VigilHeaders.DLQ_ERROR_TYPE))
                    .isEqualTo(IllegalArgumentException.class.getName());
            assertThat(VigilHeaders.get(d.headers(), VigilHeaders.DLQ_ERROR_MESSAGE))
                    .isEqualTo("invalid document for k3");
            assertThat(VigilHeaders.get(d.headers(), VigilHeaders.DLQ_ATTEMPTS)).isEqualTo("1");
            assertThat(VigilHeaders.get(d.headers(), VigilHeaders.DLQ_OFFSET)).isNotNull();
        }
    }

    /**
     * A record that takes long (a slow config fetch) holds back the commit of its offset, not the
     * records polled after it: they run in newer batches meanwhile, except its own key's next
     * record, which waits for it.
     */
    @Test
    void aSlowRecordHoldsItsOffsetButNotTheRecordsPolledAfterIt() throws Exception {
        String topic = "straggler-test";
        broker.kafka().createTopic(topic, 1);
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Set<String> others = ConcurrentHashMap.newKeySet();
        List<Byte> slow = new CopyOnWriteArrayList<>();
        RecordHandler handler =
                r -> {
                    if (!r.key().equals("slow")) {
                        others.add(r.key());
                        return;
                    }
                    if (r.value()[0] == 0) {
                        slowStarted.countDown();
                        release.await();
                    }
                    slow.add(r.value()[0]);
                };
        try (BatchConsumer c =
                BatchConsumer.start(
                        consumer("straggler-group"),
                        topic,
                        handler,
                        16,
                        Duration.ofSeconds(10),
                        "t-straggler")) {
            Acks.awaitAll(
                    List.of(
                            broker.producer()
                                    .send(new ProducerRecord<>(topic, "slow", new byte[] {0}))));
            assertThat(slowStarted.await(30, TimeUnit.SECONDS)).isTrue();
            List<Future<?>> acks = new ArrayList<>();
            acks.add(broker.producer().send(new ProducerRecord<>(topic, "slow", new byte[] {1})));
            // few enough that even a poll each stays within the batches a consumer keeps in flight
            for (int i = 0; i < 6; i++) {
                acks.add(
                        broker.producer()
                                .send(new ProducerRecord<>(topic, "k" + i, new byte[] {2})));
            }
            Acks.awaitAll(acks);

            await().atMost(Duration.ofSeconds(30)).until(() -> others.size() == 6);
            assertThat(slow).as("the slow key's second record waits for its first").isEmpty();
            assertThat(lag("straggler-group", topic))
                    .as("nothing committed past the unfinished record")
                    .isEqualTo(8);
            assertThat(c.batches()).isGreaterThan(1);

            release.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> lag("straggler-group", topic) == 0);
            assertThat(slow).containsExactly((byte) 0, (byte) 1);
            assertThat(c.processed()).isEqualTo(8);
        } finally {
            release.countDown();
        }
    }

    /**
     * A lane's consumers read the other lane's records too; a poll of nothing else is not committed
     * on its own (that was a commit request per poll for the lane with little work), yet every
     * offset is committed within {@link BatchConsumer#SKIPPED_COMMIT_EVERY}.
     */
    @Test
    void batchesOfRefusedRecordsShareACommit() throws Exception {
        String topic = "refused-test";
        broker.kafka().createTopic(topic, 3);
        KafkaConsumer<String, byte[]> kc = consumer("refused-group");
        AtomicInteger handled = new AtomicInteger();
        int polls = 25;
        try (BatchConsumer c =
                BatchConsumer.start(
                        kc,
                        topic,
                        r -> r.key().startsWith("mine-"),
                        r -> handled.incrementAndGet(),
                        8,
                        Duration.ofSeconds(5),
                        "t-refused")) {
            await().atMost(Duration.ofSeconds(30)).until(c::joined);
            for (int i = 0; i < polls; i++) {
                Acks.awaitAll(
                        List.of(
                                broker.producer()
                                        .send(
                                                new ProducerRecord<>(
                                                        topic, "theirs-" + i, new byte[1]))));
                long want = i + 1L;
                await().atMost(Duration.ofSeconds(30)).until(() -> c.processed() == want);
            }
            assertThat(c.batches()).as("a poll each, mostly").isGreaterThan(polls / 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> lag("refused-group", topic) == 0);
            assertThat(commits(kc))
                    .as("commits for %d batches of refused records", c.batches())
                    .isLessThan(c.batches() / 2);
            Acks.awaitAll(
                    List.of(
                            broker.producer()
                                    .send(new ProducerRecord<>(topic, "mine-1", new byte[1]))));
            await().atMost(Duration.ofSeconds(30)).until(() -> lag("refused-group", topic) == 0);
            assertThat(handled.get()).isEqualTo(1);
        }
    }

    private static long commits(KafkaConsumer<?, ?> kc) {
        return kc.metrics().entrySet().stream()
                .filter(
                        e ->
                                e.getKey().name().equals("commit-total")
                                        && e.getKey()
                                                .group()
                                                .equals("consumer-coordinator-metrics"))
                .mapToLong(e -> Math.round(((Number) e.getValue().metricValue()).doubleValue()))
                .findFirst()
                .orElseThrow();
    }

    private static KafkaConsumer<String, byte[]> consumer(String group) {
        return KafkaClients.consumer(
                broker.bootstrapServers(), group, group + "-" + System.nanoTime(), 100);
    }

    private static long lag(String group, String topic) {
        try (LagProbe probe = new LagProbe(broker.bootstrapServers(), topic)) {
            return probe.lag(group);
        }
    }
}
