package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.app.Wiring;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import dev.vigil.sources.BatchedSnapshots;
import dev.vigil.sources.ConfigDocument;
import dev.vigil.sources.PermanentSourceException;
import dev.vigil.sources.SnapshotBatchClient;
import dev.vigil.sources.SnapshotBatchClient.Answer;
import dev.vigil.sources.SnapshotBatchClient.Wanted;
import dev.vigil.sources.SnapshotConfigSource;
import dev.vigil.telemetry.Tracing;
import dev.vigil.testing.TestPostgres;
import dev.vigil.tokens.ApiTokens;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /internal/v1/targets/config:batch} on a real API and PostgreSQL: several stored
 * versions in one call, each exactly as the single route serves it, 404 per missing item, 400s
 * naming the item at fault; and the change workers' coalescing of concurrent reads into it.
 */
class SnapshotBatchIT {
    static final int ZONES = 6;

    static TestPostgres pg;
    static ApiServer server;
    static HttpClient http = HttpClient.newHttpClient();
    static String service;
    static String account;
    static SnapshotBatchClient batch;
    static SnapshotConfigSource single;

    @BeforeAll
    static void start() throws Exception {
        pg = TestPostgres.start();
        for (int i = 0; i < ZONES; i++) {
            pg.zoneTarget("acc1", "zone" + i);
        }
        server =
                Wiring.api(
                        ApiServer.Options.of(ApiSettings.defaults().withPort(0), pg.dataSource())
                                .withChanges((change, doc) -> {}),
                        null);
        ApiTokens tokens = ApiTokens.create(pg.dataSource());
        service = tokens.issueService("workers");
        account = tokens.issueForAccounts("owner", List.of("acc1"));
        for (int i = 0; i < ZONES; i++) {
            push("zone" + i, "{\"settings\":{\"ssl\":\"flexible\",\"n\":" + i + "}}");
            push("zone" + i, "{\"settings\":{\"ssl\":\"strict\",\"n\":" + i + "}}");
        }
        batch =
                SnapshotBatchClient.create(
                        server.baseUrl(),
                        service,
                        Duration.ofSeconds(10),
                        SnapshotBatchClient.DEFAULT_MAX_RESPONSE_BYTES,
                        Tracing.noop());
        single =
                SnapshotConfigSource.create(
                        server.baseUrl(), service, Duration.ofSeconds(10), 16 * 1024 * 1024);
    }

    @AfterAll
    static void stop() {
        if (batch != null) {
            batch.close();
            single.close();
        }
        http.close();
        server.close();
        pg.close();
    }

    @Test
    void everyVersionIsAnsweredAsTheSingleRouteServesItAndAMissingOneIs404() {
        List<Wanted> wanted =
                List.of(
                        new Wanted("zone0", 1),
                        new Wanted("zone1", 2),
                        new Wanted("zone2", 9),
                        new Wanted("nobody", 1));

        Map<Wanted, Answer> answers = batch.fetch(wanted);

        assertThat(answers.keySet()).containsExactlyElementsOf(wanted);
        assertThat(((Answer.Found) answers.get(wanted.get(0))).json())
                .isEqualTo(single.fetch(zone(0), 1).json());
        assertThat(((Answer.Found) answers.get(wanted.get(1))).json())
                .isEqualTo(single.fetch(zone(1), 2).json());
        assertThat(answers.get(wanted.get(2)))
                .isInstanceOfSatisfying(
                        Answer.Missing.class,
                        m -> {
                            assertThat(m.status()).isEqualTo(404);
                            assertThat(m.detail()).contains("'zone2' at version 9");
                        });
        assertThat(answers.get(wanted.get(3)))
                .isInstanceOfSatisfying(
                        Answer.Missing.class, m -> assertThat(m.status()).isEqualTo(404));
    }

    @Test
    void concurrentReadsGoOutTogetherAndEachGetsItsOwnVersion() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger items = new AtomicInteger();
        BatchedSnapshots batched =
                new BatchedSnapshots(
                        w -> {
                            calls.incrementAndGet();
                            items.addAndGet(w.size());
                            return batch.fetch(w);
                        },
                        single::fetch,
                        Duration.ofMillis(50),
                        ZONES * 2);
        List<Future<ConfigDocument>> reads = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < ZONES; i++) {
                for (long v = 1; v <= 2; v++) {
                    Target z = zone(i);
                    long version = v;
                    reads.add(threads.submit(() -> batched.fetch(z, version)));
                }
            }
            int k = 0;
            for (int i = 0; i < ZONES; i++) {
                for (long v = 1; v <= 2; v++) {
                    assertThat(reads.get(k++).get().json())
                            .isEqualTo(single.fetch(zone(i), v).json());
                }
            }
        }
        assertThat(items.get()).isEqualTo(ZONES * 2);
        assertThat(calls.get()).as("batch calls for %d reads", ZONES * 2).isLessThan(ZONES);
        System.out.println(
                "batched snapshot reads: " + ZONES * 2 + " reads in " + calls.get() + " calls");

        assertThatThrownBy(() -> batched.fetch(zone(0), 7))
                .isInstanceOf(PermanentSourceException.class)
                .hasMessageContaining("status 404");
    }

    @Test
    void badRequestsAreRefusedNamingTheItemAndOnlyServiceTokensMayAsk() throws Exception {
        assertProblem(post(service, "{}"), 400, "\"field\":\"items\"");
        assertProblem(post(service, "{\"items\":[]}"), 400, "\"field\":\"items\"");
        assertProblem(
                post(service, "{\"items\":[{\"target_id\":\"zone0\",\"version\":0}]}"),
                400,
                "items[0].version");
        assertProblem(
                post(
                        service,
                        "{\"items\":[{\"target_id\":\"zone0\",\"version\":1},{\"version\":1}]}"),
                400,
                "items[1].target_id");
        assertProblem(
                post(service, "{\"items\":[{\"target_id\":\"zone0\",\"version\":1,\"x\":1}]}"),
                400,
                "items[0].x");
        StringBuilder many = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 65; i++) {
            many.append(i == 0 ? "" : ",").append("{\"target_id\":\"z\",\"version\":1}");
        }
        assertProblem(post(service, many.append("]}").toString()), 400, "65 items");
        assertProblem(
                post(account, "{\"items\":[{\"target_id\":\"zone0\",\"version\":1}]}"),
                403,
                "service token");
    }

    private static void assertProblem(HttpResponse<String> r, int status, String part) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).contains(part);
    }

    private static Target zone(int i) {
        return Target.zone("zone" + i, "acc1", "zone" + i + ".example", Plan.FREE);
    }

    private static HttpResponse<String> post(String token, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(server.baseUrl().resolve("internal/v1/targets/config:batch"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void push(String zone, String doc) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(
                                        server.baseUrl().resolve("v1/zones/" + zone + "/config"))
                                .header("Authorization", "Bearer " + account)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(doc))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }
}
