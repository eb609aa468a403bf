package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.Env;
import dev.vigil.testing.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportCommandIT {
    static TestPostgres pg;
    static Env env;
    static Jdbi jdbi;

    @TempDir Path dir;

    @BeforeAll
    static void start() {
        pg = TestPostgres.start();
        jdbi = Jdbi.create(pg.dataSource());
        env =
                Env.of(
                        Map.of(
                                "VIGIL_DATABASE_URL", pg.jdbcUrl(),
                                "VIGIL_DATABASE_USER", pg.user(),
                                "VIGIL_DATABASE_PASSWORD", pg.password()));
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    record Run(int exit, String out, String err) {}

    static Run run(Path file, String... options) {
        ImportCommand c = new ImportCommand();
        picocli.CommandLine.populateCommand(c, concat(options, file.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit =
                c.run(
                        env,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        false);
        return new Run(
                exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String[] concat(String[] a, String b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    static long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void aJsonLinesFileOfThousandsWithBadLinesImportsTheGoodOnesAndNamesEachBadOne()
            throws IOException {
        List<String> lines = new ArrayList<>();
        List<Integer> badLineNumbers = new ArrayList<>();
        String[] plans = {"free", "pro", "business", "enterprise"};
        for (int a = 0; a < 500; a++) {
            lines.add(
                    "{\"kind\":\"account\",\"account_id\":\"jacc-%d\",\"name\":\"Account %d\",\"plan\":\"%s\"}"
                            .formatted(a, a, plans[a % 4]));
            for (int z = 0; z < 5; z++) {
                lines.add(
                        "{\"kind\":\"zone\",\"account_id\":\"jacc-%d\",\"zone_id\":\"jzone-%d-%d\",\"name\":\"z%d.a%d.example\",\"plan\":\"%s\"}"
                                .formatted(a, a, z, z, a, plans[a % 4]));
            }
            if (a % 50 == 7) {
                String[] bad = {
                    "{\"kind\":\"zone\",\"account_id\":\"jacc-1\",\"name\":\"no zone id\",\"plan\":\"pro\"}",
                    "{\"kind\":\"account\",\"account_id\":\"jacc-x\",\"name\":\"x\",\"plan\":\"gold\"}",
                    "not json at all",
                    "{\"kind\":\"galaxy\",\"account_id\":\"a\",\"name\":\"x\",\"plan\":\"free\"}",
                    "{\"kind\":\"account\",\"account_id\":\"has space\",\"name\":\"x\",\"plan\":\"free\"}",
                    "{\"kind\":\"account\",\"account_id\":\"jacc-y\",\"name\":\"x\",\"plan\":\"free\",\"colour\":\"red\"}",
                };
                for (String b : bad) {
                    lines.add(b);
                    badLineNumbers.add(lines.size());
                }
            }
        }
        lines.add(""); // a blank line is skipped, not rejected
        Path file = dir.resolve("fleet.jsonl");
        Files.write(file, lines);

        Run dry = run(file, "--dry-run", "--batch-size", "250");
        assertThat(dry.out()).contains("read 3060, new 3000, updated 0, rejected 60 (dry run");
        assertThat(count("select count(*) from targets where target_id like 'j%'")).isZero();

        Instant before = Instant.now();
        Run r = run(file, "--batch-size", "250");
        System.out.println(r.out());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("read 3060, new 3000, updated 0, rejected 60");
        for (int n : badLineNumbers) {
            assertThat(r.err()).contains(file + ":" + n + ": ");
        }
        assertThat(r.err())
                .contains("field 'zone_id' is required")
                .contains("unknown plan 'gold'")
                .contains("unknown field 'colour'")
                .contains("may not contain spaces");
        assertThat(r.err()).contains("import: 100%  3,060 lines");
        assertThat(
                        count(
                                "select count(*) from targets where target_id like 'jacc-%' and kind = 'account'"))
                .isEqualTo(500);
        assertThat(
                        count(
                                "select count(*) from targets where target_id like 'jzone-%' and kind = 'zone'"))
                .isEqualTo(2500);
        // first due times are spread inside each plan's interval, not all at the import
        long spreadSeconds =
                count(
                        "select extract(epoch from max(next_due_at) - min(next_due_at))::bigint"
                                + " from targets where target_id like 'j%' and plan = 'free'");
        assertThat(Duration.ofSeconds(spreadSeconds)).isGreaterThan(Duration.ofDays(6));
        assertThat(
                        count(
                                "select count(*) from targets where target_id like 'j%'"
                                        + " and next_due_at < '"
                                        + before
                                        + "'"))
                .isZero();

        Run again = run(file);
        assertThat(again.out()).contains("read 3060, new 0, updated 3000, rejected 60");
    }

    @Test
    void aCsvFileWithAHeaderInAnyOrderAndQuotedNamesImports() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("plan,kind,name,account_id,zone_id");
        for (int a = 0; a < 1000; a++) {
            lines.add("pro,account,\"Acme, Inc. \"\"%d\"\"\",cacc-%d,".formatted(a, a));
            lines.add("free,zone,z%d.example,cacc-%d,czone-%d".formatted(a, a, a));
            lines.add("free,zone,z%d.example,cacc-%d,czone-%d".formatted(a, a, a)); // repeated
        }
        lines.add("free,zone,broken.example,cacc-1"); // a column short
        lines.add("free,account,\"unterminated,cacc-2,");
        lines.add("free,account,x,cacc-3,czone-3"); // an account with a zone id
        Path file = dir.resolve("fleet.csv");
        Files.write(file, lines);

        Run r = run(file, "--batch-size", "100", "--progress", "none");

        assertThat(r.out()).contains("read 3003, new 2000, updated 1000, rejected 3");
        assertThat(r.err())
                .contains(file + ":3002: has 4 columns, the header has 5")
                .contains(file + ":3003: unterminated quoted cell")
                .contains(file + ":3004: an account line has no zone_id")
                .doesNotContain("import:");
        String name =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "select name from targets where target_id = 'cacc-42'")
                                        .mapTo(String.class)
                                        .one());
        assertThat(name).isEqualTo("Acme, Inc. \"42\"");
    }

    @Test
    void aCsvFileWithoutItsHeaderIsRefusedWhole() throws IOException {
        Path file = dir.resolve("noheader.csv");
        Files.write(file, List.of("account,hacc-1,,H,free"));

        Run r = run(file);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(file + ":1: header: unknown column 'account'");
        assertThat(count("select count(*) from targets where target_id like 'hacc-%'")).isZero();
    }
}
