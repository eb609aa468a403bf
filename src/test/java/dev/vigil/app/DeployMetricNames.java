package dev.vigil.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The metric names the Grafana dashboard and the Prometheus alert rules in {@code deploy/} query:
 * every PromQL expression ({@code expr} of each dashboard target and of each alerting rule) reduced
 * to the series selectors it names.
 */
final class DeployMetricNames {
    static final Path DASHBOARD = Path.of("deploy/grafana/vigil-dashboard.json");
    static final Path ALERTS = Path.of("deploy/prometheus/vigil-alerts.yaml");

    private static final Set<String> KEYWORDS =
            Set.of(
                    "by",
                    "without",
                    "on",
                    "ignoring",
                    "group_left",
                    "group_right",
                    "and",
                    "or",
                    "unless",
                    "bool",
                    "offset",
                    "inf",
                    "nan");
    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private DeployMetricNames() {}

    /** Names used, by file. */
    static Map<Path, Set<String>> used() throws Exception {
        Map<Path, Set<String>> out = new LinkedHashMap<>();
        out.put(DASHBOARD, names(expressions(new ObjectMapper().readTree(read(DASHBOARD)))));
        out.put(ALERTS, names(expressions(new YAMLMapper().readTree(read(ALERTS)))));
        return out;
    }

    static List<String> expressions(JsonNode root) {
        List<String> exprs = new ArrayList<>();
        collect(root, exprs);
        return exprs;
    }

    private static void collect(JsonNode n, List<String> exprs) {
        if (n.isObject()) {
            for (var e : n.properties()) {
                if (e.getKey().equals("expr") && e.getValue().isString()) {
                    exprs.add(e.getValue().asString());
                } else {
                    collect(e.getValue(), exprs);
                }
            }
        } else if (n.isArray()) {
            n.forEach(c -> collect(c, exprs));
        }
    }

    static Set<String> names(List<String> exprs) {
        Set<String> names = new TreeSet<>();
        exprs.forEach(e -> names.addAll(names(e)));
        return names;
    }

    /**
     * The metric names of one PromQL expression: identifiers that are not inside a string, a label
     * matcher, a range, a comment or a grouping clause, not a function or aggregation (followed by
     * {@code (}), not a keyword and not a Grafana variable.
     */
    static Set<String> names(String expr) {
        String s =
                expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"") // strings
                        .replaceAll("#[^\n]*", " ") // comments
                        .replaceAll("\\$\\{?[a-zA-Z_][a-zA-Z0-9_]*}?", "0") // Grafana variables
                        .replaceAll("\\{[^}]*}", "") // label matchers
                        .replaceAll("\\[[^]]*]", "") // ranges and subqueries
                        .replaceAll(
                                "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)",
                                " "); // grouping labels
        Set<String> out = new TreeSet<>();
        Matcher m = IDENT.matcher(s);
        while (m.find()) {
            String id = m.group();
            if (m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1))) {
                continue; // the unit of a duration or a number's exponent
            }
            int after = m.end();
            while (after < s.length() && Character.isWhitespace(s.charAt(after))) {
                after++;
            }
            boolean call = after < s.length() && s.charAt(after) == '(';
            if (!call && !KEYWORDS.contains(id.toLowerCase(java.util.Locale.ROOT))) {
                out.add(id);
            }
        }
        return out;
    }

    private static String read(Path p) throws Exception {
        return Files.readString(p);
    }
}
