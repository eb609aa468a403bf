package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SIGTERM stops a role gracefully, and within VIGIL_SHUTDOWN_TIMEOUT even when draining hangs. */
class ShutdownIT {

    /**
     * Generous for a child JVM's start and exit: on a loaded machine (load 8 on 2 cores) a JVM
     * takes several times its idle second to print its first line.
     */
    private static final Duration CHILD_PATIENCE = Duration.ofSeconds(90);

    @Test
    void sigtermLetsTheRoleFinishClosingWithinTheDeadline() throws Exception {
        // The deadline is far above the close so that only a close that never ended could hit it.
        Child child = Child.start(500, "60s");

        long ms = child.terminate();

        assertThat(child.output()).contains("CLOSED");
        assertThat(String.join("\n", child.output())).doesNotContain("exiting now");
        assertThat(ms).as("exit after the 500 ms close").isBetween(400L, 55_000L);
    }

    @Test
    void sigtermExitsAtTheDeadlineWhenClosingHangs() throws Exception {
        Child child = Child.start(120_000, "1s");

        long ms = child.terminate();

        assertThat(child.output()).doesNotContain("CLOSED");
        assertThat(String.join("\n", child.output()))
                .contains("VIGIL_SHUTDOWN_TIMEOUT")
                .contains("exiting now");
        assertThat(ms)
                .as("exit after the 1 s deadline, long before the 120 s close would end")
                .isBetween(900L, 60_000L);
    }

    /**
     * A child JVM running {@link ChildRoleMain}, its standard output and error (merged) read to
     * their end by {@code reader}, so that {@link #output()} after {@link #terminate()} holds every
     * line the child wrote before it exited.
     */
    record Child(Process process, List<String> lines, Thread reader) {
        static Child start(long closeMillis, String timeout) throws IOException {
            ProcessBuilder pb =
                    new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            ChildRoleMain.class.getName(),
                            Long.toString(closeMillis));
            pb.environment().put("VIGIL_SHUTDOWN_TIMEOUT", timeout);
            pb.redirectErrorStream(true);
            Process process = pb.start();
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread reader = Thread.ofVirtual().start(() -> readToEnd(process, lines));
            Child c = new Child(process, lines, reader);
            try {
                await().atMost(CHILD_PATIENCE)
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> lines.contains("STARTED") || !reader.isAlive());
            } finally {
                if (!lines.contains("STARTED")) {
                    process.destroyForcibly();
                }
            }
            assertThat(lines).as("child started; its output so far").contains("STARTED");
            return c;
        }

        private static void readToEnd(Process process, List<String> lines) {
            try (BufferedReader r =
                    new BufferedReader(
                            new InputStreamReader(
                                    process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(reading the output failed: " + e + ")");
            }
        }

        /**
         * Sends SIGTERM, waits for the exit and for the output to be read to its end, and returns
         * how long the child took to exit, in ms.
         */
        long terminate() throws InterruptedException {
            long began = System.nanoTime();
            // SIGTERM; Process.destroy() would also close our end of the child's output.
            process.toHandle().destroy();
            boolean exited = process.waitFor(CHILD_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            long ms = (System.nanoTime() - began) / 1_000_000;
            if (!exited) {
                process.destroyForcibly();
            }
            assertThat(exited).as("child exited after SIGTERM; output %s", lines).isTrue();
            // The pipe reaches its end once the child (and any process it shared it with) is gone:
            // only then are the last lines, written just before the exit, all in `lines`.
            assertThat(reader.join(CHILD_PATIENCE)).as("output read to its end").isTrue();
            return ms;
        }

        List<String> output() {
            return List.copyOf(lines);
        }
    }
}
