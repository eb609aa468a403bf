package dev.vigil.sources.cloudflare;

import dev.vigil.checks.CheckResult;
import dev.vigil.checks.ConfigDocuments;
import dev.vigil.checks.Evaluation;
import dev.vigil.checks.Finding;
import dev.vigil.checks.Outcome;
import dev.vigil.checks.RuleSet;
import dev.vigil.checks.RuleSets;
import dev.vigil.inventory.Target;
import dev.vigil.testing.cloudflare.CloudflareStub;
import dev.vigil.testing.cloudflare.ExpectedFindings;
import dev.vigil.testing.cloudflare.StubFleet;
import dev.vigil.testing.dns.LoopbackDnsServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stub Cloudflare API with the standard fleet and a loopback DNS server answering for it, and
 * what the tests compare: each target's FAIL keys and ERROR checks as {@code
 * expected-findings.json} writes them.
 */
final class CloudflareRig implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final RuleSet RULES = RuleSets.catalogue();

    final CloudflareStub stub;
    final LoopbackDnsServer dns;

    CloudflareRig() {
        StubFleet fleet = StubFleet.standard();
        this.stub = CloudflareStub.start(fleet);
        this.dns = LoopbackDnsServer.start(fleet.dnsAnswers(), fleet.nxdomainNames());
    }

    /** Settings for the stub and the test DNS server, at {@code perSecond}. */
    CloudflareSettings settings(double perSecond) {
        return settings(perSecond, dns.address());
    }

    CloudflareSettings settings(double perSecond, InetSocketAddress resolver) {
        return new CloudflareSettings(
                URI.create(stub.baseUrl()),
                StubFleet.TOKEN,
                perSecond,
                Duration.ofSeconds(10),
                "127.0.0.1:" + resolver.getPort(),
                Duration.ofMillis(500));
    }

    /** What one target's evaluation concluded, in expected-findings.json's shape. */
    record Verdict(Map<String, List<String>> fail, List<String> error) {
        static Verdict of(Evaluation e) {
            Map<String, List<String>> fail = new TreeMap<>();
            List<String> error = new ArrayList<>();
            for (CheckResult r : e.results()) {
                if (r.outcome() == Outcome.FAIL) {
                    fail.put(
                            r.checkId(),
                            r.findings().stream().map(Finding::resourceKey).sorted().toList());
                } else if (r.outcome() == Outcome.ERROR) {
                    error.add(r.checkId());
                }
            }
            return new Verdict(fail, error.stream().sorted().toList());
        }
    }

    static Verdict evaluate(Target t, byte[] json) {
        return Verdict.of(RULES.evaluate(t.kind(), ConfigDocuments.parse(json)));
    }

    /** expected-findings.json: target id to its verdict. */
    static Map<String, Verdict> expected() {
        Map<String, Verdict> out = new TreeMap<>();
        ExpectedFindings.standard()
                .forEach((id, e) -> out.put(id, new Verdict(e.fail(), e.error())));
        return out;
    }

    /** The checks of the catalogue that read any of {@code sections}. */
    static List<String> checksReading(String... sections) {
        List<String> out = new ArrayList<>();
        for (var c : RULES.checks()) {
            for (String s : sections) {
                if (c.reads().contains(s)) {
                    out.add(c.id());
                    break;
                }
            }
        }
        return out.stream().sorted().toList();
    }

    static @Nullable JsonNode errors(byte[] json) {
        return JSON.readTree(json).get("_errors");
    }

    @Override
    public void close() {
        dns.close();
        stub.close();
    }
}
