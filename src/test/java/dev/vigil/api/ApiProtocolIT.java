package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.RoutePaths;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP's own rules: how a 401 says to authenticate, and a 405 for a method a path lacks. */
class ApiProtocolIT {

    /** The token's own account and zone; ids that exist nowhere. */
    static final RoutePaths PATHS =
            RoutePaths.of(
                    Map.of(
                            "account_id", "acc1",
                            "zone_id", "zone1",
                            "target_id", "zone1",
                            "insight_id", "1",
                            "destination_id", "1",
                            "rule_id", "1"));

    static ApiHarness api;
    static String token;

    @BeforeAll
    static void start() {
        api = ApiHarness.start();
        api.pg.zoneTarget("acc1", "zone1");
        token = api.tokens.issueForAccounts("acc1-user", List.of("acc1"));
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    @Test
    void a401SaysToAuthenticateWithABearerToken() throws Exception {
        HttpResponse<String> none = api.send("GET", "v1/accounts/acc1/insights", null, null);
        HttpResponse<String> unknown =
                api.send("GET", "v1/accounts/acc1/insights", "vgl_unknown", null);
        HttpResponse<String> internal =
                api.send("PUT", "internal/v1/scans/" + java.util.UUID.randomUUID(), null, "{}");

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"vigil\"");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"vigil\", error=\"invalid_token\"");
        assertThat(internal.statusCode()).isEqualTo(401);
        assertThat(internal.headers().firstValue("WWW-Authenticate")).isPresent();
    }

    @Test
    void everyPathAnswersAMethodItLacksWith405AndAllow() throws Exception {
        Map<String, Set<String>> methods = new LinkedHashMap<>();
        for (String op : OpenApiTest.documented()) {
            methods.computeIfAbsent(op.substring(op.indexOf(' ') + 1), k -> new TreeSet<>())
                    .add(op.substring(0, op.indexOf(' ')));
        }
        List<String> walked = new ArrayList<>();
        for (Map.Entry<String, Set<String>> p : methods.entrySet()) {
            String wrong =
                    List.of("PATCH", "DELETE", "POST", "PUT").stream()
                            .filter(m -> !p.getValue().contains(m))
                            .findFirst()
                            .orElseThrow();
            String path = PATHS.fill(p.getKey());
            HttpResponse<String> r = api.send(wrong, path, token, "{}");

            assertThat(r.statusCode()).as(wrong + " " + path + " -> " + r.body()).isEqualTo(405);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            String allow = r.headers().firstValue("Allow").orElse("");
            assertThat(Arrays.asList(allow.split(", ")))
                    .as("Allow of " + path)
                    .containsAll(p.getValue())
                    .doesNotContain(wrong);
            assertThat(r.body()).contains(wrong + " is not allowed").contains(allow);
            walked.add(wrong + " " + p.getKey());
        }
        assertThat(walked).hasSizeGreaterThan(40);
    }

    @Test
    void anUnknownPathIsStill404() throws Exception {
        HttpResponse<String> r = api.send("GET", "v1/nosuch", token, null);

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Allow")).isEmpty();
        assertThat(r.body()).contains("\"title\":\"Not found\"");
    }

    @Test
    void healthEndpointsAnswerWithoutAToken() throws Exception {
        assertThat(api.send("GET", "livez", null, null).statusCode()).isEqualTo(200);
        assertThat(api.send("GET", "readyz", null, null).body()).contains("ready");
    }
}
