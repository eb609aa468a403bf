package dev.vigil.sources.cloudflare.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.testing.dns.LoopbackDnsServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** DNS lookups against a DNS server of the test's own on loopback. */
class DnsLookupsTest {

    @Test
    void eachNameGetsTheResolversResponseCode() {
        try (LoopbackDnsServer dns =
                LoopbackDnsServer.start(
                        Map.of(
                                "live.example",
                                List.of("192.0.2.1"),
                                "alias.example",
                                List.of("live.example")),
                        Set.of("gone.example"))) {
            DnsLookups lookups =
                    DnsLookups.create(
                            "127.0.0.1:" + dns.address().getPort(), Duration.ofSeconds(2));

            Map<String, String> codes =
                    lookups.resolve(List.of("live.example", "alias.example", "gone.example"));

            assertThat(codes)
                    .containsEntry("live.example", "NOERROR")
                    .containsEntry("alias.example", "NOERROR")
                    .containsEntry("gone.example", "NXDOMAIN");
        }
    }

    @Test
    void aResolverThatDoesNotAnswerIsNoVerdict() {
        var unused = LoopbackDnsServer.unusedLoopbackPort();
        DnsLookups lookups =
                DnsLookups.create("127.0.0.1:" + unused.getPort(), Duration.ofMillis(300));

        assertThatThrownBy(() -> lookups.resolve(List.of("gone.example")))
                .isInstanceOf(DnsLookups.ResolverUnavailable.class)
                .hasMessageContaining("did not answer for gone.example");
    }

    @Test
    void aSlowResolverTimesOutIntoNoVerdict() {
        try (LoopbackDnsServer dns = LoopbackDnsServer.start(Map.of(), Set.of("gone.example"))) {
            dns.setDelay(Duration.ofSeconds(3));
            DnsLookups lookups =
                    DnsLookups.create(
                            "127.0.0.1:" + dns.address().getPort(), Duration.ofMillis(200));

            assertThatThrownBy(() -> lookups.resolve(List.of("gone.example")))
                    .isInstanceOf(DnsLookups.ResolverUnavailable.class);
        }
    }

    @Test
    void resolverAddressesAreIpLiteralsWithAnOptionalPort() {
        assertThat(DnsLookups.parse("127.0.0.1:5353").getPort()).isEqualTo(5353);
        assertThat(DnsLookups.parse("127.0.0.1").getPort()).isEqualTo(53);
        assertThat(DnsLookups.parse("[::1]:5353").getAddress().isLoopbackAddress()).isTrue();
        assertThatThrownBy(() -> DnsLookups.parse("dns.example:53"))
                .hasMessageContaining("expected an IP address and port");
        assertThatThrownBy(() -> DnsLookups.parse("127.0.0.1:99999"))
                .hasMessageContaining("bad port");
    }

    @Test
    void theTestJvmRefusesAResolverOffLoopback() {
        assertThatThrownBy(() -> DnsLookups.create("192.0.2.53:53", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not on loopback");
    }
}
