package dev.vigil.alerts;

import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Alert destinations, rules and messages written straight into their tables (the routes that create
 * them are another part of issue 19), and reads of what the outbox and the log hold.
 */
final class AlertFixtures {

    static final String TABLES =
            "truncate alert_destinations, alert_rules, alert_outbox, alert_messages,"
                    + " alert_attempts cascade";

    private final Jdbi jdbi;

    AlertFixtures(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A webhook destination to {@code url}, its secret sealed in {@code box} (or none). */
    long webhook(String account, String name, String url, byte[] sealedSecret) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "insert into alert_destinations (account_id, name, kind,"
                                                + " url, secret) values (:a, :n, 'webhook', :u, :s)"
                                                + " returning destination_id")
                                .bind("a", account)
                                .bind("n", name)
                                .bind("u", url)
                                .bind("s", sealedSecret)
                                .mapTo(Long.class)
                                .one());
    }

    /** An e-mail destination: no secret to open. */
    long email(String account, String name) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "insert into alert_destinations (account_id, name, kind,"
                                                + " recipients) values (:a, :n, 'email',"
                                                + " array['ops@example.com'])"
                                                + " returning destination_id")
                                .bind("a", account)
                                .bind("n", name)
                                .mapTo(Long.class)
                                .one());
    }

    /**
     * A rule of {@code account} to {@code destination}, triggered by {@code opened} only, mode
     * immediate, without filters; then {@code set} (SQL assignments such as {@code severities =
     * '{critical}', severity_negated = true}) if not empty.
     */
    long rule(String account, String name, long destination, String set) {
        return jdbi.withHandle(
                h -> {
                    long id =
                            h.createQuery(
                                            "insert into alert_rules (account_id, name,"
                                                    + " destination_id) values (:a, :n, :d)"
                                                    + " returning rule_id")
                                    .bind("a", account)
                                    .bind("n", name)
                                    .bind("d", destination)
                                    .mapTo(Long.class)
                                    .one();
                    if (!set.isBlank()) {
                        h.execute("update alert_rules set " + set + " where rule_id = ?", id);
                    }
                    return id;
                });
    }

    /** The outbox as {@code rule name/trigger} strings, in insertion order. */
    List<String> outbox() {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "select r.name || '/' || o.trigger from alert_outbox o"
                                                + " join alert_rules r using (rule_id)"
                                                + " order by o.outbox_id")
                                .mapTo(String.class)
                                .list());
    }

    List<Map<String, Object>> rows(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapToMap().list());
    }

    long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    void execute(String sql) {
        jdbi.useHandle(h -> h.execute(sql));
    }
}
