package dev.vigil.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Base64;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class AlertDestinationsTest {

    /** Never connected to: the refusals below come before any statement. */
    private static final Jdbi NOWHERE = Jdbi.create("jdbc:postgresql://127.0.0.1:1/none");

    @Test
    void webhookWithoutAKeyIsRefusedNamingTheSetting() {
        AlertDestinations store = AlertDestinations.create(NOWHERE, null);

        assertThatThrownBy(
                        () ->
                                store.create(
                                        "acc1",
                                        new DestinationSpec.Webhook(
                                                "w", URI.create("https://h.example/"))))
                .isInstanceOf(NoAlertSecretKeyException.class)
                .hasMessageContaining("VIGIL_ALERT_SECRET_KEY")
                .hasMessageContaining("e-mail destinations need no key");
    }

    @Test
    void slackWithoutAKeyIsRefusedToo() {
        AlertDestinations store = AlertDestinations.create(NOWHERE, null);

        assertThatThrownBy(
                        () ->
                                store.create(
                                        "acc1",
                                        new DestinationSpec.Slack(
                                                "s", URI.create("https://hooks.slack.example/x"))))
                .isInstanceOf(NoAlertSecretKeyException.class);
    }

    @Test
    void secretsAreStandardWebhooksSecretsOfFreshRandomBytes() {
        String a = AlertDestinations.newSecret();
        String b = AlertDestinations.newSecret();

        assertThat(a).startsWith("whsec_").isNotEqualTo(b);
        assertThat(Base64.getDecoder().decode(a.substring("whsec_".length())))
                .hasSize(AlertDestinations.SECRET_BYTES);
    }

    @Test
    void aSlackSpecNeverShowsItsUrl() {
        DestinationSpec.Slack s =
                new DestinationSpec.Slack(
                        "s", URI.create("https://hooks.slack.example/T/B/secret"));

        assertThat(s.toString()).contains("hooks.slack.example").doesNotContain("secret");
    }
}
