package dev.vigil.api.internal;

import dev.vigil.api.InsightView;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jspecify.annotations.Nullable;

/** The columns of an insight as the API reads them, and their mapping to {@link InsightView}. */
public final class InsightRows implements RowMapper<InsightView> {

    /**
     * When an insight was last seen: a scan whose findings equal the open insights writes no
     * insight row (issue 20), so an open insight was last seen by its target's last applied scan; a
     * resolved one, when it was last written. One primary-key probe per row read.
     */
    public static final String LAST_SEEN =
            "case when i.status = 'open' then coalesce((select greatest(i.last_seen_at,"
                    + " lt.last_result_at) from targets lt"
                    + " where lt.target_id = coalesce(i.zone_id, i.account_id)), i.last_seen_at)"
                    + " else i.last_seen_at end";

    /** Select list on insights alias {@code i}. */
    public static final String COLUMNS =
            "i.insight_id, i.account_id, i.zone_id, i.check_id, i.resource_key, i.severity,"
                    + " i.issue_type, i.subject, i.message, i.status, i.dismissed,"
                    + " i.first_seen_at, "
                    + LAST_SEEN
                    + " as last_seen_at, i.resolved_at, i.classification,"
                    + " coalesce(i.classification_expires_at <= now(), false) as lapsed,"
                    + " i.classification_rationale, i.classification_expires_at,"
                    + " i.classified_by, i.classified_at";

    public static final InsightRows MAPPER = new InsightRows();

    private InsightRows() {}

    @Override
    public InsightView map(ResultSet rs, StatementContext ctx) throws SQLException {
        boolean lapsed = rs.getBoolean("lapsed");
        return new InsightView(
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
                required(rs, "first_seen_at"),
                required(rs, "last_seen_at"),
                instant(rs, "resolved_at"),
                lapsed ? null : rs.getString("classification"),
                lapsed,
                rs.getString("classification_rationale"),
                instant(rs, "classification_expires_at"),
                rs.getString("classified_by"),
                instant(rs, "classified_at"));
    }

    /** The instant in {@code column}, or null. */
    public static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** The instant in the non-null {@code column}. */
    public static Instant required(ResultSet rs, String column) throws SQLException {
        Instant t = instant(rs, column);
        if (t == null) {
            throw new SQLException("column " + column + " is null where the schema forbids it");
        }
        return t;
    }
}
