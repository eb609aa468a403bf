package dev.vigil.worker;

import dev.vigil.events.VigilHeaders;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Sends a record that cannot be processed to the dead-letter topic: same key and value, the
 * original headers, and the reason (original topic, partition, offset, error type and message,
 * attempts and times) in {@code vigil-dlq-*} headers. Returns only once Kafka acknowledged it, so
 * the original's offset may then be committed.
 *
 * <p>Thread-safe; does not own the producer.
 */
public final class DeadLetterPublisher {
    private final Producer<String, byte[]> producer;
    private final String topic;

    public DeadLetterPublisher(Producer<String, byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    public void publish(
            ConsumerRecord<String, byte[]> original,
            Throwable cause,
            int attempts,
            Instant first,
            Instant last)
            throws InterruptedException {
        ProducerRecord<String, byte[]> r =
                new ProducerRecord<>(topic, original.key(), original.value());
        for (Header h : original.headers()) {
            r.headers().add(h);
        }
        VigilHeaders.put(r.headers(), VigilHeaders.DLQ_TOPIC, original.topic());
        VigilHeaders.put(
                r.headers(), VigilHeaders.DLQ_PARTITION, Integer.toString(original.partition()));
        VigilHeaders.put(r.headers(), VigilHeaders.DLQ_OFFSET, Long.toString(original.offset()));
        VigilHeaders.put(r.headers(), VigilHeaders.DLQ_ERROR_TYPE, cause.getClass().getName());
        String msg = String.valueOf(cause.getMessage());
        VigilHeaders.put(
                r.headers(),
                VigilHeaders.DLQ_ERROR_MESSAGE,
                msg.length() > 2000 ? msg.substring(0, 2000) : msg);
        VigilHeaders.put(r.headers(), VigilHeaders.DLQ_ATTEMPTS, Integer.toString(attempts));
        VigilHeaders.put(r.headers(), VigilHeaders.DLQ_FIRST_ATTEMPT_AT, first.toString());
        VigilHeaders.put(r.headers(), VigilHeaders.DLQ_LAST_ATTEMPT_AT, last.toString());
        try {
            producer.send(r).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "could not dead-letter "
                            + original.topic()
                            + "/"
                            + original.partition()
                            + "@"
                            + original.offset()
                            + " to "
                            + topic
                            + ": "
                            + e.getCause(),
                    e);
        }
    }
}
