package dev.vigil.snapshots;

import dev.vigil.snapshots.internal.SectionDigests;
import dev.vigil.snapshots.internal.StreamedDigests;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * A pushed document's section fingerprints ({@link SnapshotPush#digests}) computed from its tokens
 * while the caller's parser reads them, so that a caller who checks and rewrites the document token
 * by token needs no tree of it; the same fingerprints as {@link #of} computes from a tree ({@link
 * StreamedDigests} says how). Not thread-safe; one document.
 */
public final class DocumentFingerprints {

    private final StreamedDigests digests = new StreamedDigests();

    /** The fingerprints of {@code document}, read as a tree, by section. */
    public static Map<String, String> of(JsonNode document) {
        return SectionDigests.of(document);
    }

    /**
     * Takes the token {@code p} is on, {@code t}: every token of the document, from its {@code
     * START_OBJECT} to the matching {@code END_OBJECT}.
     */
    public void token(JsonParser p, JsonToken t) {
        digests.token(p, t);
    }

    /** The fingerprints, by section, once the document's last token was taken. */
    public Map<String, String> digests() {
        return digests.digests();
    }
}
