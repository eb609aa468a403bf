package dev.vigil.api;

import dev.vigil.events.ScanRequest;
import dev.vigil.events.ScanRequestPublisher;
import java.util.List;

/**
 * Where the API sends on-demand scan requests: at once, outside the scheduler's token bucket. The
 * port keeps the API free of Kafka clients; {@link #kafka} is the production adapter.
 */
@FunctionalInterface
public interface ScanRequester {

    /**
     * Publishes the requests and returns once every one was acknowledged.
     *
     * @throws RuntimeException when any could not be published; the caller reports the failure and
     *     the user may ask again (workers are idempotent)
     */
    void request(List<ScanRequest> requests);

    /** Publishing to the scan-request topic through {@code publisher}. */
    static ScanRequester kafka(ScanRequestPublisher publisher) {
        return publisher::publishAll;
    }
}
