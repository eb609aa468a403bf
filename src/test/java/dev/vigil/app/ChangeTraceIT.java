package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.ApiServer;
import dev.vigil.api.ApiSettings;
import dev.vigil.checks.RuleSetHolder;
import dev.vigil.checks.RuleSets;
import dev.vigil.config.Env;
import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.events.ConfigChangeCodec;
import dev.vigil.events.ConfigChangePublisher;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.Topics;
import dev.vigil.results.ResultsClient;
import dev.vigil.sources.HttpConfigSource;
import dev.vigil.sources.SnapshotConfigSource;
import dev.vigil.telemetry.Tracing;
import dev.vigil.testing.InMemoryTracing;
import dev.vigil.testing.TestPostgres;
import dev.vigil.tokens.ApiTokens;
import dev.vigil.worker.ChangeHandler;
import dev.vigil.worker.ChangeWorker;
import dev.vigil.worker.DeadLetterPublisher;
import dev.vigil.worker.WorkerConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A config push is one trace from the push request to the database write of the rescan it triggers:
 * the API's push, the change event's publish and consume, the worker's snapshot fetch (answered by
 * the API), the rule evaluation, and the results call with its write.
 */
class ChangeTraceIT {
    static final AttributeKey<String> TARGET = AttributeKey.stringKey("vigil.target_id");
    static final String ACCOUNT = "acct-change-trace";
    static final String ZONE = "zone-change-trace";

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
        Tracing tracing = otel.tracing();
        TestPostgres pg = own(TestPostgres.start());
        pg.accountTarget(ACCOUNT);
        pg.zoneTarget(ACCOUNT, ZONE);
        EmbeddedKafka kafka = own(EmbeddedKafka.start());
        Topics topics = new Topics("change-trace.");
        KafkaClients.ensureTopics(
                kafka.bootstrapServers(),
                List.of(topics.configChanges(), topics.deadLetters()),
                3,
                Duration.ofSeconds(60));
        KafkaProducer<String, byte[]> producer =
                own(KafkaClients.producer(kafka.bootstrapServers(), "change-trace"));
        ConfigChangePublisher publisher =
                new ConfigChangePublisher(
                        producer, ConfigChangeCodec.create(), topics.configChanges(), tracing);
        ApiServer api =
                own(
                        ApiServer.start(
                                ApiServer.Options.of(
                                                ApiSettings.defaults().withPort(0), pg.dataSource())
                                        .withChanges(
                                                (change, document) -> publisher.publish(change))
                                        .withTracing(tracing)));
        ApiTokens tokens = ApiTokens.create(pg.dataSource());
        String serviceToken = tokens.issueService("change-trace-worker");
        String accountToken = tokens.issueForAccounts("change-trace-user", List.of(ACCOUNT));
        SnapshotConfigSource snapshots =
                own(
                        SnapshotConfigSource.create(
                                api.baseUrl(),
                                serviceToken,
                                Duration.ofSeconds(10),
                                HttpConfigSource.DEFAULT_MAX_DOCUMENT_BYTES,
                                tracing));
        ResultsClient results =
                own(
                        ResultsClient.create(
                                api.baseUrl(), serviceToken, Duration.ofSeconds(30), tracing));
        own(
                ChangeWorker.start(
                        kafka.bootstrapServers(),
                        topics.configChanges(),
                        WorkerConfig.from(Env.of(Map.of("VIGIL_WORKER_CONSUMERS", "1"))),
                        new ChangeHandler(
                                ConfigChangeCodec.create(),
                                snapshots::fetch,
                                RuleSetHolder.fixed(RuleSets.catalogue()),
                                results::submit,
                                tracing),
                        new DeadLetterPublisher(producer, topics.deadLetters()),
                        Clock.systemUTC(),
                        tracing));

        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> pushed =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    api.baseUrl() + "v1/zones/" + ZONE + "/config"))
                                    .header("Authorization", "Bearer " + accountToken)
                                    .header("Content-Type", "application/json")
                                    .POST(
                                            HttpRequest.BodyPublishers.ofByteArray(
                                                    TraceIT.generatedZoneDocument()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> named("write scan result").size() == 1);

        SpanData write = named("write scan result").getFirst();
        String trace = write.getTraceId();
        SpanData push = only(trace, "POST /v1/zones/{zone_id}/config");
        SpanData publish = only(trace, topics.configChanges() + " publish");
        SpanData consume = only(trace, topics.configChanges() + " process");
        SpanData fetch = only(trace, "GET config");
        SpanData served = only(trace, "GET /internal/v1/targets/{target_id}/config");
        SpanData evaluate = only(trace, "evaluate rules");
        SpanData submit = only(trace, "PUT results");
        SpanData ingest = only(trace, "PUT /internal/v1/scans/{scan_id}");

        assertThat(push.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(push.getParentSpanContext().isValid()).as("the push starts the trace").isFalse();
        assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(publish.getParentSpanId()).isEqualTo(push.getSpanId());
        assertThat(consume.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(consume.getParentSpanId()).isEqualTo(publish.getSpanId());
        assertThat(fetch.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(fetch.getParentSpanId()).isEqualTo(consume.getSpanId());
        assertThat(served.getParentSpanId())
                .as("the API serves the snapshot within the worker's fetch")
                .isEqualTo(fetch.getSpanId());
        assertThat(evaluate.getParentSpanId()).isEqualTo(consume.getSpanId());
        assertThat(evaluate.getAttributes().get(TARGET)).isEqualTo(ZONE);
        assertThat(evaluate.getAttributes().get(AttributeKey.longKey("vigil.config_version")))
                .isEqualTo(1L);
        assertThat(submit.getParentSpanId()).isEqualTo(consume.getSpanId());
        assertThat(ingest.getParentSpanId()).isEqualTo(submit.getSpanId());
        assertThat(write.getParentSpanId()).isEqualTo(ingest.getSpanId());
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
