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
import dev.vigil.results.ScanResult;
import dev.vigil.sources.ConfigDocument;
import dev.vigil.sources.ConfigSource;
import dev.vigil.sources.InMemoryConfigSource;
import dev.vigil.telemetry.Tracing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A target is fetched in full once: by the fast lane, or (stopped at the budget) by the slow. */
class FastLaneFetchTest {
    static final Target ZONE = Target.zone("z-1", "a-1", "z1.example", Plan.FREE);
    static final String DOC = "{\"settings\":{\"ssl\":\"off\"}}";

    final MockProducer<String, byte[]> kafka =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    final ScanRequestPublisher requests =
            new ScanRequestPublisher(kafka, ScanRequestCodec.create(), "requests");
    final List<ScanResult> stored = new CopyOnWriteArrayList<>();
    final ScanHandler.LaneLimits oneByte = new ScanHandler.LaneLimits(1, Duration.ofSeconds(5));

    ScanHandler handler(Lane lane, ConfigSource source) {
        return handler(lane, oneByte, source, stored::add, requests);
    }

    /** A lane's handler as the roles wire it, with the catalogue, storing into {@code stored}. */
    static ScanHandler handler(
            Lane lane,
            ScanHandler.LaneLimits limits,
            ConfigSource source,
            Consumer<ScanResult> stored,
            ScanRequestPublisher requests) {
        return Wiring.scanHandler(
                lane,
                limits,
                source,
                new Wiring.Scans(
                        RuleSetHolder.fixed(RuleSets.catalogue()),
                        stored,
                        Tracing.noop(),
                        Clock.systemUTC()),
                requests);
    }

    @Test
    void overTheBudgetTheFastLaneHandsOnAndTheSlowLaneFetchesOnce() throws Exception {
        InMemoryConfigSource source = InMemoryConfigSource.create().put("z-1", DOC);
        ScanRequest request = ScanRequest.of(ZONE, Lane.FAST, ScanReason.SCHEDULED, Instant.now());

        handler(Lane.FAST, source).handle(SlowLaneTraceTest.consumed(requests.record(request)));
        assertThat(stored).as("nothing evaluated in the fast lane").isEmpty();
        assertThat(kafka.history()).hasSize(1);

        handler(Lane.SLOW, source).handle(SlowLaneTraceTest.consumed(kafka.history().getFirst()));
        assertThat(stored).singleElement().satisfies(r -> assertThat(r.findings()).isNotEmpty());
    }

    @Test
    void aDocumentInHandIsEvaluatedWhereItIsNeverFetchedAgain() throws Exception {
        // A source that cannot stop a fetch early (the port's default) returns the whole document.
        InMemoryConfigSource memory = InMemoryConfigSource.create().put("z-1", DOC);
        ConfigSource whole =
                new ConfigSource() {
                    @Override
                    public ConfigDocument fetch(Target target) {
                        return memory.fetch(target);
                    }

                    @Override
                    public void close() {}
                };
        ScanRequest request = ScanRequest.of(ZONE, Lane.FAST, ScanReason.SCHEDULED, Instant.now());

        ScanHandler fast = handler(Lane.FAST, whole);
        fast.handle(SlowLaneTraceTest.consumed(requests.record(request)));

        assertThat(fast.movedToSlow()).isZero();
        assertThat(kafka.history()).as("nothing handed on").isEmpty();
        assertThat(stored)
                .singleElement()
                .satisfies(r -> assertThat(r.targetId()).isEqualTo("z-1"));
        assertThat(memory.fetchCount("z-1")).isEqualTo(1);
    }
}
