package dev.vigil.alerts.internal;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Column readers shared by the alert stores' row mappers (all by column name). */
public final class AlertRows {

    private AlertRows() {}

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

    /** The text array in {@code column}; null for SQL null. */
    public static @Nullable List<String> texts(ResultSet rs, String column) throws SQLException {
        Array a = rs.getArray(column);
        if (a == null) {
            return null;
        }
        try {
            return List.of((String[]) a.getArray());
        } finally {
            a.free();
        }
    }

    /** The integer in {@code column}, or null. */
    public static @Nullable Integer integer(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    /** Whether {@code e} (or a cause) is PostgreSQL's unique violation (SQLSTATE 23505). */
    public static boolean uniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
