package dev.vigil.api.internal;

import dev.vigil.api.ConfigChangeSink;
import dev.vigil.api.PushAdmission;
import dev.vigil.inventory.TargetKind;
import dev.vigil.snapshots.ConfigSnapshots;
import dev.vigil.snapshots.PushOutcome;
import dev.vigil.snapshots.Snapshot;
import dev.vigil.snapshots.SnapshotPush;
import dev.vigil.snapshots.StaleVersionException;
import dev.vigil.snapshots.UnknownTargetException;
import dev.vigil.tokens.TokenGrant;
import dev.vigil.tokens.TokenScope;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP side of pushed configuration snapshots ({@link ConfigSnapshots} stores them). {@code
 * POST /v1/{accounts|zones}/{id}/config} (write token of the account) stores the body, a JSON
 * object, as the target's next version and announces a config change naming the sections that
 * changed: 202 when stored, 200 when equal to the stored version, 409 when the requested version is
 * not newer, 429 with {@code Retry-After} while the change backlog is over its bound ({@link
 * PushAdmission}). The batch route is {@link BatchPushRoute}. {@code GET
 * /internal/v1/targets/{target_id}/config} (service token) serves one stored version to the
 * workers, which hold no database credentials.
 */
public final class ConfigRoutes {

    private final Auth auth;
    private final ConfigSnapshots snapshots;
    private final @Nullable ConfigChangeSink sink;
    private final PushAdmission admission;

    /**
     * The handlers; without a sink, pushes answer 503 (nothing to announce them on); while {@code
     * admission}'s gate is closed, 429.
     */
    public ConfigRoutes(
            Auth auth,
            ConfigSnapshots snapshots,
            @Nullable ConfigChangeSink sink,
            PushAdmission admission) {
        this.auth = auth;
        this.snapshots = snapshots;
        this.sink = sink;
        this.admission = admission;
    }

    /** {@code sink}, or 503: an API without Kafka cannot announce a push. */
    static ConfigChangeSink sinkOrRefuse(@Nullable ConfigChangeSink sink) {
        if (sink == null) {
            throw new ApiProblem(
                    503,
                    "Config pushes disabled",
                    "this API runs without Kafka, so it cannot announce a pushed configuration;"
                            + " set VIGIL_KAFKA_BOOTSTRAP for the api role",
                    null);
        }
        return sink;
    }

    /**
     * The reply to a push.
     *
     * @param status {@code accepted} (stored and announced) or {@code unchanged}
     */
    record PushReply(
            String targetId,
            long version,
            List<String> changedSections,
            Instant receivedAt,
            String status) {

        static PushReply of(PushOutcome outcome) {
            String status =
                    switch (outcome) {
                        case PushOutcome.Accepted a -> "accepted";
                        case PushOutcome.Unchanged u -> "unchanged";
                    };
            return new PushReply(
                    outcome.target().targetId(),
                    outcome.version(),
                    outcome.changedSections(),
                    outcome.receivedAt(),
                    status);
        }
    }

    public void push(Context ctx) {
        TokenGrant g = auth.grant(ctx);
        Destination to = destination(ctx, g);
        Request r;
        try {
            r = request(ctx);
        } catch (RuntimeException e) {
            if (to.checkedInStore()) {
                scopeFirst(ctx, g);
            }
            throw e;
        }
        // Store what we read, compactly: the same bytes the workers will read back.
        SnapshotPush push =
                new SnapshotPush(
                        to.kind(),
                        to.id(),
                        r.doc().text(),
                        r.doc().digests(),
                        r.version(),
                        r.sections());
        ConfigChangeSink out = r.sink();
        PushOutcome outcome;
        try {
            outcome =
                    snapshots.push(
                            push,
                            (change, document) ->
                                    out.publish(change, document.getBytes(StandardCharsets.UTF_8)),
                            to.checkedInStore() ? g::mayWrite : account -> true);
        } catch (UnknownTargetException e) {
            if (to.checkedInStore()) {
                throw Auth.zoneNotVisible(to.id(), g);
            }
            throw new ApiProblem(
                    404,
                    "Not found",
                    "account '" + to.id() + "' is not a known target",
                    "account_id");
        } catch (StaleVersionException e) {
            throw new ApiProblem(409, "Stale version", e.detail(), "version");
        }
        ctx.status(outcome instanceof PushOutcome.Accepted ? 202 : 200);
        ctx.contentType("application/json").result(Json.bytes(PushReply.of(outcome)));
    }

    /**
     * Where a push goes. When {@code checkedInStore}, the target is a zone whose account the store
     * checks against the token on the row it locks and reads anyway.
     */
    private record Destination(TargetKind kind, String id, boolean checkedInStore) {}

    /**
     * A write token of accounts pushing to a zone is not scoped here: the store checks the zone's
     * account, so an accepted push reads no row of its own first (one round trip fewer). Any other
     * token is scoped as every route is (403 or 404 before anything else).
     */
    private Destination destination(Context ctx, TokenGrant g) {
        @Nullable String pathZone = ctx.pathParamMap().get("zone_id");
        if (pathZone != null && g.scope() == TokenScope.ACCOUNTS && g.write()) {
            return new Destination(TargetKind.ZONE, pathZone, true);
        }
        Scope scope = auth.scope(ctx, g, true);
        @Nullable String zoneId = scope.zoneId();
        return zoneId != null
                ? new Destination(TargetKind.ZONE, zoneId, false)
                : new Destination(TargetKind.ACCOUNT, scope.accountId(), false);
    }

    /**
     * For a push refused before the store: another tenant's zone is answered 404 before anything
     * else, as on every route, and without the {@code Retry-After} of a 429 it would have had.
     */
    private void scopeFirst(Context ctx, TokenGrant g) {
        try {
            auth.scope(ctx, g, true);
        } catch (ApiProblem notVisible) {
            ctx.res().setHeader("Retry-After", null);
            throw notVisible;
        }
    }

    /** What a push asks, read and checked before anything is stored. */
    private record Request(
            PushedJson.Streamed doc,
            @Nullable Long version,
            @Nullable List<String> sections,
            ConfigChangeSink sink) {}

    /** The push's parameters, admission (429) and body; 400, 429 or 503 when refused. */
    private Request request(Context ctx) {
        ConfigRequests.onlyPushParameters(ctx);
        @Nullable Long requested = ConfigRequests.version(ctx);
        @Nullable List<String> given = ConfigRequests.sections(ctx);
        ConfigRequests.admit(ctx, admission);
        PushedJson.Streamed doc = PushedJson.document(ConfigRequests.body(ctx));
        return new Request(doc, requested, given, sinkOrRefuse(sink));
    }

    public void fetch(Context ctx) {
        auth.service(ctx);
        String target = ctx.pathParam("target_id");
        @Nullable Long version = ConfigRequests.version(ctx);
        Snapshot snapshot =
                snapshots
                        .find(target, version)
                        .orElseThrow(
                                () ->
                                        new ApiProblem(
                                                404,
                                                "Not found",
                                                "no pushed configuration for target '"
                                                        + target
                                                        + "'"
                                                        + (version == null
                                                                ? ""
                                                                : " at version "
                                                                        + version
                                                                        + " (never stored, or"
                                                                        + " pruned after "
                                                                        + ConfigSnapshots
                                                                                .KEEP_VERSIONS
                                                                        + " newer ones)"),
                                                "target_id"));
        ctx.header("Vigil-Config-Version", Long.toString(snapshot.version()));
        ctx.contentType("application/json")
                .result(snapshot.document().getBytes(StandardCharsets.UTF_8));
    }
}
