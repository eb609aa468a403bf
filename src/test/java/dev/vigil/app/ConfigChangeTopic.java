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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** What a test's config-change topic of three partitions holds, read from its broker. */
final class ConfigChangeTopic {

    private static final int PARTITIONS = 3;

    private ConfigChangeTopic() {}

    /** Records on {@code topic}: the sum of its partitions' end offsets. */
    static long count(EmbeddedKafka kafka, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> req =
                IntStream.range(0, PARTITIONS)
                        .boxed()
                        .collect(
                                Collectors.toMap(
                                        p -> new TopicPartition(topic, p),
                                        p -> OffsetSpec.latest()));
        return kafka.admin().listOffsets(req).all().get().values().stream()
                .mapToLong(i -> i.offset())
                .sum();
    }

    /** Every event on {@code topic}, as {@code target@version}. */
    static List<String> events(EmbeddedKafka kafka, String topic) throws Exception {
        long count = count(kafka, topic);
        ConfigChangeCodec codec = ConfigChangeCodec.create();
        List<String> all = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c =
                KafkaClients.consumer(kafka.bootstrapServers(), "batch-it", "batch-it", 500)) {
            List<TopicPartition> parts =
                    IntStream.range(0, PARTITIONS)
                            .mapToObj(p -> new TopicPartition(topic, p))
                            .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> {
                                for (ConsumerRecord<String, byte[]> r :
                                        c.poll(Duration.ofMillis(200))) {
                                    ConfigChange e = codec.decode(r.value());
                                    all.add(e.target().targetId() + "@" + e.version());
                                }
                                return all.size() >= count;
                            });
        }
        return all;
    }
}
