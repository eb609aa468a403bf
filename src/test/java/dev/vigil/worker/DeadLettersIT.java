package dev.vigil.worker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.VigilHeaders;
import dev.vigil.testing.Acks;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class DeadLettersIT {

    @Test
    void aPoisonRecordIsDeadLetteredTheRestProceedsAndReplayBringsItBackOnce() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                KafkaProducer<String, byte[]> producer =
                        KafkaClients.producer(kafka.bootstrapServers(), "t")) {
            kafka.createTopic("requests", 3);
            kafka.createTopic("requests.dlq", 1);
            List<Future<?>> acks = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                acks.add(
                        producer.send(
                                new ProducerRecord<>(
                                        "requests", "target-" + i, new byte[] {(byte) i})));
            }
            producer.flush();
            Acks.awaitAll(acks);
            AtomicBoolean fixed = new AtomicBoolean(false);
            Set<Integer> processed = ConcurrentHashMap.newKeySet();
            ResilientHandler handler =
                    new ResilientHandler(
                            r -> {
                                if (r.value()[0] == 13 && !fixed.get()) {
                                    throw new IllegalArgumentException(
                                            "document of target-13 is not an object");
                                }
                                processed.add((int) r.value()[0]);
                            },
                            RetryPolicy.DEFAULT,
                            new DeadLetterPublisher(producer, "requests.dlq"),
                            Clock.systemUTC());
            try (BatchConsumer c =
                    BatchConsumer.start(
                            KafkaClients.consumer(kafka.bootstrapServers(), "g", "g-1", 10),
                            "requests",
                            handler,
                            8,
                            Duration.ofSeconds(5),
                            "t-dlq-replay")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> processed.size() == 29);
                assertThat(processed).doesNotContain(13);

                DeadLetters dl = new DeadLetters(kafka.bootstrapServers(), "requests.dlq");
                assertThat(dl.list())
                        .singleElement()
                        .satisfies(
                                e -> {
                                    assertThat(e.key()).isEqualTo("target-13");
                                    assertThat(e.originalTopic()).isEqualTo("requests");
                                    assertThat(e.errorType()).endsWith("IllegalArgumentException");
                                    assertThat(e.errorMessage()).contains("not an object");
                                });

                fixed.set(true);
                assertThat(dl.replay(e -> e.key() != null && e.key().equals("other"))).isEmpty();
                assertThat(dl.replay(e -> e.errorMessage().contains("not an object"))).hasSize(1);
                await().atMost(Duration.ofSeconds(30)).until(() -> processed.contains(13));
                assertThat(dl.replay(e -> true)).as("already replayed").isEmpty();
                assertThat(processed).hasSize(30);
            }
        }
    }

    /**
     * A filter that skips an entry and matches the ones after it: those are replayed once and the
     * skipped one stays pending. (Replay used to advance only past the contiguous run, so every run
     * replayed the entries behind a skipped one again.)
     */
    @Test
    void entriesReplayedBehindASkippedOneAreDoneAndTheSkippedOneStaysPending() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                KafkaProducer<String, byte[]> producer =
                        KafkaClients.producer(kafka.bootstrapServers(), "t")) {
            kafka.createTopic("requests", 1);
            kafka.createTopic("requests.dlq", 1);
            List<Future<?>> acks = new ArrayList<>();
            for (String key : List.of("a", "skip", "b", "c")) {
                ProducerRecord<String, byte[]> r =
                        new ProducerRecord<>("requests.dlq", key, key.getBytes(UTF_8));
                VigilHeaders.put(r.headers(), VigilHeaders.DLQ_TOPIC, "requests");
                VigilHeaders.put(r.headers(), VigilHeaders.DLQ_ERROR_TYPE, "x.Boom");
                VigilHeaders.put(r.headers(), VigilHeaders.DLQ_ERROR_MESSAGE, "boom " + key);
                acks.add(producer.send(r));
            }
            producer.flush();
            Acks.awaitAll(acks);
            DeadLetters dl = new DeadLetters(kafka.bootstrapServers(), "requests.dlq");

            assertThat(keys(dl.replay(e -> !"skip".equals(e.key()))))
                    .containsExactly("a", "b", "c");
            assertThat(dl.replay(e -> !"skip".equals(e.key()))).as("b and c are done").isEmpty();
            assertThat(keys(dl.replay(e -> true)))
                    .as("the skipped one is pending")
                    .containsExactly("skip");
            assertThat(dl.replay(e -> true)).isEmpty();

            try (KafkaConsumer<String, byte[]> c =
                    KafkaClients.consumer(kafka.bootstrapServers(), "check", "check-1", 100)) {
                TopicPartition tp = new TopicPartition("requests", 0);
                // each replay returned after Kafka acknowledged what it sent: the end is final
                assertThat(c.endOffsets(List.of(tp), Duration.ofSeconds(15)))
                        .as("four entries replayed, none twice")
                        .containsEntry(tp, 4L);
            }
        }
    }

    private static List<String> keys(List<DeadLetters.Entry> entries) {
        return entries.stream().map(e -> String.valueOf(e.key())).toList();
    }
}
