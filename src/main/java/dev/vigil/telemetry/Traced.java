package dev.vigil.telemetry;

import com.google.errorprone.annotations.MustBeClosed;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/**
 * An open span that is the current one on this thread, with its ids in the logging MDC. Closing it
 * ends the span and restores the previous current span and MDC. Use in try-with-resources on the
 * thread that opened it.
 */
public final class Traced implements AutoCloseable {
    private final Span span;
    private final Scope scope;
    private final TraceMdc mdc;

    // The scope is owned by this object, itself @MustBeClosed and closed in try-with-resources by
    // every caller; the checker cannot follow a resource into a field.
    @MustBeClosed
    @SuppressWarnings("MustBeClosedChecker")
    Traced(Span span) {
        this.span = span;
        this.scope = span.makeCurrent();
        this.mdc = TraceMdc.of(span.getSpanContext());
    }

    public Span span() {
        return span;
    }

    /** Records {@code failure} on the span and marks it as an error. Returns the failure. */
    public <T extends Throwable> T fail(T failure) {
        span.recordException(failure);
        span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
        return failure;
    }

    @Override
    public void close() {
        mdc.close();
        scope.close();
        span.end();
    }
}
