package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.ApiServer;
import dev.vigil.api.ApiSettings;
import dev.vigil.api.ApiTokens;
import dev.vigil.checks.RuleSetHolder;
import dev.vigil.checks.RuleSets;
import dev.vigil.config.Env;
import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.Lane;
import dev.vigil.events.ScanRequestCodec;
import dev.vigil.events.ScanRequestPublisher;
import dev.vigil.events.Topics;
import dev.vigil.events.VigilHeaders;
import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetKind;
import dev.vigil.results.ResultsClient;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.simulate.ConfigService;
import dev.vigil.simulate.Fleet;
import dev.vigil.simulate.FleetGenerator;
import dev.vigil.sources.HttpConfigSource;
import dev.vigil.telemetry.Tracing;
import dev.vigil.testing.InMemoryTracing;
import dev.vigil.testing.JsonLogLines;
import dev.vigil.testing.TestPostgres;
import dev.vigil.worker.DeadLetterPublisher;
import dev.vigil.worker.ScanHandler;
import dev.vigil.worker.Worker;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Follows scans by trace id through the real pipeline (PostgreSQL, Kafka, the HTTP config service
 * and results API), every component given one in-memory OpenTelemetry SDK: the scheduler's publish,
 * the worker's consume, config fetch, evaluation and results call, the API's ingestion and its
 * database write are one trace with the right parents; the log lines a scan causes and the dead
 * letter of a failing scan carry its trace.
 */
class TraceIT {
    static final AttributeKey<String> TARGET = AttributeKey.stringKey("vigil.target_id");
    static final String ACCOUNT = "acct-trace";
    static final String ZONE = "zone-trace";

    static InMemorySpanExporter spans = InMemorySpanExporter.create();
    static final List<AutoCloseable> owned = new ArrayList<>();
    static JsonLogLines logs;
    static Topics topics;
    static String bootstrap;

