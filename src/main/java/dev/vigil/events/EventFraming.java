package dev.vigil.events;

/**
 * How an Avro record is framed in a Kafka value. Vigil's own topics use Avro single-object encoding
 * (the schema's fingerprint in the message, the schemas in the jar, no registry); an analytics
 * store that reads the Confluent wire format (ClickHouse's {@code AvroConfluent}, Kafka Connect)
 * needs the schema id a Confluent-compatible schema registry gave the schema instead.
 */
public sealed interface EventFraming {

    /** {@code C3 01}, the schema's 8-byte CRC-64-AVRO fingerprint, then the binary record. */
    record SingleObject() implements EventFraming {}

    /**
     * A zero byte, the registry's schema id as 4 bytes big-endian, then the binary record.
     *
     * @param schemaId the id under which the writer schema is registered
     */
    record Confluent(int schemaId) implements EventFraming {
        public Confluent {
            if (schemaId < 0) {
                throw new IllegalArgumentException("a schema id is not negative: " + schemaId);
            }
        }
    }

    /**
     * Parses {@code single-object} or {@code confluent:<schema id>}.
     *
     * @throws IllegalArgumentException naming what is expected
     */
    static EventFraming parse(String raw) {
        String s = raw.trim();
        if (s.equals("single-object")) {
            return new SingleObject();
        }
        if (s.startsWith("confluent:")) {
            return new Confluent(Integer.parseInt(s.substring("confluent:".length()).trim()));
        }
        throw new IllegalArgumentException("expected single-object or confluent:<schema id>");
    }
}
