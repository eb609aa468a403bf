package dev.vigil.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class DeferredOffsetsTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private static final TopicPartition P2 = new TopicPartition("t", 2);

    private final AtomicLong now = new AtomicLong(1_000);
    private final DeferredOffsets d = new DeferredOffsets(Duration.ofNanos(100), now::get);

    @Test
    void dueOnlyOnceTheOldestDeferredOffsetHasWaited() {
        assertThat(d.due()).as("nothing deferred").isFalse();
        d.defer(Map.of(P0, at(5)));
        now.addAndGet(60);
        d.defer(Map.of(P0, at(9)));
        assertThat(d.due()).isFalse();
        now.addAndGet(40);
        assertThat(d.due()).as("100 ns after the first, whatever came since").isTrue();
        assertThat(d.take(Set.of(P0))).containsExactly(Map.entry(P0, at(9)));
        assertThat(d.isEmpty()).isTrue();
        assertThat(d.due()).isFalse();
        d.defer(Map.of(P1, at(2)));
        assertThat(d.due()).as("the wait starts again with the next deferral").isFalse();
    }

    @Test
    void aPartitionKeepsItsLaterOffset() {
        d.defer(Map.of(P0, at(9), P1, at(3)));
        d.defer(Map.of(P0, at(7), P1, at(4)));
        assertThat(d.take(List.of(P0, P1))).isEqualTo(Map.of(P0, at(9), P1, at(4)));
    }

    @Test
    void aBatchCommitCarriesTheDeferredOffsetsOfTheGivenPartitionsOnly() {
        d.defer(Map.of(P0, at(9), P1, at(3), P2, at(8)));
        Map<TopicPartition, OffsetAndMetadata> commit =
                d.with(Map.of(P0, at(12), P1, at(2)), List.of(P0, P1));
        assertThat(commit)
                .as(
                        "the batch's own offset where later, the deferred one where later, P2 not owned")
                .isEqualTo(Map.of(P0, at(12), P1, at(3)));
        assertThat(d.isEmpty()).as("with() only reads").isFalse();
        d.take(commit.keySet());
        assertThat(d.take(List.of(P0, P1, P2))).isEqualTo(Map.of(P2, at(8)));
    }

    @Test
    void partitionsNoLongerOwnedAreForgotten() {
        d.defer(Map.of(P0, at(1), P1, at(2)));
        d.retain(List.of(P1));
        assertThat(d.take(List.of(P0, P1))).isEqualTo(Map.of(P1, at(2)));
    }

    private static OffsetAndMetadata at(long offset) {
        return new OffsetAndMetadata(offset);
    }
}
