package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code VIGIL_KAFKA_REPLICATION_FACTOR} and the {@code min.insync.replicas} it implies. */
class KafkaConfigTest {

    private static KafkaConfig with(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(extra);
        env.put("VIGIL_KAFKA_BOOTSTRAP", "b1:9092,b2:9092,b3:9092");
        return KafkaConfig.from(Env.of(env));
    }

    @Test
    void aSingleBrokerIsTheDefaultWithOneInSyncReplica() {
        KafkaConfig c = with(Map.of());
        assertThat(c.replicationFactor()).isEqualTo(1);
        assertThat(c.minInsyncReplicas()).isEqualTo(1);
    }

    @Test
    void threeReplicasAcknowledgeOnTwo() {
        KafkaConfig c = with(Map.of("VIGIL_KAFKA_REPLICATION_FACTOR", "3"));
        assertThat(c.replicationFactor()).isEqualTo(3);
        assertThat(c.minInsyncReplicas()).isEqualTo(2);
        assertThat(KafkaConfig.minInsyncReplicas(5)).isEqualTo(2);
    }

    @Test
    void zeroReplicasIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> with(Map.of("VIGIL_KAFKA_REPLICATION_FACTOR", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_KAFKA_REPLICATION_FACTOR")
                .hasMessageContaining("0");
    }
}
