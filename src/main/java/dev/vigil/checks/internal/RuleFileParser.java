package dev.vigil.checks.internal;

import dev.vigil.checks.CheckDefinition;
import dev.vigil.checks.IssueType;
import dev.vigil.checks.RuleSetException;
import dev.vigil.checks.Severity;
import dev.vigil.inventory.TargetKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads one rule file's YAML into a {@link ParsedRule}, refusing unknown and missing fields with
 * the file, line, field and reason.
 */
public final class RuleFileParser {

    static final Set<String> FIELDS =
            Set.of(
                    "id",
                    "applies_to",
                    "title",
                    "description",
                    "issue_type",
                    "severity",
                    "risk",
                    "remediation",
                    "references",
                    "compliance",
                    "reads",
                    "on_missing",
                    "applies",
                    "for_each",
                    "resource_key",
                    "assert",
                    "message",
                    "context");
    static final Set<String> COMPLIANCE_FRAMEWORKS = Set.of("cis_v8", "nist_800_53", "pci_dss_4");
    private static final Pattern ID = Pattern.compile("[a-z0-9]+(\\.[a-z0-9_]+)+");

    /**
     * A top-level member of the document in an expression: {@code doc.name} or {@code doc.?name}.
     */
    private static final Pattern DOC_SECTION =
            Pattern.compile("\\bdoc\\s*\\.\\s*\\??\\s*([A-Za-z_][A-Za-z0-9_]*)");

    private static final Pattern DNS_INDEXES = Pattern.compile("\\brecords_by_(name|type)\\b");
    private static final YAMLMapper YAML = new YAMLMapper();

    private RuleFileParser() {}

    /**
     * Parses and validates one file.
     *
     * @throws RuleSetException naming the file, line, field and reason
     */
    public static ParsedRule parse(RuleSource source) {
        JsonNode root;
        try {
            root = YAML.readTree(new WholeCodePointReader(source.text()));
        } catch (JacksonException e) {
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            throw new RuleSetException(
                    source.name() + ":" + line + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new RuleSetException(source.name() + ":1: a rule file must be a YAML mapping");
        }
        Reader r = new Reader(source, root);
        for (String name : root.propertyNames()) {
            if (!FIELDS.contains(name)) {
                throw r.fail(
                        name, "unknown field (allowed: " + new java.util.TreeSet<>(FIELDS) + ")");
            }
        }
        String id = r.text("id");
        if (!ID.matcher(id).matches()) {
            throw r.fail("id", "'" + id + "' is not a check id like 'tls.ssl_off'");
        }
        TargetKind kind = r.parsed("applies_to", TargetKind::parse);
        JsonNode remediation = r.node("remediation", true);
        if (remediation == null || !remediation.isObject()) {
            throw r.fail("remediation", "must be a mapping with 'steps' and 'link'");
        }
        for (String name : remediation.propertyNames()) {
            if (!name.equals("steps") && !name.equals("link")) {
                throw r.fail(
                        "remediation",
                        "unknown field 'remediation." + name + "' (allowed: steps, link)");
            }
        }
        List<String> steps = r.strings(remediation.get("steps"), "remediation.steps", true);
        JsonNode link = remediation.get("link");
        if (link == null || !link.isString() || link.asString().isBlank()) {
            throw r.fail("remediation", "missing 'remediation.link' (a URL)");
        }
        Map<String, List<String>> compliance = new LinkedHashMap<>();
        JsonNode comp = r.node("compliance", false);
        if (comp != null) {
            if (!comp.isObject()) {
                throw r.fail("compliance", "must be a mapping of framework to control ids");
            }
            for (String fw : comp.propertyNames()) {
                if (!COMPLIANCE_FRAMEWORKS.contains(fw)) {
                    throw r.fail(
                            "compliance",
                            "unknown framework '"
                                    + fw
                                    + "' (allowed: "
                                    + COMPLIANCE_FRAMEWORKS
                                    + ")");
                }
                compliance.put(fw, r.strings(comp.get(fw), "compliance." + fw, true));
            }
        }
        Set<String> reads = new LinkedHashSet<>(r.strings(r.node("reads", true), "reads", true));
        Map<String, ParsedRule.MissingPolicy> onMissing = new LinkedHashMap<>();
        JsonNode om = r.node("on_missing", false);
        if (om != null) {
            if (!om.isObject()) {
                throw r.fail("on_missing", "must be a mapping of section to not_applicable|error");
            }
            for (String section : om.propertyNames()) {
                if (!reads.contains(section)) {
                    throw r.fail(
                            "on_missing", "section '" + section + "' is not in 'reads' " + reads);
                }
                String v = om.get(section).asString("");
                onMissing.put(
                        section,
                        switch (v) {
                            case "not_applicable" -> ParsedRule.MissingPolicy.NOT_APPLICABLE;
                            case "error" -> ParsedRule.MissingPolicy.ERROR;
                            case "optional" -> ParsedRule.MissingPolicy.OPTIONAL;
                            default ->
                                    throw r.fail(
                                            "on_missing",
                                            "'"
                                                    + v
                                                    + "' for section '"
                                                    + section
                                                    + "' (expected not_applicable, error or optional)");
                        });
            }
        }
        String forEach = r.optionalText("for_each");
        String resourceKey = r.optionalText("resource_key");
        if (forEach != null && resourceKey == null) {
            throw r.fail("for_each", "a per-resource check needs 'resource_key' (e.g. item.id)");
        }
        if (forEach == null && resourceKey != null) {
            throw r.fail(
                    "resource_key",
                    "only a per-resource check (with 'for_each') has a resource key;"
                            + " target-wide findings use '"
                            + kind.wire()
                            + "'");
        }
        undeclared(r, reads);
        CheckDefinition def =
                new CheckDefinition(
                        id,
                        kind,
                        r.text("title"),
                        r.text("description"),
                        r.parsed("issue_type", IssueType::parse),
                        r.parsed("severity", Severity::parse),
                        r.text("risk"),
                        steps,
                        link.asString(),
                        r.node("references", false) == null
                                ? List.of()
                                : r.strings(root.get("references"), "references", false),
                        compliance,
                        reads);
        return new ParsedRule(
                source,
                def,
                onMissing,
                r.optionalText("applies"),
                forEach,
                resourceKey,
                r.text("assert"),
                r.text("message"),
                r.optionalText("context"));
    }

    /**
     * Refuses a rule whose expressions read a section of the document ({@code doc.name}, {@code
     * doc.?name}, or the DNS indexes built from {@code dns_records}) that its {@code reads} does
     * not list: a config change evaluates the checks on only the sections they declare, so an
     * undeclared one would read as absent there and the check would conclude differently than on a
     * scheduled scan.
     */
    private static void undeclared(Reader r, Set<String> reads) {
        for (String field :
                List.of("applies", "for_each", "resource_key", "assert", "message", "context")) {
            String expr = r.optionalText(field);
            if (expr == null) {
                continue;
            }
            Matcher m = DOC_SECTION.matcher(expr);
            while (m.find()) {
                String section = m.group(1);
                if (!reads.contains(section) && !section.startsWith("_")) {
                    throw r.fail(
                            field,
                            "reads section '"
                                    + section
                                    + "' (doc."
                                    + section
                                    + "), which 'reads' "
                                    + reads
                                    + " does not list");
                }
            }
            if (DNS_INDEXES.matcher(expr).find() && !reads.contains("dns_records")) {
                throw r.fail(
                        field,
                        "uses records_by_name or records_by_type, built from 'dns_records', which"
                                + " 'reads' "
                                + reads
                                + " does not list");
            }
        }
    }

    /** The 1-based line where {@code field} is written (top-level key), or 1 when not found. */
    public static int lineOf(RuleSource source, String field) {
        String top = field.contains(".") ? field.substring(0, field.indexOf('.')) : field;
        Pattern p = Pattern.compile("^" + Pattern.quote(top) + "\\s*:");
        String[] lines = source.text().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (p.matcher(lines[i]).find()) {
                return i + 1;
            }
        }
        return 1;
    }

