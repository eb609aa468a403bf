package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that cannot complete says why: real role processes whose configuration is refused (a pool
 * size that is not a number), so the API exits at once every time it is started.
 */
class RoleClusterIT {

    @TempDir Path logs;

    /** One API, no scheduler, no worker, with every role's database pool size refused. */
    private RoleCluster cluster() {
        Map<String, String> common =
                new HashMap<>(
                        RoleEnvironment.common(
                                "jdbc:postgresql://127.0.0.1:1/nothing",
                                "vigil",
                                "vigil",
                                "127.0.0.1:1",
                                "roles-it.",
                                Duration.ofSeconds(60)));
        common.put("VIGIL_DATABASE_POOL_SIZE", "none");
        return new RoleCluster(
                new RoleCluster.Layout(
                        0, List.of(), List.of("-Xmx64m"), List.of(), Map.of(), Map.of()),
                common,
                "http://127.0.0.1:1",
                "unused",
                logs);
    }

    @Test
    void aSupervisedStartThatTimesOutNamesEachRolesReadinessAndQuotesItsLog() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        try (RoleCluster cluster = cluster()) {
            assertThatThrownBy(() -> cluster.start(Duration.ofSeconds(20), true, heard::add))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("roles not ready within PT20S: [api: ")
                    .hasMessageContaining("--- last lines of api.log ---")
                    .hasMessageContaining(
                            "VIGIL_DATABASE_POOL_SIZE=none is invalid: expected an integer");
        }
        assertThat(heard)
                .as("what the start told its caller while it waited")
                .isNotEmpty()
                .allSatisfy(
                        l ->
                                assertThat(l)
                                        .matches(
                                                "restarted api \\(exit code [1-9][0-9]*\\) while"
                                                        + " its wave started"));
    }

    @Test
    void anUnsupervisedStartFailsAsSoonAsARoleExits() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        try (RoleCluster cluster = cluster()) {
            assertThatThrownBy(() -> cluster.start(Duration.ofMinutes(2), false, heard::add))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageMatching("api exited with code [1-9][0-9]*; see its log");
        }
        assertThat(heard).as("nothing restarted, nothing waited for long").isEmpty();
    }
}
