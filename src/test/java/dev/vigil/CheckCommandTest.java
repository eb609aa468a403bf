package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
    private static final String ZONE = "docs/examples/zone-misconfigured.json";
    private static final String CLEAN = "src/test/resources/checks-fixtures/_baseline/zone.json";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String format, String failOn, String... files) {
        CheckCommand c = new CheckCommand();
        c.files = List.of(files);
        c.report.format = format;
        c.report.failOn = failOn;
        return c.run(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void tablePrintsEveryFindingWorstFirst() {
        assertThat(run("table", null, ZONE)).isZero();
        assertThat(out())
                .contains("41 checks, 33 pass, 6 fail, 2 not applicable, 0 error")
                .contains("dns.cname_record_dangling", "r-legacy", "NXDOMAIN")
                .contains("tls.ssl_flexible", "dns.a_record_unproxied", "r-origin");
        assertThat(out().indexOf("CRITICAL")).isLessThan(out().indexOf("MODERATE"));
    }

    @Test
    void failOnSetsTheExitCodeWhenFindingsReachIt() {
        assertThat(run("table", "critical", ZONE)).isEqualTo(1);
        assertThat(run("table", "critical", CLEAN)).isZero();
    }

    @Test
    void sarifIsValidSarif210() throws Exception {
        assertThat(run("sarif", null, ZONE, CLEAN)).isZero();
        assertThat(validate("sarif-2.1.0-subset.json", out())).isEmpty();
        assertThat(out()).contains("\"2.1.0\"", "\"ruleId\"", "dns.cname_record_dangling");
    }

    @Test
    void ocsfIsAComplianceFindingEvent() throws Exception {
        assertThat(run("ocsf", null, ZONE)).isZero();
        assertThat(validate("ocsf-compliance-finding-subset.json", out())).isEmpty();
        assertThat(out()).contains("\"class_uid\":2003");
    }

    @Test
    void jsonReportsEveryOutcome() {
        assertThat(run("json", null, ZONE)).isZero();
        assertThat(out())
                .contains(
                        "\"outcome\" : \"PASS\"", "\"outcome\" : \"FAIL\"", "\"rule_set_version\"");
    }

    @Test
    void documentFromStandardInputIsRead() throws Exception {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(Path.of(ZONE))));
            assertThat(run("table", "high", "-")).isEqualTo(1);
            assertThat(out()).contains("- — zone shop.example");
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void aFileThatIsNotJsonIsRefusedByName(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "ssl: flexible\n");
        assertThat(run("table", null, bad.toString(), ZONE)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("vigil check: " + bad);
        assertThat(out()).as("the good document is still reported").contains("shop.example");
    }

    @Test
    void aDocumentOfUnknownKindAsksForKind(@TempDir Path dir) throws Exception {
        Path doc = dir.resolve("doc.json");
        Files.writeString(doc, "{\"settings\": {\"ssl\": \"off\"}}");
        assertThat(run("table", null, doc.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("pass --kind zone or --kind account");
    }

    private static List<Error> validate(String schema, String document) throws Exception {
        try (InputStream in = CheckCommandTest.class.getResourceAsStream("/schemas/" + schema)) {
            Schema s =
                    SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(in);
            return s.validate(document, InputFormat.JSON);
        }
    }
}
