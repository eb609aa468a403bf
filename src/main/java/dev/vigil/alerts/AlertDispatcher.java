package dev.vigil.alerts;

import dev.vigil.alerts.internal.AttemptRecorder;
import dev.vigil.alerts.internal.Backoff;
import dev.vigil.alerts.internal.Claimed;
import dev.vigil.alerts.internal.MessageAssembly;
import dev.vigil.alerts.internal.MessageAssembly.Prepared;
import dev.vigil.alerts.internal.MessageClaims;
import dev.vigil.alerts.internal.OutboxGrouper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the alerts the results transaction queued: on one platform thread it groups due outbox
 * rows into messages ({@link OutboxGrouper}), claims due messages ({@link MessageClaims}) and hands
 * each to a virtual thread that builds it, sends it through the {@link Sender} and records the
 * attempt ({@link AttemptRecorder}); at most {@link DispatcherConfig#concurrency()} at once.
 *
 * <p>Delivery contract: at least once, with the same message id (the {@code webhook-id}) on every
 * attempt. A message is claimed by moving its next attempt a lease ahead in a committed statement,
 * so several api replicas share the work without sending a message twice at once, and a replica
 * that dies between claim and record leaves the message to be claimed again when the lease ends. A
 * receiver can tell a repeat by its id. Retries follow the outcome's type only ({@link
 * DeliveryOutcome}).
 *
 * <p>Lifecycle: {@link #start} starts the loop; {@link #close()} stops claiming at once, then waits
 * up to {@link DispatcherConfig#closeDeadline()} for the deliveries in flight, and interrupts those
 * still running after it: what they sent is not recorded, and their messages go again after their
 * lease. The data source stays the caller's.
 */
public final class AlertDispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertDispatcher.class);

    /** A failing database is retried at this pace at most, not at the poll interval. */
    private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);

    private final OutboxGrouper grouper;
    private final MessageClaims claims;
    private final MessageAssembly assembly;
    private final AttemptRecorder recorder;
    private final Sender sender;
    private final AlertMetrics metrics;
    private final DispatcherConfig config;
    private final Semaphore slots;
    private final ExecutorService deliveries;
    private final Semaphore wakeUps = new Semaphore(0);
    private final Thread loop;
    private volatile boolean running = true;

    private AlertDispatcher(
            Jdbi jdbi,
            Sender sender,
            DispatcherConfig config,
            Optional<SecretBox> secrets,
            AlertMetrics metrics) {
        this.grouper = OutboxGrouper.create(jdbi, config.groupBatch(), config.giveUp());
        this.claims = MessageClaims.create(jdbi, config.lease());
        this.assembly = MessageAssembly.create(jdbi, secrets, config.dashboard());
        this.recorder =
                AttemptRecorder.create(jdbi, Backoff.of(config.backoffBase(), config.backoffCap()));
        this.sender = sender;
        this.metrics = metrics;
        this.config = config;
        this.slots = new Semaphore(config.concurrency());
        this.deliveries =
                Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name("vigil-alert-delivery-", 0).factory());
        this.loop = Thread.ofPlatform().name("vigil-alert-dispatcher").unstarted(this::run);
    }

    /**
     * Starts a dispatcher over {@code dataSource} (the primary's: it writes), sending through
     * {@code sender}.
     *
     * @param secrets the box opening the destinations' sealed secrets ({@link SecretBox#from});
     *     when empty, a message to a destination with a secret is refused, saying so
     */
    public static AlertDispatcher start(
            DataSource dataSource,
            Sender sender,
            DispatcherConfig config,
            Optional<SecretBox> secrets,
            AlertMetrics metrics) {
        AlertDispatcher d =
                new AlertDispatcher(Jdbi.create(dataSource), sender, config, secrets, metrics);
        d.loop.start();
        log.info(
                "alert dispatcher started (poll {}, lease {}, {} deliveries at once, links to {})",
                config.poll(),
                config.lease(),
                config.concurrency(),
                config.dashboard());
        return d;
    }

    private void run() {
        while (running) {
            Duration pause = config.poll();
            try {
                grouper.groupDue();
                int free = slots.availablePermits();
                if (free > 0) {
                    List<Claimed> claimed = claims.claim(free);
                    for (Claimed c : claimed) {
                        slots.acquireUninterruptibly();
                        deliveries.execute(() -> deliverThenFree(c));
                    }
                    if (claimed.size() == free) {
                        pause = Duration.ZERO; // a backlog: claim again as soon as a slot frees
                    }
                }
            } catch (RuntimeException e) {
                log.warn(
                        "alert dispatch round failed, trying again in {}: {}",
                        ERROR_PAUSE,
                        e.toString());
                pause = ERROR_PAUSE;
            }
            if (!pause.isZero() || slots.availablePermits() == 0) {
                await(pause.isZero() ? config.poll() : pause);
            }
        }
    }

    /** Waits {@code pause}, or less when a delivery ends or {@link #close()} is called. */
    private void await(Duration pause) {
        try {
            if (wakeUps.tryAcquire(Math.max(1, pause.toMillis()), TimeUnit.MILLISECONDS)) {
                wakeUps.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void wake() {
        wakeUps.release();
    }

    private void deliverThenFree(Claimed c) {
        try {
            deliver(c);
        } catch (RuntimeException e) {
            log.warn(
                    "alert message {} attempt {} failed before its outcome was recorded; it goes"
                            + " again after its lease ({}): {}",
                    c.messageId(),
                    c.attempt(),
                    config.lease(),
                    e.toString());
        } finally {
            slots.release();
            wake();
        }
    }

    private void deliver(Claimed c) {
        Prepared prepared = assembly.prepare(c);
        DeliveryOutcome outcome =
                switch (prepared) {
                    case Prepared.Ready r -> send(r.message(), r.destination());
                    case Prepared.Unsendable u ->
                            new DeliveryOutcome.Refused(null, u.error(), Duration.ZERO);
                };
        if (Thread.currentThread().isInterrupted()) {
            log.info(
                    "alert message {} attempt {} was cut by shutdown; it goes again after its"
                            + " lease ({})",
                    c.messageId(),
                    c.attempt(),
                    config.lease());
            return;
        }
        recorder.record(c, outcome);
        metrics.attempt(prepared.kind(), outcome);
        if (outcome instanceof DeliveryOutcome.Delivered && prepared instanceof Prepared.Ready r) {
            if (!r.message().test()) {
                Instant earliest =
                        r.message().events().stream()
                                .map(AlertEvent::at)
                                .min(Instant::compareTo)
                                .orElse(r.message().createdAt());
                metrics.delivered(Duration.between(earliest, Instant.now()));
            }
        } else if (!(outcome instanceof DeliveryOutcome.Retry)) {
            log.warn(
                    "alert message {} to destination {} ended {}: {}",
                    c.messageId(),
                    c.destinationId(),
                    AttemptRecorder.wire(outcome),
                    outcome);
        }
    }

    /** A sender that throws breaks its contract; the attempt counts as one to retry. */
    private DeliveryOutcome send(AlertMessage message, Destination destination) {
        long start = System.nanoTime();
        try {
            return sender.send(message, destination);
        } catch (RuntimeException e) {
            return new DeliveryOutcome.Retry(
                    null,
                    "the sender failed: " + e,
                    null,
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * Stops claiming, waits up to the close deadline for the deliveries in flight, then interrupts
     * the rest (left to their lease). Returns within about twice the deadline whatever the sender
     * does.
     */
    @Override
    public void close() {
        running = false;
        wake();
        long deadline = System.nanoTime() + config.closeDeadline().toNanos();
        try {
            loop.join(config.closeDeadline());
            deliveries.shutdown();
            long left = Math.max(0, deadline - System.nanoTime());
            if (!deliveries.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                deliveries.shutdownNow();
                log.warn(
                        "alert deliveries still running after {}: interrupted, their messages go"
                                + " again after their lease ({})",
                        config.closeDeadline(),
                        config.lease());
                deliveries.awaitTermination(config.closeDeadline().toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            deliveries.shutdownNow();
            Thread.currentThread().interrupt();
        }
        log.info("alert dispatcher stopped");
    }
}
