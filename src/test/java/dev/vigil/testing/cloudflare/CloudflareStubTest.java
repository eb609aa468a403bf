package dev.vigil.testing.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The stub's envelope, routes, paging and fleet edits (faults and auth: CloudflareStubFaultsTest).
 */
class CloudflareStubTest {

    static final String ACME = "1219410d6225a32b479683cbdf88374d";
    static final String ACME_ZONE = "6c1e89a88d2c0416dddd3f36b9b5540e";
    static final String SHOP_ZONE = "bbb039c19248ff56c5f5311ed4609a26";

    private static CloudflareStub stub;
    private static StubClient client;

    @BeforeAll
    static void start() {
        stub = CloudflareStub.start(StubFleet.standard());
        client = new StubClient(stub);
    }

    @AfterAll
    static void stop() {
        stub.close();
    }

    @BeforeEach
    void reset() {
        stub.faults().clear();
        stub.clearLog();
    }

    @Test
    void servesOnLoopbackUnderClientV4() {
        assertThat(stub.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+/client/v4");
    }

    @Test
    void anObjectComesInTheEnvelopeWithoutResultInfo() {
        JsonNode body = client.get("/zones/" + ACME_ZONE).json();

        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("errors").isEmpty()).isTrue();
        assertThat(body.get("messages").isEmpty()).isTrue();
        assertThat(body.get("result").get("name").asString()).isEqualTo("acme.example");
        assertThat(body.get("result").get("plan").get("legacy_id").asString())
                .isEqualTo("enterprise");
        assertThat(body.has("result_info")).isFalse();
    }

    @Test
    void aListIsPagedWithTotals() {
        JsonNode first = client.get("/zones?per_page=5").json();
        JsonNode second = client.get("/zones?per_page=5&page=2").json();

        assertThat(first.get("result").size()).isEqualTo(5);
        assertThat(first.get("result_info").toString())
                .isEqualTo(
                        "{\"page\":1,\"per_page\":5,\"count\":5,\"total_count\":7,\"total_pages\":2}");
        assertThat(second.get("result").size()).isEqualTo(2);
        assertThat(second.get("result_info").get("count").asInt()).isEqualTo(2);
    }

