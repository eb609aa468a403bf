package dev.vigil.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.events.KafkaClients;
import dev.vigil.testing.Acks;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
}
