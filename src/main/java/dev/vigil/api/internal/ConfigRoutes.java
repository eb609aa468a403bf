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
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

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
        Scope scope = auth.write(ctx);
        ConfigRequests.onlyPushParameters(ctx);
        @Nullable Long requested = ConfigRequests.version(ctx);
        @Nullable List<String> given = ConfigRequests.sections(ctx);
        ConfigRequests.admit(ctx, admission);
        JsonNode doc = PushedJson.object(ConfigRequests.body(ctx));
        ConfigChangeSink out = sinkOrRefuse(sink);
        String zoneId = scope.zoneId();
        String id = zoneId != null ? zoneId : scope.accountId();
        // Store what we parsed, compactly: the same bytes the workers will read back.
        String text = Json.MAPPER.writeValueAsString(doc);
        SnapshotPush push =
                new SnapshotPush(
                        zoneId != null ? TargetKind.ZONE : TargetKind.ACCOUNT,
                        id,
                        doc,
                        text,
                        requested,
                        given);
        PushOutcome outcome;
        try {
            outcome =
                    snapshots.push(
                            push,
                            (change, document) ->
                                    out.publish(change, document.getBytes(StandardCharsets.UTF_8)));
        } catch (UnknownTargetException e) {
            throw new ApiProblem(
                    404, "Not found", "account '" + id + "' is not a known target", "account_id");
        } catch (StaleVersionException e) {
            throw new ApiProblem(409, "Stale version", e.detail(), "version");
        }
        ctx.status(outcome instanceof PushOutcome.Accepted ? 202 : 200);
        ctx.contentType("application/json").result(Json.bytes(PushReply.of(outcome)));
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
