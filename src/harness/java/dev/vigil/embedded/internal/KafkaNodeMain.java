package dev.vigil.embedded.internal;

import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/**
 * The main class of one node of {@code EmbeddedKafkaCluster}, run in a child JVM: {@code
 * KafkaNodeMain <server.properties>} starts a KRaft server (broker and controller) on a directory
 * {@link ClusterNodes#prepare} formatted, and runs until the server stops. SIGTERM runs a
 * controlled shutdown (the JVM's shutdown hook); SIGKILL is a crash, which is what the fault suite
 * wants.
 *
 * <p>Ours rather than Kafka's {@code kafka.Kafka}: that one also sets up Log4j and its JMX
 * reporter, which this class path (Logback behind SLF4J) does not carry.
 */
public final class KafkaNodeMain {
    private KafkaNodeMain() {}

    /**
     * Starts the server; exits 0 after a shutdown, 1 when the server cannot start (the reason on
     * standard error), 2 on a bad command line.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: KafkaNodeMain <server.properties>");
            System.exit(2);
        }
        Properties props = ClusterNodes.read(Path.of(args[0]));
        KafkaRaftServer server;
        try {
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
            return;
        }
        Runtime.getRuntime()
                .addShutdownHook(
                        Thread.ofPlatform()
                                .name("kafka-node-shutdown")
                                .unstarted(
                                        () -> {
                                            server.shutdown();
                                            server.awaitShutdown();
                                        }));
        System.out.println("kafka node " + props.getProperty("node.id") + " started");
        server.awaitShutdown();
    }
}
