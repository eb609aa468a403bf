package dev.vigil.scheduling;

import dev.vigil.events.Lane;
import dev.vigil.events.ScanReason;
import dev.vigil.events.ScanRequest;
import dev.vigil.events.ScanRequestPublisher;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetRows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * Claims a batch of due targets, publishes their scan requests, and only after Kafka acknowledged
 * them moves their next due time forward, all in one transaction. The claimed rows stay locked
 * ({@code FOR UPDATE SKIP LOCKED}) until then, so no other scheduler takes them; a crash before the
 * commit leaves them due, which repeats a scan and never loses one.
 *
 * <p>Each claimed target also records the scan published for it (attempt 1) and when, for the
 * {@link Watchdog} to check after its deadline that the scan's result landed.
 *
 * <p>Thread-safe: state is in the database.
 */
public final class DueClaimer {
    private final Jdbi jdbi;
    private final ScanRequestPublisher publisher;
    private final PlanIntervals intervals;
    private final LaneClassifier lanes;
    private final Clock clock;

    DueClaimer(
            DataSource ds,
            ScanRequestPublisher publisher,
            PlanIntervals intervals,
            LaneClassifier lanes,
            Clock clock) {
        this.jdbi = Jdbi.create(ds);
        this.jdbi.registerArrayType(Timestamp.class, "timestamptz");
        this.publisher = publisher;
        this.intervals = intervals;
        this.lanes = lanes;
        this.clock = clock;
    }

    /**
     * A claimer publishing through {@code publisher}, moving each claimed target's next due time by
     * its plan's interval in {@code intervals}, and giving each request the lane {@code lanes}
     * picks; {@code clock} decides what is due.
     */
    public static DueClaimer create(
            DataSource ds,
            ScanRequestPublisher publisher,
            PlanIntervals intervals,
            LaneClassifier lanes,
            Clock clock) {
        return new DueClaimer(ds, publisher, intervals, lanes, clock);
    }

    /** Publishes up to {@code limit} due targets, most overdue first; returns how many. */
    int claimAndPublish(int limit) {
        return jdbi.inTransaction(
                h -> {
                    Instant now = clock.instant();
                    List<ScanRequest> requests =
                            h.createQuery(
                                            """
                                            select target_id, kind, account_id, zone_id, name, plan,
                                                   asset_count, scan_duration_ms
                                              from targets
                                             where deleted_at is null and next_due_at <= :now
                                             order by next_due_at
                                             limit :limit
                                               for update skip locked
                                            """)
                                    .bind("now", Timestamp.from(now))
                                    .bind("limit", limit)
                                    .map(
                                            (rs, ctx) -> {
                                                DueRow due = DueRow.from(rs);
                                                Lane lane =
                                                        lanes.classify(
                                                                due.assetCount(),
                                                                due.scanDurationMs());
                                                return ScanRequest.of(
                                                        due.target(),
                                                        lane,
                                                        ScanReason.SCHEDULED,
                                                        now);
                                            })
                                    .list();
                    if (requests.isEmpty()) {
                        return 0;
                    }
                    publisher.publishAll(requests);
                    String[] ids = new String[requests.size()];
                    String[] scans = new String[requests.size()];
                    Timestamp[] next = new Timestamp[requests.size()];
                    List<String> idList = new ArrayList<>();
                    for (int i = 0; i < ids.length; i++) {
                        ScanRequest r = requests.get(i);
                        ids[i] = r.targetId();
                        scans[i] = r.scanId().toString();
                        next[i] = Timestamp.from(now.plus(intervals.of(r.plan())));
                        idList.add(r.targetId());
                    }
                    h.createUpdate(
                                    """
                                    update targets t
                                       set next_due_at = u.next, last_scheduled_at = :now,
                                           scan_published_id = u.scan::uuid, scan_attempt = 1,
                                           watch_from = :now
                                      from unnest(:ids::text[], :scans::text[],
                                                  :next::timestamptz[]) as u(id, scan, next)
                                     where t.target_id = u.id
                                    """)
                            .bind("ids", ids)
                            .bind("scans", scans)
                            .bind("next", next)
                            .bind("now", Timestamp.from(now))
                            .execute();
                    return idList.size();
                });
    }

    /** Targets due now and the age of the oldest overdue one, for metrics and progress. */
    Backlog backlog() {
        Instant now = clock.instant();
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        """
                                        select count(*) as due, min(next_due_at) as oldest
                                          from targets
                                         where deleted_at is null and next_due_at <= :now
                                        """)
                                .bind("now", Timestamp.from(now))
                                .map(
                                        (rs, ctx) -> {
                                            Timestamp oldest = rs.getTimestamp("oldest");
                                            long age =
                                                    oldest == null
                                                            ? 0
                                                            : now.toEpochMilli() - oldest.getTime();
                                            return new Backlog(rs.getLong("due"), age);
                                        })
                                .one());
    }

    record Backlog(long due, long oldestOverdueMillis) {}

    /**
     * A claimed row: the target and the metadata its lane is decided by.
     *
     * @param scanDurationMs the smoothed duration of the target's previous scans, null before its
     *     first scan
     */
    private record DueRow(Target target, int assetCount, @Nullable Double scanDurationMs) {

        static DueRow from(ResultSet rs) throws SQLException {
            return new DueRow(
                    TargetRows.target(rs),
                    rs.getInt("asset_count"),
                    rs.getObject("scan_duration_ms", Double.class));
        }
    }
}
