package dev.vigil.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import dev.vigil.simulate.ConfigService;
import dev.vigil.simulate.ConfigService.LatencyModel;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class HttpConfigSourceIT {

    private static final Target ZONE = Target.zone("zone-1", "acct-1", "example.com", Plan.PRO);
    private static final byte[] DOC = "{\"ssl\":\"flexible\"}".getBytes(StandardCharsets.UTF_8);

    private static HttpConfigSource source(ConfigService service, Duration timeout) {
        return HttpConfigSource.create(service.baseUrl(), timeout, null, 1024);
    }

    @Test
    void servedDocumentArrivesByteForByte() {
        try (ConfigService service = ConfigService.start(id -> id.equals("zone-1") ? DOC : null);
                HttpConfigSource source = source(service, Duration.ofSeconds(5))) {
            ConfigDocument doc = source.fetch(ZONE);

            assertThat(doc.json()).isEqualTo(DOC);
            assertThat(doc.target()).isEqualTo(ZONE);
            assertThat(doc.fetchTime()).isPositive();
            assertThat(service.documentsServed()).isEqualTo(1);
        }
    }

    @Test
    void unknownTargetFailsPermanentlyNamingTargetUrlAndStatus() {
        try (ConfigService service = ConfigService.start(id -> null);
                HttpConfigSource source = source(service, Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> source.fetch(ZONE))
                    .isInstanceOf(PermanentSourceException.class)
                    .hasMessageContaining(
                            "config fetch for target zone-1 from "
                                    + service.baseUrl()
                                    + "/v1/targets/zone-1/config failed after ")
                    .hasMessageContaining("status 404")
                    .hasMessageContaining("no configuration for target zone-1")
                    .hasMessageEndingWith("(the service does not know this target)");
            assertThat(service.notFound()).isEqualTo(1);
        }
    }

    @Test
    void slowAnswerFailsRetriablyAfterTheTimeout() {
        try (ConfigService service =
                        ConfigService.start(
                                id -> DOC, LatencyModel.fixed(Duration.ofSeconds(30)), null);
                HttpConfigSource source = source(service, Duration.ofMillis(200))) {
            long began = System.nanoTime();
            assertThatThrownBy(() -> source.fetch(ZONE))
                    .isInstanceOf(RetriableSourceException.class)
                    .hasMessageContaining("target zone-1")
                    .hasMessageContaining("timed out after 200 ms");
            // Gave up long before the server's answer at 30 s: the timeout, not the answer, ended
            // it. The bound leaves a loaded machine slack.
            assertThat(Duration.ofNanos(System.nanoTime() - began))
                    .isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void documentOverTheCapFailsPermanently() {
        byte[] big = ("{\"pad\":\"" + "x".repeat(2000) + "\"}").getBytes(StandardCharsets.UTF_8);
        try (ConfigService service = ConfigService.start(id -> big);
                HttpConfigSource source = source(service, Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> source.fetch(ZONE))
                    .isInstanceOf(PermanentSourceException.class)
                    .hasMessageContaining("exceeds the limit of 1024 bytes");
        }
    }

    @Test
    void nonJsonDocumentFailsPermanently() {
        byte[] html = "<html>oops</html>".getBytes(StandardCharsets.UTF_8);
        try (ConfigService service = ConfigService.start(id -> html);
                HttpConfigSource source = source(service, Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> source.fetch(ZONE))
                    .isInstanceOf(PermanentSourceException.class)
                    .hasMessageContaining("status 200 but not valid JSON");
        }
    }

    @Test
    void aBodyThatOpensAnObjectIsHandedOnForTheDecodeToJudge() {
        // the fetch reads a body's first token only; the worker's decode refuses the rest
        // (BrokenDocumentTest), so a document is tokenized once, not twice
        byte[] broken = "{\"settings\": tru}".getBytes(StandardCharsets.UTF_8);
        try (ConfigService service = ConfigService.start(id -> broken);
                HttpConfigSource source = source(service, Duration.ofSeconds(5))) {
            assertThat(source.fetch(ZONE).json()).isEqualTo(broken);
        }
    }

    @Test
    void refusedConnectionFailsRetriably() throws Exception {
        int port;
        try (java.net.ServerSocket closedAgain = new java.net.ServerSocket(0)) {
            port = closedAgain.getLocalPort();
        }
        try (HttpConfigSource source =
                HttpConfigSource.create(
                        URI.create("http://127.0.0.1:" + port),
                        Duration.ofSeconds(2),
                        null,
                        1024)) {
            assertThatThrownBy(() -> source.fetch(ZONE))
                    .isInstanceOf(RetriableSourceException.class)
                    .hasMessageContaining("connection failed");
        }
    }

    @Test
    void bearerTokenIsSentAndAWrongOneIsRefusedPermanently() {
        try (ConfigService service = ConfigService.start(id -> DOC, LatencyModel.none(), "s3cret");
                HttpConfigSource good =
                        HttpConfigSource.create(
                                service.baseUrl(), Duration.ofSeconds(5), "s3cret", 1024);
                HttpConfigSource bad =
                        HttpConfigSource.create(
                                service.baseUrl(), Duration.ofSeconds(5), "nope", 1024)) {
            assertThat(good.fetch(ZONE).json()).isEqualTo(DOC);
            assertThatThrownBy(() -> bad.fetch(ZONE))
                    .isInstanceOf(PermanentSourceException.class)
                    .hasMessageContaining("status 401");
            assertThat(bad.toString()).contains("token ****").doesNotContain("nope");
        }
    }

    @Test
    void targetIdsAreEscapedInThePath() {
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        try (ConfigService service =
                        ConfigService.start(
                                id -> {
                                    seen.merge(id, 1, Integer::sum);
                                    return DOC;
                                });
                HttpConfigSource source = source(service, Duration.ofSeconds(5))) {
            source.fetch(Target.account("a/b c+d", "odd", Plan.FREE));
            assertThat(seen).containsOnlyKeys("a/b c+d");
        }
    }

    @Test
    void thousandsOfConcurrentFetchesFromVirtualThreadsAllSucceed() throws Exception {
        try (ConfigService service = ConfigService.start(id -> DOC, LatencyModel.typical(), null);
                HttpConfigSource source = source(service, Duration.ofSeconds(10));
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            long began = System.nanoTime();
            List<Future<ConfigDocument>> futures = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                Target t = Target.zone("z" + i, "a", "z" + i + ".example", Plan.FREE);
                futures.add(threads.submit(() -> source.fetch(t)));
            }
            for (Future<ConfigDocument> f : futures) {
                assertThat(f.get().json()).isEqualTo(DOC);
            }
            // counted by the service just after the answer went out
            await().atMost(Duration.ofSeconds(30)).until(() -> service.documentsServed() == 3000);
            // Informative only (no timed assertion): the rate on this machine.
            long ms = Duration.ofNanos(System.nanoTime() - began).toMillis();
            System.out.println("3000 fetches, typical latency, in " + ms + " ms");
        }
    }

    @Test
    void noMoreThanTheLimitReachTheServerAtOnceAndNoFetchIsLost() throws Exception {
        try (ConfigService service =
                        ConfigService.start(
                                id -> DOC, LatencyModel.fixed(Duration.ofMillis(50)), null);
                HttpConfigSource source =
                        HttpConfigSource.create(
                                service.baseUrl(), Duration.ofSeconds(20), null, 1024, 4);
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ConfigDocument>> futures = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                Target t = Target.zone("z" + i, "a", "z" + i + ".example", Plan.FREE);
                futures.add(threads.submit(() -> source.fetch(t)));
            }
            for (Future<ConfigDocument> f : futures) {
                assertThat(f.get().json()).isEqualTo(DOC);
            }
            // counted by the service just after the answer went out
            await().atMost(Duration.ofSeconds(30)).until(() -> service.documentsServed() == 120);
            assertThat(service.requests()).as("no request lost or repeated").isEqualTo(120);
            assertThat(service.maxConcurrentRequests())
                    .as("at most the limit in flight, and the limit used")
                    .isEqualTo(4);
        }
    }

    @Test
    void aFetchFindingEverySlotBusyUntilItsDeadlineFailsRetriablyNamingTheLimit() throws Exception {
        try (ConfigService service = ConfigService.start(id -> DOC);
                HttpConfigSource source =
                        HttpConfigSource.create(
                                service.baseUrl(), Duration.ofSeconds(1), null, 1024, 2)) {
            source.fetch(ZONE); // warm: the first exchange of a JVM loads the client's classes
            java.util.concurrent.Semaphore slots = source.slots(source.urlOf(ZONE.targetId()));
            slots.acquire(2); // as if two slow fetches held both slots
            try {
                long began = System.nanoTime();
                assertThatThrownBy(() -> source.fetch(ZONE))
                        .isInstanceOf(RetriableSourceException.class)
                        .hasMessageContaining("target zone-1")
                        .hasMessageContaining(
                                "timed out after 1000 ms waiting for one of the 2 fetches allowed"
                                        + " at once to http://127.0.0.1:")
                        .hasMessageContaining("VIGIL_CONFIG_SOURCE_MAX_PER_HOST");
                assertThat(Duration.ofNanos(System.nanoTime() - began))
                        .isGreaterThanOrEqualTo(Duration.ofSeconds(1))
                        .isLessThan(Duration.ofSeconds(4));
                assertThat(service.requests()).as("nothing sent without a slot").isEqualTo(1);
            } finally {
                slots.release(2);
            }
            assertThat(source.fetch(ZONE).json()).as("slots free again").isEqualTo(DOC);
        }
    }
}
