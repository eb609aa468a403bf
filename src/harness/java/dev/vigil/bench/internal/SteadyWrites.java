package dev.vigil.bench.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetKind;
import dev.vigil.results.PermanentResultsException;
import dev.vigil.results.ResultFinding;
import dev.vigil.results.ScanResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What steady scans cost the database (issue 20, point 2): targets whose findings do not change are
 * rescanned, and the WAL written and the insight rows rewritten (each leaves a dead tuple) are
 * measured per 1,000 scans, for Vigil's batched calls, Vigil's one call per scan, and the per-row
 * writer, which rewrites every present finding as every path did before issue 20 (an upsert's
 * {@code ON CONFLICT DO UPDATE}). Each way gets an account and targets of its own: when they shared
 * them, a way's first scans could be older than the previous way's last ones and be ignored as
 * overtaken, so its insights opened inside the measured window (29,900 of them, 52 MB of WAL,
 * whenever the preceding way ran in under 2.5 s). Not thread-safe.
 */
public final class SteadyWrites {

    /** How the steady scans are sent, to how many targets, with how many findings each. */
    public enum Way {
        BATCHED("Vigil, results in batches of 100", TARGETS, FINDINGS),
        PER_SCAN("Vigil, one results call per scan", TARGETS, FINDINGS),
        /** Over the unnest threshold (2,000): the API writes these through COPY and staging. */
        LARGE("Vigil, one results call per scan of 3,000 findings (COPY path)", 10, 3_000),
        PER_ROW("per-row upsert (rewrites every finding, as before issue 20)", TARGETS, FINDINGS);

        public final String label;
        public final int targets;
        public final int findings;

        Way(String label, int targets, int findings) {
            this.label = label;
            this.targets = targets;
            this.findings = findings;
        }
    }

    /** The cost of 1,000 steady scans of one way. */
    public record Cost(Way way, int scans, double walBytesPer1000, double rewritesPer1000) {}

    /** Targets rescanned, and findings of each. */
    public static final int TARGETS = 100;

    public static final int FINDINGS = 10;

    private final WriteRig rig;
    private long seq;

    SteadyWrites(WriteRig rig) {
        this.rig = rig;
    }

    /**
     * Creates the way's fresh targets with its findings each (their first scan), rescans each once
     * unmeasured, then {@code rounds} times with the same findings, measuring those rescans.
     */
    public Cost measure(Way way, int rounds) throws SQLException {
        int targets = way.targets, findings = way.findings;
        List<ScanResult> first = new ArrayList<>();
        List<String> zones = new ArrayList<>();
        seq++;
        String account = "steady-" + way.name().toLowerCase(Locale.ROOT) + "-" + seq;
        for (int t = 0; t < targets; t++) {
            String zone = account + "-zone-" + t;
            zones.add(zone);
            rig.inventory()
                    .upsert(List.of(Target.zone(zone, account, zone + ".example", Plan.PRO)));
        }
        List<ResultFinding> rows = BenchFindings.of(findings);
        Instant t0 = Instant.now().minusSeconds(3_600);
        for (String zone : zones) {
            first.add(result(account, zone, t0, rows));
        }
        send(Way.BATCHED, first);
        // one unmeasured rescan through the way itself, so that the window holds only rescans
        // of the way after its own first call (an earlier reason given here, full-page images
        // after a checkpoint, does not apply: the embedded server runs with full_page_writes off)
        List<ScanResult> warm = new ArrayList<>();
        for (String zone : zones) {
            warm.add(result(account, zone, t0.plusMillis(500), rows));
        }
        send(way, warm);
        // untimed: what autovacuum would otherwise do in some later window is done before this
        // one opens (after the large calls, a full run once charged the COPY way's 100 scans 12
        // MiB of WAL per 1,000 with nothing rewritten)
        DatabaseActivity.vacuumAll(rig.database());
        long updatesBefore = flushedUpdates();
        long insights = (long) targets * findings;
        requireOpen(account, insights, "before its measured rescans");
        long walBefore = lsn();
        for (int round = 1; round <= rounds; round++) {
            List<ScanResult> scans = new ArrayList<>();
            for (String zone : zones) {
                scans.add(result(account, zone, t0.plusSeconds(round), rows));
            }
            send(way, scans);
        }
        long wal = lsn() - walBefore;
        long updates = flushedUpdates() - updatesBefore;
        requireOpen(account, insights, "after its measured rescans");
        int scans = targets * rounds;
        return new Cost(way, scans, wal * 1000.0 / scans, updates * 1000.0 / scans);
    }

