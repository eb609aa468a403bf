package dev.vigil.scheduling;

import dev.vigil.events.ScanRequest;
import dev.vigil.events.ScanRequestPublisher;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetRows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jspecify.annotations.Nullable;

/**
 * Finds the scheduled scans that never landed (dead-lettered, or lost to a worker bug) and acts on
 * each once: the scheduler moved the target's next due time at publish, so without this the target
 * would wait its whole interval unflagged.
 *
 * <p>Each round is one transaction over at most {@link WatchdogConfig#batchSize()} targets whose
 * published scan is past the deadline and not yet checked ({@code watch_from}), oldest first,
 * locked {@code FOR UPDATE SKIP LOCKED} as the {@link DueClaimer} locks its claims, so two
 * schedulers that both believe they lead never act on the same target. A landed scan is marked
 * checked; a lost first attempt is re-published with attempt 2 (a new scan id) after Kafka
 * acknowledged it, and watched again; a lost second attempt is left for an operator ({@code
 * left_for_operator}) and nothing more is published for it until its next scheduled scan. A crash
 * between the acknowledgement and the commit repeats the re-publish, as a crash repeats a scheduled
 * scan.
 *
 * <p>Thread-safe: state is in the database; the counters are atomic.
 */
public final class Watchdog {
    private final Jdbi jdbi;
    private final ScanRequestPublisher publisher;
    private final LaneClassifier lanes;
    private final LandingDelays delays;
    private final WatchdogConfig config;
    private final Clock clock;
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong republished = new AtomicLong();
    private final AtomicLong leftForOperator = new AtomicLong();

    private Watchdog(
            DataSource ds,
            ScanRequestPublisher publisher,
            LaneClassifier lanes,
            WatchdogConfig config,
            Clock clock) {
        this.jdbi = Jdbi.create(ds);
        this.publisher = publisher;
        this.lanes = lanes;
        this.delays = new LandingDelays(config.floor(), config.deadline());
        this.config = config;
        this.clock = clock;
    }

    /**
     * A watchdog re-publishing through {@code publisher} in the lane {@code lanes} picks.
     *
     * @throws IllegalArgumentException when {@code config} turns the watchdog off
     */
    public static Watchdog create(
            DataSource ds,
            ScanRequestPublisher publisher,
            LaneClassifier lanes,
            WatchdogConfig config,
            Clock clock) {
        if (!config.enabled()) {
            throw new IllegalArgumentException(
                    "the watchdog is off (" + WatchdogConfig.DEADLINE.name() + "=0)");
        }
        return new Watchdog(ds, publisher, lanes, config, clock);
    }

    public WatchdogConfig config() {
        return config;
    }

    /**
     * The deadline the next round applies: the configured one, shortened to three times the 99th
     * percentile of the landing delays seen in the last hour, never under {@link
     * WatchdogConfig#floor()} ({@link LandingDelays}).
     */
    public Duration deadline() {
        return delays.deadline(clock.instant());
    }

    /** What one round did. */
    public record Round(int landed, int republished, int leftForOperator) {}

    /** Rounds completed since start (committed, whatever they found). */
    public long rounds() {
        return rounds.get();
    }

    /** Lost scans re-published since start. */
    public long republished() {
        return republished.get();
    }

    /** Targets left for an operator since start (their second attempt was lost too). */
    public long leftForOperator() {
        return leftForOperator.get();
    }

