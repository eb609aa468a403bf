package dev.vigil.api.internal;

import dev.vigil.api.InsightView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The read side of the insight routes: one insight, a filtered and sorted page, counts by a
 * property, always within a {@link Tenancy} (an account, a zone or a fleet of accounts) (its
 * predicate is part of every statement), answered as records ({@link InsightRows} maps the columns
 * by name).
 */
final class InsightReads {

    /** How many insights have {@code value} (a severity, a class or an issue type). */
    record Count(String value, long count) {}

    /** What the counts are grouped by. */
    enum Group {
        SEVERITY("i.severity"),
        CLASS("i.check_id"),
        TYPE("i.issue_type");

        final String column;

        Group(String column) {
            this.column = column;
        }
    }

    /**
     * A page of insights.
     *
     * @param total the insights matching the filter, over every page
     * @param cursor the cursor of the next page; null on the last one
     */
    record Page(List<InsightView> rows, long total, @Nullable String cursor) {}

    private final Jdbi jdbi;

    InsightReads(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The insight {@code id} if it is in {@code scope}. */
    Optional<InsightView> find(Scope scope, long id) {
        Map<String, Object> binds = InsightRoutes.scopeBinds(scope);
        binds.put("id", id);
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "select "
                                                + InsightRows.COLUMNS
                                                + " from insights i where "
                                                + scope.predicate("i")
                                                + " and i.insight_id = :id")
                                .bindMap(binds)
                                .map(InsightRows.MAPPER)
                                .findOne());
    }

    /**
     * One page of the insights of {@code scope} that {@code filter} keeps, in {@code sort}'s order,
     * with the total over every page (read in the same transaction).
     */
    Page list(Tenancy scope, InsightFilter filter, InsightSort sort) {
        Map<String, Object> binds = InsightRoutes.scopeBinds(scope);
        String where =
                " from insights i where " + scope.predicate("i") + " and " + filter.sql(binds);
        Map<String, Object> pageBinds = new LinkedHashMap<>(binds);
        String sql =
                "select "
                        + InsightRows.COLUMNS
                        + ", "
                        + sort.keyColumn()
                        + where
                        + " and "
                        + sort.after(pageBinds)
                        + sort.orderBy()
                        + " limit :limit offset :offset";
        // One more than a page: whether there is a next page, without a second query.
        pageBinds.put("limit", sort.perPage() + 1);
        pageBinds.put(
                "offset", sort.page() == null ? 0L : (long) (sort.page() - 1) * sort.perPage());
        record Row(InsightView view, String key) {}
        record Rows(List<Row> rows, long total) {}
        Rows read =
                jdbi.inTransaction(
                        h ->
                                new Rows(
                                        h.createQuery(sql)
                                                .bindMap(pageBinds)
                                                .map(
                                                        (rs, c) ->
                                                                new Row(
                                                                        InsightRows.MAPPER.map(
                                                                                rs, c),
                                                                        rs.getString("sort_key")))
                                                .list(),
                                        h.createQuery("select count(*)" + where)
                                                .bindMap(binds)
                                                .mapTo(Long.class)
                                                .one()));
        boolean more = read.rows().size() > sort.perPage();
        List<Row> rows = more ? read.rows().subList(0, sort.perPage()) : read.rows();
        Row last = rows.isEmpty() ? null : rows.getLast();
        return new Page(
                rows.stream().map(Row::view).toList(),
                read.total(),
                more && last != null
                        ? sort.encode(new InsightSort.Key(last.key(), last.view().id()))
                        : null);
    }

    /** The insights of {@code scope} that {@code filter} keeps, counted by {@code group}. */
    List<Count> counts(Tenancy scope, InsightFilter filter, Group group) {
        Map<String, Object> binds = InsightRoutes.scopeBinds(scope);
        String sql =
                "select "
                        + group.column
                        + " as value, count(*) as count from insights i where "
                        + scope.predicate("i")
                        + " and "
                        + filter.sql(binds)
                        + " group by 1 order by 2 desc, 1";
        return jdbi.withHandle(
                h ->
                        h.createQuery(sql)
                                .bindMap(binds)
                                .map(
                                        (rs, c) ->
                                                new Count(
                                                        rs.getString("value"), rs.getLong("count")))
                                .list());
    }
}
