package dev.vigil.api.internal;

import dev.vigil.api.WriteObservation;
import dev.vigil.results.ResultReader;
import dev.vigil.results.ResultWriter;
import dev.vigil.results.ResultsJson;
import dev.vigil.results.WriteOutcome;
import dev.vigil.results.WritePath;
import dev.vigil.telemetry.Traced;
import dev.vigil.telemetry.Tracing;
import io.javalin.http.Context;
import io.opentelemetry.api.trace.SpanKind;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PUT /internal/v1/scans/{scan_id}}: streams the body into the writer, one finding at a
 * time, so the request never holds the whole result. Each request is a server span continuing the
 * trace of its {@code traceparent} header (the worker's results call), with the trace ids in the
 * logging MDC while it runs.
 */
public final class ResultsHandler {
    private static final Logger log = LoggerFactory.getLogger(ResultsHandler.class);

    /** After a refusal, read at most this much more of the body so the client sees the answer. */
    private static final long DRAIN_LIMIT = 256L * 1024 * 1024;

    /**
     * The largest results body accepted (413 past it): 500,000 findings of realistic size fit
     * several times over; the findings cap usually refuses an oversized result first.
     */
    public static final long MAX_BODY_BYTES = 1024L * 1024 * 1024;

    /**
     * How far ahead of this API's clock a result's {@code scanned_at} may be. The scan time is the
     * target's watermark: a result from the future would make every real scan until then look
     * stale, so one bad clock (or one forged result, {@code +12000-01-01T00:00:00Z}) froze a target
     * for good. Hosts kept by NTP differ by milliseconds; five minutes leaves room for a drifting
     * worker, and bounds what a wrong clock can freeze to five minutes.
     */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    private final Auth auth;
    private final ResultWriter writer;
    private final Tracing tracing;
    private final Clock clock;

    public ResultsHandler(Auth auth, ResultWriter writer) {
        this(auth, writer, Tracing.noop(), Clock.systemUTC());
    }

    /**
     * @param clock the API's clock, against which scan times are checked
     */
    public ResultsHandler(Auth auth, ResultWriter writer, Tracing tracing, Clock clock) {
        this.auth = auth;
        this.writer = writer;
        this.tracing = tracing;
        this.clock = clock;
    }

    public void put(Context ctx) {
        try (Traced t =
                tracing.open(
                        "PUT /internal/v1/scans/{scan_id}",
                        SpanKind.SERVER,
                        tracing.extract(ctx::header))) {
            t.span().setAttribute("http.request.method", "PUT");
            t.span().setAttribute("http.route", "/internal/v1/scans/{scan_id}");
            try {
                ingest(ctx);
                t.span().setAttribute("http.response.status_code", ctx.statusCode());
            } catch (RuntimeException e) {
                throw t.fail(e);
            }
        }
    }

    private void ingest(Context ctx) {
        auth.service(ctx);
        String rawId = ctx.pathParam("scan_id");
        UUID scanId;
        try {
            scanId = UUID.fromString(rawId);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(
                    "scan_id", "path parameter scan_id must be a UUID, got '" + rawId + "'");
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            throw tooLarge(declared);
        }
        InputStream body = ctx.bodyInputStream();
        try (ResultReader reader = ResultsJson.open(capped(body))) {
            if (!reader.header().scanId().equals(scanId)) {
                throw ApiProblem.badRequest(
                        "scan_id",
                        "field 'scan_id' is "
                                + reader.header().scanId()
                                + " but the path names scan "
                                + scanId);
            }
            refuseFuture(reader.header().scannedAt());
            WriteOutcome out = writer.apply(reader.header(), reader);
            if (!out.applied()) {
                // The writer decides a replay from the header alone and reads no finding; a
                // result with invalid findings is still a bad request, whatever its age (it
                // answered 200 "ignored"). Read the rest, which validates each finding, streamed.
                // (A superseded result was read to its end before its scan was recorded.)
                while (reader.hasNext()) {
                    reader.next();
                }
            }
            WriteObservation.attach(ctx, out);
            log.debug(
                    "scan {} of target {}: {} via {}, {} findings",
                    scanId,
                    reader.header().targetId(),
                    out.status(),
                    out.path(),
                    out.findings());
            Applied json = Applied.of(scanId.toString(), out);
            ctx.contentType("application/json").result(Json.bytes(json));
        } finally {
            drain(body);
        }
    }

    /**
     * The reply to a result: what the writer did with it.
     *
     * @param status {@code applied}, or why it was ignored
     * @param path how the findings were written ({@code unnest}, {@code copy}, or none)
     */
    public record Applied(
            String scanId,
            String status,
            boolean applied,
            WritePath path,
            int findings,
            int opened,
            int reopened,
            int resolved,
            long elapsedMs) {

        public static Applied of(String scanId, WriteOutcome out) {
            return new Applied(
                    scanId,
                    out.status(),
                    out.applied(),
                    out.path(),
                    out.findings(),
                    out.opened(),
                    out.reopened(),
                    out.resolved(),
                    out.elapsed().toMillis());
        }
    }

    /** 400 naming {@code scanned_at} when it is more than {@link #MAX_CLOCK_SKEW} ahead. */
    private void refuseFuture(Instant scannedAt) {
        ApiProblem p = fromTheFuture(scannedAt, clock.instant());
        if (p != null) {
            throw p;
        }
    }

    /**
     * The 400 naming {@code scanned_at} when it is more than {@link #MAX_CLOCK_SKEW} ahead of
     * {@code now}, else null.
     */
    static @Nullable ApiProblem fromTheFuture(Instant scannedAt, Instant now) {
        if (!scannedAt.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            return null;
        }
        return ApiProblem.badRequest(
                "scanned_at",
                "field 'scanned_at' is "
                        + (scannedAt.isAfter(Rfc3339.LAST) ? scannedAt : Rfc3339.format(scannedAt))
                        + ", more than "
                        + MAX_CLOCK_SKEW.toMinutes()
                        + " minutes ahead of this API's clock ("
                        + Rfc3339.format(now)
                        + "); a scan cannot come from the future: check the worker's clock");
    }

    private static ApiProblem tooLarge(long size) {
        return new ApiProblem(
                413,
                "Body too large",
                "the result body has "
                        + size
                        + "+ bytes; the most accepted is "
                        + MAX_BODY_BYTES
                        + " (cap max_result_bytes): split the scan's findings",
                "body");
    }

    /**
     * {@code in}, failing with 413 once more than {@link #MAX_BODY_BYTES} have been read (thrown
     * from the read, so the writer's transaction, reading the findings, rolls back).
     */
    private static InputStream capped(InputStream in) {
        return new java.io.FilterInputStream(in) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                count(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                count(Math.max(n, 0));
                return n;
            }

            private void count(int n) {
                read += n;
                if (read > MAX_BODY_BYTES) {
                    throw tooLarge(read);
                }
            }
        };
    }

    /**
     * Reads what is left of the body (an ignored or refused result), so that the client, still
     * sending, gets the answer instead of a reset connection it would take for a retriable failure.
     */
    private static void drain(InputStream body) {
        try {
            byte[] buf = new byte[64 * 1024];
            long left = DRAIN_LIMIT;
            int n;
            while (left > 0 && (n = body.read(buf)) >= 0) {
                left -= n;
            }
        } catch (IOException e) {
            // The client went away; nothing left to answer.
        }
    }
}
