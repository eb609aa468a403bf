package dev.vigil.snapshots;

import dev.vigil.inventory.Target;
import dev.vigil.snapshots.internal.BatchSql;
import dev.vigil.snapshots.internal.BatchStore;
import dev.vigil.snapshots.internal.SnapshotSql;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The versioned store of pushed configuration documents ({@code config_snapshots}). Thread-safe: it
 * holds no state of its own; PostgreSQL orders the pushes.
 *
 * <p>Per target, pushes are serialized by a session advisory lock held from reading the stored
 * version until the new one is announced, so versions, {@code received_at} and announcements share
 * one order. The version is committed before it is announced (a worker reading the announcement at
 * once must find it); a failed announcement deletes it again, so a retried push is announced. The
 * newest {@link #KEEP_VERSIONS} versions are kept.
 *
 * <p>A single push is a batch of one: both take the same statements, whose count does not grow with
 * the batch (the locks with the targets, the newest versions, the inserts with their pruning, the
 * unlocks: four round trips, where a push took seven and a commit before batching and five and a
 * commit before the locks carried the targets and the one-statement insert its own commit), so a
 * batch of a few hundred pushes costs about what one push costs in round trips.
 */
public final class ConfigSnapshots {

    /** Versions kept per target: a change event lagging more pushes than this finds its gone. */
    public static final int KEEP_VERSIONS = 32;

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
     * runs); else those the diff finds against the stored version.
     *
     * @throws UnknownTargetException when the push names no live target of its kind
     * @throws StaleVersionException when the requested version is not newer than the stored one
     * @throws RuntimeException whatever {@code announcer} throws, after deleting the version
     */
    public PushOutcome push(SnapshotPush push, Announcer announcer) {
        return push(push, announcer, account -> true);
    }

    /**
     * {@link #push(SnapshotPush, Announcer)} for a caller that may push only to targets of the
     * accounts {@code accounts} accepts. A target of another account is answered as unknown, so
     * whether it exists is not revealed. The account is checked on the target row the push locks
     * and reads anyway, so the caller need not read it first.
     *
     * @throws UnknownTargetException when the push names no live target of its kind in an account
     *     {@code accounts} accepts
     */
    public PushOutcome push(SnapshotPush push, Announcer announcer, Predicate<String> accounts) {
        BatchOutcome only = store(List.of(push), announcer, accounts).getFirst();
        return switch (only) {
            case BatchOutcome.Pushed p -> p.outcome();
            case BatchOutcome.Unknown u -> throw u.failure();
            case BatchOutcome.Stale s -> throw s.failure();
            case BatchOutcome.Unannounced u -> throw u.failure();
        };
    }

    /**
     * Stores and announces each of {@code pushes} as {@link #push} does, answering each on its own
     * (one outcome per push, in order): an unknown target, a stale version or a failed announcement
     * costs only that push. A target pushed more than once is stored in the order of the list.
     * {@code announcer} is called concurrently, for distinct targets, and must be thread-safe.
     * Holds one connection and one session lock per target for the call: callers bound the batch (a
     * few hundred pushes).
     *
     * @throws RuntimeException when the database fails: pushes answered by then stay done, the rest
     *     were not stored
     */
    public List<BatchOutcome> pushAll(List<SnapshotPush> pushes, Announcer announcer) {
        if (pushes.isEmpty()) {
            return List.of();
        }
        return store(pushes, announcer, account -> true);
    }

    private List<BatchOutcome> store(
            List<SnapshotPush> pushes, Announcer announcer, Predicate<String> accounts) {
        return jdbi.withHandle(h -> BatchStore.run(h, pushes, announcer, KEEP_VERSIONS, accounts));
    }

    /** The live targets among {@code ids}, by id (a caller checks its rights on them). */
    public Map<String, Target> targets(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return jdbi.withHandle(h -> BatchSql.targets(h, ids));
    }

    /** The newest version of {@code targetId}, or that exact {@code version} when not null. */
    public Optional<Snapshot> find(String targetId, @Nullable Long version) {
        return jdbi.withHandle(h -> SnapshotSql.find(h, targetId, version))
                .map(s -> new Snapshot(s.version(), s.document()));
    }
}
