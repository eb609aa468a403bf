package dev.vigil.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.inventory.Plan;
import dev.vigil.inventory.PlanIntervals;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScheduleReplayTest {
    static final PlanIntervals DAY = PlanIntervals.uniform(Duration.ofDays(1));
    static final int TARGETS = 14_400; // 10 a minute over a day
    static final long HORIZON = Duration.ofDays(2).toMillis();

    @Test
    void spreadDueTimesArePublishedNearTheMeanWithoutBacklog() {
        SplittableRandom r = new SplittableRandom(1);
        long[] due = new long[TARGETS];
        for (int i = 0; i < TARGETS; i++) {
            due[i] = ScheduleReplay.pack(r.nextLong(Duration.ofDays(1).toMillis()), Plan.PRO);
        }
        double rate = TARGETS / 86_400.0 * 1.2;

        ScheduleReplay.Outcome o = ScheduleReplay.run(due, DAY, rate, HORIZON);

        assertThat(o.busiestPublished()).isLessThanOrEqualTo((long) Math.ceil(rate * 60) + 1);
        assertThat(o.oldestOverdueMillis()).isLessThan(Duration.ofMinutes(30).toMillis());
        assertThat(o.everyTargetScannedMillis())
                .isBetween(0L, Duration.ofDays(1).plusMinutes(30).toMillis());
        assertThat(java.util.Arrays.stream(o.publishedPerMinute()).sum())
                .as("every target once a day over two days")
                .isBetween(2L * TARGETS - 100, 2L * TARGETS);
    }

    @Test
    void everythingDueAtOnceIsCappedByTheRateAndLeavesALongWait() {
        long[] due = new long[TARGETS];
        java.util.Arrays.fill(due, ScheduleReplay.pack(0, Plan.PRO));
        double rate = TARGETS / 86_400.0 * 1.2;

        ScheduleReplay.Outcome o = ScheduleReplay.run(due, DAY, rate, HORIZON);

        assertThat(o.busiestFirstDue()).isEqualTo(TARGETS);
        assertThat(o.busiestPublished()).isLessThanOrEqualTo((long) Math.ceil(rate * 60) + 1);
        assertThat(o.oldestOverdueMillis()).isGreaterThan(Duration.ofHours(12).toMillis());
    }
}
