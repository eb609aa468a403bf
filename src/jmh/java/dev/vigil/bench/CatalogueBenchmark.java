package dev.vigil.bench;

import dev.vigil.checks.Evaluation;
import dev.vigil.checks.RuleSet;
import dev.vigil.checks.RuleSets;
import dev.vigil.inventory.TargetKind;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Evaluations per second of the whole shipped catalogue against one document: a typical zone, a
 * typical account, and zones of 1,000, 10,000 and 100,000 DNS records (the last two show whether
 * per-record checks stay linear: their time per record should match within a small factor).
 *
 * <p>Only {@link RuleSet#evaluate} is measured; documents are decoded once in setup. Defaults suit
 * a small machine (1 fork, 5 × 2 s warm-up, 5 × 2 s measurement; 5 × 5 s for the large zones);
 * JMH's command-line options override them, e.g. {@code ./vigil jmh -f 3 -wi 5 -i 10
 * CatalogueBenchmark.typical}.
 */
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g", "--sun-misc-unsafe-memory-access=allow"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class CatalogueBenchmark {

    /** The catalogue and the typical documents, shared by all threads. */
    @State(Scope.Benchmark)
    public static class Typical {
        RuleSet rules = RuleSets.catalogue();
        Map<String, Object> zone = Map.of();
        Map<String, Object> account = Map.of();

        @Setup(Level.Trial)
        public void load() {
            rules = RuleSets.catalogue();
            zone = BenchmarkDocuments.typicalZone();
            account = BenchmarkDocuments.typicalAccount();
        }
    }

    /** The catalogue and one large zone of {@link #records} DNS records. */
    @State(Scope.Benchmark)
    public static class Large {
        @Param({"1000", "10000", "100000"})
        public int records;

        RuleSet rules = RuleSets.catalogue();
        Map<String, Object> zone = Map.of();
        Map<String, Integer> planted = Map.of();

        @Setup(Level.Trial)
        public void load() {
            rules = RuleSets.catalogue();
            LargeZones.LargeZone built = LargeZones.withRecords(records);
            zone = built.document();
            planted = built.planted();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Evaluation typicalZone(Typical s) {
        return s.rules.evaluate(TargetKind.ZONE, s.zone);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Evaluation typicalAccount(Typical s) {
        return s.rules.evaluate(TargetKind.ACCOUNT, s.account);
    }

    /** Longer iterations: one evaluation of 100,000 records takes most of a second. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Measurement(iterations = 5, time = 5)
    public Evaluation largeZone(Large s) {
        return s.rules.evaluate(TargetKind.ZONE, s.zone);
    }
}
