package dev.vigil.worker;

import dev.vigil.telemetry.Traced;
import dev.vigil.telemetry.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Runs each record's handling under a consumer span continuing the trace in its {@code traceparent}
 * header, with the trace ids in the logging MDC, so the fetch, evaluation, results call, retries
 * and dead-lettering of one scan are all in the trace of its publish and every log line they write
 * carries its trace id. The other lane's records never get here: the consumer drops them.
 */
final class TracedRecords implements RecordHandler {
    private final RecordHandler delegate;
    private final Tracing tracing;

    TracedRecords(RecordHandler delegate, Tracing tracing) {
        this.delegate = delegate;
        this.tracing = tracing;
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        try (Traced t =
                tracing.open(
                        record.topic() + " process",
                        SpanKind.CONSUMER,
                        tracing.extract(record.headers()))) {
            t.span().setAttribute("messaging.system", "kafka");
            t.span().setAttribute("messaging.destination.name", record.topic());
            t.span().setAttribute("messaging.destination.partition.id", record.partition());
            t.span().setAttribute("messaging.kafka.offset", record.offset());
            if (record.key() != null) {
                t.span().setAttribute("messaging.kafka.message.key", record.key());
            }
            try {
                delegate.handle(record);
            } catch (InterruptedException e) {
                throw t.fail(e);
            } catch (RuntimeException e) {
                throw t.fail(e);
            }
        }
    }
}
