package dev.vigil.alerts;

import dev.vigil.alerts.internal.EmailDigest;
import dev.vigil.alerts.internal.SmtpVerdicts;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Sends a message to an e-mail destination through the operator's SMTP server ({@link SmtpConfig},
 * Angus Mail): one {@code multipart/alternative} message to all its recipients, with a plain-text
 * and an HTML digest ({@link EmailDigest}), and a {@code Message-ID} made from the message id
 * ({@code <id@domain of VIGIL_SMTP_FROM>}), the same on every attempt, so a resend after a crash
 * threads with the first.
 *
 * <p>The recipients are not checked by {@link OutboundPolicy}: Vigil connects only to the
 * operator's SMTP server, and an account names mailboxes, not hosts. Each send opens its own
 * connection (STARTTLS as {@link SmtpConfig.StartTls} says) and closes it; connecting and each SMTP
 * command wait at most the timeout. Verdicts are those of {@link SmtpVerdicts}: a recipient or
 * message rejected with 5xx is refused, anything else is retried. Thread-safe.
 */
public final class EmailSender {

    private final @Nullable SmtpConfig smtp;
    private final @Nullable Session session;
    private final Clock clock;

    private EmailSender(@Nullable SmtpConfig smtp, @Nullable Session session, Clock clock) {
        this.smtp = smtp;
        this.session = session;
        this.clock = clock;
    }

    /** A sender through {@code smtp}; null makes one that refuses every message (e-mail is off). */
    public static EmailSender of(@Nullable SmtpConfig smtp, Clock clock) {
        return new EmailSender(
                smtp, smtp == null ? null : Session.getInstance(properties(smtp)), clock);
    }

    /** Sends {@code message} to {@code destination} once and says how it went; never throws. */
    public DeliveryOutcome send(AlertMessage message, Destination.Email destination) {
        long began = System.nanoTime();
        if (smtp == null || session == null) {
            return new DeliveryOutcome.Refused(
                    null,
                    "e-mail alerts are off: " + SmtpConfig.HOST.name() + " is not set",
                    elapsed(began));
        }
        String server = smtp.host() + ":" + smtp.port();
        List<InternetAddress> to = new ArrayList<>();
        for (String r : destination.recipients()) {
            try {
                to.add(new InternetAddress(r, true));
            } catch (AddressException e) {
                return new DeliveryOutcome.Refused(
                        null, "recipient '" + r + "' is not an e-mail address", elapsed(began));
            }
        }
        if (to.isEmpty()) {
            return new DeliveryOutcome.Refused(
                    null, "destination " + destination.id() + " has no recipient", elapsed(began));
        }
        try {
            MimeMessage mime = mime(session, smtp, message, to);
            try (Transport t = session.getTransport("smtp")) {
                t.connect(
                        smtp.host(),
                        smtp.port(),
                        smtp.user().isEmpty() ? null : smtp.user(),
                        smtp.password().isEmpty() ? null : smtp.password());
                t.sendMessage(mime, mime.getAllRecipients());
            }
            return new DeliveryOutcome.Delivered(null, elapsed(began));
        } catch (MessagingException e) {
            return SmtpVerdicts.of(e, server, smtp.password(), elapsed(began));
        }
    }

    private MimeMessage mime(
            Session session, SmtpConfig smtp, AlertMessage message, List<InternetAddress> to)
            throws MessagingException {
        EmailDigest digest = EmailDigest.of(message);
        String messageId = "<" + message.messageId() + "@" + domain(smtp.from()) + ">";
        MimeMessage mime =
                new MimeMessage(session) {
                    @Override
                    protected void updateMessageID() throws MessagingException {
                        setHeader("Message-ID", messageId);
                    }
                };
        mime.setFrom(new InternetAddress(smtp.from(), true));
        mime.setRecipients(Message.RecipientType.TO, to.toArray(InternetAddress[]::new));
        mime.setSubject(digest.subject(), StandardCharsets.UTF_8.name());
        mime.setSentDate(Date.from(clock.instant()));
        MimeBodyPart text = new MimeBodyPart();
        text.setText(digest.text(), StandardCharsets.UTF_8.name(), "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(digest.html(), StandardCharsets.UTF_8.name(), "html");
        // multipart/alternative: the last part is the preferred one (RFC 2046 §5.1.4).
        mime.setContent(new MimeMultipart("alternative", text, html));
        mime.saveChanges();
        return mime;
    }

    private static Properties properties(SmtpConfig smtp) {
        String ms = Long.toString(smtp.timeout().toMillis());
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", smtp.host());
        p.setProperty("mail.smtp.port", Integer.toString(smtp.port()));
        p.setProperty("mail.smtp.connectiontimeout", ms);
        p.setProperty("mail.smtp.timeout", ms);
        p.setProperty("mail.smtp.writetimeout", ms);
        p.setProperty("mail.smtp.auth", Boolean.toString(!smtp.user().isEmpty()));
        // The EHLO name; without it Angus Mail asks the resolver for this machine's name.
        p.setProperty("mail.smtp.localhost", domain(smtp.from()));
        p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        switch (smtp.startTls()) {
            case REQUIRED -> {
                p.setProperty("mail.smtp.starttls.enable", "true");
                p.setProperty("mail.smtp.starttls.required", "true");
            }
            case OPTIONAL -> p.setProperty("mail.smtp.starttls.enable", "true");
            case OFF -> p.setProperty("mail.smtp.starttls.enable", "false");
        }
        return p;
    }

    /** The domain of {@code from}'s address, or {@code vigil.invalid} should it have none. */
    private static String domain(String from) {
        try {
            String address = new InternetAddress(from).getAddress();
            int at = address == null ? -1 : address.lastIndexOf('@');
            return at < 0 ? "vigil.invalid" : address.substring(at + 1).toLowerCase(Locale.ROOT);
        } catch (AddressException e) {
            return "vigil.invalid";
        }
    }

    private static Duration elapsed(long began) {
        return Duration.ofNanos(System.nanoTime() - began);
    }

    @Override
    public String toString() {
        return "EmailSender[" + (smtp == null ? "off" : smtp) + "]";
    }
}
