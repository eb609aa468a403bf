package dev.vigil.api.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The read side of the history routes, over {@code insight_episodes} (one row per open period of an
 * insight) and the account's SLA targets ({@link SlaTargets#RELATION}). Months are UTC months.
 * Episodes dismissed during them do not count for or against the SLA (the team decided to accept
 * them); they still count in MTTR, which measures time to resolve.
 */
final class HistoryReads {

    /** Mean and median time to resolve the episodes of one severity resolved in one month. */
    record Mttr(
            String month,
            String severity,
            long resolved,
            double meanSeconds,
            double medianSeconds) {}

    /** How many episodes of one severity resolved in one month did so within the SLA. */
    record Attainment(
            String month,
            String severity,
            int slaDays,
            long resolved,
            long withinSla,
            @Nullable Double attainment) {}

    /**
     * An insight's episode, for the past-SLA list and the diff.
     *
     * @param accountId the account of the insight (a fleet read lists several)
     * @param dueAt when the episode's SLA ends (its opening plus the severity's days)
     */
    record EpisodeItem(
            String accountId,
            long insightId,
            int episode,
            @Nullable String zoneId,
            String checkId,
            String subject,
            String severity,
            Instant openedAt,
            @Nullable Instant resolvedAt,
            Instant dueAt,
            boolean dismissed) {}

    private static final String ITEM_COLUMNS =
            "e.account_id, e.insight_id, e.episode, e.zone_id, e.check_id, i.subject, e.severity, e.opened_at,"
                    + " e.resolved_at, e.opened_at + make_interval(days => sla.days) as due_at,"
                    + " e.dismissed";

    private static final String ITEM_FROM =
            " from insight_episodes e join insights i on i.account_id = e.account_id"
                    + " and i.insight_id = e.insight_id join lateral ("
                    + SlaTargets.relationOf("e.account_id")
                    + ") sla on sla.severity = e.severity";

    /**
     * The insight is not classified as a false positive or an accepted risk (an unclassified one,
     * or one whose classification lapsed at {@code :now}, is).
     */
    private static final String NOT_ACCEPTED =
            "not coalesce(i.classification in ('false_positive', 'accept_risk')"
                    + " and coalesce(i.classification_expires_at > :now, true), false)";

    private static final String DURATION = "extract(epoch from (e.resolved_at - e.opened_at))";

    private final Jdbi jdbi;

