package dev.vigil.app;

import dev.vigil.events.Lane;
import dev.vigil.worker.Worker;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code vigil demo}: the whole pipeline on one machine, with live progress on one line, until
 * Ctrl-C or the duration ends, then a summary comparing what was found with what was planted.
 */
public final class Demo {
    private final LocalPipeline.Options options;
    private final Duration duration;
    private final PrintStream out;

    public Demo(LocalPipeline.Options options, Duration duration, PrintStream out) {
        this.options = options;
        this.duration = duration;
        this.out = out;
    }

    /**
     * Runs the demo; returns the process exit code (0 when the insights match the planted ones).
     */
    public int run() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook =
                Thread.ofPlatform()
                        .unstarted(
                                () -> {
                                    stop.countDown();
                                    try {
                                        closed.await(60, TimeUnit.SECONDS);
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                });
        Runtime.getRuntime().addShutdownHook(hook);
        out.println(
                "vigil demo: starting embedded PostgreSQL and Kafka, generating "
                        + options.accounts()
                        + " accounts and "
                        + options.zones()
                        + " zones…");
        long t0 = System.nanoTime();
        InsightCensus census;
        try (LocalPipeline p = LocalPipeline.start(options)) {
            out.printf("vigil demo: up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            out.println("  dashboard  " + p.apiUrl() + "dashboard/   (sign in with the token)");
            out.println("  API        " + p.apiUrl() + "v1/accounts/{account_id}/insights");
            out.println(
                    "  token      "
                            + p.accountToken()
                            + "   (Authorization: Bearer …, sees every demo account)");
            String someAccount = p.fleet().targets().getFirst().accountId();
            out.println(
                    "  try        curl -H 'Authorization: Bearer "
                            + p.accountToken()
                            + "' '"
                            + p.apiUrl()
                            + "v1/accounts/"
                            + someAccount
                            + "/insights?severity=critical'");
            out.println("  metrics    " + p.managementUrl() + "metrics   (also /livez, /readyz)");
            out.println(
                    "  stop       Ctrl-C"
                            + (duration.isZero()
                                    ? ""
                                    : " (or wait " + duration.toSeconds() + " s)"));
            progress(p, stop);
            out.println();
            out.println("vigil demo: stopping…");
            p.scheduler().close();
            awaitQuiet(p);
            census = InsightCensus.take(p.database(), p.fleet().planted());
            long scanned = scannedTargets(p);
            out.printf(
                    "vigil demo: scans=%d targets_scanned=%d/%d dead_letters=%d%n",
                    p.scansDone(),
                    scanned,
                    p.fleet().targets().size(),
                    p.workers().stream().mapToLong(Worker::deadLettered).sum());
            out.println("vigil demo: " + census);
        } finally {
            closed.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        return census.exact() ? 0 : 1;
    }

    private void progress(LocalPipeline p, CountDownLatch stop) throws InterruptedException {
        boolean tty = System.console() != null;
        long end = duration.isZero() ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        long lastScans = 0;
        long lastT = System.nanoTime();
        int tick = 0;
        try (LagProbe lag = new LagProbe(p.kafkaBootstrap(), p.topics().scanRequests())) {
            while (System.nanoTime() < end && !stop.await(1, TimeUnit.SECONDS)) {
                long now = System.nanoTime();
                long scans = p.scansDone();
                double rate = (scans - lastScans) / ((now - lastT) / 1e9);
                lastScans = scans;
                lastT = now;
                tick++;
                if (!tty && tick % 5 != 0) {
                    continue;
                }
                String line =
                        String.format(
                                "scans=%d  %.0f scans/s  open_insights=%d  lag fast=%d slow=%d  published=%d",
                                scans,
                                rate,
                                openInsights(p),
                                lag.lag(Worker.groupId(Lane.FAST)),
                                lag.lag(Worker.groupId(Lane.SLOW)),
                                p.scheduler().published());
                if (tty) {
                    out.print("\r" + line + "   ");
                } else {
                    out.println(line);
                }
                out.flush();
            }
        }
    }

    /** After the scheduler stopped, waits (bounded) until the workers have caught up. */
    private static void awaitQuiet(LocalPipeline p) throws InterruptedException {
        try (LagProbe lag = new LagProbe(p.kafkaBootstrap(), p.topics().scanRequests())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                if (lag.lag(Worker.groupId(Lane.FAST)) == 0
                        && lag.lag(Worker.groupId(Lane.SLOW)) == 0) {
                    return;
                }
                Thread.sleep(200);
            }
        }
    }

    private static long openInsights(LocalPipeline p) {
        return Jdbi.create(p.database())
                .withHandle(
                        h ->
                                h.createQuery("select count(*) from insights where status = 'open'")
                                        .mapTo(Long.class)
                                        .one());
    }

    private static long scannedTargets(LocalPipeline p) {
        return Jdbi.create(p.database())
                .withHandle(
                        h ->
                                h.createQuery(
                                                "select count(*) from targets where last_result_at is not null")
                                        .mapTo(Long.class)
                                        .one());
    }
}
