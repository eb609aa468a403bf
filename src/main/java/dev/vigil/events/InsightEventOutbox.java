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
 * V19__insight_event_pointers.sql}): a trigger on {@code audit_log} queues the key of each audited
 * transition in the transaction of the change; this reads the queued rows in audit id order with
 * what their events say (joined from the audit row and the insight here, off the write path) and
 * deletes the published ones, in the relay's transaction.
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
     * The oldest queued rows, locked so a pass racing a stale lock holder cannot repeat them, each
     * with what its event says: the audit row (kind, target, actor, scan, the scan's time in its
     * detail) and the insight's fixed columns (check, resource, severity). A row whose audit row or
     * insight is gone comes back with a null kind or check (see {@link Queued#event}).
     */
    private static final String CLAIM =
            """
            with q as (
                select audit_id, recorded_at
                from insight_event_outbox
                order by audit_id
                limit %N%
                for update
            )
            select q.audit_id, a.action as kind, a.account_id, a.zone_id, a.insight_id,
                   i.check_id, i.resource_key, i.severity,
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
                   q.recorded_at
            from q
            left join audit_log a on a.audit_id = q.audit_id and a.at = q.recorded_at
            left join insights i on i.account_id = a.account_id and i.insight_id = a.insight_id
            order by q.audit_id
            """;

    private static final String DELETE =
            "delete from insight_event_outbox where audit_id = any(cast(:ids as bigint[]))";

    /** The backlog, counted up to a cap (the age needs only the first row, by the key). */
    private static final String STATS =
            """
            select count(*) as n,
                   coalesce(extract(epoch from clock_timestamp() - min(recorded_at)), 0) as oldest
            from (select audit_id, recorded_at from insight_event_outbox
                  order by audit_id limit :cap) o
            """;

    private static final String SWITCH = "update insight_event_switch set enabled = :on";

    /**
     * A queued row.
     *
     * @param id the audit row's id: the publication order
     * @param event what it says; null when its audit row or insight no longer exists (an audit
     *     partition dropped by retention before the row was published): deleted unpublished
     */
    record Queued(long id, @Nullable InsightEvent event) {}

    /**
     * What is queued.
     *
     * @param rows rows waiting (counted up to a cap, so a huge backlog costs a bounded read)
     * @param oldestSeconds age of the oldest waiting row, 0 when none waits
     */
    record Backlog(long rows, double oldestSeconds) {}

    private InsightEventOutbox() {}

    /** Whether this transaction holds the relay's lock (until it ends). */
    static boolean tryLock(Handle h) {
        return h.createQuery(TRY_LOCK).mapTo(Boolean.class).one();
    }

    /**
     * Up to {@code n} of the oldest queued rows, locked by this transaction, in id order.
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

    static void delete(Handle h, List<Queued> rows) {
        Long[] ids = rows.stream().map(Queued::id).toArray(Long[]::new);
        h.createUpdate(DELETE).bind("ids", ids).execute();
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
        String kind = rs.getString("kind");
        String check = rs.getString("check_id");
        if (kind == null || check == null) {
            return new Queued(id, null);
        }
        return new Queued(
                id,
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
