package dev.vigil.embedded.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * The configuration and storage of a KRaft cluster of several combined nodes (each both broker and
 * controller, all of them voters of the metadata quorum), every node on two loopback ports with a
 * directory of its own. A quorum of three combined nodes survives one node down: the two left elect
 * a controller, and the brokers keep serving every partition with a replica on them.
 *
 * <p>Replication is production's: every topic, the internal ones included, has {@code min(3,
 * nodes)} replicas and {@code min.insync.replicas} {@code min(2, replicas)}, so an {@code acks=all}
 * write is acknowledged only once two brokers hold it. Failure detection keeps Kafka's defaults,
 * which set the latency spike a crash causes: a broker that stops heartbeating is fenced by the
 * controller after {@code broker.session.timeout.ms} (9 s), which then elects new leaders from the
 * in-sync replicas and drops the broker from every ISR; until then, producers to the partitions it
 * led (or followed, with {@code acks=all}) wait.
 */
public final class ClusterNodes {

    /** One node: its id and the two ports it keeps across restarts. */
    public record Node(int id, int brokerPort, int controllerPort) {}

    private ClusterNodes() {}

    /** {@code nodes} nodes with ids 1…n on free loopback ports. */
    public static List<Node> allocate(int nodes) {
        return java.util.stream.IntStream.rangeClosed(1, nodes)
                .mapToObj(id -> new Node(id, LocalResources.freePort(), LocalResources.freePort()))
                .toList();
    }

    /** Replicas of every topic of a cluster of {@code nodes}: at most three. */
    public static int replicationFactor(int nodes) {
        return Math.min(3, nodes);
    }

    /** {@code min.insync.replicas} for {@code replicas}: two copies, or one on a single node. */
    public static int minInsyncReplicas(int replicas) {
        return Math.min(2, replicas);
    }

    /**
     * Node {@code node}'s server properties in a cluster of {@code all}, data in {@code dataDir}:
     * the single node's ({@link KafkaNode#serverProperties}, on this node's ports), with this
     * node's place in the quorum, the cluster's replication and fewer request threads.
     */
    static Properties serverProperties(Node node, List<Node> all, Path dataDir) {
        Properties p =
                KafkaNode.serverProperties(dataDir, node.brokerPort(), node.controllerPort());
        p.setProperty("node.id", String.valueOf(node.id()));
        p.setProperty(
                "controller.quorum.voters",
                all.stream()
                        .map(n -> n.id() + "@" + LocalResources.LOOPBACK + ":" + n.controllerPort())
                        .collect(Collectors.joining(",")));
        int replicas = replicationFactor(all.size());
        KafkaNode.replication(p, replicas, minInsyncReplicas(replicas));
        // an out-of-sync replica never becomes leader: that would lose acknowledged records
        // (Kafka's default, stated because the census depends on it)
        p.setProperty("unclean.leader.election.enable", "false");
        // Three brokers share two cores with the roles: fewer request threads than the defaults
        // (3 network, 8 I/O), which only add context switches here.
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "3");
        return p;
    }

    /**
     * Writes node {@code node}'s {@code server.properties} into {@code nodeDir} and formats {@code
     * nodeDir/data} as {@code kafka-storage.sh format} does, with the cluster's id shared by all
     * nodes; returns the properties file.
     *
     * @throws Exception whatever writing or the formatter throws
     */
    public static Path prepare(Node node, List<Node> all, Path nodeDir, String clusterId)
            throws Exception {
        Path data = nodeDir.resolve("data");
        Files.createDirectories(data);
        Path file = nodeDir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            serverProperties(node, all, data).store(w, "node " + node.id() + " of " + all.size());
        }
        new Formatter()
                .setPrintStream(
                        new PrintStream(
                                OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8))
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setNodeId(node.id())
                .setClusterId(clusterId)
                .setControllerListenerName(KafkaNode.CONTROLLER_LISTENER)
                .setMetadataLogDirectory(data.toString())
                .setDirectories(List.of(data.toString()))
                .run();
        return file;
    }

    /** A new cluster id, as {@code kafka-storage.sh random-uuid} prints. */
    public static String newClusterId() {
        return Uuid.randomUuid().toString();
    }

    /** Reads a properties file written by {@link #prepare}. */
    static Properties read(Path file) throws IOException {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }
}
