package dev.vigil.api;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.results.ResultsJson;
import dev.vigil.results.ScanResult;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The problems the results route answers: fields named one way, and validation before age. */
class ResultProblemsIT {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static ApiHarness api;
    static String service;

    @BeforeAll
    static void start() {
        api = ApiHarness.start();
        api.pg.zoneTarget("acc1", "zone1");
        service = api.tokens.issueService("worker");
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    private static ScanResult scan(Instant at, String key) {
        return zoneResult("acc1", "zone1", at, List.of("a"), List.of(), List.of(finding("a", key)));
    }

    private static HttpResponse<String> put(ScanResult r, String body) throws Exception {
        return api.send("PUT", "internal/v1/scans/" + r.scanId(), service, body);
    }

    private static String json(ScanResult r) {
        return new String(ResultsJson.toBytes(r), StandardCharsets.UTF_8);
    }

    @Test
    void aStaleResultWithAnInvalidFindingIsRefusedNotIgnored() throws Exception {
        api.submit(scan(T0.plusSeconds(60), "r1"));
        ScanResult stale = scan(T0, "r2");
        String body = json(stale).replace("\"check_id\":\"a\"", "\"check_id\":7");
        assertThat(body).contains("\"check_id\":7");

        HttpResponse<String> r = put(stale, body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(ApiHarness.JSON.readTree(r.body()).get("field").asString())
                .isEqualTo("findings[0].check_id");
        // refused, so not recorded as superseded either
        assertThat(api.count("select count(*) from scans where scan_id = '" + stale.scanId() + "'"))
                .isZero();
    }

    @Test
    void aTruncatedBodyNamesThePlaceAsTheRouteNamesFields() throws Exception {
        ScanResult s = scan(T0.plusSeconds(120), "r3");
        String whole = json(s);
        String cut = whole.substring(0, whole.indexOf("\"resource_key\"") + 3);

        HttpResponse<String> r = put(s, cut);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode p = ApiHarness.JSON.readTree(r.body());
        assertThat(p.get("detail").asString()).contains("not valid JSON");
        assertThat(p.get("field").asString()).startsWith("findings[0]").doesNotContain("/");
    }
}
