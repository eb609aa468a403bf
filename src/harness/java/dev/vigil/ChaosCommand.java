package dev.vigil;

import dev.vigil.chaos.ChaosOptions;
import dev.vigil.chaos.ChaosReport;
import dev.vigil.chaos.ChaosRun;
import dev.vigil.chaos.ChaosStoppedException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil chaos [--quick] [--scans N] [--seed S] --out DIR}. */
@Command(
        name = "chaos",
        description =
                "Fault suite: run the roles and three Kafka brokers as separate processes,"
                        + " SIGKILL workers, the API, the active scheduler and the busiest Kafka"
                        + " broker, restart PostgreSQL and a Kafka broker, fail PostgreSQL over to"
                        + " its standby, then check that no scan was lost, no insight duplicated and"
                        + " the open insights are the planted ones; writes DIR/report.md and exits 1"
                        + " if a check failed.")
final class ChaosCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "a few thousand scans, under three minutes (CI)")
    boolean quick;

    @Option(
            names = "--scans",
            description = "scans the load phase aims at (default: 1500 quick, 20000 full)")
    @Nullable Long scans;

    @Option(names = "--seed", defaultValue = "7", description = "seed of fleet and faults")
    long seed = 7;

    @Option(
            names = "--out",
            defaultValue = "target/chaos",
            description = "directory of the report and the roles' logs (default ${DEFAULT-VALUE})")
    Path out = Path.of("target/chaos");

    @Override
    public Integer call() throws Exception {
        ChaosOptions o = quick ? ChaosOptions.quick(seed, out) : ChaosOptions.full(seed, out);
        if (scans != null) {
            o = o.withScans(scans);
        }
        ChaosReport report;
        try {
            report = ChaosRun.run(o, System.out);
        } catch (ChaosStoppedException e) {
            System.out.println("vigil chaos: " + e.getMessage());
            return e.exitCode();
        }
        System.out.println();
        System.out.println(report.markdown());
        return report.passed() ? 0 : 1;
    }
}
