package dev.vigil.testing.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Authentication errors, injected faults and the rate window of the stub. */
class CloudflareStubFaultsTest {

    private static final String ZONE = CloudflareStubTest.ACME_ZONE;
    private static final String RATE = "\"default\";r=\\d+;t=\\d+";

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
    void noAuthorizationHeaderIsA400NamingTheMissingCredentials() {
        StubClient.Answer a = client.send("GET", "/zones", null, Duration.ofSeconds(5));

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().get("errors").toString())
                .isEqualTo(
                        "[{\"code\":9106,\"message\":\"Missing X-Auth-Email header\"},{\"code\":9107,\"message\":\"Missing X-Auth-Key header\"}]");
    }

    @Test
    void aMalformedAuthorizationIsA400WithTheNestedCause() {
        StubClient.Answer a = client.send("GET", "/zones", "Token abc", Duration.ofSeconds(5));

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().get("errors").get(0).toString())
                .isEqualTo(
                        "{\"code\":6003,\"message\":\"Invalid request headers\",\"error_chain\":[{\"code\":6111,\"message\":\"Invalid format for Authorization header\"}]}");
    }

    @Test
    void anUnknownTokenIsA403() {
        StubClient.Answer a =
                client.send("GET", "/zones", "Bearer not-a-fleet-token", Duration.ofSeconds(5));

        assertThat(a.status()).isEqualTo(403);
        assertThat(a.json().get("errors").get(0).get("code").asInt()).isEqualTo(9109);
        assertThat(a.json().get("success").asBoolean()).isFalse();
    }

    @Test
    void anAddedTokenIsAccepted() {
        stub.fleet().addToken("second-token");

        assertThat(
                        client.send("GET", "/zones", "Bearer second-token", Duration.ofSeconds(5))
                                .status())
                .isEqualTo(200);
    }

    @Test
    void onlyGetIsServed() {
        StubClient.Answer a =
                client.send("POST", "/zones", "Bearer " + StubFleet.TOKEN, Duration.ofSeconds(5));

        assertThat(a.status()).isEqualTo(405);
        assertThat(a.json().get("success").asBoolean()).isFalse();
    }

    @Test
    void everyAnswerCarriesTheRateLimitHeaders() {
        StubClient.Answer ok = client.get("/zones");
        StubClient.Answer denied =
                client.send("GET", "/zones", "Bearer nope", Duration.ofSeconds(5));

        assertThat(ok.header("Ratelimit")).matches(RATE);
        assertThat(ok.header("Ratelimit-Policy")).isEqualTo("\"burst\";q=1200;w=300");
        assertThat(denied.header("Ratelimit")).matches(RATE);
        assertThat(ok.header("Retry-After")).isEmpty();
    }

    @Test
    void theRemainingQuotaCountsDownPerToken() {
        stub.faults().limit(10, Duration.ofMinutes(1));

        client.get("/zones");
        StubClient.Answer second = client.get("/zones");

        assertThat(second.header("Ratelimit")).startsWith("\"default\";r=8;t=");
        assertThat(second.header("Ratelimit-Policy")).isEqualTo("\"burst\";q=10;w=60");
    }

    @Test
    void overTheWindowTheStubAnswers429AndDoesNotCountTheRefusal() {
        stub.faults().limit(3, Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            assertThat(client.get("/zones").status()).isEqualTo(200);
        }

        StubClient.Answer refused = client.get("/zones");
        stub.faults().limit(4, Duration.ofMinutes(1));
        StubClient.Answer fourth = client.get("/zones");

        assertThat(refused.status()).isEqualTo(429);
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);
        assertThat(refused.header("Ratelimit")).startsWith("\"default\";r=0;t=");
        assertThat(refused.json().get("errors").get(0).toString())
                .isEqualTo(
                        "{\"code\":971,\"message\":\"Please wait and consider throttling your request speed\"}");
        assertThat(fourth.status()).isEqualTo(200);
    }

    @Test
    void theWindowSlidesAndRefusalsDoNotKeepItShut() {
        stub.faults().limit(2, Duration.ofSeconds(1));
        client.get("/zones");
        client.get("/zones");
        assertThat(client.get("/zones").status()).isEqualTo(429);

        // Polling every 50 ms: each refused poll would keep the window full if it were counted.
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> client.get("/zones").status() == 200);
    }

    @Test
    void aCountedFaultHitsExactlyThatManyConcurrentRequests() throws Exception {
        stub.faults().rateLimit("/zones", 4, 1);
        List<Future<Integer>> answers;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            answers =
                    java.util.stream.IntStream.range(0, 12)
                            .mapToObj(i -> pool.submit(() -> client.get("/zones").status()))
                            .toList();
        }
        int throttled = 0;
        for (Future<Integer> f : answers) {
            throttled += f.get() == 429 ? 1 : 0;
        }

        assertThat(throttled).isEqualTo(4);
    }

    @Test
    void anInjected429CarriesTheGivenRetryAfterThenStops() {
        stub.faults().rateLimit("/zones/[^/]+/dns_records", 2, 7);

        StubClient.Answer first = client.get("/zones/" + ZONE + "/dns_records");
        StubClient.Answer second = client.get("/zones/" + ZONE + "/dns_records");
        StubClient.Answer third = client.get("/zones/" + ZONE + "/dns_records");

        assertThat(first.status()).isEqualTo(429);
        assertThat(first.header("Retry-After")).isEqualTo("7");
        assertThat(first.json().get("errors").get(0).get("code").asInt()).isEqualTo(971);
        assertThat(second.status()).isEqualTo(429);
        assertThat(third.status()).isEqualTo(200);
        assertThat(client.get("/zones/" + ZONE).status()).isEqualTo(200);
    }

    @Test
    void aForbiddenPathAnswers403AuthenticationError() {
        stub.faults().forbid("/accounts/[^/]+/members");

        StubClient.Answer a = client.get("/accounts/" + CloudflareStubTest.ACME + "/members");

        assertThat(a.status()).isEqualTo(403);
        assertThat(a.json().get("errors").get(0).toString())
                .isEqualTo("{\"code\":10000,\"message\":\"Authentication error\"}");
        assertThat(client.get("/accounts/" + CloudflareStubTest.ACME + "/tokens").status())
                .isEqualTo(200);
    }

    @Test
    void serverErrorsAlternateJson500AndHtml502() {
        stub.faults().serverError("/zones/[^/]+/settings", 2);

        StubClient.Answer first = client.get("/zones/" + ZONE + "/settings");
        StubClient.Answer second = client.get("/zones/" + ZONE + "/settings");

        assertThat(first.status()).isEqualTo(500);
        assertThat(first.json().get("success").asBoolean()).isFalse();
        assertThat(second.status()).isEqualTo(502);
        assertThat(second.header("Content-Type")).startsWith("text/html");
        assertThat(second.raw().body()).contains("502 Bad Gateway");
        assertThat(client.get("/zones/" + ZONE + "/settings").status()).isEqualTo(200);
    }

    @Test
    void aSlowPathOutlastsAShortClientTimeout() {
        stub.faults().slow("/zones/[^/]+/dnssec", Duration.ofSeconds(3));

        assertThatThrownBy(
                        () ->
                                client.send(
                                        "GET",
                                        "/zones/" + ZONE + "/dnssec",
                                        "Bearer " + StubFleet.TOKEN,
                                        Duration.ofMillis(300)))
                .hasCauseInstanceOf(HttpTimeoutException.class);
        assertThat(client.get("/zones/" + ZONE).status()).isEqualTo(200);
    }

    @Test
    void clearRemovesEveryFault() {
        stub.faults().forbid("/zones").omitTotalPages(true).limit(1, Duration.ofHours(1));
        stub.faults().clear();
        stub.clearLog();

        StubClient.Answer a = client.get("/zones");

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("result_info").has("total_pages")).isTrue();
    }
}
