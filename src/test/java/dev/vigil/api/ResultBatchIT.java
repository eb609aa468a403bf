package dev.vigil.api;

import static dev.vigil.results.ResultFixtures.accountResult;
import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.app.Wiring;
import dev.vigil.checks.Severity;
import dev.vigil.results.PermanentResultsException;
import dev.vigil.results.ResultBatcher;
import dev.vigil.results.ResultFinding;
import dev.vigil.results.ResultsClient;
import dev.vigil.results.ScanResult;
import dev.vigil.testing.TestPostgres;
import dev.vigil.tokens.ApiTokens;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Results in batches (issue 20): {@code POST /internal/v1/scan-batches} applies many results in one
 * transaction with the semantics of applying each alone, answers each on its own, and writes only
 * what changed; {@link ResultBatcher} gathers concurrent callers into such calls.
 */
class ResultBatchIT {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static TestPostgres pg;
    static ApiServer server;
    static ApiTokens tokens;
    static Jdbi jdbi;
    String service;

    @BeforeAll
    static void start() {
        pg = TestPostgres.start();
        server =
                Wiring.api(
                        ApiServer.Options.of(ApiSettings.defaults().withPort(0), pg.dataSource()),
                        null);
        tokens = ApiTokens.create(pg.dataSource());
        jdbi = Jdbi.create(pg.dataSource());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        pg.close();
    }

    @BeforeEach
    void fixtures() {
        pg.reset();
        pg.zoneTarget("acc1", "zone1");
        pg.zoneTarget("acc1", "zone2");
        pg.accountTarget("acc1");
        pg.zoneTarget("acc2", "zone9");
        service = tokens.issueService("worker");
    }

    private ResultsClient client() {
        return ResultsClient.create(server.baseUrl(), service, Duration.ofSeconds(30));
    }

    @Test
    void eachResultOfABatchIsAppliedOrRefusedOnItsOwnInOrderPerTarget() {
        ScanResult zone1First =
                zoneResult(
                        "acc1",
                        "zone1",
                        T0,
                        List.of("a"),
                        List.of(),
                        List.of(finding("a", "r1"), finding("a", "r2")));
        ScanResult zone2 =
                zoneResult(
                        "acc1", "zone2", T0, List.of("a"), List.of(), List.of(finding("a", "r3")));
        ScanResult account = accountResult("acc1", T0, List.of("b"), List.of(finding("b", "k1")));
        ScanResult unknown = zoneResult("acc1", "zoneX", T0, List.of("a"), List.of(), List.of());
        ScanResult wrongAccount =
                zoneResult("acc1", "zone9", T0, List.of("a"), List.of(), List.of());
        // the same target again, scanned later: applied after the first (r1 resolved)
        ScanResult zone1Second =
                zoneResult(
                        "acc1",
                        "zone1",
                        T0.plusSeconds(60),
                        List.of("a"),
                        List.of(),
                        List.of(finding("a", "r2")));
        // older than zone2's result in the same batch: not applied, recorded as superseded
        ScanResult zone2Stale =
                zoneResult(
                        "acc1", "zone2", T0.minusSeconds(60), List.of("a"), List.of(), List.of());

        List<@Nullable PermanentResultsException> out;
        try (ResultsClient c = client()) {
            out =
                    c.submitAll(
                            List.of(
                                    zone1First,
                                    zone2,
                                    account,
                                    unknown,
                                    wrongAccount,
                                    zone1Second,
                                    zone2Stale));
        }

        assertThat(out).hasSize(7);
        assertThat(out.get(0)).isNull();
        assertThat(out.get(1)).isNull();
        assertThat(out.get(2)).isNull();
        assertThat(out.get(3)).isNotNull().satisfies(e -> assertThat(e.status()).isEqualTo(404));
        assertThat(out.get(4))
                .isNotNull()
                .satisfies(e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("account_id");
        assertThat(out.get(5)).isNull();
        assertThat(out.get(6)).isNull();
        assertThat(insights())
                .containsExactly(
                        "acc1 - b k1 open",
                        "acc1 zone1 a r1 resolved",
                        "acc1 zone1 a r2 open",
                        "acc1 zone2 a r3 open");
        assertThat(audit())
                .containsExactly(
                        "zone1 opened " + zone1First.scanId(),
                        "zone1 opened " + zone1First.scanId(),
                        "zone1 resolved " + zone1Second.scanId(),
                        "zone2 opened " + zone2.scanId(),
                        "- opened " + account.scanId());
        assertThat(scans())
                .containsExactlyInAnyOrder(
                        zone1First.scanId() + " 2 2 0",
                        zone1Second.scanId() + " 1 0 1",
                        zone2.scanId() + " 1 1 0",
                        account.scanId() + " 1 1 0",
                        zone2Stale.scanId() + " 0 0 0");
        assertThat(
                        one(
                                "select write_path from scans where scan_id = '"
                                        + zone2Stale.scanId()
                                        + "'"))
                .isEqualTo("superseded");
        assertThat(one("select last_scan_id::text from targets where target_id = 'zone1'"))
                .isEqualTo(zone1Second.scanId().toString());
    }

    @Test
    void aSteadyScanWritesNoInsightRowAndAChangedFindingIsRewritten() {
        List<ResultFinding> findings = List.of(finding("a", "r1"), finding("a", "r2"));
        try (ResultsClient c = client()) {
            c.submitAll(
                    List.of(zoneResult("acc1", "zone1", T0, List.of("a"), List.of(), findings)));
            List<String> before = versions();

            c.submitAll(
                    List.of(
                            zoneResult(
                                    "acc1",
                                    "zone1",
                                    T0.plusSeconds(60),
                                    List.of("a"),
                                    List.of(),
                                    findings)));
            assertThat(versions()).as("no insight row rewritten").isEqualTo(before);
            assertThat(scans()).hasSize(2);

            c.submitAll(
                    List.of(
                            zoneResult(
                                    "acc1",
                                    "zone1",
                                    T0.plusSeconds(120),
                                    List.of("a"),
                                    List.of(),
                                    List.of(
                                            finding("a", "r1"),
                                            finding("a", "r2", Severity.CRITICAL)))));
            List<String> after = versions();
            assertThat(after.get(0)).isEqualTo(before.get(0));
            assertThat(after.get(1)).isNotEqualTo(before.get(1));
        }
        assertThat(insightSeverities()).containsExactly("r1 high", "r2 critical");
    }

    @Test
    void theBatcherGathersConcurrentCallersAndFailsOnlyTheRefusedOne() throws Exception {
        // a linger far longer than the test: every call is sent because its batch filled up
        List<ScanResult> results = new ArrayList<>();
        for (int i = 0; i < 29; i++) {
            pg.zoneTarget("acc3", "z" + i);
            results.add(
                    zoneResult(
                            "acc3",
                            "z" + i,
                            T0,
                            List.of("a"),
                            List.of(),
                            List.of(finding("a", "r" + i))));
        }
        results.add(zoneResult("acc1", "zoneX", T0, List.of("a"), List.of(), List.of()));
        List<Future<?>> calls = new ArrayList<>();
        try (ResultsClient c = client();
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            ResultBatcher batcher = new ResultBatcher(c, 10, Duration.ofMinutes(10), 4);
            for (ScanResult r : results) {
                calls.add(pool.submit(() -> batcher.submit(r)));
            }
            for (int i = 0; i < 29; i++) {
                calls.get(i).get();
            }
            assertThatThrownBy(() -> calls.get(29).get())
                    .hasCauseInstanceOf(PermanentResultsException.class)
                    .hasMessageContaining("zoneX");
        }
        // three calls of ten, each one transaction: the rows of one call share its xmin
        assertThat(one("select count(distinct xmin::text) from scans")).isEqualTo("3");
        assertThat(scans()).hasSize(29);
    }

    /**
     * With one call allowed in flight and no linger, the results that arrive while a call runs wait
     * in the open batch and share the next call; without the bound each would be a call of its own.
     */
    @Test
    void resultsArrivingWhileTheCallsAreInFlightShareTheNextCall() throws Exception {
        int n = 60;
        List<ScanResult> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pg.zoneTarget("acc4", "y" + i);
            results.add(zoneResult("acc4", "y" + i, T0, List.of("a"), List.of(), List.of()));
        }
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<?>> calls = new ArrayList<>();
        try (ResultsClient c = client();
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            ResultBatcher batcher = new ResultBatcher(c, 500, Duration.ZERO, 1);
            for (ScanResult r : results) {
                calls.add(
                        pool.submit(
                                () -> {
                                    gate.await();
                                    batcher.submit(r);
                                    return null;
                                }));
            }
            gate.countDown();
            for (Future<?> f : calls) {
                f.get();
            }
        }
        assertThat(scans()).hasSize(n);
        // each call is one transaction: the rows of one call share its xmin
        assertThat(Integer.parseInt(one("select count(distinct xmin::text) from scans")))
                .as("calls for %d results arriving at once, one call in flight", n)
                .isLessThanOrEqualTo(n / 2);
    }

