package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Main;
import dev.vigil.events.Lane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * deploy/compose.yaml parses and runs every role of the CLI. Read with snakeyaml-engine (the YAML
 * parser under Jackson's) because Compose files lean on anchors and merge keys ({@code <<}), which
 * Jackson leaves unresolved; merge keys are applied here as Compose applies them.
 */
class ComposeFileTest {

    private static final Path COMPOSE = Path.of("deploy", "compose.yaml");
    private static final String IMAGE = "vigil:dev";

    @Test
    void composeFileNamesEveryRoleOnce() throws IOException {
        Map<String, Map<String, Object>> services = services();
        List<List<String>> commands = new ArrayList<>();
        for (Map<String, Object> s : services.values()) {
            if (IMAGE.equals(s.get("image"))) {
                commands.add(strings(s.get("command")));
            }
        }
        List<List<String>> roles = new ArrayList<>();
        roles.add(List.of("migrate"));
        roles.add(List.of("scheduler"));
        roles.add(List.of("api"));
        for (Lane l : Lane.values()) {
            roles.add(List.of("worker", "--lane", l.wire()));
        }
        assertThat(commands).containsExactlyInAnyOrderElementsOf(roles);
        Set<String> cli = Main.commandLine().getSubcommands().keySet();
        assertThat(commands).allSatisfy(c -> assertThat(cli).contains(c.getFirst()));
    }

    @Test
    void longRunningRolesAreHealthCheckedOnReadyzAndHardened() throws IOException {
        for (Map.Entry<String, Map<String, Object>> e : services().entrySet()) {
            Map<String, Object> s = e.getValue();
            if (!IMAGE.equals(s.get("image"))) {
                continue;
            }
            assertThat(s.get("read_only")).as(e.getKey()).isEqualTo(true);
            assertThat(strings(s.get("cap_drop"))).containsExactly("ALL");
            assertThat(String.valueOf(s.get("user"))).startsWith("10001");
            if (!strings(s.get("command")).equals(List.of("migrate"))) {
                assertThat(String.valueOf(s.get("healthcheck")))
                        .as(e.getKey())
                        .contains("/readyz", "9090");
            }
        }
    }

    @Test
    void workersGetNoDatabaseCredentials() throws IOException {
        for (Map.Entry<String, Map<String, Object>> e : services().entrySet()) {
            List<String> command = strings(e.getValue().get("command"));
            if (!command.isEmpty() && command.getFirst().equals("worker")) {
                Map<?, ?> env = (Map<?, ?>) e.getValue().get("environment");
                List<String> names = env.keySet().stream().map(String::valueOf).toList();
                assertThat(names)
                        .as(e.getKey())
                        .noneMatch(k -> k.startsWith("VIGIL_DATABASE_"))
                        .contains("VIGIL_SERVICE_TOKEN", "VIGIL_RESULTS_URL");
            }
        }
    }

    @Test
    void kafkaAndPostgresAreInTheStack() throws IOException {
        Map<String, Map<String, Object>> services = services();
        assertThat(String.valueOf(services.get("kafka").get("image"))).startsWith("apache/kafka:");
        assertThat(String.valueOf(services.get("postgres").get("image"))).isEqualTo("postgres:17");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        Object doc =
                new Load(LoadSettings.builder().build()).loadFromString(Files.readString(COMPOSE));
        Map<String, Object> root = (Map<String, Object>) merged(doc);
        return (Map<String, Map<String, Object>>) root.get("services");
    }

    /** Applies YAML merge keys recursively: explicit keys win, then earlier merged maps. */
    @SuppressWarnings("unchecked")
    private static Object merged(Object node) {
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            Object merge = m.get("<<");
            List<Object> sources =
                    merge == null
                            ? List.of()
                            : merge instanceof List<?> l ? (List<Object>) l : List.of(merge);
            for (Object src : sources) {
                ((Map<String, Object>) merged(src)).forEach(out::putIfAbsent);
            }
            m.forEach(
                    (k, v) -> {
                        if (!"<<".equals(k)) {
                            out.put(String.valueOf(k), merged(v));
                        }
                    });
            return out;
        }
        if (node instanceof List<?> l) {
            return l.stream().map(ComposeFileTest::merged).toList();
        }
        return node;
    }

    private static List<String> strings(Object o) {
        return o instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }
}
