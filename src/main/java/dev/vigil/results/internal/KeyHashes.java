package dev.vigil.results.internal;

import java.util.Arrays;

/**
 * 64-bit hashes of the identities (check id, resource key) of the findings of one call, kept while
 * they stream into staging, to learn without a sort in the database whether the call can hold the
 * same identity twice. Distinct hashes prove distinct identities; an equal pair is a duplicate or
 * (about once in 10¹⁰ calls of 500,000 findings) a collision, and either way the caller takes the
 * path that deduplicates. Eight bytes per finding, so memory is bounded by the cap on findings per
 * call. Not thread-safe; one per call.
 */
final class KeyHashes {

    private long[] hashes = new long[4096];
    private int size;

    void add(String checkId, String resourceKey) {
        if (size == hashes.length) {
            hashes = Arrays.copyOf(hashes, size * 2);
        }
        hashes[size++] = hash(checkId, resourceKey);
    }

    /** True when two added identities may be equal. Call once, after the last {@link #add}. */
    boolean mayHaveDuplicates() {
        Arrays.sort(hashes, 0, size);
        for (int i = 1; i < size; i++) {
            if (hashes[i] == hashes[i - 1]) {
                return true;
            }
        }
        return false;
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
