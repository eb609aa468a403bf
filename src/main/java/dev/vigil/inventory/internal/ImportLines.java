package dev.vigil.inventory.internal;

import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import dev.vigil.inventory.TargetKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns one line of an import file into a target, or into the reason it is refused. Fields: {@code
 * kind} (account or zone), {@code account_id}, {@code zone_id} (zones only), {@code name}, {@code
 * plan}.
 */
public final class ImportLines {

    /** The fields of an import line, in the order of a CSV header written by hand. */
    public static final List<String> FIELDS =
            List.of("kind", "account_id", "zone_id", "name", "plan");

    private static final int MAX_ID = 200;
    private static final int MAX_NAME = 1_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ImportLines() {}

    /** A line refused, with a reason that names the field and the rule. */
    public static final class LineRejectedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public LineRejectedException(String reason) {
            super(reason);
        }
    }

    /** A JSON Lines line: one JSON object. */
    public static Target json(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JacksonException e) {
            throw new LineRejectedException("not a JSON object: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new LineRejectedException("not a JSON object");
        }
        Map<String, @Nullable String> values = new HashMap<>();
        for (String name : node.propertyNames()) {
            if (!FIELDS.contains(name)) {
                throw new LineRejectedException(
                        "unknown field '"
                                + name
                                + "' (expected "
                                + String.join(", ", FIELDS)
                                + ")");
            }
            JsonNode v = node.get(name);
            if (v.isNull()) {
                values.put(name, null);
            } else if (v.isString()) {
                values.put(name, v.stringValue());
            } else {
                throw new LineRejectedException("field '" + name + "' must be a string");
            }
        }
        return target(values);
    }

    /** The column index of each field named by a CSV header line. */
    public static Map<String, Integer> csvHeader(String header) {
        List<String> cells = csvCells(header.startsWith("\uFEFF") ? header.substring(1) : header);
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            String name = cells.get(i).trim();
            if (!FIELDS.contains(name)) {
                throw new LineRejectedException(
                        "header: unknown column '"
                                + name
                                + "' (expected "
                                + String.join(", ", FIELDS)
                                + ")");
            }
            if (columns.put(name, i) != null) {
                throw new LineRejectedException("header: column '" + name + "' appears twice");
            }
        }
        for (String required : Set.of("kind", "account_id", "name", "plan")) {
            if (!columns.containsKey(required)) {
                throw new LineRejectedException(
                        "header: required column '" + required + "' is missing");
            }
        }
        return columns;
    }

    /** A CSV data line, read with the columns of its header. */
    public static Target csv(String line, Map<String, Integer> columns) {
        List<String> cells = csvCells(line);
        if (cells.size() != columns.size()) {
            throw new LineRejectedException(
                    "has " + cells.size() + " columns, the header has " + columns.size());
        }
        Map<String, @Nullable String> values = new HashMap<>();
        columns.forEach(
                (name, i) -> values.put(name, cells.get(i).isEmpty() ? null : cells.get(i)));
        return target(values);
    }

    /** RFC 4180 cells of one line: commas separate, double quotes quote, "" is a quote. */
    static List<String> csvCells(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(c);
                }
            } else if (c == ',') {
                out.add(cell.toString());
                cell.setLength(0);
                wasQuoted = false;
            } else if (c == '"' && cell.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == '"') {
                throw new LineRejectedException(
                        "a double quote inside an unquoted cell at column " + (i + 1));
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new LineRejectedException("unterminated quoted cell (a cell may not span lines)");
        }
        out.add(cell.toString());
        return out;
    }

    private static Target target(Map<String, @Nullable String> v) {
        String rawKind = required(v, "kind");
        TargetKind kind;
        Plan plan;
        try {
            kind = TargetKind.parse(rawKind);
        } catch (IllegalArgumentException e) {
            throw new LineRejectedException("field 'kind': " + e.getMessage());
        }
        String account = id(v, "account_id");
        String name = required(v, "name");
        if (name.length() > MAX_NAME) {
            throw new LineRejectedException(
                    "field 'name' is longer than " + MAX_NAME + " characters");
        }
        try {
            plan = Plan.parse(required(v, "plan"));
        } catch (IllegalArgumentException e) {
            throw new LineRejectedException("field 'plan': " + e.getMessage());
        }
        String zone = v.get("zone_id");
        return switch (kind) {
            case ACCOUNT -> {
                if (zone != null) {
                    throw new LineRejectedException(
                            "an account line has no zone_id (got '" + zone + "'); use kind zone");
                }
                yield Target.account(account, name, plan);
            }
            case ZONE -> Target.zone(id(v, "zone_id"), account, name, plan);
        };
    }

    private static String required(Map<String, @Nullable String> v, String field) {
        String s = v.get(field);
        if (s == null || s.isBlank()) {
            throw new LineRejectedException("field '" + field + "' is required");
        }
        return s.strip();
    }

    private static String id(Map<String, @Nullable String> v, String field) {
        String s = required(v, field);
        if (s.length() > MAX_ID) {
            throw new LineRejectedException(
                    "field '" + field + "' is longer than " + MAX_ID + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new LineRejectedException(
                        "field '"
                                + field
                                + "' may not contain spaces or control characters: '"
                                + s
                                + "'");
            }
        }
        return s;
    }
}
