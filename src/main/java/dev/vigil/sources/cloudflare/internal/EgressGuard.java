package dev.vigil.sources.cloudflare.internal;

import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;

/**
 * Refuses, before any packet leaves, a destination outside the loopback range when the JVM runs
 * with {@code -Dvigil.egress=loopback}. The test JVMs run so: a test that forgot to point the
 * connector at the stub, or the resolver at a test DNS server, fails at once with this message
 * instead of reaching the real Cloudflare API or the machine's resolver.
 */
public final class EgressGuard {

    /** The system property, and the one value that restricts. */
    public static final String PROPERTY = "vigil.egress";

    private EgressGuard() {}

    /** Whether this JVM may only talk to loopback addresses. */
    public static boolean loopbackOnly() {
        return "loopback".equalsIgnoreCase(System.getProperty(PROPERTY, ""));
    }

    /** Checks an API base URL. */
    public static void check(URI url, String what) {
        String host = url.getHost();
        if (loopbackOnly() && (host == null || !isLoopbackLiteral(host))) {
            throw new IllegalStateException(
                    what
                            + " "
                            + url
                            + " is not on loopback, and this JVM runs with -D"
                            + PROPERTY
                            + "=loopback (tests): point it at a stub on 127.0.0.1");
        }
    }

    /** Checks a resolver's address; {@code null} means the machine's own resolver. */
    public static void checkResolver(@org.jspecify.annotations.Nullable String hostPort) {
        if (!loopbackOnly()) {
            return;
        }
        String host = hostPort == null ? null : hostOf(hostPort);
        if (host == null || !isLoopbackLiteral(host)) {
            throw new IllegalStateException(
                    "DNS resolver "
                            + (hostPort == null ? "(the machine's own)" : hostPort)
                            + " is not on loopback, and this JVM runs with -D"
                            + PROPERTY
                            + "=loopback (tests): set VIGIL_DNS_RESOLVER to a test server on"
                            + " 127.0.0.1");
        }
    }

    private static String hostOf(String hostPort) {
        String s = hostPort.strip();
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            return end > 0 ? s.substring(1, end) : s;
        }
        int colon = s.lastIndexOf(':');
        return colon > 0 && s.indexOf(':') == colon ? s.substring(0, colon) : s;
    }

    /** A loopback address literal or {@code localhost}; never resolves a name. */
    static boolean isLoopbackLiteral(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost")) {
            return true;
        }
        if (!h.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            return false;
        }
        try {
            return InetAddress.ofLiteral(h).isLoopbackAddress();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
