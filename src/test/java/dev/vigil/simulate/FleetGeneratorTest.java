package dev.vigil.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.checks.CheckDefinition;
import dev.vigil.checks.CheckResult;
import dev.vigil.checks.ConfigDocuments;
import dev.vigil.checks.Evaluation;
import dev.vigil.checks.Finding;
import dev.vigil.checks.Outcome;
import dev.vigil.checks.RuleSet;
import dev.vigil.checks.RuleSets;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetKind;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FleetGeneratorTest {

    private static final Fleet FLEET = FleetGenerator.generate(42L, 120, 400);

    @Test
    void evaluatingEveryDocumentFindsExactlyThePlantedInsights() {
        RuleSet rules = RuleSets.catalogue();
        Set<PlantedInsight> found = new HashSet<>();
        Set<String> errors = new HashSet<>();
        for (Target t : FLEET.targets()) {
            Evaluation e =
                    rules.evaluate(
                            t.kind(),
                            ConfigDocuments.parse(FLEET.documentsByTargetId().get(t.targetId())));
            for (CheckResult r : e.results()) {
                if (r.outcome() == Outcome.ERROR) {
                    errors.add(t.targetId() + " " + r.checkId() + ": " + r.error());
                }
            }
            for (Finding f : e.findings()) {
                found.add(
                        new PlantedInsight(
                                t.accountId(), t.zoneId(), f.checkId(), f.resourceKey()));
            }
        }
        assertThat(errors).isEmpty();
        Set<PlantedInsight> missing = new HashSet<>(FLEET.planted());
        missing.removeAll(found);
        Set<PlantedInsight> unexpected = new HashSet<>(found);
        unexpected.removeAll(FLEET.planted());
        assertThat(missing).as("planted but not found").isEmpty();
        assertThat(unexpected).as("found but not planted").isEmpty();
    }

    @Test
    void everyCatalogueCheckIsPlantedAtLeastOnce() {
        Set<String> planted =
                FLEET.planted().stream().map(PlantedInsight::checkId).collect(Collectors.toSet());
        assertThat(planted)
                .containsAll(
                        RuleSets.catalogue().checks().stream().map(CheckDefinition::id).toList());
    }

    @Test
    void sameSeedGivesTheSameFleet() {
        Fleet again = FleetGenerator.generate(42L, 120, 400);
        assertThat(again.targets()).isEqualTo(FLEET.targets());
        assertThat(again.planted()).isEqualTo(FLEET.planted());
        Target t = FLEET.targets().get(200);
        assertThat(FleetGenerator.of(42L, 120, 400).document(t))
                .isEqualTo(FLEET.documentsByTargetId().get(t.targetId()));
    }

    @Test
    void targetsHaveCloudflareStyleIdsAndSpanEveryPlan() {
        assertThat(FLEET.targets()).hasSize(520);
        assertThat(FLEET.targets())
                .allSatisfy(t -> assertThat(t.targetId()).matches("[0-9a-f]{32}"));
        assertThat(FLEET.targets().stream().map(Target::plan).collect(Collectors.toSet()))
                .isEqualTo(EnumSet.allOf(Plan.class));
        assertThat(FLEET.targets().stream().filter(t -> t.kind() == TargetKind.ZONE)).hasSize(400);
        Set<String> accountIds =
                FLEET.targets().stream()
                        .filter(t -> t.kind() == TargetKind.ACCOUNT)
                        .map(Target::accountId)
                        .collect(Collectors.toSet());
        assertThat(FLEET.targets()).allSatisfy(t -> assertThat(accountIds).contains(t.accountId()));
    }

    @Test
    void plantsStayWithinAReasonableShareOfTargets() {
        long zonesWithPlants =
                FLEET.planted().stream()
                        .filter(p -> p.zoneId() != null)
                        .map(PlantedInsight::zoneId)
                        .distinct()
                        .count();
        assertThat(zonesWithPlants).isBetween(200L, 400L);
        assertThat(
                        FLEET.planted().stream()
                                .filter(p -> p.checkId().equals("tls.ssl_flexible"))
                                .count())
                .isBetween(5L, 50L);
    }

    @Test
    void findsAnyTargetByIdWithoutBuildingTheFleet() {
        FleetGenerator huge = FleetGenerator.of(42L, 100_000, 900_000);
        Target t = huge.target(765_432);
        assertThat(huge.find(t.targetId())).contains(t);
        assertThat(huge.find(huge.target(3).targetId())).contains(huge.target(3));
        assertThat(huge.find("0123456789abcdef0123456789abcdef")).isEmpty();
        assertThat(huge.find("not-an-id")).isEmpty();
        assertThat(FleetGenerator.of(43L, 100_000, 900_000).find(t.targetId())).isEmpty();
    }
}
