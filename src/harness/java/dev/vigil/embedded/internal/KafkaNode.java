package dev.vigil.embedded.internal;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * The configuration and storage of the embedded single-node KRaft cluster: one process that is both
 * broker and controller, on two loopback ports, with one log directory. Pure functions of their
 * arguments, except {@link #formatIfNew}, which writes the directory.
 */
public final class KafkaNode {

    /** The node's id, in its configuration and in the formatted log directory alike. */
    public static final int NODE_ID = 1;

    /** The name of the controller listener (clients never connect to it). */
    public static final String CONTROLLER_LISTENER = "CONTROLLER";

    /** The settings naming a topic's replicas: every topic's default and each internal topic's. */
    private static final List<String> REPLICAS =
            List.of(
                    "default.replication.factor",
                    "offsets.topic.replication.factor",
                    "transaction.state.log.replication.factor",
                    "share.coordinator.state.topic.replication.factor");

    /**
     * The settings naming how many replicas must hold a write before an {@code acks=all} producer
     * is answered: every topic's default and each internal topic's.
     */
    private static final List<String> MIN_INSYNC_REPLICAS =
            List.of(
                    "min.insync.replicas",
                    "transaction.state.log.min.isr",
                    "share.coordinator.state.topic.min.isr");

    private KafkaNode() {}

    /**
     * The server's configuration: broker and controller in one process, a {@code PLAINTEXT}
     * listener on {@code brokerPort} and the controller's on {@code controllerPort}, both on {@link
     * LocalResources#LOOPBACK} only, and settings sized for one node on a small machine.
     */
    public static KafkaConfig config(Path dataDir, int brokerPort, int controllerPort) {
        return KafkaConfig.fromProps(serverProperties(dataDir, brokerPort, controllerPort), false);
    }

    /**
     * The single node's server properties, which a node of {@link ClusterNodes} starts from: a
     * voter of a quorum of itself, and one replica of every topic.
     */
    static Properties serverProperties(Path dataDir, int brokerPort, int controllerPort) {
        String host = LocalResources.LOOPBACK;
        Properties p = new Properties();
        p.putAll(
                Map.ofEntries(
                        Map.entry("process.roles", "broker,controller"),
                        Map.entry("node.id", String.valueOf(NODE_ID)),
                        Map.entry(
                                "controller.quorum.voters",
                                NODE_ID + "@" + host + ":" + controllerPort),
                        Map.entry(
                                "listeners",
                                "PLAINTEXT://"
                                        + host
                                        + ":"
                                        + brokerPort
                                        + ","
                                        + CONTROLLER_LISTENER
                                        + "://"
                                        + host
                                        + ":"
                                        + controllerPort),
                        Map.entry("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort),
                        Map.entry("controller.listener.names", CONTROLLER_LISTENER),
                        Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                        Map.entry(
                                "listener.security.protocol.map",
                                "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT"),
                        Map.entry("log.dirs", dataDir.toString()),
                        // Fewer offsets partitions than the default 50: the first consumer group
                        // creates them all, and 50 leaders take seconds on a small machine.
                        Map.entry("offsets.topic.num.partitions", "5"),
                        Map.entry("group.initial.rebalance.delay.ms", "0"),
                        Map.entry("auto.create.topics.enable", "false"),
                        // Controlled shutdown (the default) unregisters the broker; without
                        // it a restart on the same directory waits out the old registration's
                        // session (9 s) before the broker may register again.
                        Map.entry("controlled.shutdown.enable", "true")));
        // One node: every topic, the internal ones included, has one replica.
        replication(p, 1, 1);
        return p;
    }

    /**
     * Sets, in {@code p}, every topic's replicas (the internal topics' included) to {@code
     * replicas} and every {@code min.insync.replicas} to {@code minInsync}.
     */
    static void replication(Properties p, int replicas, int minInsync) {
        REPLICAS.forEach(key -> p.setProperty(key, Integer.toString(replicas)));
        MIN_INSYNC_REPLICAS.forEach(key -> p.setProperty(key, Integer.toString(minInsync)));
    }

    /**
     * Formats {@code dataDir} as {@code kafka-storage.sh format} does (a new cluster id, the latest
     * production metadata version) unless it holds a formatted node already, in which case the node
     * starts again with its topics, records and committed offsets.
     *
     * @return whether the directory was formatted now
     * @throws Exception whatever the formatter throws (an unwritable directory, a directory of
     *     another node)
     */
    public static boolean formatIfNew(Path dataDir) throws Exception {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return false;
        }
        new Formatter()
                .setPrintStream(
                        new PrintStream(
                                OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8))
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setMetadataLogDirectory(dataDir.toString())
                .setDirectories(List.of(dataDir.toString()))
                .run();
        return true;
    }

    /** The settings of the broker's own admin client, which outlives restarts of the server. */
    public static Properties adminProperties(int brokerPort) {
        Properties p = new Properties();
        p.put(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                LocalResources.LOOPBACK + ":" + brokerPort);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "vigil-embedded-admin");
        return p;
    }
}
