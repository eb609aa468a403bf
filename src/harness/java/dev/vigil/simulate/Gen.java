package dev.vigil.simulate;

import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded source of realistic values; one per generated document, so documents are independent.
 */
final class Gen {

    private static final int[] PUBLIC_V4_FIRST = {23, 34, 45, 52, 64, 104, 151, 185, 203};
    private static final String[] V6_PREFIXES = {
        "2a01:4f8:", "2606:4700:", "2600:1f18:", "2a05:d014:"
    };

    private final SplittableRandom rnd;

    Gen(long seed) {
        this.rnd = new SplittableRandom(seed);
    }

    /**
     * Mixes a fleet seed with a string so every target gets its own stream (SplitMix64 finaliser).
     */
    static long mix(long seed, String salt) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (int i = 0; i < salt.length(); i++) {
            h = (h ^ salt.charAt(i)) * 0x100000001B3L;
        }
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }

    /** A Cloudflare-style id: 32 lower-case hex digits. */
    static String hex32(long a, long b) {
        return HexFormat.of().toHexDigits(a) + HexFormat.of().toHexDigits(b);
    }

    String id() {
        return hex32(rnd.nextLong(), rnd.nextLong());
    }

    boolean chance(double p) {
        return rnd.nextDouble() < p;
    }

    int between(int lowInclusive, int highInclusive) {
        return rnd.nextInt(lowInclusive, highInclusive + 1);
    }

    <T> T pick(List<T> values) {
        return values.get(rnd.nextInt(values.size()));
    }

    String publicV4() {
        return PUBLIC_V4_FIRST[rnd.nextInt(PUBLIC_V4_FIRST.length)]
                + "."
                + rnd.nextInt(256)
                + "."
                + rnd.nextInt(256)
                + "."
                + (1 + rnd.nextInt(254));
    }

    String publicV6() {
        return V6_PREFIXES[rnd.nextInt(V6_PREFIXES.length)]
                + Integer.toHexString(rnd.nextInt(0x10000))
                + "::"
                + Integer.toHexString(1 + rnd.nextInt(0xfffe));
    }

    /** Private, loopback, link-local or unique-local, in both families. */
    String privateAddress() {
        return switch (rnd.nextInt(6)) {
            case 0 ->
                    "10."
                            + rnd.nextInt(256)
                            + "."
                            + rnd.nextInt(256)
                            + "."
                            + (1 + rnd.nextInt(254));
            case 1 -> "192.168." + rnd.nextInt(256) + "." + (1 + rnd.nextInt(254));
            case 2 -> "172." + (16 + rnd.nextInt(16)) + "." + rnd.nextInt(256) + ".5";
            case 3 ->
                    // the first hextet must keep its leading "fd": fd05, never fd5 (= 0fd5, public)
                    String.format("fd%02x", rnd.nextInt(256))
                            + ":1234::"
                            + Integer.toHexString(1 + rnd.nextInt(255));
            case 4 -> "fe80::" + Integer.toHexString(1 + rnd.nextInt(0xfffe));
            default -> "127.0.0." + (1 + rnd.nextInt(254));
        };
    }
}
