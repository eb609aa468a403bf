package dev.vigil.app;

import static org.awaitility.Awaitility.await;

import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.events.ConfigChange;
import dev.vigil.events.ConfigChangeCodec;
import dev.vigil.events.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** What a test's config-change topic holds, read from its broker. */
final class ConfigChangeTopic {

    private ConfigChangeTopic() {}

    /**
     * Records on {@code topic}: the sum of its partitions' end offsets (partitions from the
     * broker).
     */
    static long count(EmbeddedKafka kafka, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> req =
                kafka
                        .admin()
                        .describeTopics(List.of(topic))
                        .allTopicNames()
                        .get()
                        .get(topic)
                        .partitions()
                        .stream()
                        .collect(
                                Collectors.toMap(
                                        p -> new TopicPartition(topic, p.partition()),
                                        p -> OffsetSpec.latest()));
        return kafka.admin().listOffsets(req).all().get().values().stream()
                .mapToLong(i -> i.offset())
                .sum();
    }

    /** Every event on {@code topic}, as {@code target@version}. */
    static List<String> events(EmbeddedKafka kafka, String topic) throws Exception {
        long count = count(kafka, topic);
        return changes(kafka.bootstrapServers(), topic, all -> all.size() >= count).stream()
                .map(e -> e.target().targetId() + "@" + e.version())
                .toList();
    }

    /**
     * The decoded events on {@code topic}, read from its start on every partition until {@code
     * enough} holds for what has been read (at most 30 s).
     */
    static List<ConfigChange> changes(
            String bootstrap, String topic, Predicate<List<ConfigChange>> enough) {
        ConfigChangeCodec codec = ConfigChangeCodec.create();
        List<ConfigChange> all = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c =
                KafkaClients.consumer(bootstrap, "topic-reader", "topic-reader", 500)) {
            List<TopicPartition> parts =
                    c.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> {
                                for (ConsumerRecord<String, byte[]> r :
                                        c.poll(Duration.ofMillis(200))) {
                                    all.add(codec.decode(r.value()));
                                }
                                return enough.test(all);
                            });
        }
        return all;
    }
}
