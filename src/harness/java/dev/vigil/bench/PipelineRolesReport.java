package dev.vigil.bench;

import static dev.vigil.bench.Samples.count;
import static dev.vigil.bench.internal.MarkdownTable.left;
import static dev.vigil.bench.internal.MarkdownTable.right;

import dev.vigil.bench.PipelineScenario.RolesRun;
import dev.vigil.bench.internal.MarkdownTable;
import dev.vigil.bench.internal.RoleRig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The part of the {@code pipeline} report about the roles in processes of their own: each role's
 * CPU and resident memory, and the worker memory target of DESIGN.md.
 */
final class PipelineRolesReport {
    private static final long MIB = 1024 * 1024;
    private static final long WORKER_BUDGET = 512 * MIB;
    private static final String TARGET = "worker resident memory at full speed ≤ 512 MiB";

    private PipelineRolesReport() {}

    static String markdown(PipelineScenario.Settings s, RolesRun r) {
        StringBuilder md = new StringBuilder("### Roles in processes of their own\n\n");
        md.append(
                String.format(
                        "The results API and one worker per lane, each in a JVM of its own started"
                                + " as `vigil api` / `vigil worker --lane …`, sized as the Helm chart"
                                + " sizes their containers (G1 as in the image; fast worker: `%s`;"
                                + " slow worker: `%s`; API: `%s`), fed by the same"
                                + " scheduler, broker, config service and database. Warm-up %d s,"
                                + " then %.0f s measured. Scans are counted in the database; CPU per scan"
                                + " divides a process's CPU time by every scan stored in the"
                                + " window, whichever lane took it.%n%n",
                        String.join(" ", RoleRig.FAST_WORKER_JVM),
                        String.join(" ", RoleRig.SLOW_WORKER_JVM),
                        String.join(" ", RoleRig.API_JVM),
                        s.rolesWarmUp().toSeconds(),
                        r.seconds()));
        md.append("Scans stored per second (median of steps): **")
                .append(count(r.medianRate()))
                .append("**; ")
                .append(count(r.scans()))
                .append(" scans in the window.\n\n");
        MarkdownTable processes =
                MarkdownTable.of(
                        left("process"),
                        right("CPU, cores"),
                        right("CPU per scan"),
                        right("resident memory at the end"),
                        right("peak resident memory (VmHWM)"));
        for (Map.Entry<String, RoleRig.Usage> e : r.end().entrySet()) {
            double cores = r.cores(e.getKey());
            processes.row(
                    e.getKey(),
                    String.format("%.2f", cores),
                    String.format("%.2f ms", 1000 * cores * r.seconds() / r.scans()),
                    mib(e.getValue().rssBytes()),
                    mib(e.getValue().peakRssBytes()));
        }
        processes.row(
                "PostgreSQL (all its processes)",
                String.format("%.2f", r.postgresCpuSeconds() / r.seconds()),
                String.format("%.2f ms", 1000 * r.postgresCpuSeconds() / r.scans()),
                "",
                "");
        md.append(processes)
                .append('\n')
                .append(
                        MarkdownTable.of(
                                        left("DESIGN.md target"),
                                        right("measured"),
                                        left("verdict"))
                                .row(
                                        TARGET,
                                        workerPeakText(r),
                                        Samples.verdict(workerPeak(r) <= WORKER_BUDGET)))
                .append('\n');
        md.append(
                "The benchmark's own process (broker, scheduler, config service, the idle in-process"
                        + " API) and PostgreSQL share the same two cores, so the rate here is not a"
                        + " worker's ceiling; the CPU per scan is what each role costs.\n");
        return md.toString();
    }

    /** The worker memory target, measured. */
    static TargetVerdict verdict(RolesRun r) {
        return new TargetVerdict(TARGET, workerPeakText(r), workerPeak(r) <= WORKER_BUDGET);
    }

    static String headline(RolesRun r) {
        return "worker peak resident memory " + workerPeakText(r) + " (target ≤ 512 MiB)";
    }

    static Chart chart(RolesRun r) {
        Map<String, Map<String, Double>> memory = new LinkedHashMap<>();
        Map<String, Double> peak = new LinkedHashMap<>();
        Map<String, Double> end = new LinkedHashMap<>();
        r.end()
                .forEach(
                        (role, u) -> {
                            peak.put(role, u.peakRssBytes() / (double) MIB);
                            end.put(role, u.rssBytes() / (double) MIB);
                        });
        memory.put("peak (VmHWM)", peak);
        memory.put("at the end", end);
        return new Chart.Bars(
                "pipeline-roles-memory.png",
                "pipeline: resident memory of each role process",
                "MiB",
                memory,
                false);
    }

    private static long workerPeak(RolesRun r) {
        return r.end().entrySet().stream()
                .filter(e -> e.getKey().startsWith("worker"))
                .mapToLong(e -> e.getValue().peakRssBytes())
                .max()
                .orElse(-1);
    }

    private static String workerPeakText(RolesRun r) {
        return mib(workerPeak(r));
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format("%,d MiB", bytes / MIB);
    }
}
