package dev.vigil.embedded;

import dev.vigil.embedded.internal.ClusterNodes;
import dev.vigil.embedded.internal.LocalResources;
import dev.vigil.embedded.internal.NodeProcess;
import dev.vigil.embedded.internal.NodeReadiness;
import dev.vigil.embedded.internal.TopicCreation;
import dev.vigil.embedded.internal.Uninterrupted;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka cluster of several nodes, each a child JVM (so that a fault can SIGKILL one as a
 * crash does: an in-process server cannot be killed without its host), each both broker and KRaft
 * controller: three nodes make a metadata quorum that survives one of them down. Every node listens
 * on two loopback ports kept across restarts; topics have {@code min(3, nodes)} replicas and {@code
 * min.insync.replicas} 2 (settings in {@code internal.ClusterNodes}).
 *
 * <p>Lifecycle: {@link #start} formats one directory per node under a fresh temporary directory,
 * starts every node and returns once each serves as a broker; it throws {@link
 * EmbeddedStartException} when one exits or they do not within {@link #STARTUP_TIMEOUT}, having
 * ended what it started and deleted the directory. {@link #kill} SIGKILLs a node; {@link #stop}
 * shuts one down in order (controlled shutdown); {@link #restart} brings one back on its ports and
 * directory. {@link #close()} SIGKILLs every node it started (their data is about to go, so there
 * is nothing to shut down in order, and a controlled shutdown of the last nodes waits for a quorum
 * that is gone), waits for each by its pid and deletes the directory, also when the calling thread
 * is interrupted (Ctrl-C in {@code vigil chaos}).
 *
 * <p>The nodes run in sessions of their own: a terminal's Ctrl-C reaches the owner only, which
 * closes the cluster after its roles have drained.
 *
 * <p>Thread-safe: the lifecycle methods are serialised on this object; the topic queries use the
 * admin client, which is thread-safe, from any thread.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

    /**
     * How long {@link #start}, {@link #restart} and {@link #createTopic} wait: three JVMs starting
     * at once on two busy cores took 20 to 40 s.
     */
    public static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);

    /** How long a controlled shutdown ({@link #stop}) may take before the node is killed. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Map<Integer, NodeProcess> nodes;
    private final List<ClusterNodes.Node> addresses;
    private final String bootstrap;
    private final Path dir;
    private final Admin admin;
    private boolean closed; // guarded by this

    private EmbeddedKafkaCluster(
            Map<Integer, NodeProcess> nodes,
            List<ClusterNodes.Node> addresses,
            String bootstrap,
            Path dir) {
        this.nodes = nodes;
        this.addresses = List.copyOf(addresses);
        this.bootstrap = bootstrap;
        this.dir = dir;
        this.admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                AdminClientConfig.CLIENT_ID_CONFIG,
                                "vigil-embedded-cluster-admin",
                                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                5_000,
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                15_000));
    }

    /**
     * Starts a cluster of {@code nodes} nodes (ids 1…n); each node's output is appended to {@code
     * output/kafka-<id>.log}.
     *
     * @throws EmbeddedStartException if a node cannot be prepared, exits, or the nodes do not all
     *     serve within {@link #STARTUP_TIMEOUT}
     */
    public static EmbeddedKafkaCluster start(int nodes, Path output) {
        if (nodes < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, got " + nodes);
        }
        long began = System.nanoTime();
        Path dir = LocalResources.tempDirectory("vigil-kafka-cluster-");
        List<ClusterNodes.Node> all = ClusterNodes.allocate(nodes);
        String clusterId = ClusterNodes.newClusterId();
        Map<Integer, NodeProcess> processes = new TreeMap<>();
        try {
            for (ClusterNodes.Node n : all) {
                Path props = ClusterNodes.prepare(n, all, dir.resolve("node-" + n.id()), clusterId);
                processes.put(
                        n.id(),
                        new NodeProcess(n.id(), props, output.resolve("kafka-" + n.id() + ".log")));
            }
        } catch (Exception e) {
            LocalResources.deleteRecursively(dir);
            throw new EmbeddedStartException("cannot prepare Kafka nodes in " + dir, e);
        }
        String bootstrap =
                all.stream()
                        .map(n -> LocalResources.LOOPBACK + ":" + n.brokerPort())
                        .collect(Collectors.joining(","));
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        try {
            processes.values().forEach(NodeProcess::start);
            // the admin client comes once the nodes listen: before, it logs a warning a node
            // every 100 ms
            NodeReadiness.awaitListening(processes.values(), all, deadline);
        } catch (RuntimeException e) {
            processes.values().forEach(NodeProcess::kill);
            LocalResources.deleteRecursively(dir);
            throw e;
        }
        EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(processes, all, bootstrap, dir);
        try {
            cluster.awaitServing(
                    processes.keySet(),
                    Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        log.info(
                "embedded Kafka cluster of {} nodes started on {} in {} ms (directory {})",
                nodes,
                bootstrap,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began),
                dir);
        return cluster;
    }

    /** {@code 127.0.0.1:port,…} of every node's broker listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrap;
    }

    /** The node ids, 1…n. */
    public List<Integer> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    /** The port of node {@code id}'s broker listener (kept across its restarts). */
    public int brokerPort(int id) {
        return addresses.stream()
                .filter(n -> n.id() == id)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Kafka node " + id))
                .brokerPort();
    }

    /** Replicas of each topic {@link #createTopic} creates (and of the internal topics). */
    public int replicationFactor() {
        return ClusterNodes.replicationFactor(nodes.size());
    }

    /**
     * The cluster's admin client, for callers that inspect topics or offsets; it rides out node
     * restarts and is closed by {@link #close()}: callers must not close it.
     */
    public Admin admin() {
        return admin;
    }

    /**
     * Creates a topic with {@link #replicationFactor()} replicas and returns once every partition
     * is served by its leader.
     *
     * @throws EmbeddedStartException if the topic exists already or is not served in time
     */
    public void createTopic(String name, int partitions) {
        TopicCreation.create(
                admin, bootstrap, name, partitions, replicationFactor(), STARTUP_TIMEOUT);
    }

    /** The node leading {@code topic}'s {@code partition}, or empty while it has no leader. */
    public Optional<Integer> leaderOf(String topic, int partition) {
        return describe(topic).partitions().stream()
                .filter(p -> p.partition() == partition)
                .findFirst()
                .map(TopicPartitionInfo::leader)
                .filter(l -> l != null && !l.isEmpty())
                .map(Node::id);
    }

    /**
     * The node leading the most partitions of {@code topic} (the lowest id on a tie): the victim
     * whose crash stalls the most producers.
     *
     * @throws IllegalStateException when no partition of the topic has a leader
     */
    public int busiestLeader(String topic) {
        Map<Integer, Long> led =
                describe(topic).partitions().stream()
                        .map(TopicPartitionInfo::leader)
                        .filter(l -> l != null && !l.isEmpty())
                        .collect(
                                Collectors.groupingBy(
                                        Node::id, TreeMap::new, Collectors.counting()));
        return led.entrySet().stream()
                .max(Map.Entry.<Integer, Long>comparingByValue().thenComparingInt(e -> -e.getKey()))
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "no partition of " + topic + " has a leader"))
                .getKey();
    }

    /** The node leading the KRaft metadata quorum (the active controller). */
    public int activeController() {
        try {
            return admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "cannot describe the metadata quorum at " + bootstrap, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing the quorum", e);
        }
    }

    /**
     * Whether every partition of {@code topics} has all its replicas in sync, waiting up to {@code
     * timeout}: after a restart, the node has caught up once this holds.
     */
    public boolean awaitInSync(Collection<String> topics, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean inSync = true;
            for (String t : topics) {
                inSync &=
                        describe(t).partitions().stream()
                                .allMatch(p -> p.isr().size() == p.replicas().size());
            }
            if (inSync) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(200);
        }
    }

    /** SIGKILLs node {@code id} (a crash: no controlled shutdown) and waits until it is gone. */
    public synchronized void kill(int id) {
        node(id).kill();
        log.info("Kafka node {} killed (SIGKILL)", id);
    }

    /**
     * Shuts node {@code id} down in order (it hands its leaderships over first), killing it after
     * {@link #STOP_TIMEOUT}; keeps its ports and directory for {@link #restart}.
     */
    public synchronized void stop(int id) {
        if (!node(id).stop(STOP_TIMEOUT)) {
            log.warn("Kafka node {} did not stop within {}; killed it", id, STOP_TIMEOUT);
        }
    }

    /**
     * Starts node {@code id} again on its ports and directory (stopping it in order first if it
     * runs) and returns once it serves as a broker again.
     *
     * @throws EmbeddedStartException if it exits or does not serve within {@link #STARTUP_TIMEOUT}
     * @throws IllegalStateException after {@link #close()}
     */
    public synchronized void restart(int id) {
        if (closed) {
            throw new IllegalStateException("Kafka cluster " + bootstrap + " is closed");
        }
        NodeProcess n = node(id);
        if (n.isAlive()) {
            stop(id);
        }
        long began = System.nanoTime();
        n.start();
        awaitServing(Set.of(id), STARTUP_TIMEOUT);
        log.info(
                "Kafka node {} restarted in {} ms",
                id,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    }

    /** The processes of the nodes that run now. */
    public synchronized List<ProcessHandle> processes() {
        List<ProcessHandle> out = new ArrayList<>();
        nodes.values().forEach(n -> n.handle().ifPresent(out::add));
        return out;
    }

    /**
     * SIGKILLs every node, waits for each to exit, closes the admin client and deletes the nodes'
     * directories; completes even on an interrupted thread. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Uninterrupted.run(
                () -> {
                    admin.close(Duration.ofSeconds(1));
                    nodes.values().forEach(NodeProcess::kill);
                });
        LocalResources.deleteRecursively(dir);
        log.info("embedded Kafka cluster on {} closed", bootstrap);
    }

    /**
     * Waits until every node in {@code ids} is a registered, unfenced broker of the cluster.
     *
     * @throws EmbeddedStartException when one of them exits or the timeout passes
     */
    private void awaitServing(Set<Integer> ids, Duration timeout) {
        NodeReadiness.awaitServing(
                admin, bootstrap, ids.stream().map(this::node).toList(), timeout);
    }

    private TopicDescription describe(String topic) {
        try {
            TopicDescription d =
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS)
                            .get(topic);
            if (d == null) {
                throw new IllegalStateException("no topic " + topic + " at " + bootstrap);
            }
            return d;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "cannot describe topic " + topic + " at " + bootstrap, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topic " + topic, e);
        }
    }

    private NodeProcess node(int id) {
        NodeProcess n = nodes.get(id);
        if (n == null) {
            throw new IllegalArgumentException(
                    "no Kafka node " + id + " in this cluster (nodes " + nodes.keySet() + ")");
        }
        return n;
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaCluster[" + bootstrap + ", " + dir + "]";
    }
}
