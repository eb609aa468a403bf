package dev.vigil.events;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of the insight-event outbox ({@code V15__insight_event_outbox.sql}, {@code
 * V19__insight_event_pointers.sql}, {@code V25__insight_event_ranges.sql}): a trigger on {@code
 * audit_log} queues the keys of the audited transitions in the transaction of the change, one row
 * per run of consecutive audit ids; this reads the queued transitions in audit id order with what
 * their events say (joined from the audit row and the insight here, off the write path) and takes
 * the published ones off the queue, in the relay's transaction.
 */
final class InsightEventOutbox {

    /**
     * One relay at a time across the api replicas. Sharing the rows with {@code SKIP LOCKED}
     * instead would let two replicas publish two batches at once, and one insight's later event (in
     * the second batch) could reach Kafka before its earlier one: the order per insight is the
     * contract, so a pass that finds the lock taken does nothing and the holder drains the queue.
     */
    private static final String TRY_LOCK =
            "select pg_try_advisory_xact_lock(hashtext('vigil_insight_event_relay'))";

    /**
     * The oldest queued ranges, locked so a pass racing a stale lock holder cannot repeat them,
     * expanded to their first {@code %N%} audit ids (a range longer than what is left of the batch
     * gives only its head), each with what its event says: the audit row (kind, target, actor,
     * scan, the scan's time in its detail) and the insight's fixed columns (check, resource,
     * severity). Ranges never overlap, so ordering them by their last id orders the ids. An id
     * whose audit row or insight is gone comes back with a null kind or check (see {@link
     * Queued#event}).
     */
    private static final String CLAIM =
            """
            with q as (
                select first_audit_id, last_audit_id, recorded_at
                from insight_event_outbox
                order by last_audit_id
                limit %N%
                for update
            ), r as (
                select q.*,
                       sum(last_audit_id - first_audit_id + 1) over (order by last_audit_id)
                           - (last_audit_id - first_audit_id + 1) as before
                from q
            ), ids as (
                select r.last_audit_id as range_end, r.recorded_at, g.audit_id
                from r
                cross join lateral generate_series(
                    r.first_audit_id,
                    least(r.last_audit_id, r.first_audit_id + (%N% - r.before) - 1)) as g(audit_id)
                where r.before < %N%
            )
            select ids.audit_id, ids.range_end, a.action as kind, a.account_id, a.zone_id,
                   a.insight_id, i.check_id, i.resource_key, i.severity,
                   case when a.action = 'classified' then a.detail ->> 'new' end
                       as classification,
                   a.changed_by as actor,
                   case when a.detail ->> 'scan_id' ~ '^[0-9a-fA-F-]{36}$'
                        then cast(a.detail ->> 'scan_id' as uuid) end as scan_id,
                   coalesce(cast(a.detail ->> 'scanned_at' as timestamptz),
                            -- audited before V19 wrote the scan time: the insight's own
                            case a.action
                                when 'opened' then i.first_seen_at
                                when 'reopened' then i.last_seen_at
                                when 'resolved' then coalesce(i.resolved_at, a.at)
                            end,
                            a.at) as occurred_at,
                   ids.recorded_at
            from ids
            left join audit_log a on a.audit_id = ids.audit_id and a.at = ids.recorded_at
            left join insights i on i.account_id = a.account_id and i.insight_id = a.insight_id
            order by ids.audit_id
            """;

    /** The ranges published to their end. */
    private static final String DELETE =
            "delete from insight_event_outbox where last_audit_id = any(cast(:ends as bigint[]))";

    /** The range published up to an id short of its end keeps the rest. */
    private static final String MOVE_ON =
            "update insight_event_outbox set first_audit_id = :next where last_audit_id = :end";

    /**
     * The backlog: the transitions of the oldest {@code :cap} ranges, so a huge backlog costs a
     * bounded read (the age needs only the first range, by the key).
     */
    private static final String STATS =
            """
            select coalesce(sum(last_audit_id - first_audit_id + 1), 0) as n,
                   coalesce(extract(epoch from clock_timestamp() - min(recorded_at)), 0) as oldest
            from (select first_audit_id, last_audit_id, recorded_at from insight_event_outbox
                  order by last_audit_id limit :cap) o
            """;

    private static final String SWITCH = "update insight_event_switch set enabled = :on";

