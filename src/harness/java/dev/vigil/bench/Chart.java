package dev.vigil.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chart of a scenario, as data: {@link Bench} renders it to {@link #file()} (a PNG beside {@code
 * report.md}) and links it from the report. Scenarios only describe charts, so they stay free of
 * files and of the charting library.
 */
public sealed interface Chart {

    /** The PNG's file name, e.g. {@code rules.png}; unique within one run. */
    String file();

    /** The chart's title, also the link text in the report. */
    String title();

    /**
     * Grouped bars: for each category (e.g. "typical zone"), one bar per series (e.g. "Vigil",
     * "naive"). Insertion order is kept.
     *
     * @param logScale a logarithmic value axis, for figures that differ by orders of magnitude
     */
    record Bars(
            String file,
            String title,
            String valueAxis,
            Map<String, Map<String, Double>> valuesBySeries,
            boolean logScale)
            implements Chart {
        public Bars {
            Map<String, Map<String, Double>> copy = new LinkedHashMap<>();
            valuesBySeries.forEach(
                    (s, v) ->
                            copy.put(
                                    s,
                                    java.util.Collections.unmodifiableMap(new LinkedHashMap<>(v))));
            valuesBySeries = java.util.Collections.unmodifiableMap(copy);
        }
    }

    /**
     * Lines through points {x, y}, one per series.
     *
     * @param logX a logarithmic x axis
     * @param logY a logarithmic y axis
     */
    record Lines(
            String file,
            String title,
            String xAxis,
            String yAxis,
            Map<String, List<double[]>> pointsBySeries,
            boolean logX,
            boolean logY)
            implements Chart {
        public Lines {
            Map<String, List<double[]>> copy = new LinkedHashMap<>();
            pointsBySeries.forEach((s, p) -> copy.put(s, List.copyOf(p)));
            pointsBySeries = java.util.Collections.unmodifiableMap(copy);
        }
    }
}
