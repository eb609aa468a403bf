package dev.vigil.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.telemetry.HealthCheck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A worker is ready only once each of its consumers has joined the group, and not after one stops.
 */
class ConsumerReadinessTest {
    static final TopicPartition P0 = new TopicPartition("requests", 0);
    static final TopicPartition P1 = new TopicPartition("requests", 1);

    @Test
    void notReadyUntilEveryConsumerHasItsAssignmentEvenAnEmptyOne() {
        MockConsumer<String, byte[]> first = new MockConsumer<>("earliest");
        MockConsumer<String, byte[]> second = new MockConsumer<>("earliest");
        first.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        List<BatchConsumer> group =
                List.of(start(first, "readiness-0"), start(second, "readiness-1"));
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> first.subscription().contains("requests"));
            HealthCheck.Status joining = ConsumerGroup.readiness(group, "g");
            assertThat(joining.ready()).isFalse();
            assertThat(joining.detail()).isEqualTo("2 of 2 consumers still joining g");

            first.schedulePollTask(() -> first.rebalance(List.of(P0, P1)));
            await().atMost(Duration.ofSeconds(30)).until(() -> group.getFirst().joined());
            assertThat(ConsumerGroup.readiness(group, "g").detail())
                    .isEqualTo("1 of 2 consumers still joining g");

            // More members than partitions: the second is a member with nothing to do, and ready.
            second.schedulePollTask(() -> second.rebalance(List.of()));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> ConsumerGroup.readiness(group, "g").ready());
            assertThat(ConsumerGroup.readiness(group, "g").detail())
                    .isEqualTo("2 consumers in g, 2 partitions");
        } finally {
            ConsumerGroup.close(group);
        }
        HealthCheck.Status closed = ConsumerGroup.readiness(group, "g");
        assertThat(closed.ready()).isFalse();
        assertThat(closed.detail()).isEqualTo("2 of 2 consumers of g stopped");
    }

    static BatchConsumer start(MockConsumer<String, byte[]> consumer, String name) {
        return BatchConsumer.start(consumer, "requests", r -> {}, 4, Duration.ofSeconds(1), name);
    }
}
