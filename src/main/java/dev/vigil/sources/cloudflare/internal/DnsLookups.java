package dev.vigil.sources.cloudflare.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Real DNS lookups for the dangling-record checks: what a recursive resolver answers for each CNAME
 * target ({@code NOERROR}, {@code NXDOMAIN}, {@code SERVFAIL}, …, the response code by name).
 *
 * <p>NXDOMAIN is a verdict only because a resolver said it. A resolver that does not answer (time
 * out, refused connection, unreachable) fails the whole lookup with {@link ResolverUnavailable}:
 * the caller puts {@code dns_resolution} in {@code _errors}, so the dangling checks are ERROR and a
 * machine without DNS never reports every CNAME as a takeover.
 *
 * <p>Thread-safe. Lookups of one zone run on virtual threads, at most {@link #PARALLEL} at once.
 */
public final class DnsLookups {

    /** Lookups of one zone in flight at once: enough to hide latency, gentle on a resolver. */
    static final int PARALLEL = 16;

    private final InetSocketAddress server;
    private final Duration timeout;

    private DnsLookups(InetSocketAddress server, Duration timeout) {
        this.server = server;
        this.timeout = timeout;
    }

    /**
     * Lookups against one resolver; nothing is sent until {@link #resolve}.
     *
     * @param resolver {@code host:port} (or {@code [v6]:port}; port 53 when absent) of a recursive
     *     resolver, or null for the machine's first configured one
     * @param timeout how long one query may wait for its answer
     */
    public static DnsLookups create(@Nullable String resolver, Duration timeout) {
        EgressGuard.checkResolver(resolver);
        InetSocketAddress server;
        if (resolver == null) {
            List<InetSocketAddress> servers = ResolverConfig.getCurrentConfig().servers();
            if (servers.isEmpty()) {
                throw new IllegalArgumentException(
                        "no DNS resolver configured on this machine: set VIGIL_DNS_RESOLVER=host:port");
            }
            server = servers.getFirst();
        } else {
            server = parse(resolver);
        }
        return new DnsLookups(server, timeout);
    }

    /** {@code host:port} to an address; the host must be an IP literal (no lookup to find DNS). */
    static InetSocketAddress parse(String hostPort) {
        String s = hostPort.strip();
        String host;
        int port = 53;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("resolver '" + hostPort + "': missing ']'");
            }
            host = s.substring(1, end);
            if (s.length() > end + 1) {
                port = port(hostPort, s.substring(end + 2));
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = port(hostPort, s.substring(s.indexOf(':') + 1));
        } else {
            host = s;
        }
        try {
            return new InetSocketAddress(java.net.InetAddress.ofLiteral(host), port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "resolver '"
                            + hostPort
                            + "': expected an IP address and port, e.g. 127.0.0.1:53",
                    e);
        }
    }

    private static int port(String all, String p) {
        try {
            int v = Integer.parseInt(p);
            if (v < 1 || v > 65535) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("resolver '" + all + "': bad port '" + p + "'", e);
        }
    }

    /** The resolver asked. */
    public InetSocketAddress server() {
        return server;
    }

    /** The resolver did not answer: no verdict can be drawn from it. */
    public static final class ResolverUnavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ResolverUnavailable(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The response code for each name (canonical: lower case, no trailing dot), sorted by name.
     *
     * @throws ResolverUnavailable when any query got no answer
     */
    public Map<String, String> resolve(Collection<String> names) {
        Map<String, String> out = new TreeMap<>();
        if (names.isEmpty()) {
            return out;
        }
        Semaphore slots = new Semaphore(PARALLEL);
        List<Future<String>> answers = new ArrayList<>();
        List<String> asked = new ArrayList<>(names);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String name : asked) {
                answers.add(
                        pool.submit(
                                () -> {
                                    slots.acquire();
                                    try {
                                        return rcode(name);
                                    } finally {
                                        slots.release();
                                    }
                                }));
            }
            for (int i = 0; i < asked.size(); i++) {
                String code;
                try {
                    code = answers.get(i).get();
                } catch (ExecutionException e) {
                    answers.forEach(f -> f.cancel(true));
                    Throwable c = e.getCause();
                    throw c instanceof ResolverUnavailable u
                            ? u
                            : new ResolverUnavailable(
                                    "lookup of " + asked.get(i) + " failed: " + c, c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    answers.forEach(f -> f.cancel(true));
                    throw new ResolverUnavailable("interrupted during DNS lookups", e);
                }
                if (code != null) {
                    out.put(asked.get(i), code);
                }
            }
        }
        return out;
    }

    /** The response code's name, or null for a name that is not a valid DNS name. */
    private @Nullable String rcode(String name) {
        Name n;
        try {
            n = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            return null;
        }
        SimpleResolver resolver = new SimpleResolver(server);
        resolver.setTimeout(timeout);
        Message query = Message.newQuery(Record.newRecord(n, Type.A, DClass.IN));
        try {
            Message answer = resolver.send(query);
            return Rcode.string(answer.getRcode());
        } catch (IOException e) {
            throw new ResolverUnavailable(
                    "DNS resolver "
                            + server.getAddress().getHostAddress()
                            + ":"
                            + server.getPort()
                            + " did not answer for "
                            + name
                            + " within "
                            + timeout.toMillis()
                            + " ms ("
                            + e.getMessage()
                            + ")",
                    e);
        }
    }
}
