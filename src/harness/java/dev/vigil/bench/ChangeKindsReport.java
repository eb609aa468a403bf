package dev.vigil.bench;

import static dev.vigil.bench.Samples.count;
import static dev.vigil.bench.internal.MarkdownTable.left;
import static dev.vigil.bench.internal.MarkdownTable.right;

import dev.vigil.bench.internal.ChangeKind;
import dev.vigil.bench.internal.EvaluationCost;
import dev.vigil.bench.internal.MarkdownTable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The part of the {@code changes} report about the section a change touches ({@link ChangeKinds}):
 * each kind's end-to-end rounds, then its evaluation alone.
 */
final class ChangeKindsReport {
    private ChangeKindsReport() {}

    /** The ratio to a full rescan for each section a change touches ({@link ChangeKinds}). */
    static String bySection(ChangesScenario.Settings s, List<ChangeKinds.Measured> kinds) {
        MarkdownTable t =
                MarkdownTable.of(
                        left("section changed"),
                        right("changed sections, events/s"),
                        right("full rescan, events/s"),
                        right("ratio"),
                        right("checks per evaluation, changed / full"),
                        left("rounds, changed / full"));
        for (ChangeKinds.Measured k : kinds) {
            t.row(
                    "`" + k.kind().section() + "`",
                    count(Samples.median(k.vigil())),
                    count(Samples.median(k.naive())),
                    String.format("%.1f×", k.ratio()),
                    String.format("%.1f / %.1f", k.vigilChecks(), k.naiveChecks()),
                    roundList(k.vigil()) + " / " + roundList(k.naive()));
        }
        return String.format(
                        "**By the section a change touches.** What changed-sections evaluation saves"
                                + " depends on how many checks read the changed section; the"
                                + " DESIGN.md ratio (3×) names none, and the verdict above is"
                                + " judged on the main rounds (`settings`). The saturation round"
                                + " again, at the end of the run, for the TLS mode (`settings`), a"
                                + " rotated verification TXT record (`dns_records`) and an edited"
                                + " custom firewall rule that only logs (`rulesets`): each kind's"
                                + " backlog of %s pushes queued through the batch route after one"
                                + " unmeasured push of every zone, %d round(s) per way, medians."
                                + " These rounds follow the latency phase's vacuum and are queued"
                                + " through the batch route, so their events/s are above the main"
                                + " rounds'; compare the ratios.%n%n",
                        count((long) s.zones() * s.perZone()), s.kindReps())
                + t
                + "\n"
                + evaluationAlone(s, kinds);
    }

    /** The CPU of the evaluation alone per change, each way ({@link EvaluationCost}). */
    private static String evaluationAlone(
            ChangesScenario.Settings s, List<ChangeKinds.Measured> kinds) {
        MarkdownTable t =
                MarkdownTable.of(
                        left("section changed"),
                        right("changed sections, µs CPU per change"),
                        right("full rescan, µs CPU per change"),
                        right("ratio"),
                        right("findings per evaluation, changed / full"));
        for (ChangeKinds.Measured k : kinds) {
            EvaluationCost.Measured e = k.evaluation();
            t.row(
                    "`" + k.kind().section() + "`",
                    String.format("%.0f", e.changedNanos() / 1e3),
                    String.format("%.0f", e.fullNanos() / 1e3),
                    String.format("%.1f×", e.ratio()),
                    String.format("%.1f / %.1f", e.changedFindings(), e.fullFindings()));
        }
        return String.format(
                        "**The evaluation alone.** The rounds time the whole path, whose Kafka"
                                + " records, results calls and database writes are the same"
                                + " whichever checks run. Here each kind's changed document of"
                                + " every zone is evaluated as a change worker evaluates it"
                                + " (`ChangeHandler.evaluate`: decode the sections the checks"
                                + " read, then the checks), once naming the changed section and"
                                + " once naming every section (the full rescan), on one platform"
                                + " thread of the benchmark while the change workers are stopped,"
                                + " timed by that thread's CPU time: median of %d passes over the"
                                + " %s zones each way, after one unmeasured pass.%n%n",
                        ChangeKinds.EVALUATION_PASSES, count(s.zones()))
                + t;
    }

    /** The main rounds' kind ({@code settings}), whose evaluation ratio the verdict judges. */
    static ChangeKinds.@Nullable Measured settings(List<ChangeKinds.Measured> kinds) {
        return kinds.stream().filter(k -> k.kind() == ChangeKind.SETTINGS).findFirst().orElse(null);
    }

    /** {@code settings 1.9×, dns_records 1.3×, …} for the headline: end to end. */
    static String ratios(List<ChangeKinds.Measured> kinds) {
        return ratios(kinds, ChangeKinds.Measured::ratio);
    }

    /** {@code settings 2.6×, dns_records 3.1×, …}: the evaluation alone, for the headline. */
    static String evaluationRatios(List<ChangeKinds.Measured> kinds) {
        return ratios(kinds, k -> k.evaluation().ratio());
    }

    private static String ratios(
            List<ChangeKinds.Measured> kinds, ToDoubleFunction<ChangeKinds.Measured> ratio) {
        List<String> parts = new ArrayList<>();
        for (ChangeKinds.Measured k : kinds) {
            parts.add(String.format("%s %.1f×", k.kind().section(), ratio.applyAsDouble(k)));
        }
        return String.join(", ", parts);
    }

    static String roundList(List<Double> rates) {
        return String.join(", ", rates.stream().map(Samples::count).toList());
    }
}
