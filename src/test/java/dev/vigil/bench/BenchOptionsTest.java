package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void burstRunsWhenNamedButNotByDefault() {
        assertThat(new Bench.Options(List.of("burst"), Path.of("out"), true, null).scenarios())
                .containsExactly("burst");
        assertThat(new Bench.Options(List.of(), Path.of("out"), true, null).scenarios())
                .isEqualTo(Bench.SCENARIOS)
                .doesNotContain("burst");
    }

    @Test
    void anUnknownScenarioIsRefusedNamingEveryKnownOne() {
        assertThatThrownBy(() -> new Bench.Options(List.of("bursts"), Path.of("out"), true, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "unknown scenario 'bursts'; known: rules, fetch, schedule, write, changes,"
                                + " alerts, lanes, pipeline, history, fleet, and when named: burst");
    }
}
