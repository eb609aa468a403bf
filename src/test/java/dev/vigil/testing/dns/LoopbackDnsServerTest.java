package dev.vigil.testing.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

class LoopbackDnsServerTest {

    private static LoopbackDnsServer server;

    @BeforeAll
    static void start() {
        server =
                LoopbackDnsServer.start(
                        Map.of(
                                "origin.example.com", List.of("203.0.113.7", "2001:db8::7"),
                                "www.example.com.", List.of("origin.example.com"),
                                "gone.example.com", List.of("old-shop.herokuapp.example"),
                                "empty.example.com", List.of()),
                        Set.of("old-shop.herokuapp.example", "NX.example.com"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void answersTheARecordsOfAConfiguredName() throws IOException {
        Message reply = query("origin.example.com.", Type.A);

        assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(reply.getSection(Section.ANSWER))
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(((ARecord) r).getAddress().getHostAddress())
                                        .isEqualTo("203.0.113.7"));
    }

    @Test
    void answersACnameFollowedByTheTargetsAddresses() throws IOException {
        List<Record> answer = query("WWW.example.com.", Type.A).getSection(Section.ANSWER);

        assertThat(answer).hasSize(2);
        assertThat(((CNAMERecord) answer.get(0)).getTarget())
                .isEqualTo(Name.fromString("origin.example.com."));
        assertThat(answer.get(1).getType()).isEqualTo(Type.A);
    }

    @Test
    void answersNxdomainForANameMarkedSo() throws IOException {
        assertThat(query("nx.example.com.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void aCnameToANonexistentTargetIsNxdomainWithTheCnameShown() throws IOException {
        Message reply = query("gone.example.com.", Type.A);

        assertThat(reply.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(reply.getSection(Section.ANSWER))
                .singleElement()
                .isInstanceOf(CNAMERecord.class);
    }

    @Test
    void aConfiguredNameWithoutRecordsOfTheTypeAnswersNoerrorWithNoAnswer() throws IOException {
        Message reply = query("empty.example.com.", Type.A);

        assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(reply.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void anUnknownNameIsRefusedRatherThanDeniedToExist() throws IOException {
        assertThat(query("unknown.example.net.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void answersOverTcpToo() throws IOException {
        SimpleResolver r = resolver();
        r.setTCP(true);

        Message reply =
                r.send(
                        Message.newQuery(
                                Record.newRecord(
                                        Name.fromString("origin.example.com."), Type.AAAA, 1)));

        assertThat(reply.getSection(Section.ANSWER))
                .singleElement()
                .satisfies(x -> assertThat(x.getType()).isEqualTo(Type.AAAA));
    }

    @Test
    void countsQueries() throws IOException {
        int before = server.queries();

        query("origin.example.com.", Type.A);

        assertThat(server.queries()).isGreaterThan(before);
    }

    @Test
    void aDelayLongerThanTheClientTimeoutMakesTheClientTimeOut() {
        try (LoopbackDnsServer slow =
                LoopbackDnsServer.start(Map.of("a.example", List.of("192.0.2.1")), Set.of())) {
            slow.setDelay(Duration.ofSeconds(2));
            SimpleResolver r = new SimpleResolver(slow.address());
            r.setTimeout(Duration.ofMillis(200));

            assertThatThrownBy(
                            () ->
                                    r.send(
                                            Message.newQuery(
                                                    Record.newRecord(
                                                            Name.fromString("a.example."),
                                                            Type.A,
                                                            1))))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void nothingAnswersOnTheUnusedPort() {
        SimpleResolver r = new SimpleResolver(LoopbackDnsServer.unusedLoopbackPort());
        r.setTimeout(Duration.ofMillis(300));

        assertThatThrownBy(
                        () ->
                                r.send(
                                        Message.newQuery(
                                                Record.newRecord(
                                                        Name.fromString("a.example."), Type.A, 1))))
                .isInstanceOf(IOException.class);
    }

    private static Message query(String name, int type) throws IOException {
        return resolver().send(Message.newQuery(Record.newRecord(Name.fromString(name), type, 1)));
    }

    private static SimpleResolver resolver() {
        SimpleResolver r = new SimpleResolver(server.address());
        r.setTimeout(Duration.ofSeconds(2));
        return r;
    }
}
