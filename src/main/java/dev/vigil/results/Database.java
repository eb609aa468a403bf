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
 * is appended, so pgjdbc picks whichever host is currently the primary after a failover, and {@code
 * hostRecheckSeconds=2} unless the URL sets it: pgjdbc remembers what it last saw of each host
 * (down, or a standby) for that long before it tries the host again, 10 s by default, so a promoted
 * standby was refused for up to 10 s after its promotion. Only new connections look at the hosts,
 * so a shorter memory costs nothing while the primary is up.
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

    /** How long pgjdbc trusts what it saw of a host of a multi-host URL; see the class comment. */
    static final int HOST_RECHECK_SECONDS = 2;

    /**
     * {@code url} with {@code targetServerType=primary} and {@code hostRecheckSeconds} when it
     * names more than one host, each only when the URL does not set it already.
     */
    static String primaryOnly(String url) {
        String rest = url.startsWith("jdbc:postgresql://") ? url.substring(18) : "";
        int slash = rest.indexOf('/');
        String hosts = slash < 0 ? rest : rest.substring(0, slash);
        if (!hosts.contains(",")) {
            return url;
        }
        String out = url;
        if (!out.contains("targetServerType=")) {
            out += (out.contains("?") ? "&" : "?") + "targetServerType=primary";
        }
        if (!out.contains("hostRecheckSeconds=")) {
            out += (out.contains("?") ? "&" : "?") + "hostRecheckSeconds=" + HOST_RECHECK_SECONDS;
        }
        return out;
    }
}
