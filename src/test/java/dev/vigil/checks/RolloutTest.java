package dev.vigil.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.testing.ZoneOnFreePlanRule;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RolloutTest {

    private static final RuleSet ACTIVE = RuleSets.catalogue();
    private static final RuleSet CANDIDATE =
            RuleSets.withUserFiles(List.of(new RuleFile("free.yaml", ZoneOnFreePlanRule.TEXT)));

    @Test
    void aTargetsBucketDependsOnlyOnItsIdAndTheVersion() {
        assertThat(Rollout.bucket("zone-1", "abc")).isEqualTo(Rollout.bucket("zone-1", "abc"));
        assertThat(IntStream.range(0, 2_000).map(i -> Rollout.bucket("zone-" + i, "abc")))
                .allMatch(b -> b >= 0 && b < 100);
        long differ =
                IntStream.range(0, 200)
                        .filter(i -> Rollout.bucket("z" + i, "v1") != Rollout.bucket("z" + i, "v2"))
                        .count();
        assertThat(differ).as("a new version draws a new canary").isGreaterThan(150);
    }

    @Test
    void aCanaryShareTakesAboutItsPercentAndRaisingItKeepsTheTargetsAlreadyIn() {
        String v = CANDIDATE.version();
        Rollout ten = canary(10);
        Rollout fifty = canary(50);
        long inTen = IntStream.range(0, 10_000).filter(i -> ten.canary("t" + i)).count();
        assertThat(inTen).isBetween(800L, 1_200L);
        for (int i = 0; i < 2_000; i++) {
            String t = "t" + i;
            if (ten.canary(t)) {
                assertThat(fifty.canary(t)).isTrue();
            }
            assertThat(ten.forTarget(t).version())
                    .isEqualTo(Rollout.bucket(t, v) < 10 ? v : ACTIVE.version());
        }
    }

    @Test
    void canaryTargetsApplyTheCandidateAndTheRestShadowIt() {
        Rollout r = canary(50);
        String in =
                IntStream.range(0, 100)
                        .mapToObj(i -> "t" + i)
                        .filter(r::canary)
                        .findFirst()
                        .orElseThrow();
        String out =
                IntStream.range(0, 100)
                        .mapToObj(i -> "t" + i)
                        .filter(t -> !r.canary(t))
                        .findFirst()
                        .orElseThrow();
        assertThat(r.forTarget(in)).isSameAs(CANDIDATE);
        assertThat(r.shadowFor(in)).isNull();
        assertThat(r.forTarget(out)).isSameAs(ACTIVE);
        assertThat(r.shadowFor(out)).isSameAs(CANDIDATE);
    }

    @Test
    void shadowAppliesTheActiveVersionEverywhere() {
        Rollout r = new Rollout(3, ACTIVE, CANDIDATE, CANDIDATE, RolloutStage.SHADOW, 0, Set.of());
        assertThat(r.canary("t1")).isFalse();
        assertThat(r.forTarget("t1")).isSameAs(ACTIVE);
        assertThat(r.shadowFor("t1")).isSameAs(CANDIDATE);
    }

    @Test
    void aStageWithoutItsCandidateOrAShareOutsideTheStepsIsRefused() {
        assertThatThrownBy(
                        () -> new Rollout(1, ACTIVE, null, null, RolloutStage.SHADOW, 0, Set.of()))
                .hasMessageContaining("a candidate is needed exactly at stage shadow or canary");
        assertThatThrownBy(
                        () ->
                                new Rollout(
                                        1,
                                        ACTIVE,
                                        CANDIDATE,
                                        CANDIDATE,
                                        RolloutStage.CANARY,
                                        20,
                                        Set.of()))
                .hasMessageContaining("canary share 20 %");
    }

    @Test
    void aPushedSetHasTheDigestOfTheSameFilesLoadedFromADirectoryAndKeepsItsRegisteredVersion() {
        RuleSet pushed =
                RuleSets.pushed(
                        "registered", List.of(new RuleFile("free.yaml", ZoneOnFreePlanRule.TEXT)));
        assertThat(pushed.version()).isEqualTo("registered");
        assertThat(pushed.check(ZoneOnFreePlanRule.ID)).isPresent();
        assertThat(RuleSets.withUserFiles(List.of()).version()).isEqualTo(ACTIVE.version());
    }

    @Test
    void theShadowCountsOpenAndResolvePerCheckWithExamples() {
        RolloutCounts c = new RolloutCounts();
        c.shadow(
                "v2",
                "zone-1",
                Map.of("a.check", Set.of("r1", "r2")),
                Set.of("a.check", "b.check"),
                Map.of("a.check", Set.of("r2", "r3"), "b.check", Set.of("zone")));
        RolloutCounts.Report r = c.drain();
        assertThat(r.shadow())
                .contains(
                        new RolloutCounts.ShadowRow("v2", "a.check", 1, 1, 1),
                        new RolloutCounts.ShadowRow("v2", "b.check", 1, 1, 0),
                        new RolloutCounts.ShadowRow("v2", "", 1, 2, 1));
        assertThat(r.examples())
                .contains(
                        new RolloutCounts.Example("v2", "a.check", "zone-1", "open", "r3"),
                        new RolloutCounts.Example("v2", "a.check", "zone-1", "resolve", "r1"));
        assertThat(c.drain().isEmpty()).as("a drain starts afresh").isTrue();
        c.restore(r);
        assertThat(c.drain().shadow()).containsExactlyInAnyOrderElementsOf(r.shadow());
    }

    private static Rollout canary(int percent) {
        return new Rollout(2, ACTIVE, CANDIDATE, CANDIDATE, RolloutStage.CANARY, percent, Set.of());
    }
}
