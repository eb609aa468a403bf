package dev.vigil.checks.internal;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Classifies IP address literals for the DNS checks, without ever performing a name lookup. */
public final class IpAddresses {

    private IpAddresses() {}

    /**
     * The address bytes (4 or 16) of an IPv4 or IPv6 literal, or null when {@code text} is not one.
     * Hand-written because {@link java.net.InetAddress#ofLiteral} costs microseconds per IPv6
     * literal, and a zone may hold hundreds of thousands of records.
     */
    static byte @Nullable [] parse(String text) {
        String s = text.strip();
        if (s.isEmpty() || s.indexOf('%') >= 0) {
            return null;
        }
        return s.indexOf(':') >= 0 ? parseV6(s) : parseV4(s, 0, s.length());
    }

    private static byte @Nullable [] parseV4(String s, int from, int to) {
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) {
                    return null;
                }
            } else if (c == '.' && value >= 0 && part < 3) {
                out[part++] = (byte) value;
                value = -1;
            } else {
                return null;
            }
        }
        if (part != 3 || value < 0) {
            return null;
        }
        out[3] = (byte) value;
        return out;
    }

    private static byte @Nullable [] parseV6(String s) {
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        int[] head = new int[8];
        int[] tail = new int[8];
        int nh;
        int nt = 0;
        byte[] v4 = null;
        if (gap < 0) {
            nh = groups(s, 0, s.length(), head);
        } else {
            nh = gap == 0 ? 0 : groups(s, 0, gap, head);
            nt = gap + 2 == s.length() ? 0 : groups(s, gap + 2, s.length(), tail);
        }
        if (nh < 0 || nt < 0) {
            // the last piece may be an embedded IPv4 address (::ffff:10.0.0.1)
            int lastColon = s.lastIndexOf(':');
            v4 = parseV4(s, lastColon + 1, s.length());
            if (v4 == null) {
                return null;
            }
            String prefix = s.substring(0, lastColon + 1) + "0:0";
            byte[] rest = parseV6(prefix);
            if (rest == null) {
                return null;
            }
            System.arraycopy(v4, 0, rest, 12, 4);
            return rest;
        }
        if ((gap < 0 && nh != 8) || (gap >= 0 && nh + nt > 7)) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < nh; i++) {
            out[2 * i] = (byte) (head[i] >> 8);
            out[2 * i + 1] = (byte) head[i];
        }
        for (int i = 0; i < nt; i++) {
            int at = 8 - nt + i;
            out[2 * at] = (byte) (tail[i] >> 8);
            out[2 * at + 1] = (byte) tail[i];
        }
        return out;
    }

    /** Parses colon-separated hex groups into {@code out}; returns the count or -1. */
    private static int groups(String s, int from, int to, int[] out) {
        int n = 0;
        int value = 0;
        int digits = 0;
        for (int i = from; i <= to; i++) {
            char c = i == to ? ':' : s.charAt(i);
            int d = Character.digit(c, 16);
            if (d >= 0) {
                if (++digits > 4) {
                    return -1;
                }
                value = value * 16 + d;
            } else if (c == ':' && digits > 0 && n < 8) {
                out[n++] = value;
                value = 0;
                digits = 0;
            } else {
                return -1;
            }
        }
        return n;
    }

    /**
     * Whether {@code text} is an address no public DNS record should hold: RFC 1918 (10/8,
     * 172.16/12, 192.168/16), loopback (127/8, ::1), link-local (169.254/16, fe80::/10),
     * unique-local (fc00::/7), shared CGNAT space (RFC 6598, 100.64/10) and IPv4-mapped IPv6 forms
     * of these. Not an address: false. The unspecified addresses (0.0.0.0/8, {@code ::}) are not
     * private: no host holds them, and a record to 0.0.0.0 is the usual way to sink a name
     * (CHECKS.md says so in the catalogue's row).
     */
    public static boolean isPrivate(String text) {
        byte[] b = parse(text);
        if (b == null) {
            return false;
        }
        if (b.length == 16 && isV4Mapped(b)) {
            byte[] v4 = new byte[] {b[12], b[13], b[14], b[15]};
            return isPrivateV4(v4);
        }
        return b.length == 4 ? isPrivateV4(b) : isPrivateV6(b);
    }

    /**
     * Whether {@code text} is an address literal that is neither private, multicast nor unspecified
     * (0.0.0.0/8, {@code ::}, and their IPv4-mapped forms): an address a host on the internet can
     * hold, so an unproxied record to it exposes that host.
     */
    public static boolean isPublic(String text) {
        byte[] b = parse(text);
        if (b == null) {
            return false;
        }
        if (b.length == 16 && isV4Mapped(b)) {
            b = new byte[] {b[12], b[13], b[14], b[15]};
        }
        boolean multicast = b.length == 4 ? (b[0] & 0xf0) == 0xe0 : (b[0] & 0xff) == 0xff;
        return !multicast && !isUnspecified(b) && !isPrivate(text);
    }

    private static boolean isUnspecified(byte[] b) {
        if (b.length == 4) {
            return b[0] == 0;
        }
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** A DNS name in canonical form: lower case, no trailing dot. */
    public static String fqdn(String name) {
        String s = name.strip().toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * A TXT record's content normalised for matching, lower-cased and with runs of white space
     * collapsed to one space and trimmed. Content written as quoted character-strings (as the
     * Cloudflare API returns it, {@code "v=spf1 +a" "ll"}) is read as DNS does: each string's text
     * with its escapes ({@code \"}, {@code \\}) undone, the strings joined without a separator (RFC
     * 7208 section 3.3: that example is {@code v=spf1 +all}). Content that does not start with a
     * quote is taken as it is.
     */
    public static String txtNorm(String content) {
        String text = content.strip();
        if (text.startsWith("\"")) {
            text = joinCharacterStrings(text);
        }
        StringBuilder sb = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                space = sb.length() > 0;
                continue;
            }
            if (space) {
                sb.append(' ');
                space = false;
            }
            sb.append(Character.toLowerCase(c));
        }
        return sb.toString();
    }

    /**
     * The texts of the quoted character-strings in {@code text}, joined. White space between the
     * strings is dropped; anything outside quotes that is not white space is kept as it is (a
     * malformed record is then judged on what it says rather than refused).
     */
    private static String joinCharacterStrings(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (quoted && c == '\\' && i + 1 < text.length()) {
                out.append(text.charAt(++i));
            } else if (quoted || !Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return out.toString();
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
        if (allZeroButLast && b[15] == 1) {
            return true; // ::1 (:: is unspecified, not private)
        }
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        return (b0 & 0xfe) == 0xfc // fc00::/7
                || (b0 == 0xfe && (b1 & 0xc0) == 0x80); // fe80::/10
    }
}
