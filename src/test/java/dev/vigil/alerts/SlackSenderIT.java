package dev.vigil.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.Env;
import dev.vigil.testing.AlertReceiver;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link SlackSender} through {@link Senders} against a Slack-shaped receiver on 127.0.0.1 (an
 * incoming webhook answers 200 {@code ok}, and 404 {@code no_service} once it is removed).
 */
class SlackSenderIT {

    /** The path is the secret of a Slack incoming webhook. */
    private static final String SECRET_PATH = "/services/T0000/B0000/XXXXsecretXXXX";

    private final Senders senders =
            Senders.create(
                    SenderConfig.from(Env.of(Map.of("VIGIL_ALERT_ALLOWED_HOSTS", "127.0.0.1"))),
                    host -> {
                        throw new AssertionError("no DNS lookup in tests: " + host);
                    },
                    Clock.systemUTC());
    private final AlertReceiver slack = AlertReceiver.start("127.0.0.1", List.of());

    @AfterEach
    void close() {
        slack.close();
        senders.close();
    }

    private Destination.Slack destination() {
        return new Destination.Slack(8, "acme", "team", slack.url(SECRET_PATH));
    }

    @Test
    void messageIsBlockKitWithCountsTheTopTenAndTheRest() {
        DeliveryOutcome o = senders.send(Samples.many(15), destination());

        assertThat(o).isInstanceOf(DeliveryOutcome.Delivered.class);
        JsonNode json = JsonMapper.builder().build().readTree(slack.received().getFirst().body());
        assertThat(json.get("text").asString())
                .isEqualTo("Vigil: 15 insights opened in account acme (rule prod-critical)");
        JsonNode blocks = json.get("blocks");
        assertThat(blocks.get(0).get("type").asString()).isEqualTo("header");
        assertThat(blocks.get(0).get("text").get("type").asString()).isEqualTo("plain_text");
        assertThat(blocks.get(1).get("text").get("text").asString())
                .isEqualTo("*Critical*: 3   *High*: 4   *Moderate*: 4   *Low*: 4");
        assertThat(blocks.get(2).get("type").asString()).isEqualTo("divider");
        List<JsonNode> sections = blocks.valueStream().skip(3).limit(10).toList();
        assertThat(sections)
                .allSatisfy(b -> assertThat(b.get("type").asString()).isEqualTo("section"));
        assertThat(sections.getFirst().get("text").get("text").asString())
                .startsWith("*<https://vigil.example.com/#/insights/1003|host-3.acme.example>*")
                .contains("Critical · opened · `tls.min_version` · zone zone-1");
        JsonNode last = blocks.get(blocks.size() - 1);
        assertThat(last.get("type").asString()).isEqualTo("context");
        assertThat(last.get("elements").get(0).get("text").asString())
                .isEqualTo("and 5 more · <https://vigil.example.com/|Open the Vigil dashboard>");
        assertThat(blocks.size()).isEqualTo(14);
    }

    @Test
    void removedWebhookIsGoneNamingOnlyTheHost() {
        slack.script(AlertReceiver.Reply.of(404, "no_service"));

        DeliveryOutcome o = senders.send(Samples.message(), destination());

        assertThat(o).isInstanceOf(DeliveryOutcome.Gone.class);
        String error = ((DeliveryOutcome.Gone) o).error();
        assertThat(error).startsWith("Slack (127.0.0.1) answered 404: no_service");
        assertThat(error).doesNotContain("services", "secret");
    }

    @Test
    void archivedChannelIsGone() {
        slack.script(AlertReceiver.Reply.of(410, "channel_is_archived"));

        assertThat(senders.send(Samples.message(), destination()))
                .isInstanceOf(DeliveryOutcome.Gone.class);
    }

    @Test
    void badPayloadIsRefusedAndRateLimitRetried() {
        slack.script(
                AlertReceiver.Reply.of(400, "invalid_payload"),
                AlertReceiver.Reply.withHeader(429, "Retry-After", "1"));

        assertThat(senders.send(Samples.message(), destination()))
                .isInstanceOf(DeliveryOutcome.Refused.class);
        assertThat(senders.send(Samples.message(), destination()))
                .isInstanceOf(DeliveryOutcome.Retry.class);
    }

    @Test
    void refusedDestinationErrorNamesNoPath() {
        DeliveryOutcome o =
                senders.send(
                        Samples.message(),
                        new Destination.Slack(
                                8, "acme", "team", URI.create("http://10.0.0.1" + SECRET_PATH)));

        assertThat(o).isInstanceOf(DeliveryOutcome.Refused.class);
        assertThat(((DeliveryOutcome.Refused) o).error())
                .isEqualTo("10.0.0.1 is a private address, not in VIGIL_ALERT_ALLOWED_HOSTS");
        assertThat(slack.received()).isEmpty();
    }
}
