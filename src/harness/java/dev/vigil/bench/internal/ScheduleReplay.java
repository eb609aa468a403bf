package dev.vigil.bench.internal;

import dev.vigil.inventory.Plan;
import dev.vigil.inventory.PlanIntervals;
import java.util.Arrays;

/**
 * Replays the scheduler's publishing over a horizon on a simulated clock, one second per step, from
 * the first due times an import wrote: each second the scheduler may publish what its token bucket
 * holds (refilled at the computed rate, at most one second's worth, as {@code
 * scheduling.TokenBucket}), most overdue first, and a published target is due again one plan
 * interval later (as {@code scheduling.DueClaimer} writes it). Running the real scheduler over a
 * week of wall-clock time is not possible in a bounded benchmark; this follows the same rules.
 */
public final class ScheduleReplay {

    /**
     * What the horizon showed, per minute from the import.
     *
     * @param firstDuePerMinute targets whose first due time (from the import) falls in each minute
     * @param publishedPerMinute scan requests published in each minute
     * @param oldestOverdueMillis the longest a target waited past its due time
     * @param everyTargetScannedMillis when the last target got its first scan, -1 if not within the
     *     horizon
     */
    @SuppressWarnings(
            "ArrayRecordComponent") // per-minute counts, read by the report, never compared
    public record Outcome(
            long[] firstDuePerMinute,
            long[] publishedPerMinute,
            long oldestOverdueMillis,
            long everyTargetScannedMillis) {

        public long busiestPublished() {
            return Arrays.stream(publishedPerMinute).max().orElse(0);
        }

        public long busiestFirstDue() {
            return Arrays.stream(firstDuePerMinute).max().orElse(0);
        }
    }

    private ScheduleReplay() {}

    /**
     * One target's entry for {@link #run}: its due offset from the import (ms) in the high bits,
     * its plan's {@link #code(Plan) code} in the low two, so that sorting the entries sorts by due
     * time and a million of them fit in one {@code long[]}.
     */
    public static long pack(long dueOffsetMillis, Plan plan) {
        return dueOffsetMillis * 4 + code(plan);
    }

    /** A plan as two bits; fixed here rather than taken from the enum's declaration order. */
    static int code(Plan plan) {
        return switch (plan) {
            case FREE -> 0;
            case PRO -> 1;
            case BUSINESS -> 2;
            case ENTERPRISE -> 3;
        };
    }

    /**
     * Replays the scheduler over packed due times, one second at a time.
     *
     * @param dueAndPlan per target, {@link #pack(long, Plan)}, where the offset is from the import;
     *     sorted or not (sorted here, in place)
     * @param rate scans per second the scheduler publishes at most
     * @param horizonMillis how long to replay
     */
    public static Outcome run(
            long[] dueAndPlan, PlanIntervals intervals, double rate, long horizonMillis) {
        Arrays.sort(dueAndPlan);
        int minutes = (int) (horizonMillis / 60_000);
        long[] firstDue = new long[minutes];
        for (long e : dueAndPlan) {
            long due = e >> 2;
            if (due >= 0 && due < horizonMillis) {
                firstDue[(int) (due / 60_000)]++;
            }
        }
        int plans = Plan.values().length;
        long[] intervalMs = new long[plans];
        long[] perPlan = new long[plans];
        for (Plan p : Plan.values()) {
            intervalMs[code(p)] = intervals.of(p).toMillis();
        }
        for (long e : dueAndPlan) {
            perPlan[(int) (e & 3)]++;
        }
        // Published targets come back one interval later, in publish order: a FIFO per plan.
        LongRing[] again = new LongRing[plans];
        for (int p = 0; p < plans; p++) {
            again[p] = new LongRing((int) Math.max(1, perPlan[p]));
        }
        double capacity = Math.max(1, rate);
        double tokens = 0;
        long[] published = new long[minutes];
        int next = 0;
        long oldest = 0;
        long allScanned = -1;
        for (long now = 0; now < horizonMillis; now += 1_000) {
            tokens = Math.min(capacity, tokens + rate);
            int used = 0;
            while (used < (int) tokens) {
                long best = next < dueAndPlan.length ? dueAndPlan[next] >> 2 : Long.MAX_VALUE;
                int source = -1;
                for (int p = 0; p < plans; p++) {
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
                    plan = (int) (dueAndPlan[next++] & 3);
                    if (next == dueAndPlan.length) {
                        allScanned = now;
                    }
                } else {
                    again[source].poll();
                    plan = source;
                }
                oldest = Math.max(oldest, now - best);
                again[plan].add(now + intervalMs[plan]);
                used++;
            }
            tokens -= used;
            published[(int) (now / 60_000)] += used;
        }
        return new Outcome(firstDue, published, oldest, allScanned);
    }

    /** A bounded FIFO of longs. */
    private static final class LongRing {
        private final long[] items;
        private int head;
        private int size;

        LongRing(int capacity) {
            items = new long[capacity];
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
