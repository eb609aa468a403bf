package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.inventory.PartitionSettings;
import dev.vigil.inventory.PartitionState;
import dev.vigil.inventory.PartitionedTable;
import dev.vigil.inventory.Partitions;
import dev.vigil.inventory.Retention;
import dev.vigil.results.EpisodeRollups;
import dev.vigil.testing.MovableClock;
import dev.vigil.testing.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Partition upkeep against real PostgreSQL, run as the api role (DML only, as in production), over
 * simulated months of a fake clock. The simulated months lie before the database's own clock, since
 * the database refuses to drop a month that is not past by its clock; each test starts from a
 * schema without partitions before 2026.
 */
class PartitionUpkeepIT {

    private static TestPostgres pg;
    private static DataSource apiRole;

    @BeforeAll
    static void start() {
        pg = TestPostgres.start();
        apiRole = pg.memberOf("vigil_api");
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @BeforeEach
    void dropSimulatedMonths() throws SQLException {
        pg.execute("truncate scans, audit_log");
        for (PartitionedTable t : PartitionedTable.values()) {
            for (String name : partitionNames(t)) {
                if (name.compareTo(t.table() + "_2026") < 0 && !name.endsWith("_default")) {
                    pg.execute("drop table " + name);
                }
            }
        }
    }

    @Test
    void monthAfterMonthPartitionsAreMadeAheadRowsLandInTheirMonthAndExpiredMonthsAreDropped()
            throws SQLException {
        MovableClock clock = new MovableClock(Instant.parse("2021-01-15T12:00:00Z"));
        PartitionSettings settings = settings(2, new Retention(3), new Retention(6));
        Partitions partitions = Partitions.create(apiRole, settings, clock);
        for (int i = 0; i < 14; i++) {
            YearMonth month = YearMonth.of(2021, 1).plusMonths(i);
            clock.set(month.atDay(15).atStartOfDay(ZoneOffset.UTC).toInstant());

            Map<PartitionedTable, PartitionState> states = partitions.upkeep();

            for (PartitionedTable t : PartitionedTable.values()) {
                assertThat(states.get(t).months())
                        .as("%s in %s", t.table(), month)
                        .contains(month, month.plusMonths(1), month.plusMonths(2));
                assertThat(states.get(t).monthsAhead()).isEqualTo(2);
            }
            String at = month.atDay(20).atTime(8, 30) + "Z";
            pg.execute(
                    "insert into scans (scan_id, target_id, account_id, scanned_at, applied_at,"
                            + " rule_set_version, checks_evaluated, checks_errored, findings,"
                            + " opened, resolved, write_path) values (gen_random_uuid(), 't', 'a',"
                            + " '"
                            + at
                            + "', '"
                            + at
                            + "', 'v1', 1, 0, 0, 0, 0, 'unnest')",
                    "insert into audit_log (at, account_id, action, changed_by) values ('"
                            + at
                            + "', 'a', 'opened', 'system')");
            assertThat(partitionOfRowsAt("scans", "applied_at", at))
                    .containsExactly(name("scans", month));
            assertThat(partitionOfRowsAt("audit_log", "at", at))
                    .containsExactly(name("audit_log", month));
            assertThat(rowsInDefaults()).isZero();
        }
        // last simulated month 2022-02: scans keep months ending on or after 2021-11-15, the audit
        // log those ending on or after 2021-08-15
        assertThat(partitions.state(PartitionedTable.SCANS).months())
                .filteredOn(m -> m.getYear() < 2026)
                .first()
                .isEqualTo(YearMonth.of(2021, 11));
        assertThat(partitions.state(PartitionedTable.AUDIT_LOG).months())
                .filteredOn(m -> m.getYear() < 2026)
                .first()
                .isEqualTo(YearMonth.of(2021, 8));
        assertThat(count("scans")).isEqualTo(4); // 2021-11 .. 2022-02
        assertThat(count("audit_log")).isEqualTo(7); // 2021-08 .. 2022-02
    }

    @Test
    void retentionOffDropsNothing() throws SQLException {
        MovableClock clock = new MovableClock(Instant.parse("2020-01-10T00:00:00Z"));
        Partitions partitions =
                Partitions.create(
                        apiRole, settings(1, Retention.KEEP_ALL, Retention.KEEP_ALL), clock);
        partitions.upkeep();
        clock.set(Instant.parse("2023-06-10T00:00:00Z"));
        Map<PartitionedTable, PartitionState> states = partitions.upkeep();

        assertThat(states.get(PartitionedTable.SCANS).dropped()).isEmpty();
        assertThat(states.get(PartitionedTable.SCANS).months())
                .contains(YearMonth.of(2020, 1), YearMonth.of(2020, 2), YearMonth.of(2023, 7));
    }

    @Test
    void twoReplicasRacingMakeEachPartitionOnceAndBothSucceed() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2019-03-01T00:00:00Z"), ZoneId.of("UTC"));
        PartitionSettings settings = settings(6, new Retention(13), new Retention(25));
        CyclicBarrier together = new CyclicBarrier(2);
        List<Future<Map<PartitionedTable, PartitionState>>> runs = new ArrayList<>();
        try (ExecutorService replicas = Executors.newFixedThreadPool(2)) {
            for (int i = 0; i < 2; i++) {
                Partitions replica = Partitions.create(pg.memberOf("vigil_api"), settings, clock);
                runs.add(
                        replicas.submit(
                                () -> {
                                    together.await(10, TimeUnit.SECONDS);
                                    return replica.upkeep();
                                }));
            }
            for (PartitionedTable t : PartitionedTable.values()) {
                List<YearMonth> created = new ArrayList<>();
                for (var run : runs) {
                    created.addAll(run.get(60, TimeUnit.SECONDS).get(t).created());
                }
                assertThat(created)
                        .as(t.table())
                        .containsExactlyInAnyOrderElementsOf(
                                List.of(
                                        YearMonth.of(2019, 3),
                                        YearMonth.of(2019, 4),
                                        YearMonth.of(2019, 5),
                                        YearMonth.of(2019, 6),
                                        YearMonth.of(2019, 7),
                                        YearMonth.of(2019, 8),
                                        YearMonth.of(2019, 9)));
            }
        }
    }

