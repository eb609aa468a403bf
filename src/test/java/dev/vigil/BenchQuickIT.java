package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.bench.Bench;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CI smoke test of {@code vigil bench --quick}: every scenario runs, and the report is
 * complete: each scenario with its figure, its baseline and its charts (valid PNG files beside the
 * report), and the DESIGN.md targets beside the measured figures.
 */
class BenchQuickIT {
    static final Path OUT = Path.of("target/bench-quick");
    static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /**
     * The scenarios whose baseline is a measured figure: all but {@code lanes} and {@code fleet},
     * which may point to their section.
     */
    static final Set<String> MEASURED_BASELINES =
            Bench.SCENARIOS.stream()
                    .filter(s -> !Set.of("lanes", "fleet").contains(s))
                    .collect(java.util.stream.Collectors.toUnmodifiableSet());

    static int exitCode;
    static String report = "";
    static String output = "";

    @BeforeAll
    static void runTheQuickBench() throws Exception {
        // The command prints to System.out: keep a copy of its lines, still showing them.
        PrintStream original = System.out;
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        System.setOut(
                new PrintStream(
                        new OutputStream() {
                            @Override
                            public void write(int b) {
                                original.write(b);
                                copy.write(b);
                            }

                            @Override
                            public void write(byte[] b, int off, int len) {
                                original.write(b, off, len);
                                copy.write(b, off, len);
                            }
                        },
                        true,
                        StandardCharsets.UTF_8));
        try {
            exitCode = DevMain.commandLine().execute("bench", "--quick", "--out", OUT.toString());
        } finally {
            System.setOut(original);
        }
        output = copy.toString(StandardCharsets.UTF_8);
        report = Files.readString(OUT.resolve("report.md"));
    }

    @Test
    void eachScenarioSaysHowLongItTookBeforeItsHeadline() {
        for (String s : Bench.SCENARIOS) {
            Matcher took =
                    Pattern.compile("(?m)^vigil bench: scenario " + s + " took [0-9]+ s$")
                            .matcher(output);
            assertThat(took.find()).as("the time " + s + " took").isTrue();
            // other threads' log lines may come between: the headline follows, not necessarily next
            assertThat(output.indexOf("\n" + s + ": ", took.end()))
                    .as("the headline of " + s + " after its time")
                    .isPositive();
        }
    }

    @Test
    void quickBenchRunsEveryScenarioCleanly() {
        assertThat(exitCode).isZero();
        assertThat(report)
                .contains("## Machine", "CPUs (nproc): ", "CPU model: ", "JDK: ")
                .doesNotContain("FAILED");
        // a speed reading before every scenario and one at the end, in the machine section
        Matcher speeds = Pattern.compile("(?m)^- Speed readings \\(.*\\): (.*)$").matcher(report);
        assertThat(speeds.find()).as("speed readings in the report").isTrue();
        List<String> expected = new ArrayList<>();
        for (String s : Bench.SCENARIOS) {
            expected.add("before " + s);
        }
        expected.add("at the end");
        assertThat(
                        Pattern.compile(" \\d+\\.\\d / \\d+\\.\\d ms(, )?")
                                .splitAsStream(speeds.group(1))
                                .toList())
                .containsExactlyElementsOf(expected);
        for (String s : Bench.SCENARIOS) {
            assertThat(report).contains("## Scenario `" + s + "`");
        }
    }

