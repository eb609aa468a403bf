package dev.vigil.alerts;

import dev.vigil.alerts.internal.AddressClass;
import dev.vigil.alerts.internal.AddressClassifier;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether Vigil may send an HTTP request to a destination URL, before any connection is
 * opened: an account's token chooses the URL, and must not make Vigil call into the operator's
 * network (the cloud metadata service, an admin port on loopback, a database on a private range).
 *
 * <p>The rule: the scheme is {@code http} or {@code https}; the host is resolved once (an IP
 * literal is parsed, never looked up) and <em>every</em> address must be public, or be held by an
 * IP address or CIDR range of {@link AllowedHosts}; a host name the allow-list names (exactly or by
 * a wildcard) is allowed whatever it resolves to. Loopback, link-local, private, carrier-grade NAT,
 * unique local, unspecified, multicast and reserved addresses, and IPv6 forms carrying one of
 * those, are refused unless allowed (see {@link AddressClass}).
 *
 * <p>The check resolves through a {@link HostResolver}; the HTTP client then resolves the name
 * again, through the JVM's cache when the resolver is {@link HostResolver#system()}. Thread-safe
 * and immutable.
 */
public final class OutboundPolicy {

    /** What {@link #check} decided. */
    public sealed interface Verdict {

        /** The request may be sent; {@code addresses} are those checked. */
        record Allowed(String host, List<InetAddress> addresses) implements Verdict {
            public Allowed {
                addresses = List.copyOf(addresses);
            }
        }

        /** Never: the reason names the host and the rule, and never holds a URL's path. */
        record Denied(String reason) implements Verdict {}

        /** The host name did not resolve (now): worth trying again later. */
        record Unresolved(String reason) implements Verdict {}
    }

    private final AllowedHosts allowed;
    private final HostResolver resolver;

    private OutboundPolicy(AllowedHosts allowed, HostResolver resolver) {
        this.allowed = allowed;
        this.resolver = resolver;
    }

    /** The policy of {@code allowed}, resolving names with {@code resolver}. */
    public static OutboundPolicy of(AllowedHosts allowed, HostResolver resolver) {
        return new OutboundPolicy(allowed, resolver);
    }

    /** The allow-list this policy extends the default with. */
    public AllowedHosts allowed() {
        return allowed;
    }

    /**
     * Whether a request to {@code url} may be sent. Blocks for the resolver's lookup of a host
     * name; does nothing else over the network.
     */
    public Verdict check(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        String host = url.getHost();
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return new Verdict.Denied(
                    "alert destinations are http or https URLs, not "
                            + (scheme.isEmpty() ? "a URL without a scheme" : scheme + ":"));
        }
        if (host == null || host.isEmpty()) {
            return new Verdict.Denied("the destination URL has no host");
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (bare.contains(":") || bare.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            InetAddress literal;
            try {
                literal = InetAddress.ofLiteral(bare);
            } catch (IllegalArgumentException e) {
                // 2130706433 or 127.1 mean 127.0.0.1 to some parsers: refuse what is not plain.
                return new Verdict.Denied(
                        host + " is not an IP address in dotted-quad or IPv6 form");
            }
            return judge(host, List.of(literal), null);
        }
        if (allowed.permitsName(host)) {
            return new Verdict.Allowed(host, List.of());
        }
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return new Verdict.Unresolved(host + " does not resolve");
        }
        if (addresses.isEmpty()) {
            return new Verdict.Unresolved(host + " resolves to no address");
        }
        return judge(host, addresses, host);
    }

    private Verdict judge(String host, List<InetAddress> addresses, @Nullable String name) {
        for (InetAddress a : addresses) {
            AddressClass kind = AddressClassifier.classify(a);
            if (kind == AddressClass.PUBLIC || allowed.permits(a)) {
                continue;
            }
            String shown = AddressClassifier.canonical(a).getHostAddress();
            String what =
                    name == null
                            ? literal(host, shown) + " is " + kind.description()
                            : name + " resolves to " + shown + ", " + kind.description();
            return new Verdict.Denied(what + ", not in " + SenderConfig.ALLOWED_HOSTS.name());
        }
        return new Verdict.Allowed(host, addresses);
    }

    /**
     * An IP literal as the URL writes it, plus the IPv4 address it means when that reads
     * differently ({@code 2130706433 (127.0.0.1)}, {@code [::ffff:a9fe:a9fe] (169.254.169.254)}).
     */
    private static String literal(String host, String ipv4OrV6) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return bare.equals(ipv4OrV6) || ipv4OrV6.contains(":")
                ? host
                : host + " (" + ipv4OrV6 + ")";
    }

    @Override
    public String toString() {
        return "OutboundPolicy[public addresses, plus " + allowed + "]";
    }
}
