package dev.vigil.worker;

import dev.vigil.telemetry.Traced;
import dev.vigil.telemetry.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Runs each record's handling under a consumer span continuing the trace in its {@code traceparent}
 * header, with the trace ids in the logging MDC, so the fetch, evaluation, results call, retries
 * and dead-lettering of one scan are all in the trace of its publish and every log line they write
 * carries its trace id. Records {@code traced} rejects (the other lane's, which this group only
 * skips) are handled without a span.
 */
final class TracedRecords implements RecordHandler {
    private final RecordHandler delegate;
    private final Tracing tracing;
    private final Predicate<ConsumerRecord<String, byte[]>> traced;

    TracedRecords(
            RecordHandler delegate,
            Tracing tracing,
            Predicate<ConsumerRecord<String, byte[]>> traced) {
        this.delegate = delegate;
        this.tracing = tracing;
        this.traced = traced;
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        if (!traced.test(record)) {
            delegate.handle(record);
            return;
        }
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
