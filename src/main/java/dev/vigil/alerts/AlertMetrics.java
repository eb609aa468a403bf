package dev.vigil.alerts;

import dev.vigil.alerts.internal.AttemptRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert dispatcher's meters:
 *
 * <ul>
 *   <li>{@code vigil_alert_deliveries_total{destination_type,outcome}}: attempts by destination
 *       kind ({@code webhook}, {@code slack}, {@code email}) and outcome ({@code delivered}, {@code
 *       retry}, {@code gone}, {@code refused});
 *   <li>{@code vigil_alert_attempt_duration_seconds{destination_type}}: one attempt's latency;
 *   <li>{@code vigil_alert_delivery_latency_seconds}: from an event's scan time (for a config push,
 *       the push) to the delivery of its message, the figure of issue 19's 2 s target;
 *   <li>{@code vigil_alert_queue_depth} and {@code vigil_alert_oldest_undelivered_seconds}: pending
 *       messages plus ungrouped outbox rows, and the age of the oldest; counted in the database
 *       (every replica sees the whole queue, so aggregate with {@code max}), cached for {@link
 *       #QUEUE_MAX_AGE} and refreshed by the first scrape after it (a failed count keeps the last).
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class AlertMetrics {
    private static final Logger log = LoggerFactory.getLogger(AlertMetrics.class);

    static final Duration QUEUE_MAX_AGE = Duration.ofSeconds(5);
    static final List<String> KINDS = List.of("webhook", "slack", "email");
    static final List<String> OUTCOMES = List.of("delivered", "retry", "gone", "refused");
    private static final Duration[] LATENCY_BUCKETS =
            buckets(50, 100, 250, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 300_000);

    private final MeterRegistry registry;
    private final Map<String, Counter> deliveries = new ConcurrentHashMap<>();
    private final Map<String, Timer> attempts = new ConcurrentHashMap<>();
    private final Timer latency;
    private final Queue queue;

    private AlertMetrics(MeterRegistry registry, DataSource dataSource) {
        this.registry = registry;
        this.latency =
                Timer.builder("vigil_alert_delivery_latency_seconds")
                        .description("from an event's scan time to its message's delivery")
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry);
        // every series from the start, so that dashboards and alerts see zeros rather than nothing
        for (String kind : KINDS) {
            for (String outcome : OUTCOMES) {
                deliveries(kind, outcome);
            }
            attempts(kind);
        }
        this.queue = new Queue(Jdbi.create(dataSource));
        Gauge.builder("vigil_alert_queue_depth", queue, q -> q.read().depth())
                .description("alert messages pending plus outbox rows not yet in a message")
                .strongReference(true)
                .register(registry);
        Gauge.builder("vigil_alert_oldest_undelivered_seconds", queue, q -> q.read().oldest())
                .description("age of the oldest pending alert message or ungrouped outbox row")
                .strongReference(true)
                .register(registry);
    }

    /** The meters on {@code registry}, counting the queue in {@code dataSource}. */
    public static AlertMetrics on(MeterRegistry registry, DataSource dataSource) {
        return new AlertMetrics(registry, dataSource);
    }

    /** Counts one attempt to a destination of {@code kind}. */
    public void attempt(String kind, DeliveryOutcome outcome) {
        deliveries(kind, AttemptRecorder.wire(outcome)).increment();
        attempts(kind).record(outcome.latency());
    }

    /** Records a delivery {@code sinceEvent} after its earliest event. */
    public void delivered(Duration sinceEvent) {
        latency.record(sinceEvent.isNegative() ? Duration.ZERO : sinceEvent);
    }

    private Counter deliveries(String kind, String outcome) {
        return deliveries.computeIfAbsent(
                kind + ' ' + outcome,
                k ->
                        Counter.builder("vigil_alert_deliveries")
                                .description("alert delivery attempts by destination and outcome")
                                .tags("destination_type", kind, "outcome", outcome)
                                .register(registry));
    }

    private Timer attempts(String kind) {
        return attempts.computeIfAbsent(
                kind,
                k ->
                        Timer.builder("vigil_alert_attempt_duration_seconds")
                                .description("one alert delivery attempt")
                                .tag("destination_type", kind)
                                .serviceLevelObjectives(LATENCY_BUCKETS)
                                .register(registry));
    }

    private record Counts(double depth, double oldest) {}

    /** The cached queue counts; see the class comment. */
    private static final class Queue {
        private final Jdbi jdbi;
        private Counts counts = new Counts(0, 0);
        private long refreshedAtNanos;
        private boolean refreshed;

        Queue(Jdbi jdbi) {
            this.jdbi = jdbi;
        }

        synchronized Counts read() {
            long now = System.nanoTime();
            if (!refreshed || now - refreshedAtNanos > QUEUE_MAX_AGE.toNanos()) {
                refreshedAtNanos = now;
                refreshed = true;
                try {
                    counts =
                            jdbi.withHandle(
                                    h ->
                                            h.createQuery(QUEUE_SQL)
                                                    .map(
                                                            (rs, ctx) ->
                                                                    new Counts(
                                                                            rs.getLong("depth"),
                                                                            rs.getDouble(
                                                                                    "oldest_seconds")))
                                                    .one());
                } catch (RuntimeException e) {
                    log.warn(
                            "counting the alert queue failed, keeping the last counts: {}",
                            e.toString());
                }
            }
            return counts;
        }
    }

    /** Pending messages and ungrouped outbox rows, through the partial indexes on what waits. */
    private static final String QUEUE_SQL =
            """
            select (select count(*) from alert_messages where status = 'pending')
                   + (select count(*) from alert_outbox where message_id is null) as depth,
                   coalesce(extract(epoch from now() - least(
                       (select min(created_at) from alert_messages where status = 'pending'),
                       (select min(created_at) from alert_outbox where message_id is null))),
                       0) as oldest_seconds
            """;

    private static Duration[] buckets(long... millis) {
        Duration[] d = new Duration[millis.length];
        for (int i = 0; i < millis.length; i++) {
            d[i] = Duration.ofMillis(millis[i]);
        }
        return d;
    }
}
