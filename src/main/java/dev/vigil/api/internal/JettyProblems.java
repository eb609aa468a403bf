package dev.vigil.api.internal;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * Jetty's error page for requests it refuses before any route runs (a path holding {@code %00} or
 * an ambiguous segment, a malformed header): an RFC 9457 problem like every other error, instead of
 * Jetty's HTML page (found by fuzzing the results route with a NUL in the scan id).
 */
public final class JettyProblems extends ErrorHandler {

    @Override
    protected void generateResponse(
            Request request,
            Response response,
            int code,
            @Nullable String message,
            @Nullable Throwable cause,
            Callback callback) {
        String reason = HttpStatus.getMessage(code);
        ProblemBody body =
                new ProblemBody(
                        ProblemBody.ABOUT_BLANK,
                        reason == null ? "Error" : reason,
                        code,
                        "the request was refused before reaching a route: "
                                + (message == null || message.isBlank() ? reason : message)
                                + (code < 500
                                        ? " (check the path's encoding: no %00, no empty segments)"
                                        : ""),
                        null,
                        null);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(Json.bytes(body)), callback);
    }
}
