package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.app.Wiring;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The alert destination routes over HTTP on a real PostgreSQL: secrets answered once and stored
 * only sealed, rotation, Slack URLs never shown, validation naming the field, the missing key.
 */
class AlertDestinationsIT {

    @RegisterExtension static final AlertingApi alerting = new AlertingApi();

    private static byte[] column(String column, long destination) {
        return alerting.api()
                .jdbi
                .withHandle(
                        h ->
                                h.createQuery(
                                                "select "
                                                        + column
                                                        + " from alert_destinations where destination_id"
                                                        + " = :d")
                                        .bind("d", destination)
                                        .mapTo(byte[].class)
                                        .one());
    }

    @Test
    void webhookSecretIsAnsweredOnceAndStoredOnlySealed() throws Exception {
        JsonNode d =
                alerting.created(
                        "destinations",
                        "{\"name\": \"ops\", \"kind\": \"webhook\", \"url\":"
                                + " \"https://hooks.example.com/vigil\"}");
        String secret = d.get("secret").asString();
        long id = d.get("id").asLong();

        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(24);
        assertThat(d.get("url").asString()).isEqualTo("https://hooks.example.com/vigil");
        JsonNode again =
                alerting.api()
                        .get(AlertingApi.BASE + "destinations/" + id, alerting.reader())
                        .get("result");
        assertThat(again.has("secret")).as("a second read has no secret").isFalse();
        assertThat(
                        alerting.api()
                                .get(AlertingApi.BASE + "destinations", alerting.reader())
                                .toString())
                .doesNotContain(secret);
        byte[] stored = column("secret", id);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1))
                .doesNotContain(secret)
                .doesNotContain(secret.substring(6));
        assertThat(alerting.box().open("acc1", stored)).isEqualTo(secret);
    }

    @Test
    void rotationAnswersANewSecretAndKeepsTheOldOneSigningForADay() throws Exception {
        JsonNode d =
                alerting.created(
                        "destinations",
                        "{\"name\": \"ops\", \"kind\": \"webhook\", \"url\":"
                                + " \"https://hooks.example.com/vigil\"}");
        long id = d.get("id").asLong();
        String old = d.get("secret").asString();

        HttpResponse<String> r = alerting.post("destinations/" + id + "/rotate-secret", null);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode rotated = ApiHarness.JSON.readTree(r.body()).get("result");
        String fresh = rotated.get("secret").asString();
        assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);
        Instant until = Instant.parse(rotated.get("previous_secret_until").asString());
        assertThat(until)
                .isBetween(
                        Instant.now().plus(Duration.ofHours(23)),
                        Instant.now().plus(Duration.ofHours(25)));
        assertThat(alerting.box().open("acc1", column("secret", id))).isEqualTo(fresh);
        assertThat(alerting.box().open("acc1", column("previous_secret", id))).isEqualTo(old);
        assertThat(
                        alerting.api()
                                .get(AlertingApi.BASE + "destinations/" + id, alerting.reader())
                                .get("result")
                                .has("secret"))
                .isFalse();
    }

    @Test
    void slackUrlIsSealedAndOnlyItsHostIsEverShown() throws Exception {
        String url = "https://hooks.slack.example/services/T000/B000/sEcReTpAtH";
        JsonNode d =
                alerting.created(
                        "destinations",
                        "{\"name\": \"chat\", \"kind\": \"slack\", \"webhook_url\": \""
                                + url
                                + "\"}");
        long id = d.get("id").asLong();

        assertThat(d.get("url").asString()).isEqualTo("hooks.slack.example");
        assertThat(d.has("secret")).isFalse();
        assertThat(
                        alerting.api()
                                .get(AlertingApi.BASE + "destinations/" + id, alerting.reader())
                                .toString())
                .doesNotContain("sEcReTpAtH");
        assertThat(alerting.box().open("acc1", column("secret", id))).isEqualTo(url);
    }

    @Test
    void destinationSettingsAreValidatedNamingTheField() throws Exception {
        record Case(String body, String field) {}
        List<Case> cases =
                List.of(
                        new Case(
                                "{\"name\": \"a\", \"kind\": \"webhook\", \"url\": \"ftp://h/x\"}",
                                "url"),
                        new Case(
                                "{\"name\": \"a\", \"kind\": \"webhook\", \"url\": \"/relative\"}",
                                "url"),
                        new Case(
                                "{\"name\": \"a\", \"kind\": \"webhook\", \"url\":"
                                        + " \"https://u:p@hooks.example.com/\"}",
                                "url"),
                        new Case("{\"name\": \"a\", \"kind\": \"pager\"}", "kind"),
                        new Case(
                                "{\"name\": \"a\", \"kind\": \"email\", \"recipients\":"
                                        + " [\"ok@example.com\", \"not an address\"]}",
                                "recipients[1]"),
                        new Case(
                                "{\"name\": \"a\", \"kind\": \"webhook\", \"url\":"
                                        + " \"https://h.example/\", \"recipients\": []}",
                                "recipients"),
                        new Case(
                                "{\"kind\": \"email\", \"recipients\": [\"a@example.com\"]}",
                                "name"),
                        new Case(
                                "{\"name\": \"a\", \"kind\": \"email\", \"recipients\":"
                                        + " [\"a@example.com\"], \"colour\": 1}",
                                "colour"));
        for (Case c : cases) {
            HttpResponse<String> r = alerting.post("destinations", c.body());

            assertThat(r.statusCode()).as(c.body() + " -> " + r.body()).isEqualTo(400);
            assertThat(AlertFixtures.problemField(r)).as(c.body()).isEqualTo(c.field());
        }
        assertThat(alerting.api().count("select count(*) from alert_destinations")).isZero();
    }

    @Test
    void aSecondDestinationOfTheSameNameIsAConflict() throws Exception {
        alerting.webhook("ops");

        HttpResponse<String> r =
                alerting.post(
                        "destinations",
                        "{\"name\": \"ops\", \"kind\": \"email\", \"recipients\":"
                                + " [\"a@example.com\"]}");

        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(AlertFixtures.problemField(r)).isEqualTo("name");
    }

    @Test
    void aChangeKeepsTheKindAndTheWebhookSecret() throws Exception {
        long id = alerting.webhook("ops");
        byte[] sealed = column("secret", id);

        JsonNode changed =
                alerting.api()
                        .call(
                                "PUT",
                                AlertingApi.BASE + "destinations/" + id,
                                alerting.writer(),
                                "{\"name\": \"ops2\", \"kind\": \"webhook\", \"url\":"
                                        + " \"https://other.example.com/hook\"}")
                        .get("result");

        assertThat(changed.get("name").asString()).isEqualTo("ops2");
        assertThat(changed.get("url").asString()).isEqualTo("https://other.example.com/hook");
        assertThat(changed.has("secret")).isFalse();
        assertThat(column("secret", id)).isEqualTo(sealed);
        HttpResponse<String> kind =
                alerting.api()
                        .send(
                                "PUT",
                                AlertingApi.BASE + "destinations/" + id,
                                alerting.writer(),
                                "{\"name\": \"ops2\", \"kind\": \"email\", \"recipients\":"
                                        + " [\"a@example.com\"]}");
        assertThat(kind.statusCode()).isEqualTo(400);
        assertThat(AlertFixtures.problemField(kind)).isEqualTo("kind");
    }

    @Test
    void onlyAWebhookHasASecretToRotate() throws Exception {
        long id =
                alerting.created(
                                "destinations",
                                "{\"name\": \"mail\", \"kind\": \"email\", \"recipients\":"
                                        + " [\"a@example.com\"]}")
                        .get("id")
                        .asLong();

        HttpResponse<String> r = alerting.post("destinations/" + id + "/rotate-secret", null);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(AlertFixtures.problemField(r)).isEqualTo("destination_id");
        assertThat(alerting.post("destinations/999999/rotate-secret", null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void deletingADestinationDeletesItsRules() throws Exception {
        long id = alerting.webhook("ops");
        alerting.created("rules", "{\"name\": \"r\", \"destination_id\": " + id + "}");

        assertThat(
                        alerting.api()
                                .send(
                                        "DELETE",
                                        AlertingApi.BASE + "destinations/" + id,
                                        alerting.writer(),
                                        null)
                                .statusCode())
                .isEqualTo(204);

        assertThat(alerting.api().count("select count(*) from alert_rules")).isZero();
        assertThat(
                        alerting.api()
                                .send(
                                        "GET",
                                        AlertingApi.BASE + "destinations/" + id,
                                        alerting.reader(),
                                        null)
                                .statusCode())
                .isEqualTo(404);
    }

    @Test
    void withoutAKeyOnlyEmailDestinationsCanBeMade() throws Exception {
        try (ApiServer keyless =
                Wiring.api(
                        ApiServer.Options.of(
                                ApiSettings.defaults().withPort(0), alerting.api().pg.dataSource()),
                        null)) {
            java.net.URI base = keyless.baseUrl().resolve(AlertingApi.BASE + "destinations");
            HttpResponse<String> hook =
                    alerting.api()
                            .http
                            .send(
                                    java.net.http.HttpRequest.newBuilder(base)
                                            .header("Authorization", "Bearer " + alerting.writer())
                                            .POST(
                                                    java.net.http.HttpRequest.BodyPublishers
                                                            .ofString(
                                                                    "{\"name\": \"w\", \"kind\": \"webhook\","
                                                                            + " \"url\": \"https://h.example/\"}"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> mail =
                    alerting.api()
                            .http
                            .send(
                                    java.net.http.HttpRequest.newBuilder(base)
                                            .header("Authorization", "Bearer " + alerting.writer())
                                            .POST(
                                                    java.net.http.HttpRequest.BodyPublishers
                                                            .ofString(
                                                                    "{\"name\": \"m\", \"kind\": \"email\","
                                                                            + " \"recipients\": [\"a@example.com\"]}"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());

            assertThat(hook.statusCode()).as(hook.body()).isEqualTo(503);
            assertThat(hook.body()).contains("VIGIL_ALERT_SECRET_KEY");
            assertThat(mail.statusCode()).as(mail.body()).isEqualTo(201);
        }
        assertThat(
                        alerting.api()
                                .count(
                                        "select count(*) from alert_destinations where kind = 'webhook'"))
                .isZero();
    }
}
