package dev.vigil.bench.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.api.ApiServer;
import dev.vigil.api.ApiSettings;
import dev.vigil.app.Wiring;
import dev.vigil.embedded.EmbeddedPostgres;
import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.Migrations;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.inventory.Target;
import dev.vigil.results.Database;
import dev.vigil.results.NaiveResultWriter;
import dev.vigil.results.ResultFinding;
import dev.vigil.results.ResultWriter;
import dev.vigil.results.ResultsClient;
import dev.vigil.results.ScanResult;
import dev.vigil.results.WriteOutcome;
import dev.vigil.tokens.ApiTokens;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * Everything the {@code write} scenario measures, on one embedded PostgreSQL: three API servers
 * that differ only in their unnest threshold (the default, never COPY, always COPY), the per-row
 * writer, direct writers for the crossover, and raw COPY. Each {@link #time} call writes one result
 * to a fresh target (so every finding is an insert), checks afterwards that every row arrived, and
 * returns the seconds the write took; {@link #timeRescan} times a direct writer's steady rescan.
 * Not thread-safe.
 */
public final class WriteRig implements AutoCloseable {

    /** How a result is written. */
    public enum Method {
        HYBRID,
        UNNEST,
        COPY,
        NAIVE,
        RAW_INDEXED,
        /** Raw COPY into {@code insights}, then one audit row per row, in one transaction. */
        RAW_AUDITED,
        RAW_BARE,
        DIRECT_UNNEST,
        DIRECT_COPY
    }

    private final List<AutoCloseable> owned = new ArrayList<>();
    private final HikariDataSource db;
    private final Inventory inventory;
    private final ResultsClient hybrid;
    private final ResultsClient unnest;
    private final ResultsClient copy;
    private final NaiveResultWriter naive;
    private final ResultWriter directUnnest;
    private final ResultWriter directCopy;
    private long seq;
    private final SteadyWrites steady;
    private final @Nullable ProcessHandle postmaster;
    private Cpu lastCpu = new Cpu(0, 0, 0, StatementTimes.Split.NONE);

    /**
     * The CPU time a write took: PostgreSQL's (every server process) and this JVM's (the client,
     * the API and the writer), over its wall time; and the server's time in its statements.
     */
    public record Cpu(
            double seconds,
            double postgresSeconds,
            double jvmSeconds,
            StatementTimes.Split statements) {
        public double postgresCores() {
            return postgresSeconds / seconds;
        }

        public double jvmCores() {
            return jvmSeconds / seconds;
        }
    }

    public WriteRig() throws SQLException {
        EmbeddedPostgres pg = own(EmbeddedPostgres.start());
        // The server keeps up to 2 GB of WAL segments for reuse (default: 80 MB at least, and
        // after each checkpoint about twice the WAL of recent checkpoint cycles). The rig
        // checkpoints before every large call, so after the 100,000-finding calls the first
        // 500,000-finding calls had to create and zero-fill most of their ~0.8 GB of WAL, and
        // whichever way ran then was 1.1-1.4 s slower (3 segments grew to 53 in one call). Kept,
        // every way writes into recycled segments, as a server under steady load does.
        try (Connection c = pg.dataSource().getConnection();
                Statement st = c.createStatement()) {
            st.execute("alter system set min_wal_size = '2GB'");
        }
        StatementTimes.load(pg);
        Migrations.apply(pg.dataSource());
        db =
                own(
                        Database.pool(
                                pg.jdbcUrl(),
                                pg.user(),
                                pg.password(),
                                8,
                                Duration.ofSeconds(30),
                                Duration.ofMinutes(10)));
        RawCopy.createBareTable(db);
        inventory =
                Inventory.create(db, PlanIntervals.defaults(), Clock.systemUTC(), new Random(7));
        String token = ApiTokens.create(db).issueService("bench");
        hybrid = client(ResultWriter.DEFAULT_UNNEST_THRESHOLD, token);
        unnest = client(Integer.MAX_VALUE, token);
        copy = client(0, token);
        naive = NaiveResultWriter.create(db);
        directUnnest =
                ResultWriter.create(db, Integer.MAX_VALUE, ResultWriter.DEFAULT_MAX_FINDINGS);
        directCopy = ResultWriter.create(db, 0, ResultWriter.DEFAULT_MAX_FINDINGS);
        steady = new SteadyWrites(this);
        postmaster = ProcessStats.postmaster(db);
    }

    /** The CPU time of the last {@link #time} call's write. */
    public Cpu lastCpu() {
        return lastCpu;
    }

    private ResultsClient client(int threshold, String token) {
        ApiServer api =
                own(
                        Wiring.api(
                                ApiServer.Options.of(
                                        new ApiSettings(
                                                ApiSettings.DEFAULT_HOST,
                                                0,
                                                ResultWriter.DEFAULT_MAX_FINDINGS,
                                                threshold),
                                        db),
                                null));
        return own(ResultsClient.create(api.baseUrl(), token, Duration.ofMinutes(10)));
    }

    /**
     * Steady rescans on this rig's database and API; one for the rig, so that each of its
     * measurements gets targets no earlier one wrote.
     */
    public SteadyWrites steady() {
        return steady;
    }

    HikariDataSource database() {
        return db;
    }

    Inventory inventory() {
        return inventory;
    }

    ResultsClient hybridClient() {
        return hybrid;
    }

    NaiveResultWriter naiveWriter() {
        return naive;
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    /**
     * Empties the insight, scan and audit tables, then checkpoints: each large call starts alike.
     */
    public void reset() throws SQLException {
        try (Connection c = db.getConnection();
                Statement st = c.createStatement()) {
            st.execute(
                    "truncate insights, insight_episodes, audit_log, scans, insight_staging,"
                            + " insight_event_outbox, "
                            + RawCopy.BARE_TABLE);
            st.execute("checkpoint");
        }
    }

    /**
     * Turns the insight-event outbox on or off, as the api role does at start for {@code
     * VIGIL_INSIGHT_EVENTS}: off, the audit trigger queues no row.
     */
    public void insightEvents(boolean on) throws SQLException {
        try (Connection c = db.getConnection();
                Statement st = c.createStatement()) {
            st.execute("update insight_event_switch set enabled = " + on);
        }
    }

    /** Writes {@code rows} as one result of a fresh target; returns the seconds the write took. */
    public double time(Method m, List<ResultFinding> rows) throws SQLException {
        ScanResult r = result(freshTarget(), rows);
        String account = r.accountId();
        String zone = r.targetId();
        StatementTimes.reset(db);
        ProcessStats before = ProcessStats.now(postmaster);
        long t0 = System.nanoTime();
        String table = "insights";
        switch (m) {
            case HYBRID -> hybrid.submit(r);
            case UNNEST -> unnest.submit(r);
            case COPY -> copy.submit(r);
            case NAIVE -> applied(naive.apply(r), m);
            case DIRECT_UNNEST -> applied(directUnnest.apply(r), m);
            case DIRECT_COPY -> applied(directCopy.apply(r), m);
            case RAW_INDEXED -> RawCopy.copy(db, table, account, zone, rows);
            case RAW_AUDITED -> RawCopy.copyAudited(db, account, zone, rows);
            case RAW_BARE -> {
                table = RawCopy.BARE_TABLE;
                RawCopy.copy(db, table, account, zone, rows);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ProcessStats after = ProcessStats.now(postmaster);
        lastCpu =
                new Cpu(
                        seconds,
                        (after.childrenCpu().toNanos() - before.childrenCpu().toNanos()) / 1e9,
                        (after.jvmCpu().toNanos() - before.jvmCpu().toNanos()) / 1e9,
                        StatementTimes.read(db));
        long stored = count(table, account);
        if (stored != rows.size()) {
            throw new IllegalStateException(
                    m + " stored " + stored + " of " + rows.size() + " rows for " + account);
        }
        return seconds;
    }

    /**
     * Writes {@code rows} as one result of a fresh target with {@code m} (a direct writer), then
     * the same findings again as the target's next scan; returns the seconds the second write took:
     * a steady rescan, every finding already an open insight.
     *
     * <p>The insights are analyzed between the two, untimed, as autovacuum keeps them analyzed in a
     * running system. Without it the rescan is planned from statistics taken when the table was
     * empty (the rig truncates it), and the small-result path's per-finding probe may then take any
     * index led by account_id and filter the whole account by the rest: quadratic in the findings,
     * 14 s for 10,000 in one quick run, against 0.13 s once analyzed.
     */
    public double timeRescan(Method m, List<ResultFinding> rows) throws SQLException {
        ResultWriter writer =
                switch (m) {
                    case DIRECT_UNNEST -> directUnnest;
                    case DIRECT_COPY -> directCopy;
                    default -> throw new IllegalArgumentException("no rescan by " + m);
                };
        ScanResult first = result(freshTarget(), rows);
        applied(writer.apply(first), m);
        try (Connection c = db.getConnection();
                Statement st = c.createStatement()) {
            st.execute("analyze insights");
        }
        ScanResult again = result(first.targetId(), rows);
        long t0 = System.nanoTime();
        WriteOutcome o = writer.apply(again);
        double seconds = (System.nanoTime() - t0) / 1e9;
        applied(o, m);
        if (o.opened() != 0 || o.resolved() != 0) {
            throw new IllegalStateException(m + " changed insights on a steady rescan: " + o);
        }
        return seconds;
    }

    /** A new zone target of its own account; answers its id (the zone's). */
    private String freshTarget() {
        long n = ++seq;
        String zone = "bench-zone-" + n;
        inventory.upsert(
                List.of(
                        Target.zone(
                                zone, "bench-acct-" + n, "z" + n + ".bench.example", Plan.PRO)));
        return zone;
    }

    /** A scan of {@code zone} (made by {@link #freshTarget}) now that found {@code rows}. */
    private static ScanResult result(String zone, List<ResultFinding> rows) {
        return SteadyWrites.result(
                zone.replace("bench-zone-", "bench-acct-"), zone, Instant.now(), rows);
    }

    private static void applied(WriteOutcome o, Method m) {
        if (!o.applied()) {
            throw new IllegalStateException(m + " ignored a fresh result: " + o);
        }
    }

    private long count(String table, String account) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "select count(*) as n from " + table + " where account_id = ?")) {
            ps.setString(1, account);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong("n");
            }
        }
    }

    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                // best effort: the rest still gets closed
            }
        }
    }
}
