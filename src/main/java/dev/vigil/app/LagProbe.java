package dev.vigil.app;

import dev.vigil.events.KafkaClients;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * Measures a consumer group's lag on a topic: the sum over partitions of (end offset − committed
 * offset), in total or per partition. Committed, not consumed: this is the work that would be
 * repeated after a crash. Public for the tests that assert a group left nothing behind.
 */
public final class LagProbe implements AutoCloseable {
    private final Admin admin;
    private final String topic;

    public LagProbe(String bootstrap, String topic) {
        this.admin = KafkaClients.admin(bootstrap);
        this.topic = topic;
    }

    /** The lag, or -1 when the broker did not answer in time. */
    public long lag(String groupId) {
        Map<Integer, Long> parts = byPartition(groupId);
        return parts == null ? -1 : parts.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The lag of each partition of the topic (never negative; a partition the group never committed
     * counts from offset 0), or null when the broker did not answer in time.
     */
    @Nullable Map<Integer, Long> byPartition(String groupId) {
        Offsets o = offsets(groupId);
        if (o == null) {
            return null;
        }
        Map<Integer, Long> lag = new TreeMap<>();
        for (var e : o.ends().entrySet()) {
            OffsetAndMetadata c = o.committed().get(e.getKey());
            long behind = e.getValue() - (c == null ? 0 : c.offset());
            lag.put(e.getKey().partition(), Math.max(0, behind));
        }
        return lag;
    }

    /** A group's committed offsets and the topic's end offsets, read together. */
    private record Offsets(
            Map<TopicPartition, OffsetAndMetadata> committed, Map<TopicPartition, Long> ends) {}

    /**
     * The offsets of {@code groupId} and the topic, or null when the broker did not answer in time.
     */
    private @Nullable Offsets offsets(String groupId) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(groupId)
                            .partitionsToOffsetAndMetadata()
                            .get(2, TimeUnit.SECONDS);
            var desc =
                    admin.describeTopics(java.util.List.of(topic))
                            .allTopicNames()
                            .get(2, TimeUnit.SECONDS)
                            .get(topic);
            if (desc == null) {
                return null;
            }
            Map<TopicPartition, OffsetSpec> req = new HashMap<>();
            desc.partitions()
                    .forEach(
                            p ->
                                    req.put(
                                            new TopicPartition(topic, p.partition()),
                                            OffsetSpec.latest()));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(req)
                    .all()
                    .get(2, TimeUnit.SECONDS)
                    .forEach((tp, info) -> ends.put(tp, info.offset()));
            return new Offsets(committed, ends);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Where a group stands on the whole topic, for a rate of progress as well as a lag.
     *
     * @param end the sum of the partitions' end offsets
     * @param committed the sum of the group's committed offsets (0 for a partition it never
     *     committed)
     * @param committedPartitions how many partitions the group committed on: 0 for a group that
     *     never ran
     */
    record Position(long end, long committed, int committedPartitions) {
        /** Records not yet committed by the group: never negative. */
        long lag() {
            return Math.max(0, end - committed);
        }
    }

    /**
     * Where {@code groupId} stands on the topic, or null when the broker did not answer in time.
     */
    @Nullable Position position(String groupId) {
        Offsets o = offsets(groupId);
        if (o == null) {
            return null;
        }
        long end = 0;
        long done = 0;
        int parts = 0;
        for (var e : o.ends().entrySet()) {
            end += e.getValue();
            OffsetAndMetadata c = o.committed().get(e.getKey());
            if (c != null) {
                // never past the end: a partition whose end is behind a commit counts as caught up
                done += Math.min(c.offset(), e.getValue());
                parts++;
            }
        }
        return new Position(end, done, parts);
    }

    /** The topic whose lag this probe measures. */
    String topic() {
        return topic;
    }

    @Override
    public void close() {
        admin.close();
    }
}
