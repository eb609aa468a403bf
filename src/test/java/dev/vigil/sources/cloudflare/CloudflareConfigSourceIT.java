package dev.vigil.sources.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.inventory.Target;
import dev.vigil.sources.ConfigDocument;
import dev.vigil.sources.PermanentSourceException;
import dev.vigil.testing.cloudflare.CloudflareStub.StubRequest;
import dev.vigil.testing.cloudflare.RequestRate;
import dev.vigil.testing.dns.LoopbackDnsServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The connector against the stub Cloudflare API: every target of the standard fleet yields exactly
 * the findings the catalogue defines for its data, and the hard cases (a refused section, 429s, an
 * unreachable resolver, paging without totals, a vanished zone) cost what they should and no more.
 */
class CloudflareConfigSourceIT {

    private final CloudflareRig rig = new CloudflareRig();

    @AfterEach
    void stop() {
        rig.close();
    }

    private Map<String, CloudflareRig.Verdict> scanAll(CloudflareSettings settings) {
        CloudflareDiscovery.Fleet fleet =
                CloudflareDiscovery.create(settings).discover(null, null, (a, z) -> {});
        Map<String, CloudflareRig.Verdict> out = new TreeMap<>();
        try (CloudflareConfigSource source =
                CloudflareConfigSource.create(settings, Clock.systemUTC())) {
            for (Target t : fleet.targets()) {
                out.put(t.targetId(), CloudflareRig.evaluate(t, source.fetch(t).json()));
            }
        }
        return out;
    }

    @Test
    void everyTargetYieldsExactlyTheFindingsTheCatalogueDefinesForItsData() {
        Map<String, CloudflareRig.Verdict> got = scanAll(rig.settings(200));

        sameVerdicts(got, CloudflareRig.expected());
    }

    /** Per target, so that a difference names the target and the check. */
    static void sameVerdicts(
            Map<String, CloudflareRig.Verdict> got, Map<String, CloudflareRig.Verdict> want) {
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(got.keySet()).isEqualTo(want.keySet());
        want.forEach(
                (id, v) -> {
                    CloudflareRig.Verdict g = got.get(id);
                    soft.assertThat(g == null ? null : g.fail())
                            .as(id + " FAIL")
                            .isEqualTo(v.fail());
                    soft.assertThat(g == null ? null : g.error())
                            .as(id + " ERROR")
                            .isEqualTo(v.error());
                });
        soft.assertAll();
    }

    @Test
    void discoveryFindsEveryAccountAndZoneWithTheirPlans() {
        CloudflareDiscovery.Fleet fleet =
                CloudflareDiscovery.create(rig.settings(200)).discover(null, null, (a, z) -> {});

        assertThat(fleet.accounts())
                .extracting(Target::targetId)
                .containsExactlyInAnyOrderElementsOf(rig.stub.fleet().accountIds());
        assertThat(fleet.zones())
                .extracting(Target::targetId)
                .containsExactlyInAnyOrderElementsOf(rig.stub.fleet().zoneIds());
        assertThat(fleet.accounts()).allSatisfy(a -> assertThat(a.plan()).isNotNull());
    }

    @Test
    void aSectionRefusedWith403ErrorsItsChecksAndNoOthers() {
        String zone = "05c43cecf5b71eaff987cf17c4df216c";
        rig.stub.faults().forbid("/zones/" + zone + "/dns_records");

        Map<String, CloudflareRig.Verdict> got = scanAll(rig.settings(200));

        Map<String, CloudflareRig.Verdict> want = new TreeMap<>(CloudflareRig.expected());
        CloudflareRig.Verdict before = want.get(zone);
        List<String> dnsChecks = CloudflareRig.checksReading("dns_records", "dns_resolution");
        Map<String, List<String>> fail = new TreeMap<>(before.fail());
        fail.keySet().removeAll(dnsChecks);
        want.put(zone, new CloudflareRig.Verdict(fail, dnsChecks));
        sameVerdicts(got, want);
    }

    @Test
    void theRefusedSectionIsNamedWithTheReasonInTheDocument() {
        String zone = "05c43cecf5b71eaff987cf17c4df216c";
        rig.stub.faults().forbid("/zones/" + zone + "/bot_management");
        CloudflareSettings settings = rig.settings(200);
        Target t =
                CloudflareDiscovery.create(settings)
                        .discover(null, null, (a, z) -> {})
                        .zones()
                        .stream()
                        .filter(z -> z.targetId().equals(zone))
                        .findFirst()
                        .orElseThrow();

        ConfigDocument doc;
        try (CloudflareConfigSource source =
                CloudflareConfigSource.create(settings, Clock.systemUTC())) {
            doc = source.fetch(t);
        }

        JsonNode errors = CloudflareRig.errors(doc.json());
        assertThat(errors).isNotNull();
        assertThat(errors.propertyNames()).containsExactly("bot_management");
        assertThat(errors.get("bot_management").asString())
                .startsWith(
                        "permission_denied: GET /zones/" + zone + "/bot_management answered 403")
                .contains("10000 Authentication error")
                .doesNotContain(settings.token());
        assertThat(CloudflareRig.JSON.readTree(doc.json()).has("bot_management")).isFalse();
    }

