package dev.vigil.sources.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * A blocking HTTP/1.1 client for {@code GET}s, made for callers on virtual threads: the exchange
 * runs on the caller's own thread (a write, then reads that park the virtual thread until bytes
 * arrive), with no hand-off to another thread at any stage. The JDK's {@code HttpClient} completes
 * even a blocking {@code send} through its selector thread, its executor and a chain of
 * asynchronous stages; on a worker's fetch path that machinery was the largest cost
 * (docs/perf/2026-12-06-broker-requests.md).
 *
 * <p>Connections are kept alive and reused per host (scheme, host and port), the most recently used
 * first; one idle longer than {@link #IDLE} is closed instead. A request sent on a reused
 * connection that the server closed meanwhile (the connection ends before any byte of a response)
 * is sent once more on a new connection: a {@code GET} is safe to repeat. {@code https} is TLS with
 * the JDK's default trust and host-name verification, offering only {@code http/1.1}.
 *
 * <p>The caller bounds the number of exchanges in flight (and so of connections); this client
 * bounds each exchange by its deadline, which covers connect, TLS handshake, headers and body.
 */
public final class Http1Client implements AutoCloseable {

    /**
     * How long a connection may sit idle and still be reused: below the idle limits of common
     * servers (30 s for Jetty's default and the JDK's server), so a server rarely closes one just
     * as it is taken.
     */
    public static final Duration IDLE = Duration.ofSeconds(20);

    private final Map<String, Deque<Http1Connection>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** A client for {@code http} and {@code https} URLs. */
    public Http1Client() {}

    /**
     * The answer to a {@code GET}: the status and (all or the start of) the body, handed over as
     * read, not copied.
     */
    @SuppressWarnings("ArrayRecordComponent")
    public record Response(int status, byte[] body) {}

    /**
     * {@code GET url} with {@code headers} (besides {@code Host}), answered by {@code deadline}.
     *
     * @param deadline {@link System#nanoTime()} by which the whole response must be in
     * @param cap the most bytes a 200 body may have; a longer one fails with {@link
     *     BoundedBody.TooLarge} as soon as its length is known or its bytes pass the cap
     * @param quote the most bytes kept of any other status's body
     * @throws HttpTimeoutException when the deadline passes first
     * @throws IOException when a connection cannot be made or fails, or the answer is not HTTP/1.x
     * @throws IllegalArgumentException when a header name or value holds a line break
     */
    public Response get(URI url, Map<String, String> headers, long deadline, int cap, int quote)
            throws IOException {
        if (closed) {
            throw new IOException("HTTP client closed");
        }
        String host = url.getHost();
        boolean secure = "https".equals(url.getScheme());
        int port = url.getPort() >= 0 ? url.getPort() : secure ? 443 : 80;
        String key = url.getScheme() + "://" + host + ":" + port;
        byte[] request = request(url, host, port, secure, headers);
        Http1Connection connection = idleConnection(key);
        boolean reused = connection != null;
        if (connection == null) {
            connection = open(host, port, secure, deadline);
        }
        while (true) {
            try {
                Response response = connection.exchange(request, deadline, cap, quote);
                release(key, connection);
                return response;
            } catch (IOException | RuntimeException e) {
                connection.close();
                boolean stale =
                        reused
                                && !connection.receivedAny()
                                && !(e instanceof HttpTimeoutException)
                                && e instanceof IOException;
                if (!stale) {
                    throw e;
                }
                // The server closed the kept connection before this request reached it.
                reused = false;
                connection = open(host, port, secure, deadline);
            }
        }
    }

    private @Nullable Http1Connection idleConnection(String key) {
        Deque<Http1Connection> connections = idle.get(key);
        if (connections == null) {
            return null;
        }
        long now = System.nanoTime();
        for (Http1Connection c = connections.pollFirst(); c != null; c = connections.pollFirst()) {
            if (now - c.idleSince() < IDLE.toNanos()) {
                return c;
            }
            c.close();
        }
        return null;
    }

    private void release(String key, Http1Connection connection) {
        if (!connection.reusable() || closed) {
            connection.close();
            return;
        }
        long now = System.nanoTime();
        connection.idleFrom(now);
        Deque<Http1Connection> connections =
                idle.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
        connections.offerFirst(connection);
        // The least recently used sits last: close it once it has idled too long, so a host's
        // surplus of connections after a burst does not stay open (half-closed by the server).
        Http1Connection oldest = connections.peekLast();
        if (oldest != null
                && now - oldest.idleSince() >= IDLE.toNanos()
                && connections.removeLastOccurrence(oldest)) {
            oldest.close();
        }
        if (closed) {
            closeAll();
        }
    }

    private Http1Connection open(String host, int port, boolean secure, long deadline)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), millisLeft(deadline));
            if (secure) {
                SSLSocketFactory factory = (SSLSocketFactory) SSLSocketFactory.getDefault();
                SSLSocket tlsSocket = (SSLSocket) factory.createSocket(socket, host, port, true);
                SSLParameters parameters = tlsSocket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                parameters.setApplicationProtocols(new String[] {"http/1.1"});
                tlsSocket.setSSLParameters(parameters);
                tlsSocket.setSoTimeout(millisLeft(deadline));
                tlsSocket.startHandshake();
                socket = tlsSocket;
            }
            return new Http1Connection(socket);
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new HttpTimeoutException("deadline passed connecting to " + host + ":" + port);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    private static int millisLeft(long deadline) throws HttpTimeoutException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new HttpTimeoutException("deadline passed");
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000));
    }

    private static byte[] request(
            URI url, String host, int port, boolean secure, Map<String, String> headers) {
        StringBuilder head = new StringBuilder(256);
        String path =
                url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        head.append("GET ").append(path);
        if (url.getRawQuery() != null) {
            head.append('?').append(url.getRawQuery());
        }
        head.append(" HTTP/1.1\r\nHost: ").append(host); // an IPv6 literal keeps its brackets
        if (port != (secure ? 443 : 80)) {
            head.append(':').append(port);
        }
        head.append("\r\n");
        headers.forEach(
                (name, value) -> {
                    if (hasLineBreak(name) || hasLineBreak(value)) {
                        throw new IllegalArgumentException(
                                "HTTP header " + name + " holds a line break");
                    }
                    head.append(name).append(": ").append(value).append("\r\n");
                });
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean hasLineBreak(String s) {
        return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do with a socket that will not close cleanly
        }
    }

    /** Closes the idle connections; those in use close when their exchange ends. */
    @Override
    public void close() {
        closed = true;
        closeAll();
    }

    private void closeAll() {
        for (Deque<Http1Connection> connections : idle.values()) {
            for (Http1Connection c = connections.pollFirst();
                    c != null;
                    c = connections.pollFirst()) {
                c.close();
            }
        }
    }
}
