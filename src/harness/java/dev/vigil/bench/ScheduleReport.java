package dev.vigil.bench;

import static dev.vigil.bench.Samples.count;
import static dev.vigil.bench.internal.MarkdownTable.left;
import static dev.vigil.bench.internal.MarkdownTable.right;

import dev.vigil.bench.ScheduleScenario.Result;
import dev.vigil.bench.internal.MarkdownTable;
import dev.vigil.bench.internal.ScheduleReplay.Outcome;
import dev.vigil.inventory.Plan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Markdown section and the headline of the {@code schedule} scenario. */
final class ScheduleReport {
    private ScheduleReport() {}

    static ScenarioReport of(Result r) {
        double mean = r.meanMinute();
        Outcome j = r.jitter();
        Outcome n = r.none();
        double publishedRatio = j.busiestPublished() / mean;
        double dueRatio = j.busiestFirstDue() / mean;
        StringBuilder md = new StringBuilder();
        md.append(
                String.format(
                        "%s targets written to a CSV file and imported through `vigil import`'s"
                                + " path (TargetImport, batches of 1,000, one upsert statement each)"
                                + " into PostgreSQL in %.1f s (%s targets/s, one run after a"
                                + " warm-up import). Targets per plan: %s. The scheduler's rate"
                                + " (RatePlanner on those counts, default intervals, buffer %.1f):"
                                + " **%.2f scans/s**; the steady demand, the *mean minute*, is"
                                + " %.1f scans per minute.%n%n",
                        count(r.targets()),
                        r.importSeconds(),
                        count(r.targets() / r.importSeconds()),
                        plans(r.byPlan()),
                        r.buffer(),
                        r.rate(),
                        mean));
        md.append(
                String.format(
                        "Then %d days (the longest plan interval and a day) of publishing, replayed on a"
                                + " simulated clock from the first due times the import wrote"
                                + " (read back from the database): the scheduler's token bucket at"
                                + " the computed rate, most overdue first, each published target due"
                                + " again one plan interval later. The baseline is the same fleet"
                                + " with every target due at import time, the naive import.%n%n",
                        r.horizon().toDays()));
        md.append(
                MarkdownTable.of(
                                left(""),
                                right("with jitter (Vigil)"),
                                right("all due at import (naive)"))
                        .row(
                                "busiest minute of first due times",
                                ratio(j.busiestFirstDue(), mean),
                                ratio(n.busiestFirstDue(), mean))
                        .row(
                                "busiest minute published",
                                ratio(j.busiestPublished(), mean),
                                ratio(n.busiestPublished(), mean))
                        .row(
                                "longest wait past a due time",
                                human(j.oldestOverdueMillis()),
                                human(n.oldestOverdueMillis()))
                        .row(
                                "every target scanned once after",
                                allScanned(j.everyTargetScannedMillis()),
                                allScanned(n.everyTargetScannedMillis())));
        md.append(
                String.format(
                        "%nThe published rate can never pass %.1f × the mean minute: the token"
                                + " bucket is filled at the computed rate. What the jitter buys is"
                                + " that the demand itself stays near the mean (busiest minute of"
                                + " first due times %.2f × mean, the rest is the randomness of"
                                + " %.0f arrivals a minute), so nothing waits; without it the whole"
                                + " fleet is due in the first minute and the scheduler works through"
                                + " that backlog at its ceiling for days.%n",
                        r.buffer(), dueRatio, mean));
        String headline =
                String.format(
                        "schedule: %s targets imported (%s targets/s), computed rate %.2f scans/s;"
                                + " busiest minute %.2f × mean with jitter (target ≤ 1.2×), longest"
                                + " wait %s; without jitter all %s due in minute one (%s × mean),"
                                + " longest wait %s",
                        count(r.targets()),
                        count(r.targets() / r.importSeconds()),
                        r.rate(),
                        publishedRatio,
                        human(j.oldestOverdueMillis()),
                        count(n.busiestFirstDue()),
                        count(n.busiestFirstDue() / mean),
                        human(n.oldestOverdueMillis()));
        return new ScenarioReport(
                "schedule",
                md.toString(),
                headline,
                String.format(
                        "busiest minute %.2f × mean with jitter, longest wait %s; rate %.2f scans/s",
                        publishedRatio, human(j.oldestOverdueMillis()), r.rate()),
                String.format(
                        "all due at import: busiest minute of due times %s × mean, longest wait %s",
                        count(n.busiestFirstDue() / mean), human(n.oldestOverdueMillis())),
                List.of(
                        new TargetVerdict(
                                "busiest minute ≤ 1.2 × mean minute after importing 1,000,000 targets",
                                String.format(
                                        "%.2f× (%s targets)", publishedRatio, count(r.targets())),
                                publishedRatio <= 1.2)),
                charts(j, n, mean));
    }

