package dev.vigil.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.ConfigException;
import dev.vigil.config.Env;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionSettingsTest {

    @Test
    void defaultsAreThreeMonthsAheadHourlyScansThirteenMonthsAuditTwentyFive() {
        PartitionSettings s = PartitionSettings.from(Env.of(Map.of()));

        assertThat(s.monthsAhead()).isEqualTo(3);
        assertThat(s.every()).isEqualTo(Duration.ofHours(1));
        assertThat(s.retentionOf(PartitionedTable.SCANS)).isEqualTo(new Retention(13));
        assertThat(s.retentionOf(PartitionedTable.AUDIT_LOG)).isEqualTo(new Retention(25));
    }

    @Test
    void offAndZeroBothKeepEverything() {
        PartitionSettings s =
                PartitionSettings.from(
                        Env.of(
                                Map.of(
                                        "VIGIL_RETENTION_SCANS",
                                        "OFF",
                                        "VIGIL_RETENTION_AUDIT",
                                        "0")));

        assertThat(s.retentionOf(PartitionedTable.SCANS)).isEqualTo(Retention.KEEP_ALL);
        assertThat(s.retentionOf(PartitionedTable.AUDIT_LOG)).isEqualTo(Retention.KEEP_ALL);
        assertThat(Retention.KEEP_ALL.expired(YearMonth.of(1999, 1), Instant.now())).isFalse();
    }

    @Test
    void aNegativeRetentionIsRefusedNamingTheSettingAndTheForm() {
        Env env = Env.of(Map.of("VIGIL_RETENTION_AUDIT", "-2"));

        assertThatThrownBy(() -> PartitionSettings.from(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_RETENTION_AUDIT=-2 is invalid")
                .hasMessageContaining("a number of months from 0 to 1200, or off");
    }

    @Test
    void aMonthExpiresOnlyOnceItEndedTheRetentionAgo() {
        Retention thirteen = new Retention(13);
        Instant now = Instant.parse("2026-12-03T22:00:00Z");

        // November 2025 ended on 2025-12-01, less than 13 months before now
        assertThat(thirteen.expired(YearMonth.of(2025, 11), now)).isFalse();
        // October 2025 ended on 2025-11-01, more than 13 months before now (2025-11-03)
        assertThat(thirteen.expired(YearMonth.of(2025, 10), now)).isTrue();
    }

    @Test
    void theCurrentMonthAndLaterNeverExpire() {
        Retention one = new Retention(1);
        Instant now = Instant.parse("2026-12-31T23:59:59Z");

        assertThat(one.expired(YearMonth.of(2026, 12), now)).isFalse();
        assertThat(one.expired(YearMonth.of(2027, 1), now)).isFalse();
        // November ended on 2026-12-01, less than a month before now (one month back: 2026-11-30)
        assertThat(one.expired(YearMonth.of(2026, 11), now)).isFalse();
        assertThat(one.expired(YearMonth.of(2026, 10), now)).isTrue();
    }
}
