package dev.vigil.sources.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonDocumentsTest {

    private static String problem(String text) {
        return JsonDocuments.problem(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aNestedObjectIsFine() {
        assertThat(problem("{\"zone\":{\"ssl\":\"flexible\",\"records\":[1,2,{}]}}")).isNull();
    }

    @Test
    void anArrayIsNotADocument() {
        assertThat(problem("[1,2]"))
                .startsWith("expected a JSON object but the document starts with [");
    }

    @Test
    void anEmptyBodyIsNotADocument() {
        assertThat(problem("")).contains("nothing (empty body)");
    }

    @Test
    void brokenJsonIsReportedWithItsLocation() {
        assertThat(problem("{\"a\": tru}"))
                .startsWith("not valid JSON: ")
                .contains("at line 1, column 7 (byte 6)");
    }

    @Test
    void trailingContentIsRefused() {
        assertThat(problem("{} {}"))
                .isEqualTo("unexpected content after the JSON object: START_OBJECT");
    }
}
