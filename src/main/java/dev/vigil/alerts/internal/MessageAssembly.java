package dev.vigil.alerts.internal;

import dev.vigil.alerts.AlertEvent;
import dev.vigil.alerts.AlertMessage;
import dev.vigil.alerts.Destination;
import dev.vigil.alerts.SecretBox;
import dev.vigil.alerts.Trigger;
import dev.vigil.checks.IssueType;
import dev.vigil.checks.Severity;
import java.net.URI;
import java.nio.ByteBuffer;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * Builds what one attempt sends from the rows: the {@link AlertMessage} (its events joined from the
 * outbox and the insights as they read now; a test message's one sample event) and the {@link
 * Destination} with its secrets opened. What cannot be sent as it is (a disabled destination, a
 * sealed secret without the key to open it, a message whose events are gone) comes back as {@link
 * Prepared.Unsendable} with the reason, recorded as a refused attempt; it is never a retry, since
 * waiting changes nothing.
 *
 * <p>Thread-safe (no mutable state).
 */
public final class MessageAssembly {

    /** The check id of a test message's sample event. */
    public static final String TEST_CHECK_ID = "vigil.test_alert";

    private final Jdbi jdbi;
    private final Optional<SecretBox> secrets;
    private final URI dashboard;

    private MessageAssembly(Jdbi jdbi, Optional<SecretBox> secrets, URI dashboard) {
        this.jdbi = jdbi;
        this.secrets = secrets;
        this.dashboard = dashboard;
    }

    /**
     * An assembly reading the rows through {@code jdbi}.
     *
     * @param secrets the box of {@code VIGIL_ALERT_SECRET_KEY}, empty when it is not set
     * @param dashboard the dashboard's public address, for links
     */
    public static MessageAssembly create(Jdbi jdbi, Optional<SecretBox> secrets, URI dashboard) {
        return new MessageAssembly(jdbi, secrets, dashboard);
    }

    /** What one attempt of a claimed message sends, or why it cannot. */
    public sealed interface Prepared {
        /** The destination's kind ({@code webhook}, {@code slack}, {@code email}), for metrics. */
        String kind();

        record Ready(String kind, AlertMessage message, Destination destination)
                implements Prepared {}

        record Unsendable(String kind, String error) implements Prepared {}
    }

    private record DestinationRow(
            long id,
            String accountId,
            String name,
            String kind,
            @Nullable String url,
            List<String> recipients,
            @Nullable ByteBuffer secret,
            @Nullable ByteBuffer previousSecret,
            @Nullable String disabled) {}

    /** Reads the message's rows and builds what to send. */
    public Prepared prepare(Claimed c) {
        return jdbi.withHandle(h -> prepare(h, c));
    }

    private Prepared prepare(Handle h, Claimed c) {
        Optional<DestinationRow> found =
                h.createQuery(DispatchSql.DESTINATION)
                        .bind("destination", c.destinationId())
                        .map((rs, ctx) -> destinationRow(rs))
                        .findOne();
        if (found.isEmpty()) {
            return new Prepared.Unsendable(
                    "unknown", "destination " + c.destinationId() + " no longer exists");
        }
        DestinationRow d = found.get();
        if (d.disabled() != null) {
            return new Prepared.Unsendable(
                    d.kind(),
                    "destination "
                            + d.id()
                            + " ('"
                            + d.name()
                            + "') is disabled: "
                            + d.disabled()
                            + "; enable it again and send a test");
        }
        String ruleName =
                c.ruleId() == null
                        ? "test"
                        : h.createQuery(DispatchSql.RULE_NAME)
                                .bind("rule", c.ruleId())
                                .mapTo(String.class)
                                .findOne()
                                .orElse("deleted rule");
        List<AlertEvent> events = c.test() ? List.of(sampleEvent(c)) : events(h, c);
        if (events.isEmpty()) {
            return new Prepared.Unsendable(
                    d.kind(), "message " + c.messageId() + " has no events left (rule deleted)");
        }
        AlertMessage message =
                new AlertMessage(
                        c.messageId(),
                        c.accountId(),
                        c.ruleId(),
                        ruleName,
                        c.test(),
                        c.createdAt(),
                        events,
                        dashboard);
        try {
            return new Prepared.Ready(d.kind(), message, destination(d));
        } catch (IllegalArgumentException e) {
            return new Prepared.Unsendable(d.kind(), String.valueOf(e.getMessage()));
        }
    }

