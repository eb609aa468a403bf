package dev.vigil.api.internal;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The body of a batch push: NDJSON ({@code application/x-ndjson}), one JSON object per line, read
 * whole within {@link #MAX_BYTES} and {@link #MAX_LINES} before any line is stored, so a batch over
 * either bound is refused (413) with nothing stored rather than half stored. Not copied: the lines
 * point into the body's bytes, which nobody modifies.
 */
final class BatchBody {

    /**
     * The largest batch body (413 past it): twice the largest single document, so any document that
     * may be pushed alone fits a batch; at 2–5 KiB a zone that is several thousand pushes.
     */
    static final int MAX_BYTES = 2 * ConfigRequests.MAX_DOCUMENT_BYTES;

    /** The most lines in a batch (413 past it): a minute of 500,000 changes is 50 such calls. */
    static final int MAX_LINES = 10_000;

    static final String CONTENT_TYPE = "application/x-ndjson";

    /** What is left of a refused body is read up to this much, so the client reads the 413. */
    private static final long DRAIN_LIMIT = 256L * 1024 * 1024;

    private final byte[] bytes;
    private final List<Line> lines;

    private BatchBody(byte[] bytes, List<Line> lines) {
        this.bytes = bytes;
        this.lines = List.copyOf(lines);
    }

    /** The body; the caller must not modify it. */
    byte[] bytes() {
        return bytes;
    }

    /** The non-blank lines, in order. */
    List<Line> lines() {
        return lines;
    }

    /**
     * One line of the body.
     *
     * @param number the line's number in the body, from 1 (blank lines counted, so it matches an
     *     editor's)
     * @param offset where the line starts in the body
     * @param length its length, without the line break
     */
    record Line(int number, int offset, int length) {}

    /** Reads the request's body; 415 for another content type, 413 past a bound. */
    static BatchBody read(Context ctx) {
        String type = ctx.contentType();
        String bare = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!bare.equals(CONTENT_TYPE)) {
            throw new ApiProblem(
                    415,
                    "Unsupported media type",
                    "a batch push is NDJSON: send 'Content-Type: "
                            + CONTENT_TYPE
                            + "' with one JSON object per line (got "
                            + (type == null ? "none" : "'" + type + "'")
                            + ")",
                    "Content-Type");
        }
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.bodyInputStream()) {
            if (declared > MAX_BYTES) {
                drain(in);
                throw tooLarge(declared + " bytes");
            }
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                drain(in);
                throw tooLarge("more than " + MAX_BYTES + " bytes");
            }
            return new BatchBody(bytes, lines(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("reading a batch push", e);
        }
    }

    private static List<Line> lines(byte[] bytes) {
        List<Line> out = new ArrayList<>();
        int number = 0;
        int start = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            number++;
            int stop = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
            if (!blank(bytes, start, stop)) {
                if (out.size() == MAX_LINES) {
                    throw tooLarge("more than " + MAX_LINES + " lines");
                }
                out.add(new Line(number, start, stop - start));
            }
            start = end + 1;
        }
        if (out.isEmpty()) {
            throw ApiProblem.badRequest(
                    "body", "the batch has no line: send one JSON object per line");
        }
        return out;
    }

    private static boolean blank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private static ApiProblem tooLarge(String size) {
        return new ApiProblem(
                413,
                "Batch too large",
                "the batch has "
                        + size
                        + "; the most accepted is "
                        + MAX_LINES
                        + " lines and "
                        + MAX_BYTES
                        + " bytes: split it into several calls",
                "body");
    }

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
