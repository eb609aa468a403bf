package dev.vigil.api;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.app.Wiring;
import dev.vigil.results.ResultFinding;
import dev.vigil.results.ResultsClient;
import dev.vigil.testing.TestPostgres;
import dev.vigil.tokens.ApiTokens;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The API connected as a member of {@code vigil_api} (V6__roles.sql): everything it serves works,
 * and the role can change no schema.
 */
class ApiDatabaseRoleIT {

    static TestPostgres pg;
    static DataSource api;

    @BeforeAll
    static void start() {
        pg = TestPostgres.start();
        pg.zoneTarget("acc1", "zone1");
        api = pg.memberOf("vigil_api");
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void apiServesResultsTokensTriageAndPushesWithTheApiRoleOnly() throws Exception {
        try (ApiServer server =
                        Wiring.api(
                                ApiServer.Options.of(ApiSettings.defaults().withPort(0), api)
                                        .withChanges((change, doc) -> {}),
                                null);
                HttpClient http = HttpClient.newHttpClient()) {
            ApiTokens tokens = ApiTokens.create(api);
            String user = tokens.issueForAccounts("u", List.of("acc1"));
            // Above the unnest threshold, so the COPY path through insight_staging runs too.
            List<ResultFinding> many =
                    IntStream.range(0, 3_000).mapToObj(i -> finding("a", "k" + i)).toList();
            try (ResultsClient c =
                    ResultsClient.create(
                            server.baseUrl(), tokens.issueService("w"), Duration.ofSeconds(30))) {
                c.submit(
                        zoneResult(
                                "acc1",
                                "zone1",
                                Instant.parse("2026-03-01T10:00:00Z"),
                                List.of("a"),
                                List.of(),
                                many));
                c.submit(
                        zoneResult(
                                "acc1",
                                "zone1",
                                Instant.parse("2026-03-02T10:00:00Z"),
                                List.of("a"),
                                List.of(),
                                List.of(finding("a", "k1"))));
            }
            for (String[] call :
                    List.of(
                            new String[] {
                                "GET", "v1/accounts/acc1/insights?status=open,resolved", ""
                            },
                            new String[] {"GET", "v1/accounts/acc1/audit", ""},
                            new String[] {
                                "POST",
                                "v1/accounts/acc1/insights/dismiss",
                                "{\"dismiss\": true, \"ids\": [1]}"
                            },
                            new String[] {
                                "POST", "v1/zones/zone1/config", "{\"dns_records\": []}"
                            })) {
                HttpResponse<String> r =
                        http.send(
                                HttpRequest.newBuilder(server.baseUrl().resolve(call[1]))
                                        .header("Authorization", "Bearer " + user)
                                        .method(
                                                call[0],
                                                call[2].isEmpty()
                                                        ? HttpRequest.BodyPublishers.noBody()
                                                        : HttpRequest.BodyPublishers.ofString(
                                                                call[2]))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode())
                        .as(call[0] + " " + call[1] + " -> " + r.body())
                        .isBetween(200, 299);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "create table sneaky (x int)",
                "drop table insights",
                "alter table insights add column sneaky int",
                "alter table targets owner to current_user",
                "truncate audit_log",
                "create index sneaky on scans (target_id)",
                "select vigil_ensure_partitions(24)",
                "delete from flyway_schema_history",
                "create function sneaky() returns int language sql as 'select 1'"
            })
    void apiRoleCannotChangeTheSchema(String ddl) throws SQLException {
        try (Connection c = api.getConnection();
                Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(ddl))
                    .isInstanceOf(SQLException.class)
                    .satisfies(
                            e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
    }
}
