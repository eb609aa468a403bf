package dev.vigil.alerts.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Says which {@link AddressClass} an IP address is in. Pure: never resolves, never connects.
 *
 * <p>An IPv6 address that carries an IPv4 address — IPv4-mapped ({@code ::ffff:0:0/96}),
 * IPv4-compatible ({@code ::/96}), NAT64 ({@code 64:ff9b::/96}) or 6to4 ({@code 2002::/16}) — is
 * judged by the IPv4 address it carries as well, since a stack may deliver it there: {@code
 * ::ffff:127.0.0.1} is loopback, {@code 64:ff9b::a00:1} is private.
 */
public final class AddressClassifier {

    private record Row(CidrRange range, AddressClass kind) {}

    /** First match wins; ranges are disjoint except where a narrower row comes first. */
    private static final List<Row> TABLE =
            List.of(
                    row("0.0.0.0/8", AddressClass.UNSPECIFIED),
                    row("127.0.0.0/8", AddressClass.LOOPBACK),
                    row("10.0.0.0/8", AddressClass.PRIVATE),
                    row("172.16.0.0/12", AddressClass.PRIVATE),
                    row("192.168.0.0/16", AddressClass.PRIVATE),
                    row("169.254.0.0/16", AddressClass.LINK_LOCAL),
                    row("100.64.0.0/10", AddressClass.SHARED),
                    row("224.0.0.0/4", AddressClass.MULTICAST),
                    row("240.0.0.0/4", AddressClass.RESERVED),
                    row("192.0.0.0/24", AddressClass.RESERVED),
                    row("192.0.2.0/24", AddressClass.RESERVED),
                    row("198.18.0.0/15", AddressClass.RESERVED),
                    row("198.51.100.0/24", AddressClass.RESERVED),
                    row("203.0.113.0/24", AddressClass.RESERVED),
                    row("::/128", AddressClass.UNSPECIFIED),
                    row("::1/128", AddressClass.LOOPBACK),
                    row("fe80::/10", AddressClass.LINK_LOCAL),
                    row("fec0::/10", AddressClass.PRIVATE),
                    row("fc00::/7", AddressClass.UNIQUE_LOCAL),
                    row("ff00::/8", AddressClass.MULTICAST),
                    row("100::/64", AddressClass.RESERVED),
                    row("2001:db8::/32", AddressClass.RESERVED));

    private static final byte[] NAT64_PREFIX = {0, 0x64, (byte) 0xff, (byte) 0x9b};

    private AddressClassifier() {}

    private static Row row(String range, AddressClass kind) {
        return new Row(CidrRange.parse(range), kind);
    }

    /** The class of {@code address}. */
    public static AddressClass classify(InetAddress address) {
        InetAddress a = canonical(address);
        for (Row r : TABLE) {
            if (r.range().contains(a)) {
                return r.kind();
            }
        }
        if (a instanceof Inet6Address) {
            InetAddress carried = carriedIpv4(a.getAddress());
            if (carried != null) {
                return classify(carried);
            }
        }
        return AddressClass.PUBLIC;
    }

    /**
     * {@code address}, or the IPv4 address it maps when it is IPv4-mapped ({@code ::ffff:a.b.c.d}):
     * the JDK turns a mapped literal into an {@link Inet4Address}, but a resolver may hand over an
     * {@link Inet6Address} holding one.
     */
    public static InetAddress canonical(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 16 && allZero(b, 0, 10) && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
            return ipv4(Arrays.copyOfRange(b, 12, 16));
        }
        return address;
    }

    /** Whether the first {@code prefix} bits of {@code a} and {@code b} are equal. */
    static boolean samePrefix(byte[] a, byte[] b, int prefix) {
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (b[full] & mask);
    }

    /** The IPv4 address an IPv6 address carries (compatible, NAT64, 6to4), or null. */
    private static @Nullable InetAddress carriedIpv4(byte[] b) {
        if (allZero(b, 0, 12)) {
            return ipv4(Arrays.copyOfRange(b, 12, 16));
        }
        if (Arrays.equals(b, 0, 4, NAT64_PREFIX, 0, 4) && allZero(b, 4, 12)) {
            return ipv4(Arrays.copyOfRange(b, 12, 16));
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return ipv4(Arrays.copyOfRange(b, 2, 6));
        }
        return null;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress ipv4(byte[] four) {
        try {
            // Four bytes are never looked up: getByAddress only checks the length.
            return InetAddress.getByAddress(four);
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an IPv4 address", e);
        }
    }
}
