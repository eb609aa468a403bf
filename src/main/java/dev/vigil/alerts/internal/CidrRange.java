package dev.vigil.alerts.internal;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * An IP range written {@code address/prefix} ({@code 10.1.0.0/16}, {@code fd00::/8}); a single
 * address is a range of its full length. An IPv4 range contains IPv4 addresses only; an IPv4-mapped
 * IPv6 address is compared as the IPv4 address it maps (see {@link AddressClassifier#canonical}).
 */
public record CidrRange(InetAddress network, int prefix) {

    public CidrRange {
        int bits = network.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException(
                    "prefix /" + prefix + " is out of range for " + network.getHostAddress());
        }
    }

    /**
     * Parses {@code 10.1.0.0/16}, {@code fd00::/8} or a single IP literal. Never resolves a name.
     *
     * @throws IllegalArgumentException if it is neither, naming the text
     */
    public static CidrRange parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        InetAddress network;
        try {
            network = AddressClassifier.canonical(InetAddress.ofLiteral(address));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or range", e);
        }
        int bits = network.getAddress().length * 8;
        if (slash < 0) {
            return new CidrRange(network, bits);
        }
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no prefix length after /", e);
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException(
                    "'" + text + "': the prefix length must be from 0 to " + bits);
        }
        return new CidrRange(network, prefix);
    }

    /** Whether {@code address} lies in this range. */
    public boolean contains(InetAddress address) {
        InetAddress a = AddressClassifier.canonical(address);
        if ((a instanceof Inet4Address) != (network instanceof Inet4Address)) {
            return false;
        }
        return AddressClassifier.samePrefix(network.getAddress(), a.getAddress(), prefix);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefix;
    }
}
