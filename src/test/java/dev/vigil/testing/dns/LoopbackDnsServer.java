package dev.vigil.testing.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * A DNS server on 127.0.0.1 (UDP, and TCP on the same port) that answers from fixed data, for tests
 * of code that resolves names through a chosen server. Each configured name maps to IP literals
 * (answered as A or AAAA by family) or to one other name (answered as a CNAME, followed by the
 * target's records when the target is configured, and NXDOMAIN when the target is marked so, as a
 * recursive resolver would). A configured name without records of the asked type answers NOERROR
 * with no answer; a name in {@code nxdomain} answers NXDOMAIN; any other name answers REFUSED (this
 * server knows nothing else, and must not pretend a name does not exist).
 *
 * <p>Threads: one platform thread per protocol accepts; each query is answered on a virtual thread,
 * so {@link #setDelay} slows every answer without queueing them. {@link #close} closes the sockets,
 * which ends the accepting threads.
 */
public final class LoopbackDnsServer implements AutoCloseable {

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final DnsAnswers answers;
    private final AtomicInteger queries = new AtomicInteger();
    private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);

    private LoopbackDnsServer(DatagramSocket udp, ServerSocket tcp, DnsAnswers answers) {
        this.udp = udp;
        this.tcp = tcp;
        this.answers = answers;
    }

    /**
     * Starts serving: {@code answers} maps a name to IP literals or to a single CNAME target;
     * {@code nxdomain} lists names that do not exist. Names match case-insensitively, with or
     * without the final dot.
     */
    public static LoopbackDnsServer start(Map<String, List<String>> answers, Set<String> nxdomain) {
        DnsAnswers data =
                new DnsAnswers(
                        answers.entrySet().stream()
                                .collect(
                                        Collectors.toUnmodifiableMap(
                                                e -> DnsAnswers.canonical(e.getKey()),
                                                e -> List.copyOf(e.getValue()))),
                        nxdomain.stream()
                                .map(DnsAnswers::canonical)
                                .collect(Collectors.toUnmodifiableSet()));
        IOException last = null;
        // The UDP port is free; TCP on the same number usually is too, but not always: retry.
        for (int attempt = 0; attempt < 10; attempt++) {
            DatagramSocket udp = null;
            try {
                udp =
                        new DatagramSocket(
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ServerSocket tcp = new ServerSocket();
                try {
                    tcp.bind(
                            new InetSocketAddress(
                                    InetAddress.getLoopbackAddress(), udp.getLocalPort()));
                } catch (IOException e) {
                    tcp.close();
                    throw e;
                }
                LoopbackDnsServer server = new LoopbackDnsServer(udp, tcp, data);
                server.serve();
                return server;
            } catch (IOException e) {
                last = e;
                if (udp != null) {
                    udp.close();
                }
            }
        }
        throw new UncheckedIOException("cannot bind a UDP and TCP port pair on 127.0.0.1", last);
    }

    /**
     * A UDP address on 127.0.0.1 where nothing listens (bound, then closed): a resolver aimed at it
     * gets no answer (or ICMP port unreachable) and times out.
     */
    public static InetSocketAddress unusedLoopbackPort() {
        try (DatagramSocket s =
                new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        } catch (SocketException e) {
            throw new UncheckedIOException("cannot bind a UDP port on 127.0.0.1", e);
        }
    }

    /** Where to send queries (UDP and TCP). */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort());
    }

    /** Queries received so far (both protocols, malformed ones included). */
    public int queries() {
        return queries.get();
    }

    /** Delays every answer sent from now on (zero: answer at once). */
    public void setDelay(Duration delay) {
        this.delay.set(delay);
    }

    @Override
    public void close() {
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the DNS server's TCP socket", e);
        }
    }

    private void serve() {
        Thread.ofPlatform()
                .daemon()
                .name("loopback-dns-udp-" + udp.getLocalPort())
                .start(this::udpLoop);
        Thread.ofPlatform()
                .daemon()
                .name("loopback-dns-tcp-" + udp.getLocalPort())
                .start(this::tcpLoop);
    }

    private void udpLoop() {
        byte[] buf = new byte[65535];
        while (!udp.isClosed()) {
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(in);
            } catch (IOException e) {
                return; // closed
            }
            queries.incrementAndGet();
            byte[] query = java.util.Arrays.copyOf(in.getData(), in.getLength());
            InetSocketAddress from = (InetSocketAddress) in.getSocketAddress();
            Thread.startVirtualThread(
                    () -> {
                        byte[] out = answerAfterDelay(query);
                        if (out.length > 0) {
                            try {
                                udp.send(new DatagramPacket(out, out.length, from));
                            } catch (IOException e) {
                                // closed meanwhile: the client times out, as with a real outage
                            }
                        }
                    });
        }
    }

    private void tcpLoop() {
        while (!tcp.isClosed()) {
            Socket s;
            try {
                s = tcp.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread.startVirtualThread(() -> tcpConnection(s));
        }
    }

    private void tcpConnection(Socket s) {
        try (s;
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
            int len = in.readUnsignedShort();
            byte[] query = in.readNBytes(len);
            queries.incrementAndGet();
            byte[] answer = answerAfterDelay(query);
            out.writeShort(answer.length);
            out.write(answer);
            out.flush();
        } catch (IOException e) {
            // the client went away; nothing to answer
        }
    }

    private byte[] answerAfterDelay(byte[] query) {
        Duration d = delay.get();
        if (d.isPositive()) {
            try {
                Thread.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new byte[0];
            }
        }
        return answers.answer(query);
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
