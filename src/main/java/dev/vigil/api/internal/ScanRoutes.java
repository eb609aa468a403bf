package dev.vigil.api.internal;

import dev.vigil.api.InventorySettings;
import dev.vigil.api.ScanRequester;
import dev.vigil.events.Lane;
import dev.vigil.events.ScanReason;
import dev.vigil.events.ScanRequest;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetKind;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * On-demand scans: {@code POST /v1/zones/{zone_id}/scan} and {@code POST
 * /v1/accounts/{account_id}/scan} (the account and every live zone of it). Write tokens of the
 * account. Published at once, outside the scheduler's token bucket, in the lane the scheduler would
 * choose; limited per account (429 with Retry-After); 503 when the API has no Kafka.
 */
public final class ScanRoutes {

    private final Auth auth;
    private final Jdbi jdbi;
    private final InventorySettings settings;
    private final AccountRateLimit limit;

    private ScanRoutes(Auth auth, Jdbi jdbi, InventorySettings settings) {
        this.auth = auth;
        this.jdbi = jdbi;
        this.settings = settings;
        this.limit = new AccountRateLimit(settings.onDemandPerAccountPerMinute(), System::nanoTime);
    }

    public static void register(
            RoutesConfig routes, Auth auth, Jdbi jdbi, InventorySettings settings) {
        ScanRoutes r = new ScanRoutes(auth, jdbi, settings);
        routes.post("/v1/accounts/{account_id}/scan", r::scan);
        routes.post("/v1/zones/{zone_id}/scan", r::scan);
    }

    private record Row(Target target, int assets, @Nullable Double durationMs) {}

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
        List<Row> rows = targets(scope);
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
                                            settings.lanes().classify(r.assets(), r.durationMs());
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

    private List<Row> targets(Scope scope) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        """
                                        select target_id, kind, account_id, zone_id, name, plan,
                                               asset_count, scan_duration_ms
                                          from targets
                                         where account_id = :account and deleted_at is null
                                           and (cast(:zone as text) is null or zone_id = :zone)
                                         order by kind, target_id
                                        """)
                                .bind("account", scope.accountId())
                                .bind("zone", scope.zoneId())
                                .map(
                                        (rs, c) -> {
                                            Target t =
                                                    new Target(
                                                            rs.getString("target_id"),
                                                            TargetKind.parse(rs.getString("kind")),
                                                            rs.getString("account_id"),
                                                            rs.getString("zone_id"),
                                                            rs.getString("name"),
                                                            Plan.parse(rs.getString("plan")));
                                            int assets = rs.getInt("asset_count");
                                            // Never scanned: no duration, not a duration of 0.
                                            double d = rs.getDouble("scan_duration_ms");
                                            return new Row(t, assets, rs.wasNull() ? null : d);
                                        })
                                .list());
    }
}
