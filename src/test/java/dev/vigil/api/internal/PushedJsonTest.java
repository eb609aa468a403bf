package dev.vigil.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vigil.simulate.Fleet;
import dev.vigil.simulate.FleetGenerator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a push stores is the tree the strict reader builds, whether the one-pass read accepts the
 * document at once or hands it to the checked reading; what that reading refuses is still refused
 * with its message (ConfigPushBodyIT checks the refusals over HTTP).
 */
class PushedJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode read(String text) {
        return PushedJson.object(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyDocumentOfAGeneratedFleetIsStoredAsTheStrictReaderReadsIt() {
        Fleet fleet = FleetGenerator.generate(5L, 20, 150);
        assertThat(fleet.documentsByTargetId()).hasSizeGreaterThan(100);
        fleet.documentsByTargetId()
                .forEach(
                        (id, raw) -> {
                            JsonNode pushed = PushedJson.object(raw);
                            assertThat(pushed).as(id).isEqualTo(JSON.readTree(raw));
                            assertThat(JSON.writeValueAsString(pushed))
                                    .as(id)
                                    .isEqualTo(JSON.writeValueAsString(JSON.readTree(raw)));
                        });
    }

    @Test
    void valuesTheOnePassReadDoubtsAreCheckedAndStoredWhenHonest() {
        String doc = "{\"a\": 0.0, \"b\": -0.0, \"c\": [0e5, 1e-320], \"d\": \"x\\ud83d\\ude00\"}";

        assertThat(read(doc)).isEqualTo(JSON.readTree(doc));
    }

    @Test
    void whatTheCheckedReadingRefusesIsStillRefused() {
        assertThatThrownBy(() -> read("{\"a\": {\"ttl\": 1e999999}}"))
                .hasMessageContaining("(a.ttl)")
                .hasMessageContaining("out of the range of a 64-bit float");
        assertThatThrownBy(() -> read("{\"a\": [1, -1e-999999]}")).hasMessageContaining("(a[1])");
        assertThatThrownBy(() -> read("{\"a\": \"x\\ud800\"}"))
                .hasMessageContaining("lone surrogate");
        assertThatThrownBy(() -> read("{\"\\udc00\": 1}")).hasMessageContaining("surrogate");
        assertThatThrownBy(() -> read("{\"a\": 1, \"a\": 2}"))
                .hasMessageContaining("not valid JSON")
                .hasMessageContaining("Duplicate");
        assertThatThrownBy(() -> read("{} {}")).hasMessageContaining("not one JSON value");
        assertThatThrownBy(() -> read("[1]")).hasMessageContaining("must be one JSON object");
    }

    @Test
    void theSinglePushReadsEveryFleetDocumentInOnePassAsTheTreeWouldStoreIt() {
        Fleet fleet = FleetGenerator.generate(9L, 20, 150);
        fleet.documentsByTargetId()
                .forEach(
                        (id, raw) ->
                                assertThat(PushedJson.document(raw))
                                        .as(id)
                                        .isEqualTo(PushedJson.Streamed.of(JSON.readTree(raw))));
    }

    @Test
    void theSinglePushHandsWhatTheOnePassDoubtsToTheCheckedReading() {
        String honest = "{\"a\": 0.0, \"b\": [-0.0], \"c\": \"x\\ud83d\\ude00\"}";
        assertThat(PushedJson.document(honest.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(PushedJson.Streamed.of(JSON.readTree(honest)));

        for (String refused :
                new String[] {
                    "{\"a\": {\"ttl\": 1e999999}}",
                    "{\"a\": \"x\\ud800\"}",
                    "{\"a\": 1, \"a\": 2}",
                    "{} {}",
                    "[1]",
                    "{\"a\": [1}"
                }) {
            byte[] raw = refused.getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> PushedJson.document(raw))
                    .as(refused)
                    .isInstanceOf(ApiProblem.class)
                    .hasMessage(catchThrowable(() -> PushedJson.object(raw)).getMessage());
        }
    }
}
