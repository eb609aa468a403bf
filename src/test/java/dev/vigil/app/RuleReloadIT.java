package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.config.Env;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.scheduling.SchedulerConfig;
import dev.vigil.simulate.ConfigService;
import dev.vigil.testing.ZoneOnFreePlanRule;
import dev.vigil.worker.WorkerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running pipeline picks up a changed rule directory without restart, and refuses a broken one.
 */
class RuleReloadIT {
    @Test
    void aRuleAddedToTheWatchedDirectoryIsEnforcedWithoutRestartAndABrokenOneIsRefused(
            @TempDir Path rules) throws Exception {
        Env defaults = Env.of(Map.of());
        try (LocalPipeline p =
                LocalPipeline.start(
                        new LocalPipeline.Options(
                                11L,
                                5,
                                40,
                                PlanIntervals.uniform(Duration.ofSeconds(2)),
                                0,
                                ConfigService.LatencyModel.none(),
                                rules,
                                WorkerConfig.from(defaults),
                                SchedulerConfig.from(defaults)))) {
            await().atMost(Duration.ofMinutes(2))
                    .until(
                            () ->
                                    count(
                                                    p,
                                                    "select count(*) from targets where last_result_at is not null")
                                            == 45);
            assertThat(customInsights(p)).isZero();

            String inForce = p.rules().current().version();

            Files.writeString(rules.resolve("broken.yaml"), ZoneOnFreePlanRule.broken());
            // The watcher's refusal is the event to wait for, not a time: under load a poll may
            // come late, and a fixed pause would then assert before anything was tried.
            await().atMost(Duration.ofMinutes(2))
                    .until(
                            () ->
                                    p.rules()
                                            .lastError()
                                            .filter(e -> e.contains("broken.yaml"))
                                            .filter(e -> e.contains("field 'assert'"))
                                            .isPresent());
            assertThat(p.rules().current().version())
                    .as("a broken rule set is refused; the old one stays")
                    .isEqualTo(inForce);
            // Every target scanned again after the refusal: those scans ran on the set in force.
            OffsetDateTime refused = now(p);
            await().atMost(Duration.ofMinutes(2)).until(() -> scannedSince(p, refused) == 45);
            assertThat(customInsights(p)).as("the broken rule never evaluated").isZero();
            assertThat(p.rules().current().version()).isEqualTo(inForce);

            Files.delete(rules.resolve("broken.yaml"));
            Files.writeString(rules.resolve("custom.yaml"), ZoneOnFreePlanRule.TEXT);
            long freeZones =
                    count(p, "select count(*) from targets where kind = 'zone' and plan = 'free'");
            assertThat(freeZones).isPositive();
            await().atMost(Duration.ofMinutes(2)).until(() -> customInsights(p) == freeZones);
        }
    }

    private static long customInsights(LocalPipeline p) {
        return count(
                p,
                "select count(*) from insights where check_id = 'custom.zone_on_free_plan' and status = 'open'");
    }

    private static OffsetDateTime now(LocalPipeline p) {
        return Jdbi.create(p.database())
                .withHandle(
                        h ->
                                h.createQuery("select clock_timestamp()")
                                        .mapTo(OffsetDateTime.class)
                                        .one());
    }

    private static long scannedSince(LocalPipeline p, OffsetDateTime since) {
        return Jdbi.create(p.database())
                .withHandle(
                        h ->
                                h.createQuery(
                                                "select count(*) from targets where last_result_at > :since")
                                        .bind("since", since)
                                        .mapTo(Long.class)
                                        .one());
    }

    private static long count(LocalPipeline p, String sql) {
        return Jdbi.create(p.database())
                .withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
