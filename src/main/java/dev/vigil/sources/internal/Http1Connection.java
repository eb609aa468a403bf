package dev.vigil.sources.internal;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 connection of {@link Http1Client}: writes a request and reads its response on the
 * calling thread, every read bounded by the exchange's deadline. Used by one thread at a time.
 *
 * <p>A response's body is framed by {@code Content-Length}, by chunked transfer coding, or (neither
 * given) by the server closing the connection. The connection can carry the next request only when
 * the body was read to its end and the server did not ask to close ({@link #reusable()}).
 */
final class Http1Connection implements Closeable {

    /** The longest status line or header line read. */
    private static final int MAX_LINE = 8 * 1024;

    /** The most header bytes one response may send. */
    private static final int MAX_HEADERS = 64 * 1024;

    /**
     * An error body longer than its quote is still read to its end up to this, to keep the line.
     */
    private static final int DRAIN_AT_MOST = 64 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;
    private boolean reusable;
    private boolean receivedAny;
    private long idleSince;

    Http1Connection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * Sends {@code request} (a whole request head, no body) and reads the response.
     *
     * @param deadline {@link System#nanoTime()} by which the response must be in
     * @param cap the most bytes a 200 body may have; a longer one fails with {@link
     *     BoundedBody.TooLarge}
     * @param quote the most bytes kept of any other status's body (the rest is dropped)
     * @throws HttpTimeoutException when the deadline passes first
     * @throws IOException when the connection fails or the response is not HTTP/1.x
     */
    Http1Client.Response exchange(byte[] request, long deadline, int cap, int quote)
            throws IOException {
        reusable = false;
        receivedAny = false;
        out.write(request);
        out.flush();
        int status;
        boolean close;
        long length;
        boolean chunked;
        do {
            String statusLine = line(deadline);
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                throw new IOException("not an HTTP/1.x response: " + clip(statusLine));
            }
            status = parseStatus(statusLine);
            close = statusLine.startsWith("HTTP/1.0");
            length = -1;
            chunked = false;
            int headerBytes = 0;
            for (String h = line(deadline); !h.isEmpty(); h = line(deadline)) {
                headerBytes += h.length() + 2;
                if (headerBytes > MAX_HEADERS) {
                    throw new IOException("response headers over " + MAX_HEADERS + " bytes");
                }
                int colon = h.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = parseLength(value, length);
                    case "transfer-encoding" ->
                            chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                    case "connection" -> {
                        String v = value.toLowerCase(Locale.ROOT);
                        close = v.contains("close") || (close && !v.contains("keep-alive"));
                    }
                    default -> {}
                }
            }
        } while (status >= 100 && status < 200); // an interim answer: the real one follows
        boolean fail = status == 200;
        int keep = fail ? cap : quote;
        byte[] body;
        boolean complete;
        if (status == 204 || status == 304) {
            body = new byte[0];
            complete = true;
        } else if (chunked) {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            complete = chunks(kept, deadline, keep, fail);
            body = kept.toByteArray();
        } else if (length >= 0) {
            if (length > keep && fail) {
                throw new BoundedBody.TooLarge(keep, length);
            }
            body = new byte[(int) Math.min(length, keep)];
            fill(body, deadline);
            long rest = length - body.length;
            complete = rest <= DRAIN_AT_MOST && skip(rest, deadline);
        } else {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            untilClosed(kept, deadline, keep, fail);
            body = kept.toByteArray();
            complete = false;
        }
        reusable = complete && !close;
        return new Http1Client.Response(status, body);
    }

    /** Whether the last exchange left the connection ready for another request. */
    boolean reusable() {
        return reusable;
    }

    /** Whether any byte of the last exchange's response arrived. */
    boolean receivedAny() {
        return receivedAny;
    }

    long idleSince() {
        return idleSince;
    }

    void idleFrom(long nanos) {
        idleSince = nanos;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do with a connection that will not close cleanly
        }
    }

    private boolean chunks(ByteArrayOutputStream kept, long deadline, int keep, boolean fail)
            throws IOException {
        long received = 0;
        while (true) {
            String sizeLine = line(deadline);
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + clip(sizeLine), e);
            }
            if (size < 0) {
                throw new IOException("bad chunk size: " + clip(sizeLine));
            }
            if (size == 0) {
                while (!line(deadline).isEmpty()) {
                    // trailers: read and dropped
                }
                return true;
            }
            received += size;
            if (received > keep) {
                if (fail) {
                    throw new BoundedBody.TooLarge(keep, received);
                }
                copy(kept, (int) (keep - kept.size()), deadline);
                return false;
            }
            copy(kept, (int) size, deadline);
            if (!line(deadline).isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
        }
    }

    private void untilClosed(ByteArrayOutputStream kept, long deadline, int keep, boolean fail)
            throws IOException {
        long received = 0;
        while (more(deadline)) {
            int n = limit - position;
            received += n;
            if (received > keep && fail) {
                throw new BoundedBody.TooLarge(keep, received);
            }
            int take = (int) Math.min(n, Math.max(0, keep - kept.size()));
            kept.write(buffer, position, take);
            position = limit;
            if (received > keep) {
                return;
            }
        }
    }

    private void copy(ByteArrayOutputStream kept, int n, long deadline) throws IOException {
        int left = n;
        while (left > 0) {
            if (!more(deadline)) {
                throw new IOException("connection closed mid-body");
            }
            int take = Math.min(left, limit - position);
            kept.write(buffer, position, take);
            position += take;
            left -= take;
        }
    }

    private void fill(byte[] into, long deadline) throws IOException {
        int at = 0;
        while (at < into.length) {
            if (!more(deadline)) {
                throw new IOException(
                        "connection closed after " + at + " of " + into.length + " body bytes");
            }
            int take = Math.min(into.length - at, limit - position);
            System.arraycopy(buffer, position, into, at, take);
            position += take;
            at += take;
        }
    }

    private boolean skip(long n, long deadline) throws IOException {
        long left = n;
        while (left > 0) {
            if (!more(deadline)) {
                return false;
            }
            int take = (int) Math.min(left, limit - position);
            position += take;
            left -= take;
        }
        return true;
    }

    /** A line without its CRLF (a bare LF ends one too). */
    private String line(long deadline) throws IOException {
        int start = position;
        StringBuilder carried = null;
        while (true) {
            for (int i = position; i < limit; i++) {
                if (buffer[i] == '\n') {
                    int end = i > start && buffer[i - 1] == '\r' ? i - 1 : i;
                    String piece =
                            new String(buffer, start, end - start, StandardCharsets.ISO_8859_1);
                    position = i + 1;
                    if (carried == null) {
                        return piece;
                    }
                    carried.append(piece);
                    int len = carried.length();
                    if (len > 0 && carried.charAt(len - 1) == '\r') {
                        carried.setLength(len - 1);
                    }
                    return carried.toString();
                }
            }
            if (carried == null) {
                carried = new StringBuilder();
            }
            carried.append(new String(buffer, start, limit - start, StandardCharsets.ISO_8859_1));
            if (carried.length() > MAX_LINE) {
                throw new IOException("response line over " + MAX_LINE + " bytes");
            }
            position = limit;
            if (!more(deadline)) {
                throw new IOException(
                        receivedAny
                                ? "connection closed mid-response"
                                : "connection closed before a response");
            }
            start = position;
        }
    }

    /** Makes unread bytes available; false at the end of the stream. */
    private boolean more(long deadline) throws IOException {
        if (position < limit) {
            return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new HttpTimeoutException("deadline passed");
        }
        socket.setSoTimeout(
                (int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000)));
        int n;
        try {
            n = in.read(buffer, 0, buffer.length);
        } catch (SocketTimeoutException e) {
            throw new HttpTimeoutException("deadline passed");
        }
        if (n <= 0) {
            return false;
        }
        receivedAny = true;
        position = 0;
        limit = n;
        return true;
    }

    private static int parseStatus(String statusLine) throws IOException {
        try {
            return Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("bad status line: " + clip(statusLine), e);
        }
    }

    private static long parseLength(String value, long before) throws IOException {
        long length;
        try {
            length = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length: " + clip(value), e);
        }
        if (length < 0 || (before >= 0 && before != length)) {
            throw new IOException("bad Content-Length: " + clip(value));
        }
        return length;
    }

    private static String clip(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }

    @Override
    public String toString() {
        return "Http1Connection[" + socket + "]";
    }
}
