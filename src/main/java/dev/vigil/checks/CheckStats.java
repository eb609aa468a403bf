package dev.vigil.checks;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * How often each check was evaluated, failed and errored, across rule-set reloads: the per-check
 * table a {@link RuleSetHolder} counts into. Counting is one {@link LongAdder} increment per check
 * run (no lookup: a counting {@link RuleSet} holds its checks' {@link Counts} by position), so the
 * rule engine stays free of any metrics library; the application binds the table to its meter
 * registry and reads it at scrape time.
 *
 * <p>Thread-safe. Rows are never removed: a check dropped by a reload keeps its last counts, as a
 * Prometheus counter must.
 */
public final class CheckStats {

    /** The counts of one check. */
    public static final class Counts {
        private final LongAdder evaluations = new LongAdder();
        private final LongAdder failures = new LongAdder();
        private final LongAdder errors = new LongAdder();

        private Counts() {}

        void record(Outcome outcome) {
            evaluations.increment();
            switch (outcome) {
                case FAIL -> failures.increment();
                case ERROR -> errors.increment();
                case PASS, NOT_APPLICABLE -> {}
            }
        }

        /** Runs of the check, whatever the outcome. */
        public long evaluations() {
            return evaluations.sum();
        }

        /** Runs that ended FAIL (one or more findings). */
        public long failures() {
            return failures.sum();
        }

        /** Runs that ended ERROR (the check could not be evaluated). */
        public long errors() {
            return errors.sum();
        }
    }

    private final Map<String, Counts> byId = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /** The row of {@code checkId}, created (and announced to listeners) on first use. */
    public Counts of(String checkId) {
        Counts c = byId.get(checkId);
        if (c != null) {
            return c;
        }
        Counts fresh = new Counts();
        Counts prior = byId.putIfAbsent(checkId, fresh);
        if (prior != null) {
            return prior;
        }
        listeners.forEach(l -> l.accept(checkId));
        return fresh;
    }

    /** Every row so far, by check id. */
    public Map<String, Counts> snapshot() {
        return new TreeMap<>(byId);
    }

    /**
     * Calls {@code listener} with each check id present now and with every id added later (a reload
     * that brings a new check), so that a binder registers one meter per check (an id added while
     * this call runs may be announced twice; registering a meter again is harmless).
     */
    public void forEachCheck(Consumer<String> listener) {
        listeners.add(listener);
        byId.keySet().forEach(listener);
    }
}
