package dev.vigil.scheduling;

import dev.vigil.inventory.Inventory;
import dev.vigil.inventory.PlanIntervals;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler role: while it holds the leader lock, it publishes due targets at the adaptive
 * rate, slowed down by its {@link Backpressure} while the workers' lag is over the bound; otherwise
 * it waits as a standby and retries the lock every {@link #STANDBY_POLL}.
 *
 * <p>With a {@link Watchdog}, the leader also checks every {@link WatchdogConfig#period()} that the
 * scans it published landed, except while throttled: then the workers are behind, and a scan
 * waiting in their queue is not lost.
 *
 * <p>Runs on one platform thread of its own; {@link #close()} stops it and waits for it. Counters
 * are read from any thread.
 */
public final class Scheduler implements AutoCloseable {
    /** How often a standby tries to become the leader: the takeover delay after a leader dies. */
    public static final Duration STANDBY_POLL = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    private static final long IDLE_SLEEP_MS = 100;

    private final Inventory inventory;
    private final PlanIntervals intervals;
    private final SchedulerConfig config;
    private final DueClaimer claimer;
    private final LeaderLock lock;
    private final Backpressure backpressure;
    private final @Nullable Watchdog watchdog;
    private final Thread thread;
    private final AtomicLong published = new AtomicLong();
    private volatile double rate;
    private volatile double plannedRate;
    private volatile boolean leader;
    private volatile boolean running = true;
    private final CountDownLatch stopping = new CountDownLatch(1);

    private Scheduler(
            DueClaimer claimer,
            LeaderLock lock,
            Inventory inventory,
            PlanIntervals intervals,
            SchedulerConfig config,
            LagSignal lag,
            @Nullable Watchdog watchdog) {
        this.inventory = inventory;
        this.watchdog = watchdog;
        this.intervals = intervals;
        this.config = config;
        this.claimer = claimer;
        this.lock = lock;
        this.backpressure = new Backpressure(lag, config.maxLag(), System::nanoTime);
        this.thread =
                Thread.ofPlatform().name("vigil-scheduler").daemon(false).unstarted(this::run);
    }

    /**
     * Starts the scheduler thread. It owns {@code lock} from here on (closing the scheduler
     * releases it); {@code claimer} publishes what is due at the rate planned over {@code
     * inventory}'s counts and {@code intervals}, slowed down while {@code lag} reports a lane more
     * than {@link SchedulerConfig#maxLag()} of work behind. The caller owns {@code lag}.
     */
    public static Scheduler start(
            DueClaimer claimer,
            LeaderLock lock,
            Inventory inventory,
            PlanIntervals intervals,
            SchedulerConfig config,
            LagSignal lag) {
        return start(claimer, lock, inventory, intervals, config, lag, null);
    }

    /**
     * Starts the scheduler as {@link #start(DueClaimer, LeaderLock, Inventory, PlanIntervals,
     * SchedulerConfig, LagSignal)} does, with {@code watchdog} (null for none) run by the leader.
     */
    public static Scheduler start(
            DueClaimer claimer,
            LeaderLock lock,
            Inventory inventory,
            PlanIntervals intervals,
            SchedulerConfig config,
            LagSignal lag,
            @Nullable Watchdog watchdog) {
        Scheduler s = new Scheduler(claimer, lock, inventory, intervals, config, lag, watchdog);
        s.thread.start();
        return s;
    }

    /** The lost-scan watchdog this scheduler runs while it leads; null when it runs none. */
    public @Nullable Watchdog watchdog() {
        return watchdog;
    }

    public long published() {
        return published.get();
    }

    /**
     * The publish rate in scans per second: the planned rate, or less while the lag holds it down.
     */
    public double rate() {
        return rate;
    }

    /** The rate the plan asks for, as set at the last recompute, whatever the lag. */
    public double plannedRate() {
        return plannedRate;
    }

    /** The brake's last decision: throttled or not, why, each lane's lag in work time. */
    public Backpressure.State backpressure() {
        return backpressure.state();
    }

    /** The lag bound: zero when the scheduler never slows down. */
    public Duration maxLag() {
        return backpressure.maxLag();
    }

    public boolean isLeader() {
        return leader;
    }

    /** Targets due now and not yet published (read from the database on each call). */
    public long dueBacklog() {
        return claimer.backlog().due();
    }

    /** How long the most overdue target has been waiting; zero when nothing is due. */
    public Duration oldestOverdue() {
        return Duration.ofMillis(Math.max(0, claimer.backlog().oldestOverdueMillis()));
    }

    private void run() {
        TokenBucket bucket = new TokenBucket(0, System::nanoTime);
        long nextRecompute = 0;
        // the first round a period after start, not before the first claim: a new leader first
        // catches up on what is due, and scans it published before a restart are still watched
        long nextWatch =
                System.nanoTime() + (watchdog == null ? 0 : watchdog.config().period().toNanos());
        while (running) {
            try {
                leader = lock.tryAcquire();
                if (!leader) {
                    sleep(STANDBY_POLL.toMillis());
                    continue;
                }
                if (System.nanoTime() >= nextRecompute) {
                    plannedRate =
                            config.fixedRate() > 0
                                    ? config.fixedRate()
                                    : RatePlanner.rate(
                                            inventory.countByPlan(),
                                            intervals,
                                            config.bufferFactor(),
                                            config.maxRate());
                    nextRecompute = System.nanoTime() + config.recomputePeriod().toNanos();
                    log.info("publish rate set to {} scans/s", String.format("%.2f", plannedRate));
                }
                // every round: the lag signal answers from its last sample, without I/O
                double effective = backpressure.rate(plannedRate);
                if (effective != bucket.rate()) {
                    bucket.setRate(effective);
                }
                rate = effective;
                if (watchdog != null && System.nanoTime() >= nextWatch) {
                    // set first: a failing round is retried a period later, not every round
                    nextWatch = System.nanoTime() + watchdog.config().period().toNanos();
                    watch(watchdog);
                }
                int permits = bucket.take(config.batchSize());
                if (permits == 0) {
                    sleep(Math.max(5, (long) Math.min(IDLE_SLEEP_MS, 1000 / Math.max(rate, 0.01))));
                    continue;
                }
                int n = claimer.claimAndPublish(permits);
                bucket.giveBack(permits - n);
                published.addAndGet(n);
                if (n == 0) {
                    sleep(IDLE_SLEEP_MS);
                }
            } catch (RuntimeException e) {
                if (!running) {
                    break; // interrupted by close(): the round's claims roll back and stay due
                }
                log.warn("scheduling round failed, retrying in 1 s: {}", e.toString());
                sleep(1000);
            }
        }
    }

    private void watch(Watchdog w) {
        if (backpressure.state().throttled()) {
            return;
        }
        Watchdog.Round r = w.check();
        if (r.republished() > 0 || r.leftForOperator() > 0) {
            log.warn(
                    "lost scans: {} target(s) re-published (attempt {}), {} left for an operator"
                            + " after their last attempt was lost too; no result landed within {}"
                            + " of the publish",
                    r.republished(),
                    LostScanPolicy.LAST_ATTEMPT,
                    r.leftForOperator(),
                    w.config().deadline());
        }
    }

    private void sleep(long ms) {
        try {
            if (stopping.await(ms, TimeUnit.MILLISECONDS)) {
                running = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * Stops publishing, lets the current round finish (its batch is committed, so a graceful stop
     * repeats no scan), and releases the leader lock. Only a round stuck for 10 s is interrupted.
     */
    @Override
    public void close() {
        running = false;
        stopping.countDown();
        try {
            thread.join(10_000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.close();
    }
}
