package dev.vigil.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.vigil.checks.Severity;
import dev.vigil.config.Env;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link EmailSender} through {@link Senders} against GreenMail, an SMTP server on 127.0.0.1. */
class EmailSenderIT {

    private GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));
    private Senders senders = senders(Map.of());

    @BeforeEach
    void start() {
        smtp.start();
        senders = senders(Map.of("VIGIL_SMTP_PORT", Integer.toString(smtp.getSmtp().getPort())));
    }

    @AfterEach
    void stop() {
        senders.close();
        smtp.stop();
    }

    private static Senders senders(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("VIGIL_SMTP_HOST", "127.0.0.1");
        env.put("VIGIL_SMTP_FROM", "Vigil <alerts@vigil.example.com>");
        env.put("VIGIL_SMTP_STARTTLS", "off");
        env.put("VIGIL_ALERT_SEND_TIMEOUT", "5s");
        env.putAll(overrides);
        return Senders.create(
                SenderConfig.from(Env.of(env)),
                host -> {
                    throw new AssertionError("no DNS lookup in tests: " + host);
                },
                Clock.systemUTC());
    }

    private static Destination.Email email(String... to) {
        return new Destination.Email(3, "acme", "ops mail", List.of(to));
    }

    private MimeMessage only() {
        await().atMost(Duration.ofSeconds(60)).until(() -> smtp.getReceivedMessages().length > 0);
        assertThat(smtp.getReceivedMessages()).hasSize(1);
        return smtp.getReceivedMessages()[0];
    }

    @Test
    void digestArrivesAsTextAndHtmlToEveryRecipient() throws MessagingException, IOException {
        AlertMessage m = Samples.message();

        DeliveryOutcome o = senders.send(m, email("ops@acme.example", "sec@acme.example"));

        assertThat(o).isInstanceOf(DeliveryOutcome.Delivered.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> smtp.getReceivedMessages().length == 2);
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertThat(mail.getSubject())
                .isEqualTo("[Vigil] Vigil: 2 insights opened in account acme (rule prod-critical)");
        assertThat(mail.getRecipients(Message.RecipientType.TO))
                .extracting(Object::toString)
                .containsExactly("ops@acme.example", "sec@acme.example");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("Vigil <alerts@vigil.example.com>");
        assertThat(mail.getMessageID()).isEqualTo("<" + m.messageId() + "@vigil.example.com>");
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        assertThat(parts.getContentType()).startsWith("multipart/alternative");
        BodyPart text = parts.getBodyPart(0);
        BodyPart html = parts.getBodyPart(1);
        assertThat(text.getContentType()).startsWith("text/plain");
        assertThat(html.getContentType()).startsWith("text/html");
        assertThat((String) text.getContent())
                .contains("- [critical, opened] api.acme.example")
                .contains("https://vigil.example.com/#/insights/102");
        assertThat((String) html.getContent())
                .contains(
                        "<a href=\"https://vigil.example.com/#/insights/101\">www.acme.example</a>");
    }

    @Test
    void insightTextIsEscapedInTheHtmlPart() throws MessagingException, IOException {
        senders.send(
                Samples.message(
                        List.of(Samples.event(7, Severity.LOW, "<img src=x onerror=alert(1)>"))),
                email("ops@acme.example"));

        MimeMultipart parts = (MimeMultipart) only().getContent();
        assertThat((String) parts.getBodyPart(1).getContent())
                .doesNotContain("<img")
                .contains("&lt;img src=x onerror=alert(1)&gt;");
    }

    @Test
    void unreachableServerIsRetried() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.ofLiteral("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        try (Senders down = senders(Map.of("VIGIL_SMTP_PORT", Integer.toString(port)))) {
            DeliveryOutcome o = down.send(Samples.message(), email("ops@acme.example"));

            assertThat(o).isInstanceOf(DeliveryOutcome.Retry.class);
            assertThat(((DeliveryOutcome.Retry) o).error())
                    .startsWith("cannot connect to the SMTP server 127.0.0.1:" + port);
        }
    }

    @Test
    void malformedRecipientIsRefusedBeforeConnecting() {
        DeliveryOutcome o = senders.send(Samples.message(), email("not an address"));

        assertThat(o).isInstanceOf(DeliveryOutcome.Refused.class);
        assertThat(((DeliveryOutcome.Refused) o).error())
                .isEqualTo("recipient 'not an address' is not an e-mail address");
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void emailOffIsRefused() {
        try (Senders off =
                Senders.create(
                        SenderConfig.from(Env.of(Map.of())),
                        host -> List.of(),
                        Clock.systemUTC())) {
            DeliveryOutcome o = off.send(Samples.message(), email("ops@acme.example"));

            assertThat(o).isInstanceOf(DeliveryOutcome.Refused.class);
            assertThat(((DeliveryOutcome.Refused) o).error())
                    .isEqualTo("e-mail alerts are off: VIGIL_SMTP_HOST is not set");
        }
    }
}
