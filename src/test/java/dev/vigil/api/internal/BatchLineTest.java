package dev.vigil.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.simulate.Fleet;
import dev.vigil.simulate.FleetGenerator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A batch line read in one pass, with no tree of its document, is the line the checked reading
 * gives: the same target, version and sections, the same compact text stored and the same
 * fingerprints. Whatever the one pass does not accept as it stands goes to the checked reading,
 * which refuses it with its message or accepts it (ConfigBatchPushIT checks the refusals over
 * HTTP).
 */
class BatchLineTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static BatchLine streamed(String line) {
        byte[] raw = bytes(line);
        BatchLine l = BatchLine.streamed(raw, 0, raw.length, 7);
        assertThat(l).as("read in one pass: %s", line).isNotNull();
        return l;
    }

    private static BatchLine checked(String line) {
        byte[] raw = bytes(line);
        return BatchLine.checked(raw, 0, raw.length, 7);
    }

    @Test
    void everyDocumentOfAGeneratedFleetIsReadInOnePassAsTheCheckedReadingReadsIt() {
        Fleet fleet = FleetGenerator.generate(5L, 20, 150);
        assertThat(fleet.documentsByTargetId()).hasSizeGreaterThan(100);
        int[] k = {0};
        fleet.documentsByTargetId()
                .forEach(
                        (id, raw) -> {
                            String doc = new String(raw, StandardCharsets.UTF_8);
                            String line =
                                    switch (k[0]++ % 3) {
                                        case 0 ->
                                                "{\"target_id\":\""
                                                        + id
                                                        + "\",\"document\":"
                                                        + doc
                                                        + "}";
                                        case 1 ->
                                                "{\"document\": "
                                                        + doc
                                                        + ", \"version\": 12, \"target_id\": \""
                                                        + id
                                                        + "\"}";
                                        default ->
                                                "{\"changed_sections\": [\" waf \", \"dns_records\","
                                                        + " \"waf\"], \"version\": null,"
                                                        + " \"target_id\": \""
                                                        + id
                                                        + "\", \"document\": "
                                                        + doc
                                                        + "}";
                                    };
                            assertThat(streamed(line)).as(id).isEqualTo(checked(line));
                        });
    }

    @Test
    void everyKindOfValueIsWrittenAndFingerprintedAsTheTreeIs() {
        String line =
                "{\"target_id\": \"z\", \"document\": {\"b\": [1, 2147483648, 9223372036854775808,"
                        + " -2.5e-3, 1e2, 3.14159265358979323846, \"é\\u4e2d\\ud83d\\ude00\\n\\\"\","
                        + " true, false, null, {}, []], \"a\": {\"y\": {\"d\": 1, \"c\": 2}, \"x\":"
                        + " \"\\u0001\"}, \"_errors\": {\"waf\": \"403\"}}}";

        BatchLine l = streamed(line);

        assertThat(l).isEqualTo(checked(line));
        assertThat(l.text()).startsWith("{\"b\":[1,2147483648,9223372036854775808,-0.0025,100.0,");
        assertThat(l.digests()).containsOnlyKeys("a", "b", "_errors/waf");
    }

    @Test
    void whatTheOnePassDoesNotAcceptAsItStandsGoesToTheCheckedReading() {
        for (String line :
                List.of(
                        "{\"target_id\": \"z\", \"document\": {\"a\": 0.0}}",
                        "{\"target_id\": \"z\", \"document\": {\"a\": \"x\\ud800\"}}",
                        "{\"target_id\": \"z\", \"document\": {\"a\": 1, \"a\": 2}}",
                        "{\"target_id\": \"z\", \"document\": {\"a\": 1e999999}}",
                        "{\"target_id\": \"z\", \"document\": [1]}",
                        "{\"target_id\": \"z\"}",
                        "{\"target_id\": \" \", \"document\": {}}",
                        "{\"target_id\": 3, \"document\": {}}",
                        "{\"target_id\": \"z\", \"document\": {}, \"extra\": 1}",
                        "{\"target_id\": \"z\", \"document\": {}, \"version\": 0}",
                        "{\"target_id\": \"z\", \"document\": {}, \"version\": 1.5}",
                        "{\"target_id\": \"z\", \"document\": {}, \"version\": 99999999999999999999}",
                        "{\"target_id\": \"z\", \"document\": {}, \"changed_sections\": []}",
                        "{\"target_id\": \"z\", \"document\": {}, \"changed_sections\": [\"\"]}",
                        "{\"target_id\": \"z\", \"document\": {}, \"changed_sections\": \"waf\"}",
                        "{\"target_id\": \"z\", \"document\": {}} {}",
                        "[{\"target_id\": \"z\", \"document\": {}}]",
                        "{\"target_id\": \"z\", \"document\": {\"a\": [1}}")) {
            byte[] raw = bytes(line);
            assertThat(BatchLine.streamed(raw, 0, raw.length, 7)).as(line).isNull();
        }
    }

    @Test
    void aZeroFloatTheOnePassDoubtsIsAcceptedByTheCheckedReading() {
        String line = "{\"target_id\": \"z\", \"document\": {\"a\": 0.0, \"b\": [-0.0]}}";
        byte[] raw = bytes(line);

        BatchLine l = BatchLine.read(raw, 0, raw.length, 7);

        assertThat(l.text()).isEqualTo("{\"a\":0.0,\"b\":[-0.0]}");
        assertThat(l.digests()).containsOnlyKeys("a", "b");
    }

    @Test
    void aRefusedLineIsRefusedWithTheCheckedReadingsMessage() {
        byte[] raw = bytes("{\"target_id\": \"z\", \"document\": {}, \"version\": 0}");

        assertThatThrownBy(() -> BatchLine.read(raw, 0, raw.length, 7))
                .hasMessageContaining("line 7 of the batch: version must be an integer >= 1");
    }
}
