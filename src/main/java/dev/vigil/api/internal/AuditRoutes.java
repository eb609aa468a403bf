package dev.vigil.api.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The audit log, newest first: per insight, and per account (or zone), filtered by time ({@code
 * since} inclusive, {@code until} exclusive), {@code actor} (the token name, or {@code system} for
 * scan results) and {@code field} ({@code status}, {@code dismissed}, {@code classification}),
 * cursor-paged.
 */
public final class AuditRoutes {

    private static final Set<String> PARAMS =
            Set.of("since", "until", "actor", "field", "cursor", "per_page");

    /** The changed field: user actions name it; scan transitions change the status. */
    private static final String FIELD = "coalesce(a.detail->>'field', 'status')";

    private static final String KEY =
            "to_char(a.at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";

    private final Auth auth;
    private final Jdbi jdbi;

    private AuditRoutes(Auth auth, Jdbi jdbi) {
        this.auth = auth;
        this.jdbi = jdbi;
    }

    public static void register(RoutesConfig routes, Auth auth, Jdbi jdbi) {
        AuditRoutes r = new AuditRoutes(auth, jdbi);
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
        Map<String, Object> binds = InsightRoutes.scopeBinds(scope);
        StringBuilder where = new StringBuilder(scope.predicate("a"));
        if (oneInsight) {
            long id = InsightRoutes.insightId(ctx);
            InsightRoutes.find(jdbi, scope, id); // 404 unless the insight is the caller's
            binds.put("insight", id);
            where.append(" and a.insight_id = :insight");
        }
        Instant since = instant(ctx, "since");
        if (since != null) {
            binds.put("since", Timestamp.from(since));
            where.append(" and a.at >= :since");
        }
        Instant until = instant(ctx, "until");
        if (until != null) {
            binds.put("until", Timestamp.from(until));
            where.append(" and a.at < :until");
        }
        List<String> actors = values(ctx, "actor");
        if (!actors.isEmpty()) {
            binds.put("actors", actors.toArray(String[]::new));
            where.append(" and a.changed_by = any(cast(:actors as text[]))");
        }
        List<String> fields = values(ctx, "field");
        if (!fields.isEmpty()) {
            binds.put("fields", fields.toArray(String[]::new));
            where.append(" and ").append(FIELD).append(" = any(cast(:fields as text[]))");
        }
        String cursor = ctx.queryParam("cursor");
        if (cursor != null && !cursor.isBlank()) {
            String[] key = decode(cursor);
            binds.put("after_at", key[0]);
            binds.put("after_id", Long.parseLong(key[1]));
            where.append(
                    " and (a.at, a.audit_id) < (cast(:after_at as timestamptz),"
                            + " cast(:after_id as bigint))");
        }
        int perPage = InsightFilter.integer(ctx, "per_page", 100, 1, 1_000);
        binds.put("limit", perPage + 1);
        String sql =
                "select a.audit_id, a.at, a.account_id, a.zone_id, a.insight_id, a.action, "
                        + FIELD
                        + " as field, a.changed_by,"
                        + " cast(coalesce(a.detail->'old', to_jsonb(a.from_status)) as text) as old,"
                        + " cast(coalesce(a.detail->'new', to_jsonb(a.to_status)) as text) as new,"
                        + " cast(a.detail as text) as detail, "
                        + KEY
                        + " as sort_key from audit_log a where "
                        + where
                        + " order by a.at desc, a.audit_id desc limit :limit";
        List<AuditEntry> rows = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        jdbi.useHandle(
                h ->
                        h.createQuery(sql)
                                .bindMap(binds)
                                .map(
                                        (rs, c) -> {
                                            keys.add(
                                                    rs.getString("sort_key")
                                                            + "\n"
                                                            + rs.getLong("audit_id"));
                                            return entry(rs);
                                        })
                                .forEach(rows::add));
        boolean more = rows.size() > perPage;
        List<AuditEntry> page = more ? rows.subList(0, perPage) : rows;
        Json.ok(
                ctx,
                page,
                new PageInfo(page.size(), perPage, more ? encode(keys.get(perPage - 1)) : null));
    }

    /**
     * One entry of the audit log.
     *
     * @param insightId null for an entry about no one insight
     * @param field the changed field: {@code status}, {@code dismissed} or {@code classification}
     * @param old the field's value before, as JSON
     * @param newValue the field's value after, as JSON (named {@code new} on the wire)
     * @param changedBy the token's name, or {@code system} for scan results
     */
    record AuditEntry(
            long id,
            Instant at,
            String accountId,
            @Nullable String zoneId,
            @Nullable Long insightId,
            String action,
            String field,
            @Nullable JsonNode old,
            @JsonProperty("new") @Nullable JsonNode newValue,
            String changedBy,
            @Nullable JsonNode detail) {}

    /**
     * A page's result info.
     *
     * @param cursor the cursor of the next page; null on the last one
     */
    record PageInfo(int count, int perPage, @Nullable String cursor) {}

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        long insight = rs.getLong("insight_id");
        @Nullable Long insightId = rs.wasNull() ? null : insight;
        return new AuditEntry(
                rs.getLong("audit_id"),
                InsightRows.required(rs, "at"),
                rs.getString("account_id"),
                rs.getString("zone_id"),
                insightId,
                rs.getString("action"),
                rs.getString("field"),
                json(rs.getString("old")),
                json(rs.getString("new")),
                rs.getString("changed_by"),
                json(rs.getString("detail")));
    }

    private static @Nullable JsonNode json(@Nullable String text) {
        return text == null ? null : Json.MAPPER.readTree(text);
    }

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

    private static String[] decode(String cursor) {
        try {
            String[] parts =
                    new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)
                            .split("\n");
            if (parts.length == 2) {
                Instant.parse(parts[0]);
                Long.parseLong(parts[1]);
                return parts;
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
