package dev.vigil.bench;

import static dev.vigil.bench.Samples.median;

import dev.vigil.bench.internal.ProcessStats;
import dev.vigil.inventory.Plan;
import dev.vigil.inventory.Target;
import dev.vigil.simulate.ConfigService;
import dev.vigil.sources.ConfigDocument;
import dev.vigil.sources.HttpConfigSource;
import dev.vigil.telemetry.Tracing;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scenario {@code fetch}: configuration documents fetched per second through the worker's HTTP
 * config source ({@link HttpConfigSource} with the worker's defaults: 10 s timeout, 16 MiB cap, 128
 * fetches per host) from the simulated config service on loopback, which answers at once. With no
 * latency to wait for, the figure is what a fetch costs in CPU: the client's and the service's,
 * which share this process, reported per fetch beside the rate.
 *
 * <p>Three ways, interleaved per measurement so that a slow patch of a shared machine hits them
 * alike: Vigil with as many fetches in flight as a worker's batch keeps ({@link
 * Settings#concurrency()}, each on its own virtual thread), Vigil one fetch at a time, and the
 * naive way of a scanner that runs one script per target: one fetch at a time over a new connection
 * each ({@link HttpURLConnection} with {@code Connection: close}). The profile said the fetch's
 * HTTP client was a quarter of the fast worker's samples (docs/perf/2026-12-06-fetch-once.md); this
 * scenario measures that path alone, so a change of client can be judged without the pipeline's
 * noise.
 */
public final class FetchScenario {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * How much to measure.
     *
     * @param concurrency fetches in flight in Vigil's concurrent way
     * @param targets distinct target ids fetched in turn (all serve the same document)
     * @param warmUp per way, before measuring
     * @param reps measurements per way; the median is reported
     * @param rep the length of one measurement (at least one fetch)
     */
    public record Settings(int concurrency, int targets, Duration warmUp, int reps, Duration rep) {
        public static Settings of(boolean quick) {
            return quick
                    ? new Settings(64, 1_000, Duration.ofMillis(800), 3, Duration.ofMillis(400))
                    : new Settings(64, 10_000, Duration.ofSeconds(10), 5, Duration.ofSeconds(4));
        }
    }

    /** One way's median rate and the process CPU per fetch in that measurement. */
    record Way(String name, double perSecond, double cpuMicrosPerFetch) {}

    /** What one measurement counted. */
    private record Run(long fetches, long nanos, long cpuNanos) {
        double perSecond() {
            return fetches / (nanos / 1e9);
        }

        double cpuMicrosPerFetch() {
            return cpuNanos / 1e3 / fetches;
        }
    }

    private final Settings s;
    private final PrintStream log;

    public FetchScenario(Settings settings, PrintStream log) {
        this.s = settings;
        this.log = log;
    }

