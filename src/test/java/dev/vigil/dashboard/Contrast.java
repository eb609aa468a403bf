package dev.vigil.dashboard;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WCAG 2.x contrast ratio of two opaque colours as a browser's computed style gives them ({@code
 * rgb(180, 83, 9)}, {@code rgba(…, 1)}) or as CSS hex ({@code #b45309}): (L1 + 0.05) / (L2 + 0.05)
 * of their relative luminances, from 1 (same) to 21 (black on white).
 */
final class Contrast {

    private static final Pattern RGB =
            Pattern.compile("rgba?\\((\\d+),\\s*(\\d+),\\s*(\\d+)(?:,\\s*([\\d.]+))?\\)");

    private Contrast() {}

    static double ratio(String a, String b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    static double luminance(String css) {
        int[] c = channels(css);
        return 0.2126 * linear(c[0]) + 0.7152 * linear(c[1]) + 0.0722 * linear(c[2]);
    }

    private static int[] channels(String css) {
        String s = css.trim();
        if (s.matches("#[0-9a-fA-F]{6}")) {
            int v = Integer.parseInt(s.substring(1), 16);
            return new int[] {v >> 16, (v >> 8) & 0xff, v & 0xff};
        }
        Matcher m = RGB.matcher(s);
        if (!m.matches() || (m.group(4) != null && Double.parseDouble(m.group(4)) < 1)) {
            throw new IllegalArgumentException(
                    "colour '" + css + "' is not an opaque rgb(), rgba(…, 1) or #rrggbb");
        }
        return new int[] {
            Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))
        };
    }

    private static double linear(int channel) {
        double c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
