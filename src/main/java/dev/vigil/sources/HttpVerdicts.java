package dev.vigil.sources;

import dev.vigil.inventory.Target;
import dev.vigil.sources.internal.BoundedBody;
import dev.vigil.sources.internal.JsonDocuments;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The verdicts of {@link HttpConfigSource}: which response or exchange failure is a document, a
 * retriable failure or a permanent one, and the messages that say so (target, URL, elapsed time,
 * what happened, the start of an error body).
 */
final class HttpVerdicts {

    private HttpVerdicts() {}

    static ConfigDocument verdict(
            Target target, URI url, int status, byte[] body, long began, long sent) {
        String targetId = target.targetId();
        if (status == 200) {
            String problem = JsonDocuments.problem(body);
            if (problem != null) {
                throw new PermanentSourceException(
                        targetId, failure(targetId, url, "status 200 but " + problem, began), null);
            }
            return new ConfigDocument(target, body, Instant.now(), elapsed(sent));
        }
        String what = "status " + status + quote(body);
        if (status == 408 || status == 429 || status >= 500) {
            throw new RetriableSourceException(targetId, failure(targetId, url, what, began), null);
        }
        if (status == 404) {
            what = what + " (the service does not know this target)";
        }
        throw new PermanentSourceException(targetId, failure(targetId, url, what, began), null);
    }

    static ConfigSourceException failed(
            String targetId, URI url, Throwable cause, long began, Duration timeout) {
        if (cause instanceof BoundedBody.TooLarge) {
            return new PermanentSourceException(
                    targetId,
                    failure(targetId, url, "status 200 but " + cause.getMessage(), began),
                    cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return new RetriableSourceException(
                    targetId,
                    // The client's own request timeout (the same figure as ours) may fire first.
                    failure(targetId, url, "timed out after " + timeout.toMillis() + " ms", began),
                    cause);
        }
        if (cause instanceof IOException) {
            // Refused, reset, closed mid-body: the service or the network may recover.
            return new RetriableSourceException(
                    targetId, failure(targetId, url, "connection failed: " + cause, began), cause);
        }
        return new PermanentSourceException(
                targetId, failure(targetId, url, "request failed: " + cause, began), cause);
    }

    static String failure(String targetId, URI url, String what, long began) {
        return "config fetch for target "
                + targetId
                + " from "
                + url
                + " failed after "
                + elapsed(began).toMillis()
                + " ms: "
                + what;
    }

    private static String quote(byte[] body) {
        if (body.length == 0) {
            return "";
        }
        return ": " + new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
    }

    static Duration elapsed(long began) {
        return Duration.ofNanos(System.nanoTime() - began);
    }
}
