package dev.vigil.bench.internal;

import dev.vigil.app.Wiring;
import dev.vigil.checks.RuleSetHolder;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.Lane;
import dev.vigil.events.ScanRequestCodec;
import dev.vigil.events.ScanRequestPublisher;
import dev.vigil.events.VigilHeaders;
import dev.vigil.results.NaiveResultWriter;
import dev.vigil.results.WriteOutcome;
import dev.vigil.sources.HttpConfigSource;
import dev.vigil.telemetry.Tracing;
import dev.vigil.worker.ScanHandler;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;

/**
 * The reference pipeline's "before", on the same topic, fleet, config service and database: one
 * consumer thread, one record per poll ({@code max.poll.records=1}), each record processed to the
 * end before the next (fetch the configuration, evaluate the full catalogue with Vigil's own
 * ScanHandler, then {@link NaiveResultWriter}: one {@code INSERT ... ON CONFLICT} round trip per
 * finding, in one transaction, directly over JDBC with no HTTP hop), then a synchronous offset
 * commit of that one record. No lanes: it takes fast and slow requests alike, in offset order.
 */
public final class NaivePipeline implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final RuleSetHolder rules;
    private final HttpConfigSource source;
    private final ScanHandler fast;
    private final ScanHandler slow;
    private final Thread thread;
    private final AtomicLong ignored = new AtomicLong();
    private volatile boolean running = true;
    private volatile @Nullable Throwable failure;

    /**
     * Starts consuming {@code start}'s partitions from the given offsets (requests nobody handled).
     */
    public NaivePipeline(
            String bootstrap,
            Map<TopicPartition, Long> start,
            URI configService,
            DataSource db,
            String topic) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "vigil-bench-naive");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.assign(start.keySet());
        start.forEach(consumer::seek);
        producer = KafkaClients.producer(bootstrap, "vigil-bench-naive");
        rules = RuleSetHolder.watching(null, Duration.ofSeconds(60));
        source =
                HttpConfigSource.create(
                        configService,
                        Duration.ofSeconds(10),
                        null,
                        HttpConfigSource.DEFAULT_MAX_DOCUMENT_BYTES);
        ScanRequestPublisher publisher =
                new ScanRequestPublisher(producer, ScanRequestCodec.create(), topic);
        NaiveResultWriter writer = NaiveResultWriter.create(db);
        Wiring.Scans scans =
                new Wiring.Scans(
                        rules, r -> count(writer.apply(r)), Tracing.noop(), Clock.systemUTC());
        fast =
                Wiring.scanHandler(
                        Lane.FAST, ScanHandler.LaneLimits.DEFAULT, source, scans, publisher);
        slow =
                Wiring.scanHandler(
                        Lane.SLOW, ScanHandler.LaneLimits.DEFAULT, source, scans, publisher);
        thread = Thread.ofPlatform().name("bench-naive").start(this::run);
    }

    private void count(WriteOutcome o) {
        if (!o.applied()) {
            ignored.incrementAndGet();
        }
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    ScanHandler h = VigilHeaders.lane(r.headers()) == Lane.SLOW ? slow : fast;
                    h.handle(r);
                    consumer.commitSync(
                            Map.of(
                                    new TopicPartition(r.topic(), r.partition()),
                                    new OffsetAndMetadata(r.offset() + 1)));
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** Both handlers (their scans, findings and timings add up to the naive pipeline's). */
    public ScanHandler fast() {
        return fast;
    }

    public ScanHandler slow() {
        return slow;
    }

    /** Results the writer ignored as replayed or superseded (expected: none). */
    public long ignored() {
        return ignored.get();
    }

    /** What stopped the loop, or null while it runs. */
    public @Nullable Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
        consumer.close();
        producer.close();
        source.close();
        rules.close();
    }
}
