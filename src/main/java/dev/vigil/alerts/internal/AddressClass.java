package dev.vigil.alerts.internal;

/**
 * The kind of an IP address, as the outbound allow-list sees it: only {@link #PUBLIC} is reachable
 * without the operator naming the address (or a range holding it) in {@code
 * VIGIL_ALERT_ALLOWED_HOSTS}.
 */
public enum AddressClass {
    /** Routable on the internet. */
    PUBLIC("a public address"),
    /** 127.0.0.0/8, ::1: this machine. */
    LOOPBACK("a loopback address"),
    /** 169.254.0.0/16, fe80::/10: includes the cloud metadata service at 169.254.169.254. */
    LINK_LOCAL("a link-local address"),
    /** 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, and the deprecated site-local fec0::/10. */
    PRIVATE("a private address"),
    /** 100.64.0.0/10 (RFC 6598): carrier-grade NAT, often a provider's internal network. */
    SHARED("a carrier-grade NAT (shared) address"),
    /** fc00::/7 (RFC 4193): IPv6's private addresses. */
    UNIQUE_LOCAL("a unique local address"),
    /** 0.0.0.0/8, :: — many stacks connect these to this machine. */
    UNSPECIFIED("an unspecified address"),
    /** 224.0.0.0/4, ff00::/8. */
    MULTICAST("a multicast address"),
    /**
     * Not routable on the internet for another reason: 240.0.0.0/4 and the broadcast address,
     * 192.0.0.0/24 (IETF protocol assignments), 198.18.0.0/15 (benchmarking), the documentation
     * ranges, 100::/64 (discard).
     */
    RESERVED("a reserved address");

    private final String description;

    AddressClass(String description) {
        this.description = description;
    }

    /** The phrase used in a refusal, e.g. {@code "a loopback address"}. */
    public String description() {
        return description;
    }
}
