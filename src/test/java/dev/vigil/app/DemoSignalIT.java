package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testing.ForegroundJob;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil demo} in a process of its own, stopped by SIGTERM, or by Ctrl-C to its process group
 * as a terminal sends it, once it runs: it drains, prints its summary and exits by the census, with
 * no process or directory left.
 */
class DemoSignalIT {

    private static final String[] SMALL_DEMO = {
        "demo", "--accounts", "2", "--zones", "10", "--interval", "5s", "--port", "0"
    };

    @Test
    void ctrlCToTheDemosProcessGroupDrainsPrintsTheSummaryAndLeavesNothingBehind(@TempDir Path tmp)
            throws Exception {
        try (ForegroundJob demo = ForegroundJob.start("demo-ctrl-c", tmp, SMALL_DEMO)) {
            demo.awaitLine(l -> l.startsWith("scans="), Duration.ofMinutes(4));
            assertThat(demo.recordProcesses())
                    .as("the embedded PostgreSQL's processes")
                    .isNotEmpty();

            demo.ctrlC();

            int exit = demo.awaitExit(Duration.ofMinutes(3));
            String out = demo.output();
            assertThat(out)
                    .contains("vigil demo: stopping")
                    .containsPattern("vigil demo: planted=\\d+ found=\\d+ missing=0 unexpected=0");
            assertThat(exit).as(out).isZero();
            demo.assertNothingLeft(Set.of("vigil-demo.log"));
        }
    }

    @Test
    void sigtermStopsTheDemoCleanlyWithItsSummaryAndExitZero() throws Exception {
        ProcessBuilder pb =
                new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.vigil.DevMain",
                        "demo",
                        "--accounts",
                        "2",
                        "--zones",
                        "10",
                        "--interval",
                        "5s",
                        "--port",
                        "0");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = pb.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader =
                Thread.ofVirtual()
                        .start(
                                () -> {
                                    try (BufferedReader r =
                                            new BufferedReader(
                                                    new InputStreamReader(
                                                            process.getInputStream(),
                                                            StandardCharsets.UTF_8))) {
                                        String line;
                                        while ((line = r.readLine()) != null) {
                                            lines.add(line);
                                        }
                                    } catch (java.io.IOException e) {
                                        // the child went away; what was read stays
                                    }
                                });
        try {
            await().atMost(Duration.ofMinutes(3))
                    .until(() -> lines.stream().anyMatch(l -> l.startsWith("scans=")));
            process.toHandle().destroy(); // SIGTERM

            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("exited").isTrue();
            reader.join(Duration.ofSeconds(10));
            String out = String.join("\n", lines);
            assertThat(out).contains("vigil demo: stopping").contains("missing=0 unexpected=0");
            assertThat(process.exitValue()).as(out).isZero();
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
