package dev.vigil.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.checks.BrokenDocumentException;
import dev.vigil.events.Lane;
import dev.vigil.events.ScanReason;
import dev.vigil.events.ScanRequest;
import dev.vigil.events.ScanRequestCodec;
import dev.vigil.events.ScanRequestPublisher;
import dev.vigil.failure.Failure;
import dev.vigil.results.ScanResult;
import dev.vigil.sources.InMemoryConfigSource;
import dev.vigil.sources.PermanentSourceException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A source checks only how a body opens (an object); a document broken further in, or with
 * something after its object, is refused by the decode: a failure naming the target that is not
 * retried (the same bytes would come back) and stores nothing.
 */
class BrokenDocumentTest {
    final MockProducer<String, byte[]> kafka =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    final ScanRequestPublisher requests =
            new ScanRequestPublisher(kafka, ScanRequestCodec.create(), "requests");
    final List<ScanResult> stored = new CopyOnWriteArrayList<>();

    @ParameterizedTest
    @ValueSource(strings = {"{\"settings\": {\"ssl\": tru}}", "{\"settings\": {}} {}", "{\"a\":"})
    void aDocumentBrokenAfterItsOpeningIsAPermanentFailureNamingTheTarget(String body) {
        InMemoryConfigSource source = InMemoryConfigSource.create().put("z-1", body);
        ScanHandler handler =
                FastLaneFetchTest.handler(
                        Lane.SLOW,
                        new ScanHandler.LaneLimits(1 << 20, Duration.ofSeconds(5)),
                        source,
                        stored::add,
                        requests);
        ScanRequest request =
                ScanRequest.of(
                        FastLaneFetchTest.ZONE, Lane.SLOW, ScanReason.SCHEDULED, Instant.now());

        assertThatThrownBy(
                        () -> handler.handle(SlowLaneTraceTest.consumed(requests.record(request))))
                .isInstanceOf(PermanentSourceException.class)
                .hasMessageStartingWith(
                        "the document fetched for target z-1 ("
                                + body.length()
                                + " bytes) cannot be evaluated: configuration document ")
                .isInstanceOf(Failure.Permanent.class)
                .hasCauseInstanceOf(BrokenDocumentException.class)
                .satisfies(e -> assertThat(Failure.isRetriable(e)).isFalse());
        assertThat(stored).isEmpty();
    }
}
