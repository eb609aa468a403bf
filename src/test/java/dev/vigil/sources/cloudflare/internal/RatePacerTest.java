package dev.vigil.sources.cloudflare.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * The pacer's spacing. Only lower bounds are asserted: a busy machine may make the callers later,
 * never earlier, than their slots.
 */
class RatePacerTest {

    @Test
    void callersOnManyThreadsNeverGetSlotsCloserThanTheInterval() throws Exception {
        RatePacer pacer = RatePacer.of(50); // 20 ms apart
        ConcurrentLinkedQueue<Long> granted = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(
                    Thread.ofVirtual()
                            .start(
                                    () -> {
                                        for (int i = 0; i < 5; i++) {
                                            try {
                                                pacer.acquire();
                                            } catch (InterruptedException e) {
                                                return;
                                            }
                                            granted.add(System.nanoTime());
                                        }
                                    }));
        }
        for (Thread t : threads) {
            t.join();
        }

        List<Long> at = granted.stream().sorted().toList();
        assertThat(at).hasSize(20);
        // 20 slots 20 ms apart span at least 19 intervals, however the threads interleave
        assertThat(Duration.ofNanos(at.getLast() - at.getFirst()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(19 * 20));
    }

    @Test
    void aLowQuotaStretchesTheSpacingUntilTheReset() throws Exception {
        RatePacer pacer = RatePacer.of(1000);
        pacer.acquire();
        pacer.observe(4, 1); // 4 requests left for the next second: one every 250 ms
        long start = System.nanoTime();
        pacer.acquire();
        pacer.acquire();

        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isGreaterThanOrEqualTo(Duration.ofMillis(490));
    }

    @Test
    void aPlentifulQuotaChangesNothing() {
        RatePacer pacer = RatePacer.of(4);
        pacer.observe(1_000, 300);

        assertThat(pacer.interval()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aPauseHoldsTheNextCallerForItsLength() throws Exception {
        RatePacer pacer = RatePacer.of(1000);
        pacer.pauseFor(Duration.ofMillis(300));
        long start = System.nanoTime();
        pacer.acquire();

        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isGreaterThanOrEqualTo(Duration.ofMillis(290));
    }

    @Test
    void anInterruptedWaitSaysSo() throws Exception {
        RatePacer pacer = RatePacer.of(1000);
        pacer.pauseFor(Duration.ofSeconds(30));
        Thread waiter =
                Thread.ofVirtual()
                        .start(
                                () -> {
                                    try {
                                        pacer.acquire();
                                        throw new AssertionError("acquired during a pause");
                                    } catch (InterruptedException expected) {
                                        assertThat(expected).hasMessageContaining("interrupted");
                                    }
                                });
        waiter.interrupt();
        waiter.join(Duration.ofSeconds(10));

        assertThat(waiter.isAlive()).isFalse();
    }
}
