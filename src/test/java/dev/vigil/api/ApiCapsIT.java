package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.app.Wiring;
import dev.vigil.testing.TestPostgres;
import dev.vigil.tokens.ApiTokens;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API's caps, each refused with an RFC 9457 problem naming the cap and its limit, and the
 * regressions of what fuzzing found.
 */
class ApiCapsIT {

    static TestPostgres pg;
    static ApiServer server;
    static HttpClient http = HttpClient.newHttpClient();
    static String token;

    @BeforeAll
    static void start() {
        pg = TestPostgres.start();
        pg.zoneTarget("acc1", "zone1");
        server =
                Wiring.api(
                        ApiServer.Options.of(
                                        ApiSettings.defaults()
                                                .withPort(0)
                                                .withRequestsPerTokenPerMinute(20),
                                        pg.dataSource())
                                .withChanges((change, doc) -> {}),
                        null);
        token = ApiTokens.create(pg.dataSource()).issueForAccounts("u", List.of("acc1"));
    }

    @AfterAll
    static void stop() {
        http.close();
        server.close();
        pg.close();
    }

    private static HttpResponse<String> send(String method, String path, String tok, byte[] body)
            throws Exception {
        return http.send(
                HttpRequest.newBuilder(server.baseUrl().resolve(path))
                        .header("Authorization", "Bearer " + tok)
                        // Large bodies wait for 100 Continue, as a careful client would: a
                        // server that refuses one by its Content-Length answers and closes while
                        // the client may still be writing, which otherwise races (broken pipe).
                        .expectContinue(body.length > 1024 * 1024)
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String fresh() {
        return ApiTokens.create(pg.dataSource()).issueForAccounts("u", List.of("acc1"));
    }

    @Test
    void perPageOverTheCapIsRefusedNamingTheLimit() throws Exception {
        HttpResponse<String> r =
                send("GET", "v1/accounts/acc1/insights?per_page=501", fresh(), new byte[0]);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).contains("per_page").contains("500");
    }

    @Test
    void tooManyQueryParametersAreRefusedNamingTheCap() throws Exception {
        String query = String.join("&", java.util.Collections.nCopies(51, "severity=low"));

        HttpResponse<String> r =
                send("GET", "v1/accounts/acc1/insights?" + query, fresh(), new byte[0]);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("max_query_params").contains("51").contains("50");
    }

    @Test
    void tooManyFilterValuesAreRefusedNamingTheCap() throws Exception {
        StringBuilder subjects = new StringBuilder("subject=");
        for (int i = 0; i < 101; i++) {
            subjects.append("s").append(i).append(',');
        }
        HttpResponse<String> r =
                send("GET", "v1/accounts/acc1/insights?" + subjects, fresh(), new byte[0]);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("max_filter_values").contains("101").contains("100");
    }

    @Test
    void oversizedJsonBodyIsRefusedWith413NamingTheCap() throws Exception {
        byte[] body = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) ' ');

        HttpResponse<String> r = send("POST", "v1/accounts/acc1/insights/dismiss", fresh(), body);

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("max_body_bytes").contains("1048576");
    }

    @Test
    void oversizedConfigPushIsRefusedWith413() throws Exception {
        byte[] body = new byte[16 * 1024 * 1024 + 10];
        java.util.Arrays.fill(body, (byte) ' ');

        HttpResponse<String> r = send("POST", "v1/zones/zone1/config", fresh(), body);

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains(Integer.toString(16 * 1024 * 1024));
        assertThat(
                        pg.dataSource()
                                .getConnection()
                                .createStatement()
                                .executeQuery("select count(*) from config_snapshots")
                                .next())
                .isTrue();
    }

    @Test
    void tokenOverItsRateIsRefusedWith429AndRetryAfter() throws Exception {
        String mine = fresh();
        int ok = 0;
        HttpResponse<String> r = null;
        for (int i = 0; i < 40; i++) {
            r = send("GET", "v1/accounts/acc1/insights", mine, new byte[0]);
            if (r.statusCode() != 200) {
                break;
            }
            ok++;
        }

        assertThat(ok).isBetween(20, 22);
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After"))
                .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
        assertThat(r.body()).contains("requests_per_token_per_minute").contains("20");
        // Another token still has its own budget.
        assertThat(send("GET", "v1/accounts/acc1/insights", fresh(), new byte[0]).statusCode())
                .isEqualTo(200);
    }

    @Test
    void serviceTokenIsLimitedOnPublicRoutesButNotOnInternalOnes() throws Exception {
        String service = ApiTokens.create(pg.dataSource()).issueService("reader");
        HttpResponse<String> r = null;
        for (int i = 0; i < 40; i++) {
            r = send("GET", "v1/accounts/acc1/insights", service, new byte[0]);
            if (r.statusCode() != 200) {
                break;
            }
        }

        assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
        for (int i = 0; i < 25; i++) {
            HttpResponse<String> internal =
                    send(
                            "GET",
                            "internal/v1/targets/zone1/config?version=999",
                            service,
                            new byte[0]);
            assertThat(internal.statusCode()).as(internal.body()).isEqualTo(404);
        }
    }

    @Test
    void nulInAFilterValueIsRefusedNamingTheParameter() throws Exception {
        // Found by InsightQueryFuzzIT: the NUL reached PostgreSQL, which answered 500.
        HttpResponse<String> r =
                send(
                        "GET",
                        "v1/accounts/acc1/insights/severity?zone_id=a%00b",
                        fresh(),
                        new byte[0]);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("zone_id").contains("NUL");
    }

    @Test
    void nulInThePathIsAProblemNotJettysHtmlPage() throws Exception {
        // Found by ResultsIngestionFuzzIT: Jetty refused the path before routing, with an HTML
        // page.
        HttpResponse<String> r = send("PUT", "internal/v1/scans/a%00b", fresh(), new byte[0]);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).contains("\"detail\"").contains("%00");
    }

    @Test
    void nulInABodyStringIsRefusedAndNothingIsStored() throws Exception {
        HttpResponse<String> r =
                send(
                        "PUT",
                        "v1/accounts/acc1/insights/1/classification",
                        fresh(),
                        "{\"classification\":\"other\",\"rationale\":\"a\\u0000b\"}"
                                .getBytes(StandardCharsets.UTF_8));

        assertThat(r.statusCode()).isBetween(400, 499);
    }
}
