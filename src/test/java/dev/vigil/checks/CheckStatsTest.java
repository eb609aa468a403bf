package dev.vigil.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.inventory.TargetKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-check table a holder's rule set counts into. */
class CheckStatsTest {

    @Test
    void everyCheckRunIsCountedWithItsOutcome() {
        RuleSetHolder holder = RuleSetHolder.fixed(RuleSets.catalogue());
        Map<String, Object> doc = Map.of("zone", Map.of("name", "example.com"));
        Evaluation first = holder.current().evaluate(TargetKind.ZONE, doc);
        holder.current().evaluate(TargetKind.ZONE, doc);

        Map<String, CheckStats.Counts> stats = holder.stats().snapshot();
        assertThat(first.results()).isNotEmpty();
        for (CheckResult r : first.results()) {
            CheckStats.Counts c = stats.get(r.checkId());
            assertThat(c.evaluations()).as(r.checkId()).isEqualTo(2);
            assertThat(c.errors()).as(r.checkId()).isEqualTo(r.outcome() == Outcome.ERROR ? 2 : 0);
            assertThat(c.failures()).as(r.checkId()).isEqualTo(r.outcome() == Outcome.FAIL ? 2 : 0);
        }
        for (CheckDefinition d : holder.current().checks()) {
            if (d.appliesTo() == TargetKind.ACCOUNT) {
                assertThat(stats.get(d.id()).evaluations()).as(d.id()).isZero();
            }
        }
    }

    @Test
    void aRuleSetOutsideAHolderCountsNothing() {
        RuleSetHolder holder = RuleSetHolder.fixed(RuleSets.catalogue());
        RuleSets.catalogue().evaluate(TargetKind.ZONE, Map.of());
        assertThat(holder.stats().snapshot().values())
                .allSatisfy(c -> assertThat(c.evaluations()).isZero());
    }

    @Test
    void listenersHearOfEveryCheckPresentAndAddedLater() {
        CheckStats stats = new CheckStats();
        stats.of("a");
        List<String> heard = new ArrayList<>();
        stats.forEachCheck(heard::add);
        stats.of("b");
        stats.of("a");
        assertThat(heard).containsExactly("a", "b");
    }
}
