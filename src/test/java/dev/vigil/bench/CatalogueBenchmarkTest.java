package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.checks.CheckResult;
import dev.vigil.checks.Evaluation;
import dev.vigil.checks.Outcome;
import dev.vigil.checks.RuleSets;
import dev.vigil.inventory.TargetKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/**
 * Runs every benchmark body of {@link CatalogueBenchmark} once, untimed, so the benchmarks cannot
 * rot between runs of {@code ./vigil jmh}: they compile, their setup builds the documents they
 * claim, and what they measure is a full, error-free evaluation. The 100,000-record zone is built
 * and checked but not evaluated here: cold, that alone takes seconds.
 */
class CatalogueBenchmarkTest {

    private final CatalogueBenchmark bench = new CatalogueBenchmark();

    @Test
    void typicalZoneBenchmarkEvaluatesEveryZoneCheckWithoutError() {
        CatalogueBenchmark.Typical s = new CatalogueBenchmark.Typical();
        s.load();

        Evaluation e = bench.typicalZone(s);

        assertThat(BenchmarkDocuments.recordCount(s.zone)).isBetween(10, 40);
        assertThat(e.results()).hasSize(checkCount(TargetKind.ZONE));
        assertThat(e.erroredCheckIds()).isEmpty();
    }

    @Test
    void typicalAccountBenchmarkEvaluatesEveryAccountCheckWithoutError() {
        CatalogueBenchmark.Typical s = new CatalogueBenchmark.Typical();
        s.load();

        Evaluation e = bench.typicalAccount(s);

        assertThat(e.results()).hasSize(checkCount(TargetKind.ACCOUNT));
        assertThat(e.erroredCheckIds()).isEmpty();
    }

    @Test
    void largeZoneBenchmarkBuildsEveryRecordCountAndFindsExactlyThePlantedProblems()
            throws Exception {
        String[] counts =
                CatalogueBenchmark.Large.class
                        .getField("records")
                        .getAnnotation(Param.class)
                        .value();
        assertThat(counts).contains("100000");
        var typicalZone = BenchmarkDocuments.typicalZone();
        Evaluation typical = RuleSets.catalogue().evaluate(TargetKind.ZONE, typicalZone);

        for (String count : counts) {
            CatalogueBenchmark.Large s = new CatalogueBenchmark.Large();
            s.records = Integer.parseInt(count);
            s.load();

            if (s.records == 100_000) {
                int padding = s.records - BenchmarkDocuments.recordCount(typicalZone);
                assertThat(s.planted.keySet())
                        .containsExactlyInAnyOrderElementsOf(LargeZones.PLANTED_CHECKS);
                assertThat(s.planted.values()).allSatisfy(n -> assertThat(n).isPositive());
                assertThat(s.planted.get("dns.wildcard_record")).isEqualTo(padding / 10_000);
            }
            assertThat(BenchmarkDocuments.recordCount(s.zone)).isEqualTo(s.records);
            if (s.records > 10_000) {
                continue; // built and counted above; evaluating it cold would take seconds
            }
            Evaluation e = bench.largeZone(s);

            assertThat(e.erroredCheckIds()).as("%s records", count).isEmpty();
            for (String check : LargeZones.PLANTED_CHECKS) {
                assertThat(findings(e, check))
                        .as("%s findings of %s records", check, count)
                        .isEqualTo(findings(typical, check) + s.planted.get(check));
            }
        }
    }

    @Test
    void jmhHarnessIsGeneratedForEveryBenchmark() throws IOException {
        String list;
        try (InputStream in =
                getClass().getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
            assertThat(in)
                    .as("META-INF/BenchmarkList (JMH annotation processor output)")
                    .isNotNull();
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String method : new String[] {"typicalZone", "typicalAccount", "largeZone"}) {
            assertThat(list)
                    .contains(
                            CatalogueBenchmark.class.getPackageName()
                                    + ".jmh_generated.CatalogueBenchmark_"
                                    + method
                                    + "_jmhTest");
        }
    }

    private static int checkCount(TargetKind kind) {
        return (int)
                RuleSets.catalogue().checks().stream().filter(c -> c.appliesTo() == kind).count();
    }

    private static int findings(Evaluation e, String check) {
        CheckResult r = e.result(check).orElseThrow();
        assertThat(r.outcome()).isIn(Outcome.PASS, Outcome.FAIL);
        return r.findings().size();
    }
}
