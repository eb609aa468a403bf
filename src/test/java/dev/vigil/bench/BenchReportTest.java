package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.bench.internal.SpeedReading;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchReportTest {

    @Test
    void summaryAndTargetsTableCarryEachScenarioFigureBaselineVerdictAndCharts() {
        ScenarioReport rules =
                new ScenarioReport(
                        "schedule",
                        "section text\n",
                        "schedule: headline",
                        "busiest minute 1.05× mean",
                        "6,545× mean without jitter",
                        List.of(
                                new TargetVerdict(
                                        "busiest minute ≤ 1.2 × mean minute after importing 1,000,000 targets",
                                        "1.05×",
                                        true)),
                        List.of(
                                new Chart.Bars(
                                        "schedule.png",
                                        "a title",
                                        "x",
                                        Map.of("Vigil", Map.of("a", 1.0)),
                                        false)));
        ScenarioReport lanes = new ScenarioReport("lanes", "lanes text\n", "lanes: 1.1×");

        String md =
                BenchReport.markdown(Machine.describe(), true, List.of(rules, lanes), List.of());

        assertThat(md)
                .contains(
                        "| `schedule` | busiest minute 1.05× mean | 6,545× mean without jitter |"
                                + " [schedule.png](schedule.png) |")
                .contains("| `lanes` | lanes: 1.1× | see its section |  |")
                .contains(
                        "| busiest minute ≤ 1.2 × mean minute after importing 1,000,000 targets |"
                                + " `schedule` | 1.05× | met |")
                .contains("| ≥ 2,000 scans/s sustained | `pipeline` | not run | — |")
                .contains(
                        "| fast-lane p99 with 1 % slow targets ≤ 1.5× the p99 with none | `lanes` |"
                                + " in its section | — |")
                .contains("![a title](schedule.png)");
    }

    @Test
    void theMachineSectionCarriesTheRunsSpeedReadingsInOrder() {
        String md =
                BenchReport.markdown(
                        Machine.describe(),
                        List.of(
                                new SpeedReading("before pipeline", 41.2, 43.0),
                                new SpeedReading("at the end", 55.0, 70.4)),
                        false,
                        List.of(),
                        List.of(),
                        null);

        assertThat(md)
                .contains(
                        "- Speed readings (one thread's fixed workload, CPU / wall time, lower is"
                                + " faster; the same build's figures move with them): before"
                                + " pipeline 41.2 / 43.0 ms, at the end 55.0 / 70.4 ms\n");
        assertThat(md.indexOf("Speed readings")).isLessThan(md.indexOf("## Headlines"));
        assertThat(BenchReport.markdown(Machine.describe(), true, List.of(), List.of()))
                .doesNotContain("Speed readings");
    }
}
