package dev.vigil.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.app.Wiring;
import dev.vigil.checks.RuleSetHolder;
import dev.vigil.checks.RuleSets;
import dev.vigil.events.Lane;
import dev.vigil.events.ScanReason;
import dev.vigil.events.ScanRequest;
import dev.vigil.events.ScanRequestCodec;
import dev.vigil.events.ScanRequestPublisher;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import dev.vigil.sources.InMemoryConfigSource;
import dev.vigil.telemetry.Tracing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A fast-lane worker hands a slow target to the slow lane by publishing it again; when Kafka fails
 * that publish for a reason that passes (a timeout), the scan is retried like any other retriable
 * failure of a port, not dead-lettered on the first attempt.
 */
class HandOffRetryTest {
    static final Target ZONE = Target.zone("z-1", "a-1", "z1.example", Plan.FREE);

    /** Kafka as it fails a send it could not deliver in time: the acknowledgement fails, once. */
    final MockProducer<String, byte[]> kafka =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()) {
                private final AtomicInteger failures = new AtomicInteger(1);

                @Override
                public synchronized Future<RecordMetadata> send(
                        ProducerRecord<String, byte[]> record) {
                    if (failures.getAndDecrement() > 0) {
                        return CompletableFuture.failedFuture(
                                new TimeoutException(
                                        "Expiring 1 record(s) for requests-0: 120000 ms has passed"
                                                + " since batch creation"));
                    }
                    return super.send(record);
                }
            };

    final MockProducer<String, byte[]> deadLetterKafka =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    final ScanRequestPublisher requests =
            new ScanRequestPublisher(kafka, ScanRequestCodec.create(), "requests");
    final ScanHandler fast =
            Wiring.scanHandler(
                    Lane.FAST,
                    // every document is over one byte: every target is handed over
                    new ScanHandler.LaneLimits(1, Duration.ofSeconds(5)),
                    InMemoryConfigSource.create().put("z-1", "{\"settings\":{}}"),
                    new Wiring.Scans(
                            RuleSetHolder.fixed(RuleSets.catalogue()),
                            result -> {},
                            Tracing.noop(),
                            Clock.systemUTC()),
                    requests);
    final ResilientHandler handler =
            new ResilientHandler(
                    fast,
                    new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5)),
                    new DeadLetterPublisher(deadLetterKafka, "requests.dlq"),
                    Clock.systemUTC());

    @Test
    void aKafkaTimeoutDuringTheSlowLaneHandOffIsRetriedNotDeadLettered() throws Exception {
        ScanRequest request = ScanRequest.of(ZONE, Lane.FAST, ScanReason.SCHEDULED, Instant.now());

        handler.handle(SlowLaneTraceTest.consumed(requests.record(request)));

        assertThat(deadLetterKafka.history()).as("dead letters").isEmpty();
        assertThat(handler.deadLettered()).isZero();
        assertThat(handler.retries()).isEqualTo(1);
        assertThat(fast.movedToSlow()).isEqualTo(1);
        assertThat(kafka.history())
                .as("the hand-off published on the second attempt")
                .singleElement()
                .satisfies(r -> assertThat(r.key()).isEqualTo("z-1"));
    }
}