    /**
     * Runs the scenario.
     *
     * @throws BenchFailedException when a fetch fails or brings other bytes than were served
     */
    public ScenarioReport run() {
        byte[] document = JSON.writeValueAsBytes(BenchmarkDocuments.typicalZone());
        List<Target> targets = new ArrayList<>(s.targets());
        for (int i = 0; i < s.targets(); i++) {
            targets.add(Target.zone("z-" + i, "a-" + i % 100, "zone-" + i + ".example", Plan.PRO));
        }
        try (ConfigService service = ConfigService.start(id -> document);
                HttpConfigSource source =
                        HttpConfigSource.create(
                                service.baseUrl(),
                                Duration.ofSeconds(10),
                                null,
                                HttpConfigSource.DEFAULT_MAX_DOCUMENT_BYTES,
                                HttpConfigSource.DEFAULT_MAX_PER_HOST,
                                Tracing.noop())) {
            log.printf(
                    "bench fetch: the typical zone's document (%,d bytes) from %s…%n",
                    document.length, service.baseUrl());
            Fetcher vigil =
                    i -> {
                        ConfigDocument d = source.fetch(targets.get(i));
                        return d.json().length;
                    };
            Fetcher naive = i -> naiveFetch(source, targets.get(i));
            List<Ways> ways =
                    List.of(
                            new Ways(
                                    "Vigil, " + s.concurrency() + " in flight",
                                    vigil,
                                    s.concurrency()),
                            new Ways("Vigil, one at a time", vigil, 1),
                            new Ways("naive: one at a time, a connection each", naive, 1));
            for (Ways w : ways) {
                measure(w, s.warmUp(), document.length);
            }
            List<List<Run>> runs = new ArrayList<>();
            ways.forEach(w -> runs.add(new ArrayList<>()));
            for (int r = 0; r < s.reps(); r++) {
                for (int w = 0; w < ways.size(); w++) {
                    runs.get(w).add(measure(ways.get(w), s.rep(), document.length));
                }
            }
            List<Way> out = new ArrayList<>();
            for (int w = 0; w < ways.size(); w++) {
                List<Run> rs = runs.get(w);
                Way way =
                        new Way(
                                ways.get(w).name(),
                                median(rs.stream().map(Run::perSecond).toList()),
                                median(rs.stream().map(Run::cpuMicrosPerFetch).toList()));
                log.printf(
                        "bench fetch: %s: %s fetches/s, %.0f µs of process CPU per fetch%n",
                        way.name(), Samples.rate(way.perSecond()), way.cpuMicrosPerFetch());
                out.add(way);
            }
            return FetchReport.of(s, document.length, out);
        } catch (BenchFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BenchFailedException("fetch: the system under test failed: " + e, e);
        }
    }

    /** One fetch of target {@code i}, answering the document's length in bytes. */
    private interface Fetcher {
        int fetch(int i);
    }

    private record Ways(String name, Fetcher fetcher, int threads) {}

    /**
     * Runs {@code way} for {@code length} on its threads, each taking the next target in turn, and
     * checks every document's length.
     */
    private Run measure(Ways way, Duration length, int expectedBytes) {
        LongAdder fetches = new LongAdder();
        AtomicLong next = new AtomicLong();
        long cpu0 = ProcessStats.now(null).jvmCpu().toNanos();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < way.threads(); t++) {
                running.add(
                        threads.submit(
                                () -> {
                                    do {
                                        int i = (int) (next.getAndIncrement() % s.targets());
                                        int got = way.fetcher().fetch(i);
                                        if (got != expectedBytes) {
                                            throw new BenchFailedException(
                                                    "fetch: "
                                                            + way.name()
                                                            + " brought "
                                                            + got
                                                            + " bytes, the service served "
                                                            + expectedBytes);
                                        }
                                        fetches.increment();
                                    } while (System.nanoTime() < end);
                                    return null;
                                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof BenchFailedException b) {
                throw b;
            }
            throw new BenchFailedException("fetch: " + way.name() + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailedException("fetch: interrupted", e);
        }
        long nanos = System.nanoTime() - start;
        long cpu = ProcessStats.now(null).jvmCpu().toNanos() - cpu0;
        return new Run(fetches.sum(), nanos, cpu);
    }

    /**
     * The naive fetch: a new connection for one GET, read to its end, then closed (what {@code
     * curl} per target does). The URL is the source's own, so both ways ask for the same resource.
     */
    private static int naiveFetch(HttpConfigSource source, Target target) {
        try {
            HttpURLConnection c =
                    (HttpURLConnection)
                            source.urlOf(target.targetId()).toURL().openConnection(Proxy.NO_PROXY);
            c.setRequestProperty("Accept", "application/json");
            c.setRequestProperty("Connection", "close");
            c.setUseCaches(false);
            try {
                if (c.getResponseCode() != 200) {
                    throw new BenchFailedException(
                            "fetch: the naive way got HTTP " + c.getResponseCode());
                }
                try (InputStream in = c.getInputStream()) {
                    return in.readAllBytes().length;
                }
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("naive fetch of " + target.targetId(), e);
        }
    }
}
