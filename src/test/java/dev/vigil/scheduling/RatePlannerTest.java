package dev.vigil.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.events.Lane;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.PlanIntervals;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RatePlannerTest {

    @Test
    void rateIsTargetsOverIntervalSummedOverPlansTimesBuffer() {
        Map<Plan, Long> counts =
                Map.of(
                        Plan.FREE,
                        604_800L,
                        Plan.PRO,
                        0L,
                        Plan.BUSINESS,
                        259_200L,
                        Plan.ENTERPRISE,
                        86_400L);
        // free: 1/s, business: 1/s, enterprise: 1/s → 3/s × 1.2
        assertThat(RatePlanner.rate(counts, PlanIntervals.defaults(), 1.2, 0))
                .isCloseTo(3.6, within(1e-9));
    }

    @Test
    void configuredIntervalsOfEveryPlanEnterTheRate() {
        Map<Plan, Duration> iv =
                Map.of(
                        Plan.FREE, Duration.ofDays(14),
                        Plan.PRO, Duration.ofDays(2),
                        Plan.BUSINESS, Duration.ofHours(12),
                        Plan.ENTERPRISE, Duration.ofHours(1));
        Map<Plan, Long> counts =
                Map.of(
                        Plan.FREE,
                        1_209_600L,
                        Plan.PRO,
                        172_800L,
                        Plan.BUSINESS,
                        0L,
                        Plan.ENTERPRISE,
                        7_200L);
        // free 1/s + pro 1/s + business 0 + enterprise 2/s = 4/s, × 1.5
        assertThat(RatePlanner.rate(counts, new PlanIntervals(iv), 1.5, 0))
                .isCloseTo(6.0, within(1e-9));
        // 43,200 business targets every 12 h: one more scan a second, × 1.5
        Map<Plan, Long> more = new java.util.EnumMap<>(counts);
        more.put(Plan.BUSINESS, 43_200L);
        assertThat(RatePlanner.rate(more, new PlanIntervals(iv), 1.5, 0))
                .isCloseTo(7.5, within(1e-9));
    }

    @Test
    void ceilingCapsTheRate() {
        assertThat(
                        RatePlanner.rate(
                                Map.of(Plan.FREE, 10_000_000L),
                                PlanIntervals.uniform(Duration.ofSeconds(1)),
                                1.2,
                                500))
                .isEqualTo(500);
    }

    @Test
    void bucketHandsOutPermitsAtTheRateWithAOneSecondBurst() {
        AtomicLong now = new AtomicLong();
        TokenBucket b = new TokenBucket(100, now::get);
        assertThat(b.take(1000)).isZero();
        now.addAndGet(500_000_000L); // 0.5 s
        assertThat(b.take(1000)).isEqualTo(50);
        now.addAndGet(10_000_000_000L); // 10 s idle: burst capped at one second
        assertThat(b.take(1000)).isEqualTo(100);
        b.giveBack(30);
        assertThat(b.take(1000)).isEqualTo(30);
    }

    @Test
    void largeOrSlowTargetsGoToTheSlowLane() {
        LaneClassifier c = new LaneClassifier(5_000, Duration.ofSeconds(2));
        assertThat(c.classify(10, null)).isEqualTo(Lane.FAST);
        assertThat(c.classify(5_000, null)).isEqualTo(Lane.SLOW);
        assertThat(c.classify(10, 2_500.0)).isEqualTo(Lane.SLOW);
        assertThat(c.classify(10, 150.0)).isEqualTo(Lane.FAST);
    }
}
