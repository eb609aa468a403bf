package dev.vigil.telemetry;

import io.opentelemetry.api.trace.SpanContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Puts a span's trace and span ids in the SLF4J MDC ({@value #TRACE_ID}, {@value #SPAN_ID}) for as
 * long as it is open, and restores what was there before on {@link #close()}, so every log line
 * written meanwhile on this thread carries them (the JSON encoder writes MDC fields). No Logback or
 * OpenTelemetry bridge is in the stack: this is the whole of it.
 *
 * <p>Confined to the thread that opened it; close it on that thread, in reverse order of opening.
 */
public final class TraceMdc implements AutoCloseable {
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";

    private final boolean put;
    private final @Nullable String previousTrace;
    private final @Nullable String previousSpan;

    private TraceMdc(boolean put, @Nullable String previousTrace, @Nullable String previousSpan) {
        this.put = put;
        this.previousTrace = previousTrace;
        this.previousSpan = previousSpan;
    }

    /** Puts {@code span}'s ids in the MDC; an invalid (untraced) context changes nothing. */
    public static TraceMdc of(SpanContext span) {
        if (!span.isValid()) {
            return new TraceMdc(false, null, null);
        }
        TraceMdc m = new TraceMdc(true, MDC.get(TRACE_ID), MDC.get(SPAN_ID));
        MDC.put(TRACE_ID, span.getTraceId());
        MDC.put(SPAN_ID, span.getSpanId());
        return m;
    }

    @Override
    public void close() {
        if (!put) {
            return;
        }
        restore(TRACE_ID, previousTrace);
        restore(SPAN_ID, previousSpan);
    }

    private static void restore(String key, @Nullable String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
