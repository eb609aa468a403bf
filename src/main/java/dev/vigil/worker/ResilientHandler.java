package dev.vigil.worker;

import dev.vigil.failure.Failure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a handler so that failures never stop a partition: a {@link Failure.Retriable} (of any
 * port: a config fetch, a results call, a Kafka publish) is retried with {@link RetryPolicy}
 * backoff; anything else, or a retriable failure still failing when the policy's budget (attempts
 * and time) is spent, goes to the dead-letter topic. The type of the exception alone decides.
 *
 * <p>Retries are logged at DEBUG, except once per record at WARN when its retries have lasted
 * {@link #STILL_FAILING}: with a budget of minutes, an outage would otherwise reach the logs only
 * when the dead letters start.
 *
 * <p>Thread-safe if the wrapped handler is.
 */
public final class ResilientHandler implements RecordHandler {
    private static final Logger log = LoggerFactory.getLogger(ResilientHandler.class);

    /** How long one record's retries last before they are logged at WARN (once). */
    static final Duration STILL_FAILING = Duration.ofSeconds(10);

    /** The work itself; may throw anything. */
    @FunctionalInterface
    public interface Work {
        void handle(ConsumerRecord<String, byte[]> record) throws Exception;
    }

    private final Work work;
    private final RetryPolicy policy;
    private final DeadLetterPublisher deadLetters;
    private final Clock clock;
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();

    public ResilientHandler(
            Work work, RetryPolicy policy, DeadLetterPublisher deadLetters, Clock clock) {
        this.work = work;
        this.policy = policy;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    public long retries() {
        return retries.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        Instant first = clock.instant();
        boolean warned = false;
        for (int attempt = 1; ; attempt++) {
            try {
                work.handle(record);
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                Duration elapsed = Duration.between(first, clock.instant());
                boolean again = Failure.isRetriable(e) && policy.tryAgain(attempt, elapsed);
                if (again) {
                    retries.incrementAndGet();
                    long wait = policy.delayAfter(attempt).toMillis();
                    if (!warned && elapsed.compareTo(STILL_FAILING) >= 0) {
                        warned = true;
                        log.warn(
                                "{}/{}@{} (key {}) still failing after {} attempt(s) over {} s,"
                                        + " retrying until it has had {} attempts and {} s: {}",
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                record.key(),
                                attempt,
                                elapsed.toSeconds(),
                                policy.maxAttempts(),
                                policy.retryFor().toSeconds(),
                                e.toString());
                    } else {
                        log.debug(
                                "attempt {} of key {} failed, retrying in {} ms: {}",
                                attempt,
                                record.key(),
                                wait,
                                e.toString());
                    }
                    Thread.sleep(wait);
                    continue;
                }
                log.warn(
                        "dead-lettering {}/{}@{} (key {}) after {} attempt(s): {}",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.key(),
                        attempt,
                        e.toString());
                deadLetters.publish(record, e, attempt, first, clock.instant());
                deadLettered.incrementAndGet();
                return;
            }
        }
    }
}
