package dev.vigil;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress of {@code vigil import} on stderr: one line redrawn in place on a terminal (at most
 * ten times a second), or a line every five seconds when stderr is a file or a pipe, so logs stay
 * readable.
 */
final class ImportProgress {
    private static final int WIDTH = 30;
    private static final long BAR_EVERY_NS = 100_000_000L;
    private static final long LINE_EVERY_NS = 5_000_000_000L;

    private final PrintStream err;
    private final boolean bar;
    private final boolean enabled;
    private final long started = System.nanoTime();
    private long lastShown;
    private boolean drawn;
    private boolean shown;
    private long lines;
    private long bytes;
    private long total;

    ImportProgress(PrintStream err, boolean bar, boolean enabled) {
        this.err = err;
        this.bar = bar;
        this.enabled = enabled;
    }

    void advance(long lines, long bytes, long total) {
        this.lines = lines;
        this.bytes = bytes;
        this.total = total;
        long now = System.nanoTime();
        if (enabled && (!shown || now - lastShown >= (bar ? BAR_EVERY_NS : LINE_EVERY_NS))) {
            shown = true;
            lastShown = now;
            show();
        }
    }

    /** A message (a rejected line) printed above the bar. */
    void message(String text) {
        clear();
        err.println(text);
        if (drawn) {
            show();
        }
    }

    /** The final state, then a newline after the bar. */
    void finish() {
        if (!enabled) {
            return;
        }
        show();
        if (bar) {
            err.println();
        }
    }

    private void clear() {
        if (bar && drawn) {
            err.print("\r\033[K");
        }
    }

    private void show() {
        double fraction = total == 0 ? 1 : Math.min(1, (double) bytes / total);
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        String status =
                String.format(
                        Locale.ROOT,
                        "%3d%%  %,d lines  %,.0f lines/s",
                        Math.round(fraction * 100),
                        lines,
                        lines / seconds);
        if (bar) {
            int filled = (int) Math.round(fraction * WIDTH);
            err.print(
                    "\r\033[K[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + status);
            err.flush();
            drawn = true;
        } else {
            err.println("import: " + status.strip());
        }
    }
}
