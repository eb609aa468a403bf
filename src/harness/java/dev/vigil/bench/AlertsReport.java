package dev.vigil.bench;

import static dev.vigil.bench.Samples.count;
import static dev.vigil.bench.internal.MarkdownTable.left;
import static dev.vigil.bench.internal.MarkdownTable.right;

import dev.vigil.bench.AlertsScenario.Phase;
import dev.vigil.bench.AlertsScenario.Polls;
import dev.vigil.bench.internal.AlertRig;
import dev.vigil.bench.internal.AlertStages;
import dev.vigil.bench.internal.MarkdownTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Markdown section and the headline of the {@code alerts} scenario.
 *
 * <p>The baseline is computed, not waited for: a user who polls every period P, at a phase that has
 * nothing to do with when insights open, sees an insight after the time to the next poll (uniform
 * on [0, P)) plus the poll's own response time R, measured by one real poll per account after the
 * load. So its q-quantile is q·P + R, whatever the insights' open times; waiting for real 60 s
 * polls would add minutes to the run and measure the same thing. It is a lower bound: it takes an
 * insight as listable the moment it is pushed.
 */
final class AlertsReport {
    /** DESIGN.md: insight opened → signed alert received, p99 ≤ 2 s at 100 opened insights/s. */
    static final double TARGET_P99_MS = 2_000;

    static final double TARGET_RATE = 100;

    static final String TARGET = "opened → signed webhook p99 ≤ 2 s at 100 opened insights/s";

    private AlertsReport() {}

