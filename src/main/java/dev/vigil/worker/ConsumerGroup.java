package dev.vigil.worker;

import dev.vigil.events.KafkaClients;
import dev.vigil.telemetry.HealthCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The batch consumers one worker process runs in one consumer group: {@link
 * WorkerConfig#consumers()} of them, each with its own polling thread, sharing one handler.
 */
final class ConsumerGroup {
    private ConsumerGroup() {}

    /**
     * Starts the consumers, named {@code namePrefix-0}, {@code namePrefix-1}, …; each hands the
     * records {@code accept} takes to {@code handler} and drops the others at once.
     */
    static List<BatchConsumer> start(
            String bootstrap,
            String groupId,
            String namePrefix,
            String topic,
            WorkerConfig config,
            KafkaClients.FetchWait wait,
            Predicate<ConsumerRecord<String, byte[]>> accept,
            ChainHandler handler) {
        List<BatchConsumer> list = new ArrayList<>();
        for (int i = 0; i < config.consumers(); i++) {
            String name = namePrefix + "-" + i;
            list.add(
                    BatchConsumer.startChains(
                            KafkaClients.consumer(
                                    bootstrap, groupId, name, config.maxPollRecords(), wait),
                            topic,
                            accept,
                            handler,
                            config.maxInFlight(),
                            config.shutdownDeadline(),
                            name));
        }
        return List.copyOf(list);
    }

    /** The Kafka consumers of {@code consumers}, for metric binders. */
    static List<org.apache.kafka.clients.consumer.Consumer<?, ?>> kafkaConsumers(
            List<BatchConsumer> consumers) {
        return consumers.stream()
                .<org.apache.kafka.clients.consumer.Consumer<?, ?>>map(BatchConsumer::kafkaConsumer)
                .toList();
    }

    /** True while every consumer is polling. */
    static boolean healthy(List<BatchConsumer> consumers) {
        return consumers.stream().allMatch(BatchConsumer::isRunning);
    }

    /**
     * Ready when every consumer polls and has joined {@code group} (received its assignment): a
     * consumer still joining, or one that stopped, makes the process not ready.
     */
    static HealthCheck.Status readiness(List<BatchConsumer> consumers, String group) {
        long stopped = consumers.stream().filter(c -> !c.isRunning()).count();
        if (stopped > 0) {
            return HealthCheck.Status.down(
                    stopped + " of " + consumers.size() + " consumers of " + group + " stopped");
        }
        long joining = consumers.stream().filter(c -> !c.joined()).count();
        int partitions = consumers.stream().mapToInt(BatchConsumer::assignedPartitions).sum();
        if (joining > 0) {
            return HealthCheck.Status.down(
                    joining + " of " + consumers.size() + " consumers still joining " + group);
        }
        return HealthCheck.Status.ok(
                consumers.size() + " consumers in " + group + ", " + partitions + " partitions");
    }

    /** Closes the consumers concurrently: each waits for its own batch within its deadline. */
    static void close(List<BatchConsumer> consumers) {
        List<Thread> closers = new ArrayList<>();
        for (BatchConsumer c : consumers) {
            closers.add(Thread.ofVirtual().start(c::close));
        }
        for (Thread t : closers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
