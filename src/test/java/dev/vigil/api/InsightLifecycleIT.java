package dev.vigil.api;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.checks.Severity;
import dev.vigil.results.ScanResult;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The life of an insight as the public API shows it, and its audit trail. */
class InsightLifecycleIT {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
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
    void fixtures() {
        api.pg.reset();
        api.pg.zoneTarget("acc1", "zone1");
        writer = api.tokens.issueForAccounts("alice", List.of("acc1"));
        reader = api.tokens.issueForAccounts("bob", List.of("acc1"), false);
    }

    private ScanResult seen(Instant at, String... keys) {
        List<dev.vigil.results.ResultFinding> f = new ArrayList<>();
        for (String k : keys) {
            f.add(finding("tls.min_version", k, Severity.HIGH));
        }
        return zoneResult("acc1", "zone1", at, List.of("tls.min_version"), List.of(), f);
    }

    private JsonNode insight(long id) throws Exception {
        return api.get("v1/accounts/acc1/insights/" + id, reader).get("result");
    }

    private JsonNode audit(long id) throws Exception {
        return api.get("v1/accounts/acc1/insights/" + id + "/audit", reader).get("result");
    }

    private static List<String> actions(JsonNode audit) {
        List<String> out = new ArrayList<>();
        audit.forEach(e -> out.add(e.get("action").asString()));
        return out;
    }

    @Test
    void insightGoesOpenResolvedReopenedAndEachTransitionIsAudited() throws Exception {
        ScanResult s1 = seen(T0, "r1");
        ScanResult s2 = seen(T0.plusSeconds(60));
        ScanResult s3 = seen(T0.plusSeconds(120), "r1");

        api.submit(s1);
        long id = api.insightId("acc1", "r1");
        assertThat(insight(id).get("status").asString()).isEqualTo("open");
        api.submit(s2);
        assertThat(insight(id).get("status").asString()).isEqualTo("resolved");
        assertThat(insight(id).get("resolved_at").asString()).isEqualTo("2026-03-01T10:01:00Z");
        api.submit(s3);
        JsonNode reopened = insight(id);

        assertThat(reopened.get("status").asString()).isEqualTo("open");
        assertThat(reopened.get("resolved_at").isNull()).isTrue();
        JsonNode audit = audit(id);
        assertThat(actions(audit)).containsExactly("reopened", "resolved", "opened");
        assertThat(audit.get(0).get("detail").get("scan_id").asString())
                .isEqualTo(s3.scanId().toString());
        assertThat(audit.get(1).get("detail").get("scan_id").asString())
                .isEqualTo(s2.scanId().toString());
        assertThat(audit.get(2).get("detail").get("scan_id").asString())
                .isEqualTo(s1.scanId().toString());
        assertThat(audit.get(1).get("field").asString()).isEqualTo("status");
        assertThat(audit.get(1).get("old").asString()).isEqualTo("open");
        assertThat(audit.get(1).get("new").asString()).isEqualTo("resolved");
        assertThat(audit.get(2).get("old").isNull()).isTrue();
        audit.forEach(e -> assertThat(e.get("changed_by").asString()).isEqualTo("system"));
        JsonNode scans =
                api.get("v1/accounts/acc1/insights/" + id + "/context", reader)
                        .get("result")
                        .get("scans");
        assertThat(scans.findValuesAsString("scan_id"))
                .containsExactly(s3.scanId().toString(), s1.scanId().toString());
    }

