package dev.vigil.app;

import dev.vigil.checks.Severity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauge {@code vigil_insights_open{severity}}: open insights of the whole fleet by severity.
 * Counting them is a scan of the open insights, so the counts are cached for {@link #MAX_AGE} and
 * refreshed by the first scrape after that (a failed refresh keeps the last counts).
 *
 * <p>Thread-safe.
 */
final class OpenInsights {
    private static final Logger log = LoggerFactory.getLogger(OpenInsights.class);
    static final Duration MAX_AGE = Duration.ofSeconds(30);

    private final Jdbi jdbi;
    private Map<Severity, Long> counts = new EnumMap<>(Severity.class);
    private long refreshedAtNanos;
    private boolean refreshed;

    private OpenInsights(DataSource ds) {
        this.jdbi = Jdbi.create(ds);
    }

    static void bind(MeterRegistry r, DataSource ds) {
        OpenInsights o = new OpenInsights(ds);
        for (Severity s : Severity.values()) {
            Gauge.builder("vigil_insights_open", o, x -> x.count(s))
                    .description("open insights of the fleet (refreshed at most every 30 s)")
                    .tag("severity", s.wire())
                    .strongReference(true) // nothing else holds o; a weak one reads NaN after GC
                    .register(r);
        }
    }

    private synchronized double count(Severity s) {
        long now = System.nanoTime();
        if (!refreshed || now - refreshedAtNanos > MAX_AGE.toNanos()) {
            refreshedAtNanos = now;
            refreshed = true;
            try {
                counts = query();
            } catch (RuntimeException e) {
                log.warn(
                        "counting open insights failed, keeping the last counts: {}", e.toString());
            }
        }
        return counts.getOrDefault(s, 0L);
    }

    private Map<Severity, Long> query() {
        record SeverityCount(Severity severity, long open) {}
        Map<Severity, Long> m = new EnumMap<>(Severity.class);
        jdbi.useHandle(
                h ->
                        h.createQuery(
                                        """
                                        select severity, count(*) as open_insights from insights
                                         where status = 'open' group by severity
                                        """)
                                .map(
                                        (rs, ctx) ->
                                                new SeverityCount(
                                                        Severity.parse(rs.getString("severity")),
                                                        rs.getLong("open_insights")))
                                .forEach(c -> m.put(c.severity(), c.open())));
        return m;
    }
}