    /**
     * @param concurrency the dispatcher's {@code VIGIL_ALERT_CONCURRENCY} in this run
     */
    static ScenarioReport of(
            AlertsScenario.Settings s, int concurrency, Phase steady, Phase sat, Polls polls) {
        StringBuilder md = new StringBuilder();
        md.append(
                String.format(
                        "%d accounts of the synthetic fleet (seed 42) on the whole local pipeline"
                                + " (API with the alert dispatcher beside it, change workers, embedded"
                                + " Kafka and PostgreSQL); scheduler stopped. Each account has a webhook"
                                + " destination at a receiver on 127.0.0.1 (allowed by"
                                + " `VIGIL_ALERT_ALLOWED_HOSTS=127.0.0.1`) and one rule: trigger"
                                + " `opened`, mode `immediate`, severity `critical`, check `%s`,"
                                + " created through the alerting API. The receiver verifies every"
                                + " request's Standard Webhooks signature with the destination's"
                                + " secret (`com.standardwebhooks.Webhook.verify`) before reading it."
                                + "%n%nEach push (`POST /v1/zones/{id}/config`) is a fresh zone's first"
                                + " configuration with `settings.ssl` set to `off`: the change worker"
                                + " scans the zone and opens its findings, among them exactly one the"
                                + " rule matches. **Steady**: %s pushes paced open-loop at %s/s"
                                + " (%d s, after %d warm-up pushes); latency from each push's planned"
                                + " time to its verified webhook's arrival, so a slow push counts"
                                + " against it. **Saturation**: %s more zones pushed from %d threads"
                                + " as fast as the API takes them; deliveries/s from the first to"
                                + " the last webhook. An insight not delivered %d s after its phase's"
                                + " last push is lost; a `webhook-id` seen twice is a repeat, an"
                                + " insight seen twice a duplicate.%n%n",
                        s.accounts(),
                        AlertRig.CHECK,
                        count(s.steadyZones()),
                        Samples.rate(s.rate()),
                        s.window().toSeconds(),
                        s.warmUpZones(),
                        count(s.saturationZones()),
                        s.pushThreads(),
                        s.deliveryTimeout().toSeconds()));
        double periodMs = polls.period().toMillis();
        double pollMs = polls.pollNanos() / 1e6;
        md.append(
                        MarkdownTable.of(
                                        left(""),
                                        right("Vigil, steady"),
                                        right("Vigil, saturation"),
                                        right(
                                                "baseline: poll every "
                                                        + polls.period().toSeconds()
                                                        + " s"))
                                .row(
                                        "opened insights pushed, /s",
                                        Samples.rate(steady.offered()),
                                        Samples.rate(sat.offered()),
                                        "same insights")
                                .row(
                                        "insights pushed / delivered",
                                        count(steady.pushed())
                                                + " / "
                                                + count(steady.latencyNanos().length),
                                        count(sat.pushed())
                                                + " / "
                                                + count(sat.latencyNanos().length),
                                        "—")
                                .row(
                                        "deliveries/s (events; messages)",
                                        rate(steady),
                                        rate(sat),
                                        "—")
                                .row(
                                        "push → alert p50",
                                        ms(steady.percentileMs(0.5)),
                                        ms(sat.percentileMs(0.5)),
                                        ms(0.5 * periodMs + pollMs))
                                .row(
                                        "push → alert p99",
                                        ms(steady.percentileMs(0.99)),
                                        ms(sat.percentileMs(0.99)),
                                        ms(0.99 * periodMs + pollMs))
                                .row(
                                        "push → alert p99.9",
                                        ms(steady.percentileMs(0.999)),
                                        ms(sat.percentileMs(0.999)),
                                        ms(0.999 * periodMs + pollMs))
                                .row(
                                        "push → alert max",
                                        ms(steady.percentileMs(1)),
                                        ms(sat.percentileMs(1)),
                                        ms(periodMs + pollMs))
                                .row("lost", count(steady.lost()), count(sat.lost()), "—")
                                .row(
                                        "repeated webhook-ids / duplicate insights",
                                        dup(steady),
                                        dup(sat),
                                        "—")
                                .row(
                                        "signature verification failures",
                                        count(steady.received().verificationFailures()),
                                        count(sat.received().verificationFailures()),
                                        "—"))
                .append('\n');
        MarkdownTable stages =
                MarkdownTable.of(
                        left("where the time went (from the alert tables)"),
                        right("steady p50"),
                        right("steady p99"),
                        right("saturation p50"),
                        right("saturation p99"));
        for (int i = 0; i < steady.stages().size(); i++) {
            AlertStages.Stage a = steady.stages().get(i);
            AlertStages.Stage b = i < sat.stages().size() ? sat.stages().get(i) : a;
            stages.row(a.name(), ms(a.p50Ms()), ms(a.p99Ms()), ms(b.p50Ms()), ms(b.p99Ms()));
        }
        md.append(stages)
                .append(
                        "\nThe dispatcher sent at most "
                                + concurrency
                                + " messages at once (`VIGIL_ALERT_CONCURRENCY`, default 32; the"
                                + " scenario passes the variable through from its environment)."
                                + " Each stage ends when the next began: the results and grouping"
                                + " transactions' `now()`, the attempt's record time less its send"
                                + " time, and the send time the dispatcher recorded (the receiver's"
                                + " signature check is inside it). Percentiles of stages do not add"
                                + " up to the end-to-end ones.\n\n");
        md.append(
                sat.eventsPerSecond() >= 0.9 * sat.offered()
                        ? "At saturation the webhooks kept pace with the pushes: the limit is how"
                                + " fast the API takes first pushes (store the version, wait for"
                                + " Kafka's acknowledgement) and the change workers scan whole zones"
                                + " on these shared cores, not the alert dispatcher.\n\n"
                        : "At saturation the webhooks fell behind the pushes: the alert path"
                                + " (outbox, grouping, claims, sends) is the limit here.\n\n");
        // judged on a run meant for the target's rate; a pusher starved below it misses it
        boolean atRate = s.rate() >= TARGET_RATE;
        boolean met =
                atRate
                        && steady.offered() >= 0.95 * TARGET_RATE
                        && steady.percentileMs(0.99) <= TARGET_P99_MS
                        && steady.lost() == 0;
        md.append(
                        MarkdownTable.of(
                                        left("DESIGN.md target"),
                                        right("measured"),
                                        left("verdict"))
                                .row(
                                        "p99 ≤ 2 s at 100 opened insights/s",
                                        measured(steady),
                                        atRate
                                                ? Samples.verdict(met)
                                                : "not judged: quick run at "
                                                        + Samples.rate(s.rate())
                                                        + "/s"))
                .append('\n');
        md.append(
                String.format(
                        "**Baseline, how it is computed.** A user without alerts polls `GET"
                                + " /v1/accounts/{id}/insights?status=open&severity=critical` every"
                                + " %d s at a phase unrelated to when insights open, so an insight waits"
                                + " for the next poll (uniform on [0, %d s)) plus the poll's response"
                                + " time: its q-quantile is q × %d s + %s. The response time is the"
                                + " median of one real poll per account (every page, %s open critical"
                                + " insights listed over %d accounts) made right after the load. It"
                                + " is a lower bound for the poller (it takes an insight as listable"
                                + " the moment it is pushed), and it ignores the cost of the polls"
                                + " themselves.%n",
                        polls.period().toSeconds(),
                        polls.period().toSeconds(),
                        polls.period().toSeconds(),
                        ms(pollMs),
                        count(polls.listed()),
                        polls.accounts()));
        String headline =
                String.format(
                        "alerts: opened insight → signed webhook at %s/s p50 %s, p99 %s (target ≤ 2 s"
                                + " at 100/s), p99.9 %s; %s deliveries/s sustained, %s/s at"
                                + " saturation; %d lost, %d duplicates, %d verification failures;"
                                + " polling every %d s instead: p50 %s, p99 %s",
                        Samples.rate(steady.offered()),
                        ms(steady.percentileMs(0.5)),
                        ms(steady.percentileMs(0.99)),
                        ms(steady.percentileMs(0.999)),
                        Samples.rate(steady.eventsPerSecond()),
                        Samples.rate(sat.eventsPerSecond()),
                        steady.lost() + sat.lost(),
                        duplicates(steady) + duplicates(sat),
                        steady.received().verificationFailures()
                                + sat.received().verificationFailures(),
                        polls.period().toSeconds(),
                        ms(0.5 * periodMs + pollMs),
                        ms(0.99 * periodMs + pollMs));
        List<TargetVerdict> targets =
                atRate ? List.of(new TargetVerdict(TARGET, measured(steady), met)) : List.of();
        return new ScenarioReport(
                "alerts",
                md.toString(),
                headline,
                String.format(
                        "p99 %s at %s opened insights/s; %s deliveries/s at saturation",
                        ms(steady.percentileMs(0.99)),
                        Samples.rate(steady.offered()),
                        Samples.rate(sat.eventsPerSecond())),
                String.format(
                        "poll every %d s: p50 %s, p99 %s",
                        polls.period().toSeconds(),
                        ms(0.5 * periodMs + pollMs),
                        ms(0.99 * periodMs + pollMs)),
                targets,
                List.of(chart(steady, periodMs, pollMs)));
    }

