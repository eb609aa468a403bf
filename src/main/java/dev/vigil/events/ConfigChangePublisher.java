package dev.vigil.events;

import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes config-change events keyed by target id and waits for Kafka's acknowledgement, so the
 * caller (the API, holding the target's snapshot lock) publishes one target's versions in order.
 * Thread-safe; does not own the producer.
 */
public final class ConfigChangePublisher {
    private final Producer<String, byte[]> producer;
    private final ConfigChangeCodec codec;
    private final String topic;

    public ConfigChangePublisher(
            Producer<String, byte[]> producer, ConfigChangeCodec codec, String topic) {
        this.producer = producer;
        this.codec = codec;
        this.topic = topic;
    }

    /**
     * Sends the event and waits for the acknowledgement.
     *
     * @throws ScanRequestPublisher.PublishException when Kafka did not acknowledge it
     */
    public void publish(ConfigChange change) {
        String key = change.target().targetId();
        try {
            producer.send(new ProducerRecord<>(topic, key, codec.encode(change))).get();
        } catch (ExecutionException e) {
            throw new ScanRequestPublisher.PublishException(
                    "publishing config change v"
                            + change.version()
                            + " of target "
                            + key
                            + " to "
                            + topic
                            + " failed: "
                            + e.getCause(),
                    e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScanRequestPublisher.PublishException(
                    "interrupted while waiting for Kafka to acknowledge a config change", e);
        }
    }
}
