package dev.vigil.api.internal;

import dev.vigil.telemetry.Traced;
import dev.vigil.telemetry.Tracing;
import io.javalin.http.Handler;
import io.opentelemetry.api.trace.SpanKind;

/**
 * Server spans for routes that take part in a pipeline trace (a config push that starts one, the
 * snapshot fetch inside one): named {@code METHOD /route/{template}}, continuing a caller's W3C
 * {@code traceparent} when the request carries one, recording the status or the failure.
 */
public record ServerSpans(Tracing tracing) {

    /** {@code handler} under a server span of its own. */
    public Handler wrap(String method, String route, Handler handler) {
        String name = method + " " + route;
        return ctx -> {
            try (Traced t = tracing.open(name, SpanKind.SERVER, tracing.extract(ctx::header))) {
                t.span().setAttribute("http.request.method", method);
                t.span().setAttribute("http.route", route);
                try {
                    handler.handle(ctx);
                    t.span().setAttribute("http.response.status_code", ctx.statusCode());
                } catch (Exception e) {
                    throw t.fail(e);
                }
            }
        };
    }
}
