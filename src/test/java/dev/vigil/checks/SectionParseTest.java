package dev.vigil.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetKind;
import dev.vigil.simulate.Fleet;
import dev.vigil.simulate.FleetGenerator;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A change evaluates documents parsed only in the sections its checks read ({@link
 * RuleSet#sectionsRead}): every check of the catalogue must conclude exactly as it does on the
 * whole document, so a rule reading a section it does not declare in {@code reads} fails here.
 */
class SectionParseTest {
    private static final RuleSet RULES = RuleSets.catalogue();
    private static final Fleet FLEET = FleetGenerator.generate(7L, 40, 300);

    @Test
    void everyCheckConcludesTheSameOnTheSectionsItReadsAsOnTheWholeDocument() {
        Set<String> sections = new TreeSet<>();
        RULES.checks().forEach(c -> sections.addAll(c.reads()));
        int compared = 0;
        int failing = 0;
        for (Target t : FLEET.targets()) {
            byte[] json = FLEET.documentsByTargetId().get(t.targetId());
            Map<String, Object> whole = ConfigDocuments.parse(json);
            for (String section : sections) {
                Set<String> changed = Set.of(section);
                Set<String> keep = RULES.sectionsRead(t.kind(), changed);
                Evaluation full = RULES.evaluate(t.kind(), whole, changed);
                Evaluation part =
                        RULES.evaluate(t.kind(), ConfigDocuments.parse(json, keep), changed);

                assertThat(part.results())
                        .as("%s %s changed %s", t.kind(), t.targetId(), section)
                        .isEqualTo(full.results());
                compared += full.results().size();
                failing +=
                        (int)
                                full.results().stream()
                                        .filter(r -> r.outcome() == Outcome.FAIL)
                                        .count();
            }
        }
        assertThat(compared).isGreaterThan(10_000);
        assertThat(failing).as("planted failures among the compared checks").isGreaterThan(100);
        assertThat(FLEET.targets()).anyMatch(t -> t.kind() == TargetKind.ACCOUNT);
    }

    @Test
    void sectionsNotAskedForAreSkippedButStillChecked() {
        byte[] json =
                "{\"a\":{\"x\":[1,2,{\"y\":null}]},\"b\":\"kept\",\"c\":null,\"d\":[true]}"
                        .getBytes(StandardCharsets.UTF_8);

        assertThat(ConfigDocuments.parse(json, Set.of("b", "c")))
                .containsExactly(Map.entry("b", "kept"));
        assertThat(ConfigDocuments.parse(json, Set.of("a")).get("a"))
                .isEqualTo(ConfigDocuments.parse(json).get("a"));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                ConfigDocuments.parse(
                                        "{\"a\":{\"x\":[1,}, \"b\": 1}"
                                                .getBytes(StandardCharsets.UTF_8),
                                        Set.of("b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
    }
}
