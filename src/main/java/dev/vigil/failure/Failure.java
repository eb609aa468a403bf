package dev.vigil.failure;

/**
 * What a port's exception says about trying again, as a type (Kafka's {@code RetriableException}
 * habit): every port's failures (a config source's fetch, a results submission, a Kafka publish)
 * implement {@link Retriable} or {@link Permanent}, and that type alone decides whether the worker
 * retries the work or dead-letters it. An exception that implements neither (a bug, an undecodable
 * record) is permanent: retrying it would fail the same way.
 *
 * <p>Sealed to these two kinds, so a {@code switch} over a failure is exhaustive; the kinds are
 * interfaces, implemented by each port's own exception classes in their own packages.
 */
public sealed interface Failure {

    /** The failure may pass (a timeout, an unavailable broker or server, a 5xx, a 429). */
    non-sealed interface Retriable extends Failure {}

    /**
     * The failure will not pass by itself (a 404, a document over the cap, a 4xx, a bad record).
     */
    non-sealed interface Permanent extends Failure {}

    /** Whether {@code t} is worth another attempt: true exactly for a {@link Retriable}. */
    static boolean isRetriable(Throwable t) {
        return t instanceof Retriable;
    }
}
