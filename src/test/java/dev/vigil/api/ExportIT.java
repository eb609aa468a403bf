package dev.vigil.api;

import static dev.vigil.results.ResultFixtures.finding;
import static dev.vigil.results.ResultFixtures.zoneResult;
import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.vigil.checks.IssueType;
import dev.vigil.checks.Severity;
import dev.vigil.results.ResultFinding;
import dev.vigil.results.ResultFixtures;
import dev.vigil.testing.OfficialSarifSchema;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The exports open in their consumers: CSV parses, SARIF and OCSF validate. */
class ExportIT {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String AWKWARD_MESSAGE = "line one\r\nline, two \"quoted\" é";
    static ApiHarness api;
    static String token;

    @BeforeAll
    static void start() {
        api = ApiHarness.start();
        api.pg.zoneTarget("acc1", "zone1");
        api.pg.zoneTarget("acc1", "zone2");
        api.submit(
                zoneResult(
                        "acc1",
                        "zone1",
                        T0,
                        List.of("tls.min_version", "dns.dangling"),
                        List.of(),
                        List.of(
                                new ResultFinding(
                                        "tls.min_version",
                                        "zone/settings/min_tls",
                                        Severity.CRITICAL,
                                        IssueType.INSECURE_CONFIGURATION,
                                        "=HYPERLINK(\"http://evil\")",
                                        AWKWARD_MESSAGE),
                                finding("dns.dangling", "dns/a", Severity.LOW),
                                finding("dns.dangling", "dns/b", Severity.MODERATE))));
        api.submit(
                zoneResult(
                        "acc1",
                        "zone2",
                        T0,
                        List.of("check_0", "check_1", "check_2"),
                        List.of(),
                        ResultFixtures.many(3_000, 3)));
        token = api.tokens.issueForAccounts("exporter", List.of("acc1"));
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    private static HttpResponse<String> export(String scope, String query) throws Exception {
        HttpResponse<String> r = api.send("GET", scope + "/insights/export?" + query, token, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r;
    }

    private static List<Error> validate(String schema, String document) throws Exception {
        try (InputStream in = ExportIT.class.getResourceAsStream("/schemas/" + schema)) {
            Schema s =
                    SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(in);
            return s.validate(document, InputFormat.JSON);
        }
    }

    @Test
    void csvParsesWithEveryRowAndAwkwardFieldsIntact() throws Exception {
        HttpResponse<String> r = export("v1/accounts/acc1", "format=csv");

        List<List<String>> rows = Rfc4180.parse(r.body());
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(r.headers().firstValue("Content-Disposition").orElse(""))
                .contains("insights-acc1.csv");
        assertThat(rows.getFirst()).startsWith("id", "account_id", "zone_id", "issue_class");
        assertThat(rows).hasSize(1 + 3 + 3_000);
        assertThat(rows).allMatch(row -> row.size() == rows.getFirst().size());
        int message = rows.getFirst().indexOf("message");
        int subject = rows.getFirst().indexOf("subject");
        int issueClass = rows.getFirst().indexOf("issue_class");
        List<String> first =
                rows.stream()
                        .filter(row -> row.get(issueClass).equals("tls.min_version"))
                        .findFirst()
                        .orElseThrow();
        assertThat(first.get(message)).isEqualTo(AWKWARD_MESSAGE);
        assertThat(first.get(subject)).isEqualTo("'=HYPERLINK(\"http://evil\")");
        assertThat(rows.stream().skip(1).map(row -> row.get(0)).distinct()).hasSize(3_003);
    }

    @Test
    void csvHonoursTheFiltersAndTheZoneMirror() throws Exception {
        List<List<String>> rows =
                Rfc4180.parse(export("v1/zones/zone1", "format=csv&severity~neq=low").body());

        assertThat(rows).hasSize(3);
        assertThat(rows.stream().skip(1).map(row -> row.get(2))).containsOnly("zone1");
    }

    @Test
    void sarifValidatesAgainstTheSarifSchemaWithOneRulePerCheck() throws Exception {
        HttpResponse<String> r = export("v1/zones/zone1", "format=sarif");
        JsonNode log = ApiHarness.JSON.readTree(r.body());

        assertThat(validate("sarif-2.1.0-subset.json", r.body())).isEmpty();
        try (InputStream in = Files.newInputStream(OfficialSarifSchema.path())) {
            Schema official =
                    SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in);
            assertThat(official.validate(r.body(), InputFormat.JSON))
                    .as("official SARIF 2.1.0 schema")
                    .isEmpty();
        }
        assertThat(r.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/sarif+json");
        JsonNode run = log.get("runs").get(0);
        assertThat(run.get("tool").get("driver").get("rules").findValuesAsString("id"))
                .containsExactly("dns.dangling", "tls.min_version");
        assertThat(run.get("results")).hasSize(3);
        JsonNode critical = run.get("results").get(0);
        assertThat(critical.get("ruleId").asString()).isEqualTo("tls.min_version");
        assertThat(critical.get("ruleIndex").asInt()).isEqualTo(1);
        assertThat(critical.get("level").asString()).isEqualTo("error");
        assertThat(critical.get("message").get("text").asString()).isEqualTo(AWKWARD_MESSAGE);
    }

    @Test
    void ocsfValidatesAgainstTheComplianceFindingSchema() throws Exception {
        HttpResponse<String> r = export("v1/accounts/acc1", "format=ocsf");
        JsonNode events = ApiHarness.JSON.readTree(r.body());

        assertThat(validate("ocsf-compliance-finding-subset.json", r.body())).isEmpty();
        assertThat(events).hasSize(3_003);
        JsonNode tls = null;
        for (JsonNode e : events) {
            assertThat(e.get("class_uid").asInt()).isEqualTo(2003);
            if (e.get("compliance").get("control").asString().equals("tls.min_version")) {
                tls = e;
            }
        }
        assertThat(tls).isNotNull();
        assertThat(tls.get("severity_id").asInt()).isEqualTo(5);
        assertThat(tls.get("compliance").get("standards").get(0).asString()).isEqualTo("tls");
    }

    @Test
    void jsonExportIsTheListInOneArray() throws Exception {
        JsonNode all =
                ApiHarness.JSON.readTree(
                        export("v1/zones/zone1", "format=json&order=subject&direction=asc").body());

        assertThat(all).hasSize(3);
        List<String> subjects = new ArrayList<>(all.findValuesAsString("subject"));
        assertThat(subjects).isSorted();
    }

    @Test
    void schemasRejectBrokenDocuments() throws Exception {
        assertThat(validate("sarif-2.1.0-subset.json", "{\"runs\": []}")).isNotEmpty();
        assertThat(
                        validate(
                                "sarif-2.1.0-subset.json",
                                "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\":"
                                        + " {\"name\": \"x\"}}, \"results\": [{\"level\":"
                                        + " \"fatal\", \"message\": {\"text\": \"m\"}}]}]}"))
                .isNotEmpty();
        assertThat(validate("ocsf-compliance-finding-subset.json", "[{\"class_uid\": 2004}]"))
                .isNotEmpty();
    }

    @Test
    void unknownOrMissingFormatIs400NamingIt() throws Exception {
        HttpResponse<String> none =
                api.send("GET", "v1/accounts/acc1/insights/export", token, null);
        HttpResponse<String> xml =
                api.send("GET", "v1/accounts/acc1/insights/export?format=xml", token, null);

        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(xml.statusCode()).isEqualTo(400);
        assertThat(ApiHarness.JSON.readTree(xml.body()).get("field").asString())
                .isEqualTo("format");
    }
}
