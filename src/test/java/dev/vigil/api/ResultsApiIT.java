package dev.vigil.api;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.app.Wiring;
import dev.vigil.checks.IssueType;
import dev.vigil.checks.Severity;
import dev.vigil.results.PermanentResultsException;
import dev.vigil.results.ResultFinding;
import dev.vigil.results.ResultsClient;
import dev.vigil.results.ResultsJson;
import dev.vigil.results.RetriableResultsException;
import dev.vigil.results.ScanResult;
import dev.vigil.testing.TestPostgres;
import dev.vigil.tokens.ApiTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ResultsApiIT {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final JsonMapper JSON = JsonMapper.builder().build();
    static TestPostgres pg;
    static ApiServer server;
    static HttpClient http;
    static ApiTokens tokens;
    String service;
    String acc1Reader;

    @BeforeAll
    static void start() {
        pg = TestPostgres.start();
        server =
                Wiring.api(
                        ApiServer.Options.of(
                                ApiSettings.defaults().withPort(0).withMaxFindingsPerCall(1_000),
                                pg.dataSource()),
                        null);
        http = HttpClient.newHttpClient();
        tokens = ApiTokens.create(pg.dataSource());
    }

    @AfterAll
    static void stop() throws Exception {
        http.close();
        server.close();
        pg.close();
    }

    @BeforeEach
    void fixtures() {
        pg.reset();
        pg.zoneTarget("acc1", "zone1");
        pg.zoneTarget("acc1", "zone2");
        pg.zoneTarget("acc2", "zone9");
        service = tokens.issueService("worker");
        acc1Reader = tokens.issueForAccounts("acc1-reader", List.of("acc1"));
    }

    private ResultsClient client(String token) {
        return ResultsClient.create(server.baseUrl(), token, Duration.ofSeconds(30));
    }

    private HttpResponse<String> send(String method, String path, String token, String body)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(server.baseUrl().resolve(path))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String path, String token) throws Exception {
        HttpResponse<String> r = send("GET", path, token, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void resultSentWithTheClientIsAppliedAndVisibleInTheInsightsApi() throws Exception {
        try (ResultsClient c = client(service)) {
            c.submit(
                    zoneResult(
                            "acc1",
                            "zone1",
                            T0,
                            List.of("a"),
                            List.of(),
                            List.of(finding("a", "r1"), finding("a", "r2"))));
        }

        JsonNode body = getJson("v1/accounts/acc1/insights", acc1Reader);

        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("result")).hasSize(2);
        assertThat(body.get("result").get(0).get("status").asString()).isEqualTo("open");
        assertThat(body.get("result_info").get("total_count").asInt()).isEqualTo(2);
    }

    @Test
    void putReturnsTheWriteOutcome() throws Exception {
        ScanResult r =
                zoneResult(
                        "acc1", "zone1", T0, List.of("a"), List.of(), List.of(finding("a", "r1")));
        HttpResponse<String> resp =
                send(
                        "PUT",
                        "internal/v1/scans/" + r.scanId(),
                        service,
                        new String(ResultsJson.toBytes(r), StandardCharsets.UTF_8));

        JsonNode out = JSON.readTree(resp.body());
        assertThat(resp.statusCode()).isEqualTo(200);
        assertThat(out.get("status").asString()).isEqualTo("applied");
        assertThat(out.get("path").asString()).isEqualTo("unnest");
        assertThat(out.get("opened").asInt()).isEqualTo(1);
    }

    @Test
    void requestWithoutTokenIsRefusedWith401Problem() throws Exception {
        HttpResponse<String> r =
                send("PUT", "internal/v1/scans/" + java.util.UUID.randomUUID(), null, "{}");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(JSON.readTree(r.body()).get("detail").asString())
                .contains("Authorization: Bearer");
    }

    @Test
    void accountTokenMayNotCallTheInternalApi() {
        try (ResultsClient c = client(acc1Reader)) {
            assertThatThrownBy(
                            () ->
                                    c.submit(
                                            zoneResult(
                                                    "acc1", "zone1", T0, List.of(), List.of(),
                                                    List.of())))
                    .isInstanceOf(PermanentResultsException.class)
                    .hasMessageContaining("HTTP 403")
                    .hasMessageContaining("needs a service token");
        }
    }

    @Test
    void resultPastTheCapIsRefusedWith413AndWritesNothing() {
        List<ResultFinding> many = dev.vigil.results.ResultFixtures.many(1_001, 3);
        try (ResultsClient c = client(service)) {
            assertThatThrownBy(
                            () ->
                                    c.submit(
                                            zoneResult(
                                                    "acc1",
                                                    "zone1",
                                                    T0,
                                                    List.of("check_0"),
                                                    List.of(),
                                                    many)))
                    .isInstanceOfSatisfying(
                            PermanentResultsException.class,
                            e -> assertThat(e.status()).isEqualTo(413))
                    .hasMessageContaining("at most 1000 findings");
        }
        assertThat(countInsights()).isZero();
    }

    @Test
    void malformedFindingIsRefusedWith400NamingTheField() throws Exception {
        String scanId = java.util.UUID.randomUUID().toString();
        String body =
                """
                {"scan_id": "%s", "target_id": "zone1", "kind": "zone", "account_id": "acc1",
                 "zone_id": "zone1", "scanned_at": "2026-03-01T10:00:00Z", "rule_set_version": "1",
                 "evaluated_checks": ["a"], "errored_checks": [],
                 "findings": [{"check_id": "a", "resource_key": "r1", "severity": "high",
                   "issue_type": "insecure_configuration", "subject": "s", "message": "m"},
                  {"check_id": "a", "resource_key": "r2", "severity": "dire",
                   "issue_type": "insecure_configuration", "subject": "s", "message": "m"}]}
                """
                        .formatted(scanId);

        HttpResponse<String> r = send("PUT", "internal/v1/scans/" + scanId, service, body);

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.get("field").asString()).isEqualTo("findings[1].severity");
        assertThat(p.get("detail").asString()).contains("'dire'");
        assertThat(countInsights()).isZero();
    }

    @Test
    void truncatedJsonIsRefusedWith400() throws Exception {
        String scanId = java.util.UUID.randomUUID().toString();
        HttpResponse<String> r =
                send(
                        "PUT",
                        "internal/v1/scans/" + scanId,
                        service,
                        "{\"scan_id\": \"" + scanId + "\", \"target_id\": ");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("detail").asString()).contains("not valid JSON");
    }

    @Test
    void missingHeaderFieldIsNamed() throws Exception {
        String scanId = java.util.UUID.randomUUID().toString();
        HttpResponse<String> r =
                send(
                        "PUT",
                        "internal/v1/scans/" + scanId,
                        service,
                        "{\"scan_id\": \"" + scanId + "\", \"kind\": \"zone\", \"findings\": []}");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("field").asString()).isEqualTo("target_id");
    }

    @Test
    void resultForUnknownTargetIs404() {
        try (ResultsClient c = client(service)) {
            assertThatThrownBy(
                            () ->
                                    c.submit(
                                            zoneResult(
                                                    "acc1", "ghost", T0, List.of(), List.of(),
                                                    List.of())))
                    .isInstanceOfSatisfying(
                            PermanentResultsException.class,
                            e -> assertThat(e.status()).isEqualTo(404))
                    .hasMessageContaining("unknown target 'ghost'");
        }
    }

    @Test
    void unreachableApiIsRetriable() {
        try (ResultsClient c =
                ResultsClient.create(
                        URI.create("http://127.0.0.1:1/"), service, Duration.ofSeconds(2))) {
            assertThatThrownBy(
                            () ->
                                    c.submit(
                                            zoneResult(
                                                    "acc1", "zone1", T0, List.of(), List.of(),
                                                    List.of())))
                    .isInstanceOf(RetriableResultsException.class);
        }
    }

    @Test
    void insightsAreFilteredAndPaged() throws Exception {
        try (ResultsClient c = client(service)) {
            c.submit(
                    zoneResult(
                            "acc1",
                            "zone1",
                            T0,
                            List.of("a"),
                            List.of(),
                            List.of(
                                    finding("a", "r1", Severity.LOW),
                                    finding("a", "r2", Severity.HIGH),
                                    finding("a", "r3", Severity.CRITICAL))));
            c.submit(
                    zoneResult(
                            "acc1",
                            "zone2",
                            T0,
                            List.of("b"),
                            List.of(),
                            List.of(finding("b", "z2", Severity.LOW))));
            c.submit(
                    zoneResult(
                            "acc1",
                            "zone1",
                            T0.plusSeconds(60),
                            List.of("a"),
                            List.of(),
                            List.of(
                                    finding("a", "r2", Severity.HIGH),
                                    finding("a", "r3", Severity.CRITICAL))));
        }

        assertThat(
                        getJson("v1/accounts/acc1/insights", acc1Reader)
                                .get("result_info")
                                .get("total_count")
                                .asInt())
                .isEqualTo(3);
        assertThat(getJson("v1/accounts/acc1/insights?not_severity=low", acc1Reader).get("result"))
                .hasSize(2);
        assertThat(
                        getJson(
                                        "v1/accounts/acc1/insights?severity=low&status=open,resolved",
                                        acc1Reader)
                                .get("result"))
                .hasSize(2);
        assertThat(
                        getJson("v1/accounts/acc1/insights?status=resolved", acc1Reader)
                                .get("result")
                                .get(0)
                                .get("resource_key")
                                .asString())
                .isEqualTo("r1");
        assertThat(getJson("v1/accounts/acc1/insights?zone_id=zone2", acc1Reader).get("result"))
                .hasSize(1);
        assertThat(getJson("v1/accounts/acc1/insights?not_zone_id=zone2", acc1Reader).get("result"))
                .hasSize(2);
        JsonNode page2 = getJson("v1/accounts/acc1/insights?per_page=2&page=2", acc1Reader);
        assertThat(page2.get("result")).hasSize(1);
        assertThat(page2.get("result_info").get("count").asInt()).isEqualTo(1);
        assertThat(
                        getJson("v1/accounts/acc1/insights?per_page=1", acc1Reader)
                                .get("result")
                                .get(0)
                                .get("severity")
                                .asString())
                .isEqualTo("critical");
    }

    @Test
    void badFilterValueIs400NamingTheParameter() throws Exception {
        HttpResponse<String> r =
                send("GET", "v1/accounts/acc1/insights?severity=dire", acc1Reader, null);
        HttpResponse<String> big =
                send("GET", "v1/accounts/acc1/insights?per_page=501", acc1Reader, null);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("field").asString()).isEqualTo("severity");
        assertThat(big.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(big.body()).get("detail").asString()).contains("1 to 500");
    }

    @Test
    void accountTokenNeverSeesAnotherAccount() throws Exception {
        try (ResultsClient c = client(service)) {
            c.submit(
                    zoneResult(
                            "acc2",
                            "zone9",
                            T0,
                            List.of("a"),
                            List.of(),
                            List.of(finding("a", "secret"))));
        }

        HttpResponse<String> r = send("GET", "v1/accounts/acc2/insights", acc1Reader, null);

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).doesNotContain("secret");
        assertThat(getJson("v1/accounts/acc1/insights", acc1Reader).get("result")).isEmpty();
        assertThat(getJson("v1/accounts/acc2/insights", service).get("result")).hasSize(1);
    }

    private static long countInsights() {
        return org.jdbi.v3.core.Jdbi.create(pg.dataSource())
                .withHandle(
                        h ->
                                h.createQuery("select count(*) from insights")
                                        .mapTo(Long.class)
                                        .one());
    }

    static ResultFinding big(int i) {
        return new ResultFinding(
                "check_" + (i % 11),
                "dns/record/" + i,
                Severity.MODERATE,
                IssueType.EXPOSED_INFRASTRUCTURE,
                "record-" + i + ".example.com",
                "x".repeat(200) + i);
    }
}
