package dev.vigil.scheduling;

import dev.vigil.events.Lane;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's brake (issue 20): from the planned rate and the lanes' lag ({@link LagSignal}),
 * the rate to publish at. While any lane's backlog is more than {@code maxLag} of its workers'
 * recent work, the scheduler publishes at {@value #DRAIN_FACTOR} × that lane's consumption rate
 * (never under {@value #FLOOR_FRACTION} of the planned rate, never over the planned rate), so the
 * backlog shrinks instead of growing; once every measured lane is back under {@value
 * #RESUME_FRACTION} × {@code maxLag}, it returns to the planned rate. Targets it does not publish
 * stay due in the database and go out, most overdue first, when the brake is released.
 *
 * <p>The decision ({@link #rate}) is made on the scheduler's thread only; {@link #state()} is an
 * immutable snapshot, published through a volatile field, that any thread may read.
 */
public final class Backpressure {
    /**
     * Resume under half the bound, not at it: at the bound, the planned rate (20 % over the steady
     * demand) would cross it again within one sample and the rate would flap every few seconds.
     */
    static final double RESUME_FRACTION = 0.5;

    /** While throttled, publish at 80 % of what the lagging lane consumes: its backlog shrinks. */
    static final double DRAIN_FACTOR = 0.8;

    /**
     * The throttled rate's floor, as a fraction of the planned rate: a lag signal that is wrong
     * (workers that commit rarely, a broker answering late) slows scheduling down, never stops it.
     */
    static final double FLOOR_FRACTION = 0.05;

    /**
     * After the brake is released the rate doubles every 2 s from where it was up to the plan,
     * instead of jumping there: the targets held back meanwhile are all due, and at the full
     * planned rate they would be on the topic within a second, putting the lag right back over the
     * bound (measured in {@code bench burst} before this ramp: released at 0.8 s of work, back at
     * 10.4 s a second later).
     */
    static final Duration RAMP_DOUBLING = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(Backpressure.class);

    private final LagSignal signal;
    private final Duration maxLag;
    private final LongSupplier nanoClock;
    private long throttledSinceNanos;
    private long releasedAtNanos;
    private double releasedFrom;
    private volatile State state = new State(false, 0, 0, null, Map.of());

    /**
     * What the brake decided last.
     *
     * @param throttled true while a lane's lag holds the rate under the plan
     * @param planned the rate the plan asks for, in scans per second
     * @param rate the rate published at, in scans per second
     * @param cause the lane whose lag holds the rate down, null when not throttled
     * @param lanes each measured lane's lag, as last measured
     */
    public record State(
            boolean throttled,
            double planned,
            double rate,
            @Nullable Lane cause,
            Map<Lane, LagSignal.LaneLag> lanes) {
        public State {
            lanes = Map.copyOf(lanes);
        }

        /** Each measured lane's backlog in work time. */
        public Map<Lane, Duration> workTime() {
            Map<Lane, Duration> out = new EnumMap<>(Lane.class);
            lanes.forEach((lane, lag) -> out.put(lane, lag.workTime()));
            return out;
        }

        /** The largest backlog of any measured lane, in work time; zero when none is measured. */
        public Duration worstWorkTime() {
            return lanes.values().stream()
                    .map(LagSignal.LaneLag::workTime)
                    .max(Duration::compareTo)
                    .orElse(Duration.ZERO);
        }
    }

    /**
     * A brake on {@code signal}'s lag at {@code maxLag} of work ({@link Duration#ZERO}: never
     * brakes); {@code nanoClock} times how long it held the rate down.
     */
    public Backpressure(LagSignal signal, Duration maxLag, LongSupplier nanoClock) {
        if (maxLag.isNegative()) {
            throw new IllegalArgumentException(
                    "the lag bound must be zero (off) or positive, not " + maxLag);
        }
        this.signal = signal;
        this.maxLag = maxLag;
        this.nanoClock = nanoClock;
    }

    /** The rate to publish at now, given the rate the plan asks for; on the scheduler's thread. */
    double rate(double planned) {
        Map<Lane, LagSignal.LaneLag> lanes = signal.lanes();
        State previous = state;
        if (maxLag.isZero()) {
            state = new State(false, planned, planned, null, lanes);
            return planned;
        }
        if (lanes.isEmpty() && previous.throttled()) {
            // nothing measured this time (the broker is slow to answer): keep the brake as it was
            double rate = Math.min(planned, previous.rate());
            state = new State(true, planned, rate, previous.cause(), previous.lanes());
            return rate;
        }
        Lane worst = worstOver(lanes, maxLag);
        boolean throttled;
        if (worst != null) {
            throttled = true;
        } else if (previous.throttled()) {
            // keep braking until every measured lane is well under the bound; an unmeasured lane
            // changes nothing
            Duration resume = Duration.ofNanos((long) (maxLag.toNanos() * RESUME_FRACTION));
            Lane still = worstOver(lanes, resume);
            throttled = still != null;
            worst = still;
        } else {
            throttled = false;
        }
        if (!throttled || worst == null) {
            if (previous.throttled()) {
                log.info(
                        "lag is back under half the bound of {} on every lane ({}): throttled for"
                                + " {} s, ramping up to the planned {} scans/s again",
                        maxLag,
                        describe(lanes),
                        (nanoClock.getAsLong() - throttledSinceNanos) / 1_000_000_000,
                        String.format("%.2f", planned));
                releasedAtNanos = nanoClock.getAsLong();
                releasedFrom = previous.rate();
            }
            double rate = ramp(planned);
            state = new State(false, planned, rate, null, lanes);
            return rate;
        }
        LagSignal.LaneLag lag = lanes.get(worst);
        double consumed = lag == null ? 0 : lag.consumedPerSecond();
        double rate =
                Math.min(planned, Math.max(planned * FLOOR_FRACTION, consumed * DRAIN_FACTOR));
        if (!previous.throttled()) {
            releasedFrom = 0;
            throttledSinceNanos = nanoClock.getAsLong();
            log.warn(
                    "throttling: the {} lane is {} of work behind (lag {} records, its workers"
                            + " commit {} records/s), over the bound of {}"
                            + " (VIGIL_SCHEDULER_MAX_LAG); publishing at {} scans/s instead of the"
                            + " planned {} until every lane is under half the bound. Due targets"
                            + " wait in the database.",
                    worst.wire(),
                    human(lag == null ? Duration.ZERO : lag.workTime()),
                    lag == null ? 0 : lag.records(),
                    String.format("%.1f", consumed),
                    maxLag,
                    String.format("%.2f", rate),
                    String.format("%.2f", planned));
        }
        state = new State(true, planned, rate, worst, lanes);
        return rate;
    }

    /** The planned rate, or less while ramping up after a release. */
    private double ramp(double planned) {
        if (releasedFrom <= 0) {
            return planned;
        }
        double doublings =
                (nanoClock.getAsLong() - releasedAtNanos) / (double) RAMP_DOUBLING.toNanos();
        double rate = releasedFrom * Math.pow(2, doublings);
        if (rate >= planned) {
            releasedFrom = 0;
            return planned;
        }
        return rate;
    }

    /** The last decision; readable from any thread. */
    public State state() {
        return state;
    }

    /** The bound this brake holds the lag under; zero when it is off. */
    public Duration maxLag() {
        return maxLag;
    }

    private static @Nullable Lane worstOver(Map<Lane, LagSignal.LaneLag> lanes, Duration bound) {
        Lane worst = null;
        Duration most = bound;
        for (Map.Entry<Lane, LagSignal.LaneLag> e : lanes.entrySet()) {
            Duration w = e.getValue().workTime();
            if (w.compareTo(most) > 0) {
                most = w;
                worst = e.getKey();
            }
        }
        return worst;
    }

    private static String describe(Map<Lane, LagSignal.LaneLag> lanes) {
        StringBuilder b = new StringBuilder();
        lanes.forEach(
                (lane, lag) ->
                        b.append(b.isEmpty() ? "" : ", ")
                                .append(lane.wire())
                                .append(' ')
                                .append(human(lag.workTime()))
                                .append(" (")
                                .append(lag.records())
                                .append(" records)"));
        return b.isEmpty() ? "none measured" : b.toString();
    }

    private static String human(Duration d) {
        if (d.compareTo(LagSignal.LaneLag.FOREVER) >= 0) {
            return "unbounded (no progress)";
        }
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
