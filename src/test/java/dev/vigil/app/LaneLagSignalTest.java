package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.scheduling.LagSignal.LaneLag;
import org.junit.jupiter.api.Test;

class LaneLagSignalTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void theFirstSampleOfABacklogHasNoRateYet() {
        assertThat(new LaneLagSignal.Rate().add(0, 100, 50)).isNull();
    }

    @Test
    void aLaneWithNothingToDoHasNoWorkWaiting() {
        LaneLag lag = new LaneLagSignal.Rate().add(0, 100, 0);
        assertThat(lag).isNotNull();
        assertThat(lag.workTime()).isZero();
    }

    @Test
    void timeIdleForWantOfRequestsDoesNotCountAsSlowness() {
        LaneLagSignal.Rate rate = new LaneLagSignal.Rate();
        rate.add(0, 1_000, 0);
        rate.add(5 * SECOND, 1_000, 0); // idle: nothing to consume
        assertThat(rate.add(6 * SECOND, 1_000, 800)).as("a burst arrives: rate unknown").isNull();
        LaneLag lag = rate.add(7 * SECOND, 1_300, 600);

        assertThat(lag).isNotNull();
        assertThat(lag.consumedPerSecond()).isCloseTo(300, within(1e-9));
        assertThat(lag.workTime()).isEqualTo(java.time.Duration.ofSeconds(2));
    }

    @Test
    void theRateIsHowFarTheCommittedOffsetsMovedOverTheWindow() {
        LaneLagSignal.Rate rate = new LaneLagSignal.Rate();
        rate.add(0, 1_000, 500);
        LaneLag lag = rate.add(5 * SECOND, 3_000, 700);

        assertThat(lag).isNotNull();
        assertThat(lag.records()).isEqualTo(700);
        assertThat(lag.consumedPerSecond()).isCloseTo(400, within(1e-9));
    }

    @Test
    void samplesOlderThanTheWindowNoLongerCount() {
        LaneLagSignal.Rate rate = new LaneLagSignal.Rate();
        rate.add(0, 0, 100_000); // a burst of progress long ago
        rate.add(SECOND, 100_000, 5_000);
        LaneLag lag = null;
        for (int i = 2; i <= 2 + LaneLagSignal.WINDOW_SAMPLES; i++) {
            lag = rate.add(i * SECOND, 100_000, 5_000); // then no progress at all
        }
        assertThat(lag).isNotNull();
        assertThat(lag.consumedPerSecond()).isZero();
    }

    @Test
    void aSilentBrokerKeepsTheLastAnswerForAWindowThenDropsIt() {
        LaneLagSignal.Rate rate = new LaneLagSignal.Rate();
        rate.add(0, 0, 10);
        LaneLag last = rate.add(SECOND, 10, 10);
        for (int i = 0; i < LaneLagSignal.WINDOW_SAMPLES; i++) {
            assertThat(rate.age()).isEqualTo(last);
        }
        assertThat(rate.age()).isNull();
    }
}
