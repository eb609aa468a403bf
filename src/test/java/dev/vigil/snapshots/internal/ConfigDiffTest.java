package dev.vigil.snapshots.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ConfigDiffTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static JsonNode json(String text) {
        return MAPPER.readTree(text);
    }

    @Test
    void equalDocumentsChangeNothingWhateverTheKeyOrder() {
        assertThat(
                        ConfigDiff.changedSections(
                                json("{\"a\": {\"x\": 1, \"y\": 2}, \"b\": [1]}"),
                                json("{\"b\": [1], \"a\": {\"y\": 2, \"x\": 1}}")))
                .isEmpty();
    }

    @Test
    void changedAddedAndRemovedSectionsAreListedSorted() {
        assertThat(
                        ConfigDiff.changedSections(
                                json(
                                        "{\"settings\": {\"ssl\": \"off\"}, \"dnssec\": {}, \"x\": 1}"),
                                json(
                                        "{\"settings\": {\"ssl\": \"strict\"}, \"x\": 1, \"new\": 2}")))
                .containsExactly("dnssec", "new", "settings");
    }

    @Test
    void aPermissionMarkerCountsAsTheSectionItNames() {
        assertThat(
                        ConfigDiff.changedSections(
                                json("{\"dns_records\": [], \"_errors\": {\"members\": \"403\"}}"),
                                json(
                                        "{\"dns_records\": [], \"_errors\": {\"members\": \"403\","
                                                + " \"dns_records\": \"403\"}}")))
                .containsExactly("dns_records");
        assertThat(
                        ConfigDiff.changedSections(
                                json("{\"_errors\": {\"members\": \"403\"}}"), json("{}")))
                .containsExactly("members");
    }
}
