package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.checks.CheckDefinition;
import dev.vigil.checks.RuleSets;
import dev.vigil.config.Env;
import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.events.Lane;
import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.inventory.Target;
import dev.vigil.simulate.ConfigService;
import dev.vigil.simulate.Fleet;
import dev.vigil.simulate.FleetGenerator;
import dev.vigil.testing.PrometheusText;
import dev.vigil.testing.TestPostgres;
import dev.vigil.tokens.ApiTokens;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production roles (scheduler, fast and slow workers, API), each with its own management port,
 * run a small fleet on embedded PostgreSQL and Kafka; their {@code /metrics} parse as Prometheus
 * text and carry Vigil's meters with plausible values; every metric name the Grafana dashboard and
 * the alert rules in {@code deploy/} use is among those exported. The fleet is scanned once before
 * any test runs, so that each finds every meter fed whatever the order.
 */
class MetricsIT {

    private static final String LANE_LAG_WORK = "vigil_scheduler_lane_lag_work_seconds";

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<AutoCloseable> started = new ArrayList<>();
    private static final Map<String, URI> management = new LinkedHashMap<>();
    private static Fleet fleet;
    private static URI api;
    private static String accountToken;

    @BeforeAll
    static void start() throws IOException {
        TestPostgres pg = own(TestPostgres.start());
        EmbeddedKafka kafka = own(EmbeddedKafka.start());
        fleet = FleetGenerator.generate(11L, 8, 80);
        Inventory.create(
                        pg.dataSource(),
                        PlanIntervals.uniform(Duration.ofSeconds(5)),
                        Clock.systemUTC(),
                        new Random(11))
                .upsert(fleet.targets());
        Map<String, byte[]> docs = fleet.documentsByTargetId();
        ConfigService config = own(ConfigService.start(docs::get));
        ApiTokens tokens = ApiTokens.create(pg.dataSource());
        String serviceToken = tokens.issueService("metrics-it");
        accountToken =
                tokens.issueForAccounts(
                        "metrics-it",
                        fleet.targets().stream().map(Target::accountId).distinct().toList());

        Map<String, String> base = new HashMap<>();
        base.put("VIGIL_DATABASE_URL", pg.jdbcUrl());
        base.put("VIGIL_DATABASE_USER", pg.user());
        base.put("VIGIL_DATABASE_PASSWORD", pg.password());
        base.put("VIGIL_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        base.put("VIGIL_KAFKA_PARTITIONS", "6");
        base.put("VIGIL_WORKER_CONSUMERS", "1");
        for (Plan p : Plan.values()) {
            base.put(PlanIntervals.setting(p).name(), "5s");
        }
        int apiPort = freePort();
        api = URI.create("http://127.0.0.1:" + apiPort + "/");
        own(Roles.api(env(base, "api", Map.of("VIGIL_API_PORT", String.valueOf(apiPort)))));
        Map<String, String> worker =
                Map.of(
                        "VIGIL_CONFIG_SOURCE_URL", config.baseUrl().toString(),
                        "VIGIL_RESULTS_URL", api.toString(),
                        "VIGIL_SERVICE_TOKEN", serviceToken);
        own(Roles.worker(env(base, "worker-fast", worker), Lane.FAST));
        own(Roles.worker(env(base, "worker-slow", worker), Lane.SLOW));
        own(Roles.scheduler(env(base, "scheduler", Map.of())));
        int targets = fleet.targets().size();
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () ->
                                scrape("worker-fast").sum("vigil_worker_scans_total", Map.of())
                                                + scrape("worker-slow")
                                                        .sum("vigil_worker_scans_total", Map.of())
                                        >= targets);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : started.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    @Test
    void everyRoleExportsItsMetersWithPlausibleValues() throws Exception {
        int targets = fleet.targets().size();
        String account = fleet.targets().getFirst().accountId();
        assertThat(get("v1/accounts/" + account + "/insights?severity=high", true)).isEqualTo(200);
        assertThat(get("v1/checks", true)).isEqualTo(200);
        assertThat(get("v1/me", false)).isEqualTo(401);

        PrometheusText scheduler = scrape("scheduler");
        assertThat(scheduler.sum("vigil_scheduler_published_total", Map.of())).isPositive();
        assertThat(scheduler.sum("vigil_scheduler_leader", Map.of())).isEqualTo(1);
        assertThat(scheduler.sum("vigil_scheduler_due_backlog", Map.of())).isNotNegative();
        assertThat(scheduler.sum("vigil_scheduler_oldest_overdue_seconds", Map.of()))
                .isNotNegative();
        assertThat(scheduler.samples("kafka_producer_record_send_total")).isNotEmpty();
        assertThat(scheduler.samples("hikaricp_connections")).isNotEmpty();

        PrometheusText fast = scrape("worker-fast");
        Map<String, String> fastOk = Map.of("lane", "fast", "outcome", "ok");
        assertThat(fast.sum("vigil_worker_scans_total", Map.of("lane", "fast"))).isPositive();
        assertThat(fast.sum("vigil_worker_records_total", Map.of("lane", "fast")))
                .isGreaterThanOrEqualTo(fast.sum("vigil_worker_scans_total", Map.of()));
        assertThat(fast.sum("vigil_worker_scan_duration_seconds_count", fastOk)).isPositive();
        assertThat(fast.sum("vigil_worker_scan_duration_seconds_sum", fastOk)).isPositive();
        assertThat(fast.samples("vigil_worker_scans_in_flight")).hasSize(1);
        assertThat(fast.sum("vigil_worker_scans_in_flight", Map.of())).isNotNegative();
        assertThat(fast.samples("kafka_consumer_fetch_manager_records_consumed_total"))
                .isNotEmpty();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> scrape("worker-fast").samples(LAG).size() == 12);
        Map<String, List<PrometheusText.Sample>> lagByLane = new TreeMap<>();
        for (PrometheusText.Sample s : scrape("worker-fast").samples(LAG)) {
            assertThat(s.value()).as(s.toString()).isNotNegative();
            lagByLane.computeIfAbsent(s.label("lane"), k -> new ArrayList<>()).add(s);
        }
        assertThat(lagByLane).containsOnlyKeys("fast", "changes");
        assertThat(lagByLane.get("fast"))
                .allSatisfy(s -> assertThat(s.label("topic")).isEqualTo("vigil.scan-requests"));
        assertThat(lagByLane.get("changes"))
                .as("the change group's lag, measured by every worker")
                .allSatisfy(s -> assertThat(s.label("topic")).isEqualTo("vigil.config-changes"));
        for (List<PrometheusText.Sample> lane : lagByLane.values()) {
            assertThat(lane.stream().map(s -> s.label("partition")).sorted())
                    .containsExactly("0", "1", "2", "3", "4", "5");
        }

        PrometheusText slow = scrape("worker-slow");
        Map<String, Double> evaluations = new TreeMap<>();
        for (PrometheusText p : List.of(fast, slow)) {
            for (PrometheusText.Sample s : p.samples("vigil_check_evaluations_total")) {
                evaluations.merge(s.label("check_id"), s.value(), Double::sum);
            }
            assertThat(p.samples("vigil_check_errors_total"))
                    .hasSameSizeAs(p.samples("vigil_check_evaluations_total"));
        }
        for (CheckDefinition c : RuleSets.catalogue().checks()) {
            assertThat(evaluations.getOrDefault(c.id(), 0.0)).as(c.id()).isPositive();
        }

        PrometheusText apiMetrics = scrape("api");
        assertThat(requests(apiMetrics, "/v1/accounts/{account_id}/insights", "200")).isEqualTo(1);
        assertThat(requests(apiMetrics, "/v1/checks", "200")).isEqualTo(1);
        assertThat(requests(apiMetrics, "/v1/me", "401")).isEqualTo(1);
        // The workers send their results through the batch call, each call one result or more,
        // compared within one scrape as the pipeline keeps rescanning meanwhile. How many a call
        // gathers depends on how many scans finish at once: on a loaded machine every call held
        // one (CI of f234012 on 2026-12-04: 94 calls, 94 results). ResultBatchIT proves the
        // gathering itself, with callers that are certain to overlap.
        double writes = apiMetrics.sum("vigil_results_writes_total", Map.of("path", "unnest"));
        assertThat(requests(apiMetrics, "/internal/v1/scan-batches", "200"))
                .isGreaterThanOrEqualTo(1.0)
                .isLessThanOrEqualTo(writes);
        assertThat(apiMetrics.samples("vigil_api_request_duration_seconds_count"))
                .allSatisfy(s -> assertThat(s.label("route")).doesNotContain(account));
        assertThat(writes).as("every result of a batch is counted").isGreaterThanOrEqualTo(targets);
        assertThat(apiMetrics.sum("vigil_results_write_rows_total", Map.of("path", "unnest")))
                .isPositive();
        assertThat(
                        apiMetrics.sum(
                                "vigil_results_write_duration_seconds_count",
                                Map.of("path", "unnest")))
                .isPositive();
        assertThat(apiMetrics.samples("vigil_results_writes_total"))
                .extracting(s -> s.label("path"))
                .contains("unnest", "copy");
        assertThat(apiMetrics.samples("vigil_insights_open"))
                .extracting(s -> s.label("severity"))
                .containsExactlyInAnyOrder("low", "moderate", "high", "critical");
        assertThat(apiMetrics.sum("vigil_insights_open", Map.of())).isPositive();

        for (String role : management.keySet()) {
            PrometheusText p = scrape(role);
            assertThat(p.samples("jvm_memory_used_bytes")).as(role).isNotEmpty();
            // A lane's lag in seconds of work is its lag over its recent consumption rate, NaN
            // while no consumption was seen in the window (documented in the runbook); whether
            // it is measured at this scrape depends on the machine's pace, so only its presence
            // is checked. Every other meter of Vigil's has a number.
            p.families().values().stream()
                    .filter(f -> f.name().startsWith("vigil_"))
                    .filter(f -> !f.name().equals(LANE_LAG_WORK))
                    .flatMap(f -> f.samples().stream())
                    .forEach(s -> assertThat(s.value()).as(role + " " + s).isNotNaN());
            if (role.equals("scheduler")) {
                assertThat(p.samples(LANE_LAG_WORK))
                        .extracting(s -> s.label("lane"))
                        .containsExactlyInAnyOrder("fast", "slow");
            }
            assertHistogramsAreConsistent(role, p);
        }
    }

