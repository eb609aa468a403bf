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
    void aBodyThatIsNotJsonIsReportedWithItsLocation() {
        assertThat(problem("\n  <html>oops</html>"))
                .startsWith("not valid JSON: ")
                .contains("at line 2, column 3 (byte 3)");
    }

    @Test
    void onlyTheOpeningIsChecked() {
        // the checker's decode refuses the rest (ConfigDocumentsTest, BrokenDocumentTest)
        assertThat(problem("{\"a\": tru}")).isNull();
        assertThat(problem("{} {}")).isNull();
    }
}
