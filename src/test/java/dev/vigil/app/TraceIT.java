package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.config.Env;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.VigilHeaders;
import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetKind;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.simulate.ConfigService;
import dev.vigil.simulate.Fleet;
import dev.vigil.simulate.FleetGenerator;
import dev.vigil.testing.InMemoryTracing;
import dev.vigil.testing.JsonLogLines;
import dev.vigil.testing.ResultSpans;
import dev.vigil.worker.WorkerConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Follows scans by trace id through the pipeline as it ships ({@link LocalPipeline}, wired by
 * {@link Wiring}: PostgreSQL, Kafka, the HTTP config service and results API), every component
 * given one in-memory OpenTelemetry SDK: the scheduler's publish, the worker's consume, config
 * fetch, evaluation and results call, the API's ingestion and its database write are one trace with
 * the right parents; the log lines a scan causes and the dead letter of a failing scan carry its
 * trace.
 */
class TraceIT {
    static final AttributeKey<String> TARGET = AttributeKey.stringKey("vigil.target_id");

    /** An account the config service does not know: a 404, a permanent failure, a dead letter. */
    static final String ACCOUNT = "acct-trace";

    static String zone;
    static InMemorySpanExporter spans = InMemorySpanExporter.create();
    static final List<AutoCloseable> owned = new ArrayList<>();
    static JsonLogLines logs;
    static LocalPipeline pipeline;

    @BeforeAll
    static void start() {
        InMemoryTracing otel = InMemoryTracing.start();
        owned.add(otel);
        spans = otel.spans();
        logs = own(JsonLogLines.attach("dev.vigil"));
        Env env =
                Env.of(
                        Map.of(
                                "VIGIL_WORKER_CONSUMERS", "1",
                                "VIGIL_LANE_SLOW_ASSETS", "1000000"));
        PlanIntervals intervals = PlanIntervals.uniform(Duration.ofSeconds(10));
        pipeline =
                own(
                        LocalPipeline.start(
                                new LocalPipeline.Options(
                                                1L,
                                                1,
                                                1,
                                                intervals,
                                                0,
                                                ConfigService.LatencyModel.none(),
                                                null,
                                                WorkerConfig.from(env),
                                                SchedulerConfig.from(env))
                                        .withTracing(otel.tracing())));
        zone = zoneOf(pipeline.fleet());
        Inventory.create(pipeline.database(), intervals, Clock.systemUTC(), new Random(1))
                .upsert(List.of(Target.account(ACCOUNT, "trace", Plan.FREE)));
        await().atMost(Duration.ofMinutes(2)).until(() -> span("submit result", zone).isPresent());
    }

    static String zoneOf(Fleet fleet) {
        return fleet.targets().stream()
                .filter(t -> t.kind() == TargetKind.ZONE)
                .map(Target::targetId)
                .findFirst()
                .orElseThrow();
    }

    /** A generated zone's document: a realistic config the catalogue has findings in. */
    static byte[] generatedZoneDocument() {
        Fleet fleet = FleetGenerator.generate(1L, 1, 1);
        return fleet.documentsByTargetId().get(zoneOf(fleet));
    }

