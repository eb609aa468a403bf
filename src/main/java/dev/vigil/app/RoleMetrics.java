package dev.vigil.app;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.vigil.events.Lane;
import dev.vigil.scheduling.Scheduler;
import dev.vigil.scheduling.Watchdog;
import dev.vigil.telemetry.HealthCheck;
import dev.vigil.worker.Worker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Binds the roles' own counters to a meter registry. The components count with plain atomics (no
 * metrics library on their hot paths); these function meters read them at scrape time.
 */
final class RoleMetrics {
    /** Histogram buckets of a scan: most take milliseconds, a slow config source seconds. */
    static final Duration[] SCAN_BUCKETS =
            Stream.of(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000)
                    .map(Duration::ofMillis)
                    .toArray(Duration[]::new);

    private RoleMetrics() {}

    static void worker(MeterRegistry r, Worker w) {
        String lane = w.lane().wire();
        counter(
                r,
                "vigil_worker_scans",
                "scans completed and stored",
                w,
                x -> x.scans().scanned(),
                lane);
        counter(
                r,
                "vigil_worker_findings",
                "findings sent to the results API",
                w,
                x -> x.scans().findings(),
                lane);
        counter(
                r,
                "vigil_worker_skips",
                "requests of the other lane skipped",
                w,
                x -> x.skipped(),
                lane);
        counter(
                r,
                "vigil_worker_moved_to_slow",
                "targets a fast worker handed to the slow lane",
                w,
                x -> x.scans().movedToSlow(),
                lane);
        counter(r, "vigil_worker_retries", "retried attempts", w, Worker::retries, lane);
        counter(
                r,
                "vigil_worker_dead_letters",
                "requests sent to the dead-letter topic",
                w,
                Worker::deadLettered,
                lane);
        counter(
                r,
                "vigil_worker_records",
                "records taken off the scan-request topic (the other lane's included)",
                w,
                Worker::records,
                lane);
        Gauge.builder("vigil_worker_scans_in_flight", w, Worker::inFlight)
                .description("scans of the lane running now")
                .tag("lane", lane)
                .register(r);
        Timer ok = scanTimer(r, lane, "ok");
        Timer failed = scanTimer(r, lane, "error");
        w.observe((nanos, error) -> (error ? failed : ok).record(nanos, TimeUnit.NANOSECONDS));
        Gauge.builder("vigil_worker_healthy", w, x -> x.healthy() ? 1 : 0)
                .description("1 while every consumer of the lane polls")
                .tag("lane", lane)
                .register(r);
    }

    private static Timer scanTimer(MeterRegistry r, String lane, String outcome) {
        return Timer.builder("vigil_worker_scan_duration_seconds")
                .description(
                        "one scan attempt: fetch, evaluate and submit (outcome error: it threw and"
                                + " is retried or dead-lettered)")
                .tags("lane", lane, "outcome", outcome)
                .serviceLevelObjectives(SCAN_BUCKETS)
                .register(r);
    }

