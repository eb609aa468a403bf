package dev.vigil.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.inventory.TargetKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs the fixture cases under {@code src/test/resources/checks-fixtures/}: one JSON file per
 * check, each case a JSON merge patch (RFC 7396) and/or list appends applied to a clean baseline
 * document, with the expected outcome and, for FAIL, the exact resource keys.
 */
class CatalogueFixturesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final RuleSet RULES = RuleSets.catalogue();

    record Case(String file, String check, TargetKind kind, JsonNode spec) {
        @Override
        public String toString() {
            return check + ": " + spec.get("name").asString();
        }
    }

    static Path root() {
        try {
            return Path.of(
                    Objects.requireNonNull(
                                    CatalogueFixturesTest.class
                                            .getClassLoader()
                                            .getResource("checks-fixtures"))
                            .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<JsonNode> fixtureFiles() {
        try (Stream<Path> files = Files.walk(root())) {
            return files.filter(
                            p ->
                                    p.toString().endsWith(".json")
                                            && !p.getParent()
                                                    .getFileName()
                                                    .toString()
                                                    .equals("_baseline"))
                    .sorted()
                    .map(p -> JSON.readTree(p.toFile()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (JsonNode f : fixtureFiles()) {
            String check = f.get("check").asString();
            TargetKind kind = TargetKind.parse(f.get("baseline").asString());
            for (JsonNode c : f.get("cases")) {
                out.add(new Case(check, check, kind, c));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void caseHasTheExpectedOutcome(Case c) throws IOException {
        Map<String, Object> parsed = document(c);
        CheckResult result =
                RULES.evaluate(c.kind(), parsed).results().stream()
                        .filter(r -> r.checkId().equals(c.check()))
                        .findFirst()
                        .orElseThrow();
        Outcome expected = Outcome.valueOf(c.spec().get("expect").asString());
        assertThat(result.outcome())
                .as("%s (error: %s, findings: %s)", c, result.error(), result.findings())
                .isEqualTo(expected);
        if (expected == Outcome.FAIL) {
            List<String> keys = new ArrayList<>();
            c.spec().get("keys").forEach(k -> keys.add(k.asString()));
            assertThat(result.findings())
                    .extracting(Finding::resourceKey)
                    .containsExactlyInAnyOrderElementsOf(keys);
            assertThat(result.findings()).allSatisfy(f -> assertThat(f.message()).isNotBlank());
        }
    }

    /** The case's document: its kind's baseline with the case's patch and appends, decoded. */
    static Map<String, Object> document(Case c) throws IOException {
        ObjectNode doc =
                (ObjectNode)
                        JSON.readTree(
                                root().resolve("_baseline")
                                        .resolve(c.kind().wire() + ".json")
                                        .toFile());
        if (c.spec().has("patch")) {
            mergePatch(doc, c.spec().get("patch"));
        }
        if (c.spec().has("append")) {
            for (Map.Entry<String, JsonNode> e : c.spec().get("append").properties()) {
                ObjectNode parent = doc;
                String[] path = e.getKey().split("\\.", -1);
                for (int i = 0; i < path.length - 1; i++) {
                    parent = (ObjectNode) parent.get(path[i]);
                }
                ((ArrayNode) parent.get(path[path.length - 1])).addAll((ArrayNode) e.getValue());
            }
        }
        return ConfigDocuments.parse(JSON.writeValueAsBytes(doc));
    }

    @Test
    void everyCatalogueCheckHasPassFailAndNotApplicableOrErrorCases() {
        Map<String, Set<String>> outcomes = new java.util.HashMap<>();
        for (JsonNode f : fixtureFiles()) {
            Set<String> seen =
                    outcomes.computeIfAbsent(f.get("check").asString(), k -> new HashSet<>());
            f.get("cases").forEach(c -> seen.add(c.get("expect").asString()));
        }
        for (CheckDefinition check : RULES.checks()) {
            assertThat(outcomes).as("fixture for " + check.id()).containsKey(check.id());
            Set<String> seen = outcomes.get(check.id());
            assertThat(seen).as(check.id()).contains("PASS", "FAIL");
            assertThat(seen.contains("NOT_APPLICABLE") || seen.contains("ERROR"))
                    .as(check.id())
                    .isTrue();
        }
    }

    /** RFC 7396: objects merge recursively, null removes, anything else replaces. */
    private static void mergePatch(ObjectNode target, JsonNode patch) {
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            JsonNode v = e.getValue();
            if (v.isNull()) {
                target.remove(e.getKey());
            } else if (v.isObject() && target.get(e.getKey()) instanceof ObjectNode child) {
                mergePatch(child, v);
            } else {
                target.set(e.getKey(), v.deepCopy());
            }
        }
    }
}
