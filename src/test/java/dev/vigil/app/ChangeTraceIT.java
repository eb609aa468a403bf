package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.config.Env;
import dev.vigil.events.Topics;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.simulate.ConfigService;
import dev.vigil.testing.InMemoryTracing;
import dev.vigil.testing.ResultSpans;
import dev.vigil.worker.WorkerConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A config push is one trace from the push request to the database write of the rescan it triggers,
 * through the pipeline as it ships ({@link LocalPipeline}, wired by {@link Wiring}): the API's
 * push, the change event's publish and consume, the worker's snapshot fetch (answered by the API),
 * the rule evaluation, and the results call with its write.
 */
class ChangeTraceIT {
    static final AttributeKey<String> TARGET = AttributeKey.stringKey("vigil.target_id");
    static final AttributeKey<Long> VERSION = AttributeKey.longKey("vigil.config_version");

    InMemorySpanExporter spans = InMemorySpanExporter.create();
    final List<AutoCloseable> owned = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : owned.reversed()) {
            c.close();
        }
    }

    <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    @Test
    void aConfigPushIsOneTraceFromThePushToTheWriteOfItsRescan() throws Exception {
        InMemoryTracing otel = own(InMemoryTracing.start());
        spans = otel.spans();
        Env env = Env.of(Map.of("VIGIL_WORKER_CONSUMERS", "1"));
        // hourly: the scheduled scans (traces of their own) stay out of the way
        LocalPipeline pipeline =
                own(
                        LocalPipeline.start(
                                new LocalPipeline.Options(
                                                1L,
                                                1,
                                                1,
                                                PlanIntervals.uniform(Duration.ofHours(1)),
                                                0,
                                                ConfigService.LatencyModel.none(),
                                                null,
                                                WorkerConfig.from(env),
                                                SchedulerConfig.from(env))
                                        .withTracing(otel.tracing())));
        Topics topics = pipeline.topics();
        String zone = TraceIT.zoneOf(pipeline.fleet());

        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> pushed =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    pipeline.apiUrl()
                                                            + "v1/zones/"
                                                            + zone
                                                            + "/config"))
                                    .header("Authorization", "Bearer " + pipeline.accountToken())
                                    .header("Content-Type", "application/json")
                                    .POST(
                                            HttpRequest.BodyPublishers.ofByteArray(
                                                    TraceIT.generatedZoneDocument()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> !rescans().isEmpty());
        String trace = rescans().getFirst().getTraceId();
        // The worker's spans end after the API's: its consume span ends when the results call
        // returned.
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                named(topics.configChanges() + " process").stream()
                                        .anyMatch(s -> s.getTraceId().equals(trace)));
        SpanData push = only(trace, "POST /v1/zones/{zone_id}/config");
        SpanData publish = only(trace, topics.configChanges() + " publish");
        SpanData consume = only(trace, topics.configChanges() + " process");
        SpanData evaluate = only(trace, "evaluate rules");
        SpanData submit = only(trace, "submit result");
        SpanData call = ResultSpans.callOf(spans, submit);
        SpanData ingest = ResultSpans.childNamed(spans, call, "POST /internal/v1/scan-batches");
        SpanData write = ResultSpans.childNamed(spans, ingest, "write scan results");

        assertThat(push.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(push.getParentSpanContext().isValid()).as("the push starts the trace").isFalse();
        assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(publish.getParentSpanId()).isEqualTo(push.getSpanId());
        assertThat(consume.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(consume.getParentSpanId()).isEqualTo(publish.getSpanId());
        assertThat(named("GET config").stream().filter(s -> s.getTraceId().equals(trace)))
                .as("the event carries the small document: no snapshot fetch")
                .isEmpty();
        assertThat(evaluate.getParentSpanId()).isEqualTo(consume.getSpanId());
        assertThat(evaluate.getAttributes().get(TARGET)).isEqualTo(zone);
        assertThat(evaluate.getAttributes().get(AttributeKey.longKey("vigil.config_version")))
                .isEqualTo(1L);
        assertThat(submit.getParentSpanId()).isEqualTo(consume.getSpanId());
        assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(ingest.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(write.getAttributes().get(AttributeKey.stringKey("vigil.write.path")))
                .isEqualTo("unnest");
    }

    /** The evaluations of config changes: their spans carry the version evaluated. */
    private List<SpanData> rescans() {
        return named("evaluate rules").stream()
                .filter(s -> s.getAttributes().get(VERSION) != null)
                .toList();
    }

    private List<SpanData> named(String name) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    }

    private SpanData only(String traceId, String name) {
        List<SpanData> found =
                named(name).stream().filter(s -> s.getTraceId().equals(traceId)).toList();
        assertThat(found).as("spans named '%s' in trace %s", name, traceId).hasSize(1);
        return found.getFirst();
    }
}