    static <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : owned.reversed()) {
            c.close();
        }
    }

    static Optional<SpanData> span(String name, String targetId) {
        return spans.getFinishedSpanItems().stream()
                .filter(
                        s ->
                                s.getName().equals(name)
                                        && targetId.equals(s.getAttributes().get(TARGET)))
                .findFirst();
    }

    static SpanData only(String traceId, String name) {
        List<SpanData> found =
                spans.getFinishedSpanItems().stream()
                        .filter(s -> s.getTraceId().equals(traceId) && s.getName().equals(name))
                        .toList();
        assertThat(found).as("spans named '%s' in trace %s", name, traceId).hasSize(1);
        return found.getFirst();
    }

    @Test
    void oneScanIsOneTraceFromTheSchedulersPublishToTheDatabaseWrite() {
        SpanData publish = span(pipeline.topics().scanRequests() + " publish", zone).orElseThrow();
        String trace = publish.getTraceId();
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                spans.getFinishedSpanItems().stream()
                                                .filter(s -> s.getTraceId().equals(trace))
                                                .count()
                                        >= 7);

        SpanData consume = only(trace, pipeline.topics().scanRequests() + " process");
        SpanData fetch = only(trace, "GET config");
        SpanData evaluate = only(trace, "evaluate rules");
        SpanData submit = only(trace, "submit result");
        // The results of scans running at once share one call: it is a child of the scan that
        // sent it and linked to the others', so this scan's trace leads to it either way.
        SpanData call = ResultSpans.callOf(spans, submit);
        SpanData ingest = ResultSpans.childNamed(spans, call, "POST /internal/v1/scan-batches");
        SpanData write = ResultSpans.childNamed(spans, ingest, "write scan results");

        assertThat(publish.getParentSpanContext().isValid())
                .as("the publish starts the trace")
                .isFalse();
        assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(consume.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(consume.getParentSpanId()).isEqualTo(publish.getSpanId());
        assertThat(fetch.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(fetch.getParentSpanId()).isEqualTo(consume.getSpanId());
        assertThat(evaluate.getParentSpanId()).isEqualTo(consume.getSpanId());
        assertThat(submit.getParentSpanId()).isEqualTo(consume.getSpanId());
        assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(ingest.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(write.getAttributes().get(AttributeKey.stringKey("vigil.write.path")))
                .isEqualTo("unnest");
    }

    @Test
    void theLogLinesOfAScanCarryItsTraceIdInTheWorkerAndTheApi() {
        SpanData submit = span("submit result", zone).orElseThrow();
        String trace = submit.getTraceId();
        String apiTrace = ResultSpans.callOf(spans, submit).getTraceId();
        List<String> lines =
                logs.lines().stream()
                        .filter(
                                l ->
                                        l.contains("\"trace_id\":\"" + trace + "\"")
                                                || l.contains("\"trace_id\":\"" + apiTrace + "\""))
                        .toList();

        assertThat(lines)
                .anySatisfy(
                        l ->
                                assertThat(l)
                                        .contains("scanned target " + zone)
                                        .contains(
                                                "\"logger_name\":\"dev.vigil.worker.ScanHandler\""))
                .anySatisfy(
                        l ->
                                assertThat(l)
                                        .contains("of target " + zone)
                                        .contains("dev.vigil.api.internal.ResultsBatchHandler"));
        assertThat(lines).allSatisfy(l -> assertThat(l).contains("\"span_id\":\""));
    }

    @Test
    void aDeadLetteredRequestKeepsItsTraceparentAndItsFailureIsLoggedInTheTrace() {
        // The account joined the inventory after the start: the scheduler publishes its scan when
        // it is next due, which a loaded machine may not have reached when this test runs.
        SpanData publish =
                await().atMost(Duration.ofMinutes(2))
                        .until(
                                () -> span(pipeline.topics().scanRequests() + " publish", ACCOUNT),
                                Optional::isPresent)
                        .orElseThrow();
        String trace = publish.getTraceId();
        ConsumerRecord<String, byte[]> dead = null;
        try (KafkaConsumer<String, byte[]> c =
                KafkaClients.consumer(
                        pipeline.kafkaBootstrap(), "trace-it-dlq", "trace-it-dlq", 10)) {
            c.subscribe(List.of(pipeline.topics().deadLetters()));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (dead == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (ACCOUNT.equals(r.key())) {
                        dead = r;
                    }
                }
            }
        }

        assertThat(dead).as("dead letter of " + ACCOUNT).isNotNull();
        assertThat(VigilHeaders.get(dead.headers(), VigilHeaders.TRACEPARENT))
                .as("the original's traceparent: version, trace id, parent (the publish), flags")
                .startsWith("00-" + trace + "-" + publish.getSpanId() + "-");
        assertThat(only(trace, "GET config").getStatus().getStatusCode().name()).isEqualTo("ERROR");
        assertThat(logs.lines())
                .anySatisfy(
                        l ->
                                assertThat(l)
                                        .contains("dead-lettering")
                                        .contains("\"trace_id\":\"" + trace + "\""));
    }
}
