package dev.vigil;

import dev.vigil.app.CloudflareScan;
import dev.vigil.inventory.Target;
import java.io.PrintStream;
import java.util.Locale;
import picocli.CommandLine;

/**
 * The progress of {@code vigil scan} on stderr: a bar redrawn in place on a terminal, a line per
 * target otherwise, or nothing. Called from the scan's threads; synchronized.
 */
final class ScanProgress implements CloudflareScan.Progress {

    private static final int WIDTH = 30;

    private final PrintStream err;
    private final boolean bar;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private boolean drawn;

    private ScanProgress(PrintStream err, boolean bar, boolean enabled) {
        this.err = err;
        this.bar = bar;
        this.enabled = enabled;
    }

    static ScanProgress of(String mode, boolean terminal, PrintStream err, CommandLine cmd) {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "auto" -> new ScanProgress(err, terminal, true);
            case "bar" -> new ScanProgress(err, true, true);
            case "lines" -> new ScanProgress(err, false, true);
            case "none" -> new ScanProgress(err, false, false);
            default ->
                    throw new CommandLine.ParameterException(
                            cmd,
                            "--progress: expected bar, lines, none or auto, got '" + mode + "'");
        };
    }

    @Override
    public synchronized void discovered(int accounts, int zones) {
        if (enabled) {
            err.printf("scan: the token sees %d accounts and %d zones%n", accounts, zones);
        }
    }

    @Override
    public synchronized void scanned(Target target, int done, int total) {
        if (!enabled) {
            return;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (bar) {
            int filled = total == 0 ? WIDTH : done * WIDTH / total;
            err.printf(
                    "\r[%s%s] %d/%d targets, %.0f s ",
                    "#".repeat(filled), "-".repeat(WIDTH - filled), done, total, seconds);
            drawn = true;
        } else {
            err.printf(
                    "scan: %d/%d %s %s (%.1f s)%n",
                    done, total, target.kind().wire(), target.name(), seconds);
        }
        err.flush();
    }

    synchronized void finish() {
        if (drawn) {
            err.println();
            drawn = false;
        }
    }
}
