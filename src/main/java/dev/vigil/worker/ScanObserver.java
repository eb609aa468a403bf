package dev.vigil.worker;

/**
 * Told about every scan attempt of a {@link Worker}'s lane when it ends: how a metrics binder
 * records scan durations without the worker depending on a metrics library. Requests of the other
 * lane (skipped at once) are not scans and are not reported.
 *
 * <p>Called on the scanning thread, concurrently: implementations are thread-safe and quick.
 */
@FunctionalInterface
public interface ScanObserver {

    /** Reports nothing. */
    ScanObserver NONE = (nanos, failed) -> {};

    /**
     * One attempt ended.
     *
     * @param nanos wall-clock time from taking the record to the end of the attempt (fetch,
     *     evaluate, submit; or the hand-over to the slow lane)
     * @param failed the attempt threw (it is then retried or dead-lettered)
     */
    void scanned(long nanos, boolean failed);
}
