package dev.vigil.worker;

import dev.vigil.app.Wiring;
import dev.vigil.checks.RuleSetHolder;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.Lane;
import dev.vigil.events.ScanRequestCodec;
import dev.vigil.events.ScanRequestPublisher;
import dev.vigil.results.ResultsClient;
import dev.vigil.sources.HttpConfigSource;
import dev.vigil.telemetry.Tracing;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A fast-lane worker in a child JVM, to be killed: {@code ChildWorkerMain <bootstrap> <topic>
 * <deadLetterTopic> <configServiceUrl> <resultsApiUrl> <serviceToken>}. It assembles the production
 * pieces of {@link Worker} (config source, the scan handler of {@link Wiring#scanHandler},
 * resilient handler, batch consumer in the fast lane's group) with one difference: the consumer's
 * session timeout is the broker's minimum (6 s) instead of the client default (45 s), so the group
 * notices the SIGKILL within seconds and the test stays short. Runs until killed.
 */
public final class ChildWorkerMain {

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        Clock clock = Clock.systemUTC();
        var producer = KafkaClients.producer(bootstrap, "child-worker");
        ScanHandler scans =
                Wiring.scanHandler(
                        Lane.FAST,
                        // never hand a target to the slow lane: the delay is the point here
                        new ScanHandler.LaneLimits(Integer.MAX_VALUE, Duration.ofHours(1)),
                        HttpConfigSource.create(
                                URI.create(args[3]),
                                Duration.ofMinutes(5),
                                null,
                                HttpConfigSource.DEFAULT_MAX_DOCUMENT_BYTES),
                        new Wiring.Scans(
                                RuleSetHolder.watching(null, Duration.ofMinutes(10)),
                                ResultsClient.create(
                                                URI.create(args[4]),
                                                args[5],
                                                Duration.ofSeconds(30))
                                        ::submit,
                                Tracing.noop(),
                                clock),
                        new ScanRequestPublisher(producer, ScanRequestCodec.create(), topic));
        ResilientHandler handler =
                new ResilientHandler(
                        scans,
                        RetryPolicy.DEFAULT,
                        new DeadLetterPublisher(producer, args[2]),
                        clock);
        BatchConsumer.start(
                consumer(bootstrap), topic, handler, 256, Duration.ofSeconds(20), "child-worker");
        System.out.println("CHILD WORKER STARTED");
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(10));
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, Worker.groupId(Lane.FAST));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "child-worker");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
