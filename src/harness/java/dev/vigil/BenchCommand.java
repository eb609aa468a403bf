package dev.vigil;

import dev.vigil.bench.Bench;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil bench [SCENARIO…] [--out DIR] [--quick] [--duration D]}. */
@Command(
        name = "bench",
        description =
                "Measure Vigil on this machine against embedded Kafka and PostgreSQL, each figure"
                        + " beside its naive baseline and its DESIGN.md target; writes DIR/report.md.")
final class BenchCommand implements Callable<Integer> {

    @Parameters(
            arity = "0..*",
            paramLabel = "SCENARIO",
            description =
                    "rules, fetch, schedule, write, changes, alerts, lanes, pipeline, history, fleet"
                            + " (default: all of these); burst (only when named)")
    List<String> scenarios = new ArrayList<>();

    @Option(
            names = "--out",
            defaultValue = "target/bench",
            description = "directory of the report (default ${DEFAULT-VALUE})")
    Path out = Path.of("target/bench");

    @Option(names = "--quick", description = "shorten every scenario to seconds (CI smoke test)")
    boolean quick;

    @Option(
            names = "--duration",
            description = "measurement window of the pipeline scenario (default 60s, quick 9s)")
    @Nullable Duration duration;

    @Override
    public Integer call() {
        Bench.Options o;
        try {
            o = new Bench.Options(scenarios, out, quick, duration);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        return Bench.run(o, System.out);
    }
}
