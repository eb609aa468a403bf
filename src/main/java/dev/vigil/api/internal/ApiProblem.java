package dev.vigil.api.internal;

import org.jspecify.annotations.Nullable;

/**
 * A request that fails with an RFC 9457 problem: thrown by handlers, rendered by {@link Problems}.
 *
 * @see Problems#render
 */
public final class ApiProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String title;
    private final @Nullable String field;

    public ApiProblem(int status, String title, String detail, @Nullable String field) {
        super(detail);
        this.status = status;
        this.title = title;
        this.field = field;
    }

    public static ApiProblem badRequest(String field, String detail) {
        return new ApiProblem(400, "Bad request", detail, field);
    }

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "Unauthorized", detail, null);
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(403, "Forbidden", detail, null);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public @Nullable String field() {
        return field;
    }
}
