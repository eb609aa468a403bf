package dev.vigil.embedded;

import dev.vigil.embedded.internal.KafkaNode;
import dev.vigil.embedded.internal.LocalResources;
import dev.vigil.embedded.internal.TopicCreation;
import dev.vigil.embedded.internal.Uninterrupted;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster in this JVM: one KRaft process that is both broker and
 * controller, listening on free ports of 127.0.0.1 only, for the demo, the benchmark, the chaos
 * suite and the integration tests. Nothing to install but a JDK: the server comes from the Kafka
 * jars on the classpath.
 *
 * <p>Lifecycle: {@link #start()} formats a fresh log directory (as {@code kafka-storage.sh format}
 * does) and starts the server; it returns once the broker answers an admin request, and throws
 * {@link EmbeddedStartException} when it does not within {@link #STARTUP_TIMEOUT}, having shut down
 * what it started and deleted a temporary directory. {@link #stop()} and {@link #restart()} take
 * the broker away and bring it back on the same ports and directory, as a rolling restart does to
 * clients. {@link #close()} shuts the server down and deletes a temporary directory; it owns the
 * server and the admin client.
 *
 * <p>Topics are never auto-created: call {@link #createTopic}, which returns once the topic is
 * ready for producers. The server's settings (one replica everywhere, five offsets partitions,
 * controlled shutdown) are in {@code internal.KafkaNode}.
 *
 * <p>Thread-safe: {@link #stop()}, {@link #restart()} and {@link #close()} are serialised on this
 * object; {@link #createTopic} and the accessors may be called from any thread (the admin client is
 * thread-safe), but a topic created while the broker is stopped fails with {@link
 * EmbeddedStartException} after {@link #STARTUP_TIMEOUT}.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    /** How long {@link #start()} and {@link #createTopic} wait before giving up. */
    public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    // replaced by restart(); read and written under this object's lock only
    private KafkaRaftServer server;
    private final Admin admin;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final int brokerPort;
    private final int controllerPort;
    // both guarded by this object's lock
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

    /**
     * Starts a broker on a fresh temporary log directory that {@link #close()} deletes.
     *
     * @throws EmbeddedStartException if it does not answer within {@link #STARTUP_TIMEOUT}
     */
    public static EmbeddedKafka start() {
        return start(LocalResources.tempDirectory("vigil-kafka-"), true);
    }

    /**
     * Starts a broker on the given log directory, formatting it only if it is not formatted yet;
     * {@link #close()} leaves it in place, so a later call on the same directory restarts the same
     * cluster with its topics and records (on new ports).
     *
     * @throws EmbeddedStartException if it does not answer within {@link #STARTUP_TIMEOUT}, or the
     *     directory cannot be formatted (e.g. it belongs to another node)
     */
    public static EmbeddedKafka start(Path dataDir) {
        return start(dataDir, false);
    }

    private static EmbeddedKafka start(Path dataDir, boolean deleteOnClose) {
        long began = System.nanoTime();
        int brokerPort = LocalResources.freePort();
        int controllerPort = LocalResources.freePort();
        KafkaConfig config = KafkaNode.config(dataDir, brokerPort, controllerPort);
        KafkaRaftServer server = null;
        Admin admin = null;
        try {
            KafkaNode.formatIfNew(dataDir);
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            admin = Admin.create(KafkaNode.adminProperties(brokerPort));
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
     * Creates a topic with one replica per partition and returns once every partition has a leader
     * and that leader serves it. Producing before that loses nothing in principle, but a producer
     * that sees a partition without a leader waits out its metadata refresh, and an idempotent
     * producer whose first batch reached a partition not yet served may retry it forever; waiting
     * here makes the first records prompt.
     *
     * @throws EmbeddedStartException if the topic exists already or its partitions are not all
     *     served within {@link #STARTUP_TIMEOUT}
     */
    public void createTopic(String name, int partitions) {
        TopicCreation.create(admin, bootstrapServers(), name, partitions, STARTUP_TIMEOUT);
    }

    /**
     * The admin client this broker uses for {@link #createTopic}, for tests that inspect topics or
     * offsets. It survives {@link #restart()} (it reconnects by itself) and is closed by {@link
     * #close()}: callers must not close it.
     */
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
        Uninterrupted.run(
                () -> {
                    server.shutdown();
                    server.awaitShutdown();
                });
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
                            KafkaNode.config(dataDir, brokerPort, controllerPort), Time.SYSTEM);
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

    /**
     * Closes the admin client (waiting at most a second for its requests), shuts the server down
     * unless {@link #stop()} did, waits for it, and deletes the log directory if it was a temporary
     * one. Idempotent; {@link #restart()} is refused afterwards.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long began = System.nanoTime();
        Uninterrupted.run(
                () -> {
                    admin.close(Duration.ofSeconds(1));
                    if (!stopped) {
                        server.shutdown();
                        server.awaitShutdown();
                    }
                });
        if (deleteOnClose) {
            LocalResources.deleteRecursively(dataDir);
        }
        log.info(
                "embedded Kafka on {} stopped in {} ms",
                bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    }

    /** The broker's address and log directory, for logs and test failures. */
    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers() + ", " + dataDir + "]";
    }
}
