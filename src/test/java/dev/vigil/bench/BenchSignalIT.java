package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.ForegroundJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil bench pipeline --quick} (the scenario with role processes) stopped by Ctrl-C to its
 * process group while its API and workers run as processes of their own: they are in sessions of
 * their own (the terminal's signal reaches Vigil only), Vigil stops them and its embedded servers,
 * writes a partial report and exits 130, leaving no process or directory behind.
 */
class BenchSignalIT {

    @Test
    void ctrlCDuringThePipelinesRoleProcessesStopsThemAndWritesAPartialReport(@TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("out");
        try (ForegroundJob bench =
                ForegroundJob.start(
                        "bench-ctrl-c",
                        dir.resolve("tmp"),
                        "bench",
                        "pipeline",
                        "--quick",
                        "--out",
                        out.toString())) {
            bench.awaitLine(
                    l -> l.startsWith("bench pipeline: role processes warming up"),
                    Duration.ofMinutes(6));
            long pgid = bench.pgid();
            List<ProcessHandle> roles =
                    bench.recordProcesses().stream()
                            // By executable: the JDK gives no command line past one page.
                            .filter(h -> h.info().command().orElse("").endsWith("/bin/java"))
                            .toList();
            assertThat(roles).as("the API and two workers in processes of their own").hasSize(3);
            for (ProcessHandle role : roles) {
                assertThat(ForegroundJob.session(role.pid()))
                        .as("session of role process " + role.pid())
                        .isPresent()
                        .isNotEqualTo(Optional.of(pgid));
            }

            bench.ctrlC();

            int exit = bench.awaitExit(Duration.ofMinutes(4));
            String output = bench.output();
            assertThat(output)
                    .contains("vigil bench: stopped by SIGINT during scenario pipeline")
                    .contains("vigil bench: partial report written to");
            assertThat(exit).as(output).isEqualTo(130);
            assertThat(Files.readString(out.resolve("report.md")))
                    .contains("partial: stopped by SIGINT during scenario pipeline")
                    .contains("## Machine");
            bench.assertNothingLeft(Set.of());
        }
    }
}