    @Test
    void rateLimitsCostTimeNotResults() {
        rig.stub.faults().rateLimit("/zones/[^/]+/settings", 3, 1);
        rig.stub.faults().rateLimit("/accounts/[^/]+/members", 2, 1);

        Map<String, CloudflareRig.Verdict> got = scanAll(rig.settings(200));

        sameVerdicts(got, CloudflareRig.expected());
        List<StubRequest> limited =
                rig.stub.requests().stream().filter(r -> r.status() == 429).toList();
        assertThat(limited).hasSize(5);
        // after each 429 the next request of the credential waited out the Retry-After (1 s)
        StubRequest first = limited.getFirst();
        List<StubRequest> after =
                rig.stub.requests().stream().filter(r -> r.at().isAfter(first.at())).toList();
        assertThat(after).isNotEmpty();
        assertThat(java.time.Duration.between(first.at(), after.getFirst().at()))
                .isGreaterThanOrEqualTo(java.time.Duration.ofMillis(900));
    }

    @Test
    void serverErrorsAreRetriedWithoutChangingTheResult() {
        rig.stub.faults().serverError("/zones/[^/]+/dnssec", 2);

        sameVerdicts(scanAll(rig.settings(200)), CloudflareRig.expected());
        assertThat(rig.stub.requests().stream().filter(r -> r.status() >= 500)).hasSize(2);
    }

    @Test
    void anUnreachableResolverMakesTheDanglingChecksErrorNeverFail() {
        CloudflareSettings settings = rig.settings(200, LoopbackDnsServer.unusedLoopbackPort());

        Map<String, CloudflareRig.Verdict> got = scanAll(settings);

        List<String> dangling = CloudflareRig.checksReading("dns_resolution");
        assertThat(dangling).contains("dns.cname_record_dangling");
        got.forEach(
                (id, v) -> {
                    assertThat(v.fail().keySet()).as(id).doesNotContainAnyElementsOf(dangling);
                });
        String zoneWithCname = "6c1e89a88d2c0416dddd3f36b9b5540e";
        assertThat(got.get(zoneWithCname).error()).containsAll(dangling);
    }

    @Test
    void pagingReadsEveryRecordWithoutTotalsAndPastAnEmptyLastPage() {
        String account = rig.stub.fleet().accountIds().getFirst();
        rig.stub.fleet().addGeneratedZone(account, "f".repeat(32), "big.example", 12_001);
        rig.stub.faults().omitTotalPages(true).emptyLastPage(true);
        CloudflareSettings settings = rig.settings(500);
        Target big =
                Target.zone("f".repeat(32), account, "big.example", dev.vigil.inventory.Plan.FREE);

        ConfigDocument doc;
        try (CloudflareConfigSource source =
                CloudflareConfigSource.create(settings, Clock.systemUTC())) {
            doc = source.fetch(big);
        }

        assertThat(CloudflareRig.JSON.readTree(doc.json()).get("dns_records").size())
                .isEqualTo(rig.stub.fleet().dnsRecordCount("f".repeat(32)))
                .isGreaterThan(12_000);
        assertThat(CloudflareDiscovery.create(settings).assetCount("f".repeat(32)))
                .isGreaterThanOrEqualTo(12_001);
    }

    @Test
    void aZoneThatIsGoneIsAPermanentFailureNamingTheZone() {
        Target gone =
                Target.zone(
                        "0".repeat(32),
                        "a".repeat(32),
                        "gone.example",
                        dev.vigil.inventory.Plan.FREE);
        try (CloudflareConfigSource source =
                CloudflareConfigSource.create(rig.settings(200), Clock.systemUTC())) {
            assertThatThrownBy(() -> source.fetch(gone))
                    .isInstanceOf(PermanentSourceException.class)
                    .hasMessageContaining("zone " + "0".repeat(32))
                    .hasMessageContaining("404");
        }
    }

    @Test
    void severalThreadsSharingOneCredentialStayUnderItsRate() throws Exception {
        double perSecond = 50;
        CloudflareSettings settings = rig.settings(perSecond);
        List<Target> zones =
                CloudflareDiscovery.create(settings).discover(null, null, (a, z) -> {}).zones();
        rig.stub.clearLog();
        List<Thread> threads = new ArrayList<>();
        try (CloudflareConfigSource source =
                CloudflareConfigSource.create(settings, Clock.systemUTC())) {
            for (int i = 0; i < 6; i++) {
                threads.add(Thread.ofVirtual().start(() -> zones.forEach(source::fetch)));
            }
            for (Thread t : threads) {
                t.join();
            }
        }

        List<StubRequest> log = rig.stub.requests();
        assertThat(log).hasSizeGreaterThan(200);
        RequestRate.assertPaced(log, perSecond, threads.size());
    }

    @Test
    void theTestJvmRefusesTheRealApiAndTheMachinesResolver() {
        assertThatThrownBy(
                        () ->
                                CloudflareConfigSource.create(
                                        rig.settings(1)
                                                .with(
                                                        java.net.URI.create(
                                                                CloudflareSettings.DEFAULT_API_URL),
                                                        null),
                                        Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not on loopback");
        CloudflareSettings machineResolver =
                new CloudflareSettings(
                        java.net.URI.create(rig.stub.baseUrl()),
                        "t0ken",
                        1,
                        java.time.Duration.ofSeconds(1),
                        null,
                        java.time.Duration.ofSeconds(1));
        assertThatThrownBy(() -> CloudflareConfigSource.create(machineResolver, Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("VIGIL_DNS_RESOLVER");
    }
}
