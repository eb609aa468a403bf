package dev.vigil.bench;

import static dev.vigil.bench.Samples.count;
import static dev.vigil.bench.internal.MarkdownTable.left;
import static dev.vigil.bench.internal.MarkdownTable.right;

import dev.vigil.bench.PipelineScenario.Run;
import dev.vigil.bench.internal.MarkdownTable;
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
                        """
                        Fleet: %,d accounts and %,d zones (synthetic, seed 42), every plan's \
                        interval %d s; the scheduler offers a fixed %,.0f scans/s. Config fetches \
                        go to the simulated config service over HTTP with its typical latency \
                        (median 2 ms, 1 %% between 200 ms and 2 s); the full catalogue is \
                        evaluated; results go through HTTP to the results API and PostgreSQL. \
                        Vigil: warm-up %d s, then %d s measured; naive: warm-up %d s, then %d s \
                        measured. Rates are the median of %d-second steps. The JIT row is the \
                        time the JVM's compilers spent in each phase (summed over their threads, \
                        wall time, so it includes waiting for a core): the rate climbs while they \
                        compile the pipeline, and a window with little of it measures the \
                        sustained rate rather than the ramp.%n%n\
                        """
                                .formatted(
                                        s.accounts(),
                                        s.zones(),
                                        s.interval().toSeconds(),
                                        s.offeredRate(),
                                        s.warmUp().toSeconds(),
                                        s.window().toSeconds(),
                                        s.naiveWarmUp().toSeconds(),
                                        s.naiveWindow().toSeconds(),
                                        s.step().toSeconds()))
                .append(figures(v, n))
                .append('\n')
                .append(
                        MarkdownTable.of(
                                        left("DESIGN.md target"),
                                        right("measured"),
                                        left("verdict"))
                                .row(
                                        "≥ 2,000 scans/s sustained",
                                        count(v.medianRate()),
                                        Samples.verdict(v.medianRate() >= 2_000))
                                .row(
                                        "≥ 10× the naive pipeline",
                                        String.format("%.1f×", ratio),
                                        Samples.verdict(ratio >= 10)))
                .append('\n');
        if (v.total().rate() < 0.95 * v.offered()) {
            md.append(
                    "Vigil took less than the scheduler offered: the figure is its saturation throughput.\n\n");
        } else {
            md.append(
                    "**Vigil kept up with the offered rate: the figure is a lower bound, not its saturation throughput.**\n\n");
        }
        long retries = workers.stream().mapToLong(Worker::retries).sum();
        md.append("Retries during the run: ").append(retries).append("; dead letters: 0.\n\n");
        md.append(whereTheTimeGoes(v.total(), cpus)).append(PipelineRolesReport.markdown(s, roles));
        String headline =
                String.format(
                        "pipeline: %s scans/s end to end (target ≥ 2,000), naive %s scans/s, ratio %.1f× (target ≥ 10×), processing p99 %s, %s",
                        count(v.medianRate()),
                        count(n.medianRate()),
                        ratio,
                        ms(v.total(), 0.99, false),
                        PipelineRolesReport.headline(roles));
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
                charts(v, n, roles));
    }

    /** Scans/s and processing latency, Vigil beside the naive pipeline; the roles' memory. */
    private static List<Chart> charts(Run v, Run n, PipelineScenario.RolesRun roles) {
        Map<String, Map<String, Double>> rates = new LinkedHashMap<>();
        rates.put("Vigil", Map.of("scans/s", v.medianRate()));
        rates.put("naive pipeline", Map.of("scans/s", n.medianRate()));
        Map<String, Map<String, Double>> latency = new LinkedHashMap<>();
        latency.put("Vigil", percentiles(v.total()));
        latency.put("naive pipeline", percentiles(n.total()));
        return List.of(
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
    }

    private static Map<String, Double> percentiles(Window.Delta d) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("p50", d.processing().percentile(0.5).toNanos() / 1e6);
        m.put("p99", d.processing().percentile(0.99).toNanos() / 1e6);
        return m;
    }

    /** Where Vigil's CPU went over its window, and how to read the stage means and latencies. */
    private static String whereTheTimeGoes(Window.Delta t, int cpus) {
        return """
                **Where the time goes.** One JVM holds the workers, the results API, the Kafka \
                broker, the scheduler and the config service; PostgreSQL runs in child processes. \
                Over the window they used %.2f + %.2f of %d cores (%.2f ms of JVM CPU and %.2f ms \
                of PostgreSQL CPU per scan). The stage means are wall time of concurrent scans, so \
                they include waiting for a core. Latency requested → stored includes the time a \
                request waits in Kafka behind the backlog the scheduler builds while it offers more \
                than the workers take; the processing latency is the scan itself. The naive \
                pipeline is bound by round trips, not CPU: one fetch, then one INSERT per finding, \
                then a synchronous commit, strictly in turn.

                """
                .formatted(
                        t.jvmCpuSeconds() / t.seconds(),
                        t.childrenCpuSeconds() / t.seconds(),
                        cpus,
                        1000 * t.jvmCpuSeconds() / t.scans(),
                        1000 * t.childrenCpuSeconds() / t.scans());
    }

    /** Vigil's figures beside the naive pipeline's, one row each. */
    private static MarkdownTable figures(Run v, Run n) {
        Window.Delta vt = v.total();
        Window.Delta nt = n.total();
        return MarkdownTable.of(left(""), right("Vigil"), right("naive"))
                .row("scans/s (median of steps)", count(v.medianRate()), count(n.medianRate()))
                .row("scans/s (whole window)", count(vt.rate()), count(nt.rate()))
                .row("scans in the window", count(vt.scans()), count(nt.scans()))
                .row(
                        "findings/s stored",
                        count(vt.findings() / vt.seconds()),
                        count(nt.findings() / nt.seconds()))
                .row("offered by the scheduler, scans/s", count(v.offered()), count(n.offered()))
                .row("latency requested → stored, p50", ms(vt, 0.5, true), ms(nt, 0.5, true))
                .row("latency requested → stored, p99", ms(vt, 0.99, true), ms(nt, 0.99, true))
                .row("processing (dequeued → stored), p50", ms(vt, 0.5, false), ms(nt, 0.5, false))
                .row(
                        "processing (dequeued → stored), p99",
                        ms(vt, 0.99, false),
                        ms(nt, 0.99, false))
                .row("mean fetch per scan", stage(vt, 0), stage(nt, 0))
                .row("mean evaluate per scan", stage(vt, 1), stage(nt, 1))
                .row("mean submit (HTTP + DB write) per scan", stage(vt, 2), stage(nt, 2))
                .row("JVM CPU, cores", cores(vt.jvmCpuSeconds(), v), cores(nt.jvmCpuSeconds(), n))
                .row(
                        "PostgreSQL CPU, cores",
                        cores(vt.childrenCpuSeconds(), v),
                        cores(nt.childrenCpuSeconds(), n))
                .row(
                        "JVM CPU per scan",
                        cpuPerScan(vt.jvmCpuSeconds(), v),
                        cpuPerScan(nt.jvmCpuSeconds(), n))
                .row(
                        "PostgreSQL CPU per scan",
                        cpuPerScan(vt.childrenCpuSeconds(), v),
                        cpuPerScan(nt.childrenCpuSeconds(), n))
                .row(
                        "Kafka broker requests per scan: fetch / commit / produce / all",
                        requests(vt),
                        requests(nt))
                .row("JVM resident memory (max)", mib(v.rssMax()), mib(n.rssMax()))
                .row(
                        "JIT compiling in the warm-up / the window",
                        jit(v.jitWarmUpSeconds(), v.jitWindowSeconds()),
                        jit(n.jitWarmUpSeconds(), n.jitWindowSeconds()));
    }

    private static String jit(double warmUp, double window) {
        return String.format("%.1f s / %.1f s", warmUp, window);
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

    private static String requests(Window.Delta d) {
        Window.Requests r = d.broker();
        double s = Math.max(1, d.scans());
        return String.format(
                "%.3f / %.3f / %.3f / %.3f",
                r.fetch() / s, r.offsetCommit() / s, r.produce() / s, r.all() / s);
    }

    private static String mib(long bytes) {
        return String.format("%,d MiB", bytes / (1024 * 1024));
    }
}
