package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.config.Env;
import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.events.Lane;
import dev.vigil.inventory.FleetSync;
import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.sources.cloudflare.CloudflareDiscovery;
import dev.vigil.sources.cloudflare.CloudflareSettings;
import dev.vigil.testing.PrometheusText;
import dev.vigil.testing.TestPostgres;
import dev.vigil.testing.cloudflare.CloudflareStub;
import dev.vigil.testing.cloudflare.CloudflareStub.StubRequest;
import dev.vigil.testing.cloudflare.ExpectedFindings;
import dev.vigil.testing.cloudflare.RequestRate;
import dev.vigil.testing.cloudflare.StubFleet;
import dev.vigil.testing.dns.LoopbackDnsServer;
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
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The production roles in one JVM with {@code VIGIL_CONFIG_SOURCE=cloudflare}: the scheduler
 * publishes the stub fleet's targets, two workers per lane fetch them through the Cloudflare API
 * stub, the results API stores them in PostgreSQL. The open insights equal the catalogue's findings
 * for the fleet, and the stub's request log shows the credential's pace held across every worker
 * thread.
 */
class CloudflarePipelineIT {

    private static final double PER_SECOND = 25;
    private static final String BIG_ZONE = "b16b16b16b16b16b16b16b16b16b16b1";
    private static URI slowWorker;
    private static final String REFUSED_ZONE = "05c43cecf5b71eaff987cf17c4df216c";
    private static URI api;
    private static String readToken;
    private static final List<AutoCloseable> started = new ArrayList<>();
    private static CloudflareStub stub;
    private static Jdbi jdbi;

    private static <T extends AutoCloseable> T own(T c) {
        started.add(c);
        return c;
    }

