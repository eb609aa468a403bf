package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The CI smoke test of {@code vigil bench --quick}: it runs, and its report is complete. */
class BenchQuickIT {

    @Test
    void quickBenchReportsEveryScenarioWithItsFigureItsBaselineAndItsTarget() throws Exception {
        Path out = Path.of("target/bench-quick");
        int code =
                Main.commandLine()
                        .execute("bench", "write", "pipeline", "--quick", "--out", out.toString());

        assertThat(code).isZero();
        String report = Files.readString(out.resolve("report.md"));
        assertThat(report)
                .contains("## Machine", "CPUs (nproc): ", "CPU model: ", "JDK: ")
                .contains("## Scenario `write`", "## Scenario `pipeline`")
                .doesNotContain("FAILED");
        assertThat(report)
                .as("write: the hybrid figure beside raw COPY and the per-row way")
                .containsPattern("- write: [0-9,]+ findings in one call [0-9,]+ rows/s")
                .contains("raw COPY, same indexes", "raw COPY, bare table (ceiling)")
                .contains("per-row INSERT", "Measured crossover: ")
                .contains("hybrid call ≥ 70 % of raw COPY", "hybrid call ≥ 15× the per-row way");
        assertThat(report)
                .as("pipeline: Vigil beside the naive pipeline, with the ratio")
                .containsPattern("- pipeline: [0-9,]+ scans/s end to end")
                .containsPattern("naive [0-9,]+ scans/s, ratio [0-9.]+×")
                .contains("| scans/s (median of steps) |", "≥ 2,000 scans/s sustained")
                .contains("≥ 10× the naive pipeline", "Where the time goes");
    }
}
