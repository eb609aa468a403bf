package dev.vigil.api;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.checks.Severity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The fleet routes over a token of two accounts (acc1, acc2) beside a third it does not see (acc3):
 * every answer is the union of the per-account answers, filters and cursors work across accounts,
 * and SLA breaches are measured against each insight's own account's SLA.
 */
class FleetApiIT {

    static ApiHarness api;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        api = ApiHarness.start();
        for (String[] z :
                List.of(
                        new String[] {"acc1", "z1a"},
                        new String[] {"acc1", "z1b"},
                        new String[] {"acc2", "z2"},
                        new String[] {"acc3", "z3"})) {
            api.pg.zoneTarget(z[0], z[1]);
        }
        api.pg.execute(
                "update targets set next_due_at = now() + interval '1 hour'",
                "update targets set next_due_at = now() - interval '10 minutes'"
                        + " where target_id in ('z2', 'z3')");
        Instant old = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(40, ChronoUnit.DAYS);
        api.submit(
                zoneResult(
                        "acc1",
                        "z1a",
                        old,
                        List.of("tls.ssl_flexible", "dns.x"),
                        List.of(),
                        List.of(
                                finding("tls.ssl_flexible", "a1", Severity.CRITICAL),
                                finding("tls.ssl_flexible", "a2", Severity.CRITICAL),
                                finding("dns.x", "a3", Severity.HIGH))));
        api.submit(
                zoneResult(
                        "acc1",
                        "z1b",
                        old,
                        List.of("dns.x"),
                        List.of(),
                        List.of(finding("dns.x", "a4", Severity.LOW))));
        api.submit(
                zoneResult(
                        "acc2",
                        "z2",
                        old,
                        List.of("tls.ssl_flexible", "dns.x"),
                        List.of(),
                        List.of(
                                finding("tls.ssl_flexible", "b1", Severity.CRITICAL),
                                finding("dns.x", "b2", Severity.MODERATE))));
        api.submit(
                zoneResult(
                        "acc3",
                        "z3",
                        old,
                        List.of("tls.ssl_flexible"),
                        List.of(),
                        List.of(
                                finding("tls.ssl_flexible", "c1", Severity.CRITICAL),
                                finding("tls.ssl_flexible", "c2", Severity.CRITICAL))));
        token = api.tokens.issueForAccounts("fleet-reader", List.of("acc1", "acc2"));
        // acc2 allows 60 days for a critical insight: b1 (40 days old) is within its SLA.
        api.call("PUT", "v1/accounts/acc2/sla", token, "{\"critical\": 60}");
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    private static List<String> keys(JsonNode rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.get("resource_key").asString()));
        return out;
    }

    private static List<String> list(String query) throws Exception {
        return keys(api.get("v1/fleet/insights" + query, token).get("result"));
    }

    @Test
    void listHoldsEveryOpenInsightOfTheTokensAccountsWithTheirAccount() throws Exception {
        JsonNode page = api.get("v1/fleet/insights", token);

        assertThat(keys(page.get("result")))
                .containsExactlyInAnyOrder("a1", "a2", "a3", "a4", "b1", "b2");
        assertThat(page.get("result_info").get("total_count").asLong()).isEqualTo(6);
        Set<String> accounts = new TreeSet<>();
        page.get("result").forEach(r -> accounts.add(r.get("account_id").asString()));
        assertThat(accounts).containsExactly("acc1", "acc2");
    }

    @Test
    void everyInsightFilterAppliesAcrossAccounts() throws Exception {
        assertThat(list("?severity=critical")).containsExactlyInAnyOrder("a1", "a2", "b1");
        assertThat(list("?severity~neq=critical,high")).containsExactlyInAnyOrder("a4", "b2");
        assertThat(list("?issue_class=dns")).containsExactlyInAnyOrder("a3", "a4", "b2");
        assertThat(list("?zone_id=z1a&subject=a")).containsExactlyInAnyOrder("a1", "a2", "a3");
        assertThat(list("?status=resolved")).isEmpty();
    }

    @Test
    void accountFilterNarrowsToSomeOfTheTokensAccounts() throws Exception {
        assertThat(list("?account_id=acc2")).containsExactlyInAnyOrder("b1", "b2");
        assertThat(list("?account_id=acc2,acc1&severity=moderate")).containsExactly("b2");
        assertThat(list("?account_id~neq=acc1")).containsExactlyInAnyOrder("b1", "b2");
    }

    @Test
    void cursorPagesWalkTheWholeOrderOnce() throws Exception {
        List<String> whole = list("?order=subject&direction=asc");
        List<String> walked = new ArrayList<>();
        String cursor = "";
        do {
            JsonNode page =
                    api.get(
                            "v1/fleet/insights?order=subject&direction=asc&per_page=4"
                                    + (cursor.isEmpty() ? "" : "&cursor=" + cursor),
                            token);
            walked.addAll(keys(page.get("result")));
            JsonNode next = page.get("result_info").get("cursor");
            cursor = next == null || next.isNull() ? "" : next.asString();
        } while (!cursor.isEmpty());

        assertThat(walked).isEqualTo(whole).hasSize(6);
    }

    @Test
    void countsAreTheSumOfTheAccountsCounts() throws Exception {
        JsonNode fleet = api.get("v1/fleet/insights/severity", token).get("result");
        JsonNode acc1 = api.get("v1/accounts/acc1/insights/severity", token).get("result");
        JsonNode acc2 = api.get("v1/accounts/acc2/insights/severity", token).get("result");

        for (String s : List.of("critical", "high", "moderate", "low")) {
            assertThat(count(fleet, s)).as(s).isEqualTo(count(acc1, s) + count(acc2, s));
        }
        assertThat(count(fleet, "critical")).isEqualTo(3);
    }

    private static long count(JsonNode counts, String value) {
        for (JsonNode c : counts) {
            if (c.get("value").asString().equals(value)) {
                return c.get("count").asLong();
            }
        }
        return 0;
    }

    @Test
    void summaryRanksAccountsAndZonesAndCountsBreachesByEachAccountsSla() throws Exception {
        JsonNode s = api.get("v1/fleet/summary", token).get("result");

        assertThat(s.get("counts").get("open_by_severity").get("critical").asLong()).isEqualTo(3);
        assertThat(s.get("counts").get("by_status").get("open").asLong()).isEqualTo(6);
        // a1, a2 (critical, 7 days) and a3 (high, 30 days); b1 is within acc2's 60 days
        assertThat(s.get("sla_breaches").asLong()).isEqualTo(3);
        assertThat(s.get("top_accounts").get(0).get("account_id").asString()).isEqualTo("acc1");
        assertThat(s.get("top_accounts").get(0).get("critical").asLong()).isEqualTo(2);
        assertThat(s.get("top_zones").get(0).get("zone_id").asString()).isEqualTo("z1a");
        assertThat(s.get("overdue_targets").asLong()).isEqualTo(1);
        assertThat(s.get("overdue").get(0).get("target_id").asString()).isEqualTo("z2");
    }

    @Test
    void pastSlaListsTheBreachesOfEveryAccount() throws Exception {
        JsonNode r = api.get("v1/fleet/past-sla", token);
        List<String> ids = new ArrayList<>();
        r.get("result")
                .forEach(
                        e ->
                                ids.add(
                                        e.get("account_id").asString()
                                                + "/"
                                                + e.get("insight_id").asLong()));
        JsonNode acc1 = api.get("v1/accounts/acc1/history/past-sla", token).get("result");
        JsonNode acc2 = api.get("v1/accounts/acc2/history/past-sla", token).get("result");

        assertThat(ids).hasSize(3).allMatch(id -> id.startsWith("acc1/"));
        assertThat(r.get("result_info").get("total_count").asLong())
                .isEqualTo(acc1.size() + acc2.size());
    }

    @Test
    void trendIsTheSumOfTheAccountsTrends() throws Exception {
        JsonNode fleet = api.get("v1/fleet/trend?days=7", token);
        long acc1 =
                api.get("v1/accounts/acc1/trend?days=7", token)
                        .get("result_info")
                        .get("open_now")
                        .asLong();
        long acc2 =
                api.get("v1/accounts/acc2/trend?days=7", token)
                        .get("result_info")
                        .get("open_now")
                        .asLong();

        assertThat(fleet.get("result_info").get("open_now").asLong())
                .isEqualTo(acc1 + acc2)
                .isEqualTo(6);
        assertThat(fleet.get("result")).hasSize(7);
    }

    @Test
    void serviceAndAdminTokensAreRefused() throws Exception {
        for (String t : List.of(api.tokens.issueService("svc"), api.tokens.issueAdmin("adm"))) {
            var r = api.send("GET", "v1/fleet/insights", t, null);

            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
            assertThat(r.body()).contains("the fleet routes read the accounts of an account token");
        }
    }

    @Test
    void unknownParametersAreRefusedNamingThem() throws Exception {
        var r = api.send("GET", "v1/fleet/insights?acount_id=acc1", token, null);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("unknown query parameter 'acount_id'");
    }
}