    @Test
    void summaryListsEveryScenarioWithItsFigureAndItsBaseline() {
        for (String s : Bench.SCENARIOS) {
            Matcher m =
                    Pattern.compile("(?m)^\\| `" + s + "` \\| ([^|]+) \\| ([^|]+) \\| ([^|]*) \\|$")
                            .matcher(report);
            assertThat(m.find()).as("summary row of " + s).isTrue();
            assertThat(m.group(1)).as("figure of " + s).containsPattern("[0-9]");
            assertThat(m.group(2).strip()).as("baseline of " + s).isNotEmpty();
            if (MEASURED_BASELINES.contains(s)) {
                assertThat(m.group(2)).as("baseline of " + s).containsPattern("[0-9]");
                assertThat(m.group(3)).as("charts of " + s).contains(".png");
            }
        }
        assertThat(report)
                .containsPattern("- rules: [0-9,.]+ catalogue evaluations/s on a typical zone")
                .containsPattern("\\(CEL's interpreter alone [0-9,.]+ and [0-9,.]+\\)")
                .containsPattern(
                        "- fetch: [0-9,]+ documents/s with 64 in flight \\([0-9,]+ µs of CPU per"
                                + " fetch, client and service\\), one at a time [0-9,.]+/s")
                .containsPattern("naive \\(a connection per fetch\\) [0-9,.]+/s")
                .containsPattern("- schedule: [0-9,]+ targets imported")
                .containsPattern("busiest minute [0-9.]+ × mean with jitter")
                .containsPattern("- write: [0-9,]+ findings in one call [0-9,]+ rows/s")
                .containsPattern("- changes: [0-9,]+ events/s to stored insights")
                .containsPattern("full rescan per change [0-9,]+ events/s")
                .containsPattern(
                        "changed sections / full rescan by the section changed \\(end-of-run"
                                + " rounds\\): settings [0-9.]+×, dns_records [0-9.]+×, rulesets"
                                + " [0-9.]+×")
                .containsPattern("(?m)^\\| `settings` \\| [0-9,]+ \\| [0-9,]+ \\| [0-9.]+× \\|")
                .containsPattern("(?m)^\\| `dns_records` \\| [0-9,]+ \\| [0-9,]+ \\| [0-9.]+× \\|")
                .containsPattern("(?m)^\\| `rulesets` \\| [0-9,]+ \\| [0-9,]+ \\| [0-9.]+× \\|")
                .as("the evaluation alone, each kind, CPU per change both ways")
                .containsPattern(
                        "the evaluation alone, CPU per change: settings [0-9.]+×, dns_records"
                                + " [0-9.]+×, rulesets [0-9.]+×")
                .containsPattern(
                        "(?m)^\\| `rulesets` \\| [0-9,]+ \\| [0-9,]+ \\| [0-9.]+× \\| [0-9.]+ /"
                                + " [0-9.]+ \\|$")
                .as("the batch route's figure: the median of every round queued through it")
                .containsPattern(
                        "(?m)^\\| pushes/s accepted \\| [0-9,]+ \\(median of 4 rounds, [0-9,]+–[0-9,]+\\)"
                                + " \\| [0-9,]+ \\|$")
                .containsPattern("- pipeline: [0-9,]+ scans/s end to end")
                .containsPattern(
                        "- history: MTTR over 12 months for an account of [0-9,]+ episodes")
                .containsPattern("naive [0-9,]+ scans/s, ratio [0-9.]+×")
                .containsPattern("worker peak resident memory [0-9,]+ MiB")
                .containsPattern(
                        "- fleet: list of [0-9,]+ accounts \\([0-9,]+ insights\\) p50 [0-9.,]+ ms,"
                                + " p95 [0-9.,]+ ms, p99 [0-9.,]+ ms \\(goal p95 < 200 ms\\);"
                                + " naive [0-9,]+ per-account calls p50 [0-9.,]+ ms");
        assertThat(report)
                .as("the JIT's time in each pipeline's warm-up and window")
                .containsPattern(
                        "(?m)^\\| JIT compiling in the warm-up / the window \\| [0-9.]+ s /"
                                + " [0-9.]+ s \\| [0-9.]+ s / [0-9.]+ s \\|$");
        assertThat(report)
                .as("each role process's CPU and memory")
                .containsPattern(
                        "\\| api \\| [0-9.]+ \\| [0-9.]+ ms \\| [0-9,]+ MiB \\| [0-9,]+ MiB \\|")
                .containsPattern(
                        "\\| worker-fast \\| [0-9.]+ \\| [0-9.]+ ms \\| [0-9,]+ MiB \\| [0-9,]+ MiB \\|");
        Matcher requests =
                Pattern.compile(
                                "(?m)^\\| Kafka broker requests per scan: fetch / commit / produce / all"
                                        + " \\| ([0-9.]+) / ([0-9.]+) / ([0-9.]+) / ([0-9.]+) \\|")
                        .matcher(report);
        assertThat(requests.find()).as("the broker's requests per scan").isTrue();
        assertThat(Double.parseDouble(requests.group(1))).as("fetches per scan").isPositive();
        assertThat(Double.parseDouble(requests.group(4)))
                .as("all requests per scan")
                .isGreaterThanOrEqualTo(Double.parseDouble(requests.group(1)));
    }

