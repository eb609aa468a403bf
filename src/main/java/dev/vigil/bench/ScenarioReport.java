package dev.vigil.bench;

/**
 * What one scenario measured.
 *
 * @param name the scenario, e.g. {@code write}
 * @param markdown its section of the report (tables, targets, notes), without the heading
 * @param headline its figure on one line, printed last and quoted in the report
 */
public record ScenarioReport(String name, String markdown, String headline) {}
