package dev.vigil.events;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Header names and helpers. The lane travels as a header as well as in the body, so a consumer can
 * skip a request of the other lane without decoding it.
 */
public final class VigilHeaders {
    public static final String LANE = "vigil-lane";
    public static final String TRACEPARENT = "traceparent";
    public static final String DLQ_TOPIC = "vigil-dlq-topic";
    public static final String DLQ_PARTITION = "vigil-dlq-partition";
    public static final String DLQ_OFFSET = "vigil-dlq-offset";
    public static final String DLQ_ERROR_TYPE = "vigil-dlq-error-type";
    public static final String DLQ_ERROR_MESSAGE = "vigil-dlq-error-message";
    public static final String DLQ_ATTEMPTS = "vigil-dlq-attempts";
    public static final String DLQ_FIRST_ATTEMPT_AT = "vigil-dlq-first-attempt-at";
    public static final String DLQ_LAST_ATTEMPT_AT = "vigil-dlq-last-attempt-at";

    private VigilHeaders() {}

    /** The last value of a header as UTF-8, or null. */
    public static @Nullable String get(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null
                ? null
                : new String(h.value(), StandardCharsets.UTF_8);
    }

    public static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The lane a record is marked with; unmarked records are fast. */
    public static Lane lane(Headers headers) {
        String v = get(headers, LANE);
        return v == null ? Lane.FAST : Lane.parse(v);
    }
}
