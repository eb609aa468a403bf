package dev.vigil.app;

import dev.vigil.events.Lane;
import dev.vigil.scheduling.LagSignal;
import dev.vigil.worker.Worker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's {@link LagSignal} on Kafka: every {@code every}, an admin client ({@link
 * LagProbe}) reads where each lane's consumer group stands on the scan-request topic; the lag is
 * end minus committed offsets, the consumption rate is how far the committed offsets moved over the
 * intervals of the last {@value #WINDOW_SAMPLES} samples that began with a backlog. The scheduler
 * reads the last answer without waiting.
 *
 * <p>A lane is left out of the answer while it has a backlog and no rate yet, while its group has
 * never committed (no worker of it ever ran: a fresh deployment must not start braked), and once
 * the broker has not answered for {@value #WINDOW_SAMPLES} samples in a row (until then its last
 * answer stands).
 *
 * <p>Thread-safe: one thread of its own samples; the answer is an immutable map behind a volatile
 * field. {@link #close()} stops the thread and the admin client.
 */
public final class LaneLagSignal implements LagSignal, AutoCloseable {
    /** How often the roles sample: as often as the lag metric ({@link KafkaMetrics#LAG_EVERY}). */
    public static final Duration DEFAULT_EVERY = KafkaMetrics.LAG_EVERY;

    /**
     * Samples the consumption rate is measured over: 30 s at the default period, long enough to
     * smooth the workers' commit batches, short enough to follow a worker that stopped.
     */
    static final int WINDOW_SAMPLES = 6;

    private static final Logger log = LoggerFactory.getLogger(LaneLagSignal.class);

    private final LagProbe probe;
    private final LongSupplier nanoClock;
    private final Map<Lane, Rate> rates = new EnumMap<>(Lane.class);
    private final ScheduledExecutorService sampler;
    private volatile Map<Lane, LaneLag> last = Map.of();

    private LaneLagSignal(LagProbe probe, LongSupplier nanoClock) {
        this.probe = probe;
        this.nanoClock = nanoClock;
        for (Lane lane : Lane.values()) {
            rates.put(lane, new Rate());
        }
        this.sampler =
                Executors.newSingleThreadScheduledExecutor(
                        Thread.ofPlatform().daemon().name("vigil-lag-signal").factory());
    }

    /**
     * Starts sampling both lanes' groups on {@code topic} of {@code bootstrap} every {@code every};
     * the first sample is taken at once.
     */
    public static LaneLagSignal start(String bootstrap, String topic, Duration every) {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException(
                    "the lag sampling period must be positive, not " + every);
        }
        LaneLagSignal s = new LaneLagSignal(new LagProbe(bootstrap, topic), System::nanoTime);
        // the task catches its own failures, so its future never holds one; close() cancels it
        ScheduledFuture<?> _ =
                s.sampler.scheduleWithFixedDelay(
                        s::sampleQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return s;
    }

    @Override
    public Map<Lane, LaneLag> lanes() {
        return last;
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            log.warn("measuring the lanes' lag failed: {}", e.toString());
        }
    }

    private void sample() {
        Map<Lane, LaneLag> now = new EnumMap<>(Lane.class);
        for (Lane lane : Lane.values()) {
            LagProbe.Position p = probe.position(Worker.groupId(lane));
            Rate rate = rates.get(lane);
            if (rate == null) {
                continue;
            }
            if (p == null) {
                LaneLag stale = rate.age();
                if (stale != null) {
                    now.put(lane, stale);
                }
                continue;
            }
            if (p.committedPartitions() == 0) {
                continue;
            }
            LaneLag lag = rate.add(nanoClock.getAsLong(), p.committed(), p.lag());
            if (lag != null) {
                now.put(lane, lag);
            }
        }
        last = Map.copyOf(now);
    }

    /**
     * The committed offsets of one group over the last samples. The rate counts only the intervals
     * that began with a backlog: a lane idle for want of requests is not a slow lane, and counting
     * its idle time would brake the scheduler at the first burst (measured in {@code bench burst}:
     * 954 s of "work" for 2,000 records to fast workers that had been idle). Owned by the sampling
     * thread.
     */
    static final class Rate {
        private final ArrayDeque<long[]> samples = new ArrayDeque<>();
        private @Nullable LaneLag lastLag;
        private int missed;

        /**
         * Adds a sample taken at {@code nanos}: the group's committed total and lag. Returns the
         * lane's lag with its consumption rate; null while there is a backlog but no interval of
         * the window began with one yet (the rate is not known).
         */
        @Nullable LaneLag add(long nanos, long committed, long lag) {
            missed = 0;
            samples.addLast(new long[] {nanos, committed, lag});
            while (samples.size() > WINDOW_SAMPLES + 1) {
                samples.removeFirst();
            }
            long busyNanos = 0;
            long progress = 0;
            long[] previous = null;
            for (long[] s : samples) {
                if (previous != null && previous[2] > 0 && s[0] > previous[0]) {
                    busyNanos += s[0] - previous[0];
                    progress += Math.max(0, s[1] - previous[1]);
                }
                previous = s;
            }
            if (busyNanos == 0) {
                lastLag = lag == 0 ? new LaneLag(0, 0) : null;
                return lastLag;
            }
            lastLag = new LaneLag(lag, progress / (busyNanos / 1e9));
            return lastLag;
        }

        /**
         * The last answer while the broker is silent, for a window's worth of samples; then none.
         */
        @Nullable LaneLag age() {
            return ++missed > WINDOW_SAMPLES ? null : lastLag;
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        try {
            if (!sampler.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("the lag sampler did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        probe.close();
    }
}
