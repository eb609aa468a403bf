package dev.vigil.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.bench.internal.ScheduleReplay;
import dev.vigil.config.Env;
import dev.vigil.embedded.EmbeddedPostgres;
import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.Migrations;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.inventory.TargetImport;
import dev.vigil.results.Database;
import dev.vigil.scheduling.RatePlanner;
import dev.vigil.scheduling.SchedulerConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scenario {@code schedule} (issue 9, point 5): a fleet imported through the real import path
 * ({@link TargetImport} from a CSV file, in batches, into PostgreSQL), then the scheduler's view of
 * it: the computed rate ({@link RatePlanner} on the imported counts per plan), the first due times
 * the import wrote (read back from the database), and the publishing of the longest plan interval
 * replayed on a simulated clock ({@link ScheduleReplay}). The baseline is the same fleet with every
 * target due at import time (no jitter).
 */
public final class ScheduleScenario {

    /**
     * How much to measure.
     *
     * @param targets targets imported: 10 % accounts, 90 % zones; plans 70 % free, 20 % pro, 7 %
     *     business, 3 % enterprise
     * @param batchSize targets per import transaction (as {@code vigil import --batch-size})
     * @param warmUpTargets imported first and deleted again, to warm the JIT and the database
     */
    public record Settings(int targets, int batchSize, int warmUpTargets) {
        public static Settings of(boolean quick) {
            return quick
                    ? new Settings(50_000, 1_000, 5_000)
                    : new Settings(1_000_000, 1_000, 20_000);
        }
    }

    /** What the scenario measured, for the report. */
    record Result(
            int targets,
            double importSeconds,
            Map<Plan, Long> byPlan,
            double rate,
            double buffer,
            Duration horizon,
            ScheduleReplay.Outcome jitter,
            ScheduleReplay.Outcome none) {
        double meanMinute() {
            return rate / buffer * 60;
        }
    }

    private final Settings s;
    private final PrintStream log;

    public ScheduleScenario(Settings settings, PrintStream log) {
        this.s = settings;
        this.log = log;
    }

