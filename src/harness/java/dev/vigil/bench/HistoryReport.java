package dev.vigil.bench;

import static dev.vigil.bench.Samples.count;
import static dev.vigil.bench.internal.MarkdownTable.left;
import static dev.vigil.bench.internal.MarkdownTable.right;

import dev.vigil.bench.HistoryScenario.Rows;
import dev.vigil.bench.HistoryScenario.Timing;
import dev.vigil.bench.internal.MarkdownTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Markdown section and the headline of the {@code history} scenario. */
final class HistoryReport {
    private HistoryReport() {}

    static ScenarioReport of(
            HistoryScenario.Settings s,
            Rows rows,
            double seedSeconds,
            double rollupSeconds,
            int monthsRolled,
            List<Timing> episodes,
            List<Timing> rollups,
            double medianGap) {
        StringBuilder md = new StringBuilder();
        md.append(
                String.format(
                        "A year of history for %s targets over %s accounts (one zone and one"
                                + " insight per target, one to three episodes per insight), written"
                                + " inside PostgreSQL in %.1f s. The large account holds a tenth of"
                                + " the targets. Each route is called over HTTP with a read token"
                                + " of the large account: two warm-up calls, then %d timed calls;"
                                + " first as the episodes answer it (the naive way: MTTR and"
                                + " attainment read and sort every episode resolved in the range),"
                                + " then after the upkeep's rollup pass (%d closed months rolled up"
                                + " in %.1f s).%n%n",
                        count(s.targets()),
                        count(s.accounts()),
                        seedSeconds,
                        s.reps(),
                        monthsRolled,
                        rollupSeconds));
        MarkdownTable counts = MarkdownTable.of(left("rows"), right("count"));
        counts.row("insights", count(rows.insights()));
        counts.row("episodes", count(rows.episodes()));
        counts.row("episodes of the large account", count(rows.largeEpisodes()));
        counts.row("… resolved in the 12 months read", count(rows.largeResolvedInYear()));
        counts.row("rollup rows", count(rows.rollupRows()));
        counts.row("rollup rows of the large account", count(rows.largeRollupRows()));
        md.append(counts).append('\n');
        MarkdownTable table =
                MarkdownTable.of(
                        left("route (large account)"),
                        right("episodes p50"),
                        right("episodes p95"),
                        right("with rollups p50"),
                        right("with rollups p95"));
        Map<String, Map<String, Double>> chart = new LinkedHashMap<>();
        chart.put("episodes (naive)", new LinkedHashMap<>());
        chart.put("with rollups", new LinkedHashMap<>());
        for (int i = 0; i < episodes.size(); i++) {
            Timing e = episodes.get(i);
            Timing r = rollups.get(i);
            table.row(e.route(), ms(e.p50()), ms(e.p95()), ms(r.p50()), ms(r.p95()));
            chart.get("episodes (naive)").put(e.route(), e.p50());
            chart.get("with rollups").put(r.route(), r.p50());
        }
        md.append(table);
        md.append(
                String.format(
                        "%nBoth phases answer alike: counts, means, SLA attainment and the diffs"
                                + " equal (the scenario fails otherwise); the medians of rolled-up months are"
                                + " interpolated between duration buckets (hours below a day, days"
                                + " above), here at most %.2f %% from the exact median. Only MTTR"
                                + " and attainment read rollups; the past-SLA list and the diff"
                                + " read the open and the changed episodes through their indexes"
                                + " in both phases.%n",
                        medianGap * 100));
        Timing mttrNaive = episodes.getFirst();
        Timing mttr = rollups.getFirst();
        String headline =
                String.format(
                        "history: MTTR over 12 months for an account of %s episodes p50 %s with"
                                + " rollups, %s from the episodes (%s targets, %s rollup rows)",
                        count(rows.largeEpisodes()),
                        ms(mttr.p50()),
                        ms(mttrNaive.p50()),
                        count(s.targets()),
                        count(rows.rollupRows()));
        return new ScenarioReport(
                "history",
                md.toString(),
                headline,
                String.format("MTTR 12 months p50 %s with rollups", ms(mttr.p50())),
                String.format("from the episodes p50 %s", ms(mttrNaive.p50())),
                List.of(),
                List.of(
                        new Chart.Bars(
                                "history.png",
                                "history: route p50 (ms), large account, 12 months",
                                "milliseconds (log)",
                                chart,
                                true)));
    }

    private static String ms(double v) {
        return v >= 100 ? count(v) + " ms" : String.format("%.1f ms", v);
    }
}
