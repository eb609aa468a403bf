package dev.vigil.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), for tests: every line
 * is a {@code # HELP}, a {@code # TYPE} or a sample; every sample belongs to the family whose
 * {@code # TYPE} came before it (a histogram's {@code _bucket}, {@code _count}, {@code _sum}; a
 * summary's quantiles, {@code _count}, {@code _sum}); names and label names are valid; label values
 * are escaped correctly; no series appears twice. Anything else throws with the line number.
 */
public final class PrometheusText {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES =
            Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample: its metric name, labels, value. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public String label(String key) {
            String v = labels.get(key);
            if (v == null) {
                throw new AssertionError(name + labels + " has no label " + key);
            }
            return v;
        }
    }

    /** A family: its declared name and type, and its samples in order. */
    public record Family(String name, String type, List<Sample> samples) {}

    private final Map<String, Family> families;

    private PrometheusText(Map<String, Family> families) {
        this.families = families;
    }

    /** Parses {@code text} or throws {@link IllegalArgumentException} naming the line. */
    public static PrometheusText parse(String text) {
        Map<String, Family> families = new LinkedHashMap<>();
        Set<String> series = new HashSet<>();
        Family current = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int n = i + 1;
            if (line.isEmpty()) {
                if (i != lines.length - 1) {
                    fail(n, "empty line", line);
                }
                continue;
            }
            if (line.startsWith("# HELP ")) {
                String rest = line.substring(7);
                String name = rest.contains(" ") ? rest.substring(0, rest.indexOf(' ')) : rest;
                requireName(n, name, line);
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ", -1);
                if (parts.length != 2 || !TYPES.contains(parts[1])) {
                    fail(n, "malformed TYPE", line);
                }
                requireName(n, parts[0], line);
                if (families.containsKey(parts[0])) {
                    fail(n, "family declared twice", line);
                }
                current = new Family(parts[0], parts[1], new ArrayList<>());
                families.put(parts[0], current);
                continue;
            }
            if (line.startsWith("#")) {
                continue; // a comment
            }
            Sample s = sample(n, line);
            if (current == null || !belongs(current, s.name())) {
                fail(n, "sample outside its family's TYPE", line);
            }
            if (!series.add(s.name() + new TreeMap<>(s.labels()))) {
                fail(n, "series repeated", line);
            }
            current.samples().add(s);
        }
        return new PrometheusText(families);
    }

    private static boolean belongs(Family f, String sample) {
        return switch (f.type()) {
            case "histogram" ->
                    sample.equals(f.name() + "_bucket")
                            || sample.equals(f.name() + "_count")
                            || sample.equals(f.name() + "_sum");
            case "summary" ->
                    sample.equals(f.name())
                            || sample.equals(f.name() + "_count")
                            || sample.equals(f.name() + "_sum");
            case "counter" -> sample.equals(f.name()) || sample.equals(f.name() + "_total");
            default -> sample.equals(f.name());
        };
    }

    private static Sample sample(int n, String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        requireName(n, name, line);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                if (eq < 0) {
                    fail(n, "label without value", line);
                }
                String key = line.substring(i, eq);
                if (!LABEL.matcher(key).matches() || labels.containsKey(key)) {
                    fail(n, "bad or repeated label name '" + key + "'", line);
                }
                if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                    fail(n, "label value not quoted", line);
                }
                StringBuilder v = new StringBuilder();
                int j = eq + 2;
                for (; ; j++) {
                    if (j >= line.length()) {
                        fail(n, "unterminated label value", line);
                    }
                    char c = line.charAt(j);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        char e = line.charAt(++j);
                        switch (e) {
                            case '\\' -> v.append('\\');
                            case '"' -> v.append('"');
                            case 'n' -> v.append('\n');
                            default -> fail(n, "bad escape \\" + e, line);
                        }
                    } else {
                        v.append(c);
                    }
                }
                labels.put(key, v.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                } else if (line.charAt(i) != '}') {
                    fail(n, "expected , or } after a label", line);
                }
            }
            i++;
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            fail(n, "expected a space before the value", line);
        }
        String[] rest = line.substring(i + 1).split(" ", -1);
        if (rest.length < 1 || rest.length > 2) {
            fail(n, "expected a value and an optional timestamp", line);
        }
        double value;
        try {
            value =
                    switch (rest[0]) {
                        case "+Inf" -> Double.POSITIVE_INFINITY;
                        case "-Inf" -> Double.NEGATIVE_INFINITY;
                        case "NaN" -> Double.NaN;
                        default -> Double.parseDouble(rest[0]);
                    };
            if (rest.length == 2) {
                Long.parseLong(rest[1]);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("line " + n + ": bad number: " + line, e);
        }
        return new Sample(name, Map.copyOf(labels), value);
    }

    private static void requireName(int n, String name, String line) {
        if (!NAME.matcher(name).matches()) {
            fail(n, "bad metric name '" + name + "'", line);
        }
    }

    private static void fail(int n, String why, String line) {
        throw new IllegalArgumentException("line " + n + ": " + why + ": " + line);
    }

    /** Every family, by declared name. */
    public Map<String, Family> families() {
        return families;
    }

    /** Every sample name (with the {@code _bucket}, {@code _total}… suffixes as written). */
    public Set<String> sampleNames() {
        Set<String> names = new HashSet<>();
        families.values().forEach(f -> f.samples().forEach(s -> names.add(s.name())));
        return names;
    }

    /** The samples named exactly {@code name}. */
    public List<Sample> samples(String name) {
        List<Sample> out = new ArrayList<>();
        families.values()
                .forEach(
                        f ->
                                f.samples().stream()
                                        .filter(s -> s.name().equals(name))
                                        .forEach(out::add));
        return out;
    }

    /** The sum of the samples named {@code name} whose labels include {@code match}. */
    public double sum(String name, Map<String, String> match) {
        return samples(name).stream()
                .filter(s -> s.labels().entrySet().containsAll(match.entrySet()))
                .mapToDouble(Sample::value)
                .sum();
    }

    /** The type of the family a sample name belongs to, or null. */
    public String typeOf(String sampleName) {
        for (Family f : families.values()) {
            if (belongs(f, sampleName)) {
                return f.type();
            }
        }
        return null;
    }
}
