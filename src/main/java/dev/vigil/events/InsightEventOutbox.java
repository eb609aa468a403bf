package dev.vigil.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The SQL of the insight-event outbox ({@code V15__insight_event_outbox.sql}): the rows are queued
 * by a trigger on {@code audit_log} in the transaction of each change; this reads them in id order
 * and deletes the published ones, in the relay's transaction.
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

    /** The oldest queued rows; locked so a pass racing a stale lock holder cannot repeat them. */
    private static final String CLAIM =
            """
            select id, event_id, kind, account_id, zone_id, insight_id, check_id, resource_key,
                   severity, classification, actor, scan_id, occurred_at, recorded_at
            from insight_event_outbox
            order by id
            limit :n
            for update
            """;

    private static final String DELETE =
            "delete from insight_event_outbox where id = any(cast(:ids as bigint[]))";

    /** The backlog, counted up to a cap (the age needs only the first row, by the key). */
    private static final String STATS =
            """
            select count(*) as n,
                   coalesce(extract(epoch from clock_timestamp() - min(recorded_at)), 0) as oldest
            from (select id, recorded_at from insight_event_outbox order by id limit :cap) o
            """;

    private static final String SWITCH = "update insight_event_switch set enabled = :on";

    /**
     * A queued row.
     *
     * @param id the publication order
     */
    record Queued(long id, InsightEvent event) {}

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

    /** Up to {@code n} of the oldest queued rows, locked by this transaction, in id order. */
    static List<Queued> claim(Handle h, int n) {
        return h.createQuery(CLAIM).bind("n", n).map((rs, ctx) -> queued(rs)).list();
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

    private static Queued queued(ResultSet rs) throws SQLException {
        return new Queued(
                rs.getLong("id"),
                new InsightEvent(
                        rs.getObject("event_id", UUID.class),
                        InsightEventKind.fromWire(rs.getString("kind")),
                        rs.getString("account_id"),
                        rs.getString("zone_id"),
                        rs.getLong("insight_id"),
                        rs.getString("check_id"),
                        rs.getString("resource_key"),
                        rs.getString("severity"),
                        rs.getString("classification"),
                        rs.getString("actor"),
                        rs.getObject("scan_id", UUID.class),
                        rs.getTimestamp("occurred_at").toInstant(),
                        rs.getTimestamp("recorded_at").toInstant()));
    }
}
