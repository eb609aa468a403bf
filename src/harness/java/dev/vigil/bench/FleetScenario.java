package dev.vigil.bench;

import dev.vigil.bench.internal.FleetRig;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scenario {@code fleet} (issue 21, part 4): the fleet routes over HTTP on a large insights table
 * (full run: 1,000,000 insights over 1,000 accounts, a token of 300 of them): latency percentiles
 * of the fleet list's first page, a filtered page, a later cursor page, the counts and the summary;
 * beside the naive way measured in the same run, the same first page assembled from one list call
 * per account of the token, merged by the client.
 */
public final class FleetScenario {

    /**
     * How much to measure.
     *
     * @param reps timed requests per fleet query, after {@code warmUp} untimed ones
     * @param summaryReps timed requests of the summary, after 2 untimed ones: it counts the SLA
     *     breaches over every open episode of the fleet, about a second a call on the full seed
     * @param naiveReps timed naive answers (each one call per account of the token)
     * @param cursorPages how many pages in the later cursor page starts
     */
    public record Settings(
            int accounts,
            int insights,
            int tokenAccounts,
            int warmUp,
            int reps,
            int summaryReps,
            int naiveReps,
            int cursorPages) {

        public static Settings of(boolean quick) {
            return quick
                    ? new Settings(50, 20_000, 15, 5, 20, 5, 2, 5)
                    : new Settings(1_000, 1_000_000, 300, 30, 300, 20, 5, 20);
        }
    }

    /** The fleet list's p95 goal, in milliseconds. */
    static final double GOAL_P95_MS = 200;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Settings settings;
    private final PrintStream log;

    public FleetScenario(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    /** Latencies of one query, in milliseconds, in the order measured. */
    record Timings(String query, String path, List<Double> millis) {}

    /**
     * Runs the scenario.
     *
     * @throws BenchFailedException when a request fails or the naive answer differs
     */
    public ScenarioReport run() {
        log.printf(
                "bench fleet: seeding %,d insights over %,d accounts…%n",
                settings.insights(), settings.accounts());
        long t0 = System.nanoTime();
        try (FleetRig rig =
                new FleetRig(settings.accounts(), settings.insights(), settings.tokenAccounts())) {
            double seedSeconds = (System.nanoTime() - t0) / 1e9;
            log.printf("bench fleet: seeded in %.1f s%n", seedSeconds);
            Map<String, String> queries = new LinkedHashMap<>();
            queries.put("list, first page (50, by severity)", "v1/fleet/insights");
            queries.put("list, severity=critical", "v1/fleet/insights?severity=critical");
            queries.put(
                    "list, cursor page " + (settings.cursorPages() + 1),
                    "v1/fleet/insights?cursor=" + cursorAfter(rig, settings.cursorPages()));
            queries.put("counts by severity", "v1/fleet/insights/severity");
            queries.put("summary", "v1/fleet/summary");
            List<Timings> timings = new ArrayList<>();
            for (Map.Entry<String, String> q : queries.entrySet()) {
                boolean summary = q.getKey().equals("summary");
                for (int i = 0; i < (summary ? 2 : settings.warmUp()); i++) {
                    rig.get(q.getValue());
                }
                List<Double> ms = new ArrayList<>();
                for (int i = 0; i < (summary ? settings.summaryReps() : settings.reps()); i++) {
                    ms.add(rig.get(q.getValue()));
                }
                timings.add(new Timings(q.getKey(), q.getValue(), ms));
                log.printf(
                        "bench fleet: %s: p50 %.1f ms, p95 %.1f ms%n",
                        q.getKey(), Samples.percentile(ms, 50), Samples.percentile(ms, 95));
            }
            List<Double> naive = new ArrayList<>();
            List<Long> fleetFirst = ids(rig.body("v1/fleet/insights"));
            for (int i = 0; i < settings.naiveReps() + 1; i++) {
                long n0 = System.nanoTime();
                List<Long> merged = naiveFirstPage(rig);
                double ms = (System.nanoTime() - n0) / 1e6;
                if (!merged.equals(fleetFirst)) {
                    throw new BenchFailedException(
                            "fleet: the naive first page differs from the fleet route's: "
                                    + merged
                                    + " vs "
                                    + fleetFirst);
                }
                if (i > 0) {
                    naive.add(ms);
                }
            }
            log.printf(
                    "bench fleet: naive first page (%d calls): p50 %.1f ms%n",
                    settings.tokenAccounts(), Samples.percentile(naive, 50));
            return FleetReport.of(
                    settings, rig.tokenInsights(), seedSeconds, timings, naive, rig.explainCount());
        } catch (SQLException | RuntimeException e) {
            if (e instanceof BenchFailedException b) {
                throw b;
            }
            throw new BenchFailedException("fleet: the system under test failed: " + e, e);
        }
    }

    /** The cursor after {@code pages} pages of the default order. */
    private static String cursorAfter(FleetRig rig, int pages) {
        String cursor = "";
        for (int p = 0; p < pages; p++) {
            JsonNode page =
                    JSON.readTree(
                            rig.body(
                                    "v1/fleet/insights"
                                            + (cursor.isEmpty() ? "" : "?cursor=" + cursor)));
            cursor = page.get("result_info").get("cursor").asString();
        }
        return cursor;
    }

    /**
     * The naive fleet first page: each account's first page of 50 (one call each), merged in the
     * list's order (severity, then insight id, both descending) and cut to 50.
     */
    private static List<Long> naiveFirstPage(FleetRig rig) {
        record Row(int rank, long id) {}
        List<Row> all = new ArrayList<>();
        List<String> order = List.of("low", "moderate", "high", "critical");
        for (String account : rig.accounts()) {
            for (JsonNode r :
                    JSON.readTree(rig.body("v1/accounts/" + account + "/insights")).get("result")) {
                all.add(new Row(order.indexOf(r.get("severity").asString()), r.get("id").asLong()));
            }
        }
        all.sort(
                (a, b) ->
                        a.rank() != b.rank() ? b.rank() - a.rank() : Long.compare(b.id(), a.id()));
        return all.stream().limit(50).map(Row::id).toList();
    }

    private static List<Long> ids(String body) {
        List<Long> out = new ArrayList<>();
        JSON.readTree(body).get("result").forEach(r -> out.add(r.get("id").asLong()));
        return out;
    }
}
