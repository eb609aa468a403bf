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
}
