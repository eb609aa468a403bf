package dev.vigil.embedded;

import dev.vigil.embedded.internal.LocalResources;
import dev.vigil.embedded.internal.TopicReadiness;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster in this JVM: one KRaft process that is both broker and
 * controller, listening on free ports of 127.0.0.1 only.
 *
 * <p>{@link #start()} formats a fresh log directory (as {@code kafka-storage.sh format} does) and
 * starts the server; it returns once the broker answers an admin request. {@link #close()} shuts
 * the server down and deletes the temporary directory. Topics are never auto-created: call {@link
 * #createTopic}. Thread-safe.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    /** How long {@link #start()} and {@link #createTopic} wait before giving up. */
    public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private KafkaRaftServer server;
    private final Admin admin;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final int brokerPort;
    private final int controllerPort;
    private boolean closed;
    private boolean stopped;

    private EmbeddedKafka(
            KafkaRaftServer server,
            Admin admin,
            Path dataDir,
            boolean deleteOnClose,
            int brokerPort,
            int controllerPort) {
        this.server = server;
        this.admin = admin;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    /** Starts a broker on a fresh temporary log directory that {@link #close()} deletes. */
    public static EmbeddedKafka start() {
        return start(LocalResources.tempDirectory("vigil-kafka-"), true);
    }

    /**
     * Starts a broker on the given log directory, formatting it only if it is not formatted yet;
     * {@link #close()} leaves it in place, so a later call on the same directory restarts the same
     * cluster with its topics and records (on new ports).
     */
    public static EmbeddedKafka start(Path dataDir) {
        return start(dataDir, false);
    }

    private static EmbeddedKafka start(Path dataDir, boolean deleteOnClose) {
        long began = System.nanoTime();
        int brokerPort = LocalResources.freePort();
        int controllerPort = LocalResources.freePort();
        KafkaConfig config =
                KafkaConfig.fromProps(serverProperties(dataDir, brokerPort, controllerPort), false);
        KafkaRaftServer server = null;
        Admin admin = null;
        try {
            if (!Files.exists(dataDir.resolve("meta.properties"))) {
                format(dataDir);
            }
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            admin = Admin.create(adminProperties(brokerPort));
            // The broker registers with the controller asynchronously; wait until it is served.
            admin.describeCluster().nodes().get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            EmbeddedKafka kafka =
                    new EmbeddedKafka(
                            server, admin, dataDir, deleteOnClose, brokerPort, controllerPort);
            log.info(
                    "embedded Kafka started on {} in {} ms (log dir {})",
                    kafka.bootstrapServers(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began),
                    dataDir);
            return kafka;
        } catch (Exception e) {
            if (admin != null) {
                admin.close(Duration.ZERO);
            }
            if (server != null) {
                server.shutdown();
                server.awaitShutdown();
            }
            if (deleteOnClose) {
                LocalResources.deleteRecursively(dataDir);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new EmbeddedStartException(
                    "embedded Kafka did not start on 127.0.0.1:"
                            + brokerPort
                            + " (log dir "
                            + dataDir
                            + ")",
                    e);
        }
    }

    private static Properties serverProperties(Path dataDir, int brokerPort, int controllerPort) {
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
                                "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                        Map.entry("log.dirs", dataDir.toString()),
                        // One node: every internal topic has one replica.
                        Map.entry("offsets.topic.replication.factor", "1"),
                        Map.entry("transaction.state.log.replication.factor", "1"),
                        Map.entry("transaction.state.log.min.isr", "1"),
                        Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                        Map.entry("share.coordinator.state.topic.min.isr", "1"),
                        // Fewer offsets partitions than the default 50: the first consumer group
                        // creates them all, and 50 leaders take seconds on a small machine.
                        Map.entry("offsets.topic.num.partitions", "5"),
                        Map.entry("group.initial.rebalance.delay.ms", "0"),
                        Map.entry("auto.create.topics.enable", "false"),
                        // Controlled shutdown (the default) unregisters the broker; without
                        // it a restart on the same directory waits out the old registration's
                        // session (9 s) before the broker may register again.
                        Map.entry("controlled.shutdown.enable", "true")));
        return p;
    }

    private static void format(Path dataDir) throws Exception {
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
    }

    private static Properties adminProperties(int brokerPort) {
        Properties p = new Properties();
        p.put(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                LocalResources.LOOPBACK + ":" + brokerPort);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "vigil-embedded-admin");
        return p;
    }

    /** {@code 127.0.0.1:port} of the broker listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return LocalResources.LOOPBACK + ":" + brokerPort;
    }

    /** The data directory (deleted by {@link #close()} when it was a temporary one). */
    public Path dataDir() {
        return dataDir;
    }

    /** The port of the broker listener. */
    public int brokerPort() {
        return brokerPort;
    }

    /** The port of the controller listener (clients never use it). */
    public int controllerPort() {
        return controllerPort;
    }

    /**
     * Creates a topic with one replica per partition and returns once every partition has a leader.
     * Producing before that loses nothing in principle, but a producer that sees a partition
     * without a leader waits out its metadata refresh; waiting here makes the first records prompt.
     *
     * @throws EmbeddedStartException if the topic exists already or the partitions get no leader
     *     within {@link #STARTUP_TIMEOUT}
     */
    public void createTopic(String name, int partitions) {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            while (true) {
                int withLeader = TopicReadiness.partitionsWithLeader(admin, name, STARTUP_TIMEOUT);
                if (withLeader == partitions) {
                    TopicReadiness.awaitServed(admin, name, partitions, deadline);
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
                                    + STARTUP_TIMEOUT,
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
                            + bootstrapServers(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedStartException("interrupted while creating topic " + name, e);
        }
    }

    /** The admin client this broker uses for {@link #createTopic}; closed with the broker. */
    public Admin admin() {
        return admin;
    }

    /**
     * Shuts the broker down (controlled shutdown) but keeps its log directory and ports for {@link
     * #restart()}: clients see the broker vanish, as in a rolling restart. Idempotent.
     */
    public synchronized void stop() {
        if (closed || stopped) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        stopped = true;
        log.info("embedded Kafka on {} stopped (log dir kept for a restart)", bootstrapServers());
    }

    /**
     * Starts the broker again on the same ports and log directory after {@link #stop()} (or stops
     * and starts a running one), with its topics, records and committed offsets; returns once it
     * answers an admin request. Clients configured with {@link #bootstrapServers()} reconnect by
     * themselves.
     *
     * @throws EmbeddedStartException if it does not come back within {@link #STARTUP_TIMEOUT}
     * @throws IllegalStateException after {@link #close()}
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("embedded Kafka " + bootstrapServers() + " is closed");
        }
        stop();
        long began = System.nanoTime();
        try {
            KafkaRaftServer next =
                    new KafkaRaftServer(
                            KafkaConfig.fromProps(
                                    serverProperties(dataDir, brokerPort, controllerPort), false),
                            Time.SYSTEM);
            next.startup();
            server = next;
            stopped = false;
            admin.describeCluster().nodes().get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedStartException("interrupted while restarting Kafka", e);
        } catch (Exception e) {
            throw new EmbeddedStartException(
                    "embedded Kafka did not restart on "
                            + bootstrapServers()
                            + " (log dir "
                            + dataDir
                            + ")",
                    e);
        }
        log.info(
                "embedded Kafka restarted on {} in {} ms",
                bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    }

    /** Shuts the server down, waits for it, and deletes the temporary log directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long began = System.nanoTime();
        admin.close(Duration.ofSeconds(1));
        if (!stopped) {
            server.shutdown();
            server.awaitShutdown();
        }
        if (deleteOnClose) {
            LocalResources.deleteRecursively(dataDir);
        }
        log.info(
                "embedded Kafka on {} stopped in {} ms",
                bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers() + ", " + dataDir + "]";
    }
}
