package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

    @Test
    void malformedDatabaseUrlNamesTheVariableAndTheFix() {
        Env env = Env.of(Map.of("VIGIL_DATABASE_URL", "postgres://db:5432/vigil"));
        assertThatThrownBy(() -> DatabaseConfig.from(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_DATABASE_URL=postgres://db:5432/vigil")
                .hasMessageContaining("must start with jdbc:postgresql://");
    }

    @Test
    void passwordInTheUrlIsMaskedInTheError() {
        Env env = Env.of(Map.of("VIGIL_DATABASE_URL", "mysql://x?password=hunter22"));
        assertThatThrownBy(() -> DatabaseConfig.from(env)).hasMessageNotContaining("hunter22");
    }

    @Test
    void missingRequiredSettingSaysWhatToSet() {
        assertThatThrownBy(() -> KafkaConfig.from(Env.of(Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_KAFKA_BOOTSTRAP is not set")
                .hasMessageContaining("host:port");
    }

    @Test
    void bootstrapWithoutPortIsRefused() {
        assertThatThrownBy(
                        () -> KafkaConfig.from(Env.of(Map.of("VIGIL_KAFKA_BOOTSTRAP", "broker1"))))
                .hasMessageContaining("'broker1' is not host:port");
    }

    @Test
    void secretsAreMaskedInTheEffectiveConfiguration() {
        Env env =
                Env.of(
                        Map.of(
                                "VIGIL_DATABASE_URL",
                                "jdbc:postgresql://db/vigil",
                                "VIGIL_DATABASE_PASSWORD",
                                "s3cretvalue"));
        DatabaseConfig c = DatabaseConfig.from(env);
        assertThat(c.password()).isEqualTo("s3cretvalue");
        assertThat(env.effective().toString())
                .doesNotContain("s3cretvalue")
                .contains("VIGIL_DATABASE_PASSWORD=s3****");
        assertThat(c.toString()).doesNotContain("s3cretvalue");
    }

    @Test
    void outOfRangeIntegerNamesTheRange() {
        Env env =
                Env.of(
                        Map.of(
                                "VIGIL_DATABASE_URL",
                                "jdbc:postgresql://db/vigil",
                                "VIGIL_DATABASE_POOL_SIZE",
                                "0"));
        assertThatThrownBy(() -> DatabaseConfig.from(env))
                .hasMessageContaining(
                        "VIGIL_DATABASE_POOL_SIZE=0 is invalid: expected an integer from 1 to 500");
    }

    @Test
    void durationsAcceptShortAndIsoForms() {
        assertThat(Setting.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Setting.parseDuration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Setting.parseDuration("PT30S")).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> Setting.parseDuration("soon"))
                .isInstanceOf(RuntimeException.class);
    }
}