    private static DestinationRow destinationRow(ResultSet rs) throws SQLException {
        Array recipients = rs.getArray("recipients");
        OffsetDateTime disabledAt = rs.getObject("disabled_at", OffsetDateTime.class);
        String reason = rs.getString("disabled_reason");
        return new DestinationRow(
                rs.getLong("destination_id"),
                rs.getString("account_id"),
                rs.getString("name"),
                rs.getString("kind"),
                rs.getString("url"),
                recipients == null ? List.of() : List.of((String[]) recipients.getArray()),
                wrap(rs.getBytes("secret")),
                wrap(rs.getBytes("previous_secret")),
                disabledAt == null
                        ? null
                        : "since "
                                + disabledAt.toInstant()
                                + (reason == null ? "" : ", " + reason));
    }

    /**
     * @throws IllegalArgumentException stating why the row does not make a destination
     */
    private Destination destination(DestinationRow d) {
        return switch (d.kind()) {
            case "webhook" -> {
                List<String> keys = new ArrayList<>(2);
                keys.add(open(d, d.secret(), "signing secret"));
                if (d.previousSecret() != null) {
                    keys.add(open(d, d.previousSecret(), "previous signing secret"));
                }
                yield new Destination.Webhook(
                        d.id(), d.accountId(), d.name(), URI.create(required(d, d.url())), keys);
            }
            case "slack" ->
                    new Destination.Slack(
                            d.id(),
                            d.accountId(),
                            d.name(),
                            URI.create(open(d, d.secret(), "Slack webhook URL")));
            case "email" -> new Destination.Email(d.id(), d.accountId(), d.name(), d.recipients());
            default ->
                    throw new IllegalArgumentException(
                            "destination " + d.id() + " has an unknown kind '" + d.kind() + "'");
        };
    }

    private static @Nullable ByteBuffer wrap(byte @Nullable [] bytes) {
        return bytes == null ? null : ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    private String open(DestinationRow d, @Nullable ByteBuffer sealed, String what) {
        if (sealed == null) {
            throw new IllegalArgumentException(
                    "destination " + d.id() + " ('" + d.name() + "') has no " + what);
        }
        SecretBox box =
                secrets.orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "destination "
                                                + d.id()
                                                + " ('"
                                                + d.name()
                                                + "') has a sealed "
                                                + what
                                                + " but "
                                                + SecretBox.KEY.name()
                                                + " is not set: set it to the key that sealed"
                                                + " it"));
        try {
            byte[] bytes = new byte[sealed.remaining()];
            sealed.duplicate().get(bytes);
            return box.open(d.accountId(), bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "destination " + d.id() + " ('" + d.name() + "'): " + e.getMessage(), e);
        }
    }

    private static String required(DestinationRow d, @Nullable String url) {
        if (url == null) {
            throw new IllegalArgumentException("webhook destination " + d.id() + " has no URL");
        }
        return url;
    }

    private static List<AlertEvent> events(Handle h, Claimed c) {
        return h.createQuery(DispatchSql.EVENTS)
                .bind("message", c.messageId())
                .map(
                        (rs, ctx) ->
                                new AlertEvent(
                                        Trigger.fromWire(rs.getString("trigger")),
                                        rs.getLong("insight_id"),
                                        rs.getString("account_id"),
                                        rs.getString("zone_id"),
                                        rs.getString("check_id"),
                                        Severity.parse(rs.getString("severity")),
                                        rs.getString("issue_type"),
                                        rs.getString("subject"),
                                        rs.getString("message"),
                                        rs.getObject("period_start", OffsetDateTime.class)
                                                .toInstant()))
                .list();
    }

    /** The one event of a test message: plainly a sample, linked to no real insight. */
    static AlertEvent sampleEvent(Claimed c) {
        return new AlertEvent(
                Trigger.OPENED,
                0,
                c.accountId(),
                null,
                TEST_CHECK_ID,
                Severity.HIGH,
                IssueType.INSECURE_CONFIGURATION.wire(),
                "test.example",
                "A test alert from Vigil: this destination receives alerts. No insight opened.",
                c.createdAt());
    }
}
