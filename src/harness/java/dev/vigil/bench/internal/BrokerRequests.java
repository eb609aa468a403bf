package dev.vigil.bench.internal;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The requests the in-process Kafka broker has answered so far, by type ({@code Fetch}, {@code
 * OffsetCommit}, {@code Produce}, …), read from the meters it registers in this JVM's MBean server.
 * Every request is parked, completed, answered and metered by the broker whatever it carries, so
 * their count per scan is what the lanes' consumers and the scheduler's producer cost it.
 *
 * @param byType count of each request type, all versions together
 */
public record BrokerRequests(Map<String, Long> byType) {
    private static final String METERS = "kafka.network:type=RequestMetrics,name=RequestsPerSec,*";

    public BrokerRequests {
        byType = Map.copyOf(byType);
    }

    /**
     * The counts now; empty when no broker runs in this JVM (the figures then read zero).
     *
     * @throws IllegalStateException when the broker's meters cannot be read
     */
    public static BrokerRequests now() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Map<String, Long> counts = new TreeMap<>();
        try {
            for (ObjectName n : server.queryNames(new ObjectName(METERS), null)) {
                String type = n.getKeyProperty("request");
                if (type != null && server.getAttribute(n, "Count") instanceof Long c) {
                    counts.merge(type, c, Long::sum);
                }
            }
        } catch (JMException e) {
            throw new IllegalStateException("reading the broker's request meters: " + e, e);
        }
        return new BrokerRequests(counts);
    }

    /** Requests of {@code type} answered since {@code earlier}. */
    public long since(BrokerRequests earlier, String type) {
        return byType.getOrDefault(type, 0L) - earlier.byType.getOrDefault(type, 0L);
    }

    /** Requests of every type answered since {@code earlier}. */
    public long totalSince(BrokerRequests earlier) {
        long now = byType.values().stream().mapToLong(Long::longValue).sum();
        long then = earlier.byType.values().stream().mapToLong(Long::longValue).sum();
        return now - then;
    }
}
