package dev.vigil.api;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.checks.IssueType;
import dev.vigil.checks.Severity;
import dev.vigil.results.ResultFinding;
import dev.vigil.results.ResultFixtures;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Filters, negations, sort, cursor paging, counts, the zone mirror and token management. */
class InsightQueryIT {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static ApiHarness api;
    static String token;

    @BeforeAll
    static void start() {
        api = ApiHarness.start();
        api.pg.zoneTarget("acc1", "zone1");
        api.pg.zoneTarget("acc1", "zone2");
        api.submit(
                zoneResult(
                        "acc1",
                        "zone1",
                        T0,
                        List.of("tls.min_version", "tls.hsts", "dns.dangling"),
                        List.of(),
                        List.of(
                                finding("tls.min_version", "Shop.Example.com", Severity.CRITICAL),
                                finding("tls.hsts", "blog.example.com", Severity.LOW),
                                new ResultFinding(
                                        "dns.dangling",
                                        "dns/old",
                                        Severity.HIGH,
                                        IssueType.EXPOSED_INFRASTRUCTURE,
                                        "old.example.org",
                                        "dangling CNAME"))));
        api.submit(
                zoneResult(
                        "acc1",
                        "zone2",
                        T0,
                        List.of("check_0", "check_1"),
                        List.of(),
                        ResultFixtures.many(230, 2)));
        token = api.tokens.issueForAccounts("reader", List.of("acc1"), false);
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    private static JsonNode list(String query) throws Exception {
        return api.get("v1/accounts/acc1/insights?" + query, token);
    }

    private static List<String> keys(JsonNode body) {
        return body.get("result").findValuesAsString("resource_key");
    }

    @Test
    void filtersAndTheirNegationsCombine() throws Exception {
        assertThat(keys(list("zone_id=zone1&severity~neq=low")))
                .containsExactlyInAnyOrder("Shop.Example.com", "dns/old");
        assertThat(keys(list("zone_id=zone1&not_severity=low"))).hasSize(2);
        assertThat(keys(list("issue_class=tls")))
                .containsExactlyInAnyOrder("Shop.Example.com", "blog.example.com");
        assertThat(keys(list("issue_class=tls.hsts"))).containsExactly("blog.example.com");
        assertThat(keys(list("zone_id=zone1&issue_class~neq=tls"))).containsExactly("dns/old");
        assertThat(keys(list("subject=SHOP.example"))).containsExactly("Shop.Example.com");
        assertThat(keys(list("zone_id=zone1&subject~neq=example.com"))).containsExactly("dns/old");
        assertThat(keys(list("issue_type=exposed_infrastructure&zone_id~neq=zone2")))
                .containsExactly("dns/old");
        assertThat(keys(list("zone_id=zone1&dismissed=true"))).isEmpty();
        assertThat(keys(list("zone_id=zone1&dismissed=false"))).hasSize(3);
        assertThat(keys(list("subject=%25"))).isEmpty(); // % is matched literally
    }

    @Test
    void unknownParametersAndValuesAre400NamingThem() throws Exception {
        HttpResponse<String> typo =
                api.send("GET", "v1/accounts/acc1/insights?severty=low", token, null);
        HttpResponse<String> value =
                api.send("GET", "v1/accounts/acc1/insights?issue_type~neq=bad", token, null);
        HttpResponse<String> cursor =
                api.send("GET", "v1/accounts/acc1/insights?cursor=bm9wZQ", token, null);

        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(ApiHarness.JSON.readTree(typo.body()).get("field").asString())
                .isEqualTo("severty");
        assertThat(ApiHarness.JSON.readTree(value.body()).get("field").asString())
                .isEqualTo("issue_type~neq");
        assertThat(ApiHarness.JSON.readTree(cursor.body()).get("field").asString())
                .isEqualTo("cursor");
    }

    @Test
    void cursorPagingWalksEveryInsightOnceInOrder() throws Exception {
        for (String order : List.of("severity", "subject", "first_seen", "last_seen")) {
            for (String direction : List.of("asc", "desc")) {
                List<Long> ids = new ArrayList<>();
                List<String> subjects = new ArrayList<>();
                String cursor = null;
                int pages = 0;
                do {
                    JsonNode page =
                            list(
                                    "order="
                                            + order
                                            + "&direction="
                                            + direction
                                            + "&per_page=40"
                                            + (cursor == null ? "" : "&cursor=" + cursor));
                    page.get("result").forEach(i -> ids.add(i.get("id").asLong()));
                    subjects.addAll(page.get("result").findValuesAsString("subject"));
                    assertThat(page.get("result_info").get("total_count").asInt()).isEqualTo(233);
                    JsonNode next = page.get("result_info").get("cursor");
                    cursor = next.isNull() ? null : next.asString();
                    pages++;
                } while (cursor != null);

                assertThat(ids).as(order + " " + direction).hasSize(233).doesNotHaveDuplicates();
                assertThat(pages).isEqualTo(6);
                if (order.equals("subject")) {
                    List<String> sorted = new ArrayList<>(subjects);
                    // PostgreSQL's collation decides the order; it must agree with a fresh query.
                    JsonNode all =
                            api.get(
                                    "v1/accounts/acc1/insights/export?format=json&order=subject"
                                            + "&direction="
                                            + direction,
                                    token);
                    assertThat(sorted).isEqualTo(all.findValuesAsString("subject"));
                }
            }
        }
    }

    @Test
    void countsBySeverityClassAndTypeTakeTheFilters() throws Exception {
        JsonNode severity = api.get("v1/zones/zone1/insights/severity", token).get("result");
        JsonNode cls =
                api.get("v1/accounts/acc1/insights/class?issue_class=tls", token).get("result");
        JsonNode type =
                api.get("v1/accounts/acc1/insights/type?zone_id=zone1", token).get("result");

        assertThat(severity.findValuesAsString("value"))
                .containsExactlyInAnyOrder("critical", "high", "low");
        assertThat(severity.findValues("count")).allMatch(c -> c.asInt() == 1);
        assertThat(cls.findValuesAsString("value")).containsExactly("tls.hsts", "tls.min_version");
        assertThat(type.get(0).get("value").asString()).isEqualTo("insecure_configuration");
        assertThat(type.get(0).get("count").asInt()).isEqualTo(2);
    }

    @Test
    void zoneMirrorSeesOnlyItsZone() throws Exception {
        JsonNode zone = api.get("v1/zones/zone1/insights", token);
        long id = api.insightId("acc1", "dns/old");
        long otherZone = api.insightId("acc1", "dns/record-0\ttab\\slash");

        assertThat(zone.get("result_info").get("total_count").asInt()).isEqualTo(3);
        assertThat(
                        api.get("v1/zones/zone1/insights/" + id, token)
                                .get("result")
                                .get("subject")
                                .asString())
                .isEqualTo("old.example.org");
        assertThat(
                        api.send("GET", "v1/zones/zone1/insights/" + otherZone, token, null)
                                .statusCode())
                .isEqualTo(404);
    }

    @Test
    void adminTokenManagesTokensAndNothingElse() throws Exception {
        String admin = api.tokens.issueAdmin("root");

        JsonNode created =
                ApiHarness.JSON.readTree(
                        api.send(
                                        "POST",
                                        "v1/tokens",
                                        admin,
                                        "{\"name\": \"ci\", \"access\": \"read\","
                                                + " \"account_ids\": [\"acc1\"]}")
                                .body());
        String plaintext = created.get("result").get("token").asString();
        long id = created.get("result").get("id").asLong();
        JsonNode listed = api.get("v1/tokens", admin).get("result");
        HttpResponse<String> missingAccounts =
                api.send("POST", "v1/tokens", admin, "{\"name\": \"x\"}");

        assertThat(plaintext).startsWith("vgl_");
        assertThat(api.get("v1/accounts/acc1/insights", plaintext).get("success").asBoolean())
                .isTrue();
        assertThat(listed.toString()).doesNotContain(plaintext).contains("\"ci\"");
        assertThat(ApiHarness.JSON.readTree(missingAccounts.body()).get("field").asString())
                .isEqualTo("account_ids");
        assertThat(api.send("GET", "v1/tokens", token, null).statusCode()).isEqualTo(403);
        assertThat(api.send("GET", "v1/accounts/acc1/insights", admin, null).statusCode())
                .isEqualTo(403);
        assertThat(api.send("DELETE", "v1/tokens/" + id, admin, null).statusCode()).isEqualTo(204);
        assertThat(api.send("GET", "v1/accounts/acc1/insights", plaintext, null).statusCode())
                .isEqualTo(401);
        assertThat(api.count("select count(*) from api_tokens where token_sha256 like 'vgl_%'"))
                .isZero();
    }
}
