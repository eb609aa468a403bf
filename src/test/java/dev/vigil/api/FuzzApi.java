package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import dev.vigil.app.Wiring;
import dev.vigil.testing.TestPostgres;
import dev.vigil.tokens.ApiTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Jdbi;

/**
 * The real API on an embedded PostgreSQL for the HTTP fuzz targets: one per test class, with a
 * recording config-change sink, and the checks every fuzzed answer must pass.
 */
final class FuzzApi implements AutoCloseable {

    /**
     * Lets the fuzz target connect to loopback while it runs: Jazzer's SSRF detector flags every
     * connection, and the targets talk to the loopback API and database only, whose addresses never
     * come from the input. Jazzer resets the permission between runs, so each execution takes it.
     */
    static SilentCloseable loopback() {
        return BugDetectors.allowNetworkConnections(
                (host, port) -> host.equals("localhost") || host.startsWith("127."));
    }

    /** A request that takes longer than this counts as a hang. */
    static final Duration HANG = Duration.ofSeconds(10);

    final TestPostgres pg;
    final ApiServer server;
    final HttpClient http;
    final ApiTokens tokens;
    final Jdbi jdbi;
    final List<Long> published = new CopyOnWriteArrayList<>();

    private FuzzApi() {
        pg = TestPostgres.start();
        server =
                Wiring.api(
                        ApiServer.Options.of(ApiSettings.defaults().withPort(0), pg.dataSource())
                                .withChanges((change, doc) -> published.add(change.version())),
                        null);
        http = HttpClient.newBuilder().connectTimeout(HANG).build();
        tokens = ApiTokens.create(pg.dataSource());
        jdbi = Jdbi.create(pg.dataSource());
    }

    static FuzzApi start() {
        return new FuzzApi();
    }

    /** The answer to one request: its status and body. */
    record Answer(int status, String contentType, String body) {}

    /**
     * Sends {@code method target} (path and raw query, already encoded) with {@code body}; fails on
     * a hang or a connection reset, which a client would take for an outage.
     */
    Answer send(String method, String target, String token, byte[] body) {
        HttpRequest req =
                HttpRequest.newBuilder(server.baseUrl().resolve(URI.create(target)))
                        .timeout(HANG)
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body.length == 0
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (HttpTimeoutException e) {
            throw new AssertionError("hang: " + method + " " + target + " took over " + HANG, e);
        } catch (java.io.IOException e) {
            throw new AssertionError("connection failed: " + method + " " + target + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Asserts a success, or a 4xx RFC 9457 problem naming what was wrong: never a 5xx. */
    static void assertAnsweredCleanly(String what, Answer a) {
        if (a.status() >= 500) {
            fail(what + " answered " + a.status() + ": " + a.body());
        }
        if (a.status() >= 400) {
            assertThat(a.contentType()).as(what).startsWith("application/problem+json");
            assertThat(a.body()).as(what).contains("\"detail\"");
        } else {
            assertThat(a.status()).as(what + " -> " + a.body()).isBetween(200, 299);
        }
    }

    /** Row counts of every table a request may write, to detect a half-written refusal. */
    String state() {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "select concat_ws(',', (select count(*) from scans),"
                                                + " (select count(*) from insights),"
                                                + " (select count(*) from audit_log),"
                                                + " (select count(*) from config_snapshots),"
                                                + " (select count(*) from insight_staging),"
                                                + " (select count(*) from targets))")
                                .mapTo(String.class)
                                .one());
    }

    @Override
    public void close() {
        http.close();
        server.close();
        pg.close();
    }
}
