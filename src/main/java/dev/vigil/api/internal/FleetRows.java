package dev.vigil.api.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The read side of the fleet summary ({@link FleetRoutes}): insight counts by severity and status,
 * the accounts and zones with the most open critical insights, and the overdue targets, each over
 * the accounts of a {@link Fleet} and answered as records mapped by column name. The insight list,
 * its counts, the trend and the SLA breaches are the account routes' readers given a {@link Fleet}.
 */
final class FleetRows {

    /** Open insights, not dismissed, of an account or a zone. */
    record Ranked(
            String accountId,
            @Nullable String zoneId,
            @Nullable String name,
            long critical,
            long open) {}

    /**
     * A target due for longer than {@link OverviewRows#OVERDUE_AFTER}, or whose scan is lost.
     *
     * @param lost whether the lost-scan watchdog flagged its scan and no result landed since
     */
    record Overdue(
            String targetId,
            String accountId,
            String kind,
            String name,
            Instant nextDueAt,
            @Nullable Instant lastScanAt,
            boolean lost) {}

    /**
     * The insights of the fleet by severity (open, not dismissed) and by status.
     *
     * @param byStatus open (not dismissed), dismissed (open but hidden) and resolved
     */
    record Counts(Map<String, Long> openBySeverity, Map<String, Long> byStatus) {}

    /** Overdue targets, most overdue first, and how many there are in all. */
    record OverduePage(List<Overdue> rows, long total) {}

    private static final String COUNTS =
            """
            select i.severity, i.status, i.dismissed, count(*) as n
            from insights i
            where %SCOPE%
            group by 1, 2, 3
            """;

    /** Grouped by zone or account; a zone's name is its target's. */
    private static final String RANKED =
            """
            with c as (
                select i.account_id, %ZONE% as zone_id,
                       count(*) filter (where i.severity = 'critical') as critical,
                       count(*) as open
                from insights i
                where %SCOPE% and i.status = 'open' and not i.dismissed %ZONE_ONLY%
                group by 1, 2
                order by 3 desc, 4 desc, 1, 2
                limit :top
            )
            select c.*, t.name from c
            left join targets t on t.target_id = coalesce(c.zone_id, c.account_id)
            order by c.critical desc, c.open desc, c.account_id, c.zone_id
            """;

    private static final String OVERDUE =
            """
            select t.target_id, t.account_id, t.kind, t.name, t.next_due_at, t.last_result_at,
                   (%LOST%) as lost, count(*) over () as total
            from targets t
            where %SCOPE% and t.deleted_at is null
              and (t.next_due_at < now() - make_interval(secs => :grace) or (%LOST%))
            order by t.next_due_at, t.target_id
            limit :limit
            """;

    private final Jdbi jdbi;

    FleetRows(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The fleet's insights by severity and status, from one grouped read. */
    Counts counts(Fleet fleet) {
        Map<String, Long> bySeverity = new LinkedHashMap<>();
        for (String s : List.of("critical", "high", "moderate", "low")) {
            bySeverity.put(s, 0L);
        }
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (String s : List.of("open", "dismissed", "resolved")) {
            byStatus.put(s, 0L);
        }
        jdbi.useHandle(
                h ->
                        h.createQuery(COUNTS.replace("%SCOPE%", fleet.predicate("i")))
                                .bindMap(fleet.binds())
                                .map(
                                        (rs, c) -> {
                                            long n = rs.getLong("n");
                                            boolean open = rs.getString("status").equals("open");
                                            boolean dismissed = rs.getBoolean("dismissed");
                                            String status =
                                                    !open
                                                            ? "resolved"
                                                            : dismissed ? "dismissed" : "open";
                                            byStatus.merge(status, n, Long::sum);
                                            if (open && !dismissed) {
                                                bySeverity.merge(
                                                        rs.getString("severity"), n, Long::sum);
                                            }
                                            return n;
                                        })
                                .list());
        return new Counts(bySeverity, byStatus);
    }

    /**
     * The {@code top} accounts (or zones, when {@code zones}) with the most open critical insights
     * that are not dismissed, then the most open ones.
     */
    List<Ranked> top(Fleet fleet, boolean zones, int top) {
        Map<String, Object> binds = fleet.binds();
        binds.put("top", top);
        String sql =
                RANKED.replace("%SCOPE%", fleet.predicate("i"))
                        .replace("%ZONE%", zones ? "i.zone_id" : "cast(null as text)")
                        .replace("%ZONE_ONLY%", zones ? "and i.zone_id is not null" : "");
        return jdbi.withHandle(
                h ->
                        h.createQuery(sql)
                                .bindMap(binds)
                                .map(
                                        (rs, c) ->
                                                new Ranked(
                                                        rs.getString("account_id"),
                                                        rs.getString("zone_id"),
                                                        rs.getString("name"),
                                                        rs.getLong("critical"),
                                                        rs.getLong("open")))
                                .list());
    }

    /** The fleet's overdue targets, most overdue first, at most {@code limit}. */
    OverduePage overdue(Fleet fleet, int limit) {
        Map<String, Object> binds = fleet.binds();
        binds.put("grace", (double) OverviewRows.OVERDUE_AFTER.toSeconds());
        binds.put("limit", limit);
        String sql =
                OVERDUE.replace("%SCOPE%", fleet.predicate("t"))
                        .replace("%LOST%", OverviewRows.LOST);
        long[] total = new long[1];
        List<Overdue> rows =
                jdbi.withHandle(
                        h ->
                                h.createQuery(sql)
                                        .bindMap(binds)
                                        .map(
                                                (rs, c) -> {
                                                    total[0] = rs.getLong("total");
                                                    return new Overdue(
                                                            rs.getString("target_id"),
                                                            rs.getString("account_id"),
                                                            rs.getString("kind"),
                                                            rs.getString("name"),
                                                            InsightRows.required(rs, "next_due_at"),
                                                            InsightRows.instant(
                                                                    rs, "last_result_at"),
                                                            rs.getBoolean("lost"));
                                                })
                                        .list());
        return new OverduePage(rows, total[0]);
    }
}