    /** Targets flagged lost now: no result has landed since the watchdog found their scan lost. */
    public long lostNow() {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        """
                                        select count(*) from targets
                                         where scan_lost_at is not null and deleted_at is null
                                           and (last_result_at is null
                                                or last_result_at < scan_lost_at)
                                        """)
                                .mapTo(Long.class)
                                .one());
    }

    /** Checks one batch of the published scans past their deadline; see the class comment. */
    public Round check() {
        Round r = jdbi.inTransaction(this::check);
        republished.addAndGet(r.republished());
        leftForOperator.addAndGet(r.leftForOperator());
        rounds.incrementAndGet();
        return r;
    }

    private Round check(Handle h) {
        Instant now = clock.instant();
        LostScanPolicy policy = new LostScanPolicy(delays.deadline(now));
        List<Row> rows =
                h.createQuery(
                                """
                                select target_id, kind, account_id, zone_id, name, plan,
                                       asset_count, scan_duration_ms, scan_attempt, watch_from,
                                       last_result_at,
                                       last_scan_id is not null
                                           and last_scan_id = scan_published_id as this_scan,
                                       deleted_at is not null as deleted
                                  from targets
                                 where watch_from <= :cutoff
                                 order by watch_from
                                 limit :limit
                                   for update skip locked
                                """)
                        .bind("cutoff", Timestamp.from(policy.cutoff(now)))
                        .bind("limit", config.batchSize())
                        .map((rs, ctx) -> Row.from(rs))
                        .list();
        List<String> settled = new ArrayList<>();
        List<String> left = new ArrayList<>();
        List<ScanRequest> again = new ArrayList<>();
        for (Row row : rows) {
            LostScanPolicy.Verdict v =
                    row.deleted()
                            ? new LostScanPolicy.Verdict.Landed()
                            : policy.verdict(row.scan(), now);
            switch (v) {
                case LostScanPolicy.Verdict.Landed landed -> {
                    settled.add(row.target().targetId());
                    Instant at = row.scan().lastResultAt();
                    if (row.scan().resultIsThisScan() && at != null) {
                        delays.landed(row.scan().publishedAt(), at, now);
                    }
                }
                // selected past the cutoff, so not waiting; a clock step back could say otherwise
                case LostScanPolicy.Verdict.Waiting waiting -> {}
                case LostScanPolicy.Verdict.Republish retry ->
                        again.add(
                                ScanRequest.retry(
                                        row.target(),
                                        lanes.classify(row.assetCount(), row.scanDurationMs()),
                                        now,
                                        retry.attempt()));
                case LostScanPolicy.Verdict.LeaveForOperator leave ->
                        left.add(row.target().targetId());
            }
        }
        if (!again.isEmpty()) {
            publisher.publishAll(again);
        }
        Timestamp at = Timestamp.from(now);
        // a landed scan clears the flag: the target has fresh findings again
        update(
                h,
                """
                update targets set watch_from = null, scan_lost_at = null, scan_lost_state = null
                 where target_id = :id
                """,
                settled,
                Map.of());
        update(
                h,
                """
                update targets set watch_from = null, scan_lost_state = 'left_for_operator',
                       scan_lost_at = coalesce(scan_lost_at, :now)
                 where target_id = :id
                """,
                left,
                Map.of("now", at));
        if (!again.isEmpty()) {
            PreparedBatch b =
                    h.prepareBatch(
                            """
                            update targets
                               set scan_published_id = cast(:scan as uuid), scan_attempt = :attempt,
                                   watch_from = :now, last_scheduled_at = :now,
                                   scan_lost_at = coalesce(scan_lost_at, :now),
                                   scan_lost_state = 'republished'
                             where target_id = :id
                            """);
            for (ScanRequest r : again) {
                b.bind("id", r.targetId())
                        .bind("scan", r.scanId().toString())
                        .bind("attempt", r.attempt())
                        .bind("now", at)
                        .add();
            }
            b.execute();
        }
        return new Round(settled.size(), again.size(), left.size());
    }

    /** Runs {@code sql} once per target of {@code ids}, with {@code binds} besides {@code :id}. */
    private static void update(Handle h, String sql, List<String> ids, Map<String, Object> binds) {
        if (ids.isEmpty()) {
            return;
        }
        PreparedBatch b = h.prepareBatch(sql);
        for (String id : ids) {
            b.bind("id", id).bindMap(binds).add();
        }
        b.execute();
    }

    /** A target whose published scan is past its deadline, with what the verdict reads. */
    private record Row(
            Target target,
            int assetCount,
            @Nullable Double scanDurationMs,
            LostScanPolicy.Published scan,
            boolean deleted) {

        static Row from(ResultSet rs) throws SQLException {
            Timestamp last = rs.getTimestamp("last_result_at");
            return new Row(
                    TargetRows.target(rs),
                    rs.getInt("asset_count"),
                    rs.getObject("scan_duration_ms", Double.class),
                    new LostScanPolicy.Published(
                            rs.getTimestamp("watch_from").toInstant(),
                            Math.max(1, rs.getInt("scan_attempt")),
                            last == null ? null : last.toInstant(),
                            rs.getBoolean("this_scan")),
                    rs.getBoolean("deleted"));
        }
    }
}
