package dev.vigil.bench;

import dev.vigil.bench.internal.ChartRenderer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vigil bench}: runs the chosen scenarios one after another, each on its own embedded
 * infrastructure, and writes {@code report.md} into the output directory: the machine, then each
 * scenario's tables with the DESIGN.md targets beside the figures, and each scenario's charts as
 * PNG files beside it (rendered headless). Each scenario's headline is printed as the last line of
 * its output.
 */
public final class Bench {
    /** Scenarios in the order they run when none is named. */
    public static final List<String> SCENARIOS =
            List.of("rules", "schedule", "write", "changes", "lanes", "pipeline");

    /**
     * What {@code vigil bench} was asked to run.
     *
     * @param quick each scenario shortened to seconds (the CI smoke test)
     * @param window the pipeline scenario's measurement window (null for its default)
     */
    public record Options(
            List<String> scenarios,
            Path outDir,
            boolean quick,
            @org.jspecify.annotations.Nullable Duration window) {
        public Options {
            scenarios = List.copyOf(scenarios.isEmpty() ? SCENARIOS : scenarios);
            for (String s : scenarios) {
                if (!SCENARIOS.contains(s)) {
                    throw new IllegalArgumentException(
                            "unknown scenario '" + s + "'; known: " + String.join(", ", SCENARIOS));
                }
            }
        }
    }

    private Bench() {}

    /**
     * Runs the scenarios; returns the exit code: 0 when all ran cleanly, 1 when the system under
     * test errored in any (that scenario's section then says FAILED and carries no figure).
     */
    public static int run(Options o, PrintStream out) {
        System.setProperty("java.awt.headless", "true");
        Machine machine = Machine.describe();
        List<ScenarioReport> reports = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String name : o.scenarios()) {
            out.println("vigil bench: scenario " + name + (o.quick() ? " (quick)" : ""));
            try {
                ScenarioReport r = runOne(name, o, out);
                reports.add(r);
                render(r.charts(), o.outDir());
                out.println(r.headline());
            } catch (BenchFailedException e) {
                failures.add(name + ": " + e.getMessage());
                out.println("vigil bench: " + name + " FAILED: " + e.getMessage());
            }
        }
        Path report = o.outDir().resolve("report.md");
        write(report, BenchReport.markdown(machine, o.quick(), reports, failures));
        out.println("vigil bench: report written to " + report);
        return failures.isEmpty() ? 0 : 1;
    }

    private static ScenarioReport runOne(String name, Options o, PrintStream out) {
        return switch (name) {
            case "write" ->
                    new WriteScenario(
                                    o.quick()
                                            ? WriteScenario.Settings.quick()
                                            : WriteScenario.Settings.full(),
                                    out)
                            .run();
            case "pipeline" ->
                    new PipelineScenario(
                                    PipelineScenario.Settings.of(o.quick(), o.window(), o.outDir()),
                                    out)
                            .run();
            case "changes" ->
                    new ChangesScenario(ChangesScenario.Settings.of(o.quick()), out).run();
            case "schedule" ->
                    new ScheduleScenario(ScheduleScenario.Settings.of(o.quick()), out).run();
            case "rules" -> new RulesScenario(RulesScenario.Settings.of(o.quick()), out).run();
            case "lanes" ->
                    new LanesScenario(LanesScenario.Settings.of(o.quick()), out).run().report();
            default -> throw new IllegalArgumentException("unknown scenario " + name);
        };
    }

    private static void render(List<Chart> charts, Path dir) {
        for (Chart c : charts) {
            Path file = dir.resolve(c.file());
            switch (c) {
                case Chart.Bars b ->
                        ChartRenderer.bars(
                                file, b.title(), b.valueAxis(), b.valuesBySeries(), b.logScale());
                case Chart.Lines l ->
                        ChartRenderer.lines(
                                file,
                                l.title(),
                                l.xAxis(),
                                l.yAxis(),
                                l.pointsBySeries(),
                                l.logX(),
                                l.logY());
            }
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + file, e);
        }
    }
}
