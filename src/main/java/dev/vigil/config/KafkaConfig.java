package dev.vigil.config;

/** How a role reaches Kafka. */
public record KafkaConfig(String bootstrapServers, String topicPrefix, int partitions) {

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

    public static KafkaConfig from(Env env) {
        return new KafkaConfig(env.get(BOOTSTRAP), env.get(TOPIC_PREFIX), env.get(PARTITIONS));
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
