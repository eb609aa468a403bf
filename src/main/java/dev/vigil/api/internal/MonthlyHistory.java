package dev.vigil.api.internal;

import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/**
 * MTTR and SLA attainment per month for a range of whole months: months an upkeep pass rolled up
 * ({@code episode_rollups}, kept by {@link dev.vigil.results.EpisodeRollups}) and the account has
 * changed nothing in since are answered from their few rollup rows; the others (the month in
 * progress, a month with a late change) from the episodes ({@link HistoryReads}), one query per run
 * of consecutive months. A zone's figures always come from the episodes (rollups are per account).
 *
 * <p>Counts, means and attainment are exact either way (durations are bucketed by hour below a day
 * and by day above, and SLA targets are whole days). The median of a rolled-up month is
 * interpolated between bucket means: exact when the durations of a bucket are equal, else within
 * the bucket's width (an hour for durations below a day, a day above).
 */
final class MonthlyHistory {

    /** One rollup row: the episodes of a month, severity and dismissal in one duration bucket. */
    private record Bucket(
            YearMonth month,
            String severity,
            boolean dismissed,
            long upperSeconds,
            long resolved,
            double sumSeconds) {}

    private static final List<String> SEVERITIES = List.of("critical", "high", "moderate", "low");

    private final Jdbi jdbi;
    private final HistoryReads reads;
    private final SlaTargets sla;

    MonthlyHistory(Jdbi jdbi, HistoryReads reads, SlaTargets sla) {
        this.jdbi = jdbi;
        this.reads = reads;
        this.sla = sla;
    }

    /** MTTR per month and severity for the months {@code from} to {@code to}, both included. */
    List<HistoryReads.Mttr> mttr(Scope scope, YearMonth from, YearMonth to) {
        return inOrder(
                combine(scope, from, to, reads::mttr, MonthlyHistory::mttrOf),
                HistoryReads.Mttr::month,
                HistoryReads.Mttr::severity);
    }

    /** SLA attainment per month and severity for the months {@code from} to {@code to}. */
    List<HistoryReads.Attainment> attainment(Scope scope, YearMonth from, YearMonth to) {
        Map<String, Integer> days = sla.of(scope.accountId());
        return inOrder(
                combine(scope, from, to, reads::attainment, b -> attainmentOf(b, days)),
                HistoryReads.Attainment::month,
                HistoryReads.Attainment::severity);
    }

    private static <T> List<T> inOrder(
            List<T> rows, Function<T, String> month, Function<T, String> severity) {
        return rows.stream()
                .sorted(
                        Comparator.comparing(month)
                                .thenComparingInt(r -> SEVERITIES.indexOf(severity.apply(r))))
                .toList();
    }

    private interface LiveRead<T> {
        List<T> read(Scope scope, Instant from, Instant to);
    }

    private <T> List<T> combine(
            Scope scope,
            YearMonth from,
            YearMonth to,
            LiveRead<T> live,
            Function<List<Bucket>, List<T>> rolled) {
        Set<YearMonth> ready =
                scope.zoneId() == null ? ready(scope.accountId(), from, to) : new TreeSet<>();
        List<T> out = new ArrayList<>(rolled.apply(buckets(scope.accountId(), ready)));
        YearMonth runStart = null;
        for (YearMonth m = from; !m.isAfter(to); m = m.plusMonths(1)) {
            boolean liveMonth = !ready.contains(m);
            if (liveMonth && runStart == null) {
                runStart = m;
            }
            if (runStart != null && (!liveMonth || m.equals(to))) {
                YearMonth runEnd = liveMonth ? m : m.minusMonths(1);
                out.addAll(live.read(scope, start(runStart), start(runEnd.plusMonths(1))));
                runStart = null;
            }
        }
        return out;
    }

    /** The ready rolled-up months in the range without a pending change of the account. */
    private Set<YearMonth> ready(String account, YearMonth from, YearMonth to) {
        TreeSet<YearMonth> out = new TreeSet<>();
        jdbi.useHandle(
                h ->
                        h.createQuery(
                                        "select m.month from episode_rollup_months m"
                                                + " where m.ready and m.month >= :from"
                                                + " and m.month <= :to and not exists (select 1"
                                                + " from episode_rollup_dirty d where"
                                                + " d.account_id = :account"
                                                + " and d.month = m.month)")
                                .bind("from", Date.valueOf(from.atDay(1)))
                                .bind("to", Date.valueOf(to.atDay(1)))
                                .bind("account", account)
                                .mapTo(LocalDate.class)
                                .forEach(d -> out.add(YearMonth.from(d))));
        return out;
    }

