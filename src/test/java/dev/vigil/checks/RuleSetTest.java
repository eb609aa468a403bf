package dev.vigil.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.checks.internal.RuleSource;
import dev.vigil.inventory.TargetKind;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleSetTest {

    private static RuleSet set(String... texts) {
        return RuleSets.fromSources(
                java.util.stream.IntStream.range(0, texts.length)
                        .mapToObj(i -> new RuleSource("rules/r" + i + ".yaml", texts[i]))
                        .toList());
    }

    private static Map<String, Object> doc(String json) {
        return ConfigDocuments.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void typeErrorIsRefusedNamingFileLineFieldAndReason() {
        assertThatThrownBy(
                        () -> set(RuleFiles.zoneSetting("t.bad", "doc.settings.ssl == 'off' && 1")))
                .isInstanceOf(RuleSetException.class)
                .hasMessageStartingWith("rules/r0.yaml:12: field 'assert': ")
                .hasMessageContaining("no matching overload");
    }

    @Test
    void aSectionReadButNotDeclaredIsRefused() {
        assertThatThrownBy(() -> set(RuleFiles.zoneSetting("t.bad", "doc.?zone.plan == 'free'")))
                .isInstanceOf(RuleSetException.class)
                .hasMessageStartingWith("rules/r0.yaml:12: field 'assert': reads section 'zone'")
                .hasMessageContaining("does not list");
        assertThatThrownBy(
                        () ->
                                set(
                                        RuleFiles.zoneSetting(
                                                "t.bad",
                                                "size(records_by_type.?A.orValue([])) > 0")))
                .isInstanceOf(RuleSetException.class)
                .hasMessageContaining("built from 'dns_records'");
        assertThat(set(RuleFiles.zoneSetting("t.ok", "doc.settings.ssl == 'off'")).checks())
                .hasSize(1);
    }

    /**
     * A character outside the BMP (an emoji: two chars) wherever it falls, across the YAML reader's
     * 1,024-char buffer boundaries: snakeyaml-engine 3.0.1 read past its buffer when the boundary
     * split the pair (found by the fuzzing pass), so such files failed with an exception.
     */
    @Test
    void anEmojiAcrossTheYamlReadersBufferBoundaryLoads() {
        String base = RuleFiles.zoneSetting("t.emoji", "doc.settings.ssl != 'off'");
        String plain = "description: A check for tests.";
        int value = base.indexOf(plain) + "description: '".length();
        for (int at : new int[] {1020, 1023, 1024, 1025, 1026, 2047, 2048, 2049, 2050}) {
            String description = "x".repeat(at - value) + "\uD83D\uDE00 end";
            String text = base.replace(plain, "description: '" + description + "'");
            assertThat(text.indexOf('\uD83D')).isEqualTo(at);

            RuleSet loaded = set(text);

            assertThat(loaded.checks()).as("emoji at char %d", at).hasSize(1);
            assertThat(loaded.checks().getFirst().description()).isEqualTo(description);
        }
    }

    @Test
    void unknownFieldIsRefusedWithItsLine() {
        String text = RuleFiles.zoneSetting("t.bad", "true") + "severtiy: low\n";
        assertThatThrownBy(() -> set(text))
                .isInstanceOf(RuleSetException.class)
                .hasMessageStartingWith("rules/r0.yaml:14: field 'severtiy': unknown field");
    }

    @Test
    void missingRequiredFieldIsRefused() {
        String text = RuleFiles.zoneSetting("t.bad", "true").replace("risk: Something bad.\n", "");
        assertThatThrownBy(() -> set(text)).hasMessageContaining("missing required field 'risk'");
    }

    @Test
    void nonBooleanAssertionIsRefused() {
        assertThatThrownBy(() -> set(RuleFiles.zoneSetting("t.bad", "doc.settings.ssl")))
                .isInstanceOf(RuleSetException.class)
                .hasMessageStartingWith(
                        "rules/r0.yaml:12: field 'assert': expression must be bool, got dyn");
    }

    @Test
    void brokenYamlIsRefusedWithTheParserLine() {
        assertThatThrownBy(() -> set("id: a.b\ntitle: [unclosed\n"))
                .isInstanceOf(RuleSetException.class)
                .hasMessageStartingWith("rules/r0.yaml:")
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void oneBrokenRuleRefusesTheWholeSet() {
        assertThatThrownBy(
                        () ->
                                set(
                                        RuleFiles.zoneSetting("t.good", "true"),
                                        RuleFiles.zoneSetting("t.bad", "1")))
                .hasMessageStartingWith("rules/r1.yaml");
    }

    @Test
    void targetWideFailureHasTheZoneKeyAndTheMessage() {
        Evaluation e =
                set(RuleFiles.zoneSetting("t.ssl", "doc.settings.ssl != 'off'"))
                        .evaluate(TargetKind.ZONE, doc("{\"settings\":{\"ssl\":\"off\"}}"));
        assertThat(e.findings()).containsExactly(new Finding("t.ssl", "zone", "ssl is off"));
    }

    @Test
    void perRecordCheckFindsEachOffendingRecordByItsId() {
        Evaluation e =
                set(RuleFiles.perRecord("t.rec"))
                        .evaluate(
                                TargetKind.ZONE,
                                doc(
                                        """
                {"dns_records":[{"id":"r1","type":"A","name":"a.x","content":"1.1.1.1","proxied":false},
                 {"id":"r2","type":"a","name":"b.x","content":"1.1.1.2","proxied":true},
                 {"id":"r3","type":"A","name":"c.x","content":"1.1.1.3"},
                 {"id":"r4","type":"CNAME","name":"d.x","content":"e.x","proxied":false}]}"""));
        assertThat(e.findings()).extracting(Finding::resourceKey).containsExactly("r1", "r3");
    }

    @Test
    void missingSectionIsNotApplicableUnlessOnMissingSaysError() {
        RuleSet rules = set(RuleFiles.zoneSetting("t.ssl", "true"), RuleFiles.perRecord("t.rec"));
        Evaluation e = rules.evaluate(TargetKind.ZONE, doc("{}"));
        assertThat(e.results())
                .extracting(CheckResult::checkId, CheckResult::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("t.rec", Outcome.ERROR),
                        org.assertj.core.groups.Tuple.tuple("t.ssl", Outcome.NOT_APPLICABLE));
    }

    @Test
    void permissionMarkerTurnsTheCheckIntoAnErrorWithTheSourceReason() {
        Evaluation e =
                set(RuleFiles.zoneSetting("t.ssl", "doc.settings.ssl != 'off'"))
                        .evaluate(
                                TargetKind.ZONE,
                                doc(
                                        "{\"settings\":{\"ssl\":\"off\"},\"_errors\":{\"settings\":\"permission_denied: Zone Settings Read\"}}"));
        assertThat(e.results())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
                            assertThat(r.error()).contains("permission_denied: Zone Settings Read");
                        });
        assertThat(e.erroredCheckIds()).containsExactly("t.ssl");
        assertThat(e.evaluatedCheckIds()).isEmpty();
    }

    @Test
    void evaluationErrorIsAnErrorNeverPassOrFail() {
        // ssl is a number here: comparing it to a string has no overload at run time.
        Evaluation e =
                set(RuleFiles.zoneSetting("t.ssl", "doc.settings.mode == 'strict'"))
                        .evaluate(TargetKind.ZONE, doc("{\"settings\":{\"ssl\":\"off\"}}"));
        assertThat(e.results())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
                            assertThat(r.error()).contains("assert failed").contains("mode");
                        });
    }

    @Test
    void itemWhoseFindingCannotBeBuiltMakesTheCheckAnErrorNotAFailure() {
        Evaluation e =
                set(RuleFiles.perRecord("t.rec"))
                        .evaluate(
                                TargetKind.ZONE,
                                doc(
                                        "{\"dns_records\":[{\"id\":\"r1\",\"type\":\"A\",\"proxied\":false}]}"));
        assertThat(e.results())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
                            assertThat(r.error())
                                    .startsWith("message failed on item 0")
                                    .contains("name");
                        });
    }

    /**
     * A per-resource check reports the failing items only, in the list's order, and the same object
     * listed twice twice: what any faster way of asserting the items must keep.
     */
    @Test
    void perResourceFindingsAreTheFailingItemsInListOrder() {
        Evaluation e =
                set(RuleFiles.perRecord("t.rec")
                                .replace(
                                        "for_each: records_by_type.?A.orValue([])",
                                        "for_each: records_by_type.?A.orValue([]) + [doc.dns_records[1]]"))
                        .evaluate(
                                TargetKind.ZONE,
                                doc(
                                        """
                                        {"dns_records":[
                                          {"id":"r1","type":"A","name":"a","proxied":true},
                                          {"id":"r2","type":"A","name":"b","proxied":false},
                                          {"id":"r3","type":"A","name":"c"},
                                          {"id":"r4","type":"AAAA","name":"d","proxied":false},
                                          {"id":"r5","type":"A","name":"e","proxied":true},
                                          {"id":"r6","type":"A","name":"f","proxied":false}]}"""));
        assertThat(e.results())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
                            assertThat(r.findings())
                                    .extracting(Finding::resourceKey)
                                    .containsExactly("r2", "r3", "r6", "r2");
                            assertThat(r.findings().get(1).message())
                                    .isEqualTo("record c is not proxied");
                        });
    }

    /** An item the assert cannot be evaluated on makes the check an error naming its position. */
    @Test
    void assertErrorOnOneItemNamesThatItem() {
        Evaluation e =
                set(RuleFiles.perRecord("t.rec")
                                .replace(
                                        "assert: item.?proxied.orValue(false) == true",
                                        "assert: item.ttl > 60"))
                        .evaluate(
                                TargetKind.ZONE,
                                doc(
                                        """
                                        {"dns_records":[
                                          {"id":"r1","type":"A","name":"a","ttl":300},
                                          {"id":"r2","type":"A","name":"b","ttl":1},
                                          {"id":"r3","type":"A","name":"c","ttl":"auto"}]}"""));
        assertThat(e.results())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
                            assertThat(r.error()).startsWith("assert failed on item 2");
                        });
    }

    @Test
    void incrementalEvaluationRunsOnlyChecksReadingChangedSections() {
        RuleSet rules = set(RuleFiles.zoneSetting("t.ssl", "true"), RuleFiles.perRecord("t.rec"));
        Evaluation e =
                rules.evaluate(
                        TargetKind.ZONE,
                        doc("{\"settings\":{\"ssl\":\"off\"}}"),
                        Set.of("settings"));
        assertThat(e.results()).extracting(CheckResult::checkId).containsExactly("t.ssl");
        assertThat(e.evaluatedCheckIds()).containsExactly("t.ssl");
        assertThat(rules.affectedChecks(TargetKind.ZONE, Set.of("dns_records")))
                .containsExactly("t.rec");
    }

    @Test
    void checksOfTheOtherKindAreNotRun() {
        Evaluation e =
                set(RuleFiles.zoneSetting("t.ssl", "true")).evaluate(TargetKind.ACCOUNT, doc("{}"));
        assertThat(e.results()).isEmpty();
    }

    @Test
    void versionIsStampedAndFollowsContent() {
        RuleSet a = set(RuleFiles.zoneSetting("t.ssl", "true"));
        RuleSet b = set(RuleFiles.zoneSetting("t.ssl", "false"));
        assertThat(a.version())
                .isNotEqualTo(b.version())
                .isEqualTo(set(RuleFiles.zoneSetting("t.ssl", "true")).version());
        assertThat(a.evaluate(TargetKind.ZONE, doc("{}")).ruleSetVersion()).isEqualTo(a.version());
    }

    @Test
    void wholeCatalogueEvaluatesALargeZoneWithoutErrors() {
        RuleSet rules = RuleSets.catalogue();
        StringBuilder sb =
                new StringBuilder(
                        "{\"zone\":{\"id\":\"z\",\"name\":\"big.example\"},\"dns_resolution\":{},\"dns_records\":[");
        String[] types = {"A", "AAAA", "CNAME", "TXT", "MX"};
        for (int i = 0; i < 20_000; i++) {
            String type = types[i % types.length];
            String content =
                    switch (type) {
                        case "A" -> "203.0." + (i % 250) + ".7";
                        case "AAAA" -> "2606:4700::" + Integer.toHexString(i);
                        default -> "t" + i + ".example.net";
                    };
            sb.append(i == 0 ? "" : ",")
                    .append("{\"id\":\"r")
                    .append(i)
                    .append("\",\"type\":\"")
                    .append(type)
                    .append("\",\"name\":\"h")
                    .append(i)
                    .append(".big.example\",\"content\":\"")
                    .append(content)
                    .append("\",\"proxied\":true}");
        }
        Map<String, Object> big = doc(sb.append("]}").toString());
        // Linearity and speed are measured by the JMH benchmark (./vigil jmh), never by a timed
        // test; this one checks that a large zone evaluates correctly.
        Evaluation e = rules.evaluate(TargetKind.ZONE, big);
        assertThat(e.erroredCheckIds()).isEmpty();
        List<String> failing =
                e.results().stream()
                        .filter(r -> r.outcome() == Outcome.FAIL)
                        .map(CheckResult::checkId)
                        .toList();
        assertThat(failing)
                .contains("dns.caa_missing", "email.spf_missing")
                .doesNotContain("dns.a_record_unproxied");
    }
}
