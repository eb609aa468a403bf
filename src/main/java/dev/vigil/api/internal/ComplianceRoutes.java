package dev.vigil.api.internal;

import dev.vigil.api.internal.ComplianceReads.Tally;
import dev.vigil.api.internal.ComplianceReport.ControlView;
import dev.vigil.api.internal.ComplianceReport.FrameworkView;
import dev.vigil.checks.RuleSets;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * The compliance view of a scope (account or zone), from the check catalogue's mappings: {@code GET
 * .../compliance} (each framework with its summary), {@code GET .../compliance/{framework}} (its
 * controls, each with its checks and the targets passing and failing it) and {@code GET
 * .../compliance/{framework}/export?format=csv|ocsf}. Each answer is one statement ({@link
 * ComplianceReads}) folded into controls by {@link ComplianceReport}.
 */
public final class ComplianceRoutes {

    private final Auth auth;
    private final ComplianceReads reads;
    private final ComplianceCatalogue catalogue;
    private final String ruleSetVersion;
    private final Clock clock;

    private ComplianceRoutes(Auth auth, Jdbi jdbi, Clock clock) {
        this.auth = auth;
        this.reads = new ComplianceReads(jdbi);
        this.catalogue = ComplianceCatalogue.shipped();
        this.ruleSetVersion = RuleSets.catalogue().version();
        this.clock = clock;
    }

    /** Registers the routes for accounts and their zone mirror. */
    public static void register(RoutesConfig routes, Auth auth, Jdbi jdbi, Clock clock) {
        ComplianceRoutes r = new ComplianceRoutes(auth, jdbi, clock);
        for (String p : InsightRoutes.PREFIXES) {
            routes.get(p + "/compliance", r::frameworks);
            routes.get(p + "/compliance/{framework}", r::controls);
            routes.get(p + "/compliance/{framework}/export", r::export);
        }
    }

    /** The result info of the framework list. */
    record FrameworksInfo(int count, String ruleSetVersion) {}

    private void frameworks(Context ctx) {
        Scope scope = auth.read(ctx);
        OverviewRoutes.only(ctx, Set.of());
        Tally tally = reads.tally(scope, catalogue.mappedChecks());
        List<FrameworkView> out = new ArrayList<>();
        for (ComplianceFramework f : ComplianceFramework.values()) {
            out.add(ComplianceReport.summary(catalogue, f, tally));
        }
        Json.ok(ctx, out, new FrameworksInfo(out.size(), ruleSetVersion));
    }

    private void controls(Context ctx) {
        Scope scope = auth.read(ctx);
        OverviewRoutes.only(ctx, Set.of());
        ComplianceFramework f = framework(ctx);
        Tally tally = reads.tally(scope, checks(f));
        Json.ok(
                ctx,
                ComplianceReport.controls(catalogue, f, tally),
                ComplianceReport.summary(catalogue, f, tally));
    }

    private void export(Context ctx) throws Exception {
        Scope scope = auth.read(ctx);
        OverviewRoutes.only(ctx, Set.of("format"));
        ComplianceFramework f = framework(ctx);
        String format = ctx.queryParam("format");
        if (format == null || format.isBlank()) {
            throw ApiProblem.badRequest(
                    "format", "query parameter 'format' is required: csv or ocsf");
        }
        ComplianceExport export = ComplianceExport.of(format);
        Tally tally = reads.tally(scope, checks(f));
        List<ControlView> controls = ComplianceReport.controls(catalogue, f, tally);
        FrameworkView summary = ComplianceReport.summary(catalogue, f, tally);
        String name =
                "compliance-"
                        + f.id()
                        + "-"
                        + (scope.zoneId() == null ? scope.accountId() : scope.zoneId())
                        + "."
                        + export.extension();
        ctx.status(200)
                .contentType(export.contentType())
                .header(
                        "Content-Disposition",
                        "attachment; filename=\"" + name.replace("\"", "") + "\"");
        OutputStream out = ctx.outputStream();
        export.write(out, scope, summary, controls, clock.instant());
        out.flush();
    }

    private List<String> checks(ComplianceFramework f) {
        return catalogue.controls(f).stream()
                .flatMap(c -> c.checkIds().stream())
                .distinct()
                .toList();
    }

    private static ComplianceFramework framework(Context ctx) {
        String id = ctx.pathParam("framework");
        return ComplianceFramework.of(id)
                .orElseThrow(
                        () ->
                                new ApiProblem(
                                        404,
                                        "Not found",
                                        "no compliance framework '"
                                                + id
                                                + "' (known: "
                                                + ComplianceFramework.ids()
                                                + "; GET .../compliance lists them)",
                                        "framework"));
    }
}
