package dev.vigil.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.alerts.DestinationSpec;
import dev.vigil.alerts.InvalidAlertSettingException;
import dev.vigil.alerts.RuleFilter;
import dev.vigil.alerts.RuleFilterField;
import dev.vigil.alerts.RuleMode;
import dev.vigil.alerts.RuleSpec;
import dev.vigil.alerts.Trigger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertBodiesTest {

    private static RuleSpec rule(String json) {
        return AlertBodies.rule(Json.MAPPER.readTree(json));
    }

    private static String refusedField(Runnable r) {
        try {
            r.run();
        } catch (ApiProblem p) {
            assertThat(p.status()).isEqualTo(400);
            return String.valueOf(p.field());
        } catch (InvalidAlertSettingException e) {
            return e.field();
        }
        throw new AssertionError("not refused");
    }

    @Test
    void filtersTakeTheInsightFiltersNamesAndNegation() {
        RuleSpec spec =
                rule(
                        "{\"name\": \"r\", \"destination_id\": 7, \"filters\": {\"severity\":"
                                + " [\"critical\", \"high\"], \"zone_id~neq\": [\"z1\"]}}");

        assertThat(spec.filters())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                RuleFilterField.SEVERITY,
                                new RuleFilter(List.of("critical", "high"), false),
                                RuleFilterField.ZONE_ID,
                                new RuleFilter(List.of("z1"), true)));
    }

    @Test
    void defaultsAreOpenedAndImmediate() {
        RuleSpec spec = rule("{\"name\": \"r\", \"destination_id\": 7}");

        assertThat(spec.triggers()).containsExactly(Trigger.OPENED);
        assertThat(spec.mode()).isEqualTo(RuleMode.IMMEDIATE);
        assertThat(spec.digestWindow()).isNull();
        assertThat(spec.filters()).isEmpty();
    }

    @Test
    void aDigestWindowAloneMeansDigestMode() {
        RuleSpec spec =
                rule("{\"name\": \"r\", \"destination_id\": 7, \"digest_window\": \"PT5M\"}");

        assertThat(spec.mode()).isEqualTo(RuleMode.DIGEST);
        assertThat(spec.digestWindow()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void repeatedFilterValuesAreKeptOnce() {
        RuleSpec spec =
                rule(
                        "{\"name\": \"r\", \"destination_id\": 7, \"filters\": {\"severity\":"
                                + " [\"low\", \"low\"]}}");

        assertThat(spec.filters().get(RuleFilterField.SEVERITY).values()).containsExactly("low");
    }

    @Test
    void ruleRefusalsNameTheField() {
        String head = "{\"name\": \"r\", \"destination_id\": 7";
        Map<String, String> cases =
                Map.ofEntries(
                        Map.entry(
                                ", \"filters\": {\"severity\": [\"urgent\"]}}", "filters.severity"),
                        Map.entry(
                                ", \"filters\": {\"issue_type~neq\": [\"x\"]}}",
                                "filters.issue_type~neq"),
                        Map.entry(", \"filters\": {\"severity\": \"high\"}}", "filters.severity"),
                        Map.entry(", \"filters\": {\"zone_id\": [1]}}", "filters.zone_id[0]"),
                        Map.entry(", \"filters\": [\"severity\"]}", "filters"),
                        Map.entry(", \"filters\": {\"status\": [\"open\"]}}", "filters.status"),
                        Map.entry(
                                ", \"filters\": {\"zone_id~neq\": [\"a\"], \"zone_id\": [\"b\"]}}",
                                "filters.zone_id"),
                        Map.entry(", \"digest_window\": \"PT29S\"}", "digest_window"),
                        Map.entry(", \"digest_window\": \"PT24H1S\"}", "digest_window"),
                        Map.entry(", \"triggers\": [\"opened\", 3]}", "triggers[1]"),
                        Map.entry(", \"mode\": \"digest\"}", "digest_window"));
        cases.forEach(
                (rest, field) ->
                        assertThat(refusedField(() -> rule(head + rest)))
                                .as(rest)
                                .isEqualTo(field));
        assertThat(refusedField(() -> rule("{\"name\": \"r\"}"))).isEqualTo("destination_id");
        assertThat(refusedField(() -> rule("{\"name\": \"r\", \"destination_id\": \"7\"}")))
                .isEqualTo("destination_id");
        assertThat(refusedField(() -> rule("{\"name\": \" \", \"destination_id\": 7}")))
                .isEqualTo("name");
    }

    @Test
    void windowBoundsAreInclusive() {
        assertThat(
                        rule("{\"name\": \"r\", \"destination_id\": 7, \"digest_window\": \"PT30S\"}")
                                .digestWindow())
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(
                        rule("{\"name\": \"r\", \"destination_id\": 7, \"digest_window\": \"PT24H\"}")
                                .digestWindow())
                .isEqualTo(Duration.ofHours(24));
    }

    @Test
    void tooManyFilterValuesAreRefused() {
        StringBuilder zones = new StringBuilder();
        for (int i = 0; i <= RuleSpec.MAX_FILTER_VALUES; i++) {
            zones.append(i == 0 ? "" : ",").append("\"z").append(i).append('"');
        }
        String body =
                "{\"name\": \"r\", \"destination_id\": 7, \"filters\": {\"zone_id\": ["
                        + zones
                        + "]}}";

        assertThat(refusedField(() -> rule(body))).isEqualTo("filters");
    }

    @Test
    void destinationTakesOnlyTheSettingsOfItsKind() {
        DestinationSpec spec =
                AlertBodies.destination(
                        Json.MAPPER.readTree(
                                "{\"name\": \"ops\", \"kind\": \"email\", \"recipients\":"
                                        + " [\" ops@example.com \"]}"));

        assertThat(spec).isEqualTo(new DestinationSpec.Email("ops", List.of("ops@example.com")));
        assertThat(
                        refusedField(
                                () ->
                                        AlertBodies.destination(
                                                Json.MAPPER.readTree(
                                                        "{\"name\": \"ops\", \"kind\": \"slack\","
                                                                + " \"url\": \"https://h.example/\"}"))))
                .isEqualTo("url");
    }

    @Test
    void destinationUrlsMustBeAbsoluteHttpWithoutUserInfo() {
        for (String url :
                List.of(
                        "ftp://h.example/x",
                        "/relative",
                        "https://user:pw@h.example/",
                        "https:///nohost",
                        "mailto:a@example.com")) {
            assertThatThrownBy(() -> new DestinationSpec.Webhook("w", java.net.URI.create(url)))
                    .as(url)
                    .isInstanceOfSatisfying(
                            InvalidAlertSettingException.class,
                            e -> assertThat(e.field()).isEqualTo("url"));
        }
        assertThat(
                        new DestinationSpec.Webhook(
                                        "w", java.net.URI.create("HTTP://h.example:8443/p?q=1"))
                                .url())
                .hasHost("h.example");
    }

    @Test
    void recipientsMustBePlainAddresses() {
        for (String a :
                List.of(
                        "nobody",
                        "a@b",
                        "A <a@example.com>",
                        "a@@example.com",
                        "a b@example.com")) {
            assertThatThrownBy(() -> new DestinationSpec.Email("m", List.of("ok@example.com", a)))
                    .as(a)
                    .isInstanceOfSatisfying(
                            InvalidAlertSettingException.class,
                            e -> assertThat(e.field()).isEqualTo("recipients[1]"));
        }
        assertThat(
                        Set.copyOf(
                                new DestinationSpec.Email("m", List.of("a.b+c@mail.example.org"))
                                        .recipients()))
                .containsExactly("a.b+c@mail.example.org");
    }
}