    private List<Bucket> buckets(String account, Set<YearMonth> months) {
        if (months.isEmpty()) {
            return List.of();
        }
        String[] dates = months.stream().map(m -> m.atDay(1).toString()).toArray(String[]::new);
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "select month, severity, dismissed, upper_s, resolved,"
                                                + " sum_seconds from episode_rollups"
                                                + " where account_id = :account"
                                                + " and month = any(cast(:months as date[]))"
                                                + " order by month, severity, upper_s")
                                .bind("account", account)
                                .bind("months", dates)
                                .map(
                                        (rs, c) ->
                                                new Bucket(
                                                        YearMonth.from(
                                                                rs.getObject(
                                                                        "month", LocalDate.class)),
                                                        rs.getString("severity"),
                                                        rs.getBoolean("dismissed"),
                                                        rs.getLong("upper_s"),
                                                        rs.getLong("resolved"),
                                                        rs.getDouble("sum_seconds")))
                                .list());
    }

    private static List<HistoryReads.Mttr> mttrOf(List<Bucket> buckets) {
        return grouped(
                buckets,
                (key, group) -> {
                    long n = group.stream().mapToLong(Bucket::resolved).sum();
                    double sum = group.stream().mapToDouble(Bucket::sumSeconds).sum();
                    return new HistoryReads.Mttr(
                            key.month().toString(), key.severity(), n, sum / n, median(group, n));
                });
    }

    private static List<HistoryReads.Attainment> attainmentOf(
            List<Bucket> buckets, Map<String, Integer> days) {
        List<Bucket> counted = buckets.stream().filter(b -> !b.dismissed()).toList();
        return grouped(
                counted,
                (key, group) -> {
                    int d = java.util.Objects.requireNonNull(days.get(key.severity()));
                    long n = group.stream().mapToLong(Bucket::resolved).sum();
                    long within =
                            group.stream()
                                    .filter(b -> b.upperSeconds() <= d * 86_400L)
                                    .mapToLong(Bucket::resolved)
                                    .sum();
                    return new HistoryReads.Attainment(
                            key.month().toString(),
                            key.severity(),
                            d,
                            n,
                            within,
                            within / (double) n);
                });
    }

    private record Key(YearMonth month, String severity) {}

    /** Applies {@code f} to the buckets of each month and severity. */
    private static <T> List<T> grouped(List<Bucket> buckets, BiFunction<Key, List<Bucket>, T> f) {
        Map<Key, List<Bucket>> groups = new LinkedHashMap<>();
        for (Bucket b : buckets) {
            groups.computeIfAbsent(new Key(b.month(), b.severity()), k -> new ArrayList<>()).add(b);
        }
        return groups.entrySet().stream().map(e -> f.apply(e.getKey(), e.getValue())).toList();
    }

    /**
     * The median as {@code percentile_cont(0.5)} computes it (the mean of the two middle values for
     * an even count), each episode standing for the mean duration of its bucket.
     */
    private static double median(List<Bucket> group, long n) {
        List<Bucket> byDuration =
                group.stream().sorted(Comparator.comparingLong(Bucket::upperSeconds)).toList();
        double pos = 0.5 * (n - 1);
        long lo = (long) Math.floor(pos);
        double frac = pos - lo;
        double low = valueAt(byDuration, lo);
        return frac == 0 ? low : low + frac * (valueAt(byDuration, lo + 1) - low);
    }

    /**
     * The value of the {@code index}-th episode (from 0) in duration order: buckets with one upper
     * bound (dismissed and not) are merged, and each stands for the mean of its episodes.
     */
    private static double valueAt(List<Bucket> byDuration, long index) {
        long seen = 0;
        int i = 0;
        while (i < byDuration.size()) {
            long upper = byDuration.get(i).upperSeconds();
            long n = 0;
            double sum = 0;
            for (; i < byDuration.size() && byDuration.get(i).upperSeconds() == upper; i++) {
                n += byDuration.get(i).resolved();
                sum += byDuration.get(i).sumSeconds();
            }
            if (index < seen + n) {
                return sum / n;
            }
            seen += n;
        }
        throw new IllegalStateException("index " + index + " past " + seen + " episodes");
    }

    private static Instant start(YearMonth m) {
        return m.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
