package dev.vigil.sources;

import dev.vigil.inventory.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One fetched configuration document: the raw JSON bytes of a JSON object, as the source sent them
 * (parsing is the checker's business, and its decode is what refuses a document that is not exactly
 * one well-formed object: a source checks how a body opens, at most), with when it was fetched and
 * how long that took.
 *
 * <p>The array is handed over, not copied: neither the source nor the reader modifies it after
 * construction. Equality compares the bytes.
 *
 * @param target the target the document describes
 * @param json UTF-8 JSON text of one object, as sent
 * @param fetchedAt when the fetch completed
 * @param fetchTime how long the fetch took, request to last byte
 */
// The array is the whole point of the record (the document's bytes, handed over without a copy);
// equals, hashCode and toString below treat it by content.
@SuppressWarnings("ArrayRecordComponent")
public record ConfigDocument(Target target, byte[] json, Instant fetchedAt, Duration fetchTime) {

    public ConfigDocument {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        Objects.requireNonNull(fetchTime, "fetchTime");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigDocument d
                && target.equals(d.target)
                && Arrays.equals(json, d.json)
                && fetchedAt.equals(d.fetchedAt)
                && fetchTime.equals(d.fetchTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(target, Arrays.hashCode(json), fetchedAt, fetchTime);
    }

    @Override
    public String toString() {
        return "ConfigDocument[target="
                + target.targetId()
                + ", "
                + json.length
                + " bytes, fetchedAt="
                + fetchedAt
                + ", fetchTime="
                + fetchTime.toMillis()
                + " ms]";
    }
}
