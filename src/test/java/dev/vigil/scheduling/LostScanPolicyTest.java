package dev.vigil.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.ConfigException;
import dev.vigil.config.Env;
import dev.vigil.scheduling.LostScanPolicy.Published;
import dev.vigil.scheduling.LostScanPolicy.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LostScanPolicyTest {
    private static final Instant PUBLISHED = Instant.parse("2026-12-03T10:00:00Z");
    private final LostScanPolicy policy = new LostScanPolicy(Duration.ofMinutes(15));
    private final Clock atPublish = Clock.fixed(PUBLISHED, ZoneOffset.UTC);

    private Instant after(Duration d) {
        return Clock.offset(atPublish, d).instant();
    }

    @Test
    void aScanWithoutResultWaitsUntilTheDeadlineAndIsThenRepublishedAsAttemptTwo() {
        Published scan = new Published(PUBLISHED, 1, null, false);

        assertThat(policy.verdict(scan, after(Duration.ofMinutes(14).plusSeconds(59))))
                .isEqualTo(new Verdict.Waiting(PUBLISHED.plus(Duration.ofMinutes(15))));
        assertThat(policy.verdict(scan, after(Duration.ofMinutes(15))))
                .isEqualTo(new Verdict.Republish(2));
        assertThat(policy.cutoff(after(Duration.ofMinutes(15)))).isEqualTo(PUBLISHED);
    }

    @Test
    void aLostRepublishIsLeftForAnOperatorNotPublishedAgain() {
        Published retry = new Published(PUBLISHED, LostScanPolicy.LAST_ATTEMPT, null, false);

        assertThat(policy.verdict(retry, after(Duration.ofHours(2))))
                .isEqualTo(new Verdict.LeaveForOperator());
    }

    @Test
    void anOlderResultDoesNotCountAsLandedButThisScansOrALaterOneDoes() {
        Instant before = PUBLISHED.minus(Duration.ofDays(1));
        Instant now = after(Duration.ofMinutes(20));

        assertThat(policy.verdict(new Published(PUBLISHED, 1, before, false), now))
                .isEqualTo(new Verdict.Republish(2));
        assertThat(policy.verdict(new Published(PUBLISHED, 1, before, true), now))
                .as("this scan's result, dated by a worker whose clock is behind")
                .isEqualTo(new Verdict.Landed());
        assertThat(
                        policy.verdict(
                                new Published(PUBLISHED, 2, PUBLISHED.plusSeconds(4), false), now))
                .as("a later on-demand scan's result")
                .isEqualTo(new Verdict.Landed());
    }

    @Test
    void aZeroDeadlineIsNotAPolicy() {
        assertThatThrownBy(() -> new LostScanPolicy(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
    }

    @Test
    void settingsDefaultTo15MinutesEvery30SecondsAndZeroTurnsTheWatchdogOff() {
        WatchdogConfig defaults = WatchdogConfig.from(Env.of(Map.of()), Duration.ofMinutes(2));
        assertThat(defaults).isEqualTo(WatchdogConfig.DEFAULTS);
        assertThat(defaults.deadline()).isEqualTo(Duration.ofMinutes(15));
        assertThat(defaults.period()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.batchSize()).isEqualTo(500);
        assertThat(defaults.floor()).as("twice the lag bound").isEqualTo(Duration.ofMinutes(4));
        assertThat(
                        WatchdogConfig.from(
                                        Env.of(Map.of("VIGIL_WATCHDOG_DEADLINE", "0")),
                                        Duration.ofMinutes(2))
                                .enabled())
                .isFalse();
    }

    @Test
    void aDeadlineUnderTwiceTheLagBoundIsRefusedNamingBothSettings() {
        assertThatThrownBy(
                        () ->
                                WatchdogConfig.from(
                                        Env.of(Map.of("VIGIL_WATCHDOG_DEADLINE", "3m")),
                                        Duration.ofMinutes(2)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_WATCHDOG_DEADLINE=PT3M")
                .hasMessageContaining("VIGIL_SCHEDULER_MAX_LAG=PT2M");
    }
}
