package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import dev.vigil.config.Env;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.simulate.ConfigService;
import dev.vigil.worker.WorkerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The demo's start-up block tells a newcomer what they need, and keeps the logs off it. */
class DemoStartupIT {

    @AfterAll
    static void restoreLogging() throws Exception {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        new ContextInitializer(ctx).autoConfig();
    }

    @Test
    void theStartupBlockPrintsTheDatabaseAndAnExportLineAndTheLogsGoToAFile() throws Exception {
        Env defaults = Env.of(Map.of());
        LocalPipeline.Options o =
                new LocalPipeline.Options(
                        7L,
                        2,
                        10,
                        PlanIntervals.uniform(Duration.ofSeconds(5)),
                        0,
                        ConfigService.LatencyModel.none(),
                        null,
                        WorkerConfig.from(defaults),
                        SchedulerConfig.from(defaults));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        new Demo(o, Duration.ofSeconds(6), new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .run();

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out)
                .containsPattern("  database   jdbc:postgresql://127\\.0\\.0\\.1:\\d+/postgres")
                .containsPattern(
                        "  env        export VIGIL_DATABASE_URL='jdbc:postgresql://127\\.0\\.0\\.1:\\d+/postgres'"
                                + " VIGIL_DATABASE_USER=postgres VIGIL_DATABASE_PASSWORD=postgres")
                .contains("  logs       " + DemoLogs.FILE)
                .contains("vigil demo: planted=")
                .doesNotContain("{\"@timestamp\"");
        assertThat(Files.readString(DemoLogs.FILE)).contains("{\"@timestamp\"");
    }
}
