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
        return inventory || template.startsWith("/v1/tokens") ? "admin" : "acc2 write";
    }

    /** Routes about the token itself or the product, not about a tenant's data. */
    static boolean tokenWide(String template) {
        return template.equals("/v1/me") || template.startsWith("/v1/checks");
    }

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
