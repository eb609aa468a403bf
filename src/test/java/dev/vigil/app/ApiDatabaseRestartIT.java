package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.config.Env;
import dev.vigil.embedded.EmbeddedPostgres;
import dev.vigil.inventory.Migrations;
import dev.vigil.tokens.ApiTokens;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API role, configured as in production, rides out a PostgreSQL restart: while the database is
 * down every request answers 503 with {@code Retry-After} and a problem body within about the
 * pool's connection timeout (no hang, no 500), and once it is back the pool reconnects by itself.
 */
class ApiDatabaseRestartIT {

    @Test
    void apiAnswersFast503WhileTheDatabaseRestartsAndRecoversAfterwards() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start();
                HttpClient http =
                        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            Migrations.apply(pg.dataSource());
            String token =
                    ApiTokens.create(pg.dataSource()).issueForAccounts("reader", List.of("acc-1"));
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Env env =
                    Env.of(
                            Map.of(
                                    "VIGIL_DATABASE_URL", pg.jdbcUrl(),
                                    "VIGIL_DATABASE_USER", pg.user(),
                                    "VIGIL_DATABASE_PASSWORD", pg.password(),
                                    "VIGIL_API_PORT", Integer.toString(port),
                                    "VIGIL_MANAGEMENT_PORT", "0"));
            HttpRequest insights =
                    HttpRequest.newBuilder(
                                    URI.create(
                                            "http://127.0.0.1:"
                                                    + port
                                                    + "/v1/accounts/acc-1/insights"))
                            .header("Authorization", "Bearer " + token)
                            .timeout(Duration.ofSeconds(30))
                            .build();
            try (AutoCloseable api = Roles.api(env)) {
                assertThat(http.send(insights, HttpResponse.BodyHandlers.ofString()).statusCode())
                        .isEqualTo(200);

                pg.stop();
                for (int i = 0; i < 3; i++) {
                    long began = System.nanoTime();
                    HttpResponse<String> r =
                            http.send(insights, HttpResponse.BodyHandlers.ofString());
                    long millis = (System.nanoTime() - began) / 1_000_000;
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                    assertThat(r.headers().firstValue("Retry-After")).hasValue("2");
                    assertThat(r.headers().firstValue("Content-Type"))
                            .hasValueSatisfying(
                                    v -> assertThat(v).startsWith("application/problem+json"));
                    assertThat(r.body())
                            .contains("\"status\":503")
                            .contains("Database unavailable");
                    // the default connection timeout (2 s) plus slack for a loaded machine
                    assertThat(millis).as("answered in ms").isLessThan(6_000);
                }

                pg.restart();
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(250))
                        .until(
                                () ->
                                        http.send(insights, HttpResponse.BodyHandlers.ofString())
                                                        .statusCode()
                                                == 200);
            }
        }
    }
}
