package dev.vigil.api;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.checks.Severity;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The dashboard's summary routes: who am I, scan status per target, trend, check metadata. */
class OverviewApiIT {

    static ApiHarness api;
    static String token;

    @BeforeAll
    static void start() {
        api = ApiHarness.start();
        api.pg.accountTarget("acc1");
        api.pg.zoneTarget("acc1", "calm");
        api.pg.zoneTarget("acc1", "busy");
        api.pg.zoneTarget("acc1", "late");
        api.pg.execute(
                "update targets set next_due_at = now() - interval '10 minutes'"
                        + " where target_id = 'late'",
                "update targets set next_due_at = now() + interval '1 hour'"
                        + " where target_id <> 'late'");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120);
        api.submit(
                zoneResult(
                        "acc1",
                        "busy",
                        t0,
                        List.of("tls.ssl_flexible", "dns.dangling_cname"),
                        List.of(),
                        List.of(
                                finding("tls.ssl_flexible", "a", Severity.CRITICAL),
                                finding("tls.ssl_flexible", "b", Severity.CRITICAL),
                                finding("dns.dangling_cname", "c", Severity.HIGH))));
        api.submit(
                zoneResult(
                        "acc1",
                        "calm",
                        t0,
                        List.of("tls.ssl_flexible"),
                        List.of(),
                        List.of(finding("tls.ssl_flexible", "d", Severity.CRITICAL))));
        // The next scan of busy no longer sees "b": resolved today.
        api.submit(
                zoneResult(
                        "acc1",
                        "busy",
                        t0.plusSeconds(60),
                        List.of("tls.ssl_flexible", "dns.dangling_cname"),
                        List.of(),
                        List.of(
                                finding("tls.ssl_flexible", "a", Severity.CRITICAL),
                                finding("dns.dangling_cname", "c", Severity.HIGH))));
        token = api.tokens.issueForAccounts("reader", List.of("acc1", "ghost"));
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    @Test
    void meListsTheTokensAccountsWithTheirNames() throws Exception {
        JsonNode me = api.get("v1/me", token).get("result");

        assertThat(me.get("name").asString()).isEqualTo("reader");
        assertThat(me.get("scope").asString()).isEqualTo("accounts");
        assertThat(me.get("accounts").get(0).get("id").asString()).isEqualTo("acc1");
        assertThat(me.get("accounts").get(0).get("name").asString()).isEqualTo("acct");
        assertThat(me.get("accounts").get(1).get("id").asString()).isEqualTo("ghost");
        assertThat(me.get("accounts").get(1).get("name").isNull()).isTrue();
    }

    @Test
    void scanStatusOrdersTargetsByCriticalInsightsAndFlagsOverdueOnes() throws Exception {
        JsonNode body = api.get("v1/accounts/acc1/scan-status", token);
        List<String> order = new ArrayList<>();
        body.get("result").forEach(t -> order.add(t.get("target_id").asString()));

        assertThat(order).containsExactly("busy", "calm", "acc1", "late");
        JsonNode busy = body.get("result").get(0);
        assertThat(busy.get("open_insights").get("critical").asLong()).isEqualTo(1);
        assertThat(busy.get("open_insights").get("high").asLong()).isEqualTo(1);
        assertThat(busy.get("last_scan_at").isNull()).isFalse();
        assertThat(busy.get("overdue").asBoolean()).isFalse();
        assertThat(body.get("result").get(3).get("overdue").asBoolean()).isTrue();
        assertThat(body.get("result").get(3).get("last_scan_at").isNull()).isTrue();
        assertThat(body.get("result_info").get("overdue_count").asLong()).isEqualTo(1);
        assertThat(body.get("result_info").get("total_count").asLong()).isEqualTo(4);
    }

    @Test
    void scanStatusOfAZoneIsThatZoneAlone() throws Exception {
        JsonNode result = api.get("v1/zones/calm/scan-status", token).get("result");

        assertThat(result).hasSize(1);
        assertThat(result.get(0).get("target_id").asString()).isEqualTo("calm");
    }

    @Test
    void trendCountsTodaysOpenedResolvedAndOpenAtTheEnd() throws Exception {
        JsonNode body = api.get("v1/accounts/acc1/trend?days=3", token);
        JsonNode days = body.get("result");

        assertThat(days).hasSize(3);
        JsonNode today = days.get(2);
        assertThat(today.get("day").asString()).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
        assertThat(today.get("opened").asLong()).isEqualTo(4);
        assertThat(today.get("resolved").asLong()).isEqualTo(1);
        assertThat(today.get("open").asLong()).isEqualTo(3);
        assertThat(days.get(1).get("open").asLong()).isZero();
        assertThat(body.get("result_info").get("open_now").asLong()).isEqualTo(3);
    }

    @Test
    void checksExplainWhatIsWrongWhyAndHowToFixIt() throws Exception {
        JsonNode list = api.get("v1/checks", token);
        JsonNode one = api.get("v1/checks/tls.ssl_flexible", token).get("result");

        assertThat(list.get("result_info").get("count").asInt()).isGreaterThan(10);
        assertThat(one.get("title").asString()).isNotBlank();
        assertThat(one.get("risk").asString()).isNotBlank();
        assertThat(one.get("remediation_steps")).isNotEmpty();
        assertThat(one.get("severity").asString()).isEqualTo("high");
    }

    @Test
    void unknownCheckAndUnknownParameterAreNamed() throws Exception {
        HttpResponse<String> check = api.send("GET", "v1/checks/no.such", token, null);
        HttpResponse<String> param = api.send("GET", "v1/accounts/acc1/trend?dayz=3", token, null);

        assertThat(check.statusCode()).isEqualTo(404);
        assertThat(check.body()).contains("no check 'no.such'");
        assertThat(param.statusCode()).isEqualTo(400);
        assertThat(param.body()).contains("unknown query parameter 'dayz'");
    }

    @Test
    void routesNeedAToken() throws Exception {
        for (String path : List.of("v1/me", "v1/checks", "v1/accounts/acc1/trend")) {
            assertThat(api.send("GET", path, null, null).statusCode()).as(path).isEqualTo(401);
        }
    }
}
