package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.checks.IssueType;
import dev.vigil.checks.Severity;
import dev.vigil.inventory.TargetKind;
import dev.vigil.results.ResultFinding;
import dev.vigil.results.ResultsClient;
import dev.vigil.results.ScanResult;
import dev.vigil.testing.TestPostgres;
import dev.vigil.tokens.ApiTokens;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * One 500,000-finding result through HTTP into PostgreSQL, with the API in a child JVM whose heap
 * (160 MiB) is about half of what the result's findings take as objects: it only passes if the API
 * streams them.
 */
class LargeResultIT {

    static final int FINDINGS = 500_000;
    static final String HEAP = "-Xmx160m";

    @Test
    void apiTakesHalfAMillionFindingsInASmallHeap() throws Exception {
        try (TestPostgres pg = TestPostgres.start()) {
            pg.zoneTarget("acc1", "zone1");
            String token = ApiTokens.create(pg.dataSource()).issueService("worker");
            Process child = startChildApi(pg.jdbcUrl());
            try {
                int port = readPort(child);
                ScanResult result = result();
                long start = System.nanoTime();
                try (ResultsClient c =
                        ResultsClient.create(
                                URI.create("http://127.0.0.1:" + port + "/"),
                                token,
                                Duration.ofMinutes(10))) {
                    c.submit(result);
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                Jdbi jdbi = Jdbi.create(pg.dataSource());
                long insights =
                        jdbi.withHandle(
                                h ->
                                        h.createQuery(
                                                        "select count(*) from insights where status = 'open'")
                                                .mapTo(Long.class)
                                                .one());
                String path =
                        jdbi.withHandle(
                                h ->
                                        h.createQuery(
                                                        "select write_path || ':' || findings from scans")
                                                .mapTo(String.class)
                                                .one());
                assertThat(insights).isEqualTo(FINDINGS);
                assertThat(path).isEqualTo("copy:" + FINDINGS);
                assertThat(child.isAlive()).as("API child JVM survived").isTrue();
                System.out.printf(
                        "500,000 findings through HTTP into PostgreSQL (API heap %s): %s (%.0f rows/s)%n",
                        HEAP, took, FINDINGS / (took.toNanos() / 1e9));
            } finally {
                child.getOutputStream().close();
                if (!child.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
            }
        }
    }

    private static ScanResult result() {
        List<ResultFinding> findings = new ArrayList<>(FINDINGS);
        for (int i = 0; i < FINDINGS; i++) {
            findings.add(
                    new ResultFinding(
                            "check_" + (i % 11),
                            "dns/record/" + i,
                            Severity.MODERATE,
                            IssueType.EXPOSED_INFRASTRUCTURE,
                            "record-" + i + ".example.com",
                            "Record exposes the origin address; proxy it or remove it. ".repeat(3)
                                    + i));
        }
        return new ScanResult(
                UUID.randomUUID(),
                "zone1",
                TargetKind.ZONE,
                "acc1",
                "zone1",
                Instant.parse("2026-03-01T10:00:00Z"),
                "test-1",
                List.of("check_0"),
                List.of(),
                findings);
    }

    private static Process startChildApi(String jdbcUrl) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb =
                new ProcessBuilder(
                        java.toString(),
                        HEAP,
                        "-XX:+ExitOnOutOfMemoryError",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ChildApiMain.class.getName(),
                        jdbcUrl,
                        "postgres",
                        "postgres");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        return pb.start();
    }

    private static int readPort(Process child) throws Exception {
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("PORT ")) {
                // Keep draining its output so the child never blocks on a full pipe.
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> {}));
                return Integer.parseInt(line.substring(5).trim());
            }
        }
        throw new IllegalStateException("API child JVM exited before listening");
    }
}
