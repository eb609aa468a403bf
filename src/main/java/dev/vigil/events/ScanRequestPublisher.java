package dev.vigil.events;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes scan requests keyed by target id, with the lane in a header. {@link #publishAll}
 * returns only once Kafka acknowledged every request, so a caller can record "published" afterwards
 * and a crash in between repeats a scan rather than losing one.
 *
 * <p>Thread-safe (the Kafka producer is); does not own the producer.
 */
public final class ScanRequestPublisher {
    private final Producer<String, byte[]> producer;
    private final ScanRequestCodec codec;
    private final String topic;

    public ScanRequestPublisher(
            Producer<String, byte[]> producer, ScanRequestCodec codec, String topic) {
        this.producer = producer;
        this.codec = codec;
        this.topic = topic;
    }

    /**
     * Sends every request and waits for all acknowledgements.
     *
     * @throws PublishException when any send failed; some requests may have been written (the
     *     caller treats all as unpublished and will publish them again: consumers are idempotent)
     */
    public void publishAll(List<ScanRequest> requests) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(requests.size());
        for (ScanRequest r : requests) {
            acks.add(producer.send(record(r)));
        }
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get();
            } catch (ExecutionException e) {
                throw new PublishException(
                        "publishing scan request for target "
                                + requests.get(i).targetId()
                                + " to "
                                + topic
                                + " failed: "
                                + e.getCause(),
                        e.getCause() == null ? e : e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PublishException(
                        "interrupted while waiting for Kafka acknowledgements", e);
            }
        }
    }

    public ProducerRecord<String, byte[]> record(ScanRequest r) {
        ProducerRecord<String, byte[]> rec =
                new ProducerRecord<>(topic, r.targetId(), codec.encode(r));
        VigilHeaders.put(rec.headers(), VigilHeaders.LANE, r.lane().wire());
        return rec;
    }

    /** Publishing failed; nothing may be recorded as published. */
    public static final class PublishException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