    @BeforeAll
    static void start() {
        InMemoryTracing otel = InMemoryTracing.start();
        owned.add(otel);
        spans = otel.spans();
        Tracing tracing = otel.tracing();
        logs = own(JsonLogLines.attach("dev.vigil"));

        TestPostgres pg = own(TestPostgres.start());
        pg.accountTarget(ACCOUNT);
        pg.zoneTarget(ACCOUNT, ZONE);
        EmbeddedKafka kafka = own(EmbeddedKafka.start());
        bootstrap = kafka.bootstrapServers();
        topics = new Topics("trace.");
        KafkaClients.ensureTopics(
                bootstrap,
                List.of(topics.scanRequests(), topics.deadLetters()),
                3,
                Duration.ofSeconds(60));
        byte[] zoneDocument = generatedZoneDocument();
        // The account is unknown to the config service: a 404, a permanent failure, a dead letter.
        ConfigService configs =
                own(ConfigService.start(id -> ZONE.equals(id) ? zoneDocument : null));

        String serviceToken = ApiTokens.create(pg.dataSource()).issueService("trace-it");
        ApiServer api =
                own(
                        ApiServer.start(
                                ApiServer.Options.of(
                                                ApiSettings.defaults().withPort(0), pg.dataSource())
                                        .withTracing(tracing)));
        KafkaProducer<String, byte[]> producer = own(KafkaClients.producer(bootstrap, "trace-it"));
        ScanRequestCodec codec = ScanRequestCodec.create();
        ScanRequestPublisher publisher =
                new ScanRequestPublisher(producer, codec, topics.scanRequests(), tracing);
        HttpConfigSource source =
                own(
                        HttpConfigSource.create(
                                configs.baseUrl(),
                                Duration.ofSeconds(10),
                                null,
                                HttpConfigSource.DEFAULT_MAX_DOCUMENT_BYTES,
                                tracing));
        ResultsClient results =
                own(
                        ResultsClient.create(
                                api.baseUrl(), serviceToken, Duration.ofSeconds(30), tracing));
        Env env =
                Env.of(
                        Map.of(
                                "VIGIL_WORKER_CONSUMERS", "1",
                                "VIGIL_SCHEDULER_FIXED_RATE", "50",
                                "VIGIL_LANE_SLOW_ASSETS", "1000000"));
        WorkerConfig wc = WorkerConfig.from(env);
        ScanHandler handler =
                new ScanHandler(
                        Lane.FAST,
                        codec,
                        source,
                        RuleSetHolder.fixed(RuleSets.catalogue()),
                        results::submit,
                        publisher,
                        wc.laneLimits(),
                        tracing);
        own(
                Worker.start(
                        bootstrap,
                        topics.scanRequests(),
                        Lane.FAST,
                        wc,
                        handler,
                        new DeadLetterPublisher(producer, topics.deadLetters()),
                        Clock.systemUTC(),
                        tracing));
        PlanIntervals hourly = PlanIntervals.uniform(Duration.ofHours(1));
        own(
                Wiring.scheduler(
                        pg.dataSource(),
                        publisher,
                        Inventory.create(pg.dataSource(), hourly, Clock.systemUTC(), new Random(1)),
                        hourly,
                        SchedulerConfig.from(env),
                        Clock.systemUTC()));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> span("write scan result", ZONE).isPresent());
    }

    /** A generated zone's document: a realistic config the catalogue has findings in. */
    static byte[] generatedZoneDocument() {
        Fleet fleet = FleetGenerator.generate(1L, 1, 1);
        String zone =
                fleet.targets().stream()
                        .filter(t -> t.kind() == TargetKind.ZONE)
                        .map(Target::targetId)
                        .findFirst()
                        .orElseThrow();
        return fleet.documentsByTargetId().get(zone);
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
        SpanData publish = span("trace.scan-requests publish", ZONE).orElseThrow();
        String trace = publish.getTraceId();
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                spans.getFinishedSpanItems().stream()
                                                .filter(s -> s.getTraceId().equals(trace))
                                                .count()
                                        >= 7);

        SpanData consume = only(trace, "trace.scan-requests process");
        SpanData fetch = only(trace, "GET config");
        SpanData evaluate = only(trace, "evaluate rules");
        SpanData submit = only(trace, "PUT results");
        SpanData ingest = only(trace, "PUT /internal/v1/scans/{scan_id}");
        SpanData write = only(trace, "write scan result");

        assertThat(publish.getParentSpanContext().isValid())
                .as("the publish starts the trace")
                .isFalse();
        assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(consume.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(consume.getParentSpanId()).isEqualTo(publish.getSpanId());
        assertThat(fetch.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(fetch.getParentSpanId()).isEqualTo(consume.getSpanId());
        assertThat(evaluate.getParentSpanId()).isEqualTo(consume.getSpanId());
        assertThat(submit.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(submit.getParentSpanId()).isEqualTo(consume.getSpanId());
        assertThat(ingest.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(ingest.getParentSpanId())
                .as("the API continues the worker's call")
                .isEqualTo(submit.getSpanId());
        assertThat(write.getParentSpanId()).isEqualTo(ingest.getSpanId());
        assertThat(write.getAttributes().get(AttributeKey.stringKey("vigil.write.path")))
                .isEqualTo("unnest");
    }

    @Test
    void theLogLinesOfAScanCarryItsTraceIdInTheWorkerAndTheApi() {
        String trace = span("write scan result", ZONE).orElseThrow().getTraceId();
        List<String> lines =
                logs.lines().stream()
                        .filter(l -> l.contains("\"trace_id\":\"" + trace + "\""))
                        .toList();

        assertThat(lines)
                .anySatisfy(
                        l ->
                                assertThat(l)
                                        .contains("scanned target " + ZONE)
                                        .contains(
                                                "\"logger_name\":\"dev.vigil.worker.ScanHandler\""))
                .anySatisfy(
                        l ->
                                assertThat(l)
                                        .contains("of target " + ZONE)
                                        .contains("dev.vigil.api.internal.ResultsHandler"));
        assertThat(lines).allSatisfy(l -> assertThat(l).contains("\"span_id\":\""));
    }

    @Test
    void aDeadLetteredRequestKeepsItsTraceparentAndItsFailureIsLoggedInTheTrace() {
        SpanData publish = span("trace.scan-requests publish", ACCOUNT).orElseThrow();
        String trace = publish.getTraceId();
        ConsumerRecord<String, byte[]> dead = null;
        try (KafkaConsumer<String, byte[]> c =
                KafkaClients.consumer(bootstrap, "trace-it-dlq", "trace-it-dlq", 10)) {
            c.subscribe(List.of(topics.deadLetters()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
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
