package dev.vigil.embedded.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** When a just-created topic of the embedded broker is ready for producers. */
public final class TopicReadiness {
    private TopicReadiness() {}

    /**
     * Waits until the broker serves every partition of {@code topic} ({@code deadline} in {@link
     * System#nanoTime()} terms): a leader in the metadata comes a moment before the partition is
     * online, and a produce in between fails with NOT_LEADER_OR_FOLLOWER (an idempotent producer
     * whose first batch failed so while later ones landed then retries it forever). Listing offsets
     * asks the leader itself; the admin client retries until it answers.
     */
    public static void awaitServed(Admin admin, String topic, int partitions, long deadline)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        for (int i = 0; i < partitions; i++) {
            ends.put(new TopicPartition(topic, i), OffsetSpec.latest());
        }
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        admin.listOffsets(ends, new ListOffsetsOptions().timeoutMs((int) left))
                .all()
                .get(left, TimeUnit.MILLISECONDS);
    }

    /** Partitions of {@code topic} with a leader; 0 while the topic is not known yet. */
    public static int partitionsWithLeader(Admin admin, String topic, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        TopicDescription description;
        try {
            description =
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                            .get(topic);
        } catch (ExecutionException e) {
            // a just-created topic is unknown to the metadata cache for a moment
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return 0;
            }
            throw e;
        }
        if (description == null) {
            return 0;
        }
        return (int)
                description.partitions().stream()
                        .filter(p -> p.leader() != null && !p.leader().isEmpty())
                        .count();
    }
}
