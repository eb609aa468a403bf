package dev.vigil.alerts.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

    final Backoff backoff =
            Backoff.of(Duration.ofSeconds(1), Duration.ofMinutes(10), new Random(7));

    @Test
    void theCeilingDoublesFromTheBaseUpToTheCap() {
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.ceiling(10)).isEqualTo(Duration.ofSeconds(512));
        assertThat(backoff.ceiling(11)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aHugeAttemptNumberStaysAtTheCap() {
        assertThat(backoff.ceiling(64)).isEqualTo(Duration.ofMinutes(10));
        assertThat(backoff.ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void theDelayIsSpreadOverZeroToTheCeiling() {
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            Duration d = backoff.delay(3, null);
            assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(4));
            seen.add(d);
        }
        assertThat(seen).hasSizeGreaterThan(500);
    }

    @Test
    void aLongerRetryAfterWins() {
        assertThat(backoff.delay(1, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aShorterRetryAfterIsOnlyAFloor() {
        for (int i = 0; i < 100; i++) {
            assertThat(backoff.delay(5, Duration.ofMillis(100)))
                    .isBetween(Duration.ofMillis(100), Duration.ofSeconds(16));
        }
    }
}