    @Test
    void aPagePastTheEndIsEmptyNotAnError() {
        StubClient.Answer a = client.get("/zones?per_page=5&page=9");

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("result").isEmpty()).isTrue();
    }

    @Test
    void omittedTotalsLeaveOnlyPageCounts() {
        stub.faults().omitTotalPages(true);

        JsonNode info = client.get("/zones?per_page=5").json().get("result_info");

        assertThat(info.has("total_pages")).isFalse();
        assertThat(info.has("total_count")).isFalse();
        assertThat(info.get("count").asInt()).isEqualTo(5);
    }

    @Test
    void anEmptyLastPageIsAnnouncedAndServedEmpty() {
        stub.faults().emptyLastPage(true);

        JsonNode first = client.get("/zones?per_page=5").json();
        JsonNode third = client.get("/zones?per_page=5&page=3").json();

        assertThat(first.get("result_info").get("total_pages").asInt()).isEqualTo(3);
        assertThat(third.get("result").isEmpty()).isTrue();
        assertThat(third.get("result_info").get("count").asInt()).isZero();
    }

    @Test
    void rulesetsArePagedByCursorUntilResultInfoIsGone() {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode body =
                    client.get(
                                    "/zones/"
                                            + ACME_ZONE
                                            + "/rulesets?per_page=2"
                                            + (cursor == null ? "" : "&cursor=" + cursor))
                            .json();
            body.get("result").forEach(r -> ids.add(r.get("id").asString()));
            cursor =
                    body.has("result_info")
                            ? body.get("result_info").get("cursor").asString()
                            : null;
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(ids).hasSize(5).doesNotHaveDuplicates();
    }

    @Test
    void aBadCursorOrPerPageIsA400() {
        assertThat(client.get("/zones/" + ACME_ZONE + "/rulesets?cursor=bm9wZQ").status())
                .isEqualTo(400);
        assertThat(client.get("/zones?per_page=51").status()).isEqualTo(400);
        assertThat(client.get("/zones?page=0").status()).isEqualTo(400);
        assertThat(
                        client.get("/zones?per_page=abc")
                                .json()
                                .get("errors")
                                .get(0)
                                .get("message")
                                .asString())
                .isEqualTo("per_page must be an integer from 5 to 50, was 'abc'");
    }

    @Test
    void aMissingEntrypointIsA404WithCloudflaresCode() {
        StubClient.Answer a =
                client.get(
                        "/zones/"
                                + ACME_ZONE
                                + "/rulesets/phases/http_request_firewall_managed/entrypoint");

        assertThat(a.status()).isEqualTo(404);
        assertThat(a.json().get("success").asBoolean()).isFalse();
        assertThat(a.json().get("result").isNull()).isTrue();
        assertThat(a.json().get("errors").get(0).toString())
                .isEqualTo(
                        "{\"code\":10003,\"message\":\"could not find entrypoint ruleset in the http_request_firewall_managed phase\"}");
    }

    @Test
    void anExistingEntrypointHoldsItsRules() {
        JsonNode ep =
                client.get(
                                "/zones/"
                                        + SHOP_ZONE
                                        + "/rulesets/phases/http_request_firewall_managed/entrypoint")
                        .json();

        assertThat(ep.get("result").get("kind").asString()).isEqualTo("zone");
        assertThat(ep.get("result").get("rules"))
                .allSatisfy(r -> assertThat(r.get("enabled").asBoolean()).isFalse());
    }

    @Test
    void anUnknownIdIsA404NamingTheRoute() {
        StubClient.Answer a = client.get("/zones/0123456789abcdef0123456789abcdef/dns_records");

        assertThat(a.status()).isEqualTo(404);
        assertThat(a.json().get("errors").get(0).get("code").asInt()).isEqualTo(7003);
        assertThat(a.json().get("errors").get(0).get("message").asString())
                .isEqualTo(
                        "Could not route to /zones/0123456789abcdef0123456789abcdef/dns_records, perhaps your object identifier is invalid?");
    }

    @Test
    void anUnknownRouteIsA404() {
        assertThat(
                        client.get("/zones/" + ACME_ZONE + "/nonsense")
                                .json()
                                .get("errors")
                                .get(0)
                                .get("code")
                                .asInt())
                .isEqualTo(7000);
    }

    @Test
    void zonesFilterByAccountAndName() {
        assertThat(client.get("/zones?account.id=" + ACME).json().get("result"))
                .hasSize(3)
                .allSatisfy(z -> assertThat(z.get("account").get("id").asString()).isEqualTo(ACME));
        assertThat(client.get("/zones?name=acme.example").json().get("result"))
                .singleElement()
                .satisfies(z -> assertThat(z.get("id").asString()).isEqualTo(ACME_ZONE));
    }

    @Test
    void deletedTunnelsAreListedUnlessFilteredOut() {
        assertThat(client.get("/accounts/" + ACME + "/cfd_tunnel").json().get("result")).hasSize(3);
        assertThat(
                        client.get("/accounts/" + ACME + "/cfd_tunnel?is_deleted=false")
                                .json()
                                .get("result"))
                .hasSize(2);
    }

    @Test
    void anAppsOwnPoliciesAreServedOnTheirOwnRoute() {
        String ssh = "d2312741-6b8f-4002-a34e-34ec8a741419";

        JsonNode policies =
                client.get("/accounts/" + ACME + "/access/apps/" + ssh + "/policies")
                        .json()
                        .get("result");

        assertThat(policies)
                .singleElement()
                .satisfies(p -> assertThat(p.get("decision").asString()).isEqualTo("allow"));
        assertThat(client.get("/accounts/" + ACME + "/access/apps/nope/policies").status())
                .isEqualTo(404);
    }

    @Test
    void settingsComeAsOneListOfIdValuePairs() {
        JsonNode settings = client.get("/zones/" + ACME_ZONE + "/settings").json().get("result");

        assertThat(settings)
                .anySatisfy(
                        s -> {
                            assertThat(s.get("id").asString()).isEqualTo("ssl");
                            assertThat(s.get("value").asString()).isEqualTo("flexible");
                        });
    }

    @Test
    void aRemovedZoneDisappearsAndAGeneratedOneIsServedInPages() {
        StubFleet fleet = StubFleet.standard();
        try (CloudflareStub own = CloudflareStub.start(fleet)) {
            StubClient c = new StubClient(own);
            fleet.removeZone(SHOP_ZONE);
            fleet.addGeneratedZone(ACME, "00000000000000000000000000000abc", "bulk.example", 250);

            assertThat(c.get("/zones/" + SHOP_ZONE).status()).isEqualTo(404);
            assertThat(fleet.zoneIds())
                    .doesNotContain(SHOP_ZONE)
                    .contains("00000000000000000000000000000abc");
            JsonNode page =
                    c.get("/zones/00000000000000000000000000000abc/dns_records?per_page=100&page=3")
                            .json();
            assertThat(page.get("result_info").get("total_count").asInt())
                    .isEqualTo(fleet.dnsRecordCount("00000000000000000000000000000abc"))
                    .isEqualTo(254);
            assertThat(page.get("result")).hasSize(54);
        }
    }

    @Test
    void theRequestLogRecordsPathQueryStatusAndToken() {
        client.get("/zones?per_page=5");

        assertThat(stub.requests())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.method()).isEqualTo("GET");
                            assertThat(r.path()).isEqualTo("/zones");
                            assertThat(r.query()).isEqualTo("per_page=5");
                            assertThat(r.status()).isEqualTo(200);
                            assertThat(r.token()).isEqualTo(StubFleet.TOKEN);
                        });
    }
}
