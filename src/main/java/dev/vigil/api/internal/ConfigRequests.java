package dev.vigil.api.internal;

import dev.vigil.api.PushAdmission;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The request side of the config routes: their query parameters and the pushed body, each refused
 * with a 400 (413 for a body too large) naming the parameter and the rule.
 */
final class ConfigRequests {

    /** The largest document accepted (413 past it), as the workers' HTTP source accepts. */
    static final int MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

    private static final Set<String> PUSH_PARAMS = Set.of("changed_sections", "version");

    private ConfigRequests() {}

    /**
     * 429 with {@code Retry-After} while {@code admission}'s gate is closed (the change backlog is
     * over its bound): the pusher retries later instead of the backlog growing without limit.
     */
    static void admit(Context ctx, PushAdmission admission) {
        switch (admission.gate()) {
            case PushAdmission.Gate.Open o -> {}
            case PushAdmission.Gate.Closed c -> {
                ctx.header("Retry-After", Long.toString(c.retryAfterSeconds()));
                throw new ApiProblem(
                        429,
                        "Too many requests",
                        "config pushes are paused: "
                                + c.reason()
                                + "; retry in "
                                + c.retryAfterSeconds()
                                + " s",
                        null);
            }
        }
    }

    /** Refuses a query parameter a push does not know (a misspelled one would be ignored). */
    static void onlyPushParameters(Context ctx) {
        for (String name : ctx.queryParamMap().keySet()) {
            if (!PUSH_PARAMS.contains(name)) {
                throw ApiProblem.badRequest(
                        name,
                        "unknown query parameter '"
                                + name
                                + "' (expected changed_sections, version)");
            }
        }
    }

    /** Query parameter {@code version}, an integer >= 1, or null when absent. */
    static @Nullable Long version(Context ctx) {
        String raw = ctx.queryParam("version");
        if (raw == null) {
            return null;
        }
        try {
            long v = Long.parseLong(raw);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiProblem.badRequest(
                "version", "query parameter version must be an integer >= 1, got '" + raw + "'");
    }

    /**
     * Query parameter {@code changed_sections} (comma-separated), sorted and distinct, or null when
     * absent (the API computes them).
     */
    static @Nullable List<String> sections(Context ctx) {
        String raw = ctx.queryParam("changed_sections");
        if (raw == null) {
            return null;
        }
        List<String> list =
                Arrays.stream(raw.split(",", -1))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .distinct()
                        .sorted()
                        .toList();
        if (list.isEmpty()) {
            throw ApiProblem.badRequest(
                    "changed_sections",
                    "query parameter changed_sections must name at least one section"
                            + " (comma-separated), or be left out to have the API compute them");
        }
        return list;
    }

    /** The body, at most {@link #MAX_DOCUMENT_BYTES}; 413 past that, read no further. */
    static byte[] body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_DOCUMENT_BYTES) {
            throw tooLarge(declared);
        }
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] bytes = in.readNBytes(MAX_DOCUMENT_BYTES + 1);
            if (bytes.length > MAX_DOCUMENT_BYTES) {
                throw tooLarge(bytes.length);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("reading a pushed configuration", e);
        }
    }

    private static ApiProblem tooLarge(long size) {
        return new ApiProblem(
                413,
                "Document too large",
                "the configuration document has "
                        + size
                        + "+ bytes; the most accepted is "
                        + MAX_DOCUMENT_BYTES,
                "body");
    }
}
