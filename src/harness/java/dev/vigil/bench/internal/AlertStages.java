package dev.vigil.bench.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Where an alert's time went, read back from the alert tables after a phase: push → the results
 * transaction that opened the insight and wrote its outbox row (the change path: event, fetch,
 * scan, results call), → the message grouped from that row, → claimed by a free delivery slot and
 * built (the attempt's record time less its send time), → sent and answered (the attempt's recorded
 * latency). PostgreSQL's {@code now()} is a transaction's start, so each stage ends when the next
 * stage's transaction began; both clocks are this machine's.
 */
public final class AlertStages {

    /** One stage's p50 and p99 over the phase's insights, in milliseconds. */
    public record Stage(String name, double p50Ms, double p99Ms) {}

    /** One insight's timestamps. */
    private record Row(
            String zoneId, Instant stored, Instant grouped, Instant recorded, long sendMs) {}

    /** Outbox row, its message and the insight's zone, for the rule's check; SQL in one place. */
    private static final String ROWS =
            """
            select i.zone_id, o.created_at as stored, m.created_at as grouped,
                   a.at as recorded, a.latency_ms
              from alert_outbox o
              join alert_messages m on m.message_id = o.message_id
              join alert_attempts a on a.message_id = m.message_id and a.outcome = 'delivered'
              join insights i on i.account_id = o.account_id and i.insight_id = o.insight_id
             where i.check_id = :check
            """;

    private AlertStages() {}

    /**
     * The stages of the insights opened by the pushes in {@code pushedAt} (zone id → the push's
     * wall-clock time); other zones' rows are ignored.
     */
    public static List<Stage> of(DataSource db, String checkId, Map<String, Instant> pushedAt) {
        List<Row> rows =
                Jdbi.create(db)
                        .withHandle(
                                h ->
                                        h.createQuery(ROWS)
                                                .bind("check", checkId)
                                                .map(
                                                        (rs, ctx) ->
                                                                new Row(
                                                                        rs.getString("zone_id"),
                                                                        instant(rs, "stored"),
                                                                        instant(rs, "grouped"),
                                                                        instant(rs, "recorded"),
                                                                        rs.getLong("latency_ms")))
                                                .list());
        List<Long> toStored = new ArrayList<>(), toGrouped = new ArrayList<>();
        List<Long> toClaimed = new ArrayList<>(), sent = new ArrayList<>();
        for (Row r : rows) {
            Instant pushed = pushedAt.get(r.zoneId());
            if (pushed == null) {
                continue;
            }
            toStored.add(nanos(pushed, r.stored()));
            toGrouped.add(nanos(r.stored(), r.grouped()));
            Instant sendStart = r.recorded().minusMillis(r.sendMs());
            toClaimed.add(nanos(r.grouped(), sendStart));
            sent.add(Duration.ofMillis(r.sendMs()).toNanos());
        }
        return List.of(
                stage("push → insight stored with its outbox row (change path)", toStored),
                stage("→ grouped into a message (dispatcher)", toGrouped),
                stage("→ claimed by a free delivery slot, message built (dispatcher)", toClaimed),
                stage("→ HTTP request signed, sent and answered by the receiver", sent));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static long nanos(Instant from, Instant to) {
        return Duration.between(from, to).toNanos();
    }

    private static Stage stage(String name, List<Long> nanos) {
        long[] v = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Stage(name, percentileMs(v, 0.5), percentileMs(v, 0.99));
    }

    private static double percentileMs(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }
}
