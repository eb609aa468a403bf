package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.app.Wiring;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class OpenApiTest {

    static JsonNode paths() throws Exception {
        try (InputStream in = OpenApiTest.class.getResourceAsStream("/openapi.yaml")) {
            return new YAMLMapper().readTree(in).get("paths");
        }
    }

    /** Every operation of openapi.yaml as {@code "METHOD /path"}. */
    static List<String> documented() throws Exception {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> p : paths().properties()) {
            for (String method : p.getValue().propertyNames()) {
                out.add(method.toUpperCase(Locale.ROOT) + " " + p.getKey());
            }
        }
        return out;
    }

    private static List<String> registered() {
        // Routes are only registered here; no request reaches the (absent) database.
        PGSimpleDataSource unused = new PGSimpleDataSource();
        try (ApiServer server =
                Wiring.api(
                        ApiServer.Options.of(ApiSettings.defaults().withPort(0), unused), null)) {
            return server.routes();
        }
    }

    @Test
    void everyRegisteredRouteIsDescribedInOpenApi() throws Exception {
        List<String> routes = registered();
        assertThat(routes).contains("PUT /internal/v1/scans/{scan_id}", "GET /livez");

        assertThat(routes).as("routes missing from openapi.yaml").allMatch(documented()::contains);
    }

    @Test
    void everyDescribedOperationIsRegistered() throws Exception {
        assertThat(documented())
                .as("operations of openapi.yaml without a handler")
                .containsExactlyInAnyOrderElementsOf(registered());
    }

    /**
     * The alerting routes and the change of SLA targets are an account's settings, not a view of
     * its insights: they have no zone mirror (a rule filters on zones with {@code filters.zone_id};
     * a zone reads its account's SLA targets).
     */
    @Test
    void everyInsightRouteIsMirroredForZones() throws Exception {
        List<String> docs = documented();
        List<String> accountRoutes =
                docs.stream()
                        .filter(r -> r.contains("/v1/accounts/{account_id}"))
                        .filter(r -> !r.contains("/v1/accounts/{account_id}/alerting"))
                        .filter(r -> !r.equals("PUT /v1/accounts/{account_id}/sla"))
                        .toList();

        assertThat(accountRoutes).hasSizeGreaterThanOrEqualTo(12);
        assertThat(docs)
                .containsAll(
                        accountRoutes.stream()
                                .map(
                                        r ->
                                                r.replace(
                                                        "/v1/accounts/{account_id}",
                                                        "/v1/zones/{zone_id}"))
                                .toList());
    }
}
