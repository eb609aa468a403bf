package dev.vigil.sources.internal;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link Http1Client} against a loopback server that answers with scripted bytes: framing (length,
 * chunks, close), keep-alive and its limits, the deadline, the caps, and what is sent.
 */
class Http1ClientIT {

    /** What a scripted server writes for the n-th request (0-based) on one connection. */
    interface Script {
        /** Writes the answer; false closes the connection afterwards. */
        boolean answer(int nth, String requestHead, OutputStream out) throws Exception;
    }

    /** A loopback server that reads request heads and answers them by its script. */
    static final class ScriptedServer implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();
        final List<String> requests = new CopyOnWriteArrayList<>();
        private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

        ScriptedServer(Script script) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            threads.execute(() -> acceptAll(script));
        }

        private void acceptAll(Script script) {
            try {
                while (!socket.isClosed()) {
                    Socket s = socket.accept();
                    connections.incrementAndGet();
                    threads.execute(() -> serve(s, script));
                }
            } catch (IOException e) {
                // closed at the test's end
            }
        }

        private void serve(Socket s, Script script) {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                for (int nth = 0; ; nth++) {
                    String head = head(in);
                    if (head == null) {
                        return;
                    }
                    requests.add(head);
                    boolean open = script.answer(nth, head, out);
                    out.flush();
                    if (!open) {
                        return;
                    }
                }
            } catch (Exception e) {
                // the client hung up or the test ended: the client's side is what is asserted
            }
        }

        private static String head(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            for (int b = in.read(); b >= 0; b = in.read()) {
                head.write(b);
                matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
                if (matched == 4) {
                    return head.toString(StandardCharsets.ISO_8859_1);
                }
            }
            return null;
        }

        URI url(String path) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
        }

        @Override
        public void close() throws IOException {
            socket.close();
            threads.shutdownNow();
        }
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static boolean ok(OutputStream out, String body) throws IOException {
        write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        return true;
    }

    private static long in(Duration d) {
        return System.nanoTime() + d.toNanos();
    }

    /** The bodies of two GETs of the server's root, one after the other. */
    private static List<String> twoGets(ScriptedServer server, Http1Client client)
            throws IOException {
        List<String> bodies = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            bodies.add(
                    text(
                            client.get(
                                    server.url("/"),
                                    Map.of(),
                                    in(Duration.ofSeconds(10)),
                                    64,
                                    64)));
        }
        return bodies;
    }

    private static String text(Http1Client.Response r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void sendsTheRequestLineHostAndHeadersAndReusesTheConnection() throws Exception {
        try (ScriptedServer server =
                        new ScriptedServer((n, head, out) -> ok(out, "{\"n\":" + n + "}"));
                Http1Client client = new Http1Client()) {
            for (int i = 0; i < 3; i++) {
                Http1Client.Response r =
                        client.get(
                                server.url("/v1/targets/a%2Fb/config?x=1"),
                                Map.of("Accept", "application/json"),
                                in(Duration.ofSeconds(10)),
                                1024,
                                300);
                assertThat(r.status()).isEqualTo(200);
                assertThat(text(r)).isEqualTo("{\"n\":" + i + "}");
            }
            assertThat(server.connections).as("one kept-alive connection").hasValue(1);
            assertThat(server.requests.getFirst())
                    .startsWith("GET /v1/targets/a%2Fb/config?x=1 HTTP/1.1\r\n")
                    .contains("\r\nHost: 127.0.0.1:" + server.socket.getLocalPort() + "\r\n")
                    .contains("\r\nAccept: application/json\r\n");
        }
    }

    @Test
    void aConnectionTheServerClosedWhileIdleIsReplacedAndTheRequestSentOnce() throws Exception {
        // answers one request per connection, then closes without saying so
        try (ScriptedServer server =
                        new ScriptedServer(
                                (n, head, out) -> {
                                    ok(out, "{}");
                                    return false;
                                });
                Http1Client client = new Http1Client()) {
            URI url = server.url("/");
            assertThat(client.get(url, Map.of(), in(Duration.ofSeconds(10)), 64, 64).status())
                    .isEqualTo(200);
            // the kept connection is closed at the server's end: reused, it ends before an answer
            assertThat(client.get(url, Map.of(), in(Duration.ofSeconds(10)), 64, 64).status())
                    .isEqualTo(200);
            assertThat(server.connections).hasValue(2);
            assertThat(server.requests).as("each request reached the server once").hasSize(2);
        }
    }

    @Test
    void connectionCloseIsHonouredAndABodyEndedByTheCloseIsRead() throws Exception {
        try (ScriptedServer server =
                        new ScriptedServer(
                                (n, head, out) -> {
                                    write(
                                            out,
                                            "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"a\":1}");
                                    return false;
                                });
                Http1Client client = new Http1Client()) {
            assertThat(twoGets(server, client)).containsOnly("{\"a\":1}");
            assertThat(server.connections).hasValue(2);
        }
    }

    @Test
    void chunkedBodiesAreJoinedAndTheConnectionKept() throws Exception {
        try (ScriptedServer server =
                        new ScriptedServer(
                                (n, head, out) -> {
                                    write(
                                            out,
                                            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                    + "4;ext=1\r\n{\"a\"\r\n3\r\n:12\r\n1\r\n}\r\n"
                                                    + "0\r\nTrailer: x\r\n\r\n");
                                    return true;
                                });
                Http1Client client = new Http1Client()) {
            assertThat(twoGets(server, client)).containsOnly("{\"a\":12}");
            assertThat(server.connections).hasValue(1);
        }
    }

    @Test
    void aBodyOverTheCapFailsWhetherItsLengthIsDeclaredOrChunked() throws Exception {
        String big = "x".repeat(100);
        try (ScriptedServer declared = new ScriptedServer((n, head, out) -> ok(out, big));
                ScriptedServer chunked =
                        new ScriptedServer(
                                (n, head, out) -> {
                                    write(
                                            out,
                                            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
                                    for (int i = 0; i < 10; i++) {
                                        write(out, "a\r\n" + "y".repeat(10) + "\r\n");
                                    }
                                    write(out, "0\r\n\r\n");
                                    return true;
                                });
                Http1Client client = new Http1Client()) {
            assertThatThrownBy(
                            () ->
                                    client.get(
                                            declared.url("/"),
                                            Map.of(),
                                            in(Duration.ofSeconds(10)),
                                            50,
                                            64))
                    .isInstanceOf(BoundedBody.TooLarge.class)
                    .hasMessageContaining("exceeds the limit of 50 bytes");
            assertThatThrownBy(
                            () ->
                                    client.get(
                                            chunked.url("/"),
                                            Map.of(),
                                            in(Duration.ofSeconds(10)),
                                            50,
                                            64))
                    .isInstanceOf(BoundedBody.TooLarge.class)
                    .hasMessageContaining("exceeds the limit of 50 bytes");
        }
    }

    @Test
    void anErrorBodyIsQuotedUpToItsLimitAndTheStatusKept() throws Exception {
        try (ScriptedServer server =
                        new ScriptedServer(
                                (n, head, out) -> {
                                    String body = "e".repeat(500);
                                    write(
                                            out,
                                            "HTTP/1.1 503 Busy\r\nContent-Length: "
                                                    + body.length()
                                                    + "\r\n\r\n"
                                                    + body);
                                    return true;
                                });
                Http1Client client = new Http1Client()) {
            Http1Client.Response r =
                    client.get(server.url("/"), Map.of(), in(Duration.ofSeconds(10)), 64, 30);
            assertThat(r.status()).isEqualTo(503);
            assertThat(text(r)).isEqualTo("e".repeat(30));
            // the rest was read past, so the connection carries the next request
            assertThat(
                            client.get(
                                            server.url("/"),
                                            Map.of(),
                                            in(Duration.ofSeconds(10)),
                                            64,
                                            30)
                                    .status())
                    .isEqualTo(503);
            assertThat(server.connections).hasValue(1);
        }
    }

    @Test
    void aServerThatDripsItsAnswerIsCutOffAtTheDeadline() throws Exception {
        // the drip's pace: a byte every 100 ms until the client has given up
        CountDownLatch clientGaveUp = new CountDownLatch(1);
        try (ScriptedServer server =
                        new ScriptedServer(
                                (n, head, out) -> {
                                    write(out, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
                                    for (int i = 0;
                                            i < 1000 && !clientGaveUp.await(100, MILLISECONDS);
                                            i++) {
                                        out.write('x');
                                        out.flush();
                                    }
                                    return false;
                                });
                Http1Client client = new Http1Client()) {
            long began = System.nanoTime();
            assertThatThrownBy(
                            () ->
                                    client.get(
                                            server.url("/"),
                                            Map.of(),
                                            in(Duration.ofMillis(500)),
                                            2000,
                                            64))
                    .isInstanceOf(HttpTimeoutException.class);
            clientGaveUp.countDown();
            // each read alone is shorter than the deadline: the deadline is the whole exchange's
            assertThat(Duration.ofNanos(System.nanoTime() - began))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(500))
                    .isLessThan(Duration.ofSeconds(20));
        }
    }

    @Test
    void somethingThatIsNotHttpFailsAndALineBreakInAHeaderIsRefused() throws Exception {
        try (ScriptedServer server =
                        new ScriptedServer(
                                (n, head, out) -> {
                                    write(out, "SSH-2.0-OpenSSH\r\n\r\n");
                                    return false;
                                });
                Http1Client client = new Http1Client()) {
            assertThatThrownBy(
                            () ->
                                    client.get(
                                            server.url("/"),
                                            Map.of(),
                                            in(Duration.ofSeconds(10)),
                                            64,
                                            64))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("not an HTTP/1.x response: SSH-2.0-OpenSSH");
            assertThatThrownBy(
                            () ->
                                    client.get(
                                            server.url("/"),
                                            Map.of("X-Evil", "a\r\nHost: elsewhere"),
                                            in(Duration.ofSeconds(10)),
                                            64,
                                            64))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("X-Evil");
            assertThat(server.requests).as("nothing sent for the refused header").hasSize(1);
        }
    }
}
