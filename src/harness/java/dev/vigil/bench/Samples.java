package dev.vigil.bench;

import java.util.Arrays;
import java.util.List;

/** Small statistics over repeated measurements. */
public final class Samples {
    private Samples() {}

    /** The median (mean of the middle two for an even count). */
    public static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("median of no measurements");
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** The nearest-rank {@code p}th percentile (0 < p ≤ 100). */
    public static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("percentile of no measurements");
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int rank = (int) Math.ceil(p / 100 * v.length);
        return v[Math.max(0, Math.min(v.length, rank) - 1)];
    }

    /** {@code 12,345} style, for tables. */
    public static String count(long v) {
        return String.format("%,d", v);
    }

    /** {@code 12,345} style, rounded to a whole number, for tables. */
    public static String count(double v) {
        return String.format("%,.0f", v);
    }

    /** A rate for tables: whole numbers from 100 up, three significant digits below. */
    public static String rate(double v) {
        if (v >= 100) {
            return count(v);
        }
        return v >= 1 ? String.format("%.2f", v) : String.format("%.3g", v);
    }

    /** "met" or "**missed**". */
    public static String verdict(boolean met) {
        return met ? "met" : "**missed**";
    }
}
