package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.config.Env;
import dev.vigil.events.InsightEvent;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.Lane;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.simulate.ConfigService;
import dev.vigil.testing.Acks;
import dev.vigil.testing.InsightEventTopic;
import dev.vigil.testing.PrometheusText;
import dev.vigil.worker.Worker;
import dev.vigil.worker.WorkerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline on the embedded broker and database, checked against the planted fleet. The
 * fleet is scanned once and the scheduler stopped before any test runs, so that each test starts
 * from the same settled state whatever the order: none of them changes the insights.
 */
class PipelineIT {
    private static LocalPipeline pipeline;

    @BeforeAll
    static void start() {
        Env defaults = Env.of(Map.of());
        pipeline =
                LocalPipeline.start(
                        new LocalPipeline.Options(
                                7L,
                                30,
                                300,
                                PlanIntervals.uniform(Duration.ofSeconds(5)),
                                0,
                                ConfigService.LatencyModel.none(),
                                null,
                                WorkerConfig.from(defaults),
                                SchedulerConfig.from(defaults)));
        int targets = pipeline.fleet().targets().size();
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> scannedTargets() == targets);
        pipeline.scheduler().close();
        awaitNoLag();
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void theInsightEventsTopicCarriesExactlyTheTransitionsTheAuditLogRecorded() {
        Jdbi jdbi = Jdbi.create(pipeline.database());
        Map<Long, List<String>> audited = InsightEventTopic.auditedKinds(jdbi);
        long transitions = audited.values().stream().mapToLong(List::size).sum();
        assertThat(transitions).isPositive();
        try (InsightEventTopic topic =
                new InsightEventTopic(
                        pipeline.kafkaBootstrap(), pipeline.topics().insightEvents())) {
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () ->
                                    topic.poll().size() >= transitions
                                            && jdbi.withHandle(
                                                            h ->
                                                                    h.createQuery(
                                                                                    "select count(*)"
                                                                                            + " from insight_event_outbox")
                                                                            .mapTo(Long.class)
                                                                            .one())
                                                    == 0);
            List<InsightEvent> events = topic.poll();

            assertThat(InsightEventTopic.kindsByInsight(events)).isEqualTo(audited);
            assertThat(InsightEventTopic.idCounts(events).values()).containsOnly(1L);
        }
    }

    @Test
    void storedInsightsAreExactlyThePlantedOnes() {
        InsightCensus census = InsightCensus.take(pipeline.database(), pipeline.fleet().planted());
        assertThat(census.planted()).isPositive();
        assertThat(census.missing()).as(census.toString()).isZero();
        assertThat(census.unexpected()).as(census.toString()).isZero();
    }

    @Test
    void replayingEveryScanRequestChangesNothing() throws Exception {
        List<List<Object>> before = insightRows();
        List<ConsumerRecord<String, byte[]>> all = readAll(pipeline.topics().scanRequests());
        assertThat(all).hasSizeGreaterThanOrEqualTo(pipeline.fleet().targets().size());
        try (KafkaProducer<String, byte[]> p =
                KafkaClients.producer(pipeline.kafkaBootstrap(), "replay")) {
            List<Future<?>> acks = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : all) {
                ProducerRecord<String, byte[]> copy =
                        new ProducerRecord<>(r.topic(), r.key(), r.value());
                r.headers().forEach(h -> copy.headers().add(h));
                acks.add(p.send(copy));
            }
            p.flush();
            Acks.awaitAll(acks);
        }
        long scansBefore = pipeline.scansDone();
        await().atMost(Duration.ofMinutes(3))
                .until(() -> pipeline.scansDone() >= scansBefore + all.size());
        awaitNoLag();
        assertThat(insightRows()).isEqualTo(before);
        assertThat(InsightCensus.take(pipeline.database(), pipeline.fleet().planted()).exact())
                .isTrue();
    }

    @Test
    void theApiServesTheInsightsOfAnAccountBehindItsToken() throws Exception {
        String account = pipeline.fleet().targets().getFirst().accountId();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ok =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                pipeline.apiUrl()
                                                        + "v1/accounts/"
                                                        + account
                                                        + "/insights?per_page=5"))
                                .header("Authorization", "Bearer " + pipeline.accountToken())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"result_info\"");
        HttpResponse<String> anonymous =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                pipeline.apiUrl()
                                                        + "v1/accounts/"
                                                        + account
                                                        + "/insights"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void theManagementEndpointServesMetricsAndReadiness() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> metrics =
                http.send(
                        HttpRequest.newBuilder(pipeline.managementUrl().resolve("metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("vigil_worker_scans_total{lane=\"fast\"")
                .contains("vigil_scheduler_published_total")
                .contains("vigil_scheduler_due_backlog")
                .contains("hikaricp_connections_active")
                .contains("jvm_memory_used_bytes")
                .contains("vigil_worker_scan_duration_seconds_bucket{lane=\"fast\"")
                .contains("vigil_worker_committed_offset_lag{lane=\"fast\"")
                .contains("vigil_check_evaluations_total{check_id=")
                .contains("vigil_results_writes_total{path=\"unnest\"")
                .contains(
                        "vigil_api_request_duration_seconds_count{method=\"POST\",role=\"local\",route=\"/internal/v1/scan-batches\"")
                .contains("vigil_insights_open{role=\"local\",severity=\"high\"}")
                .contains("kafka_consumer_fetch_manager_records_consumed_total");
        // the demo's single endpoint is valid exposition too
        assertThat(PrometheusText.parse(metrics.body()).samples("vigil_worker_scans_total"))
                .hasSize(2);
        HttpResponse<String> ready =
                http.send(
                        HttpRequest.newBuilder(pipeline.managementUrl().resolve("readyz")).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("ok   database: reachable");
    }

    @Test
    void anOnDemandScanThroughTheApiIsScannedAndStored() throws Exception {
        String zone =
                pipeline.fleet().targets().stream()
                        .filter(t -> t.zoneId() != null)
                        .findFirst()
                        .orElseThrow()
                        .targetId();
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        pipeline.apiUrl()
                                                                + "v1/zones/"
                                                                + zone
                                                                + "/scan"))
                                        .POST(HttpRequest.BodyPublishers.noBody())
                                        .header(
                                                "Authorization",
                                                "Bearer " + pipeline.accountToken())
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String scanId =
                tools.jackson.databind.json.JsonMapper.builder()
                        .build()
                        .readTree(r.body())
                        .at("/result/scans/0/scan_id")
                        .asString();
        await().atMost(Duration.ofMinutes(2))
                .until(
                        () ->
                                Jdbi.create(pipeline.database())
                                                .withHandle(
                                                        h ->
                                                                h.createQuery(
                                                                                "select count(*) from scans where scan_id = cast(:s as uuid)")
                                                                        .bind("s", scanId)
                                                                        .mapTo(Long.class)
                                                                        .one())
                                        == 1);
    }

    private static long scannedTargets() {
        return Jdbi.create(pipeline.database())
                .withHandle(
                        h ->
                                h.createQuery(
                                                "select count(*) from targets where last_result_at is not null")
                                        .mapTo(Long.class)
                                        .one());
    }

    private static List<List<Object>> insightRows() {
        return Jdbi.create(pipeline.database())
                .withHandle(
                        h ->
                                h.createQuery(
                                                """
                                                select account_id, coalesce(zone_id, ''), check_id, resource_key, status,
                                                       dismissed, first_seen_at, coalesce(resolved_at::text, '')
                                                  from insights order by 1, 2, 3, 4
                                                """)
                                        .map(
                                                (rs, ctx) -> {
                                                    List<Object> row = new ArrayList<>();
                                                    for (int i = 1; i <= 8; i++) {
                                                        row.add(rs.getObject(i));
                                                    }
                                                    return row;
                                                })
                                        .list());
    }

    /**
     * The slow lane's group reads every request to find its few: its fetches wait at the broker for
     * {@link KafkaClients.FetchWait#PATIENT} (half a second on an idle topic); the fast lane's
     * return at the first byte or within 50 ms.
     */
    @Test
    void theSlowLanesFetchesWaitAtTheBrokerTheFastLanesDoNot() {
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () -> {
                            assertThat(fetchLatencyMs(Lane.SLOW))
                                    .as("slow lane's mean fetch, ms")
                                    .isGreaterThanOrEqualTo(400);
                            assertThat(fetchLatencyMs(Lane.FAST))
                                    .as("fast lane's mean fetch, ms")
                                    .isLessThan(400);
                        });
    }

    /** The lane's consumers' mean fetch latency over Kafka's metric window. */
    private static double fetchLatencyMs(Lane lane) {
        Worker w =
                pipeline.workers().stream().filter(x -> x.lane() == lane).findFirst().orElseThrow();
        return w.kafkaConsumers().stream()
                .flatMap(c -> c.metrics().entrySet().stream())
                .filter(
                        e ->
                                e.getKey().name().equals("fetch-latency-avg")
                                        && e.getKey()
                                                .group()
                                                .equals("consumer-fetch-manager-metrics"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .filter(v -> !Double.isNaN(v))
                .average()
                .orElse(Double.NaN);
    }

    private static void awaitNoLag() {
        try (LagProbe lag =
                new LagProbe(pipeline.kafkaBootstrap(), pipeline.topics().scanRequests())) {
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () ->
                                    lag.lag(Worker.groupId(Lane.FAST)) == 0
                                            && lag.lag(Worker.groupId(Lane.SLOW)) == 0);
        }
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c =
                KafkaClients.consumer(
                        pipeline.kafkaBootstrap(), "replay-reader", "replay-reader", 1000)) {
            c.subscribe(List.of(topic));
            // Ends after 3 s without a record once assigned; the deadline only bounds a group join
            // that never completes (the size check of the caller then fails).
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            int idle = 0;
            while (idle < 10 && System.nanoTime() < deadline) {
                var batch = c.poll(Duration.ofMillis(300));
                if (batch.isEmpty()) {
                    if (!c.assignment().isEmpty()) {
                        idle++;
                    }
                } else {
                    idle = 0;
                    batch.forEach(out::add);
                }
            }
        }
        return out;
    }
}