    /**
     * Runs the scenario.
     *
     * @throws BenchFailedException when the import rejects a line, imports fewer targets than
     *     written, or the database fails
     */
    public ScenarioReport run() {
        Path dir = null;
        try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            Migrations.apply(pg.dataSource());
            dir = Files.createTempDirectory("vigil-bench-schedule");
            PlanIntervals intervals = PlanIntervals.defaults();
            double buffer = SchedulerConfig.from(Env.of(Map.of())).bufferFactor();
            try (HikariDataSource db =
                    Database.pool(
                            pg.jdbcUrl(),
                            pg.user(),
                            pg.password(),
                            4,
                            Duration.ofSeconds(10),
                            Duration.ofMinutes(2))) {
                Inventory inventory =
                        Inventory.create(db, intervals, Clock.systemUTC(), new SecureRandom());
                importFile(inventory, write(dir.resolve("warm-up.csv"), "w", s.warmUpTargets()));
                try (Connection c = db.getConnection()) {
                    c.createStatement().executeUpdate("delete from targets");
                    c.createStatement().execute("vacuum analyze targets");
                }
                Path file = write(dir.resolve("fleet.csv"), "", s.targets());
                log.printf(
                        "bench schedule: importing %,d targets through vigil import…%n",
                        s.targets());
                long importStart = System.currentTimeMillis();
                long t0 = System.nanoTime();
                importFile(inventory, file);
                double seconds = (System.nanoTime() - t0) / 1e9;
                log.printf(
                        "bench schedule: imported in %.1f s (%,.0f targets/s)%n",
                        seconds, s.targets() / seconds);
                Map<Plan, Long> byPlan = inventory.countByPlan();
                double rate = RatePlanner.rate(byPlan, intervals, buffer, 0);
                long[] due = firstDue(db, importStart, s.targets());
                long[] naive = new long[due.length];
                for (int i = 0; i < due.length; i++) {
                    naive[i] = due[i] & 3; // due at import time, same plan
                }
                // one day past the longest interval: the last first-due times fall just inside it
                long horizon = longest(intervals).plusDays(1).toMillis();
                log.printf(
                        "bench schedule: computed rate %.2f scans/s; replaying %d days of publishing…%n",
                        rate, horizon / 86_400_000);
                ScheduleReplay.Outcome jitter = ScheduleReplay.run(due, intervals, rate, horizon);
                ScheduleReplay.Outcome none = ScheduleReplay.run(naive, intervals, rate, horizon);
                return ScheduleReport.of(
                        new Result(
                                s.targets(),
                                seconds,
                                byPlan,
                                rate,
                                buffer,
                                Duration.ofMillis(horizon),
                                jitter,
                                none));
            }
        } catch (IOException e) {
            throw new BenchFailedException("schedule: cannot write the import file: " + e, e);
        } catch (SQLException e) {
            throw new BenchFailedException("schedule: the database failed: " + e, e);
        } catch (BenchFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BenchFailedException("schedule: the system under test failed: " + e, e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private void importFile(Inventory inventory, Path file) {
        List<String> rejected = new ArrayList<>();
        TargetImport.Summary sum =
                TargetImport.into(inventory, s.batchSize(), false)
                        .run(
                                file,
                                TargetImport.Format.CSV,
                                new TargetImport.Listener() {
                                    @Override
                                    public void rejected(TargetImport.Rejection r) {
                                        rejected.add(r.toString());
                                    }

                                    @Override
                                    public void advance(long lines, long bytes, long totalBytes) {}
                                });
        if (!rejected.isEmpty() || sum.created() != sum.read()) {
            throw new BenchFailedException(
                    "schedule: the import of "
                            + file
                            + " did not create every target: "
                            + sum
                            + (rejected.isEmpty()
                                    ? ""
                                    : "; first rejection " + rejected.getFirst()));
        }
    }

    /** A CSV fleet: every tenth target an account, the others zones of the account before them. */
    static Path write(Path file, String prefix, int n) {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("kind,account_id,zone_id,name,plan\n");
            String account = prefix + "a0";
            for (int i = 0; i < n; i++) {
                String plan = plan(i).wire();
                if (i % 10 == 0) {
                    account = prefix + "a" + i;
                    w.write("account," + account + ",," + account + "-org," + plan + "\n");
                } else {
                    String zone = prefix + "z" + i;
                    w.write(
                            "zone,"
                                    + account
                                    + ","
                                    + zone
                                    + ","
                                    + zone
                                    + ".example.net,"
                                    + plan
                                    + "\n");
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e, e);
        }
    }

    static Plan plan(int i) {
        int p = (int) ((i * 2_654_435_761L) % 100);
        return p < 70 ? Plan.FREE : p < 90 ? Plan.PRO : p < 97 ? Plan.BUSINESS : Plan.ENTERPRISE;
    }

    /** Per target, its first due offset from the import's start, {@link ScheduleReplay#pack}ed. */
    private static long[] firstDue(HikariDataSource db, long importStartMillis, int expected)
            throws SQLException {
        long[] out = new long[expected];
        int n = 0;
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false); // a cursor, not a million rows in memory at once
            try (PreparedStatement st =
                    c.prepareStatement(
                            "select (extract(epoch from next_due_at) * 1000)::bigint as due_millis, plan"
                                    + " from targets where deleted_at is null")) {
                st.setFetchSize(10_000);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        if (n == expected) {
                            throw new BenchFailedException(
                                    "schedule: more targets in the database than imported ("
                                            + expected
                                            + ")");
                        }
                        long offset = Math.max(0, rs.getLong("due_millis") - importStartMillis);
                        out[n++] = ScheduleReplay.pack(offset, Plan.parse(rs.getString("plan")));
                    }
                }
            }
            c.commit();
        }
        if (n != expected) {
            throw new BenchFailedException(
                    "schedule: " + n + " targets in the database, " + expected + " imported");
        }
        return out;
    }

    private static Duration longest(PlanIntervals intervals) {
        Duration d = Duration.ZERO;
        for (Plan p : Plan.values()) {
            if (intervals.of(p).compareTo(d) > 0) {
                d = intervals.of(p);
            }
        }
        return d;
    }

    private static void deleteQuietly(@org.jspecify.annotations.Nullable Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary directory left behind is not a benchmark failure
        }
    }
}
