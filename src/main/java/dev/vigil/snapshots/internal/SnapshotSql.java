package dev.vigil.snapshots.internal;

import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetKind;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * The statements of the snapshot store over {@code config_snapshots}, each on the caller's handle
 * (the caller owns the transaction and the target's lock). Rows are mapped by column name.
 */
public final class SnapshotSql {

    /** The newest version of a target. */
    private static final String NEWEST =
            """
            select version, received_at, document::text as document from config_snapshots
            where target_id = :target order by version desc limit 1
            """;

    private static final String AT_VERSION =
            """
            select version, received_at, document::text as document from config_snapshots
            where target_id = :target and version = :version
            """;

    /*
     * received_at is strictly after the previous version's, even when the clock steps back: it is
     * the scan time of the result the change produces, and the results API drops a result older
     * than the last one applied to the target.
     */
    private static final String INSERT =
            """
            insert into config_snapshots (target_id, version, received_at, digest, document,
                                          changed_sections)
            values (:target, :version,
                    greatest(clock_timestamp(), cast(:after as timestamptz) + interval '1 microsecond'),
                    md5(:doc), cast(:doc as jsonb), cast(:sections as text[]))
            returning received_at
            """;

    private static final String TARGET =
            """
            select target_id, kind, account_id, zone_id, name, plan from targets
            where target_id = :id and kind = :kind and deleted_at is null
            """;

    /** A stored version, with the time it was stored. */
    public record Stored(long version, Instant receivedAt, String document) {}

    private SnapshotSql() {}

    /** The live target {@code id} of {@code kind}, if there is one. */
    public static Optional<Target> target(Handle h, TargetKind kind, String id) {
        return h.createQuery(TARGET)
                .bind("id", id)
                .bind("kind", kind.wire())
                .map(
                        (rs, c) ->
                                new Target(
                                        rs.getString("target_id"),
                                        TargetKind.parse(rs.getString("kind")),
                                        rs.getString("account_id"),
                                        rs.getString("zone_id"),
                                        rs.getString("name"),
                                        Plan.parse(rs.getString("plan"))))
                .findOne();
    }

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

    /**
     * Inserts {@code version} of {@code targetId}, stored after {@code after} (the previous
     * version's time), and answers the time it was stored.
     */
    public static Instant insert(
            Handle h,
            String targetId,
            long version,
            @Nullable Instant after,
            String document,
            List<String> changedSections) {
        return h.createQuery(INSERT)
                .bind("target", targetId)
                .bind("version", version)
                .bind(
                        "after",
                        after == null ? null : OffsetDateTime.ofInstant(after, ZoneOffset.UTC))
                .bind("doc", document)
                .bind("sections", changedSections.toArray(String[]::new))
                .mapTo(OffsetDateTime.class)
                .one()
                .toInstant();
    }

    /** Deletes the versions of {@code targetId} up to {@code version}: pruning. */
    public static void deleteUpTo(Handle h, String targetId, long version) {
        h.createUpdate("delete from config_snapshots where target_id = :t and version <= :v")
                .bind("t", targetId)
                .bind("v", version)
                .execute();
    }

    /** Deletes exactly {@code version} of {@code targetId}: the undo of a failed announcement. */
    public static void delete(Handle h, String targetId, long version) {
        h.createUpdate("delete from config_snapshots where target_id = :t and version = :v")
                .bind("t", targetId)
                .bind("v", version)
                .execute();
    }

    /** Holds the session lock that serializes pushes for {@code targetId}. */
    public static void lock(Handle h, String targetId) {
        h.createQuery("select pg_advisory_lock(hashtext(:t))")
                .bind("t", targetId)
                .mapTo(String.class)
                .findOne();
    }

    /** Releases {@link #lock}. */
    public static void unlock(Handle h, String targetId) {
        h.createQuery("select pg_advisory_unlock(hashtext(:t))")
                .bind("t", targetId)
                .mapTo(Boolean.class)
                .one();
    }
}
