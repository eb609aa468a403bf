package dev.vigil.api;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.checks.IssueType;
import dev.vigil.checks.Severity;
import dev.vigil.results.ResultFinding;
import dev.vigil.results.ResultsJson;
import dev.vigil.results.ScanResult;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An insight's offending values travel from the worker's results call into the {@code context}
 * column and come back, page by page, from {@code GET .../insights/{insight_id}/context}.
 */
class InsightContextIT {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String CHECK = "dns.a_record_unproxied";
    static ApiHarness api;
    String reader;

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
        reader = api.tokens.issueForAccounts("bob", List.of("acc1"), false);
    }

    /** {@code n} values with the characters COPY, JSON and jsonpath each escape differently. */
    private static List<String> values(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add("host-" + i + ".example.com\t\"q\" \\ é\n" + (i % 7 == 0 ? "$[0]" : ""));
        }
        return out;
    }

    private static ResultFinding withContext(String key, List<String> context) {
        return new ResultFinding(
                CHECK,
                key,
                Severity.MODERATE,
                IssueType.EXPOSED_INFRASTRUCTURE,
                key + ".example.com",
                context.size() + " offending values",
                context);
    }

    private ScanResult scan(Instant at, List<ResultFinding> findings) {
        return zoneResult("acc1", "zone1", at, List.of(CHECK), List.of(), findings);
    }

    /** Every value of the insight's context, read page by page through {@code base}. */
    private List<String> readAll(String base, int pageSize) throws Exception {
        List<String> out = new ArrayList<>();
        Integer offset = 0;
        while (offset != null) {
            JsonNode page =
                    api.get(base + "?values_limit=" + pageSize + "&values_offset=" + offset, reader)
                            .get("result")
                            .get("context");
            assertThat(page.get("offset").asInt()).isEqualTo(offset);
            page.get("values").forEach(v -> out.add(v.asString()));
            JsonNode next = page.get("next_offset");
            offset = next.isNull() ? null : next.asInt();
        }
        return out;
    }

    @Test
    void tenThousandOffendingValuesRoundTripThroughTheResultsCallComplete() throws Exception {
        List<String> context = values(10_000);
        api.submit(scan(T0, List.of(withContext("r1", context))));
        long id = api.insightId("acc1", "r1");

        List<String> read = readAll("v1/accounts/acc1/insights/" + id + "/context", 3_000);

        assertThat(read).isEqualTo(context);
    }

    @Test
    void contextsTakingTheCopyPathComeBackCompleteFromTheZoneRoute() throws Exception {
        List<ResultFinding> findings = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            findings.add(finding(CHECK, "bulk-" + i));
        }
        List<String> context = values(10_000);
        findings.add(withContext("r1", context));
        api.submit(scan(T0, findings));
        long id = api.insightId("acc1", "r1");

        assertThat(api.count("select count(*) from scans where write_path = 'copy'")).isEqualTo(1);
        assertThat(readAll("v1/zones/zone1/insights/" + id + "/context", 10_000))
                .isEqualTo(context);
        assertThat(
                        api.count(
                                "select count(*) from insights where resource_key like 'bulk-%'"
                                        + " and context is null"))
                .isEqualTo(2_500);
    }

    @Test
    void defaultPageIsTheFirstThousandWithTheTotalAndNextOffset() throws Exception {
        api.submit(scan(T0, List.of(withContext("r1", values(2_500)))));
        long id = api.insightId("acc1", "r1");

        JsonNode page =
                api.get("v1/accounts/acc1/insights/" + id + "/context", reader)
                        .get("result")
                        .get("context");

        assertThat(page.get("total").asInt()).isEqualTo(2_500);
        assertThat(page.get("values")).hasSize(1_000);
        assertThat(page.get("next_offset").asInt()).isEqualTo(1_000);
    }

    @Test
    void laterScanReplacesTheContextAndOneWithoutContextClearsIt() throws Exception {
        api.submit(scan(T0, List.of(withContext("r1", List.of("a", "b", "c")))));
        long id = api.insightId("acc1", "r1");
        String path = "v1/accounts/acc1/insights/" + id + "/context";

        api.submit(scan(T0.plusSeconds(60), List.of(withContext("r1", List.of("d")))));
        assertThat(readAll(path, 10)).containsExactly("d");

        api.submit(scan(T0.plusSeconds(120), List.of(finding(CHECK, "r1"))));
        JsonNode page = api.get(path, reader).get("result").get("context");
        assertThat(page.get("total").asInt()).isZero();
        assertThat(page.get("values")).isEmpty();
        assertThat(page.get("next_offset").isNull()).isTrue();
    }

    @Test
    void offsetPastTheEndGivesAnEmptyLastPage() throws Exception {
        api.submit(scan(T0, List.of(withContext("r1", List.of("a", "b")))));
        long id = api.insightId("acc1", "r1");

        JsonNode page =
                api.get("v1/accounts/acc1/insights/" + id + "/context?values_offset=5", reader)
                        .get("result")
                        .get("context");

        assertThat(page.get("values")).isEmpty();
        assertThat(page.get("next_offset").isNull()).isTrue();
    }

    @Test
    void contextValueOverTheCapIsRefusedNamingTheField() throws Exception {
        String tooLong = "x".repeat(dev.vigil.checks.Finding.MAX_CONTEXT_VALUE_CHARS + 1);
        ScanResult result = scan(T0, List.of(withContext("r1", List.of("ok", tooLong))));
        String body = new String(ResultsJson.toBytes(result), StandardCharsets.UTF_8);

        HttpResponse<String> r =
                api.send(
                        "PUT",
                        "internal/v1/scans/" + result.scanId(),
                        api.tokens.issueService("worker"),
                        body);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body())
                .contains("findings[0].context[1]")
                .contains("1025 characters long (at most 1024 per context value)");
        assertThat(api.count("select count(*) from insights")).isZero();
    }
}
