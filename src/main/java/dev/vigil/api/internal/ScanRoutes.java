package dev.vigil.api.internal;

import dev.vigil.api.InventorySettings;
import dev.vigil.api.ScanRequester;
import dev.vigil.events.Lane;
import dev.vigil.events.ScanReason;
import dev.vigil.events.ScanRequest;
import dev.vigil.inventory.Inventory;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/**
 * On-demand scans: {@code POST /v1/zones/{zone_id}/scan} and {@code POST
 * /v1/accounts/{account_id}/scan} (the account and every live zone of it). Write tokens of the
 * account. Published at once, outside the scheduler's token bucket, in the lane the scheduler would
 * choose; limited per account (429 with Retry-After); 503 when the API has no Kafka.
 */
public final class ScanRoutes {

    private final Auth auth;
    private final Inventory inventory;
    private final InventorySettings settings;
    private final AccountRateLimit limit;

    private ScanRoutes(Auth auth, Inventory inventory, InventorySettings settings) {
        this.auth = auth;
        this.inventory = inventory;
        this.settings = settings;
        this.limit = new AccountRateLimit(settings.onDemandPerAccountPerMinute(), System::nanoTime);
    }

    public static void register(
            RoutesConfig routes, Auth auth, Inventory inventory, InventorySettings settings) {
        ScanRoutes r = new ScanRoutes(auth, inventory, settings);
        routes.post("/v1/accounts/{account_id}/scan", r::scan);
        routes.post("/v1/zones/{zone_id}/scan", r::scan);
    }

    /** The reply: how many scans were requested, and each one. */
    record ScansReply(int requested, List<RequestedScan> scans) {}

    /** One requested scan, in the lane it was published in ({@code fast} or {@code slow}). */
    record RequestedScan(String scanId, String targetId, String lane) {}

    private void scan(Context ctx) {
        Scope scope = auth.write(ctx);
        ScanRequester requester = settings.scanRequester();
        if (requester == null) {
            throw new ApiProblem(
                    503,
                    "Scans unavailable",
                    "Kafka is not configured for this API: set VIGIL_KAFKA_BOOTSTRAP for the api"
                            + " role to request on-demand scans",
                    null);
        }
        List<Inventory.Classifiable> rows =
                inventory.classifiable(scope.accountId(), scope.zoneId());
        if (rows.isEmpty()) {
            throw new ApiProblem(
                    404,
                    "Not found",
                    "account '" + scope.accountId() + "' has no targets in the inventory",
                    "account_id");
        }
        long wait = limit.acquire(scope.accountId());
        if (wait > 0) {
            ctx.header("Retry-After", Long.toString(wait));
            throw new ApiProblem(
                    429,
                    "Too many requests",
                    "account '"
                            + scope.accountId()
                            + "' may request "
                            + settings.onDemandPerAccountPerMinute()
                            + " on-demand scans a minute; retry in "
                            + wait
                            + " s",
                    null);
        }
        Instant now = Instant.now();
        List<ScanRequest> requests =
                rows.stream()
                        .map(
                                r -> {
                                    Lane lane =
                                            settings.lanes()
                                                    .classify(r.assetCount(), r.scanDurationMs());
                                    return ScanRequest.of(
                                            r.target(), lane, ScanReason.ON_DEMAND, now);
                                })
                        .toList();
        try {
            requester.request(requests);
        } catch (RuntimeException e) {
            throw new ApiProblem(
                    503,
                    "Scans unavailable",
                    "the scan requests could not be published: " + e.getMessage() + "; retry later",
                    null);
        }
        ScansReply result =
                new ScansReply(
                        requests.size(),
                        requests.stream()
                                .map(
                                        r ->
                                                new RequestedScan(
                                                        r.scanId().toString(),
                                                        r.targetId(),
                                                        r.lane().wire()))
                                .toList());
        ctx.status(202);
        Json.ok(ctx, result, null);
    }
}
