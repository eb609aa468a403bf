package dev.vigil.bench;

import dev.vigil.app.StopSignals;
import dev.vigil.bench.internal.ChartRenderer;
import dev.vigil.bench.internal.SpeedReading;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

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
            List.of(
                    "rules",
                    "fetch",
                    "schedule",
                    "write",
                    "changes",
                    "alerts",
                    "lanes",
                    "pipeline",
                    "history",
                    "fleet");

    /**
     * Scenarios run only when named: {@code burst} takes over a minute even with {@code --quick}
     * (70 s measured on a shared machine), past the quick CI bench's budget of a minute per
     * scenario.
     */
    public static final List<String> ON_REQUEST = List.of("burst");

    /**
     * What {@code vigil bench} was asked to run.
     *
     * @param quick each scenario shortened to seconds (the CI smoke test)
     * @param window the pipeline scenario's measurement window (null for its default)
     */
    public record Options(
            List<String> scenarios, Path outDir, boolean quick, @Nullable Duration window) {
        public Options {
            scenarios = List.copyOf(scenarios.isEmpty() ? SCENARIOS : scenarios);
            for (String s : scenarios) {
                if (!SCENARIOS.contains(s) && !ON_REQUEST.contains(s)) {
                    throw new IllegalArgumentException(
                            "unknown scenario '"
                                    + s
                                    + "'; known: "
                                    + String.join(", ", SCENARIOS)
                                    + ", and when named: "
                                    + String.join(", ", ON_REQUEST));
                }
            }
        }
    }

    private Bench() {}

    /**
     * Runs the scenarios; returns the exit code: 0 when all ran cleanly, 1 when the system under
     * test errored in any (that scenario's section then says FAILED and carries no figure).
     *
     * <p>Ctrl-C (SIGINT) or SIGTERM interrupts the running scenario: it closes what it started (its
     * role processes drain on SIGTERM, then its embedded servers stop and their directories go), no
     * later scenario runs, and the report holds the scenarios that finished and says where the run
     * stopped; the exit code is then 128 + the signal's number (130, 143).
     */
    public static int run(Options o, PrintStream out) {
        try (StopSignals signals = StopSignals.interrupting()) {
            return run(o, out, signals);
        } finally {
            // A signal that came after the last scenario must not outlive the run.
            Thread.interrupted();
        }
    }

    private static int run(Options o, PrintStream out, StopSignals signals) {
        System.setProperty("java.awt.headless", "true");
        Machine machine = Machine.describe();
        List<ScenarioReport> reports = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<SpeedReading> speeds = new ArrayList<>();
        String stopped = null;
        for (String name : o.scenarios()) {
            if (signals.received().isPresent()) {
                break;
            }
            speeds.add(SpeedReading.take("before " + name));
            out.println("vigil bench: scenario " + name + (o.quick() ? " (quick)" : ""));
            long started = System.nanoTime();
            ScenarioReport r = null;
            try {
                r = runOne(name, o, out);
            } catch (RuntimeException e) {
                // Interrupted by a signal, a scenario fails in whatever way its wait failed.
                if (signals.received().isEmpty()) {
                    if (!(e instanceof BenchFailedException)) {
                        throw e;
                    }
                    failures.add(name + ": " + e.getMessage());
                    out.println("vigil bench: " + name + " FAILED: " + e.getMessage());
                }
            }
            if (signals.received().isPresent()) {
                stopped = stoppedLine(signals, name, o.scenarios());
                out.println("vigil bench: " + stopped);
                break;
            }
            // before the headline, which stays the scenario's last line
            out.printf(
                    "vigil bench: scenario %s took %d s%n",
                    name, Duration.ofNanos(System.nanoTime() - started).toSeconds());
            if (r != null) {
                reports.add(r);
                render(r.charts(), o.outDir());
                out.println(r.headline());
            }
        }
        if (stopped == null && signals.received().isPresent()) {
            stopped = stoppedLine(signals, null, List.of());
        }
        Thread.interrupted();
        speeds.add(SpeedReading.take("at the end"));
        Path report = o.outDir().resolve("report.md");
        write(report, BenchReport.markdown(machine, speeds, o.quick(), reports, failures, stopped));
        out.println(
                "vigil bench: "
                        + (stopped == null ? "" : "partial ")
                        + "report written to "
                        + report);
        return signals.received()
                .map(StopSignals.Received::exitCode)
                .orElse(failures.isEmpty() ? 0 : 1);
    }

    /** Where the run stopped and what it left out, for the terminal and the report. */
    private static String stoppedLine(
            StopSignals signals, @Nullable String during, List<String> scenarios) {
        StopSignals.Received r = signals.received().orElseThrow();
        if (during == null) {
            return "stopped by " + r + " after the last scenario";
        }
        List<String> notRun = scenarios.subList(scenarios.indexOf(during) + 1, scenarios.size());
        return "stopped by "
                + r
                + " during scenario "
                + during
                + " (no figure from it)"
                + (notRun.isEmpty() ? "" : "; not run: " + String.join(", ", notRun));
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
            case "alerts" -> new AlertsScenario(AlertsScenario.Settings.of(o.quick()), out).run();
            case "schedule" ->
                    new ScheduleScenario(ScheduleScenario.Settings.of(o.quick()), out).run();
            case "history" ->
                    new HistoryScenario(HistoryScenario.Settings.of(o.quick()), out).run();
            case "rules" -> new RulesScenario(RulesScenario.Settings.of(o.quick()), out).run();
            case "fetch" -> new FetchScenario(FetchScenario.Settings.of(o.quick()), out).run();
            case "fleet" -> new FleetScenario(FleetScenario.Settings.of(o.quick()), out).run();
            case "burst" -> new BurstScenario(BurstScenario.Settings.of(o.quick()), out).run();
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
