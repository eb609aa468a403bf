package dev.vigil.alerts;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What one attempt to send a message gave; the type alone decides what the dispatcher does next.
 * Every outcome carries the attempt's latency and, for HTTP, the status code. An error text never
 * contains a secret (no signing secret, no Slack URL path).
 */
public sealed interface DeliveryOutcome {

    Duration latency();

    /** The receiver took it (2xx; for e-mail, the SMTP server accepted it). */
    record Delivered(@Nullable Integer statusCode, Duration latency) implements DeliveryOutcome {}

    /**
     * Worth trying again later: 408, 429, 5xx, a timeout, a refused or reset connection, an SMTP
     * server that is down or answers 4xx.
     *
     * @param retryAfter the receiver's {@code Retry-After}, when it sent one
     */
    record Retry(
            @Nullable Integer statusCode,
            String error,
            @Nullable Duration retryAfter,
            Duration latency)
            implements DeliveryOutcome {}

    /** 410 Gone: the receiver is gone for good; the destination is disabled. */
    record Gone(int statusCode, String error, Duration latency) implements DeliveryOutcome {}

    /**
     * Will never succeed as it is: the destination is not allowed (checked before any connection is
     * opened), or the receiver refused it (another 4xx, a rejected recipient).
     */
    record Refused(@Nullable Integer statusCode, String error, Duration latency)
            implements DeliveryOutcome {}
}