    /**
     * A queued transition.
     *
     * @param id the audit row's id: the publication order
     * @param rangeEnd the last audit id of the queued range it belongs to
     * @param event what it says; null when its audit row or insight no longer exists (an audit
     *     partition dropped by retention before the row was published): deleted unpublished
     */
    record Queued(long id, long rangeEnd, @Nullable InsightEvent event) {}

    /**
     * What is queued.
     *
     * @param rows transitions waiting (those of the oldest ranges up to a cap)
     * @param oldestSeconds age of the oldest waiting row, 0 when none waits
     */
    record Backlog(long rows, double oldestSeconds) {}

    private InsightEventOutbox() {}

    /** Whether this transaction holds the relay's lock (until it ends). */
    static boolean tryLock(Handle h) {
        return h.createQuery(TRY_LOCK).mapTo(Boolean.class).one();
    }

    /**
     * Up to {@code n} of the oldest queued transitions, their ranges locked by this transaction, in
     * id order.
     *
     * <p>The limit is written into the statement rather than bound: with no parameter left,
     * PostgreSQL plans the statement once per connection (pgjdbc prepares it on the server after a
     * few runs) and reuses that plan. Bound, it was planned again on every pass, because a plan for
     * an unknown limit looks worse than the one for the limit in hand; with the audit log's and the
     * insights' partitions that planning cost more than running the query.
     */
    static List<Queued> claim(Handle h, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("claim at least one row, not " + n);
        }
        return h.createQuery(CLAIM.replace("%N%", Integer.toString(n)))
                .map((rs, ctx) -> queued(rs))
                .list();
    }

    /**
     * Takes {@code rows}, a claim's answer in id order, off the queue: the ranges they reach the
     * end of are deleted, and the one range a claim can take only the head of (its last) keeps the
     * rest.
     */
    static void delete(Handle h, List<Queued> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Long[] ends =
                rows.stream()
                        .filter(q -> q.id() == q.rangeEnd())
                        .map(Queued::id)
                        .toArray(Long[]::new);
        if (ends.length > 0) {
            h.createUpdate(DELETE).bind("ends", ends).execute();
        }
        Queued last = rows.getLast();
        if (last.id() < last.rangeEnd()) {
            h.createUpdate(MOVE_ON)
                    .bind("next", last.id() + 1)
                    .bind("end", last.rangeEnd())
                    .execute();
        }
    }

    /** The backlog, reading at most {@code cap} rows. */
    static Backlog backlog(Jdbi jdbi, int cap) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(STATS)
                                .bind("cap", cap)
                                .map(
                                        (rs, ctx) ->
                                                new Backlog(
                                                        rs.getLong("n"), rs.getDouble("oldest")))
                                .one());
    }

    /** Turns the trigger's queuing on or off for every writer of the database. */
    static void enable(Jdbi jdbi, boolean on) {
        jdbi.useHandle(h -> h.createUpdate(SWITCH).bind("on", on).execute());
    }

    /**
     * The event id of the transition audited as {@code auditId}: a name-based UUID of it, so a row
     * sent again carries the same id, which consumers deduplicate on.
     */
    static UUID eventId(long auditId) {
        return UUID.nameUUIDFromBytes(
                ("vigil.insight-event/" + auditId).getBytes(StandardCharsets.UTF_8));
    }

    private static Queued queued(ResultSet rs) throws SQLException {
        long id = rs.getLong("audit_id");
        long rangeEnd = rs.getLong("range_end");
        String kind = rs.getString("kind");
        String check = rs.getString("check_id");
        if (kind == null || check == null) {
            return new Queued(id, rangeEnd, null);
        }
        return new Queued(
                id,
                rangeEnd,
                new InsightEvent(
                        eventId(id),
                        InsightEventKind.fromWire(kind),
                        rs.getString("account_id"),
                        rs.getString("zone_id"),
                        rs.getLong("insight_id"),
                        check,
                        rs.getString("resource_key"),
                        rs.getString("severity"),
                        rs.getString("classification"),
                        rs.getString("actor"),
                        rs.getObject("scan_id", UUID.class),
                        rs.getTimestamp("occurred_at").toInstant(),
                        rs.getTimestamp("recorded_at").toInstant()));
    }
}
