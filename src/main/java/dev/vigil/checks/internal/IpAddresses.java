package dev.vigil.checks.internal;

import java.net.InetAddress;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Classifies IP address literals for the DNS checks. Parsing uses {@link InetAddress#ofLiteral},
 * which never performs a name lookup (unlike {@code getByName}).
 */
public final class IpAddresses {

    private IpAddresses() {}

    /** The parsed literal, or null when {@code text} is not an IPv4 or IPv6 address literal. */
    static @Nullable InetAddress parse(String text) {
        String s = text.strip();
        if (s.isEmpty() || s.indexOf('%') >= 0) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Whether {@code text} is an address no public DNS record should hold: RFC 1918 (10/8,
     * 172.16/12, 192.168/16), loopback (127/8, ::1), link-local (169.254/16, fe80::/10),
     * unique-local (fc00::/7), shared CGNAT space (100.64/10), the unspecified address (0.0.0.0,
     * ::) and IPv4-mapped IPv6 forms of these. Not an address: false.
     */
    public static boolean isPrivate(String text) {
        InetAddress a = parse(text);
        if (a == null) {
            return false;
        }
        byte[] b = a.getAddress();
        if (b.length == 16 && isV4Mapped(b)) {
            byte[] v4 = new byte[] {b[12], b[13], b[14], b[15]};
            return isPrivateV4(v4);
        }
        return b.length == 4 ? isPrivateV4(b) : isPrivateV6(b);
    }

    /** Whether {@code text} is an address literal that is neither private nor multicast. */
    public static boolean isPublic(String text) {
        InetAddress a = parse(text);
        return a != null && !isPrivate(text) && !a.isMulticastAddress();
    }

    /** A DNS name in canonical form: lower case, no trailing dot. */
    public static String fqdn(String name) {
        String s = name.strip().toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    private static boolean isPrivateV4(byte[] b) {
        int o0 = b[0] & 0xff;
        int o1 = b[1] & 0xff;
        return o0 == 10
                || o0 == 127
                || o0 == 0
                || (o0 == 172 && o1 >= 16 && o1 <= 31)
                || (o0 == 192 && o1 == 168)
                || (o0 == 169 && o1 == 254)
                || (o0 == 100 && o1 >= 64 && o1 <= 127);
    }

    private static boolean isPrivateV6(byte[] b) {
        boolean allZeroButLast = true;
        for (int i = 0; i < 15; i++) {
            allZeroButLast &= b[i] == 0;
        }
        if (allZeroButLast && (b[15] == 0 || b[15] == 1)) {
            return true; // :: and ::1
        }
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        return (b0 & 0xfe) == 0xfc // fc00::/7
                || (b0 == 0xfe && (b1 & 0xc0) == 0x80); // fe80::/10
    }
}
