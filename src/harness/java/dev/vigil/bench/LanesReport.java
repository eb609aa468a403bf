package dev.vigil.bench;

import static dev.vigil.bench.Samples.count;
import static dev.vigil.bench.internal.MarkdownTable.left;
import static dev.vigil.bench.internal.MarkdownTable.right;

import dev.vigil.bench.LanesScenario.Figures;
import dev.vigil.bench.LanesScenario.Run;
import dev.vigil.bench.internal.MarkdownTable;
import java.time.Duration;
import java.util.List;

/** The Markdown section and the headline of the {@code lanes} scenario. */
final class LanesReport {
    private LanesReport() {}

    static ScenarioReport of(Figures f) {
        LanesScenario.Settings s = f.settings();
        boolean met = f.ratio() <= 1.5;
        boolean stalls = f.oneGroup().fastP99().compareTo(s.slowMin()) >= 0;
        StringBuilder md = new StringBuilder();
        md.append(
                        String.format(
                                "%s targets (%s accounts, %s zones); %.0f %% of them slow: the"
                                        + " simulated config service answers them in %d–%d s, the"
                                        + " rest in about 2 ms. Scan requests at %.0f/s in a fixed"
                                        + " shuffled order over the fleet, %d s warm-up (not"
                                        + " measured), then %d s measured, per run; each run on its"
                                        + " own 30-partition topic with production workers (4"
                                        + " consumers per group, batches of up to 500), results"
                                        + " stored through the results API in PostgreSQL.\n\n",
                                count(s.accounts() + s.zones()),
                                count(s.accounts()),
                                count(s.zones()),
                                100 * s.slowFraction(),
                                s.slowMin().toSeconds(),
                                s.slowMax().toSeconds(),
                                s.rate(),
                                s.warmUp().toSeconds(),
                                s.window().toSeconds()))
                .append(
                        "Latency = from publishing the request to the results API acknowledging"
                                + " its result (stored), per scan. Fast targets and slow targets"
                                + " are counted apart; the lane figures are the fast targets'.\n\n");
        MarkdownTable runs =
                MarkdownTable.of(
                        left("run"),
                        right("fast targets p50"),
                        right("fast targets p99"),
                        right("fast scans"),
                        right("slow targets p50"),
                        right("slow scans"),
                        right("moved to slow by a fast worker"));
        for (Run r : List.of(f.lanes(), f.noSlow(), f.oneGroup())) {
            runs.row(
                    r.label(),
                    ms(r.fastP50()),
                    ms(r.fastP99()),
                    count(r.fast().count()),
                    r.slow().count() == 0 ? "—" : ms(r.slow().percentile(0.5)),
                    count(r.slow().count()),
                    count(r.movedToSlow()));
        }
        md.append(runs)
                .append('\n')
                .append(
                        MarkdownTable.of(
                                        left("figure"),
                                        right("measured"),
                                        right("target"),
                                        left("verdict"))
                                .row(
                                        "fast-lane p99 (a) / (b)",
                                        String.format("%.2f×", f.ratio()),
                                        "≤ 1.5×",
                                        Samples.verdict(met))
                                .row(
                                        "one group p99 (c) vs the slow fetch",
                                        ms(f.oneGroup().fastP99()),
                                        "≥ " + ms(s.slowMin()) + " (stalls)",
                                        stalls ? "stalls, as expected" : "**did not stall**"));
        md.append(
                "\nIn (a) the lane is chosen by `LaneClassifier` from the targets' smoothed scan"
                        + " durations as the inventory would hold them after earlier scans (slow"
                        + " targets 2.5 s, others 5 ms); a fast worker would still stop a fetch"
                        + " that exceeds `VIGIL_LANE_SLOW_FETCH` (5 s) and hand the target to the"
                        + " slow lane (the \"moved\" column). In (c) a batch holding a"
                        + " slow target is committed, and the next one polled, only when that"
                        + " target is done, so the fast targets behind it wait. The runs are"
                        + " sequential in one JVM in the order shown, after an unmeasured warm-up"
                        + " run (lanes, none slow); on a shared machine the p99"
                        + " of tens of milliseconds moves with other load, so the ratio is"
                        + " indicative.\n");
        String headline =
                String.format(
                        "lanes: fast-lane p99 %s with 1 %% slow targets vs %s with none = %.2f×"
                                + " (target ≤ 1.5×, %s); one group for all: p99 %s (%s)",
                        ms(f.lanes().fastP99()),
                        ms(f.noSlow().fastP99()),
                        f.ratio(),
                        met ? "met" : "missed",
                        ms(f.oneGroup().fastP99()),
                        stalls ? "stalls behind the slow fetches" : "did not stall");
        return new ScenarioReport(
                "lanes",
                md.toString(),
                headline,
                String.format(
                        "fast-lane p99 %s with 1 %% slow (%s with none, %.2f×)",
                        ms(f.lanes().fastP99()), ms(f.noSlow().fastP99()), f.ratio()),
                "one group for all: p99 " + ms(f.oneGroup().fastP99()),
                List.of(
                        new TargetVerdict(
                                "fast-lane p99 with 1 % slow targets ≤ 1.5× the p99 with none",
                                String.format("%.2f×", f.ratio()), met)),
                List.of(latencyChart(f)));
    }

    /** The fast targets' p50 and p99 in each run. */
    private static Chart latencyChart(Figures f) {
        java.util.Map<String, java.util.Map<String, Double>> latency =
                new java.util.LinkedHashMap<>();
        for (Run r : List.of(f.lanes(), f.noSlow(), f.oneGroup())) {
            java.util.Map<String, Double> byRun = new java.util.LinkedHashMap<>();
            byRun.put("p50", (double) r.fastP50().toMillis());
            byRun.put("p99", (double) r.fastP99().toMillis());
            latency.put(r.label(), byRun);
        }
        return new Chart.Bars(
                "lanes-latency.png",
                "lanes: fast targets' scan latency (ms, log)",
                "ms (log)",
                latency,
                true);
    }

    private static String ms(Duration d) {
        return count(d.toMillis()) + " ms";
    }
}
