package dev.vigil.api;

/**
 * Whether the API takes config pushes now: the backpressure of the config-change path. While the
 * change workers are behind by more than the operator allows, pushes (single and batch) are
 * answered 429 with {@code Retry-After} instead of queueing without limit on the topic.
 *
 * <p>Contract: {@link #gate} answers at once from state sampled in the background (it is asked on
 * every push and must never call Kafka itself) and is thread-safe.
 */
@FunctionalInterface
public interface PushAdmission {

    /** The gate now. */
    Gate gate();

    /** A gate that is always open: no backpressure (the default, and a server without Kafka). */
    static PushAdmission open() {
        return () -> Gate.OPEN;
    }

    /** Open or closed, with why and for how long. */
    sealed interface Gate {

        /** The one open gate. */
        Gate OPEN = new Open();

        /** Pushes are taken. */
        record Open() implements Gate {}

        /**
         * Pushes are refused for now.
         *
         * @param reason what is over its bound, with the figures (e.g. the backlog and the bound)
         * @param retryAfterSeconds what the refusal asks the pusher to wait, at least 1
         */
        record Closed(String reason, long retryAfterSeconds) implements Gate {
            public Closed {
                if (retryAfterSeconds < 1) {
                    throw new IllegalArgumentException(
                            "retry-after must be at least 1 s, got " + retryAfterSeconds);
                }
            }
        }
    }
}
