package dev.vigil.api.internal;

import io.javalin.http.Context;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.SqlStatements;

/** {@code GET /v1/accounts/{account_id}/insights}: filtered, paged, worst first. */
public final class InsightsHandler {

    /**
     * Every filter is always present and disabled by an empty array, so the statement text is fixed
     * (one prepared plan) whatever the query. {@code account_id} comes first: it is the partition
     * key, and the tenant boundary.
     */
    private static final String WHERE =
            """
            where account_id = :account
              and (cardinality(cast(:sev as text[])) = 0 or severity = any(cast(:sev as text[])))
              and not (severity = any(cast(:not_sev as text[])))
              and (cardinality(cast(:st as text[])) = 0 or status = any(cast(:st as text[])))
              and not (status = any(cast(:not_st as text[])))
              and (cardinality(cast(:zone as text[])) = 0 or zone_id = any(cast(:zone as text[])))
              and (zone_id is null or not (zone_id = any(cast(:not_zone as text[]))))
            """;

    private static final String PAGE =
            "select insight_id, account_id, zone_id, check_id, resource_key, severity, issue_type,"
                    + " subject, message, status, dismissed, first_seen_at, last_seen_at,"
                    + " resolved_at from insights "
                    + WHERE
                    + " order by array_position(array['critical','high','moderate','low'],"
                    + " severity), last_seen_at desc, insight_id limit :limit offset :offset";

    private static final String COUNT = "select count(*) from insights " + WHERE;

    private final Auth auth;
    private final Jdbi jdbi;

    public InsightsHandler(Auth auth, DataSource dataSource) {
        this.auth = auth;
        this.jdbi = Jdbi.create(dataSource);
        jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
    }

    public void list(Context ctx) {
        String account = ctx.pathParam("account_id");
        auth.account(ctx, account);
        InsightFilter f = InsightFilter.parse(ctx);
        record Page(List<InsightView> rows, long total) {}
        Page page =
                jdbi.inTransaction(
                        h -> {
                            List<InsightView> rows =
                                    bind(h.createQuery(PAGE), account, f)
                                            .bind("limit", f.perPage())
                                            .bind("offset", (long) (f.page() - 1) * f.perPage())
                                            .map(
                                                    (rs, c) ->
                                                            new InsightView(
                                                                    rs.getLong("insight_id"),
                                                                    rs.getString("account_id"),
                                                                    rs.getString("zone_id"),
                                                                    rs.getString("check_id"),
                                                                    rs.getString("resource_key"),
                                                                    rs.getString("severity"),
                                                                    rs.getString("issue_type"),
                                                                    rs.getString("subject"),
                                                                    rs.getString("message"),
                                                                    rs.getString("status"),
                                                                    rs.getBoolean("dismissed"),
                                                                    instant(rs, "first_seen_at"),
                                                                    instant(rs, "last_seen_at"),
                                                                    rs.getObject(
                                                                                            "resolved_at",
                                                                                            OffsetDateTime
                                                                                                    .class)
                                                                                    == null
                                                                            ? null
                                                                            : instant(
                                                                                    rs,
                                                                                    "resolved_at")))
                                            .list();
                            long total =
                                    bind(h.createQuery(COUNT), account, f).mapTo(Long.class).one();
                            return new Page(rows, total);
                        });
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("page", f.page());
        info.put("per_page", f.perPage());
        info.put("count", page.rows().size());
        info.put("total_count", page.total());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("errors", List.of());
        body.put("messages", List.of());
        body.put("result", page.rows());
        body.put("result_info", info);
        ctx.contentType("application/json").result(Json.bytes(body));
    }

    private static java.time.Instant instant(java.sql.ResultSet rs, String column)
            throws java.sql.SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static <S extends SqlStatement<S>> S bind(S q, String account, InsightFilter f) {
        return q.bind("account", account)
                .bind("sev", f.severity().toArray(String[]::new))
                .bind("not_sev", f.notSeverity().toArray(String[]::new))
                .bind("st", f.status().toArray(String[]::new))
                .bind("not_st", f.notStatus().toArray(String[]::new))
                .bind("zone", f.zoneId().toArray(String[]::new))
                .bind("not_zone", f.notZoneId().toArray(String[]::new));
    }
}
