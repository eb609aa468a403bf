package dev.vigil.bench.internal;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Renders the benchmark's charts to PNG with JFreeChart, headless (no display is needed or used).
 * The public methods take plain data so the scenario classes never see the charting library.
 */
public final class ChartRenderer {
    static final int WIDTH = 900;
    static final int HEIGHT = 520;

    static {
        // Set before the first AWT class loads: the benchmark runs on servers and in CI.
        System.setProperty("java.awt.headless", "true");
    }

    private ChartRenderer() {}

    /** Grouped bars, one group per category, one bar per series. */
    public static void bars(
            Path file,
            String title,
            String valueAxis,
            Map<String, Map<String, Double>> valuesBySeries,
            boolean logScale) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        valuesBySeries.forEach(
                (series, values) -> values.forEach((cat, v) -> data.addValue(v, series, cat)));
        JFreeChart chart =
                ChartFactory.createBarChart(
                        title, null, valueAxis, data, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        if (logScale) {
            LogAxis axis = new LogAxis(valueAxis);
            axis.setSmallestValue(1e-3);
            plot.setRangeAxis(axis);
        }
        style(chart);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        write(file, chart);
    }

    /** Lines through {x, y} points, one per series, with a marker at each point. */
    public static void lines(
            Path file,
            String title,
            String xAxis,
            String yAxis,
            Map<String, List<double[]>> pointsBySeries,
            boolean logX,
            boolean logY) {
        XYSeriesCollection data = new XYSeriesCollection();
        pointsBySeries.forEach(
                (name, points) -> {
                    XYSeries s = new XYSeries(name, false, true);
                    for (double[] p : points) {
                        s.add(p[0], p[1]);
                    }
                    data.addSeries(s);
                });
        JFreeChart chart =
                ChartFactory.createXYLineChart(
                        title, xAxis, yAxis, data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        if (logX) {
            plot.setDomainAxis(new LogAxis(xAxis));
        }
        if (logY) {
            LogAxis y = new LogAxis(yAxis);
            y.setSmallestValue(1e-3);
            plot.setRangeAxis(y);
        } else if (plot.getRangeAxis() instanceof NumberAxis n) {
            n.setAutoRangeIncludesZero(true);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        int i = 0;
        for (List<double[]> points : pointsBySeries.values()) {
            // markers where they stay readable, and always for a series of a point or two
            renderer.setSeriesShapesVisible(i++, points.size() <= 40);
        }
        plot.setRenderer(renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        style(chart);
        write(file, chart);
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
    }

    private static void write(Path file, JFreeChart chart) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the chart " + file + ": " + e, e);
        }
    }
}
