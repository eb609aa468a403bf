package dev.vigil.alerts.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * Turns due outbox rows into messages: one per rule and scan for an immediate rule (Alertmanager
 * groups by alert; we group by the scan that changed the insights, so one scan is one message), one
 * per rule for a digest rule whose window is over. The claim, the messages and the rows' message
 * ids are one transaction: a crash leaves the rows ungrouped, never half-grouped. Each message gets
 * a random id, its Standard Webhooks {@code webhook-id} for all its attempts.
 *
 * <p>Thread-safe (no state of its own); replicas grouping at once skip each other's rows.
 */
public final class OutboxGrouper {

    private final Jdbi jdbi;
    private final int batch;
    private final Duration giveUp;

    private OutboxGrouper(Jdbi jdbi, int batch, Duration giveUp) {
        this.jdbi = jdbi;
        this.batch = batch;
        this.giveUp = giveUp;
    }

    /**
     * A grouper writing through {@code jdbi}.
     *
     * @param batch outbox rows per transaction at most
     * @param giveUp how long after creation a message is retried at most
     */
    public static OutboxGrouper create(Jdbi jdbi, int batch, Duration giveUp) {
        return new OutboxGrouper(jdbi, batch, giveUp);
    }

    private record Row(
            long outboxId,
            long ruleId,
            String accountId,
            UUID scanId,
            boolean digest,
            long destinationId) {

        /** The message a row belongs to: its rule, and for an immediate rule its scan too. */
        Key key() {
            return new Key(ruleId, digest ? null : scanId);
        }
    }

    private record Key(long ruleId, @Nullable UUID scanId) {}

    /**
     * Groups one batch of due outbox rows into messages.
     *
     * @return the number of messages created (0 when nothing was due)
     */
    public int groupDue() {
        return jdbi.inTransaction(this::group);
    }

    private int group(Handle h) {
        List<Row> rows =
                h.createQuery(DispatchSql.CLAIM_UNGROUPED)
                        .bind("limit", batch)
                        .map(
                                (rs, ctx) ->
                                        new Row(
                                                rs.getLong("outbox_id"),
                                                rs.getLong("rule_id"),
                                                rs.getString("account_id"),
                                                rs.getObject("scan_id", UUID.class),
                                                rs.getString("mode").equals("digest"),
                                                rs.getLong("destination_id")))
                        .list();
        Map<Key, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            groups.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
        }
        for (List<Row> group : groups.values()) {
            Row first = group.getFirst();
            UUID message = UUID.randomUUID();
            h.createUpdate(DispatchSql.INSERT_MESSAGE)
                    .bind("message", message)
                    .bind("rule", first.ruleId())
                    .bind("account", first.accountId())
                    .bind("destination", first.destinationId())
                    .bind("events", group.size())
                    .bind("give_up_ms", giveUp.toMillis())
                    .execute();
            h.createUpdate(DispatchSql.ASSIGN_MESSAGE)
                    .bind("message", message)
                    .bind("ids", group.stream().map(Row::outboxId).toArray(Long[]::new))
                    .execute();
        }
        return groups.size();
    }
}
