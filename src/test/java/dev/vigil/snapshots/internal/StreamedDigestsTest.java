package dev.vigil.snapshots.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.simulate.Fleet;
import dev.vigil.simulate.FleetGenerator;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fingerprints computed from a document's tokens are those of its tree, byte for byte: a
 * version stored by the batch route (tokens) and one stored by the single push (tree) compare
 * equal, and so do versions stored before and after the batch route stopped building trees.
 */
class StreamedDigestsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Every token of {@code text}, one JSON object, fed to a fresh instance. */
    static Map<String, String> streamed(String text) {
        StreamedDigests d = new StreamedDigests();
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        try (JsonParser p =
                JsonFactory.builder()
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .build()
                        .createParser(ObjectReadContext.empty(), raw, 0, raw.length)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                d.token(p, t);
            }
        }
        return d.digests();
    }

    private static void sameAsTheTree(String text) {
        assertThat(streamed(text)).as(text).isEqualTo(SectionDigests.of(JSON.readTree(text)));
    }

    @Test
    void theFixedDocumentKeepsTheFingerprintsStoredByEarlierVersions() {
        assertThat(streamed(SectionDigestsTest.PINNED_DOCUMENT))
                .containsExactlyInAnyOrderEntriesOf(SectionDigestsTest.PINNED);
    }

    @Test
    void everyDocumentOfAGeneratedFleetHasItsTreesFingerprints() {
        Fleet fleet = FleetGenerator.generate(11L, 30, 200);
        assertThat(fleet.documentsByTargetId()).hasSizeGreaterThan(200);
        fleet.documentsByTargetId()
                .values()
                .forEach(raw -> sameAsTheTree(new String(raw, StandardCharsets.UTF_8)));
    }

    @Test
    void everyKindOfNumberIsTaggedWithTheNodeATreeHolds() {
        for (String n :
                new String[] {
                    "0",
                    "-1",
                    "2147483647",
                    "2147483648",
                    "-2147483649",
                    "9223372036854775807",
                    "9223372036854775808",
                    "-123456789012345678901234567890",
                    "0.5",
                    "1e2",
                    "1E-7",
                    "-2.5e-3",
                    "3.14159265358979323846264338327950288",
                    "1.7976931348623157e308",
                    "5e-324",
                    "12345678.9",
                    "0.0",
                    "-0.0",
                    "1.00000000000000000001"
                }) {
            sameAsTheTree("{\"a\": " + n + ", \"b\": [" + n + "], \"c\": {\"x\": " + n + "}}");
        }
    }

    @Test
    void markersAndAnErrorsFieldThatIsNoObjectAreTreatedAsTheTreeTreatsThem() {
        sameAsTheTree("{\"_errors\": {\"waf\": \"403\", \"dns\": {\"b\": [1, {}], \"a\": null}}}");
        sameAsTheTree("{\"_errors\": [{\"waf\": 1}, [2, [3]]], \"z\": {\"y\": 1, \"x\": 2}}");
        sameAsTheTree("{\"a\": 1, \"_errors\": \"no\", \"b\": {}}");
        sameAsTheTree("{\"_errors\": {}, \"_errors/waf\": 1}");
        sameAsTheTree("{\"_errors/waf\": 1, \"_errors\": {\"waf\": 2}}");
        sameAsTheTree("{\"_errors\": null}");
        sameAsTheTree("{}");
    }

    @Test
    void randomDocumentsOfNestedUnsortedValuesHaveTheirTreesFingerprints() {
        Random random = new Random(17);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder doc = new StringBuilder("{");
            int sections = random.nextInt(6);
            for (int s = 0; s < sections; s++) {
                doc.append(s == 0 ? "" : ",").append('"').append(name(random)).append(s);
                doc.append("\":");
                value(doc, random, 0);
            }
            sameAsTheTree(doc.append('}').toString());
        }
    }

    /**
     * Names in no order, some non-ASCII (String order is the order); the caller appends the
     * member's index, so one object's names differ.
     */
    private static String name(Random random) {
        String[] parts = {"a", "b", "zz", "é", "中", "_errors", "A", "ab", "\\u00e9x", "😀"};
        return parts[random.nextInt(parts.length)] + random.nextInt(1_000_000);
    }

    private static void value(StringBuilder out, Random random, int depth) {
        int kind = random.nextInt(depth > 4 ? 6 : 8);
        switch (kind) {
            case 0 -> out.append('"').append(name(random)).append('"');
            case 1 -> out.append(random.nextInt());
            case 2 -> out.append(random.nextLong());
            case 3 -> out.append(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 4 -> out.append(random.nextBoolean());
            case 5 -> out.append("null");
            case 6 -> {
                out.append('[');
                int n = random.nextInt(5);
                for (int k = 0; k < n; k++) {
                    out.append(k == 0 ? "" : ",");
                    value(out, random, depth + 1);
                }
                out.append(']');
            }
            default -> {
                out.append('{');
                int n = random.nextInt(6);
                for (int k = 0; k < n; k++) {
                    out.append(k == 0 ? "" : ",").append('"').append(name(random)).append(k);
                    out.append("\":");
                    value(out, random, depth + 1);
                }
                out.append('}');
            }
        }
    }
}
