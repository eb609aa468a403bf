package dev.vigil.alerts;

import dev.vigil.alerts.internal.AlertRows;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jspecify.annotations.Nullable;

/**
 * The alert destinations of each account. Every call names the account and touches only its rows
 * (the tenant boundary is in each statement, not in the caller). Secrets are sealed with the
 * operator's {@link SecretBox} before they reach a statement and never read back here: a webhook's
 * signing secret is answered once, by {@link #create} and {@link #rotateSecret}; a Slack URL is
 * never answered, only its host.
 *
 * <p>Thread-safe: stateless over a {@link Jdbi}.
 */
public final class AlertDestinations {

    /** How long a rotated-out webhook secret keeps signing, so receivers can switch over. */
    public static final Duration ROTATION_OVERLAP = Duration.ofHours(24);

    /** Random bytes of a webhook signing secret (Standard Webhooks asks for 24 to 64). */
    static final int SECRET_BYTES = 24;

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final String COLUMNS =
            "destination_id, account_id, name, kind, url, recipients, created_at,"
                    + " previous_secret_until, disabled_at, disabled_reason";

    private static final String INSERT =
            """
            insert into alert_destinations (account_id, name, kind, url, recipients, secret)
            values (:account, :name, :kind, :url, cast(:recipients as text[]), :secret)
            returning\s"""
                    + COLUMNS;

    /** A change keeps the secret unless one is given (a Slack URL named again). */
    private static final String UPDATE =
            """
            update alert_destinations
            set name = :name, url = :url, recipients = cast(:recipients as text[]),
                secret = coalesce(:secret, secret)
            where account_id = :account and destination_id = :id and kind = :kind
            returning\s"""
                    + COLUMNS;

    /**
     * The current secret becomes the previous one, valid until the overlap ends; a rotation during
     * a rotation drops the oldest (a webhook carries at most two signatures).
     */
    private static final String ROTATE =
            """
            update alert_destinations
            set previous_secret = secret, secret = :secret,
                previous_secret_until = now() + cast(:overlap as interval)
            where account_id = :account and destination_id = :id and kind = 'webhook'
            returning\s"""
                    + COLUMNS;

    private final Jdbi jdbi;
    private final @Nullable SecretBox box;

    private AlertDestinations(Jdbi jdbi, @Nullable SecretBox box) {
        this.jdbi = jdbi;
        this.box = box;
    }

    /**
     * The destinations stored through {@code jdbi}.
     *
     * @param box seals secrets; null when the operator set no {@link SecretBox#KEY}, and then only
     *     e-mail destinations can be made ({@link NoAlertSecretKeyException} for the others)
     */
    public static AlertDestinations create(Jdbi jdbi, @Nullable SecretBox box) {
        return new AlertDestinations(jdbi, box);
    }

    /**
     * Adds a destination to {@code accountId}; a webhook gets a new signing secret, answered here
     * and never again.
     *
     * @throws NoAlertSecretKeyException for a webhook or Slack destination without a key
     * @throws AlertNameTakenException when the account has a destination of that name
     */
    public DestinationAndSecret create(String accountId, DestinationSpec spec) {
        String secret = spec instanceof DestinationSpec.Webhook ? newSecret() : null;
        byte[] sealed = seal(accountId, spec, secret);
        DestinationView v =
                write(
                        spec,
                        accountId,
                        () ->
                                jdbi.withHandle(
                                        h ->
                                                bind(h.createQuery(INSERT), accountId, spec, sealed)
                                                        .map((rs, c) -> view(rs))
                                                        .one()));
        return new DestinationAndSecret(v, secret);
    }

