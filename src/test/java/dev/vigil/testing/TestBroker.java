package dev.vigil.testing;

import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.events.KafkaClients;
import java.util.Objects;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An embedded Kafka broker and a producer to it for one test class: started before its first test
 * and closed after its last. Register it as a static field with {@code @RegisterExtension}; each
 * test creates the topics it uses.
 */
public final class TestBroker implements BeforeAllCallback, AfterAllCallback {
    private final String clientId;
    private @Nullable EmbeddedKafka kafka;
    private @Nullable KafkaProducer<String, byte[]> producer;

    /** A broker whose producer names itself {@code clientId}. */
    public TestBroker(String clientId) {
        this.clientId = clientId;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        EmbeddedKafka started = EmbeddedKafka.start();
        kafka = started;
        producer = KafkaClients.producer(started.bootstrapServers(), clientId);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (producer != null) {
            producer.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** The running broker. */
    public EmbeddedKafka kafka() {
        return Objects.requireNonNull(kafka, "the broker starts before the class's first test");
    }

    /** A producer to the broker, shared by the class's tests. */
    public KafkaProducer<String, byte[]> producer() {
        return Objects.requireNonNull(producer, "the broker starts before the class's first test");
    }

    /** The broker's bootstrap servers. */
    public String bootstrapServers() {
        return kafka().bootstrapServers();
    }
}
