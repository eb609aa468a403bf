package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.config.Env;
import dev.vigil.events.ConfigChange;
import dev.vigil.events.Lane;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetKind;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.simulate.ConfigService;
import dev.vigil.worker.ChangeHandler;
import dev.vigil.worker.Worker;
import dev.vigil.worker.WorkerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The whole pipeline ({@link LocalPipeline}: embedded PostgreSQL and Kafka, workers, the API and
 * the alert dispatcher beside it) on a small fleet, for the end-to-end alert tests: after the first
 * full scan the scheduler is stopped, so every insight change comes from a config push to the API;
 * destinations and rules are made through the alerting routes with the pipeline's account token.
 * The alert settings are short (poll 50 ms, lease 3 s, backoff from 100 ms) and allow 127.0.0.1
 * only.
 */
final class AlertPipeline implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** The critical insight a zone with SSL off opens. */
    static final String SSL_OFF = "tls.ssl_off";

    private final LocalPipeline pipeline;
    private final HttpClient http = HttpClient.newHttpClient();

    private AlertPipeline(LocalPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** Starts the pipeline with these alert settings added to the short ones above. */
    static AlertPipeline start(Map<String, String> alertSettings) {
        Map<String, String> alerts = new HashMap<>();
        alerts.put("VIGIL_ALERT_ALLOWED_HOSTS", "127.0.0.1");
        alerts.put("VIGIL_ALERT_POLL", "50ms");
        alerts.put("VIGIL_ALERT_LEASE", "3s");
        alerts.put("VIGIL_ALERT_BACKOFF_BASE", "100ms");
        alerts.put("VIGIL_ALERT_BACKOFF_CAP", "400ms");
        alerts.put("VIGIL_ALERT_SEND_TIMEOUT", "5s");
        alerts.putAll(alertSettings);
        Env defaults = Env.of(Map.of());
        LocalPipeline p =
                LocalPipeline.start(
                        new LocalPipeline.Options(
                                        19L,
                                        1,
                                        4,
                                        PlanIntervals.uniform(Duration.ofSeconds(2)),
                                        0,
                                        ConfigService.LatencyModel.none(),
                                        null,
                                        WorkerConfig.from(defaults),
                                        SchedulerConfig.from(defaults))
                                .withAlerts(Env.of(alerts)));
        AlertPipeline ap = new AlertPipeline(p);
        try {
            ap.awaitFirstFullScan();
            return ap;
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }

    private void awaitFirstFullScan() {
        long targets = pipeline.fleet().targets().size();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () ->
                                count(
                                                "select count(*) from targets where last_result_at is not null")
                                        == targets);
        pipeline.scheduler().close();
        try (LagProbe lag =
                new LagProbe(pipeline.kafkaBootstrap(), pipeline.topics().scanRequests())) {
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () ->
                                    lag.lag(Worker.groupId(Lane.FAST)) == 0
                                            && lag.lag(Worker.groupId(Lane.SLOW)) == 0);
        }
    }

    /** The {@code n}th zone of the fleet (0-based). */
    Target zone(int n) {
        return pipeline.fleet().targets().stream()
                .filter(t -> t.kind() == TargetKind.ZONE)
                .skip(n)
                .findFirst()
                .orElseThrow();
    }

    /**
     * Pushes the zone document of CHECKS.md for {@code z} with {@code ssl} as its SSL mode and,
     * when the API accepts it as a new version, waits until the change worker stored its scan:
     * {@code off} opens {@link #SSL_OFF}, {@code strict} resolves it. Answers the push's {@code
     * status}: {@code accepted}, or {@code unchanged} for the document pushed last (no event, no
     * scan).
     */
    String push(Target z, String ssl) throws Exception {
        HttpResponse<String> r =
                send(
                        "POST",
                        "v1/zones/" + z.targetId() + "/config",
                        JSON.writeValueAsString(document(z, ssl)));
        assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
        JsonNode reply = JSON.readTree(r.body());
        String status = reply.get("status").asString();
        if (status.equals("accepted")) {
            long version = reply.get("version").asLong();
            awaitScanStored(
                    ChangeHandler.scanId(new ConfigChange(z, version, List.of(), Instant.EPOCH))
                            .toString());
        }
        return status;
    }

    /**
     * Asks for an on-demand scan of {@code z}, waits until it is stored, and checks that it
     * evaluated the zone's checks (a rescan that saw the pushed document, not an errored one).
     */
    void scanNow(Target z) throws Exception {
        HttpResponse<String> r = send("POST", "v1/zones/" + z.targetId() + "/scan", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String scanId =
                JSON.readTree(r.body()).get("result").get("scans").get(0).get("scan_id").asString();
        awaitScanStored(scanId);
        assertThat(
                        count(
                                "select count(*) from scans where scan_id = '"
                                        + scanId
                                        + "' and checks_evaluated > 0 and checks_errored = 0"))
                .as("the rescan evaluated the zone's checks")
                .isEqualTo(1);
    }

    private void awaitScanStored(String scanId) {
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(
                        () ->
                                count("select count(*) from scans where scan_id = '" + scanId + "'")
                                        == 1);
    }

    /** A webhook destination at {@code url}; answers the creation's result (with its secret). */
    JsonNode webhook(String name, URI url) throws Exception {
        return created(
                "destinations",
                JSON.createObjectNode()
                        .put("name", name)
                        .put("kind", "webhook")
                        .put("url", url.toString()));
    }

    /** A rule sending to {@code destination}; {@code triggers} and {@code filters} are JSON. */
    long rule(String name, long destination, String triggers, String filters) throws Exception {
        ObjectNode body =
                JSON.createObjectNode().put("name", name).put("destination_id", destination);
        body.set("triggers", JSON.readTree(triggers));
        body.set("filters", JSON.readTree(filters));
        return created("rules", body).get("id").asLong();
    }

    /** POST {@code body} to the account's alerting {@code path}, which must answer 201. */
    JsonNode created(String path, ObjectNode body) throws Exception {
        HttpResponse<String> r = send("POST", alerting(path), JSON.writeValueAsString(body));
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("result");
    }

    /** The delivery log of {@code rule}, newest first. */
    JsonNode deliveries(long rule) throws Exception {
        HttpResponse<String> r = send("GET", alerting("rules/" + rule + "/deliveries"), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("result");
    }

    private String alerting(String path) {
        return "v1/accounts/" + zone(0).accountId() + "/alerting/" + path;
    }

    private HttpResponse<String> send(String method, String path, @Nullable String body)
            throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(pipeline.apiUrl() + path))
                        .header("Authorization", "Bearer " + pipeline.accountToken())
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    long count(String sql) {
        return Jdbi.create(pipeline.database())
                .withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    /** The zone document of CHECKS.md for {@code z}, with {@code ssl} as its SSL mode. */
    static ObjectNode document(Target z, String ssl) {
        ObjectNode d = JSON.createObjectNode();
        d.putObject("zone")
                .put("id", z.targetId())
                .put("name", z.name())
                .put("status", "active")
                .put("plan", "free")
                .put("paused", false)
                .put("account_id", z.accountId());
        d.putObject("settings")
                .put("ssl", ssl)
                .put("min_tls_version", "1.2")
                .put("always_use_https", "on")
                .put("development_mode", "off");
        d.putObject("universal_ssl").put("enabled", true);
        d.putObject("dnssec").put("status", "active");
        return d;
    }

    @Override
    public void close() {
        http.close();
        pipeline.close();
    }
}
