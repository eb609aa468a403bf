package dev.vigil.alerts.internal;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Claims due messages for this dispatcher: selected {@code FOR UPDATE SKIP LOCKED} (replicas
 * claiming at once take disjoint sets) and moved a lease ahead in the same committed statement, so
 * the claim survives the short transaction and ends by itself if this dispatcher dies.
 *
 * <p>Thread-safe (no state of its own).
 */
public final class MessageClaims {

    private final Jdbi jdbi;
    private final Duration lease;

    private MessageClaims(Jdbi jdbi, Duration lease) {
        this.jdbi = jdbi;
        this.lease = lease;
    }

    public static MessageClaims create(Jdbi jdbi, Duration lease) {
        return new MessageClaims(jdbi, lease);
    }

    /** Claims up to {@code limit} due messages, oldest due first. */
    public List<Claimed> claim(int limit) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(DispatchSql.CLAIM_DUE)
                                .bind("lease_ms", lease.toMillis())
                                .bind("limit", limit)
                                .map(
                                        (rs, ctx) ->
                                                new Claimed(
                                                        rs.getObject("message_id", UUID.class),
                                                        rs.getObject("rule_id", Long.class),
                                                        rs.getString("account_id"),
                                                        rs.getLong("destination_id"),
                                                        rs.getBoolean("test"),
                                                        rs.getObject(
                                                                        "created_at",
                                                                        OffsetDateTime.class)
                                                                .toInstant(),
                                                        rs.getInt("attempts")))
                                .list());
    }
}
