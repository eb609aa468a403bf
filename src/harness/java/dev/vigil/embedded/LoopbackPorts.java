package dev.vigil.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free ports on the loopback address for servers that must be told their port before they bind (a
 * Kafka node's listeners, PostgreSQL, a role process). Each port is handed out once per JVM: two
 * probes in a row may otherwise get the same port back, because the first probe's socket is closed
 * before the second binds. That once gave a Kafka broker one port for both its broker and
 * controller listeners, and the broker refused to start.
 */
public final class LoopbackPorts {

    /** Ports this JVM has handed out. A few thousand at most over a whole test run. */
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    /** Probes before giving up when the OS keeps offering ports already handed out. */
    private static final int ATTEMPTS = 64;

    private LoopbackPorts() {}

    /**
     * A port free on 127.0.0.1 at the time of the call that this JVM has not handed out before.
     * Another process may still take it before the caller binds it; callers that cannot bind port 0
     * themselves accept that small race.
     */
    public static int free() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = probe();
            synchronized (HANDED_OUT) {
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            }
        }
        throw new IllegalStateException(
                "the OS offered only ports already handed out, " + ATTEMPTS + " probes in a row");
    }

    private static int probe() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            // Built from its bytes: no name lookup.
            socket.bind(
                    new InetSocketAddress(
                            InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1}), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
