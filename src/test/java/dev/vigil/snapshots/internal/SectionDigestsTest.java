package dev.vigil.snapshots.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.inventory.Target;
import dev.vigil.simulate.Fleet;
import dev.vigil.simulate.FleetGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A push compares section fingerprints where it used to diff the previous document: the two must
 * name the same changed sections, on the generated fleet's documents and on edits of them.
 */
class SectionDigestsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Fleet FLEET = FleetGenerator.generate(11L, 30, 200);

    private static List<JsonNode> documents() {
        List<JsonNode> out = new ArrayList<>();
        for (Target t : FLEET.targets()) {
            out.add(JSON.readTree(FLEET.documentsByTargetId().get(t.targetId())));
        }
        return out;
    }

    private static List<String> byDigests(JsonNode before, JsonNode after) {
        Map<String, String> stored =
                SectionDigests.parse(SectionDigests.toJson(SectionDigests.of(before)));
        return SectionDigests.changed(stored, SectionDigests.of(after));
    }

    /**
     * A fixed document with every kind of value, nested objects with unsorted keys, non-ASCII text
     * and the permission markers; {@link #PINNED} are its fingerprints as the implementation that
     * fed the digest byte by byte computed them. {@code StreamedDigestsTest} holds the token-fed
     * fingerprints to the same figures.
     */
    static final String PINNED_DOCUMENT =
            """
            {"settings":{"ssl":"full","min_tls_version":"1.2",                        "b":[1,2.5,-3,12345678901,true,false,null],"a":{"z":"é\u4e2d😀","y":{}}},                        "dns_records":[{"type":"A","name":"www","content":"192.0.2.1",                        "proxied":true,"ttl":1}],                        "_errors":{"waf":"forbidden","dnssec":{"code":10000}},"empty":[],                        "n":1e300,"big":123456789012345678901234567890}
            """;

    static final Map<String, String> PINNED =
            Map.of(
                    "_errors/dnssec", "lidxH5Xb80NkKCAUmCjVrQ",
                    "_errors/waf", "Zrz1QqHU1DuWgfJLV5gGLQ",
                    "big", "n3YAG6Gf4SX0ihUVG1rLAQ",
                    "dns_records", "NRYg3GIfH8jhxoc3XpoQ_w",
                    "empty", "jejNdXmKqyzsVrzEX0YwIQ",
                    "n", "TA5KoNqODxiCzYagZyvjYg",
                    "settings", "1vtpSIfnak2QZAdfrSp07w");

    /**
     * Versions stored before and after the digest's input was buffered compare equal, so an upgrade
     * does not report every section of every target changed once.
     */
    @Test
    void fingerprintsEqualThoseStoredByEarlierVersions() {
        assertThat(SectionDigests.of(JSON.readTree(PINNED_DOCUMENT)))
                .containsExactlyInAnyOrderEntriesOf(PINNED);
    }

    @Test
    void fingerprintsNameTheSectionsTheDiffNamesAcrossTheFleetAndEditsOfIt() {
        List<JsonNode> docs = documents();
        Random random = new Random(5);
        int pairs = 0;
        int changed = 0;
        for (int i = 0; i < docs.size(); i++) {
            JsonNode a = docs.get(i);
            List<JsonNode> others = new ArrayList<>();
            others.add(docs.get((i + 1) % docs.size()));
            others.add(reordered(a));
            others.add(edited(a, random));
            others.add(withMarker(a, "dns_records"));
            others.add(withoutASection(a, random));
            for (JsonNode b : others) {
                List<String> expected = ConfigDiff.changedSections(a, b);
                assertThat(byDigests(a, b)).as("document %d", i).isEqualTo(expected);
                assertThat(byDigests(b, a))
                        .as("document %d reversed", i)
                        .isEqualTo(ConfigDiff.changedSections(b, a));
                pairs++;
                changed += expected.isEmpty() ? 0 : 1;
            }
        }
        assertThat(pairs).isGreaterThan(1_000);
        assertThat(changed).as("pairs that differ").isGreaterThan(pairs / 2);
    }

    @Test
    void keyOrderChangesNothingAndAValueOfAnotherTypeDoes() {
        JsonNode a = JSON.readTree("{\"s\": {\"x\": 1, \"y\": [1, \"1\", null, true]}, \"t\": 1}");
        JsonNode b = JSON.readTree("{\"t\": 1, \"s\": {\"y\": [1, \"1\", null, true], \"x\": 1}}");
        JsonNode c =
                JSON.readTree("{\"t\": \"1\", \"s\": {\"y\": [1, \"1\", null, true], \"x\": 1}}");
        assertThat(byDigests(a, b)).isEmpty();
        assertThat(byDigests(a, c)).containsExactly("t");
    }

    @Test
    void aMarkerChangeNamesItsSectionOnceAndANonObjectErrorsFieldNamesNone() {
        JsonNode a = JSON.readTree("{\"dns_records\": [1], \"_errors\": {\"members\": \"403\"}}");
        JsonNode b =
                JSON.readTree(
                        "{\"dns_records\": [2], \"_errors\": {\"members\": \"403\","
                                + " \"dns_records\": \"403\"}}");
        assertThat(byDigests(a, b)).containsExactly("dns_records");
        assertThat(byDigests(JSON.readTree("{\"_errors\": 3}"), JSON.readTree("{}"))).isEmpty();
    }

    /** {@code node} with every object's keys in reverse order. */
    private static JsonNode reordered(JsonNode node) {
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(node.properties());
            ObjectNode out = JSON.createObjectNode();
            for (int k = entries.size() - 1; k >= 0; k--) {
                out.set(entries.get(k).getKey(), reordered(entries.get(k).getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            node.forEach(item -> out.add(reordered(item)));
            return out;
        }
        return node;
    }

    /** {@code doc} with one leaf, somewhere in one random section, changed. */
    private static JsonNode edited(JsonNode doc, Random random) {
        ObjectNode copy = (ObjectNode) doc.deepCopy();
        List<String> names = new ArrayList<>(copy.propertyNames());
        String name = names.get(random.nextInt(names.size()));
        JsonNode section = copy.get(name);
        if (!section.isContainer() || section.isEmpty()) {
            copy.put(name, "edited");
            return copy;
        }
        JsonNode node = section;
        while (true) {
            List<JsonNode> children = new ArrayList<>();
            node.forEach(children::add);
            JsonNode child = children.get(random.nextInt(children.size()));
            if (!child.isContainer() || child.isEmpty()) {
                if (node instanceof ObjectNode o) {
                    String key = new ArrayList<>(o.propertyNames()).get(random.nextInt(o.size()));
                    o.put(key, "edited-" + random.nextInt());
                } else {
                    ((ArrayNode) node).add("appended");
                }
                return copy;
            }
            node = child;
        }
    }

    private static JsonNode withMarker(JsonNode doc, String section) {
        ObjectNode copy = (ObjectNode) doc.deepCopy();
        JsonNode errors = copy.get(ConfigDiff.ERRORS);
        ObjectNode markers =
                errors != null && errors.isObject()
                        ? (ObjectNode) errors
                        : copy.putObject(ConfigDiff.ERRORS);
        if (markers.has(section)) {
            markers.remove(section);
        } else {
            markers.put(section, "403");
        }
        return copy;
    }

    private static JsonNode withoutASection(JsonNode doc, Random random) {
        ObjectNode copy = (ObjectNode) doc.deepCopy();
        List<String> names = new ArrayList<>(copy.propertyNames());
        copy.remove(names.get(random.nextInt(names.size())));
        return copy;
    }
}
