package dev.vigil.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.checks.RuleSetHolder;
import dev.vigil.checks.RuleSets;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetKind;
import dev.vigil.simulate.Fleet;
import dev.vigil.simulate.FleetGenerator;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EvaluationCostTest {

    private static final Fleet FLEET = FleetGenerator.generate(7L, 5, 40);
    private static final List<Target> ZONES =
            FLEET.targets().stream().filter(t -> t.kind() == TargetKind.ZONE).toList();
    private static final RuleSetHolder RULES = RuleSetHolder.fixed(RuleSets.catalogue());

    /** A pusher never asked to push: only its documents are read (nothing listens there). */
    private static ChangePusher pusher(ChangeKind kind) {
        return new ChangePusher(
                URI.create("http://127.0.0.1:9"),
                "unused",
                ZONES,
                FLEET.documentsByTargetId(),
                kind);
    }

    @Test
    void aChangeOfASectionFewChecksReadCostsLessThanAFullRescanAndFindsNoMore() {
        try (ChangePusher p = pusher(ChangeKind.RULESETS)) {
            EvaluationCost.Measured m = EvaluationCost.of(p, RULES, 3);

            assertThat(m.changedNanos()).isPositive();
            assertThat(m.fullNanos()).isPositive();
            // 3 checks of the catalogue read rulesets, about 39 every section: CPU time of the
            // measuring thread alone, so a busy machine does not turn this around
            assertThat(m.ratio()).isGreaterThan(1.0);
            assertThat(m.changedFindings()).isLessThanOrEqualTo(m.fullFindings());
            assertThat(m.fullFindings()).as("the synthetic zones have findings").isPositive();
        }
    }

    @Test
    void refusesAThreadWhoseCpuTimeItCannotRead() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (ChangePusher p = pusher(ChangeKind.SETTINGS)) {
            Thread t =
                    Thread.ofVirtual()
                            .start(
                                    () -> {
                                        try {
                                            EvaluationCost.of(p, RULES, 1);
                                        } catch (Throwable e) {
                                            thrown.set(e);
                                        }
                                    });
            t.join();
        }
        assertThat(thrown.get())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("time evaluations from a platform thread");
    }
}
