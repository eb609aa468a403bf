package dev.vigil.api;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.RoutePaths;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Walks every operation of openapi.yaml that is not a GET with a read-only token of the account
 * named in the path, and checks that each is refused with 403 and changes nothing.
 */
class ReadOnlyTokenIT {

    static ApiHarness api;
    static String reader;
    static long insight;
    static long destination;
    static long rule;
    static RoutePaths paths;

    @BeforeAll
    static void start() {
        api = ApiHarness.start();
        api.pg.zoneTarget("acc1", "zone1");
        api.submit(
                zoneResult(
                        "acc1",
                        "zone1",
                        Instant.parse("2026-03-01T10:00:00Z"),
                        List.of("a"),
                        List.of(),
                        List.of(finding("a", "mine"))));
        insight = api.insightId("acc1", "mine");
        reader = api.tokens.issueForAccounts("reader", List.of("acc1"), false);
        destination = AlertFixtures.emailDestination(api, 7001, "acc1", "ops", "ops@example.com");
        rule = AlertFixtures.rule(api, 7101, "acc1", "all", destination);
        paths =
                RoutePaths.of(
                        Map.ofEntries(
                                entry("account_id", "acc1"),
                                entry("zone_id", "zone1"),
                                entry("target_id", "zone1"),
                                entry("insight_id", Long.toString(insight)),
                                entry("destination_id", Long.toString(destination)),
                                entry("rule_id", Long.toString(rule))));
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    /** A body the route would accept from a write token, so only the scope can refuse it. */
    private static String body(String template) {
        if (template.contains("/alerting/destinations")) {
            return "{\"name\": \"x\", \"kind\": \"email\", \"recipients\": [\"a@example.com\"]}";
        }
        if (template.contains("/alerting/rules")) {
            return "{\"name\": \"x\", \"destination_id\": " + destination + "}";
        }
        if (template.endsWith("/classification")) {
            return "{\"classification\": \"other\", \"rationale\": \"x\"}";
        }
        if (template.endsWith("/insights/dismiss")) {
            return "{\"dismiss\": true, \"ids\": [" + insight + "]}";
        }
        if (template.endsWith("/dismiss")) {
            return "{\"dismiss\": true}";
        }
        if (template.equals("/v1/tokens")) {
            return "{\"name\": \"sneaky\", \"account_ids\": [\"acc1\"]}";
        }
        if (template.endsWith("/config")) {
            return "{\"dns_records\": []}";
        }
        if (template.endsWith("/zones")) {
            return "{\"zone_id\": \"zone2\", \"name\": \"z2.example\", \"plan\": \"pro\"}";
        }
        return "{\"name\": \"renamed\", \"plan\": \"pro\"}";
    }

    /** Everything a write route could change, as one string. */
    private static String state() {
        return AlertFixtures.state(api, "acc1")
                + api.jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "select concat_ws(',', (select count(*) from targets"
                                                        + " where deleted_at is null), (select"
                                                        + " string_agg(name || plan, ',' order by target_id)"
                                                        + " from targets), (select count(*) from"
                                                        + " api_tokens), (select count(*) from"
                                                        + " config_snapshots), (select count(*) from scans),"
                                                        + " (select count(*) from audit_log))")
                                        .mapTo(String.class)
                                        .one());
    }

    @Test
    void readOnlyTokenIsRefusedOnEveryRouteThatChangesData() throws Exception {
        String before = state();
        List<String> walked = new ArrayList<>();
        for (String op : OpenApiTest.documented()) {
            String method = op.substring(0, op.indexOf(' '));
            String template = op.substring(op.indexOf(' ') + 1);
            if (method.equals("GET")) {
                continue;
            }
            HttpResponse<String> r = api.send(method, paths.fill(template), reader, body(template));

            assertThat(r.statusCode()).as(op + " -> " + r.body()).isEqualTo(403);
            walked.add(op);
        }

        assertThat(walked).as("write routes walked").hasSizeGreaterThan(10);
        assertThat(api.count("select count(*) from insights where dismissed")).isZero();
        assertThat(api.count("select count(*) from insights where classification is not null"))
                .isZero();
        assertThat(state()).isEqualTo(before);
    }
}
