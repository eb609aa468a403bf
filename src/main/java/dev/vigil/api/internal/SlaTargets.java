package dev.vigil.api.internal;

import dev.vigil.checks.Severity;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Per-account SLA targets: how many days an insight of each severity may stay open. An account that
 * set none has {@link #DEFAULTS}; only changed targets are stored ({@code sla_targets}).
 */
final class SlaTargets {

    /** The defaults: critical 7 days, high 30, moderate 90, low 180. */
    static final Map<Severity, Integer> DEFAULTS =
            Map.of(
                    Severity.CRITICAL,
                    7,
                    Severity.HIGH,
                    30,
                    Severity.MODERATE,
                    90,
                    Severity.LOW,
                    180);

    static final int MAX_DAYS = 3_650;

    /**
     * A relation {@code sla(severity, days)} of the account bound as {@code :scope_account}: its
     * stored targets over the defaults, to join episodes with.
     */
    static final String RELATION = relationOf(":scope_account");

    /**
     * A relation {@code sla(severity, days)} of the account in {@code accountColumn}: its stored
     * targets over the defaults. Joined {@code lateral} on an episode's {@code e.account_id}, it
     * gives each row its own account's SLA, which is what a read across accounts needs.
     */
    static String relationOf(String accountColumn) {
        StringBuilder values = new StringBuilder();
        for (Severity s : Severity.values()) {
            values.append(values.isEmpty() ? "" : ", ")
                    .append("('")
                    .append(s.wire())
                    .append("', ")
                    .append(DEFAULTS.get(s))
                    .append(")");
        }
        return "select d.severity, coalesce(t.days, d.days) as days from (values "
                + values
                + ") d(severity, days) left join sla_targets t"
                + " on t.account_id = "
                + accountColumn
                + " and t.severity = d.severity";
    }

    private final Jdbi jdbi;

    SlaTargets(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The account's target per severity, most severe first. */
    Map<String, Integer> of(String accountId) {
        return jdbi.withHandle(h -> of(h, accountId));
    }

    private static Map<String, Integer> of(Handle h, String accountId) {
        Map<Severity, Integer> days = new EnumMap<>(DEFAULTS);
        h.createQuery("select severity, days from sla_targets where account_id = :a")
                .bind("a", accountId)
                .map((rs, c) -> Map.entry(rs.getString(1), rs.getInt(2)))
                .forEach(e -> days.put(Severity.parse(e.getKey()), e.getValue()));
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Severity s :
                List.of(Severity.CRITICAL, Severity.HIGH, Severity.MODERATE, Severity.LOW)) {
            out.put(s.wire(), days.get(s));
        }
        return out;
    }

    /**
     * Stores {@code changes} (severity to days) for the account and audits the change, in one
     * transaction; a severity set back to its default is stored like any other value.
     */
    void set(String accountId, Map<Severity, Integer> changes, String actor) {
        jdbi.useTransaction(
                h -> {
                    Map<String, Integer> before = of(h, accountId);
                    for (Map.Entry<Severity, Integer> c : changes.entrySet()) {
                        h.createUpdate(
                                        """
                                        insert into sla_targets (account_id, severity, days, updated_by)
                                        values (:a, :s, :d, :by)
                                        on conflict (account_id, severity) do update
                                        set days = excluded.days, updated_at = now(),
                                            updated_by = excluded.updated_by
                                        """)
                                .bind("a", accountId)
                                .bind("s", c.getKey().wire())
                                .bind("d", c.getValue())
                                .bind("by", actor)
                                .execute();
                    }
                    Map<String, Object> old = new LinkedHashMap<>();
                    Map<String, Object> now = new LinkedHashMap<>();
                    for (Map.Entry<Severity, Integer> c : changes.entrySet()) {
                        old.put(c.getKey().wire(), before.get(c.getKey().wire()));
                        now.put(c.getKey().wire(), c.getValue());
                    }
                    h.createUpdate(
                                    "insert into audit_log (account_id, action, changed_by, detail)"
                                            + " values (:a, 'sla_changed', :by, cast(:detail as jsonb))")
                            .bind("a", accountId)
                            .bind("by", actor)
                            .bind(
                                    "detail",
                                    new String(
                                            Json.bytes(
                                                    Map.of(
                                                            "field", "sla_days",
                                                            "old", old,
                                                            "new", now)),
                                            StandardCharsets.UTF_8))
                            .execute();
                });
    }
}
