package dev.vigil.bench;

import static dev.vigil.bench.Samples.count;

import dev.vigil.bench.internal.ChangeKind;
import dev.vigil.bench.internal.EvaluationCost;
import dev.vigil.bench.internal.ProcessStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * What bounds the {@code changes} figures on this machine, measured in the run: the CPU time of
 * this JVM (API, broker, change workers, the benchmark's push threads) and of PostgreSQL per push
 * accepted through the batch route, and per event worked off each way. A figure that is CPU-bound
 * can go no higher than the machine's cores divided by its CPU per unit; the paragraph says how far
 * that is from the target and, for the end-to-end ratio, how much of a full rescan's CPU per event
 * the checks' evaluation is, which is all that changed sections can save.
 */
final class ChangesBound {

    /** CPU per unit of work, in milliseconds: this JVM's and PostgreSQL's. */
    record CpuPer(double jvmMs, double postgresMs) {
        double totalMs() {
            return jvmMs + postgresMs;
        }

        static CpuPer of(ProcessStats from, ProcessStats to, long units) {
            double n = Math.max(1, units);
            return new CpuPer(
                    (to.jvmCpu().toNanos() - from.jvmCpu().toNanos()) / 1e6 / n,
                    (to.childrenCpu().toNanos() - from.childrenCpu().toNanos()) / 1e6 / n);
        }

        /** The round of median total CPU per unit; zeros when there was none. */
        static CpuPer median(List<CpuPer> rounds) {
            if (rounds.isEmpty()) {
                return new CpuPer(0, 0);
            }
            List<CpuPer> sorted = new ArrayList<>(rounds);
            sorted.sort(Comparator.comparingDouble(CpuPer::totalMs));
            return sorted.get(sorted.size() / 2);
        }
    }

    private static final double INTAKE_TARGET = ChangesReport.INTAKE_TARGET;

    private final @Nullable ProcessHandle postmaster;
    private final List<CpuPer> batchPushes = new ArrayList<>();
    private final List<CpuPer> vigilEvents = new ArrayList<>();
    private final List<CpuPer> naiveEvents = new ArrayList<>();

    ChangesBound(DataSource db) {
        this.postmaster = ProcessStats.postmaster(db);
    }

    /** The CPU times now, to pass to {@link #round}. */
    ProcessStats now() {
        return ProcessStats.now(postmaster);
    }

    /**
     * Records one saturation round: {@code events} pushed between {@code start} and {@code queued}
     * (counted per push when they went through the batch route), then worked off by {@code done}
     * (counted per event, each way, when the round pushed one version per call as the main rounds
     * do).
     */
    void round(
            ProcessStats start,
            ProcessStats queued,
            ProcessStats done,
            long events,
            boolean full,
            boolean batch) {
        if (batch) {
            batchPushes.add(CpuPer.of(start, queued, events));
        } else {
            (full ? naiveEvents : vigilEvents).add(CpuPer.of(queued, done, events));
        }
    }

    /** Forgets the rounds so far (the warm-up's). */
    void forget() {
        batchPushes.clear();
        vigilEvents.clear();
        naiveEvents.clear();
    }

    /** The report's paragraph. */
    String describe(
            double batchPushRate,
            ChangesScenario.Way v,
            ChangesScenario.Way n,
            List<ChangeKinds.Measured> kinds) {
        int cores = Runtime.getRuntime().availableProcessors();
        CpuPer push = CpuPer.median(batchPushes);
        CpuPer changed = CpuPer.median(vigilEvents);
        CpuPer full = CpuPer.median(naiveEvents);
        StringBuilder md =
                new StringBuilder(
                        String.format(
                                "**What bounds these figures** (CPU time of this JVM and of"
                                        + " PostgreSQL over each round, medians; %d cores). The"
                                        + " batch route took %.3f ms of the JVM's CPU and %.3f ms of"
                                        + " PostgreSQL's per push accepted (%d rounds queued through it,"
                                        + " both ways; the JVM's includes the push threads), %.2f"
                                        + " of the"
                                        + " %d cores at its %s pushes/s: with every core busy it"
                                        + " could accept about %s pushes/s, where 8,333 needs at"
                                        + " most %.3f ms per push%s. Working off the backlog took"
                                        + " %.3f + %.3f ms per event with changed sections and %.3f"
                                        + " + %.3f ms with the full rescan (JVM + PostgreSQL).",
                                cores,
                                push.jvmMs(),
                                push.postgresMs(),
                                batchPushes.size(),
                                push.totalMs() * batchPushRate / 1000,
                                cores,
                                count(batchPushRate),
                                count(push.totalMs() > 0 ? 1000 * cores / push.totalMs() : 0),
                                1000.0 * cores / INTAKE_TARGET,
                                push.postgresMs() * INTAKE_TARGET > 1000 * cores
                                        ? " (PostgreSQL's share alone is more than that)"
                                        : "",
                                changed.jvmMs(),
                                changed.postgresMs(),
                                full.jvmMs(),
                                full.postgresMs()));
        EvaluationCost.Measured eval = settingsEvaluation(kinds);
        if (eval != null && full.totalMs() > 0 && changed.totalMs() > 0) {
            // The evaluation per event: per evaluated change, times the share not folded away.
            double changedEval = eval.changedNanos() / 1e6 * (1 - v.foldedShare());
            double rest = Math.max(1e-9, changed.totalMs() - changedEval);
            md.append(
                    String.format(
                            " With changed sections the checks' evaluation (the evaluation alone,"
                                    + " `settings`) is %.3f ms of an event's %.3f ms; the other"
                                    + " %.3f ms (the event's broker round, its decoding, the results"
                                    + " call and its transaction, smaller than a full rescan's by"
                                    + " the findings of the checks not run) is paid however few"
                                    + " checks run. A ratio of 3× needs the whole event under %.3f"
                                    + " ms, a third of the full rescan's; even free evaluation"
                                    + " would leave it at most %.2f× (measured %.2f× in events/s,"
                                    + " %.2f× in CPU per event).",
                            changedEval,
                            changed.totalMs(),
                            rest,
                            full.totalMs() / 3,
                            full.totalMs() / rest,
                            v.rate() / Math.max(1e-9, n.rate()),
                            full.totalMs() / changed.totalMs()));
        }
        return md.append("\n\n").toString();
    }

    private static EvaluationCost.@Nullable Measured settingsEvaluation(
            List<ChangeKinds.Measured> kinds) {
        for (ChangeKinds.Measured k : kinds) {
            if (k.kind() == ChangeKind.SETTINGS) {
                return k.evaluation();
            }
        }
        return null;
    }
}