    @Test
    void rowsThatFellIntoTheDefaultAreMovedIntoTheirNewPartition() throws SQLException {
        pg.execute(
                "insert into audit_log (at, account_id, action, changed_by) values"
                        + " ('2018-05-03T00:00:00Z', 'a', 'opened', 'system'),"
                        + " ('2018-05-31T23:59:59Z', 'a', 'resolved', 'system'),"
                        + " ('2018-09-01T00:00:00Z', 'a', 'opened', 'system')");
        pg.execute(
                "insert into scans (scan_id, target_id, account_id, scanned_at, applied_at,"
                        + " rule_set_version, checks_evaluated, checks_errored, findings, opened,"
                        + " resolved, write_path) values (gen_random_uuid(), 't', 'a',"
                        + " '2018-06-30T12:00:00Z', '2018-06-30T12:00:00Z', 'v1', 1, 0, 0, 0, 0,"
                        + " 'copy')");
        assertThat(rowsInDefaults()).isEqualTo(4);
        Clock clock = Clock.fixed(Instant.parse("2018-05-20T00:00:00Z"), ZoneId.of("UTC"));

        PartitionState audit =
                Partitions.create(apiRole, settings(1, new Retention(13), new Retention(25)), clock)
                        .upkeep()
                        .get(PartitionedTable.AUDIT_LOG);

        assertThat(partitionOfRowsAt("audit_log", "at", "2018-05-31T23:59:59Z"))
                .containsExactly("audit_log_201805");
        assertThat(audit.rowsInDefault()).as("September is beyond one month ahead").isEqualTo(1);
        assertThat(partitionOfRowsAt("scans", "applied_at", "2018-06-30T12:00:00Z"))
                .containsExactly("scans_201806");
        assertThat(count("scans_default")).isZero();
        assertThat(count("audit_log")).isEqualTo(3);
    }

    @Test
    void theDatabaseRefusesToDropTheCurrentMonthWhateverTheCallerSays() throws SQLException {
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        try (Connection c = apiRole.getConnection();
                Statement s = c.createStatement()) {
            assertThatThrownBy(
                            () ->
                                    s.execute(
                                            "select vigil_drop_month_partition('scans', '"
                                                    + now.atDay(1)
                                                    + "')"))
                    .hasMessageContaining("is not a past month");
            assertThatThrownBy(
                            () ->
                                    s.execute(
                                            "select vigil_create_month_partition('targets',"
                                                    + " '2019-01-01')"))
                    .hasMessageContaining("\"targets\" is not time-partitioned");
        }
        assertThat(partitionNames(PartitionedTable.SCANS)).contains(name("scans", now));
    }

