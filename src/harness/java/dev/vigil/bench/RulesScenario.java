package dev.vigil.bench;

import static dev.vigil.bench.Samples.count;
import static dev.vigil.bench.Samples.median;

import dev.vigil.checks.ConfigDocuments;
import dev.vigil.checks.Evaluation;
import dev.vigil.checks.RuleSet;
import dev.vigil.checks.RuleSets;
import dev.vigil.inventory.TargetKind;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scenario {@code rules} (issue 9, point 6): whole-catalogue evaluations per second of one zone
 * document, the fleet's typical zone and a zone of 100,000 DNS records, beside the naive way of a
 * scanner made of one script per rule: every rule parses the document for itself.
 *
 * <p>Four figures per document: Vigil's {@link RuleSet#evaluate} on a decoded document (what the
 * JMH {@code CatalogueBenchmark} measures), Vigil per scan (decode the JSON once, then evaluate,
 * which is what a worker does), the naive way (decode the JSON once per rule, then the same
 * evaluation: the work of one script per rule, each evaluating its rule on its own parse), and the
 * first figure again with CEL's interpreter alone ({@link RuleSet#interpreted}), which is what the
 * rules' Java forms gain.
 */
public final class RulesScenario {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * How much to measure.
     *
     * @param largeRecords DNS records of the large zone
     * @param warmUp per document and way, before measuring
     * @param reps measurements per document and way; the median is reported
     * @param rep the length of one measurement (at least one evaluation)
     */
    public record Settings(int largeRecords, Duration warmUp, int reps, Duration rep) {
        public static Settings of(boolean quick) {
            return quick
                    ? new Settings(5_000, Duration.ofMillis(800), 3, Duration.ofMillis(300))
                    : new Settings(100_000, Duration.ofSeconds(10), 5, Duration.ofSeconds(3));
        }
    }

    /**
     * Evaluations per second of one document: Vigil, Vigil with decoding, naive, and Vigil's
     * evaluation by CEL's interpreter alone (without the rules' Java forms).
     */
    record Rates(
            String document,
            int records,
            int bytes,
            double evaluate,
            double perScan,
            double naive,
            double interpreted) {}

    private final Settings s;
    private final PrintStream log;

    public RulesScenario(Settings settings, PrintStream log) {
        this.s = settings;
        this.log = log;
    }

    /**
     * Runs the scenario.
     *
     * @throws BenchFailedException when any check errors on the benchmark documents
     */
    public ScenarioReport run() {
        try {
            RuleSet rules = RuleSets.catalogue();
            int checks =
                    (int)
                            rules.checks().stream()
                                    .filter(c -> c.appliesTo() == TargetKind.ZONE)
                                    .count();
            List<Rates> rates = new ArrayList<>();
            rates.add(measure(rules, checks, "typical zone", BenchmarkDocuments.typicalZone()));
            rates.add(
                    measure(
                            rules,
                            checks,
                            count(s.largeRecords()) + "-record zone",
                            LargeZones.withRecords(s.largeRecords()).document()));
            return RulesReport.of(s, checks, rates);
        } catch (BenchFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BenchFailedException("rules: the system under test failed: " + e, e);
        }
    }

    private Rates measure(RuleSet rules, int checks, String name, Map<String, Object> decoded) {
        byte[] json = JSON.writeValueAsBytes(decoded);
        RuleSet interpreter = rules.interpreted();
        Evaluation e = rules.evaluate(TargetKind.ZONE, decoded);
        if (!e.equals(interpreter.evaluate(TargetKind.ZONE, decoded))) {
            throw new BenchFailedException(
                    "rules: the Java forms and CEL's interpreter disagree on the " + name);
        }
        if (!e.erroredCheckIds().isEmpty() || e.results().size() != checks) {
            throw new BenchFailedException(
                    "rules: the catalogue errored on the "
                            + name
                            + ": checks "
                            + e.erroredCheckIds()
                            + " (of "
                            + e.results().size()
                            + " evaluated, "
                            + checks
                            + " expected)");
        }
        Runnable evaluate = () -> rules.evaluate(TargetKind.ZONE, decoded);
        Runnable perScan = () -> rules.evaluate(TargetKind.ZONE, ConfigDocuments.parse(json));
        Runnable naive =
                () -> {
                    Map<String, Object> doc = decoded;
                    for (int i = 0; i < checks; i++) {
                        doc = ConfigDocuments.parse(json);
                    }
                    rules.evaluate(TargetKind.ZONE, doc);
                };
        Runnable interpreted = () -> interpreter.evaluate(TargetKind.ZONE, decoded);
        log.printf(
                "bench rules: %s (%,d bytes of JSON, %d zone checks)…%n",
                name, json.length, checks);
        List<Runnable> ways = List.of(evaluate, perScan, naive, interpreted);
        for (Runnable way : ways) {
            long warmEnd = System.nanoTime() + s.warmUp().toNanos();
            do {
                way.run();
            } while (System.nanoTime() < warmEnd);
        }
        // Ways interleaved, so a slow patch of a shared machine hits all of them alike.
        List<List<Double>> rates = new ArrayList<>();
        ways.forEach(w -> rates.add(new ArrayList<>()));
        for (int r = 0; r < s.reps(); r++) {
            for (int w = 0; w < ways.size(); w++) {
                rates.get(w).add(once(ways.get(w)));
            }
        }
        double a = median(rates.get(0));
        double b = median(rates.get(1));
        double c = median(rates.get(2));
        double d = median(rates.get(3));
        log.printf(
                "bench rules: %s: evaluate %s/s, decode + evaluate %s/s, decode per rule %s/s,"
                        + " evaluate by CEL's interpreter alone %s/s%n",
                name, Samples.rate(a), Samples.rate(b), Samples.rate(c), Samples.rate(d));
        Object records = decoded.get("dns_records");
        return new Rates(
                name, records instanceof List<?> l ? l.size() : 0, json.length, a, b, c, d);
    }

    /** One timed run of at least {@link Settings#rep()} and one operation, in operations/s. */
    private double once(Runnable op) {
        long start = System.nanoTime();
        long end = start + s.rep().toNanos();
        long n = 0;
        long now;
        do {
            op.run();
            n++;
            now = System.nanoTime();
        } while (now < end);
        return n / ((now - start) / 1e9);
    }

    /** The figures by document, for the report. */
    static Map<String, Map<String, Double>> bySeries(List<Rates> rates) {
        Map<String, Map<String, Double>> m = new LinkedHashMap<>();
        for (Rates r : rates) {
            m.computeIfAbsent("Vigil, evaluate", k -> new LinkedHashMap<>())
                    .put(r.document(), r.evaluate());
            m.computeIfAbsent("Vigil, decode + evaluate", k -> new LinkedHashMap<>())
                    .put(r.document(), r.perScan());
            m.computeIfAbsent("naive, decode per rule", k -> new LinkedHashMap<>())
                    .put(r.document(), r.naive());
            m.computeIfAbsent("Vigil, evaluate by CEL alone", k -> new LinkedHashMap<>())
                    .put(r.document(), r.interpreted());
        }
        return m;
    }
}
