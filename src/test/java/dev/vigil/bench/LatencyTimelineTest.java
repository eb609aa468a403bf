package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyTimelineTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    @Test
    void groupsByThePlannedSecondAndFindsTheStall() {
        List<long[]> samples = new ArrayList<>();
        for (int second = 0; second < 5; second++) {
            for (int k = 0; k < 100; k++) {
                // second 3 stalls: every push planned in it waits 2 s more
                long latency = (100 + k) * MS + (second == 3 ? 2 * S : 0);
                samples.add(new long[] {second * S + k * 10L * MS, latency, k * MS});
            }
        }

        LatencyTimeline t = LatencyTimeline.of(samples);

        assertThat(t.seconds())
                .extracting(LatencyTimeline.Second::second)
                .containsExactly(0, 1, 2, 3, 4);
        assertThat(t.seconds()).allSatisfy(s -> assertThat(s.changes()).isEqualTo(100));
        // nearest rank: the 99th of 100 sorted latencies, 100..199 ms
        assertThat(t.seconds().get(0).p99Ms()).isEqualTo(198.0);
        assertThat(t.seconds().get(0).maxMs()).isEqualTo(199.0);
        assertThat(t.seconds().get(0).pushP99Ms()).isEqualTo(98.0);
        assertThat(t.slowest(1)).extracting(LatencyTimeline.Second::second).containsExactly(3);
        assertThat(t.secondsAbove(1000)).isEqualTo(1);
        assertThat(t.describeSlowest(1))
                .isEqualTo("3 s: p99 2.20 s, max 2.20 s, push call p99 98 ms (100 changes)");
        assertThat(t.p99Points()).hasSize(5);
        assertThat(t.p99Points().get(3)).containsExactly(3.0, 2198.0);
    }

    @Test
    void noSamplesNoSeconds() {
        LatencyTimeline t = LatencyTimeline.of(List.of());

        assertThat(t.seconds()).isEmpty();
        assertThat(t.describeSlowest(3)).isEmpty();
        assertThat(t.secondsAbove(0)).isZero();
    }
}
