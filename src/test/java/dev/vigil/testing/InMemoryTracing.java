package dev.vigil.testing;

import dev.vigil.telemetry.Tracing;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;

/**
 * An OpenTelemetry SDK whose finished spans are kept in memory (exported one by one, as they end),
 * with W3C trace-context propagation: what tests read traces from. Close it after the test.
 */
public record InMemoryTracing(OpenTelemetrySdk sdk, InMemorySpanExporter spans, Tracing tracing)
        implements AutoCloseable {

    public static InMemoryTracing start() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        OpenTelemetrySdk sdk =
                OpenTelemetrySdk.builder()
                        .setTracerProvider(
                                SdkTracerProvider.builder()
                                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                                        .build())
                        .setPropagators(
                                ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                        .build();
        return new InMemoryTracing(sdk, spans, Tracing.of(sdk));
    }

    /** The spans finished so far. */
    public List<SpanData> finished() {
        return spans.getFinishedSpanItems();
    }

    @Override
    public void close() {
        sdk.close();
    }
}
