package dev.vigil.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The quick fault suite, as CI runs it: roles as child processes, every kind of fault injected, and
 * afterwards no lost scan, no duplicate insight identity, open insights equal to the planted ones
 * and no lag left.
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
