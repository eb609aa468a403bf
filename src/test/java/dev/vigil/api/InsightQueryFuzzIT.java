package dev.vigil.api;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Hostile query parameters (filters, sort, cursor, paging, export format) on the insight list,
 * counts and export routes over HTTP against a real PostgreSQL: every query gets a 2xx or a 4xx
 * problem naming the parameter, never a 5xx or a hang.
 *
 * <p>An input is the query text {@code name=value&...} (encoded before sending) whose first byte
 * picks the route; {@code mvn verify} replays {@code InsightQueryFuzzITInputs/}.
 */
class InsightQueryFuzzIT {

    private static final List<String> ROUTES =
            List.of(
                    "v1/accounts/acc1/insights",
                    "v1/zones/zone1/insights",
                    "v1/accounts/acc1/insights/severity",
                    "v1/accounts/acc1/insights/class",
                    "v1/zones/zone1/insights/type",
                    "v1/accounts/acc1/insights/export");
    private static FuzzApi api;
    private static String token;

    @BeforeAll
    static void start() {
        api = FuzzApi.start();
        api.pg.zoneTarget("acc1", "zone1");
        String service = api.tokens.issueService("w");
        for (int day = 0; day < 3; day++) {
            byte[] body =
                    dev.vigil.results.ResultsJson.toBytes(
                            zoneResult(
                                    "acc1",
                                    "zone1",
                                    Instant.parse("2026-03-01T10:00:00Z")
                                            .plusSeconds(86_400L * day),
                                    List.of("tls.ssl_flexible", "dns.dangling_cname"),
                                    List.of(),
                                    List.of(
                                            finding("tls.ssl_flexible", "zone1"),
                                            finding("dns.dangling_cname", "www" + day))));
            String id =
                    dev.vigil.results.ResultsJson.read(new java.io.ByteArrayInputStream(body))
                            .scanId()
                            .toString();
            FuzzApi.assertAnsweredCleanly(
                    "seed scan", api.send("PUT", "internal/v1/scans/" + id, service, body));
        }
        token = api.tokens.issueForAccounts("reader", List.of("acc1"), false);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @FuzzTest(maxDuration = "30s")
    void queriesAreAnsweredOrRefusedNamingTheParameter(byte[] input) {
        try (var loopback = FuzzApi.loopback()) {
            check(input);
        }
    }

    private static void check(byte[] input) {
        String route =
                input.length == 0
                        ? ROUTES.getFirst()
                        : ROUTES.get((input[0] & 0xff) % ROUTES.size());
        String raw =
                input.length == 0
                        ? ""
                        : new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        String target = route + "?" + FuzzQueries.encode(raw);

        FuzzApi.assertAnsweredCleanly("GET " + target, api.send("GET", target, token, new byte[0]));
    }
}
