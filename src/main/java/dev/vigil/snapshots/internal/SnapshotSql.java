package dev.vigil.snapshots.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * The statements of the snapshot store over {@code config_snapshots}, each on the caller's handle
 * (the caller owns the transaction and the target's lock; {@link BatchSql} takes it). Rows are
 * mapped by column name.
 */
public final class SnapshotSql {

    /** The newest version of a target. */
    private static final String NEWEST =
            """
            select version, received_at, document from config_snapshots
            where target_id = :target order by version desc limit 1
            """;

    private static final String AT_VERSION =
            """
            select version, received_at, document from config_snapshots
            where target_id = :target and version = :version
            """;

    /** A stored version, with the time it was stored. */
    public record Stored(long version, Instant receivedAt, String document) {}

    private SnapshotSql() {}

    /** The newest version of {@code targetId}, or that exact {@code version} when not null. */
    public static Optional<Stored> find(Handle h, String targetId, @Nullable Long version) {
        return h.createQuery(version == null ? NEWEST : AT_VERSION)
                .bind("target", targetId)
                .bind("version", version)
                .map(
                        (rs, c) ->
                                new Stored(
                                        rs.getLong("version"),
                                        rs.getObject("received_at", OffsetDateTime.class)
                                                .toInstant(),
                                        rs.getString("document")))
                .findOne();
    }

    /** Deletes exactly {@code version} of {@code targetId}: the undo of a failed announcement. */
    public static void delete(Handle h, String targetId, long version) {
        h.createUpdate("delete from config_snapshots where target_id = :t and version = :v")
                .bind("t", targetId)
                .bind("v", version)
                .execute();
    }
}
