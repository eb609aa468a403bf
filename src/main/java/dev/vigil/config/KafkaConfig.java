package dev.vigil.config;

/**
 * How a role reaches Kafka, and how the topics it creates are replicated.
 *
 * @param replicationFactor replicas of every topic a role creates; {@link #minInsyncReplicas()}
 *     follows from it
 */
public record KafkaConfig(
        String bootstrapServers, String topicPrefix, int partitions, int replicationFactor) {

    public static final Setting<String> BOOTSTRAP =
            new Setting<>(
                    "VIGIL_KAFKA_BOOTSTRAP",
                    null,
                    "Kafka bootstrap servers",
                    false,
                    "host:port[,host:port...]",
                    KafkaConfig::validateBootstrap);
    public static final Setting<String> TOPIC_PREFIX =
            Setting.string("VIGIL_KAFKA_TOPIC_PREFIX", "vigil.", "prefix of every Vigil topic");

    /**
     * Partitions of the scan-request topic: the ceiling on workers per lane. 30 as in the reference
     * pipeline.
     */
    public static final Setting<Integer> PARTITIONS =
            Setting.integer(
                    "VIGIL_KAFKA_PARTITIONS",
                    30,
                    1,
                    10_000,
                    "partitions of the scan-request topic");

    /**
     * Replicas of each topic the roles create when it is missing (an existing topic is left as it
     * is). 1 suits a single broker (the demo); a production cluster of three or more brokers runs
     * 3, which with {@link #minInsyncReplicas()} 2 keeps accepting {@code acks=all} writes with one
     * broker down and never acknowledges a write held by one broker only. At most 7: more copies
     * buy nothing a posture scanner needs.
     */
    public static final Setting<Integer> REPLICATION_FACTOR =
            Setting.integer(
                    "VIGIL_KAFKA_REPLICATION_FACTOR",
                    1,
                    1,
                    7,
                    "replicas of each topic the roles create (min.insync.replicas is min(2, this))");

    public static KafkaConfig from(Env env) {
        return new KafkaConfig(
                env.get(BOOTSTRAP),
                env.get(TOPIC_PREFIX),
                env.get(PARTITIONS),
                env.get(REPLICATION_FACTOR));
    }

    /**
     * {@code min.insync.replicas} of the topics the roles create: {@code min(2,
     * replicationFactor)}. Two copies before an {@code acks=all} producer hears back, so a single
     * broker's crash loses no acknowledged scan request; not more, so a cluster of three survives
     * one broker down.
     */
    public int minInsyncReplicas() {
        return minInsyncReplicas(replicationFactor);
    }

    /** {@code min(2, replicationFactor)}: see {@link #minInsyncReplicas()}. */
    public static int minInsyncReplicas(int replicationFactor) {
        return Math.min(2, replicationFactor);
    }

    // String.split's rule is the accepted syntax: a trailing comma is tolerated and an empty entry
    // elsewhere is refused; a stricter split would refuse configurations that start today
    @SuppressWarnings("StringSplitter")
    private static String validateBootstrap(String raw) {
        String s = raw.trim();
        for (String hp : s.split(",")) {
            int colon = hp.lastIndexOf(':');
            boolean ok = colon > 0;
            if (ok) {
                try {
                    int port = Integer.parseInt(hp.substring(colon + 1));
                    ok = port > 0 && port < 65536;
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
            if (!ok) {
                throw new ConfigException(
                        "VIGIL_KAFKA_BOOTSTRAP="
                                + s
                                + " is invalid: '"
                                + hp
                                + "' is not host:port (for example localhost:9092)");
            }
        }
        return s;
    }
}
