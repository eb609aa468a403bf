package dev.vigil.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.checks.RuleSets;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetKind;
import dev.vigil.simulate.Fleet;
import dev.vigil.simulate.FleetGenerator;
import dev.vigil.snapshots.internal.ConfigDiff;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The benchmark's change kinds: over generated zones, the two variants of each kind differ in its
 * section and nothing else (so every measured push is a one-section change), and the check counts
 * the bench's report and its javadoc quote are the catalogue's.
 */
class ChangeKindTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Fleet FLEET = FleetGenerator.generate(42L, 20, 300);

    @Test
    void theTwoVariantsOfEachKindDifferInItsSectionOnly() {
        List<Target> zones =
                FLEET.targets().stream().filter(t -> t.kind() == TargetKind.ZONE).toList();
        assertThat(zones).hasSizeGreaterThan(100);
        for (ChangeKind kind : ChangeKind.values()) {
            for (Target z : zones) {
                ObjectNode doc =
                        (ObjectNode) JSON.readTree(FLEET.documentsByTargetId().get(z.targetId()));
                ObjectNode v0 = doc.deepCopy();
                kind.apply(v0, 0);
                ObjectNode v1 = doc.deepCopy();
                kind.apply(v1, 1);
                assertThat(ConfigDiff.changedSections(v0, v1))
                        .as(kind + " of " + z.targetId())
                        .containsExactly(kind.section());
                assertThat(ConfigDiff.changedSections(v1, v0)).containsExactly(kind.section());
                assertThat(ConfigDiff.changedSections(doc, v0))
                        .as("a variant changes nothing else of the fleet's document")
                        .isSubsetOf(kind.section());
            }
        }
    }

    @Test
    void theChecksReadingEachKindsSectionAreTheOnesTheReportQuotes() {
        var catalogue = RuleSets.catalogue();
        assertThat(catalogue.affectedChecks(TargetKind.ZONE, Set.of("settings"))).hasSize(15);
        assertThat(catalogue.affectedChecks(TargetKind.ZONE, Set.of("dns_records"))).hasSize(14);
        assertThat(catalogue.affectedChecks(TargetKind.ZONE, Set.of("rulesets"))).hasSize(3);
    }
}
