package dev.vigil.checks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {

    @ParameterizedTest
    @CsvSource({
        "10.1.2.3, true",
        "172.16.0.1, true",
        "172.31.255.255, true",
        "172.32.0.1, false",
        "192.168.1.1, true",
        "127.0.0.1, true",
        "169.254.10.10, true",
        "100.64.0.1, true",
        "100.128.0.1, false",
        "8.8.8.8, false",
        "203.0.113.7, false",
        "0.0.0.0, false",
        "::1, true",
        "::, false",
        "fe80::1, true",
        "febf::1, true",
        "fec0::1, false",
        "fc00::1, true",
        "fd12:3456::1, true",
        "FD00::ABCD, true",
        "2606:4700::1111, false",
        "::ffff:10.0.0.1, true",
        "::ffff:8.8.8.8, false",
        "www.example.com, false",
        "1.2.3, false",
        "256.1.1.1, false",
        "1:2:3:4:5:6:7:8:9, false",
        "1::2::3, false",
        "::ffff:0.0.0.0, false",
        "100.127.255.255, true",
        "100.128.0.0, false",
        "::ffff:100.64.0.1, true"
    })
    void classifiesPrivateAddresses(String text, boolean expected) {
        assertThat(IpAddresses.isPrivate(text)).as(text).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "8.8.8.8, true",
        "10.0.0.1, false",
        "224.0.0.1, false",
        "ff02::1, false",
        "2a01:4f8::1, true",
        "example.com, false",
        "0.0.0.0, false",
        "0.1.2.3, false",
        "::, false",
        "::ffff:0.0.0.0, false"
    })
    void classifiesPublicAddresses(String text, boolean expected) {
        assertThat(IpAddresses.isPublic(text)).as(text).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1.2.3.4",
                "::",
                "::1",
                "2001:db8::8a2e:370:7334",
                "1:2:3:4:5:6:7:8",
                "1::",
                "fe80::1:2:3:4",
                "1:2:3:4:5:6:7::"
            })
    void parsesLikeTheJdk(String text) {
        assertThat(IpAddresses.parse(text)).isEqualTo(InetAddress.ofLiteral(text).getAddress());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"v=spf1 include:a.example \" \"-all\"|v=spf1 include:a.example -all",
                "  V=DMARC1;  P=none |v=dmarc1; p=none",
                "plain|plain",
                "\"v=spf1 +a\" \"ll\"|v=spf1 +all",
                "\"v=DKIM1; p=\\\"x\\\"\"|v=dkim1; p=\"x\"",
                "\"v=spf1\"|v=spf1"
            })
    void normalisesTxtContentForMatching(String content, String expected) {
        assertThat(IpAddresses.txtNorm(content)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"WWW.Example.COM., www.example.com", "example.com, example.com"})
    void canonicalisesNames(String name, String expected) {
        assertThat(IpAddresses.fqdn(name)).isEqualTo(expected);
    }
}
