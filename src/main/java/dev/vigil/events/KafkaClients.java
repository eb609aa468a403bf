package dev.vigil.events;

import dev.vigil.config.ConfigException;
import dev.vigil.config.KafkaConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Producer, consumer and admin clients with Vigil's settings. Values are raw bytes: decoding
 * happens in the worker, where an undecodable message can go to the dead-letter topic instead of
 * stopping the partition.
 */
public final class KafkaClients {
    private KafkaClients() {}

    /**
     * An idempotent producer ({@code acks=all}) that batches for a few milliseconds: at-least-once
     * without duplicates from the producer's own retries.
     */
    public static KafkaProducer<String, byte[]> producer(String bootstrap, String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * How long the group waits for a member's heartbeat before it gives the member's partitions to
     * the others. Kafka's 45 s default left a killed worker's partitions idle for 45 s (the fault
     * suite measured ~41 s); 10 s is three missed heartbeats (every 3 s, on a thread of their own,
     * so a long batch does not stop them), well above a G1 pause.
     */
    public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

    /**
     * A consumer of a group with manual commits: offsets are committed only after the records they
     * cover were processed or dead-lettered. A member that stops heartbeating loses its partitions
     * after {@link #SESSION_TIMEOUT}.
     */
    public static KafkaConsumer<String, byte[]> consumer(
            String bootstrap, String groupId, String clientId, int maxPollRecords) {
        return consumer(bootstrap, groupId, clientId, maxPollRecords, FetchWait.PROMPT);
    }

    /**
     * How long a consumer's fetch may park at the broker ({@code fetch.max.wait.ms}) and how many
     * bytes end the wait sooner ({@code fetch.min.bytes}). Every fetch is a request the broker
     * parks, completes when a producer appends, answers and meters: a consumer that answers the
     * first byte fetches as often as the topic is appended to.
     */
    public record FetchWait(Duration maxWait, int minBytes) {
        /**
         * For work someone waits on (the fast lane, config changes): a fetch returns as soon as a
         * byte arrives, or within 50 ms.
         */
        public static final FetchWait PROMPT = new FetchWait(Duration.ofMillis(50), 1);

        /**
         * For the slow lane: its group reads every scan request of the topic to find its few, and
         * fetched at every append (about 100 fetches a second from its consumers in {@code vigil
         * bench pipeline}). Waiting for 64 KiB or half a second adds at most that to a scan that
         * was sent there for taking seconds.
         */
        public static final FetchWait PATIENT = new FetchWait(Duration.ofMillis(500), 64 * 1024);
    }

    /** As above, with the fetch's wait given. */
    public static KafkaConsumer<String, byte[]> consumer(
            String bootstrap, String groupId, String clientId, int maxPollRecords, FetchWait wait) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        // A fetch parks at the broker until a byte arrives (fetch.min.bytes 1) or this passes. A
        // longer wait would spare idle consumers empty fetches (tried: 500 ms halved the in-JVM
        // broker's CPU share in `bench pipeline`), but it costs latency: partitions paused for a
        // batch are left out of the fetch parked meanwhile, and their next fetch waits for that
        // one to return. `bench changes` measured change -> insight p50 334 ms / p99 862 ms with
        // 500 ms against 104 / 526 ms with 50 ms.
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) wait.maxWait().toMillis());
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, wait.minBytes());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    public static Admin admin(String bootstrap) {
        Map<String, Object> p = new HashMap<>();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        return Admin.create(p);
    }

    /**
     * Fails fast when no broker answers at the configured address.
     *
     * @throws ConfigException naming {@code VIGIL_KAFKA_BOOTSTRAP}, its value and what to check
     */
    public static void verifyReachable(KafkaConfig config, Duration timeout) {
        try (Admin admin = admin(config.bootstrapServers())) {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new ConfigException(
                    KafkaConfig.BOOTSTRAP.name()
                            + "="
                            + config.bootstrapServers()
                            + ": no Kafka broker answered within "
                            + timeout.toMillis()
                            + " ms. Check the address and that the broker is running and reachable"
                            + " from here.",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while checking Kafka", e);
        }
    }

    /**
     * {@link #ensureTopics(String, List, int, int, Duration)} with one replica per partition: for a
     * single broker.
     */
    public static void ensureTopics(
            String bootstrap, List<String> topics, int partitions, Duration timeout) {
        ensureTopics(bootstrap, topics, partitions, 1, timeout);
    }

    /**
     * Creates the topics that are missing, with {@code replicationFactor} replicas and {@code
     * min.insync.replicas} {@link KafkaConfig#minInsyncReplicas(int)}, and waits until every
     * partition of each has a leader: producing to a just-created topic before that loses records.
     * A topic that exists already is left as it is (its partitions and replicas too).
     */
    public static void ensureTopics(
            String bootstrap,
            List<String> topics,
            int partitions,
            int replicationFactor,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin(bootstrap)) {
            Set<String> existing = admin.listTopics().names().get();
            for (String t : topics) {
                if (!existing.contains(t)) {
                    try {
                        NewTopic topic =
                                new NewTopic(t, partitions, (short) replicationFactor)
                                        .configs(
                                                Map.of(
                                                        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                                                        Integer.toString(
                                                                KafkaConfig.minInsyncReplicas(
                                                                        replicationFactor))));
                        admin.createTopics(List.of(topic)).all().get();
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
            }
            Set<String> waiting = new HashSet<>(topics);
            Map<String, TopicDescription> described = new HashMap<>();
            while (!waiting.isEmpty()) {
                Map<String, TopicDescription> d;
                try {
                    d = admin.describeTopics(waiting).allTopicNames().get();
                } catch (ExecutionException e) {
                    // a just-created topic is unknown to the metadata cache for a moment
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw e;
                    }
                    d = Map.of();
                }
                d.forEach(
                        (name, desc) -> {
                            if (desc.partitions().stream().allMatch(p -> p.leader() != null)) {
                                waiting.remove(name);
                                described.put(name, desc);
                            }
                        });
                if (!waiting.isEmpty()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "topics "
                                        + waiting
                                        + " have partitions without a leader after "
                                        + timeout);
                    }
                    Thread.sleep(50);
                }
            }
            // A leader in the metadata is not yet a partition its broker serves: a produce sent in
            // between can fail with NOT_LEADER_OR_FOLLOWER, and an idempotent producer whose first
            // batch failed that way while later ones landed retries it forever (out of order
            // sequence). Listing offsets asks each partition's leader itself; the admin client
            // retries until every one answers.
            // The partitions the topics have (one created elsewhere may have another count), as
            // described above: describing again may ask a broker that does not know them yet.
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            described.forEach(
                    (name, desc) ->
                            desc.partitions()
                                    .forEach(
                                            p ->
                                                    ends.put(
                                                            new TopicPartition(name, p.partition()),
                                                            OffsetSpec.latest())));
            // With several brokers, the one asked may not know a topic another has just described:
            // the admin client does not retry an unknown topic here, so this loop does.
            while (true) {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                try {
                    admin.listOffsets(
                                    ends,
                                    new ListOffsetsOptions()
                                            .timeoutMs((int) Math.min(left, 600_000)))
                            .all()
                            .get();
                    break;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
                            || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(50);
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "creating topics " + topics + " at " + bootstrap + ": " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }
}
