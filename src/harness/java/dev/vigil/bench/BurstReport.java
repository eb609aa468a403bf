package dev.vigil.bench;

import static dev.vigil.bench.Samples.count;
import static dev.vigil.bench.internal.MarkdownTable.left;
import static dev.vigil.bench.internal.MarkdownTable.right;

import dev.vigil.bench.BurstScenario.Result;
import dev.vigil.bench.BurstScenario.Sample;
import dev.vigil.bench.BurstScenario.Settings;
import dev.vigil.bench.internal.MarkdownTable;
import dev.vigil.events.Lane;
import dev.vigil.scheduling.Backpressure;
import dev.vigil.scheduling.LagSignal.LaneLag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Markdown section, the headline and the charts of the {@code burst} scenario. */
final class BurstReport {
    /** Rows of the table at most: a full run's samples are thinned to about this many. */
    private static final int MAX_ROWS = 40;

    private BurstReport() {}

    static ScenarioReport of(Result r) {
        Settings s = r.settings();
        double bound = s.maxLag().toMillis() / 1000.0;
        double maxLag = 0;
        double maxLagAt = 0;
        long maxRecords = 0;
        long maxWaiting = 0;
        double braking = 0;
        Sample previous = null;
        for (Sample x : r.samples()) {
            double w = seconds(x.state().worstWorkTime());
            if (w > maxLag) {
                maxLag = w;
                maxLagAt = x.seconds();
            }
            for (LaneLag l : x.state().lanes().values()) {
                maxRecords = Math.max(maxRecords, l.records());
            }
            maxWaiting = Math.max(maxWaiting, x.dueWaiting());
            if (previous != null && previous.state().throttled()) {
                braking += x.seconds() - previous.seconds();
            }
            previous = x;
        }
        boolean recovered = !Double.isNaN(r.recoveredSeconds());
        String recovery =
                recovered
                        ? String.format("%.0f s", r.recoveredSeconds() - r.burstEndSeconds())
                        : "not within " + s.after().toSeconds() + " s";
        String figure =
                String.format(
                        "max lag %s of work (bound %.0f s), recovered %s after the burst",
                        workCell(maxLag), bound, recovery);
        String audit =
                String.format(
                        "%s targets made due, %s published, %s scans stored for %s targets: 0"
                                + " lost, 0 repeated",
                        count(r.fed()),
                        count(r.published()),
                        count(r.stored()),
                        count(r.distinctStored()));
        StringBuilder md = new StringBuilder();
        md.append(
                String.format(
                        "The pipeline of `vigil demo` (embedded Kafka and PostgreSQL, the"
                                + " simulated config service with its typical latency, results stored"
                                + " through the API) with the scheduler's lag bound at %.0f s of work"
                                + " (VIGIL_SCHEDULER_MAX_LAG) and a fixed rate 1.5 × the burst,"
                                + " so only the brake holds it back. The bench makes targets due"
                                + " itself: %.0f a second for %d s, then %d× that (%.0f a second)"
                                + " for %d s, then %.0f a second again until the scheduler is back"
                                + " at its planned rate with no due target waiting (at most %d s)."
                                + " Lag is the scheduler's view: each lane's uncommitted records ÷"
                                + " the rate its group committed over the last 6 samples of the lag"
                                + " signal (1 s apart here).%n%n",
                        bound,
                        s.sustained(),
                        s.before().toSeconds(),
                        s.factor(),
                        s.sustained() * s.factor(),
                        s.burst().toSeconds(),
                        s.sustained(),
                        s.after().toSeconds()));
        md.append(
                MarkdownTable.of(left(""), right("measured"))
                        .row(
                                "largest lag, in work time (bound)",
                                workCell(maxLag) + String.format(" (%.0f s)", bound))
                        .row(
                                "… at",
                                String.format(
                                        "%.0f s (burst ends at %.0f s)",
                                        maxLagAt, r.burstEndSeconds()))
                        .row("largest lag, in records", count(maxRecords))
                        .row("most targets due and held in the database", count(maxWaiting))
                        .row("time braking", String.format("%.0f s", braking))
                        .row("time to recover after the burst", recovery)
                        .row("audit", audit));
        md.append(
                "\n*Time to recover*: from the burst's end until the scheduler no longer brakes and"
                        + " at most a second's demand is due and unpublished. While it brakes, the"
                        + " targets it holds back wait in the database, due, and go out most"
                        + " overdue first; the audit counts every target made due published once"
                        + " and stored once (`scans` rows, distinct targets).\n\n");
        md.append(table(r.samples()));
        String headline =
                String.format(
                        "burst: %.0f → %.0f due/s for %d s: %s; %s",
                        s.sustained(),
                        s.sustained() * s.factor(),
                        s.burst().toSeconds(),
                        figure,
                        audit);
        return new ScenarioReport(
                "burst",
                md.toString(),
                headline,
                figure,
                "see its section",
                List.of(),
                charts(r, bound));
    }

