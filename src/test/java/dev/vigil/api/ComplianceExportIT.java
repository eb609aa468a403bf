package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.vigil.testing.OfficialSarifSchema;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The compliance filter of the insight routes, the compliance ids in the insight exports, and the
 * framework reports as CSV and OCSF, over {@link ComplianceFixtures}' fleet.
 */
class ComplianceExportIT {

    static ApiHarness api;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        api = ApiHarness.start();
        token = ComplianceFixtures.plant(api);
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    private static HttpResponse<String> ok(String path) throws Exception {
        HttpResponse<String> r = api.send("GET", path, token, null);
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
        return r;
    }

    private static List<String> keys(String query) throws Exception {
        List<String> out = new ArrayList<>();
        api.get("/v1/accounts/acc1/insights?" + query, token)
                .get("result")
                .forEach(i -> out.add(i.get("resource_key").asString()));
        return out;
    }

    @Test
    void theComplianceFilterKeepsTheChecksOfAFrameworkOrControl() throws Exception {
        assertThat(keys("compliance=cis_v8:3.10&dismissed=false"))
                .containsExactlyInAnyOrder("z1/ssl", "z1/hsts");
        assertThat(keys("compliance=cis_v8:6.8,cis_v8:3.3"))
                .containsExactlyInAnyOrder("token/t1", "z2/api");
        assertThat(keys("compliance=cis_v8&status=open,resolved"))
                .containsExactlyInAnyOrder(
                        "token/t1", "z1/ssl", "z1/hsts", "z2/ssl", "z2/api", "z3/hsts");
        assertThat(keys("compliance~neq=cis_v8:3.10"))
                .containsExactlyInAnyOrder("token/t1", "z2/api");
        assertThat(api.get("/v1/zones/z1/insights/export?format=json&compliance=pci_dss_4", token))
                .isNotEmpty()
                .allMatch(i -> !i.get("compliance").get("pci_dss_4").isEmpty());
    }

    @Test
    void aBadComplianceValueIsA400NamingIt() throws Exception {
        HttpResponse<String> fw =
                api.send("GET", "/v1/accounts/acc1/insights?compliance=iso_27001", token, null);
        HttpResponse<String> control =
                api.send("GET", "/v1/accounts/acc1/insights?compliance=cis_v8:99.9", token, null);

        assertThat(fw.statusCode()).isEqualTo(400);
        assertThat(ApiHarness.JSON.readTree(fw.body()).get("field").asString())
                .isEqualTo("compliance");
        assertThat(fw.body()).contains("unknown framework 'iso_27001'", "cis_v8:4.1");
        assertThat(control.statusCode()).isEqualTo(400);
        assertThat(control.body()).contains("control '99.9'");
    }

    @Test
    void insightExportsCarryTheChecksControls() throws Exception {
        List<List<String>> rows =
                Rfc4180.parse(ok("/v1/zones/z1/insights/export?format=csv").body());
        int issue = rows.getFirst().indexOf("issue_class");
        int compliance = rows.getFirst().indexOf("compliance");
        assertThat(compliance).isPositive();
        Map<String, String> byCheck = new TreeMap<>();
        rows.stream().skip(1).forEach(r -> byCheck.put(r.get(issue), r.get(compliance)));
        assertThat(byCheck.get("tls.ssl_flexible")).contains("cis_v8:3.10").contains("pci_dss_4:");

        JsonNode json = api.get("/v1/zones/z1/insights/export?format=json", token);
        assertThat(json.get(0).get("compliance").get("cis_v8").get(0).asString()).isEqualTo("3.10");

        String sarif = ok("/v1/zones/z1/insights/export?format=sarif").body();
        JsonNode result = ApiHarness.JSON.readTree(sarif).get("runs").get(0).get("results").get(0);
        assertThat(result.get("properties").get("compliance").get("cis_v8").get(0).asString())
                .isEqualTo("3.10");
        try (InputStream in = Files.newInputStream(OfficialSarifSchema.path())) {
            Schema official =
                    SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in);
            assertThat(official.validate(sarif, InputFormat.JSON)).isEmpty();
        }

        JsonNode ocsf = api.get("/v1/zones/z1/insights/export?format=ocsf", token);
        assertThat(ocsf.get(0).get("compliance").get("requirements").toString())
                .contains("cis_v8:3.10");
    }

    @Test
    void theCsvReportHasOneRowPerControlWithTheRoutesNumbers() throws Exception {
        HttpResponse<String> r = ok("/v1/accounts/acc1/compliance/cis_v8/export?format=csv");
        List<List<String>> rows = Rfc4180.parse(r.body());

        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(r.headers().firstValue("Content-Disposition").orElse(""))
                .contains("compliance-cis_v8-acc1.csv");
        assertThat(rows.getFirst())
                .containsExactly(
                        "framework",
                        "control",
                        "status",
                        "targets_scanned",
                        "passing",
                        "failing",
                        "checks",
                        "failing_checks");
        JsonNode controls = api.get("/v1/accounts/acc1/compliance/cis_v8", token).get("result");
        assertThat(rows).hasSize(1 + controls.size());
        List<String> ten =
                rows.stream().filter(row -> row.get(1).equals("3.10")).findFirst().orElseThrow();
        assertThat(ten.subList(0, 6)).containsExactly("cis_v8", "3.10", "fail", "3", "2", "1");
        assertThat(ten.get(7).split(" "))
                .containsExactlyInAnyOrder("tls.hsts_disabled", "tls.ssl_flexible");
        assertThat(ten.get(6).split(" ")).contains("tls.ssl_off", "tls.hsts_disabled");
    }

    @Test
    void theOcsfReportIsOneComplianceFindingPerControl() throws Exception {
        String body = ok("/v1/zones/z1/compliance/cis_v8/export?format=ocsf").body();
        JsonNode events = ApiHarness.JSON.readTree(body);

        try (InputStream in =
                ComplianceExportIT.class.getResourceAsStream(
                        "/schemas/ocsf-compliance-finding-subset.json")) {
            Schema s =
                    SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(in);
            assertThat(s.validate(body, InputFormat.JSON)).isEmpty();
        }
        Map<String, String> statusByControl = new TreeMap<>();
        for (JsonNode e : events) {
            assertThat(e.get("class_uid").asInt()).isEqualTo(2003);
            assertThat(e.get("compliance").get("standards").get(0).asString())
                    .isEqualTo("CIS Critical Security Controls v8");
            statusByControl.put(
                    e.get("compliance").get("control").asString(),
                    e.get("compliance").get("status").asString());
        }
        assertThat(statusByControl)
                .containsEntry("3.10", "Fail")
                .containsEntry("9.5", "Pass")
                .containsEntry("6.8", "Unknown");
        assertThat(events).hasSize(ComplianceIT.catalogueControlsOf(api, token, "cis_v8").size());
    }

    @Test
    void aReportNeedsAKnownFormatAndFramework() throws Exception {
        assertThat(
                        api.send("GET", "/v1/accounts/acc1/compliance/cis_v8/export", token, null)
                                .statusCode())
                .isEqualTo(400);
        assertThat(
                        api.send(
                                        "GET",
                                        "/v1/accounts/acc1/compliance/cis_v8/export?format=sarif",
                                        token,
                                        null)
                                .body())
                .contains("expected csv or ocsf");
        assertThat(
                        api.send(
                                        "GET",
                                        "/v1/accounts/acc1/compliance/soc2/export?format=csv",
                                        token,
                                        null)
                                .statusCode())
                .isEqualTo(404);
    }
}
