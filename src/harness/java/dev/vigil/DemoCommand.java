package dev.vigil;

import dev.vigil.app.Demo;
import dev.vigil.app.LocalPipeline;
import dev.vigil.config.Env;
import dev.vigil.config.Setting;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.simulate.ConfigService;
import dev.vigil.telemetry.Tracing;
import dev.vigil.worker.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil demo}: the whole pipeline on one machine, with embedded Kafka and PostgreSQL. */
@Command(
        name = "demo",
        description =
                "Run the whole pipeline on this machine: embedded Kafka and PostgreSQL, a synthetic fleet, the API.")
final class DemoCommand implements Callable<Integer> {
    @Option(
            names = "--accounts",
            defaultValue = "200",
            description = "accounts in the synthetic fleet (default ${DEFAULT-VALUE})")
    int accounts;

    @Option(
            names = "--zones",
            defaultValue = "3000",
            description = "zones in the synthetic fleet (default ${DEFAULT-VALUE})")
    int zones;

    @Option(
            names = "--duration",
            defaultValue = "0s",
            description = "stop after this long, e.g. 60s (default: until Ctrl-C)")
    String duration = "0s";

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "API port, 0 for a free one (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the synthetic fleet")
    long seed;

    @Option(
            names = "--interval",
            defaultValue = "40s",
            description = "scan interval of every plan in the demo (default ${DEFAULT-VALUE})")
    Duration interval = Duration.ofSeconds(40);

    @Option(
            names = "--rules-dir",
            description = "directory of rule files added to the catalogue, reloaded on change")
    @Nullable Path rulesDir;

    @Option(
            names = "--verbose",
            description =
                    "keep the JSON logs on the terminal (stderr); by default they go to"
                            + " vigil-demo.log in the temporary directory")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (accounts < 1 || zones < 0) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--accounts must be ≥ 1 and --zones ≥ 0");
        }
        Duration d = "0s".equals(duration) ? Duration.ZERO : Setting.parseDuration(duration);
        Map<Plan, Duration> iv = new EnumMap<>(Plan.class);
        for (Plan p : Plan.values()) {
            iv.put(p, interval);
        }
        Env env = Env.of(Map.of());
        LocalPipeline.Options o =
                new LocalPipeline.Options(
                                seed,
                                accounts,
                                zones,
                                new PlanIntervals(iv),
                                port,
                                ConfigService.LatencyModel.typical(),
                                rulesDir,
                                WorkerConfig.from(env),
                                SchedulerConfig.from(env))
                        // as each role: the agent's SDK when the JVM runs with one
                        .withTracing(Tracing.global())
                        // alert settings as the api role reads them: VIGIL_ALERT_ALLOWED_HOSTS
                        // lets a local receiver (127.0.0.1) take the demo's webhooks
                        .withAlerts(Env.system());
        return new Demo(o, d, System.out, verbose).run();
    }
}
