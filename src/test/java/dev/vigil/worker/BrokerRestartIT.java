package dev.vigil.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.events.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The project's producer and batch consumer ride out a broker restart on the same port: sends made
 * while the broker is down complete once it is back, and the consumer group ends with every record
 * handled and committed.
 */
class BrokerRestartIT {

    private static final String TOPIC = "restart-test";
    private static final String GROUP = "restart-group";

    @Test
    void producerAndConsumerGroupSurviveABrokerRestartWithNothingLost() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                KafkaProducer<String, byte[]> producer =
                        KafkaClients.producer(kafka.bootstrapServers(), "restart-producer")) {
            kafka.createTopic(TOPIC, 6);
            Set<String> handled = ConcurrentHashMap.newKeySet();
            RecordHandler handler = r -> handled.add(r.key());
            try (BatchConsumer consumer =
                    BatchConsumer.start(
                            KafkaClients.consumer(kafka.bootstrapServers(), GROUP, "c-0", 100),
                            TOPIC,
                            handler,
                            16,
                            Duration.ofSeconds(10),
                            "restart-consumer")) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                send(producer, sent, 0, 500);
                await().atMost(Duration.ofMinutes(2)).until(() -> handled.size() == 500);

                double closedBefore = connectionsClosed(producer);
                kafka.stop();
                // Sent while the broker is down, as the scheduler would: the records wait in the
                // producer (send() blocks up to max.block.ms if it has no leader for the topic),
                // then nothing is lost.
                List<Future<RecordMetadata>> during = new ArrayList<>();
                Thread sender = Thread.ofPlatform().start(() -> send(producer, during, 500, 1000));
                // The outage is real for the clients once the producer has lost its connection and
                // the sends are made (or blocked): wait for that, however long a busy machine
                // takes.
                await().atMost(Duration.ofMinutes(1))
                        .until(
                                () ->
                                        connectionsClosed(producer) > closedBefore
                                                && doneOrParked(sender));
                kafka.restart();
                sender.join(Duration.ofSeconds(90));
                assertThat(sender.isAlive()).as("sends blocked after the restart").isFalse();
                sent.addAll(during);
                send(producer, sent, 1000, 1500);

                for (Future<RecordMetadata> f : sent) {
                    f.get(120, TimeUnit.SECONDS);
                }
                await().atMost(Duration.ofMinutes(2)).until(() -> handled.size() == 1500);
                await().atMost(Duration.ofMinutes(2)).until(() -> lag(kafka) == 0);
                assertThat(consumer.isRunning()).as("consumer still polling").isTrue();
                assertThat(consumer.failure()).isNull();
            }
        }
    }

    private static void send(
            KafkaProducer<String, byte[]> producer,
            List<Future<RecordMetadata>> sent,
            int from,
            int to) {
        for (int i = from; i < to; i++) {
            sent.add(
                    producer.send(
                            new ProducerRecord<>(
                                    TOPIC,
                                    "key-" + i,
                                    ("v" + i).getBytes(StandardCharsets.UTF_8))));
        }
    }

    /** Connections the producer has seen closed so far (its {@code connection-close-total}). */
    private static double connectionsClosed(KafkaProducer<String, byte[]> producer) {
        return producer.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("producer-metrics"))
                .filter(e -> e.getKey().name().equals("connection-close-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    /** The thread has finished, or waits (in send(), for a leader or for buffer space). */
    private static boolean doneOrParked(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.TERMINATED
                || s == Thread.State.WAITING
                || s == Thread.State.TIMED_WAITING;
    }

    private static long lag(EmbeddedKafka kafka) throws Exception {
        Admin admin = kafka.admin();
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(GROUP)
                        .partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
        for (int p = 0; p < 6; p++) {
            request.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
        }
        long lag = 0;
        for (var e : admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            lag += e.getValue().offset() - (c == null ? 0 : c.offset());
        }
        return lag;
    }
}
