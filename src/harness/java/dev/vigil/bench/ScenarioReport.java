package dev.vigil.bench;

import java.util.List;

/**
 * What one scenario measured.
 *
 * @param name the scenario, e.g. {@code write}
 * @param markdown its section of the report (tables, targets, notes), without the heading
 * @param headline its figure on one line, printed last and quoted in the report
 * @param figure Vigil's main figure, short (e.g. {@code 12,345 evaluations/s}), for the summary
 * @param baseline the naive way's figure measured in the same run, short, for the summary
 * @param targets the DESIGN.md targets this scenario measures, met or not
 * @param charts the scenario's charts, rendered beside the report
 */
public record ScenarioReport(
        String name,
        String markdown,
        String headline,
        String figure,
        String baseline,
        List<TargetVerdict> targets,
        List<Chart> charts) {

    public ScenarioReport {
        targets = List.copyOf(targets);
        charts = List.copyOf(charts);
    }

    /** A report with only its section and headline: the summary points to the section. */
    public ScenarioReport(String name, String markdown, String headline) {
        this(name, markdown, headline, headline, "see its section", List.of(), List.of());
    }
}
