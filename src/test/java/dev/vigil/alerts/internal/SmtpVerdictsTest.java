package dev.vigil.alerts.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.alerts.DeliveryOutcome;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;

class SmtpVerdictsTest {

    private static final String SERVER = "smtp.example.com:587";
    private static final Duration LATENCY = Duration.ofMillis(3);

    private static SendFailedException rejected(String address, int code, String reply)
            throws MessagingException {
        InternetAddress a = new InternetAddress(address);
        SMTPAddressFailedException f = new SMTPAddressFailedException(a, "RCPT TO", code, reply);
        return new SendFailedException(
                "Invalid Addresses", f, new Address[0], new Address[0], new Address[] {a});
    }

    @Test
    void recipientRejectedWith5xxIsRefused() throws MessagingException {
        DeliveryOutcome o =
                SmtpVerdicts.of(
                        rejected("nobody@example.com", 550, "550 5.1.1 User unknown\n"),
                        SERVER,
                        "",
                        LATENCY);

        assertThat(o)
                .isEqualTo(
                        new DeliveryOutcome.Refused(
                                null,
                                "the SMTP server smtp.example.com:587 rejected a recipient:"
                                        + " nobody@example.com: 550 5.1.1 User unknown",
                                LATENCY));
    }

    @Test
    void recipientDeferredWith4xxIsRetried() throws MessagingException {
        assertThat(
                        SmtpVerdicts.of(
                                rejected("someone@example.com", 450, "450 4.2.0 greylisted"),
                                SERVER,
                                "",
                                LATENCY))
                .isInstanceOf(DeliveryOutcome.Retry.class);
    }

    @Test
    void messageRejectedWith5xxIsRefusedAnd4xxRetried() throws MessagingException {
        InternetAddress to = new InternetAddress("a@example.com");
        SMTPSendFailedException spam =
                new SMTPSendFailedException(
                        "DATA", 554, "554 5.7.1 looks like spam", null, null, null, null);
        SMTPSendFailedException full =
                new SMTPSendFailedException(
                        "DATA", 452, "452 4.3.1 queue full", null, new Address[] {to}, null, null);

        assertThat(SmtpVerdicts.of(spam, SERVER, "", LATENCY))
                .isInstanceOf(DeliveryOutcome.Refused.class);
        assertThat(SmtpVerdicts.of(full, SERVER, "", LATENCY))
                .isInstanceOf(DeliveryOutcome.Retry.class);
    }

    @Test
    void refusedLoginIsRetriedAndNeverShowsThePassword() {
        DeliveryOutcome o =
                SmtpVerdicts.of(
                        new AuthenticationFailedException("535 bad credentials for s3cret-pw"),
                        SERVER,
                        "s3cret-pw",
                        LATENCY);

        assertThat(o).isInstanceOf(DeliveryOutcome.Retry.class);
        assertThat(((DeliveryOutcome.Retry) o).error())
                .isEqualTo(
                        "the SMTP server smtp.example.com:587 refused the login of VIGIL_SMTP_USER:"
                                + " 535 bad credentials for ****");
    }
}
