package dev.vigil.checks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule set in force, swapped atomically on reload. A reload that fails (a broken rule) keeps
 * the previous set and remembers the reason. When built with {@link #watching}, a daemon thread
 * polls the user directory (file names, sizes, modification times) and reloads when it changes.
 *
 * <p>Once a rule set has been pushed through the API (issue 23), the worker's rollout client hands
 * each generation of the rollout to {@link #applyPushed}: from then on the pushed versions are in
 * force and the directory's set is kept only for a return to "nothing pushed".
 *
 * <p>Thread-safety: {@link #current()} and {@link #rollout()} are volatile reads of {@link
 * AtomicReference}s; reloads are serialised by this object's monitor.
 */
public final class RuleSetHolder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuleSetHolder.class);

    private final @Nullable Path userDir;
    private final boolean fixed;
    private final AtomicReference<RuleSet> current;
    private final CheckStats stats = new CheckStats();
    private final AtomicReference<@Nullable String> lastError = new AtomicReference<>();
    private final AtomicReference<@Nullable Rollout> pushed = new AtomicReference<>();
    private final RolloutCounts rolloutCounts = new RolloutCounts();
    private final java.util.List<java.util.function.Consumer<Rollout>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final @Nullable Thread watcher;
    private volatile boolean closed;

    private RuleSetHolder(
            @Nullable Path userDir,
            RuleSet initial,
            @Nullable Duration poll,
            boolean fixed,
            String initialFingerprint) {
        this.userDir = userDir;
        this.fixed = fixed;
        this.current = new AtomicReference<>(initial.countingInto(stats));
        if (poll != null && userDir != null) {
            this.watcher =
                    Thread.ofPlatform()
                            .daemon()
                            .name("rule-watcher")
                            .unstarted(() -> watch(poll, initialFingerprint));
            this.watcher.start();
        } else {
            this.watcher = null;
        }
    }

    /** A holder of a fixed set: {@link #reload()} is a no-op returning false. */
    public static RuleSetHolder fixed(RuleSet ruleSet) {
        return new RuleSetHolder(null, ruleSet, null, true, "");
    }

    /**
     * Loads the catalogue plus {@code userDir} now and, when {@code userDir} is not null, polls it
     * every {@code poll} for changes.
     *
     * @throws RuleSetException when the initial set is broken (nothing to fall back on at start)
     */
    public static RuleSetHolder watching(@Nullable Path userDir, Duration poll) {
        // The fingerprint is taken before loading: a change made while (or right after) the set
        // loads is then seen by the first poll, whatever the watcher thread's start-up delay.
        String fingerprint = fingerprint(userDir);
        return new RuleSetHolder(userDir, RuleSets.load(userDir), poll, false, fingerprint);
    }

    /** The rule set in force: the pushed active version when one was pushed. */
    public RuleSet current() {
        Rollout r = pushed.get();
        return r != null ? r.active() : current.get();
    }

    /**
     * The rollout in force: the pushed one, or, when nothing was pushed, generation 0 with the
     * directory's set alone.
     */
    public Rollout rollout() {
        Rollout r = pushed.get();
        return r != null ? r : Rollout.of(0, current.get());
    }

    /** Whether a pushed rollout is in force (rather than the directory's set). */
    public boolean pushed() {
        return pushed.get() != null;
    }

    /**
     * Calls {@code listener} with the rollout in force now and after every change of it (on the
     * thread that applied it), e.g. to export the versions held as metrics.
     */
    public void onRollout(java.util.function.Consumer<Rollout> listener) {
        listeners.add(listener);
        listener.accept(rollout());
    }

    /**
     * Puts a generation of the pushed rollout in force, its applied sets counted into {@link
     * #stats()}; null returns to the directory's set (nothing is pushed any more).
     */
    public void applyPushed(@Nullable Rollout next) {
        if (next == null) {
            if (pushed.getAndSet(null) != null) {
                LOG.info("no rule set is pushed any more: back to {}", current.get().version());
                listeners.forEach(l -> l.accept(rollout()));
            }
            return;
        }
        RuleSet candidate = next.candidate();
        Rollout counted =
                new Rollout(
                        next.generation(),
                        next.active().countingInto(stats),
                        candidate == null ? null : candidate.countingInto(stats),
                        next.candidateShadow(),
                        next.stage(),
                        next.percent(),
                        next.retired());
        Rollout previous = pushed.getAndSet(counted);
        if (previous == null || previous.generation() != next.generation()) {
            listeners.forEach(l -> l.accept(counted));
            LOG.info(
                    "rule rollout generation {} in force: active {}, candidate {}, stage {}, {} %",
                    next.generation(),
                    next.active().version(),
                    candidate == null ? "none" : candidate.version(),
                    next.stage().wire(),
                    next.percent());
        }
    }

    /** How often each check of the sets in force so far was evaluated, failed and errored. */
    public CheckStats stats() {
        return stats;
    }

    /** What the scans saw of the candidate since the rollout client's last report. */
    public RolloutCounts rolloutCounts() {
        return rolloutCounts;
    }

    /** Why the last reload was refused, empty once a reload succeeds. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError.get());
    }

    /**
     * Reloads from the catalogue and the user directory. On success the new set replaces the old
     * one atomically; on a broken rule the old set stays in force.
     *
     * @return true when the set in force is now the freshly loaded one
     */
    public synchronized boolean reload() {
        if (fixed) {
            return false;
        }
        try {
            RuleSet next = RuleSets.load(userDir);
            RuleSet previous = current.getAndSet(next.countingInto(stats));
            lastError.set(null);
            if (!previous.version().equals(next.version())) {
                if (pushed.get() == null) {
                    listeners.forEach(l -> l.accept(rollout()));
                }
                LOG.info(
                        "rule set {} replaced by {} ({} checks)",
                        previous.version(),
                        next.version(),
                        next.checks().size());
            }
            return true;
        } catch (RuleSetException e) {
            lastError.set(e.getMessage());
            LOG.warn("rule set refused, keeping {}: {}", current.get().version(), e.getMessage());
            return false;
        }
    }

    private void watch(Duration poll, String initialFingerprint) {
        String seen = initialFingerprint;
        while (!closed) {
            try {
                Thread.sleep(poll);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            String now = fingerprint(userDir);
            if (!now.equals(seen)) {
                seen = now;
                reload();
            }
        }
    }

    /** Names, sizes and modification times of the directory's files; cheap to recompute. */
    private static String fingerprint(@Nullable Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile)
                    .sorted()
                    .forEach(
                            p -> {
                                try {
                                    sb.append(p)
                                            .append('|')
                                            .append(Files.size(p))
                                            .append('|')
                                            .append(Files.getLastModifiedTime(p).toMillis())
                                            .append('\n');
                                } catch (IOException e) {
                                    sb.append(p).append("|gone\n"); // deleted while listing
                                }
                            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return "unreadable:" + e.getMessage();
        }
        return sb.toString();
    }

    /** Stops the watcher thread, if any; the set in force stays readable. */
    @Override
    public void close() {
        closed = true;
        Thread w = watcher;
        if (w != null) {
            w.interrupt();
            try {
                w.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
