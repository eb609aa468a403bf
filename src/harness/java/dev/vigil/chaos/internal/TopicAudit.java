package dev.vigil.chaos.internal;

import dev.vigil.events.KafkaClients;
import dev.vigil.events.ScanRequestCodec;
import dev.vigil.events.UndecodableMessageException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/** Reads back what the topics hold: the scan ids on a topic, and a consumer group's lag. */
public final class TopicAudit implements AutoCloseable {
    private final String bootstrap;
    private final Admin admin;
    private final ScanRequestCodec codec = ScanRequestCodec.create();

    public TopicAudit(String bootstrap) {
        this.bootstrap = bootstrap;
        this.admin = KafkaClients.admin(bootstrap);
    }

    /**
     * The scan ids of every scan request on {@code topic} (records that are no scan request, such
     * as dead-lettered config changes, are skipped), read from the beginning to the current end.
     */
    public Set<UUID> scanIds(String topic) {
        Set<UUID> ids = new HashSet<>();
        try (KafkaConsumer<String, byte[]> c =
                KafkaClients.consumer(
                        bootstrap, "chaos-audit-" + UUID.randomUUID(), "audit", 5000)) {
            List<TopicPartition> parts = new java.util.ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                parts.add(new TopicPartition(topic, p.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!reached(c, end) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    try {
                        ids.add(codec.decode(r.value()).scanId());
                    } catch (UndecodableMessageException e) {
                        // not a scan request
                    }
                }
            }
            if (!reached(c, end)) {
                throw new IllegalStateException(
                        "could not read " + topic + " to its end " + end + " within 2 minutes");
            }
        }
        return ids;
    }

    private static boolean reached(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (c.position(e.getKey(), Duration.ofSeconds(10)) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The sum over {@code topic}'s partitions of end offset − committed offset of {@code group}.
     */
    public long lag(String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get(10, TimeUnit.SECONDS);
            var description =
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(10, TimeUnit.SECONDS)
                            .get(topic);
            if (description == null) {
                return Long.MAX_VALUE;
            }
            int partitions = description.partitions().size();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            long lag = 0;
            for (var e : admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                lag += e.getValue().offset() - (c == null ? 0 : c.offset());
            }
            return lag;
        } catch (ExecutionException | TimeoutException e) {
            return Long.MAX_VALUE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Long.MAX_VALUE;
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
