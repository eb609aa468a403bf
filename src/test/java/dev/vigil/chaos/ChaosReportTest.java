package dev.vigil.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosReportTest {

    private static final ChaosOptions OPTIONS = ChaosOptions.quick(1, Path.of("target/x"));

    private static List<Fault> everyKind() {
        return java.util.Arrays.stream(Fault.Kind.values())
                .map(k -> new Fault(k, "v", Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO))
                .toList();
    }

    private static ChaosReport report(List<Fault> faults, long lost, long lag) {
        return new ChaosReport(
                OPTIONS,
                Instant.EPOCH,
                Duration.ofSeconds(100),
                faults,
                1000,
                1000 - lost,
                3,
                0,
                lost,
                0,
                50,
                50,
                0,
                0,
                lag,
                ChaosReport.checks(faults, 1000, lost, 0, 50, 0, 0, lag));
    }

    @Test
    void runWithEveryFaultKindAndNothingLostPasses() {
        ChaosReport r = report(everyKind(), 0, 0);
        assertThat(r.passed()).isTrue();
        assertThat(r.markdown())
                .contains("**PASSED**")
                .contains("SIGKILL the active scheduler")
                .contains("| of which superseded (a newer scan of the target applied first) | 3 |");
    }

    @Test
    void oneLostScanFailsTheRun() {
        ChaosReport r = report(everyKind(), 1, 0);
        assertThat(r.passed()).isFalse();
        assertThat(r.markdown())
                .contains(
                        "| scans without a stored result or a dead letter | 0 | 1 | **FAILED** |");
    }

    @Test
    void aMissingFaultKindFailsTheRunNamingIt() {
        ChaosReport r = report(everyKind().subList(0, 4), 0, 0);
        assertThat(r.passed()).isFalse();
        assertThat(r.checks().getLast().actual()).contains("RESTART_KAFKA");
    }

    @Test
    void aBrokerKillShowsTheProduceLatencyInEachWindow() {
        ProduceLatency.Window quiet =
                ProduceLatency.Window.of(new long[] {3_000_000, 4_000_000, 5_000_000}, 0);
        ProduceLatency.Window spike =
                ProduceLatency.Window.of(new long[] {4_000_000, 9_500_000_000L}, 0);
        Fault kill =
                new Fault(
                                Fault.Kind.KILL_KAFKA_LEADER,
                                "kafka-2",
                                Duration.ofSeconds(12),
                                Duration.ofSeconds(11),
                                Duration.ofSeconds(3))
                        .withProduceLatency(new ProduceLatency(quiet, spike, quiet));

        String md = report(List.of(kill), 0, 0).markdown();

        assertThat(md)
                .contains("Produce latency around the SIGKILL of kafka-2 at 12.0 s")
                .contains("| 30 s before the SIGKILL | 3 | 4 | 5 | 5 | 0 |")
                .contains("| 30 s from the SIGKILL | 2 | 4 | 9500 | 9500 | 0 |");
    }

    @Test
    void aPartialReportSaysNoCheckRanAndListsTheFaultsInjected() {
        String md =
                ChaosReport.partialMarkdown(
                        "stopped by SIGINT after 40 s, during the load phase; 1 fault(s) injected"
                                + " before",
                        everyKind().subList(0, 1));

        assertThat(md)
                .startsWith("# Fault suite report — partial")
                .contains("stopped by SIGINT after 40 s", "no check ran")
                .contains("- SIGKILL a worker (v) at 1 s");
    }

    @Test
    void loadPhaseFollowsTheScansAimedAtAndTheFleetRate() {
        // 600 targets every 20 s: 30 scans/s, so 1,500 scans take 50 s
        assertThat(OPTIONS.loadPhase()).isEqualTo(Duration.ofSeconds(50));
    }
}
