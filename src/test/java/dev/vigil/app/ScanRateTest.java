package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScanRateTest {

    static final long S = 1_000_000_000L;

    @Test
    void theRateIsTheAverageOverTheWindowNotTheLastSecond() {
        ScanRate r = new ScanRate(5 * S);
        r.add(0, 0);
        r.add(1 * S, 500);
        r.add(2 * S, 500);
        r.add(3 * S, 500);
        r.add(4 * S, 1000);

        // The last second did nothing; the window did 1,000 scans in 5 s.
        assertThat(r.add(5 * S, 1000)).isEqualTo(200.0);
    }

    @Test
    void samplesOlderThanTheWindowDropOut() {
        ScanRate r = new ScanRate(2 * S);
        r.add(0, 0);
        r.add(1 * S, 1000);
        r.add(2 * S, 1100);

        assertThat(r.add(3 * S, 1200)).isEqualTo(100.0);
    }
}
