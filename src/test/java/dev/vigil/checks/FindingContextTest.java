package dev.vigil.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.checks.internal.RuleSource;
import dev.vigil.inventory.TargetKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The optional {@code context} expression of a rule: a finding's list of offending values. */
class FindingContextTest {

    private static RuleSet set(String text) {
        return RuleSets.fromSources(List.of(new RuleSource("rules/r0.yaml", text)));
    }

    private static Map<String, Object> doc(String json) {
        return ConfigDocuments.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String recordsDoc(int n, String content) {
        return IntStream.range(0, n)
                .mapToObj(
                        i ->
                                "{\"id\":\"r%d\",\"type\":\"A\",\"name\":\"h%d.x\",\"content\":\"%s\"}"
                                        .formatted(i, i, content))
                .collect(Collectors.joining(",", "{\"dns_records\":[", "]}"));
    }

    private static String withContext(String expr) {
        return RuleFiles.zoneSetting("t.ssl", "doc.settings.ssl != 'off'")
                + "context: \""
                + expr
                + "\"\n";
    }

    @Test
    void targetWideFindingCarriesEveryValueTheContextExpressionLists() {
        String rule =
                RuleFiles.zoneSetting("t.names", "size(doc.dns_records) < 3")
                                .replace("reads: [settings]", "reads: [dns_records]")
                                .replace(
                                        "string(doc.settings.ssl)", "string(size(doc.dns_records))")
                        + "context: doc.dns_records.map(r, r.name)\n";
        Evaluation e = set(rule).evaluate(TargetKind.ZONE, doc(recordsDoc(4, "1.1.1.1")));
        assertThat(e.findings())
                .singleElement()
                .satisfies(
                        f ->
                                assertThat(f.context())
                                        .containsExactly("h0.x", "h1.x", "h2.x", "h3.x"));
    }

    @Test
    void perItemFindingEvaluatesTheContextWithItsItem() {
        String rule = RuleFiles.perRecord("t.rec") + "context: '[item.name, item.content]'\n";
        Evaluation e = set(rule).evaluate(TargetKind.ZONE, doc(recordsDoc(2, "1.1.1.1")));
        assertThat(e.findings())
                .extracting(Finding::context)
                .containsExactly(List.of("h0.x", "1.1.1.1"), List.of("h1.x", "1.1.1.1"));
    }

    @Test
    void ruleWithoutContextGivesFindingsWithEmptyContext() {
        Evaluation e =
                set(RuleFiles.zoneSetting("t.ssl", "doc.settings.ssl != 'off'"))
                        .evaluate(TargetKind.ZONE, doc("{\"settings\":{\"ssl\":\"off\"}}"));
        assertThat(e.findings()).singleElement().extracting(Finding::context).isEqualTo(List.of());
    }

    @Test
    void nonStringValuesAreListedByTheirStringForm() {
        Evaluation e =
                set(withContext("[1, true, 'x']"))
                        .evaluate(TargetKind.ZONE, doc("{\"settings\":{\"ssl\":\"off\"}}"));
        assertThat(e.findings().getFirst().context()).containsExactly("1", "true", "x");
    }

    @Test
    void longValuesAreCutAtTheCapAndMarked() {
        String rule = RuleFiles.perRecord("t.rec") + "context: '[item.content]'\n";
        String longValue = "a".repeat(Finding.MAX_CONTEXT_VALUE_CHARS + 10);
        Evaluation e = set(rule).evaluate(TargetKind.ZONE, doc(recordsDoc(1, longValue)));
        String value = e.findings().getFirst().context().getFirst();
        assertThat(value).hasSize(Finding.MAX_CONTEXT_VALUE_CHARS).endsWith("\u2026");
    }

    @Test
    void contextThatIsNotAListIsAnErrorNamingTheField() {
        String rule =
                RuleFiles.zoneSetting("t.ssl", "doc.settings.ssl != 'off'")
                        + "context: doc.settings.ssl\n";
        Evaluation e = set(rule).evaluate(TargetKind.ZONE, doc("{\"settings\":{\"ssl\":\"off\"}}"));
        assertThat(e.result("t.ssl").orElseThrow().error())
                .isEqualTo("context failed: context must yield a list, got String");
    }

    @Test
    void contextOfTheWrongTypeIsRefusedAtLoad() {
        assertThatThrownBy(() -> set(withContext("'just a string'")))
                .isInstanceOf(RuleSetException.class)
                .hasMessageStartingWith(
                        "rules/r0.yaml:14: field 'context': expression must be a list");
    }

    @Test
    void catalogueListsEverySuperAdministratorInTheContext() {
        String members =
                IntStream.range(0, 5)
                        .mapToObj(
                                i ->
                                        "{\"id\":\"m%d\",\"email\":\"a%d@x.example\",\"status\":\"accepted\",\"roles\":[\"Super Administrator - All Privileges\"]}"
                                                .formatted(i, i))
                        .collect(Collectors.joining(",", "{\"members\":[", "]}"));

        CheckResult r =
                RuleSets.catalogue()
                        .evaluate(TargetKind.ACCOUNT, doc(members))
                        .result("account.too_many_super_admins")
                        .orElseThrow();

        assertThat(r.findings().getFirst().context())
                .containsExactly(
                        "a0@x.example",
                        "a1@x.example",
                        "a2@x.example",
                        "a3@x.example",
                        "a4@x.example");
    }
}
