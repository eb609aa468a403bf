package dev.vigil.app;

import static dev.vigil.app.AlertPipeline.JSON;
import static dev.vigil.app.AlertPipeline.SSL_OFF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.vigil.inventory.Target;
import dev.vigil.testing.AlertReceiver;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The other destinations end to end on the whole pipeline: a Slack-shaped receiver and e-mail
 * through GreenMail (an SMTP server in this JVM) each get one message for an opening, and a webhook
 * on a loopback address the allow-list does not name (127.0.0.2) is refused before any connection.
 */
class AlertChannelsIT {
    static GreenMail smtp;
    static AlertPipeline pipeline;

    @BeforeAll
    static void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));
        smtp.start();
        pipeline =
                AlertPipeline.start(
                        Map.of(
                                "VIGIL_SMTP_HOST", "127.0.0.1",
                                "VIGIL_SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()),
                                "VIGIL_SMTP_FROM", "Vigil <alerts@vigil.test>",
                                "VIGIL_SMTP_STARTTLS", "off"));
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void anOpeningReachesSlackAndEmailOnceEach() throws Exception {
        Target zone = pipeline.zone(0);
        pipeline.push(zone, "strict");
        try (AlertReceiver slack = AlertReceiver.start("127.0.0.1", List.of())) {
            long slackDest =
                    pipeline.created(
                                    "destinations",
                                    JSON.createObjectNode()
                                            .put("name", "team")
                                            .put("kind", "slack")
                                            .put(
                                                    "webhook_url",
                                                    slack.url("/services/T0/B0/x").toString()))
                            .get("id")
                            .asLong();
            ObjectNode mail = JSON.createObjectNode().put("name", "ops").put("kind", "email");
            mail.putArray("recipients").add("ops@vigil.test");
            long mailDest = pipeline.created("destinations", mail).get("id").asLong();
            String filters = sslOffIn(zone);
            long toSlack = pipeline.rule("slack", slackDest, "[\"opened\"]", filters);
            long toMail = pipeline.rule("mail", mailDest, "[\"opened\"]", filters);

            pipeline.push(zone, "off");

            await().atMost(Duration.ofSeconds(20))
                    .until(
                            () ->
                                    status(toSlack).equals("delivered")
                                            && status(toMail).equals("delivered"));
            assertThat(slack.received()).hasSize(1);
            JsonNode blocks = JSON.readTree(slack.received().getFirst().body()).get("blocks");
            assertThat(blocks.toString()).contains(SSL_OFF);
            MimeMessage[] mails = smtp.getReceivedMessages();
            assertThat(mails).hasSize(1);
            assertThat(mails[0].getAllRecipients())
                    .extracting(Object::toString)
                    .containsExactly("ops@vigil.test");
            assertThat(mails[0].getContentType()).startsWith("multipart/alternative");
        }
    }

    @Test
    void aWebhookOutsideTheAllowListIsRefusedBeforeAnyConnection() throws Exception {
        Target zone = pipeline.zone(1);
        pipeline.push(zone, "strict");
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            listener.configureBlocking(false);
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            long hook =
                    pipeline.webhook("inside", URI.create("http://127.0.0.2:" + port + "/vigil"))
                            .get("id")
                            .asLong();
            long rule = pipeline.rule("inside", hook, "[\"opened\"]", sslOffIn(zone));

            pipeline.push(zone, "off");

            await().atMost(Duration.ofSeconds(20)).until(() -> status(rule).equals("refused"));
            JsonNode message = pipeline.deliveries(rule).get(0);
            String reason = "127.0.0.2 is a loopback address, not in VIGIL_ALERT_ALLOWED_HOSTS";
            assertThat(message.get("last_error").asString()).contains(reason);
            assertThat(message.get("attempt_log")).hasSize(1);
            assertThat(message.get("attempt_log").get(0).get("outcome").asString())
                    .isEqualTo("refused");
            assertThat(message.get("attempt_log").get(0).get("error").asString()).contains(reason);
            // A connection the kernel completed would wait in the backlog, accepted or not.
            assertThat(listener.accept()).as("a connection to 127.0.0.2").isNull();
        }
    }

    private static String sslOffIn(Target zone) {
        return "{\"check_id\": [\"" + SSL_OFF + "\"], \"zone_id\": [\"" + zone.targetId() + "\"]}";
    }

    /** The status of {@code rule}'s newest message; empty while it has none. */
    private static String status(long rule) throws Exception {
        JsonNode log = pipeline.deliveries(rule);
        return log.isEmpty() ? "" : log.get(0).get("status").asString();
    }
}
