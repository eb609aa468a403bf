package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.Env;
import dev.vigil.testing.cloudflare.CloudflareStub;
import dev.vigil.testing.cloudflare.ExpectedFindings;
import dev.vigil.testing.cloudflare.StubFleet;
import dev.vigil.testing.dns.LoopbackDnsServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code vigil scan cloudflare} against the stub API: the JSON report names every target with its
 * kind, ids and name, and holds exactly the findings of expected-findings.json; a refused section
 * errors its checks only; the exit code follows {@code --fail-on}; progress goes to stderr.
 */
class ScanCloudflareIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final StubFleet fleet = StubFleet.standard();
    private final CloudflareStub stub = CloudflareStub.start(fleet);
    private final LoopbackDnsServer dns =
            LoopbackDnsServer.start(fleet.dnsAnswers(), fleet.nxdomainNames());

    @AfterEach
    void stop() {
        dns.close();
        stub.close();
    }

    record Run(int code, String out, String err) {}

    private Run scan(String... args) {
        ScanCommand.Cloudflare cmd = new ScanCommand.Cloudflare();
        List<String> all = new ArrayList<>(List.of("--api-url", stub.baseUrl()));
        all.addAll(List.of(args));
        new CommandLine(cmd).parseArgs(all.toArray(String[]::new));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Env env =
                Env.of(
                        Map.of(
                                "CLOUDFLARE_API_TOKEN",
                                StubFleet.TOKEN,
                                "VIGIL_CLOUDFLARE_REQUESTS_PER_SECOND",
                                "200",
                                "VIGIL_DNS_RESOLVER",
                                "127.0.0.1:" + dns.address().getPort()));
        int code =
                cmd.run(
                        env,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        false);
        return new Run(
                code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Target id to check id to the FAIL keys, from the JSON report. */
    private static Map<String, Map<String, List<String>>> fails(JsonNode report) {
        Map<String, Map<String, List<String>>> out = new TreeMap<>();
        for (JsonNode t : report) {
            String id =
                    t.has("zone_id") ? t.get("zone_id").asString() : t.get("account_id").asString();
            Map<String, List<String>> checks = new TreeMap<>();
            for (JsonNode r : t.get("results")) {
                if (r.get("outcome").asString().equals("FAIL")) {
                    List<String> keys = new ArrayList<>();
                    r.get("findings").forEach(f -> keys.add(f.get("resource_key").asString()));
                    checks.put(r.get("check_id").asString(), keys.stream().sorted().toList());
                }
            }
            out.put(id, checks);
        }
        return out;
    }

    @Test
    void jsonReportHoldsExactlyTheCatalogueFindingsOfEveryTarget() {
        Run run = scan("--format", "json", "--progress", "lines");

        assertThat(run.code()).as(run.err()).isZero();
        JsonNode report = JSON.readTree(run.out());
        assertThat(fails(report)).isEqualTo(ExpectedFindings.standardFails());
        for (JsonNode t : report) {
            assertThat(t.get("kind").asString()).isIn("account", "zone");
            assertThat(t.get("account_id").asString()).hasSize(32);
            assertThat(t.get("subject").asString()).isNotBlank();
            assertThat(t.has("zone_id")).isEqualTo(t.get("kind").asString().equals("zone"));
            assertThat(t.has("section_errors")).isFalse();
        }
        JsonNode acme = find(report, "6c1e89a88d2c0416dddd3f36b9b5540e");
        assertThat(acme.get("subject").asString()).isEqualTo("acme.example");
        assertThat(acme.get("account_id").asString()).isEqualTo("1219410d6225a32b479683cbdf88374d");
        assertThat(run.err())
                .contains("the token sees 3 accounts and 7 zones")
                .contains("scan: 10/10");
    }

    @Test
    void aRefusedSectionErrorsItsChecksAndIsNamedInTheReport() {
        stub.faults().forbid("/accounts/[^/]+/tokens");

        Run run =
                scan(
                        "--format",
                        "json",
                        "--progress",
                        "none",
                        "--account",
                        "1219410d6225a32b479683cbdf88374d");

        assertThat(run.code()).isZero();
        JsonNode account = find(JSON.readTree(run.out()), "1219410d6225a32b479683cbdf88374d");
        assertThat(account.get("section_errors").get("api_tokens").asString())
                .startsWith("permission_denied:");
        for (JsonNode r : account.get("results")) {
            boolean token = r.get("check_id").asString().startsWith("account.token_");
            assertThat(r.get("outcome").asString())
                    .as(r.get("check_id").asString())
                    .isEqualTo(token ? "ERROR" : r.get("outcome").asString());
            if (!token) {
                assertThat(r.get("outcome").asString()).isNotEqualTo("ERROR");
            }
        }
    }

    @Test
    void failOnSetsTheExitCodeAndTheTableNamesTheWorstFindings() {
        Run run = scan("--zone", "ACME.example", "--fail-on", "critical", "--progress", "none");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out())
                .contains("zone acme.example")
                .contains("CRITICAL  dns.cname_record_dangling")
                .doesNotContain("globex");
    }

    @Test
    void aMissingTokenSaysWhichVariableToSet() {
        ScanCommand.Cloudflare cmd = new ScanCommand.Cloudflare();
        new CommandLine(cmd).parseArgs("--api-url", stub.baseUrl());
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code =
                cmd.run(
                        Env.of(Map.of()),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        false);

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("CLOUDFLARE_API_TOKEN is not set");
        assertThat(stub.requests()).isEmpty();
    }

    private static JsonNode find(JsonNode report, String id) {
        for (JsonNode t : report) {
            if (id.equals(t.path("zone_id").asString(""))
                    || (!t.has("zone_id") && id.equals(t.get("account_id").asString()))) {
                return t;
            }
        }
        throw new AssertionError("no target " + id + " in the report");
    }
}