    private void send(Way way, List<ScanResult> scans) {
        switch (way) {
            case BATCHED -> {
                for (int i = 0; i < scans.size(); i += 100) {
                    List<@Nullable PermanentResultsException> out =
                            rig.hybridClient()
                                    .submitAll(scans.subList(i, Math.min(scans.size(), i + 100)));
                    for (PermanentResultsException e : out) {
                        if (e != null) {
                            throw e;
                        }
                    }
                }
            }
            case PER_SCAN, LARGE -> scans.forEach(rig.hybridClient()::submit);
            case PER_ROW -> scans.forEach(r -> rig.naiveWriter().apply(r));
        }
    }

    /** A scan of {@code zone} of {@code account} at {@code at} that found {@code rows}. */
    static ScanResult result(String account, String zone, Instant at, List<ResultFinding> rows) {
        return new ScanResult(
                UUID.randomUUID(),
                zone,
                TargetKind.ZONE,
                account,
                zone,
                at,
                "bench-1",
                BenchFindings.CHECKS,
                List.of(),
                rows);
    }

    /**
     * The WAL insert position: every record generated so far. Not {@code pg_current_wal_lsn()}, the
     * write position, which with the embedded server's {@code synchronous_commit = off} trails by
     * up to the WAL writer's delay: read right after a short round, it had not moved at all (the
     * quick run's batched rescans once showed 0.0 KiB per 1,000 scans).
     */
    private long lsn() throws SQLException {
        return one("select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint");
    }

    /**
     * Rows updated in the insights tables so far, every write of this rig counted. A backend keeps
     * its table statistics to itself until it flushes them, at most once a second and otherwise
     * when it has been idle for 10 s, so the counter read right after a round trails it. Every
     * connection of the rig's pool (through which the API, the per-row writer and the inventory
     * write) is therefore borrowed at once and asked to flush on its next idle moment ({@code
     * pg_stat_force_next_flush()}, PostgreSQL 15+): a backend flushes before it tells the client it
     * is ready for the next query, so once each has answered, its counts are in the shared counter.
     */
    private long flushedUpdates() throws SQLException {
        HikariDataSource db = rig.database();
        HikariPoolMXBean pool = db.getHikariPoolMXBean();
        int open = pool == null ? db.getMaximumPoolSize() : pool.getTotalConnections();
        List<Connection> held = new ArrayList<>(open);
        try {
            for (int i = 0; i < open; i++) {
                Connection c = db.getConnection();
                held.add(c);
                try (Statement st = c.createStatement()) {
                    st.execute("select pg_stat_force_next_flush()");
                }
                if (!c.getAutoCommit()) {
                    c.commit(); // a backend flushes only outside a transaction
                }
            }
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        return one(
                "select coalesce(sum(n_tup_upd), 0)::bigint from pg_stat_user_tables"
                        + " where relname like 'insights_p%'");
    }

    /**
     * Fails the scenario unless {@code account} has exactly {@code expected} insights, all open: a
     * steady window must start with every finding stored and must open or resolve nothing.
     */
    private void requireOpen(String account, long expected, String when) throws SQLException {
        try (Connection c = rig.database().getConnection();
                PreparedStatement st =
                        c.prepareStatement(
                                "select count(*) filter (where status = 'open'), count(*)"
                                        + " from insights where account_id = ?")) {
            st.setString(1, account);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                long open = rs.getLong(1), all = rs.getLong(2);
                if (open != expected || all != expected) {
                    throw new IllegalStateException(
                            String.format(
                                    "steady account %s %s: %,d insights (%,d open), expected %,d"
                                            + " open",
                                    account, when, all, open, expected));
                }
            }
        }
    }

    private long one(String sql) throws SQLException {
        try (Connection c = rig.database().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
