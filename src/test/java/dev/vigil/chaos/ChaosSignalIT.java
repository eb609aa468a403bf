package dev.vigil.chaos;

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
 * {@code vigil chaos --quick} stopped by Ctrl-C to its process group during the load phase: its six
 * role processes are in sessions of their own (the terminal's signal reaches Vigil only), Vigil
 * stops them and its embedded servers, writes a partial report and exits 130, leaving no process or
 * directory behind.
 */
class ChaosSignalIT {

    @Test
    void ctrlCDuringTheLoadPhaseStopsTheRolesAndWritesAPartialReport(@TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("out");
        try (ForegroundJob chaos =
                ForegroundJob.start(
                        "chaos-ctrl-c",
                        dir.resolve("tmp"),
                        "chaos",
                        "--quick",
                        "--out",
                        out.toString())) {
            chaos.awaitLine(l -> l.contains("] fault: "), Duration.ofMinutes(6));
            long pgid = chaos.pgid();
            List<ProcessHandle> roles =
                    chaos.recordProcesses().stream()
                            // By executable: the JDK gives no command line past one page.
                            .filter(h -> h.info().command().orElse("").endsWith("/bin/java"))
                            .toList();
            assertThat(roles).as("schedulers, workers and the API").hasSizeGreaterThanOrEqualTo(5);
            for (ProcessHandle role : roles) {
                assertThat(ForegroundJob.session(role.pid()))
                        .as("session of role process " + role.pid())
                        .isPresent()
                        .isNotEqualTo(Optional.of(pgid));
            }

            chaos.ctrlC();

            int exit = chaos.awaitExit(Duration.ofMinutes(5));
            String output = chaos.output();
            assertThat(output).contains("vigil chaos: stopped by SIGINT after");
            assertThat(exit).as(output).isEqualTo(130);
            assertThat(Files.readString(out.resolve("report.md")))
                    .startsWith("# Fault suite report — partial")
                    .contains("stopped by SIGINT", "no check ran");
            chaos.assertNothingLeft(Set.of());
        }
    }
}
