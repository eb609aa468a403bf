package dev.vigil.bench.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.api.ApiServer;
import dev.vigil.api.ApiSettings;
import dev.vigil.app.Wiring;
import dev.vigil.embedded.EmbeddedPostgres;
import dev.vigil.inventory.Migrations;
import dev.vigil.results.Database;
import dev.vigil.results.ResultWriter;
import dev.vigil.tokens.ApiTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the {@code fleet} scenario measures against: an embedded PostgreSQL seeded server-side
 * ({@code generate_series}, so no row crosses the wire) with accounts of five zones each and their
 * insights, the API over HTTP, and an account token of the first {@code tokenAccounts} accounts.
 * {@link #get} times one request. Not thread-safe.
 */
public final class FleetRig implements AutoCloseable {

    /** Zones per account. */
    public static final int ZONES = 5;

    /**
     * The seeded insights: account {@code n % accounts}, zone {@code n / accounts % 5}; severity
     * and check by a hash of {@code n} (so that every account has some of each, not one severity
     * per account as {@code n % 100} would give): 5 % critical, 20 % high, 35 % moderate, the rest
     * low; one in five resolved (by another hash); first seen over the last 60 days.
     */
    private static final String SEED_INSIGHTS =
            """
            insert into insights (account_id, zone_id, check_id, resource_key, severity,
                                  issue_type, subject, message, status, first_seen_at,
                                  last_seen_at, resolved_at, last_scan_id)
            select 'acc' || lpad((n % %ACCOUNTS%)::text, 5, '0'),
                   'z' || (n % %ACCOUNTS%) || '-' || (n / %ACCOUNTS% % 5),
                   (array['tls.ssl_flexible', 'dns.dangling_cname', 'email.no_dmarc',
                          'waf.off', 'access.weak_mfa'])[1 + abs(hashint4(n + 1)) % 5],
                   'r' || n,
                   case when abs(hashint4(n)) % 100 < 5 then 'critical'
                        when abs(hashint4(n)) % 100 < 25 then 'high'
                        when abs(hashint4(n)) % 100 < 60 then 'moderate' else 'low' end,
                   'insecure_configuration',
                   'host-' || n || '.example.com', 'seeded',
                   case when abs(hashint4(n + 2)) % 5 = 0 then 'resolved' else 'open' end,
                   now() - make_interval(hours => n % 1440),
                   now() - make_interval(mins => n % 600),
                   case when abs(hashint4(n + 2)) % 5 = 0 then now() else null end,
                   gen_random_uuid()
            from generate_series(1, %INSIGHTS%) n
            """;

    private final List<AutoCloseable> owned = new ArrayList<>();
    private final HikariDataSource db;
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final String token;
    private final List<String> accounts;

    /** Starts PostgreSQL and the API and seeds them; the token sees {@code tokenAccounts}. */
    public FleetRig(int accountCount, int insights, int tokenAccounts) throws SQLException {
        EmbeddedPostgres pg = own(EmbeddedPostgres.start());
        Migrations.apply(pg.dataSource());
        db =
                own(
                        Database.pool(
                                pg.jdbcUrl(),
                                pg.user(),
                                pg.password(),
                                8,
                                Duration.ofSeconds(30),
                                Duration.ofMinutes(30)));
        seed(accountCount, insights);
        accounts = new ArrayList<>();
        for (int a = 0; a < tokenAccounts; a++) {
            accounts.add(String.format("acc%05d", a));
        }
        token = ApiTokens.create(db).issueForAccounts("fleet-bench", accounts);
        // No per-token rate limit: the naive baseline alone makes hundreds of calls a second.
        ApiSettings settings =
                new ApiSettings(
                        ApiSettings.DEFAULT_HOST,
                        0,
                        ResultWriter.DEFAULT_MAX_FINDINGS,
                        ResultWriter.DEFAULT_UNNEST_THRESHOLD,
                        0);
        ApiServer api = own(Wiring.api(ApiServer.Options.of(settings, db), null));
        base = api.baseUrl();
    }

    private void seed(int accountCount, int insights) throws SQLException {
        try (Connection c = db.getConnection();
                Statement st = c.createStatement()) {
            st.execute(
                    "insert into targets (target_id, kind, account_id, name, plan, next_due_at)"
                            + " select 'acc' || lpad(a::text, 5, '0'), 'account',"
                            + " 'acc' || lpad(a::text, 5, '0'), 'Account ' || a, 'pro',"
                            + " now() + interval '1 hour' from generate_series(0, "
                            + (accountCount - 1)
                            + ") a");
            st.execute(
                    "insert into targets (target_id, kind, account_id, zone_id, name, plan,"
                            + " next_due_at) select 'z' || a || '-' || z, 'zone',"
                            + " 'acc' || lpad(a::text, 5, '0'), 'z' || a || '-' || z,"
                            + " 'zone' || z || '.acc' || a || '.example', 'pro',"
                            + " now() + make_interval(mins => (a * 5 + z) % 120 - 60)"
                            + " from generate_series(0, "
                            + (accountCount - 1)
                            + ") a, generate_series(0, "
                            + (ZONES - 1)
                            + ") z");
            st.execute(
                    SEED_INSIGHTS
                            .replace("%ACCOUNTS%", Integer.toString(accountCount))
                            .replace("%INSIGHTS%", Integer.toString(insights)));
            // Autovacuum would get there; the bench does not wait for it.
            st.execute("vacuum (analyze) insights");
            st.execute("vacuum (analyze) targets");
        }
    }

    /** The accounts of the token, in order. */
    public List<String> accounts() {
        return List.copyOf(accounts);
    }

    /** How many insights the token's accounts hold. */
    public long tokenInsights() throws SQLException {
        try (Connection c = db.getConnection();
                var ps =
                        c.prepareStatement(
                                "select count(*) from insights where account_id =" + " any(?)")) {
            ps.setArray(1, c.createArrayOf("text", accounts.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The plan PostgreSQL chooses for the fleet's open-insight count, one line per node. */
    public List<String> explainCount() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                var ps =
                        c.prepareStatement(
                                "explain (analyze, costs off, timing off, summary off)"
                                        + " select count(*) from insights i where i.account_id ="
                                        + " any(cast(? as text[])) and i.status = any(cast(? as"
                                        + " text[]))")) {
            ps.setArray(1, c.createArrayOf("text", accounts.toArray()));
            ps.setArray(2, c.createArrayOf("text", new Object[] {"open"}));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** A GET of {@code path} with the token; the body, which must come with a 200. */
    public String body(String path) {
        HttpResponse<String> r = send(path);
        if (r.statusCode() != 200) {
            throw new IllegalStateException(
                    "GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** Times a GET of {@code path} (200 required), in milliseconds. */
    public double get(String path) {
        long t0 = System.nanoTime();
        body(path);
        return (System.nanoTime() - t0) / 1e6;
    }

    private HttpResponse<String> send(String path) {
        HttpRequest req =
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofMinutes(2))
                        .build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + path, e);
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    @Override
    public void close() {
        http.close();
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                // best effort: the rest still gets closed
            }
        }
    }
}
