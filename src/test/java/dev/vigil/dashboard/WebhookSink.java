package dev.vigil.dashboard;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on loopback for the Alerts page's tests: answers every POST 204 and counts
 * them. It does not check signatures ({@code dev.vigil.alerts.AlertReceiver} does, for the delivery
 * tests): here the page's delivery log is what is under test.
 */
final class WebhookSink implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger received = new AtomicInteger();

    private WebhookSink(HttpServer server) {
        this.server = server;
    }

    static WebhookSink start() throws IOException {
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        WebhookSink sink = new WebhookSink(server);
        server.createContext(
                "/",
                exchange -> {
                    try (exchange) {
                        exchange.getRequestBody().readAllBytes();
                        sink.received.incrementAndGet();
                        exchange.sendResponseHeaders(204, -1);
                    }
                });
        server.start();
        return sink;
    }

    /** Where to send: {@code http://127.0.0.1:<port>/hook}. */
    URI url() {
        return URI.create(
                "http://"
                        + server.getAddress().getAddress().getHostAddress()
                        + ":"
                        + server.getAddress().getPort()
                        + "/hook");
    }

    int received() {
        return received.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
