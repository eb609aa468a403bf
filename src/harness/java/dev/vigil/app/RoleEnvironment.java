package dev.vigil.app;

import dev.vigil.inventory.Plan;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code VIGIL_*} environment of role processes started by {@link RoleProcess}: what every role
 * shares, and what a worker adds (config source, results API, service token) and leaves out (the
 * database credentials: workers hold none, as in a deployment).
 */
public final class RoleEnvironment {
    private RoleEnvironment() {}

    /**
     * What every role shares: database, broker, topic prefix, one scan interval for every plan, and
     * a small connection pool (several roles share one PostgreSQL).
     */
    public static Map<String, String> common(
            String jdbcUrl,
            String user,
            String password,
            String kafkaBootstrap,
            String topicPrefix,
            Duration interval) {
        Map<String, String> env = new HashMap<>();
        env.put("VIGIL_DATABASE_URL", jdbcUrl);
        env.put("VIGIL_DATABASE_USER", user);
        env.put("VIGIL_DATABASE_PASSWORD", password);
        env.put("VIGIL_DATABASE_POOL_SIZE", "4");
        env.put("VIGIL_KAFKA_BOOTSTRAP", kafkaBootstrap);
        env.put("VIGIL_KAFKA_TOPIC_PREFIX", topicPrefix);
        for (Plan p : Plan.values()) {
            env.put("VIGIL_INTERVAL_" + p.name(), interval.toSeconds() + "s");
        }
        return env;
    }

    /** {@code common} plus the API's port. */
    public static Map<String, String> api(Map<String, String> common, int apiPort) {
        Map<String, String> env = new HashMap<>(common);
        env.put("VIGIL_API_PORT", Integer.toString(apiPort));
        return env;
    }

    /** {@code common} without the database credentials, plus where to fetch and where to report. */
    public static Map<String, String> worker(
            Map<String, String> common, String configServiceUrl, int apiPort, String serviceToken) {
        Map<String, String> env = new HashMap<>(common);
        env.remove("VIGIL_DATABASE_URL");
        env.remove("VIGIL_DATABASE_USER");
        env.remove("VIGIL_DATABASE_PASSWORD");
        env.put("VIGIL_CONFIG_SOURCE_URL", configServiceUrl);
        env.put("VIGIL_RESULTS_URL", "http://127.0.0.1:" + apiPort + "/");
        env.put("VIGIL_SERVICE_TOKEN", serviceToken);
        return env;
    }
}
