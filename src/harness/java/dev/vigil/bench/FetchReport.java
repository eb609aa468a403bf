package dev.vigil.bench;

import static dev.vigil.bench.Samples.count;
import static dev.vigil.bench.Samples.rate;
import static dev.vigil.bench.internal.MarkdownTable.left;
import static dev.vigil.bench.internal.MarkdownTable.right;

import dev.vigil.bench.FetchScenario.Way;
import dev.vigil.bench.internal.MarkdownTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Markdown section and the headline of the {@code fetch} scenario. */
final class FetchReport {
    private FetchReport() {}

    static ScenarioReport of(FetchScenario.Settings s, int bytes, List<Way> ways) {
        StringBuilder md = new StringBuilder();
        md.append(
                String.format(
                        "The typical zone's document (%s KiB) fetched from the simulated config"
                                + " service on 127.0.0.1, which answers at once, by %s target ids in"
                                + " turn. Per way: warm-up %.1f s, then the median of %d"
                                + " measurements of %.1f s, the ways interleaved.%n%n",
                        count(bytes / 1024.0),
                        count(s.targets()),
                        s.warmUp().toMillis() / 1000.0,
                        s.reps(),
                        s.rep().toMillis() / 1000.0));
        Way vigil = ways.getFirst();
        Way naive = ways.getLast();
        MarkdownTable table =
                MarkdownTable.of(
                        left("way"),
                        right("fetches/s"),
                        right("process CPU per fetch"),
                        right("÷ naive (rate)"));
        for (Way w : ways) {
            table.row(
                    w.name(),
                    rate(w.perSecond()) + " /s",
                    String.format("%.0f µs", w.cpuMicrosPerFetch()),
                    String.format("%.1f×", w.perSecond() / naive.perSecond()));
        }
        md.append(table);
        md.append(
                "\nVigil's way is the worker's: `HttpConfigSource` with its defaults (a blocking"
                        + " HTTP/1.1 exchange on the fetching virtual thread, connections kept"
                        + " alive and reused, at most 128 fetches"
                        + " per host, the whole fetch under one timeout, the body capped as it"
                        + " arrives, the opening of the body checked). The naive way is a scanner"
                        + " running one script per target: one fetch at a time, each over a new"
                        + " connection. The process CPU per fetch is this JVM's CPU time over the"
                        + " measurement divided by the fetches: the client's work and the"
                        + " simulated service's (the JDK's HTTP server, one virtual thread per"
                        + " exchange) together, the same service for every way, so differences"
                        + " between ways are the clients'.\n\n"
                        + "**Where the time goes.** With nothing to wait for, the rate is bound by"
                        + " CPU; the service's share is the same per fetch in every way, the"
                        + " connection set-up is what the naive way adds, and one at a time pays a"
                        + " thread's wake-up per exchange on each side, which the concurrent way"
                        + " shares among its fetches"
                        + " (docs/benchmarks/2026-12-06-blocking-fetch).\n");
        String headline =
                String.format(
                        "fetch: %s documents/s with %d in flight (%.0f µs of CPU per fetch, client"
                                + " and service), one at a time %s/s (%.0f µs); naive (a connection"
                                + " per fetch) %s/s (%.0f µs)",
                        rate(vigil.perSecond()),
                        s.concurrency(),
                        vigil.cpuMicrosPerFetch(),
                        rate(ways.get(1).perSecond()),
                        ways.get(1).cpuMicrosPerFetch(),
                        rate(naive.perSecond()),
                        naive.cpuMicrosPerFetch());
        Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
        for (Way w : ways) {
            bars.computeIfAbsent("fetches/s", k -> new LinkedHashMap<>())
                    .put(w.name(), w.perSecond());
        }
        List<Chart> charts =
                List.of(
                        new Chart.Bars(
                                "fetch.png",
                                "fetch: documents/s, Vigil vs a connection per fetch",
                                "fetches/s",
                                bars,
                                false));
        return new ScenarioReport(
                "fetch",
                md.toString(),
                headline,
                String.format(
                        "%s fetches/s (%.0f µs CPU each)",
                        rate(vigil.perSecond()), vigil.cpuMicrosPerFetch()),
                String.format(
                        "a connection per fetch: %s fetches/s (%.0f µs CPU each)",
                        rate(naive.perSecond()), naive.cpuMicrosPerFetch()),
                List.of(),
                charts);
    }
}
