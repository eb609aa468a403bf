package dev.vigil.api;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.results.ResultsJson;
import dev.vigil.results.ScanResult;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Scan times from the future are refused (one froze its target for good), and every instant the API
 * writes or reads is an RFC 3339 timestamp.
 */
class ScanTimeIT {

    /** RFC 3339 in UTC, as the API writes it: four-digit year, optional fraction, {@code Z}. */
    static final String RFC3339 = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z";

    static ApiHarness api;
    static String service;
    static String writer;

    @BeforeAll
    static void start() {
        api = ApiHarness.start();
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    @BeforeEach
    void fixtures() {
        api.pg.reset();
        api.pg.zoneTarget("acc1", "zone1");
        service = api.tokens.issueService("worker");
        writer = api.tokens.issueForAccounts("acc1-user", List.of("acc1"));
    }

    private static ScanResult scanAt(Instant at, String... keys) {
        return zoneResult(
                "acc1",
                "zone1",
                at,
                List.of("a"),
                List.of(),
                java.util.Arrays.stream(keys).map(k -> finding("a", k)).toList());
    }

    private static HttpResponse<String> put(ScanResult r) throws Exception {
        return put(r, new String(ResultsJson.toBytes(r), StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> put(ScanResult r, String body) throws Exception {
        return api.http.send(
                HttpRequest.newBuilder(
                                api.server.baseUrl().resolve("internal/v1/scans/" + r.scanId()))
                        .header("Authorization", "Bearer " + service)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aScanTimeFarInTheFutureIsRefusedNamingTheFieldAndTheTargetKeepsScanning()
            throws Exception {
        ScanResult forged = scanAt(Instant.now(), "injected");
        String body =
                new String(ResultsJson.toBytes(forged), StandardCharsets.UTF_8)
                        .replace(forged.scannedAt().toString(), "+12000-01-01T00:00:00Z");
        assertThat(body).contains("+12000-01-01T00:00:00Z");

        HttpResponse<String> r = put(forged, body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode problem = ApiHarness.JSON.readTree(r.body());
        assertThat(problem.get("field").asString()).isEqualTo("scanned_at");
        assertThat(problem.get("detail").asString())
                .contains("+12000-01-01T00:00:00Z")
                .contains("5 minutes ahead of this API's clock")
                .contains("check the worker's clock");
        assertThat(api.count("select count(*) from insights")).isZero();
        assertThat(api.count("select count(*) from targets where last_result_at is not null"))
                .isZero();
        // A real scan afterwards is applied.
        HttpResponse<String> real = put(scanAt(Instant.now(), "real"));
        assertThat(real.statusCode()).as(real.body()).isEqualTo(200);
        assertThat(real.body()).contains("\"applied\":true");
    }

    @Test
    void aScanTimeAnHourAheadIsRefusedAndOneWithinTheSkewIsApplied() throws Exception {
        HttpResponse<String> hour = put(scanAt(Instant.now().plus(Duration.ofHours(1)), "r1"));
        assertThat(hour.statusCode()).as(hour.body()).isEqualTo(400);
        assertThat(hour.body()).contains("\"field\":\"scanned_at\"");

        Instant soon = Instant.now().plus(Duration.ofMinutes(4)); // within the 5 minutes allowed
        HttpResponse<String> skewed = put(scanAt(soon, "r1"));
        assertThat(skewed.statusCode()).as(skewed.body()).isEqualTo(200);
    }

    @Test
    void scanStatusInsightsAndExportsWriteRfc3339Timestamps() throws Exception {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(30);
        assertThat(put(scanAt(at, "r1")).statusCode()).isEqualTo(200);

        JsonNode status = api.get("v1/accounts/acc1/scan-status", writer).get("result").get(0);
        assertThat(status.get("last_scan_at").asString()).matches(RFC3339);
        assertThat(status.get("next_due_at").asString()).matches(RFC3339);
        JsonNode insight = api.get("v1/accounts/acc1/insights", writer).get("result").get(0);
        assertThat(insight.get("first_seen_at").asString()).matches(RFC3339);
        assertThat(insight.get("last_seen_at").asString()).matches(RFC3339);
        String csv =
                api.send("GET", "v1/accounts/acc1/insights/export?format=csv", writer, null).body();
        assertThat(csv.lines().skip(1).findFirst().orElseThrow())
                // first and last seen, then an empty resolved time and no compliance ids
                .containsPattern("," + RFC3339 + "," + RFC3339 + ",,$");
    }

    @Test
    void instantsRfc3339CannotWriteAreRefusedInBodiesAndParameters() throws Exception {
        assertThat(put(scanAt(Instant.now().minusSeconds(30), "r1")).statusCode()).isEqualTo(200);
        long id = api.insightId("acc1", "r1");

        HttpResponse<String> classify =
                api.send(
                        "PUT",
                        "v1/accounts/acc1/insights/" + id + "/classification",
                        writer,
                        "{\"classification\": \"accept_risk\", \"rationale\": \"x\","
                                + " \"expires_at\": \"+12000-01-01T00:00:00Z\"}");
        HttpResponse<String> audit =
                api.send(
                        "GET",
                        "v1/accounts/acc1/audit?since=%2B12000-01-01T00:00:00Z",
                        writer,
                        null);

        assertThat(classify.statusCode()).as(classify.body()).isEqualTo(400);
        assertThat(classify.body())
                .contains("\"field\":\"expires_at\"")
                .contains("RFC 3339")
                .contains("4 digits");
        assertThat(api.count("select count(*) from insights where classification is not null"))
                .isZero();
        assertThat(audit.statusCode()).as(audit.body()).isEqualTo(400);
        assertThat(audit.body()).contains("\"field\":\"since\"");
    }
}
