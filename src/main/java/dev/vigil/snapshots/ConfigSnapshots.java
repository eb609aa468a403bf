package dev.vigil.snapshots;

import dev.vigil.events.ConfigChange;
import dev.vigil.inventory.Target;
import dev.vigil.snapshots.internal.ConfigDiff;
import dev.vigil.snapshots.internal.SnapshotSql;
import dev.vigil.snapshots.internal.SnapshotSql.Stored;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The versioned store of pushed configuration documents ({@code config_snapshots}). Thread-safe: it
 * holds no state of its own; PostgreSQL orders the pushes.
 *
 * <p>Per target, pushes are serialized by a session advisory lock held from reading the stored
 * version until the new one is announced, so versions, {@code received_at} and announcements share
 * one order. The version is committed before it is announced (a worker reading the announcement at
 * once must find it); a failed announcement deletes it again, so a retried push is announced. The
 * newest {@link #KEEP_VERSIONS} versions are kept.
 */
public final class ConfigSnapshots {

    /** Versions kept per target: a change event lagging more pushes than this finds its gone. */
    public static final int KEEP_VERSIONS = 32;

    /** Reads stored documents back for the diff; they were written compactly by the caller. */
    private static final JsonMapper READER = JsonMapper.builder().build();

    private final Jdbi jdbi;

    private ConfigSnapshots(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A store over {@code jdbi}'s database (schema from the migrations). */
    public static ConfigSnapshots of(Jdbi jdbi) {
        return new ConfigSnapshots(jdbi);
    }

    /**
     * Stores {@code push} as its target's next version and announces it through {@code announcer},
     * or answers {@link PushOutcome.Unchanged} when the diff finds no changed section. The changed
     * sections are the pusher's when given; else, for a target's first version, none (every check
     * runs); else those {@link ConfigDiff} finds against the stored version.
     *
     * @throws UnknownTargetException when the push names no live target of its kind
     * @throws StaleVersionException when the requested version is not newer than the stored one
     * @throws RuntimeException whatever {@code announcer} throws, after deleting the version
     */
    public PushOutcome push(SnapshotPush push, Announcer announcer) {
        return jdbi.withHandle(
                h -> {
                    Target target =
                            SnapshotSql.target(h, push.kind(), push.targetId())
                                    .orElseThrow(
                                            () ->
                                                    new UnknownTargetException(
                                                            push.kind(), push.targetId()));
                    SnapshotSql.lock(h, target.targetId());
                    try {
                        PushOutcome outcome = h.inTransaction(tx -> store(tx, target, push));
                        if (outcome instanceof PushOutcome.Accepted a) {
                            announce(h, a.change(), push.text(), announcer);
                        }
                        return outcome;
                    } finally {
                        SnapshotSql.unlock(h, target.targetId());
                    }
                });
    }

    /** The newest version of {@code targetId}, or that exact {@code version} when not null. */
    public Optional<Snapshot> find(String targetId, @Nullable Long version) {
        return jdbi.withHandle(h -> SnapshotSql.find(h, targetId, version))
                .map(s -> new Snapshot(s.version(), s.document()));
    }

    private static PushOutcome store(Handle h, Target target, SnapshotPush push) {
        @Nullable Stored prev = SnapshotSql.find(h, target.targetId(), null).orElse(null);
        long stored = prev == null ? 0 : prev.version();
        @Nullable Long requested = push.version();
        if (requested != null && requested <= stored) {
            throw new StaleVersionException(target.targetId(), requested, stored);
        }
        List<String> changed;
        @Nullable List<String> given = push.changedSections();
        if (given != null) {
            changed = given;
        } else if (prev == null) {
            changed = List.of(); // first snapshot: every check runs
        } else {
            changed = ConfigDiff.changedSections(READER.readTree(prev.document()), push.document());
            if (changed.isEmpty()) {
                return new PushOutcome.Unchanged(target, stored, prev.receivedAt());
            }
        }
        long version = requested != null ? requested : stored + 1;
        Instant at =
                SnapshotSql.insert(
                        h,
                        target.targetId(),
                        version,
                        prev == null ? null : prev.receivedAt(),
                        push.text(),
                        changed);
        SnapshotSql.deleteUpTo(h, target.targetId(), version - KEEP_VERSIONS);
        return new PushOutcome.Accepted(new ConfigChange(target, version, changed, at));
    }

    /** Announces the committed version; on failure deletes it and rethrows. */
    private static void announce(Handle h, ConfigChange change, String text, Announcer announcer) {
        try {
            announcer.announce(change, text);
        } catch (RuntimeException e) {
            SnapshotSql.delete(h, change.target().targetId(), change.version());
            throw e;
        }
    }
}
