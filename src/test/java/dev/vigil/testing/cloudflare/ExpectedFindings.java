package dev.vigil.testing.cloudflare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code expected-findings.json} of the standard fleet: per target id, the FAIL resource keys per
 * check (sorted) and the checks expected to be ERROR.
 */
public record ExpectedFindings(Map<String, List<String>> fail, List<String> error) {

    public static final Path FILE = StubFleet.STANDARD_DIR.resolve("expected-findings.json");

    /** Every target's expectation, by target id. */
    public static Map<String, ExpectedFindings> standard() {
        JsonNode root = JsonMapper.builder().build().readTree(FILE.toFile());
        Map<String, ExpectedFindings> out = new TreeMap<>();
        for (String id : root.propertyNames()) {
            JsonNode v = root.get(id);
            Map<String, List<String>> fail = new TreeMap<>();
            for (String check : v.path("FAIL").propertyNames()) {
                fail.put(check, sorted(v.path("FAIL").get(check)));
            }
            out.put(id, new ExpectedFindings(fail, sorted(v.path("ERROR"))));
        }
        return out;
    }

    /** Only the FAIL keys, by target id. */
    public static Map<String, Map<String, List<String>>> standardFails() {
        Map<String, Map<String, List<String>>> out = new TreeMap<>();
        standard().forEach((id, e) -> out.put(id, e.fail()));
        return out;
    }

    private static List<String> sorted(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asString()));
        return out.stream().sorted().toList();
    }
}
