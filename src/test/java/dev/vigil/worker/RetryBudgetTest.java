package dev.vigil.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.results.RetriableResultsException;
import dev.vigil.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The retry budget is attempts and time: a retriable failure is dead-lettered only once both are
 * spent, so an outage shorter than {@code retryFor} dead-letters nothing however many attempts it
 * takes, and a count alone still works with no time budget. The clock here advances by each
 * attempt's duration (an API call that waits a second before it fails), so the test does not depend
 * on how fast this machine is.
 */
class RetryBudgetTest {

    final MockProducer<String, byte[]> deadLetterKafka =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    final MovableClock clock = new MovableClock(Instant.parse("2026-12-05T00:00:00Z"));
    final AtomicInteger attempts = new AtomicInteger();
    final ConsumerRecord<String, byte[]> record =
            new ConsumerRecord<>("requests", 0, 7L, "z-1", new byte[] {1});

    /** Each attempt takes a second of the clock and is refused while the API is down. */
    ResilientHandler handler(RetryPolicy policy, int downForAttempts) {
        return new ResilientHandler(
                r -> {
                    clock.advance(Duration.ofSeconds(1));
                    if (attempts.incrementAndGet() <= downForAttempts) {
                        throw new RetriableResultsException(
                                "results API at http://127.0.0.1:1/ refused the connection", null);
                    }
                },
                policy,
                new DeadLetterPublisher(deadLetterKafka, "requests.dlq"),
                clock);
    }

    static RetryPolicy policy(int attempts, Duration retryFor) {
        return new RetryPolicy(attempts, Duration.ofMillis(1), Duration.ofMillis(2), retryFor);
    }

    @Test
    void anOutageShorterThanTheTimeBudgetDeadLettersNothingPastTheAttemptCount() throws Exception {
        // down for 12 attempts (12 s), three times the attempt count, within the 30 s budget
        ResilientHandler h = handler(policy(4, Duration.ofSeconds(30)), 12);

        h.handle(record);

        assertThat(attempts).hasValue(13);
        assertThat(h.retries()).isEqualTo(12);
        assertThat(h.deadLettered()).isZero();
        assertThat(deadLetterKafka.history()).isEmpty();
    }

    @Test
    void aFailureOutlastingBothBudgetsIsDeadLetteredOnceTheTimeIsSpent() throws Exception {
        ResilientHandler h = handler(policy(4, Duration.ofSeconds(10)), Integer.MAX_VALUE);

        h.handle(record);

        // attempt n fails n seconds after the first began: the 10th is the first at 10 s
        assertThat(attempts).hasValue(10);
        assertThat(h.deadLettered()).isEqualTo(1);
        assertThat(deadLetterKafka.history())
                .singleElement()
                .satisfies(r -> assertThat(r.key()).isEqualTo("z-1"));
    }

    @Test
    void withoutATimeBudgetTheAttemptCountAloneDecides() throws Exception {
        ResilientHandler h =
                handler(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(2)), 100);

        h.handle(record);

        assertThat(attempts).hasValue(3);
        assertThat(h.deadLettered()).isEqualTo(1);
    }

    @Test
    void theTimeBudgetNeverShortensTheAttemptCount() throws Exception {
        // every attempt takes a second, past the 1 ms budget: still the five attempts
        ResilientHandler h = handler(policy(5, Duration.ofMillis(1)), 100);

        h.handle(record);

        assertThat(attempts).hasValue(5);
        assertThat(h.deadLettered()).isEqualTo(1);
    }

    @Test
    void retriesLastingTenSecondsAreLoggedAtWarnOncePerRecord() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(ResilientHandler.class);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        try {
            // down for 25 attempts (25 s) within the 60 s budget: past 10 s twice over
            handler(policy(4, Duration.ofSeconds(60)), 25).handle(record);
        } finally {
            logger.detachAppender(seen);
        }

        assertThat(attempts).hasValue(26);
        assertThat(seen.list)
                .filteredOn(e -> e.getLevel() == Level.WARN)
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.getFormattedMessage())
                                        .startsWith(
                                                "requests/0@7 (key z-1) still failing after 10"
                                                        + " attempt(s) over 10 s, retrying until it"
                                                        + " has had 4 attempts and 60 s:")
                                        .contains("refused the connection"));
    }

    @Test
    void aNegativeBudgetIsRefused() {
        assertThatThrownBy(() -> policy(1, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retryFor");
    }
}
