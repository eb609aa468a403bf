package dev.vigil.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutGuardsTest {

    private static final RolloutGuards G = RolloutGuards.DEFAULTS;

    private static RolloutGuards.Cohort cohort(
            long targets,
            long opened,
            long scans,
            long nanos,
            Map<String, RolloutGuards.CheckCounts> checks) {
        return new RolloutGuards.Cohort(targets, opened, scans, nanos, checks);
    }

    @Test
    void aCanaryOpeningAnInsightOnEveryTargetTripsTheOpenedGuard() {
        var trip =
                G.trip(
                        cohort(10, 10, 30, 30_000_000, Map.of()),
                        cohort(90, 2, 300, 300_000_000, Map.of()));
        assertThat(trip)
                .hasValueSatisfying(
                        r ->
                                assertThat(r)
                                        .startsWith(
                                                "guard opened_per_target: the canary opened 1.00")
                                        .contains("over 10 targets"));
    }

    @Test
    void noGuardSpeaksBeforeTheCanaryHasEnoughTargets() {
        assertThat(G.trip(cohort(2, 20, 2, 0, Map.of()), cohort(90, 0, 300, 0, Map.of())))
                .isEmpty();
    }

    @Test
    void aCheckErroringOnTheCanaryTripsTheErrorGuard() {
        var trip =
                G.trip(
                        cohort(
                                10,
                                0,
                                10,
                                10,
                                Map.of("x.check", new RolloutGuards.CheckCounts(10, 5))),
                        cohort(
                                90,
                                0,
                                90,
                                90,
                                Map.of("x.check", new RolloutGuards.CheckCounts(90, 0))));
        assertThat(trip)
                .hasValueSatisfying(
                        r -> assertThat(r).startsWith("guard error_rate: check x.check"));
    }

    @Test
    void aCanaryEvaluatingFarSlowerTripsTheTimeGuardButNotWithinAMillisecond() {
        assertThat(
                        G.trip(
                                cohort(10, 0, 10, 10 * 50_000_000L, Map.of()),
                                cohort(90, 0, 90, 90 * 2_000_000L, Map.of())))
                .hasValueSatisfying(r -> assertThat(r).startsWith("guard eval_time"));
        assertThat(
                        G.trip(
                                cohort(10, 0, 10, 10 * 500_000L, Map.of()),
                                cohort(90, 0, 90, 90 * 100_000L, Map.of())))
                .isEmpty();
    }

    @Test
    void aCanaryLikeTheRestPasses() {
        assertThat(
                        G.trip(
                                cohort(
                                        10,
                                        1,
                                        20,
                                        20_000_000,
                                        Map.of("a", new RolloutGuards.CheckCounts(20, 0))),
                                cohort(
                                        90,
                                        9,
                                        180,
                                        180_000_000,
                                        Map.of("a", new RolloutGuards.CheckCounts(180, 0)))))
                .isEmpty();
    }
}
