package dev.vigil.bench;

import java.util.List;

/** Assembles {@code report.md}. */
final class BenchReport {
    private BenchReport() {}

    static String markdown(
            Machine machine, boolean quick, List<ScenarioReport> reports, List<String> failures) {
        StringBuilder md = new StringBuilder("# Vigil benchmark");
        md.append(quick ? " (quick run: shortened scenarios, figures indicative only)" : "")
                .append("\n\n## Machine\n\n")
                .append(machine.markdown())
                .append(
                        "- Setup: embedded Kafka (in the benchmark's JVM) and embedded PostgreSQL"
                                + " 17 (child processes) on loopback; the machine may be shared with"
                                + " other work while the benchmark runs.\n\n");
        md.append("## Headlines\n\n");
        for (ScenarioReport r : reports) {
            md.append("- ").append(r.headline()).append("\n");
        }
        for (String f : failures) {
            md.append("- FAILED ").append(f).append("\n");
        }
        for (ScenarioReport r : reports) {
            md.append("\n## Scenario `").append(r.name()).append("`\n\n").append(r.markdown());
        }
        for (String f : failures) {
            md.append("\n## FAILED\n\n")
                    .append(f)
                    .append("\n\nNo figure is reported for a scenario whose system errored.\n");
        }
        return md.toString();
    }
}
