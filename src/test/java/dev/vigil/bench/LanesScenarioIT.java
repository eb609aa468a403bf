package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.bench.LanesScenario.Figures;
import org.junit.jupiter.api.Test;

/**
 * The {@code lanes} scenario in quick mode: with lanes, the fast targets do not wait for the slow
 * ones; with one group for everything, they do.
 */
class LanesScenarioIT {

    @Test
    void fastLaneStaysFastBesideSlowTargetsWhileOneGroupStallsBehindThem() {
        LanesScenario.Outcome outcome =
                new LanesScenario(LanesScenario.Settings.of(true), System.out).run();
        Figures f = outcome.figures();
        System.out.println(outcome.report().markdown());
        System.out.println(outcome.report().headline());

        assertThat(f.lanes().fast().count()).isPositive();
        assertThat(f.lanes().slow().count()).as("slow targets were scanned too").isPositive();
        assertThat(f.noSlow().fast().count()).isPositive();
        assertThat(f.oneGroup().fast().count()).isPositive();
        // Robust facts on a loaded two-core machine: fast targets wait behind the slow fetches in
        // one group, not with lanes. Load alone pushed a p99 without any slow target to 2.2 s
        // here, so the lanes p99 is compared with the one-group p99, and its median with the
        // slow fetch; the one-group p99 must reach most of the shortest slow fetch (1.5 s of 2 s:
        // the fast scans queued behind one slow fetch wait for the rest of it). The DESIGN target
        // p99(a) <= 1.5 x p99(b) is reported, not asserted.
        assertThat(f.lanes().fastP99()).as("lanes p99").isLessThan(f.oneGroup().fastP99());
        assertThat(f.lanes().fastP50())
                .as("lanes median")
                .isLessThan(f.settings().slowMin().dividedBy(2));
        assertThat(f.oneGroup().fastP99())
                .as("fast targets' p99 with one group")
                .isGreaterThanOrEqualTo(f.settings().slowMin().multipliedBy(3).dividedBy(4));
        assertThat(outcome.report().headline()).startsWith("lanes: fast-lane p99 ");
    }
}