    @Test
    void aBatchOfTooManyResultsIsRefusedWith413() throws Exception {
        String body = "{}\n".repeat(2_001);
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(
                                            server.baseUrl().resolve("internal/v1/scan-batches"))
                                    .header("Authorization", "Bearer " + service)
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(r.body()).contains("more than 2000 results");
        }
        assertThat(scans()).isEmpty();
    }

    private static String one(String sql) {
        return jdbi.withHandle(h -> h.select(sql).mapTo(String.class).one());
    }

    private static List<String> insights() {
        return jdbi.withHandle(
                h ->
                        h.select(
                                        "select concat_ws(' ', account_id, coalesce(zone_id, '-'),"
                                                + " check_id, resource_key, status) from insights"
                                                + " order by 1")
                                .mapTo(String.class)
                                .list());
    }

    private static List<String> insightSeverities() {
        return jdbi.withHandle(
                h ->
                        h.select(
                                        "select resource_key || ' ' || severity from insights"
                                                + " order by 1")
                                .mapTo(String.class)
                                .list());
    }

    /** The row version of each insight: unchanged when nothing rewrote it. */
    private static List<String> versions() {
        return jdbi.withHandle(
                h ->
                        h.select(
                                        "select xmin::text || ctid::text from insights order by resource_key")
                                .mapTo(String.class)
                                .list());
    }

    private static List<String> audit() {
        return jdbi.withHandle(
                h ->
                        h.select(
                                        "select concat_ws(' ', coalesce(zone_id, '-'), action,"
                                                + " detail ->> 'scan_id') from audit_log"
                                                + " order by zone_id nulls last, audit_id")
                                .mapTo(String.class)
                                .list());
    }

    private static List<String> scans() {
        return jdbi.withHandle(
                h ->
                        h.select(
                                        "select concat_ws(' ', scan_id, findings, opened, resolved)"
                                                + " from scans")
                                .mapTo(String.class)
                                .list());
    }
}
