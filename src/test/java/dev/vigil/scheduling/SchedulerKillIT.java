package dev.vigil.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.app.Wiring;
import dev.vigil.config.Env;
import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.embedded.EmbeddedPostgres;
import dev.vigil.events.KafkaClients;
import dev.vigil.events.ScanRequestCodec;
import dev.vigil.events.ScanRequestPublisher;
import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.Migrations;
import dev.vigil.inventory.PlanIntervals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The active scheduler is a separate process, killed with SIGKILL: no shutdown hook runs, the lock
 * is released only because its database session ends, and the standby takes over.
 */
class SchedulerKillIT {

    @Test
    void killingTheActiveSchedulerProcessHandsOverWithinTenSeconds() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start();
                EmbeddedKafka kafka = EmbeddedKafka.start();
                KafkaProducer<String, byte[]> producer =
                        KafkaClients.producer(kafka.bootstrapServers(), "kill-test")) {
            Migrations.apply(pg.dataSource());
            Path log =
                    Files.createDirectories(Path.of("target")).resolve("scheduler-kill-child.log");
            ProcessBuilder pb =
                    new ProcessBuilder(
                                    Path.of(System.getProperty("java.home"), "bin", "java")
                                            .toString(),
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    "dev.vigil.Main",
                                    "scheduler")
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile());
            pb.environment()
                    .putAll(
                            Map.of(
                                    "VIGIL_DATABASE_URL", pg.jdbcUrl(),
                                    "VIGIL_DATABASE_USER", pg.user(),
                                    "VIGIL_DATABASE_PASSWORD", pg.password(),
                                    "VIGIL_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                                    "VIGIL_KAFKA_TOPIC_PREFIX", "kill.",
                                    "VIGIL_MANAGEMENT_PORT", "0"));
            Process child = pb.start();
            try {
                Jdbi jdbi = Jdbi.create(pg.dataSource());
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> advisoryLocksHeld(jdbi) == 1 || !child.isAlive());
                assertThat(child.isAlive()).as("child scheduler running; see " + log).isTrue();

                PlanIntervals intervals = PlanIntervals.uniform(Duration.ofHours(1));
                Inventory inventory =
                        Inventory.create(
                                pg.dataSource(), intervals, Clock.systemUTC(), new Random(3));
                ScanRequestPublisher publisher =
                        new ScanRequestPublisher(
                                producer, ScanRequestCodec.create(), "kill.scan-requests");
                try (Scheduler standby =
                        Wiring.scheduler(
                                pg.dataSource(),
                                publisher,
                                inventory,
                                intervals,
                                SchedulerConfig.from(Env.of(Map.of())),
                                Clock.systemUTC())) {
                    await().during(Duration.ofSeconds(3))
                            .atMost(Duration.ofSeconds(30))
                            .until(() -> !standby.isLeader());

                    long killedAt = System.nanoTime();
                    child.destroyForcibly(); // SIGKILL
                    await().atMost(Duration.ofSeconds(10)).until(standby::isLeader);
                    System.out.printf(
                            "standby took over %d ms after the SIGKILL%n",
                            (System.nanoTime() - killedAt) / 1_000_000);
                    assertThat(advisoryLocksHeld(jdbi)).isEqualTo(1);
                }
            } finally {
                child.destroyForcibly();
                child.waitFor();
            }
        }
    }

    private static long advisoryLocksHeld(Jdbi jdbi) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "select count(*) from pg_locks where locktype = 'advisory' and granted")
                                .mapTo(Long.class)
                                .one());
    }
}
