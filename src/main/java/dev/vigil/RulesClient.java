package dev.vigil;

import dev.vigil.config.ConfigException;
import dev.vigil.config.Env;
import dev.vigil.config.Setting;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code vigil rules} commands' client of the API's rule-set routes, with an admin token: one
 * request per call, the envelope's {@code result} answered, a problem turned into a {@link
 * RulesCommandException} carrying the API's own detail.
 */
final class RulesClient implements AutoCloseable {
    static final Setting<String> API_URL =
            Setting.string(
                    "VIGIL_API_URL",
                    "http://127.0.0.1:8080/",
                    "the API the vigil rules commands talk to");
    static final Setting<String> ADMIN_TOKEN =
            Setting.secret(
                    "VIGIL_ADMIN_TOKEN",
                    null,
                    "an admin token for the vigil rules commands (vigil token create --admin)");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private RulesClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /**
     * The client of {@code VIGIL_API_URL} with {@code VIGIL_ADMIN_TOKEN}.
     *
     * @throws ConfigException naming the variable that is missing or bad
     */
    static RulesClient from(Env env) {
        String url = env.get(API_URL);
        String token = env.get(ADMIN_TOKEN);
        URI base;
        try {
            base = URI.create(url.endsWith("/") ? url : url + "/");
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    "VIGIL_API_URL='" + url + "' is not a URL: " + e.getMessage(), e);
        }
        return new RulesClient(base, token);
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), path);
    }

    JsonNode post(String path, @Nullable Object body) {
        byte[] bytes =
                body == null
                        ? "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)
                        : JSON.writeValueAsBytes(body);
        return send(
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)),
                path);
    }

    private JsonNode send(HttpRequest.Builder b, String path) {
        HttpRequest req =
                b.header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(60))
                        .build();
        HttpResponse<String> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RulesCommandException(
                    req.method()
                            + " "
                            + req.uri()
                            + " failed: "
                            + e
                            + " (is VIGIL_API_URL right?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RulesCommandException(req.method() + " " + path + ": interrupted");
        }
        JsonNode body;
        try {
            body = JSON.readTree(resp.body());
        } catch (RuntimeException e) {
            body = null;
        }
        if (resp.statusCode() / 100 != 2) {
            String detail =
                    body != null && body.hasNonNull("detail")
                            ? body.path("detail").asString()
                            : resp.body();
            throw new RulesCommandException(
                    req.method() + " /" + path + " answered " + resp.statusCode() + ": " + detail);
        }
        if (body == null) {
            throw new RulesCommandException(
                    req.method() + " /" + path + ": the answer is not JSON");
        }
        return body.path("result");
    }

    @Override
    public void close() {
        http.close();
    }

    /** A rules command the API refused or could not answer; the message is printed as is. */
    static final class RulesCommandException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RulesCommandException(String message) {
            super(message);
        }
    }
}
