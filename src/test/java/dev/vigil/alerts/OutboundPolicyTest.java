package dev.vigil.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.ConfigException;
import dev.vigil.config.Env;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The policy with a resolver of its own: no test here asks the machine's resolver anything. */
class OutboundPolicyTest {

    private final List<String> lookups = new ArrayList<>();

    /** A fixed table of names; any other name does not resolve. */
    private final HostResolver resolver =
            host -> {
                lookups.add(host);
                List<String> addresses =
                        switch (host) {
                            case "hooks.example.com" -> List.of("93.184.215.14");
                            case "intranet.example.com" -> List.of("10.20.30.40");
                            case "split.example.com" -> List.of("93.184.215.14", "192.168.1.9");
                            case "metadata.example.com" -> List.of("169.254.169.254");
                            case "v6.example.com" -> List.of("fd00::7");
                            default -> throw new UnknownHostException(host);
                        };
                return addresses.stream().map(InetAddress::ofLiteral).toList();
            };

    private OutboundPolicy policy(String allowed) {
        return OutboundPolicy.of(AllowedHosts.parse(allowed), resolver);
    }

    private static OutboundPolicy.Verdict.Denied denied(OutboundPolicy.Verdict v) {
        assertThat(v).isInstanceOf(OutboundPolicy.Verdict.Denied.class);
        return (OutboundPolicy.Verdict.Denied) v;
    }

    @Test
    void publicAddressIsAllowedByDefault() {
        assertThat(policy("").check(URI.create("https://hooks.example.com/x")))
                .isInstanceOf(OutboundPolicy.Verdict.Allowed.class);
        assertThat(policy("").check(URI.create("http://8.8.8.8:8080/hook")))
                .isInstanceOf(OutboundPolicy.Verdict.Allowed.class);
    }

    @Test
    void loopbackLiteralIsRefusedNamingTheAddressAndTheRule() {
        assertThat(denied(policy("127.0.0.1").check(URI.create("http://127.0.0.2:9/x"))).reason())
                .isEqualTo("127.0.0.2 is a loopback address, not in VIGIL_ALERT_ALLOWED_HOSTS");
        assertThat(lookups).isEmpty();
    }

    @Test
    void ipv6LiteralsAreJudgedWithoutTheirBrackets() {
        assertThat(denied(policy("").check(URI.create("http://[::1]:8080/"))).reason())
                .isEqualTo("[::1] is a loopback address, not in VIGIL_ALERT_ALLOWED_HOSTS");
        assertThat(
                        denied(policy("").check(URI.create("http://[::ffff:169.254.169.254]/")))
                                .reason())
                .isEqualTo(
                        "[::ffff:169.254.169.254] (169.254.169.254) is a link-local address, not in"
                                + " VIGIL_ALERT_ALLOWED_HOSTS");
        assertThat(policy("::1").check(URI.create("http://[::1]:8080/")))
                .isInstanceOf(OutboundPolicy.Verdict.Allowed.class);
    }

    @Test
    void nameResolvingToAPrivateAddressIsRefusedNamingBoth() {
        assertThat(denied(policy("").check(URI.create("https://intranet.example.com/"))).reason())
                .isEqualTo(
                        "intranet.example.com resolves to 10.20.30.40, a private address, not in"
                                + " VIGIL_ALERT_ALLOWED_HOSTS");
    }

    @Test
    void everyAddressOfANameMustPass() {
        assertThat(denied(policy("").check(URI.create("https://split.example.com/"))).reason())
                .contains("192.168.1.9, a private address");
    }

    @Test
    void cidrRangeAllowsTheAddressesItHolds() {
        assertThat(policy("10.20.0.0/16").check(URI.create("https://intranet.example.com/")))
                .isInstanceOf(OutboundPolicy.Verdict.Allowed.class);
        assertThat(policy("10.21.0.0/16").check(URI.create("https://intranet.example.com/")))
                .isInstanceOf(OutboundPolicy.Verdict.Denied.class);
        assertThat(policy("fd00::/8").check(URI.create("https://v6.example.com/")))
                .isInstanceOf(OutboundPolicy.Verdict.Allowed.class);
    }

