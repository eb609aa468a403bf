package dev.vigil.api.internal;

import dev.vigil.checks.Severity;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * How fast insights are fixed (issue 21), for an account and mirrored for a zone: the SLA targets
 * ({@code GET …/sla}, {@code PUT /v1/accounts/{id}/sla}), MTTR and SLA attainment per month and
 * severity, the open insights past their SLA, and what changed between two times. Read from
 * episodes ({@link HistoryReads}), MTTR and attainment of closed months from their rollups ({@link
 * MonthlyHistory}).
 */
public final class HistoryRoutes {

    /** The longest range of months one MTTR or attainment call covers. */
    static final int MAX_MONTHS = 120;

    private final Auth auth;
    private final HistoryReads reads;
    private final SlaTargets sla;
    private final MonthlyHistory monthly;
    private final Clock clock;

    private HistoryRoutes(Auth auth, Jdbi jdbi, Clock clock) {
        this.auth = auth;
        this.reads = new HistoryReads(jdbi);
        this.sla = new SlaTargets(jdbi);
        this.monthly = new MonthlyHistory(jdbi, reads, sla);
        this.clock = clock;
    }

    public static void register(RoutesConfig routes, Auth auth, Jdbi jdbi, Clock clock) {
        HistoryRoutes r = new HistoryRoutes(auth, jdbi, clock);
        for (String p : InsightRoutes.PREFIXES) {
            routes.get(p + "/sla", r::getSla);
            routes.get(p + "/history/mttr", r::mttr);
            routes.get(p + "/history/sla-attainment", r::attainment);
            routes.get(p + "/history/past-sla", r::pastSla);
            routes.get(p + "/history/diff", r::diff);
        }
        routes.put("/v1/accounts/{account_id}/sla", r::putSla);
    }

    private void getSla(Context ctx) {
        Scope scope = auth.read(ctx);
        OverviewRoutes.only(ctx, Set.of());
        Json.ok(ctx, sla.of(scope.accountId()), null);
    }

    private void putSla(Context ctx) {
        Scope scope = auth.write(ctx);
        OverviewRoutes.only(ctx, Set.of());
        Set<String> names = new java.util.TreeSet<>();
        for (Severity s : Severity.values()) {
            names.add(s.wire());
        }
        JsonNode body = Bodies.object(ctx, names);
        Map<Severity, Integer> changes = new EnumMap<>(Severity.class);
        for (String name : body.propertyNames()) {
            JsonNode v = body.get(name);
            if (!v.canConvertToInt()
                    || !v.isIntegralNumber()
                    || v.asInt() < 1
                    || v.asInt() > SlaTargets.MAX_DAYS) {
                throw ApiProblem.badRequest(
                        name,
                        "'"
                                + name
                                + "' must be a whole number of days from 1 to "
                                + SlaTargets.MAX_DAYS
                                + ", got "
                                + v);
            }
            changes.put(Severity.parse(name), v.asInt());
        }
        if (changes.isEmpty()) {
            throw ApiProblem.badRequest(
                    "body", "name at least one severity: critical, high, moderate or low");
        }
        sla.set(scope.accountId(), changes, scope.actor());
        Json.ok(ctx, sla.of(scope.accountId()), null);
    }

    private void mttr(Context ctx) {
        Scope scope = auth.read(ctx);
        OverviewRoutes.only(ctx, Set.of("from", "to"));
        YearMonth[] range = months(ctx);
        Json.ok(ctx, monthly.mttr(scope, range[0], range[1]), range(range));
    }

    private void attainment(Context ctx) {
        Scope scope = auth.read(ctx);
        OverviewRoutes.only(ctx, Set.of("from", "to"));
        YearMonth[] range = months(ctx);
        Json.ok(ctx, monthly.attainment(scope, range[0], range[1]), range(range));
    }

    private void pastSla(Context ctx) {
        Scope scope = auth.read(ctx);
        OverviewRoutes.only(ctx, Set.of("limit"));
        int limit = InsightFilter.integer(ctx, "limit", 100, 1, 1_000);
        Instant now = clock.instant();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("total_count", reads.pastSlaCount(scope, now));
        info.put("at", Rfc3339.format(now));
        Json.ok(ctx, reads.pastSla(scope, now, limit), info);
    }

    /** One side of a diff: its counts by severity and its first episodes. */
    record DiffSide(
            long count, Map<String, Long> bySeverity, List<HistoryReads.EpisodeItem> items) {}

    private void diff(Context ctx) {
        Scope scope = auth.read(ctx);
        OverviewRoutes.only(ctx, Set.of("from", "to", "limit"));
        Instant from = instant(ctx, "from");
        Instant to = instant(ctx, "to");
        if (!from.isBefore(to)) {
            throw ApiProblem.badRequest("to", "'to' must be after 'from'");
        }
        int limit = InsightFilter.integer(ctx, "limit", 100, 1, 1_000);
        Map<String, DiffSide> out = new LinkedHashMap<>();
        for (HistoryReads.Side side : HistoryReads.Side.values()) {
            Map<String, Long> counts = reads.diffCounts(scope, side, from, to);
            out.put(
                    side.name().toLowerCase(java.util.Locale.ROOT),
                    new DiffSide(
                            counts.values().stream().mapToLong(Long::longValue).sum(),
                            counts,
                            reads.diff(scope, side, from, to, limit)));
        }
        Json.ok(ctx, out, Map.of("from", Rfc3339.format(from), "to", Rfc3339.format(to)));
    }

    /** The {@code from}/{@code to} months (YYYY-MM, both included; default the last 12). */
    private YearMonth[] months(Context ctx) {
        YearMonth now = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        YearMonth to = month(ctx, "to", now);
        YearMonth from = month(ctx, "from", to.minusMonths(11));
        if (from.isAfter(to)) {
            throw ApiProblem.badRequest("from", "'from' must not be after 'to'");
        }
        if (from.plusMonths(MAX_MONTHS).isBefore(to.plusMonths(1))) {
            throw ApiProblem.badRequest("from", "a range covers at most " + MAX_MONTHS + " months");
        }
        return new YearMonth[] {from, to};
    }

    /** The range as the instants [from, to) it covers. */
    private static Map<String, String> range(YearMonth[] range) {
        return Map.of(
                "from",
                Rfc3339.format(range[0].atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant()),
                "to",
                Rfc3339.format(
                        range[1].plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
    }

    private static YearMonth month(Context ctx, String name, YearMonth dflt) {
        @Nullable String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) {
            return dflt;
        }
        try {
            return YearMonth.parse(raw);
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest(
                    name, "'" + name + "' must be a month as YYYY-MM, got '" + raw + "'");
        }
    }

    private static Instant instant(Context ctx, String name) {
        @Nullable String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) {
            throw ApiProblem.badRequest(name, "'" + name + "' is required (an RFC 3339 time)");
        }
        return Rfc3339.parse(name, "'" + name + "'", raw);
    }
}
