package dev.vigil.api.internal;

import dev.vigil.api.InsightView;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.OutputStream;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code GET .../insights/export?format=csv|json|ocsf|sarif}: the filtered set (same filters and
 * sort as the list, no paging), streamed: rows are read through a server-side cursor ({@link
 * ExportReads#FETCH_SIZE} at a time, inside a read-only transaction) and written as they arrive, so
 * memory stays flat whatever the size. A failure after the first byte cannot become a problem+json
 * answer; the connection is then cut and the client sees a truncated document.
 */
public final class ExportRoutes {

    private static final Set<String> PARAMS = Set.of("format", "order", "direction");

    private final Auth auth;
    private final ExportReads reads;

    private ExportRoutes(Auth auth, Jdbi jdbi) {
        this.auth = auth;
        this.reads = new ExportReads(jdbi);
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
        String name =
                "insights-"
                        + (scope.zoneId() == null ? scope.accountId() : scope.zoneId())
                        + "."
                        + export.extension();
        reads.read(
                scope,
                filter,
                sort,
                export.needsRules(),
                (rules, rows) -> {
                    // The status and headers go out only now, after the first statement: a
                    // failure before this point is still a problem+json answer.
                    ctx.status(200)
                            .contentType(export.contentType())
                            .header(
                                    "Content-Disposition",
                                    "attachment; filename=\"" + name.replace("\"", "") + "\"");
                    OutputStream out = ctx.outputStream();
                    export.start(out, rules);
                    for (InsightView row : (Iterable<InsightView>) rows::iterator) {
                        export.write(row);
                    }
                    export.finish();
                    out.flush();
                });
    }
}
