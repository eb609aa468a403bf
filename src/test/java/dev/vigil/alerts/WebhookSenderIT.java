package dev.vigil.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.AlertReceiver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link WebhookSender} through {@link Senders} against a real receiver on 127.0.0.1 that verifies
 * the Standard Webhooks signature with the specification's own library. The allow-list names
 * 127.0.0.1 only; nothing here connects anywhere else.
 */
class WebhookSenderIT {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String PREVIOUS = "whsec_QWxzb1NlY3JldEZvclJvdGF0aW9uMTIzNDU2";

    private final Senders senders =
            Senders.create(
                    SenderConfig.from(
                            dev.vigil.config.Env.of(
                                    Map.of(
                                            "VIGIL_ALERT_ALLOWED_HOSTS", "127.0.0.1",
                                            "VIGIL_ALERT_SEND_TIMEOUT", "2s"))),
                    host -> {
                        throw new AssertionError("no DNS lookup in tests: " + host);
                    },
                    Clock.systemUTC());
    private final AlertReceiver receiver =
            AlertReceiver.start("127.0.0.1", List.of(SECRET, PREVIOUS));

    @AfterEach
    void close() {
        receiver.close();
        senders.close();
    }

    private static Destination.Webhook webhook(URI url, String... secrets) {
        return new Destination.Webhook(5, "acme", "ops", url, List.of(secrets));
    }

    @Test
    void deliveryCarriesTheMessageIdAndAVerifiableSignature() {
        AlertMessage m = Samples.message();

        DeliveryOutcome o = senders.send(m, webhook(receiver.url("/hook"), SECRET));

        assertThat(o).isInstanceOf(DeliveryOutcome.Delivered.class);
        assertThat(((DeliveryOutcome.Delivered) o).statusCode()).isEqualTo(200);
        AlertReceiver.Received r = receiver.received().getFirst();
        assertThat(r.header("webhook-id")).isEqualTo(m.messageId().toString());
        assertThat(Long.parseLong(r.header("webhook-timestamp")))
                .isCloseTo(
                        System.currentTimeMillis() / 1000,
                        org.assertj.core.data.Offset.offset(60L));
        assertThat(r.header("webhook-signature")).startsWith("v1,").doesNotContain(" ");
        assertThat(r.header("content-type")).isEqualTo("application/json");
        assertThat(r.verifiedBy()).containsExactly(true, false);
    }

    @Test
    void duringARotationBothSecretsVerify() {
        senders.send(Samples.message(), webhook(receiver.url("/hook"), SECRET, PREVIOUS));

        AlertReceiver.Received r = receiver.received().getFirst();
        assertThat(r.header("webhook-signature").split(" "))
                .hasSize(2)
                .allSatisfy(s -> assertThat(s).startsWith("v1,"));
        assertThat(r.verifiedBy()).containsExactly(true, true);
    }

    @Test
    void bodyIsTheDocumentedPayload() {
        senders.send(Samples.message(), webhook(receiver.url("/hook"), SECRET));

        JsonNode json =
                JsonMapper.builder().build().readTree(receiver.received().getFirst().body());
        assertThat(json.get("type").asString()).isEqualTo("vigil.insights");
        JsonNode data = json.get("data");
        assertThat(data.get("account_id").asString()).isEqualTo("acme");
        assertThat(data.get("rule_name").asString()).isEqualTo("prod-critical");
        assertThat(data.get("test").asBoolean()).isFalse();
        assertThat(data.get("events")).hasSize(2);
        JsonNode e = data.get("events").get(0);
        assertThat(e.get("insight_id").asLong()).isEqualTo(101);
        assertThat(e.get("check_id").asString()).isEqualTo("tls.min_version");
        assertThat(e.get("zone_id").asString()).isEqualTo("zone-1");
        assertThat(e.get("link").asString()).isEqualTo("https://vigil.example.com/#/insights/101");
    }

    @Test
    void sameMessageSentTwiceCarriesTheSameId() {
        AlertMessage m = Samples.message();
        receiver.script(AlertReceiver.Reply.of(500, "boom"));

        assertThat(senders.send(m, webhook(receiver.url("/hook"), SECRET)))
                .isInstanceOf(DeliveryOutcome.Retry.class);
        assertThat(senders.send(m, webhook(receiver.url("/hook"), SECRET)))
                .isInstanceOf(DeliveryOutcome.Delivered.class);

        assertThat(receiver.received())
                .extracting(r -> r.header("webhook-id"))
                .containsExactly(m.messageId().toString(), m.messageId().toString());
    }

