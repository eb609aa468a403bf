package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class OpenApiTest {

    @Test
    void everyRegisteredRouteIsDescribedInOpenApi() throws Exception {
        JsonNode paths;
        try (InputStream in = getClass().getResourceAsStream("/openapi.yaml")) {
            paths = new YAMLMapper().readTree(in).get("paths");
        }
        // Routes are only registered here; no request reaches the (absent) database.
        PGSimpleDataSource unused = new PGSimpleDataSource();
        List<String> routes;
        try (ApiServer server = ApiServer.start(ApiSettings.defaults().withPort(0), unused)) {
            routes = server.routes();
        }
        assertThat(routes).contains("PUT /internal/v1/scans/{scan_id}", "GET /livez");
        List<String> missing = new ArrayList<>();
        for (String route : routes) {
            String[] parts = route.split(" ", 2);
            JsonNode path = paths.get(parts[1]);
            if (path == null || path.get(parts[0].toLowerCase(Locale.ROOT)) == null) {
                missing.add(route);
            }
        }
        assertThat(missing).as("routes missing from openapi.yaml").isEmpty();
    }
}