    /**
     * The alerts scenario delivered every insight it opened, once, each with a valid signature. The
     * 2 s target is not asserted: the quick run is at 20/s on a shared machine.
     */
    @Test
    void alertsDeliverEveryOpenedInsightOnceSignedBesideThePoller() {
        Matcher m =
                Pattern.compile(
                                "- alerts: opened insight → signed webhook at [0-9.,]+/s p50 [^,]+,"
                                        + " p99 [^(]+\\(target ≤ 2 s at 100/s\\), p99\\.9 [^;]+;"
                                        + " ([0-9.,]+) deliveries/s sustained, ([0-9.,]+)/s at"
                                        + " saturation; ([0-9]+) lost, ([0-9]+) duplicates, ([0-9]+)"
                                        + " verification failures; polling every 60 s instead: p50"
                                        + " [0-9.]+ s, p99 [0-9.]+ s")
                        .matcher(report);
        assertThat(m.find()).as("the alerts headline").isTrue();
        assertThat(Double.parseDouble(m.group(1).replace(",", ""))).isPositive();
        assertThat(Double.parseDouble(m.group(2).replace(",", ""))).isPositive();
        assertThat(m.group(3)).as("lost").isEqualTo("0");
        assertThat(m.group(4)).as("duplicates").isEqualTo("0");
        assertThat(m.group(5)).as("verification failures").isEqualTo("0");
        assertThat(report)
                .containsPattern("\\| insights pushed / delivered \\| ([0-9,]+) / \\1 \\|")
                .containsPattern("\\| signature verification failures \\| 0 \\| 0 \\|");
    }

    /**
     * Steady rescans (findings unchanged): every way writes some WAL (its scan records), Vigil's
     * ways rewrite no insight row, on the COPY path of large results too, and the per-row upsert
     * rewrites exactly its 10 findings per scan (so the statistics read were complete: every pooled
     * backend flushed its counts before they were read). The scenario itself fails unless each
     * way's insights are all open before and after its window, a check added after a bench defect
     * it would have caught: when the ways shared their targets, the COPY way's first scans could be
     * ignored as overtaken and its 29,900 insights opened inside its window. The WAL is not
     * compared between ways: before each window opened after a vacuum, a full run charged the COPY
     * way's few scans 12 MiB per 1,000 with nothing rewritten (autovacuum in a short window).
     */
    @Test
    void steadyRescansRewriteNoInsightRowAndEveryWayWritesItsScans() {
        for (String way :
                List.of(
                        "Vigil, results in batches of 100",
                        "Vigil, one results call per scan",
                        "Vigil, one results call per scan of 3,000 findings (COPY path)",
                        "per-row upsert")) {
            Matcher m =
                    Pattern.compile(
                                    "(?m)^\\| "
                                            + Pattern.quote(way)
                                            + "[^|]* \\| [0-9,]+ \\| ([0-9.]+) MiB \\| ([0-9,]+) \\|$")
                            .matcher(report);
            assertThat(m.find()).as("steady rescans row of " + way).isTrue();
            assertThat(Double.parseDouble(m.group(1))).as("WAL of " + way).isPositive();
            long rewritten = Long.parseLong(m.group(2).replace(",", ""));
            assertThat(rewritten)
                    .as("rows rewritten per 1,000 scans by " + way)
                    .isEqualTo(way.startsWith("Vigil") ? 0 : 10_000);
        }
    }

