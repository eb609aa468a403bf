package dev.vigil.bench;

import static dev.vigil.bench.internal.MarkdownTable.left;
import static dev.vigil.bench.internal.MarkdownTable.right;

import dev.vigil.bench.internal.MarkdownTable;
import dev.vigil.bench.internal.SpeedReading;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Assembles {@code report.md}: the machine, a summary (each scenario's figure beside its baseline),
 * the DESIGN.md targets beside the measured figures, then each scenario's section with its charts.
 */
final class BenchReport {

    /** DESIGN.md "Speed and memory targets", each with the scenario that measures it. */
    static final Map<String, String> DESIGN_TARGETS = designTargets();

    private BenchReport() {}

    private static Map<String, String> designTargets() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("≥ 2,000 scans/s sustained", "pipeline");
        m.put("≥ 10× the naive pipeline", "pipeline");
        m.put("≥ 20,000 config-change events/s to stored insights", "changes");
        m.put("change-to-insight p99 ≤ 1 s at half that load", "changes");
        m.put(AlertsReport.TARGET, "alerts");
        m.put("hybrid call ≥ 70 % of raw COPY into the same indexed table", "write");
        m.put("hybrid call ≥ 15× the per-row way", "write");
        m.put("fast-lane p99 with 1 % slow targets ≤ 1.5× the p99 with none", "lanes");
        m.put("busiest minute ≤ 1.2 × mean minute after importing 1,000,000 targets", "schedule");
        m.put("worker resident memory at full speed ≤ 512 MiB", "pipeline");
        return m;
    }

    static String markdown(
            Machine machine, boolean quick, List<ScenarioReport> reports, List<String> failures) {
        return markdown(machine, List.of(), quick, reports, failures, null);
    }

    /**
     * @param speeds the machine's speed readings taken during the run, in order
     * @param stopped how a signal cut the run short (then the report is partial: the scenarios that
     *     finished), or null when every scenario ran
     */
    static String markdown(
            Machine machine,
            List<SpeedReading> speeds,
            boolean quick,
            List<ScenarioReport> reports,
            List<String> failures,
            @Nullable String stopped) {
        StringBuilder md = new StringBuilder("# Vigil benchmark");
        md.append(quick ? " (quick run: shortened scenarios, figures indicative only)" : "")
                .append(stopped == null ? "" : " — partial: " + stopped)
                .append("\n\n## Machine\n\n")
                .append(machine.markdown())
                .append(
                        "- Setup: embedded Kafka (in the benchmark's JVM) and embedded PostgreSQL"
                                + " 17 (child processes) on loopback; the machine may be shared with"
                                + " other work while the benchmark runs.\n");
        if (!speeds.isEmpty()) {
            md.append(
                            "- Speed readings (one thread's fixed workload, CPU / wall time, lower is"
                                    + " faster; the same build's figures move with them): ")
                    .append(String.join(", ", speeds.stream().map(SpeedReading::markdown).toList()))
                    .append("\n");
        }
        md.append("\n");
        md.append("## Headlines\n\n");
        for (ScenarioReport r : reports) {
            md.append("- ").append(r.headline()).append("\n");
        }
        for (String f : failures) {
            md.append("- FAILED ").append(f).append("\n");
        }
        if (stopped != null) {
            md.append("- STOPPED ").append(stopped).append("\n");
        }
        MarkdownTable summary =
                MarkdownTable.of(
                        left("scenario"),
                        left("Vigil"),
                        left("baseline (the naive way, same run)"),
                        left("charts"));
        for (ScenarioReport r : reports) {
            summary.row(
                    "`" + r.name() + "`",
                    r.figure(),
                    r.baseline(),
                    String.join(", ", r.charts().stream().map(BenchReport::link).toList()));
        }
        md.append("\n## Summary\n\n").append(summary);
        md.append(targets(reports));
        for (ScenarioReport r : reports) {
            md.append("\n## Scenario `").append(r.name()).append("`\n\n").append(r.markdown());
            for (Chart c : r.charts()) {
                md.append("\n![").append(c.title()).append("](").append(c.file()).append(")\n");
            }
        }
        for (String f : failures) {
            md.append("\n## FAILED\n\n")
                    .append(f)
                    .append("\n\nNo figure is reported for a scenario whose system errored.\n");
        }
        return md.toString();
    }

    private static String link(Chart c) {
        return "[" + c.file() + "](" + c.file() + ")";
    }

    /** The DESIGN.md targets beside what this run measured; unmeasured ones say so. */
    private static String targets(List<ScenarioReport> reports) {
        MarkdownTable table =
                MarkdownTable.of(
                        left("target"), left("scenario"), right("measured"), left("verdict"));
        Map<String, ScenarioReport> byName = new LinkedHashMap<>();
        reports.forEach(r -> byName.put(r.name(), r));
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (Map.Entry<String, String> t : DESIGN_TARGETS.entrySet()) {
            ScenarioReport r = byName.get(t.getValue());
            TargetVerdict v =
                    r == null
                            ? null
                            : r.targets().stream()
                                    .filter(x -> x.target().equals(t.getKey()))
                                    .findFirst()
                                    .orElse(null);
            String scenario = "`" + t.getValue() + "`";
            if (v == null) {
                table.row(t.getKey(), scenario, r == null ? "not run" : "in its section", "—");
            } else {
                listed.add(t.getValue() + "/" + v.target());
                table.row(t.getKey(), scenario, v.measured(), Samples.verdict(v.met()));
            }
        }
        for (ScenarioReport r : reports) {
            for (TargetVerdict v : r.targets()) {
                if (!listed.contains(r.name() + "/" + v.target())) {
                    table.row(
                            v.target(),
                            "`" + r.name() + "`",
                            v.measured(),
                            Samples.verdict(v.met()));
                }
            }
        }
        return "\n## DESIGN.md targets\n\n" + table;
    }
}
