package dev.vigil.bench;

import static dev.vigil.bench.Samples.count;

import dev.vigil.bench.internal.WriteRig.Method;
import dev.vigil.results.ResultWriter;
import java.util.List;
import java.util.Map;

/** The Markdown section and the headline of the {@code write} scenario. */
final class WriteReport {
    private WriteReport() {}

    static ScenarioReport of(
            WriteScenario.Settings s,
            Map<Integer, Map<Method, Double>> seconds,
            Map<Integer, Boolean> extrapolated,
            Map<Integer, double[]> crossover) {
        StringBuilder md = new StringBuilder();
        md.append(
                        "One results call per measurement, each to a fresh target (every finding is an"
                                + " insert), median of ")
                .append(s.reps())
                .append(
                        " runs, methods interleaved. Tables are emptied (TRUNCATE + CHECKPOINT)"
                                + " before every call of 10,000 findings or more.\n\n");
        md.append(
                "| findings | hybrid writer via HTTP | always unnest via HTTP | always COPY via HTTP"
                        + " | per-row INSERT | raw COPY, same indexes | raw COPY, bare table (ceiling) |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var e : seconds.entrySet()) {
            int size = e.getKey();
            md.append("| ").append(count(size));
            for (Method m : WriteScenario.CALL_METHODS) {
                double sec = WriteScenario.get(e.getValue(), m);
                md.append(" | ").append(count(size / sec));
                if (m == Method.NAIVE && Boolean.TRUE.equals(extrapolated.get(size))) {
                    md.append(" ¹");
                }
                md.append(String.format(" <br>(%.3f s)", sec));
            }
            md.append(" |\n");
        }
        md.append("\nRows per second (median seconds of the call in brackets). ")
                .append("¹ Extrapolated from the per-row writer's rate on ")
                .append(count(s.naiveSample()))
                .append(
                        " findings (running it at full size would take minutes). The per-row"
                                + " writer is called directly over JDBC (no HTTP hop, which favours"
                                + " it); every other writer goes through ResultsClient → HTTP →"
                                + " ApiServer → ResultWriter and does the whole job: upsert, resolve"
                                + " check, scan record, an audit entry per opened insight. Raw COPY"
                                + " does none of that.\n\n");

        int largest = seconds.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
        Map<Method, Double> big = seconds.getOrDefault(largest, Map.of());
        double hybrid = largest / WriteScenario.get(big, Method.HYBRID);
        double rawIndexed = largest / WriteScenario.get(big, Method.RAW_INDEXED);
        double naive = largest / WriteScenario.get(big, Method.NAIVE);
        double pctOfCopy = 100 * hybrid / rawIndexed;
        double timesNaive = hybrid / naive;
        md.append("| DESIGN.md target (at ")
                .append(count(largest))
                .append(" findings) | measured | verdict |\n|---|---:|---|\n");
        md.append("| hybrid call ≥ 70 % of raw COPY into the same indexed table | ")
                .append(String.format("%.0f %%", pctOfCopy))
                .append(" | ")
                .append(Samples.verdict(pctOfCopy >= 70))
                .append(" |\n");
        md.append("| hybrid call ≥ 15× the per-row way | ")
                .append(String.format("%.1f×", timesNaive))
                .append(" | ")
                .append(Samples.verdict(timesNaive >= 15))
                .append(" |\n\n");
        if (largest < 500_000) {
            md.append(
                    "(Quick run: the targets are stated for 500,000 findings; this run's largest"
                            + " call is smaller.)\n\n");
        }

        int measured = WriteScenario.measuredCrossover(crossover);
        md.append("Crossover between unnest and COPY, ResultWriter called directly (no HTTP), ")
                .append("fresh target per call, median of ")
                .append(s.crossoverReps())
                .append(":\n\n| findings | unnest | COPY | faster |\n|---:|---:|---:|---|\n");
        for (var e : crossover.entrySet()) {
            double u = e.getValue()[0];
            double c = e.getValue()[1];
            md.append(
                    String.format(
                            "| %s | %.1f ms | %.1f ms | %s |%n",
                            count(e.getKey()), u * 1000, c * 1000, c < u ? "COPY" : "unnest"));
        }
        String crossText =
                measured < 0
                        ? "COPY never consistently faster up to " + count(lastKey(crossover))
                        : "COPY faster from about " + count(measured) + " findings";
        md.append("\nMeasured crossover: ")
                .append(crossText)
                .append("; the writer's threshold (ResultWriter.DEFAULT_UNNEST_THRESHOLD): ")
                .append(count(ResultWriter.DEFAULT_UNNEST_THRESHOLD))
                .append(".");
        if (differsALot(measured)) {
            md.append(
                    " **The measured crossover differs from the threshold by more than 2.5×;"
                            + " the default was not changed by this run — review it against these"
                            + " figures.**");
        }
        md.append("\n");

        String headline =
                String.format(
                        "write: %s findings in one call %s rows/s = %.0f %% of raw COPY (target ≥ 70 %%),"
                                + " %.1f× per-row (target ≥ 15×); crossover %s, threshold %s",
                        count(largest),
                        count(hybrid),
                        pctOfCopy,
                        timesNaive,
                        measured < 0 ? "> " + count(lastKey(crossover)) : "≈ " + count(measured),
                        count(ResultWriter.DEFAULT_UNNEST_THRESHOLD));
        Map<String, List<double[]>> curve = new java.util.LinkedHashMap<>();
        for (Method m : WriteScenario.CALL_METHODS) {
            List<double[]> points = new java.util.ArrayList<>();
            seconds.forEach(
                    (size, med) ->
                            points.add(new double[] {size, size / WriteScenario.get(med, m)}));
            curve.put(LABELS.get(m), points);
        }
        List<Chart> charts =
                List.of(
                        new Chart.Lines(
                                "write-sizes.png",
                                "write: rows/s by size of one results call",
                                "findings in the call",
                                "rows/s",
                                curve,
                                true,
                                true));
        List<TargetVerdict> targets =
                List.of(
                        new TargetVerdict(
                                "hybrid call ≥ 70 % of raw COPY into the same indexed table",
                                String.format("%.0f %% at %s", pctOfCopy, count(largest)),
                                pctOfCopy >= 70),
                        new TargetVerdict(
                                "hybrid call ≥ 15× the per-row way",
                                String.format("%.1f× at %s", timesNaive, count(largest)),
                                timesNaive >= 15));
        return new ScenarioReport(
                "write",
                md.toString(),
                headline,
                String.format(
                        "%s rows/s in one call of %s findings", count(hybrid), count(largest)),
                String.format(
                        "per-row INSERT %s rows/s; raw COPY (indexed) %s rows/s",
                        count(naive), count(rawIndexed)),
                targets,
                charts);
    }

    private static final Map<Method, String> LABELS =
            Map.of(
                    Method.HYBRID, "hybrid writer via HTTP",
                    Method.UNNEST, "always unnest via HTTP",
                    Method.COPY, "always COPY via HTTP",
                    Method.NAIVE, "per-row INSERT (naive)",
                    Method.RAW_INDEXED, "raw COPY, same indexes",
                    Method.RAW_BARE, "raw COPY, bare table");

    private static int lastKey(Map<Integer, double[]> m) {
        List<Integer> keys = List.copyOf(m.keySet());
        return keys.getLast();
    }

    private static boolean differsALot(int measured) {
        double t = ResultWriter.DEFAULT_UNNEST_THRESHOLD;
        if (measured < 0) {
            return true;
        }
        return measured > 2.5 * t || measured < t / 2.5;
    }
}
