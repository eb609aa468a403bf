package dev.vigil.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.InMemoryTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpRequest;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TracingTest {
    final InMemoryTracing otel = InMemoryTracing.start();
    final InMemorySpanExporter spans = otel.spans();
    final OpenTelemetrySdk sdk = otel.sdk();
    final Tracing tracing = otel.tracing();

    @AfterEach
    void close() {
        sdk.close();
        MDC.clear();
    }

    @Test
    void aKafkaRecordCarriesTheSpanSoTheConsumerContinuesTheTrace() {
        RecordHeaders headers = new RecordHeaders();
        Span producer = tracing.start("publish", SpanKind.PRODUCER);
        tracing.inject(producer, headers);
        tracing.inject(producer, headers);
        producer.end();

        try (Traced consumer =
                tracing.open("process", SpanKind.CONSUMER, tracing.extract(headers))) {
            assertThat(consumer.span().getSpanContext().getTraceId())
                    .isEqualTo(producer.getSpanContext().getTraceId());
        }
        assertThat(headers.headers("traceparent")).as("injected twice, present once").hasSize(1);
        SpanData process = spans.getFinishedSpanItems().getLast();
        assertThat(process.getParentSpanId()).isEqualTo(producer.getSpanContext().getSpanId());
    }

    @Test
    void anHttpRequestCarriesTheCurrentSpanAndAServerReadsItBack() {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost/"));
        String clientSpan;
        try (Traced client = tracing.open("call", SpanKind.CLIENT)) {
            clientSpan = client.span().getSpanContext().getSpanId();
            tracing.inject(request);
        }
        HttpRequest sent = request.build();

        Context received = tracing.extract(name -> sent.headers().firstValue(name).orElse(null));
        assertThat(Span.fromContext(received).getSpanContext().getSpanId()).isEqualTo(clientSpan);
        assertThat(sent.headers().firstValue("traceparent")).isPresent();
    }

    @Test
    void theMdcHoldsTheInnermostOpenSpanAndIsRestoredWhenItCloses() {
        MDC.put("tenant", "kept");
        try (Traced outer = tracing.open("outer", SpanKind.INTERNAL)) {
            String trace = outer.span().getSpanContext().getTraceId();
            assertThat(MDC.get(TraceMdc.TRACE_ID)).isEqualTo(trace);
            try (Traced inner = tracing.open("inner", SpanKind.INTERNAL)) {
                assertThat(MDC.get(TraceMdc.SPAN_ID))
                        .isEqualTo(inner.span().getSpanContext().getSpanId());
                assertThat(MDC.get(TraceMdc.TRACE_ID)).isEqualTo(trace);
            }
            assertThat(MDC.get(TraceMdc.SPAN_ID))
                    .isEqualTo(outer.span().getSpanContext().getSpanId());
        }
        assertThat(MDC.get(TraceMdc.TRACE_ID)).isNull();
        assertThat(MDC.get(TraceMdc.SPAN_ID)).isNull();
        assertThat(MDC.get("tenant")).isEqualTo("kept");
    }

    @Test
    void aFailureMarksTheSpanAsAnError() {
        try (Traced t = tracing.open("fetch", SpanKind.CLIENT)) {
            t.fail(new IllegalStateException("status 503"));
        }
        SpanData s = spans.getFinishedSpanItems().getFirst();
        assertThat(s.getStatus().getStatusCode().name()).isEqualTo("ERROR");
        assertThat(s.getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
    }

    @Test
    void withoutAnSdkNothingIsPropagatedAndTheMdcStaysEmpty() {
        Tracing noop = Tracing.noop();
        RecordHeaders headers = new RecordHeaders();
        try (Traced t = noop.open("process", SpanKind.CONSUMER, noop.extract(headers))) {
            noop.inject(t.span(), headers);
            assertThat(MDC.get(TraceMdc.TRACE_ID)).isNull();
        }
        assertThat(headers.toArray()).isEmpty();
    }
}
