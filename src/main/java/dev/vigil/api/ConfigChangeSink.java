package dev.vigil.api;

import dev.vigil.events.ConfigChange;

/**
 * Where the API announces a pushed configuration document once it is stored: in production, the
 * config-change topic (see {@link dev.vigil.events.ConfigChangePublisher}).
 *
 * <p>Contract: {@link #publish} returns only once the event is durable, and throws when it is not;
 * the API calls it inside the transaction that stores the version, while holding the target's lock,
 * so a failure leaves nothing stored (the push is answered 503) and one target's events are
 * published in version order. Must be thread-safe.
 */
@FunctionalInterface
public interface ConfigChangeSink {

    /**
     * Publishes {@code change}; {@code document} is the stored document (UTF-8 JSON): the Kafka
     * sink carries it in the event when it is small enough, and the demo's simulated config owner
     * keeps a copy. The array must not be modified.
     */
    void publish(ConfigChange change, byte[] document);
}
