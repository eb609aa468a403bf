package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.ConfigException;
import dev.vigil.config.Env;
import dev.vigil.events.Lane;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad configuration fails fast, naming the variable, the value and what to do. */
class RolesIT {

    @Test
    void unreachableDatabaseNamesTheVariableAndMasksThePassword() {
        Env env =
                Env.of(
                        Map.of(
                                "VIGIL_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/vigil",
                                "VIGIL_DATABASE_PASSWORD", "topsecret-pw",
                                "VIGIL_DATABASE_CONNECTION_TIMEOUT", "2s",
                                "VIGIL_API_PORT", "0"));
        assertThatThrownBy(() -> Roles.api(env).close())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "VIGIL_DATABASE_URL=jdbc:postgresql://127.0.0.1:1/vigil: cannot connect")
                .hasMessageContaining("Check the address")
                .hasMessageNotContaining("topsecret-pw");
    }

    @Test
    void malformedDatabaseUrlFailsBeforeAnyConnectionIsTried() {
        Env env = Env.of(Map.of("VIGIL_DATABASE_URL", "localhost:5432/vigil"));
        assertThatThrownBy(() -> Roles.scheduler(env).close())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("VIGIL_DATABASE_URL=localhost:5432/vigil is invalid");
    }

    @Test
    void unreachableBrokerNamesTheVariable() {
        Env env =
                Env.of(
                        Map.of(
                                "VIGIL_KAFKA_BOOTSTRAP", "127.0.0.1:1",
                                "VIGIL_CONFIG_SOURCE_URL", "http://127.0.0.1:9/",
                                "VIGIL_RESULTS_URL", "http://127.0.0.1:9/",
                                "VIGIL_SERVICE_TOKEN", "svc-secret-token"));
        assertThatThrownBy(() -> Roles.worker(env, Lane.FAST).close())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_KAFKA_BOOTSTRAP=127.0.0.1:1: no Kafka broker answered")
                .hasMessageNotContaining("svc-secret-token");
    }

    @Test
    void workerWithoutServiceTokenSaysWhatToSet() {
        Env env =
                Env.of(
                        Map.of(
                                "VIGIL_KAFKA_BOOTSTRAP", "127.0.0.1:1",
                                "VIGIL_CONFIG_SOURCE_URL", "http://127.0.0.1:9/",
                                "VIGIL_RESULTS_URL", "http://127.0.0.1:9/"));
        assertThatThrownBy(() -> Roles.worker(env, Lane.FAST).close())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("VIGIL_SERVICE_TOKEN is not set");
    }

    @Test
    void anInlineLimitThatWouldNotFitAKafkaMessageIsRefusedBeforeAnythingStarts() {
        Env env =
                Env.of(
                        Map.of(
                                "VIGIL_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/vigil",
                                "VIGIL_CHANGE_INLINE_MAX_BYTES", "1048576"));
        assertThatThrownBy(() -> Roles.api(env).close())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("VIGIL_CHANGE_INLINE_MAX_BYTES=1048576 is invalid")
                .hasMessageContaining("an integer from 0 to 786432")
                .hasMessageContaining("Kafka's default 1 MiB message");
    }
}
