package dev.vigil.inventory;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The targets Vigil scans, in PostgreSQL. A target added without a scan history gets its first due
 * time drawn uniformly inside its plan's interval, so importing a million targets spreads their
 * first scans over the interval instead of firing them all at once. Zones get their own draw,
 * independent of their account.
 *
 * <p>Thread-safe: all state is in the database.
 */
public final class Inventory {
    private final Jdbi jdbi;
    private final PlanIntervals intervals;
    private final Clock clock;
    private final RandomGenerator random;

    private Inventory(Jdbi jdbi, PlanIntervals intervals, Clock clock, RandomGenerator random) {
        this.jdbi = jdbi;
        this.intervals = intervals;
        this.clock = clock;
        this.random = random;
    }

    public static Inventory create(
            DataSource ds, PlanIntervals intervals, Clock clock, RandomGenerator random) {
        Jdbi jdbi = Jdbi.create(ds);
        jdbi.registerArrayType(Timestamp.class, "timestamptz");
        return new Inventory(jdbi, intervals, clock, random);
    }

    /**
     * Adds targets or updates their name and plan. Existing targets keep their schedule, kind and
     * account; a deleted target that is added again is revived with a fresh first-due draw and the
     * new line's kind and account.
     *
     * @return how many targets were new
     */
    public int upsert(List<Target> targets) {
        if (targets.isEmpty()) {
            return 0;
        }
        int n = targets.size();
        String[] ids = new String[n];
        String[] kinds = new String[n];
        String[] accounts = new String[n];
        @Nullable String[] zones = new String[n];
        String[] names = new String[n];
        String[] plans = new String[n];
        Timestamp[] due = new Timestamp[n];
        Instant now = clock.instant();
        for (int i = 0; i < n; i++) {
            Target t = targets.get(i);
            ids[i] = t.targetId();
            kinds[i] = t.kind().wire();
            accounts[i] = t.accountId();
            zones[i] = t.zoneId();
            names[i] = t.name();
            plans[i] = t.plan().wire();
            due[i] = Timestamp.from(firstDue(now, intervals.of(t.plan())));
        }
        return jdbi.withHandle(
                h ->
                        h
                                .createQuery(
                                        """
                                        insert into targets (target_id, kind, account_id, zone_id, name, plan, next_due_at)
                                        select * from unnest(:ids::text[], :kinds::text[], :accounts::text[], :zones::text[],
                                                            :names::text[], :plans::text[], :due::timestamptz[])
                                        on conflict (target_id) do update
                                           set name = excluded.name, plan = excluded.plan,
                                               kind = case when targets.deleted_at is null
                                                           then targets.kind else excluded.kind end,
                                               account_id = case when targets.deleted_at is null
                                                                 then targets.account_id else excluded.account_id end,
                                               zone_id = case when targets.deleted_at is null
                                                              then targets.zone_id else excluded.zone_id end,
                                               next_due_at = case when targets.deleted_at is null
                                                                  then targets.next_due_at else excluded.next_due_at end,
                                               deleted_at = null
                                        returning (xmax = 0) as inserted
                                        """)
                                .bind("ids", ids)
                                .bind("kinds", kinds)
                                .bind("accounts", accounts)
                                .bind("zones", zones)
                                .bind("names", names)
                                .bind("plans", plans)
                                .bind("due", due)
                                .mapTo(Boolean.class)
                                .list()
                                .stream()
                                .mapToInt(b -> b ? 1 : 0)
                                .sum());
    }

    private Instant firstDue(Instant now, Duration interval) {
        return firstDue(now, interval, random);
    }

    /**
     * The first-due jitter: a time drawn uniformly in {@code [now, now + interval)}, to the
     * millisecond. Public so the spread of a large import can be checked without a database.
     */
    public static Instant firstDue(Instant now, Duration interval, RandomGenerator random) {
        long span = Math.max(1, interval.toMillis());
        return now.plusMillis(random.nextLong(span));
    }

    public Optional<Target> find(String targetId) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        """
                                        select target_id, kind, account_id, zone_id, name, plan
                                          from targets where target_id = :id and deleted_at is null
                                        """)
                                .bind("id", targetId)
                                .map((rs, ctx) -> TargetRows.target(rs))
                                .findOne());
    }

    /**
     * How many of {@code targetIds} have a row, deleted or not: the ones {@link #upsert} would not
     * count as new.
     */
    public int countKnown(java.util.Collection<String> targetIds) {
        if (targetIds.isEmpty()) {
            return 0;
        }
        return jdbi.withHandle(
                h ->
                        h.createQuery("select count(*) from targets where target_id = any(:ids)")
                                .bind("ids", targetIds.toArray(String[]::new))
                                .mapTo(Integer.class)
                                .one());
    }

    /** Live targets per plan: the input of the scheduler's rate. */
    public java.util.Map<Plan, Long> countByPlan() {
        record PlanCount(Plan plan, long targets) {}
        java.util.Map<Plan, Long> out = new java.util.EnumMap<>(Plan.class);
        for (Plan p : Plan.values()) {
            out.put(p, 0L);
        }
        jdbi.useHandle(
                h ->
                        h.createQuery(
                                        """
                                        select plan, count(*) as target_count from targets
                                         where deleted_at is null group by plan
                                        """)
                                .map(
                                        (rs, ctx) ->
                                                new PlanCount(
                                                        Plan.parse(rs.getString("plan")),
                                                        rs.getLong("target_count")))
                                .forEach(c -> out.put(c.plan(), c.targets())));
        return out;
    }

    /**
     * A live target with the figures the lane classifier reads.
     *
     * @param scanDurationMs the smoothed duration of its scans; null when never scanned (not 0)
     */
    public record Classifiable(Target target, int assetCount, @Nullable Double scanDurationMs) {}

    /**
     * The live targets of an account (the account and its zones), or only zone {@code zoneId} of it
     * when not null, accounts first, by id.
     */
    public List<Classifiable> classifiable(String accountId, @Nullable String zoneId) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        """
                                        select target_id, kind, account_id, zone_id, name, plan,
                                               asset_count, scan_duration_ms
                                          from targets
                                         where account_id = :account and deleted_at is null
                                           and (cast(:zone as text) is null or zone_id = :zone)
                                         order by kind, target_id
                                        """)
                                .bind("account", accountId)
                                .bind("zone", zoneId)
                                .map(
                                        (rs, ctx) ->
                                                new Classifiable(
                                                        TargetRows.target(rs),
                                                        rs.getInt("asset_count"),
                                                        rs.getObject(
                                                                "scan_duration_ms", Double.class)))
                                .list());
    }

    /** A target as registered: when it is next due and when it was first added. */
    public record Registration(Target target, Instant nextDueAt, Instant createdAt) {}

    /** The registration of {@code targetId}, deleted or not. */
    public Optional<Registration> registration(String targetId) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        """
                                        select target_id, kind, account_id, zone_id, name, plan,
                                               next_due_at, created_at
                                          from targets where target_id = :id
                                        """)
                                .bind("id", targetId)
                                .map(
                                        (rs, ctx) ->
                                                new Registration(
                                                        TargetRows.target(rs),
                                                        TargetRows.instant(rs, "next_due_at"),
                                                        TargetRows.instant(rs, "created_at")))
                                .findOne());
    }
}
