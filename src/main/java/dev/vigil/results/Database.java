package dev.vigil.results;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;

/**
 * Connection pools for the results API.
 *
 * <p>The API writes results, so it connects to the PostgreSQL <em>primary</em> only: it runs beside
 * the primary (active-passive across regions) and a replica would refuse its writes. For a
 * multi-host URL ({@code jdbc:postgresql://a:5432,b:5432/vigil}) {@code targetServerType=primary}
 * is appended, so pgjdbc picks whichever host is currently the primary after a failover.
 */
public final class Database {

    /** Default pool size: writes hold a connection for a whole result, so a few suffice. */
    public static final int DEFAULT_POOL_SIZE = 10;

    /** Default wait for a free connection before a request fails (retriable, 503). */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);

    /** Default statement timeout: a 500,000-finding upsert takes seconds, not minutes. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofMinutes(2);

    private Database() {}

    /**
     * A pool against the primary. The caller owns (and closes) the returned pool.
     *
     * @throws IllegalArgumentException naming the setting when a value is out of range
     */
    public static HikariDataSource pool(
            String url,
            String user,
            String password,
            int poolSize,
            Duration connectionTimeout,
            Duration statementTimeout) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("pool size must be at least 1, got " + poolSize);
        }
        if (connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException(
                    "connection timeout must be at least 250ms (HikariCP's minimum), got "
                            + connectionTimeout);
        }
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(primaryOnly(url));
        c.setUsername(user);
        c.setPassword(password);
        c.setMaximumPoolSize(poolSize);
        c.setConnectionTimeout(connectionTimeout.toMillis());
        c.setPoolName("vigil-results");
        // Set per connection, not per statement, so that no code path can forget it.
        c.setConnectionInitSql("set statement_timeout = " + statementTimeout.toMillis());
        return new HikariDataSource(c);
    }

    /** {@code url} with {@code targetServerType=primary} when it names more than one host. */
    static String primaryOnly(String url) {
        String rest = url.startsWith("jdbc:postgresql://") ? url.substring(18) : "";
        int slash = rest.indexOf('/');
        String hosts = slash < 0 ? rest : rest.substring(0, slash);
        if (!hosts.contains(",") || url.contains("targetServerType=")) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + "targetServerType=primary";
    }
}
