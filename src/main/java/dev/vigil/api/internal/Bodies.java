package dev.vigil.api.internal;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Reading small JSON request bodies, with 400s naming the field and the rule. */
final class Bodies {

    /**
     * The largest small body accepted (413 past it): a bulk dismissal of the most ids allowed fits
     * ten times over. Configuration documents and scan results have their own, larger caps.
     */
    public static final int MAX_BYTES = 1024 * 1024;

    private Bodies() {}

    /** The body as a JSON object whose fields are all among {@code allowed}; 413 past the cap. */
    static JsonNode object(Context ctx, Set<String> allowed) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(capped(ctx));
        } catch (JacksonException e) {
            throw ApiProblem.badRequest(
                    "body", "the request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw ApiProblem.badRequest("body", "the request body must be a JSON object");
        }
        for (String name : body.propertyNames()) {
            if (!allowed.contains(name)) {
                throw ApiProblem.badRequest(
                        name,
                        "unknown field '"
                                + name
                                + "' (expected "
                                + String.join(", ", allowed.stream().sorted().toList())
                                + ")");
            }
        }
        return body;
    }

    /** The body's bytes, at most {@link #MAX_BYTES}; 413 naming the cap past that. */
    private static byte[] capped(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        byte[] bytes;
        if (declared <= MAX_BYTES) {
            try (InputStream in = ctx.bodyInputStream()) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            } catch (IOException e) {
                throw new UncheckedIOException("reading the request body", e);
            }
        } else {
            bytes = new byte[0];
        }
        if (declared > MAX_BYTES || bytes.length > MAX_BYTES) {
            throw new ApiProblem(
                    413,
                    "Body too large",
                    "the request body has "
                            + Math.max(declared, bytes.length)
                            + "+ bytes; the most accepted is "
                            + MAX_BYTES
                            + " (cap max_body_bytes)",
                    "body");
        }
        return bytes;
    }

    /** The required boolean {@code name}. */
    static boolean bool(JsonNode body, String name) {
        JsonNode v = body.get(name);
        if (v == null || !v.isBoolean()) {
            throw ApiProblem.badRequest(name, "field '" + name + "' is required: true or false");
        }
        return v.booleanValue();
    }

    /** The optional string {@code name}; null when absent or null. */
    static @Nullable String text(JsonNode body, String name) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw ApiProblem.badRequest(name, "field '" + name + "' must be a string");
        }
        return v.stringValue();
    }

    /** The optional RFC 3339 instant {@code name}. */
    static @Nullable Instant instant(JsonNode body, String name) {
        String raw = text(body, name);
        return raw == null ? null : Rfc3339.parse(name, "field '" + name + "'", raw);
    }
}
