package dev.vigil.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SpeedReadingTest {

    @Test
    void aReadingTimesTheFixedWorkByCpuAndWallClock() {
        SpeedReading r = SpeedReading.take("before pipeline");

        assertThat(r.when()).isEqualTo("before pipeline");
        // millions of steps cannot take no time, nor (on any machine this runs on) a minute
        assertThat(r.cpuMillis()).isPositive().isLessThan(60_000);
        assertThat(r.wallMillis()).isPositive().isLessThan(60_000);
        assertThat(r.markdown()).matches("before pipeline \\d+\\.\\d / \\d+\\.\\d ms");
    }

    @Test
    void theWorkIsTheSameEveryTime() {
        long[] a = new long[SpeedReading.SLOTS];
        long[] b = new long[SpeedReading.SLOTS];

        assertThat(SpeedReading.walk(a, 7)).isEqualTo(SpeedReading.walk(b, 7));
        assertThat(a).isEqualTo(b);
        assertThat(SpeedReading.walk(new long[SpeedReading.SLOTS], 8))
                .isNotEqualTo(SpeedReading.walk(new long[SpeedReading.SLOTS], 7));
    }

    @Test
    void aVirtualThreadIsRefusedWithWhatToDoInstead() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread.ofVirtual()
                .start(
                        () -> {
                            try {
                                SpeedReading.take("x");
                            } catch (IllegalStateException e) {
                                thrown.set(e);
                            }
                        })
                .join();

        assertThat(thrown.get())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("time a speed reading from a platform thread");
    }
}
