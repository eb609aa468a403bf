package dev.vigil.results.internal;

/**
 * A set of 64-bit hashes of finding identities (check id, resource key), filled while the findings
 * of one call stream in, to learn without a sort in the database whether an identity repeats. A new
 * hash proves a new identity; a repeated hash is a repeated identity or (about once in 10¹⁰ calls
 * of 500,000 findings) a collision, and either way the caller takes the path that deduplicates.
 * Open addressing over a {@code long[]} at most half full: 16 bytes per finding at most, so memory
 * is bounded by the cap on findings per call. Not thread-safe; one per call.
 */
final class KeyHashes {

    private long[] table = new long[8192];
    private int size;

    /** Adds the identity; false when its hash was added before (it may repeat). */
    boolean add(String checkId, String resourceKey) {
        if (2 * (size + 1) > table.length) {
            grow();
        }
        return insert(table, hash(checkId, resourceKey));
    }

    private boolean insert(long[] t, long h) {
        long key = h == 0 ? 1 : h; // 0 marks an empty slot
        int mask = t.length - 1;
        for (int i = (int) key & mask; ; i = (i + 1) & mask) {
            if (t[i] == 0) {
                t[i] = key;
                size++;
                return true;
            }
            if (t[i] == key) {
                return false;
            }
        }
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        size = 0;
        for (long h : old) {
            if (h != 0) {
                insert(table, h);
            }
        }
    }

    /** FNV-1a over both strings' chars with a separator no Java char equals, then a 64-bit mix. */
    static long hash(String checkId, String resourceKey) {
        long h = 0xcbf29ce484222325L;
        h = fnv(h, checkId);
        h = (h ^ 0x10000) * 0x100000001b3L;
        h = fnv(h, resourceKey);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    private static long fnv(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }
}
