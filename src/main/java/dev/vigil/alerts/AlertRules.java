package dev.vigil.alerts;

import dev.vigil.alerts.internal.AlertRows;
import dev.vigil.checks.CheckDefinition;
import dev.vigil.checks.RuleSet;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * The alert rules of each account. Every call names the account and touches only its rows; a rule
 * can send only to a destination of its own account, checked in the same statement that writes it
 * ({@link UnknownAlertDestinationException} otherwise). Check ids and families in filters must be
 * in the shipped catalogue, so a typo never makes a rule that matches nothing.
 *
 * <p>Thread-safe: stateless over a {@link Jdbi}.
 */
public final class AlertRules {

    private static final String COLUMNS =
            "r.rule_id, r.account_id, r.name, r.destination_id, r.triggers, r.mode,"
                    + " cast(extract(epoch from r.digest_window) as bigint) as digest_seconds,"
                    + " r.zone_ids, r.zone_negated, r.severities, r.severity_negated,"
                    + " r.issue_types, r.issue_type_negated, r.check_ids, r.check_negated,"
                    + " r.families, r.family_negated, r.paused_at, r.created_at, r.updated_at";

    /** The filter columns, in {@link RuleFilterField} order. */
    private static final String FILTER_COLUMNS =
            java.util.Arrays.stream(RuleFilterField.values())
                    .map(f -> f.valuesColumn() + ", " + f.negatedColumn())
                    .collect(Collectors.joining(", "));

    /** Their bound values, in the same order. */
    private static final String FILTER_BINDS =
            java.util.Arrays.stream(RuleFilterField.values())
                    .map(f -> "cast(:" + f.valuesColumn() + " as text[]), :" + f.negatedColumn())
                    .collect(Collectors.joining(", "));

    /** Inserts only when the destination is the account's: no row means it is not. */
    private static final String INSERT =
            "insert into alert_rules as r (account_id, name, destination_id, triggers, mode,"
                    + " digest_window, "
                    + FILTER_COLUMNS
                    + ") select :account, :name, d.destination_id, cast(:triggers as text[]),"
                    + " :mode, cast(:window as interval), "
                    + FILTER_BINDS
                    + " from alert_destinations d where d.account_id = :account"
                    + " and d.destination_id = :destination returning "
                    + COLUMNS;

    /** Updates only when the destination is the account's, as {@link #INSERT}. */
    private static final String UPDATE =
            "update alert_rules r set (name, destination_id, triggers, mode, digest_window, "
                    + FILTER_COLUMNS
                    + ", updated_at) = (:name, d.destination_id, cast(:triggers as text[]), :mode,"
                    + " cast(:window as interval), "
                    + FILTER_BINDS
                    + ", now()) from alert_destinations d where d.account_id = :account"
                    + " and d.destination_id = :destination and r.account_id = :account"
                    + " and r.rule_id = :id returning "
                    + COLUMNS;

    private final Jdbi jdbi;
    private final Set<String> checkIds;
    private final Set<String> families;

    private AlertRules(Jdbi jdbi, Set<String> checkIds) {
        this.jdbi = jdbi;
        this.checkIds = Set.copyOf(checkIds);
        this.families =
                checkIds.stream()
                        .map(id -> id.contains(".") ? id.substring(0, id.indexOf('.')) : id)
                        .collect(Collectors.toUnmodifiableSet());
    }

    /** Rules whose check-id and family filters are checked against {@code catalogue}. */
    public static AlertRules create(Jdbi jdbi, RuleSet catalogue) {
        return new AlertRules(
                jdbi,
                catalogue.checks().stream()
                        .map(CheckDefinition::id)
                        .collect(Collectors.toUnmodifiableSet()));
    }

