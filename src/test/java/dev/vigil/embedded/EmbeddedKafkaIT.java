package dev.vigil.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.embedded.internal.LocalResources;
import dev.vigil.testing.Acks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaIT {

    @Test
    void everyRecordProducedToAFreshThirtyPartitionTopicIsConsumedByAGroup() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("scan-requests", 30);

            try (KafkaProducer<String, String> producer = producer(kafka)) {
                List<Future<?>> acks = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    acks.add(
                            producer.send(
                                    new ProducerRecord<>("scan-requests", "target-" + i, "v" + i)));
                }
                producer.flush();
                Acks.awaitAll(acks);
            }

            Set<String> keys = new HashSet<>();
            Set<Integer> partitions = new HashSet<>();
            try (KafkaConsumer<String, String> consumer = consumer(kafka)) {
                consumer.subscribe(List.of("scan-requests"));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (keys.size() < 1000 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        keys.add(r.key());
                        partitions.add(r.partition());
                    }
                }
            }
            assertThat(keys).hasSize(1000).contains("target-0", "target-999");
            assertThat(partitions).hasSize(30);
        }
    }

    @Test
    void restartKeepsThePortsTopicsRecordsAndCommittedOffsets() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("kept", 3);
            try (KafkaProducer<String, String> producer = producer(kafka)) {
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>("kept", "k" + i, "v" + i)).get();
                }
            }
            int seen;
            try (KafkaConsumer<String, String> consumer = consumer(kafka)) {
                consumer.subscribe(List.of("kept"));
                seen = pollUntil(consumer, 100);
                consumer.commitSync();
            }
            int broker = kafka.brokerPort();

            kafka.stop();
            assertThat(LocalResources.isListening(broker)).isFalse();
            kafka.restart();

            assertThat(kafka.brokerPort()).isEqualTo(broker);
            assertThat(LocalResources.isListening(broker)).isTrue();
            try (KafkaProducer<String, String> producer = producer(kafka)) {
                for (int i = 100; i < 150; i++) {
                    producer.send(new ProducerRecord<>("kept", "k" + i, "v" + i)).get();
                }
            }
            try (KafkaConsumer<String, String> consumer = consumer(kafka)) {
                consumer.subscribe(List.of("kept"));
                // the group resumes after its committed offsets: only the 50 new records
                assertThat(pollUntil(consumer, 50)).isEqualTo(50);
            }
            assertThat(seen).isEqualTo(100);
        }
    }

    private static int pollUntil(KafkaConsumer<String, String> consumer, int expected) {
        int n = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (n < expected && System.nanoTime() < deadline) {
            n += consumer.poll(Duration.ofMillis(200)).count();
        }
        // a little longer: nothing beyond the expected records may arrive
        n += consumer.poll(Duration.ofMillis(500)).count();
        return n;
    }

    @Test
    void closeLeavesNoListeningPortAndNoDirectory() {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        int broker = kafka.brokerPort();
        int controller = kafka.controllerPort();
        assertThat(LocalResources.isListening(broker)).isTrue();

        kafka.close();

        assertThat(LocalResources.isListening(broker)).isFalse();
        assertThat(LocalResources.isListening(controller)).isFalse();
        assertThat(kafka.dataDir()).doesNotExist();
    }

    @Test
    void restartOnTheSameDirectoryKeepsTopicsAndRecords(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
            kafka.createTopic("kept", 3);
            try (KafkaProducer<String, String> producer = producer(kafka)) {
                producer.send(new ProducerRecord<>("kept", "k", "before restart")).get();
            }
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
            assertThat(kafka.admin().listTopics().names().get()).contains("kept");
            String value = null;
            try (KafkaConsumer<String, String> consumer = consumer(kafka)) {
                consumer.subscribe(List.of("kept"));
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (value == null && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        value = r.value();
                    }
                }
            }
            assertThat(value).isEqualTo("before restart");
        }
    }

    private static KafkaProducer<String, String> producer(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(p);
    }

    private static KafkaConsumer<String, String> consumer(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-group");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return new KafkaConsumer<>(p);
    }
}
