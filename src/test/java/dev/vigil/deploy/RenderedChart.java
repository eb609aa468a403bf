package dev.vigil.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The chart in deploy/helm/vigil rendered by Helm's own engine, as parsed manifests. */
record RenderedChart(String yaml, List<JsonNode> manifests) {

    static final Path CHART = Path.of("deploy", "helm", "vigil");
    static final String RELEASE = "vigil";

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    /** {@code helm template vigil deploy/helm/vigil --set k=v...}; every document parsed. */
    static RenderedChart render(Map<String, Object> sets) {
        TemplateCommand t = new Helm(CHART).template().withName(RELEASE).withNamespace("vigil");
        sets.forEach(t::set);
        String yaml = t.call();
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode() && !n.isEmpty()) {
                    docs.add(n);
                }
            }
        }
        return new RenderedChart(yaml, List.copyOf(docs));
    }

    List<JsonNode> ofKind(String kind) {
        return manifests.stream().filter(m -> kind.equals(m.path("kind").asString())).toList();
    }

    Optional<JsonNode> named(String kind, String name) {
        return ofKind(kind).stream()
                .filter(m -> name.equals(m.path("metadata").path("name").asString()))
                .findFirst();
    }

    /** {@code vigil-worker-fast} for role {@code worker-fast}. */
    static String resource(String role) {
        return RELEASE + "-" + role;
    }
}
