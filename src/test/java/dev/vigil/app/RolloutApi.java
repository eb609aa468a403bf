package dev.vigil.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The rule rollout's admin routes over real HTTP, as {@code vigil rules} calls them. */
final class RolloutApi implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final String adminToken;
    private final HttpClient http = HttpClient.newHttpClient();

    RolloutApi(URI base, String adminToken) {
        this.base = base;
        this.adminToken = adminToken;
    }

    /** Pushes {@code files} (name to YAML) and answers the version. */
    String push(Map<String, String> files) {
        List<Map<String, String>> list =
                files.entrySet().stream()
                        .map(e -> Map.of("name", e.getKey(), "text", e.getValue()))
                        .toList();
        return call("POST", "v1/rule-sets", Map.of("files", list)).path("version").asString();
    }

    JsonNode shadow(String version) {
        return call("POST", "v1/rule-sets/" + version + "/shadow", null);
    }

    JsonNode promote(String version, Map<String, Object> body) {
        return call("POST", "v1/rule-sets/" + version + "/promote", body);
    }

    JsonNode diff(String version) {
        return call("GET", "v1/rule-sets/" + version + "/diff", null);
    }

    JsonNode rollout() {
        return call("GET", "v1/rule-sets/rollout", null);
    }

    JsonNode audit() {
        return call("GET", "v1/rule-sets/audit", null);
    }

    /** The envelope's result; fails the test on any status but 200 and 201. */
    JsonNode call(String method, String path, @Nullable Object body) {
        HttpResponse<String> r = send(method, path, body);
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw new AssertionError(
                    method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body()).path("result");
    }

    HttpResponse<String> send(String method, String path, @Nullable Object body) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Authorization", "Bearer " + adminToken)
                        .header("Content-Type", "application/json");
        b.method(
                method,
                body == null
                        ? ("POST".equals(method)
                                ? HttpRequest.BodyPublishers.ofString("{}")
                                : HttpRequest.BodyPublishers.noBody())
                        : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
