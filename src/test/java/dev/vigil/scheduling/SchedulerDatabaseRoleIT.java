package dev.vigil.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.events.ScanRequestCodec;
import dev.vigil.events.ScanRequestPublisher;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scheduler connected as a member of {@code vigil_scheduler} (V6__roles.sql): it claims due
 * targets, and touches nothing else.
 */
class SchedulerDatabaseRoleIT {

    static TestPostgres pg;
    static DataSource scheduler;

    @BeforeAll
    static void start() {
        pg = TestPostgres.start();
        pg.zoneTarget("acc1", "zone1");
        pg.zoneTarget("acc1", "zone2");
        scheduler = pg.memberOf("vigil_scheduler");
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void schedulerRoleClaimsDueTargets() {
        MockProducer<String, byte[]> producer =
                new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        DueClaimer claimer =
                new DueClaimer(
                        scheduler,
                        new ScanRequestPublisher(producer, ScanRequestCodec.create(), "t"),
                        PlanIntervals.uniform(Duration.ofHours(1)),
                        new LaneClassifier(5_000, Duration.ofSeconds(2)),
                        Clock.systemUTC());

        assertThat(claimer.claimAndPublish(10)).isEqualTo(2);
        assertThat(producer.history()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "select count(*) from insights",
                "update insights set status = 'resolved'",
                "select count(*) from scans",
                "insert into audit_log (account_id) values ('x')",
                "select count(*) from api_tokens",
                "select count(*) from config_snapshots",
                "delete from targets",
                "insert into targets (target_id) values ('x')",
                "create table sneaky (x int)",
                "drop table targets"
            })
    void schedulerRoleTouchesNothingButTargetsDueTimes(String sql) throws SQLException {
        try (Connection c = scheduler.getConnection();
                Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(sql))
                    .isInstanceOf(SQLException.class)
                    .satisfies(
                            e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
    }
}