    @Test
    void serverErrorIsRetriedQuotingTheReceiver() {
        receiver.script(AlertReceiver.Reply.of(500, "database down"));

        DeliveryOutcome o = senders.send(Samples.message(), webhook(receiver.url("/h"), SECRET));

        assertThat(o).isInstanceOf(DeliveryOutcome.Retry.class);
        DeliveryOutcome.Retry r = (DeliveryOutcome.Retry) o;
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.error())
                .isEqualTo(
                        "webhook receiver 127.0.0.1:"
                                + receiver.url("/").getPort()
                                + " answered 500: database down");
        assertThat(r.retryAfter()).isNull();
    }

    @Test
    void tooManyRequestsIsRetriedAfterTheReceiversRetryAfter() {
        receiver.script(AlertReceiver.Reply.withHeader(429, "Retry-After", "30"));

        DeliveryOutcome o = senders.send(Samples.message(), webhook(receiver.url("/h"), SECRET));

        assertThat(o).isInstanceOf(DeliveryOutcome.Retry.class);
        assertThat(((DeliveryOutcome.Retry) o).retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(((DeliveryOutcome.Retry) o).statusCode()).isEqualTo(429);
    }

    @Test
    void goneIsGone() {
        receiver.script(AlertReceiver.Reply.of(410, ""));

        assertThat(senders.send(Samples.message(), webhook(receiver.url("/h"), SECRET)))
                .isInstanceOf(DeliveryOutcome.Gone.class);
    }

    @Test
    void badRequestIsRefused() {
        receiver.script(AlertReceiver.Reply.of(400, "unknown type"));

        DeliveryOutcome o = senders.send(Samples.message(), webhook(receiver.url("/h"), SECRET));

        assertThat(o).isInstanceOf(DeliveryOutcome.Refused.class);
        assertThat(((DeliveryOutcome.Refused) o).error()).endsWith("answered 400: unknown type");
    }

    @Test
    void redirectIsNotFollowed() {
        receiver.script(
                AlertReceiver.Reply.withHeader(
                        307, "Location", receiver.url("/elsewhere").toString()));

        DeliveryOutcome o = senders.send(Samples.message(), webhook(receiver.url("/h"), SECRET));

        assertThat(o).isInstanceOf(DeliveryOutcome.Refused.class);
        assertThat(((DeliveryOutcome.Refused) o).statusCode()).isEqualTo(307);
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void receiverThatDoesNotAnswerInTimeIsRetried() {
        receiver.script(AlertReceiver.Reply.holding());

        DeliveryOutcome o = senders.send(Samples.message(), webhook(receiver.url("/h"), SECRET));

        assertThat(o).isInstanceOf(DeliveryOutcome.Retry.class);
        assertThat(((DeliveryOutcome.Retry) o).error()).endsWith("did not answer within 2000 ms");
        assertThat(o.latency()).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void closedPortIsRetried() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.ofLiteral("127.0.0.1"))) {
            port = s.getLocalPort();
        }

        DeliveryOutcome o =
                senders.send(
                        Samples.message(),
                        webhook(URI.create("http://127.0.0.1:" + port + "/h"), SECRET));

        assertThat(o).isInstanceOf(DeliveryOutcome.Retry.class);
        assertThat(((DeliveryOutcome.Retry) o).error())
                .isEqualTo("webhook receiver 127.0.0.1:" + port + " refused the connection");
    }

    @Test
    void loopbackAddressOutsideTheAllowListGetsNoConnection() throws IOException {
        try (ServerSocketChannel other = ServerSocketChannel.open()) {
            other.bind(new InetSocketAddress(java.net.InetAddress.ofLiteral("127.0.0.2"), 0));
            other.configureBlocking(false);
            int port = ((InetSocketAddress) other.getLocalAddress()).getPort();

            DeliveryOutcome o =
                    senders.send(
                            Samples.message(),
                            webhook(URI.create("http://127.0.0.2:" + port + "/h"), SECRET));

            assertThat(o)
                    .isInstanceOf(DeliveryOutcome.Refused.class)
                    .extracting(DeliveryOutcome.Refused.class::cast)
                    .extracting(DeliveryOutcome.Refused::error)
                    .isEqualTo("127.0.0.2 is a loopback address, not in VIGIL_ALERT_ALLOWED_HOSTS");
            // A connection the client had opened would wait in the backlog: there is none.
            assertThat(other.accept()).isNull();
        }
    }

    @Test
    void badSecretIsRefusedWithoutShowingIt() {
        DeliveryOutcome o =
                senders.send(Samples.message(), webhook(receiver.url("/h"), "whsec_not*base64!"));

        assertThat(o).isInstanceOf(DeliveryOutcome.Refused.class);
        assertThat(((DeliveryOutcome.Refused) o).error())
                .isEqualTo(
                        "signing secret #1 of destination 5 is not 'whsec_' followed by base64;"
                                + " rotate it")
                .doesNotContain("not*base64");
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void idsDifferPerMessage() {
        AlertMessage a = Samples.message();
        AlertMessage b =
                new AlertMessage(
                        UUID.randomUUID(),
                        a.accountId(),
                        a.ruleId(),
                        a.ruleName(),
                        true,
                        a.createdAt(),
                        a.events(),
                        a.dashboard());

        senders.send(a, webhook(receiver.url("/h"), SECRET));
        senders.send(b, webhook(receiver.url("/h"), SECRET));

        assertThat(receiver.received())
                .extracting(r -> r.header("webhook-id"))
                .doesNotHaveDuplicates();
    }
}
