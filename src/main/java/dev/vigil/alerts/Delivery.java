package dev.vigil.alerts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One message of a rule's delivery log, with its attempts.
 *
 * @param id the message id, which receivers see as {@code webhook-id}
 * @param status pending, delivered, failed or refused
 * @param attempts how many attempts were made
 * @param events the insight events the message carries (1 for a test message)
 * @param test whether it was sent by the "send test" route, with a sample event
 * @param attemptLog the attempts, newest first
 */
public record Delivery(
        UUID id,
        Instant createdAt,
        String status,
        int attempts,
        @Nullable Instant deliveredAt,
        @Nullable String lastError,
        int events,
        boolean test,
        List<Attempt> attemptLog) {

    public Delivery {
        attemptLog = List.copyOf(attemptLog);
    }

    /**
     * One attempt to deliver a message.
     *
     * @param outcome {@code delivered}, {@code retry}, {@code gone} or {@code refused}
     * @param statusCode the receiver's HTTP status; null without one (a timeout, e-mail)
     */
    public record Attempt(
            int attempt,
            Instant at,
            String outcome,
            @Nullable Integer statusCode,
            @Nullable Integer latencyMs,
            @Nullable String error) {}

    /**
     * A page of the log, newest first.
     *
     * @param next where the next page starts, for {@link AlertDeliveries#page}; null on the last
     */
    public record Page(List<Delivery> deliveries, @Nullable Cursor next) {
        public Page {
            deliveries = List.copyOf(deliveries);
        }
    }

    /** Where a page ends: the last message's creation time (to the microsecond) and id. */
    public record Cursor(Instant createdAt, UUID id) {}
}