    /**
     * Busiest minute of each hour, first due times and published requests, with and without the
     * jitter; the mean minute for scale.
     */
    private static List<Chart> charts(Outcome j, Outcome n, double mean) {
        Map<String, List<double[]>> due = new LinkedHashMap<>();
        due.put("with jitter (Vigil)", busiestPerHour(j.firstDuePerMinute(), true));
        due.put("all due at import (naive)", busiestPerHour(n.firstDuePerMinute(), true));
        Map<String, List<double[]>> published = new LinkedHashMap<>();
        published.put("with jitter (Vigil)", busiestPerHour(j.publishedPerMinute(), false));
        published.put("all due at import (naive)", busiestPerHour(n.publishedPerMinute(), false));
        published.put(
                "mean minute",
                List.of(
                        new double[] {0, mean},
                        new double[] {j.publishedPerMinute().length / 60.0, mean}));
        return List.of(
                new Chart.Lines(
                        "schedule-due.png",
                        "schedule: first due times, busiest minute of each hour",
                        "hours after the import",
                        "targets first due in the busiest minute (log)",
                        due,
                        false,
                        true),
                new Chart.Lines(
                        "schedule-published.png",
                        "schedule: scans published, busiest minute of each hour",
                        "hours after the import",
                        "scans published in the busiest minute",
                        published,
                        false,
                        false));
    }

    private static String ratio(long minute, double mean) {
        return String.format(
                "%s (%s × mean)",
                count(minute),
                minute / mean >= 100 ? count(minute / mean) : String.format("%.2f", minute / mean));
    }

    /**
     * Points {hour, busiest minute of the hour}: a week of minutes is too dense to draw, and the
     * busiest minute is what the target is about. Empty hours are dropped on a log scale, where
     * zero cannot be drawn.
     */
    private static List<double[]> busiestPerHour(long[] perMinute, boolean dropZeros) {
        List<double[]> out = new ArrayList<>();
        for (int h = 0; h * 60 < perMinute.length; h++) {
            long max = 0;
            for (int m = h * 60; m < Math.min(perMinute.length, h * 60 + 60); m++) {
                max = Math.max(max, perMinute[m]);
            }
            if (!dropZeros || max > 0) {
                out.add(new double[] {h, max});
            }
        }
        return out;
    }

    private static String plans(Map<Plan, Long> byPlan) {
        List<String> parts = new ArrayList<>();
        byPlan.forEach((p, c) -> parts.add(p.wire() + " " + count(c)));
        return String.join(", ", parts);
    }

    static String human(long millis) {
        Duration d = Duration.ofMillis(millis);
        if (d.toHours() >= 24) {
            return String.format("%.1f days", millis / 86_400_000.0);
        }
        if (d.toMinutes() >= 60) {
            return String.format("%.1f h", millis / 3_600_000.0);
        }
        if (d.toSeconds() >= 60) {
            return String.format("%.1f min", millis / 60_000.0);
        }
        return String.format("%.0f s", millis / 1000.0);
    }

    private static String allScanned(long millis) {
        return millis < 0 ? "not within the horizon" : human(millis);
    }
}
