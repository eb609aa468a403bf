package dev.vigil.api.internal;

import dev.vigil.api.WriteObservation;
import dev.vigil.results.BatchItem;
import dev.vigil.results.MalformedResultException;
import dev.vigil.results.ResultWriter;
import dev.vigil.results.ResultsJson;
import dev.vigil.results.ScanResult;
import dev.vigil.results.TooManyFindingsException;
import dev.vigil.results.UnknownTargetException;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /internal/v1/scan-batches} (service token): many small results in one call, one JSON
 * result per line (NDJSON, each as {@code PUT /internal/v1/scans/{scan_id}} takes it), applied in
 * one transaction ({@link ResultWriter#applyAll}) and answered one item per line, in order: what
 * was done with it, or the problem that refused it alone. A line that cannot be read, a result from
 * the future, an unknown target or a wrong account refuses only its own line; a database failure
 * answers 503 for the whole call, with nothing written, and the worker retries it.
 */
public final class ResultsBatchHandler {
    private static final Logger log = LoggerFactory.getLogger(ResultsBatchHandler.class);

    /** Results per call at most (413 past it). */
    public static final int MAX_RESULTS = 2_000;

    /** Bytes per call at most (413 past it); the client batches small results only. */
    public static final long MAX_BODY_BYTES = 64L * 1024 * 1024;

    private final Auth auth;
    private final ResultWriter writer;
    private final Clock clock;

    public ResultsBatchHandler(Auth auth, ResultWriter writer, Clock clock) {
        this.auth = auth;
        this.writer = writer;
        this.clock = clock;
    }

    /** One line of the reply: {@code result} when the line was applied or ignored, else why not. */
    record Item(
            int line,
            @Nullable String scanId,
            ResultsHandler.@Nullable Applied result,
            @Nullable ProblemBody problem) {}

    /** The reply: one item per input line, in order. */
    record Reply(List<Item> items) {}

    /** Applies the batch; the route runs it under its server span ({@link ServerSpans}). */
    public void post(Context ctx) {
        auth.service(ctx);
        List<byte[]> lines = lines(ctx);
        @Nullable Item[] items = new Item[lines.size()];
        List<ScanResult> readable = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            ScanResult r;
            try {
                r = ResultsJson.read(new ByteArrayInputStream(lines.get(i)));
            } catch (MalformedResultException e) {
                items[i] = refused(i, null, Problems.malformed(e));
                continue;
            }
            ApiProblem future = ResultsHandler.fromTheFuture(r.scannedAt(), clock.instant());
            if (future != null) {
                items[i] = refused(i, r, future);
                continue;
            }
            readable.add(r);
            at.add(i);
        }
        List<BatchItem> done = writer.applyAll(readable);
        for (int k = 0; k < done.size(); k++) {
            int i = at.get(k);
            ScanResult r = readable.get(k);
            items[i] =
                    switch (done.get(k)) {
                        case BatchItem.Written(var out) -> {
                            WriteObservation.attach(ctx, out);
                            log.debug(
                                    "scan {} of target {}: {} via {}, {} findings (batch of {})",
                                    r.scanId(),
                                    r.targetId(),
                                    out.status(),
                                    out.path(),
                                    out.findings(),
                                    lines.size());
                            yield new Item(
                                    i + 1,
                                    r.scanId().toString(),
                                    ResultsHandler.Applied.of(r.scanId().toString(), out),
                                    null);
                        }
                        case BatchItem.Refused(RuntimeException e) -> refused(i, r, problem(e));
                    };
        }
        List<Item> reply = new ArrayList<>(items.length);
        for (Item it : items) {
            reply.add(java.util.Objects.requireNonNull(it));
        }
        ctx.contentType("application/json").result(Json.bytes(new Reply(reply)));
    }

    private static Item refused(int i, @Nullable ScanResult r, ApiProblem p) {
        return new Item(i + 1, r == null ? null : r.scanId().toString(), null, ProblemBody.of(p));
    }

    private static ApiProblem problem(RuntimeException e) {
        return switch (e) {
            case MalformedResultException m -> Problems.malformed(m);
            case UnknownTargetException u ->
                    new ApiProblem(
                            404, "Unknown target", String.valueOf(u.getMessage()), "target_id");
            case TooManyFindingsException t ->
                    new ApiProblem(
                            413, "Too many findings", String.valueOf(t.getMessage()), "findings");
            default -> throw e;
        };
    }

    /** The body's non-blank lines; 413 past the caps, 400 when it is empty. */
    private static List<byte[]> lines(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            throw tooLarge(
                    "the body has " + declared + " bytes; the most accepted is " + MAX_BODY_BYTES);
        }
        byte[] body;
        try (InputStream in = ctx.bodyInputStream()) {
            body = in.readNBytes((int) MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw new ApiProblem(400, "Bad request", "reading the body failed: " + e, "body");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw tooLarge("the body has more than " + MAX_BODY_BYTES + " bytes");
        }
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                if (!blank(body, start, i)) {
                    if (lines.size() == MAX_RESULTS) {
                        throw tooLarge("more than " + MAX_RESULTS + " results in one call");
                    }
                    lines.add(java.util.Arrays.copyOfRange(body, start, i));
                }
                start = i + 1;
            }
        }
        if (lines.isEmpty()) {
            throw ApiProblem.badRequest(
                    "body", "the body holds no result: send one JSON result per line (NDJSON)");
        }
        return lines;
    }

    private static boolean blank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\r' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private static ApiProblem tooLarge(String why) {
        return new ApiProblem(
                413,
                "Body too large",
                why
                        + ": split the batch (results with many findings go to PUT /internal/v1/scans/"
                        + "{scan_id} one at a time)",
                "body");
    }
}
