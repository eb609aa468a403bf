package dev.vigil.telemetry;

import com.google.errorprone.annotations.MustBeClosed;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Vigil's use of OpenTelemetry: one tracer, the configured propagator (W3C {@code traceparent} and
 * {@code tracestate} by default) over Kafka record headers and HTTP requests, and spans opened as
 * {@link Traced} scopes that also put the trace ids in the logging MDC.
 *
 * <p>Components take a {@code Tracing} and default to {@link #noop()}; the roles pass {@link
 * #global()}, which at run time is the SDK the OpenTelemetry Java agent installs; tests pass one
 * over an in-memory SDK. Immutable and thread-safe.
 */
public final class Tracing {
    /** The instrumentation scope of every span Vigil opens. */
    public static final String SCOPE = "dev.vigil";

    private static final Tracing NOOP = new Tracing(OpenTelemetry.noop());

    private final OpenTelemetry otel;
    private final Tracer tracer;

    private Tracing(OpenTelemetry otel) {
        this.otel = otel;
        this.tracer = otel.getTracer(SCOPE);
    }

    public static Tracing of(OpenTelemetry otel) {
        return new Tracing(otel);
    }

    /** Traces nothing and propagates nothing. */
    public static Tracing noop() {
        return NOOP;
    }

    /** Over {@link GlobalOpenTelemetry}: the agent's SDK when the process runs with it. */
    public static Tracing global() {
        return new Tracing(GlobalOpenTelemetry.get());
    }

    public OpenTelemetry openTelemetry() {
        return otel;
    }

    /** Opens a span that is a child of the current one (or a new trace's root) and enters it. */
    @MustBeClosed
    public Traced open(String name, SpanKind kind) {
        return open(name, kind, Context.current());
    }

    /** Opens a span that is a child of the span in {@code parent} and enters it. */
    @MustBeClosed
    public Traced open(String name, SpanKind kind, Context parent) {
        return new Traced(tracer.spanBuilder(name).setSpanKind(kind).setParent(parent).startSpan());
    }

    /**
     * Opens a span that is a child of the current one, linked to the spans of {@code links} (the
     * other work it does at once, e.g. the results of other scans sent in the same call), and
     * enters it. Invalid contexts are left out.
     */
    @MustBeClosed
    public Traced open(String name, SpanKind kind, List<SpanContext> links) {
        var builder = tracer.spanBuilder(name).setSpanKind(kind).setParent(Context.current());
        for (SpanContext l : links) {
            if (l.isValid()) {
                builder.addLink(l);
            }
        }
        return new Traced(builder.startSpan());
    }

    /**
     * Starts a span, a child of the current one, without entering it (e.g. one per record sent).
     */
    public Span start(String name, SpanKind kind) {
        return tracer.spanBuilder(name).setSpanKind(kind).startSpan();
    }

    /** Writes {@code span}'s context into {@code headers}, replacing earlier values. */
    public void inject(Span span, Headers headers) {
        otel.getPropagators()
                .getTextMapPropagator()
                .inject(Context.current().with(span), headers, KAFKA_SETTER);
    }

    /** Writes the current context into {@code request}'s headers. */
    public void inject(HttpRequest.Builder request) {
        otel.getPropagators()
                .getTextMapPropagator()
                .inject(Context.current(), request, HTTP_SETTER);
    }

    /** Hands the current context's headers to {@code header} (name, value). */
    public void inject(BiConsumer<String, String> header) {
        otel.getPropagators()
                .getTextMapPropagator()
                .inject(Context.current(), header, CONSUMER_SETTER);
    }

    /** The context carried by {@code headers} (the root context when they carry none). */
    public Context extract(Headers headers) {
        return otel.getPropagators()
                .getTextMapPropagator()
                .extract(Context.root(), headers, KAFKA_GETTER);
    }

    /** The context carried by a request whose header values {@code header} returns. */
    public Context extract(Function<String, @Nullable String> header) {
        return otel.getPropagators()
                .getTextMapPropagator()
                .extract(Context.root(), header, HTTP_GETTER);
    }

    private static final TextMapSetter<HttpRequest.Builder> HTTP_SETTER =
            (request, key, value) -> {
                if (request != null) {
                    request.setHeader(key, value);
                }
            };

    private static final TextMapSetter<BiConsumer<String, String>> CONSUMER_SETTER =
            (header, key, value) -> {
                if (header != null) {
                    header.accept(key, value);
                }
            };

    private static final TextMapSetter<Headers> KAFKA_SETTER =
            (headers, key, value) -> {
                if (headers != null) {
                    headers.remove(key);
                    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
                }
            };

    private static final TextMapGetter<Headers> KAFKA_GETTER =
            new TextMapGetter<>() {
                @Override
                public Iterable<String> keys(Headers headers) {
                    List<String> keys = new ArrayList<>();
                    for (Header h : headers) {
                        keys.add(h.key());
                    }
                    return keys;
                }

                @Override
                public @Nullable String get(@Nullable Headers headers, String key) {
                    Header h = headers == null ? null : headers.lastHeader(key);
                    return h == null || h.value() == null
                            ? null
                            : new String(h.value(), StandardCharsets.UTF_8);
                }
            };

    private static final TextMapGetter<Function<String, @Nullable String>> HTTP_GETTER =
            new TextMapGetter<>() {
                @Override
                public Iterable<String> keys(Function<String, @Nullable String> header) {
                    return List.of();
                }

                @Override
                public @Nullable String get(
                        @Nullable Function<String, @Nullable String> header, String key) {
                    return header == null ? null : header.apply(key);
                }
            };
}