    @Test
    void episodesShowEachOpenPeriodWithItsLengthAndWhatHappenedDuringIt() throws Exception {
        api.submit(seen(T0, "r1"));
        long id = api.insightId("acc1", "r1");
        api.submit(seen(T0.plusSeconds(3_600)));
        api.submit(seen(T0.plusSeconds(7_200), "r1"));
        api.call(
                "PUT",
                "v1/accounts/acc1/insights/" + id + "/dismiss",
                writer,
                "{\"dismiss\": true}");

        long before = Instant.now().getEpochSecond() - T0.plusSeconds(7_200).getEpochSecond();
        JsonNode episodes =
                api.get("v1/accounts/acc1/insights/" + id + "/episodes", reader).get("result");
        JsonNode viaZone =
                api.get("v1/zones/zone1/insights/" + id + "/episodes", reader).get("result");
        long after = Instant.now().getEpochSecond() - T0.plusSeconds(7_200).getEpochSecond();

        assertThat(episodes).hasSize(2);
        assertThat(episodes.get(0).get("episode").asInt()).isEqualTo(1);
        assertThat(episodes.get(0).get("opened_at").asString()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(episodes.get(0).get("resolved_at").asString()).isEqualTo("2026-03-01T11:00:00Z");
        assertThat(episodes.get(0).get("open_seconds").asLong()).isEqualTo(3_600);
        assertThat(episodes.get(0).get("dismissed").asBoolean()).isFalse();
        assertThat(episodes.get(1).get("opened_at").asString()).isEqualTo("2026-03-01T12:00:00Z");
        assertThat(episodes.get(1).get("resolved_at").isNull()).isTrue();
        assertThat(episodes.get(1).get("dismissed").asBoolean()).isTrue();
        assertThat(episodes.get(1).get("severity").asString()).isEqualTo("high");
        // the open episode's length runs with the clock: the two reads may fall in different
        // seconds
        for (JsonNode read : List.of(episodes, viaZone)) {
            assertThat(read.get(1).get("open_seconds").asLong()).isBetween(before, after);
        }
        assertThat(withoutOpenLength(viaZone)).isEqualTo(withoutOpenLength(episodes));
        String stranger = api.tokens.issueForAccounts("eve", List.of("acc2"), false);
        assertThat(
                        api.send(
                                        "GET",
                                        "v1/accounts/acc1/insights/" + id + "/episodes",
                                        stranger,
                                        null)
                                .statusCode())
                .isEqualTo(403);
    }

    @Test
    void dismissedInsightStaysDismissedThroughResolveAndReopen() throws Exception {
        api.submit(seen(T0, "r1"));
        long id = api.insightId("acc1", "r1");

        JsonNode dismissed =
                api.call(
                                "PUT",
                                "v1/accounts/acc1/insights/" + id + "/dismiss",
                                writer,
                                "{\"dismiss\": true}")
                        .get("result");
        api.submit(seen(T0.plusSeconds(60)));
        api.submit(seen(T0.plusSeconds(120), "r1"));

        assertThat(dismissed.get("dismissed").asBoolean()).isTrue();
        assertThat(insight(id).get("dismissed").asBoolean()).isTrue();
        assertThat(insight(id).get("status").asString()).isEqualTo("open");
        JsonNode audit = audit(id);
        assertThat(actions(audit)).containsExactly("reopened", "resolved", "dismissed", "opened");
        JsonNode entry = audit.get(2);
        assertThat(entry.get("changed_by").asString()).isEqualTo("alice");
        assertThat(entry.get("field").asString()).isEqualTo("dismissed");
        assertThat(entry.get("old").asBoolean()).isFalse();
        assertThat(entry.get("new").asBoolean()).isTrue();
    }

    @Test
    void dismissingTwiceAuditsOnceAndUndismissIsAudited() throws Exception {
        api.submit(seen(T0, "r1"));
        long id = api.insightId("acc1", "r1");
        String path = "v1/accounts/acc1/insights/" + id + "/dismiss";

        api.call("PUT", path, writer, "{\"dismiss\": true}");
        api.call("PUT", path, writer, "{\"dismiss\": true}");
        api.call("PUT", path, writer, "{\"dismiss\": false}");

        assertThat(actions(audit(id))).containsExactly("undismissed", "dismissed", "opened");
        assertThat(insight(id).get("dismissed").asBoolean()).isFalse();
    }

    @Test
    void replayedAndStaleResultsChangeNothing() throws Exception {
        ScanResult first = seen(T0, "r1", "r2");
        ScanResult second = seen(T0.plusSeconds(60), "r1");
        api.submit(first);
        api.submit(second);
        long auditRows = api.count("select count(*) from audit_log");
        String before =
                api.get("v1/accounts/acc1/insights?status=open,resolved", reader)
                        .get("result")
                        .toString();

        api.submit(second); // replayed
        api.submit(first); // stale: older than the last applied
        api.submit(seen(T0.minusSeconds(60), "r3")); // stale, with a new finding

        assertThat(api.count("select count(*) from audit_log")).isEqualTo(auditRows);
        assertThat(
                        api.get("v1/accounts/acc1/insights?status=open,resolved", reader)
                                .get("result")
                                .toString())
                .isEqualTo(before);
        assertThat(api.count("select count(*) from insights where resource_key = 'r3'")).isZero();
    }

    @Test
    void classificationNeedsRationaleAndLapsesAfterItsExpiry() throws Exception {
        api.submit(seen(T0, "r1"));
        long id = api.insightId("acc1", "r1");
        String path = "v1/accounts/acc1/insights/" + id + "/classification";

        HttpResponse<String> noRationale =
                api.send("PUT", path, writer, "{\"classification\": \"accept_risk\"}");
        HttpResponse<String> badValue =
                api.send(
                        "PUT",
                        path,
                        writer,
                        "{\"classification\": \"fine\", \"rationale\": \"x\"}");
        HttpResponse<String> past =
                api.send(
                        "PUT",
                        path,
                        writer,
                        "{\"classification\": \"other\", \"rationale\": \"x\","
                                + " \"expires_at\": \"2020-01-01T00:00:00Z\"}");
        JsonNode classified =
                api.call(
                                "PUT",
                                path,
                                writer,
                                "{\"classification\": \"accept_risk\", \"rationale\": \"legacy"
                                        + " clients\", \"expires_at\": \"2099-01-01T00:00:00Z\"}")
                        .get("result");

        assertThat(noRationale.statusCode()).isEqualTo(400);
        assertThat(ApiHarness.JSON.readTree(noRationale.body()).get("field").asString())
                .isEqualTo("rationale");
        assertThat(ApiHarness.JSON.readTree(badValue.body()).get("field").asString())
                .isEqualTo("classification");
        assertThat(ApiHarness.JSON.readTree(past.body()).get("field").asString())
                .isEqualTo("expires_at");
        assertThat(classified.get("classification").asString()).isEqualTo("accept_risk");
        assertThat(classified.get("classification_rationale").asString())
                .isEqualTo("legacy clients");
        assertThat(classified.get("classified_by").asString()).isEqualTo("alice");
        JsonNode entry = audit(id).get(0);
        assertThat(entry.get("action").asString()).isEqualTo("classified");
        assertThat(entry.get("field").asString()).isEqualTo("classification");
        assertThat(entry.get("old").isNull()).isTrue();
        assertThat(entry.get("new").asString()).isEqualTo("accept_risk");
        assertThat(entry.get("detail").get("rationale").asString()).isEqualTo("legacy clients");

        // Time passes beyond the expiry.
        api.pg.execute(
                "update insights set classification_expires_at = now() - interval '1 second'");
        JsonNode lapsed = insight(id);

        assertThat(lapsed.get("classification").isNull()).isTrue();
        assertThat(lapsed.get("classification_lapsed").asBoolean()).isTrue();
        assertThat(api.get("v1/accounts/acc1/insights?classification=none", reader).get("result"))
                .hasSize(1);
        assertThat(
                        api.get("v1/accounts/acc1/insights?classification=accept_risk", reader)
                                .get("result"))
                .isEmpty();
    }

    @Test
    void readTokenMayNotChangeAnything() throws Exception {
        api.submit(seen(T0, "r1"));
        long id = api.insightId("acc1", "r1");

        HttpResponse<String> dismiss =
                api.send(
                        "PUT",
                        "v1/accounts/acc1/insights/" + id + "/dismiss",
                        reader,
                        "{\"dismiss\": true}");
        HttpResponse<String> classify =
                api.send(
                        "PUT",
                        "v1/accounts/acc1/insights/" + id + "/classification",
                        reader,
                        "{\"classification\": \"other\", \"rationale\": \"x\"}");
        HttpResponse<String> bulk =
                api.send(
                        "POST", "v1/accounts/acc1/insights/dismiss", reader, "{\"dismiss\": true}");

        assertThat(List.of(dismiss.statusCode(), classify.statusCode(), bulk.statusCode()))
                .containsOnly(403);
        assertThat(dismiss.body()).contains("read-only");
        assertThat(api.count("select count(*) from insights where dismissed")).isZero();
        assertThat(api.count("select count(*) from audit_log where changed_by = 'bob'")).isZero();
    }

    @Test
    void bulkDismissTakesIdsOrTheFilterAndRefusesNeither() throws Exception {
        api.submit(
                zoneResult(
                        "acc1",
                        "zone1",
                        T0,
                        List.of("a"),
                        List.of(),
                        List.of(
                                finding("a", "low1", Severity.LOW),
                                finding("a", "low2", Severity.LOW),
                                finding("a", "high1", Severity.HIGH))));
        long high = api.insightId("acc1", "high1");

        HttpResponse<String> neither =
                api.send(
                        "POST", "v1/accounts/acc1/insights/dismiss", writer, "{\"dismiss\": true}");
        JsonNode byFilter =
                api.call(
                                "POST",
                                "v1/accounts/acc1/insights/dismiss?severity=low",
                                writer,
                                "{\"dismiss\": true}")
                        .get("result");
        JsonNode byIds =
                api.call(
                                "POST",
                                "v1/zones/zone1/insights/dismiss",
                                writer,
                                "{\"dismiss\": true, \"ids\": [" + high + ", 999999]}")
                        .get("result");

        assertThat(neither.statusCode()).isEqualTo(400);
        assertThat(ApiHarness.JSON.readTree(neither.body()).get("field").asString())
                .isEqualTo("ids");
        assertThat(byFilter.get("matched").asLong()).isEqualTo(2);
        assertThat(byFilter.get("changed").asLong()).isEqualTo(2);
        assertThat(byIds.get("matched").asLong()).isEqualTo(1);
        assertThat(api.count("select count(*) from insights where dismissed")).isEqualTo(3);
        assertThat(
                        api.get("v1/accounts/acc1/audit?field=dismissed&actor=alice", reader)
                                .get("result"))
                .hasSize(3);
    }

    /** {@code episodes} without the open (last) episode's running length. */
    static JsonNode withoutOpenLength(JsonNode episodes) {
        JsonNode copy = episodes.deepCopy();
        ((ObjectNode) copy.get(copy.size() - 1)).remove("open_seconds");
        return copy;
    }
}
