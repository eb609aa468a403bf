package dev.vigil.results;

import java.sql.Date;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Keeps the monthly rollups of resolved episodes (V14__episode_rollups.sql) that MTTR and SLA
 * attainment read for closed months: rolls up each closed month of the last {@code monthsBack}
 * once, then recomputes the (account, month) pairs a later change noted dirty. Months are UTC
 * months of {@code clock}; the month in progress is never rolled up.
 *
 * <p>Rolling a month takes two transactions: the first records it under a share row exclusive lock
 * on {@code insight_episodes} (waiting for the writers in flight, holding new ones back for the
 * moment of one insert; at most {@link #LOCK_TIMEOUT}, else the pass fails and the next retries),
 * so every later change to an episode resolved in it leaves a dirty note; the second computes the
 * rollup and marks the month ready. Readers use ready months only, so a pass cut between the two
 * costs nothing but speed, and the next pass redoes the month. An advisory lock makes concurrent
 * passes (two api replicas) take turns; each recomputation runs in one repeatable-read snapshot, so
 * it covers exactly the changes whose dirty notes it deletes.
 *
 * <p>Thread-safe: all state is in the database.
 */
public final class EpisodeRollups {

    /** What one pass did. */
    public record Pass(List<YearMonth> rolled, int recomputed) {
        public Pass {
            rolled = List.copyOf(rolled);
        }
    }

    /** Default reach: two years of closed months, the history views' longest useful range. */
    public static final int DEFAULT_MONTHS_BACK = 24;

    /** How long recording a month may wait for the writers in flight. */
    static final String LOCK_TIMEOUT = "10s";

    /**
     * Dirty pairs recomputed per pass; the rest wait for the next (readers stay exact meanwhile).
     */
    private static final int DIRTY_PER_PASS = 2_000;

    private static final long ADVISORY_KEY = 0x7669_6769_6c52_6f6cL;

    private static final String AGGREGATE =
            "insert into episode_rollups (account_id, month, severity, dismissed, upper_s,"
                    + " resolved, sum_seconds)"
                    + " select account_id, :month, severity, dismissed,"
                    + " vigil_episode_bucket(opened_at, resolved_at), count(*),"
                    + " sum(extract(epoch from (resolved_at - opened_at)))::float8"
                    + " from insight_episodes"
                    + " where resolved_at >= :start and resolved_at < :end";

    private static final String GROUP = " group by account_id, severity, dismissed, 5";

    private final Jdbi jdbi;
    private final Clock clock;
    private final int monthsBack;

    private EpisodeRollups(Jdbi jdbi, Clock clock, int monthsBack) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.monthsBack = monthsBack;
    }

    /** Rollups over {@code ds}, rolling up the {@code monthsBack} closed months before now. */
    public static EpisodeRollups create(DataSource ds, Clock clock, int monthsBack) {
        if (monthsBack < 1) {
            throw new IllegalArgumentException("monthsBack must be at least 1: " + monthsBack);
        }
        return new EpisodeRollups(Jdbi.create(ds), clock, monthsBack);
    }

    /**
     * One pass: rolls up the closed months not yet ready (oldest first), then recomputes up to
     * {@value #DIRTY_PER_PASS} dirty (account, month) pairs and drops their notes.
     *
     * @throws org.jdbi.v3.core.JdbiException when the database refuses or cannot be reached; the
     *     months rolled up before stay rolled up
     */
    public Pass refresh() {
        YearMonth current = YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC));
        Set<YearMonth> ready = readyMonths();
        List<YearMonth> rolled = new ArrayList<>();
        for (int back = monthsBack; back >= 1; back--) {
            YearMonth m = current.minusMonths(back);
            if (!ready.contains(m)) {
                roll(m);
                rolled.add(m);
            }
        }
        return new Pass(rolled, recomputeDirty());
    }

    private Set<YearMonth> readyMonths() {
        Set<YearMonth> out = new HashSet<>();
        jdbi.useHandle(
                h ->
                        h.createQuery("select month from episode_rollup_months where ready")
                                .mapTo(LocalDate.class)
                                .forEach(d -> out.add(YearMonth.from(d))));
        return out;
    }

    private void roll(YearMonth m) {
        exclusively(
                TransactionIsolationLevel.READ_COMMITTED,
                h -> {
                    h.execute("set local lock_timeout = '" + LOCK_TIMEOUT + "'");
                    h.execute("lock table insight_episodes in share row exclusive mode");
                    h.createUpdate(
                                    "insert into episode_rollup_months (month) values (:month)"
                                            + " on conflict (month) do nothing")
                            .bind("month", Date.valueOf(m.atDay(1)))
                            .execute();
                });
        // one snapshot: the rollup covers exactly the changes whose notes it deletes
        exclusively(
                TransactionIsolationLevel.REPEATABLE_READ,
                h -> {
                    Date month = Date.valueOf(m.atDay(1));
                    h.createUpdate("delete from episode_rollups where month = :month")
                            .bind("month", month)
                            .execute();
                    bindMonth(h.createUpdate(AGGREGATE + GROUP), m).execute();
                    h.createUpdate("delete from episode_rollup_dirty where month = :month")
                            .bind("month", month)
                            .execute();
                    h.createUpdate(
                                    "update episode_rollup_months set ready = true,"
                                            + " rolled_at = now() where month = :month")
                            .bind("month", month)
                            .execute();
                });
    }

    private int recomputeDirty() {
        record Dirty(String account, LocalDate month) {}
        List<Dirty> dirty =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "select account_id, month from"
                                                        + " episode_rollup_dirty group by 1, 2"
                                                        + " order by min(note_id) limit "
                                                        + DIRTY_PER_PASS)
                                        .map(
                                                (rs, c) ->
                                                        new Dirty(
                                                                rs.getString(1),
                                                                rs.getObject(2, LocalDate.class)))
                                        .list());
        for (Dirty d : dirty) {
            exclusively(
                    TransactionIsolationLevel.REPEATABLE_READ,
                    h -> {
                        Date month = Date.valueOf(d.month());
                        h.createUpdate(
                                        "delete from episode_rollups where account_id = :account"
                                                + " and month = :month")
                                .bind("account", d.account())
                                .bind("month", month)
                                .execute();
                        bindMonth(
                                        h.createUpdate(
                                                AGGREGATE + " and account_id = :account" + GROUP),
                                        YearMonth.from(d.month()))
                                .bind("account", d.account())
                                .execute();
                        h.createUpdate(
                                        "delete from episode_rollup_dirty where account_id ="
                                                + " :account and month = :month")
                                .bind("account", d.account())
                                .bind("month", month)
                                .execute();
                    });
        }
        return dirty.size();
    }

    private static <T extends org.jdbi.v3.core.statement.SqlStatement<T>> T bindMonth(
            T statement, YearMonth m) {
        return statement
                .bind("month", Date.valueOf(m.atDay(1)))
                .bind("start", m.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC))
                .bind("end", m.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC));
    }

    /**
     * Runs {@code work} in one transaction at {@code isolation}, holding the rollups' advisory lock
     * from before the transaction's snapshot is taken (a session lock, released after the commit),
     * so a repeatable-read snapshot always sees what the previous holder committed.
     */
    private void exclusively(
            TransactionIsolationLevel isolation, HandleConsumer<RuntimeException> work) {
        jdbi.useHandle(
                h -> {
                    h.execute("select pg_advisory_lock(?)", ADVISORY_KEY);
                    try {
                        h.useTransaction(isolation, work);
                    } finally {
                        h.execute("select pg_advisory_unlock(?)", ADVISORY_KEY);
                    }
                });
    }
}
