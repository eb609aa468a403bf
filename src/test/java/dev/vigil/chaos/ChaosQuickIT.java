package dev.vigil.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The quick fault suite, as CI runs it: roles and three Kafka brokers as child processes, every
 * kind of fault injected (the SIGKILL of the busiest broker among them, with the producers' latency
 * measured around it), and afterwards no lost scan, no duplicate insight identity, open insights
 * equal to the planted ones and no lag left.
 */
class ChaosQuickIT {

    @Test
    void quickFaultSuiteLosesNoScanAndFindsExactlyThePlantedInsights() throws Exception {
        Path out = Path.of("target", "chaos-quick");
        ChaosReport report =
                ChaosRun.run(
                        ChaosOptions.quick(7, out),
                        new PrintStream(System.out, true, StandardCharsets.UTF_8));

        Set<Fault.Kind> injected = EnumSet.noneOf(Fault.Kind.class);
        report.faults().forEach(f -> injected.add(f.kind()));
        assertThat(injected).as("fault kinds injected").isEqualTo(EnumSet.allOf(Fault.Kind.class));
        assertThat(report.published()).as("scan requests published").isGreaterThan(1_000);
        Fault brokerKill =
                report.faults().stream()
                        .filter(f -> f.kind() == Fault.Kind.KILL_KAFKA_LEADER)
                        .findFirst()
                        .orElseThrow();
        ProduceLatency latency = brokerKill.produceLatency();
        assertThat(latency).as("produce latency around the broker kill").isNotNull();
        assertThat(latency.before().sends()).as("probe sends before the kill").isPositive();
        assertThat(latency.during().sends()).as("probe sends after the kill").isPositive();
        assertThat(latency.during().failed()).as("probe sends failed after the kill").isZero();
        assertThat(report.lost()).as("lost scans; see " + out.resolve("report.md")).isZero();
        assertThat(report.duplicateIdentities()).as("duplicate insight identities").isZero();
        assertThat(report.missing()).as("planted insights not open").isZero();
        assertThat(report.unexpected()).as("open insights not planted").isZero();
        assertThat(report.open()).isEqualTo(report.planted());
        assertThat(report.lag()).as("consumer lag left").isZero();
        assertThat(report.passed()).isTrue();
        assertThat(out.resolve("report.md")).exists();
    }
}
