package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.app.Wiring;
import dev.vigil.testing.TestPostgres;
import dev.vigil.tokens.ApiTokens;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pushed configuration is stored exactly as accepted, or refused with 400 naming the position: no
 * value is rewritten on its way in (the results route refuses the same bytes).
 */
class ConfigPushBodyIT {

    static TestPostgres pg;
    static ApiServer server;
    static HttpClient http = HttpClient.newHttpClient();
    static Jdbi jdbi;
    static String token;

    @BeforeAll
    static void start() {
        pg = TestPostgres.start();
        pg.zoneTarget("acc1", "zone1");
        pg.zoneTarget("acc2", "zone2");
        server =
                Wiring.api(
                        ApiServer.Options.of(ApiSettings.defaults().withPort(0), pg.dataSource())
                                .withChanges((change, doc) -> {}),
                        null);
        token = ApiTokens.create(pg.dataSource()).issueForAccounts("u", List.of("acc1"));
        jdbi = Jdbi.create(pg.dataSource());
    }

    @AfterAll
    static void stop() {
        http.close();
        server.close();
        pg.close();
    }

    @BeforeEach
    void empty() {
        pg.execute("delete from config_snapshots");
    }

    private static HttpResponse<String> push(byte[] body) throws Exception {
        return push("zone1", body);
    }

    private static HttpResponse<String> push(String zone, byte[] body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(server.baseUrl().resolve("v1/zones/" + zone + "/config"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> push(String body) throws Exception {
        return push(body.getBytes(StandardCharsets.UTF_8));
    }

    private static long stored() {
        return jdbi.withHandle(
                h ->
                        h.createQuery("select count(*) from config_snapshots")
                                .mapTo(Long.class)
                                .one());
    }

    /**
     * A write token's zone push has its account checked on the row the store locks: another
     * tenant's zone is answered exactly as a zone that does not exist, and nothing is stored.
     */
    @Test
    void anotherTenantsZoneIsAnsweredAsAMissingOne() throws Exception {
        byte[] doc = "{\"dns_records\": []}".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> foreign = push("zone2", doc);
        HttpResponse<String> missing = push("zone404", doc);
        HttpResponse<String> own = push("zone1", doc);
        // refused before the store too (not JSON): the foreign zone still answers 404 first
        HttpResponse<String> foreignBad = push("zone2", "{".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> ownBad = push("zone1", "{".getBytes(StandardCharsets.UTF_8));

        assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(404);
        assertThat(missing.statusCode()).as(missing.body()).isEqualTo(404);
        assertThat(foreign.body())
                .contains("no zone 'zone2' visible to token 'u'", "\"field\":\"zone_id\"")
                .isEqualTo(missing.body().replace("zone404", "zone2"));
        assertThat(foreignBad.body()).isEqualTo(foreign.body());
        assertThat(ownBad.statusCode()).as(ownBad.body()).isEqualTo(400);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(202);
        assertThat(stored()).isEqualTo(1);
    }

    private static void assertRefused(HttpResponse<String> r, String... parts) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("\"field\":\"body\"").contains(parts);
        assertThat(stored()).isZero();
    }

    @Test
    void twoValuesInOneBodyAreRefusedNotAnInternalError() throws Exception {
        // found by CI's fuzzing pass: every token was well formed, the tree reader then answered
        // 500
        assertRefused(push("\"{a\"2"), "not one JSON value");
        assertRefused(push("{} {}"), "not one JSON value");
    }

    @Test
    void aNumberNoDoubleCanHoldIsRefusedNamingItsPosition() throws Exception {
        assertRefused(
                push("{\"zone\": {\"ttl\": 1e999999}}"),
                "line 1, column 18",
                "(zone.ttl)",
                "1e999999",
                "out of the range of a 64-bit float");
        assertRefused(push("{\"a\": [1, -1e-999999]}"), "(a[1])", "-1e-999999");
    }

    @Test
    void aLoneSurrogateIsRefusedNamingItsPosition() throws Exception {
        assertRefused(
                push("{\"dns_records\": [{\"name\": \"x\\ud800y\"}]}"),
                "line 1, column 27",
                "(dns_records[0].name)",
                "lone surrogate",
                "ud800");
        assertRefused(push("{\"\\udc00\": 1}"), "line 1, column", "surrogate");
    }

    @Test
    void invalidUtf8IsRefusedNamingItsPosition() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"name\": \"caf".getBytes(StandardCharsets.US_ASCII));
        body.write(0xE9); // Latin-1 é: no UTF-8 sequence
        body.writeBytes("\"}".getBytes(StandardCharsets.US_ASCII));

        assertRefused(push(body.toByteArray()), "line 1, column", "UTF-8");
    }

    @Test
    void duplicateKeysAreRefusedNamingThePositionAndTheKey() throws Exception {
        assertRefused(
                push("{\"zone\": {\"ssl\": \"strict\",\n \"ssl\": \"off\"}}"),
                "line 2",
                "not valid JSON",
                "Duplicate",
                "ssl");
    }

    @Test
    void whatIsAcceptedIsStoredExactly() throws Exception {
        HttpResponse<String> r =
                push(
                        "{\"name\": \"café \\ud83d\\ude00 ☃\", \"big\": 1.5e300, \"small\": 2.5e-300,"
                                + " \"n\": 12345678901234567890123}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String doc =
                jdbi.withHandle(
                        h ->
                                h.createQuery("select document::text from config_snapshots")
                                        .mapTo(String.class)
                                        .one());
        assertThat(doc).contains("café \uD83D\uDE00 ☃").contains("12345678901234567890123");
        double big =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "select (document::jsonb->>'big')::float8 from"
                                                        + " config_snapshots")
                                        .mapTo(Double.class)
                                        .one());
        assertThat(big).isEqualTo(1.5e300);
    }
}
