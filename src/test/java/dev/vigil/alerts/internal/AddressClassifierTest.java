package dev.vigil.alerts.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressClassifierTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "127.0.0.1, LOOPBACK",
        "127.0.0.2, LOOPBACK",
        "127.255.255.254, LOOPBACK",
        "::1, LOOPBACK",
        "169.254.169.254, LINK_LOCAL",
        "169.254.0.1, LINK_LOCAL",
        "fe80::1, LINK_LOCAL",
        "febf::1, LINK_LOCAL",
        "10.0.0.1, PRIVATE",
        "10.255.255.255, PRIVATE",
        "172.16.0.1, PRIVATE",
        "172.31.255.255, PRIVATE",
        "192.168.1.1, PRIVATE",
        "fec0::1, PRIVATE",
        "100.64.0.1, SHARED",
        "100.127.255.255, SHARED",
        "fc00::1, UNIQUE_LOCAL",
        "fd12:3456:789a::1, UNIQUE_LOCAL",
        "0.0.0.0, UNSPECIFIED",
        "0.1.2.3, UNSPECIFIED",
        "::, UNSPECIFIED",
        "224.0.0.1, MULTICAST",
        "239.255.255.250, MULTICAST",
        "ff02::1, MULTICAST",
        "255.255.255.255, RESERVED",
        "240.0.0.1, RESERVED",
        "192.0.2.10, RESERVED",
        "198.18.0.1, RESERVED",
        "2001:db8::1, RESERVED",
        "8.8.8.8, PUBLIC",
        "1.1.1.1, PUBLIC",
        "172.15.255.255, PUBLIC",
        "172.32.0.1, PUBLIC",
        "100.63.255.255, PUBLIC",
        "100.128.0.1, PUBLIC",
        "169.253.255.255, PUBLIC",
        "11.0.0.1, PUBLIC",
        "192.169.0.1, PUBLIC",
        "2606:4700:4700::1111, PUBLIC",
        "fbff::1, PUBLIC",
        "fe00::1, PUBLIC"
    })
    void classifiesTheRanges(String address, AddressClass expected) {
        assertThat(AddressClassifier.classify(InetAddress.ofLiteral(address))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} carries {1}")
    @CsvSource({
        "::ffff:127.0.0.1, LOOPBACK",
        "::ffff:10.1.2.3, PRIVATE",
        "::ffff:169.254.169.254, LINK_LOCAL",
        "::ffff:8.8.8.8, PUBLIC",
        "::127.0.0.1, LOOPBACK",
        "::192.168.0.1, PRIVATE",
        "64:ff9b::a00:1, PRIVATE",
        "64:ff9b::7f00:1, LOOPBACK",
        "64:ff9b::808:808, PUBLIC",
        "2002:a9fe:a9fe::1, LINK_LOCAL",
        "2002:0808:0808::1, PUBLIC"
    })
    void judgesAnIpv6AddressByTheIpv4AddressItCarries(String address, AddressClass expected) {
        assertThat(AddressClassifier.classify(InetAddress.ofLiteral(address))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "mapped {0} as an Inet6Address is {1}")
    @CsvSource({"127.0.0.2, LOOPBACK", "192.168.7.7, PRIVATE", "9.9.9.9, PUBLIC"})
    void judgesAMappedAddressAResolverHandsOverAsIpv6(String ipv4, AddressClass expected)
            throws UnknownHostException {
        byte[] v4 = InetAddress.ofLiteral(ipv4).getAddress();
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(v4, 0, mapped, 12, 4);
        // Inet6Address.getByAddress keeps the IPv6 form (InetAddress.getByAddress would not).
        InetAddress inet6 = java.net.Inet6Address.getByAddress(null, mapped, -1);

        assertThat(inet6).isInstanceOf(java.net.Inet6Address.class);
        assertThat(AddressClassifier.classify(inet6)).isEqualTo(expected);
        assertThat(AddressClassifier.canonical(inet6).getHostAddress()).isEqualTo(ipv4);
    }

    @ParameterizedTest(name = "{0} holds {1}: {2}")
    @CsvSource({
        "10.1.0.0/16, 10.1.255.7, true",
        "10.1.0.0/16, 10.2.0.1, false",
        "172.16.0.0/12, 172.31.0.1, true",
        "127.0.0.1, 127.0.0.1, true",
        "127.0.0.1, 127.0.0.2, false",
        "fd00::/8, fd12::1, true",
        "fd00::/8, fe80::1, false",
        "10.0.0.0/8, ::ffff:10.9.9.9, true",
        "10.0.0.0/8, fd00::a00:1, false",
        "0.0.0.0/0, 203.0.113.9, true"
    })
    void rangesHoldTheirAddresses(String range, String address, boolean held) {
        assertThat(CidrRange.parse(range).contains(InetAddress.ofLiteral(address))).isEqualTo(held);
    }
}