    @BeforeAll
    static void start() throws IOException {
        TestPostgres pg = own(TestPostgres.start());
        jdbi = Jdbi.create(pg.dataSource());
        EmbeddedKafka kafka = own(EmbeddedKafka.start());
        StubFleet fleet = StubFleet.standard();
        // a zone with more records than VIGIL_LANE_SLOW_ASSETS (5,000): discovery counts them and
        // the scheduler sends it to the slow lane
        fleet.addGeneratedZone("49f6abf1626b122d1b9703437f9ea443", BIG_ZONE, "big.example", 6_000);
        stub = own(CloudflareStub.start(fleet));
        // the token may not read one zone's bot management: its checks are ERROR, and the target's
        // scan status says which section and why
        stub.faults().forbid("/zones/" + REFUSED_ZONE + "/bot_management");
        LoopbackDnsServer dns =
                own(LoopbackDnsServer.start(fleet.dnsAnswers(), fleet.nxdomainNames()));

        Map<String, String> base = new HashMap<>();
        base.put("VIGIL_DATABASE_URL", pg.jdbcUrl());
        base.put("VIGIL_DATABASE_USER", pg.user());
        base.put("VIGIL_DATABASE_PASSWORD", pg.password());
        base.put("VIGIL_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        base.put("VIGIL_KAFKA_PARTITIONS", "6");
        base.put("VIGIL_WORKER_CONSUMERS", "2");
        for (Plan p : Plan.values()) {
            base.put(PlanIntervals.setting(p).name(), "20s");
        }
        base.put("VIGIL_CONFIG_SOURCE", "cloudflare");
        base.put("VIGIL_CLOUDFLARE_API_URL", stub.baseUrl());
        base.put("CLOUDFLARE_API_TOKEN", StubFleet.TOKEN);
        base.put("VIGIL_CLOUDFLARE_REQUESTS_PER_SECOND", String.valueOf(PER_SECOND));
        base.put("VIGIL_DNS_RESOLVER", "127.0.0.1:" + dns.address().getPort());

        // the inventory from discovery, every target due now
        Inventory inventory =
                Inventory.create(
                        pg.dataSource(),
                        PlanIntervals.uniform(Duration.ofSeconds(20)),
                        Clock.systemUTC(),
                        new Random(3));
        CloudflareDiscovery discovery =
                CloudflareDiscovery.create(CloudflareSettings.from(Env.of(base)));
        CloudflareDiscovery.Fleet found = discovery.discover(null, null, (a, z) -> {});
        Map<String, Integer> assets = new HashMap<>();
        found.zones().forEach(z -> assets.put(z.targetId(), discovery.assetCount(z.targetId())));
        FleetSync.create(pg.dataSource(), inventory).apply(found.targets(), assets, "test");
        jdbi.useHandle(h -> h.execute("update targets set next_due_at = now()"));
        stub.clearLog();

        String serviceToken =
                ApiTokens.create(pg.dataSource()).issueService("cloudflare-pipeline-it");
        readToken =
                ApiTokens.create(pg.dataSource())
                        .issueForAccounts("reader", List.of("790072d13dbc8ab501a450cf1b61b254"));
        int apiPort = freePort();
        api = URI.create("http://127.0.0.1:" + apiPort + "/");
        own(Roles.api(env(base, Map.of("VIGIL_API_PORT", String.valueOf(apiPort)))));
        Map<String, String> worker =
                Map.of("VIGIL_RESULTS_URL", api.toString(), "VIGIL_SERVICE_TOKEN", serviceToken);
        own(Roles.worker(env(base, worker), Lane.FAST));
        Env slow = env(base, worker);
        slowWorker =
                URI.create("http://127.0.0.1:" + slow.raw("VIGIL_MANAGEMENT_PORT") + "/metrics");
        own(Roles.worker(slow, Lane.SLOW));
        own(Roles.scheduler(env(base, Map.of())));
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
    void theFleetIsScannedThroughTheApiIntoPostgresAtTheConfiguredPace() throws Exception {
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () ->
                                count(
                                                "select count(*) from targets where last_result_at is not null")
                                        == 11);

        Map<String, Map<String, List<String>>> open = new TreeMap<>();
        jdbi.useHandle(
                h ->
                        h.createQuery(
                                        """
                                        select coalesce(zone_id, account_id) as target, check_id, resource_key
                                          from insights where status = 'open'
                                         order by 1, 2, 3
                                        """)
                                .map(
                                        (rs, ctx) ->
                                                List.of(
                                                        rs.getString("target"),
                                                        rs.getString("check_id"),
                                                        rs.getString("resource_key")))
                                .forEach(
                                        r ->
                                                open.computeIfAbsent(r.get(0), k -> new TreeMap<>())
                                                        .computeIfAbsent(
                                                                r.get(1), k -> new ArrayList<>())
                                                        .add(r.get(2))));
        Map<String, Map<String, List<String>>> want =
                new TreeMap<>(ExpectedFindings.standardFails());
        want.put(REFUSED_ZONE, new TreeMap<>(want.get(REFUSED_ZONE)));
        want.get(REFUSED_ZONE).keySet().removeIf(c -> c.startsWith("bots."));
        want.values().removeIf(Map::isEmpty);
        assertThat(open)
                .as(
                        "scans: %s",
                        strings(
                                "select target_id || ' ' || checks_evaluated || ' ' ||"
                                        + " checks_errored || ' ' || findings || ' ' || opened"
                                        + " from scans union all select 'T ' || target_id || ' ' ||"
                                        + " coalesce(last_result_at::text, 'never') || ' ' || coalesce(deleted_at::text, '-')"
                                        + " from targets"))
                .isEqualTo(want);
        assertThat(count("select asset_count from targets where target_id = '" + BIG_ZONE + "'"))
                .isGreaterThan(5_000);
        assertThat(slowLaneScans()).isGreaterThanOrEqualTo(1);

        JsonNode status = scanStatus(REFUSED_ZONE).get("result").get(0);
        assertThat(status.get("section_errors").propertyNames()).containsExactly("bot_management");
        assertThat(status.get("section_errors").get("bot_management").asString())
                .startsWith(
                        "permission_denied: GET /zones/"
                                + REFUSED_ZONE
                                + "/bot_management answered 403");
        assertThat(
                        scanStatus("0bf0ced5a48c25a029c980ff537a1758")
                                .get("result")
                                .get(0)
                                .get("section_errors")
                                .size())
                .isZero();

        List<StubRequest> log = stub.requests();
        assertThat(log).hasSizeGreaterThan(60);
        assertThat(log)
                .filteredOn(r -> !r.path().endsWith("/bot_management"))
                .allSatisfy(r -> assertThat(r.status()).isIn(200, 404, 429));
        // callers: at most one fetch per target at a time, 11 targets
        RequestRate.assertPaced(log, PER_SECOND, 11);
    }

    private static JsonNode scanStatus(String zone) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(api.resolve("v1/zones/" + zone + "/scan-status"))
                                    .header("Authorization", "Bearer " + readToken)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return JsonMapper.builder().build().readTree(r.body());
        }
    }

    private static double slowLaneScans() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String text =
                    http.send(
                                    HttpRequest.newBuilder(slowWorker).build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
            return PrometheusText.parse(text)
                    .sum("vigil_worker_scans_total", Map.of("lane", "slow"));
        }
    }

    private static List<String> strings(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
    }

    private static long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static Env env(Map<String, String> base, Map<String, String> extra) throws IOException {
        Map<String, String> m = new HashMap<>(base);
        m.putAll(extra);
        m.put("VIGIL_MANAGEMENT_PORT", String.valueOf(freePort()));
        return Env.of(m);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