    @Test
    void everyMetricTheDashboardAndAlertsUseIsExported() throws Exception {
        Set<String> exported = new HashSet<>();
        for (String role : management.keySet()) {
            exported.addAll(scrape(role).sampleNames());
        }
        Map<java.nio.file.Path, Set<String>> used = DeployMetricNames.used();
        assertThat(used).containsKeys(DeployMetricNames.DASHBOARD, DeployMetricNames.ALERTS);
        assertThat(used.get(DeployMetricNames.DASHBOARD))
                .contains(
                        "vigil_worker_committed_offset_lag",
                        "vigil_api_request_duration_seconds_bucket",
                        "vigil_insights_open",
                        "jvm_memory_used_bytes");
        assertThat(used.get(DeployMetricNames.ALERTS))
                .contains(
                        "vigil_worker_dead_letters_total",
                        "vigil_scheduler_oldest_overdue_seconds");
        for (var e : used.entrySet()) {
            assertThat(e.getValue()).as(e.getKey().toString()).isNotEmpty();
            Set<String> missing = new TreeSet<>(e.getValue());
            missing.removeAll(exported);
            assertThat(missing)
                    .as("metric names in " + e.getKey() + " that no role exports")
                    .isEmpty();
        }
    }

    private static final java.nio.file.Path SCRAPES = java.nio.file.Path.of("target/metrics");
    private static final String LAG = "vigil_worker_committed_offset_lag";

