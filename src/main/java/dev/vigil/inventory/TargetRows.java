package dev.vigil.inventory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Reads a {@link Target} from a row of {@code targets}, by column name, for every feature that
 * selects targets with SQL of its own (the scheduler's claim, the inventory's look-up). A query
 * selects at least {@code target_id, kind, account_id, zone_id, name, plan}; other columns and the
 * order do not matter.
 */
public final class TargetRows {

    private TargetRows() {}

    /**
     * The target of the current row.
     *
     * @throws IllegalArgumentException when the row's kind or plan is not one Vigil knows, or the
     *     ids do not fit the kind (see {@link Target})
     */
    public static Target target(ResultSet rs) throws SQLException {
        return new Target(
                rs.getString("target_id"),
                TargetKind.parse(rs.getString("kind")),
                rs.getString("account_id"),
                rs.getString("zone_id"),
                rs.getString("name"),
                Plan.parse(rs.getString("plan")));
    }

    /**
     * The timestamp in {@code column} of the current row, which the schema declares not null.
     *
     * @throws SQLException when it is null anyway
     */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        if (t == null) {
            throw new SQLException("column " + column + " is null where the schema forbids it");
        }
        return t.toInstant();
    }
}
