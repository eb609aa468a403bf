package dev.vigil.api;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.checks.Severity;
import dev.vigil.results.ResultFinding;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * MTTR, SLA attainment, the past-SLA list and the diff between two times (issue 21), checked
 * against figures worked out by hand from a two-month history.
 *
 * <p>History of zone1: Jan 1 10:00 opens h1, h2 (high) and c1 (critical); h1 resolves Jan 3 (2
 * days), h2 Jan 5 (4 days), c1 Jan 11 (10 days, past its 7-day SLA); h1 reopens Feb 1 and resolves
 * Feb 2 (1 day).
 */
class HistoryApiIT {
    static final Instant JAN1 = Instant.parse("2026-01-01T10:00:00Z");
    static final long DAY = 86_400;
    static ApiHarness api;
    String writer;
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
    void history() throws Exception {
        api.pg.reset();
        api.pg.execute("truncate sla_targets");
        writer = api.tokens.issueForAccounts("alice", List.of("acc1"));
        reader = api.tokens.issueForAccounts("bob", List.of("acc1"), false);
        twoMonths(api);
    }

    /** Writes the history the class comment tells to zone1 of acc1 through {@code harness}. */
    static void twoMonths(ApiHarness harness) throws Exception {
        harness.pg.zoneTarget("acc1", "zone1");
        scan(harness, JAN1, "h1", "h2", "c1");
        scan(harness, JAN1.plusSeconds(2 * DAY), "h2", "c1");
        scan(harness, JAN1.plusSeconds(4 * DAY), "c1");
        scan(harness, JAN1.plusSeconds(10 * DAY));
        scan(harness, Instant.parse("2026-02-01T10:00:00Z"), "h1");
        scan(harness, Instant.parse("2026-02-02T10:00:00Z"));
    }

    private static void scan(Instant at, String... keys) throws Exception {
        scan(api, at, keys);
    }

    /** A scan of zone1 at {@code at} finding the keys (c… critical, else high). */
    static void scan(ApiHarness harness, Instant at, String... keys) throws Exception {
        List<ResultFinding> fs = new ArrayList<>();
        for (String k : keys) {
            fs.add(
                    k.startsWith("c")
                            ? finding("t.crit", k, Severity.CRITICAL)
                            : finding("t.high", k, Severity.HIGH));
        }
        harness.submit(zoneResult("acc1", "zone1", at, List.of("t.crit", "t.high"), List.of(), fs));
    }

    private static JsonNode get(String path, String token) throws Exception {
        return api.get(path, token).get("result");
    }

    @Test
    void mttrPerMonthAndSeverityIsTheMeanAndMedianTimeToResolve() throws Exception {
        JsonNode rows = get("v1/accounts/acc1/history/mttr?from=2026-01&to=2026-02", reader);

        assertThat(rows).hasSize(3);
        assertRow(rows.get(0), "2026-01", "critical", 1, 10 * DAY, 10 * DAY);
        assertRow(rows.get(1), "2026-01", "high", 2, 3 * DAY, 3 * DAY);
        assertRow(rows.get(2), "2026-02", "high", 1, DAY, DAY);
        assertThat(get("v1/zones/zone1/history/mttr?from=2026-01&to=2026-02", reader))
                .isEqualTo(rows);
        assertThat(get("v1/accounts/acc1/history/mttr?from=2026-03&to=2026-04", reader)).isEmpty();
    }

    private static void assertRow(
            JsonNode row, String month, String severity, long resolved, long mean, long median) {
        assertThat(row.get("month").asString()).isEqualTo(month);
        assertThat(row.get("severity").asString()).isEqualTo(severity);
        assertThat(row.get("resolved").asLong()).isEqualTo(resolved);
        assertThat(row.get("mean_seconds").asDouble()).isEqualTo((double) mean);
        assertThat(row.get("median_seconds").asDouble()).isEqualTo((double) median);
    }

    @Test
    void attainmentFollowsTheAccountsTargetsAndAChangeIsAudited() throws Exception {
        JsonNode before =
                get("v1/accounts/acc1/history/sla-attainment?from=2026-01&to=2026-02", reader);
        assertThat(attainment(before))
                .containsExactly(
                        "2026-01 critical 7d 0/1", "2026-01 high 30d 2/2", "2026-02 high 30d 1/1");
        assertThat(get("v1/accounts/acc1/sla", reader).toString())
                .isEqualTo("{\"critical\":7,\"high\":30,\"moderate\":90,\"low\":180}");

        JsonNode set =
                api.call("PUT", "v1/accounts/acc1/sla", writer, "{\"high\": 1}").get("result");
        JsonNode after =
                get("v1/accounts/acc1/history/sla-attainment?from=2026-01&to=2026-02", reader);

        assertThat(set.get("high").asInt()).isEqualTo(1);
        // resolved in exactly one day is within a one-day target; two and four days are not
        assertThat(attainment(after))
                .containsExactly(
                        "2026-01 critical 7d 0/1", "2026-01 high 1d 0/2", "2026-02 high 1d 1/1");
        JsonNode audit = get("v1/accounts/acc1/audit", reader);
        assertThat(audit.get(0).get("action").asString()).isEqualTo("sla_changed");
        assertThat(audit.get(0).get("changed_by").asString()).isEqualTo("alice");
        assertThat(audit.get(0).get("new").get("high").asInt()).isEqualTo(1);
        assertThat(audit.get(0).get("old").get("high").asInt()).isEqualTo(30);
    }

