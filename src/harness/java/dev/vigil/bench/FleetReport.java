package dev.vigil.bench;

import static dev.vigil.bench.Samples.count;
import static dev.vigil.bench.Samples.percentile;
import static dev.vigil.bench.internal.MarkdownTable.left;
import static dev.vigil.bench.internal.MarkdownTable.right;

import dev.vigil.bench.FleetScenario.Timings;
import dev.vigil.bench.internal.MarkdownTable;
import java.util.List;

/** The Markdown section and the headline of the {@code fleet} scenario. */
final class FleetReport {
    private FleetReport() {}

    static ScenarioReport of(
            FleetScenario.Settings s,
            long tokenInsights,
            double seedSeconds,
            List<Timings> timings,
            List<Double> naive,
            List<String> plan) {
        StringBuilder md = new StringBuilder();
        md.append(
                String.format(
                        "%s insights over %s accounts (%d zones each; 5 %% critical, one in five"
                                + " resolved), seeded server-side in %.0f s and vacuumed; an"
                                + " account token of %s accounts, which hold %s of the insights."
                                + " Each query over HTTP on loopback, one at a time: %d untimed,"
                                + " then %d timed (the summary: 2, then %d). The naive way is the same first page assembled"
                                + " by the client from one list call per account of the token"
                                + " (%s calls, merged and cut to 50; its answer is checked to"
                                + " equal the fleet route's), %d times.%n%n",
                        count(s.insights()),
                        count(s.accounts()),
                        dev.vigil.bench.internal.FleetRig.ZONES,
                        seedSeconds,
                        count(s.tokenAccounts()),
                        count(tokenInsights),
                        s.warmUp(),
                        s.reps(),
                        s.summaryReps(),
                        count(s.tokenAccounts()),
                        naive.size()));
        MarkdownTable table =
                MarkdownTable.of(
                        left("query"),
                        left("request"),
                        right("p50"),
                        right("p95"),
                        right("p99"),
                        right("max"));
        for (Timings t : timings) {
            table.row(
                    t.query(),
                    "`" + shorten(t.path()) + "`",
                    ms(percentile(t.millis(), 50)),
                    ms(percentile(t.millis(), 95)),
                    ms(percentile(t.millis(), 99)),
                    ms(percentile(t.millis(), 100)));
        }
        table.row(
                "naive: first page from " + count(s.tokenAccounts()) + " account calls",
                "`v1/accounts/{id}/insights` × " + count(s.tokenAccounts()),
                ms(percentile(naive, 50)),
                ms(percentile(naive, 95)),
                ms(percentile(naive, 99)),
                ms(percentile(naive, 100)));
        md.append(table);
        Timings first = timings.getFirst();
        double p95 = percentile(first.millis(), 95);
        double worstListP95 =
                timings.stream()
                        .filter(t -> t.query().startsWith("list"))
                        .mapToDouble(t -> percentile(t.millis(), 95))
                        .max()
                        .orElse(p95);
        md.append(
                String.format(
                        "%nGoal: fleet list p95 < %.0f ms: worst list p95 %s, %s. The fleet first"
                                + " page is %.0f× faster than the naive one at the median.%n%n",
                        FleetScenario.GOAL_P95_MS,
                        ms(worstListP95),
                        Samples.verdict(worstListP95 < FleetScenario.GOAL_P95_MS),
                        percentile(naive, 50) / percentile(first.millis(), 50)));
        md.append("The plan of the fleet's open-insight count (`EXPLAIN ANALYZE`):\n\n```\n");
        plan.stream().limit(40).forEach(l -> md.append(l).append('\n'));
        md.append("```\n");
        String headline =
                String.format(
                        "fleet: list of %s accounts (%s insights) p50 %s, p95 %s, p99 %s (goal"
                                + " p95 < %.0f ms); naive %s per-account calls p50 %s",
                        count(s.tokenAccounts()),
                        count(tokenInsights),
                        ms(percentile(first.millis(), 50)),
                        ms(p95),
                        ms(percentile(first.millis(), 99)),
                        FleetScenario.GOAL_P95_MS,
                        count(s.tokenAccounts()),
                        ms(percentile(naive, 50)));
        return new ScenarioReport(
                "fleet",
                md.toString(),
                headline,
                "list p95 " + ms(worstListP95) + " (" + count(s.tokenAccounts()) + " accounts)",
                "per-account calls p50 " + ms(percentile(naive, 50)),
                List.of(
                        new TargetVerdict(
                                "fleet list p95 < 200 ms",
                                ms(worstListP95),
                                worstListP95 < FleetScenario.GOAL_P95_MS)),
                List.of());
    }

    private static String ms(double v) {
        return v >= 100 ? String.format("%,.0f ms", v) : String.format("%.1f ms", v);
    }

    private static String shorten(String path) {
        int c = path.indexOf("cursor=");
        return c < 0 ? path : path.substring(0, c) + "cursor=…";
    }
}