    /**
     * The write section says what bounds the large call, measured in the run: the cores PostgreSQL
     * and the JVM used during it, the server's time in its statements, and raw COPY with the audit
     * rows the writer must add beside raw COPY alone.
     */
    @Test
    void theWriteSectionSaysWhatBoundsTheLargeCall() {
        Matcher m =
                Pattern.compile(
                                "\\*\\*What bounds the call\\.\\*\\* .* it used ([0-9.]+) cores and this"
                                        + " JVM \\(client, API and writer\\) ([0-9.]+), .* the"
                                        + " hybrid call's COPY into `insights` took ([0-9.]+) s"
                                        + " against raw COPY's ([0-9.]+) s .* its audit rows \\([^)]*\\)"
                                        + " ([0-9.]+) s, its other statements ([0-9.]+) s, .* made"
                                        + " ([0-9,]+) rows/s = ([0-9]+) % of raw COPY")
                        .matcher(report);
        assertThat(m.find()).as("the write section's bound paragraph").isTrue();
        assertThat(Double.parseDouble(m.group(1))).as("PostgreSQL's cores").isPositive();
        assertThat(Double.parseDouble(m.group(2))).as("the JVM's cores").isPositive();
        // PostgreSQL's own account of the statements (pg_stat_statements in the rig's server)
        assertThat(Double.parseDouble(m.group(3))).as("the writer's COPY").isPositive();
        assertThat(Double.parseDouble(m.group(4))).as("raw COPY").isPositive();
        assertThat(Double.parseDouble(m.group(5))).as("the writer's audit rows").isPositive();
        assertThat(Double.parseDouble(m.group(6))).as("its other statements").isNotNegative();
        assertThat(Long.parseLong(m.group(7).replace(",", ""))).isPositive();
        assertThat(report).contains("| raw COPY + audit rows |");
    }

