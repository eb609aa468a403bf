package dev.vigil.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.inventory.TargetKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleSetHolderTest {

    @TempDir Path dir;

    private static final Map<String, Object> SSL_OFF =
            ConfigDocuments.parse(
                    "{\"settings\":{\"ssl\":\"off\"}}"
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));

    @Test
    void userRuleAddsToTheCatalogue() throws IOException {
        Files.writeString(
                dir.resolve("custom.yaml"),
                RuleFiles.zoneSetting("custom.ssl_check", "doc.settings.ssl != 'off'"));
        RuleSet set = RuleSets.load(dir);
        assertThat(set.check("custom.ssl_check")).isPresent();
        assertThat(set.checks().size()).isEqualTo(RuleSets.catalogue().checks().size() + 1);
        assertThat(set.version()).isNotEqualTo(RuleSets.catalogue().version());
    }

    @Test
    void userRuleOverridesACatalogueCheckById() throws IOException {
        Files.writeString(
                dir.resolve("ssl_off.yaml"), RuleFiles.zoneSetting("tls.ssl_off", "true"));
        RuleSet set = RuleSets.load(dir);
        assertThat(set.checks().size()).isEqualTo(RuleSets.catalogue().checks().size());
        assertThat(set.check("tls.ssl_off").orElseThrow().title()).isEqualTo("Test check");
        assertThat(set.evaluate(TargetKind.ZONE, SSL_OFF).findings())
                .extracting(Finding::checkId)
                .doesNotContain("tls.ssl_off");
    }

    @Test
    void duplicateIdsInTheUserDirectoryAreRefused() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), RuleFiles.zoneSetting("custom.x", "true"));
        Files.writeString(dir.resolve("b.yaml"), RuleFiles.zoneSetting("custom.x", "false"));
        assertThatThrownBy(() -> RuleSets.load(dir))
                .isInstanceOf(RuleSetException.class)
                .hasMessageContaining("b.yaml:1: field 'id': duplicate check id 'custom.x'")
                .hasMessageContaining("a.yaml");
    }

    @Test
    void brokenReloadKeepsThePreviousSetInForce() throws IOException {
        Path rule = dir.resolve("custom.yaml");
        Files.writeString(
                rule, RuleFiles.zoneSetting("custom.ssl_check", "doc.settings.ssl != 'off'"));
        try (RuleSetHolder holder = RuleSetHolder.watching(dir, Duration.ofHours(1))) {
            RuleSet before = holder.current();
            Files.writeString(rule, RuleFiles.zoneSetting("custom.ssl_check", "doc.settings.ssl"));
            assertThat(holder.reload()).isFalse();
            assertThat(holder.current()).isSameAs(before);
            assertThat(holder.lastError())
                    .hasValueSatisfying(
                            m -> assertThat(m).contains("custom.yaml:12: field 'assert'"));
        }
    }

    @Test
    void validChangeInAWatchedDirectoryIsSwappedIn() throws IOException {
        Path rule = dir.resolve("custom.yaml");
        Files.writeString(rule, RuleFiles.zoneSetting("custom.ssl_check", "true"));
        try (RuleSetHolder holder = RuleSetHolder.watching(dir, Duration.ofMillis(50))) {
            String before = holder.current().version();
            assertThat(holder.current().evaluate(TargetKind.ZONE, SSL_OFF).findings())
                    .extracting(Finding::checkId)
                    .doesNotContain("custom.ssl_check");
            Files.writeString(
                    rule, RuleFiles.zoneSetting("custom.ssl_check", "doc.settings.ssl != 'off'"));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !holder.current().version().equals(before));
            assertThat(holder.current().evaluate(TargetKind.ZONE, SSL_OFF).findings())
                    .extracting(Finding::checkId)
                    .contains("custom.ssl_check");
        }
    }

    @Test
    void brokenRuleAtStartIsRefused() throws IOException {
        Files.writeString(dir.resolve("custom.yaml"), RuleFiles.zoneSetting("custom.x", "1 + 1"));
        assertThatThrownBy(() -> RuleSetHolder.watching(dir, Duration.ofSeconds(1)))
                .isInstanceOf(RuleSetException.class)
                .hasMessageContaining("expression must be bool, got int");
    }

    @Test
    void missingUserDirectoryIsRefusedNamingIt() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> RuleSets.load(missing))
                .isInstanceOf(RuleSetException.class)
                .hasMessageContaining(missing + ":1: rule directory does not exist");
    }

    @Test
    void fixedHolderServesItsSetAndNeverChanges() {
        RuleSet set = RuleSets.catalogue();
        try (RuleSetHolder holder = RuleSetHolder.fixed(set)) {
            assertThat(holder.reload()).isFalse();
            // the same checks and version, counting into the holder's stats
            assertThat(holder.current().version()).isEqualTo(set.version());
            assertThat(holder.current().checks()).isEqualTo(set.checks());
        }
    }
}
