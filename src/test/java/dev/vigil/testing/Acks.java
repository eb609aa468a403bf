package dev.vigil.testing;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Kafka producers' acknowledgements in tests: a fixture that sends records collects the futures of
 * its sends and waits for them here, so a failed send fails the test where it happened instead of
 * showing later as a record that never arrived.
 */
public final class Acks {

    private Acks() {}

    /**
     * Waits for every send, at most 60 s in all.
     *
     * @throws AssertionError naming the first send that failed or did not finish in time
     */
    public static void awaitAll(List<? extends Future<?>> acks) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError(
                        "send " + i + " of " + acks.size() + " failed: " + e.getCause(), e);
            } catch (TimeoutException e) {
                throw new AssertionError(
                        "send " + i + " of " + acks.size() + " not acknowledged within 60 s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for send " + i, e);
            }
        }
    }
}
