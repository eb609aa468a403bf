package dev.vigil.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LandingDelaysTest {

    private static final Duration FLOOR = Duration.ofMinutes(4);
    private static final Duration CEILING = Duration.ofMinutes(15);
    private static final Instant T0 = Instant.parse("2026-12-04T08:00:00Z");

    private final LandingDelays delays = new LandingDelays(FLOOR, CEILING);

    @Test
    void withoutEnoughLandingsTheConfiguredDeadlineApplies() {
        assertThat(delays.deadline(T0)).isEqualTo(CEILING);
        land(LandingDelays.MIN_SAMPLES - 1, Duration.ofSeconds(1), T0);
        assertThat(delays.p99(T0)).isNull();
        assertThat(delays.deadline(T0)).isEqualTo(CEILING);
        land(1, Duration.ofSeconds(1), T0);
        assertThat(delays.deadline(T0)).isEqualTo(FLOOR);
    }

    @Test
    void theDeadlineIsThreeTimesTheP99BetweenFloorAndCeiling() {
        // 198 landings after 10 s and 2 after 2 minutes: the 99th percentile (nearest rank 198)
        // is 10 s; with 3 slow ones in 200 it is 2 minutes
        land(198, Duration.ofSeconds(10), T0);
        land(2, Duration.ofMinutes(2), T0);
        assertThat(delays.p99(T0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(delays.deadline(T0)).isEqualTo(FLOOR);
        land(1, Duration.ofMinutes(2), T0);
        assertThat(delays.p99(T0)).isEqualTo(Duration.ofMinutes(2));
        assertThat(delays.deadline(T0)).isEqualTo(Duration.ofMinutes(6));
        land(50, Duration.ofMinutes(7), T0);
        assertThat(delays.deadline(T0)).as("21 min, capped").isEqualTo(CEILING);
    }

    @Test
    void landingsOlderThanTheWindowAreForgotten() {
        land(LandingDelays.MIN_SAMPLES, Duration.ofSeconds(1), T0);
        Instant later = T0.plus(LandingDelays.WINDOW).plusSeconds(1);
        assertThat(delays.deadline(later)).isEqualTo(CEILING);
    }

    @Test
    void theNewestLandingsWinWhenFull() {
        land(LandingDelays.CAPACITY, Duration.ofMinutes(10), T0);
        assertThat(delays.deadline(T0)).isEqualTo(CEILING);
        land(LandingDelays.CAPACITY, Duration.ofSeconds(1), T0.plusSeconds(60));
        assertThat(delays.deadline(T0.plusSeconds(60))).isEqualTo(FLOOR);
    }

    @Test
    void aFloorOverTheDeadlineIsRefused() {
        assertThatThrownBy(() -> new LandingDelays(/* floor= */ CEILING, /* ceiling= */ FLOOR))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WatchdogConfig(FLOOR, Duration.ofSeconds(30), 500, CEILING))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VIGIL_WATCHDOG_DEADLINE");
    }

    private void land(int n, Duration delay, Instant now) {
        for (int i = 0; i < n; i++) {
            Instant published = now.minus(delay).minusSeconds(5);
            delays.landed(published, published.plus(delay), now);
        }
    }
}
