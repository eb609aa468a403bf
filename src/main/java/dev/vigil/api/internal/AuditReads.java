package dev.vigil.api.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The read side of the audit routes: a page of the audit log of a {@link Scope}, newest first,
 * answered as records mapped by column name.
 */
final class AuditReads {

    /** The changed field: user actions name it; scan transitions change the status. */
    private static final String FIELD = "coalesce(a.detail->>'field', 'status')";

    /** The sort key of an entry (its time, to the microsecond), for the cursor. */
    private static final String KEY =
            "to_char(a.at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";

    /**
     * What to read; each part narrows it, null or empty ones do not.
     *
     * @param insightId one insight's entries
     * @param since inclusive
     * @param until exclusive
     * @param actors token names, or {@code system} for scan results
     * @param fields {@code status}, {@code dismissed}, {@code classification}
     * @param after the key of the last entry of the previous page ({@link Page#nextKey})
     */
    record Query(
            @Nullable Long insightId,
            @Nullable Instant since,
            @Nullable Instant until,
            List<String> actors,
            List<String> fields,
            @Nullable Key after,
            int perPage) {}

    /** Where a page ends: the entry's sort key (its time) and id. */
    record Key(String at, long id) {}

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
     * A page of entries.
     *
     * @param nextKey the key to pass as {@link Query#after} for the next page; null on the last
     */
    record Page(List<AuditEntry> entries, @Nullable Key nextKey) {}

    private final Jdbi jdbi;

    AuditReads(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** One page of {@code scope}'s audit log that {@code q} keeps, newest first. */
    Page page(Scope scope, Query q) {
        Map<String, Object> binds = InsightRoutes.scopeBinds(scope);
        StringBuilder where = new StringBuilder(scope.predicate("a"));
        if (q.insightId() != null) {
            binds.put("insight", q.insightId());
            where.append(" and a.insight_id = :insight");
        }
        if (q.since() != null) {
            binds.put("since", Timestamp.from(q.since()));
            where.append(" and a.at >= :since");
        }
        if (q.until() != null) {
            binds.put("until", Timestamp.from(q.until()));
            where.append(" and a.at < :until");
        }
        if (!q.actors().isEmpty()) {
            binds.put("actors", q.actors().toArray(String[]::new));
            where.append(" and a.changed_by = any(cast(:actors as text[]))");
        }
        if (!q.fields().isEmpty()) {
            binds.put("fields", q.fields().toArray(String[]::new));
            where.append(" and ").append(FIELD).append(" = any(cast(:fields as text[]))");
        }
        Key after = q.after();
        if (after != null) {
            binds.put("after_at", after.at());
            binds.put("after_id", after.id());
            where.append(
                    " and (a.at, a.audit_id) < (cast(:after_at as timestamptz),"
                            + " cast(:after_id as bigint))");
        }
        // One more than a page: whether there is a next page, without a second query.
        binds.put("limit", q.perPage() + 1);
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
        List<Key> keys = new ArrayList<>();
        jdbi.useHandle(
                h ->
                        h.createQuery(sql)
                                .bindMap(binds)
                                .map(
                                        (rs, c) -> {
                                            keys.add(
                                                    new Key(
                                                            rs.getString("sort_key"),
                                                            rs.getLong("audit_id")));
                                            return entry(rs);
                                        })
                                .forEach(rows::add));
        boolean more = rows.size() > q.perPage();
        return new Page(
                more ? rows.subList(0, q.perPage()) : rows,
                more ? keys.get(q.perPage() - 1) : null);
    }

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
}