    static void scheduler(MeterRegistry r, Scheduler s) {
        FunctionCounter.builder("vigil_scheduler_published", s, Scheduler::published)
                .description("scan requests published and acknowledged")
                .register(r);
        Gauge.builder("vigil_scheduler_rate_scans_per_second", s, Scheduler::rate)
                .description(
                        "the current publish rate: the planned rate, or less while the workers'"
                                + " lag holds it down")
                .register(r);
        Gauge.builder("vigil_scheduler_planned_rate_scans_per_second", s, Scheduler::plannedRate)
                .description("the rate the plan asks for, whatever the lag")
                .register(r);
        Gauge.builder("vigil_scheduler_throttled", s, x -> x.backpressure().throttled() ? 1 : 0)
                .description(
                        "1 while a lane's lag is over VIGIL_SCHEDULER_MAX_LAG of work and the"
                                + " scheduler publishes under its planned rate")
                .register(r);
        Gauge.builder("vigil_scheduler_max_lag_seconds", s, x -> x.maxLag().toMillis() / 1000.0)
                .description("the lag bound in work time (VIGIL_SCHEDULER_MAX_LAG; 0: off)")
                .register(r);
        for (Lane lane : Lane.values()) {
            Gauge.builder(
                            "vigil_scheduler_lane_lag_work_seconds",
                            s,
                            x -> workSeconds(x.backpressure().workTime().get(lane)))
                    .description(
                            "the lane's lag as the scheduler sees it, in work time: lag ÷ the"
                                    + " group's recent consumption rate (NaN when not measured)")
                    .tag("lane", lane.wire())
                    .register(r);
        }
        // each of these two reads the database at scrape time (one indexed query each)
        Gauge.builder("vigil_scheduler_due_backlog", s, Scheduler::dueBacklog)
                .description("targets due now and not yet published")
                .register(r);
        Gauge.builder(
                        "vigil_scheduler_oldest_overdue_seconds",
                        s,
                        x -> x.oldestOverdue().toMillis() / 1000.0)
                .description("how long the most overdue target has waited")
                .register(r);
        Gauge.builder("vigil_scheduler_leader", s, x -> x.isLeader() ? 1 : 0)
                .description("1 when this scheduler holds the leader lock")
                .register(r);
        Watchdog w = s.watchdog();
        if (w != null) {
            watchdog(r, w);
        }
    }

    private static void watchdog(MeterRegistry r, Watchdog w) {
        FunctionCounter.builder("vigil_scheduler_lost_scans_republished", w, Watchdog::republished)
                .description(
                        "scheduled scans with no result within VIGIL_WATCHDOG_DEADLINE of their"
                                + " publish, re-published once (attempt 2) by this scheduler")
                .register(r);
        FunctionCounter.builder(
                        "vigil_scheduler_lost_scans_left_for_operator",
                        w,
                        Watchdog::leftForOperator)
                .description(
                        "targets whose re-published scan was lost too: flagged, nothing more"
                                + " published until their next scheduled scan")
                .register(r);
        Gauge.builder(
                        "vigil_scheduler_watchdog_deadline_seconds",
                        w,
                        x -> x.deadline().toMillis() / 1000.0)
                .description(
                        "the deadline the lost-scan watchdog applies now: three times the p99 of"
                                + " the landing delays it saw in the last hour, between twice"
                                + " VIGIL_SCHEDULER_MAX_LAG and VIGIL_WATCHDOG_DEADLINE")
                .register(r);
        // reads the database at scrape time (one query over a partial index)
        Gauge.builder("vigil_scheduler_lost_scan_targets", w, Watchdog::lostNow)
                .description(
                        "targets flagged lost now (counted as overdue): no result has landed"
                                + " since the watchdog found their scan missing")
                .register(r);
    }

    private static double workSeconds(@Nullable Duration workTime) {
        return workTime == null ? Double.NaN : workTime.toMillis() / 1000.0;
    }

    /** HikariCP's own pool meters (active, idle, pending, acquire time…). */
    static void pool(MeterRegistry r, HikariDataSource ds) {
        ds.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(r));
    }

    static HealthCheck database(HikariDataSource ds) {
        return () -> {
            try (Connection c = ds.getConnection()) {
                return c.isValid(2)
                        ? HealthCheck.Status.ok("reachable")
                        : HealthCheck.Status.down("connection not valid");
            } catch (SQLException e) {
                return HealthCheck.Status.down(
                        e.getMessage() == null ? e.toString() : e.getMessage());
            }
        };
    }

    static HealthCheck consumers(Worker w) {
        return w::readiness;
    }

    private static <T> void counter(
            MeterRegistry r, String name, String doc, T obj, ToDoubleFunction<T> f, String lane) {
        FunctionCounter.builder(name, obj, f).description(doc).tag("lane", lane).register(r);
    }
}
