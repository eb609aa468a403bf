package dev.vigil.snapshots.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The bytes a section fingerprint hashes ({@link SectionDigests}), gathered in one growable buffer
 * and handed to the digest in one call: fed byte by byte (four calls per length), the digest's
 * per-call overhead was the largest share of the batch push route's fingerprinting (JFR, `bench
 * changes`, 2026-12-04 20:40 UTC). A value is a type tag, then its content: text and counts are
 * length-prefixed (four bytes, big-endian), text in UTF-8. Both writers of these bytes, the tree's
 * ({@link SectionDigests#of}) and the tokens' ({@link StreamedDigests}), use these primitives, so
 * they cannot drift apart. Not a {@code ByteArrayOutputStream}: its writes are synchronized, one
 * lock per byte here. Not thread-safe.
 */
final class CanonicalBytes {

    private static final int BYTES = 16;

    byte[] buf = new byte[1024];
    int len;

    void text(String s) {
        // ASCII, nearly every key and value: its UTF-8 bytes are its chars, written in place
        int n = s.length();
        room(4 + n);
        int at = len + 4;
        int i = 0;
        while (i < n && s.charAt(i) < 0x80) {
            buf[at + i] = (byte) s.charAt(i);
            i++;
        }
        if (i == n) {
            length(n);
            len += n;
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        length(b.length);
        room(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    void length(int n) {
        room(4);
        patch(len, n);
        len += 4;
    }

    /** Writes {@code n} as a length at {@code at}, over the four bytes reserved there. */
    void patch(int at, int n) {
        buf[at] = (byte) (n >>> 24);
        buf[at + 1] = (byte) (n >>> 16);
        buf[at + 2] = (byte) (n >>> 8);
        buf[at + 3] = (byte) n;
    }

    void put(byte b) {
        room(1);
        buf[len++] = b;
    }

    void room(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    /** The fingerprint of the bytes gathered: SHA-256, first 128 bits, base64url unpadded. */
    String digest(MessageDigest sha) {
        sha.reset();
        sha.update(buf, 0, len);
        byte[] full = sha.digest();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(full, BYTES));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
