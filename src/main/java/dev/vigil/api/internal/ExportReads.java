package dev.vigil.api.internal;

import dev.vigil.api.ExportRule;
import dev.vigil.api.InsightView;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;

/**
 * The read side of the exports ({@link ExportRoutes}): in one read-only transaction, the rules the
 * filtered insights belong to (for formats that describe them first, e.g. SARIF) and then the
 * insights themselves, streamed through a server-side cursor ({@link #FETCH_SIZE} rows at a time)
 * so memory stays flat whatever the size.
 */
final class ExportReads {

    static final int FETCH_SIZE = 1_000;

    /**
     * Per check of the filtered insights: the highest severity and an issue type. The severity
     * order is the catalogue's, low to critical.
     */
    private static final String RULES =
            """
            select i.check_id,
                   (array['low', 'moderate', 'high', 'critical'])[max(array_position(
                        array['low', 'moderate', 'high', 'critical'], i.severity))] as severity,
                   min(i.issue_type) as issue_type
            %FROM%
            group by i.check_id
            order by i.check_id
            """;

    /** What receives the export, inside the read's transaction. */
    interface Sink {
        /**
         * Writes the export.
         *
         * @param rules the checks of the insights (empty unless asked for)
         * @param rows the insights, read as the stream is consumed
         */
        void write(List<ExportRule> rules, Stream<InsightView> rows) throws IOException;
    }

    private final Jdbi jdbi;

    ExportReads(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Reads the insights of {@code scope} that {@code filter} keeps, in {@code sort}'s order, into
     * {@code sink}; with {@code withRules} the checks they belong to first.
     */
    void read(Scope scope, InsightFilter filter, InsightSort sort, boolean withRules, Sink sink)
            throws Exception {
        Map<String, Object> binds = InsightRoutes.scopeBinds(scope);
        String from =
                " from insights i where " + scope.predicate("i") + " and " + filter.sql(binds);
        jdbi.useTransaction(
                h -> {
                    h.getConnection().setReadOnly(true);
                    List<ExportRule> rules =
                            withRules
                                    ? h.createQuery(RULES.replace("%FROM%", from))
                                            .bindMap(binds)
                                            .map(
                                                    (rs, c) ->
                                                            new ExportRule(
                                                                    rs.getString("check_id"),
                                                                    rs.getString("severity"),
                                                                    rs.getString("issue_type")))
                                            .list()
                                    : List.of();
                    h.createQuery("select " + InsightRows.COLUMNS + from + sort.orderBy())
                            .bindMap(new LinkedHashMap<>(binds))
                            .setFetchSize(FETCH_SIZE)
                            .map(InsightRows.MAPPER)
                            .useStream(rows -> sink.write(rules, rows));
                });
    }
}
