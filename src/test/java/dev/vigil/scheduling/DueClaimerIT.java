package dev.vigil.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.events.Lane;
import dev.vigil.events.ScanRequest;
import dev.vigil.events.ScanRequestCodec;
import dev.vigil.events.ScanRequestPublisher;
import dev.vigil.inventory.PlanIntervals;
import dev.vigil.testing.TestPostgres;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The claim reads each due target's row by column name, nulls included. */
class DueClaimerIT {
    private static TestPostgres pg;
    private final ScanRequestCodec codec = ScanRequestCodec.create();
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());

    @BeforeAll
    static void start() {
        pg = TestPostgres.start();
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @BeforeEach
    void reset() {
        pg.reset();
    }

    /**
     * A target never scanned has no smoothed duration (null in the database), which is not a
     * duration of zero: with a zero duration threshold only targets with a measured duration are
     * slow. (The positional mapping tested {@code wasNull()} after reading the asset count, so a
     * null duration was read as 0.0 and sent the target to the slow lane.)
     */
    @Test
    void aTargetNeverScannedIsLanedByItsAssetsAloneNotByAZeroDuration() {
        pg.zoneTarget("acct-1", "zone-new");
        pg.zoneTarget("acct-1", "zone-measured");
        pg.execute(
                "update targets set scan_duration_ms = 5, asset_count = 3"
                        + " where target_id = 'zone-measured'",
                "update targets set asset_count = 3 where target_id = 'zone-new'");

        int published = claimer(new LaneClassifier(1_000, Duration.ZERO)).claimAndPublish(10);

        assertThat(published).isEqualTo(2);
        assertThat(lanesByTarget())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("zone-new", Lane.FAST, "zone-measured", Lane.SLOW));
    }

    @Test
    void aTargetWithManyAssetsGoesToTheSlowLaneBeforeItsFirstScan() {
        pg.zoneTarget("acct-1", "zone-big");
        pg.execute("update targets set asset_count = 1000 where target_id = 'zone-big'");

        claimer(new LaneClassifier(1_000, Duration.ofSeconds(2))).claimAndPublish(10);

        assertThat(lanesByTarget()).containsExactly(Map.entry("zone-big", Lane.SLOW));
    }

    private DueClaimer claimer(LaneClassifier lanes) {
        return new DueClaimer(
                pg.dataSource(),
                new ScanRequestPublisher(producer, codec, "scan-requests"),
                PlanIntervals.uniform(Duration.ofHours(1)),
                lanes,
                Clock.systemUTC());
    }

    private Map<String, Lane> lanesByTarget() {
        return producer.history().stream()
                .map(r -> codec.decode(r.value()))
                .collect(Collectors.toMap(ScanRequest::targetId, ScanRequest::lane));
    }
}
