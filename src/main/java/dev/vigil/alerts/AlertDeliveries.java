package dev.vigil.alerts;

import dev.vigil.alerts.internal.AlertRows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * A rule's side of delivery: queueing a test message for the dispatcher, and reading the delivery
 * log (the rule's messages and their attempts) that the dispatcher writes. Every call names the
 * account and reads or writes only its rows.
 *
 * <p>Thread-safe: stateless over a {@link Jdbi}.
 */
public final class AlertDeliveries {

    /**
     * A test message for the rule's destination, due now; the dispatcher builds its sample event.
     * Nothing is inserted unless the rule is the account's.
     */
    private static final String TEST =
            """
            insert into alert_messages (message_id, rule_id, account_id, destination_id, test, events)
            select cast(:id as uuid), r.rule_id, r.account_id, r.destination_id, true, 1
            from alert_rules r where r.account_id = :account and r.rule_id = :rule
            returning message_id, rule_id, destination_id, created_at
            """;

    /** One more than a page (whether there is a next one), newest first. */
    private static final String PAGE =
            """
            select m.message_id, m.created_at, m.status, m.attempts, m.delivered_at, m.last_error,
                   m.events, m.test
            from alert_messages m
            where m.account_id = :account and m.rule_id = :rule
              and (cast(:after_at as timestamptz) is null
                   or (m.created_at, m.message_id) < (cast(:after_at as timestamptz), cast(:after_id as uuid)))
            order by m.created_at desc, m.message_id desc
            limit :limit
            """;

    private static final String ATTEMPTS =
            """
            select a.message_id, a.attempt, a.at, a.outcome, a.status_code, a.latency_ms, a.error
            from alert_attempts a
            where a.message_id = any(cast(:ids as uuid[]))
            order by a.message_id, a.attempt desc
            """;

    private final Jdbi jdbi;

    private AlertDeliveries(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public static AlertDeliveries create(Jdbi jdbi) {
        return new AlertDeliveries(jdbi);
    }

    /**
     * A queued test message.
     *
     * @param messageId the message id, its {@code webhook-id} when sent
     */
    public record TestMessage(UUID messageId, long ruleId, long destinationId, Instant createdAt) {}

    /**
     * Queues a test message of rule {@code ruleId} to its destination, whether the rule is paused
     * or not; empty when the account has no such rule.
     */
    public Optional<TestMessage> sendTest(String accountId, long ruleId) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(TEST)
                                .bind("id", UUID.randomUUID().toString())
                                .bind("account", accountId)
                                .bind("rule", ruleId)
                                .map(
                                        (rs, c) ->
                                                new TestMessage(
                                                        rs.getObject("message_id", UUID.class),
                                                        rs.getLong("rule_id"),
                                                        rs.getLong("destination_id"),
                                                        AlertRows.required(rs, "created_at")))
                                .findOne());
    }

    /**
     * One page of rule {@code ruleId}'s delivery log, newest first, starting after {@code after}
     * (null: the newest), at most {@code limit} messages each with all its attempts; empty when the
     * account has no such rule.
     */
    public Optional<Delivery.Page> page(
            String accountId, long ruleId, Delivery.@Nullable Cursor after, int limit) {
        return jdbi.inTransaction(
                h -> {
                    if (!ruleExists(h, accountId, ruleId)) {
                        return Optional.empty();
                    }
                    List<Row> rows =
                            h.createQuery(PAGE)
                                    .bind("account", accountId)
                                    .bind("rule", ruleId)
                                    .bind(
                                            "after_at",
                                            after == null
                                                    ? null
                                                    : Timestamp.from(after.createdAt()))
                                    .bind("after_id", after == null ? null : after.id().toString())
                                    .bind("limit", limit + 1)
                                    .map((rs, c) -> row(rs))
                                    .list();
                    boolean more = rows.size() > limit;
                    List<Row> page = more ? rows.subList(0, limit) : rows;
                    Map<UUID, List<Delivery.Attempt>> attempts = attempts(h, page);
                    List<Delivery> out = new ArrayList<>();
                    for (Row r : page) {
                        out.add(r.with(attempts.getOrDefault(r.id(), List.of())));
                    }
                    Row last = page.isEmpty() ? null : page.get(page.size() - 1);
                    return Optional.of(
                            new Delivery.Page(
                                    out,
                                    more && last != null
                                            ? new Delivery.Cursor(last.createdAt(), last.id())
                                            : null));
                });
    }

    private static boolean ruleExists(Handle h, String accountId, long ruleId) {
        return h.createQuery(
                                "select count(*) from alert_rules where account_id = :account"
                                        + " and rule_id = :rule")
                        .bind("account", accountId)
                        .bind("rule", ruleId)
                        .mapTo(Long.class)
                        .one()
                > 0;
    }

    private static Map<UUID, List<Delivery.Attempt>> attempts(Handle h, List<Row> page) {
        Map<UUID, List<Delivery.Attempt>> out = new LinkedHashMap<>();
        if (page.isEmpty()) {
            return out;
        }
        h.createQuery(ATTEMPTS)
                .bind("ids", page.stream().map(r -> r.id().toString()).toArray(String[]::new))
                .map(
                        (rs, c) ->
                                Map.entry(
                                        rs.getObject("message_id", UUID.class),
                                        new Delivery.Attempt(
                                                rs.getInt("attempt"),
                                                AlertRows.required(rs, "at"),
                                                rs.getString("outcome"),
                                                AlertRows.integer(rs, "status_code"),
                                                AlertRows.integer(rs, "latency_ms"),
                                                rs.getString("error"))))
                .forEach(
                        e ->
                                out.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                                        .add(e.getValue()));
        return out;
    }

    /** A message without its attempts yet. */
    private record Row(
            UUID id,
            Instant createdAt,
            String status,
            int attempts,
            @Nullable Instant deliveredAt,
            @Nullable String lastError,
            int events,
            boolean test) {
        Delivery with(List<Delivery.Attempt> log) {
            return new Delivery(
                    id, createdAt, status, attempts, deliveredAt, lastError, events, test, log);
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(
                rs.getObject("message_id", UUID.class),
                AlertRows.required(rs, "created_at"),
                rs.getString("status"),
                rs.getInt("attempts"),
                AlertRows.instant(rs, "delivered_at"),
                rs.getString("last_error"),
                rs.getInt("events"),
                rs.getBoolean("test"));
    }
}