    /** Push → alert percentiles, the webhook beside the 60 s poller, on a log axis. */
    private static Chart chart(Phase steady, double periodMs, double pollMs) {
        Map<String, Double> vigil = new LinkedHashMap<>();
        Map<String, Double> poller = new LinkedHashMap<>();
        for (double q : new double[] {0.5, 0.99, 0.999}) {
            String name = q == 0.5 ? "p50" : q == 0.99 ? "p99" : "p99.9";
            vigil.put(name, steady.percentileMs(q));
            poller.put(name, q * periodMs + pollMs);
        }
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        series.put("Vigil: signed webhook", vigil);
        series.put("poll every " + Math.round(periodMs / 1000) + " s", poller);
        return new Chart.Bars(
                "alerts-latency.png",
                "alerts: insight pushed → known to its owner, at "
                        + Samples.rate(steady.offered())
                        + " opened insights/s",
                "ms (log)",
                series,
                true);
    }

    private static String measured(Phase steady) {
        return ms(steady.percentileMs(0.99))
                + " at "
                + Samples.rate(steady.offered())
                + "/s, "
                + count(steady.lost())
                + " lost";
    }

    private static long duplicates(Phase p) {
        return p.received().repeatedMessages() + p.received().duplicateEvents();
    }

    private static String dup(Phase p) {
        return count(p.received().repeatedMessages())
                + " / "
                + count(p.received().duplicateEvents());
    }

    private static String rate(Phase p) {
        return Samples.rate(p.eventsPerSecond()) + "; " + Samples.rate(p.messagesPerSecond());
    }

    private static String ms(double ms) {
        if (Double.isNaN(ms)) {
            return "—";
        }
        return ms >= 10_000
                ? String.format("%.1f s", ms / 1000)
                : ms >= 1000 ? String.format("%.2f s", ms / 1000) : String.format("%.0f ms", ms);
    }
}
