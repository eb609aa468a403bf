package dev.vigil.config;

import java.net.URI;
import java.time.Duration;

/**
 * How a role reaches PostgreSQL. The pool ({@code results.Database}) connects to the primary only:
 * for a multi-host URL pgjdbc picks the writable host, so a failover moves the pool with the
 * primary instead of sending writes across a region.
 */
public record DatabaseConfig(
        String url,
        String user,
        String password,
        int poolSize,
        Duration connectionTimeout,
        Duration statementTimeout) {

    public static final Setting<String> URL =
            new Setting<>(
                    "VIGIL_DATABASE_URL",
                    null,
                    "JDBC URL of the PostgreSQL primary",
                    false,
                    "a JDBC URL such as jdbc:postgresql://db1:5432,db2:5432/vigil",
                    DatabaseConfig::validateUrl);
    public static final Setting<String> USER =
            Setting.string("VIGIL_DATABASE_USER", "vigil", "database role");
    public static final Setting<String> PASSWORD =
            Setting.secret("VIGIL_DATABASE_PASSWORD", "", "password of the database role");

    /** Small by default: a pool larger than the database's cores only queues inside PostgreSQL. */
    public static final Setting<Integer> POOL_SIZE =
            Setting.integer("VIGIL_DATABASE_POOL_SIZE", 10, 1, 500, "connections in the pool");

    public static final Setting<Duration> CONNECTION_TIMEOUT =
            Setting.duration(
                    "VIGIL_DATABASE_CONNECTION_TIMEOUT",
                    "2s",
                    "how long a request waits for a pooled connection before failing (the API then"
                            + " answers 503 with Retry-After: short, so that a database restart"
                            + " fails requests fast instead of piling them up)");
    public static final Setting<Duration> STATEMENT_TIMEOUT =
            Setting.duration(
                    "VIGIL_DATABASE_STATEMENT_TIMEOUT",
                    "120s",
                    "longest a single statement may run (a 500,000-insight COPY takes seconds)");

    public static DatabaseConfig from(Env env) {
        return new DatabaseConfig(
                env.get(URL),
                env.get(USER),
                env.get(PASSWORD),
                env.get(POOL_SIZE),
                env.get(CONNECTION_TIMEOUT),
                env.get(STATEMENT_TIMEOUT));
    }

    @Override
    public String toString() {
        return "DatabaseConfig[url="
                + url
                + ", user="
                + user
                + ", password="
                + Env.mask(password)
                + ", poolSize="
                + poolSize
                + "]";
    }

    // String.split's rule is the accepted syntax: a trailing comma is tolerated and an empty entry
    // elsewhere is refused; a stricter split would refuse configurations that start today
    @SuppressWarnings("StringSplitter")
    private static String validateUrl(String raw) {
        String s = raw.trim();
        if (!s.startsWith("jdbc:postgresql://")) {
            throw new ConfigException(
                    "VIGIL_DATABASE_URL="
                            + maskUrl(s)
                            + " is invalid: it must start with jdbc:postgresql:// (for example"
                            + " jdbc:postgresql://localhost:5432/vigil)");
        }
        String rest = s.substring("jdbc:postgresql://".length());
        String hosts = rest.split("[/?]", 2)[0];
        if (hosts.isEmpty()) {
            throw new ConfigException(
                    "VIGIL_DATABASE_URL=" + maskUrl(s) + " is invalid: it names no host");
        }
        for (String host : hosts.split(",")) {
            try {
                URI u = URI.create("postgresql://" + host);
                if (u.getHost() == null) {
                    throw new IllegalArgumentException("no host");
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        "VIGIL_DATABASE_URL="
                                + maskUrl(s)
                                + " is invalid: '"
                                + host
                                + "' is not host[:port]",
                        e);
            }
        }
        return s;
    }

    /** Hides a password passed as a URL parameter. */
    static String maskUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1****");
    }
}
