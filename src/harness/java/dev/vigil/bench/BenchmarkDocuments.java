package dev.vigil.bench;

import dev.vigil.checks.ConfigDocuments;
import dev.vigil.simulate.FleetGenerator;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The documents the benchmarks evaluate, built from the synthetic fleet so they have the shape the
 * pipeline sees, and decoded by {@link ConfigDocuments} so they hold the same value types.
 *
 * <p>"Typical" means the median of a fleet of {@value #FLEET_ZONES} zones and {@value
 * #FLEET_ACCOUNTS} accounts (seed {@value #SEED}): the zone with the median number of DNS records,
 * the account with the median document size. Deterministic, so every run measures the same
 * documents.
 */
public final class BenchmarkDocuments {

    static final long SEED = 42L;
    static final int FLEET_ACCOUNTS = 50;
    static final int FLEET_ZONES = 500;

    private static final FleetGenerator FLEET =
            FleetGenerator.of(SEED, FLEET_ACCOUNTS, FLEET_ZONES);

    private BenchmarkDocuments() {}

    /**
     * The fleet's median zone by DNS record count (ties: lowest fleet index). Computed once per
     * JVM: the document is immutable, so every caller may share it.
     */
    public static Map<String, Object> typicalZone() {
        return Typical.ZONE;
    }

    /** The fleet's median account by document size in bytes (ties: lowest fleet index). */
    public static Map<String, Object> typicalAccount() {
        return Typical.ACCOUNT;
    }

    /** Built on first use (class initialisation), since each median reads the fleet. */
    private static final class Typical {
        static final Map<String, Object> ZONE =
                median(
                        FLEET_ACCOUNTS,
                        FLEET_ACCOUNTS + FLEET_ZONES,
                        (json, doc) -> recordCount(doc));
        static final Map<String, Object> ACCOUNT =
                median(0, FLEET_ACCOUNTS, (json, doc) -> json.length);
    }

    /** The number of entries of {@code dns_records} in a zone document (0 when absent). */
    public static int recordCount(Map<String, Object> zone) {
        return zone.get("dns_records") instanceof List<?> l ? l.size() : 0;
    }

    private interface Measure {
        int of(byte[] json, Map<String, Object> doc);
    }

    private record Candidate(int index, int size, Map<String, Object> doc) {}

    /** The median by {@code measure} of the fleet's targets {@code from..to-1}. */
    private static Map<String, Object> median(int from, int to, Measure measure) {
        List<Candidate> sorted =
                IntStream.range(from, to)
                        .mapToObj(
                                i -> {
                                    byte[] json = FLEET.document(FLEET.target(i));
                                    Map<String, Object> doc = ConfigDocuments.parse(json);
                                    return new Candidate(i, measure.of(json, doc), doc);
                                })
                        .sorted(
                                Comparator.comparingInt(Candidate::size)
                                        .thenComparingInt(Candidate::index))
                        .toList();
        return sorted.get(sorted.size() / 2).doc();
    }
}
