package dev.vigil.snapshots.internal;

import dev.vigil.events.ConfigChange;
import dev.vigil.inventory.Target;
import dev.vigil.snapshots.Announcer;
import dev.vigil.snapshots.BatchOutcome;
import dev.vigil.snapshots.PushOutcome;
import dev.vigil.snapshots.SnapshotPush;
import dev.vigil.snapshots.StaleVersionException;
import dev.vigil.snapshots.UnknownTargetException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores a batch of pushes on one handle: the targets' session locks are taken once, in a stable
 * order, and held until every stored version is announced; the versions are written in rounds of at
 * most one push per target (a target pushed twice in a batch gets two rounds, in line order), each
 * round two statements whatever its size (the newest versions; the inserts with their pruning,
 * which commits whole); a round's announcements run concurrently, one virtual thread per target, so
 * a Kafka producer batches them and the round waits about one acknowledgement instead of one per
 * push. One target's versions are still announced in version order (one per round, rounds in turn).
 *
 * <p>Not thread-safe; one instance serves one call.
 */
public final class BatchStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Handle h;
    private final List<SnapshotPush> pushes;
    private final Announcer announcer;
    private final int keepVersions;
    private final @Nullable BatchOutcome[] out;

    private BatchStore(Handle h, List<SnapshotPush> pushes, Announcer announcer, int keepVersions) {
        this.h = h;
        this.pushes = pushes;
        this.announcer = announcer;
        this.keepVersions = keepVersions;
        this.out = new BatchOutcome[pushes.size()];
    }

    /**
     * Stores and announces {@code pushes} on {@code h}; one outcome per push, in order. A push to a
     * target of an account {@code accounts} refuses is answered {@link BatchOutcome.Unknown}, like
     * one to a target that does not exist. A database failure is thrown (what earlier rounds stored
     * and announced stays stored).
     */
    public static List<BatchOutcome> run(
            Handle h,
            List<SnapshotPush> pushes,
            Announcer announcer,
            int keepVersions,
            Predicate<String> accounts) {
        return new BatchStore(h, pushes, announcer, keepVersions).run(accounts);
    }

    /** A version to write: the push at {@code index} of the batch. */
    private record Row(int index, Target target, BatchSql.Insert insert, List<String> changed) {}

    private List<BatchOutcome> run(Predicate<String> accounts) {
        Set<String> ids = new LinkedHashSet<>();
        pushes.forEach(p -> ids.add(p.targetId()));
        @Nullable RuntimeException failed = null;
        try {
            // Inside the try: a lock statement that fails part way (a statement timeout) leaves the
            // locks it took held by the session, and the connection goes back to the pool.
            Map<String, Target> targets = BatchSql.lockAll(h, ids);
            List<Integer> pending = new ArrayList<>();
            for (int i = 0; i < pushes.size(); i++) {
                SnapshotPush p = pushes.get(i);
                Target t = targets.get(p.targetId());
                if (t == null || t.kind() != p.kind() || !accounts.test(t.accountId())) {
                    out[i] =
                            new BatchOutcome.Unknown(
                                    new UnknownTargetException(p.kind(), p.targetId()));
                } else {
                    pending.add(i);
                }
            }
            while (!pending.isEmpty()) {
                List<Integer> round = new ArrayList<>();
                List<Integer> later = new ArrayList<>();
                Set<String> seen = new HashSet<>();
                for (int i : pending) {
                    (seen.add(pushes.get(i).targetId()) ? round : later).add(i);
                }
                round(round, targets);
                pending = later;
            }
        } catch (RuntimeException e) {
            failed = e;
            throw e;
        } finally {
            unlock(ids, failed);
        }
        List<BatchOutcome> answers = new ArrayList<>(out.length);
        for (BatchOutcome o : out) {
            if (o == null) {
                throw new IllegalStateException("a push of the batch was left unanswered");
            }
            answers.add(o);
        }
        return answers;
    }

    /**
     * Releases the session locks of {@code ids}. When the batch already failed, a failure to unlock
     * (the connection is broken, most often) is added to that first failure as suppressed instead
     * of replacing it, so the log names the cause.
     */
    private void unlock(Set<String> ids, @Nullable RuntimeException failed) {
        try {
            BatchSql.unlockAll(h, ids);
        } catch (RuntimeException e) {
            if (failed == null) {
                throw e;
            }
            failed.addSuppressed(e);
        }
    }

    /**
     * Stores the pushes at {@code indexes} (distinct targets), then announces them. No transaction
     * is needed: the session locks keep every other writer of these targets out between reading the
     * newest versions and the insert, and the insert with its pruning is one statement, so it
     * commits whole or not at all.
     */
    private void round(List<Integer> indexes, Map<String, Target> targets) {
        List<BatchOutcome.Stale> stale = new ArrayList<>();
        List<Integer> staleAt = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        Map<String, BatchSql.Newest> prev =
                BatchSql.newest(h, indexes.stream().map(i -> pushes.get(i).targetId()).toList());
        for (int i : indexes) {
            SnapshotPush p = pushes.get(i);
            Target t = targets.get(p.targetId());
            if (t == null) {
                throw new IllegalStateException("unresolved " + p.targetId());
            }
            try {
                Row row = row(i, t, p, prev.get(p.targetId()));
                if (row != null) {
                    rows.add(row);
                }
            } catch (StaleVersionException e) {
                stale.add(new BatchOutcome.Stale(e));
                staleAt.add(i);
            }
        }
        List<ConfigChange> changes = rows.isEmpty() ? List.of() : insert(rows);
        for (int k = 0; k < stale.size(); k++) {
            out[staleAt.get(k)] = stale.get(k);
        }
        announce(rows, changes);
    }

    /** Inserts {@code rows} (distinct targets) with their pruning; their changes, in order. */
    private List<ConfigChange> insert(List<Row> rows) {
        List<BatchSql.Insert> inserts = rows.stream().map(Row::insert).toList();
        Map<String, Instant> at = BatchSql.insertAndPrune(h, inserts, keepVersions);
        List<ConfigChange> made = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Instant when = at.get(r.target().targetId());
            if (when == null) {
                throw new IllegalStateException("no row inserted for " + r.target().targetId());
            }
            made.add(new ConfigChange(r.target(), r.insert().version(), r.changed(), when));
        }
        return made;
    }

    /**
     * The version to write for push {@code i}, or null when it equals the stored version (its
     * outcome is then set).
     */
    private @Nullable Row row(int i, Target t, SnapshotPush p, BatchSql.@Nullable Newest prev) {
        long stored = prev == null ? 0 : prev.version();
        @Nullable Long requested = p.version();
        if (requested != null && requested <= stored) {
            throw new StaleVersionException(t.targetId(), requested, stored);
        }
        List<String> changed;
        @Nullable List<String> given = p.changedSections();
        if (given != null) {
            changed = given;
        } else if (prev == null) {
            changed = List.of(); // first snapshot: every check runs
        } else {
            changed = changedSince(prev, p);
            if (changed.isEmpty()) {
                out[i] =
                        new BatchOutcome.Pushed(
                                new PushOutcome.Unchanged(t, stored, prev.receivedAt()));
                return null;
            }
        }
        long version = requested != null ? requested : stored + 1;
        return new Row(
                i,
                t,
                new BatchSql.Insert(
                        t.targetId(),
                        version,
                        prev == null ? null : prev.receivedAt(),
                        p.text(),
                        JSON.writeValueAsString(changed),
                        SectionDigests.toJson(p.digests())),
                changed);
    }

    /**
     * The sections {@code p} changes against {@code prev}: by their fingerprints, or, for a version
     * stored before V20 (none kept), by diffing the two documents.
     */
    private static List<String> changedSince(BatchSql.Newest prev, SnapshotPush p) {
        String stored = prev.digestsJson();
        if (stored != null) {
            return SectionDigests.changed(SectionDigests.parse(stored), p.digests());
        }
        String document = prev.document();
        if (document == null) {
            throw new IllegalStateException(
                    "version " + prev.version() + " has neither fingerprints nor a document");
        }
        return ConfigDiff.changedSections(JSON.readTree(document), JSON.readTree(p.text()));
    }

    /**
     * Announces the committed {@code changes} (one per row), concurrently; a failed one is deleted
     * again and answered {@link BatchOutcome.Unannounced}.
     */
    private void announce(List<Row> rows, List<ConfigChange> changes) {
        List<@Nullable RuntimeException> failures = new ArrayList<>(rows.size());
        if (rows.size() == 1) {
            failures.add(announceOne(rows.get(0), changes.get(0)));
        } else if (!rows.isEmpty()) {
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<@Nullable RuntimeException>> sent = new ArrayList<>(rows.size());
                for (int k = 0; k < rows.size(); k++) {
                    Row r = rows.get(k);
                    ConfigChange c = changes.get(k);
                    sent.add(threads.submit(() -> announceOne(r, c)));
                }
                for (Future<@Nullable RuntimeException> f : sent) {
                    failures.add(await(f));
                }
            }
        }
        for (int k = 0; k < rows.size(); k++) {
            Row r = rows.get(k);
            ConfigChange c = changes.get(k);
            RuntimeException failed = failures.get(k);
            if (failed == null) {
                out[r.index()] = new BatchOutcome.Pushed(new PushOutcome.Accepted(c));
            } else {
                SnapshotSql.delete(h, c.target().targetId(), c.version());
                out[r.index()] = new BatchOutcome.Unannounced(failed);
            }
        }
    }

    private @Nullable RuntimeException announceOne(Row r, ConfigChange c) {
        try {
            announcer.announce(c, r.insert().document());
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static @Nullable RuntimeException await(Future<@Nullable RuntimeException> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error err) {
                throw err;
            }
            return new IllegalStateException("announcing failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new IllegalStateException("interrupted while announcing", e);
        }
    }
}
