package dev.vigil.checks.internal;

import java.io.Reader;
import java.util.Objects;

/**
 * A reader over a string that never ends a read between the two halves of a surrogate pair (a
 * character outside the Basic Multilingual Plane, an emoji for one), unless asked for one char.
 *
 * <p>It works around a defect of snakeyaml-engine 3.0.1, the YAML reader under Jackson's YAML
 * module: its {@code StreamReader} fills all {@code bufferSize + 1} chars of its buffer, and when
 * the last one is a high surrogate it reads the low one into the index past the end, so a rule file
 * with such a character at char 1,025 (or any later buffer boundary) failed with an {@link
 * IndexOutOfBoundsException} instead of loading. The fuzzing pass found it (the seed {@code
 * surrogate-pair-at-buffer-boundary}). With no read ending on a high surrogate the engine never
 * takes that path; the text read is the same.
 *
 * <p>Not thread-safe, as readers are not.
 */
final class WholeCodePointReader extends Reader {
    private final String text;
    private int next;

    WholeCodePointReader(String text) {
        this.text = text;
    }

    @Override
    public int read(char[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len == 0) {
            return 0;
        }
        if (next >= text.length()) {
            return -1;
        }
        int end = Math.min(text.length(), next + len);
        if (end - next > 1 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // the pair's high half waits for the next read, with its low half
        }
        text.getChars(next, end, buf, off);
        int n = end - next;
        next = end;
        return n;
    }

    @Override
    public void close() {}
}
