package dev.vigil.testing;

import dev.vigil.events.InsightEvent;
import dev.vigil.events.InsightEventCodec;
import dev.vigil.events.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads an insight-events topic from its beginning, decoding each record with the production codec
 * and checking that its key is the event's insight identity. Not thread-safe: one test thread.
 */
public final class InsightEventTopic implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final InsightEventCodec codec = InsightEventCodec.create();
    private final List<InsightEvent> seen = new ArrayList<>();

    /** A reader of {@code topic} on the broker at {@code bootstrap}, from its beginning. */
    public InsightEventTopic(String bootstrap, String topic) {
        consumer = KafkaClients.consumer(bootstrap, topic + "-reader", topic + "-reader", 500);
        List<TopicPartition> parts =
                consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    /** Everything read so far, after one more poll; per partition in log order. */
    public List<InsightEvent> poll() {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            InsightEvent e = codec.decode(r.value());
            if (!e.key().equals(r.key())) {
                throw new AssertionError("record key " + r.key() + " is not the event's " + e);
            }
            seen.add(e);
        }
        return List.copyOf(seen);
    }

    /** The kinds (wire names) read for each insight, in the order they arrived. */
    public static Map<Long, List<String>> kindsByInsight(List<InsightEvent> events) {
        return events.stream()
                .collect(
                        Collectors.groupingBy(
                                InsightEvent::insightId,
                                TreeMap::new,
                                Collectors.mapping(e -> e.kind().wire(), Collectors.toList())));
    }

    /** How many times each event id was read. */
    public static Map<String, Long> idCounts(List<InsightEvent> events) {
        return events.stream()
                .collect(Collectors.groupingBy(e -> e.eventId().toString(), Collectors.counting()));
    }

    /** The transitions the audit log holds for each insight, in audit order. */
    public static Map<Long, List<String>> auditedKinds(Jdbi jdbi) {
        Map<Long, List<String>> out = new TreeMap<>();
        jdbi.useHandle(
                h ->
                        h.createQuery(
                                        """
                                        select insight_id, action from audit_log
                                        where insight_id is not null
                                          and action in ('opened', 'reopened', 'resolved',
                                                         'dismissed', 'undismissed',
                                                         'classified', 'unclassified')
                                        order by audit_id
                                        """)
                                .map(
                                        (rs, c) ->
                                                Map.entry(
                                                        rs.getLong("insight_id"),
                                                        rs.getString("action")))
                                .forEach(
                                        e ->
                                                out.computeIfAbsent(
                                                                e.getKey(), k -> new ArrayList<>())
                                                        .add(e.getValue())));
        return out;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
