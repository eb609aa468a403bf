package dev.vigil.api;

/** How {@link TenantIsolationIT} classifies the documented routes. */
final class TenantRoutes {

    /** The batch config push: its targets are in its lines, not its path. */
    static final String BATCH_PUSH = "/v1/config:batch";

    private TenantRoutes() {}

    /** The kind of token a write route is made for. */
    static String madeFor(String template) {
        if (template.startsWith("/internal/")) {
            return "service";
        }
        boolean inventory =
                template.equals("/v1/accounts")
                        || template.equals("/v1/zones")
                        || template.equals("/v1/accounts/{account_id}")
                        || template.equals("/v1/zones/{zone_id}");
        // the rule rollout changes every tenant's insights: admin tokens only
        return inventory
                        || template.startsWith("/v1/tokens")
                        || template.startsWith("/v1/rule-sets")
                ? "admin"
                : "acc2 write";
    }

    /**
     * Routes about the token itself or the product, not about a tenant's data, and the fleet
     * routes, which read every account of the token: no other tenant in their path to refuse
     * (FleetTenantIsolationIT walks them with another tenant in their filters and cursors).
     */
    static boolean tokenWide(String template) {
        return template.equals("/v1/me")
                || template.startsWith("/v1/checks")
                || template.startsWith("/v1/fleet/");
    }

    /** The fleet routes' GET paths, with the query that reaches widest. */
    static final java.util.List<String> FLEET =
            java.util.List.of(
                    "v1/fleet/insights?status=open,resolved&per_page=500",
                    "v1/fleet/insights/severity?status=open,resolved",
                    "v1/fleet/insights/class?status=open,resolved",
                    "v1/fleet/insights/type?status=open,resolved",
                    "v1/fleet/summary?top=100",
                    "v1/fleet/trend?days=366",
                    "v1/fleet/past-sla?limit=1000");

    /**
     * The query a GET route of the caller's own scope is called with: parameters naming another
     * tenant's zone and classes where the route takes them, and the widest ranges where it takes
     * those, so that any data leaking across tenants would show.
     */
    static String foreignQuery(String template) {
        if (template.endsWith("/audit")) {
            return "?actor=system&field=status";
        }
        if (template.endsWith("/trend")) {
            return "?days=366";
        }
        if (template.endsWith("/scan-status")) {
            return "?limit=10000";
        }
        if (template.endsWith("/compliance/{framework}/export")) {
            return "?format=ocsf";
        }
        if (template.endsWith("/compliance") || template.endsWith("/compliance/{framework}")) {
            return "";
        }
        if (template.endsWith("/sla")) {
            return "";
        }
        if (template.endsWith("/history/mttr") || template.endsWith("/history/sla-attainment")) {
            return "?from=2020-01&to=2029-12";
        }
        if (template.endsWith("/history/past-sla")) {
            return "?limit=1000";
        }
        if (template.endsWith("/history/diff")) {
            return "?from=2000-01-01T00:00:00Z&to=2099-01-01T00:00:00Z&limit=1000";
        }
        return "?zone_id=zone9&issue_class=hidden&status=open,resolved"
                + (template.endsWith("/export") ? "&format=json" : "");
    }
}