    @Test
    void gaugesShowMonthsAheadAndRowsInDefaultFromTheScheduledPass() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MovableClock clock = new MovableClock(Instant.parse("2017-02-10T00:00:00Z"));
        PartitionSettings settings = settings(4, new Retention(13), new Retention(25));
        try (PartitionUpkeep upkeep =
                PartitionUpkeep.on(
                        registry,
                        Partitions.create(apiRole, settings, clock),
                        EpisodeRollups.create(apiRole, clock, 24))) {
            assertThat(gauge(registry, "vigil_partitions_ahead", "scans")).isEqualTo(-1);
            upkeep.start(settings);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () -> {
                                assertThat(gauge(registry, "vigil_partitions_ahead", "scans"))
                                        .isEqualTo(4);
                                assertThat(gauge(registry, "vigil_partitions_ahead", "audit_log"))
                                        .isEqualTo(4);
                            });
            assertThat(gauge(registry, "vigil_partition_rows_in_default", "scans")).isZero();

            pg.execute(
                    "insert into audit_log (at, account_id, action, changed_by) values"
                            + " ('2017-12-24T00:00:00Z', 'a', 'opened', 'system')");
            assertThat(upkeep.runOnce()).isTrue();
            assertThat(gauge(registry, "vigil_partition_rows_in_default", "audit_log"))
                    .isEqualTo(1);

            clock.set(Instant.parse("2017-08-02T00:00:00Z"));
            assertThat(upkeep.runOnce()).isTrue();
            assertThat(gauge(registry, "vigil_partition_rows_in_default", "audit_log")).isZero();
        }
    }

    @Test
    void aTableThatFailsKeepsItsLastFiguresAndTheOtherTableStillGetsItsPass() throws SQLException {
        pg.execute("create table audit_log_201603 (stray integer)");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Clock clock = Clock.fixed(Instant.parse("2016-03-05T00:00:00Z"), ZoneId.of("UTC"));
        Partitions partitions =
                Partitions.create(
                        apiRole, settings(2, new Retention(13), new Retention(25)), clock);
        try (PartitionUpkeep upkeep =
                PartitionUpkeep.on(
                        registry, partitions, EpisodeRollups.create(apiRole, clock, 24))) {
            assertThat(upkeep.runOnce()).isFalse();

            assertThat(gauge(registry, "vigil_partitions_ahead", "scans")).isEqualTo(2);
            assertThat(gauge(registry, "vigil_partitions_ahead", "audit_log")).isEqualTo(-1);
            assertThatThrownBy(() -> partitions.upkeep(PartitionedTable.AUDIT_LOG))
                    .hasMessageContaining(
                            "table audit_log_201603 exists but is not a partition of audit_log");
        } finally {
            pg.execute("drop table audit_log_201603");
        }
    }

    private static PartitionSettings settings(int ahead, Retention scans, Retention audit) {
        return new PartitionSettings(
                ahead,
                Duration.ofHours(1),
                Map.of(PartitionedTable.SCANS, scans, PartitionedTable.AUDIT_LOG, audit));
    }

    private static double gauge(SimpleMeterRegistry r, String name, String table) {
        return r.get(name).tag("table", table).gauge().value();
    }

    private static String name(String table, YearMonth m) {
        return "%s_%04d%02d".formatted(table, m.getYear(), m.getMonthValue());
    }

    private static List<String> partitionOfRowsAt(String table, String column, String at)
            throws SQLException {
        return strings(
                "select tableoid::regclass::text as part from "
                        + table
                        + " where "
                        + column
                        + " = '"
                        + at
                        + "'");
    }

    private static List<String> partitionNames(PartitionedTable t) throws SQLException {
        return strings(
                "select c.relname as part from pg_inherits i join pg_class c on c.oid = i.inhrelid"
                        + " where i.inhparent = '"
                        + t.table()
                        + "'::regclass");
    }

    private static long rowsInDefaults() throws SQLException {
        return count("scans_default") + count("audit_log_default");
    }

    private static long count(String table) throws SQLException {
        return Long.parseLong(strings("select count(*)::text as part from " + table).getFirst());
    }

    private static List<String> strings(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = pg.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString("part"));
            }
        }
        return out;
    }
}