    HistoryReads(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** MTTR per month and severity for episodes resolved in [from, to). */
    List<Mttr> mttr(Scope scope, Instant from, Instant to) {
        String sql =
                "select to_char(date_trunc('month', e.resolved_at, 'UTC'), 'YYYY-MM') as month,"
                        + " e.severity, count(*) as resolved, avg("
                        + DURATION
                        + ")::float8 as mean_seconds,"
                        + " percentile_cont(0.5) within group (order by "
                        + DURATION
                        + ")::float8 as median_seconds"
                        + " from insight_episodes e where "
                        + scope.predicate("e")
                        + " and e.resolved_at >= :from and e.resolved_at < :to"
                        + " group by 1, 2 order by 1, "
                        + SEVERITY_ORDER;
        return jdbi.withHandle(
                h ->
                        h.createQuery(sql)
                                .bindMap(binds(scope, from, to))
                                .map(
                                        (rs, c) ->
                                                new Mttr(
                                                        rs.getString("month"),
                                                        rs.getString("severity"),
                                                        rs.getLong("resolved"),
                                                        rs.getDouble("mean_seconds"),
                                                        rs.getDouble("median_seconds")))
                                .list());
    }

    /** SLA attainment per month and severity for episodes resolved in [from, to). */
    List<Attainment> attainment(Scope scope, Instant from, Instant to) {
        String sql =
                "select to_char(date_trunc('month', e.resolved_at, 'UTC'), 'YYYY-MM') as month,"
                        + " e.severity, min(sla.days) as sla_days, count(*) as resolved,"
                        + " count(*) filter (where e.resolved_at <= e.opened_at"
                        + " + make_interval(days => sla.days)) as within_sla"
                        + " from insight_episodes e join ("
                        + SlaTargets.RELATION
                        + ") sla on sla.severity = e.severity where "
                        + scope.predicate("e")
                        + " and not e.dismissed and e.resolved_at >= :from and e.resolved_at < :to"
                        + " group by 1, 2 order by 1, "
                        + SEVERITY_ORDER;
        return jdbi.withHandle(
                h ->
                        h.createQuery(sql)
                                .bindMap(binds(scope, from, to))
                                .map(
                                        (rs, c) -> {
                                            long resolved = rs.getLong("resolved");
                                            long within = rs.getLong("within_sla");
                                            return new Attainment(
                                                    rs.getString("month"),
                                                    rs.getString("severity"),
                                                    rs.getInt("sla_days"),
                                                    resolved,
                                                    within,
                                                    resolved == 0
                                                            ? null
                                                            : within / (double) resolved);
                                        })
                                .list());
    }

    /**
     * Open episodes past their SLA at {@code now}, most overdue first, at most {@code limit}; the
     * insight is neither dismissed nor classified as a false positive or an accepted risk (a lapsed
     * classification counts as none).
     */
    List<EpisodeItem> pastSla(Tenancy scope, Instant now, int limit) {
        Map<String, Object> binds = pastSlaBinds(scope, now);
        binds.put("limit", limit);
        return items(
                "select "
                        + ITEM_COLUMNS
                        + pastSlaFrom(scope)
                        + " order by due_at, e.insight_id limit :limit",
                binds);
    }

    /** Counts of open episodes past their SLA at {@code now} (as {@link #pastSla} lists them). */
    long pastSlaCount(Tenancy scope, Instant now) {
        return jdbi.withHandle(
                h ->
                        h.createQuery("select count(*)" + pastSlaFrom(scope))
                                .bindMap(pastSlaBinds(scope, now))
                                .mapTo(Long.class)
                                .one());
    }

    /**
     * The open episodes past their SLA at {@code :now}, with their insights: per account and
     * severity of the scope, its target and the opening time before which an episode is overdue,
     * then the open episodes of that account and severity opened before it, a range of the open
     * episodes' index ({@code insight_episodes_open_idx}) that holds only the overdue ones.
     * (Written as "opened plus the target is past now" per episode, the same query read every open
     * episode of the scope: seconds for a fleet of 300 accounts.)
     */
    private static String pastSlaFrom(Tenancy scope) {
        return " from ("
                + scope.accounts()
                + ") acct cross join lateral ("
                + SlaTargets.relationOf("acct.account_id")
                + ") sla join insight_episodes e on e.account_id = acct.account_id"
                + " and e.severity = sla.severity and e.resolved_at is null"
                + " and e.opened_at < cast(:now as timestamptz) - make_interval(days => sla.days)"
                + " join insights i on i.account_id = e.account_id and i.insight_id = e.insight_id"
                + " where "
                + scope.predicate("e")
                + " and not i.dismissed and "
                + NOT_ACCEPTED;
    }

    private static Map<String, Object> pastSlaBinds(Tenancy scope, Instant now) {
        Map<String, Object> binds = InsightRoutes.scopeBinds(scope);
        binds.put("now", Timestamp.from(now));
        return binds;
    }

    /** Which side of a diff between two times. */
    enum Side {
        /** Episodes opened in [from, to). */
        OPENED("e.opened_at >= :from and e.opened_at < :to"),
        /** Episodes resolved in [from, to). */
        RESOLVED("e.resolved_at >= :from and e.resolved_at < :to"),
        /** Episodes open at {@code from} and still open at {@code to}. */
        STILL_OPEN("e.opened_at < :from and (e.resolved_at is null or e.resolved_at >= :to)");

        final String predicate;

        Side(String predicate) {
            this.predicate = predicate;
        }
    }

    /** The episodes of {@code side}, oldest opening first, at most {@code limit}. */
    List<EpisodeItem> diff(Scope scope, Side side, Instant from, Instant to, int limit) {
        Map<String, Object> binds = binds(scope, from, to);
        binds.put("limit", limit);
        return items(
                "select "
                        + ITEM_COLUMNS
                        + ITEM_FROM
                        + " where "
                        + scope.predicate("e")
                        + " and "
                        + side.predicate
                        + " order by e.opened_at, e.insight_id, e.episode limit :limit",
                binds);
    }

    /** Episodes of {@code side} per severity, most severe first. */
    Map<String, Long> diffCounts(Scope scope, Side side, Instant from, Instant to) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String s : List.of("critical", "high", "moderate", "low")) {
            out.put(s, 0L);
        }
        jdbi.useHandle(
                h ->
                        h.createQuery(
                                        "select e.severity, count(*) from insight_episodes e"
                                                + " where "
                                                + scope.predicate("e")
                                                + " and "
                                                + side.predicate
                                                + " group by 1")
                                .bindMap(binds(scope, from, to))
                                .map((rs, c) -> Map.entry(rs.getString(1), rs.getLong(2)))
                                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    private static final String SEVERITY_ORDER =
            "case e.severity when 'critical' then 0 when 'high' then 1 when 'moderate' then 2"
                    + " else 3 end";

    private List<EpisodeItem> items(String sql, Map<String, Object> binds) {
        return jdbi.withHandle(
                h -> h.createQuery(sql).bindMap(binds).map((rs, c) -> item(rs)).list());
    }

    private static EpisodeItem item(ResultSet rs) throws SQLException {
        return new EpisodeItem(
                rs.getString("account_id"),
                rs.getLong("insight_id"),
                rs.getInt("episode"),
                rs.getString("zone_id"),
                rs.getString("check_id"),
                rs.getString("subject"),
                rs.getString("severity"),
                InsightRows.required(rs, "opened_at"),
                InsightRows.instant(rs, "resolved_at"),
                InsightRows.required(rs, "due_at"),
                rs.getBoolean("dismissed"));
    }

    private static Map<String, Object> binds(Scope scope, Instant from, Instant to) {
        Map<String, Object> binds = InsightRoutes.scopeBinds(scope);
        binds.put("from", Timestamp.from(from));
        binds.put("to", Timestamp.from(to));
        return binds;
    }
}
