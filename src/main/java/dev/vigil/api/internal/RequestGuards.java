package dev.vigil.api.internal;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * Checks every request before its handler: caps on the number of query parameters, and text that
 * PostgreSQL cannot hold (U+0000) refused with a 400 naming the parameter instead of failing deep
 * in a query (found by fuzzing the insight filters: {@code zone_id=a%00b} answered 500).
 */
public final class RequestGuards {

    /** The most query parameters ({@code name=value} pairs) a request may carry. */
    public static final int MAX_QUERY_PARAMS = 50;

    private RequestGuards() {}

    /**
     * Refuses the request with a 400 problem when it breaks a cap or carries a NUL; runs once the
     * route is matched, so path parameters are known.
     */
    public static void check(Context ctx) {
        Map<String, List<String>> query = ctx.queryParamMap();
        int pairs = query.values().stream().mapToInt(List::size).sum();
        if (pairs > MAX_QUERY_PARAMS) {
            throw new ApiProblem(
                    400,
                    "Too many query parameters",
                    "the request has "
                            + pairs
                            + " query parameters; the most accepted is "
                            + MAX_QUERY_PARAMS
                            + " (cap max_query_params): combine values with commas instead",
                    "query");
        }
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            if (e.getKey().indexOf('\0') >= 0
                    || e.getValue().stream().anyMatch(v -> v.indexOf('\0') >= 0)) {
                throw ApiProblem.badRequest(
                        printable(e.getKey()),
                        "query parameter '"
                                + printable(e.getKey())
                                + "' contains a NUL character (%00), which no value may hold");
            }
        }
        for (Map.Entry<String, String> e : ctx.pathParamMap().entrySet()) {
            if (e.getValue().indexOf('\0') >= 0) {
                throw ApiProblem.badRequest(
                        e.getKey(),
                        "path parameter '"
                                + e.getKey()
                                + "' contains a NUL character (%00), which no identifier may hold");
            }
        }
    }

    private static String printable(String s) {
        return s.replace("\0", "\\0");
    }
}
