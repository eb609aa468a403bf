package dev.vigil.results;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.many;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsJsonTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static ResultReader open(String json) {
        return ResultsJson.open(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void resultSurvivesARoundTrip() {
        ScanResult r =
                zoneResult("acc1", "zone1", T0, List.of("a", "b"), List.of("c"), many(50, 3));

        assertThat(ResultsJson.read(new ByteArrayInputStream(ResultsJson.toBytes(r)))).isEqualTo(r);
    }

    @Test
    void measuredDurationSurvivesARoundTripAndAnAbsurdOneIsRefused() {
        ScanResult r =
                zoneResult("acc1", "zone1", T0, List.of("a"), List.of(), List.of())
                        .withDurationMs(2_345);
        byte[] bytes = ResultsJson.toBytes(r);

        assertThat(ResultsJson.read(new ByteArrayInputStream(bytes)).durationMs())
                .isEqualTo(2_345L);
        String nanos =
                new String(bytes, StandardCharsets.UTF_8)
                        .replace("\"duration_ms\":2345", "\"duration_ms\":2345000000000");
        assertThatThrownBy(() -> open(nanos))
                .isInstanceOf(MalformedResultException.class)
                .hasMessageContaining("field 'duration_ms' is 2345000000000 but must be between 0");
    }

    @Test
    void bytesThatSelectUtf32ButAreNotUtf32AreRefusedAsMalformed() {
        // found by ResultsIngestionFuzzIT: four NULs make Jackson read UTF-32, then fail to decode
        byte[] body = "\0\0\0\0an_id\":\"x\"}".getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> ResultsJson.open(new ByteArrayInputStream(body)))
                .isInstanceOf(MalformedResultException.class)
                .hasMessageContaining("not valid JSON text (send UTF-8)");
    }

    private static ResultFinding withContext(List<String> context) {
        return new ResultFinding(
                "a",
                "r",
                dev.vigil.checks.Severity.LOW,
                dev.vigil.checks.IssueType.EXPOSED_INFRASTRUCTURE,
                "s",
                "m",
                context);
    }

    @Test
    void contextSurvivesARoundTripAndIsOmittedWhenEmpty() {
        ScanResult r =
                zoneResult(
                        "acc1",
                        "zone1",
                        T0,
                        List.of("a"),
                        List.of(),
                        List.of(withContext(List.of("x\ty", "\"\u00e9")), finding("a", "r2")));
        byte[] bytes = ResultsJson.toBytes(r);

        assertThat(ResultsJson.read(new ByteArrayInputStream(bytes))).isEqualTo(r);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).containsOnlyOnce("\"context\"");
    }

    @Test
    void contextOverTheCapIsRefusedNamingTheFinding() {
        List<String> tooMany =
                java.util.Collections.nCopies(dev.vigil.checks.Finding.MAX_CONTEXT_VALUES + 1, "v");
        byte[] bytes =
                ResultsJson.toBytes(
                        zoneResult(
                                "acc1",
                                "zone1",
                                T0,
                                List.of("a"),
                                List.of(),
                                List.of(withContext(tooMany))));

        assertThatThrownBy(() -> ResultsJson.read(new ByteArrayInputStream(bytes)))
                .isInstanceOf(MalformedResultException.class)
                .hasMessageContaining(
                        "field 'findings[0].context' holds more than 100000 values (the cap per"
                                + " finding)");
    }

    @Test
    void contextThatIsNotAnArrayOfStringsIsRefused() {
        String json =
                "{\"scan_id\":\"7f0c2b5e-3c1a-4c55-9d1e-2a3b4c5d6e7f\",\"target_id\":\"z\","
                        + "\"kind\":\"zone\",\"account_id\":\"a\",\"zone_id\":\"z\","
                        + "\"scanned_at\":\"2026-03-01T10:00:00Z\",\"rule_set_version\":\"v\","
                        + "\"evaluated_checks\":[],\"findings\":[{\"check_id\":\"a\","
                        + "\"resource_key\":\"r\",\"severity\":\"low\",\"issue_type\":"
                        + "\"exposed_infrastructure\",\"subject\":\"s\",\"message\":\"m\","
                        + "\"context\":[\"ok\",1]}]}";

        try (ResultReader r = open(json)) {
            assertThatThrownBy(r::next)
                    .isInstanceOf(MalformedResultException.class)
                    .hasMessageContaining("field 'findings[0].context[1]' must be a string");
        }
    }

    @Test
    void findingsAreWrittenLast() {
        String json =
                new String(
                        ResultsJson.toBytes(
                                zoneResult(
                                        "acc1",
                                        "zone1",
                                        T0,
                                        List.of(),
                                        List.of(),
                                        List.of(finding("a", "r")))),
                        StandardCharsets.UTF_8);

        assertThat(json.indexOf("\"findings\"")).isGreaterThan(json.indexOf("\"errored_checks\""));
        assertThat(json).contains("\"scan_id\"", "\"severity\":\"high\"");
    }

    @Test
    void headerIsAvailableBeforeAnyFindingIsRead() {
        ScanResult r = zoneResult("acc1", "zone1", T0, List.of("a"), List.of(), many(3, 1));
        try (ResultReader reader =
                ResultsJson.open(new ByteArrayInputStream(ResultsJson.toBytes(r)))) {
            assertThat(reader.header()).isEqualTo(ScanHeader.of(r));
            assertThat(reader.findingsRead()).isZero();
            reader.next();
            assertThat(reader.findingsRead()).isEqualTo(1);
        }
    }

    @Test
    void headerFieldAfterFindingsIsRefusedNamingIt() {
        ScanResult r = zoneResult("acc1", "zone1", T0, List.of("a"), List.of(), List.of());
        String json = new String(ResultsJson.toBytes(r), StandardCharsets.UTF_8);
        String moved =
                json.replace(",\"rule_set_version\":\"test-1\"", "")
                        .replace("[]}", "[],\"rule_set_version\":\"x\"}");

        assertThatThrownBy(() -> open(moved))
                .isInstanceOfSatisfying(
                        MalformedResultException.class,
                        e -> assertThat(e.field()).isEqualTo("rule_set_version"))
                .hasMessageContaining("is required and must come before 'findings'");
    }

    @Test
    void aFindingsMissingFieldIsNamedWithoutTheHeadersOrderingRule() {
        String json =
                "{\"scan_id\":\"00000000-0000-0000-0000-000000000001\",\"target_id\":\"z\","
                        + "\"kind\":\"zone\",\"account_id\":\"a\",\"zone_id\":\"z\","
                        + "\"scanned_at\":\"2026-01-01T00:00:00Z\",\"rule_set_version\":\"v\","
                        + "\"evaluated_checks\":[\"c\"],\"findings\":[{\"check_id\":\"c\","
                        + "\"resource_key\":\"k\",\"severity\":\"low\","
                        + "\"issue_type\":\"configuration_suggestion\",\"subject\":\"s\"}]}";

        assertThatThrownBy(
                        () -> {
                            try (ResultReader reader = open(json)) {
                                reader.forEachRemaining(f -> {});
                            }
                        })
                .isInstanceOfSatisfying(
                        MalformedResultException.class,
                        e -> assertThat(e.field()).isEqualTo("findings[0].message"))
                .hasMessage("field 'findings[0].message' is required");
    }

    @Test
    void zoneIdMustMatchTheKind() {
        String json =
                """
                {"scan_id": "6f1c8b0e-2a56-4c87-9a3e-0d0c1b1f2a3b", "target_id": "acc1", "kind": "account",
                 "account_id": "acc1", "zone_id": "z", "scanned_at": "2026-03-01T10:00:00Z",
                 "rule_set_version": "1", "evaluated_checks": []}""";

        assertThatThrownBy(() -> open(json))
                .isInstanceOfSatisfying(
                        MalformedResultException.class,
                        e -> assertThat(e.field()).isEqualTo("zone_id"));
    }

    @Test
    void findingWithWrongTypeIsNamedByIndex() {
        String json =
                """
                {"scan_id": "6f1c8b0e-2a56-4c87-9a3e-0d0c1b1f2a3b", "target_id": "z", "kind": "zone",
                 "account_id": "acc1", "zone_id": "z", "scanned_at": "2026-03-01T10:00:00Z",
                 "rule_set_version": "1", "evaluated_checks": [],
                 "findings": [{"check_id": 7}]}""";
        try (ResultReader reader = open(json)) {
            assertThatThrownBy(reader::next)
                    .isInstanceOfSatisfying(
                            MalformedResultException.class,
                            e -> assertThat(e.field()).isEqualTo("findings[0].check_id"))
                    .hasMessageContaining("must be a string");
        }
    }
}
