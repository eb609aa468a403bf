package dev.vigil.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

    @Test
    void neverHandsOutAPortTwice() {
        // Probes in a row are where the OS offered one port twice (a broker's two listeners).
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            assertThat(ports.add(LoopbackPorts.free())).as("port %d handed out again", i).isTrue();
        }
    }

    @Test
    void theHandedOutPortCanBeBoundOnLoopback() throws IOException {
        int port = LoopbackPorts.free();
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(
                    new InetSocketAddress(
                            InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port));
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }
}
