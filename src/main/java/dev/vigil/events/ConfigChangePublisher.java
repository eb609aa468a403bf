package dev.vigil.events;

import dev.vigil.telemetry.Traced;
import dev.vigil.telemetry.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes config-change events keyed by target id and waits for Kafka's acknowledgement, so the
 * caller (the API, holding the target's snapshot lock) publishes one target's versions in order.
 * Each event is sent under a producer span whose context travels in the {@code traceparent} header.
 * Thread-safe; does not own the producer.
 */
public final class ConfigChangePublisher {
    private final Producer<String, byte[]> producer;
    private final ConfigChangeCodec codec;
    private final String topic;
    private final Tracing tracing;

    public ConfigChangePublisher(
            Producer<String, byte[]> producer, ConfigChangeCodec codec, String topic) {
        this(producer, codec, topic, Tracing.noop());
    }

    public ConfigChangePublisher(
            Producer<String, byte[]> producer,
            ConfigChangeCodec codec,
            String topic,
            Tracing tracing) {
        this.producer = producer;
        this.codec = codec;
        this.topic = topic;
        this.tracing = tracing;
    }

    /**
     * Sends the event and waits for the acknowledgement.
     *
     * @throws PublishException when Kafka did not acknowledge it
     */
    public void publish(ConfigChange change) {
        String key = change.target().targetId();
        try (Traced t = tracing.open(topic + " publish", SpanKind.PRODUCER)) {
            t.span().setAttribute("messaging.system", "kafka");
            t.span().setAttribute("messaging.destination.name", topic);
            t.span().setAttribute("vigil.target_id", key);
            ProducerRecord<String, byte[]> rec =
                    new ProducerRecord<>(topic, key, codec.encode(change));
            tracing.inject(t.span(), rec.headers());
            send(rec, change, t);
        }
    }

    private void send(ProducerRecord<String, byte[]> rec, ConfigChange change, Traced t) {
        String key = rec.key();
        try {
            producer.send(rec).get();
        } catch (ExecutionException e) {
            t.fail(e.getCause() == null ? e : e.getCause());
            throw PublishException.of(
                    "publishing config change v"
                            + change.version()
                            + " of target "
                            + key
                            + " to "
                            + topic
                            + " failed: "
                            + e.getCause(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PublishException.of(
                    "interrupted while waiting for Kafka to acknowledge a config change", e);
        }
    }
}
