package dev.vigil.api.internal;

import dev.vigil.api.ExportRule;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code GET .../insights/export?format=csv|json|ocsf|sarif}: the filtered set (same filters and
 * sort as the list, no paging), streamed: rows are read through a server-side cursor ({@link
 * #FETCH_SIZE} at a time, inside a read-only transaction) and written as they arrive, so memory
 * stays flat whatever the size. A failure after the first byte cannot become a problem+json answer;
 * the connection is then cut and the client sees a truncated document.
 */
public final class ExportRoutes {

    static final int FETCH_SIZE = 1_000;

    private static final Set<String> PARAMS = Set.of("format", "order", "direction");

    private final Auth auth;
    private final Jdbi jdbi;

    private ExportRoutes(Auth auth, Jdbi jdbi) {
        this.auth = auth;
        this.jdbi = jdbi;
    }

    public static void register(RoutesConfig routes, Auth auth, Jdbi jdbi) {
        ExportRoutes r = new ExportRoutes(auth, jdbi);
        for (String p : InsightRoutes.PREFIXES) {
            routes.get(p + "/insights/export", r::export);
        }
    }

    private void export(Context ctx) throws Exception {
        Scope scope = auth.read(ctx);
        InsightFilter filter = InsightFilter.parse(ctx, PARAMS);
        InsightSort sort = InsightSort.parse(ctx);
        String format = ctx.queryParam("format");
        if (format == null || format.isBlank()) {
            throw ApiProblem.badRequest(
                    "format", "query parameter 'format' is required: csv, json, ocsf or sarif");
        }
        Export export = Export.of(format);
        Map<String, Object> binds = InsightRoutes.scopeBinds(scope);
        String where =
                " from insights i where " + scope.predicate("i") + " and " + filter.sql(binds);
        String name =
                "insights-"
                        + (scope.zoneId() == null ? scope.accountId() : scope.zoneId())
                        + "."
                        + export.extension();
        jdbi.useTransaction(
                h -> {
                    h.getConnection().setReadOnly(true);
                    List<ExportRule> rules =
                            export.needsRules()
                                    ? h.createQuery(
                                                    "select i.check_id, (array['low','moderate','high',"
                                                            + "'critical'])[max(array_position("
                                                            + "array['low','moderate','high',"
                                                            + "'critical'], i.severity))] as"
                                                            + " severity,"
                                                            + " min(i.issue_type) as issue_type"
                                                            + where
                                                            + " group by i.check_id order by"
                                                            + " i.check_id")
                                            .bindMap(binds)
                                            .map(
                                                    (rs, c) ->
                                                            new ExportRule(
                                                                    rs.getString("check_id"),
                                                                    rs.getString("severity"),
                                                                    rs.getString("issue_type")))
                                            .list()
                                    : List.of();
                    ctx.status(200)
                            .contentType(export.contentType())
                            .header(
                                    "Content-Disposition",
                                    "attachment; filename=\"" + name.replace("\"", "") + "\"");
                    OutputStream out = ctx.outputStream();
                    export.start(out, rules);
                    h.createQuery("select " + InsightRows.COLUMNS + where + sort.orderBy())
                            .bindMap(new LinkedHashMap<>(binds))
                            .setFetchSize(FETCH_SIZE)
                            .map(InsightRows.MAPPER)
                            .useStream(
                                    rows ->
                                            rows.forEach(
                                                    i -> {
                                                        try {
                                                            export.write(i);
                                                        } catch (IOException e) {
                                                            throw new UncheckedIOException(e);
                                                        }
                                                    }));
                    export.finish();
                    out.flush();
                });
    }
}
