package dev.vigil.api.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The read side of the dashboard's summaries ({@link OverviewRoutes}): accounts by id, the scan
 * status of a scope's targets, and the daily trend of open insights, each answered as records
 * mapped by column name.
 */
final class OverviewRows {

    /**
     * How long past its due time a target may wait before it counts as overdue: the scheduler
     * claims due targets every few seconds, so a minute behind means scanning is not keeping up.
     */
    static final Duration OVERDUE_AFTER = Duration.ofSeconds(60);

    /** At most this many accounts are listed for a service token, which may see all of them. */
    static final int MAX_ACCOUNTS = 1_000;

    /**
     * Whether target {@code t}'s scan is lost: the watchdog found it missing and no result landed
     * since.
     */
    static final String LOST =
            "t.scan_lost_at is not null"
                    + " and (t.last_result_at is null or t.last_result_at < t.scan_lost_at)";

    private static final String STATUS =
            """
            with open_counts as (
                select coalesce(i.zone_id, i.account_id) as target_id,
                       count(*) filter (where i.severity = 'critical') as critical,
                       count(*) filter (where i.severity = 'high') as high,
                       count(*) as open
                from insights i
                where %SCOPE% and i.status = 'open' and not i.dismissed
                group by 1
            )
            select t.target_id, t.kind, t.name, t.plan, t.last_result_at, t.next_due_at,
                   t.section_errors::text as section_errors,
                   l.lost, t.scan_lost_at, t.scan_lost_state, t.scan_attempt,
                   (t.next_due_at < now() - make_interval(secs => :grace) or l.lost) as overdue,
                   coalesce(c.critical, 0) as critical, coalesce(c.high, 0) as high,
                   coalesce(c.open, 0) as open,
                   count(*) over () as total,
                   count(*) filter (where t.next_due_at < now() - make_interval(secs => :grace)
                                       or l.lost)
                       over () as overdue_total,
                   count(*) filter (where l.lost) over () as lost_total
            from targets t
            -- lost: the watchdog found the target's scan missing and no result landed since
            cross join lateral (select %LOST% as lost) l
            left join open_counts c on c.target_id = t.target_id
            where t.account_id = :scope_account and t.deleted_at is null %ZONE%
            order by critical desc, high desc, open desc, t.target_id
            limit :limit
            """;

    private static final String MOVES =
            """
            select to_char(a.at at time zone 'UTC', 'YYYY-MM-DD') as day,
                   count(*) filter (where a.to_status = 'open') as opened,
                   count(*) filter (where a.to_status = 'resolved') as resolved
            from audit_log a
            where %SCOPE% and a.changed_by = 'system' and a.to_status is not null
              and a.at >= cast(:since as timestamptz)
            group by 1
            """;

    private static final JsonMapper SECTION_JSON = JsonMapper.builder().build();

    /** An account as {@code /v1/me} lists it; name and plan are null when it is not (yet) held. */
    record Account(String id, @Nullable String name, @Nullable String plan) {}

    /** Open insights of a target that are not dismissed. */
    record OpenInsights(long critical, long high, long total) {}

    /** What the watchdog did about a lost scan: re-published it, or gave up after the retry. */
    enum LostScanState {
        @JsonProperty("republished")
        REPUBLISHED,
        @JsonProperty("left_for_operator")
        LEFT_FOR_OPERATOR;

        static LostScanState of(String stored) {
            return switch (stored) {
                case "republished" -> REPUBLISHED;
                case "left_for_operator" -> LEFT_FOR_OPERATOR;
                default ->
                        throw new IllegalStateException(
                                "targets.scan_lost_state '" + stored + "' is not a known state");
            };
        }
    }

    /**
     * A scheduled scan of the target that never landed (dead-lettered, or lost in a worker).
     *
     * @param since when the lost-scan watchdog found it missing
     * @param attempt the attempt published last (2 once re-published)
     */
    record LostScan(Instant since, int attempt, LostScanState state) {}

    /**
     * One target's scan status.
     *
     * @param overdue due for longer than {@link #OVERDUE_AFTER}, or its scan is lost
     * @param sectionErrors the sections its last scan could not read, with why, by section name
     * @param lostScan the lost scan, null unless the watchdog found one and no result landed since
     */
    record TargetStatus(
            String targetId,
            String kind,
            String name,
            String plan,
            @Nullable Instant lastScanAt,
            @Nullable Long secondsSinceScan,
            Instant nextDueAt,
            boolean overdue,
            Map<String, String> sectionErrors,
            OpenInsights openInsights,
            @Nullable LostScan lostScan) {}

    /** A page of target statuses with the counts over all of the scope's targets. */
    record StatusPage(List<TargetStatus> rows, long total, long overdueTotal, long lostTotal) {}

    /** One UTC day of the trend. */
    record TrendPoint(String day, long open, long opened, long resolved) {}

    /** The trend, oldest day first, and the insights open now. */
    record Trend(List<TrendPoint> series, long openNow) {}

    private final Jdbi jdbi;

