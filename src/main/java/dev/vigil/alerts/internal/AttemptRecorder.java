package dev.vigil.alerts.internal;

import dev.vigil.alerts.DeliveryOutcome;
import java.time.Duration;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;
import org.jspecify.annotations.Nullable;

/**
 * Records one attempt's outcome in one transaction: the row of the delivery log, the message's new
 * state, and for a 410 the destination disabled. The outcome's type alone decides: delivered; retry
 * after the backoff (or the receiver's {@code Retry-After}, when longer), failed once that passes
 * the give-up time; gone (failed, destination disabled); refused. A record whose claim was
 * overtaken (its lease ran out and another dispatcher counted a newer attempt) logs the attempt and
 * leaves the message to the newer one.
 *
 * <p>Thread-safe (no mutable state but its backoff's random generator, which is thread-safe).
 */
public final class AttemptRecorder {

    /** The longest error text kept: enough for a status line and a receiver's short body. */
    static final int MAX_ERROR_CHARS = 1_000;

    private final Jdbi jdbi;
    private final Backoff backoff;

    private AttemptRecorder(Jdbi jdbi, Backoff backoff) {
        this.jdbi = jdbi;
        this.backoff = backoff;
    }

    public static AttemptRecorder create(Jdbi jdbi, Backoff backoff) {
        return new AttemptRecorder(jdbi, backoff);
    }

    /**
     * Records {@code outcome} as attempt {@link Claimed#attempt()} of {@code c}.
     *
     * @return whether the message's state changed (false when a newer claim overtook this one)
     */
    public boolean record(Claimed c, DeliveryOutcome outcome) {
        return jdbi.inTransaction(h -> record(h, c, outcome));
    }

    private boolean record(Handle h, Claimed c, DeliveryOutcome outcome) {
        h.createUpdate(DispatchSql.INSERT_ATTEMPT)
                .bind("message", c.messageId())
                .bind("attempt", c.attempt())
                .bind("outcome", wire(outcome))
                .bindByType("status_code", statusCode(outcome), Integer.class)
                .bind("latency_ms", (int) Math.min(Integer.MAX_VALUE, outcome.latency().toMillis()))
                .bindByType("error", error(outcome), String.class)
                .execute();
        int changed =
                switch (outcome) {
                    case DeliveryOutcome.Delivered d ->
                            bind(h.createUpdate(DispatchSql.DELIVERED), c).execute();
                    case DeliveryOutcome.Retry r -> {
                        Duration delay = backoff.delay(c.attempt(), r.retryAfter());
                        yield bind(h.createUpdate(DispatchSql.RETRY), c)
                                .bind("delay_ms", delay.toMillis())
                                .bind("error", clip(r.error()))
                                .execute();
                    }
                    case DeliveryOutcome.Gone g -> {
                        h.createUpdate(DispatchSql.DISABLE_DESTINATION)
                                .bind("destination", c.destinationId())
                                .bind(
                                        "reason",
                                        clip(
                                                "the receiver answered "
                                                        + g.statusCode()
                                                        + " Gone to message "
                                                        + c.messageId()
                                                        + ": "
                                                        + g.error()))
                                .execute();
                        yield bind(h.createUpdate(DispatchSql.FINISHED), c)
                                .bind("status", "failed")
                                .bind("error", clip(g.error()))
                                .execute();
                    }
                    case DeliveryOutcome.Refused r ->
                            bind(h.createUpdate(DispatchSql.FINISHED), c)
                                    .bind("status", "refused")
                                    .bind("error", clip(r.error()))
                                    .execute();
                };
        return changed > 0;
    }

    private static Update bind(Update u, Claimed c) {
        return u.bind("message", c.messageId()).bind("attempt", c.attempt());
    }

    /** The outcome's name in {@code alert_attempts.outcome} and in metrics. */
    public static String wire(DeliveryOutcome outcome) {
        return switch (outcome) {
            case DeliveryOutcome.Delivered d -> "delivered";
            case DeliveryOutcome.Retry r -> "retry";
            case DeliveryOutcome.Gone g -> "gone";
            case DeliveryOutcome.Refused r -> "refused";
        };
    }

    private static @Nullable Integer statusCode(DeliveryOutcome outcome) {
        return switch (outcome) {
            case DeliveryOutcome.Delivered d -> d.statusCode();
            case DeliveryOutcome.Retry r -> r.statusCode();
            case DeliveryOutcome.Gone g -> g.statusCode();
            case DeliveryOutcome.Refused r -> r.statusCode();
        };
    }

    private static @Nullable String error(DeliveryOutcome outcome) {
        return switch (outcome) {
            case DeliveryOutcome.Delivered d -> null;
            case DeliveryOutcome.Retry r -> clip(r.error());
            case DeliveryOutcome.Gone g -> clip(g.error());
            case DeliveryOutcome.Refused r -> clip(r.error());
        };
    }

    private static String clip(String s) {
        return s.length() <= MAX_ERROR_CHARS ? s : s.substring(0, MAX_ERROR_CHARS) + "…";
    }
}
