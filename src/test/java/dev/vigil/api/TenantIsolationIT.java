package dev.vigil.api;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.results.ScanResult;
import dev.vigil.testing.RoutePaths;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Walks every operation of openapi.yaml with a token of another account and checks that it is
 * refused and that no answer carries the other tenant's data, whatever the parameters.
 */
class TenantIsolationIT {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static ApiHarness api;
    static String acc1Token;
    static long foreignInsight;
    static long foreignDestination;
    static long foreignRule;
    static long ownDestination;
    static ScanResult foreignScan;

    /** Strings only the other tenant's data holds. */
    static List<String> foreignData;

    @BeforeAll
    static void start() {
        api = ApiHarness.start();
        api.pg.zoneTarget("acc1", "zone1");
        api.pg.zoneTarget("acc2", "zone9");
        api.submit(
                zoneResult(
                        "acc1",
                        "zone1",
                        T0,
                        List.of("a"),
                        List.of(),
                        List.of(finding("a", "mine"))));
        foreignScan =
                zoneResult(
                        "acc2",
                        "zone9",
                        T0,
                        List.of("hidden.check"),
                        List.of(),
                        List.of(
                                finding("hidden.check", "secret-key-1"),
                                finding("hidden.check", "secret-key-2")));
        api.submit(foreignScan);
        foreignInsight = api.insightId("acc2", "secret-key-1");
        long other = api.insightId("acc2", "secret-key-2");
        acc1Token = api.tokens.issueForAccounts("acc1-user", List.of("acc1"));
        // Ids far from the insights' (1, 2, 3), which foreignData holds as "id":N.
        foreignDestination =
                AlertFixtures.emailDestination(
                        api, 7001, "acc2", "foreign-hook", "ops@acc2.example");
        ownDestination =
                AlertFixtures.emailDestination(api, 7002, "acc1", "own-hook", "ops@acc1.example");
        foreignRule = AlertFixtures.rule(api, 7101, "acc2", "foreign-rule", foreignDestination);
        AlertFixtures.failedMessage(
                api,
                "00000000-0000-0000-0000-00000000a002",
                "acc2",
                foreignRule,
                foreignDestination,
                "foreign-delivery-error");
        foreignData =
                List.of(
                        "foreign-hook",
                        "foreign-rule",
                        "foreign-delivery-error",
                        "ops@acc2.example",
                        "secret-key",
                        "hidden.check",
                        foreignScan.scanId().toString(),
                        "\"id\":" + foreignInsight,
                        "\"id\":" + other,
                        "\"insight_id\":" + foreignInsight,
                        "zone9.example");
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    /** The other tenant's alerting and how many rules we have: what no request may change. */
    private static String foreignAlerting() {
        return AlertFixtures.state(api, "acc2")
                + " / "
                + api.count("select count(*) from alert_rules where account_id = 'acc1'");
    }

    private static String body(String method, String path) {
        if (path.contains("/alerting/destinations") && !path.endsWith("/rotate-secret")) {
            return "{\"name\": \"x\", \"kind\": \"email\", \"recipients\": [\"a@example.com\"]}";
        }
        if (path.endsWith("/alerting/rules") || path.endsWith("/rules/{rule_id}")) {
            return "{\"name\": \"x\", \"destination_id\": " + ownDestination + "}";
        }
        if (path.endsWith("/classification")) {
            return "{\"classification\": \"other\", \"rationale\": \"x\"}";
        }
        if (path.contains("/dismiss")) {
            return path.endsWith("/insights/dismiss")
                    ? "{\"dismiss\": true, \"ids\": [" + foreignInsight + "]}"
                    : "{\"dismiss\": true}";
        }
        if (path.equals("/v1/tokens") && method.equals("POST")) {
            return "{\"name\": \"sneaky\", \"account_ids\": [\"acc2\"]}";
        }
        if (path.endsWith("/config")) {
            return "{\"dns_records\": []}";
        }
        if (path.startsWith("/internal/")) {
            return ApiHarness.JSON.writeValueAsString(Map.of("scan_id", "x"));
        }
        return null;
    }

    /** {@code template} in {@code account} and {@code zone}, on the other tenant's ids. */
    private static String fill(String template, String account, String zone) {
        return RoutePaths.of(
                        Map.ofEntries(
                                entry("account_id", account),
                                entry("zone_id", zone),
                                entry("target_id", zone),
                                entry("insight_id", Long.toString(foreignInsight)),
                                entry("destination_id", Long.toString(foreignDestination)),
                                entry("rule_id", Long.toString(foreignRule))))
                .fill(template);
    }

    private static void assertNoForeignData(String what, HttpResponse<String> r) {
        for (String s : foreignData) {
            assertThat(r.body().replace(" ", "")).as(what + " leaks " + s).doesNotContain(s);
        }
    }

    @Test
    void everyRouteRefusesAnotherTenantAndLeaksNothing() throws Exception {
        String alerting = foreignAlerting();
        List<String> walked = new ArrayList<>();
        for (String op : OpenApiTest.documented()) {
            String method = op.substring(0, op.indexOf(' '));
            String template = op.substring(op.indexOf(' ') + 1);
            if (template.equals("/livez")
                    || template.equals("/readyz")
                    || TenantRoutes.tokenWide(template)
                    || template.equals(TenantRoutes.BATCH_PUSH)) {
                // no tenant data behind them, or only the caller's own (see below); the batch
                // push names its targets per line and refuses another tenant's on that line
                // (ConfigBatchPushIT.anotherAccountsTargetIsRefusedOnItsLineAndTheOthersAreStored)
                continue;
            }
            // The other tenant's account and zone in the path.
            String path = fill(template, "acc2", "zone9");
            HttpResponse<String> r = api.send(method, path, acc1Token, body(method, template));
            assertThat(r.statusCode()).as(op + " -> " + r.body()).isIn(403, 404);
            assertNoForeignData(op, r);
            walked.add(op);
            if (template.contains("{insight_id}")
                    || template.contains("{destination_id}")
                    || template.contains("{rule_id}")) {
                // Our own account and zone, the other tenant's insight, destination or rule.
                String own = fill(template, "acc1", "zone1");
                HttpResponse<String> o = api.send(method, own, acc1Token, body(method, template));
                assertThat(o.statusCode()).as(op + " (own scope) -> " + o.body()).isEqualTo(404);
                assertNoForeignData(op + " (own scope)", o);
            }
        }

        assertThat(walked).hasSizeGreaterThan(25);
        assertThat(walked)
                .contains(
                        "GET /v1/accounts/{account_id}/alerting/rules/{rule_id}/deliveries",
                        "POST /v1/accounts/{account_id}/alerting/destinations/{destination_id}"
                                + "/rotate-secret");
        assertThat(foreignAlerting()).as("the other tenant's alerting").isEqualTo(alerting);
        assertThat(api.count("select count(*) from insights where dismissed")).isZero();
        assertThat(api.count("select count(*) from insights where classification is not null"))
                .isZero();
        assertThat(api.count("select count(*) from audit_log where changed_by <> 'system'"))
                .isZero();
        assertThat(api.count("select count(*) from api_tokens where name = 'sneaky'")).isZero();
    }

    @Test
    void ownScopeWithForeignParametersSeesNothingOfTheOtherTenant() throws Exception {
        for (String op : OpenApiTest.documented()) {
            String template = op.substring(op.indexOf(' ') + 1);
            if (!op.startsWith("GET ")
                    || !template.startsWith("/v1/")
                    || template.contains("{insight_id}")
                    || template.startsWith("/v1/tokens")
                    || template.startsWith("/v1/rule-sets")
                    || template.contains("/alerting/")
                    || TenantRoutes.tokenWide(template)) {
                // (the alerting routes' lists: AlertTenantIsolationIT)
                continue;
            }
            String path = fill(template, "acc1", "zone1");
            String query = TenantRoutes.foreignQuery(template);
            HttpResponse<String> r = api.send("GET", path + query, acc1Token, null);

            assertThat(r.statusCode()).as(op + " -> " + r.body()).isEqualTo(200);
            assertNoForeignData(op + query, r);
        }
        JsonNode bulk =
                api.call(
                                "POST",
                                "v1/accounts/acc1/insights/dismiss",
                                acc1Token,
                                "{\"dismiss\": true, \"ids\": [" + foreignInsight + "]}")
                        .get("result");
        assertThat(bulk.get("matched").asLong()).isZero();
        assertThat(api.count("select count(*) from insights where dismissed")).isZero();
    }

    /**
     * Every route that changes something, called with every kind of token except the one it is made
     * for: a service token (internal API and reads), an admin token (tokens and inventory), a
     * read-only token of the account, a write token of another account. Each is refused and nothing
     * changes.
     */
    @Test
    void everyWriteRouteRefusesEveryTokenKindNotMadeForIt() throws Exception {
        String alerting = foreignAlerting();
        Map<String, String> kinds = new java.util.LinkedHashMap<>();
        kinds.put("service", api.tokens.issueService("svc"));
        kinds.put("admin", api.tokens.issueAdmin("adm"));
        kinds.put("acc2 read-only", api.tokens.issueForAccounts("acc2-ro", List.of("acc2"), false));
        kinds.put("acc2 write", api.tokens.issueForAccounts("acc2-rw", List.of("acc2")));
        kinds.put("acc1 write", acc1Token);
        List<String> refused = new ArrayList<>();
        for (String op : OpenApiTest.documented()) {
            if (op.startsWith("GET ")) {
                continue;
            }
            String method = op.substring(0, op.indexOf(' '));
            String template = op.substring(op.indexOf(' ') + 1);
            for (Map.Entry<String, String> kind : kinds.entrySet()) {
                if (kind.getKey().equals(TenantRoutes.madeFor(template))
                        || (template.equals(TenantRoutes.BATCH_PUSH)
                                && kind.getKey().endsWith(" write"))) {
                    // every account's write token may call the batch push, for its own targets
                    continue;
                }
                String path = fill(template, "acc2", "zone9");
                HttpResponse<String> r =
                        api.send(method, path, kind.getValue(), writeBody(method, template));
                assertThat(r.statusCode())
                        .as(kind.getKey() + " token: " + op + " -> " + r.body())
                        .isIn(403, 404);
                refused.add(kind.getKey() + " " + op);
            }
        }

        assertThat(refused)
                .hasSizeGreaterThan(4 * 15)
                .contains(
                        "service PUT /v1/accounts/{account_id}/insights/{insight_id}/dismiss",
                        "service POST /v1/zones/{zone_id}/scan",
                        "service POST /v1/accounts/{account_id}/config",
                        "admin PUT /v1/zones/{zone_id}/insights/{insight_id}/classification",
                        "acc2 read-only POST /v1/accounts/{account_id}/insights/dismiss",
                        "acc2 write PUT /internal/v1/scans/{scan_id}",
                        "service DELETE /v1/accounts/{account_id}");
        assertThat(api.count("select count(*) from insights where dismissed")).isZero();
        assertThat(api.count("select count(*) from insights where classification is not null"))
                .isZero();
        assertThat(api.count("select count(*) from audit_log where changed_by <> 'system'"))
                .isZero();
        assertThat(api.count("select count(*) from api_tokens where name = 'sneaky'")).isZero();
        assertThat(api.count("select count(*) from targets where deleted_at is not null")).isZero();
        assertThat(api.count("select count(*) from targets where name = 'renamed'")).isZero();
        assertThat(api.count("select count(*) from targets where target_id = 'acc3'")).isZero();
        assertThat(api.count("select count(*) from config_snapshots")).isZero();
        assertThat(foreignAlerting()).as("the other tenant's alerting").isEqualTo(alerting);
        assertThat(api.get("v1/me", kinds.get("service")).get("result").get("write").asBoolean())
                .as("a service token says it changes no data")
                .isFalse();
    }

    private static String writeBody(String method, String template) {
        return switch (template) {
            case "/v1/accounts" ->
                    "{\"account_id\": \"acc3\", \"name\": \"x\", \"plan\": \"free\"}";
            case "/v1/zones" ->
                    "{\"zone_id\": \"zone3\", \"account_id\": \"acc2\", \"name\": \"x\","
                            + " \"plan\": \"free\"}";
            case "/v1/accounts/{account_id}", "/v1/zones/{zone_id}" ->
                    method.equals("PUT") ? "{\"name\": \"renamed\"}" : null;
            default -> body(method, template);
        };
    }

    @Test
    void tokenWideRoutesShowOnlyTheCallersAccountsAndNoTenantData() throws Exception {
        List<String> paths = new ArrayList<>(TenantRoutes.FLEET);
        paths.addAll(List.of("v1/me", "v1/checks", "v1/checks/tls.ssl_flexible"));
        for (String path : paths) {
            HttpResponse<String> r = api.send("GET", path, acc1Token, null);

            assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
            assertNoForeignData(path, r);
            assertThat(r.body()).as(path).doesNotContain("acc2");
        }
        JsonNode me = api.get("v1/me", acc1Token).get("result");
        assertThat(me.get("accounts")).hasSize(1);
        assertThat(me.get("accounts").get(0).get("id").asString()).isEqualTo("acc1");
    }

    @Test
    void refusalsDoNotRevealWhetherTheOtherTenantExists() throws Exception {
        HttpResponse<String> account =
                api.send("GET", "v1/accounts/acc2/insights", acc1Token, null);
        HttpResponse<String> noAccount =
                api.send("GET", "v1/accounts/nosuch/insights", acc1Token, null);
        HttpResponse<String> zone = api.send("GET", "v1/zones/zone9/insights", acc1Token, null);
        HttpResponse<String> noZone = api.send("GET", "v1/zones/nosuch/insights", acc1Token, null);

        assertThat(account.statusCode()).isEqualTo(noAccount.statusCode()).isEqualTo(403);
        assertThat(zone.statusCode()).isEqualTo(noZone.statusCode()).isEqualTo(404);
        assertThat(zone.body().replace("zone9", "Z"))
                .isEqualTo(noZone.body().replace("nosuch", "Z"));
    }

    @Test
    void everyDocumentedQueryParameterIsAcceptedByItsHandler() throws Exception {
        JsonNode root;
        try (var in = getClass().getResourceAsStream("/openapi.yaml")) {
            root = new tools.jackson.dataformat.yaml.YAMLMapper().readTree(in);
        }
        String admin = api.tokens.issueAdmin("admin");
        int checked = 0;
        for (Map.Entry<String, JsonNode> p : root.get("paths").properties()) {
            JsonNode get = p.getValue().get("get");
            if (get == null || get.get("parameters") == null) {
                continue;
            }
            String path = fill(p.getKey(), "acc1", "zone1");
            for (JsonNode param : get.get("parameters")) {
                JsonNode def =
                        param.has("$ref") ? resolve(root, param.get("$ref").asString()) : param;
                if (!def.get("in").asString().equals("query")) {
                    continue;
                }
                String name = def.get("name").asString();
                HttpResponse<String> r =
                        api.send(
                                "GET",
                                path + "?" + ApiHarness.enc(name) + "=x",
                                path.startsWith("v1/tokens") || path.startsWith("v1/rule-sets")
                                        ? admin
                                        : acc1Token,
                                null);
                assertThat(r.body().toLowerCase(Locale.ROOT))
                        .as(p.getKey() + " ?" + name)
                        .doesNotContain("unknown query parameter");
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(100);
    }

    private static JsonNode resolve(JsonNode root, String ref) {
        JsonNode n = root;
        for (String part : ref.substring(2).split("/", -1)) {
            n = n.get(part);
        }
        return n;
    }
}
