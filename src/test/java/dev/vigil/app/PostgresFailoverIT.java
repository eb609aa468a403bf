package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.config.Env;
import dev.vigil.embedded.EmbeddedPostgres;
import dev.vigil.embedded.EmbeddedStandby;
import dev.vigil.embedded.EmbeddedStandby.Replication;
import dev.vigil.inventory.Migrations;
import dev.vigil.results.ResultsClient;
import dev.vigil.tokens.ApiTokens;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The API on a multi-host URL ({@code jdbc:postgresql://primary,standby/...}) follows a real
 * PostgreSQL failover: the primary is SIGKILLed while results stream in, the standby is promoted,
 * and the API, never restarted, writes to the new primary.
 *
 * <p>With synchronous replication every result the API acknowledged is on the promoted server; with
 * asynchronous replication an acknowledged result the standby had not received is gone after the
 * failover, which the second test shows deterministically by cutting the standby's stream first.
 */
class PostgresFailoverIT {

    private static final String ACCOUNT = "acc-failover";
    private static final String ZONE = "zone-failover";

    @Test
    void synchronousStandbyTakesOverWithEveryAcknowledgedResultAndNoPartialOne() throws Exception {
        try (EmbeddedPostgres primary = EmbeddedPostgres.start()) {
            Fixture f = Fixture.on(primary);
            try (EmbeddedStandby standby = EmbeddedStandby.start(primary, Replication.SYNCHRONOUS);
                    HttpClient http = HttpClient.newHttpClient();
                    AutoCloseable api = api(primary, standby, f.apiPort);
                    ResultsClient client =
                            ResultsClient.create(
                                    f.baseUrl(), f.serviceToken, Duration.ofSeconds(30))) {
                ResultStream stream = ResultStream.start(client, ACCOUNT, ZONE);
                try {
                    await().atMost(Duration.ofMinutes(2))
                            .until(() -> stream.acknowledged().size() >= 30);

                    long killed = System.nanoTime();
                    primary.kill();
                    int attemptsAtKill = stream.attempts().size();
                    // No primary: the standby refuses writes, the old primary is gone.
                    for (int i = 0; i < 2; i++) {
                        HttpResponse<String> r =
                                http.send(f.insights(), HttpResponse.BodyHandlers.ofString());
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                        assertThat(r.headers().firstValue("Retry-After")).hasValue("2");
                        assertThat(r.body()).contains("Database unavailable");
                    }
                    await().atMost(Duration.ofMinutes(1))
                            .until(() -> stream.attempts().size() >= attemptsAtKill + 2);

                    standby.promote();
                    long promoted = System.nanoTime();
                    await().atMost(Duration.ofMinutes(2))
                            .until(() -> acknowledgedStartedAfter(stream, promoted) >= 20);
                    stream.close();

                    List<ResultStream.Attempt> all = stream.attempts();
                    ResultStream.Attempt firstAfter =
                            all.stream()
                                    .filter(a -> a.startedNanos() > killed && a.acknowledged())
                                    .findFirst()
                                    .orElseThrow();
                    long outageMs = TimeUnit.NANOSECONDS.toMillis(firstAfter.endedNanos() - killed);
                    long promoteMs = TimeUnit.NANOSECONDS.toMillis(promoted - killed);
                    System.out.printf(
                            "failover (synchronous): write outage %d ms from the SIGKILL to the"
                                    + " first stored result (promotion done at %d ms)%n",
                            outageMs, promoteMs);
                    // every failure was the retriable 503, never a 500 or a refused connection
                    assertThat(all)
                            .filteredOn(a -> !a.acknowledged())
                            .isNotEmpty()
                            .allSatisfy(a -> assertThat(a.failure()).contains("with HTTP 503"));
                    assertThat(
                                    http.send(f.insights(), HttpResponse.BodyHandlers.ofString())
                                            .statusCode())
                            .isEqualTo(200);

                    DataSource now = standby.server().dataSource();
                    Set<UUID> acked = new HashSet<>();
                    stream.acknowledged().forEach(a -> acked.add(a.scanId()));
                    assertThat(acked).hasSizeGreaterThanOrEqualTo(50);
                    assertThat(missing(now, acked)).as("acknowledged results lost").isEmpty();
                    assertNoPartialResult(now);

                    // the promoted server is a primary like any other: it restarts with its data
                    standby.server().restart();
                    await().atMost(Duration.ofMinutes(1))
                            .pollInterval(Duration.ofMillis(250))
                            .until(
                                    () ->
                                            http.send(
                                                                    f.insights(),
                                                                    HttpResponse.BodyHandlers
                                                                            .ofString())
                                                            .statusCode()
                                                    == 200);
                    assertThat(missing(standby.server().dataSource(), acked)).isEmpty();
                } finally {
                    stream.close();
                }
            }
        }
    }

    @Test
    void asynchronousStandbyLosesAcknowledgedResultsItHadNotReceived() throws Exception {
        try (EmbeddedPostgres primary = EmbeddedPostgres.start()) {
            Fixture f = Fixture.on(primary);
            try (EmbeddedStandby standby =
                            EmbeddedStandby.start(primary, Replication.ASYNCHRONOUS);
                    AutoCloseable api = api(primary, standby, f.apiPort);
                    ResultsClient client =
                            ResultsClient.create(
                                    f.baseUrl(), f.serviceToken, Duration.ofSeconds(30))) {
                Set<UUID> replicated = submit(client, 10);
                // wait until the standby has replayed everything the primary wrote so far
                String lsn =
                        queryString(
                                primary.dataSource(), "select pg_current_wal_insert_lsn()::text");
                await().atMost(Duration.ofMinutes(1))
                        .until(
                                () ->
                                        queryString(
                                                        standby.server().dataSource(),
                                                        "select (pg_last_wal_replay_lsn() >= '"
                                                                + lsn
                                                                + "'::pg_lsn)::text")
                                                .equals("true"));
                // the network to the standby goes; the primary goes on acknowledging
                standby.stopStreaming();
                Set<UUID> unreplicated = submit(client, 10);

                primary.kill();
                standby.promote();

                DataSource now = standby.server().dataSource();
                assertThat(missing(now, replicated)).as("replicated results").isEmpty();
                assertThat(missing(now, unreplicated))
                        .as("acknowledged but never received by the standby: lost")
                        .containsExactlyInAnyOrderElementsOf(unreplicated);
                assertNoPartialResult(now);
            }
        }
    }

    /** Submits {@code n} results (each acknowledged, or the test fails); returns their ids. */
    private static Set<UUID> submit(ResultsClient client, int n) throws Exception {
        try (ResultStream stream = ResultStream.start(client, ACCOUNT, ZONE)) {
            await().atMost(Duration.ofMinutes(1)).until(() -> stream.attempts().size() >= n);
            stream.close();
            assertThat(stream.attempts()).allSatisfy(a -> assertThat(a.failure()).isNull());
            Set<UUID> ids = new HashSet<>();
            stream.attempts().forEach(a -> ids.add(a.scanId()));
            return ids;
        }
    }

    private static long acknowledgedStartedAfter(ResultStream stream, long nanos) {
        return stream.acknowledged().stream().filter(a -> a.startedNanos() > nanos).count();
    }

    /** The API role, configured from the environment as in production, on the multi-host URL. */
    private static AutoCloseable api(EmbeddedPostgres primary, EmbeddedStandby standby, int port) {
        String url =
                "jdbc:postgresql://127.0.0.1:"
                        + primary.port()
                        + ",127.0.0.1:"
                        + standby.server().port()
                        + "/postgres";
        return Roles.api(
                Env.of(
                        Map.of(
                                "VIGIL_DATABASE_URL", url,
                                "VIGIL_DATABASE_USER", primary.user(),
                                "VIGIL_DATABASE_PASSWORD", primary.password(),
                                "VIGIL_API_PORT", Integer.toString(port),
                                "VIGIL_MANAGEMENT_PORT", "0")));
    }

    /** Of {@code ids}, those without a row in {@code scans}. */
    private static Set<UUID> missing(DataSource ds, Set<UUID> ids) {
        Set<UUID> stored =
                new HashSet<>(
                        Jdbi.create(ds)
                                .withHandle(
                                        h ->
                                                h.createQuery("select scan_id from scans")
                                                        .mapTo(UUID.class)
                                                        .list()));
        Set<UUID> out = new HashSet<>(ids);
        out.removeAll(stored);
        return out;
    }

    /**
     * Every stored scan has all its insights, and every insight its scan: a result is stored whole
     * or not at all.
     */
    private static void assertNoPartialResult(DataSource ds) {
        Jdbi jdbi = Jdbi.create(ds);
        long scans =
                jdbi.withHandle(
                        h ->
                                h.createQuery("select count(*) from scans where target_id = :z")
                                        .bind("z", ZONE)
                                        .mapTo(Long.class)
                                        .one());
        long incomplete =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                """
                                                select count(*) from scans s
                                                 where s.target_id = :z
                                                   and (s.findings <> :n
                                                    or (select count(*) from insights i
                                                         where i.check_id = 'failover.check'
                                                           and i.resource_key like
                                                               s.scan_id::text || '-%') <> :n)
                                                """)
                                        .bind("z", ZONE)
                                        .bind("n", ResultStream.FINDINGS)
                                        .mapTo(Long.class)
                                        .one());
        long orphans =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                """
                                                select count(*) from insights i
                                                 where i.check_id = 'failover.check'
                                                   and not exists (
                                                     select 1 from scans s
                                                      where i.resource_key like
                                                            s.scan_id::text || '-%')
                                                """)
                                        .mapTo(Long.class)
                                        .one());
        assertThat(scans).as("stored scans").isPositive();
        assertThat(incomplete).as("scans without all their insights").isZero();
        assertThat(orphans).as("insights without their scan").isZero();
    }

    private static String queryString(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                var r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    /** The schema, the zone target, the tokens and the API's port on a fresh primary. */
    private record Fixture(int apiPort, String serviceToken, String readerToken) {

        static Fixture on(EmbeddedPostgres primary) throws Exception {
            Migrations.apply(primary.dataSource());
            Jdbi.create(primary.dataSource())
                    .useHandle(
                            h ->
                                    h.execute(
                                            "insert into targets (target_id, kind, account_id,"
                                                    + " zone_id, name, plan, next_due_at) values"
                                                    + " (?, 'zone', ?, ?, 'failover.example',"
                                                    + " 'free', now())",
                                            ZONE,
                                            ACCOUNT,
                                            ZONE));
            ApiTokens tokens = ApiTokens.create(primary.dataSource());
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            return new Fixture(
                    port,
                    tokens.issueService("failover-worker"),
                    tokens.issueForAccounts("failover-reader", List.of(ACCOUNT)));
        }

        URI baseUrl() {
            return URI.create("http://127.0.0.1:" + apiPort + "/");
        }

        HttpRequest insights() {
            return HttpRequest.newBuilder(baseUrl().resolve("v1/accounts/" + ACCOUNT + "/insights"))
                    .header("Authorization", "Bearer " + readerToken)
                    .timeout(Duration.ofSeconds(30))
                    .build();
        }
    }
}
