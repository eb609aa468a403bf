package dev.vigil.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.api.ApiServer;
import dev.vigil.api.ApiSettings;
import dev.vigil.app.Wiring;
import dev.vigil.bench.internal.HistorySeed;
import dev.vigil.embedded.EmbeddedPostgres;
import dev.vigil.inventory.Migrations;
import dev.vigil.results.Database;
import dev.vigil.results.EpisodeRollups;
import dev.vigil.tokens.ApiTokens;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scenario {@code history} (issue 21, point 2): a year of insight history for a fleet of 1,000,000
 * targets (quick: 20,000) in PostgreSQL, read through the history routes over HTTP for the large
 * account (a tenth of the fleet): MTTR and SLA attainment over twelve months, the open insights
 * past their SLA, the diff over a week and over a year. Each route is timed first as the episodes
 * answer it (the naive way: every episode of the year read and sorted), then after the upkeep's
 * rollup pass; the answers of both are compared (counts, means and attainment must be equal; the
 * medians' largest difference is reported).
 */
public final class HistoryScenario {

    /**
     * How much to measure.
     *
     * @param targets targets (one zone, one insight each) in the fleet
     * @param accounts accounts they belong to (one of them holds a tenth of the targets)
     * @param reps timed calls per route and phase, after two warm-up calls
     */
    public record Settings(int targets, int accounts, int reps) {
        public static Settings of(boolean quick) {
            return quick ? new Settings(20_000, 20, 5) : new Settings(1_000_000, 1_000, 15);
        }
    }

    /** One route timed in one phase (milliseconds per call). */
    record Timing(String route, double p50, double p95) {}

    /** The row counts the figures are measured over. */
    record Rows(
            long insights,
            long episodes,
            long largeEpisodes,
            long largeResolvedInYear,
            long rollupRows,
            long largeRollupRows) {}

    private static final String MTTR = "MTTR, 12 months";
    private static final String PAST_SLA = "past SLA (count + first 100)";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Settings settings;
    private final PrintStream log;

    public HistoryScenario(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    /**
     * Runs the scenario.
     *
     * @throws BenchFailedException when a route fails or the two phases answer differently
     */
    public ScenarioReport run() {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            Migrations.apply(pg.dataSource());
            try (HikariDataSource db =
                            Database.pool(
                                    pg.jdbcUrl(),
                                    pg.user(),
                                    pg.password(),
                                    8,
                                    Duration.ofSeconds(30),
                                    Duration.ofMinutes(10));
                    ApiServer api =
                            Wiring.api(
                                    ApiServer.Options.of(ApiSettings.defaults().withPort(0), db),
                                    null);
                    HttpClient http = HttpClient.newHttpClient()) {
                long t0 = System.nanoTime();
                long episodes = HistorySeed.write(db, settings.targets(), settings.accounts());
                double seedSeconds = (System.nanoTime() - t0) / 1e9;
                log.printf(
                        "bench history: %,d targets, %,d episodes written in %.1f s%n",
                        settings.targets(), episodes, seedSeconds);
                String token =
                        ApiTokens.create(db)
                                .issueForAccounts(
                                        "bench", List.of(HistorySeed.LARGE_ACCOUNT), false);
                Map<String, URI> routes = routes(api.baseUrl());
                Map<String, JsonNode> before = new LinkedHashMap<>();
                List<Timing> episodesPhase = time(http, token, routes, before);

                long r0 = System.nanoTime();
                EpisodeRollups.Pass pass =
                        EpisodeRollups.create(
                                        db, Clock.systemUTC(), EpisodeRollups.DEFAULT_MONTHS_BACK)
                                .refresh();
                double rollupSeconds = (System.nanoTime() - r0) / 1e9;
                log.printf(
                        "bench history: rollup pass over %d months in %.1f s%n",
                        pass.rolled().size(), rollupSeconds);
                Map<String, JsonNode> after = new LinkedHashMap<>();
                List<Timing> rollupPhase = time(http, token, routes, after);
                double medianGap = compare(before, after);
                return HistoryReport.of(
                        settings,
                        rows(db),
                        seedSeconds,
                        rollupSeconds,
                        pass.rolled().size(),
                        episodesPhase,
                        rollupPhase,
                        medianGap);
            }
        } catch (SQLException | IOException | RuntimeException e) {
            throw new BenchFailedException("history: the system under test failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailedException("history: interrupted", e);
        }
    }

    /** The routes read, by label, for the large account. */
    private static Map<String, URI> routes(URI base) {
        YearMonth now = YearMonth.from(Instant.now().atOffset(ZoneOffset.UTC));
        String months = "?from=" + now.minusMonths(11) + "&to=" + now;
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String prefix = "v1/accounts/" + HistorySeed.LARGE_ACCOUNT + "/history/";
        Map<String, URI> out = new LinkedHashMap<>();
        out.put(MTTR, base.resolve(prefix + "mttr" + months));
        out.put("SLA attainment, 12 months", base.resolve(prefix + "sla-attainment" + months));
        out.put(PAST_SLA, base.resolve(prefix + "past-sla"));
        out.put(
                "diff, last 7 days",
                base.resolve(prefix + "diff?from=" + end.minus(Duration.ofDays(7)) + "&to=" + end));
        out.put(
                "diff, last 365 days",
                base.resolve(
                        prefix + "diff?from=" + end.minus(Duration.ofDays(365)) + "&to=" + end));
        return out;
    }

    private List<Timing> time(
            HttpClient http, String token, Map<String, URI> routes, Map<String, JsonNode> answers)
            throws IOException, InterruptedException {
        List<Timing> out = new ArrayList<>();
        for (Map.Entry<String, URI> r : routes.entrySet()) {
            for (int i = 0; i < 2; i++) {
                answers.put(r.getKey(), get(http, token, r.getValue()));
            }
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < settings.reps(); i++) {
                long t = System.nanoTime();
                get(http, token, r.getValue());
                ms.add((System.nanoTime() - t) / 1e6);
            }
            ms.sort(null);
            out.add(new Timing(r.getKey(), Samples.median(ms), percentile(ms, 0.95)));
        }
        return out;
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }

    private static JsonNode get(HttpClient http, String token, URI uri)
            throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(uri)
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new BenchFailedException(
                    "history: GET " + uri + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body()).get("result");
    }

    /**
     * Checks that the rollups answer as the episodes did; returns the largest relative difference
     * between two medians.
     */
    private static double compare(Map<String, JsonNode> before, Map<String, JsonNode> after) {
        for (String route : before.keySet()) {
            if (!route.equals(MTTR) && !Objects.equals(before.get(route), after.get(route))) {
                throw new BenchFailedException(
                        "history: '" + route + "' answers differently from the rollups");
            }
        }
        JsonNode a = Objects.requireNonNull(before.get(MTTR));
        JsonNode b = Objects.requireNonNull(after.get(MTTR));
        if (a.size() != b.size() || a.isEmpty()) {
            throw new BenchFailedException(
                    "history: MTTR has " + a.size() + " rows from episodes, " + b.size());
        }
        double gap = 0;
        for (int i = 0; i < a.size(); i++) {
            JsonNode x = a.get(i);
            JsonNode y = b.get(i);
            double mean = x.get("mean_seconds").asDouble();
            if (!x.get("month").equals(y.get("month"))
                    || x.get("resolved").asLong() != y.get("resolved").asLong()
                    || Math.abs(mean - y.get("mean_seconds").asDouble()) > 1e-6 * mean) {
                throw new BenchFailedException(
                        "history: MTTR row " + i + " differs: " + x + " vs " + y);
            }
            double median = x.get("median_seconds").asDouble();
            gap = Math.max(gap, Math.abs(median - y.get("median_seconds").asDouble()) / median);
        }
        return gap;
    }

    private static Rows rows(HikariDataSource db) throws SQLException {
        try (Connection c = db.getConnection();
                Statement st = c.createStatement()) {
            String large = "account_id = '" + HistorySeed.LARGE_ACCOUNT + "'";
            return new Rows(
                    one(st, "select count(*) from insights"),
                    one(st, "select count(*) from insight_episodes"),
                    one(st, "select count(*) from insight_episodes where " + large),
                    one(
                            st,
                            "select count(*) from insight_episodes where "
                                    + large
                                    + " and resolved_at >= date_trunc('month', now(), 'UTC')"
                                    + " - interval '11 months'"),
                    one(st, "select count(*) from episode_rollups"),
                    one(st, "select count(*) from episode_rollups where " + large));
        }
    }

    private static long one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
