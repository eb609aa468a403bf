package dev.vigil.testing.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.testing.dns.LoopbackDnsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import tools.jackson.databind.JsonNode;

class StubFleetTest {

    @Test
    void theStandardFleetHasThreeAccountsAndSevenZones() {
        StubFleet fleet = StubFleet.standard();

        assertThat(fleet.accountIds()).hasSize(3);
        assertThat(fleet.zoneIds()).hasSize(7).contains(StubFleet.TEMPLATE_ZONE);
    }

    @Test
    void expectedFindingsNameExactlyTheFleetsTargets() throws IOException {
        StubFleet fleet = StubFleet.standard();
        JsonNode expected =
                FixtureJson.JSON.readTree(
                        Files.readString(StubFleet.STANDARD_DIR.resolve("expected-findings.json")));

        Set<String> targets = new HashSet<>(fleet.accountIds());
        targets.addAll(fleet.zoneIds());
        assertThat(new HashSet<>(expected.propertyNames())).isEqualTo(targets);
    }

    @Test
    void relativeInstantsAreResolvedAtLoad() {
        Instant now = Instant.parse("2030-01-31T12:00:00Z");

        JsonNode n =
                FixtureJson.resolve(
                        FixtureJson.JSON.readTree("[\"now-90d\", \"now+2h\", \"nowhere\"]"), now);

        assertThat(n.get(0).asString()).isEqualTo("2029-11-02T12:00:00Z");
        assertThat(n.get(1).asString()).isEqualTo("2030-01-31T14:00:00Z");
        assertThat(n.get(2).asString()).isEqualTo("nowhere");
    }

    @Test
    void theFleetsDnsDataFeedsTheLoopbackServer() throws IOException {
        StubFleet fleet = StubFleet.standard();
        try (LoopbackDnsServer dns =
                LoopbackDnsServer.start(fleet.dnsAnswers(), fleet.nxdomainNames())) {
            SimpleResolver r = new SimpleResolver(dns.address());

            Message nx =
                    r.send(
                            Message.newQuery(
                                    Record.newRecord(
                                            Name.fromString("acme.statuspage-retired.example."),
                                            Type.A,
                                            1)));
            Message ok =
                    r.send(
                            Message.newQuery(
                                    Record.newRecord(
                                            Name.fromString("globex.example."), Type.A, 1)));

            assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
            assertThat(ok.getRcode()).isEqualTo(Rcode.NOERROR);
        }
    }

    @Test
    void aGeneratedZoneNeedsAKnownAccount() {
        StubFleet fleet = StubFleet.standard();

        assertThatThrownBy(() -> fleet.addGeneratedZone("nope", "z", "z.example", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no account nope in the fleet (accounts: [");
    }

    @Test
    void aGeneratedZoneHasTheAskedARecordsPlusTheMailAndCaaRecords() {
        StubFleet fleet = StubFleet.standard();
        String account = fleet.accountIds().getFirst();

        fleet.addGeneratedZone(account, "0000000000000000000000000000beef", "many.example", 10);

        assertThat(fleet.dnsRecordCount("0000000000000000000000000000beef")).isEqualTo(14);
        FleetData.Zone z = fleet.zone("0000000000000000000000000000beef").orElseThrow();
        assertThat(z.accountId()).isEqualTo(account);
        assertThat(z.files().get("dns_records").get(0).get("proxied").asBoolean()).isTrue();
        assertThat(z.files().get("dns_records"))
                .extracting(r -> r.get("id").asString())
                .doesNotHaveDuplicates();
    }
}
