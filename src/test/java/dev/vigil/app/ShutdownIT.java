package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
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

    @Test
    void sigtermLetsTheRoleFinishClosingWithinTheDeadline() throws Exception {
        Child child = Child.start(500, "10s");

        long ms = child.terminate();

        assertThat(child.output()).contains("CLOSED");
        assertThat(ms).isBetween(400L, 8_000L);
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
                .as("exit after the 1 s deadline, long before the close would end")
                .isBetween(900L, 10_000L);
    }

    record Child(Process process, List<String> lines) {
        static Child start(long closeMillis, String timeout) throws Exception {
            ProcessBuilder pb =
                    new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            ChildRoleMain.class.getName(),
                            Long.toString(closeMillis));
            pb.environment().put("VIGIL_SHUTDOWN_TIMEOUT", timeout);
            pb.redirectErrorStream(true);
            Child c = new Child(pb.start(), new CopyOnWriteArrayList<>());
            BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(
                                    c.process.getInputStream(), StandardCharsets.UTF_8));
            Thread.ofVirtual().start(() -> out.lines().forEach(c.lines::add));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!c.lines.contains("STARTED")) {
                assertThat(c.process.isAlive()).as("child alive; output %s", c.lines).isTrue();
                assertThat(System.nanoTime()).as("child started in time").isLessThan(deadline);
                Thread.sleep(20);
            }
            return c;
        }

        /** Sends SIGTERM and returns how long the child took to exit, in ms. */
        long terminate() throws Exception {
            long began = System.nanoTime();
            // SIGTERM; Process.destroy() would also close our end of the child's output.
            process.toHandle().destroy();
            boolean exited = process.waitFor(30, TimeUnit.SECONDS);
            long ms = (System.nanoTime() - began) / 1_000_000;
            if (!exited) {
                process.destroyForcibly();
            }
            assertThat(exited).as("child exited after SIGTERM").isTrue();
            Thread.sleep(100); // the last output lines
            return ms;
        }

        List<String> output() {
            return List.copyOf(lines);
        }
    }
}
