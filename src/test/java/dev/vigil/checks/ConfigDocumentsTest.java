package dev.vigil.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cel.common.values.NullValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigDocumentsTest {

    private static Map<String, Object> parse(String json) {
        return ConfigDocuments.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void integersDecodeAsLongAndOtherNumbersAsDouble() {
        Map<String, Object> doc =
                parse("{\"a\": 300, \"b\": 1.5, \"c\": 123456789012345678901234567890}");
        assertThat(doc.get("a")).isEqualTo(300L);
        assertThat(doc.get("b")).isEqualTo(1.5);
        assertThat(doc.get("c")).isInstanceOf(Double.class);
    }

    @Test
    void nullMembersAreDroppedAndNullElementsKept() {
        Map<String, Object> doc =
                parse("{\"token\": {\"expires_on\": null, \"id\": \"t\"}, \"list\": [1, null]}");
        assertThat(Set.copyOf(((Map<?, ?>) doc.get("token")).keySet())).isEqualTo(Set.of("id"));
        assertThat(List.copyOf((List<?>) doc.get("list")))
                .isEqualTo(List.of(1L, NullValue.NULL_VALUE));
    }

    @Test
    void documentsAreUnmodifiable() {
        Map<String, Object> doc = parse("{\"a\": {\"b\": [true]}}");
        assertThatThrownBy(() -> doc.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nonObjectRootIsRefusedNamingWhatWasFound() {
        assertThatThrownBy(() -> parse("[1, 2]"))
                .isInstanceOf(BrokenDocumentException.class)
                .hasMessageContaining("must be a JSON object, got START_ARRAY");
    }

    @Test
    void malformedJsonIsRefused() {
        assertThatThrownBy(() -> parse("{\"a\": "))
                .isInstanceOf(BrokenDocumentException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void contentAfterTheObjectIsRefusedWhereItIs() {
        // the fetch checks only how a body opens; the decode is where this is caught
        assertThatThrownBy(() -> parse("{\"a\": 1}\n  {}"))
                .isInstanceOf(BrokenDocumentException.class)
                .hasMessage(
                        "configuration document has content after its JSON object: START_OBJECT"
                                + " at line 2, column 3");
        assertThatThrownBy(
                        () ->
                                ConfigDocuments.parse(
                                        "{\"a\": 1} 2".getBytes(StandardCharsets.UTF_8),
                                        Set.of("a")))
                .hasMessageContaining("content after its JSON object: VALUE_NUMBER_INT");
        assertThat(parse(" {\"a\": 1} \n")).containsEntry("a", 1L);
    }
}
