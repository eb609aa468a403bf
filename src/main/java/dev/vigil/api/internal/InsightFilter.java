package dev.vigil.api.internal;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The filters of {@code GET /v1/accounts/{account_id}/insights}. Each filter ({@code severity},
 * {@code status}, {@code zone_id}) takes values repeated or comma-separated, and has a negated form
 * {@code not_<filter>}; {@code status} defaults to {@code open} when neither form is given.
 */
public record InsightFilter(
        List<String> severity,
        List<String> notSeverity,
        List<String> status,
        List<String> notStatus,
        List<String> zoneId,
        List<String> notZoneId,
        int page,
        int perPage) {

    public static final int DEFAULT_PER_PAGE = 50;
    public static final int MAX_PER_PAGE = 500;

    private static final Set<String> SEVERITIES = Set.of("low", "moderate", "high", "critical");
    private static final Set<String> STATUSES = Set.of("open", "resolved");
    private static final Set<String> PARAMS =
            Set.of(
                    "severity",
                    "not_severity",
                    "status",
                    "not_status",
                    "zone_id",
                    "not_zone_id",
                    "page",
                    "per_page");

    /** Parses the query; 400 naming the parameter for an unknown parameter or a bad value. */
    public static InsightFilter parse(Context ctx) {
        Map<String, List<String>> q = ctx.queryParamMap();
        for (String name : q.keySet()) {
            if (!PARAMS.contains(name)) {
                throw ApiProblem.badRequest(
                        name,
                        "unknown query parameter '"
                                + name
                                + "' (filters: severity, status, zone_id, each negated as"
                                + " not_<filter>; paging: page, per_page)");
            }
        }
        List<String> status = values(ctx, "status", STATUSES);
        List<String> notStatus = values(ctx, "not_status", STATUSES);
        if (status.isEmpty() && notStatus.isEmpty()) {
            status = List.of("open");
        }
        return new InsightFilter(
                values(ctx, "severity", SEVERITIES),
                values(ctx, "not_severity", SEVERITIES),
                status,
                notStatus,
                values(ctx, "zone_id", Set.of()),
                values(ctx, "not_zone_id", Set.of()),
                integer(ctx, "page", 1, 1, Integer.MAX_VALUE / MAX_PER_PAGE),
                integer(ctx, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE));
    }

    private static List<String> values(Context ctx, String name, Set<String> allowed) {
        List<String> out = new ArrayList<>();
        for (String raw : ctx.queryParams(name)) {
            for (String v : raw.split(",")) {
                String value = v.trim();
                if (value.isEmpty()) {
                    continue;
                }
                if (!allowed.isEmpty() && !allowed.contains(value)) {
                    throw ApiProblem.badRequest(
                            name,
                            "query parameter '"
                                    + name
                                    + "' has an unknown value '"
                                    + value
                                    + "' (expected one of "
                                    + String.join(", ", allowed.stream().sorted().toList())
                                    + ")");
                }
                out.add(value);
            }
        }
        return out;
    }

    private static int integer(Context ctx, String name, int dflt, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(raw.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiProblem.badRequest(
                name,
                "query parameter '"
                        + name
                        + "' must be an integer from "
                        + min
                        + " to "
                        + max
                        + ", got '"
                        + raw
                        + "'");
    }
}
