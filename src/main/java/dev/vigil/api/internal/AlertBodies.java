package dev.vigil.api.internal;

import dev.vigil.alerts.DestinationSpec;
import dev.vigil.alerts.RuleFilter;
import dev.vigil.alerts.RuleFilterField;
import dev.vigil.alerts.RuleMode;
import dev.vigil.alerts.RuleSpec;
import dev.vigil.alerts.Trigger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The alerting routes' request bodies as the alerts feature's specs. Shapes are checked here (which
 * fields, which JSON types, which names); the specs check the values. Every refusal names the
 * field.
 *
 * <p>Filters use the insight filters' names and negation: an object from a filter name, or the name
 * with {@code ~neq} for its negation, to a list of values, e.g. {@code {"severity": ["critical",
 * "high"], "zone_id~neq": ["z1"]}} (OR within a filter, AND across them). A filter is given plain
 * or negated, not both.
 */
final class AlertBodies {

    /** The fields of a destination body. */
    static final Set<String> DESTINATION_FIELDS =
            Set.of("name", "kind", "url", "webhook_url", "recipients");

    /** The fields of a rule body. */
    static final Set<String> RULE_FIELDS =
            Set.of("name", "destination_id", "triggers", "mode", "digest_window", "filters");

    private static final String NEQ = "~neq";

    private AlertBodies() {}

    /** A destination body as a spec; only the fields of its kind may be given. */
    static DestinationSpec destination(JsonNode body) {
        String name = required(body, "name");
        String kind = required(body, "kind");
        Set<String> own =
                switch (kind) {
                    case "webhook" -> Set.of("url");
                    case "slack" -> Set.of("webhook_url");
                    case "email" -> Set.of("recipients");
                    default ->
                            throw ApiProblem.badRequest(
                                    "kind",
                                    "field 'kind' has an unknown value '"
                                            + kind
                                            + "' (expected webhook, slack or email)");
                };
        for (String f : List.of("url", "webhook_url", "recipients")) {
            if (body.has(f) && !own.contains(f)) {
                throw ApiProblem.badRequest(
                        f, "field '" + f + "' is not a setting of a " + kind + " destination");
            }
        }
        return switch (kind) {
            case "webhook" -> new DestinationSpec.Webhook(name, uri(body, "url"));
            case "slack" -> new DestinationSpec.Slack(name, uri(body, "webhook_url"));
            default -> new DestinationSpec.Email(name, strings(body, "recipients", true));
        };
    }

    /**
     * A rule body as a spec: {@code triggers} default to {@code [opened]}; {@code mode} defaults to
     * {@code digest} when a {@code digest_window} is given, else {@code immediate}.
     */
    static RuleSpec rule(JsonNode body) {
        String name = required(body, "name");
        JsonNode dest = body.get("destination_id");
        if (dest == null || !dest.isIntegralNumber() || !dest.canConvertToLong()) {
            throw ApiProblem.badRequest(
                    "destination_id",
                    "field 'destination_id' is required: the id of one of the account's"
                            + " destinations");
        }
        Set<Trigger> triggers = EnumSet.noneOf(Trigger.class);
        if (body.has("triggers") && !body.get("triggers").isNull()) {
            List<String> raw = strings(body, "triggers", true);
            for (int i = 0; i < raw.size(); i++) {
                try {
                    triggers.add(Trigger.fromWire(raw.get(i)));
                } catch (IllegalArgumentException e) {
                    String field = "triggers[" + i + "]";
                    throw ApiProblem.badRequest(field, "field '" + field + "': " + e.getMessage());
                }
            }
        } else {
            triggers.add(Trigger.OPENED);
        }
        Duration window = window(body);
        String rawMode = Bodies.text(body, "mode");
        RuleMode mode;
        try {
            mode =
                    rawMode != null
                            ? RuleMode.fromWire(rawMode)
                            : window != null ? RuleMode.DIGEST : RuleMode.IMMEDIATE;
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("mode", "field 'mode': " + e.getMessage());
        }
        return new RuleSpec(name, dest.longValue(), triggers, mode, window, filters(body));
    }

    /** {@code digest_window} as an ISO-8601 duration ({@code PT5M}); null when absent. */
    private static @Nullable Duration window(JsonNode body) {
        String raw = Bodies.text(body, "digest_window");
        if (raw == null) {
            return null;
        }
        try {
            return Duration.parse(raw.strip());
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest(
                    "digest_window",
                    "field 'digest_window' must be an ISO-8601 duration such as PT5M or PT1H, got '"
                            + raw
                            + "'");
        }
    }

    /** The {@code filters} object: filter name (or name{@code ~neq}) to a list of values. */
    static Map<RuleFilterField, RuleFilter> filters(JsonNode body) {
        Map<RuleFilterField, RuleFilter> out = new EnumMap<>(RuleFilterField.class);
        JsonNode f = body.get("filters");
        if (f == null || f.isNull()) {
            return out;
        }
        if (!f.isObject()) {
            throw ApiProblem.badRequest(
                    "filters",
                    "field 'filters' must be an object such as {\"severity\": [\"critical\"],"
                            + " \"zone_id~neq\": [\"z1\"]}");
        }
        for (String key : f.propertyNames()) {
            boolean negated = key.endsWith(NEQ);
            String name = negated ? key.substring(0, key.length() - NEQ.length()) : key;
            String field = "filters." + key;
            RuleFilterField ff;
            try {
                ff = RuleFilterField.fromWire(name);
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest(field, "field '" + field + "': " + e.getMessage());
            }
            if (out.containsKey(ff)) {
                throw ApiProblem.badRequest(
                        field,
                        "field '"
                                + field
                                + "': filter "
                                + name
                                + " is given both plain and negated; a rule holds one of them");
            }
            out.put(ff, new RuleFilter(strings(f, key, "filters."), negated));
        }
        return out;
    }

    private static String required(JsonNode body, String name) {
        String v = Bodies.text(body, name);
        if (v == null) {
            throw ApiProblem.badRequest(name, "field '" + name + "' is required");
        }
        return v;
    }

    private static URI uri(JsonNode body, String name) {
        String raw = required(body, name);
        try {
            return new URI(raw.strip());
        } catch (URISyntaxException e) {
            throw ApiProblem.badRequest(
                    name, "field '" + name + "' is not a URL: " + e.getReason());
        }
    }

    private static List<String> strings(JsonNode body, String name, boolean required) {
        if (required && (!body.has(name) || body.get(name).isNull())) {
            throw ApiProblem.badRequest(name, "field '" + name + "' is required: an array");
        }
        return strings(body, name, "");
    }

    /** The array of strings {@code name} of {@code node}; {@code prefix} + name is the field. */
    private static List<String> strings(JsonNode node, String name, String prefix) {
        String field = prefix + name;
        JsonNode v = node.get(name);
        if (v == null || !v.isArray()) {
            throw ApiProblem.badRequest(field, "field '" + field + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isString()) {
                String at = field + "[" + i + "]";
                throw ApiProblem.badRequest(at, "field '" + at + "' must be a string");
            }
            out.add(e.stringValue());
        }
        return out;
    }
}
