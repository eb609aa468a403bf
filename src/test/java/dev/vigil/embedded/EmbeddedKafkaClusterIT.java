package dev.vigil.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.embedded.internal.LocalResources;
import dev.vigil.events.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three-node cluster the fault suite runs on: Vigil's producer ({@code acks=all}, idempotent)
 * keeps producing after a SIGKILL of the node leading the most partitions, once the others have
 * elected new leaders; the node comes back on its ports and catches up; no acknowledged record is
 * lost or doubled; and closing the cluster leaves no node process and the port closed. And the
 * topics the roles create on it with {@code VIGIL_KAFKA_REPLICATION_FACTOR=3} get three replicas,
 * two of them required in sync.
 */
class EmbeddedKafkaClusterIT {

    private static final String TOPIC = "busy";

    @Test
    void aSigkilledLeaderLosesNoAcknowledgedRecordAndComesBackInSync(@TempDir Path output)
            throws Exception {
        List<ProcessHandle> started;
        int victimPort;
        EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(3, output);
        try (cluster) {
            assertThat(cluster.nodeIds()).containsExactly(1, 2, 3);
            assertThat(cluster.replicationFactor()).isEqualTo(3);
            started = cluster.processes();
            assertThat(started).hasSize(3);
            cluster.createTopic(TOPIC, 6);

            Set<String> acked = ConcurrentHashMap.newKeySet();
            AtomicBoolean producing = new AtomicBoolean(true);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread producer =
                    Thread.ofPlatform()
                            .name("cluster-it-producer")
                            .start(() -> produce(cluster, acked, producing, failure));
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= 200);
                int victim = cluster.busiestLeader(TOPIC);
                victimPort = cluster.brokerPort(victim);

                cluster.kill(victim);
                int atKill = acked.size();

                assertThat(LocalResources.isListening(victimPort)).isFalse();
                await("new leaders elected and records acknowledged with node " + victim + " down")
                        .atMost(Duration.ofSeconds(90))
                        .until(
                                () ->
                                        noPartitionLedBy(cluster, victim)
                                                && acked.size() >= atKill + 200);

                cluster.restart(victim);

                // a connect may take longer than isListening's 200 ms on a loaded machine
                int port = victimPort;
                await("node " + victim + " listening again")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> LocalResources.isListening(port));
                assertThat(cluster.awaitInSync(List.of(TOPIC), Duration.ofMinutes(2)))
                        .as("every replica back in sync")
                        .isTrue();
                int atRestart = acked.size();
                await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= atRestart + 100);
            } finally {
                producing.set(false);
                producer.join(Duration.ofMinutes(3));
            }
            assertThat(failure.get()).as("producer failure").isNull();

            Map<String, Integer> consumed = consumeAll(cluster);
            assertThat(consumed.keySet()).as("acknowledged records consumed").containsAll(acked);
            assertThat(consumed.values()).as("copies of each record").containsOnly(1);
        }
        for (ProcessHandle h : started) {
            await("node process " + h.pid() + " gone")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> !h.isAlive());
        }
        assertThat(cluster.processes()).isEmpty();
        assertThat(LocalResources.isListening(victimPort)).isFalse();
    }

    @Test
    void ensureTopicsWithThreeReplicasRequiresTwoInSync(@TempDir Path output) throws Exception {
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(3, output)) {
            KafkaClients.ensureTopics(
                    cluster.bootstrapServers(), List.of("made"), 4, 3, Duration.ofSeconds(60));

            TopicDescription d =
                    cluster.admin()
                            .describeTopics(List.of("made"))
                            .allTopicNames()
                            .get()
                            .get("made");
            assertThat(d).isNotNull();
            assertThat(d.partitions()).hasSize(4);
            assertThat(d.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "made");
            Config config = cluster.admin().describeConfigs(List.of(topic)).all().get().get(topic);
            assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).isEqualTo("2");
        }
    }

    /** Sends one record at a time and waits for its acknowledgement, until told to stop. */
    private static void produce(
            EmbeddedKafkaCluster cluster,
            Set<String> acked,
            AtomicBoolean producing,
            AtomicReference<Throwable> failure) {
        try (KafkaProducer<String, byte[]> p =
                KafkaClients.producer(cluster.bootstrapServers(), "cluster-it")) {
            for (int i = 0; producing.get(); i++) {
                String key = "k" + i;
                p.send(new ProducerRecord<>(TOPIC, key, key.getBytes(StandardCharsets.UTF_8)))
                        .get();
                acked.add(key);
            }
        } catch (ExecutionException | RuntimeException e) {
            failure.set(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.set(e);
        }
    }

    private static boolean noPartitionLedBy(EmbeddedKafkaCluster cluster, int node) {
        for (int p = 0; p < 6; p++) {
            if (cluster.leaderOf(TOPIC, p).map(l -> l == node).orElse(true)) {
                return false;
            }
        }
        return true;
    }

    /** Every record of the topic, counted by key. */
    private static Map<String, Integer> consumeAll(EmbeddedKafkaCluster cluster) {
        Map<String, Integer> byKey = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c =
                KafkaClients.consumer(
                        cluster.bootstrapServers(), "cluster-it", "cluster-it", 1000)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(TOPIC, Duration.ofSeconds(30))) {
                parts.add(new TopicPartition(TOPIC, p.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    byKey.merge(r.key(), 1, Integer::sum);
                }
            }
        }
        return byKey;
    }
}
