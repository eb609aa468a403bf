package dev.vigil.api.internal;

import dev.vigil.api.ConfigChangeSink;
import dev.vigil.api.PushAdmission;
import dev.vigil.inventory.Target;
import dev.vigil.snapshots.Announcer;
import dev.vigil.snapshots.BatchOutcome;
import dev.vigil.snapshots.ConfigSnapshots;
import dev.vigil.snapshots.SnapshotPush;
import dev.vigil.tokens.TokenGrant;
import dev.vigil.tokens.TokenScope;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/config:batch}: many pushed documents in one call, one NDJSON line each (see
 * {@link BatchLine}), for the systems that push thousands of changes a minute. Each line is
 * answered on its own, in order, by one NDJSON line of the reply ({@link BatchReply}): a bad line,
 * an unknown or foreign target or a stale version is refused on its line and never sinks the
 * others. The call itself answers 200 once every line has its answer; it is refused whole only
 * before any line is stored (401/403 for the token, 413 past {@link BatchBody}'s bounds, 415, 429
 * while the change backlog is over its bound, 503 without Kafka).
 *
 * <p>Scope: a write token of accounts may push to those accounts and their zones; a line naming any
 * other target is answered 404 on its line, whether the target exists or not (another tenant's ids
 * are not revealed). The lines are stored {@link #CHUNK} at a time with {@link
 * ConfigSnapshots#pushAll}: a handful of statements and about one Kafka acknowledgement a chunk. A
 * database failure refuses the lines of its chunk (503 on each: retry them; any of them already
 * stored is then answered unchanged) and the next chunk is tried.
 */
public final class BatchPushRoute {

    private static final Logger log = LoggerFactory.getLogger(BatchPushRoute.class);

    /**
     * Lines read and stored per {@link ConfigSnapshots#pushAll} call (fewer are stored when some
     * are refused on their line). Each holds one advisory lock per target until its chunk is
     * announced, and PostgreSQL's shared lock table holds about 6,400 by default (64 per connection
     * × 100 connections): 200 keeps even a dozen concurrent batches well inside it, while already
     * dividing the statements per push by 200.
     */
    static final int CHUNK = 200;

    private final Auth auth;
    private final ConfigSnapshots snapshots;
    private final @Nullable ConfigChangeSink sink;
    private final PushAdmission admission;

    /** Without a sink, batches answer 503 (nothing to announce them on). */
    public BatchPushRoute(
            Auth auth,
            ConfigSnapshots snapshots,
            @Nullable ConfigChangeSink sink,
            PushAdmission admission) {
        this.auth = auth;
        this.snapshots = snapshots;
        this.sink = sink;
        this.admission = admission;
    }

    public void push(Context ctx) {
        TokenGrant g = auth.grant(ctx);
        if (g.scope() != TokenScope.ACCOUNTS || !g.write()) {
            throw ApiProblem.forbidden(
                    "token '"
                            + g.name()
                            + "' is not a write token of accounts; a batch push needs one, and"
                            + " may push to its accounts and their zones");
        }
        if (!ctx.queryParamMap().isEmpty()) {
            String name = ctx.queryParamMap().keySet().iterator().next();
            throw ApiProblem.badRequest(
                    name,
                    "unknown query parameter '"
                            + name
                            + "': a batch push takes none (version and changed_sections go on"
                            + " each line)");
        }
        ConfigChangeSink out = ConfigRoutes.sinkOrRefuse(sink);
        ConfigRequests.admit(ctx, admission);
        BatchBody body = BatchBody.read(ctx);
        List<BatchBody.Line> lines = body.lines();
        BatchReply[] replies = new BatchReply[lines.size()];
        Announcer announcer =
                (change, document) ->
                        out.publish(change, document.getBytes(StandardCharsets.UTF_8));
        for (int from = 0; from < lines.size(); from += CHUNK) {
            pushChunk(body, from, Math.min(lines.size(), from + CHUNK), g, replies, announcer);
        }
        ByteArrayOutputStream reply = new ByteArrayOutputStream(replies.length * 160);
        for (BatchReply r : replies) {
            reply.writeBytes(Json.bytes(r));
            reply.write('\n');
        }
        ctx.status(200).contentType(BatchBody.CONTENT_TYPE).result(reply.toByteArray());
    }

    /**
     * Reads, checks and stores lines {@code [from, to)} of {@code body}, answering each in {@code
     * replies}. A chunk is read only when it is stored: read all first, the trees of a whole call's
     * documents (up to {@link BatchBody#MAX_LINES}) lived until the call ended and were out of the
     * cache by the time their fingerprints were taken, where a chunk's are still warm.
     */
    private void pushChunk(
            BatchBody body,
            int from,
            int to,
            TokenGrant g,
            BatchReply[] replies,
            Announcer announcer) {
        List<BatchBody.Line> lines = body.lines();
        List<@Nullable BatchLine> read = new ArrayList<>(to - from);
        Set<String> ids = new HashSet<>();
        for (int i = from; i < to; i++) {
            try {
                BatchLine l = BatchLine.read(body, lines.get(i));
                read.add(l);
                ids.add(l.targetId());
            } catch (ApiProblem p) {
                read.add(null);
                replies[i] = BatchReply.Refused.of(lines.get(i).number(), null, p);
            }
        }
        Map<String, Target> targets = snapshots.targets(ids);
        List<Integer> chunk = new ArrayList<>(to - from);
        List<SnapshotPush> pushes = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            BatchLine l = read.get(i - from);
            if (l == null) {
                continue;
            }
            Target t = targets.get(l.targetId());
            if (t == null || !g.mayWrite(t.accountId())) {
                replies[i] = invisible(l, g);
                continue;
            }
            chunk.add(i);
            pushes.add(
                    new SnapshotPush(
                            t.kind(),
                            t.targetId(),
                            l.text(),
                            l.digests(),
                            l.version(),
                            l.changedSections()));
        }
        store(chunk, pushes, read, from, replies, announcer);
    }

    /** The answer to a line whose target does not exist or is not the token's. */
    private static BatchReply invisible(BatchLine l, TokenGrant g) {
        return BatchReply.Refused.of(
                l.number(),
                l.targetId(),
                new ApiProblem(
                        404,
                        "Not found",
                        "line "
                                + l.number()
                                + ": no target '"
                                + l.targetId()
                                + "' visible to token '"
                                + g.name()
                                + "'",
                        "target_id"));
    }

    /**
     * Stores the lines at {@code chunk} (indexes of the body, {@code read} from {@code from}) and
     * answers them.
     */
    private void store(
            List<Integer> chunk,
            List<SnapshotPush> pushes,
            List<@Nullable BatchLine> read,
            int from,
            BatchReply[] replies,
            Announcer announcer) {
        if (chunk.isEmpty()) {
            return;
        }
        try {
            List<BatchOutcome> outcomes = snapshots.pushAll(pushes, announcer);
            for (int k = 0; k < chunk.size(); k++) {
                int i = chunk.get(k);
                replies[i] = answer(line(read, i - from), outcomes.get(k));
            }
        } catch (RuntimeException e) {
            log.warn("a chunk of {} lines of a batch push failed: {}", chunk.size(), e.toString());
            for (int i : chunk) {
                BatchLine l = line(read, i - from);
                replies[i] =
                        BatchReply.Refused.of(
                                l.number(),
                                l.targetId(),
                                new ApiProblem(
                                        503,
                                        "Not stored",
                                        "line "
                                                + l.number()
                                                + " was not stored: the database failed ("
                                                + e.getMessage()
                                                + "); retry the line",
                                        null));
            }
        }
    }

    private static BatchLine line(List<@Nullable BatchLine> read, int i) {
        BatchLine l = read.get(i);
        if (l == null) {
            throw new IllegalStateException("line " + i + " was refused, yet stored");
        }
        return l;
    }

    private static BatchReply answer(BatchLine l, BatchOutcome outcome) {
        return switch (outcome) {
            case BatchOutcome.Pushed p -> BatchReply.Done.of(l.number(), p.outcome());
            case BatchOutcome.Unknown u ->
                    BatchReply.Refused.of(
                            l.number(),
                            l.targetId(),
                            new ApiProblem(
                                    404,
                                    "Not found",
                                    "line " + l.number() + ": " + u.failure().getMessage(),
                                    "target_id"));
            case BatchOutcome.Stale s ->
                    BatchReply.Refused.of(
                            l.number(),
                            l.targetId(),
                            new ApiProblem(
                                    409,
                                    "Stale version",
                                    "line " + l.number() + ": " + s.failure().detail(),
                                    "version"));
            case BatchOutcome.Unannounced u ->
                    BatchReply.Refused.of(
                            l.number(),
                            l.targetId(),
                            new ApiProblem(
                                    503,
                                    "Not announced",
                                    "line "
                                            + l.number()
                                            + " was stored but could not be announced ("
                                            + u.failure().getMessage()
                                            + "), so it was removed again; retry the line",
                                    null));
        };
    }
}
