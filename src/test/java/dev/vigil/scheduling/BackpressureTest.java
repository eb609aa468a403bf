package dev.vigil.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.config.ConfigException;
import dev.vigil.config.Env;
import dev.vigil.events.Lane;
import dev.vigil.scheduling.LagSignal.LaneLag;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BackpressureTest {
    private static final Duration BOUND = Duration.ofMinutes(2);
    private static final double PLANNED = 1_000;

    /** Our own port, faked: the lag each lane reports, set by the test. */
    private final Map<Lane, LaneLag> lanes = new EnumMap<>(Lane.class);

    private final AtomicLong nanos = new AtomicLong();
    private final Backpressure brake = new Backpressure(() -> Map.copyOf(lanes), BOUND, nanos::get);

    @Test
    void lagUnderTheBoundLeavesThePlannedRate() {
        lanes.put(Lane.FAST, new LaneLag(50_000, 500)); // 100 s of work
        lanes.put(Lane.SLOW, new LaneLag(1_000, 500));

        assertThat(brake.rate(PLANNED)).isEqualTo(PLANNED);
        assertThat(brake.state().throttled()).isFalse();
        assertThat(brake.state().worstWorkTime()).isEqualTo(Duration.ofSeconds(100));
    }

    @Test
    void lagOverTheBoundSlowsToFourFifthsOfWhatTheLaggingLaneConsumes() {
        lanes.put(Lane.FAST, new LaneLag(10_000, 500)); // 20 s
        lanes.put(Lane.SLOW, new LaneLag(130_000, 400)); // 325 s

        assertThat(brake.rate(PLANNED)).isCloseTo(320, within(1e-9));
        Backpressure.State s = brake.state();
        assertThat(s.throttled()).isTrue();
        assertThat(s.cause()).isEqualTo(Lane.SLOW);
        assertThat(s.planned()).isEqualTo(PLANNED);
        assertThat(s.rate()).isCloseTo(320, within(1e-9));
        assertThat(s.workTime()).containsEntry(Lane.SLOW, Duration.ofSeconds(325));
    }

    @Test
    void workersThatStoppedBringTheRateToItsFloorNotToZero() {
        lanes.put(Lane.FAST, new LaneLag(10, 0));

        assertThat(brake.rate(PLANNED)).isEqualTo(PLANNED * Backpressure.FLOOR_FRACTION);
        assertThat(brake.state().worstWorkTime()).isEqualTo(LaneLag.FOREVER);
    }

    @Test
    void theThrottledRateNeverExceedsThePlan() {
        lanes.put(Lane.FAST, new LaneLag(2_000_000, 5_000)); // 400 s, consumes 5× the plan

        assertThat(brake.rate(PLANNED)).isEqualTo(PLANNED);
        assertThat(brake.state().throttled()).isTrue();
    }

    @Test
    void theBrakeHoldsUntilEveryLaneIsUnderHalfTheBoundThenReleases() {
        lanes.put(Lane.FAST, new LaneLag(150_000, 1_000)); // 150 s
        assertThat(brake.rate(PLANNED)).isEqualTo(800);

        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        lanes.put(Lane.FAST, new LaneLag(90_000, 1_000)); // 90 s: under the bound, over half
        assertThat(brake.rate(PLANNED)).as("still braking at 90 s of work").isEqualTo(800);

        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        lanes.put(Lane.FAST, new LaneLag(59_000, 1_000)); // 59 s
        assertThat(brake.rate(PLANNED)).as("released, ramping up from 800").isEqualTo(800);
        assertThat(brake.state().throttled()).isFalse();
        assertThat(brake.state().cause()).isNull();

        nanos.addAndGet(Backpressure.RAMP_DOUBLING.toNanos());
        assertThat(brake.rate(PLANNED)).as("doubled, capped at the plan").isEqualTo(PLANNED);
    }

    @Test
    void afterTheBrakeIsReleasedTheRateDoublesEveryTwoSecondsUpToThePlan() {
        lanes.put(Lane.FAST, new LaneLag(1_000, 0)); // stopped: the floor, 50/s
        assertThat(brake.rate(PLANNED)).isEqualTo(50);

        lanes.put(Lane.FAST, new LaneLag(0, 0));
        assertThat(brake.rate(PLANNED)).isEqualTo(50);
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(brake.rate(PLANNED)).isCloseTo(100, within(1e-9));
        nanos.addAndGet(Duration.ofSeconds(3).toNanos());
        assertThat(brake.rate(PLANNED)).isCloseTo(50 * Math.pow(2, 2.5), within(1e-9));
        nanos.addAndGet(Duration.ofSeconds(4).toNanos());
        assertThat(brake.rate(PLANNED)).isEqualTo(PLANNED);
        nanos.addAndGet(Duration.ofSeconds(60).toNanos());
        assertThat(brake.rate(PLANNED)).as("the ramp is over").isEqualTo(PLANNED);
    }

    @Test
    void anUnmeasuredRoundKeepsTheBrakeAsItWas() {
        lanes.put(Lane.FAST, new LaneLag(300_000, 1_000));
        assertThat(brake.rate(PLANNED)).isEqualTo(800);

        lanes.clear(); // the broker did not answer
        assertThat(brake.rate(PLANNED)).isEqualTo(800);
        assertThat(brake.state().throttled()).isTrue();
        assertThat(brake.state().cause()).isEqualTo(Lane.FAST);
    }

    @Test
    void nothingMeasuredNeverBrakes() {
        assertThat(brake.rate(PLANNED)).isEqualTo(PLANNED);
        assertThat(brake.state().throttled()).isFalse();
        assertThat(brake.state().worstWorkTime()).isZero();
    }

    @Test
    void aZeroBoundNeverBrakes() {
        Backpressure off =
                new Backpressure(
                        () -> Map.of(Lane.FAST, new LaneLag(10, 0)), Duration.ZERO, nanos::get);

        assertThat(off.rate(PLANNED)).isEqualTo(PLANNED);
        assertThat(off.state().throttled()).isFalse();
        assertThat(off.state().workTime()).containsEntry(Lane.FAST, LaneLag.FOREVER);
    }

    @Test
    void aLaneWithoutBacklogHasNoWorkTimeWhateverItsRate() {
        assertThat(new LaneLag(0, 0).workTime()).isZero();
        assertThat(new LaneLag(1_000, 250).workTime()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void aNegativeLagIsRefusedWithItsValues() {
        assertThatThrownBy(() -> new LaneLag(-1, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a lane's lag is never negative: records=-1, consumed/s=3.0");
    }

    @Test
    void theBoundIsReadFromTheEnvironmentWithTwoMinutesByDefaultAndZeroForOff() {
        assertThat(SchedulerConfig.from(Env.of(Map.of())).maxLag()).isEqualTo(BOUND);
        assertThat(SchedulerConfig.from(Env.of(Map.of("VIGIL_SCHEDULER_MAX_LAG", "0"))).maxLag())
                .isZero();
        assertThat(SchedulerConfig.from(Env.of(Map.of("VIGIL_SCHEDULER_MAX_LAG", "45s"))).maxLag())
                .isEqualTo(Duration.ofSeconds(45));
        assertThatThrownBy(
                        () ->
                                SchedulerConfig.from(
                                        Env.of(Map.of("VIGIL_SCHEDULER_MAX_LAG", "soon"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_SCHEDULER_MAX_LAG")
                .hasMessageContaining("soon")
                .hasMessageContaining("0 (off) or a positive duration such as 30s, 2m or 1h");
    }
}