    /** The account's rules, oldest first. */
    public List<RuleView> list(String accountId) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "select "
                                                + COLUMNS
                                                + " from alert_rules r where r.account_id ="
                                                + " :account order by r.rule_id")
                                .bind("account", accountId)
                                .map((rs, c) -> view(rs))
                                .list());
    }

    /** Rule {@code id} if it is {@code accountId}'s. */
    public Optional<RuleView> find(String accountId, long id) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "select "
                                                + COLUMNS
                                                + " from alert_rules r where r.account_id ="
                                                + " :account and r.rule_id = :id")
                                .bind("account", accountId)
                                .bind("id", id)
                                .map((rs, c) -> view(rs))
                                .findOne());
    }

    /**
     * Adds a rule to {@code accountId}, active at once.
     *
     * @throws UnknownAlertDestinationException when the destination is not the account's
     * @throws InvalidAlertSettingException for a check id or family not in the catalogue
     * @throws AlertNameTakenException when the account has a rule of that name
     */
    public RuleView create(String accountId, RuleSpec spec) {
        checkCatalogue(spec);
        return write(
                accountId,
                spec,
                () ->
                        jdbi.withHandle(
                                h ->
                                        bind(h.createQuery(INSERT), accountId, spec)
                                                .map((rs, c) -> view(rs))
                                                .findOne()));
    }

    /**
     * Replaces rule {@code id}'s settings with {@code spec} (its paused state is kept). Empty when
     * the account has no such rule.
     *
     * @throws UnknownAlertDestinationException when the destination is not the account's
     * @throws InvalidAlertSettingException for a check id or family not in the catalogue
     * @throws AlertNameTakenException when another rule of the account has that name
     */
    public Optional<RuleView> update(String accountId, long id, RuleSpec spec) {
        checkCatalogue(spec);
        try {
            return Optional.of(
                    write(
                            accountId,
                            spec,
                            () ->
                                    jdbi.withHandle(
                                            h ->
                                                    bind(h.createQuery(UPDATE), accountId, spec)
                                                            .bind("id", id)
                                                            .map((rs, c) -> view(rs))
                                                            .findOne())));
        } catch (UnknownAlertDestinationException e) {
            // The statement matched no row: the destination is not the account's, or the rule is
            // not (absent, another account's, or deleted meanwhile), which is the caller's 404.
            if (find(accountId, id).isEmpty()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Deletes rule {@code id}; its delivery log stays with the messages, no longer listed. */
    public boolean delete(String accountId, long id) {
        return jdbi.withHandle(
                        h ->
                                h.createUpdate(
                                                "delete from alert_rules where account_id ="
                                                        + " :account and rule_id = :id")
                                        .bind("account", accountId)
                                        .bind("id", id)
                                        .execute())
                > 0;
    }

    /**
     * Pauses ({@code paused}) or resumes rule {@code id}; a paused rule matches nothing. Pausing a
     * paused rule keeps its first pause time. Empty when the account has no such rule.
     */
    public Optional<RuleView> pause(String accountId, long id, boolean paused) {
        String set = paused ? "paused_at = coalesce(r.paused_at, now())" : "paused_at = null";
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "update alert_rules r set "
                                                + set
                                                + ", updated_at = now() where r.account_id ="
                                                + " :account and r.rule_id = :id returning "
                                                + COLUMNS)
                                .bind("account", accountId)
                                .bind("id", id)
                                .map((rs, c) -> view(rs))
                                .findOne());
    }

    private RuleView write(String accountId, RuleSpec spec, Supplier<Optional<RuleView>> write) {
        Optional<RuleView> written;
        try {
            written = write.get();
        } catch (RuntimeException e) {
            if (AlertRows.uniqueViolation(e)) {
                throw new AlertNameTakenException("rule", accountId, spec.name());
            }
            throw e;
        }
        return written.orElseThrow(
                () -> new UnknownAlertDestinationException(accountId, spec.destinationId()));
    }

    private void checkCatalogue(RuleSpec spec) {
        check(spec, RuleFilterField.CHECK_ID, checkIds, "GET /v1/checks lists the check ids");
        check(
                spec,
                RuleFilterField.FAMILY,
                families,
                "a family is a check id's part before the first dot, such as "
                        + String.join(", ", new TreeSet<>(families).stream().limit(5).toList()));
    }

    private static void check(RuleSpec spec, RuleFilterField f, Set<String> known, String hint) {
        RuleFilter filter = spec.filters().get(f);
        if (filter == null) {
            return;
        }
        for (String v : filter.values()) {
            if (!known.contains(v)) {
                String field = "filters." + f.wire() + (filter.negated() ? "~neq" : "");
                throw new InvalidAlertSettingException(
                        field,
                        "field '"
                                + field
                                + "' names '"
                                + v
                                + "', which is not in the check catalogue ("
                                + hint
                                + ")");
            }
        }
    }

    private static Query bind(Query q, String accountId, RuleSpec spec) {
        Duration w = spec.digestWindow();
        q.bind("account", accountId)
                .bind("name", spec.name())
                .bind("destination", spec.destinationId())
                .bind(
                        "triggers",
                        spec.orderedTriggers().stream().map(Trigger::wire).toArray(String[]::new))
                .bind("mode", spec.mode().wire())
                .bind("window", w == null ? null : w.toSeconds() + " seconds");
        for (RuleFilterField f : RuleFilterField.values()) {
            RuleFilter filter = spec.filters().get(f);
            q.bind(f.valuesColumn(), filter == null ? null : filter.values().toArray(String[]::new))
                    .bind(f.negatedColumn(), filter != null && filter.negated());
        }
        return q;
    }

    static RuleView view(ResultSet rs) throws SQLException {
        Map<RuleFilterField, RuleFilter> filters = new EnumMap<>(RuleFilterField.class);
        for (RuleFilterField f : RuleFilterField.values()) {
            List<String> values = AlertRows.texts(rs, f.valuesColumn());
            if (values != null) {
                filters.put(f, new RuleFilter(values, rs.getBoolean(f.negatedColumn())));
            }
        }
        List<String> triggers = AlertRows.texts(rs, "triggers");
        long window = rs.getLong("digest_seconds");
        boolean digest = !rs.wasNull();
        return new RuleView(
                rs.getLong("rule_id"),
                rs.getString("account_id"),
                rs.getString("name"),
                rs.getLong("destination_id"),
                (triggers == null ? List.<String>of() : triggers)
                        .stream().map(Trigger::fromWire).sorted().toList(),
                RuleMode.fromWire(rs.getString("mode")),
                digest ? Duration.ofSeconds(window) : null,
                filters,
                AlertRows.instant(rs, "paused_at"),
                AlertRows.required(rs, "created_at"),
                AlertRows.required(rs, "updated_at"));
    }
}
