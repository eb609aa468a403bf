package dev.vigil.alerts.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.alerts.AlertEvent;
import dev.vigil.alerts.AlertMessage;
import dev.vigil.alerts.Trigger;
import dev.vigil.checks.Severity;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The three renderings of a message: what they say, and that insight text cannot escape. */
class RenderingTest {

    private static final Instant AT = Instant.parse("2026-12-03T12:00:00Z");
    private static final String HOSTILE =
            "<script>alert(1)</script> & <https://evil.example|click>";

    private static AlertEvent event(long id, Trigger t, Severity s, String subject) {
        return new AlertEvent(
                t, id, "acme", null, "dns.dangling", s, "dns", subject, "msg " + id, AT);
    }

    private static AlertMessage message(List<AlertEvent> events) {
        return new AlertMessage(
                new UUID(1, 2),
                "acme",
                7L,
                "prod",
                false,
                AT,
                events,
                URI.create("https://vigil.example.com"));
    }

    @Test
    void titleCountsEventsByTrigger() {
        AlertMessage m =
                message(
                        List.of(
                                event(1, Trigger.OPENED, Severity.LOW, "a"),
                                event(2, Trigger.OPENED, Severity.LOW, "b"),
                                event(3, Trigger.RESOLVED, Severity.LOW, "c")));

        assertThat(Digest.title(m))
                .isEqualTo("Vigil: 2 insights opened, 1 resolved in account acme (rule prod)");
        assertThat(Digest.insightLink(m.dashboard(), 3))
                .isEqualTo("https://vigil.example.com/#/insights/3");
    }

    @Test
    void emailHtmlEscapesInsightText() {
        EmailDigest d =
                EmailDigest.of(message(List.of(event(1, Trigger.OPENED, Severity.HIGH, HOSTILE))));

        assertThat(d.html())
                .doesNotContain("<script>")
                .contains(
                        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;https://evil.example|click&gt;");
        assertThat(d.text()).contains(HOSTILE);
    }

    @Test
    void emailSubjectHasNoLineBreak() {
        AlertMessage m =
                new AlertMessage(
                        new UUID(1, 2),
                        "acme",
                        7L,
                        "evil\r\nBcc: victim@example.com",
                        false,
                        AT,
                        List.of(event(1, Trigger.OPENED, Severity.HIGH, "x")),
                        URI.create("https://vigil.example.com/"));

        assertThat(EmailDigest.of(m).subject()).doesNotContain("\r", "\n");
    }

    @Test
    void slackTextCannotForgeALinkOrMention() {
        SlackMessage s =
                SlackMessage.of(message(List.of(event(1, Trigger.OPENED, Severity.HIGH, HOSTILE))));

        String section = java.util.Objects.requireNonNull(s.blocks().get(3).text()).text();
        assertThat(section)
                .startsWith("*<https://vigil.example.com/#/insights/1|&lt;script&gt;")
                .contains("&amp; &lt;https://evil.example|click&gt;>*");
    }

    @Test
    void webhookJsonIsSnakeCaseWithLinks() {
        JsonNode json =
                JsonMapper.builder()
                        .build()
                        .readTree(
                                WebhookPayload.of(
                                                message(
                                                        List.of(
                                                                event(
                                                                        9,
                                                                        Trigger.REOPENED,
                                                                        Severity.CRITICAL,
                                                                        "api"))))
                                        .json());

        assertThat(json.get("type").asString()).isEqualTo("vigil.insights");
        assertThat(json.get("timestamp").asString()).isEqualTo("2026-12-03T12:00:00Z");
        JsonNode data = json.get("data");
        assertThat(data.get("message_id").asString()).isEqualTo(new UUID(1, 2).toString());
        assertThat(data.get("rule_id").asLong()).isEqualTo(7);
        assertThat(data.get("dashboard").asString()).isEqualTo("https://vigil.example.com/");
        JsonNode e = data.get("events").get(0);
        assertThat(e.get("trigger").asString()).isEqualTo("reopened");
        assertThat(e.get("insight_id").asLong()).isEqualTo(9);
        assertThat(e.get("zone_id").isNull()).isTrue();
        assertThat(e.get("severity").asString()).isEqualTo("critical");
        assertThat(e.get("link").asString()).isEqualTo("https://vigil.example.com/#/insights/9");
    }
}
