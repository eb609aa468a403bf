package dev.vigil.app;

import dev.vigil.events.KafkaClients;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Measures a consumer group's lag on a topic: the sum over partitions of (end offset − committed
 * offset). Committed, not consumed: this is the work that would be repeated after a crash.
 */
final class LagProbe implements AutoCloseable {
    private final Admin admin;
    private final String topic;

    LagProbe(String bootstrap, String topic) {
        this.admin = KafkaClients.admin(bootstrap);
        this.topic = topic;
    }

    /** The lag, or -1 when the broker did not answer in time. */
    long lag(String groupId) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(groupId)
                            .partitionsToOffsetAndMetadata()
                            .get(2, TimeUnit.SECONDS);
            var desc =
                    admin.describeTopics(java.util.List.of(topic))
                            .allTopicNames()
                            .get(2, TimeUnit.SECONDS)
                            .get(topic);
            if (desc == null) {
                return -1;
            }
            Map<TopicPartition, OffsetSpec> req = new HashMap<>();
            desc.partitions()
                    .forEach(
                            p ->
                                    req.put(
                                            new TopicPartition(topic, p.partition()),
                                            OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    admin.listOffsets(req).all().get(2, TimeUnit.SECONDS);
            long lag = 0;
            for (var e : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                lag += e.getValue().offset() - (c == null ? 0 : c.offset());
            }
            return lag;
        } catch (ExecutionException | TimeoutException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