    /** The account's destinations, oldest first. */
    public List<DestinationView> list(String accountId) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "select "
                                                + COLUMNS
                                                + " from alert_destinations where account_id ="
                                                + " :account order by destination_id")
                                .bind("account", accountId)
                                .map((rs, c) -> view(rs))
                                .list());
    }

    /** Destination {@code id} if it is {@code accountId}'s. */
    public Optional<DestinationView> find(String accountId, long id) {
        return jdbi.withHandle(h -> find(h, accountId, id));
    }

    static Optional<DestinationView> find(Handle h, String accountId, long id) {
        return h.createQuery(
                        "select "
                                + COLUMNS
                                + " from alert_destinations where account_id = :account"
                                + " and destination_id = :id")
                .bind("account", accountId)
                .bind("id", id)
                .map((rs, c) -> view(rs))
                .findOne();
    }

    /**
     * Replaces destination {@code id}'s settings with {@code spec}, keeping its kind and its
     * signing secret (see {@link #rotateSecret}); a Slack URL given again is sealed anew. Empty
     * when the account has no such destination.
     *
     * @throws InvalidAlertSettingException naming {@code kind} when {@code spec} is of another kind
     * @throws AlertNameTakenException when another destination of the account has that name
     */
    public Optional<DestinationView> update(String accountId, long id, DestinationSpec spec) {
        Optional<DestinationView> current = find(accountId, id);
        if (current.isEmpty()) {
            return current;
        }
        if (!current.get().kind().equals(spec.kind())) {
            throw new InvalidAlertSettingException(
                    "kind",
                    "destination "
                            + id
                            + " is a "
                            + current.get().kind()
                            + " destination and stays one (got kind '"
                            + spec.kind()
                            + "'): create a new destination instead");
        }
        byte[] sealed = spec instanceof DestinationSpec.Slack ? seal(accountId, spec, null) : null;
        return write(
                spec,
                accountId,
                () ->
                        jdbi.withHandle(
                                h ->
                                        bind(h.createQuery(UPDATE), accountId, spec, sealed)
                                                .bind("id", id)
                                                .map((rs, c) -> view(rs))
                                                .findOne()));
    }

    /** Deletes destination {@code id} and, with it, the rules that send to it; false if none. */
    public boolean delete(String accountId, long id) {
        return jdbi.withHandle(
                        h ->
                                h.createUpdate(
                                                "delete from alert_destinations where account_id ="
                                                        + " :account and destination_id = :id")
                                        .bind("account", accountId)
                                        .bind("id", id)
                                        .execute())
                > 0;
    }

    /**
     * Gives webhook {@code id} a new signing secret, answered here once; the replaced one keeps
     * signing for {@link #ROTATION_OVERLAP}, so a receiver that knows either accepts every message
     * meanwhile. Empty when the account has no such destination.
     *
     * @throws InvalidAlertSettingException naming {@code destination_id} for a Slack or e-mail
     *     destination, which have no signing secret
     */
    public Optional<DestinationAndSecret> rotateSecret(String accountId, long id) {
        Optional<DestinationView> current = find(accountId, id);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        if (!current.get().kind().equals("webhook")) {
            throw new InvalidAlertSettingException(
                    "destination_id",
                    "destination "
                            + id
                            + " is a "
                            + current.get().kind()
                            + " destination; only a webhook has a signing secret to rotate");
        }
        String secret = newSecret();
        byte[] sealed = requireBox("webhook").seal(accountId, secret);
        return jdbi.withHandle(
                        h ->
                                h.createQuery(ROTATE)
                                        .bind("account", accountId)
                                        .bind("id", id)
                                        .bind("secret", sealed)
                                        .bind("overlap", ROTATION_OVERLAP.toSeconds() + " seconds")
                                        .map((rs, c) -> view(rs))
                                        .findOne())
                .map(v -> new DestinationAndSecret(v, secret));
    }

    private static Query bind(
            Query q, String accountId, DestinationSpec spec, byte @Nullable [] sealed) {
        String url =
                switch (spec) {
                    case DestinationSpec.Webhook w -> w.url().toString();
                    case DestinationSpec.Slack s -> s.webhookUrl().getHost();
                    case DestinationSpec.Email e -> null;
                };
        List<String> recipients =
                spec instanceof DestinationSpec.Email e ? e.recipients() : List.of();
        return q.bind("account", accountId)
                .bind("name", spec.name())
                .bind("kind", spec.kind())
                .bind("url", url)
                .bind("recipients", recipients.toArray(String[]::new))
                .bind("secret", sealed);
    }

    /** The sealed secret of a new destination: the webhook's signing secret, the Slack URL. */
    private byte @Nullable [] seal(
            String accountId, DestinationSpec spec, @Nullable String webhookSecret) {
        return switch (spec) {
            case DestinationSpec.Webhook w ->
                    requireBox(spec.kind())
                            .seal(accountId, java.util.Objects.requireNonNull(webhookSecret));
            case DestinationSpec.Slack s ->
                    requireBox(spec.kind()).seal(accountId, s.webhookUrl().toString());
            case DestinationSpec.Email e -> null;
        };
    }

    private SecretBox requireBox(String kind) {
        SecretBox b = box;
        if (b == null) {
            throw new NoAlertSecretKeyException(kind);
        }
        return b;
    }

    /** {@code whsec_} + base64 of {@link #SECRET_BYTES} random bytes. */
    static String newSecret() {
        byte[] raw = new byte[SECRET_BYTES];
        RANDOM.nextBytes(raw);
        return "whsec_" + Base64.getEncoder().encodeToString(raw);
    }

    /** Runs a write, turning the account's name uniqueness into {@link AlertNameTakenException}. */
    private static <T> T write(
            DestinationSpec spec, String accountId, java.util.function.Supplier<T> write) {
        try {
            return write.get();
        } catch (RuntimeException e) {
            if (AlertRows.uniqueViolation(e)) {
                throw new AlertNameTakenException("destination", accountId, spec.name());
            }
            throw e;
        }
    }

    static DestinationView view(ResultSet rs) throws SQLException {
        List<String> recipients = AlertRows.texts(rs, "recipients");
        return new DestinationView(
                rs.getLong("destination_id"),
                rs.getString("account_id"),
                rs.getString("name"),
                rs.getString("kind"),
                rs.getString("url"),
                recipients == null ? List.of() : recipients,
                AlertRows.required(rs, "created_at"),
                AlertRows.instant(rs, "previous_secret_until"),
                AlertRows.instant(rs, "disabled_at"),
                rs.getString("disabled_reason"));
    }
}
