package dev.vigil.chaos;

/**
 * A fault-suite run stopped by Ctrl-C or SIGTERM: its role processes and embedded servers were
 * stopped and a partial report written; no check ran. The message says where it stopped and where
 * the report is.
 */
public final class ChaosStoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    ChaosStoppedException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** 128 + the number of the signal that stopped the run. */
    public int exitCode() {
        return exitCode;
    }
}
