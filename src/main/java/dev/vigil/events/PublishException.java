package dev.vigil.events;

import dev.vigil.failure.Failure;
import java.util.concurrent.ExecutionException;

/**
 * Kafka did not acknowledge a publish; nothing may be recorded as published. Whether it may pass is
 * Kafka's own verdict on the cause ({@link org.apache.kafka.common.errors.RetriableException}: a
 * timeout, a broker or leader not available, not enough replicas), or an interrupt (a shutdown): a
 * {@link Retriable}. Anything else (a record too large, an authorization failure) is a {@link
 * Permanent}.
 */
public abstract sealed class PublishException extends RuntimeException
        permits PublishException.Retriable, PublishException.Permanent {
    private static final long serialVersionUID = 1L;

    PublishException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The failure of a publish whose acknowledgement failed with {@code cause} (unwrapped from an
     * {@link ExecutionException}), classified as above.
     */
    public static PublishException of(String message, Throwable cause) {
        Throwable c =
                cause instanceof ExecutionException e && e.getCause() != null
                        ? e.getCause()
                        : cause;
        return c instanceof org.apache.kafka.common.errors.RetriableException
                        || c instanceof InterruptedException
                ? new Retriable(message, c)
                : new Permanent(message, c);
    }

    /** A publish failure that may pass: try again later. */
    public static final class Retriable extends PublishException implements Failure.Retriable {
        private static final long serialVersionUID = 1L;

        Retriable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A publish failure that will not pass by itself. */
    public static final class Permanent extends PublishException implements Failure.Permanent {
        private static final long serialVersionUID = 1L;

        Permanent(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
