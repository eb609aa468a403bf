package dev.vigil.embedded.internal;

import dev.vigil.embedded.EmbeddedStartException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;

/**
 * Waiting for the nodes of {@code EmbeddedKafkaCluster} to come up: first that their broker ports
 * listen, then that the cluster counts them as brokers. Both fail fast, with the node's last
 * output, when a node's JVM exits meanwhile (a bad setting, a port taken). Stateless.
 */
public final class NodeReadiness {
    private NodeReadiness() {}

    /**
     * Waits until every node's broker port accepts connections ({@code deadline} in {@link
     * System#nanoTime()} terms), so that an admin client created afterwards does not log a warning
     * for each node every 100 ms meanwhile.
     *
     * @throws EmbeddedStartException when a node exits, the deadline passes, or on an interrupt
     */
    public static void awaitListening(
            Collection<NodeProcess> processes, List<ClusterNodes.Node> nodes, long deadline) {
        while (!nodes.stream().allMatch(n -> LocalResources.isListening(n.brokerPort()))) {
            processes.forEach(NodeReadiness::failIfExited);
            if (System.nanoTime() > deadline) {
                throw new EmbeddedStartException(
                        "Kafka nodes not all listening on "
                                + nodes
                                + "; see their output in kafka-<id>.log",
                        null);
            }
            pause(100);
        }
    }

    /**
     * Waits until every node in {@code processes} is a registered, unfenced broker, as {@code
     * admin} sees the cluster.
     *
     * @param bootstrap the cluster's address, for messages
     * @throws EmbeddedStartException when one of them exits, the timeout passes, or on an interrupt
     */
    public static void awaitServing(
            Admin admin, String bootstrap, List<NodeProcess> processes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<Integer> ids = processes.stream().map(NodeProcess::id).collect(Collectors.toSet());
        Set<Integer> serving = Set.of();
        while (true) {
            processes.forEach(NodeReadiness::failIfExited);
            try {
                serving =
                        admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).stream()
                                .map(Node::id)
                                .collect(Collectors.toCollection(HashSet::new));
                if (serving.containsAll(ids)) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // not answering yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedStartException(
                        "interrupted while starting Kafka nodes " + ids, e);
            }
            if (System.nanoTime() > deadline) {
                throw new EmbeddedStartException(
                        "Kafka nodes "
                                + ids
                                + " not all serving within "
                                + timeout
                                + " (serving: "
                                + serving
                                + ") on "
                                + bootstrap
                                + "; see their output in kafka-<id>.log",
                        null);
            }
            pause(200);
        }
    }

    private static void failIfExited(NodeProcess n) {
        if (!n.isAlive()) {
            throw new EmbeddedStartException(
                    "Kafka node "
                            + n.id()
                            + " exited with code "
                            + n.exitCode()
                            + " while starting; its last output:\n"
                            + n.tail(20),
                    null);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedStartException("interrupted while starting Kafka nodes", e);
        }
    }
}
