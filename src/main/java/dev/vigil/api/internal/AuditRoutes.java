package dev.vigil.api.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The audit log, newest first (read by {@link AuditReads}): per insight, and per account (or zone),
 * filtered by time ({@code since} inclusive, {@code until} exclusive), {@code actor} (the token
 * name, or {@code system} for scan results) and {@code field} ({@code status}, {@code dismissed},
 * {@code classification}), cursor-paged.
 */
public final class AuditRoutes {

    private static final Set<String> PARAMS =
            Set.of("since", "until", "actor", "field", "cursor", "per_page");

    private final Auth auth;
    private final Jdbi jdbi;
    private final AuditReads reads;

    private AuditRoutes(Auth auth, Jdbi jdbi, AuditReads reads) {
        this.auth = auth;
        this.jdbi = jdbi;
        this.reads = reads;
    }

    public static void register(RoutesConfig routes, Auth auth, Jdbi jdbi) {
        AuditRoutes r = new AuditRoutes(auth, jdbi, new AuditReads(jdbi));
        for (String p : InsightRoutes.PREFIXES) {
            routes.get(p + "/audit", ctx -> r.list(ctx, false));
            routes.get(p + "/insights/{insight_id}/audit", ctx -> r.list(ctx, true));
        }
    }

    private void list(Context ctx, boolean oneInsight) {
        Scope scope = auth.read(ctx);
        for (String name : ctx.queryParamMap().keySet()) {
            if (!PARAMS.contains(name)) {
                throw ApiProblem.badRequest(
                        name,
                        "unknown query parameter '"
                                + name
                                + "' (expected since, until, actor, field, cursor, per_page)");
            }
        }
        @Nullable Long insightId = null;
        if (oneInsight) {
            long id = InsightRoutes.insightId(ctx);
            InsightRoutes.find(jdbi, scope, id); // 404 unless the insight is the caller's
            insightId = id;
        }
        Instant since = instant(ctx, "since");
        Instant until = instant(ctx, "until");
        List<String> actors = values(ctx, "actor");
        List<String> fields = values(ctx, "field");
        String cursor = ctx.queryParam("cursor");
        AuditReads.Key after = cursor != null && !cursor.isBlank() ? decode(cursor) : null;
        int perPage = InsightFilter.integer(ctx, "per_page", 100, 1, 1_000);
        AuditReads.Page page =
                reads.page(
                        scope,
                        new AuditReads.Query(
                                insightId, since, until, actors, fields, after, perPage));
        AuditReads.Key next = page.nextKey();
        Json.ok(
                ctx,
                page.entries(),
                new PageInfo(
                        page.entries().size(),
                        perPage,
                        next == null ? null : encode(next.at() + "\n" + next.id())));
    }

    /**
     * A page's result info.
     *
     * @param cursor the cursor of the next page; null on the last one
     */
    record PageInfo(int count, int perPage, @Nullable String cursor) {}

    private static @Nullable Instant instant(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return Rfc3339.parse(name, "query parameter '" + name + "'", raw.trim());
    }

    private static List<String> values(Context ctx, String name) {
        List<String> out = new ArrayList<>();
        for (String raw : ctx.queryParams(name)) {
            for (String v : raw.split(",", -1)) {
                if (!v.isBlank()) {
                    out.add(v.trim());
                }
            }
        }
        return out;
    }

    private static String encode(String key) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static AuditReads.Key decode(String cursor) {
        try {
            String[] parts =
                    new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)
                            .split("\n", -1);
            if (parts.length == 2) {
                Instant.parse(parts[0]);
                return new AuditReads.Key(parts[0], Long.parseLong(parts[1]));
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            // reported below
        }
        throw ApiProblem.badRequest(
                "cursor",
                "query parameter 'cursor' is not an audit cursor: pass the result_info.cursor of"
                        + " the previous page");
    }
}
