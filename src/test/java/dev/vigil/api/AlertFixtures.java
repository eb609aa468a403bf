package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;

/** Alerting rows written straight to the database, and calls of the alerting routes, for tests. */
final class AlertFixtures {

    private AlertFixtures() {}

    /** An e-mail destination (no secret, so no key is needed) with a chosen id. */
    static long emailDestination(
            ApiHarness api, long id, String account, String name, String recipient) {
        return api.jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "insert into alert_destinations (destination_id,"
                                                + " account_id, name, kind, recipients) values"
                                                + " (:id, :a, :n, 'email', array[:r]) returning"
                                                + " destination_id")
                                .bind("id", id)
                                .bind("a", account)
                                .bind("n", name)
                                .bind("r", recipient)
                                .mapTo(Long.class)
                                .one());
    }

    /** A rule of every opened insight, with a chosen id. */
    static long rule(ApiHarness api, long id, String account, String name, long destination) {
        return api.jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "insert into alert_rules (rule_id, account_id, name,"
                                                + " destination_id) values (:id, :a, :n, :d)"
                                                + " returning rule_id")
                                .bind("id", id)
                                .bind("a", account)
                                .bind("n", name)
                                .bind("d", destination)
                                .mapTo(Long.class)
                                .one());
    }

    /** A failed message of {@code rule} with one refused attempt, both carrying {@code error}. */
    static void failedMessage(
            ApiHarness api, String messageId, String account, long rule, long dest, String error) {
        api.pg.execute(
                "insert into alert_messages (message_id, rule_id, account_id, destination_id,"
                        + " events, status, attempts, last_error) values ('%s', %d, '%s', %d, 3,"
                                .formatted(messageId, rule, account, dest)
                        + " 'failed', 1, '%s')".formatted(error),
                "insert into alert_attempts (message_id, attempt, outcome, status_code, error)"
                        + " values ('%s', 1, 'refused', 400, '%s')".formatted(messageId, error));
    }

    /** Everything a request could change of {@code account}'s alerting, as one string. */
    static String state(ApiHarness api, String account) {
        return api.jdbi.withHandle(
                h ->
                        h.createQuery(
                                        "select concat_ws('|', (select string_agg(name || kind"
                                                + " || array_to_string(recipients, ';') ||"
                                                + " coalesce(url, '') || coalesce(cast("
                                                + "previous_secret_until as text), ''), ','"
                                                + " order by destination_id) from"
                                                + " alert_destinations where account_id = :a),"
                                                + " (select string_agg(name || destination_id ||"
                                                + " coalesce(cast(paused_at as text), 'active'),"
                                                + " ',' order by rule_id) from alert_rules where"
                                                + " account_id = :a), (select count(*) from"
                                                + " alert_messages where account_id = :a))")
                                .bind("a", account)
                                .mapTo(String.class)
                                .one());
    }

    /** POST {@code path} (under the account's alerting routes), which must answer 201. */
    static JsonNode created(ApiHarness api, String token, String path, String body)
            throws Exception {
        HttpResponse<String> r = api.send("POST", path, token, body);
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(201);
        return ApiHarness.JSON.readTree(r.body()).get("result");
    }

    /** The {@code field} of a problem answer. */
    static String problemField(HttpResponse<String> r) {
        return ApiHarness.JSON.readTree(r.body()).get("field").asString();
    }
}