    /** Each lane's lag in one table cell, such as {@code fast 2.1 s, slow 0.4 s}. */
    static String lagCell(Backpressure.State state) {
        StringBuilder b = new StringBuilder();
        for (Lane lane : BurstScenario.LANES) {
            LaneLag l = state.lanes().get(lane);
            b.append(b.isEmpty() ? "" : ", ")
                    .append(lane.wire())
                    .append(' ')
                    .append(l == null ? "—" : workCell(seconds(l.workTime())));
        }
        return b.toString();
    }

    private static String table(List<Sample> samples) {
        MarkdownTable t =
                MarkdownTable.of(
                        right("s"),
                        left("phase"),
                        right("made due"),
                        right("published"),
                        right("stored"),
                        right("due waiting"),
                        left("lag (work time)"),
                        right("publish rate /s"),
                        left("braking"));
        int every = Math.max(1, (samples.size() + MAX_ROWS - 1) / MAX_ROWS);
        for (int i = 0; i < samples.size(); i++) {
            if (i % every != 0 && i != samples.size() - 1) {
                continue;
            }
            Sample x = samples.get(i);
            t.row(
                    String.format("%.0f", x.seconds()),
                    x.phase(),
                    count(x.fed()),
                    count(x.published()),
                    count(x.stored()),
                    count(x.dueWaiting()),
                    lagCell(x.state()),
                    Samples.rate(x.state().rate()),
                    x.state().throttled() ? "yes (" + wire(x.state()) + ")" : "no");
        }
        return t.toString();
    }

    private static String wire(Backpressure.State state) {
        Lane cause = state.cause();
        return cause == null ? "?" : cause.wire();
    }

    private static List<Chart> charts(Result r, double bound) {
        Map<String, List<double[]>> lag = new LinkedHashMap<>();
        for (Lane lane : BurstScenario.LANES) {
            List<double[]> points = new ArrayList<>();
            for (Sample x : r.samples()) {
                LaneLag l = x.state().lanes().get(lane);
                if (l != null) {
                    // a lane with no progress is drawn at twice the bound, not at a year
                    points.add(
                            new double[] {x.seconds(), Math.min(seconds(l.workTime()), 2 * bound)});
                }
            }
            lag.put(lane.wire() + " lane", points);
        }
        double end = r.samples().isEmpty() ? 0 : r.samples().getLast().seconds();
        lag.put("bound", List.of(new double[] {0, bound}, new double[] {end, bound}));
        Map<String, List<double[]>> rates = new LinkedHashMap<>();
        rates.put("made due", perSecond(r.samples(), Sample::fed));
        rates.put("published", perSecond(r.samples(), Sample::published));
        rates.put("stored", perSecond(r.samples(), Sample::stored));
        return List.of(
                new Chart.Lines(
                        "burst-lag.png",
                        "burst: each lane's lag in work time, against the bound",
                        "seconds",
                        "lag (seconds of work)",
                        lag,
                        false,
                        false),
                new Chart.Lines(
                        "burst-rates.png",
                        "burst: targets made due, requests published, scans stored per second",
                        "seconds",
                        "per second",
                        rates,
                        false,
                        false));
    }

    private static List<double[]> perSecond(
            List<Sample> samples, java.util.function.ToLongFunction<Sample> counter) {
        List<double[]> out = new ArrayList<>();
        for (int i = 1; i < samples.size(); i++) {
            Sample a = samples.get(i - 1);
            Sample b = samples.get(i);
            double dt = b.seconds() - a.seconds();
            if (dt > 0) {
                out.add(
                        new double[] {
                            b.seconds(), (counter.applyAsLong(b) - counter.applyAsLong(a)) / dt
                        });
            }
        }
        return out;
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    static String workCell(double seconds) {
        return seconds >= LaneLag.FOREVER.toSeconds()
                ? "∞ (no progress)"
                : String.format("%.1f s", seconds);
    }
}