    @Test
    void allowedNameOrWildcardIsAllowedWithoutALookup() {
        assertThat(
                        policy("intranet.example.com")
                                .check(URI.create("https://intranet.example.com/")))
                .isInstanceOf(OutboundPolicy.Verdict.Allowed.class);
        assertThat(policy("*.example.com").check(URI.create("https://metadata.example.com/")))
                .isInstanceOf(OutboundPolicy.Verdict.Allowed.class);
        assertThat(lookups).isEmpty();
    }

    @Test
    void wildcardDoesNotCoverTheDomainItself() {
        AllowedHosts allowed = AllowedHosts.parse("*.example.com");

        assertThat(allowed.permitsName("a.b.example.com")).isTrue();
        assertThat(allowed.permitsName("example.com")).isFalse();
        assertThat(allowed.permitsName("badexample.com")).isFalse();
    }

    @Test
    void linkLocalMetadataServiceIsRefused() {
        assertThat(denied(policy("").check(URI.create("http://metadata.example.com/"))).reason())
                .contains("169.254.169.254, a link-local address");
        assertThat(denied(policy("").check(URI.create("http://169.254.169.254/latest"))).reason())
                .startsWith("169.254.169.254 is a link-local address");
    }

    @Test
    void onlyHttpAndHttpsAreAllowed() {
        assertThat(denied(policy("").check(URI.create("ftp://8.8.8.8/x"))).reason())
                .isEqualTo("alert destinations are http or https URLs, not ftp:");
        assertThat(denied(policy("").check(URI.create("file:///etc/passwd"))).reason())
                .contains("not file:");
    }

    @Test
    void numericHostIsJudgedByTheAddressItMeans() {
        assertThat(denied(policy("").check(URI.create("http://2130706433/"))).reason())
                .isEqualTo(
                        "2130706433 (127.0.0.1) is a loopback address, not in"
                                + " VIGIL_ALERT_ALLOWED_HOSTS");
        // java.net.URI reads 127.1 as no host at all.
        assertThat(denied(policy("").check(URI.create("http://127.1/"))).reason())
                .isEqualTo("the destination URL has no host");
        assertThat(lookups).isEmpty();
    }

    @Test
    void nameThatDoesNotResolveIsWorthARetry() {
        assertThat(policy("").check(URI.create("https://gone.example.com/")))
                .isEqualTo(
                        new OutboundPolicy.Verdict.Unresolved("gone.example.com does not resolve"));
    }

    @Test
    void badAllowListEntryFailsAtStartNamingTheSettingAndTheEntry() {
        Env env = Env.of(Map.of("VIGIL_ALERT_ALLOWED_HOSTS", "hooks.slack.com, 10.0.0.0/33"));

        assertThatThrownBy(() -> SenderConfig.from(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_ALERT_ALLOWED_HOSTS=hooks.slack.com, 10.0.0.0/33")
                .hasMessageContaining("CIDR");
        assertThatThrownBy(() -> AllowedHosts.parse("bad host!"))
                .hasMessage(
                        "'bad host!' is not a host name, *.domain wildcard, IP address or CIDR"
                                + " range");
        assertThatThrownBy(() -> AllowedHosts.parse("10.0.0.0/33"))
                .hasMessage("'10.0.0.0/33': the prefix length must be from 0 to 32");
    }

    @Test
    void smtpHostWithoutAFromFailsAtStart() {
        Env env = Env.of(Map.of("VIGIL_SMTP_HOST", "127.0.0.1"));

        assertThatThrownBy(() -> SenderConfig.from(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_SMTP_FROM");
    }

    @Test
    void smtpPasswordIsMaskedInTheConfigsText() {
        SenderConfig config =
                SenderConfig.from(
                        Env.of(
                                Map.of(
                                        "VIGIL_SMTP_HOST", "127.0.0.1",
                                        "VIGIL_SMTP_FROM", "Vigil <alerts@example.com>",
                                        "VIGIL_SMTP_USER", "vigil",
                                        "VIGIL_SMTP_PASSWORD", "hunter2")));

        assertThat(String.valueOf(config)).doesNotContain("hunter2").contains("password=****");
    }
}
