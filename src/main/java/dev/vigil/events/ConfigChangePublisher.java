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
 *
 * <p>{@link #publish(ConfigChange, byte[])} puts the stored document inline (schema v2) when it is
 * at most {@link #inlineMaxBytes()} long, so the change worker evaluates it without asking the API
 * for the version; a larger document is left out and fetched. Thread-safe; does not own the
 * producer.
 */
public final class ConfigChangePublisher {

    /** Default inline limit: most pushed documents fit, and an event stays far below 1 MiB. */
    public static final int DEFAULT_INLINE_MAX_BYTES = 256 * 1024;

    /**
     * The largest inline limit accepted: Kafka refuses a record over 1 MiB by default (the
     * producer's {@code max.request.size}, the broker's {@code message.max.bytes}), and the event's
     * other fields and headers need room beside the document.
     */
    public static final int MAX_INLINE_MAX_BYTES = 768 * 1024;

    private final Producer<String, byte[]> producer;
    private final ConfigChangeCodec codec;
    private final String topic;
    private final Tracing tracing;
    private final int inlineMaxBytes;

    public ConfigChangePublisher(
            Producer<String, byte[]> producer, ConfigChangeCodec codec, String topic) {
        this(producer, codec, topic, Tracing.noop());
    }

    public ConfigChangePublisher(
            Producer<String, byte[]> producer,
            ConfigChangeCodec codec,
            String topic,
            Tracing tracing) {
        this(producer, codec, topic, tracing, DEFAULT_INLINE_MAX_BYTES);
    }

    /**
     * As the other constructors, documents of at most {@code inlineMaxBytes} carried inline.
     *
     * @param inlineMaxBytes 0 (never inline) to {@link #MAX_INLINE_MAX_BYTES}
     * @throws IllegalArgumentException when the limit is outside that range
     */
    public ConfigChangePublisher(
            Producer<String, byte[]> producer,
            ConfigChangeCodec codec,
            String topic,
            Tracing tracing,
            int inlineMaxBytes) {
        this.producer = producer;
        this.codec = codec;
        this.topic = topic;
        this.tracing = tracing;
        this.inlineMaxBytes = checkInlineMaxBytes(inlineMaxBytes);
    }

    /**
     * {@code bytes} if it is a valid inline limit.
     *
     * @throws IllegalArgumentException naming the range, when it is not
     */
    public static int checkInlineMaxBytes(int bytes) {
        if (bytes < 0 || bytes > MAX_INLINE_MAX_BYTES) {
            throw new IllegalArgumentException(
                    "the config-change inline limit must be 0 (never inline) to "
                            + MAX_INLINE_MAX_BYTES
                            + " bytes, so an event fits Kafka's default 1 MiB message size; got "
                            + bytes);
        }
        return bytes;
    }

    /** Documents up to this many bytes travel inline. */
    public int inlineMaxBytes() {
        return inlineMaxBytes;
    }

    /**
     * Sends the event, with {@code document} (the stored UTF-8 JSON) inline when it fits the limit,
     * and waits for the acknowledgement. The array is not modified.
     *
     * @throws PublishException when Kafka did not acknowledge it
     */
    public void publish(ConfigChange change, byte[] document) {
        publish(
                document.length <= inlineMaxBytes
                        ? change.withDocument(InlineDocument.of(document))
                        : change.withDocument(null));
    }

    /**
     * Sends the event as it is (with its inline document, if any) and waits for the
     * acknowledgement.
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
