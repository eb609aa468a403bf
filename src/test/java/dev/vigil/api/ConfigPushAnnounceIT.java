package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.app.Wiring;
import dev.vigil.events.ConfigChange;
import dev.vigil.testing.TestPostgres;
import dev.vigil.tokens.ApiTokens;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pushed version is committed before its event is announced (a worker reading the event at once
 * finds it), and a failed announcement leaves nothing stored, so the retried push is announced.
 */
class ConfigPushAnnounceIT {

    static TestPostgres pg;
    static Jdbi jdbi;
    static ApiServer server;
    static final HttpClient http = HttpClient.newHttpClient();
    static String token;

    /** What the sink saw committed, per announcement: the stored versions of the target. */
    static final List<List<Long>> visibleAtPublish = new CopyOnWriteArrayList<>();

    static final List<ConfigChange> announced = new CopyOnWriteArrayList<>();
    static final AtomicBoolean brokerDown = new AtomicBoolean();

    @BeforeAll
    static void start() {
        pg = TestPostgres.start();
        jdbi = Jdbi.create(pg.dataSource());
        pg.zoneTarget("acc1", "zone1");
        server =
                Wiring.api(
                        ApiServer.Options.of(ApiSettings.defaults().withPort(0), pg.dataSource())
                                .withChanges(
                                        (change, doc) -> {
                                            if (brokerDown.get()) {
                                                throw new IllegalStateException(
                                                        "broker unreachable (test)");
                                            }
                                            // read from another connection: only committed rows are
                                            // visible
                                            visibleAtPublish.add(versions());
                                            announced.add(change);
                                        }),
                        null);
        token = ApiTokens.create(pg.dataSource()).issueForAccounts("u", List.of("acc1"));
    }

    @AfterAll
    static void stop() {
        http.close();
        server.close();
        pg.close();
    }

    @BeforeEach
    void reset() {
        brokerDown.set(false);
        announced.clear();
        visibleAtPublish.clear();
        jdbi.useHandle(h -> h.execute("delete from config_snapshots"));
    }

    private static List<Long> versions() {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "select version from config_snapshots where target_id ="
                                                + " 'zone1' order by version")
                                .mapTo(Long.class)
                                .list());
    }

    private static HttpResponse<String> push(String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(server.baseUrl().resolve("v1/zones/zone1/config"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theVersionIsCommittedBeforeItsEventIsAnnounced() throws Exception {
        assertThat(push("{\"dns\": {\"records\": []}}").statusCode()).isEqualTo(202);
        assertThat(push("{\"dns\": {\"records\": [1]}}").statusCode()).isEqualTo(202);

        assertThat(announced).extracting(ConfigChange::version).containsExactly(1L, 2L);
        assertThat(visibleAtPublish).containsExactly(List.of(1L), List.of(1L, 2L));
    }

    @Test
    void aFailedAnnouncementStoresNothingAndTheRetriedPushIsAnnounced() throws Exception {
        assertThat(push("{\"dns\": {\"records\": []}}").statusCode()).isEqualTo(202);
        brokerDown.set(true);

        HttpResponse<String> failed = push("{\"dns\": {\"records\": [1]}}");

        assertThat(failed.statusCode()).isGreaterThanOrEqualTo(500);
        assertThat(versions()).containsExactly(1L);

        brokerDown.set(false);
        HttpResponse<String> retried = push("{\"dns\": {\"records\": [1]}}");

        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(202);
        assertThat(retried.body()).contains("\"version\":2").contains("\"dns\"");
        assertThat(announced).extracting(ConfigChange::version).containsExactly(1L, 2L);
    }
}