    private static List<String> attainment(JsonNode rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(
                r ->
                        out.add(
                                r.get("month").asString()
                                        + " "
                                        + r.get("severity").asString()
                                        + " "
                                        + r.get("sla_days").asInt()
                                        + "d "
                                        + r.get("within_sla").asLong()
                                        + "/"
                                        + r.get("resolved").asLong()));
        return out;
    }

    @Test
    void badSlaChangesAreRefusedNamingTheFieldAndReadersCannotChangeThem() throws Exception {
        assertThat(status("PUT", "v1/accounts/acc1/sla", writer, "{\"high\": 0}")).isEqualTo(400);
        assertThat(status("PUT", "v1/accounts/acc1/sla", writer, "{\"high\": 2.5}")).isEqualTo(400);
        assertThat(status("PUT", "v1/accounts/acc1/sla", writer, "{\"urgent\": 3}")).isEqualTo(400);
        assertThat(status("PUT", "v1/accounts/acc1/sla", writer, "{}")).isEqualTo(400);
        assertThat(status("PUT", "v1/accounts/acc1/sla", reader, "{\"high\": 3}")).isEqualTo(403);
        assertThat(status("GET", "v1/accounts/acc1/history/mttr?from=2026-13", reader, null))
                .isEqualTo(400);
        assertThat(
                        status(
                                "GET",
                                "v1/accounts/acc1/history/diff?from=2026-01-01T00:00:00Z",
                                reader,
                                null))
                .isEqualTo(400);
        assertThat(get("v1/accounts/acc1/sla", reader).get("high").asInt()).isEqualTo(30);
    }

    @Test
    void openInsightsPastTheirSlaAreListedMostOverdueFirstUntilDismissed() throws Exception {
        Instant recent = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(10));
        // a critical (7 days) and a high (30 days) finding, both opened ten days ago
        scan(recent, "c9", "h9");

        JsonNode page = api.get("v1/accounts/acc1/history/past-sla", reader);
        JsonNode items = page.get("result");

        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("subject").asString()).isEqualTo("c9");
        assertThat(items.get(0).get("due_at").asString())
                .isEqualTo(recent.plus(Duration.ofDays(7)).toString());
        assertThat(page.get("result_info").get("total_count").asLong()).isEqualTo(1);
        long id = items.get(0).get("insight_id").asLong();
        api.call(
                "PUT",
                "v1/accounts/acc1/insights/" + id + "/dismiss",
                writer,
                "{\"dismiss\": true}");
        assertThat(get("v1/accounts/acc1/history/past-sla", reader)).isEmpty();
    }

    @Test
    void theDiffBetweenTwoTimesSaysWhatOpenedWhatResolvedAndWhatStayedOpen() throws Exception {
        JsonNode d =
                get(
                        "v1/accounts/acc1/history/diff?from=2026-01-02T00:00:00Z"
                                + "&to=2026-02-01T12:00:00Z",
                        reader);
        JsonNode early =
                get(
                        "v1/accounts/acc1/history/diff?from=2026-01-02T00:00:00Z"
                                + "&to=2026-01-04T00:00:00Z",
                        reader);

        assertThat(d.get("opened").get("count").asLong()).isEqualTo(1);
        assertThat(d.get("opened").get("items").get(0).get("episode").asInt()).isEqualTo(2);
        assertThat(d.get("resolved").get("count").asLong()).isEqualTo(3);
        assertThat(d.get("resolved").get("by_severity").get("critical").asLong()).isEqualTo(1);
        assertThat(d.get("resolved").get("by_severity").get("high").asLong()).isEqualTo(2);
        assertThat(d.get("still_open").get("count").asLong()).isZero();
        assertThat(early.get("resolved").get("count").asLong()).isEqualTo(1);
        assertThat(early.get("still_open").get("items").findValuesAsString("subject"))
                .containsExactlyInAnyOrder("c1", "h2");
    }

    private static int status(String method, String path, String token, String body)
            throws Exception {
        return api.send(method, path, token, body).statusCode();
    }
}
