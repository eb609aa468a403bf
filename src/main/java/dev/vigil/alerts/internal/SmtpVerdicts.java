package dev.vigil.alerts.internal;

import dev.vigil.alerts.DeliveryOutcome;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.util.MailConnectException;
import org.jspecify.annotations.Nullable;

/**
 * Which SMTP failure is which {@link DeliveryOutcome}. Only what the account chose can make a
 * message undeliverable for good: a recipient the server rejects with 5xx, or a message it rejects
 * with 5xx after {@code DATA}; those are {@link DeliveryOutcome.Refused}. Everything else — the
 * server down or unreachable, a 4xx (greylisting, a full queue), a refused login, a rejected
 * sender, a failed STARTTLS — is the operator's server or settings, which can recover, so {@link
 * DeliveryOutcome.Retry}. Error texts hold the server's reply and never the password.
 */
public final class SmtpVerdicts {

    private SmtpVerdicts() {}

    /**
     * The verdict on {@code e} from sending through {@code server} ({@code host:port}).
     *
     * @param password removed from the text should a server ever echo it
     */
    public static DeliveryOutcome of(
            MessagingException e, String server, String password, Duration latency) {
        List<SMTPAddressFailedException> rejected = new ArrayList<>();
        for (Throwable t : chain(e)) {
            if (t instanceof SMTPAddressFailedException a) {
                rejected.add(a);
            }
        }
        if (!rejected.isEmpty()) {
            boolean permanent = rejected.stream().allMatch(a -> a.getReturnCode() >= 500);
            Set<String> replies = new LinkedHashSet<>();
            for (SMTPAddressFailedException a : rejected) {
                replies.add(a.getAddress() + ": " + reply(a));
            }
            String error =
                    "the SMTP server "
                            + server
                            + " rejected "
                            + (rejected.size() == 1 ? "a recipient" : "recipients")
                            + ": "
                            + String.join("; ", replies);
            return permanent
                    ? new DeliveryOutcome.Refused(null, scrub(error, password), latency)
                    : new DeliveryOutcome.Retry(null, scrub(error, password), null, latency);
        }
        String error = scrub(describe(e, server), password);
        for (Throwable t : chain(e)) {
            if (t instanceof SMTPSendFailedException f
                    && !(t instanceof SMTPSenderFailedException)
                    && f.getReturnCode() >= 500) {
                return new DeliveryOutcome.Refused(null, error, latency);
            }
        }
        return new DeliveryOutcome.Retry(null, error, null, latency);
    }

    private static String describe(MessagingException e, String server) {
        for (Throwable t : chain(e)) {
            switch (t) {
                case MailConnectException c -> {
                    return "cannot connect to the SMTP server "
                            + server
                            + (c.getCause() == null ? "" : ": " + c.getCause());
                }
                case AuthenticationFailedException a -> {
                    return "the SMTP server "
                            + server
                            + " refused the login of VIGIL_SMTP_USER"
                            + (a.getMessage() == null ? "" : ": " + oneLine(a.getMessage()));
                }
                case SMTPSenderFailedException f -> {
                    return "the SMTP server "
                            + server
                            + " rejected the sender (VIGIL_SMTP_FROM) "
                            + f.getAddress()
                            + ": "
                            + reply(f);
                }
                case SMTPSendFailedException f -> {
                    return "the SMTP server " + server + " rejected the message: " + reply(f);
                }
                default -> {}
            }
        }
        return "sending through the SMTP server "
                + server
                + " failed: "
                + oneLine(String.valueOf(e));
    }

    private static String reply(MessagingException e) {
        return e.getMessage() == null ? "(no reply text)" : oneLine(e.getMessage());
    }

    /** {@code e}, its next exceptions and causes, each once. */
    private static List<Throwable> chain(MessagingException e) {
        List<Throwable> out = new ArrayList<>();
        @Nullable Throwable t = e;
        while (t != null && !out.contains(t) && out.size() < 20) {
            out.add(t);
            @Nullable Throwable next =
                    t instanceof MessagingException m ? m.getNextException() : null;
            t = next != null ? next : t.getCause();
        }
        return out;
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }

    private static String scrub(String text, String password) {
        return password.isEmpty() ? text : text.replace(password, "****");
    }
}
