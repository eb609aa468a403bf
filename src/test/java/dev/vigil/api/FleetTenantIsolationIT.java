package dev.vigil.api;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.checks.Severity;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A token of account acc1 never sees account acc2 through a fleet route: not by naming acc2 in the
 * account filter (403, as for an account that does not exist), not with a cursor taken from acc2's
 * pages, not in any count, rank, trend or SLA breach.
 */
class FleetTenantIsolationIT {

    static ApiHarness api;
    static String acc1Token;
    static String acc2Token;

    @BeforeAll
    static void start() {
        api = ApiHarness.start();
        api.pg.zoneTarget("acc1", "zone1");
        api.pg.zoneTarget("acc2", "zone9");
        api.pg.execute("update targets set next_due_at = now() - interval '1 hour'");
        Instant old = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(40, ChronoUnit.DAYS);
        api.submit(
                zoneResult(
                        "acc1",
                        "zone1",
                        old,
                        List.of("a"),
                        List.of(),
                        List.of(finding("a", "mine", Severity.LOW))));
        api.submit(
                zoneResult(
                        "acc2",
                        "zone9",
                        old,
                        List.of("hidden.check"),
                        List.of(),
                        List.of(
                                finding("hidden.check", "secret-key-1", Severity.CRITICAL),
                                finding("hidden.check", "secret-key-2", Severity.CRITICAL),
                                finding("hidden.check", "secret-key-3", Severity.CRITICAL))));
        acc1Token = api.tokens.issueForAccounts("acc1-user", List.of("acc1"));
        acc2Token = api.tokens.issueForAccounts("acc2-user", List.of("acc2"));
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    private static void assertNothingOfAcc2(String what, String body) {
        for (String s : List.of("acc2", "zone9", "secret-key", "hidden.check")) {
            assertThat(body).as(what + " leaks " + s).doesNotContain(s);
        }
    }

    @Test
    void everyFleetRouteAnswersOnlyTheTokensAccounts() throws Exception {
        for (String path : TenantRoutes.FLEET) {
            HttpResponse<String> r = api.send("GET", path, acc1Token, null);

            assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
            assertNothingOfAcc2(path, r.body());
        }
        JsonNode summary = api.get("v1/fleet/summary", acc1Token).get("result");
        assertThat(summary.get("counts").get("open_by_severity").get("critical").asLong()).isZero();
        assertThat(summary.get("sla_breaches").asLong()).isZero();
        assertThat(summary.get("overdue_targets").asLong()).isEqualTo(1);
    }

    @Test
    void namingAnotherAccountInTheFilterIsRefusedLikeAnAccountThatDoesNotExist() throws Exception {
        for (String path : TenantRoutes.FLEET) {
            String route = path.substring(0, path.indexOf('?'));
            for (String q :
                    List.of(
                            "account_id=acc2",
                            "account_id=acc1,acc2",
                            "account_id=acc1&account_id=acc2",
                            "account_id~neq=acc2",
                            "not_account_id=acc2")) {
                HttpResponse<String> r = api.send("GET", route + "?" + q, acc1Token, null);
                HttpResponse<String> none =
                        api.send("GET", route + "?" + q.replace("acc2", "nosuch"), acc1Token, null);

                assertThat(r.statusCode()).as(route + "?" + q + " -> " + r.body()).isEqualTo(403);
                assertThat(none.statusCode()).isEqualTo(403);
                assertThat(r.body().replace("acc2", "X"))
                        .isEqualTo(none.body().replace("nosuch", "X"));
            }
        }
    }

    @Test
    void aCursorTakenFromAnotherTenantsPagesStaysInTheTokensAccounts() throws Exception {
        // acc2's own first page ends at its second insight: its cursor points into acc2's rows.
        JsonNode foreign = api.get("v1/fleet/insights?per_page=1", acc2Token);
        String cursor = foreign.get("result_info").get("cursor").asString();

        HttpResponse<String> r =
                api.send("GET", "v1/fleet/insights?per_page=1&cursor=" + cursor, acc1Token, null);
        HttpResponse<String> asc =
                api.send(
                        "GET",
                        "v1/fleet/insights?direction=asc&order=severity&cursor=" + cursor,
                        acc1Token,
                        null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertNothingOfAcc2("cursor page", r.body());
        assertThat(asc.statusCode()).as("a cursor of another order").isEqualTo(400);
        assertNothingOfAcc2("cursor of another order", asc.body());
    }

    @Test
    void filterValuesNamingTheOtherTenantsDataFindNothing() throws Exception {
        JsonNode page =
                api.get(
                        "v1/fleet/insights?zone_id=zone9&issue_class=hidden"
                                + "&status=open,resolved&subject=secret",
                        acc1Token);

        assertThat(page.get("result")).isEmpty();
        assertThat(page.get("result_info").get("total_count").asLong()).isZero();
        assertThat(api.get("v1/fleet/insights/class?zone_id=zone9", acc1Token).get("result"))
                .isEmpty();
    }
}
