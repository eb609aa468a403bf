package dev.vigil.api.internal;

import dev.vigil.api.InsightView;
import dev.vigil.checks.Finding;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code GET .../insights/{insight_id}/context}: an insight's large context, kept off the list so
 * lists stay small: its identity and message; every offending value its check saw in the latest
 * scan that found it ({@code context}: up to 100,000 values, one page of {@code values_limit}
 * (default 1,000, at most 10,000) from {@code values_offset} per call, with the total and the next
 * offset); and every scan of its target that saw it: the scans between its first and last sighting
 * during which it was open (from the scan transitions in the audit log), newest first, up to {@code
 * limit} (default 1,000). The SQL is {@link ContextReads}'s.
 */
public final class ContextRoutes {

    private static final Set<String> PARAMS = Set.of("limit", "values_offset", "values_limit");

    private final Auth auth;
    private final Jdbi jdbi;
    private final ContextReads reads;

    private ContextRoutes(Auth auth, Jdbi jdbi) {
        this.auth = auth;
        this.jdbi = jdbi;
        this.reads = new ContextReads(jdbi);
    }

    public static void register(RoutesConfig routes, Auth auth, Jdbi jdbi) {
        ContextRoutes r = new ContextRoutes(auth, jdbi);
        for (String p : InsightRoutes.PREFIXES) {
            routes.get(p + "/insights/{insight_id}/context", r::context);
        }
    }

    private void context(Context ctx) {
        Scope scope = auth.read(ctx);
        for (String name : ctx.queryParamMap().keySet()) {
            if (!PARAMS.contains(name)) {
                throw ApiProblem.badRequest(
                        name,
                        "unknown query parameter '"
                                + name
                                + "' (expected limit, values_offset or values_limit)");
            }
        }
        int limit = InsightFilter.integer(ctx, "limit", 1_000, 1, 10_000);
        int valuesOffset =
                InsightFilter.integer(ctx, "values_offset", 0, 0, Finding.MAX_CONTEXT_VALUES);
        int valuesLimit = InsightFilter.integer(ctx, "values_limit", 1_000, 1, 10_000);
        InsightView insight = InsightRoutes.find(jdbi, scope, InsightRoutes.insightId(ctx));
        String target = insight.zoneId() == null ? insight.accountId() : insight.zoneId();
        Json.ok(
                ctx,
                new InsightContext(
                        insight,
                        target,
                        insight.resourceKey(),
                        insight.message(),
                        reads.values(scope, insight.id(), valuesOffset, valuesLimit),
                        reads.scans(
                                scope,
                                insight.id(),
                                target,
                                insight.firstSeenAt(),
                                insight.lastSeenAt(),
                                limit)),
                null);
    }

    /**
     * The answer: the insight, where it was found, a page of its context values, and the scans that
     * saw it.
     */
    record InsightContext(
            InsightView insight,
            String targetId,
            String resourceKey,
            String message,
            ContextReads.ValuesPage context,
            List<ContextReads.ScanRef> scans) {}
}