    private static double requests(PrometheusText p, String route, String status) {
        return p.sum(
                "vigil_api_request_duration_seconds_count",
                Map.of("route", route, "status", status));
    }

    /** Buckets never decrease along {@code le}, and the +Inf bucket equals the count. */
    private static void assertHistogramsAreConsistent(String role, PrometheusText p) {
        for (PrometheusText.Family f : p.families().values()) {
            if (!f.type().equals("histogram")) {
                continue;
            }
            Map<Map<String, String>, List<PrometheusText.Sample>> series = new HashMap<>();
            for (PrometheusText.Sample s : f.samples()) {
                if (s.name().endsWith("_bucket")) {
                    Map<String, String> key = new TreeMap<>(s.labels());
                    key.remove("le");
                    series.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
                }
            }
            assertThat(series).as(role + " " + f.name()).isNotEmpty();
            series.forEach(
                    (labels, buckets) -> {
                        List<PrometheusText.Sample> sorted =
                                buckets.stream()
                                        .sorted(
                                                (a, b) ->
                                                        Double.compare(
                                                                le(a.label("le")),
                                                                le(b.label("le"))))
                                        .toList();
                        for (int i = 1; i < sorted.size(); i++) {
                            assertThat(sorted.get(i).value())
                                    .as(role + " " + f.name() + labels + " le " + i)
                                    .isGreaterThanOrEqualTo(sorted.get(i - 1).value());
                        }
                        assertThat(sorted.getLast().label("le")).isEqualTo("+Inf");
                        assertThat(sorted.getLast().value())
                                .as(role + " " + f.name() + labels + " +Inf bucket vs count")
                                .isEqualTo(p.sum(f.name() + "_count", labels));
                    });
        }
    }

    private static double le(String v) {
        return v.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v);
    }

    private static PrometheusText scrape(String role) throws IOException, InterruptedException {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(management.get(role).resolve("metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        // kept for reading what the roles export (the names in deploy/ must be among them)
        java.nio.file.Files.createDirectories(SCRAPES);
        java.nio.file.Files.writeString(SCRAPES.resolve(role + ".txt"), r.body());
        PrometheusText p = PrometheusText.parse(r.body());
        assertThat(p.samples("jvm_threads_live_threads"))
                .allSatisfy(s -> assertThat(s.label("role")).isNotBlank());
        return p;
    }

    private static int get(String path, boolean authorised)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.resolve(path));
        if (authorised) {
            b.header("Authorization", "Bearer " + accountToken);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static Env env(Map<String, String> base, String role, Map<String, String> extra)
            throws IOException {
        int port = freePort();
        management.put(role, URI.create("http://127.0.0.1:" + port + "/"));
        Map<String, String> m = new HashMap<>(base);
        m.putAll(extra);
        m.put("VIGIL_MANAGEMENT_PORT", String.valueOf(port));
        return Env.of(m);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static <T extends AutoCloseable> T own(T c) {
        started.add(c);
        return c;
    }
}
