package dev.vigil.embedded.internal;

import dev.vigil.embedded.EmbeddedStartException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creating a topic on the embedded broker (or cluster) and waiting until it is ready for producers:
 * every partition has a leader in the metadata, and every leader serves its partition. Stateless;
 * the admin client passed in is used from the calling thread only.
 */
public final class TopicCreation {
    private TopicCreation() {}

    /**
     * Creates {@code name} with one replica per partition and returns once every partition is
     * served (the contract of {@code EmbeddedKafka.createTopic}).
     *
     * @param bootstrap the broker's address, for messages
     * @throws EmbeddedStartException if the topic exists already, or its partitions are not all
     *     served within {@code timeout}
     */
    public static void create(
            Admin admin, String bootstrap, String name, int partitions, Duration timeout) {
        create(admin, bootstrap, name, partitions, 1, timeout);
    }

    /**
     * Creates {@code name} with {@code replicas} replicas per partition and {@code
     * min.insync.replicas} {@link ClusterNodes#minInsyncReplicas}, and returns once every partition
     * is served.
     *
     * @throws EmbeddedStartException as {@link #create(Admin, String, String, int, Duration)}
     */
    public static void create(
            Admin admin,
            String bootstrap,
            String name,
            int partitions,
            int replicas,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            NewTopic topic =
                    new NewTopic(name, partitions, (short) replicas)
                            .configs(
                                    Map.of(
                                            "min.insync.replicas",
                                            Integer.toString(
                                                    ClusterNodes.minInsyncReplicas(replicas))));
            admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            while (true) {
                int withLeader = partitionsWithLeader(admin, name, timeout);
                if (withLeader == partitions) {
                    awaitServed(admin, name, partitions, deadline);
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new EmbeddedStartException(
                            "topic "
                                    + name
                                    + ": only "
                                    + withLeader
                                    + " of "
                                    + partitions
                                    + " partitions have a leader after "
                                    + timeout,
                            null);
                }
                Thread.sleep(20);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new EmbeddedStartException(
                    "cannot create topic "
                            + name
                            + " with "
                            + partitions
                            + " partitions on "
                            + bootstrap,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedStartException("interrupted while creating topic " + name, e);
        }
    }

    /**
     * Waits until the broker serves every partition of {@code topic} ({@code deadline} in {@link
     * System#nanoTime()} terms): a leader in the metadata comes a moment before the partition is
     * online, and a produce in between fails with NOT_LEADER_OR_FOLLOWER (an idempotent producer
     * whose first batch failed so while later ones landed then retries it forever). Listing offsets
     * asks the leader itself; the admin client retries until it answers.
     */
    static void awaitServed(Admin admin, String topic, int partitions, long deadline)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        for (int i = 0; i < partitions; i++) {
            ends.put(new TopicPartition(topic, i), OffsetSpec.latest());
        }
        // With several brokers, the one asked may not know yet a topic another has described: the
        // admin client does not retry an unknown topic here, so this loop does.
        while (true) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            try {
                admin.listOffsets(ends, new ListOffsetsOptions().timeoutMs((int) left))
                        .all()
                        .get(left, TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    /** Partitions of {@code topic} with a leader; 0 while the topic is not known yet. */
    static int partitionsWithLeader(Admin admin, String topic, Duration timeout)
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
