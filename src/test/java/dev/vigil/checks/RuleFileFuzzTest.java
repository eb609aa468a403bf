package dev.vigil.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vigil.checks.internal.RuleSource;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Hostile rule files: whatever the bytes, loading either yields a rule set or refuses with a {@link
 * RuleSetException} naming the file and line, never another exception or a hang.
 *
 * <p>Under {@code mvn test} it replays the seed corpus in {@code
 * src/test/resources/dev/vigil/checks/RuleFileFuzzTestInputs/rulesLoadOrAreRefusedWithReason}; with
 * {@code JAZZER_FUZZ=1} it fuzzes (see README, "Fuzzing").
 */
class RuleFileFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void rulesLoadOrAreRefusedWithReason(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            RuleSet set = RuleSets.fromSources(List.of(new RuleSource("fuzz/r.yaml", text)));
            assertThat(set.checks()).hasSize(1);
        } catch (RuleSetException e) {
            assertThat(e.getMessage()).startsWith("fuzz/r.yaml:");
        }
    }
}