    OverviewRows(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The named accounts (null: any, up to {@link #MAX_ACCOUNTS}), in the order of their ids. */
    List<Account> accounts(@Nullable List<String> ids) {
        Map<String, Account> found = new LinkedHashMap<>();
        jdbi.useHandle(
                h ->
                        h.createQuery(
                                        "select target_id, name, plan from targets where kind ="
                                                + " 'account' and deleted_at is null"
                                                + (ids == null
                                                        ? ""
                                                        : " and target_id = any(cast(:ids as"
                                                                + " text[]))")
                                                + " order by target_id limit :limit")
                                .bind(
                                        "ids",
                                        ids == null ? new String[0] : ids.toArray(String[]::new))
                                .bind("limit", MAX_ACCOUNTS)
                                .map(
                                        (rs, c) ->
                                                new Account(
                                                        rs.getString("target_id"),
                                                        rs.getString("name"),
                                                        rs.getString("plan")))
                                .forEach(a -> found.put(a.id(), a)));
        if (ids == null) {
            return List.copyOf(found.values());
        }
        // An account the token names but the inventory does not (yet) hold is still listed.
        List<Account> out = new ArrayList<>();
        for (String id : ids.stream().sorted().distinct().toList()) {
            Account a = found.get(id);
            out.add(a == null ? new Account(id, null, null) : a);
        }
        return out;
    }

    /** The scope's targets, most open critical insights first, at most {@code limit}. */
    StatusPage scanStatus(Scope scope, int limit, Instant now) {
        Map<String, Object> binds = InsightRoutes.scopeBinds(scope);
        binds.put("grace", (double) OVERDUE_AFTER.toSeconds());
        binds.put("limit", limit);
        String sql =
                STATUS.replace("%SCOPE%", scope.predicate("i"))
                        .replace("%LOST%", LOST)
                        .replace(
                                "%ZONE%",
                                scope.zoneId() == null ? "" : "and t.target_id = :scope_zone");
        long[] totals = new long[3];
        List<TargetStatus> rows =
                jdbi.withHandle(
                        h ->
                                h.createQuery(sql)
                                        .bindMap(binds)
                                        .map(
                                                (rs, c) -> {
                                                    totals[0] = rs.getLong("total");
                                                    totals[1] = rs.getLong("overdue_total");
                                                    totals[2] = rs.getLong("lost_total");
                                                    Instant last =
                                                            InsightRows.instant(
                                                                    rs, "last_result_at");
                                                    return new TargetStatus(
                                                            rs.getString("target_id"),
                                                            rs.getString("kind"),
                                                            rs.getString("name"),
                                                            rs.getString("plan"),
                                                            last,
                                                            last == null
                                                                    ? null
                                                                    : Math.max(
                                                                            0,
                                                                            Duration.between(
                                                                                            last,
                                                                                            now)
                                                                                    .toSeconds()),
                                                            InsightRows.required(rs, "next_due_at"),
                                                            rs.getBoolean("overdue"),
                                                            sectionErrors(
                                                                    rs.getString("section_errors")),
                                                            new OpenInsights(
                                                                    rs.getLong("critical"),
                                                                    rs.getLong("high"),
                                                                    rs.getLong("open")),
                                                            lostScan(rs));
                                                })
                                        .list());
        return new StatusPage(rows, totals[0], totals[1], totals[2]);
    }

    /**
     * The last {@code days} UTC days up to {@code today}, oldest first: how many insights were open
     * at the end of each day (dismissed ones included: dismissing hides, it does not resolve), and
     * how many were opened (or reopened) and resolved during it. Open counts are walked back from
     * today's from the day's transitions, so one grouped read of the audit log's recent partitions
     * suffices.
     */
    Trend trend(Tenancy scope, int days, LocalDate today) {
        LocalDate first = today.minusDays(days - 1L);
        Map<String, Object> binds = InsightRoutes.scopeBinds(scope);
        binds.put("since", first.atStartOfDay(ZoneOffset.UTC).toOffsetDateTime());
        Map<String, long[]> moves = new LinkedHashMap<>();
        long openNow =
                jdbi.inTransaction(
                        h -> {
                            h.createQuery(MOVES.replace("%SCOPE%", scope.predicate("a")))
                                    .bindMap(binds)
                                    .map(
                                            (rs, c) ->
                                                    moves.put(
                                                            rs.getString("day"),
                                                            new long[] {
                                                                rs.getLong("opened"),
                                                                rs.getLong("resolved")
                                                            }))
                                    .list();
                            return h.createQuery(
                                            "select count(*) from insights i where "
                                                    + scope.predicate("i")
                                                    + " and i.status = 'open'")
                                    .bindMap(InsightRoutes.scopeBinds(scope))
                                    .mapTo(Long.class)
                                    .one();
                        });
        List<TrendPoint> series = new ArrayList<>();
        long open = openNow;
        for (LocalDate d = today; !d.isBefore(first); d = d.minusDays(1)) {
            long[] m = moves.getOrDefault(d.toString(), new long[2]);
            series.addFirst(new TrendPoint(d.toString(), Math.max(0, open), m[0], m[1]));
            open = open - m[0] + m[1];
        }
        return new Trend(series, openNow);
    }

    private static @Nullable LostScan lostScan(ResultSet rs) throws SQLException {
        String state = rs.getString("scan_lost_state");
        if (!rs.getBoolean("lost") || state == null) {
            return null;
        }
        return new LostScan(
                InsightRows.required(rs, "scan_lost_at"),
                rs.getInt("scan_attempt"),
                LostScanState.of(state));
    }

    /** The stored JSON object of section errors as a map; none stored is an empty map. */
    private static Map<String, String> sectionErrors(@Nullable String json) {
        Map<String, String> out = new TreeMap<>();
        if (json != null) {
            SECTION_JSON
                    .readTree(json)
                    .properties()
                    .forEach(e -> out.put(e.getKey(), e.getValue().asString()));
        }
        return out;
    }
}