    /**
     * The changes section says what bounds its figures, measured in the run: CPU per push on the
     * batch route against the 8,333 pushes/s budget, and the CPU of an event with changed sections
     * that is not the checks' evaluation, which bounds the end-to-end ratio.
     */
    @Test
    void theChangesSectionSaysWhatBoundsItsFigures() {
        Matcher m =
                Pattern.compile(
                                "\\*\\*What bounds these figures\\*\\* .* The batch route took"
                                        + " ([0-9.]+) ms of the JVM's CPU and ([0-9.]+) ms of"
                                        + " PostgreSQL's per push accepted .* where 8,333 needs at"
                                        + " most 0\\.240 ms per push[^.]*\\..* A ratio of 3× needs the"
                                        + " whole event under [0-9.]+ ms, a third of the full"
                                        + " rescan's; even free evaluation would leave it at most"
                                        + " ([0-9.]+)×")
                        .matcher(report);
        assertThat(m.find()).as("the changes section's bound paragraph").isTrue();
        assertThat(Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2)))
                .as("CPU per push")
                .isPositive();
        assertThat(Double.parseDouble(m.group(3))).as("the ratio's bound").isGreaterThan(0);
    }

    @Test
    void designTargetsStandBesideTheMeasuredFiguresMetOrNot() {
        for (String target :
                List.of(
                        "≥ 2,000 scans/s sustained",
                        "≥ 20,000 config-change events/s to stored insights",
                        "change-to-insight p99 ≤ 1 s at half that load",
                        "hybrid call ≥ 70 % of raw COPY into the same indexed table",
                        "busiest minute ≤ 1.2 × mean minute after importing 1,000,000 targets",
                        "worker resident memory at full speed ≤ 512 MiB",
                        "fleet list p95 < 200 ms")) {
            assertThat(report)
                    .containsPattern(
                            "\\| "
                                    + Pattern.quote(target)
                                    + " \\| `[a-z]+` \\| [^|]*[0-9][^|]* \\| (met|\\*\\*missed\\*\\*) \\|");
        }
    }

    @Test
    void everyLinkedChartIsAValidPngBesideTheReport() throws Exception {
        Matcher m = Pattern.compile("!\\[[^]]+]\\(([^)]+\\.png)\\)").matcher(report);
        List<String> charts = new ArrayList<>();
        while (m.find()) {
            charts.add(m.group(1));
        }
        assertThat(charts)
                .contains(
                        "rules.png",
                        "schedule-due.png",
                        "schedule-published.png",
                        "write-sizes.png",
                        "changes-rate.png",
                        "changes-latency.png",
                        "alerts-latency.png",
                        "pipeline-rate.png",
                        "pipeline-latency.png",
                        "pipeline-roles-memory.png");
        for (String c : charts) {
            Path file = OUT.resolve(c);
            assertThat(file).exists();
            byte[] head = new byte[PNG_MAGIC.length];
            try (var in = Files.newInputStream(file)) {
                assertThat(in.readNBytes(head, 0, head.length)).isEqualTo(head.length);
            }
            assertThat(head).as(c + " starts like a PNG").isEqualTo(PNG_MAGIC);
            BufferedImage img = ImageIO.read(file.toFile());
            assertThat(img).as(c + " decodes").isNotNull();
            assertThat(img.getWidth()).isGreaterThan(100);
        }
    }

    /**
     * The {@code lanes} scenario's facts that hold on a loaded two-core machine: fast targets wait
     * behind the slow fetches (2–3 s) in one group, not with lanes. Load alone has pushed a p99
     * without any slow target to 2.2 s on such a machine, so the lanes p99 is compared with the
     * one-group p99, and its median with the slow fetch; the one-group p99 must reach most of the
     * shortest slow fetch (1.5 s of 2 s: the fast scans queued behind one slow fetch wait for the
     * rest of it). The DESIGN target p99(a) ≤ 1.5 × p99(b) is reported, not asserted.
     */
    @Test
    void fastLaneStaysFastBesideSlowTargetsWhileOneGroupStallsBehindThem() {
        long[] lanes = lanesRow("(a) lanes, 1 % slow");
        long[] noSlow = lanesRow("(b) lanes, none slow");
        long[] oneGroup = lanesRow("(c) one group, 1 % slow");

        assertThat(lanes[2]).as("fast scans with lanes").isPositive();
        assertThat(lanes[4]).as("slow targets were scanned too").isPositive();
        assertThat(noSlow[2]).as("fast scans with none slow").isPositive();
        assertThat(oneGroup[2]).as("fast scans with one group").isPositive();
        assertThat(lanes[1]).as("lanes p99 (ms)").isLessThan(oneGroup[1]);
        assertThat(lanes[0]).as("lanes median (ms)").isLessThan(1_000);
        assertThat(oneGroup[1])
                .as("fast targets' p99 with one group (ms)")
                .isGreaterThanOrEqualTo(1_500);
        assertThat(report).containsPattern("(?m)^- lanes: fast-lane p99 ");
    }

    /**
     * A row of the lanes table: fast p50 (ms), fast p99 (ms), fast scans, slow p50 (ms), slow
     * scans.
     */
    static long[] lanesRow(String run) {
        Matcher m =
                Pattern.compile(
                                "(?m)^\\| "
                                        + Pattern.quote(run)
                                        + " \\| ([0-9,]+) ms \\| ([0-9,]+) ms \\| ([0-9,]+) \\|"
                                        + " ([0-9,]+) ms \\| ([0-9,]+) \\| [0-9,]+ \\|$")
                        .matcher(report);
        assertThat(m.find()).as("lanes row " + run).isTrue();
        long[] row = new long[5];
        for (int i = 0; i < row.length; i++) {
            row[i] = Long.parseLong(m.group(i + 1).replace(",", ""));
        }
        return row;
    }
}