    /** Whether the field's value starts on the line after its key (a block scalar). */
    public static boolean isBlock(RuleSource source, String field) {
        String[] lines = source.text().split("\n", -1);
        String line = lines[lineOf(source, field) - 1];
        String rest = line.substring(line.indexOf(':') + 1).trim();
        return rest.startsWith("|") || rest.startsWith(">") || rest.isEmpty();
    }

    /** Field access that turns every problem into a located {@link RuleSetException}. */
    private record Reader(RuleSource source, JsonNode root) {

        RuleSetException fail(String field, String reason) {
            return new RuleSetException(
                    source.name()
                            + ":"
                            + lineOf(source, field)
                            + ": field '"
                            + field
                            + "': "
                            + reason);
        }

        @Nullable JsonNode node(String field, boolean required) {
            JsonNode n = root.get(field);
            if ((n == null || n.isNull()) && required) {
                throw new RuleSetException(
                        source.name() + ":1: missing required field '" + field + "'");
            }
            return n == null || n.isNull() ? null : n;
        }

        String text(String field) {
            JsonNode n = root.get(field);
            if (n == null || n.isNull()) {
                throw new RuleSetException(
                        source.name() + ":1: missing required field '" + field + "'");
            }
            if (!n.isValueNode() || n.asString().isBlank()) {
                throw fail(field, "must be a non-empty string");
            }
            return n.asString().strip();
        }

        @Nullable String optionalText(String field) {
            return root.get(field) == null || root.get(field).isNull() ? null : text(field);
        }

        <T> T parsed(String field, java.util.function.Function<String, T> parser) {
            String v = text(field);
            try {
                return parser.apply(v.toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw fail(field, String.valueOf(e.getMessage()));
            }
        }

        List<String> strings(@Nullable JsonNode n, String field, boolean nonEmpty) {
            if (n == null || !n.isArray()) {
                throw fail(field, "must be a list of strings");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode e : n) {
                if (!e.isValueNode() || e.asString().isBlank()) {
                    throw fail(field, "must be a list of non-empty strings, got " + e);
                }
                out.add(e.asString());
            }
            if (nonEmpty && out.isEmpty()) {
                throw fail(field, "must not be empty");
            }
            return out;
        }
    }
}
