package dev.vigil.app;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.alerts.SecretBox;
import dev.vigil.checks.RuleSetHolder;
import dev.vigil.config.ConfigException;
import dev.vigil.config.DatabaseConfig;
import dev.vigil.config.Env;
import dev.vigil.config.Setting;
import dev.vigil.results.Database;
import dev.vigil.telemetry.HealthCheck;
import dev.vigil.telemetry.ManagementServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every role needs around its own components: the management endpoint, a checked database
 * pool, validated URLs, and the start-up log of the effective configuration.
 */
final class RoleSupport {
    private static final Logger log = LoggerFactory.getLogger(RoleSupport.class);

    private RoleSupport() {}

    static final Setting<String> MANAGEMENT_HOST =
            Setting.string(
                    "VIGIL_MANAGEMENT_HOST",
                    "127.0.0.1",
                    "interface of the management endpoint (/metrics, /livez, /readyz); 0.0.0.0 in a pod");
    static final Setting<Integer> MANAGEMENT_PORT =
            Setting.integer(
                    "VIGIL_MANAGEMENT_PORT",
                    9090,
                    0,
                    65_535,
                    "port of the management endpoint (0: a free one)");

    /** Where a role's management endpoint listens. */
    record Management(String host, int port) {
        static Management from(Env env) {
            return new Management(env.get(MANAGEMENT_HOST), env.get(MANAGEMENT_PORT));
        }
    }

    /** Starts the role's management endpoint with its registry; both closed by {@code lc}. */
    static void management(
            Lifecycle lc,
            String role,
            Management mgmt,
            Map<String, HealthCheck> checks,
            PrometheusMeterRegistry registry) {
        lc.own("metrics registry", registry::close);
        ManagementServer m =
                lc.own(
                        "management endpoint",
                        ManagementServer.start(mgmt.host(), mgmt.port(), registry, checks));
        log.info("{} management endpoint on {} (/metrics, /livez, /readyz)", role, m.baseUrl());
    }

    /**
     * A pool to the primary, checked once: an unreachable database fails here naming the variable.
     */
    static HikariDataSource pool(DatabaseConfig c) {
        HikariDataSource ds;
        try {
            ds =
                    Database.pool(
                            c.url(),
                            c.user(),
                            c.password(),
                            c.poolSize(),
                            c.connectionTimeout(),
                            c.statementTimeout());
        } catch (RuntimeException e) {
            throw new ConfigException(
                    DatabaseConfig.URL.name()
                            + "="
                            + c.url()
                            + ": cannot connect as "
                            + c.user()
                            + ": "
                            + rootMessage(e)
                            + ". Check the address, that PostgreSQL is running, and the credentials"
                            + " (VIGIL_DATABASE_USER, VIGIL_DATABASE_PASSWORD).",
                    e);
        }
        try (Connection conn = ds.getConnection()) {
            conn.isValid(5);
        } catch (SQLException e) {
            ds.close();
            throw new ConfigException(
                    DatabaseConfig.URL.name()
                            + "="
                            + c.url()
                            + ": cannot connect as "
                            + c.user()
                            + ": "
                            + rootMessage(e)
                            + ". Check the address, that PostgreSQL is running, and the credentials.",
                    e);
        }
        return ds;
    }

    /**
     * Readiness of the rule set: a holder always has one loaded (a broken set fails at start); a
     * failed reload keeps the previous set, so it is reported but the worker stays ready.
     */
    static HealthCheck.Status rules(RuleSetHolder rules) {
        String loaded = "rule set " + rules.current().version() + " loaded";
        return HealthCheck.Status.ok(
                rules.lastError().map(e -> loaded + "; last reload failed: " + e).orElse(loaded));
    }

    static URI uri(Env env, Setting<String> s) {
        String raw = env.get(s);
        try {
            URI u = URI.create(raw.endsWith("/") ? raw : raw + "/");
            if (u.getScheme() == null || !u.getScheme().startsWith("http") || u.getHost() == null) {
                throw new IllegalArgumentException("not http(s)");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    s.name()
                            + "="
                            + raw
                            + " is invalid: expected an http(s) URL such as http://localhost:8080/",
                    e);
        }
    }

    /** Causes followed at most to find the root one (real chains are a few deep). */
    private static final int MAX_CAUSES = 64;

    private static String rootMessage(Throwable t) {
        // getCause() is null for a throwable caused by itself; a longer cycle ends at the bound
        Throwable r = t;
        for (int depth = 0; depth < MAX_CAUSES; depth++) {
            Throwable cause = r.getCause();
            if (cause == null) {
                break;
            }
            r = cause;
        }
        return String.valueOf(r.getMessage());
    }

    static void logEffective(String role, Env env) {
        log.info("starting {} with {}", role, env.effective());
    }

    /**
     * The box sealing alert destinations' secrets, or null without {@link SecretBox#KEY} (then only
     * e-mail destinations can be made); a key that is not base64 of 32 bytes fails the start,
     * naming the setting.
     */
    static @Nullable SecretBox alertSecrets(Env env) {
        try {
            SecretBox box = SecretBox.from(env).orElse(null);
            if (box == null) {
                log.info(
                        "{} is not set: webhook and Slack alert destinations cannot be created"
                                + " (503); e-mail destinations can",
                        SecretBox.KEY.name());
            }
            return box;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    SecretBox.KEY.name() + " is not usable: " + e.getMessage(), e);
        }
    }
}
