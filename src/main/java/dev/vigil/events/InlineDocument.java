package dev.vigil.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The document of a {@link ConfigChange}, carried in the event: UTF-8 JSON exactly as the API
 * stored it. Immutable (the bytes are copied in and out); equality compares the bytes, and {@link
 * #toString()} gives only the size, so a logged event does not print the document.
 */
public final class InlineDocument {
    private final byte[] utf8;

    private InlineDocument(byte[] utf8) {
        this.utf8 = utf8;
    }

    /** A copy of {@code utf8}. */
    public static InlineDocument of(byte[] utf8) {
        return new InlineDocument(utf8.clone());
    }

    /** The UTF-8 bytes of {@code json}. */
    public static InlineDocument of(String json) {
        return new InlineDocument(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Takes {@code utf8} without a copy: for the codec, whose decoded array nobody else holds. */
    static InlineDocument owning(byte[] utf8) {
        return new InlineDocument(utf8);
    }

    /** Length in bytes. */
    public int size() {
        return utf8.length;
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return utf8.clone();
    }

    /** The bytes without a copy, for the codec; never modified. */
    byte[] shared() {
        return utf8;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InlineDocument d && Arrays.equals(utf8, d.utf8);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(utf8);
    }

    @Override
    public String toString() {
        return "InlineDocument[" + utf8.length + " bytes]";
    }
}
