package dev.vigil.api.internal;

import dev.vigil.checks.CheckDefinition;
import dev.vigil.checks.RuleSet;
import dev.vigil.checks.RuleSets;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The check catalogue's metadata, for any valid token (it is product documentation, not tenant
 * data): {@code GET /v1/checks} and {@code GET /v1/checks/{check_id}} answer what a check finds,
 * why it matters and how to fix it. Checks added at run time from a rules directory are known to
 * the workers only; an insight of such a check has no entry here (404).
 */
final class CheckRoutes {

    private final Auth auth;
    private final RuleSet rules;

    private CheckRoutes(Auth auth, RuleSet rules) {
        this.auth = auth;
        this.rules = rules;
    }

    static void register(RoutesConfig routes, Auth auth) {
        CheckRoutes r = new CheckRoutes(auth, RuleSets.catalogue());
        routes.get("/v1/checks", r::list);
        routes.get("/v1/checks/{check_id}", r::one);
    }

    private void list(Context ctx) {
        auth.grant(ctx);
        OverviewRoutes.only(ctx, Set.of());
        List<CheckView> checks = rules.checks().stream().map(CheckView::of).toList();
        Json.ok(ctx, checks, new CatalogueInfo(checks.size(), rules.version()));
    }

    private void one(Context ctx) {
        auth.grant(ctx);
        OverviewRoutes.only(ctx, Set.of());
        String id = ctx.pathParam("check_id");
        CheckDefinition c =
                rules.check(id)
                        .orElseThrow(
                                () ->
                                        new ApiProblem(
                                                404,
                                                "Not found",
                                                "no check '"
                                                        + id
                                                        + "' in the catalogue (GET /v1/checks lists"
                                                        + " them)",
                                                "check_id"));
        Json.ok(ctx, CheckView.of(c), null);
    }

    /** The result info of the catalogue. */
    record CatalogueInfo(int count, String ruleSetVersion) {}

    /**
     * A check as the catalogue shows it: what it reads is machinery, not shown.
     *
     * @param appliesTo {@code account} or {@code zone}
     * @param compliance controls it maps to, by framework
     */
    record CheckView(
            String id,
            String appliesTo,
            String title,
            String description,
            String issueType,
            String severity,
            String risk,
            List<String> remediationSteps,
            String remediationLink,
            List<String> references,
            Map<String, List<String>> compliance) {

        static CheckView of(CheckDefinition c) {
            return new CheckView(
                    c.id(),
                    c.appliesTo().wire(),
                    c.title(),
                    c.description(),
                    c.issueType().wire(),
                    c.severity().wire(),
                    c.risk().strip(),
                    c.remediationSteps(),
                    c.remediationLink(),
                    c.references(),
                    c.compliance());
        }
    }
}
