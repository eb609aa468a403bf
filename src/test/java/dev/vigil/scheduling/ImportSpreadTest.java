package dev.vigil.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.PlanIntervals;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A million targets imported in one go, then one longest interval (7 days) of publishing on a fake
 * clock: the first due times come from {@link Inventory#firstDue}, the pacing from the scheduler's
 * own {@link TokenBucket} at the rate of {@link RatePlanner}, overdue first, and a published target
 * comes back one plan interval later, as {@link DueClaimer} writes it.
 */
class ImportSpreadTest {

    static final int TARGETS = 1_000_000;
    static final double BUFFER = 1.2;
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    static final PlanIntervals INTERVALS = PlanIntervals.defaults();
    static final long HORIZON_MS = Duration.ofDays(7).toMillis();
    static final int BATCH = 500;

    /** The plans in a fixed order: a plan's index here is its code in the packed due entries. */
    static final List<Plan> PLANS = List.of(Plan.FREE, Plan.PRO, Plan.BUSINESS, Plan.ENTERPRISE);

    /** What one simulated interval showed. */
    record Outcome(
            double meanMinute,
            long busiestDueMinute,
            long busiestPublishedMinute,
            long published,
            Duration oldestOverdue) {}

    @Test
    void jitterKeepsTheBusiestMinuteWithinTheBufferWhileNoJitterPilesEverythingOnTheFirst() {
        Outcome jitter = simulate(true);
        Outcome none = simulate(false);
        System.out.printf(
                "with jitter:    busiest minute published %d, mean %.1f (%.3f × mean); busiest"
                        + " minute due %d (%.2f × mean); oldest overdue %s%n",
                jitter.busiestPublishedMinute(),
                jitter.meanMinute(),
                jitter.busiestPublishedMinute() / jitter.meanMinute(),
                jitter.busiestDueMinute(),
                jitter.busiestDueMinute() / jitter.meanMinute(),
                jitter.oldestOverdue());
        System.out.printf(
                "without jitter: busiest minute published %d, mean %.1f (%.3f × mean); busiest"
                        + " minute due %d (%.0f × mean); oldest overdue %s%n",
                none.busiestPublishedMinute(),
                none.meanMinute(),
                none.busiestPublishedMinute() / none.meanMinute(),
                none.busiestDueMinute(),
                none.busiestDueMinute() / none.meanMinute(),
                none.oldestOverdue());

        assertThat(jitter.busiestPublishedMinute())
                .isLessThanOrEqualTo((long) Math.floor(BUFFER * jitter.meanMinute()));
        // the jittered demand itself is already close to flat: the bucket only trims its peaks
        assertThat(jitter.busiestDueMinute()).isLessThan((long) (1.5 * jitter.meanMinute()));
        assertThat(jitter.oldestOverdue()).isLessThan(Duration.ofMinutes(30));
        // every target of the fleet got its first scan inside the interval
        assertThat(jitter.published()).isGreaterThanOrEqualTo(TARGETS);

        // without jitter the whole import is due in the first minute: a spike of the whole fleet
        assertThat(none.busiestDueMinute()).isEqualTo(TARGETS);
        // the bucket turns it into a backlog: the last targets wait days past their due time
        assertThat(none.oldestOverdue()).isGreaterThan(Duration.ofDays(3));
    }

    /** The fleet of the test: mostly free accounts and zones, as in the reference pipeline. */
    static Map<Plan, Long> fleet() {
        Map<Plan, Long> m = new EnumMap<>(Plan.class);
        m.put(Plan.FREE, 700_000L);
        m.put(Plan.PRO, 200_000L);
        m.put(Plan.BUSINESS, 70_000L);
        m.put(Plan.ENTERPRISE, 30_000L);
        return m;
    }

    static Outcome simulate(boolean jitter) {
        Map<Plan, Long> fleet = fleet();
        double rate = RatePlanner.rate(fleet, INTERVALS, BUFFER, 0);
        double meanMinute = rate / BUFFER * 60;
        SplittableRandom random = new SplittableRandom(4);
        // due offset (ms from T0) × 4 + the plan's index in PLANS, sorted: the inventory's
        // next_due_at index
        long[] initial = new long[TARGETS];
        int i = 0;
        for (int code = 0; code < PLANS.size(); code++) {
            Plan p = PLANS.get(code);
            for (long k = 0; k < fleet.get(p); k++) {
                long due =
                        jitter
                                ? Inventory.firstDue(T0, INTERVALS.of(p), random).toEpochMilli()
                                        - T0.toEpochMilli()
                                : 0;
                initial[i++] = due * 4 + code;
            }
        }
        Arrays.sort(initial);
        long[] duePerMinute = new long[(int) (HORIZON_MS / 60_000)];
        for (long e : initial) {
            long due = e >> 2;
            if (due < HORIZON_MS) {
                duePerMinute[(int) (due / 60_000)]++;
            }
        }
        // published targets come back one interval later, in publish order: a FIFO per plan
        Fifo[] again = new Fifo[PLANS.size()];
        for (int code = 0; code < PLANS.size(); code++) {
            again[code] = new Fifo(fleet.get(PLANS.get(code)).intValue());
        }
        long[] nanos = {0};
        TokenBucket bucket = new TokenBucket(rate, () -> nanos[0]);
        long[] publishedPerMinute = new long[duePerMinute.length];
        int next = 0;
        long published = 0;
        long oldest = 0;
        for (long now = 0; now < HORIZON_MS; now += 1_000) {
            nanos[0] = now * 1_000_000;
            int permits = bucket.take(BATCH);
            int used = 0;
            while (used < permits) {
                // the most overdue due target of the initial import and of the returning ones
                long best = next < initial.length ? initial[next] >> 2 : Long.MAX_VALUE;
                int source = -1;
                for (int p = 0; p < again.length; p++) {
                    if (!again[p].isEmpty() && again[p].peek() < best) {
                        best = again[p].peek();
                        source = p;
                    }
                }
                if (best > now) {
                    break;
                }
                int plan;
                if (source < 0) {
                    plan = (int) (initial[next++] & 3);
                } else {
                    again[source].poll();
                    plan = source;
                }
                oldest = Math.max(oldest, now - best);
                again[plan].add(now + INTERVALS.of(PLANS.get(plan)).toMillis());
                used++;
            }
            bucket.giveBack(permits - used);
            publishedPerMinute[(int) (now / 60_000)] += used;
            published += used;
        }
        return new Outcome(
                meanMinute,
                Arrays.stream(duePerMinute).max().orElseThrow(),
                Arrays.stream(publishedPerMinute).max().orElseThrow(),
                published,
                Duration.ofMillis(oldest));
    }

    /** A bounded FIFO of due offsets, non-decreasing because publish times are. */
    static final class Fifo {
        private final long[] items;
        private int head;
        private int size;

        Fifo(int capacity) {
            items = new long[Math.max(1, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        long peek() {
            return items[head];
        }

        void poll() {
            head = (head + 1) % items.length;
            size--;
        }

        void add(long v) {
            items[(head + size) % items.length] = v;
            size++;
        }
    }
}
