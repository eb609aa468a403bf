package dev.vigil.simulate;

import java.util.HexFormat;

/**
 * Synthetic target ids that look like Cloudflare's (32 lower-case hex digits, no visible order) yet
 * encode the target's index: the low 64 bits are an invertible mix of the index and the seed, the
 * high 64 bits a one-way hash of both, which {@link FleetGenerator#find} checks.
 */
final class TargetIds {

    private static final long C1 = 0xff51afd7ed558ccdL;
    private static final long C2 = 0xc4ceb9fe1a85ec53L;
    private static final long C1_INVERSE = inverse(C1);
    private static final long C2_INVERSE = inverse(C2);

    private TargetIds() {}

    static String idOf(long seed, long index) {
        long low = fmix(index ^ key(seed));
        long high = Gen.mix(seed, "target" + index);
        return HexFormat.of().toHexDigits(high) + HexFormat.of().toHexDigits(low);
    }

    /** The index encoded in {@code id}, or -1 when it is not a 32-hex-digit id. */
    static long indexOf(long seed, String id) {
        if (id.length() != 32) {
            return -1;
        }
        try {
            long low = HexFormat.fromHexDigitsToLong(id, 16, 32);
            return unfmix(low) ^ key(seed);
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static long key(long seed) {
        return Gen.mix(seed, "index-key");
    }

    /** MurmurHash3's 64-bit finaliser: a bijection on longs. */
    static long fmix(long h) {
        h ^= h >>> 33;
        h *= C1;
        h ^= h >>> 33;
        h *= C2;
        h ^= h >>> 33;
        return h;
    }

    static long unfmix(long h) {
        h ^= h >>> 33; // x ^ x>>>33 is its own inverse because 33 >= 64 / 2
        h *= C2_INVERSE;
        h ^= h >>> 33;
        h *= C1_INVERSE;
        h ^= h >>> 33;
        return h;
    }

    /** Multiplicative inverse of an odd number modulo 2^64 (Newton's iteration). */
    private static long inverse(long odd) {
        long x = odd;
        for (int i = 0; i < 6; i++) {
            x *= 2 - odd * x;
        }
        return x;
    }
}
