package dev.vigil.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.vigil.embedded.EmbeddedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;

/**
 * {@link KafkaClients#ensureTopics}: creates what is missing, leaves what exists (whatever its
 * partition count), and returns only when every partition is served.
 */
class EnsureTopicsIT {

    @Test
    void ensureTopicsCreatesTheMissingAndAcceptsExistingTopicsWithAnotherPartitionCount()
            throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("ensure.existing", 3);

            // The roles ask for 30 partitions; a topic created elsewhere with 3 is used as it is.
            assertThatCode(
                            () ->
                                    KafkaClients.ensureTopics(
                                            kafka.bootstrapServers(),
                                            List.of("ensure.existing", "ensure.new"),
                                            30,
                                            Duration.ofSeconds(30)))
                    .doesNotThrowAnyException();

            try (Admin admin = KafkaClients.admin(kafka.bootstrapServers())) {
                Map<String, TopicDescription> d =
                        admin.describeTopics(List.of("ensure.existing", "ensure.new"))
                                .allTopicNames()
                                .get();
                assertThat(d.get("ensure.existing").partitions()).hasSize(3);
                assertThat(d.get("ensure.new").partitions()).hasSize(30);
                assertThat(d.get("ensure.new").partitions())
                        .allSatisfy(p -> assertThat(p.leader()).isNotNull());
            }
        }
    }
}
