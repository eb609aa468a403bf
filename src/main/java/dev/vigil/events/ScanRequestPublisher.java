package dev.vigil.events;

import dev.vigil.telemetry.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Publishes scan requests keyed by target id, with the lane in a header. {@link #publishAll}
 * returns only once Kafka acknowledged every request, so a caller can record "published" afterwards
 * and a crash in between repeats a scan rather than losing one.
 *
 * <p>Tracing: each request is sent under a producer span of its own, a child of the current span
 * (the consumer span when a worker re-publishes to the slow lane) or the root of a new trace (the
 * scheduler), and that span's context travels in the record's {@code traceparent} header.
 *
 * <p>Thread-safe (the Kafka producer is); does not own the producer.
 */
public final class ScanRequestPublisher {
    private final Producer<String, byte[]> producer;
    private final ScanRequestCodec codec;
    private final String topic;
    private final Tracing tracing;

    public ScanRequestPublisher(
            Producer<String, byte[]> producer, ScanRequestCodec codec, String topic) {
        this(producer, codec, topic, Tracing.noop());
    }

    public ScanRequestPublisher(
            Producer<String, byte[]> producer,
            ScanRequestCodec codec,
            String topic,
            Tracing tracing) {
        this.producer = producer;
        this.codec = codec;
        this.topic = topic;
        this.tracing = tracing;
    }

    /**
     * Sends every request and waits for all acknowledgements.
     *
     * @throws PublishException when any send failed; some requests may have been written (the
     *     caller treats all as unpublished and will publish them again: consumers are idempotent)
     */
    public void publishAll(List<ScanRequest> requests) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(requests.size());
        List<Span> spans = new ArrayList<>(requests.size());
        try {
            for (ScanRequest r : requests) {
                Span span = tracing.start(topic + " publish", SpanKind.PRODUCER);
                spans.add(span);
                span.setAttribute("messaging.system", "kafka");
                span.setAttribute("messaging.destination.name", topic);
                span.setAttribute("vigil.scan_id", r.scanId().toString());
                span.setAttribute("vigil.target_id", r.targetId());
                ProducerRecord<String, byte[]> rec = record(r);
                tracing.inject(span, rec.headers());
                acks.add(send(rec, r));
            }
            awaitAcks(requests, acks, spans);
        } finally {
            spans.forEach(Span::end);
        }
    }

    /**
     * Sends {@code rec}; a send the producer refuses at once fails as its acknowledgement would.
     */
    private Future<RecordMetadata> send(ProducerRecord<String, byte[]> rec, ScanRequest r) {
        try {
            return producer.send(rec);
        } catch (KafkaException e) {
            throw PublishException.of(
                    "publishing scan request for target "
                            + r.targetId()
                            + " to "
                            + topic
                            + " failed: "
                            + e,
                    e);
        }
    }

    private void awaitAcks(
            List<ScanRequest> requests, List<Future<RecordMetadata>> acks, List<Span> spans) {
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get();
            } catch (ExecutionException e) {
                spans.get(i).setStatus(StatusCode.ERROR, String.valueOf(e.getCause()));
                throw PublishException.of(
                        "publishing scan request for target "
                                + requests.get(i).targetId()
                                + " to "
                                + topic
                                + " failed: "
                                + e.getCause(),
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw PublishException.of(
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
}
