package dev.vigil.app;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.config.Env;
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
    private final boolean verbose;

    /** A demo whose JSON logs go to {@link DemoLogs#FILE}, off the terminal. */
    public Demo(LocalPipeline.Options options, Duration duration, PrintStream out) {
        this(options, duration, out, false);
    }

    /**
     * @param verbose keep the JSON logs on stderr instead of sending them to a file
     */
    public Demo(
            LocalPipeline.Options options, Duration duration, PrintStream out, boolean verbose) {
        this.options = options;
        this.duration = duration;
        this.out = out;
        this.verbose = verbose;
    }

    /**
     * Runs the demo; returns the process exit code (0 when the insights match the planted ones).
     */
    public int run() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        // Ctrl-C (SIGINT) and SIGTERM ask the demo to stop: it drains, prints its summary and
        // returns the census's exit code. The embedded PostgreSQL does not see a terminal's Ctrl-C:
        // pg_ctl starts it in a session of its own.
        try (StopSignals _ = StopSignals.install(stop::countDown)) {
            return run(stop);
        }
    }

    private int run(CountDownLatch stop) throws InterruptedException {
        out.println(
                "vigil demo: starting embedded PostgreSQL and Kafka, generating "
                        + options.accounts()
                        + " accounts and "
                        + options.zones()
                        + " zones…");
        boolean logsInFile = !verbose && DemoLogs.toFile(DemoLogs.FILE);
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
            HikariDataSource db = p.database();
            out.println(
                    "  database   "
                            + db.getJdbcUrl()
                            + "   (user "
                            + db.getUsername()
                            + ", password "
                            + db.getPassword()
                            + "; for vigil token, vigil import, psql)");
            out.println(
                    "  env        export VIGIL_DATABASE_URL='"
                            + db.getJdbcUrl()
                            + "' VIGIL_DATABASE_USER="
                            + db.getUsername()
                            + " VIGIL_DATABASE_PASSWORD="
                            + db.getPassword());
            out.println(
                    "  logs       "
                            + (logsInFile
                                    ? DemoLogs.FILE + "   (JSON lines; --verbose shows them here)"
                                    : "on stderr, JSON lines"));
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
        }
        return census.exact() ? 0 : 1;
    }

    private void progress(LocalPipeline p, CountDownLatch stop) throws InterruptedException {
        boolean tty = Env.onTerminal();
        long end = duration.isZero() ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        // The line stands for the last 5 s (printed every 5 s when not a terminal): its rate is
        // the average over them.
        ScanRate rates = new ScanRate(TimeUnit.SECONDS.toNanos(5));
        rates.add(System.nanoTime(), p.scansDone());
        int tick = 0;
        try (LagProbe lag = new LagProbe(p.kafkaBootstrap(), p.topics().scanRequests())) {
            while (System.nanoTime() < end && !stop.await(1, TimeUnit.SECONDS)) {
                long scans = p.scansDone();
                double rate = rates.add(System.nanoTime(), scans);
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
