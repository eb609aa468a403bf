package dev.vigil.embedded.internal;

/**
 * Runs a shutdown step with the calling thread's interrupt status cleared, and restores it after.
 *
 * <p>Why: Ctrl-C in {@code vigil bench} and {@code vigil chaos} interrupts the main thread, which
 * then closes the embedded servers. zonky stops PostgreSQL by running {@code pg_ctl stop} and
 * waiting for it; on an interrupted thread that wait throws at once, zonky logs "Could not stop
 * postmaster", and the server outlived the run while its data directory was deleted under it.
 */
public final class Uninterrupted {
    private Uninterrupted() {}

    /** Runs {@code step} uninterrupted; the interrupt status on return is the one on entry. */
    public static <E extends Exception> void run(Step<E> step) throws E {
        boolean interrupted = Thread.interrupted();
        try {
            step.run();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A step that may throw {@code E}. */
    @FunctionalInterface
    public interface Step<E extends Exception> {
        void run() throws E;
    }
}
