package dev.vigil.api.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vigil.alerts.AlertDeliveries;
import dev.vigil.alerts.DestinationAndSecret;
import dev.vigil.alerts.DestinationView;
import dev.vigil.alerts.RuleFilter;
import dev.vigil.alerts.RuleFilterField;
import dev.vigil.alerts.RuleView;
import dev.vigil.alerts.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The alerting routes' answers, as they go on the wire (see openapi.yaml). */
final class AlertReplies {

    private AlertReplies() {}

    /**
     * A destination; never a secret, except {@code secret} in the answer to a webhook's creation
     * and to a rotation (absent from every other answer).
     *
     * @param url a webhook's URL; a Slack destination's host only; null for e-mail
     */
    record Destination(
            long id,
            String accountId,
            String name,
            String kind,
            @Nullable String url,
            List<String> recipients,
            Instant createdAt,
            @Nullable Instant previousSecretUntil,
            @Nullable Instant disabledAt,
            @Nullable String disabledReason,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String secret) {

        static Destination of(DestinationView v) {
            return of(v, null);
        }

        static Destination of(DestinationAndSecret d) {
            return of(d.destination(), d.secret());
        }

        private static Destination of(DestinationView v, @Nullable String secret) {
            return new Destination(
                    v.id(),
                    v.accountId(),
                    v.name(),
                    v.kind(),
                    v.url(),
                    v.recipients(),
                    v.createdAt(),
                    v.previousSecretUntil(),
                    v.disabledAt(),
                    v.disabledReason(),
                    secret);
        }

        @Override
        public String toString() {
            return "Destination[" + id + ", " + name + ", " + kind + "]";
        }
    }

    /**
     * A rule.
     *
     * @param digestWindow ISO-8601 ({@code PT5M}); null for mode immediate
     * @param filters the filters as they were given: name (or name{@code ~neq}) to values
     * @param paused whether it is paused (it matches nothing meanwhile)
     */
    record Rule(
            long id,
            String accountId,
            String name,
            long destinationId,
            List<String> triggers,
            String mode,
            @Nullable String digestWindow,
            Map<String, List<String>> filters,
            boolean paused,
            @Nullable Instant pausedAt,
            Instant createdAt,
            Instant updatedAt) {

        static Rule of(RuleView v) {
            Map<String, List<String>> filters = new LinkedHashMap<>();
            for (RuleFilterField f : RuleFilterField.values()) {
                RuleFilter filter = v.filters().get(f);
                if (filter != null) {
                    filters.put(f.wire() + (filter.negated() ? "~neq" : ""), filter.values());
                }
            }
            Duration w = v.digestWindow();
            return new Rule(
                    v.id(),
                    v.accountId(),
                    v.name(),
                    v.destinationId(),
                    v.triggers().stream().map(Trigger::wire).toList(),
                    v.mode().wire(),
                    w == null ? null : w.toString(),
                    filters,
                    v.pausedAt() != null,
                    v.pausedAt(),
                    v.createdAt(),
                    v.updatedAt());
        }
    }

    /**
     * A queued test message.
     *
     * @param status always {@code pending}: the dispatcher sends it; the delivery log shows how it
     *     went
     */
    record TestQueued(
            UUID messageId, long ruleId, long destinationId, Instant createdAt, String status) {

        static TestQueued of(AlertDeliveries.TestMessage m) {
            return new TestQueued(
                    m.messageId(), m.ruleId(), m.destinationId(), m.createdAt(), "pending");
        }
    }
}
