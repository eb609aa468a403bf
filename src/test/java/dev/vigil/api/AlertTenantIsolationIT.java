package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The alerting routes' side of tenant isolation beyond {@link TenantIsolationIT}'s walk of every
 * route (which calls each alerting route with another account in the path, and with our account and
 * the other's destination or rule id): our own lists show nothing of the other tenant, and a rule
 * cannot send to the other tenant's destination.
 */
class AlertTenantIsolationIT {

    static ApiHarness api;
    static String acc1Token;
    static long foreignDestination;

    @BeforeAll
    static void start() {
        api = ApiHarness.start();
        api.pg.accountTarget("acc1");
        api.pg.accountTarget("acc2");
        acc1Token = api.tokens.issueForAccounts("acc1-user", List.of("acc1"));
        foreignDestination =
                AlertFixtures.emailDestination(
                        api, 7001, "acc2", "foreign-hook", "ops@acc2.example");
        AlertFixtures.emailDestination(api, 7002, "acc1", "own-hook", "ops@acc1.example");
        long rule = AlertFixtures.rule(api, 7101, "acc2", "foreign-rule", foreignDestination);
        AlertFixtures.rule(api, 7102, "acc1", "own-rule", 7002);
        AlertFixtures.failedMessage(
                api, "00000000-0000-0000-0000-00000000a001", "acc1", 7102, 7002, "own-error");
        AlertFixtures.failedMessage(
                api,
                "00000000-0000-0000-0000-00000000a002",
                "acc2",
                rule,
                foreignDestination,
                "foreign-delivery-error");
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    private static void assertNoForeignData(String what, HttpResponse<String> r) {
        for (String s :
                List.of(
                        "foreign-hook",
                        "foreign-rule",
                        "foreign-delivery-error",
                        "ops@acc2.example",
                        "acc2",
                        "\"id\":7001",
                        "\"destination_id\":7001",
                        "\"id\":7101")) {
            assertThat(r.body()).as(what + " leaks " + s).doesNotContain(s);
        }
    }

    @Test
    void ownAlertingShowsNothingOfTheOtherTenant() throws Exception {
        for (String path :
                List.of(
                        "v1/accounts/acc1/alerting/destinations",
                        "v1/accounts/acc1/alerting/rules",
                        "v1/accounts/acc1/alerting/rules/7102/deliveries")) {
            HttpResponse<String> r = api.send("GET", path, acc1Token, null);

            assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
            assertThat(r.body()).as(path).contains("own-").doesNotContain("\"result\":[]");
            assertNoForeignData(path, r);
        }
    }

    @Test
    void ruleCannotSendToAnotherAccountsDestination() throws Exception {
        String before = AlertFixtures.state(api, "acc2") + AlertFixtures.state(api, "acc1");
        String body = "{\"name\": \"sneaky\", \"destination_id\": " + foreignDestination + "}";

        HttpResponse<String> r =
                api.send("POST", "v1/accounts/acc1/alerting/rules", acc1Token, body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(AlertFixtures.problemField(r)).isEqualTo("destination_id");
        HttpResponse<String> none =
                api.send(
                        "POST",
                        "v1/accounts/acc1/alerting/rules",
                        acc1Token,
                        "{\"name\": \"sneaky\", \"destination_id\": 999999}");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body().replace("destination 999999", "destination N"))
                .as("a foreign destination reads as one that does not exist")
                .isEqualTo(r.body().replace("destination " + foreignDestination, "destination N"));
        HttpResponse<String> moved =
                api.send(
                        "PUT",
                        "v1/accounts/acc1/alerting/rules/7102",
                        acc1Token,
                        "{\"name\": \"own-rule\", \"destination_id\": " + foreignDestination + "}");
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(404);
        assertThat(AlertFixtures.state(api, "acc2") + AlertFixtures.state(api, "acc1"))
                .isEqualTo(before);
    }
}
