package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.app.Wiring;
import dev.vigil.results.ResultsClient;
import dev.vigil.results.ScanResult;
import dev.vigil.testing.TestPostgres;
import dev.vigil.tokens.ApiTokens;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Jdbi;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real API over HTTP on an embedded PostgreSQL, for the public API's integration tests. */
final class ApiHarness implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    final TestPostgres pg;
    final ApiServer server;
    final HttpClient http;
    final ApiTokens tokens;
    final Jdbi jdbi;

    private ApiHarness(UnaryOperator<ApiServer.Options> options) {
        pg = TestPostgres.start();
        server =
                Wiring.api(
                        options.apply(
                                ApiServer.Options.of(
                                        ApiSettings.defaults().withPort(0), pg.dataSource())),
                        null);
        http = HttpClient.newHttpClient();
        tokens = ApiTokens.create(pg.dataSource());
        jdbi = Jdbi.create(pg.dataSource());
    }

    static ApiHarness start() {
        return new ApiHarness(o -> o);
    }

    /** A harness whose server's options are the defaults changed by {@code options}. */
    static ApiHarness start(UnaryOperator<ApiServer.Options> options) {
        return new ApiHarness(options);
    }

    /** Applies {@code result} through the internal API with a fresh service token. */
    void submit(ScanResult result) {
        try (ResultsClient c =
                ResultsClient.create(
                        server.baseUrl(), tokens.issueService("worker"), Duration.ofSeconds(30))) {
            c.submit(result);
        }
    }

    HttpResponse<String> send(String method, String path, String token, String body)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(server.baseUrl().resolve(path))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET {@code path}, which must answer 200; the JSON body. */
    JsonNode get(String path, String token) throws Exception {
        HttpResponse<String> r = send("GET", path, token, null);
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** {@code method path} with a JSON body, which must answer 200; the JSON body. */
    JsonNode call(String method, String path, String token, String body) throws Exception {
        HttpResponse<String> r = send(method, path, token, body);
        assertThat(r.statusCode()).as(method + " " + path + " -> " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    long insightId(String account, String resourceKey) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "select insight_id from insights where account_id = :a"
                                                + " and resource_key = :r")
                                .bind("a", account)
                                .bind("r", resourceKey)
                                .mapTo(Long.class)
                                .one());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        http.close();
        server.close();
        pg.close();
    }
}
