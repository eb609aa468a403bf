package dev.vigil.sources.cloudflare.internal;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A Cloudflare API request that did not give a result, with the verdict as {@link Kind}: the
 * document builders switch over it (a refused section is an {@code _errors} entry, a missing
 * entrypoint is an empty phase, an unreachable API is retried later). The message names the path,
 * the HTTP status, Cloudflare's error codes and messages, and never the token.
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, as far as the caller needs to know. */
    public enum Kind {
        /** 403, or an error code that denies permission: this token may not read this. */
        PERMISSION,
        /** 401 or an invalid-token answer: the credential itself is refused everywhere. */
        AUTHENTICATION,
        /** 404: no such object (a zone gone, a phase without an entrypoint). */
        NOT_FOUND,
        /** 5xx, timeouts, refused connections, or 429s beyond the wait budget: try later. */
        UNAVAILABLE,
        /** Any other answer: a request the API refuses, or a body that is not its envelope. */
        INVALID
    }

    private final Kind kind;
    private final int status;
    private final List<Integer> codes;

    public ApiException(
            Kind kind, int status, List<Integer> codes, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.codes = List.copyOf(codes);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or 0 when no answer arrived. */
    public int status() {
        return status;
    }

    /** Cloudflare's error codes from the envelope's {@code errors}, possibly empty. */
    public List<Integer> codes() {
        return codes;
    }

    /**
     * The short reason stored in a document's {@code _errors} and shown per target: {@code
     * permission_denied: …}, {@code not_found: …} or {@code unavailable: …}.
     */
    public String reason() {
        String what =
                switch (kind) {
                    case PERMISSION -> "permission_denied";
                    case AUTHENTICATION -> "authentication_failed";
                    case NOT_FOUND -> "not_found";
                    case UNAVAILABLE -> "unavailable";
                    case INVALID -> "invalid_response";
                };
        return what + ": " + getMessage();
    }
}
