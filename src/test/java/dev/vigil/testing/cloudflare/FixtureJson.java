package dev.vigil.testing.cloudflare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the fleet's fixture files. A string value of the form {@code now}, {@code now-90d} or
 * {@code now+30d} (also {@code h} for hours) becomes that instant, in the API's ISO-8601 form, at
 * load time: the token checks compare last use with the scan's clock, so a fixed date would turn a
 * "recently used" token stale a few months after the fixture was written.
 */
public final class FixtureJson {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final Pattern RELATIVE = Pattern.compile("now(?:([+-])(\\d+)([dh]))?");

    private FixtureJson() {}

    /** The file's JSON with relative instants resolved against {@code now}. */
    public static JsonNode read(Path file, Instant now) {
        try {
            return resolve(JSON.readTree(Files.readString(file)), now);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture " + file, e);
        } catch (JacksonException e) {
            throw new IllegalStateException(
                    "fixture " + file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A copy of {@code node} with every relative instant resolved against {@code now}. */
    public static JsonNode resolve(JsonNode node, Instant now) {
        if (node.isString()) {
            Matcher m = RELATIVE.matcher(node.asString());
            if (!m.matches()) {
                return node;
            }
            Instant at = now.truncatedTo(ChronoUnit.SECONDS);
            if (m.group(1) != null) {
                long n = Long.parseLong(m.group(2));
                Duration d = m.group(3).equals("d") ? Duration.ofDays(n) : Duration.ofHours(n);
                at = m.group(1).equals("-") ? at.minus(d) : at.plus(d);
            }
            return NODES.stringNode(at.toString());
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            node.forEach(e -> out.add(resolve(e, now)));
            return out;
        }
        if (node.isObject()) {
            ObjectNode out = NODES.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.set(e.getKey(), resolve(e.getValue(), now));
            }
            return out;
        }
        return node;
    }

    static String write(JsonNode node) {
        return JSON.writeValueAsString(node);
    }
}
