package dev.vigil.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.app.Wiring;
import dev.vigil.checks.RuleSetHolder;
import dev.vigil.checks.RuleSets;
import dev.vigil.events.ConfigChange;
import dev.vigil.events.ConfigChangeCodec;
import dev.vigil.events.ConfigChangePublisher;
import dev.vigil.events.Lane;
import dev.vigil.events.ScanReason;
import dev.vigil.events.ScanRequest;
import dev.vigil.events.ScanRequestCodec;
import dev.vigil.events.ScanRequestPublisher;
import dev.vigil.events.VigilHeaders;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetKind;
import dev.vigil.sources.InMemoryConfigSource;
import dev.vigil.telemetry.Tracing;
import dev.vigil.testing.InMemoryTracing;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The producer side of tracing, without a broker: Kafka's own fake producer records the sends. */
class SlowLaneTraceTest {
    static final Target ZONE =
            new Target("z-1", TargetKind.ZONE, "a-1", "z-1", "z1.example", Plan.FREE);

    final InMemoryTracing otel = InMemoryTracing.start();
    final InMemorySpanExporter spans = otel.spans();
    final OpenTelemetrySdk sdk = otel.sdk();
    final Tracing tracing = otel.tracing();
    final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());

    @AfterEach
    void close() {
        sdk.close();
    }

    @Test
    void aRequestHandedToTheSlowLaneStaysInTheTraceOfItsFirstPublish() throws Exception {
        ScanRequestCodec codec = ScanRequestCodec.create();
        ScanRequestPublisher publisher =
                new ScanRequestPublisher(producer, codec, "requests", tracing);
        InMemoryConfigSource source = InMemoryConfigSource.create().put("z-1", "{\"settings\":{}}");
        ScanHandler fast =
                Wiring.scanHandler(
                        Lane.FAST,
                        new ScanHandler.LaneLimits(1, Duration.ofSeconds(5)),
                        source,
                        new Wiring.Scans(
                                RuleSetHolder.fixed(RuleSets.catalogue()),
                                result -> {},
                                tracing,
                                Clock.systemUTC()),
                        publisher);
        RecordHandler traced = new TracedRecords(fast::handle, tracing);

        publisher.publishAll(
                List.of(ScanRequest.of(ZONE, Lane.FAST, ScanReason.SCHEDULED, Instant.now())));
        traced.handle(consumed(producer.history().getFirst()));

        assertThat(fast.movedToSlow()).isEqualTo(1);
        ProducerRecord<String, byte[]> republished = producer.history().get(1);
        assertThat(VigilHeaders.lane(republished.headers())).isEqualTo(Lane.SLOW);
        SpanData first = span("requests publish", 0);
        SpanData consume = span("requests process", 0);
        SpanData second = span("requests publish", 1);
        assertThat(List.of(consume.getTraceId(), second.getTraceId()))
                .containsOnly(first.getTraceId());
        assertThat(consume.getParentSpanId()).isEqualTo(first.getSpanId());
        assertThat(second.getParentSpanId())
                .as("the republish is a child of the fast consume")
                .isEqualTo(consume.getSpanId());
        assertThat(VigilHeaders.get(republished.headers(), VigilHeaders.TRACEPARENT))
                .contains(first.getTraceId() + "-" + second.getSpanId());
    }

    @Test
    void aConfigChangeCarriesTheTraceparentOfItsPublish() {
        ConfigChangePublisher publisher =
                new ConfigChangePublisher(producer, ConfigChangeCodec.create(), "changes", tracing);

        publisher.publish(new ConfigChange(ZONE, 3, List.of("settings"), Instant.now()));

        SpanData publish = span("changes publish", 0);
        assertThat(
                        VigilHeaders.get(
                                producer.history().getFirst().headers(), VigilHeaders.TRACEPARENT))
                .startsWith("00-" + publish.getTraceId() + "-" + publish.getSpanId() + "-");
    }

    SpanData span(String name, int index) {
        List<SpanData> named =
                spans.getFinishedSpanItems().stream()
                        .filter(s -> s.getName().equals(name))
                        .toList();
        return Optional.ofNullable(index < named.size() ? named.get(index) : null)
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "no span #"
                                                + index
                                                + " named "
                                                + name
                                                + " in "
                                                + spans.getFinishedSpanItems()));
    }

    static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> sent) {
        ConsumerRecord<String, byte[]> r =
                new ConsumerRecord<>(sent.topic(), 0, 0L, sent.key(), sent.value());
        sent.headers().forEach(h -> r.headers().add(h));
        return r;
    }
}
